"""Suggestion defects a newcomer found (issue 19, round 3): pending suggestions saved in a file shown on reopening,
Ctrl+Alt+Enter accepting exactly one hop, accepting as another label rejecting the suggested one, no suggestion
inside a span of its label whatever the suggester, and a status bar that says what happened.

Background runs go through :class:`~tests.ui.test_suggesting_attribution.ManualExecutor` (at once, on the GUI
thread): nothing here depends on the machine's speed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QToolTip

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.io.settings import Settings
from annotator.model.annotation_set import AnnotationSet
from annotator.model.commands import replace_suggestions_change
from annotator.model.document import Document
from annotator.model.pending import PendingLink, PendingSuggestion
from annotator.suggest.suggestion import Suggestion, SuggestionContext
from annotator.ui.colors import label_color
from annotator.ui.main.suggesting import SuggesterEntry
from annotator.ui.main_window import MainWindow
from tests.ui.test_model_training import DOCUMENTS, label_all, train, write_project
from tests.ui.test_model_training import make as make_model_window
from tests.ui.test_model_training import open_text as open_news
from tests.ui.test_suggesting_attribution import ManualExecutor, span_of

TEXT = (
    "Ned Price said the talks were frank.\n"
    "The talks will go on, Price added.\n"
    "State Department spokesman Ned Price left.\n"
)
ALT = Qt.KeyboardModifier.AltModifier
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def make(make_window, qtbot, suggesters: list[str]) -> MainWindow:
    """A shown window with only ``suggesters`` on, the timer at 0 ms and background runs done at once."""
    window = make_window("tester", settings=Settings(annotator="tester", suggesters=suggesters))
    window.suggesting.timer.setInterval(0)
    window.suggesting.executor = ManualExecutor(at_once=True)
    window.resize(900, 700)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow)  # the shortcuts (Alt+Down...) work in the active window
    return window


def suggestion(id_: str, part: str, label: str, *links: PendingLink, which: int = 0) -> PendingSuggestion:
    start = TEXT.index(part) if not which else TEXT.rindex(part)
    return PendingSuggestion(
        id=id_, start=start, end=start + len(part), label=label, text=part, score=0.7, suggester="attribution",
        reason="a test", links=links,
    )  # fmt: skip


def speaker_and_claims() -> list[PendingSuggestion]:
    """An actor suggestion linked from two claim suggestions (the attribution suggester's shape)."""
    return [
        suggestion("g1", "Ned Price", "actor"),
        suggestion("g2", "the talks were frank", "claim", PendingLink(type="source", from_="g2", to="g1")),
        suggestion("g3", "The talks will go on", "claim", PendingLink(type="source", from_="g3", to="g1")),
    ]


def open_text(window: MainWindow, tmp_path: Path, name: str = "talks.txt") -> Path:
    path = tmp_path / name
    path.write_text(TEXT, encoding="utf-8")
    assert window.open_path(path)
    return path


def test_pending_suggestions_saved_in_the_file_are_drawn_listed_and_reviewed_on_reopening(make_window, qtbot, tmp_path):
    path = tmp_path / "talks.txt"
    path.write_text(TEXT, encoding="utf-8")
    saved = AnnotationSet(Document.from_text(TEXT), default_label_set(), "tester", suggestions=speaker_and_claims())
    annotation_file.save(saved, tmp_path / "talks.annotations.json")
    window = make(make_window, qtbot, [])  # no suggester runs: nothing else changes the suggestions
    assert window.open_path(path)
    ids = ["g1", "g2", "g3"]
    assert [s.id for s in window.view.shown_suggestions] == ids
    assert window.suggesting.panel.model.rowCount() == 3
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Down, ALT)
    assert window.view.selected_suggestion_id in ids
    assert "No pending suggestions" not in window.statusBar().currentMessage()


def test_ctrl_alt_enter_accepts_the_claim_and_its_speaker_but_not_the_speakers_other_claim(
    make_window, qtbot, tmp_path
):
    window = make(make_window, qtbot, [])
    open_text(window, tmp_path)
    controller, view = window.controller, window.view
    controller.refresh_suggestions(
        replace_suggestions_change(controller.annotations, "attribution", speaker_and_claims())
    )
    window.suggesting.select("g2", reveal=True)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return, CTRL_ALT)
    annotations = controller.annotations
    claim = annotations.find(*span_of(TEXT, "the talks were frank"), "claim")
    actor = annotations.find(*span_of(TEXT, "Ned Price"), "actor")
    assert claim is not None and actor is not None and len(annotations) == 2  # the other claim is not accepted
    assert annotations.find_relation("source", claim.id, actor.id) is not None
    other = annotations.suggestion("g3")  # still pending, its link now naming the new actor span
    assert other.links == (PendingLink(type="source", from_="g3", to=actor.id),)
    assert "Accepted claim and 1 linked suggestion" in window.statusBar().currentMessage()
    assert controller.undo_stack.count() == 1


