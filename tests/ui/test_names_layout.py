"""Names shown with their invisible characters visible; the review-only start; the export report's wording; the
Label Set menu; what is enabled with nothing open; the default layout at 1400 x 900 with every panel open."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from annotator.formats.report import Problem
from annotator.ui.dialogs.exchange_dialogs import ExportReportDialog, problem_wording
from annotator.ui.plain_text import quoted_text, shown_name
from annotator.ui.review.review_window import ReviewWindow
from tests.review import SAMPLE, bob_differs, write_variant
from tests.ui.conftest import select_qt

RLO_NAME = "invoice\u202egnp.exe"
"""Shown raw, reads "invoiceexe.png"."""

LABELS_TOML = """name = "tricky"
version = "1"

[[labels]]
name = "act\u202eor"
color = "#0072b2"
hotkey = "1"

[[labels]]
name = "claim"
color = "#009e73"
hotkey = "2"
"""


def test_shown_name_makes_controls_line_breaks_and_bidi_overrides_visible():
    assert shown_name(RLO_NAME) == "invoice\\u202egnp.exe"
    assert shown_name("two\nlines\r\tand\u2028more") == "two\\nlines\\r\\tand\\u2028more"
    assert shown_name("a\u2066b\u200fc\ufeffd\x00") == "a\\u2066b\\u200fc\\ufeffd\\u0000"
    assert shown_name("tag\U000e0041") == "tag\\U000e0041"
    assert shown_name("Ελένη 👩\u200d💻 می\u200cخواهم") == "Ελένη 👩\u200d💻 می\u200cخواهم"  # joiners stay
    assert shown_name("news/a b.txt") == "news/a b.txt"


def test_article_text_in_a_status_message_is_quoted_as_it_is_and_isolated():
    arabic = "\u0642\u0627\u0644 \u0627\u0644\u0645\u062a\u062d\u062f\u062b\u200f \u0625\u0646"
    assert quoted_text(arabic) == "\u2068" + arabic + "\u2069"  # its own marks are the article's: kept
    assert quoted_text("soft\u00adhy\u200bphen") == "\u2068soft\u00adhy\u200bphen\u2069"
    assert quoted_text("a\u202eb\u2069c") == "\u2068a\\u202eb\\u2069c\u2069"  # nothing reaches out of the quote
    assert quoted_text("one\ntwo " * 10, 12) == "\u2068one\u23cetwo one\u2026\u2069"


def test_the_linked_message_quotes_article_text_without_escaping_it(window, tmp_path):
    text = "Ned\u00a0Price\u200b said the talks failed."
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    assert window.open_path(path)
    controller = window.controller
    actor = controller.add_span(0, 10, "actor")
    claim = controller.add_span(text.index("the talks"), len(text) - 1, "claim")
    window.editing.select_span(claim.id)
    window.editing.start_linking("source")
    window.editing.finish_linking(actor.id)
    assert window.statusBar().currentMessage() == f"Linked source: \u2068{actor.text}\u2069."
    assert "\u200b" in actor.text or "\u00a0" in actor.text  # what is shown is the article's own characters


@pytest.fixture
def tricky_project(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / f"{RLO_NAME}.txt").write_text("Officials in Berlin said so.\n", encoding="utf-8")
    (root / "two\nlines.txt").write_text("Moscow denied it.\n", encoding="utf-8")
    return root


def test_file_and_annotator_names_are_shown_escaped_in_title_status_bar_and_document_list(
    window, tricky_project, qtbot, make_window
):
    assert window.open_path(tricky_project)
    assert window.projects.open_document_id(f"{RLO_NAME}.txt")
    title = window.windowTitle()
    assert "invoice\\u202egnp.exe" in title and "\u202e" not in title
    window.statusBar().showMessage(f"Opened {RLO_NAME}.txt")
    assert window.statusBar().currentMessage() == "Opened invoice\\u202egnp.exe.txt"
    model = window.documents.proxy
    shown = sorted(model.index(row, 1).data() for row in range(model.rowCount()))
    assert shown == ["invoice\\u202egnp.exe.txt", "two\\nlines.txt"]
    assert window.projects.open_document_id("two\nlines.txt")
    assert "two\\nlines" in window.windowTitle() and "\n" not in window.windowTitle()
    other = make_window("ann\u202eotator\nB")
    assert other.annotator_status.text() == "Annotator: ann\\u202eotator\\nB"


def test_label_names_are_shown_escaped_in_label_bar_legend_menu_and_span_list(window, tmp_path, qtbot):
    labels = tmp_path / "tricky.labels.toml"
    labels.write_text(LABELS_TOML, encoding="utf-8")
    assert window.label_sets.load_label_set_file(labels)
    text = tmp_path / "a.txt"
    text.write_text("Officials in Berlin said so.\n", encoding="utf-8")
    assert window.open_path(text)
    select_qt(window.view, 0, 9)
    window.editing.apply_label("act\u202eor")
    assert window.label_bar.buttons["act\u202eor"].text() == "1  act\\u202eor"
    assert window.span_model.index(0, 0).data() == "act\\u202eor"
    assert window.label_actions["act\u202eor"].text() == "act\\u202eor"
    legend_names = [label.text() for label in window.legend.findChildren(QLabel)]
    assert "act\\u202eor" in legend_names and not any("\u202e" in name for name in legend_names)


@pytest.fixture
def review_files(tmp_path: Path) -> list[Path]:
    return [
        write_variant(tmp_path / "alice.annotations.json", "al\u202eice"),
        write_variant(tmp_path / "bob.annotations.json", "bob", bob_differs),
    ]


def test_review_only_start_opens_only_the_review_window_and_quits_when_it_closes(
    review_files, qtbot, monkeypatch, questions
):
    from annotator.ui import app as app_module

    questions.script(recovery=lambda recoverable: "later")
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)
    quits = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    window = app_module.open_windows(review=[str(p) for p in review_files])
    qtbot.addWidget(window)
    review = window.reviews.last_review
    assert review is not None and review.isVisible()
    assert not window.isVisible()  # no empty main window saying "No documents: add .txt files to the folder"
    assert not window.documents_dock.isVisibleTo(window)
    assert "al\\u202eice" in review.disagreement_model.headers
    assert "\u202e" not in review.legend.text()
    review.close()
    qtbot.waitUntil(lambda: quits == [True])  # the review window is deleted on close: then the application quits


def test_review_only_start_shows_the_main_window_when_the_review_cannot_open(
    review_files, qtbot, monkeypatch, questions
):
    from annotator.ui import app as app_module

    questions.script(recovery=lambda recoverable: "later")
    window = app_module.open_windows(review=[str(review_files[0])])  # one annotator: nothing to compare
    qtbot.addWidget(window)
    assert getattr(window, "last_review", None) is None
    assert window.isVisible() and window.last_message is not None


def test_a_review_opening_a_document_shows_the_hidden_main_window(review_files, qtbot, monkeypatch, questions):
    from annotator.ui import app as app_module

    questions.script(recovery=lambda recoverable: "later")
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)
    window = app_module.open_windows(review=[str(p) for p in review_files])
    qtbot.addWidget(window)
    window.reviews._open_from_review(review_files[1])
    assert window.isVisible()


def test_the_export_report_says_what_a_written_span_lost():
    def wording(kind: str, reason: str) -> str:
        return problem_wording(Problem("d@a", 0, 3, "actor", "Yan", kind, reason))

    assert wording("not_exported", "doccano's JSONL has no room for notes; its note is left out") == (
        "note not exported"
    )
    assert wording("not_exported", "its links are not written (the table has no link columns): source") == (
        "link not exported"
    )
    assert wording("not_exported", "CoNLL cannot hold its note and its link (source); the span itself is written") == (
        "note + link not exported"
    )
    assert wording("not_exported", "Label Studio has no uncertain mark; the span is written as certain") == (
        "uncertain mark not exported"
    )
    assert wording("not_exported", "brat type names cannot hold whitespace, so its label is written as 'a_b'") == (
        "label renamed"
    )
    assert wording(
        "not_exported", "brat type names cannot hold whitespace, so its 'said to' link type is written as 'said_to'"
    ) == ("link type renamed")
    assert wording("not_exported", "its note is written with its line breaks replaced by spaces") == "note changed"
    assert wording("dropped", "overlaps") == "dropped"


def test_the_export_report_shows_the_whole_why(window, qtbot):
    short = "doccano's JSONL has no room for notes; its note is left out"
    long = "its 'source' link with actor [0, 12) is not written: that span cannot be written in brat " * 3
    problems = [
        Problem("news/a@alice", 0, 3, "actor", "Yan", "not_exported", short),
        Problem("news/a@alice", 4, 9, "claim", "said", "not_exported", long),
    ]
    dialog = ExportReportDialog(window, "summary", problems, [])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    row_of = {table.item(row, 6).text(): row for row in range(2)}
    assert table.item(row_of[short], 5).text() == "note not exported"
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    assert header.sectionViewportPosition(6) + header.sectionSize(6) <= table.viewport().width()  # not cut off
    assert header.sectionSize(6) >= metrics.horizontalAdvance(short)
    assert table.rowHeight(row_of[short]) < 2 * metrics.lineSpacing()
    assert table.rowHeight(row_of[long]) >= 2 * metrics.lineSpacing()  # the long one wraps onto more lines


def test_the_label_set_menu_is_named_so(window):
    titles = [action.text() for action in window.menuBar().actions()]
    assert "Label Se&t" in titles and "&Label" in titles and "La&bels" not in titles


def test_with_nothing_open_document_actions_and_label_buttons_are_off(window, tmp_path):
    ids = ("file.save", "edit.find", "span.next", "project.mark_done", "project.next")
    assert not any(window.actions_by_id[i].isEnabled() for i in ids)
    assert not window.label_bar.isEnabled()
    assert window.actions_by_id["file.open"].isEnabled()
    text = tmp_path / "a.txt"
    text.write_text("Officials in Berlin said so.\n", encoding="utf-8")
    assert window.open_path(text)
    assert all(window.actions_by_id[i].isEnabled() for i in ids[:4]) and window.label_bar.isEnabled()
    assert not window.actions_by_id["project.next"].isEnabled()  # no project


def test_marking_the_only_document_done_says_so_in_the_singular(window, tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Officials in Berlin said so.\n", encoding="utf-8")
    assert window.open_path(root) and window.projects.open_document_id("a.txt")
    window.projects.toggle_done()
    assert "The project's one document is done." in window.statusBar().currentMessage()


def test_every_panel_open_at_1400_by_900_keeps_80_characters_a_line_and_a_long_span_list(window, tmp_path, qtbot):
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "article.txt").write_text(data["document"]["text"], encoding="utf-8")
    window.resize(1400, 900)
    assert window.open_path(root) and window.projects.open_document_id("article.txt")
    text = window.controller.annotations.text
    ranges = [(i, i + 5) for i in range(0, 2000, 60) if text[i : i + 5].strip()][:25]
    window.controller.add_spans(ranges, "actor")
    for dock in (window.documents_dock, window.spans_dock, window.span_dock):
        dock.show()
    window.finding.open_find()
    qtbot.wait(50)  # the default dock sizes are set once the layout settles
    view = window.view
    metrics = view.fontMetrics()
    assert view.viewport().width() >= 80 * metrics.averageCharWidth()
    first_line = view.document().firstBlock().layout().lineAt(0)
    assert first_line.textLength() >= 80  # of the article's own text
    table = window.span_table
    assert table.viewport().height() // table.rowHeight(0) >= 15
    assert table.columnWidth(1) >= metrics.horizontalAdvance("Yang Jiechi")  # the Text column shows a name whole


def test_a_long_status_message_ends_before_the_read_only_marker_with_the_whole_of_it_in_a_tooltip(window, qtbot):
    window.resize(900, 600)
    window.read_only_status.show()
    qtbot.wait(10)
    bar = window.statusBar()
    message = "Loaded 14 spans from a file whose name is long enough. " * 6
    bar.showMessage(message)
    qtbot.wait(10)
    assert bar.currentMessage() == message  # what scripts and tests read is whole
    assert bar.message_rect().right() < window.read_only_status.geometry().left()
    assert bar.shown_message().endswith("…") and len(bar.shown_message()) < len(message)
    assert message.strip() in bar.toolTip()
    bar.showMessage("Saved.")
    assert bar.shown_message() == "Saved." and bar.toolTip() == ""
    bar.grab()  # paints without error


@pytest.mark.parametrize("direction", ["LeftToRight", "RightToLeft"])
def test_a_new_or_cleared_status_message_repaints_all_the_room_the_message_before_was_drawn_in(
    window, qtbot, direction
):
    # QStatusBar repaints only its own message area (6 px in from its leading edge, 12 from the trailing one): the
    # first pixels of the message before, drawn from 4 px, stayed on the screen ("O" left a "(" under Xvfb)
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtGui import QRegion

    window.setLayoutDirection(getattr(Qt.LayoutDirection, direction))
    window.resize(900, 600)
    window.show()
    bar = window.statusBar()
    bar.showMessage("Opened the file.")
    qtbot.wait(20)
    drawn = bar.message_rect()

    class Painted(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.region = QRegion()

        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.region += event.region()
            return False

    for change in (lambda: bar.showMessage("Read-only: choose Edit as Yourself"), bar.clearMessage):
        painted = Painted()
        bar.installEventFilter(painted)
        change()
        qtbot.waitUntil(lambda painted=painted: not painted.region.isEmpty())
        qtbot.wait(20)
        bar.removeEventFilter(painted)
        assert QRegion(drawn).subtracted(painted.region).isEmpty(), (direction, painted.region.boundingRect(), drawn)


def test_the_status_bar_message_room_in_a_right_to_left_layout_and_beside_the_size_grip(window, qtbot):
    from PySide6.QtCore import Qt

    window.resize(900, 600)
    bar = window.statusBar()
    bar.showMessage("A message that is long enough to be cut. " * 8)
    window.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    qtbot.wait(10)
    room = bar.message_rect()
    assert room.width() > 100
    assert all(room.left() > w.geometry().right() for w in bar._items())
    bar.grab()
    window.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    for widget in bar._items():
        widget.hide()
    bar.setSizeGripEnabled(True)
    qtbot.wait(10)
    grips = [w for w in bar._items()]
    assert all(bar.message_rect().right() < w.geometry().left() for w in grips)


def test_a_very_long_annotator_name_never_widens_the_window(make_window, qtbot):
    window = make_window("annotator " * 80)
    window.show()
    window.resize(900, 600)
    qtbot.waitExposed(window)
    assert window.width() == 900
    label = window.annotator_status
    assert label.text() == "Annotator: " + "annotator " * 80  # the whole name, for tools and the tooltip
    qtbot.waitUntil(lambda: label.shown_text().endswith("…"))
    assert label.toolTip().startswith("<qt>Annotator: annotator")
