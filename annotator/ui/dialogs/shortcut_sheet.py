"""The keyboard shortcut sheet (F1): every shortcut in a searchable table, where the editable ones can be changed.

The dialog never touches a ``QAction``: it asks the window whether a new binding is allowed (the ``check`` callable)
and reports each accepted change with :attr:`ShortcutSheetDialog.shortcut_changed`. Shortcuts travel as
``QKeySequence`` portable text (``"Ctrl+Shift+S"``) and are shown as native text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.plain_text import tooltip_html

COLUMNS = ("Action", "Shortcut", "Category")
ACTION_COLUMN, SHORTCUT_COLUMN, CATEGORY_COLUMN = range(len(COLUMNS))
SEARCH_ROLE = Qt.ItemDataRole.UserRole
"""Column 0: the row's searchable text (action text, category, shortcuts as native and as portable text)."""
MIN_ACTION_WIDTH = 240
"""Pixels the Action column keeps at least when the dialog is sized to show every shortcut whole."""
ACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""Any column: the row's action id."""

_Index = QModelIndex | QPersistentModelIndex
_PORTABLE = QKeySequence.SequenceFormat.PortableText
_NATIVE = QKeySequence.SequenceFormat.NativeText


@dataclass(frozen=True)
class ShortcutRow:
    """One action of the shortcut sheet.

    Attributes
    ----------
    action_id : str
        The action's id (e.g. ``"file.save"``), passed back in signals and to ``check``.
    text : str
        What the action does, as plain display text (no ``&`` mnemonics: ``"Save As…"``, not ``"Save &As…"``).
    category : str
        Group shown in the Category column (e.g. ``"File"``, ``"Labels"``).
    shortcuts : tuple of str
        Current key sequences, ``QKeySequence`` portable text (``"Ctrl+Shift+S"``); empty for none.
    defaults : tuple of str
        The shortcuts *Reset* restores (portable text).
    editable : bool
        ``False`` for rows listed for reference only (e.g. label hotkeys, which come from the label set).
    """

    action_id: str
    text: str
    category: str
    shortcuts: tuple[str, ...]
    defaults: tuple[str, ...]
    editable: bool = True


ShortcutCheck = Callable[[str, str], str | None]
"""``check(action_id, sequence)``: ``None`` when ``action_id`` may be bound to ``sequence`` (portable text), else a
plain-text refusal naming both clashing actions. A sequence the action already has must be allowed."""


def native_text(portable: str) -> str:
    """``portable`` key sequence text (``"Ctrl+Shift+S"``) as the platform shows it (``"⇧⌘S"`` on macOS)."""
    return QKeySequence(portable, _PORTABLE).toString(_NATIVE)


def _shortcut_text(shortcuts: tuple[str, ...]) -> str:
    return ", ".join(native_text(s) for s in shortcuts)


class ShortcutTableModel(QAbstractTableModel):
    """Rows are :class:`ShortcutRow` in the given order; columns :data:`COLUMNS` (the Shortcut column lists a
    row's shortcuts as native text, comma separated; bold when they differ from the defaults; rows listed for
    reference only are in italics). :data:`SEARCH_ROLE` and :data:`ACTION_ID_ROLE` serve the filter and callers."""

    def __init__(self, rows: Iterable[ShortcutRow] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ShortcutRow] = list(rows)

    def set_rows(self, rows: Iterable[ShortcutRow]) -> None:
        """Show ``rows`` (a full reset)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ShortcutRow]:
        """A copy of the rows, in order."""
        return list(self._rows)

    def row_of(self, action_id: str) -> int:
        """Row number of ``action_id``; raises ``KeyError`` when no row has it."""
        for number, row in enumerate(self._rows):
            if row.action_id == action_id:
                return number
        raise KeyError(action_id)

    def row_at(self, number: int) -> ShortcutRow:
        """The row at ``number`` (0-based)."""
        return self._rows[number]

    def set_shortcuts(self, action_id: str, shortcuts: tuple[str, ...]) -> None:
        """Give ``action_id``'s row ``shortcuts`` (portable text); raises ``KeyError`` when no row has it."""
        number = self.row_of(action_id)
        self._rows[number] = dataclasses.replace(self._rows[number], shortcuts=tuple(shortcuts))
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.text, _shortcut_text(row.shortcuts), row.category)[column]
        if role == SEARCH_ROLE and column == ACTION_COLUMN:
            return "\n".join((row.text, row.category, _shortcut_text(row.shortcuts), ", ".join(row.shortcuts)))
        if role == ACTION_ID_ROLE:
            return row.action_id
        if role == Qt.ItemDataRole.ToolTipRole:
            if not row.editable:
                return tooltip_html(f"{row.text}: listed for reference; it cannot be changed here.")
            if column == SHORTCUT_COLUMN:
                return tooltip_html(f"Default: {_shortcut_text(row.defaults) or 'none'}")
            return None
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(not row.editable)
            font.setBold(column == SHORTCUT_COLUMN and row.shortcuts != row.defaults)
            return font
        return None


