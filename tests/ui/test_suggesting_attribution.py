"""Several suggesters in the app (issue 19): the attribution suggester beside the string matcher, chosen in the
Suggestions menu, run off the GUI thread (results for an older state dropped, a failing suggester one status line),
and suggested links drawn and accepted from the keyboard.

The background runs go through an executor the test holds (:class:`ManualExecutor`): a run is done when the test
says, so nothing here depends on the machine's speed.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import Executor, Future
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip

from annotator.io.settings import Settings
from annotator.model.commands import replace_suggestions_change
from annotator.model.pending import PendingLink, PendingSuggestion
from annotator.suggest.suggestion import Suggestion, SuggestionContext
from annotator.ui.main.suggesting import SuggesterEntry
from annotator.ui.main_window import MainWindow
from tests.ui.test_room_under_lines import glyph_rects, strictly_overlaps

TEXT = (
    "“We will not back down,” said State Department spokesman Ned Price.\n"
    "Officials met in Rome on Monday and talked for hours about the war and the sanctions.\n"
    "The ministry denied that the talks had collapsed.\n"
)
QUOTE = "We will not back down"
PRICE = "State Department spokesman Ned Price"


class ManualExecutor(Executor):
    """Runs what is submitted only when told (:meth:`run_all`), on the calling (GUI) thread; with ``at_once``, as
    soon as it is submitted."""

    def __init__(self, at_once: bool = False) -> None:
        self.at_once = at_once
        self.jobs: list[tuple[Future, object, tuple]] = []

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        future: Future = Future()
        self.jobs.append((future, fn, args))
        if self.at_once:
            self.run_all()
        return future

    def run_all(self) -> int:
        jobs, self.jobs = self.jobs, []
        for future, fn, args in jobs:
            try:
                future.set_result(fn(*args))  # type: ignore[operator]
            except Exception as error:
                future.set_exception(error)
        return len(jobs)


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def attribution(window: MainWindow) -> list[tuple[str, str]]:
    annotations = window.controller.annotations
    return [(s.text, s.label) for s in annotations.suggestions() if s.suggester == "attribution"]


def open_article(window: MainWindow, tmp_path: Path, text: str = TEXT, name: str = "article.txt") -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert window.open_path(path)


@pytest.fixture
def app(make_window, qtbot) -> MainWindow:
    """A shown window with both suggesters on (the default settings), the timer at 0 ms and the background runs
    done at once, on the GUI thread."""
    window = make_window("tester", settings=Settings(annotator="tester"))
    window.suggesting.timer.setInterval(0)
    window.suggesting.executor = ManualExecutor(at_once=True)
    window.resize(900, 700)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_both_suggesters_are_on_by_default_and_a_news_sentence_gets_attribution_suggestions(app, tmp_path, qtbot):
    assert Settings().suggesters == ["string-match", "attribution"]
    assert app.actions_by_id["suggest.use_string_match"].isChecked()
    assert app.actions_by_id["suggest.use_attribution"].isChecked()
    open_article(app, tmp_path)
    qtbot.waitUntil(lambda: (QUOTE, "claim") in attribution(app))
    assert (PRICE, "actor") in attribution(app)
    assert ("the talks had collapsed", "denial") in attribution(app)
    assert app.controller.undo_stack.count() == 0  # suggestions are no undo step
    assert not app.sessions.unsaved


def test_the_default_thread_pool_delivers_its_result_on_the_gui_thread(make_window, tmp_path, qtbot):
    window = make_window("tester", settings=Settings(annotator="tester", suggesters=["attribution"]))
    window.suggesting.timer.setInterval(0)
    open_article(window, tmp_path)
    qtbot.waitUntil(lambda: (QUOTE, "claim") in attribution(window), timeout=20_000)
    assert not window.suggesting.busy and window.suggesting.busy_label.isHidden()


def test_the_menu_rows_turn_each_suggester_on_and_off_for_this_annotator(app, tmp_path, qtbot):
    open_article(app, tmp_path)
    qtbot.waitUntil(lambda: bool(attribution(app)))
    app.actions_by_id["suggest.use_attribution"].trigger()  # off: its pending suggestions go
    assert attribution(app) == []
    assert app.settings.suggesters == ["string-match"]
    saved = json.loads((Path(os.environ["ANNOTATOR_CONFIG_DIR"]) / "settings.json").read_text(encoding="utf-8"))
    assert saved["suggesters"] == ["string-match"]
    start, end = span_of(TEXT, "Rome")
    app.controller.add_span(start, end, "actor")
    qtbot.wait(10)
    assert attribution(app) == []  # not run again
    app.actions_by_id["suggest.use_string_match"].trigger()  # both off: nothing suggested
    assert app.controller.annotations.suggestions() == []
    app.actions_by_id["suggest.use_attribution"].trigger()  # back on
    qtbot.waitUntil(lambda: (QUOTE, "claim") in attribution(app))
    assert app.settings.suggesters == ["attribution"]
    assert all(s.suggester == "attribution" for s in app.controller.annotations.suggestions())


def test_each_suggester_replaces_only_its_own_pending_suggestions(app, tmp_path, qtbot):
    text = TEXT + "Rome was quiet.\n"
    open_article(app, tmp_path, text)
    qtbot.waitUntil(lambda: bool(attribution(app)))
    before = attribution(app)
    start, end = span_of(text, "Rome")
    app.controller.add_span(start, end, "actor")  # the string matcher suggests the other "Rome"
    other = text.rindex("Rome")
    qtbot.waitUntil(
        lambda: any(
            s.start == other and s.suggester == "string-match" for s in app.controller.annotations.suggestions()
        )
    )
    assert attribution(app) == before  # the attribution suggester's run replaced its own, left the matcher's alone


def test_a_result_computed_for_an_older_state_or_another_document_is_dropped(app, tmp_path, qtbot):
    executor = app.suggesting.executor = ManualExecutor()
    open_article(app, tmp_path)
    qtbot.waitUntil(lambda: len(executor.jobs) == 2)  # submitted, not done (the string matcher's run and this one)
    start, end = span_of(TEXT, "Rome")
    app.controller.add_span(start, end, "actor")  # the document changed while it ran
    qtbot.waitUntil(lambda: app.suggesting.runs >= 2)
    assert len(executor.jobs) == 2  # one run at a time per suggester: the next waits for it
    executor.run_all()
    assert attribution(app) == []  # computed for the text without the span: dropped
    qtbot.waitUntil(lambda: len(executor.jobs) == 2)  # the runs asked for meanwhile start now
    executor.run_all()
    assert (QUOTE, "claim") in attribution(app)

    open_article(app, tmp_path, TEXT, "first.txt")
    qtbot.waitUntil(lambda: len(executor.jobs) == 2)
    open_article(app, tmp_path, "Nothing was said here.\n", "second.txt")  # another document meanwhile
    executor.run_all()
    assert attribution(app) == []  # the first document's suggestions never land on the second


def test_a_long_run_says_suggesting_in_the_status_bar_until_it_is_back(app, tmp_path, qtbot):
    executor = app.suggesting.executor = ManualExecutor()
    app.suggesting.busy_timer.setInterval(0)
    open_article(app, tmp_path)
    qtbot.waitUntil(lambda: not app.suggesting.busy_label.isHidden())
    assert app.suggesting.busy_label.text() == "Suggesting… (attribution, string-match)"
    executor.run_all()
    assert app.suggesting.busy_label.isHidden()


class Broken:
    name = "broken"

    def suggest(self, text: str, context: SuggestionContext) -> list[Suggestion]:
        raise ValueError("the model file is missing\nTraceback (most recent call last): ...")


@pytest.mark.parametrize("background", [True, False])
def test_a_suggester_that_raises_gives_one_status_line_naming_it(app, tmp_path, qtbot, background):
    app.suggesting.plugged = lambda: [SuggesterEntry("broken", Broken, background=background)]
    app.settings.suggesters = ["broken", "attribution"]
    open_article(app, tmp_path)
    qtbot.waitUntil(lambda: "broken suggester failed" in app.statusBar().currentMessage())
    message = app.statusBar().currentMessage()
    assert message == "The broken suggester failed: the model file is missing"  # its first line, no traceback
    assert (QUOTE, "claim") in attribution(app)  # the others still suggest


def linked_suggestions(window: MainWindow) -> tuple[PendingSuggestion, PendingSuggestion, PendingSuggestion]:
    """Pending suggestions as the attribution suggester makes them once suggested links are kept (issue 19's
    model part): a claim linked to its source (a suggested actor), and a denial linked to an actor span."""
    window.settings.suggesters = []  # no run replaces them
    annotations = window.controller.annotations
    ministry = window.controller.add_span(*span_of(TEXT, "The ministry"), "actor")
    claim_at, price_at, denial_at = span_of(TEXT, QUOTE), span_of(TEXT, PRICE), span_of(TEXT, "the talks had collapsed")
    claim = PendingSuggestion(
        id="g1", start=claim_at[0], end=claim_at[1], label="claim", text=QUOTE, score=0.82,
        suggester="attribution", reason="a quotation with its speaker",
        links=(PendingLink(type="source", from_="g1", to="g2"),),
    )  # fmt: skip
    price = PendingSuggestion(
        id="g2", start=price_at[0], end=price_at[1], label="actor", text=PRICE, score=0.75,
        suggester="attribution", reason="the speaker",
    )  # fmt: skip
    denial = PendingSuggestion(
        id="g3", start=denial_at[0], end=denial_at[1], label="denial", text="the talks had collapsed", score=0.66,
        suggester="attribution", reason="after 'denied'",
        links=(PendingLink(type="source", from_="g3", to=ministry.id),),
    )  # fmt: skip
    window.controller.refresh_suggestions(
        replace_suggestions_change(annotations, "attribution", [claim, price, denial])
    )
    return claim, price, denial


def test_a_selected_suggestions_links_are_drawn_between_lines_with_the_relation_name(app, tmp_path, qtbot):
    open_article(app, tmp_path)
    claim, price, _denial = linked_suggestions(app)
    view = app.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert view.selected_suggestion_id == claim.id
    message = app.statusBar().currentMessage()
    assert message == (
        "suggested claim · 0.82 · attribution · source → “State Department spokesman Ned Price” (suggested)"
        " · a quotation with its speaker"
    )
    view.viewport().repaint()
    [drawing] = view.link_drawings()
    assert drawing.mark.suggested and drawing.mark.span == price and drawing.mark.relation_type == "source"
    assert drawing.path is not None and drawing.name_rect is not None
    glyphs = glyph_rects(view)
    assert not any(strictly_overlaps(drawing.name_rect, glyph) for glyph in glyphs), "the name covers text"
    for step in range(201):
        point = drawing.path.pointAtPercent(step / 200)
        assert not any(glyph.adjusted(0.5, 0.5, -0.5, -0.5).contains(point) for glyph in glyphs)
    point = view.range_rects(claim.start, claim.end)[0].center().toPoint()
    view.event(QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point)))
    assert "source → “State Department spokesman Ned Price” (suggested)" in QToolTip.text()

    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # the actor: the claim links to it
    assert view.selected_suggestion_id == price.id
    [drawing] = view.link_drawings()
    assert drawing.mark.incoming and drawing.mark.span == claim
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # the denial: linked to a span
    [drawing] = view.link_drawings()
    assert drawing.mark.span.text == "The ministry" and not isinstance(drawing.mark.span, PendingSuggestion)
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # a span selected: no suggestion, no suggested link
    assert view.selected_suggestion_id is None
    assert all(not d.mark.suggested for d in view.link_drawings())


def test_accept_with_linked_suggestions_takes_the_statement_and_its_source_in_one_step(app, tmp_path, qtbot):
    open_article(app, tmp_path)
    claim, price, denial = linked_suggestions(app)
    controller, view = app.controller, app.view
    steps = controller.undo_stack.count()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert view.selected_suggestion_id == claim.id
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    annotations = controller.annotations
    claim_span = annotations.find(claim.start, claim.end, "claim")
    price_span = annotations.find(price.start, price.end, "actor")
    assert claim_span is not None and price_span is not None
    assert annotations.find_relation("source", claim_span.id, price_span.id) is not None  # the suggested link made
    assert controller.undo_stack.count() == steps + 1
    assert "Accepted claim and 1 linked suggestion" in app.statusBar().currentMessage()
    assert view.selected_suggestion_id == denial.id  # review goes on
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)  # plain accept still works
    denial_span = annotations.find(denial.start, denial.end, "denial")
    assert denial_span is not None
    ministry = annotations.find(*span_of(TEXT, "The ministry"), "actor")
    assert annotations.find_relation("source", denial_span.id, ministry.id) is not None  # its link to a span too
    app.editing.undo()
    app.editing.undo()
    assert {s.id for s in controller.annotations.suggestions()} == {claim.id, price.id, denial.id}
    assert controller.annotations.relations() == []


def test_real_attribution_suggestions_arrive_with_their_links_and_are_accepted_with_them(app, tmp_path, qtbot):
    open_article(app, tmp_path)
    qtbot.waitUntil(lambda: (QUOTE, "claim") in attribution(app))
    annotations, view = app.controller.annotations, app.view
    quote = next(s for s in annotations.suggestions() if s.text == QUOTE)
    assert [(link.type, annotations.suggestion(link.to).text) for link in quote.links] == [("source", PRICE)]
    app.suggesting.select(quote.id)
    assert "source → “State Department spokesman Ned Price”" in app.statusBar().currentMessage()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    claim, actor = annotations.find(quote.start, quote.end, "claim"), annotations.find(*span_of(TEXT, PRICE), "actor")
    assert claim is not None and actor is not None
    assert annotations.find_relation("source", claim.id, actor.id) is not None


def test_in_a_document_without_spans_the_keys_review_the_attribution_suggestions(app, tmp_path, qtbot):
    open_article(app, tmp_path)  # nothing labeled yet: an empty annotation set is still one
    qtbot.waitUntil(lambda: (QUOTE, "claim") in attribution(app))
    assert len(app.controller.annotations) == 0
    view = app.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    first = app.controller.annotations.suggestions()[0]
    assert view.selected_suggestion_id == first.id
    assert app.statusBar().currentMessage().startswith(f"suggested {first.label} · ")
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    span = app.controller.annotations.find(first.start, first.end, first.label)
    assert span is not None and span.suggester == "attribution"


def test_a_text_over_the_limit_gets_no_suggestions_and_the_status_bar_says_so(app, tmp_path, qtbot):
    app.suggesting.text_limit = len(TEXT) - 1
    open_article(app, tmp_path)
    app.statusBar().showMessage("Opened article.")
    runs = app.suggesting.runs
    app.suggesting.run()
    assert app.suggesting.runs == runs and attribution(app) == []
    message = app.statusBar().currentMessage()
    assert message.startswith("Opened article. No suggestions for this document")  # after what the open said
    app.statusBar().showMessage("Saved.")
    app.suggesting.run()  # again (an edit's run): said once a document, not over each edit's message
    assert app.statusBar().currentMessage() == "Saved."
    app.suggesting.text_limit = len(TEXT)
    app.suggesting.run()
    qtbot.waitUntil(lambda: (QUOTE, "claim") in attribution(app))


def test_runs_asked_for_while_two_suggesters_run_end_once_each_has_run_again(app, tmp_path, qtbot):
    """Asked to run while both background suggesters run, each runs once more, then none: they share one worker, so
    they never end together, and the run of one must not ask again for the other (they took turns for ever, keeping
    Python busy under every edit)."""
    executor = app.suggesting.executor = ManualExecutor()
    open_article(app, tmp_path)
    qtbot.waitUntil(lambda: len(executor.jobs) == 2)
    app.suggesting.run()  # asked for while both run
    finished = 0
    while executor.jobs and finished < 10:
        future, fn, args = executor.jobs.pop(0)  # the oldest ends first, alone
        future.set_result(fn(*args))
        finished += 1
        qtbot.wait(20)  # its result back on the GUI thread, the next run started
    assert finished == 4 and not executor.jobs
    qtbot.waitUntil(lambda: not app.suggesting.busy)
    assert (QUOTE, "claim") in attribution(app)