def test_a_suggestion_accepted_as_another_label_is_not_suggested_again(make_window, qtbot, tmp_path):
    window = make(make_window, qtbot, ["string-match"])
    open_text(window, tmp_path)
    controller, view = window.controller, window.view
    first = span_of(TEXT, "Ned Price")
    assert controller.add_span(*first, "actor") is not None
    last = TEXT.rindex("Ned Price")
    qtbot.waitUntil(lambda: [(s.start, s.label) for s in controller.annotations.suggestions()] == [(last, "actor")])
    window.suggesting.select(controller.annotations.suggestions()[0].id)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_2)  # the claim key on a selected suggestion: accepted as claim
    assert controller.annotations.find(last, last + 9, "claim") is not None
    runs = window.suggesting.runs
    window.suggesting.run()
    assert window.suggesting.runs > runs
    assert (last, last + 9, "actor") not in [s.key for s in controller.annotations.suggestions()]  # not back
    window.editing.undo()  # one step: the rejection goes with it
    qtbot.waitUntil(lambda: [s.key for s in controller.annotations.suggestions()] == [(last, last + 9, "actor")])


class Plugin:
    """A plug-in suggesting a part of an actor span, the whole span again, a claim inside it (another label) and an
    actor reaching beyond it."""

    name = "plug"

    def suggest(self, text: str, context: SuggestionContext) -> list[Suggestion]:
        start, end = span_of(text, "State Department spokesman Ned Price")
        return [
            Suggestion(end - 9, end, "actor", 0.9, "plug", "a name inside"),
            Suggestion(start, end, "actor", 0.9, "plug", "the same"),
            Suggestion(end - 9, end, "claim", 0.9, "plug", "another label"),
            Suggestion(start, end + 5, "actor", 0.9, "plug", "beyond the span"),
        ]


@pytest.mark.parametrize("background", [True, False])
def test_no_suggester_offers_a_suggestion_equal_to_or_inside_a_span_of_its_label(
    make_window, qtbot, tmp_path, background
):
    window = make(make_window, qtbot, ["plug"])
    window.suggesting.plugged = lambda: [SuggesterEntry("plug", Plugin, background=background)]
    open_text(window, tmp_path)
    annotations = window.controller.annotations
    qtbot.waitUntil(lambda: len(annotations.suggestions()) == 4)
    assert window.controller.add_span(*span_of(TEXT, "State Department spokesman Ned Price"), "actor") is not None
    qtbot.waitUntil(lambda: len(annotations.suggestions()) == 2)
    assert sorted(s.reason for s in annotations.suggestions()) == ["another label", "beyond the span"]
    assert [s.reason for s in window.view.shown_suggestions] == ["beyond the span", "another label"]


def test_after_the_last_suggestion_is_answered_the_status_bar_says_so(make_window, qtbot, tmp_path):
    window = make(make_window, qtbot, [])
    open_text(window, tmp_path)
    controller, view = window.controller, window.view
    claims = speaker_and_claims()[1:]
    controller.refresh_suggestions(replace_suggestions_change(controller.annotations, "attribution", claims))
    window.suggesting.select("g3", reveal=True)  # the last one
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return, ALT)
    message = window.statusBar().currentMessage()
    assert message.startswith("Accepted claim. 1 pending suggestion before it") and "0.70" not in message
    window.suggesting.select("g2", reveal=True)
    qtbot.keyClick(view, Qt.Key.Key_Backspace, ALT)
    assert window.statusBar().currentMessage() == "Rejected claim. No more pending suggestions."


def test_lowering_the_model_threshold_replaces_the_stale_suggests_nothing_line(make_window, qtbot, tmp_path):
    window = make_model_window(make_window, qtbot, threshold=0.5)
    text, spans = DOCUMENTS[0]
    open_news(window, tmp_path, text)
    label_all(window, spans)
    train(window, qtbot)
    assert window.statusBar().currentMessage().startswith("The model suggests nothing")  # withheld at 0.5
    window.model_panel.threshold.setValue(0.0)
    message = window.statusBar().currentMessage()
    assert message == "The model suggests again (threshold 0.00)."


DRAWN = "Mr Baker, a fantasy. Officials said the talks were frank.\n"