class ShortcutFilterModel(QSortFilterProxyModel):
    """Shows the rows whose action text, category or shortcut (native or portable text) contains the needle,
    ignoring case (Unicode case folding)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""

    def set_needle(self, text: str) -> None:
        """Filter by ``text`` (``""`` shows every row)."""
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9
            self.beginFilterChange()
        self._needle = text.strip().casefold()
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt < 6.9
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        haystack = model.data(model.index(source_row, ACTION_COLUMN, source_parent), SEARCH_ROLE) or ""
        return self._needle in haystack.casefold()


def _plain_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _is_key(event: QEvent, *keys: Qt.Key) -> bool:
    if event.type() != QEvent.Type.KeyPress:
        return False
    assert isinstance(event, QKeyEvent)
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() in keys and modifiers == Qt.KeyboardModifier.NoModifier


class ShortcutSheetDialog(QDialog):
    """The searchable shortcut sheet (``objectName`` ``shortcutSheet``), where shortcuts can be changed.

    The filter field (focused on opening; Down moves into the table, Enter changes the current row) narrows the
    table to rows whose action, category or shortcut contains its text, ignoring case. To change a shortcut, select
    a row and press Enter, double-click it, or press *Change…*: the key-capture field takes the next key
    combination (one; Escape cancels the capture, not the dialog). The new binding is offered to ``check``; a
    refusal is shown in the message line and the old binding stays. *Change* replaces all of a row's shortcuts
    with the captured one; *Reset* restores the row's defaults (each checked); *Clear* removes its shortcuts. Rows
    with ``editable=False`` refuse all three with a message. Escape outside a capture closes the dialog.

    Parameters
    ----------
    rows : iterable of ShortcutRow
        The actions, in display order (group them by category). Action ids must be unique.
    check : callable ``(action_id: str, sequence: str) -> str | None``
        See :data:`ShortcutCheck`; called synchronously for every sequence about to be bound, after the
        :attr:`shortcut_changed` of earlier changes, so it can consult the live actions.
    parent : QWidget or None

    Signals
    -------
    shortcut_changed(str, list)
        A row's shortcuts changed: its action id and its new shortcuts as a ``list[str]`` of portable text
        (``[]`` after *Clear*). Not emitted for a refused change or one that changes nothing.
    """

    shortcut_changed = Signal(str, list)

    def __init__(self, rows: Iterable[ShortcutRow], check: ShortcutCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(680, 520)
        self._check = check
        self._capturing: str | None = None  # action id whose new shortcut is being captured

        self.model = ShortcutTableModel(rows, self)
        self.proxy = ShortcutFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self._filter = QLineEdit()
        self._filter.setObjectName("shortcutFilter")
        self._filter.setPlaceholderText("Filter by action, shortcut or category")
        self._filter.setClearButtonEnabled(True)
        self._filter.setAccessibleName("Filter shortcuts")

        self._table = QTableView()
        self._table.setObjectName("shortcutTable")
        self._table.setModel(self.proxy)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setTabKeyNavigation(False)
        self._table.setAlternatingRowColors(True)
        self._table.verticalHeader().hide()
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(ACTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SHORTCUT_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CATEGORY_COLUMN, QHeaderView.ResizeMode.ResizeToContents)

        self._capture_prompt = _plain_label("shortcutPrompt")
        self._key_edit = QKeySequenceEdit()
        self._key_edit.setObjectName("shortcutEdit")
        self._key_edit.setMaximumSequenceLength(1)
        self._key_edit.setAccessibleName("New shortcut")
        self._capture_box = QWidget()
        capture_layout = QHBoxLayout(self._capture_box)
        capture_layout.setContentsMargins(0, 0, 0, 0)
        capture_layout.addWidget(self._capture_prompt, 1)
        capture_layout.addWidget(self._key_edit)
        self._capture_box.hide()

        self._message = _plain_label("shortcutMessage")

        self._change = QPushButton("Change…")
        self._change.setObjectName("shortcutChange")
        self._reset = QPushButton("Reset")
        self._reset.setObjectName("shortcutReset")
        self._reset.setToolTip("Back to the default shortcut")
        self._clear = QPushButton("Clear")
        self._clear.setObjectName("shortcutClear")
        self._clear.setToolTip("No shortcut")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self._change, self._reset, self._clear):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self._filter)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._capture_box)
        layout.addWidget(self._message)
        layout.addLayout(buttons)

        self._filter.textChanged.connect(self._on_filter_changed)
        self._filter.installEventFilter(self)
        self._table.installEventFilter(self)
        self._key_edit.installEventFilter(self)
        self._table.doubleClicked.connect(lambda _index: self.start_capture())
        self._table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self._key_edit.editingFinished.connect(self._on_capture_finished)
        self._change.clicked.connect(self.start_capture)
        self._reset.clicked.connect(self.reset_current)
        self._clear.clicked.connect(self.clear_current)
        self.model.modelReset.connect(self._ensure_current)
        self._ensure_current()

    # -- the window's side ------------------------------------------------------------------------------------
    def rows(self) -> list[ShortcutRow]:
        """The rows with their current shortcuts, in order."""
        return self.model.rows()

    def set_rows(self, rows: Iterable[ShortcutRow]) -> None:
        """Replace the rows (e.g. after the label set changed); a capture in progress is cancelled."""
        self.cancel_capture()
        self.model.set_rows(rows)

    # -- state ------------------------------------------------------------------------------------------------
    def current_action_id(self) -> str | None:
        """Action id of the selected row, or ``None``."""
        row = self._current_row()
        return row.action_id if row else None

    def select_action(self, action_id: str) -> bool:
        """Select ``action_id``'s row; ``False`` when it has no row or the filter hides it."""
        try:
            index = self.proxy.mapFromSource(self.model.index(self.model.row_of(action_id), 0))
        except KeyError:
            return False
        if not index.isValid():
            return False
        self._table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        return True

    def is_capturing(self) -> bool:
        """Whether the key-capture field is waiting for a key combination."""
        return self._capturing is not None

    def message(self) -> str:
        """The message line's text (a refusal or a confirmation; ``""`` when none)."""
        return self._message.text()

    # -- editing ----------------------------------------------------------------------------------------------
    def start_capture(self) -> bool:
        """Start capturing a new shortcut for the selected row; ``False`` (with a message) when no row is selected
        or the row is listed for reference only."""
        row = self._current_row()
        if row is None:
            self._message.setText("Select an action first.")
            return False
        if not row.editable:
            self._refuse_reference(row)
            return False
        self._capturing = row.action_id
        self._key_edit.clear()
        self._capture_prompt.setText(f"Press the new shortcut for “{row.text}” (Escape cancels):")
        self._message.setText("")
        self._capture_box.show()
        self._key_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def cancel_capture(self) -> None:
        """Stop capturing without changing anything (the focus goes back to the table)."""
        if self._capturing is None:
            return
        self._end_capture()

    def reset_current(self) -> bool:
        """Give the selected row its default shortcuts (each offered to ``check``); whether it now has them."""
        row = self._editable_row()
        return row is not None and self._assign(row, row.defaults)

    def clear_current(self) -> bool:
        """Remove the selected row's shortcuts; whether it now has none."""
        row = self._editable_row()
        return row is not None and self._assign(row, ())

    # -- internals --------------------------------------------------------------------------------------------
    def _current_row(self) -> ShortcutRow | None:
        index = self._table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def _editable_row(self) -> ShortcutRow | None:
        self.cancel_capture()
        row = self._current_row()
        if row is None:
            self._message.setText("Select an action first.")
            return None
        if not row.editable:
            self._refuse_reference(row)
            return None
        return row

    def _refuse_reference(self, row: ShortcutRow) -> None:
        shortcut = _shortcut_text(row.shortcuts)
        bound = f" ({shortcut})" if shortcut else ""
        self._message.setText(f"“{row.text}”{bound} is listed for reference; its shortcut cannot be changed here.")

    def _assign(self, row: ShortcutRow, shortcuts: tuple[str, ...]) -> bool:
        """Bind ``row`` to ``shortcuts`` if ``check`` allows each; show the outcome in the message line."""
        if shortcuts == row.shortcuts:
            self._message.setText("")
            return True
        for sequence in shortcuts:
            refusal = self._check(row.action_id, sequence)
            if refusal:
                self._message.setText(refusal)
                return False
        self.model.set_shortcuts(row.action_id, shortcuts)
        now = _shortcut_text(shortcuts)
        self._message.setText(f"“{row.text}” is now {now}." if now else f"“{row.text}” has no shortcut now.")
        self._update_buttons()
        self.shortcut_changed.emit(row.action_id, list(shortcuts))
        return True

    def _on_capture_finished(self) -> None:
        action_id = self._capturing
        if action_id is None:
            return
        sequence = self._key_edit.keySequence()
        if sequence.isEmpty():  # a modifier pressed and released alone: keep waiting for a combination
            return
        self._end_capture()
        portable = QKeySequence(sequence[0]).toString(_PORTABLE)
        try:
            row = self.model.row_at(self.model.row_of(action_id))
        except KeyError:  # the rows were replaced meanwhile
            return
        self._assign(row, (portable,))

    def _end_capture(self) -> None:
        self._capturing = None
        self._capture_box.hide()
        with_focus = self._key_edit.hasFocus()
        self._key_edit.clear()
        if with_focus:
            self._table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_filter_changed(self, text: str) -> None:
        self.proxy.set_needle(text)
        self._ensure_current()

    def _ensure_current(self) -> None:
        if not self._table.currentIndex().isValid() and self.proxy.rowCount() > 0:
            self._table.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._update_buttons()

    def _on_current_changed(self, *_args: object) -> None:
        row = self._current_row()
        if self._capturing is not None and (row is None or row.action_id != self._capturing):
            self.cancel_capture()
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self._current_row()
        self._change.setEnabled(row is not None)
        self._reset.setEnabled(row is not None and row.editable and row.shortcuts != row.defaults)
        self._clear.setEnabled(row is not None and row.editable and bool(row.shortcuts))

    # -- keys -------------------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._key_edit and _is_key(event, Qt.Key.Key_Escape):
            self.cancel_capture()
            return True
        if watched is self._table and _is_key(event, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.start_capture()
            return True
        if watched is self._filter:
            if _is_key(event, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.start_capture()
                return True
            if _is_key(event, Qt.Key.Key_Down):
                self._ensure_current()
                self._table.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._capturing is not None and _is_key(event, Qt.Key.Key_Escape):
            self.cancel_capture()
            event.accept()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_columns()
        self._filter.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fit_columns(self) -> None:
        """Make the dialog at least wide enough for every shortcut and category whole beside an Action column of
        :data:`MIN_ACTION_WIDTH` pixels (the Action column takes the rest and elides its text, the tooltip and the
        search keep it whole): never a shortcut cut to "Ctrl+S…"."""
        table = self._table
        wanted = (
            MIN_ACTION_WIDTH
            + table.sizeHintForColumn(SHORTCUT_COLUMN)
            + table.sizeHintForColumn(CATEGORY_COLUMN)
            + table.verticalScrollBar().sizeHint().width()
            + 2 * table.frameWidth()
        )
        extra = self.width() - table.viewport().width()  # the dialog's margins around the table's viewport
        self.setMinimumWidth(max(self.minimumWidth(), wanted + max(0, extra - table.verticalScrollBar().width())))
        if self.width() < self.minimumWidth():
            self.resize(self.minimumWidth(), self.height())
