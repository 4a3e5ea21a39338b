"""The span panel: empty and filled states, committing notes (focus-out, Ctrl+Enter, Escape, switching spans) without
ever losing typed text, the uncertain flag, and links (plain text, remove, activate, link buttons)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.model.relation import Relation
from annotator.model.span import Span
from annotator.ui.document.span_panel import NO_SPAN_HINT, SpanPanel, link_text

TEXT = "Wang Yi warned that <b>x</b> would follow. Washington denied it."


def span(span_id: str, phrase: str, label: str, **extra) -> Span:
    start = TEXT.index(phrase)
    return Span(id=span_id, start=start, end=start + len(phrase), label=label, text=phrase, **extra)


ACTOR = span("s1", "Wang Yi", "actor", note="Chinese foreign minister")
WARNING = span("s2", "<b>x</b> would follow", "warning")
OTHER_ACTOR = span("s3", "Washington", "actor")
SOURCE = Relation(id="r1", type="source", from_="s2", to="s1")
TARGET = Relation(id="r2", type="target", from_="s2", to="s3")
WARNING_LINKS = [(SOURCE, ACTOR, "outgoing"), (TARGET, OTHER_ACTOR, "outgoing")]


class Host(QWidget):
    """The panel beside another focusable widget (to move focus away) and an action with the main window's
    Delete and Escape shortcuts (which the panel must not let fire while it uses those keys)."""

    def __init__(self) -> None:
        super().__init__()
        self.panel = SpanPanel()
        self.elsewhere = QLineEdit()
        layout = QVBoxLayout(self)
        layout.addWidget(self.elsewhere)
        layout.addWidget(self.panel)
        self.window_keys: list[str] = []
        for key in ("Delete", "Escape"):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, k=key: self.window_keys.append(k))
            self.addAction(action)


@pytest.fixture
def host(qtbot) -> Host:
    widget = Host()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def panel(host) -> SpanPanel:
    return host.panel


@pytest.fixture
def record(panel):
    """Every signal the panel emits, in order, as ``(name, *args)``."""
    events: list[tuple] = []
    for name in (
        "note_committed",
        "uncertain_toggled",
        "link_requested",
        "relation_remove_requested",
        "link_activated",
        "editing_finished",
    ):
        getattr(panel, name).connect(lambda *args, n=name: events.append((n, *args)))
    return events


def note(panel) -> QPlainTextEdit:
    return panel.findChild(QPlainTextEdit, "spanNote")


def links(panel) -> QListWidget:
    return panel.findChild(QListWidget, "spanLinks")


def type_note(qtbot, panel, text: str) -> None:
    assert panel.focus_note()
    qtbot.keyClicks(note(panel), text)


def test_no_span_disables_everything_and_shows_the_hint(panel):
    hint = panel.findChild(QLabel, "spanPanelHint")
    assert hint.isVisible() and hint.text() == NO_SPAN_HINT == "Select a span (Tab moves between spans)"
    assert hint.textFormat() == Qt.TextFormat.PlainText
    for kind, name in [
        (QPlainTextEdit, "spanNote"),
        (QCheckBox, "spanUncertain"),
        (QListWidget, "spanLinks"),
        (QPushButton, "link_source"),
        (QPushButton, "link_target"),
        (QPushButton, "removeLink"),
    ]:
        assert not panel.findChild(kind, name).isEnabled(), name
    assert panel.span_id is None
    assert not panel.focus_note()


def test_showing_a_span_and_back_to_none(panel):
    panel.show_span(WARNING, WARNING_LINKS, "#d55e00")
    assert panel.span_id == "s2"
    assert not panel.findChild(QLabel, "spanPanelHint").isVisible()
    assert panel.findChild(QLabel, "spanLabel").text() == "warning"
    swatch = panel.findChild(QLabel, "spanSwatch")
    assert swatch.isVisible() and swatch.pixmap().toImage().pixelColor(1, 1).name() == "#d55e00"
    text = panel.findChild(QLabel, "spanText")
    assert text.textFormat() == Qt.TextFormat.PlainText and text.text() == "<b>x</b> would follow"
    assert panel.findChild(QLabel, "spanOffsets").text() == f"[{WARNING.start}, {WARNING.end}) code points"
    assert note(panel).isEnabled() and note(panel).toPlainText() == ""
    assert panel.findChild(QCheckBox, "spanUncertain").isEnabled()
    assert panel.findChild(QPushButton, "link_source").isEnabled()
    assert not panel.findChild(QPushButton, "removeLink").isEnabled()  # no link selected yet
    panel.show_span(ACTOR, [(SOURCE, WARNING, "incoming")], None)
    assert note(panel).toPlainText() == "Chinese foreign minister"
    assert not panel.findChild(QLabel, "spanSwatch").isVisible()
    panel.show_span(None, [], None)
    assert panel.findChild(QLabel, "spanPanelHint").isVisible()
    assert note(panel).toPlainText() == "" and links(panel).count() == 0
    assert not note(panel).isEnabled()
    assert panel.findChild(QLabel, "spanLabel").text() == ""


def test_long_span_text_is_shortened(panel):
    long = Span(id="s9", start=0, end=1000, label="claim", text="word " * 200)
    panel.show_span(long, [], "#009e73")
    shown = panel.findChild(QLabel, "spanText").text()
    assert len(shown) == 300 and shown.endswith("…")


def test_note_committed_on_focus_out(panel, host, qtbot, record):
    panel.show_span(ACTOR, [], "#0072b2")
    type_note(qtbot, panel, " (spokesman?)")
    assert record == []
    host.elsewhere.setFocus()
    assert record == [("note_committed", "s1", "Chinese foreign minister (spokesman?)")]
    assert not panel.has_pending_note()
    panel.focus_note()
    host.elsewhere.setFocus()  # nothing new typed: nothing emitted again
    assert len(record) == 1


@pytest.mark.parametrize(
    ("key", "modifiers"),
    [
        (Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.KeypadModifier),
    ],
)
def test_note_committed_on_ctrl_enter_and_the_editor_keeps_focus(key, modifiers, panel, qtbot, record):
    panel.show_span(WARNING, WARNING_LINKS, "#d55e00")
    type_note(qtbot, panel, "line one")
    qtbot.keyClick(note(panel), Qt.Key.Key_Return)  # a plain Return is a line break in the note
    qtbot.keyClicks(note(panel), "line two")
    qtbot.keyClick(note(panel), key, modifiers)
    assert record == [("note_committed", "s2", "line one\nline two")]
    assert note(panel).hasFocus() and note(panel).toPlainText() == "line one\nline two"


def test_escape_commits_then_finishes_editing(panel, host, qtbot, record):
    panel.show_span(ACTOR, [], "#0072b2")
    panel.focus_note()
    note(panel).selectAll()
    qtbot.keyClicks(note(panel), "Spokesman")
    qtbot.keyClick(note(panel), Qt.Key.Key_Escape)
    assert record == [("note_committed", "s1", "Spokesman"), ("editing_finished",)]
    assert host.window_keys == []  # the window's Escape (deselect) did not fire


def test_nothing_committed_when_the_note_is_unchanged(panel, host, qtbot, record):
    panel.show_span(ACTOR, [], "#0072b2")
    type_note(qtbot, panel, "x")
    qtbot.keyClick(note(panel), Qt.Key.Key_Backspace)  # typed and taken back: same as the span's note
    qtbot.keyClick(note(panel), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    host.elsewhere.setFocus()
    panel.focus_note()
    qtbot.keyClick(note(panel), Qt.Key.Key_Escape)
    assert record == [("editing_finished",)]
    assert not panel.commit_note()


def test_switching_span_commits_the_pending_edit_for_the_old_span(panel, qtbot, record):
    panel.show_span(ACTOR, [], "#0072b2")
    type_note(qtbot, panel, "; confirmed")
    panel.show_span(WARNING, WARNING_LINKS, "#d55e00")  # e.g. Tab in the document, focus never left the note
    assert record == [("note_committed", "s1", "Chinese foreign minister; confirmed")]
    assert panel.span_id == "s2" and note(panel).toPlainText() == ""
    type_note(qtbot, panel, "pending")
    panel.show_span(None, [], None)  # disabling the focused editor must not commit a second time
    assert record[1:] == [("note_committed", "s2", "pending")]


def test_switching_span_while_committing_reenters_safely(panel, qtbot):
    """The lead may handle note_committed synchronously and call show_span again from inside it."""
    seen = []

    def on_commit(span_id, text):
        seen.append((span_id, text, panel.span_id))
        panel.show_span(WARNING.model_copy(update={"note": "from model"}), WARNING_LINKS, "#d55e00")

    panel.note_committed.connect(on_commit)
    panel.show_span(ACTOR, [], "#0072b2")
    type_note(qtbot, panel, "!")
    panel.show_span(WARNING, WARNING_LINKS, "#d55e00")
    assert seen == [("s1", "Chinese foreign minister!", "s2")]
    assert note(panel).toPlainText() == "from model"


def test_refreshing_the_same_span_with_nothing_typed_shows_the_new_note(panel, qtbot, record):
    panel.show_span(ACTOR, [], "#0072b2")
    panel.focus_note()
    panel.show_span(ACTOR.model_copy(update={"note": "undone"}), [], "#0072b2")  # e.g. undo from the menu
    assert note(panel).hasFocus() and note(panel).toPlainText() == "undone"
    assert not panel.has_pending_note() and record == []


def test_refreshing_the_same_span_never_clobbers_typing(panel, host, qtbot, record):
    panel.show_span(ACTOR, [], "#0072b2")
    type_note(qtbot, panel, " and more")
    updated = ACTOR.model_copy(update={"note": "changed elsewhere", "uncertain": True})
    panel.show_span(updated, [], "#0072b2")  # same id while typing: the editor keeps its text
    assert note(panel).toPlainText() == "Chinese foreign minister and more"
    assert panel.findChild(QCheckBox, "spanUncertain").isChecked()
    host.elsewhere.setFocus()
    assert record == [("note_committed", "s1", "Chinese foreign minister and more")]
    panel.show_span(ACTOR.model_copy(update={"note": "undone"}), [], "#0072b2")  # not focused: refreshed
    assert note(panel).toPlainText() == "undone"
    assert len(record) == 1


def test_pasted_html_becomes_plain_text(panel):
    panel.show_span(ACTOR, [], "#0072b2")
    editor = note(panel)
    editor.clear()
    html_only = QMimeData()
    html_only.setHtml("<p><b>bold</b> &amp; <i>it</i></p>")
    editor.insertFromMimeData(html_only)
    assert editor.toPlainText() == "bold & it"
    both = QMimeData()
    both.setHtml("<b>ignored</b>")
    both.setText(" <b>literal</b>")
    assert editor.canInsertFromMimeData(both)
    editor.insertFromMimeData(both)
    assert editor.toPlainText() == "bold & it <b>literal</b>"


def test_uncertain_toggle(panel, qtbot, record):
    panel.show_span(ACTOR, [], "#0072b2")
    box = panel.findChild(QCheckBox, "spanUncertain")
    assert not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))  # on the indicator
    assert record == [("uncertain_toggled", "s1", True)]
    panel.show_span(ACTOR.model_copy(update={"uncertain": True}), [], "#0072b2")
    assert box.isChecked() and len(record) == 1  # showing the model's state emits nothing
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert record[-1] == ("uncertain_toggled", "s1", False)


def test_links_are_listed_as_plain_text(panel):
    panel.show_span(WARNING, WARNING_LINKS, "#d55e00")
    assert [links(panel).item(i).text() for i in range(links(panel).count())] == [
        f"source → actor “Wang Yi” [{ACTOR.start}, {ACTOR.end})",
        f"target → actor “Washington” [{OTHER_ACTOR.start}, {OTHER_ACTOR.end})",
    ]
    panel.show_span(ACTOR, [(SOURCE, WARNING, "incoming")], "#0072b2")
    offsets = f"[{WARNING.start}, {WARNING.end})"
    assert links(panel).item(0).text() == f"← source of warning “<b>x</b> would follow” {offsets}"
    assert "&lt;b&gt;" in links(panel).item(0).toolTip()
    multi_line = WARNING.model_copy(update={"text": "a\nb" + "c" * 60})
    assert "a⏎bccc" in link_text(SOURCE, multi_line, "incoming") and "…" in link_text(SOURCE, multi_line, "incoming")


def test_remove_link_by_button_and_delete_key(panel, host, qtbot, record):
    panel.show_span(WARNING, WARNING_LINKS, "#d55e00")
    remove = panel.findChild(QPushButton, "removeLink")
    assert not remove.isEnabled()
    links(panel).setCurrentRow(1)
    assert remove.isEnabled()
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert record == [("relation_remove_requested", "r2")]
    links(panel).setFocus()
    links(panel).setCurrentRow(0)
    qtbot.keyClick(links(panel), Qt.Key.Key_Delete)
    assert record[-1] == ("relation_remove_requested", "r1")
    assert host.window_keys == []  # the window's Delete (delete span) did not fire
    # The lead removes r1 and shows the span again: the next link becomes current, so Delete can go on.
    panel.show_span(WARNING, [(TARGET, OTHER_ACTOR, "outgoing")], "#d55e00")
    assert links(panel).currentRow() == 0 and remove.isEnabled()
    qtbot.keyClick(links(panel), Qt.Key.Key_Delete)
    assert record[-1] == ("relation_remove_requested", "r2")


def test_refresh_keeps_the_selected_link(panel):
    panel.show_span(WARNING, WARNING_LINKS, "#d55e00")
    links(panel).setCurrentRow(1)
    panel.show_span(WARNING, list(reversed(WARNING_LINKS)), "#d55e00")
    assert links(panel).currentItem().text().startswith("target")
    panel.show_span(ACTOR, [(SOURCE, WARNING, "incoming")], "#0072b2")
    assert links(panel).currentItem() is None or not links(panel).currentItem().isSelected()
    assert not panel.findChild(QPushButton, "removeLink").isEnabled()


def test_link_activated_by_double_click_and_enter(panel, qtbot, record):
    panel.show_span(WARNING, WARNING_LINKS, "#d55e00")
    view = links(panel)
    rect = view.visualItemRect(view.item(1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # QTest needs a click first
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ("link_activated", "s3") in record
    view.setFocus()
    view.setCurrentRow(0)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert record[-1] == ("link_activated", "s1")


def test_link_buttons_emit_relation_types_and_can_be_rebuilt(panel, qtbot, record):
    panel.show_span(WARNING, WARNING_LINKS, "#d55e00")
    source = panel.findChild(QPushButton, "link_source")
    assert source.text() == "Link source…"
    qtbot.mouseClick(source, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.findChild(QPushButton, "link_target"), Qt.MouseButton.LeftButton)
    assert record == [("link_requested", "source"), ("link_requested", "target")]
    panel.set_relation_types(["said by", "Q&A"])
    assert list(panel.link_buttons) == ["said by", "Q&A"]
    qanda = panel.link_buttons["Q&A"]
    assert qanda.objectName() == "link_Q&A" and qanda.text() == "Link Q&&A…" and qanda.isEnabled()
    qtbot.mouseClick(qanda, Qt.MouseButton.LeftButton)
    assert record[-1] == ("link_requested", "Q&A")
    qtbot.waitUntil(lambda: panel.findChild(QPushButton, "link_source") is None)
    panel.show_span(None, [], None)
    assert not panel.link_buttons["said by"].isEnabled()


def test_focus_note_puts_the_caret_at_the_end(panel):
    panel.show_span(ACTOR, [], "#0072b2")
    assert panel.focus_note()
    editor = note(panel)
    assert editor.hasFocus()
    assert editor.textCursor().position() == len("Chinese foreign minister")
