"""The project's document list: a ``QAbstractTableModel`` over the documents' :class:`DocumentEntry` rows (status,
id, type of source, span count), a filter proxy (id substring, status) and the panel with the filters, the table and
the project's progress (a bar and a one-line summary).

The document's name is the column that gets the room: the panel is narrow (225 pixels by default), so the status is
its symbol only (its title in the tooltip), the type a short word (:data:`SHORT_TYPES`; the full name in the tooltip)
and the header's words short; the name takes what is left, elided in the middle (folder and file name both show),
whole in its tooltip, and the table never scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.io.opening import KIND_NAMES, kind_of
from annotator.model.status import DocumentStatus
from annotator.project.status import DocumentEntry, ProjectProgress, progress
from annotator.ui.filter_edit import FilterEdit
from annotator.ui.plain_text import shown_name, tooltip_html
from annotator.ui.theme import display_color

SORT_ROLE = Qt.ItemDataRole.UserRole
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("", "Document", "Type", "Spans")
"""The header's texts: the Status column's is empty (its symbols need no more room; the tooltip names it)."""
STATUS_COLUMN, DOCUMENT_COLUMN, TYPE_COLUMN, SPANS_COLUMN = range(len(COLUMNS))

STATUS_SYMBOLS = {
    DocumentStatus.NOT_STARTED: "○",
    DocumentStatus.IN_PROGRESS: "◐",
    DocumentStatus.DONE: "●",
    DocumentStatus.FLAGGED: "⚑",
}
"""The symbol shown before each status's title in the Status column."""

STATUS_ORDER = {
    DocumentStatus.NOT_STARTED: 0,
    DocumentStatus.IN_PROGRESS: 1,
    DocumentStatus.FLAGGED: 2,
    DocumentStatus.DONE: 3,
}
"""Sort rank of each status (ascending: not started < in progress < flagged < done)."""

FLAGGED_COLOR = "#D55E00"
"""Okabe-Ito vermilion; drawn as :func:`annotator.ui.theme.display_color` makes it readable on the palette."""
TEXT_MIN_RATIO = 4.5
"""WCAG 2.1 1.4.3 (contrast, minimum) for normal text."""

NOT_DONE = frozenset({DocumentStatus.NOT_STARTED, DocumentStatus.IN_PROGRESS, DocumentStatus.FLAGGED})
STATUS_FILTERS: tuple[tuple[str, frozenset[DocumentStatus] | None], ...] = (
    ("All", None),
    (DocumentStatus.NOT_STARTED.display_name, frozenset({DocumentStatus.NOT_STARTED})),
    (DocumentStatus.IN_PROGRESS.display_name, frozenset({DocumentStatus.IN_PROGRESS})),
    (DocumentStatus.DONE.display_name, frozenset({DocumentStatus.DONE})),
    (DocumentStatus.FLAGGED.display_name, frozenset({DocumentStatus.FLAGGED})),
    ("Not done", NOT_DONE),
)
"""The status filter's choices, in order: the text shown and the statuses it lets through (``None``: all)."""

EMPTY_PROJECT_SUMMARY = "No documents: add .txt, web page, Word or PDF files to the folder"

SHORT_TYPES = {"text": "text", "web page": "web", "Word": "Word", "PDF": "PDF"}
"""The Type column's text for each of :data:`~annotator.io.opening.KIND_NAMES`' names (the full name is its tooltip)."""

_HEADER_TIPS = {
    STATUS_COLUMN: "Status: ○ not started, ◐ in progress, ● done, ⚑ flagged",
    DOCUMENT_COLUMN: "The text file, relative to the project folder",
    TYPE_COLUMN: "Text, web page, Word or PDF (converted to text when first opened)",
    SPANS_COLUMN: "Spans annotated in the document",
}

