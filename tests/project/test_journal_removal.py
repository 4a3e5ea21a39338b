"""A journal removed by a thread (a big one: renamed first, see annotator/io/discard.py) frees its path at once, never
takes a journal written there since, and leaves no file nor lock behind; a renamed file a process left is removed by
the next whole scan. Every file goes through the thread here (the size threshold set to one byte)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.io import discard
from annotator.io.discard import DISCARDED_SUFFIX, wait_for_removals
from annotator.project.journal import recoverable_for, recovery_folder, scan_journals
from annotator.project.session import DocumentSession
from tests.project.test_recovery import FOUR, add, killed_with_three_unsaved, new_set


@pytest.fixture(autouse=True)
def every_file_by_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discard, "IN_BACKGROUND_FROM", 1)


def left_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_discarded_work_leaves_neither_journal_nor_lock(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    found = recoverable_for(path)
    assert found is not None
    found.discard()
    assert not found.journal_path.exists()  # at once
    wait_for_removals()
    assert left_in(recovery_folder()) == []


def test_a_journal_written_at_the_same_path_right_after_a_save_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    session = DocumentSession(new_set(), path, annotator="alice")
    session.start()
    add(session, *FOUR[0])
    journal = session.journal.path
    assert journal.exists()
    session.save()  # the journal cleared: renamed, unlinked by a thread
    add(session, *FOUR[1])  # a new journal at the same path, at once
    session.close(keep_journal=True)  # killed with that change unsaved
    wait_for_removals()
    assert journal.exists()
    found = recoverable_for(path)
    assert found is not None
    assert [(s.start, s.end, s.label) for s in found.annotations.sorted_spans()] == sorted(FOUR[:2])
    assert not [name for name in left_in(recovery_folder()) if name.endswith(DISCARDED_SUFFIX)]


def test_a_saved_and_closed_session_leaves_nothing(tmp_path: Path) -> None:
    session = DocumentSession(new_set(), tmp_path / "a.annotations.json", annotator="alice")
    session.start()
    add(session, *FOUR[0])
    session.save()
    session.close()
    wait_for_removals()
    assert left_in(recovery_folder()) == []


def test_a_renamed_file_a_process_left_is_removed_by_the_next_whole_scan(tmp_path: Path) -> None:
    folder = recovery_folder()
    folder.mkdir(parents=True, exist_ok=True)
    leftover = folder / f".x.journal.0f0f{DISCARDED_SUFFIX}"
    leftover.write_bytes(b"{}")
    assert scan_journals() == ([], [])
    wait_for_removals()
    assert not leftover.exists()
