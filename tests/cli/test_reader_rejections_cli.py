"""Spans that a reader itself rejects (before the label and offset checks) count for the import's exit status and
never make a record "annotated, nothing found" (found by the review of the merged format work)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.__main__ import main
from annotator.project.layout import Project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def annotation_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in Project(folder).annotations_folder.rglob("*.json"))


def old_label_studio_file(tmp_path: Path) -> Path:
    """A Label Studio task whose one region (no ``value.text``) ends after an emoji, in UTF-16 units."""
    text = "😀 Sullivan warned China."
    region = {"id": "a", "type": "labels", "from_name": "label", "to_name": "text"}
    region["value"] = {"start": 3, "end": 11, "labels": ["actor"]}  # "Sullivan" in UTF-16 units
    path = tmp_path / "old.json"
    path.write_text(json.dumps([{"id": 1, "data": {"text": text}, "annotations": [{"result": [region]}]}]), "utf-8")
    return path


def test_label_studio_regions_all_refused_for_their_unit_fail_and_leave_no_empty_annotation_file(tmp_path, capsys):
    data, project = old_label_studio_file(tmp_path), tmp_path / "p"
    code, stdout, err = run(capsys, "import", str(data), "-f", "label-studio", "-o", str(project), "--annotator", "a")
    assert code == 1
    assert "every span was rejected (1 found, listed above)" in err
    assert "1 without annotations" in stdout
    assert annotation_files(project) == []  # not "annotated, nothing found"
    # importing again with the unit the file counts in adds the span to the document already there
    code, stdout, err = run(
        capsys, "import", str(data), "-f", "label-studio", "-o", str(project), "--annotator", "a", "--offsets", "utf16"
    )
    assert code == 0, err
    assert "added annotations to 1 existing document" in stdout
    assert annotation_files(project) == ["annotations/a/1.annotations.json"]


def test_doccano_labels_all_malformed_fail(tmp_path, capsys):
    data = tmp_path / "d.jsonl"
    data.write_text('{"id": "a", "text": "Hello world", "label": [[0, 5]]}\n', "utf-8")
    code, _stdout, err = run(capsys, "import", str(data), "-f", "doccano", "-o", str(tmp_path / "p"))
    assert code == 1
    assert "label 1 [0, 5] is not a [start, end, label] list" in err
    assert "every span was rejected (1 found, listed above)" in err


def test_jsonl_spans_all_malformed_fail_and_leave_no_empty_annotation_file(tmp_path, capsys):
    data, project = tmp_path / "d.jsonl", tmp_path / "p"
    data.write_text('{"id": "a", "text": "Hello world", "spans": [{"start": 0, "label": "actor"}]}\n', "utf-8")
    code, stdout, err = run(capsys, "import", str(data), "-f", "jsonl", "-o", str(project), "--annotator", "a")
    assert code == 1
    assert "every span was rejected (1 found, listed above)" in err
    assert "1 without annotations" in stdout and annotation_files(project) == []


def test_brat_span_lines_all_malformed_fail_and_leave_no_empty_annotation_file(tmp_path, capsys):
    folder, project = tmp_path / "brat", tmp_path / "p"
    folder.mkdir()
    (folder / "a.txt").write_text("Hello world", "utf-8")
    (folder / "a.ann").write_text("T1\tactor 0 5;7 11\tHello orld\n", "utf-8")  # fragments' text does not match
    code, stdout, err = run(capsys, "import", str(folder), "-f", "brat", "-o", str(project), "--annotator", "a")
    assert code == 1
    assert "a.ann: line 1: T1" in err
    assert "every span was rejected (1 found, listed above)" in err
    assert "1 without annotations" in stdout and annotation_files(project) == []


def test_an_empty_ann_is_still_annotated_with_nothing_found(tmp_path, capsys):
    folder, project = tmp_path / "brat", tmp_path / "p"
    folder.mkdir()
    (folder / "a.txt").write_text("Hello world", "utf-8")
    (folder / "a.ann").write_text("", "utf-8")
    code, _stdout, err = run(capsys, "import", str(folder), "-f", "brat", "-o", str(project), "--annotator", "a")
    assert code == 0, err
    assert annotation_files(project) == ["annotations/a/a.annotations.json"]
