"""Qt item models over an :class:`~annotator.review.adjudication.Adjudication`: its disagreements, the
candidate spans of one disagreement, and its attribute and document-label (value) disagreements. Every cell is
plain text (``DisplayRole``); nothing is parsed as HTML."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from annotator.model.compare import shorten
from annotator.review.adjudication import Adjudication, Candidate
from annotator.review.value_disagreements import shown
from annotator.ui.plain_text import shown_name, tooltip_html

KIND_NAMES = {
    "label": "label",
    "boundary": "boundary",
    "label_and_boundary": "label + boundary",
    "missing": "missing",
}
"""How each kind of disagreement is named in the list."""

NOTHING = "—"

_Index = QModelIndex | QPersistentModelIndex


class _TextTableModel(QAbstractTableModel):
    """A read-only table whose cells are plain text: subclasses set :attr:`headers` and give :meth:`row_count` and
    :meth:`cell`."""

    headers: list[str] | tuple[str, ...] = ()

    def row_count(self) -> int:
        """The number of rows."""
        raise NotImplementedError

    def cell(self, row: int, column: int) -> str:
        """The plain text of one cell."""
        raise NotImplementedError

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.headers[index.column()]}: {self.cell(index.row(), index.column())}"
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text of a cell shown elided (e.g. "Where")
            text = self.cell(index.row(), index.column())
            return tooltip_html(text) if text else None
        return None


class DisagreementTableModel(_TextTableModel):
    """One row per disagreement: number, kind, where (code points), text, each annotator's spans there, what gold
    holds among its candidates, and whether it is decided."""

    def __init__(self, adjudication: Adjudication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.adjudication = adjudication
        self.headers = ["#", "Kind", "Where", "Text", *map(shown_name, adjudication.annotators), "Gold", "Done"]

    def row_count(self) -> int:
        return len(self.adjudication.disagreements)

    def cell(self, row: int, column: int) -> str:
        """The plain text of one cell."""
        adjudication = self.adjudication
        item = adjudication.disagreements[row]
        annotators = adjudication.annotators
        if column == 0:
            return str(row + 1)
        if column == 1:
            kind = KIND_NAMES[item.kind]
            return f"{kind} ({', '.join(map(shown_name, item.missing_from))})" if item.missing_from else kind
        if column == 2:
            return f"[{item.start}, {item.end})"
        if column == 3:
            return shorten(item.text)
        if column < 4 + len(annotators):
            spans = item.spans[annotators[column - 4]]
            return " + ".join(f"{shown_name(s.label)} [{s.start}, {s.end})" for s in spans) or NOTHING
        if column == 4 + len(annotators):
            held = [c.describe() for c in adjudication.candidates(row) if adjudication.in_gold(c)]
            return " + ".join(held) or NOTHING
        return "✓" if adjudication.is_decided(row) else ""

    def refresh_row(self, row: int) -> None:
        """Tell views that row ``row`` (its gold and decided cells) changed."""
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))


class CandidateTableModel(_TextTableModel):
    """The candidates of one disagreement: label, offsets (code points), text, the annotators who have it, and
    whether gold holds it."""

    headers = ("Label", "Where", "Text", "Annotators", "In gold")

    def __init__(self, adjudication: Adjudication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.adjudication = adjudication
        self.disagreement: int | None = None
        self.candidates: list[Candidate] = []

    def show_disagreement(self, index: int | None) -> None:
        """List the candidates of disagreement ``index`` (none for ``None``)."""
        self.beginResetModel()
        self.disagreement = index
        self.candidates = [] if index is None else self.adjudication.candidates(index)
        self.endResetModel()

    def refresh(self) -> None:
        """Tell views that the "In gold" cells may have changed."""
        if self.candidates:
            self.dataChanged.emit(self.index(0, 4), self.index(len(self.candidates) - 1, 4))

    def row_count(self) -> int:
        return len(self.candidates)

    def cell(self, row: int, column: int) -> str:
        """The plain text of one cell."""
        candidate = self.candidates[row]
        start, end, label = candidate.key
        if column == 0:
            return shown_name(label)
        if column == 1:
            return f"[{start}, {end})"
        if column == 2:
            return shorten(candidate.span.text)
        if column == 3:
            return ", ".join(map(shown_name, candidate.annotators))
        return "✓ in gold" if self.adjudication.in_gold(candidate) else NOTHING


class ValueDisagreementTableModel(_TextTableModel):
    """One row per attribute or document-label disagreement: number, item (``kind`` or ``document: relevance``),
    where (the span, or ``document``), each annotator's value, gold's value, and whether it is decided."""

    def __init__(self, adjudication: Adjudication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.adjudication = adjudication
        self.headers = ["#", "Item", "Where", *map(shown_name, adjudication.annotators), "Gold", "Done"]

    def row_count(self) -> int:
        return len(self.adjudication.value_disagreements)

    def cell(self, row: int, column: int) -> str:
        """The plain text of one cell."""
        adjudication = self.adjudication
        item = adjudication.value_disagreements[row]
        annotators = adjudication.annotators
        if column == 0:
            return str(row + 1)
        if column == 1:
            return shown_name(item.name) if item.key is not None else f"document: {shown_name(item.name)}"
        if column == 2:
            return item.where()
        if column < 3 + len(annotators):
            return shown(item.values[annotators[column - 3]])
        if column == 3 + len(annotators):
            return shown(adjudication.gold_value(row))
        return "✓" if row in adjudication.values_decided else ""

    def refresh(self) -> None:
        """Tell views that the gold and decided cells may have changed (a span decision can take a span out)."""
        if self.row_count():
            self.dataChanged.emit(self.index(0, 0), self.index(self.row_count() - 1, self.columnCount() - 1))
