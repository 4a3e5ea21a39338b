"""Suggestions in the app (issue 18): computed live off the edit path, drawn as dashed outlines, listed, reviewed from
the keyboard and the mouse, accepted and rejected as undo steps, switched off per annotator; active time counted."""

from __future__ import annotations

import json
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QToolTip

from annotator.io import annotation_file
from annotator.io.settings import Settings
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.project.layout import Project
from annotator.ui.colors import label_color
from annotator.ui.main.activity import ActivityClock
from annotator.ui.main_window import MainWindow
from tests.ui.test_suggesting_attribution import ManualExecutor

TEXT = (
    "Jake Sullivan met Yang Jiechi in Rome.\n"
    "Later Sullivan said the talks were frank.\n"
    "Officials say Sullivan will return. Sullivans are many.\n"
    "Sullivan agreed; so did Sullivan.\n"
)
MENTIONS = [i for i in range(len(TEXT)) if TEXT.startswith("Sullivan", i) and TEXT[i + 8] != "s"]


@pytest.fixture
def doc(window: MainWindow, tmp_path: Path, qtbot) -> MainWindow:
    """The window with TEXT open and the suggester's timer at 0 ms."""
    window.suggesting.timer.setInterval(0)
    path = tmp_path / "talks.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert window.open_path(path)
    return window


def pending(window: MainWindow) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in window.controller.annotations.suggestions()]


def label_sullivan(window: MainWindow, qtbot, at: int = 0) -> None:
    start = MENTIONS[at]
    assert window.controller.add_span(start, start + 8, "actor") is not None
    qtbot.waitUntil(lambda: len(pending(window)) == len(MENTIONS) - 1)


def ran(window: MainWindow, qtbot) -> None:
    """Run the suggesters now and wait until their results are in (they run in a worker thread)."""
    window.suggesting.run()
    qtbot.waitUntil(lambda: not window.suggesting.busy and not window.suggesting.timer.isActive())


def test_labeling_a_name_once_suggests_its_other_whole_word_mentions_without_an_undo_step(doc, qtbot):
    runs = doc.suggesting.runs
    label_sullivan(doc, qtbot)
    assert pending(doc) == [(m, m + 8, "actor") for m in MENTIONS[1:]]  # never inside "Sullivans"
    assert doc.suggesting.runs > runs  # the suggester ran after the edit, from the timer
    assert doc.controller.undo_stack.count() == 1  # the edit only: suggestions are no undo step
    assert all(s.suggester == "string-match" and 0 < s.score <= 1 for s in doc.controller.annotations.suggestions())
    assert [s.start for s in doc.view.shown_suggestions] == MENTIONS[1:]
    doc.editing.undo()
    qtbot.waitUntil(lambda: pending(doc) == [])


def test_suggestions_computed_on_open_are_not_unsaved_work(window, tmp_path, qtbot):
    window.suggesting.timer.setInterval(0)
    path = tmp_path / "talks.txt"
    path.write_text(TEXT, encoding="utf-8")
    annotations = AnnotationSet(Document.from_text(TEXT), window.label_sets.label_set, "tester")
    annotations.insert(annotations.new_span(MENTIONS[0], MENTIONS[0] + 8, "actor"))
    annotation_file.save(annotations, tmp_path / "talks.annotations.json")
    assert window.open_path(path)
    qtbot.waitUntil(lambda: len(pending(window)) == len(MENTIONS) - 1)
    assert not window.sessions.unsaved  # derived from the file as opened: closing asks nothing
    assert not window.isWindowModified()


