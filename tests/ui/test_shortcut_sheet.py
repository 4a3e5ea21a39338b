"""The shortcut sheet on its own: filtering, capturing a new key, refused clashes, reset, clear, reference rows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QKeySequenceEdit, QLabel, QLineEdit, QPushButton, QTableView

from annotator.ui.dialogs.shortcut_sheet import ShortcutRow, ShortcutSheetDialog

ROWS = [
    ShortcutRow("file.open", "Open…", "File", ("Ctrl+O",), ("Ctrl+O",)),
    ShortcutRow("file.save", "Save", "File", ("Ctrl+S",), ("Ctrl+S",)),
    ShortcutRow("file.save_as", "Save As…", "File", ("Ctrl+Shift+S",), ("Ctrl+Shift+S",)),
    ShortcutRow("view.zoom_in", "Zoom In", "View", ("Ctrl+=", "Ctrl++"), ("Ctrl+=", "Ctrl++")),
    ShortcutRow("label.<b>x</b>", "Label <b>x</b>", "Labels", ("1",), ("1",), editable=False),
]


def native(portable: str) -> str:
    return QKeySequence(portable, QKeySequence.SequenceFormat.PortableText).toString(
        QKeySequence.SequenceFormat.NativeText
    )


class Bindings:
    """The window's side: who holds which sequence, refusing a sequence another action holds (naming both)."""

    def __init__(self, rows: list[ShortcutRow]) -> None:
        self.text = {row.action_id: row.text for row in rows}
        self.keys = {row.action_id: list(row.shortcuts) for row in rows}
        self.asked: list[tuple[str, str]] = []

    def check(self, action_id: str, sequence: str) -> str | None:
        self.asked.append((action_id, sequence))
        for other, keys in self.keys.items():
            if other != action_id and sequence in keys:
                held, wanted = self.text[other], self.text[action_id]
                return f"{native(sequence)} is already the shortcut of “{held}”; “{wanted}” keeps its shortcut."
        return None

    def changed(self, action_id: str, shortcuts: list[str]) -> None:
        self.keys[action_id] = list(shortcuts)


@pytest.fixture
def bindings():
    return Bindings(ROWS)


@pytest.fixture
def sheet(qtbot, bindings):
    dialog = ShortcutSheetDialog(ROWS, bindings.check)
    dialog.shortcut_changed.connect(bindings.changed)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def table(sheet) -> QTableView:
    return sheet.findChild(QTableView, "shortcutTable")


def shown(sheet) -> list[tuple[str, str, str]]:
    """The table's rows as displayed (after filtering)."""
    model = table(sheet).model()
    return [
        tuple(model.index(row, column).data() for column in range(model.columnCount()))
        for row in range(model.rowCount())
    ]


def message(sheet) -> str:
    return sheet.findChild(QLabel, "shortcutMessage").text()


def key_edit(sheet) -> QKeySequenceEdit:
    return sheet.findChild(QKeySequenceEdit, "shortcutEdit")


def filter_field(sheet) -> QLineEdit:
    return sheet.findChild(QLineEdit, "shortcutFilter")


def choose(qtbot, sheet, needle: str) -> None:
    """Select the first row matching ``needle`` the keyboard way: type it in the filter, then Down."""
    filter_field(sheet).clear()
    qtbot.keyClicks(filter_field(sheet), needle)
    qtbot.keyClick(filter_field(sheet), Qt.Key.Key_Down)


def shortcuts_of(sheet, action_id: str) -> tuple[str, ...]:
    return next(row.shortcuts for row in sheet.rows() if row.action_id == action_id)


def test_rows_show_action_native_shortcuts_and_category(sheet):
    assert shown(sheet) == [
        ("Open…", native("Ctrl+O"), "File"),
        ("Save", native("Ctrl+S"), "File"),
        ("Save As…", native("Ctrl+Shift+S"), "File"),
        ("Zoom In", f"{native('Ctrl+=')}, {native('Ctrl++')}", "View"),
        ("Label <b>x</b>", "1", "Labels"),  # plain text, not bold x
    ]
    assert sheet.objectName() == "shortcutSheet"


def test_the_filter_is_focused_on_opening(sheet):
    assert sheet.focusWidget() is filter_field(sheet)