_Index = QModelIndex | QPersistentModelIndex

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_SORT = int(SORT_ROLE)
_DOCUMENT_ID = int(DOCUMENT_ID_ROLE)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ROLES = frozenset({_DISPLAY, _SORT, _DOCUMENT_ID, _FONT, _FOREGROUND, _TOOLTIP, _ALIGNMENT})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def type_text(document_id: str) -> str:
    """The Type column's text: ``"text"``, ``"web page"``, ``"Word"`` or ``"PDF"``, from the id's suffix."""
    return KIND_NAMES[kind_of(document_id)]


_TYPE_ORDER = {name: rank for rank, name in enumerate(dict.fromkeys(KIND_NAMES.values()))}


def status_text(status: DocumentStatus) -> str:
    """The Status column's text: the status's symbol, e.g. ``"◐"`` (its title is the cell's tooltip)."""
    return STATUS_SYMBOLS[status]


def summary_text(counts: ProjectProgress) -> str:
    """:meth:`ProjectProgress.summary` with no-break spaces inside each phrase, so that a narrow panel wraps the line
    between phrases ("0 flagged ·" / "4 not started"), never inside one."""
    return " · ".join(phrase.replace(" ", "\u00a0") for phrase in counts.summary().split(" · "))


_STATUS_TEXTS = {status: status_text(status) for status in DocumentStatus}