def test_outlines_are_dashed_in_the_label_color_without_fill_or_room(doc, qtbot):
    view = doc.view
    room_before = view.room_under_line(view.document().findBlockByNumber(1))
    label_sullivan(doc, qtbot)
    suggestion = doc.controller.annotations.suggestions()[0]  # "Sullivan" on line 2
    block = view.document().findBlockByNumber(1)
    assert view.room_under_line(block) == room_before  # no underline lane: no room asked
    assert view._highlighter.block_formats(1) == []  # no fill: the line has no span
    line = view.range_rects(suggestion.start, suggestion.end)
    outline = view.suggestion_rects(suggestion)
    assert len(line) == len(outline) == 1
    assert line[0].contains(outline[0]) and outline[0].width() < line[0].width()  # inside its own box
    image = view.viewport().grab().toImage()
    color = label_color(doc.controller.annotations.label_set.get("actor").color, palette=view.palette())
    bottom = int(outline[0].bottom())
    columns = range(int(outline[0].left()) + 3, int(outline[0].right()) - 2)
    rows = {y: [QColor(image.pixel(x, y)) == color for x in columns] for y in range(bottom - 1, bottom + 2)}
    edge = [inked for inked in rows.values() if any(inked)]
    assert edge and not all(edge[0])  # the label's color along the bottom edge, dashed (gaps between the dashes)


def test_the_tooltip_over_a_suggestion_gives_its_label_score_and_reason(doc, qtbot):
    label_sullivan(doc, qtbot)
    view = doc.view
    suggestion = doc.controller.annotations.suggestions()[0]
    point = view.range_rects(suggestion.start, suggestion.end)[0].center().toPoint()
    view.event(QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point)))
    tip = QToolTip.text()
    assert "suggested actor" in tip and f"{suggestion.score:.2f}" in tip
    assert "labeled actor 1 of 1 time" in tip


def test_next_previous_accept_reject_and_label_keys_from_the_keyboard(doc, qtbot):
    label_sullivan(doc, qtbot)
    view, controller = doc.view, doc.controller
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    first = controller.annotations.suggestions()[0]
    assert view.selected_suggestion_id == first.id and view.caret() == first.start
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert view.selected_suggestion_id == controller.annotations.suggestions()[-1].id  # wraps around
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert view.selected_suggestion_id == first.id
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # a span selected: the suggestion is not
    assert view.selected_span_id is not None and view.selected_suggestion_id is None
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected_span_id is None and view.selected_suggestion_id is None
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert view.selected_suggestion_id == first.id

    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)  # accept
    span = controller.annotations.find(first.start, first.end, "actor")
    assert span is not None and span.origin == "suggestion" and span.suggester == "string-match"
    assert span.score == first.score
    assert first.id not in controller.annotations.suggestions_by_id
    second = controller.annotations.suggestions()[0]
    assert view.selected_suggestion_id == second.id  # the next one is selected: review goes on

    qtbot.keyClick(view, Qt.Key.Key_Backspace, Qt.KeyboardModifier.AltModifier)  # reject
    assert (second.start, second.end, "actor") in controller.annotations.rejected_keys()
    doc.suggesting.run()
    assert (second.start, second.end, "actor") not in pending(doc)  # rejected stays rejected

    third = controller.annotations.suggestions()[0]
    assert view.selected_suggestion_id == third.id
    qtbot.keyClick(view, Qt.Key.Key_2)  # a label key accepts it with that label
    claim = controller.annotations.find(third.start, third.end, "claim")
    assert claim is not None and claim.origin == "suggestion-edited"

    for _ in range(2):
        doc.editing.undo()
    assert controller.annotations.find(first.start, first.end, "actor") is not None
    assert controller.annotations.find(third.start, third.end, "claim") is None
    assert second.id in controller.annotations.suggestions_by_id  # undoing the rejection brings it back
    assert not controller.annotations.rejected_keys()
    doc.editing.undo()
    assert controller.annotations.find(first.start, first.end, "actor") is None
    assert first.id in controller.annotations.suggestions_by_id


def test_a_label_key_with_text_selected_still_labels_the_text(doc, qtbot):
    label_sullivan(doc, qtbot)
    doc.suggesting.next_suggestion()
    assert doc.view.selected_suggestion_id is not None
    start = TEXT.index("Yang Jiechi")
    doc.view.select_range(start, start + len("Yang Jiechi"))
    doc.suggesting.apply_label("actor")
    assert doc.controller.annotations.find(start, start + 11, "actor") is not None
    assert len(pending(doc)) >= 2  # no suggestion was accepted


