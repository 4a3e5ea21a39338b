from __future__ import annotations

import shutil
from pathlib import Path

from annotator.io import annotation_file
from annotator.project.ownership import own_copy, own_copy_path

DATA = Path(__file__).resolve().parents[1] / "data"


def test_own_copy_path_sits_beside_the_file_with_a_safe_name():
    assert own_copy_path(Path("d/X.annotations.json"), "ana") == Path("d/X.ana.annotations.json")
    assert own_copy_path(Path("d/X.json"), "ana") == Path("d/X.ana.annotations.json")
    assert own_copy_path(Path("d/X.annotations.json"), "a/b: c") == Path("d/X.a_b_ c.annotations.json")


def test_own_copy_records_you_and_never_overwrites_a_copy(tmp_path):
    theirs = tmp_path / "a.annotations.json"
    shutil.copyfile(DATA / "sample-article.annotations.json", theirs)
    copy, written = own_copy(theirs, "tester")
    assert copy == tmp_path / "a.tester.annotations.json" and written == copy.read_bytes()
    made = annotation_file.load(copy)
    assert made.annotator == "tester" and len(made) == len(annotation_file.load(theirs))
    copy.write_bytes(b"mine, edited")
    assert own_copy(theirs, "tester") == (copy, None) and copy.read_bytes() == b"mine, edited"


def test_a_copy_of_annotations_just_loaded_is_written_without_reading_the_file_again(tmp_path, monkeypatch):
    theirs = tmp_path / "a.annotations.json"
    shutil.copyfile(DATA / "sample-article.annotations.json", theirs)
    loaded = annotation_file.load(theirs)
    monkeypatch.setattr(annotation_file, "load", lambda *_args: (_ for _ in ()).throw(AssertionError("read again")))
    copy, _written = own_copy(theirs, "tester", loaded)
    monkeypatch.undo()
    made = annotation_file.load(copy)
    assert made.annotator == "tester" and loaded.annotator == "analyst"  # the set given is left as it was
    assert [s.model_dump() for s in made] == [s.model_dump() for s in loaded] and made.text == loaded.text


def test_a_copy_made_by_another_process_between_the_check_and_the_write_is_kept(tmp_path, monkeypatch):
    theirs = tmp_path / "a.annotations.json"
    shutil.copyfile(DATA / "sample-article.annotations.json", theirs)
    copy = own_copy_path(theirs, "tester")
    real_load = annotation_file.load

    def load_while_another_process_copies(path):
        copy.write_bytes(b"the other window's copy")  # after own_copy looked: the race
        return real_load(path)

    monkeypatch.setattr(annotation_file, "load", load_while_another_process_copies)
    assert own_copy(theirs, "tester") == (copy, None)  # not the bytes this call made: the other's copy is kept
    assert copy.read_bytes() == b"the other window's copy"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # no temporary file left


def test_atomic_create_without_hard_links_still_never_replaces(tmp_path, monkeypatch):
    import os

    from annotator.io import atomic

    def no_links(_source, _target):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "new.json"
    assert atomic.atomic_create_bytes(target, b"first") is True
    assert atomic.atomic_create_bytes(target, b"second") is False
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json"]


def test_in_a_project_the_copy_is_the_annotators_own_file_of_that_document(tmp_path):
    from annotator.project.layout import Project
    from annotator.project.ownership import own_copy_display_name

    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("Officials in Berlin said so.", encoding="utf-8")
    project = Project(tmp_path)
    theirs = project.annotation_path("news/a.txt", "ana")
    theirs.parent.mkdir(parents=True)
    shutil.copyfile(DATA / "sample-article.annotations.json", theirs)
    mine = project.annotation_path("news/a.txt", "tester")
    assert own_copy_path(theirs, "tester") == mine
    assert own_copy_display_name(theirs, "tester") == "annotations/tester/news/a.annotations.json"
    assert own_copy(theirs, "tester")[0] == mine and annotation_file.load(mine).annotator == "tester"
    outside = tmp_path / "elsewhere" / "annotations" / "ana" / "b.annotations.json"  # no b.txt: not a project file
    assert own_copy_path(outside, "tester") == outside.with_name("b.tester.annotations.json")


def test_a_failed_create_without_hard_links_leaves_no_empty_file(tmp_path, monkeypatch):
    import os

    import pytest

    from annotator.io import atomic
    from annotator.io.errors import FileFault

    def no_links(_source, _target):
        raise PermissionError(1, "Operation not permitted")

    def sharing_violation(_source, _target):
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(os, "replace", sharing_violation)
    target = tmp_path / "copy.json"
    with pytest.raises(FileFault, match="could not create"):
        atomic.atomic_create_bytes(target, b"content")
    assert list(tmp_path.iterdir()) == []


def test_a_document_with_an_upper_case_suffix_and_names_that_share_a_folder(tmp_path):
    from annotator.project.layout import Project

    (tmp_path / "Upper.TXT").write_text("Officials said so.", encoding="utf-8")
    project = Project(tmp_path)
    theirs = project.annotation_path("Upper.TXT", "carol")
    theirs.parent.mkdir(parents=True)
    shutil.copyfile(DATA / "sample-article.annotations.json", theirs)
    assert own_copy_path(theirs, "dave") == project.annotation_path("Upper.TXT", "dave")
    # "a/b" and "a_b" share the folder a_b: the copy must not be their own file
    shared = project.annotation_path("Upper.TXT", "a/b")
    shared.parent.mkdir(parents=True)
    shutil.copyfile(DATA / "sample-article.annotations.json", shared)
    copy = own_copy_path(shared, "a_b")
    assert copy != shared and copy.parent == shared.parent
    assert own_copy(shared, "a_b")[0] == copy and annotation_file.load(copy).annotator == "a_b"