class DocumentListModel(QAbstractTableModel):
    """Rows are the project's documents, in project order (sort and filter through a proxy).

    Columns (:data:`COLUMNS`): status (its symbol, see :func:`status_text`, its title the tooltip; flagged rows are
    tinted vermilion, not started ones muted), document id (plain text; the tooltip is the whole id and the
    annotation file's fault, if any), the type of source (:data:`SHORT_TYPES` of :func:`type_text`, which is the
    tooltip) and the span count (right-aligned). The current (open) document is drawn
    bold. :data:`SORT_ROLE` gives each cell's sort key (status rank from :data:`STATUS_ORDER`, the row's project
    order, the type's rank, the span count: all ``int``), :data:`DOCUMENT_ID_ROLE` the row's document id.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[DocumentEntry] = []
        self._rows: dict[str, int] = {}
        self._current: str | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    @property
    def entries(self) -> list[DocumentEntry]:
        """The entries shown, in row (project) order (a copy)."""
        return list(self._entries)

    @property
    def current(self) -> str | None:
        """The id of the open document (drawn bold), or ``None``."""
        return self._current

    def set_entries(self, entries: Iterable[DocumentEntry]) -> None:
        """Show ``entries`` in the given order (a full reset). The current document stays current if it is among them.

        Raises
        ------
        ValueError
            If two entries have the same id (the model is left as it was).
        """
        new = list(entries)
        rows = {entry.id: row for row, entry in enumerate(new)}
        if len(rows) != len(new):
            duplicate = next(entry.id for row, entry in enumerate(new) if rows[entry.id] != row)
            raise ValueError(f"document {duplicate!r} is listed twice")
        self.beginResetModel()
        self._entries = new
        self._rows = rows
        self.endResetModel()

    def update_entry(self, entry: DocumentEntry) -> None:
        """Replace the entry with ``entry.id`` and emit ``dataChanged`` for its row (every column) only.

        An id not in the model is ignored; an entry equal to the one shown changes nothing and emits nothing.
        """
        row = self._rows.get(entry.id)
        if row is None or self._entries[row] == entry:
            return
        self._entries[row] = entry
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def set_current(self, document_id: str | None) -> None:
        """Make ``document_id`` the open document (bold); ``None`` for none. ``dataChanged`` (``FontRole``) is
        emitted for the old and the new current rows only (for those in the model)."""
        if document_id == self._current:
            return
        old, self._current = self._current, document_id
        for doc_id in (old, document_id):
            row = self._rows.get(doc_id) if doc_id is not None else None
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1), [Qt.ItemDataRole.FontRole])

    def entry(self, row: int) -> DocumentEntry:
        """The entry in source row ``row`` (``IndexError`` if out of range)."""
        if row < 0:
            raise IndexError(f"row {row} out of range")
        return self._entries[row]

    def row_of(self, document_id: str) -> int | None:
        """Source row of ``document_id``, or ``None`` when it is not in the model (a dict look-up)."""
        return self._rows.get(document_id)

    def progress(self) -> ProjectProgress:
        """Counts of the entries by status (:func:`annotator.project.status.progress`)."""
        return progress(self._entries)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS.get(section)
        return None

    def sort_key(self, row: int, column: int) -> int:
        """The sort key of a cell (:data:`SORT_ROLE`): the status's rank in :data:`STATUS_ORDER`, the row (project
        order) or the span count."""
        if column == STATUS_COLUMN:
            return STATUS_ORDER[self._entries[row].status]
        if column == SPANS_COLUMN:
            return self._entries[row].span_count
        if column == TYPE_COLUMN:
            return _TYPE_ORDER[type_text(self._entries[row].id)]
        return row

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell_data(index.row(), index.column(), role)

    def cell_data(self, row: int, column: int, role: int) -> Any:
        """What :meth:`data` gives for the cell at source ``row``, ``column`` (valid ones) and ``role``.

        Called for every role of every painted cell (the proxy calls it directly): roles are compared as plain ints,
        as comparing Qt enum members costs far more.
        """
        role = int(role)
        if role not in _ROLES:
            return None
        entry = self._entries[row]
        if role == _DISPLAY:
            if column == STATUS_COLUMN:
                return _STATUS_TEXTS[entry.status]
            if column == TYPE_COLUMN:
                return SHORT_TYPES[type_text(entry.id)]
            return shown_name(entry.id) if column == DOCUMENT_COLUMN else entry.span_count
        if role == _SORT:
            return self.sort_key(row, column)
        if role == _DOCUMENT_ID:
            return entry.id
        if role == _FONT:
            return self._bold if entry.id == self._current else None
        if role == _FOREGROUND:
            return _foreground(entry.status)
        if role == _TOOLTIP:
            if column == DOCUMENT_COLUMN:
                return tooltip_html(f"{entry.id}\n{entry.fault}" if entry.fault else entry.id)
            if column == TYPE_COLUMN:
                return tooltip_html(type_text(entry.id))
            return tooltip_html(entry.status.display_name) if column == STATUS_COLUMN else None
        return _RIGHT if column == SPANS_COLUMN else None  # _ALIGNMENT


def _foreground(status: DocumentStatus) -> QColor | None:
    """The text color of a row: vermilion (made readable on the palette's ``Base``) for flagged, the palette's
    ``PlaceholderText`` for not started, the default (``None``) otherwise."""
    if status is DocumentStatus.FLAGGED:
        return display_color(FLAGGED_COLOR, QGuiApplication.palette(), min_ratio=TEXT_MIN_RATIO)
    if status is DocumentStatus.NOT_STARTED:
        return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    return None


class DocumentFilterProxyModel(QAbstractProxyModel):
    """The documents of a :class:`DocumentListModel` that pass both filters, in project order or sorted by a column.

    Filters (both off at first):

    - text: a case-insensitive substring (``str.casefold``) of the document id;
    - status: the document's status is one of a set.

    Sorting (:meth:`sort`) orders rows by :meth:`DocumentListModel.sort_key` (status rank, project order, span
    count), keeping project order among equal keys; column ``-1`` is project order.

    Why not ``QSortFilterProxyModel``: it calls the Python model once or twice per comparison, so sorting 10,000
    documents took over a second. Here the filter and the sort run in Python over the entries (milliseconds), and
    each change of the visible rows is one layout change whose persistent indexes (the selection, the current row)
    follow their documents, as ``QSortFilterProxyModel.invalidate`` does. A source row whose data changes is
    re-filtered and re-sorted at once (dynamic filtering and sorting).
    """

    filter_changed = Signal()
    """Emitted after a filter was changed (no arguments)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source: DocumentListModel | None = None
        self._needle = ""
        self._statuses: frozenset[DocumentStatus] | None = None
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._rows: list[int] = []  # proxy row -> source row
        self._proxy_rows: list[int] = []  # source row -> proxy row, -1 when filtered out

    def setSourceModel(self, source: QAbstractItemModel | None) -> None:
        """Show ``source``, which must be a :class:`DocumentListModel` (``TypeError`` otherwise) or ``None``."""
        if source is not None and not isinstance(source, DocumentListModel):
            raise TypeError("DocumentFilterProxyModel shows a DocumentListModel")
        self.beginResetModel()
        if self._source is not None:
            for signal, slot in self._connections():
                signal.disconnect(slot)
        super().setSourceModel(source)
        self._source = source
        if source is not None:
            for signal, slot in self._connections():
                signal.connect(slot)
        self._rows, self._proxy_rows = self._mapping()
        self.endResetModel()

    # Filters and sorting -------------------------------------------------------------------------------------------

    def set_text_filter(self, text: str) -> None:
        """Show only documents whose id contains ``text``, ignoring case; ``""`` turns the filter off."""
        needle = text.casefold()
        if needle != self._needle:
            self._needle = needle
            self._relayout()
            self.filter_changed.emit()

    def set_status_filter(self, statuses: Iterable[DocumentStatus] | None) -> None:
        """Show only documents with one of ``statuses``; ``None`` shows every status (an empty set shows none)."""
        chosen = None if statuses is None else frozenset(statuses)
        if chosen != self._statuses:
            self._statuses = chosen
            self._relayout()
            self.filter_changed.emit()

    @property
    def text_filter(self) -> str:
        """The (case-folded) text filter, ``""`` when off."""
        return self._needle

    @property
    def status_filter(self) -> frozenset[DocumentStatus] | None:
        """The statuses shown, or ``None`` for all."""
        return self._statuses

    def is_filtering(self) -> bool:
        """Whether a filter is set (so some documents may be hidden)."""
        return bool(self._needle) or self._statuses is not None

    def accepts(self, entry: DocumentEntry) -> bool:
        """Whether ``entry`` passes the filters."""
        if self._statuses is not None and entry.status not in self._statuses:
            return False
        return not self._needle or self._needle in entry.id.casefold()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` (``-1``: project order) in ``order``; equal keys keep project order."""
        self._sort_column = column if 0 <= column < len(COLUMNS) else -1
        self._sort_order = order
        self._relayout()

    def sortColumn(self) -> int:
        """The column sorted by, ``-1`` for project order."""
        return self._sort_column

    def sortOrder(self) -> Qt.SortOrder:
        """The sort order."""
        return self._sort_order

    # QAbstractProxyModel -------------------------------------------------------------------------------------------

    def mapToSource(self, proxy_index: _Index) -> QModelIndex:
        if self._source is None or not proxy_index.isValid():
            return QModelIndex()
        return self._source.index(self._rows[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: _Index) -> QModelIndex:
        if not source_index.isValid() or source_index.model() is not self._source:
            return QModelIndex()
        row = self._proxy_rows[source_index.row()]
        return self.createIndex(row, source_index.column()) if row >= 0 else QModelIndex()

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: _Index | None = None) -> Any:  # type: ignore[override]
        if child is None:  # QObject.parent()
            return super().parent()
        return QModelIndex()

    def sibling(self, row: int, column: int, index: _Index) -> QModelIndex:
        return self.index(row, column)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._source is None or not index.isValid():
            return None
        return self._source.cell_data(self._rows[index.row()], index.column(), role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._source is None or orientation != Qt.Orientation.Horizontal:
            return None
        return self._source.headerData(section, orientation, role)

    # Keeping up with the source ------------------------------------------------------------------------------------

    def _connections(self) -> list[tuple[Any, Any]]:
        source = self._source
        assert source is not None
        return [
            (source.modelAboutToBeReset, self.beginResetModel),
            (source.modelReset, self._on_source_reset),
            (source.dataChanged, self._on_source_data_changed),
            # The model only resets or changes rows; anything else is followed by a reset, to be safe.
            (source.rowsAboutToBeInserted, self.beginResetModel),
            (source.rowsInserted, self._on_source_reset),
            (source.rowsAboutToBeRemoved, self.beginResetModel),
            (source.rowsRemoved, self._on_source_reset),
            (source.layoutAboutToBeChanged, self.beginResetModel),
            (source.layoutChanged, self._on_source_reset),
        ]

    def _on_source_reset(self, *_args: object) -> None:
        self._rows, self._proxy_rows = self._mapping()
        self.endResetModel()

    def _on_source_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list | None = None
    ) -> None:
        if not roles or Qt.ItemDataRole.DisplayRole in roles:  # a status or count may move or hide the row
            rows, proxy_rows = self._mapping()
            if rows != self._rows:
                self._relayout((rows, proxy_rows))
                return
        for source_row in range(top_left.row(), bottom_right.row() + 1):
            row = self._proxy_rows[source_row]
            if row >= 0:
                self.dataChanged.emit(
                    self.createIndex(row, top_left.column()), self.createIndex(row, bottom_right.column()), roles or []
                )

    def _mapping(self) -> tuple[list[int], list[int]]:
        """(proxy row -> source row, source row -> proxy row or -1) for the source's entries now."""
        entries = self._source.entries if self._source is not None else []
        if self.is_filtering():
            rows = [row for row, entry in enumerate(entries) if self.accepts(entry)]
        else:
            rows = list(range(len(entries)))
        if self._sort_column == STATUS_COLUMN:
            ranks = [STATUS_ORDER[entry.status] for entry in entries]
            rows.sort(key=ranks.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        elif self._sort_column == SPANS_COLUMN:
            counts = [entry.span_count for entry in entries]
            rows.sort(key=counts.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        elif self._sort_column == TYPE_COLUMN:
            types = [_TYPE_ORDER[type_text(entry.id)] for entry in entries]
            rows.sort(key=types.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        elif self._sort_column == DOCUMENT_COLUMN and self._sort_order == Qt.SortOrder.DescendingOrder:
            rows.reverse()
        proxy_rows = [-1] * len(entries)
        for proxy_row, source_row in enumerate(rows):
            proxy_rows[source_row] = proxy_row
        return rows, proxy_rows

    def _relayout(self, mapping: tuple[list[int], list[int]] | None = None) -> None:
        """Show the rows of ``mapping`` (default: computed now) as one layout change that keeps persistent indexes on
        their documents (those filtered out become invalid)."""
        rows, proxy_rows = mapping if mapping is not None else self._mapping()
        if rows == self._rows:
            return
        # PySide emits the layout signals only without arguments (no parents, no hint): the whole layout changed.
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        moved = []
        for index in persistent:
            new_row = proxy_rows[self._rows[index.row()]] if index.isValid() else -1
            moved.append(self.createIndex(new_row, index.column()) if new_row >= 0 else QModelIndex())
        self._rows, self._proxy_rows = rows, proxy_rows
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()


class DocumentTableView(QTableView):
    """The document table (``objectName`` ``documentTable``): one selected row at a time, sortable (a third click
    on a header goes back to project order), no per-row widgets. Return or Enter emits :attr:`row_activated` with
    the current row's document id."""

    row_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._widest_count = 0

    def fit_columns(self, widest_count: int) -> None:
        """Make the Status and Type columns as wide as their longest texts and the Spans column wide enough for
        ``widest_count`` (in bold, the current document's font), each at least as wide as its header's text (not
        its size hint, which keeps room for a sort indicator: the Document column needs that room more). Done again
        by itself when the font or the style changes."""
        self._widest_count = widest_count
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        style = self.style()
        margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1) + 4
        header = self.horizontalHeader()
        heading = QFontMetrics(header.font())
        header_margin = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header) + 4

        def width(texts: Iterable[str], column: int) -> int:
            widest = max(metrics.horizontalAdvance(text) for text in texts) + margin
            return max(widest, heading.horizontalAdvance(COLUMNS[column]) + header_margin)

        status = width(_STATUS_TEXTS.values(), STATUS_COLUMN)
        header.setMinimumSectionSize(min(header.minimumSectionSize(), status))
        header.resizeSection(STATUS_COLUMN, status)
        header.resizeSection(TYPE_COLUMN, width(SHORT_TYPES.values(), TYPE_COLUMN))
        header.resizeSection(SPANS_COLUMN, width([str(widest_count)], SPANS_COLUMN))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_columns(self._widest_count)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.row_activated.emit(index.siblingAtColumn(0).data(DOCUMENT_ID_ROLE))
                event.accept()
                return
        super().keyPressEvent(event)


class DocumentListPanel(QWidget):
    """The "Documents" panel (``objectName`` ``documentListPanel``).

    Parameters
    ----------
    model: the document list to show (a new, empty :class:`DocumentListModel` when ``None``); kept in :attr:`model`.
    parent: the parent widget.

    Children: the text filter :attr:`filter` (``documentFilter``: case-insensitive substring of the document id;
    Escape clears it, Down or Enter moves to the table), the status filter :attr:`status_filter`
    (``statusFilter``: the choices of :data:`STATUS_FILTERS`), the table :attr:`table` (``documentTable``, showing
    :attr:`proxy`), the bar :attr:`progress` (``projectProgress``: documents done of all, ``"3 / 10 done"``) and the
    label :attr:`summary` (``projectSummary``, plain text: :meth:`ProjectProgress.summary`, or
    :data:`EMPTY_PROJECT_SUMMARY` for a project without documents). The bar and the summary follow the model's
    changes by themselves.

    A click on a row, a double click (its first click) and Return or Enter on the table's current row each emit
    :attr:`document_activated` once with the row's document id.
    """

    document_activated = Signal(str)
    """The user chose a document to open (its id)."""

    def __init__(self, model: DocumentListModel | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentListPanel")
        self.model = model if model is not None else DocumentListModel(self)
        self.proxy = DocumentFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.table = DocumentTableView()
        self.table.setObjectName("documentTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep both the folder and the file name
        # The Document column stretches into what the others leave: the table never needs to scroll sideways.
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        # Status and Spans are sized to their contents by fit_columns, not by ResizeToContents: that measures up to
        # 1000 rows through the Python model after every change (a quarter second with 10,000 documents).
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(DOCUMENT_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TYPE_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(SPANS_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.setSortIndicatorClearable(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # project order until a header is clicked

        self.filter = FilterEdit()
        self.filter.setObjectName("documentFilter")
        self.filter.setPlaceholderText("Filter documents")
        self.filter.setClearButtonEnabled(True)
        self.filter.setToolTip(tooltip_html("Show documents whose name contains this (any case)"))
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.setToolTip(tooltip_html("Show documents with this status"))
        for title, statuses in STATUS_FILTERS:
            self.status_filter.addItem(title, statuses)

        self.progress = QProgressBar()
        self.progress.setObjectName("projectProgress")
        self.progress.setTextVisible(True)
        self.summary = QLabel()
        self.summary.setObjectName("projectSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)

        top = QHBoxLayout()
        top.setContentsMargins(4, 0, 4, 0)
        top.addWidget(self.filter, 1)
        top.addWidget(self.status_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        bottom = QVBoxLayout()
        bottom.setContentsMargins(4, 0, 4, 4)
        bottom.setSpacing(2)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.summary)
        layout.addLayout(bottom)

        self.filter.textChanged.connect(self.proxy.set_text_filter)
        self.filter.leave_requested.connect(self._focus_table)
        self.status_filter.currentIndexChanged.connect(self._on_status_choice)
        self.table.row_activated.connect(self.document_activated)
        # Not doubleClicked: Qt reports a double click only after a press on the same row, whose click already
        # activated it.
        self.table.clicked.connect(self._on_clicked)
        self._widest_count = 0  # the largest span count the Spans column is wide enough for
        self.model.modelReset.connect(self._on_reset)
        self.model.rowsInserted.connect(self._on_reset)
        self.model.rowsRemoved.connect(self._on_reset)
        self.model.dataChanged.connect(self._on_data_changed)
        self._on_reset()

    def refresh_progress(self, *_args: object) -> None:
        """Show the model's progress in the bar and the summary (done by itself on every change to the model)."""
        counts = self.model.progress()
        if counts.total:
            self.progress.setRange(0, counts.total)
            self.progress.setValue(counts.done)
            self.progress.setFormat("%v / %m done")
            self.summary.setText(summary_text(counts))
        else:
            # A 0..0 range would make the bar a busy indicator; show an empty bar reading "0 / 0 done" instead.
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.progress.setFormat("0 / 0 done")
            self.summary.setText(EMPTY_PROJECT_SUMMARY)

    def select_document(self, document_id: str) -> None:
        """Select (and scroll to) the row of ``document_id`` without emitting :attr:`document_activated`. A row hidden
        by a filter clears the selection; an unknown id leaves it as it is."""
        row = self.model.row_of(document_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.table.clearSelection()
            return
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def selected_document_id(self) -> str | None:
        """The id of the selected document, or ``None``."""
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.data(rows[0], DOCUMENT_ID_ROLE) if rows else None

    def next_document_id(self, current: str | None, step: int, *, not_done: bool = False) -> str | None:
        """The document ``step`` rows after (``1``) or before (``-1``) ``current`` in project (model) order; the view's
        sort and filters play no part.

        With ``current`` ``None`` (or not in the model) the first (``step=1``) or last (``step=-1``) document is the
        next. Without ``not_done`` there is no next document past either end (``None``). With ``not_done`` only
        documents whose status is not done count, the search wraps around, and ``current`` itself is never the
        answer: ``None`` when no other document is not done.

        Raises
        ------
        ValueError
            If ``step`` is neither 1 nor -1.
        """
        if step not in (1, -1):
            raise ValueError(f"step must be 1 or -1, not {step!r}")
        model = self.model
        count = model.rowCount()
        if not count:
            return None
        row = self.model.row_of(current) if current is not None else None
        if row is None:
            row = -1 if step == 1 else count
        if not not_done:
            target = row + step
            return model.entry(target).id if 0 <= target < count else None
        for offset in range(1, count + 1):
            candidate = (row + step * offset) % count
            if candidate == row:
                break
            entry = model.entry(candidate)
            if entry.status is not DocumentStatus.DONE:
                return entry.id
        return None

    def focus_filter(self) -> None:
        """Move the keyboard focus to the text filter, its text selected (so typing replaces it)."""
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def _on_status_choice(self, *_args: object) -> None:
        self.proxy.set_status_filter(self.status_filter.currentData())

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.document_activated.emit(index.siblingAtColumn(0).data(DOCUMENT_ID_ROLE))

    def _on_reset(self, *_args: object) -> None:
        self._widest_count = max((entry.span_count for entry in self.model.entries), default=0)
        self.table.fit_columns(self._widest_count)
        self.refresh_progress()

    def _on_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list | None = None) -> None:
        if roles and Qt.ItemDataRole.DisplayRole not in roles:  # e.g. set_current's FontRole-only change
            return
        counts = (self.model.entry(row).span_count for row in range(top_left.row(), bottom_right.row() + 1))
        widest = max(counts, default=0)
        if widest > self._widest_count:
            self._widest_count = widest
            self.table.fit_columns(widest)
        self.refresh_progress()

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.selectionModel().hasSelection() and self.proxy.rowCount():
            self.table.selectRow(0)