def test_accept_all_of_a_label_above_a_score_is_one_undo_step(doc, qtbot, questions):
    label_sullivan(doc, qtbot)
    questions.script(choose="actor", text="0.3")
    steps = doc.controller.undo_stack.count()
    doc.actions_by_id["suggest.accept_all"].trigger()
    assert questions.questions("choose")[0][2] == ["actor"]
    assert all(doc.controller.annotations.find(m, m + 8, "actor") for m in MENTIONS)
    assert doc.controller.undo_stack.count() == steps + 1
    doc.editing.undo()
    assert len(pending(doc)) == len(MENTIONS) - 1
    questions.script(text="0.9")  # scores at most 0.5 (seen once): none qualifies
    doc.actions_by_id["suggest.accept_all"].trigger()
    assert doc.controller.undo_stack.count() == steps + 1 - 0  # the undone step is still there to redo
    assert "No shown actor suggestion" in doc.statusBar().currentMessage()


def test_remove_every_span_accepted_from_the_suggester_in_one_step(doc, qtbot, tmp_path, make_window):
    label_sullivan(doc, qtbot)
    doc.suggesting.next_suggestion()
    doc.suggesting.accept_suggestion()
    doc.suggesting.accept_suggestion()
    assert len(doc.controller.annotations) == 3
    doc.actions_by_id["file.save"].trigger()
    doc.close()  # lets go of the file's lock
    other = make_window("tester")  # another session: the origin is read from the file
    assert other.open_path(tmp_path / "talks.txt")
    assert sorted(s.origin for s in other.controller.annotations) == ["manual", "suggestion", "suggestion"]
    other.actions_by_id["suggest.remove_accepted"].trigger()
    assert [s.origin for s in other.controller.annotations] == ["manual"]
    assert other.controller.undo_stack.count() == 1


def test_clicking_a_suggestion_selects_it_and_its_menu_accepts_or_rejects(doc, qtbot):
    label_sullivan(doc, qtbot)
    view = doc.view
    suggestion = doc.controller.annotations.suggestions()[0]
    point = view.range_rects(suggestion.start, suggestion.end)[0].center().toPoint()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.selected_suggestion_id == suggestion.id
    menu = doc.suggesting.suggestion_menu(suggestion.id)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[:2] == ["Accept as actor", "Reject"] and "Accept as claim" in texts
    menu.actions()[1].trigger()  # reject
    assert (suggestion.start, suggestion.end, "actor") in doc.controller.annotations.rejected_keys()
    following = doc.controller.annotations.suggestions()[0]
    menu = doc.suggesting.suggestion_menu(following.id)
    next(a for a in menu.actions() if a.text() == "Accept as warning").trigger()
    span = doc.controller.annotations.find(following.start, following.end, "warning")
    assert span is not None and span.origin == "suggestion-edited"


def test_the_suggestion_list_shows_score_and_reason_and_selects(doc, qtbot):
    label_sullivan(doc, qtbot)
    panel = doc.suggestion_list
    model = panel.model
    assert model.rowCount() == len(MENTIONS) - 1
    assert panel.count_label.text() == f"{len(MENTIONS) - 1} pending suggestions"
    row = [model.index(0, c).data() for c in range(4)]
    assert row[0] == "actor" and row[1] == "Sullivan" and float(row[2]) == 0.5
    assert row[3].startswith("labeled actor 1 of 1 time")
    panel.table.clicked.emit(model.index(1, 0))
    assert doc.view.selected_suggestion_id == model.suggestion_at(1).id


def test_the_view_toggle_hides_them_and_the_setting_turns_them_off_entirely(doc, qtbot):
    label_sullivan(doc, qtbot)
    doc.actions_by_id["view.suggestions"].trigger()  # hide
    assert doc.view.shown_suggestions == [] and doc.suggestion_list.model.rowCount() == 0
    doc.actions_by_id["view.suggestions"].trigger()
    assert len(doc.view.shown_suggestions) == len(MENTIONS) - 1

    doc.actions_by_id["suggest.enabled"].trigger()  # off, for this annotator
    assert doc.settings.suggestions is False
    saved = json.loads((Path(__import__("os").environ["ANNOTATOR_CONFIG_DIR"]) / "settings.json").read_text())
    assert saved["suggestions"] is False
    assert doc.view.shown_suggestions == []
    runs = doc.suggesting.runs
    start = TEXT.index("Yang Jiechi")
    doc.controller.add_span(start, start + 11, "actor")
    qtbot.wait(20)
    assert doc.suggesting.runs == runs  # nothing computed


