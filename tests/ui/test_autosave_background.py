"""Any document's autosave is written by the save worker, without a word and without holding edits: the file is
serialized on the GUI thread when the autosave starts, written (and fsynced, with the journal's next base) in the
worker; a change made meanwhile stays unsaved and journaled, and the next autosave saves it. Ctrl+S waits for it and
saves at once. (A big document's saves hold edits: tests/ui/test_session_background_save.py.)"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from annotator.io import annotation_file
from annotator.project.journal import BASE_SUFFIX
from tests.ui.test_suggesting_attribution import ManualExecutor

TEXT = "Officials in Berlin warned on Monday that prices would rise.\nThe minister denied it.\n"


@pytest.fixture
def opened(window, tmp_path):
    """The window with ``a.txt`` open, autosave on, one span added (unsaved), saves run by a manual executor."""
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert window.open_path(path)
    window.sessions.settings.autosave = True
    assert window.controller.add_span(0, 9, "actor") is not None
    window.sessions.save_executor = executor = ManualExecutor()
    return window, executor, tmp_path / "a.annotations.json"


def spans_in(path) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in annotation_file.load(path)]


def journal_base(window) -> dict:
    """The journal's header's base (the state the journaled changes apply to)."""
    return json.loads(window.sessions.session.journal.path.read_bytes().split(b"\n")[0])["base"]


def restored_after_a_kill(sessions, saved) -> list[tuple[int, int, str]]:
    """The process killed now (the lock let go, the journal left): the spans a restore of its journal gives."""
    from annotator.project.journal import recoverable_for
    from annotator.project.restore import plan_restore

    session, sessions.session = sessions.session, None
    session.close(keep_journal=True)
    found = recoverable_for(saved)
    assert found is not None
    return [(s.start, s.end, s.label) for s in plan_restore(found).annotations]


def test_an_autosave_runs_in_the_worker_without_a_word_and_edits_go_on(opened):
    window, executor, saved = opened
    sessions, controller = window.sessions, window.controller
    assert sessions.autosave_timer.isActive()
    sessions.autosave_timer.timeout.emit()
    assert sessions.saving is not None and len(executor.jobs) == 1 and not saved.exists()
    assert "Saving" not in window.statusBar().currentMessage()
    assert controller.read_only_reason == ""
    assert controller.add_span(13, 19, "actor") is not None  # not held
    assert executor.run_all() == 1
    assert spans_in(saved) == [(0, 9, "actor")]  # the state when the autosave started
    assert sessions.saving is None and sessions.unsaved  # the change made meanwhile is not on disk
    assert window.isWindowModified()
    assert sessions.autosave_timer.isActive()  # ... and the next autosave saves it
    sessions.autosave_timer.timeout.emit()
    assert executor.run_all() == 1
    assert spans_in(saved) == [(0, 9, "actor"), (13, 19, "actor")]
    assert not sessions.unsaved and not window.isWindowModified()
    assert controller.undo_stack.isClean()


def test_the_journal_keeps_a_change_made_while_the_autosave_wrote(opened):
    window, executor, _saved = opened
    sessions = window.sessions
    sessions.autosave_timer.timeout.emit()
    window.controller.add_span(13, 19, "actor")
    executor.run_all()
    journal = sessions.session.journal.path
    lines = journal.read_bytes().split(b"\n")
    base = [span["start"] for span in json.loads(lines[0])["base"]["spans"]]
    changes = [json.loads(line)["change"] for line in lines[1:] if line.strip()]
    added = [span["start"] for change in changes for span in change.get("added", [])]
    assert sorted(base + added) == [0, 13]  # replayed, both spans: the second is on disk only in the journal
    assert not list(journal.parent.glob(f"*{BASE_SUFFIX}"))  # no base written ahead left behind


def test_the_next_base_is_written_by_the_worker_and_adopted(opened):
    window, executor, saved = opened
    sessions = window.sessions
    sessions.autosave_timer.timeout.emit()
    folder = sessions.session.journal.path.parent
    ((future, run, _args),) = executor.jobs
    run()  # the worker's part alone: the file and the journal's next base
    assert saved.exists() and len(list(folder.glob(f"*{BASE_SUFFIX}"))) == 1
    future.set_result(None)  # ... then the GUI thread's: the base adopted as the journal's header
    assert not list(folder.glob(f"*{BASE_SUFFIX}"))
    assert journal_base(window) == json.loads(saved.read_bytes())
    assert not sessions.unsaved


def test_undo_and_redo_after_such_a_save_never_call_the_document_saved(opened):
    window, executor, saved = opened
    sessions, controller = window.sessions, window.controller
    sessions.autosave_timer.timeout.emit()
    controller.add_span(13, 19, "actor")
    executor.run_all()
    controller.undo_stack.undo()
    controller.undo_stack.redo()  # the state with the change that is not on disk
    assert sessions.unsaved and window.isWindowModified()
    assert spans_in(saved) == [(0, 9, "actor")]


def test_ctrl_s_during_an_autosave_waits_for_it_and_saves_at_once(opened):
    window, _executor, saved = opened
    sessions = window.sessions
    sessions.save_executor = ThreadPoolExecutor(max_workers=1)
    sessions.autosave_timer.timeout.emit()
    window.controller.add_span(13, 19, "actor")
    assert sessions.save() is True
    assert sessions.saving is None and not sessions.unsaved
    assert spans_in(saved) == [(0, 9, "actor"), (13, 19, "actor")]
    assert window.statusBar().currentMessage().startswith("Saved 2 spans")
    sessions.save_executor.shutdown()


def test_an_autosave_that_fails_says_so_and_keeps_the_work(opened, monkeypatch):
    window, executor, saved = opened
    sessions = window.sessions
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(sessions.notices, "show_message", lambda title, text: shown.append((title, text)))
    saved.mkdir()  # a folder where the file goes: the write fails
    sessions.autosave_timer.timeout.emit()
    executor.run_all()
    assert shown and shown[0][0] == "Could not save" and "Your work is not lost" in shown[0][1]
    assert sessions.unsaved and sessions.saving is None
    assert window.statusBar().currentMessage().startswith("Not saved:")


def test_leaving_the_document_waits_for_the_autosave(opened, tmp_path):
    window, _executor, saved = opened
    sessions = window.sessions
    sessions.save_executor = ThreadPoolExecutor(max_workers=1)
    sessions.autosave_timer.timeout.emit()
    other = tmp_path / "b.txt"
    other.write_text("Another text.\n", encoding="utf-8")
    assert window.open_path(other)  # leaving a.txt waits for its save
    assert spans_in(saved) == [(0, 9, "actor")]
    assert sessions.saving is None and not sessions.autosave_timer.isActive()
    assert sessions.session is not None and sessions.session.save_path.name == "b.annotations.json"
    sessions.save_executor.shutdown()


@pytest.fixture
def runs_when_waited(opened, monkeypatch):
    """The manual executor's jobs run when the window waits for them (as a worker that ends meanwhile)."""
    from annotator.ui.main import sessions as sessions_module

    _window, executor, _saved = opened
    real_wait = sessions_module.wait_for

    def wait_for(futures):
        executor.run_all()
        return real_wait(futures)

    monkeypatch.setattr(sessions_module, "wait_for", wait_for)
    return opened