def test_two_suggesters_disagreeing_on_a_range_draw_nested_outlines_clear_of_every_glyph(make_window, qtbot, tmp_path):
    window = make(make_window, qtbot, [])
    path = tmp_path / "drawn.txt"
    path.write_text(DRAWN, encoding="utf-8")
    assert window.open_path(path)
    controller, view = window.controller, window.view

    def at(id_: str, part: str, label: str, suggester: str) -> PendingSuggestion:
        start = DRAWN.index(part)
        return PendingSuggestion(
            id=id_, start=start, end=start + len(part), label=label, text=part, score=0.6, suggester=suggester
        )

    shown = [
        at("g1", "Baker", "actor", "attribution"),
        at("g2", "Baker", "claim", "plug"),
        at("g3", "fantasy", "claim", "attribution"),
        at("g4", "the talks were frank", "claim", "attribution"),
    ]
    controller.refresh_suggestions(replace_suggestions_change(controller.annotations, "attribution", shown[::2]))
    controller.refresh_suggestions(replace_suggestions_change(controller.annotations, "plug", [shown[1]]))
    window.suggesting.select("g3")  # the selected one's pen is thicker
    view.viewport().repaint()
    actor, claim = (controller.annotations.suggestion(i) for i in ("g1", "g2"))
    [outer], [inner] = view.suggestion_rects(actor), view.suggestion_rects(claim)
    assert outer.contains(inner) and inner.width() < outer.width() - 4  # nested: both outlines show
    sides = []  # the outlines' solid sides (their tops and bottoms are dashed)
    for suggestion in controller.annotations.suggestions():
        horizontal, vertical = view.suggestion_edges(suggestion)
        assert horizontal and vertical, suggestion.text  # an outline is drawn
        sides += vertical
    image = view.viewport().grab().toImage()
    labels = controller.annotations.label_set
    colors = {label_color(labels.get(name).color, palette=view.palette()).rgb() for name in ("actor", "claim")}
    inked = {
        QColor(image.pixel(x, y)).rgb()
        for x in range(int(outer.left()), int(outer.right()) + 1)
        for y in range(int(outer.top()) - 1, int(outer.bottom()) + 2)
    }
    assert colors <= inked  # both labels' colors on the one range
    point = inner.center().toPoint()
    view.event(QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point)))
    tip = QToolTip.text()
    assert "suggested actor" in tip and "suggested claim" in tip and "plug" in tip
    # the outlines are painted under the text: every pixel a letter inks fully is the same as with no outline
    # ("Bake|r", "fantas|y"), and some of them lie on an outline's solid side
    view.set_suggestions([])
    view.viewport().repaint()
    plain = view.viewport().grab().toImage()
    ink = view.palette().text().color().rgb()
    line = view.blockBoundingGeometry(view.document().firstBlock()).translated(view.contentOffset()).toRect()
    rows = range(max(0, line.top()), min(plain.height(), line.bottom() + 1))
    letters = [(x, y) for x in range(plain.width()) for y in rows if plain.pixel(x, y) == ink]
    assert len(letters) > 200
    assert all(image.pixel(x, y) == ink for x, y in letters)
    ratio = view.viewport().devicePixelRatioF()
    assert any(side.contains(x / ratio + 0.5, y / ratio + 0.5) for x, y in letters for side in sides)


def test_the_model_panel_shows_state_figures_and_curve_without_scrolling_at_1400_by_900(make_window, qtbot, tmp_path):
    project = write_project(tmp_path / "corpus", [*DOCUMENTS[:3], (DOCUMENTS[3][0], [])])
    window = make_model_window(make_window, qtbot, threshold=0.5)
    window.resize(1400, 900)
    assert window.open_path(project.root)
    window.projects.open_document_id("news4.txt")
    qtbot.waitUntil(lambda: window.projects.document_id == "news4.txt")
    train(window, qtbot)
    window.model_dock.raise_()
    panel = window.model_panel
    qtbot.waitUntil(panel.curve.isVisible)
    for shown in (panel.state, panel.figures, panel.curve):
        bottom = shown.mapTo(panel, shown.rect().bottomLeft()).y()
        assert bottom <= panel.height(), shown.objectName()  # in view, no scrolling
    assert panel.curve.columnCount() == 2 and panel.figures.rowCount() >= 3  # a point a column: 1 and 2 documents
    for table in (panel.figures, panel.curve):  # every row and column inside the table: none scrolled away
        last_row, last_column = table.rowCount() - 1, table.columnCount() - 1
        assert table.rowViewportPosition(last_row) + table.rowHeight(last_row) <= table.viewport().height()
        assert table.columnViewportPosition(last_column) + table.columnWidth(last_column) <= table.viewport().width()
    figures = panel.figures  # no empty rows under the figures: as tall as its header and rows
    assert figures.height() <= figures.horizontalHeader().height() + figures.rowCount() * figures.rowHeight(0) + 4
