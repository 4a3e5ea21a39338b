"""The suggestion list: the open document's pending suggestions with their label, text, score and reason, in
document order; choosing a row selects that suggestion in the document."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from annotator.model.labels import LabelSet
from annotator.model.pending import PendingSuggestion
from annotator.ui.colors import label_color
from annotator.ui.plain_text import one_line, shown_name, tooltip_html

SUGGESTION_COLUMNS = ("Label", "Text", "Score", "Reason")
SUGGESTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class SuggestionListModel(QAbstractTableModel):
    """Rows are pending suggestions sorted by ``(start, end, label, id)``; columns :data:`SUGGESTION_COLUMNS` (the
    score with two decimals, the reason in full as the row's tooltip). :data:`SUGGESTION_ID_ROLE` gives a row's id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PendingSuggestion] = []
        self._label_set: LabelSet | None = None

    def set_suggestions(self, suggestions: list[PendingSuggestion], label_set: LabelSet | None) -> None:
        """Show ``suggestions`` (a reset: a run of the suggester replaces many at once)."""
        self.beginResetModel()
        self._rows = sorted(suggestions, key=lambda s: (s.start, s.end, s.label, s.id))
        self._label_set = label_set
        self.endResetModel()

    def row_of(self, suggestion_id: str) -> int:
        """The row of suggestion ``suggestion_id``, or -1."""
        return next((row for row, s in enumerate(self._rows) if s.id == suggestion_id), -1)

    def suggestion_at(self, row: int) -> PendingSuggestion:
        """The suggestion in row ``row``."""
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SUGGESTION_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return SUGGESTION_COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        suggestion = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (shown_name(suggestion.label), one_line(suggestion.text), f"{suggestion.score:.2f}")
            return (*values, one_line(suggestion.reason))[column]
        if role == SUGGESTION_ID_ROLE:
            return suggestion.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_html(f"{suggestion.reason}\n{suggestion.suggester}, score {suggestion.score:.2f}")
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and self._label_set is not None:
            label = self._label_set.get(suggestion.label)
            return label_color(label.color, palette=QGuiApplication.palette()) if label else QColor("#888888")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SuggestionListPanel(QWidget):
    """The suggestion list (``objectName`` ``suggestionListPanel``): a count (``suggestionCount``) over the table
    (``suggestionTable``).

    Signals
    -------
    suggestion_chosen(str): a row was clicked or chosen with the keyboard (the suggestion's id).
    """

    suggestion_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionListPanel")
        self.model = SuggestionListModel(self)
        self.table = QTableView()
        self.table.setObjectName("suggestionTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel()
        self.count_label.setObjectName("suggestionCount")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        self._syncing = False
        self.table.clicked.connect(self._chosen)
        self.table.activated.connect(self._chosen)
        self.set_suggestions([], None)

    def set_suggestions(self, suggestions: list[PendingSuggestion], label_set: LabelSet | None) -> None:
        """Show ``suggestions`` and their count."""
        self.model.set_suggestions(suggestions, label_set)
        count = len(suggestions)
        self.count_label.setText(f"{count} pending suggestion{'' if count == 1 else 's'}")

    def select(self, suggestion_id: str | None) -> None:
        """Select (and scroll to) the row of ``suggestion_id``; none when ``None`` or not listed."""
        row = self.model.row_of(suggestion_id) if suggestion_id is not None else -1
        self._syncing = True
        try:
            if row < 0:
                self.table.clearSelection()
                return
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._syncing = False

    def _chosen(self, index: QModelIndex) -> None:
        if not self._syncing and index.isValid():
            self.suggestion_chosen.emit(self.model.suggestion_at(index.row()).id)
