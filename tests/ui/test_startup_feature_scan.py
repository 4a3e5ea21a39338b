"""PySide6's "does this module use PySide6" check answers from answers kept between runs, each checked against the
file's stamp (issue 22: start-up; :mod:`annotator.ui.feature_scan`)."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType

from annotator.ui.feature_scan import KNOWN_ANSWERS_FILE, KnownAnswers, known_answers_path, uses_pyside_bytes


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _never(module: ModuleType) -> bool:
    raise AssertionError(f"PySide6's own check asked about {module.__name__}")


def test_a_kept_answer_is_given_while_the_files_stamp_is_the_same_and_read_again_when_it_changes(tmp_path):
    source = tmp_path / "uses_qt.py"
    source.write_text("NAME = 'PySide6'\n", encoding="utf-8")
    module = _module(source)
    kept = tmp_path / "cache" / KNOWN_ANSWERS_FILE
    known = KnownAnswers.load(kept)
    assert uses_pyside_bytes(_never, known)(module) is True
    known.save()
    stamp = os.stat(source)

    source.write_text("NAME = 'Qt-free'\n", encoding="utf-8")  # as long, and given the same time back
    os.utime(source, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    again = KnownAnswers.load(kept)
    assert uses_pyside_bytes(_never, again)(module) is True  # the stamp is the file's as read: the kept answer

    os.utime(source, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000))
    assert uses_pyside_bytes(_never, again)(module) is False  # a new stamp: the file is read again
    again.save()
    assert KnownAnswers.load(kept).answers[str(source)][2] is False


def test_the_kept_answers_are_written_only_when_one_was_added_and_hold_those_asked(tmp_path):
    first, second = tmp_path / "first.py", tmp_path / "second.py"
    first.write_text("X = 1\n", encoding="utf-8")
    second.write_text("import PySide6\n", encoding="utf-8")
    kept = tmp_path / KNOWN_ANSWERS_FILE
    known = KnownAnswers.load(kept)
    check = uses_pyside_bytes(_never, known)
    assert [check(_module(first)), check(_module(second))] == [False, True]
    known.save()
    assert set(json.loads(kept.read_text(encoding="utf-8"))["files"]) == {str(first), str(second)}

    only_first = KnownAnswers.load(kept)
    assert uses_pyside_bytes(_never, only_first)(_module(first)) is False
    only_first.save()  # nothing new: not written
    assert set(json.loads(kept.read_text(encoding="utf-8"))["files"]) == {str(first), str(second)}
    third = tmp_path / "third.py"
    third.write_text("Y = 2\n", encoding="utf-8")
    assert uses_pyside_bytes(_never, only_first)(_module(third)) is False
    only_first.save()
    assert set(json.loads(kept.read_text(encoding="utf-8"))["files"]) == {str(first), str(third)}


def test_a_damaged_or_other_version_file_of_answers_is_no_answer(tmp_path):
    kept = tmp_path / KNOWN_ANSWERS_FILE
    for content in (b"{not json", b"[]", b'{"version": 2, "files": {"a.py": [1, 2, true]}}', b"\xff\xfe"):
        kept.write_bytes(content)
        assert KnownAnswers.load(kept).answers == {}
    kept.write_text(
        json.dumps({"version": 1, "files": {"/a.py": [1, 2, True], "/b.py": [1, "2", True], "/c.py": [1, 2], "/d": 3}}),
        encoding="utf-8",
    )
    assert KnownAnswers.load(kept).answers == {"/a.py": (1, 2, True)}
    assert KnownAnswers.load(tmp_path / "missing.json").answers == {}


def test_an_unwritable_cache_folder_is_no_fault(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    source = tmp_path / "plain.py"
    source.write_text("X = 1\n", encoding="utf-8")
    known = KnownAnswers.load(blocker / KNOWN_ANSWERS_FILE)
    assert uses_pyside_bytes(_never, known)(_module(source)) is False
    known.save()  # the folder cannot be made: nothing written, nothing raised
    assert not (blocker / KNOWN_ANSWERS_FILE).exists()


def test_the_answers_are_kept_in_the_apps_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_CACHE_DIR", str(tmp_path))
    assert known_answers_path() == tmp_path / KNOWN_ANSWERS_FILE
    monkeypatch.delenv("ANNOTATOR_CACHE_DIR")
    assert known_answers_path().name == KNOWN_ANSWERS_FILE


def test_a_deeply_nested_or_foreign_file_of_answers_is_no_answer_and_relative_paths_are_not_kept(tmp_path):
    kept = tmp_path / KNOWN_ANSWERS_FILE
    for content in (b"[" * 100_000, b'{"version": true, "files": {"/a.py": [1, 2, true]}}', b'{"version": 1.0}'):
        kept.write_bytes(content)
        assert KnownAnswers.load(kept).answers == {}  # the start goes on: no answer, no error
    kept.write_text(json.dumps({"version": 1, "files": {"a.py": [1, 2, True], "/b.py": [1, 2, False]}}), "utf-8")
    assert KnownAnswers.load(kept).answers == {"/b.py": (1, 2, False)}

    source = tmp_path / "relative.py"
    source.write_text("import PySide6\n", encoding="utf-8")
    module = _module(source)
    module.__file__ = os.path.relpath(source)
    known = KnownAnswers.load(tmp_path / "fresh.json")
    assert uses_pyside_bytes(_never, known)(module) is True
    assert known.asked == {} and not known.changed  # read, not kept
