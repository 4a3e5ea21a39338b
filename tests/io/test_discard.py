"""remove_file: a big file's path is free at once and the file is gone once its thread ends; leftovers removed."""

from __future__ import annotations

from pathlib import Path

from annotator.io.discard import DISCARDED_SUFFIX, remove_file, remove_leftovers, wait_for_removals


def test_a_small_file_is_removed_at_once(tmp_path: Path) -> None:
    path = tmp_path / "a.journal"
    path.write_bytes(b"x" * 100)
    remove_file(path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_big_file_frees_its_path_at_once_and_is_removed_by_a_thread(tmp_path: Path) -> None:
    path = tmp_path / "a.journal"
    path.write_bytes(b"x" * 100)
    remove_file(path, in_background_from=10)
    assert not path.exists()
    path.write_bytes(b"new")  # the path is free: a new journal may be written there at once
    wait_for_removals()
    assert [p.name for p in tmp_path.iterdir()] == ["a.journal"]
    assert path.read_bytes() == b"new"


def test_a_missing_file_is_no_fault(tmp_path: Path) -> None:
    remove_file(tmp_path / "gone.journal")
    remove_file(tmp_path / "gone.journal", in_background_from=0)


def test_leftovers_of_a_process_that_ended_first_are_removed_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / f".a.journal.0123abcd{DISCARDED_SUFFIX}").write_bytes(b"old")
    kept = tmp_path / "b.journal"
    kept.write_bytes(b"work")
    assert remove_leftovers(tmp_path) == 1
    wait_for_removals()
    assert list(tmp_path.iterdir()) == [kept]


def test_when_no_thread_can_start_the_file_is_removed_at_once(tmp_path: Path, monkeypatch) -> None:
    import threading

    def refused(_thread) -> None:
        raise RuntimeError("can't create new thread at interpreter shutdown")

    monkeypatch.setattr(threading.Thread, "start", refused)
    path = tmp_path / "a.journal"
    path.write_bytes(b"x" * 100)
    remove_file(path, in_background_from=10)
    assert list(tmp_path.iterdir()) == []  # not left renamed
