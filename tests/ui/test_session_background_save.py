"""A big document is saved by Ctrl+S and autosave in a worker thread: edits are held and the status bar says
"Saving X…" until the file is written, then the session takes it; leaving the document waits for it. (The size from
which a save goes to the background is lowered for these tests, so small files stand in for big ones.)"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from annotator.io import annotation_file
from annotator.ui.main import sessions as sessions_module
from tests.ui.test_suggesting_attribution import ManualExecutor

TEXT = "Officials in Berlin warned on Monday that prices would rise.\nThe minister denied it.\n"


@pytest.fixture
def opened(window, tmp_path, monkeypatch):
    """The window with ``a.txt`` open, one span added (unsaved), and saves from 0 bytes on in the background run
    by a manual executor."""
    monkeypatch.setattr(sessions_module, "PIECES_FROM", 0)
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert window.open_path(path)
    assert window.controller.add_span(0, 9, "actor") is not None
    window.sessions.save_executor = executor = ManualExecutor()
    return window, executor, tmp_path / "a.annotations.json"


def test_ctrl_s_saves_in_the_background_with_edits_held_until_written(opened):
    window, executor, saved = opened
    sessions = window.sessions
    assert sessions.save() is True and sessions.saving is not None
    assert window.statusBar().currentMessage() == "Saving a.annotations.json…"
    assert window.controller.add_span(13, 19, "actor") is None  # held: refused, saying why
    assert window.controller.read_only_reason.startswith("Saving a.annotations.json…")
    assert not saved.exists() and sessions.unsaved
    assert sessions.save() is True and len(executor.jobs) == 1  # a second Ctrl+S meanwhile: the same save
    assert executor.run_all() == 1
    assert sessions.saving is None and not sessions.unsaved and not window.controller.read_only_reason
    annotations = window.controller.annotations
    assert saved.read_bytes() == annotation_file.dumps_bytes(annotations)
    assert window.statusBar().currentMessage().startswith("Saved 1 span")
    journal = sessions.session.journal.path
    assert json.loads(journal.read_bytes().split(b"\n")[0])["base"] == json.loads(saved.read_bytes())
    assert window.controller.add_span(13, 19, "actor") is not None and sessions.unsaved  # edits go through again


def test_autosave_saves_in_the_background_and_clears_its_message(opened):
    window, executor, saved = opened
    window.sessions.settings.autosave = True
    window.sessions.autosave_timer.timeout.emit()
    assert window.sessions.saving is not None and window.statusBar().currentMessage() == "Saving a.annotations.json…"
    executor.run_all()
    assert saved.exists() and not window.sessions.unsaved and window.statusBar().currentMessage() == ""


def test_a_save_that_needs_doing_now_waits_for_the_one_under_way(opened):
    window, _executor, saved = opened
    sessions = window.sessions
    sessions.save_executor = ThreadPoolExecutor(max_workers=1)
    assert sessions.save()
    assert sessions.save(wait=True)  # e.g. leaving the document: waits, then saves at once
    assert sessions.saving is None and not sessions.unsaved
    assert saved.read_bytes() == annotation_file.dumps_bytes(window.controller.annotations)
    sessions.save_executor.shutdown()


def test_closing_waits_for_a_save_under_way(opened):
    window, _executor, saved = opened
    sessions = window.sessions
    sessions.save_executor = ThreadPoolExecutor(max_workers=1)
    assert sessions.save()
    sessions.close()
    assert sessions.saving is None and sessions.session is None
    assert [(s.start, s.end) for s in annotation_file.load(saved)] == [(0, 9)]
    sessions.save_executor.shutdown()


def test_a_background_save_that_fails_keeps_the_work_and_says_why(opened, monkeypatch):
    from annotator.io.errors import FileFault
    from annotator.project import session as session_module

    window, executor, saved = opened

    def fail(path):
        raise FileFault(path, "could not be written (No space left on device)")

    monkeypatch.setattr(session_module, "atomic_writer", fail)
    window.sessions.save()
    executor.run_all()
    assert not saved.exists() and window.sessions.unsaved and window.sessions.saving is None
    assert window.statusBar().currentMessage().startswith("Not saved:")
    assert "No space left" in window.last_message.text()  # the message box, with the reason
    assert not window.controller.read_only_reason


def test_a_small_document_still_saves_at_once(window, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert window.open_path(path)
    window.controller.add_span(0, 9, "actor")
    assert window.sessions.save() and window.sessions.saving is None
    assert (tmp_path / "a.annotations.json").exists() and not window.sessions.unsaved
