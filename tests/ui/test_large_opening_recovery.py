"""A huge file's crash journal is read by the open's worker, with the bar and Cancel, never on the GUI thread (1M
spans: the window was frozen 61 s); the question is then asked as for any document. Steps are driven by hand (an
injected executor and scheduler): no test depends on speed."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.io import annotation_file
from annotator.model.commands import AddSpan
from annotator.project.journal import CHECKING_STAGE, READING_STAGE, find_recoverable
from annotator.project.session import DocumentSession
from tests.ui.test_large_opening import big_annotation_file, manual, stepped  # noqa: F401 (fixtures)


def killed_with_one_unsaved(path: Path) -> None:
    """A session of ``path`` that labeled one more span and was killed (its journal stays)."""
    session = DocumentSession(annotation_file.load(path), path, annotator="tester")
    session.start()
    command = AddSpan(session.annotations.new_span(20, 26, "warning"))
    session.record(command.redo(session.annotations), command.text)
    session.close(keep_journal=True)


@pytest.fixture
def not_on_the_gui_thread(monkeypatch):
    """Reading a journal on the GUI thread (where the install runs) fails the test."""
    from annotator.ui.main import opening

    def read_here(*_args, **_kwargs):
        raise AssertionError("the journal was read on the GUI thread")

    monkeypatch.setattr(opening, "recoverable_for", read_here)


@pytest.mark.parametrize("answer", ["restore", "later"])
def test_a_huge_files_journal_is_read_by_the_worker_and_then_offered(
    window,
    questions,
    stepped,  # noqa: F811
    tmp_path,
    not_on_the_gui_thread,
    answer,
    monkeypatch,
):
    from annotator.ui.document import document_view, span_table

    def never_here(*_args, **_kwargs):
        raise AssertionError("built on the GUI thread")

    opening, executor, schedule = stepped
    path = big_annotation_file(tmp_path)
    killed_with_one_unsaved(path)
    questions.script(recovery=answer)
    seen: list[str] = []
    opening.stage.connect(lambda _generation, stage, _permille: seen.append(stage))
    assert window.open_path(path)
    executor.run_all()
    assert CHECKING_STAGE in seen  # told on the bar
    assert READING_STAGE not in seen  # the journal's base is the file just loaded: copied, not parsed again
    assert not questions.questions("recovery")  # asked once the document is shown, on the GUI thread
    monkeypatch.setattr(document_view, "BlockSpanIndex", never_here)  # the view's index and the span list's rows,
    monkeypatch.setattr(span_table, "sorted_rows", never_here)  # of either set, were made by the worker
    schedule.run()
    [(asked,)] = questions.questions("recovery")
    assert asked.annotation_path == path and asked.diff.summary() == "1 span added" and not asked.disk_changed
    annotations = window.controller.annotations
    if answer == "restore":
        assert len(annotations) == 3001 and annotations.find(20, 26, "warning") is not None
        assert len(annotation_file.load(path)) == 3001  # and saved
        assert find_recoverable() == []
    else:
        assert len(annotations) == 3000
        assert [r.journal_path for r in find_recoverable()] == [asked.journal_path]  # kept for later


def test_a_journal_whose_base_is_not_the_file_is_parsed_by_the_worker(
    window,
    questions,
    stepped,  # noqa: F811
    tmp_path,
    not_on_the_gui_thread,
):
    opening, executor, schedule = stepped
    path = big_annotation_file(tmp_path)
    killed_with_one_unsaved(path)
    saved = annotation_file.load(path)
    saved.delete(saved.sorted_spans()[-1].id)
    annotation_file.save(saved, path)  # saved since by someone else: the journal's base is another state
    seen: list[str] = []
    opening.stage.connect(lambda _generation, stage, _permille: seen.append(stage))
    assert window.open_path(path)
    executor.run_all()
    assert READING_STAGE in seen and CHECKING_STAGE in seen
    schedule.run()
    [(asked,)] = questions.questions("recovery")
    assert asked.disk_changed and len(window.controller.annotations) == 2999


@pytest.mark.parametrize("stage", [CHECKING_STAGE])
def test_cancel_while_the_journal_is_read_keeps_it_and_opens_nothing(
    window,
    questions,
    stepped,  # noqa: F811
    tmp_path,
    stage,
):
    opening, executor, schedule = stepped
    path = big_annotation_file(tmp_path)
    killed_with_one_unsaved(path)

    def cancel_at(_generation, name, _permille):
        if name == stage:
            opening.progress.cancel_button.click()

    opening.stage.connect(cancel_at)
    assert window.open_path(path)
    executor.run_all()
    schedule.run()
    assert window.statusBar().currentMessage() == "Opening big.annotations.json cancelled: nothing is open."
    assert window.sessions.session is None and not questions.questions("recovery")
    assert len(find_recoverable()) == 1  # the journal is untouched


def test_a_huge_file_without_a_journal_reads_none(window, stepped, tmp_path, monkeypatch):  # noqa: F811
    from annotator.ui.main import large_opening

    _opening, executor, schedule = stepped

    def never(*_args, **_kwargs):
        raise AssertionError("looked for a journal's work with no journal there")

    monkeypatch.setattr(large_opening, "recoverable_for", never)
    monkeypatch.setattr(large_opening, "one_line_digest_of", never)
    assert window.open_path(big_annotation_file(tmp_path))
    executor.run_all()
    schedule.run()
    assert len(window.controller.annotations) == 3000


def test_a_huge_journal_is_named_at_start_and_offered_when_its_file_opens(
    window,
    questions,
    stepped,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    from annotator.ui.main import opening as opening_module

    _opening, executor, schedule = stepped
    path = big_annotation_file(tmp_path)
    killed_with_one_unsaved(path)
    monkeypatch.setattr(opening_module, "HUGE_JOURNAL_BYTES", 1024)
    assert window.opener.offer_recovery() is None
    assert not questions.questions("recovery")  # not read at start: no wait before the window is usable
    assert "big.annotations.json: open it to restore it" in window.notices.pending
    window.notices.take_pending()
    assert window.opener.offer_recovery() is None and not window.notices.pending  # said once a run
    window.opener._huge_told.clear()  # (as at the next start) said again, and pending as its file opens
    window.opener.offer_recovery()
    assert "open it to restore it" in window.notices.pending
    assert window.open_path(path)
    executor.run_all()
    schedule.run()
    [(asked,)] = questions.questions("recovery")
    assert asked.annotation_path == path and asked.diff.summary() == "1 span added"
    # decided later: what offers it again is opening the file (not the start, nor Recover Unsaved Work)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("The unsaved work of an earlier session is kept: opening this file again offers it.")
    )


def restored_as_big(window, questions, stepped, tmp_path, monkeypatch):  # noqa: F811
    """Open a file with a crash journal and answer Restore, the document counting as big (saved in the background,
    by a save worker run by hand): ``(path, the recoverable asked about, the save worker)``."""
    from annotator.ui.main import opening as opening_module
    from annotator.ui.main import sessions as sessions_module
    from tests.ui.test_suggesting_attribution import ManualExecutor

    _opening, executor, schedule = stepped
    monkeypatch.setattr(opening_module, "PIECES_FROM", 0)
    monkeypatch.setattr(sessions_module, "PIECES_FROM", 0)
    window.sessions.save_executor = saver = ManualExecutor()
    path = big_annotation_file(tmp_path)
    killed_with_one_unsaved(path)
    questions.script(recovery="restore")
    assert window.open_path(path)
    executor.run_all()
    schedule.run()
    [(asked,)] = questions.questions("recovery")
    return path, asked, saver


def test_restored_work_of_a_big_document_is_saved_in_the_background_and_its_journal_deleted_once_written(
    window,
    questions,
    stepped,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    path, asked, saver = restored_as_big(window, questions, stepped, tmp_path, monkeypatch)
    assert len(window.controller.annotations) == 3001 and window.sessions.saving is not None
    assert len(annotation_file.load(path)) == 3000  # not written yet: the window was not held for it
    assert asked.journal_path.exists()  # nor the journal deleted before the save worked
    saver.run_all()
    window.sessions.wait_for_save()
    assert len(annotation_file.load(path)) == 3001 and not asked.journal_path.exists()
    assert not window.sessions.session.dirty and find_recoverable() == []


def test_a_huge_journal_decided_later_is_offered_again_when_its_file_is_opened_again(
    window,
    questions,
    stepped,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    from annotator.ui.main import opening as opening_module

    _opening, executor, schedule = stepped
    monkeypatch.setattr(opening_module, "HUGE_JOURNAL_BYTES", 1024)
    path = big_annotation_file(tmp_path)
    killed_with_one_unsaved(path)
    for _ in range(2):  # as the message says ("opening this file again offers it"): not put off for the run
        window.sessions.close()
        assert window.open_path(path)
        executor.run_all()
        schedule.run()
    assert len(questions.questions("recovery")) == 2


def test_a_fault_reading_the_journal_in_the_worker_leaves_it_to_the_install(
    window,
    questions,
    stepped,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    from annotator.ui.main import large_opening

    _opening, executor, schedule = stepped
    path = big_annotation_file(tmp_path)
    killed_with_one_unsaved(path)

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug in the journal's reading")

    monkeypatch.setattr(large_opening, "recoverable_for", broken)
    assert window.open_path(path)
    executor.run_all()
    schedule.run()
    assert len(window.controller.annotations) == 3000  # the file opened
    [(asked,)] = questions.questions("recovery")  # and its journal was read as for any file
    assert asked.annotation_path == path


def test_closing_before_restored_work_is_saved_keeps_its_journal_and_forgets_it(
    window,
    questions,
    stepped,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    from annotator.io.errors import FileFault
    from annotator.project import session as session_module

    _path, asked, saver = restored_as_big(window, questions, stepped, tmp_path, monkeypatch)
    assert window.sessions.pending_restore is asked

    def fail(path):
        raise FileFault(path, "could not be written (No space left on device)")

    monkeypatch.setattr(session_module, "atomic_writer", fail)
    saver.run_all()  # the restored work's save fails: its journal is kept
    assert window.sessions.saving is None and window.sessions.unsaved and asked.journal_path.exists()
    window.sessions.close()  # the user leaves it (discarding the restored state)
    assert window.sessions.pending_restore is None  # a later save of another session cannot delete it
    assert asked.journal_path.exists()


def test_the_start_s_notice_of_a_huge_journal_is_not_said_once_its_work_is_restored(
    window,
    questions,
    stepped,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    from annotator.ui.main import opening as opening_module

    _opening, executor, schedule = stepped
    monkeypatch.setattr(opening_module, "HUGE_JOURNAL_BYTES", 1024)
    path = big_annotation_file(tmp_path)
    killed_with_one_unsaved(path)
    window.opener.offer_recovery()
    assert "open it to restore it" in window.notices.pending
    questions.script(recovery="restore")
    assert window.open_path(path)
    executor.run_all()
    schedule.run()
    message = window.statusBar().currentMessage()
    assert message.startswith("Restored 1 unsaved change") and "open it to restore it" not in message
