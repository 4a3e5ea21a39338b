"""The span list: a ``QAbstractTableModel`` over the open annotation set, updated row by row from each Change."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.span import Span
from annotator.ui.colors import label_color
from annotator.ui.plain_text import one_line, tooltip_html

SORT_ROLE = Qt.ItemDataRole.UserRole
SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Label", "Text", "Start", "End")

_Index = QModelIndex | QPersistentModelIndex


class SpanTableModel(QAbstractTableModel):
    """Rows are spans (in insertion order; sort through a proxy); columns: label, text, start, end (code points)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._annotations: AnnotationSet | None = None
        self._ids: list[str] = []
        self._spans: dict[str, Span] = {}  # the spans shown, kept in step with the rows

    def set_annotations(self, annotations: AnnotationSet | None) -> None:
        """Show all spans of ``annotations`` (a full reset; used when a document is opened)."""
        self.beginResetModel()
        self._annotations = annotations
        spans = annotations.sorted_spans() if annotations else []
        self._ids = [s.id for s in spans]
        self._spans = {s.id: s for s in spans}
        self.endResetModel()

    def apply_change(self, change: Change) -> None:
        """Insert, remove or refresh only the rows named in ``change``."""
        for span in change.removed:
            row = self._ids.index(span.id)
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._ids[row]
            del self._spans[span.id]
            self.endRemoveRows()
        for _old, new in change.changed:
            row = self._ids.index(new.id)
            self._spans[new.id] = new
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        for span in change.added:
            row = len(self._ids)
            self.beginInsertRows(QModelIndex(), row, row)
            self._ids.append(span.id)
            self._spans[span.id] = span
            self.endInsertRows()

    def span_at(self, row: int) -> Span:
        """The span shown in source row ``row``."""
        return self._spans[self._ids[row]]

    def row_of(self, span_id: str) -> int:
        """Source row of span ``span_id`` (``ValueError`` if absent)."""
        return self._ids.index(span_id)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal and section >= 2:
            return "Offset in Unicode code points, half-open [start, end)"
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._annotations is None:
            return None
        span = self.span_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (span.label, one_line(span.text), span.start, span.end)[column]
        if role == SORT_ROLE:
            return (span.label, span.text, span.start, span.end)[column]
        if role == SPAN_ID_ROLE:
            return span.id
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return tooltip_html(span.text)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            label = self._annotations.label_set.get(span.label)
            return label_color(label.color) if label else QColor("#888888")
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SpanTableView(QTableView):
    """The span list widget (``objectName`` ``spanTable``): sortable, whole-row selection, no per-row widgets."""

    def __init__(self, model: SpanTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanTable")
        self.source_model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)

    def fit_label_column(self, label_names: list[str]) -> None:
        """Make the label column wide enough for the longest label name (plus its color swatch)."""
        widest = max((self.fontMetrics().horizontalAdvance(name) for name in [*label_names, COLUMNS[0]]), default=0)
        self.horizontalHeader().resizeSection(0, widest + self.iconSize().width() + 44)

    def selected_span_ids(self) -> list[str]:
        """Ids of the spans in the selected rows."""
        rows = self.selectionModel().selectedRows()
        return [self.proxy.data(index, SPAN_ID_ROLE) for index in rows]

    def select_span(self, span_id: str | None) -> None:
        """Select (and scroll to) the row of ``span_id``, or clear the selection."""
        if span_id is None:
            self.clearSelection()
            return
        try:
            row = self.source_model.row_of(span_id)
        except ValueError:
            return
        index = self.proxy.mapFromSource(self.source_model.index(row, 0))
        self.selectRow(index.row())
        self.scrollTo(index)
