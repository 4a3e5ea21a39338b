"""The span list: a ``QAbstractTableModel`` over the open annotation set, updated row by row from each Change, a
filter proxy (label, text or note, attribute values and entity, uncertain only) and the panel that holds the filter
controls and the table."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable
from itertools import compress
from operator import attrgetter, lt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QIdentityProxyModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.labels import Attribute
from annotator.model.span import Span
from annotator.ui.colors import label_color
from annotator.ui.filter_edit import FilterEdit
from annotator.ui.plain_text import one_line, shown_name, tooltip_html

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Label", "Text", "Start", "End", "?", "Note", "Attributes", "Entity")
LABEL_COLUMN, TEXT_COLUMN, START_COLUMN, END_COLUMN, UNCERTAIN_COLUMN, NOTE_COLUMN = range(6)
ATTRIBUTES_COLUMN, ENTITY_COLUMN = 6, 7
ALL_LABELS = "All labels"

_HEADER_TIPS = {
    START_COLUMN: "Offset in Unicode code points, half-open [start, end)",
    END_COLUMN: "Offset in Unicode code points, half-open [start, end)",
    UNCERTAIN_COLUMN: "? marks a span the annotator is uncertain of",
    NOTE_COLUMN: "The annotator's note on the span",
    ATTRIBUTES_COLUMN: "The span's attributes (name=value); filter with name:value, e.g. kind:person",
    ENTITY_COLUMN: "The entity (actor) the span is a mention of; filter with entity:e1",
}

_Index = QModelIndex | QPersistentModelIndex


_SAVED_ORDER = attrgetter("start", "end", "label", "id")
_ID = attrgetter("id")
_START = attrgetter("start")


def attributes_text(span: Span) -> str:
    """The span's stored attributes on one line, as the span list shows them: ``kind=person, named=yes`` (by name;
    a bool as ``yes``/``no``), ``""`` for none."""
    shown = {True: "yes", False: "no"}
    return ", ".join(
        f"{name}={shown[value] if isinstance(value, bool) else one_line(value, 40)}"
        for name, value in sorted(span.attributes.items())
    )


#: A ``name:value`` term of the span list's filter (``value`` may be quoted: ``quote:"not sure"``).
FIELD_TERM = re.compile(r'(?<!\S)([^\s:"]+):(?:"([^"]*)"|(\S*))')
_COLUMN_VALUES = {
    LABEL_COLUMN: attrgetter("label"),
    TEXT_COLUMN: attrgetter("text"),
    START_COLUMN: _SAVED_ORDER,
    END_COLUMN: attrgetter("end"),
    UNCERTAIN_COLUMN: attrgetter("uncertain"),
    NOTE_COLUMN: attrgetter("note"),
    ATTRIBUTES_COLUMN: attributes_text,
    ENTITY_COLUMN: attrgetter("entity"),
}


def sorted_rows(spans: Iterable[Span], column: int, descending: bool = False) -> list[Span]:
    """``spans`` sorted by the span list's ``column`` (ascending or ``descending``); spans with the same value stay
    in saved order ``(start, end, label, id)`` either way, as in a stable sort of the saved order. Keys are read in C
    (``attrgetter``): 100k spans in about 0.2 s. Spans already in saved order with no two starting together (as a
    file the app wrote is read) are only checked, not sorted: 100k in about 10 ms."""
    spans = list(spans)
    starts = list(map(_START, spans))
    # strictly increasing starts: saved order, whatever the rest of the key
    in_saved_order = spans if all(map(lt, starts, starts[1:])) else sorted(spans, key=_SAVED_ORDER)
    if column == START_COLUMN:
        return in_saved_order[::-1] if descending else in_saved_order
    return sorted(in_saved_order, key=_COLUMN_VALUES[column], reverse=descending)  # stable, also reversed


PREPARE_STEP = 10_000
"""Spans a step of :func:`prepared_rows` (a worker's loop: Python's GIL is passed between steps; each step's calls in C
hold it throughout: 50k spans a step kept the GUI thread waiting 0.1-0.3 s on a busy machine)."""


PreparedRows = tuple[AnnotationSet, dict[str, Span], list[str]]
"""What :func:`prepared_rows` makes: ``(annotations, spans by id, ids in saved order)``."""


def prepared_rows(annotations: AnnotationSet, starts: list[int] | None = None) -> PreparedRows:
    """The span list's rows for ``annotations``, made off the GUI thread (1M spans: 0.5 s and more that
    :meth:`SpanTableModel.set_annotations` would take in one turn): ``(annotations, spans by id, ids in saved order
    (start, end, label, id))``, for :meth:`SpanTableModel.offer_rows`. The spans by id are the set's own, copied in
    one call; spans already in saved order (as the app writes them) are not sorted again: they are in it when their
    starts never decrease and each run of equal starts is in it (only those spans' whole keys are read). Checked
    ``PREPARE_STEP`` spans a step, so no single call holds the GIL long. ``starts``: the set's
    :meth:`~annotator.model.annotation_set.AnnotationSet.starts`, when already read (else read here).

    Raises
    ------
    ValueError
        If ``starts`` is not one start per span.
    """
    by_id = annotations.spans_by_id.copy()
    spans = list(by_id.values())
    if starts is not None and len(starts) != len(spans):
        raise ValueError(f"{len(starts)} starts for {len(spans)} spans")
    in_order = True
    for begin in range(0, len(spans), PREPARE_STEP):
        low = max(0, begin - 1)  # from the step before's last span
        chunk = spans[low : begin + PREPARE_STEP]
        read = list(map(_START, chunk)) if starts is None else starts[low : begin + PREPARE_STEP]
        if all(map(lt, read, read[1:])):
            continue  # strictly increasing starts (the common case)
        if not all(map(operator.le, read, read[1:])):
            in_order = False
            break
        ties = compress(range(len(chunk) - 1), map(operator.eq, read, read[1:]))
        if any(_SAVED_ORDER(chunk[i]) > _SAVED_ORDER(chunk[i + 1]) for i in ties):
            in_order = False
            break
    if in_order:
        return annotations, by_id, list(by_id)
    # not a file as the app wrote it (e.g. a crash's unsaved work: a span added at the end): sorted in steps, no
    # call holding the GIL long (one sort with a key of 1M spans: 0.3-1 s, which the window then waited for)
    from annotator.io.json_pieces import saved_order  # (in the open's worker: not at start-up)

    spans = saved_order(spans)
    ids: list[str] = []
    for begin in range(0, len(spans), PREPARE_STEP):
        ids.extend(map(attrgetter("id"), spans[begin : begin + PREPARE_STEP]))
    return annotations, by_id, ids


class SpanTableModel(QAbstractTableModel):
    """Rows are spans, sorted by one column (:meth:`sort`; at first Start ascending, which is saved order ``(start,
    end, label, id)``). The model sorts itself (:func:`sorted_rows`: Python's sort, 100k spans in 0.2 s),
    and keeps that order through changes: a new span is inserted at its place and a changed one moved there, so
    only the rows a change names are touched. (A ``QSortFilterProxyModel`` sort would ask each row's key from Python
    n log n times: 27 s for 100k spans.)

    Columns (:data:`COLUMNS`): label (with its color as decoration), text (one line), start, end (code points),
    ``?`` (``"?"`` for an uncertain span, tooltip ``uncertain``), note (one line; the whole note as a plain-text
    tooltip), attributes (:func:`attributes_text`) and entity (its id, e.g. ``e1``). :data:`SPAN_ID_ROLE` gives the
    row's span id.
    """

    total_changed = Signal()
    """Emitted when spans were added or removed, shown or not (rows alone do not say so while a filter is set)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._annotations: AnnotationSet | None = None
        self._ids: list[str] = []  # the rows: the spans that pass the filter, in the current order
        self._spans: dict[str, Span] = {}  # every span of the document, shown or not
        self._match: Callable[[Span], bool] | None = None
        self._column = START_COLUMN
        self._descending = False
        self._offered: list[PreparedRows] = []

    def offer_rows(
        self,
        prepared: PreparedRows | None,
        also: PreparedRows | None = None,
    ) -> None:
        """Let the next :meth:`set_annotations` of the same annotation set (the same object) take its rows from
        ``prepared`` (:func:`prepared_rows`, made off the GUI thread) instead of building them (``None``: forget an
        offer not taken); ``also``: the rows of another set that may be shown instead (a crash's unsaved work, if
        it is restored)."""
        self._offered = [offer for offer in (prepared, also) if offer is not None]

    def set_annotations(self, annotations: AnnotationSet | None) -> None:
        """Show all spans of ``annotations`` (a full reset; used when a document is opened)."""
        offers, self._offered = self._offered, []
        offered = next((offer for offer in offers if offer[0] is annotations), None)
        self.beginResetModel()
        self._annotations = annotations
        if offered is not None and annotations is not None and len(offered[1]) == len(annotations):
            self._spans = offered[1]
            plain = self._match is None and self._column == START_COLUMN and not self._descending
            self._ids = offered[2] if plain else self._rows()
        else:
            # keys read in C (100k spans: 10 ms instead of 30)
            self._spans = dict(zip(map(_ID, annotations), annotations, strict=True)) if annotations is not None else {}
            self._ids = self._rows()
        self.endResetModel()

    def _rows(self) -> list[str]:
        """Ids of the spans that pass the filter, in the current order."""
        shown = self._spans.values() if self._match is None else filter(self._match, self._spans.values())
        return [s.id for s in sorted_rows(shown, self._column, self._descending)]

    @property
    def match(self) -> Callable[[Span], bool] | None:
        """The filter: rows are the spans for which it is true (``None``: every span)."""
        return self._match

    def set_match(self, match: Callable[[Span], bool] | None) -> None:
        """Show only the spans for which ``match`` is true (``None``: all), in the current order: one pass over the
        spans in Python, then a reset (100k spans: about 0.3 s; Qt's proxy filter made three Python calls per row,
        1.5 s)."""
        self.beginResetModel()
        self._match = match
        self._ids = self._rows()
        self.endResetModel()

    @property
    def total(self) -> int:
        """How many spans the document has, shown or not."""
        return len(self._spans)

    def is_shown(self, span_id: str) -> bool:
        """Whether span ``span_id`` is a row (it exists and passes the filter)."""
        span = self._spans.get(span_id)
        return span is not None and (self._match is None or self._match(span))

    @property
    def sort_column(self) -> int:
        """The column the rows are sorted by."""
        return self._column

    @property
    def sort_order(self) -> Qt.SortOrder:
        """The direction the rows are sorted in."""
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by ``column`` (a column of :data:`COLUMNS`; others are ignored), keeping every persistent
        index (selection, current row) on its span."""
        descending = order == Qt.SortOrder.DescendingOrder
        if not 0 <= column < len(COLUMNS) or (column, descending) == (self._column, self._descending):
            return
        self.layoutAboutToBeChanged.emit()
        self._column, self._descending = column, descending
        old = self.persistentIndexList()
        held = [self._ids[index.row()] for index in old]
        self._ids = [s.id for s in sorted_rows((self._spans[i] for i in self._ids), column, descending)]
        rows = {span_id: row for row, span_id in enumerate(self._ids)}
        moved = [self.index(rows[span_id], index.column()) for span_id, index in zip(held, old, strict=True)]
        self.changePersistentIndexList(old, moved)
        self.layoutChanged.emit()

    def _place(self, span: Span, ids: list[str]) -> int:
        """The row ``span`` belongs at among ``ids`` (sorted by the current order; ``span`` not among them)."""
        value_of, spans, descending = _COLUMN_VALUES[self._column], self._spans, self._descending
        value, saved = value_of(span), _SAVED_ORDER(span)
        low, high = 0, len(ids)
        while low < high:
            middle = (low + high) // 2
            other = spans[ids[middle]]
            other_value = value_of(other)
            if other_value == value:  # ties stay in saved order (never by Start: the saved order is its whole key)
                before = _SAVED_ORDER(other) < saved
            else:
                before = other_value > value if descending else other_value < value
            if before:
                low = middle + 1
            else:
                high = middle
        return low

    def apply_change(self, change: Change) -> None:
        """Insert, remove, move or refresh only the rows named in ``change``, as the filter says (a new label set
        refreshes every row's color)."""
        total = len(self._spans)
        for span in change.removed:
            old = self._spans.get(span.id, span)
            if self._passes(old):
                self._remove_row(self.row_of(span.id))
            self._spans.pop(span.id, None)
        for old, new in change.changed:
            was = self._passes(self._spans.get(new.id, old))
            now = self._passes(new)
            row = self.row_of(new.id) if was else -1
            self._spans[new.id] = new
            if was and now:
                self._keep_in_order(row)
                row = self.row_of(new.id)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            elif was:
                self._remove_row(row)
            elif now:
                self._insert_row(new)
        for span in change.added:
            self._spans[span.id] = span
            if self._passes(span):
                self._insert_row(span)
        if len(self._spans) != total:
            self.total_changed.emit()
        if change.label_set is not None and self._ids:
            self.dataChanged.emit(
                self.index(0, LABEL_COLUMN),
                self.index(len(self._ids) - 1, LABEL_COLUMN),
                [Qt.ItemDataRole.DecorationRole],
            )

    def _passes(self, span: Span) -> bool:
        return self._match is None or self._match(span)

    def _remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._ids[row]
        self.endRemoveRows()

    def _insert_row(self, span: Span) -> None:
        row = self._place(span, self._ids)
        self.beginInsertRows(QModelIndex(), row, row)
        self._ids.insert(row, span.id)
        self.endInsertRows()

    def _keep_in_order(self, row: int) -> None:
        """Move the span at ``row`` (whose offsets, label, text or note changed) to its place in the current order,
        as a row move (so a selection of it is kept)."""
        span_id = self._ids[row]
        others = self._ids[:row] + self._ids[row + 1 :]
        place = self._place(self._spans[span_id], others)
        if place == row:
            return
        # destination in the old numbering: before row ``place`` when moving up, after it when moving down
        destination = place if place < row else place + 1
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        others.insert(place, span_id)
        self._ids = others
        self.endMoveRows()

    def refresh(self) -> None:
        """Redraw every cell (e.g. after the label set's colors or the theme changed); rows and spans stay as they
        are (spans change only through :meth:`apply_change` and :meth:`set_annotations`)."""
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def span_at(self, row: int) -> Span:
        """The span shown in source row ``row`` (``IndexError`` if out of range)."""
        return self._spans[self._ids[row]]

    def has_span(self, span_id: str) -> bool:
        """Whether the document has span ``span_id`` (shown or hidden by the filter)."""
        return span_id in self._spans

    def row_of(self, span_id: str) -> int:
        """Source row of span ``span_id`` (``ValueError`` if absent); a binary search in the current order."""
        span = self._spans.get(span_id)
        if span is None:
            raise ValueError(f"no row for span {span_id!r}")
        row = self._place(span, self._ids)  # its own key sorts it at its own row
        if row < len(self._ids) and self._ids[row] == span_id:
            return row
        raise ValueError(f"span {span_id!r} is hidden by the filter")

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

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

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._annotations is None:
            return None
        span = self.span_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            flag = "?" if span.uncertain else ""
            return (
                shown_name(span.label),
                one_line(span.text),
                span.start,
                span.end,
                flag,
                one_line(span.note),
                attributes_text(span),
                span.entity,
            )[column]
        if role == SPAN_ID_ROLE:
            return span.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == TEXT_COLUMN:
                return tooltip_html(span.text)
            if column == UNCERTAIN_COLUMN and span.uncertain:
                return tooltip_html("uncertain")
            if column == NOTE_COLUMN and span.note:
                return tooltip_html(span.note)
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL_COLUMN:
            label = self._annotations.label_set.get(span.label)
            palette = QGuiApplication.palette()
            return label_color(label.color, palette=palette) if label else QColor("#888888")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (START_COLUMN, END_COLUMN):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == UNCERTAIN_COLUMN:
                return int(Qt.AlignmentFlag.AlignCenter)
        return None


class SpanFilterProxyModel(QIdentityProxyModel):
    """The span list's filters, over a :class:`SpanTableModel` shown row for row (an identity proxy: the model itself
    filters and sorts, see :meth:`sort`).

    The source model must be a :class:`SpanTableModel`. Filters (all off at first; a span must pass each one set):

    - label: the span's label is one of a set of names;
    - text: a case-insensitive substring (``str.casefold``) of the span's text or of its note; in it, a term
      ``name:value`` (:data:`FIELD_TERM`) whose name is an attribute's (:meth:`set_attributes`) keeps the spans whose
      attribute has that value (its default when none is stored; ``yes``/``no`` or ``true``/``false`` for a bool;
      any case; ``name:`` alone: any value but the default), and ``entity:e1`` the mentions of entity ``e1``
      (``entity:`` alone: spans in any entity); the rest of the text is the substring;
    - uncertain only: the span is marked uncertain.

    The filtering is the source's too: this proxy hands :meth:`accepts` to :meth:`SpanTableModel.set_match` (one
    pass over the spans in Python), and the source keeps rows inserted, removed or changed in step with it. Qt's
    own proxy filtering asks Python three times per row (0.5 s per reset at 100k spans even with no filter, 1.5 s per
    keystroke with one).
    """

    filter_about_to_change = Signal()
    """Emitted before a filter changes (the rows are then rebuilt; the view keeps its selection across)."""

    filter_changed = Signal()
    """Emitted after any filter was changed (no arguments)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: frozenset[str] | None = None
        self._needle = ""
        self._typed = ""
        self._fields: list[tuple[str, str]] = []  # (attribute name or "entity", wanted value casefolded)
        self._attributes: dict[str, Attribute] = {}
        self._uncertain_only = False

    def set_label_filter(self, names: Iterable[str] | None) -> None:
        """Show only spans whose label is in ``names``; ``None`` shows every label (an empty set shows none)."""
        labels = None if names is None else frozenset(names)
        if labels != self._labels:
            self._begin_filter_change()
            self._labels = labels
            self._end_filter_change()

    def set_text_filter(self, text: str) -> None:
        """Show only spans whose text or note contains ``text``, ignoring case, and that match its ``name:value``
        terms (see the class); ``""`` turns the filter off."""
        fields, needle = self._parse(text)
        if (needle, fields) != (self._needle, self._fields):
            self._begin_filter_change()
            self._needle, self._fields = needle, fields
            self._end_filter_change()
        self._typed = text

    def set_attributes(self, attributes: Iterable[Attribute]) -> None:
        """The span attributes whose ``name:value`` terms the text filter understands (the label set's)."""
        self._attributes = {a.name: a for a in attributes if a.on == "span"}
        if self._typed:
            self.set_text_filter(self._typed)

    def _parse(self, text: str) -> tuple[list[tuple[str, str]], str]:
        fields = []

        def take(match: re.Match[str]) -> str:
            # Names match in any case, as values do: "KIND:Person" is "kind:person".
            name = match.group(1).casefold()
            name = next((n for n in self._attributes if n.casefold() == name), name)
            if name != "entity" and name not in self._attributes:
                return match.group(0)
            fields.append((name, (match.group(2) if match.group(2) is not None else match.group(3)).casefold()))
            return " "

        rest = FIELD_TERM.sub(take, text)
        return fields, (" ".join(rest.split()) if fields else rest).casefold()

    def _field_matches(self, span: Span, name: str, wanted: str) -> bool:
        if name == "entity":
            return span.entity.casefold() == wanted if wanted else bool(span.entity)
        attribute = self._attributes[name]
        value = span.attributes.get(name, attribute.default_value())
        if not wanted:
            return name in span.attributes
        if isinstance(value, bool):
            return wanted in (("yes", "true") if value else ("no", "false"))
        return value is not None and value.casefold() == wanted

    def set_uncertain_only(self, on: bool) -> None:
        """Show only spans marked uncertain (``True``) or all spans (``False``)."""
        if bool(on) != self._uncertain_only:
            self._begin_filter_change()
            self._uncertain_only = bool(on)
            self._end_filter_change()

    @property
    def label_filter(self) -> frozenset[str] | None:
        """The label names shown, or ``None`` for all."""
        return self._labels

    @property
    def text_filter(self) -> str:
        """The (case-folded) text filter, ``""`` when off."""
        return self._needle

    @property
    def uncertain_only(self) -> bool:
        """Whether only uncertain spans are shown."""
        return self._uncertain_only

    def is_filtering(self) -> bool:
        """Whether any filter is set (so some spans may be hidden)."""
        return self._labels is not None or bool(self._needle) or bool(self._fields) or self._uncertain_only

    def accepts(self, span: Span) -> bool:
        """Whether ``span`` passes the filters."""
        if self._labels is not None and span.label not in self._labels:
            return False
        if self._uncertain_only and not span.uncertain:
            return False
        if self._fields and not all(self._field_matches(span, name, wanted) for name, wanted in self._fields):
            return False
        return not self._needle or self._needle in span.text.casefold() or self._needle in span.note.casefold()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``: the source sorts itself (:meth:`SpanTableModel.sort`) and this proxy keeps the
        source's order (it never sorts: that would ask Python for keys n log n times)."""
        model = self.sourceModel()
        if isinstance(model, SpanTableModel):
            model.sort(column, order)

    def setSourceModel(self, model) -> None:
        super().setSourceModel(model)
        self._hand_filter_to_source()

    def _hand_filter_to_source(self) -> None:
        model = self.sourceModel()
        if isinstance(model, SpanTableModel):
            model.set_match(self.accepts if self.is_filtering() else None)

    def _begin_filter_change(self) -> None:
        self.filter_about_to_change.emit()

    def _end_filter_change(self) -> None:
        self._hand_filter_to_source()
        self.filter_changed.emit()


class SpanTableView(QTableView):
    """The span list widget (``objectName`` ``spanTable``): sortable, filterable through :attr:`proxy` (a
    :class:`SpanFilterProxyModel`), whole-row selection, no per-row widgets."""

    def __init__(self, model: SpanTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanTable")
        self.source_model = model
        self.proxy = SpanFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)
        self._kept: tuple[list[str], str | None] = ([], None)
        self.proxy.filter_about_to_change.connect(self._keep_selection)
        self.proxy.filter_changed.connect(self._restore_selection)
        self.setSortingEnabled(True)
        self.sortByColumn(START_COLUMN, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        header.setSectionResizeMode(LABEL_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
        # fixed widths: sizing to contents reads every row on every reset (36k reads to open 1k spans)
        digits = self.fontMetrics().horizontalAdvance("8" * 6) + 16  # offsets up to 999,999 code points (wider: drag)
        for column, width in ((START_COLUMN, digits), (END_COLUMN, digits), (UNCERTAIN_COLUMN, digits // 3)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        for column, letters in ((NOTE_COLUMN, 8), (ATTRIBUTES_COLUMN, 12), (ENTITY_COLUMN, 4)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(self.fontMetrics().horizontalAdvance("x" * letters), 40))

    def fit_label_column(self, label_names: list[str]) -> None:
        """Make the label column wide enough for the longest label name (plus its color swatch)."""
        widest = max((self.fontMetrics().horizontalAdvance(name) for name in [*label_names, COLUMNS[0]]), default=0)
        self.horizontalHeader().resizeSection(LABEL_COLUMN, widest + self.iconSize().width() + 44)

    def selected_span_ids(self) -> list[str]:
        """Ids of the spans in the selected rows (rows hidden by a filter are never selected)."""
        rows = self.selectionModel().selectedRows()
        return [self.proxy.data(index, SPAN_ID_ROLE) for index in rows]

    def _keep_selection(self) -> None:
        current = self.currentIndex()
        self._kept = (self.selected_span_ids(), self.proxy.data(current, SPAN_ID_ROLE) if current.isValid() else None)

    def _restore_selection(self) -> None:
        """After a filter change rebuilt the rows: select again the rows still shown. When all of them are, nothing
        is announced (nothing was chosen anew, so the document view does not jump); when the filter hid some, the
        new selection is announced, as a proxy's filter would (the document then follows the list)."""
        ids, current = self._kept
        self._kept = ([], None)
        model = self.source_model
        shown = [i for i in ids if model.is_shown(i)]
        if not shown:
            return
        selection = QItemSelection()
        for span_id in shown:
            index = self.proxy.mapFromSource(model.index(model.row_of(span_id), 0))
            selection.select(index, index)
        keep = current if current in shown else shown[0]
        current_index = self.proxy.mapFromSource(model.index(model.row_of(keep), 0))
        selections = self.selectionModel()
        selections.blockSignals(len(shown) == len(ids))
        try:
            selections.setCurrentIndex(current_index, QItemSelectionModel.SelectionFlag.NoUpdate)
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            selections.select(selection, flags)
        finally:
            selections.blockSignals(False)
        self.viewport().update()
        self.scrollTo(current_index)

    def select_span(self, span_id: str | None) -> None:
        """Select (and scroll to) the row of ``span_id``; clear the selection when it is ``None`` or hidden by the
        filter. An unknown id leaves the selection as it is."""
        if span_id is None:
            self.clearSelection()
            return
        if not self.source_model.is_shown(span_id):
            if self.source_model.has_span(span_id):
                self.clearSelection()  # hidden by the filter
            return
        index = self.proxy.mapFromSource(self.source_model.index(self.source_model.row_of(span_id), 0))
        # Not selectRow(): it honours held modifiers, so Shift+Tab in the document would extend the selection.
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.selectionModel().setCurrentIndex(index, flags)
        self.scrollTo(index)


class SpanListPanel(QWidget):
    """The span list with its filters (``objectName`` ``spanListPanel``).

    Parameters
    ----------
    model: the span table model to show (the panel builds its :class:`SpanTableView`, kept in :attr:`table`).

    Children: the text filter ``spanTextFilter`` (``QLineEdit``: case-insensitive substring of a span's text or note;
    Escape clears it, Down or Enter moves to the table), the label filter ``spanLabelFilter`` (``QComboBox``:
    ``"All labels"`` then each label name), the ``spanUncertainOnly`` check box, the count ``spanFilterCount``
    (``"12 of 40 spans"`` while a filter is set, else ``"40 spans"``) and the table ``spanTable``.
    """

    def __init__(self, model: SpanTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanListPanel")
        self.table = SpanTableView(model)
        self.proxy: SpanFilterProxyModel = self.table.proxy

        self.text_filter = FilterEdit()
        self.text_filter.setObjectName("spanTextFilter")
        self.text_filter.setPlaceholderText("Filter spans")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setToolTip(
            tooltip_html(
                "Show spans whose text or note contains this (any case).\n"
                "name:value keeps the spans with that attribute value (kind:person, quote:direct); "
                "entity:e1 the mentions of one actor, entity: those of any."
            )
        )
        self.label_filter = QComboBox()
        self.label_filter.setObjectName("spanLabelFilter")
        self.label_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.label_filter.addItem(ALL_LABELS, None)
        self.uncertain_only = QCheckBox("Uncertain only")
        self.uncertain_only.setObjectName("spanUncertainOnly")
        self.count_label = QLabel()
        self.count_label.setObjectName("spanFilterCount")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)

        top = QHBoxLayout()
        top.setContentsMargins(4, 0, 4, 0)
        top.addWidget(self.text_filter, 1)
        top.addWidget(self.label_filter)
        second = QHBoxLayout()
        second.setContentsMargins(4, 0, 4, 0)
        second.addWidget(self.uncertain_only)
        second.addStretch(1)
        second.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)

        self.text_filter.textChanged.connect(self.proxy.set_text_filter)
        self.text_filter.leave_requested.connect(self._focus_table)
        self.label_filter.currentIndexChanged.connect(self._on_label_choice)
        self.uncertain_only.toggled.connect(self.proxy.set_uncertain_only)
        for source in (self.proxy, model):
            source.rowsInserted.connect(self._update_count)
            source.rowsRemoved.connect(self._update_count)
            source.modelReset.connect(self._update_count)
        model.total_changed.connect(self._update_count)
        self.proxy.filter_changed.connect(self._update_count)
        self._update_count()

    def set_label_names(self, names: Iterable[str]) -> None:
        """Offer ``names`` (plain text) in the label filter; the chosen label stays chosen if it is still there,
        otherwise the filter goes back to all labels."""
        current = self.label_filter.currentData()
        self.label_filter.blockSignals(True)
        try:
            self.label_filter.clear()
            self.label_filter.addItem(ALL_LABELS, None)
            for name in names:
                self.label_filter.addItem(shown_name(name), name)
            found = self.label_filter.findData(current) if current is not None else 0
            self.label_filter.setCurrentIndex(max(found, 0))
        finally:
            self.label_filter.blockSignals(False)
        self._on_label_choice()

    def set_attributes(self, attributes: Iterable[Attribute]) -> None:
        """The label set's attributes, which the text filter's ``name:value`` terms may name."""
        self.proxy.set_attributes(attributes)

    def focus_filter(self) -> None:
        """Move the keyboard focus to the text filter, its text selected (so typing replaces it)."""
        self.text_filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text_filter.selectAll()

    def count_text(self) -> str:
        """The count shown: ``"N spans"``, or ``"M of N spans"`` while a filter is set."""
        total = self.table.source_model.total
        noun = "span" if total == 1 else "spans"
        if self.proxy.is_filtering():
            return f"{self.proxy.rowCount()} of {total} {noun}"
        return f"{total} {noun}"

    def _on_label_choice(self, *_args: object) -> None:
        name = self.label_filter.currentData()
        self.proxy.set_label_filter(None if name is None else {name})

    def _update_count(self, *_args: object) -> None:
        self.count_label.setText(self.count_text())

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.selectionModel().hasSelection() and self.proxy.rowCount():
            self.table.selectRow(0)