def test_a_window_started_with_suggestions_off_computes_none(make_window, tmp_path, qtbot):
    window = make_window("tester", settings=Settings(annotator="tester", suggestions=False))
    window.suggesting.timer.setInterval(0)
    assert not window.actions_by_id["suggest.enabled"].isChecked()
    path = tmp_path / "talks.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert window.open_path(path)
    window.controller.add_span(MENTIONS[0], MENTIONS[0] + 8, "actor")
    qtbot.wait(20)
    assert window.suggesting.runs == 0 and pending(window) == []
    assert window.controller.annotations.suggestions_shown is False  # annotated unassisted


def test_the_file_records_that_suggestions_were_shown_and_the_active_time(doc, qtbot, tmp_path):
    now = [100.0]
    doc.activity.clock = ActivityClock(lambda: now[0], idle_seconds=60)
    doc.activity.note_input()
    now[0] += 5
    qtbot.keyClick(doc.view, Qt.Key.Key_Right)  # an input in the window: 5 s active
    now[0] += 600  # away for ten minutes: idle, left out
    doc.activity.note_input()
    now[0] += 2
    doc.activity.note_input()
    assert doc.controller.annotations.active_seconds == pytest.approx(7.0)
    label_sullivan(doc, qtbot)
    assert doc.controller.annotations.suggestions_shown is True
    doc.actions_by_id["file.save"].trigger()
    saved = annotation_file.load(tmp_path / "talks.annotations.json")
    assert saved.suggestions_shown is True and saved.active_seconds == pytest.approx(7.0)
    assert len(saved.suggestions()) == len(MENTIONS) - 1  # pending ones are saved too, never as spans
    assert len(saved) == 1


def test_in_a_project_the_annotators_own_files_of_other_documents_teach(window, tmp_path, qtbot, questions):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Jake Sullivan spoke.\n", encoding="utf-8")
    (root / "b.txt").write_text("Then Sullivan left. Jake waved.\n", encoding="utf-8")
    project = Project(root)
    label_set = window.label_sets.label_set
    for annotator, phrase in (("tester", "Sullivan"), ("other", "Jake")):
        annotations = AnnotationSet(Document.from_text("Jake Sullivan spoke.\n"), label_set, annotator)
        start = "Jake Sullivan spoke.\n".index(phrase)
        annotations.insert(annotations.new_span(start, start + len(phrase), "actor"))
        path = project.annotation_path("a.txt", annotator)
        path.parent.mkdir(parents=True, exist_ok=True)
        annotation_file.save(annotations, path)
    window.suggesting.timer.setInterval(0)
    assert window.open_path(root)
    assert window.projects.open_document_id("b.txt")
    qtbot.waitUntil(lambda: pending(window) == [(5, 13, "actor")])  # mine, not "other"'s "Jake"
    reason = window.controller.annotations.suggestions()[0].reason
    assert "this project" in reason
    questions.script(choose="every annotator's files (gold left out)")
    window.actions_by_id["suggest.learn_from"].trigger()
    assert questions.questions("choose")[-1][2][0] == "my own annotation files"  # the current choice first
    assert window.settings.suggestions_learn_from == "everyone"
    jake = "Then Sullivan left. Jake waved.\n".index("Jake")
    qtbot.waitUntil(lambda: pending(window) == [(5, 13, "actor"), (jake, jake + 4, "actor")])  # "other"'s too


def test_escape_deselects_a_suggestion_and_a_suggestion_list_row_follows_the_selection(doc, qtbot):
    label_sullivan(doc, qtbot)
    view = doc.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    selected = view.selected_suggestion_id
    rows = doc.suggestion_list.table.selectionModel().selectedRows()
    assert selected is not None and [doc.suggestion_list.model.suggestion_at(r.row()).id for r in rows] == [selected]
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected_suggestion_id is None
    doc.suggesting.accept_suggestion()  # nothing selected: nothing accepted, and it says why
    assert len(doc.controller.annotations) == 1
    assert "Select a suggestion first" in doc.statusBar().currentMessage()