@pytest.mark.parametrize(
    ("needle", "actions"),
    [
        ("save", ["Save", "Save As…"]),  # action text
        ("FILE", ["Open…", "Save", "Save As…"]),  # category, any case
        ("shift+s", ["Save As…"]),  # shortcut text
        ("<b>", ["Label <b>x</b>"]),
        ("nothing like it", []),
    ],
)
def test_the_filter_narrows_the_rows(sheet, qtbot, needle, actions):
    qtbot.keyClicks(filter_field(sheet), needle)
    assert [row[0] for row in shown(sheet)] == actions
    filter_field(sheet).clear()
    assert len(shown(sheet)) == len(ROWS)


def test_capture_a_new_shortcut_with_enter_and_a_key(sheet, qtbot, bindings):
    choose(qtbot, sheet, "save as")
    assert sheet.current_action_id() == "file.save_as"
    qtbot.keyClick(table(sheet), Qt.Key.Key_Return)
    assert sheet.is_capturing()
    assert key_edit(sheet).isVisible()
    with qtbot.waitSignal(sheet.shortcut_changed) as changed:
        qtbot.keyClick(
            key_edit(sheet), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
    assert changed.args == ["file.save_as", ["Ctrl+Alt+K"]]
    assert bindings.asked == [("file.save_as", "Ctrl+Alt+K")]
    assert shortcuts_of(sheet, "file.save_as") == ("Ctrl+Alt+K",)
    assert not sheet.is_capturing()
    assert not key_edit(sheet).isVisible()
    filter_field(sheet).clear()
    assert ("Save As…", native("Ctrl+Alt+K"), "File") in shown(sheet)


def test_change_replaces_every_shortcut_of_the_row(sheet, qtbot):
    choose(qtbot, sheet, "zoom")
    qtbot.mouseClick(sheet.findChild(QPushButton, "shortcutChange"), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(sheet.shortcut_changed) as changed:
        qtbot.keyClick(key_edit(sheet), Qt.Key.Key_F6)
    assert changed.args == ["view.zoom_in", ["F6"]]


def test_a_modifier_alone_does_not_end_the_capture(sheet, qtbot):
    choose(qtbot, sheet, "save")
    qtbot.keyClick(table(sheet), Qt.Key.Key_Return)
    with qtbot.waitSignal(key_edit(sheet).editingFinished, timeout=3000):
        qtbot.keyClick(key_edit(sheet), Qt.Key.Key_Shift)  # Qt gives up on it after a second
    assert sheet.is_capturing()
    with qtbot.waitSignal(sheet.shortcut_changed) as changed:
        qtbot.keyClick(key_edit(sheet), Qt.Key.Key_F7)
    assert changed.args == ["file.save", ["F7"]]


def test_double_click_starts_a_capture(sheet, qtbot):
    view = table(sheet)
    index = view.model().index(1, 0)
    where = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double click starts with a click
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert sheet.is_capturing()
    assert sheet.current_action_id() == "file.save"


def test_enter_in_the_filter_changes_the_first_matching_row(sheet, qtbot):
    qtbot.keyClicks(filter_field(sheet), "open")
    qtbot.keyClick(filter_field(sheet), Qt.Key.Key_Return)
    assert sheet.is_capturing()
    assert sheet.current_action_id() == "file.open"


def test_a_clash_is_refused_with_the_message_and_the_old_binding_stays(sheet, qtbot, bindings):
    choose(qtbot, sheet, "save as")
    qtbot.keyClick(table(sheet), Qt.Key.Key_Return)
    with qtbot.assertNotEmitted(sheet.shortcut_changed):
        qtbot.keyClick(key_edit(sheet), Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert message(sheet) == f"{native('Ctrl+O')} is already the shortcut of “Open…”; “Save As…” keeps its shortcut."
    assert sheet.findChild(QLabel, "shortcutMessage").textFormat() == Qt.TextFormat.PlainText
    assert shortcuts_of(sheet, "file.save_as") == ("Ctrl+Shift+S",)
    assert bindings.keys["file.save_as"] == ["Ctrl+Shift+S"]
    assert not sheet.is_capturing()


def test_escape_cancels_a_capture_then_closes_the_dialog(sheet, qtbot):
    choose(qtbot, sheet, "save")
    qtbot.keyClick(table(sheet), Qt.Key.Key_Return)
    with qtbot.assertNotEmitted(sheet.shortcut_changed), qtbot.assertNotEmitted(sheet.rejected):
        qtbot.keyClick(key_edit(sheet), Qt.Key.Key_Escape)
    assert not sheet.is_capturing()
    assert sheet.isVisible()
    assert shortcuts_of(sheet, "file.save") == ("Ctrl+S",)
    with qtbot.waitSignal(sheet.rejected):
        qtbot.keyClick(table(sheet), Qt.Key.Key_Escape)
    assert not sheet.isVisible()


def test_reset_and_clear(sheet, qtbot, bindings):
    reset = sheet.findChild(QPushButton, "shortcutReset")
    clear = sheet.findChild(QPushButton, "shortcutClear")
    choose(qtbot, sheet, "save as")
    assert not reset.isEnabled()  # already the default
    assert clear.isEnabled()
    with qtbot.waitSignal(sheet.shortcut_changed) as changed:
        qtbot.mouseClick(clear, Qt.MouseButton.LeftButton)
    assert changed.args == ["file.save_as", []]
    assert shortcuts_of(sheet, "file.save_as") == ()
    assert not clear.isEnabled()
    assert reset.isEnabled()
    with qtbot.waitSignal(sheet.shortcut_changed) as changed:
        qtbot.mouseClick(reset, Qt.MouseButton.LeftButton)
    assert changed.args == ["file.save_as", ["Ctrl+Shift+S"]]
    assert bindings.asked[-1] == ("file.save_as", "Ctrl+Shift+S")
    assert not reset.isEnabled()


def test_reset_is_checked_too(sheet, qtbot):
    choose(qtbot, sheet, "save as")
    sheet.clear_current()
    choose(qtbot, sheet, "open")
    qtbot.keyClick(table(sheet), Qt.Key.Key_Return)
    qtbot.keyClick(
        key_edit(sheet), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert shortcuts_of(sheet, "file.open") == ("Ctrl+Shift+S",)
    choose(qtbot, sheet, "save as")
    with qtbot.assertNotEmitted(sheet.shortcut_changed):
        qtbot.mouseClick(sheet.findChild(QPushButton, "shortcutReset"), Qt.MouseButton.LeftButton)
    assert "“Open…”" in message(sheet)
    assert "“Save As…”" in message(sheet)
    assert shortcuts_of(sheet, "file.save_as") == ()


def test_reference_rows_refuse_editing(sheet, qtbot):
    choose(qtbot, sheet, "label")
    assert sheet.current_action_id() == "label.<b>x</b>"
    assert not sheet.findChild(QPushButton, "shortcutReset").isEnabled()
    assert not sheet.findChild(QPushButton, "shortcutClear").isEnabled()
    with qtbot.assertNotEmitted(sheet.shortcut_changed):
        qtbot.keyClick(table(sheet), Qt.Key.Key_Return)
        assert not sheet.is_capturing()
        assert message(sheet) == "“Label <b>x</b>” (1) is listed for reference; its shortcut cannot be changed here."
        sheet.findChild(QLabel, "shortcutMessage").clear()
        assert not sheet.clear_current()
        assert "listed for reference" in message(sheet)
    assert shortcuts_of(sheet, "label.<b>x</b>") == ("1",)


def test_moving_to_another_row_cancels_a_capture(sheet, qtbot):
    choose(qtbot, sheet, "save")
    qtbot.keyClick(table(sheet), Qt.Key.Key_Return)
    assert sheet.is_capturing()
    table(sheet).setCurrentIndex(table(sheet).model().index(1, 0))
    assert not sheet.is_capturing()
    assert not key_edit(sheet).isVisible()


def test_binding_the_same_shortcut_again_changes_nothing(sheet, qtbot, bindings):
    choose(qtbot, sheet, "save")
    qtbot.keyClick(table(sheet), Qt.Key.Key_Return)
    with qtbot.assertNotEmitted(sheet.shortcut_changed):
        qtbot.keyClick(key_edit(sheet), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert bindings.asked == []
    assert shortcuts_of(sheet, "file.save") == ("Ctrl+S",)


def test_select_action_and_set_rows(sheet):
    assert sheet.select_action("view.zoom_in")
    assert sheet.current_action_id() == "view.zoom_in"
    assert not sheet.select_action("no.such")
    sheet.set_rows(ROWS[:2])
    assert [row.action_id for row in sheet.rows()] == ["file.open", "file.save"]
    assert sheet.current_action_id() == "file.open"
    assert table(sheet).model().index(0, 0) != QModelIndex()
