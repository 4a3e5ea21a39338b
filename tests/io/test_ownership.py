from __future__ import annotations

import shutil
from pathlib import Path

from annotator.io import annotation_file
from annotator.io.ownership import make_own_copy, own_copy_path

DATA = Path(__file__).resolve().parents[1] / "data"


def test_own_copy_path_sits_beside_the_file_with_a_safe_name():
    assert own_copy_path(Path("d/X.annotations.json"), "ana") == Path("d/X.ana.annotations.json")
    assert own_copy_path(Path("d/X.json"), "ana") == Path("d/X.ana.annotations.json")
    assert own_copy_path(Path("d/X.annotations.json"), "a/b: c") == Path("d/X.a_b_ c.annotations.json")


def test_make_own_copy_records_you_and_never_overwrites_a_copy(tmp_path):
    theirs = tmp_path / "a.annotations.json"
    shutil.copyfile(DATA / "sample-article.annotations.json", theirs)
    copy = make_own_copy(theirs, "tester")
    assert copy == tmp_path / "a.tester.annotations.json"
    made = annotation_file.load(copy)
    assert made.annotator == "tester" and len(made) == len(annotation_file.load(theirs))
    copy.write_bytes(b"mine, edited")
    assert make_own_copy(theirs, "tester") == copy and copy.read_bytes() == b"mine, edited"