def test_after_a_crash_the_journal_gives_back_the_spans_suggestions_and_rejections(doc, qtbot, tmp_path):
    from annotator.project.journal import find_recoverable

    annotations = doc.controller.annotations
    label_sullivan(doc, qtbot)
    doc.suggesting.next_suggestion()
    doc.suggesting.reject_suggestion()
    start = TEXT.index("Yang Jiechi")
    doc.controller.add_span(start, start + 11, "actor")  # learned: no other mention, the suggestions stay
    doc.suggesting.run()
    session = doc.sessions.session
    doc.sessions.autosave_timer.stop()
    session.journal.release()  # killed: the journal stays, unsaved
    session._lock.release()
    doc.sessions.session = None
    [recoverable] = [r for r in find_recoverable() if r.annotation_path == tmp_path / "talks.annotations.json"]
    restored = recoverable.annotations
    assert [s.sort_key for s in restored.sorted_spans()] == [s.sort_key for s in annotations.sorted_spans()]
    assert restored.suggestions() == annotations.suggestions()
    assert restored.rejected() == annotations.rejected()


def test_suggestions_made_on_open_are_the_journals_base_so_a_crash_restores_them(window, tmp_path, qtbot):
    from annotator.project.journal import find_recoverable

    window.suggesting.timer.setInterval(0)
    path = tmp_path / "talks.txt"
    path.write_text(TEXT, encoding="utf-8")
    annotations = AnnotationSet(Document.from_text(TEXT), window.label_sets.label_set, "tester")
    annotations.insert(annotations.new_span(MENTIONS[0], MENTIONS[0] + 8, "actor"))
    annotation_file.save(annotations, tmp_path / "talks.annotations.json")
    assert window.open_path(path)
    qtbot.waitUntil(lambda: len(pending(window)) == len(MENTIONS) - 1)
    window.suggesting.next_suggestion()
    window.suggesting.accept_suggestion()  # the first unsaved change: it removes a suggestion made on open
    session = window.sessions.session
    window.sessions.autosave_timer.stop()
    session.journal.release()
    session._lock.release()
    window.sessions.session = None
    [recoverable] = [r for r in find_recoverable() if r.annotation_path == tmp_path / "talks.annotations.json"]
    assert not recoverable.faults
    assert recoverable.annotations.suggestions() == window.controller.annotations.suggestions()
    assert len(recoverable.annotations) == 2


def test_undoing_an_answer_after_the_suggester_ran_again_never_clashes_with_new_suggestion_ids(doc, qtbot):
    label_sullivan(doc, qtbot)
    controller = doc.controller
    doc.suggesting.next_suggestion()
    first = doc.suggesting.selected()
    doc.suggesting.apply_label("claim")  # "Sullivan" now also labeled claim: new suggestions with new ids
    ran(doc, qtbot)
    assert any(s.label == "claim" for s in controller.annotations.suggestions())
    assert first.id not in controller.annotations.suggestions_by_id  # its id is not given to a new one
    doc.editing.undo()
    assert controller.annotations.suggestion(first.id) == first
    ran(doc, qtbot)
    doc.editing.redo()
    assert controller.annotations.find(first.start, first.end, "claim") is not None


def test_a_run_with_more_suggestions_than_the_limit_keeps_the_first_in_the_text_and_says_how_many(doc, qtbot):
    # issue 22: a repetitive document gave the string matcher 162k suggestions, and making, drawing and listing them
    # froze the window for seconds; the next ones come in as the analyst accepts or rejects the first
    doc.suggesting.pending_limit = 2
    assert doc.controller.add_span(MENTIONS[0], MENTIONS[0] + 8, "actor") is not None
    qtbot.waitUntil(lambda: len(pending(doc)) == 2)
    assert pending(doc) == [(m, m + 8, "actor") for m in MENTIONS[1:3]]
    message = doc.statusBar().currentMessage()
    assert f"found {len(MENTIONS) - 1} suggestions: the first 2 in the text are shown" in message
    doc.suggesting.next_suggestion()
    doc.suggesting.reject_suggestion()  # answered: the suggesters run again, and the next mention comes in
    qtbot.waitUntil(lambda: pending(doc) == [(m, m + 8, "actor") for m in MENTIONS[2:4]])