def test_undo_back_to_the_saved_state_during_an_autosave_stays_unsaved(runs_when_waited, questions):
    window, executor, saved = runs_when_waited
    sessions, controller = window.sessions, window.controller
    sessions.autosave_timer.timeout.emit()  # the autosave takes the span...
    controller.undo_stack.undo()  # ... which is undone before it is written: back to the state on disk before it
    assert controller.annotations is not None and len(controller.annotations) == 0
    assert sessions.saving is not None  # (the window did not wait for it)
    assert sessions.unsaved and window.isWindowModified() and not controller.undo_stack.isClean()
    executor.run_all()
    assert spans_in(saved) == [(0, 9, "actor")]  # written: it holds the span the undo took back
    assert sessions.unsaved and window.isWindowModified() and not controller.undo_stack.isClean()
    assert sessions.autosave_timer.isActive()  # the next autosave saves the undo
    controller.undo_stack.redo()
    controller.undo_stack.undo()  # no step is the state on disk: never "saved" by undo and redo
    assert sessions.unsaved
    assert sessions.maybe_discard()  # leaving saves it (autosave on), asking nothing
    assert spans_in(saved) == [] and questions.questions("unsaved") == []


@pytest.mark.parametrize("case", ["small", "big", "big, its base ahead not written"])
def test_a_crash_after_changes_made_during_the_autosave_restores_them(case, request, monkeypatch):
    """The span added, the autosave writes it, meanwhile the span is removed and another added; killed before the
    next autosave: restoring gives the other span alone (a journal left on its old base would merge the file's span
    back in). A big file whose base could not be written ahead by the worker (say, the journal's folder full) has
    its journal started on the same pieces made again."""
    from annotator.io.errors import FileFault
    from annotator.project import session as session_module

    window, executor, saved = request.getfixturevalue("opened" if case == "small" else "big")
    sessions, controller = window.sessions, window.controller
    if case == "big, its base ahead not written":

        def no_base(*_args, **_kwargs):
            raise FileFault(saved, "could not write the recovery journal's base (No space left on device)")

        monkeypatch.setattr(session_module.JournalBase, "write", no_base)
    sessions.autosave_timer.timeout.emit()
    assert sessions.saving is not None and sessions.saving.in_pieces is (case != "small")
    controller.remove_spans([next(iter(controller.annotations)).id])
    controller.add_span(13, 19, "warning")
    executor.run_all()
    assert spans_in(saved) == [(0, 9, "actor")] and sessions.unsaved
    assert restored_after_a_kill(sessions, saved) == [(13, 19, "warning")]  # killed here