class RecordingExecutor(ThreadPoolExecutor):
    """A one-worker thread pool that records the thread each submitted run ran on."""

    def __init__(self) -> None:
        super().__init__(max_workers=1, thread_name_prefix="recorded")
        self.threads: list[threading.Thread] = []

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        def recorded(*args, **kwargs):
            self.threads.append(threading.current_thread())
            return fn(*args, **kwargs)

        return super().submit(recorded, *args, **kwargs)


def test_the_string_matcher_runs_off_the_gui_thread(doc, qtbot):
    # issue 22: on a repetitive 1 MB text its run took 4 s on the GUI thread, freezing the window after each edit
    qtbot.waitUntil(lambda: not doc.suggesting.busy)  # the run on open is back
    executor = doc.suggesting.executor = RecordingExecutor()
    try:
        label_sullivan(doc, qtbot)
        assert executor.threads and all(thread is not threading.main_thread() for thread in executor.threads)
        assert {thread.name.split("_")[0] for thread in executor.threads} == {"recorded"}
    finally:
        executor.shutdown(wait=True)


def test_a_background_run_is_sifted_in_the_worker_and_the_window_gets_the_first_in_the_text(doc, qtbot, monkeypatch):
    # issue 22: on a 10 MB text with 100k spans the string matcher gave 2.7 million suggestions, and sifting them for
    # the 5,000 shown froze the window 8.4 s once the run was back
    from annotator.suggest.string_matcher import StringMatcher

    qtbot.waitUntil(lambda: not doc.suggesting.busy)
    doc.suggesting.pending_limit = 2
    made_on: list[threading.Thread] = []
    applied: list[int] = []
    real_first, real_apply = StringMatcher.suggest_first, doc.suggesting._apply

    def first(self, *args):
        made_on.append(threading.current_thread())
        return real_first(self, *args)

    def apply(name, kept, found):
        applied.append(len(kept))
        return real_apply(name, kept, found)

    monkeypatch.setattr(StringMatcher, "suggest_first", first)
    monkeypatch.setattr(doc.suggesting, "_apply", apply)
    executor = doc.suggesting.executor = RecordingExecutor()
    try:
        assert doc.controller.add_span(MENTIONS[0], MENTIONS[0] + 8, "actor") is not None
        qtbot.waitUntil(lambda: len(pending(doc)) == 2)
    finally:
        executor.shutdown(wait=True)
    assert made_on and all(thread is not threading.main_thread() for thread in made_on)
    assert applied and max(applied) <= 2  # the window never holds the whole run
    message = doc.statusBar().currentMessage()
    assert f"found {len(MENTIONS) - 1} suggestions: the first 2 in the text are shown" in message


def test_a_string_matcher_result_for_the_text_before_an_edit_is_dropped(doc, qtbot):
    qtbot.waitUntil(lambda: not doc.suggesting.busy)
    executor = doc.suggesting.executor = ManualExecutor()
    start = MENTIONS[0]
    assert doc.controller.add_span(start, start + 8, "actor") is not None
    qtbot.waitUntil(lambda: len(executor.jobs) == 1)  # submitted, not done: nothing suggested yet
    assert pending(doc) == [] and doc.suggesting.busy
    runs = doc.suggesting.runs
    doc.controller.add_span(MENTIONS[1], MENTIONS[1] + 8, "claim")  # an edit while it runs
    qtbot.waitUntil(lambda: doc.suggesting.runs > runs)
    assert len(executor.jobs) == 1  # one run at a time: the next waits for it
    executor.run_all()
    assert pending(doc) == []  # computed before the claim span: dropped
    qtbot.waitUntil(lambda: len(executor.jobs) == 1)  # the run asked for meanwhile starts now
    executor.run_all()
    assert (MENTIONS[2], MENTIONS[2] + 8, "claim") in pending(doc)
    assert (MENTIONS[2], MENTIONS[2] + 8, "actor") in pending(doc)