def test_a_conflict_or_a_failure_found_by_the_autosave_is_not_tried_again_without_a_change(opened, questions):
    window, executor, saved = opened
    sessions = window.sessions
    saved.write_text('{"junk": true}', encoding="utf-8")  # someone else writes the file
    sessions.autosave_timer.timeout.emit()
    executor.run_all()
    assert len(questions.questions("conflict")) == 1  # answered "later"
    assert not sessions.autosave_timer.isActive()  # not asked again every 1.5 s


def test_a_failed_autosave_is_tried_again_with_the_next_change_not_before(opened, monkeypatch):
    window, executor, saved = opened
    sessions = window.sessions
    monkeypatch.setattr(sessions.notices, "show_message", lambda title, text: None)
    saved.mkdir()  # the write fails
    sessions.autosave_timer.timeout.emit()
    executor.run_all()
    assert not sessions.autosave_timer.isActive()
    window.controller.add_span(13, 19, "actor")
    assert sessions.autosave_timer.isActive()


@pytest.fixture
def big(opened, monkeypatch):
    """``opened``, with saves made in pieces from 0 bytes on (a small file stands in for a big one)."""
    from annotator.ui.main import sessions as sessions_module

    monkeypatch.setattr(sessions_module, "PIECES_FROM", 0)
    return opened


def test_a_big_documents_autosave_says_so_and_holds_no_edit(big):
    window, executor, saved = big
    sessions, controller = window.sessions, window.controller
    sessions.autosave_timer.timeout.emit()
    assert sessions.saving is not None and sessions.saving.in_pieces
    assert window.statusBar().currentMessage() == "Saving a.annotations.json…"
    assert controller.read_only_reason == ""
    assert controller.add_span(13, 19, "warning") is not None  # not held
    executor.run_all()
    assert spans_in(saved) == [(0, 9, "actor")] and sessions.unsaved
    assert window.statusBar().currentMessage() == "" and sessions.autosave_timer.isActive()
    assert restored_after_a_kill(sessions, saved) == [(0, 9, "actor"), (13, 19, "warning")]  # killed here


def test_ctrl_s_during_a_big_documents_autosave_saves_again_when_it_ends(big):
    window, executor, saved = big
    sessions, controller = window.sessions, window.controller
    sessions.autosave_timer.timeout.emit()
    autosave = sessions.saving
    controller.add_span(13, 19, "warning")
    assert sessions.save() is True and sessions.saving is autosave  # the window does not wait for it
    executor.run_all()
    assert sessions.saving is not None and sessions.saving is not autosave  # Ctrl+S's own, for the change since
    assert controller.add_span(24, 30, "claim") is None  # (Ctrl+S on a big document holds edits, as before)
    executor.run_all()
    assert spans_in(saved) == [(0, 9, "actor"), (13, 19, "warning")] and not sessions.unsaved
    assert window.statusBar().currentMessage().startswith("Saved 2 spans")


def test_ctrl_s_during_a_big_documents_autosave_that_holds_everything_says_saved(big):
    window, executor, saved = big
    sessions = window.sessions
    sessions.autosave_timer.timeout.emit()
    assert sessions.save() is True
    executor.run_all()
    assert sessions.saving is None and not sessions.unsaved and spans_in(saved) == [(0, 9, "actor")]
    assert window.statusBar().currentMessage().startswith("Saved 1 span")


def test_marking_done_during_a_big_autosave_saves_after_it_without_waiting(big, monkeypatch):
    from annotator.model.status import DocumentStatus
    from annotator.ui.main import sessions as sessions_module

    window, executor, saved = big
    sessions = window.sessions
    sessions.settings.autosave = False  # (a deliberate mark is saved either way)

    def never_wait(_futures):
        raise AssertionError("the window waited for the big autosave")

    monkeypatch.setattr(sessions_module, "wait_for", never_wait)
    sessions.autosave_timer.timeout.emit()  # the big autosave (seconds at 1M spans): the mark goes through
    assert window.controller.set_status(DocumentStatus.DONE)
    sessions.autosave()  # what marking done does next ("on disk now")
    assert len(executor.jobs) == 1  # the window did not wait for it
    executor.run_all()  # it ends: the mark is saved next, in the background, quietly
    assert sessions.saving is not None and not sessions.saving.session.read_only
    assert window.controller.read_only_reason == ""  # (an autosave's: no edit held)
    executor.run_all()
    assert annotation_file.load(saved).status is DocumentStatus.DONE and not sessions.unsaved
