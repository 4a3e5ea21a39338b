"""The read-only document view: shows the exact text, span tints, stacked underlines, and the selected span.

Underlines and link names are drawn in room under the lines (:mod:`annotator.ui.document.lane_layout`), never over
glyphs: a paragraph's lines are as much taller as its deepest nesting needs, and while a span's links are shown the
lines holding their ends get a row for the curve and the relation's name; curves between lines run in the left
margin. Pending suggestions need no room: each is a dashed outline in its label's color inside its own line box (no
fill, no underline), drawn under the text (every letter is drawn over it); the selected suggestion's suggested links
are drawn as a span's links are (dashed, with the relation's name), to spans and to other pending suggestions.

All positions crossing this widget's boundary are converted with :class:`~annotator.model.offsets.OffsetMap`: signals
and methods speak code points; only the inside of this class touches Qt positions (UTF-16 units, CR LF as one).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Property, QEvent, QLineF, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.offsets import OffsetMap
from annotator.model.pending import PendingSuggestion
from annotator.model.span import Span
from annotator.model.span_index import BlockSpanIndex, assign_lanes
from annotator.ui.colors import label_color
from annotator.ui.document.lane_layout import LANE_HEIGHT, LaneDocumentLayout, lane_room, lane_top, no_room
from annotator.ui.document.span_highlighter import SpanHighlighter
from annotator.ui.document.text_geometry import char_at
from annotator.ui.plain_text import one_line, tooltip_html


@dataclass(frozen=True)
class LinkMark:
    """A span drawn as linked to the selected span: ``relation_type`` names the link; ``incoming`` means the link
    points at the selected span (the arrow is drawn that way); ``pending`` marks the candidate offered while a link
    is being made (drawn bold).

    For a selected suggestion (:meth:`DocumentView.set_suggestion_links`), ``span`` is the span or the pending
    suggestion a suggested link reaches, and ``suggested`` is true (drawn dashed and fainter: not a link yet)."""

    span: Span | PendingSuggestion
    relation_type: str
    pending: bool = False
    incoming: bool = False
    suggested: bool = False


@dataclass(frozen=True)
class LinkDrawing:
    """How one shown link is drawn (viewport pixels): ``span_rects`` outline the linked span's lines; ``path`` runs
    from the selected span to it (``None`` when the line where the selected span starts is out of view) and ``tip``
    is where its arrowhead points; ``name_rect`` holds the relation's name (``None`` when the line where the linked
    span starts, which has the row for it, is out of view)."""

    mark: LinkMark
    span_rects: list[QRectF]
    path: QPainterPath | None
    tip: QPointF | None
    name_rect: QRectF | None


def line_rects(block, geometry: QRectF, qs: int, qe: int) -> list[QRectF]:
    """Rectangles (one per wrapped line, in the coordinates of ``geometry``) covering the block-relative Qt positions
    ``[qs, qe)`` of ``block``, laid out at ``geometry``."""
    layout = block.layout()
    rects = []
    if qs >= qe or layout.lineCount() == 0:
        return rects
    first, last = layout.lineForTextPosition(qs), layout.lineForTextPosition(qe - 1)
    low = first.lineNumber() if first.isValid() else 0
    high = last.lineNumber() if last.isValid() else layout.lineCount() - 1
    for i in range(low, high + 1):  # only the lines the range touches: a long paragraph has thousands
        line = layout.lineAt(i)
        a, b = max(qs, line.textStart()), min(qe, line.textStart() + line.textLength())
        if a >= b:
            continue
        x1, x2 = line.cursorToX(a)[0], line.cursorToX(b)[0]
        rects.append(QRectF(geometry.left() + min(x1, x2), geometry.top() + line.y(), abs(x2 - x1), line.height()))
    return rects


def _lines_of(layout, lines: dict, qs: int, qe: int):
    """``(line, its start, a, b, its top, its bottom)`` for each line of ``layout`` holding block-relative Qt positions
    ``[qs, qe)``, ``[a, b)`` the part on that line (as :func:`line_rects` walks them); ``lines`` keeps each line
    read (``number -> (line, start, end, top, bottom)``) for the next range in the same block."""
    if qs >= qe or layout.lineCount() == 0:
        return
    first = layout.lineForTextPosition(qs)
    low = first.lineNumber() if first.isValid() else 0
    held = lines.get(low)
    if held is not None and qe <= held[2]:  # on one line already read: no second look-up
        high = low
    else:
        last = layout.lineForTextPosition(qe - 1)
        high = last.lineNumber() if last.isValid() else layout.lineCount() - 1
    for i in range(low, high + 1):
        held = lines.get(i)
        if held is None:
            line = layout.lineAt(i)
            start = line.textStart()
            top = line.y()
            held = lines[i] = (line, start, start + line.textLength(), top, top + line.height())
        line, start, end, top, bottom = held
        a, b = max(qs, start), min(qe, end)
        if a < b:
            yield line, start, a, b, top, bottom


DASH, GAP = 4, 3  # px: the dashes of a suggestion outline's top and bottom edges and the gaps between them
_DASH_BRUSHES: dict[int, QBrush] = {}


def dash_brush(color: QColor) -> QBrush:
    """A brush tiling dashes of ``color`` along x (:data:`DASH` pixels on, :data:`GAP` off), kept per color."""
    brush = _DASH_BRUSHES.get(color.rgba())
    if brush is None:
        image = QImage(DASH + GAP, 1, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        for x in range(DASH):
            image.setPixelColor(x, 0, color)
        brush = _DASH_BRUSHES[color.rgba()] = QBrush(image)
    return brush


def paint_dashed_outlines(
    painter: QPainter, color: QColor, horizontal: list[QRectF], vertical: list[QRectF], origin: QPointF | None = None
) -> None:
    """Fill outline edges in ``color``: the ``horizontal`` ones dashed, the ``vertical`` ones (as short as a line)
    solid. The dashes are a brush's tiles, fixed to the view's x axis: the same pixels whatever part of the view a
    paint covers and wherever the view is scrolled (it never scrolls sideways); a dashed pen's pattern is laid out
    anew inside each clip, so partial repaints would differ. ``origin``: where the view's origin is in the painter's
    coordinates (default ``(0, 0)``; a painter translated to a block's top left passes minus that)."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrushOrigin(origin if origin is not None else QPointF(0, 0))
    painter.setBrush(dash_brush(color))
    painter.drawRects(horizontal)
    painter.setBrush(color)
    painter.drawRects(vertical)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def suggestion_tooltip(suggestion: PendingSuggestion, links: Iterable[LinkMark] = ()) -> str:
    """Plain-text lines telling what ``suggestion`` proposes: its label, score and reason, then one line per
    suggested link (``links``, e.g. ``source → “Ned Price”``)."""
    reason = f"\n    {one_line(suggestion.reason, 100)}" if suggestion.reason else ""
    lines = "".join(f"\n    {link_phrase(mark)}" for mark in links)
    return f"suggested {suggestion.label}  (score {suggestion.score:.2f}, {suggestion.suggester}){reason}{lines}"


def link_phrase(mark: LinkMark) -> str:
    """One plain-text phrase for a drawn link: ``source → “Ned Price”`` (``← `` when it points at the selection),
    with ``(suggested)`` after the text of a pending suggestion it reaches."""
    arrow = "←" if mark.incoming else "→"
    pending = " (suggested)" if isinstance(mark.span, PendingSuggestion) else ""
    return f"{mark.relation_type} {arrow} “{one_line(mark.span.text, 40)}”{pending}"


class _BlockOutlines:
    """A block's suggestion outlines, kept while its lines stand as they did (``key``: its line count, width and
    height): the x of the Qt positions found, and each suggestion's edges (by id: the suggestion, its pen and inset,
    its horizontal and vertical edges), so that a suggestion that comes, goes or is selected re-draws only its own
    outline."""

    __slots__ = ("key", "outlines", "xs")

    def __init__(self, key: tuple[int, float, float]) -> None:
        self.key = key
        self.xs: dict[int, float] = {}
        self.outlines: dict[str, tuple[PendingSuggestion, float, float, list[QRectF], list[QRectF]]] = {}


READING_FONTS = ["Noto Serif", "Source Serif 4", "Georgia", "DejaVu Serif", "Serif"]
DEFAULT_POINT_SIZE = 12.0
LINK_FONT_SCALE = 0.8  # a link's name, against the reading font
MAX_LINK_PATHS = 4  # links drawn on their own track in the margin and the row; more share the last
SUGGESTION_PEN = 1.2  # px: a pending suggestion's dashed outline (the selected one's is twice as thick)
SUGGESTION_NEST = 3.0  # px: how much further inside each other suggestion on the same range is outlined


def make_reading_view(view: QPlainTextEdit | QTextEdit) -> None:
    """Set up ``view`` to read a document: read-only but selectable by mouse and keyboard, wrapped at words (or
    anywhere in a word longer than the line), no undo, an 18 px margin, the reading font, mouse tracking (tooltips)."""
    view.setReadOnly(True)
    view.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    view.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    view.setUndoRedoEnabled(False)
    view.document().setDocumentMargin(18)
    font = QFont()
    font.setFamilies(READING_FONTS)
    font.setPointSizeF(DEFAULT_POINT_SIZE)
    view.setFont(font)
    view.setMouseTracking(True)


class DocumentView(QPlainTextEdit):
    """Read-only, wrapped view of one document's text with its spans.

    Signals
    -------
    selection_changed(int, int): the text selection as code points ``[start, end)`` (equal when empty).
    selection_made(int, int): a mouse drag finished with this selection (code points), e.g. for word snapping.
    spans_clicked(list): ids of the spans under a click made without selecting text, shortest first.
    suggestions_clicked(list): ids of the pending suggestions shown under that click (after ``spans_clicked``),
        shortest first.
    suggestion_menu_requested(str, QPoint): a context menu was asked for over the shown suggestion with this id (at
        this global position); the default menu shows elsewhere.
    annotations_shown(): :meth:`set_annotations` showed another annotation set (which starts with no suggestions
        drawn: whoever draws them draws them again).
    """

    selection_changed = Signal(int, int)
    selection_made = Signal(int, int)
    spans_clicked = Signal(list)
    suggestions_clicked = Signal(list)
    suggestion_menu_requested = Signal(str, QPoint)
    annotations_shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentView")
        self._annotations: AnnotationSet | None = None
        self._offsets: OffsetMap | None = None
        self._index: BlockSpanIndex | None = None
        self._highlighter: SpanHighlighter | None = None
        self._selected_id: str | None = None
        self._links: list[LinkMark] = []
        self._suggestion_links: list[LinkMark] = []  # the selected suggestion's suggested links
        self._link_points: dict[int, list[int]] = {}  # block number -> Qt positions in it holding a link's end
        self._block_lanes: dict[int, dict[str, int]] = {}  # block number -> {span id: lane}, filled when asked
        # block number -> (its layout's key, {label: [(underline rectangle, line bottom)]}), block-relative pixels:
        # what _paint_lanes draws, kept until the block's spans, text, lines or room change (see _lane_rects)
        # block number -> (its layout's key, {label: (horizontal edges, vertical edges)}), block-relative pixels: the
        # shown suggestions' outlines, kept until they, the selected one or the block's lines change
        self._suggestion_edges: dict[int, tuple[tuple[int, float, float], dict[str, tuple[list, list]]]] = {}
        # block number -> its outlines one by one (merged into _suggestion_edges): kept when a suggestion in the block
        # comes, goes or is selected (only its own outline is made again), dropped with the block's lines
        self._suggestion_parts: dict[int, _BlockOutlines] = {}
        self._watched: QTextDocument | None = None  # the document whose changes drop _lane_rects
        self._lane_rects: dict[int, tuple[tuple[int, float, float], dict[str, list[tuple[QRectF, float, str]]]]] = {}
        self._matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
        self._current_match: tuple[int, int] | None = None
        self._frame: dict[int, QRectF] | None = None  # block number -> viewport rectangle, during a paint
        self._painting = False  # in paintEvent (see _format_before_layout)
        self._suggestions: list[PendingSuggestion] = []  # shown, sorted by start
        self._suggestion_starts: list[int] = []
        self._suggestion_reach = 0  # the longest shown suggestion's length (code points)
        self._suggestion_depth: dict[str, int] = {}  # id -> how many shown suggestions on its range come before it
        self._selected_suggestion: str | None = None
        self._prepared: tuple[str, QTextDocument, OffsetMap] | None = None  # see offer_prepared
        self._prepared_index: list[tuple[AnnotationSet, int, BlockSpanIndex]] = []  # likewise (each set offered)
        self._loaded = 0  # code points of the shown text in the view (all of it once shown)
        document = QTextDocument(self)
        self._layout = LaneDocumentLayout(document, self._room_below)
        document.setDocumentLayout(self._layout)
        self.setDocument(document)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        make_reading_view(self)
        self.selectionChanged.connect(self._on_selection_changed)
        self.cursorPositionChanged.connect(self._on_selection_changed)  # the caret moved without selecting

    # -- content --------------------------------------------------------------------------------------------------
    @property
    def offsets(self) -> OffsetMap | None:
        """The open document's offset map (``None`` before a document is shown)."""
        return self._offsets

    @property
    def annotations(self) -> AnnotationSet | None:
        """The annotation set shown (``None`` before one is)."""
        return self._annotations

    def loaded_characters(self) -> int:
        """How many code points of the shown document's text the view holds: all of them once a document is shown
        (0 before); a huge text is filled into a document not yet shown (:meth:`new_document`), so the view never
        holds part of one. Also the Qt property ``loadedCharacters``, for tools that tell when a document is open."""
        return self._loaded

    loadedCharacters = Property(int, loaded_characters)

    def new_document(self) -> QTextDocument:
        """An empty document laid out and set up as the view's own (lanes under lines, margin, font, wrapping, no
        undo), to fill off-screen (:class:`~annotator.ui.document.chunked_fill.ChunkedFill`) and hand to
        :meth:`offer_prepared`. Its lines have no room under them until the view takes it (the view's spans are
        another document's: the room of a block asked while filling would be theirs)."""
        document = QTextDocument(self)
        document.setDocumentLayout(LaneDocumentLayout(document, no_room))
        document.setDefaultFont(self.document().defaultFont())
        document.setDefaultTextOption(self.document().defaultTextOption())
        document.setDocumentMargin(self.document().documentMargin())
        document.setUndoRedoEnabled(False)
        return document

    def offer_prepared(
        self,
        text: str,
        document: QTextDocument,
        offsets: OffsetMap,
        index: tuple[AnnotationSet, BlockSpanIndex] | None = None,
        also: tuple[AnnotationSet, BlockSpanIndex] | None = None,
    ) -> None:
        """Let the next :meth:`set_annotations` whose text is ``text`` (the same object) show ``document`` (from
        :meth:`new_document`, filled with exactly ``text``) and use ``offsets`` (``OffsetMap(text)``, built off the
        GUI thread) instead of setting the text and mapping it again. ``index``: ``(annotations,
        BlockSpanIndex(offsets, annotations))`` built off the GUI thread (1M spans: seconds), used when those very
        annotations, with as many spans, are shown; ``also``: the same for another set that may be shown instead
        (a crash's unsaved work, if it is restored)."""
        self.drop_prepared()
        self._prepared = (text, document, offsets)
        self._prepared_index = [(pair[0], len(pair[0]), pair[1]) for pair in (index, also) if pair is not None]

    def drop_prepared(self) -> None:
        """Forget the document offered by :meth:`offer_prepared` (the open was given up)."""
        self._prepared_index = []
        if self._prepared is not None:
            self._prepared[1].deleteLater()
            self._prepared = None

    def set_annotations(self, annotations: AnnotationSet) -> None:
        """Show ``annotations``' document and spans (the text is set once; spans are indexed per block); no
        suggestion is drawn until :meth:`set_suggestions` (``annotations_shown`` says so). A document offered for
        this very text (:meth:`offer_prepared`) is shown as it is."""
        self._highlighter = None
        self._annotations = annotations
        self._selected_id = None
        self._links, self._link_points, self._block_lanes = [], {}, {}
        self._lane_rects, self._suggestion_edges, self._suggestion_parts = {}, {}, {}
        self._matches, self._match_starts, self._current_match = [], [], None
        self._suggestions, self._suggestion_starts, self._suggestion_reach = [], [], 0
        self._selected_suggestion = None
        self._suggestion_links = []
        self._offsets = self._index = None  # no conversions while Qt replaces the text (it reports stale cursors)
        prepared, self._prepared = self._prepared, None
        offers, self._prepared_index = self._prepared_index, []
        prepared_index = next((offer for offer in offers if offer[0] is annotations), None)
        self._loaded = 0
        self._layout.before_layout = None  # the highlighter is the next document's
        if prepared is not None and prepared[0] is annotations.text:
            _text, filled, offsets = prepared
            old = self.document()
            self._layout = filled.documentLayout()
            self._layout.set_room_below(self._room_below)
            self.setDocument(filled)
            if old is not filled:
                old.deleteLater()
        else:
            if prepared is not None:
                prepared[1].deleteLater()
            offsets = OffsetMap(annotations.text)
            self.setPlainText(annotations.text)
        document = self.document()
        if (document.characterCount() - 1, document.blockCount()) != (offsets.qt_length, offsets.block_count):
            raise RuntimeError("Qt and the offset map disagree on the document's layout")  # a bug, not user input
        self._offsets = offsets
        self._loaded = len(annotations.text)
        if self._watched is not document:  # the text never changes while shown; if it did, every lane moves
            self._watched = document
            document.contentsChanged.connect(self._forget_lane_rects)
        if (
            prepared_index is not None
            and offsets is prepared_index[2].offsets
            and prepared_index[0] is annotations
            and prepared_index[1] == len(annotations)
        ):
            self._index = prepared_index[2]  # built off the GUI thread on these spans and offsets (h22-huge2)
        else:
            self._index = BlockSpanIndex(offsets, annotations)
        self._layout.room_changed()  # asked while the text was set, with no spans yet
        self._highlighter = SpanHighlighter(self._offsets, self._index, annotations.label_set, self.palette())
        self._layout.before_layout = self._format_before_layout
        self.viewport().update()
        self.annotations_shown.emit()

    def apply_change(self, change: Change) -> None:
        """Re-format only the blocks touched by ``change`` and repaint (all blocks when the label set changed)."""
        if self._index is None or self._highlighter is None or self._annotations is None:
            return
        touched = self._index.apply(change)
        if change.label_set is not None:  # every block (a rename, a merge): colors, and the lanes when next painted
            self._block_lanes.clear()
            self._lane_rects.clear()
            self._suggestion_edges.clear()
            self._suggestion_parts.clear()
            self._layout.room_changed()
            self.refresh_colors()
            return
        # the room under a block's lines (one underline at least) changes only with its nesting; a block never
        # measured has no room placed yet
        rooms = [self.room_under_line_of(n) if n in self._block_lanes else None for n in touched]
        for number in touched:
            self._block_lanes.pop(number, None)
            self._lane_rects.pop(number, None)
        deeper = any(
            room is not None and room != self.room_under_line_of(n) for n, room in zip(touched, rooms, strict=True)
        )
        if deeper:
            self._layout.room_changed(touched)
        else:
            self._layout.forget_room(touched)
        self._highlighter.forget(touched)
        if self._links or self._suggestion_links or self._matches or deeper:
            self.viewport().update()  # link lines and match marks cross lines; a deeper nesting moves what is below
            return
        self._update_blocks(touched)

    # -- room under lines -----------------------------------------------------------------------------------------
    def block_lanes(self, number: int) -> dict[str, int]:
        """``{span id: underline lane}`` for the spans touching block ``number`` (0 nearest the text; see
        :func:`~annotator.model.span_index.assign_lanes`), kept until a change touches the block."""
        lanes = self._block_lanes.get(number)
        if lanes is None:
            spans = self._index.spans_in_block(number) if self._index is not None else []
            lanes = self._block_lanes[number] = assign_lanes(spans) if spans else {}
        return lanes

    def _depth(self, number: int) -> int:
        lanes = self.block_lanes(number)
        return max(lanes.values()) + 1 if lanes else 0

    def link_row_height(self) -> float:
        """Pixels of the row under a line holding a shown link's end (the relation's name fits in it)."""
        return float(math.ceil(QFontMetricsF(self._link_font()).height() + 6))  # whole pixels: lines on the grid

    def _link_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * LINK_FONT_SCALE))
        return font

    def _room_below(self, block: QTextBlock) -> tuple[float, dict[int, float]]:
        """The room (pixels) under every line of ``block`` (its deepest nesting's underlines) and under the lines
        holding a shown link's end (a row); asked by the layout, which must not be asked back."""
        every = self.room_under_line(block)
        points = self._link_points.get(block.blockNumber())
        if not points:
            return every, {}
        row = self.link_row_height()
        return every, dict.fromkeys(points, row)

    def room_under_line(self, block: QTextBlock) -> float:
        """The underline room (pixels) under each line of ``block``: where its link row starts, below the lanes.

        Every line has room for one underline, so labeling a span in a paragraph without spans moves nothing (and
        repaints one line); only a deeper nesting makes a paragraph taller."""
        return self.room_under_line_of(block.blockNumber())

    def room_under_line_of(self, number: int) -> float:
        """:meth:`room_under_line` of block ``number``."""
        if self._index is None:
            return 0.0
        return lane_room(max(1, self._depth(number)))

    def _refresh_link_points(self) -> None:
        """Note where the shown links end (the selected span's start and each linked span's), so their lines get a
        row under them."""
        points: dict[int, list[int]] = {}
        shown = self._shown_links()
        if shown is not None and self._offsets is not None:
            origin, marks = shown
            ends = [mark.span.start for mark in marks] + [origin.start]
            document = self.document()
            for cp in ends:
                position = self._offsets.to_qt(cp)
                block = document.findBlock(position)
                points.setdefault(block.blockNumber(), []).append(position - block.position())
        old, self._link_points = self._link_points, points
        if old or points:
            self._layout.room_changed([*old, *points])

    def _update_blocks(self, numbers: list[int]) -> None:
        """Schedule a repaint of the visible blocks among ``numbers`` only (a dense screen repaints in 25 ms, one
        line in 2 ms)."""
        if not numbers:
            return
        shown = {block.blockNumber(): geometry for block, geometry in self.visible_geometry()}
        for number in numbers:
            geometry = shown.get(number)
            if geometry is not None:
                self.viewport().update(geometry.toAlignedRect().adjusted(0, -1, 0, 1))

    def refresh_colors(self) -> None:
        """Rebuild every highlight from the current label set and palette (after a theme or label-set change)."""
        if self._highlighter is None or self._annotations is None:
            return
        self._highlighter.set_label_set(self._annotations.label_set, self.palette())
        self.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh_colors()
        elif event.type() == QEvent.Type.FontChange:
            self._lane_rects.clear()  # the lines break and stand elsewhere
            self._suggestion_edges.clear()
            self._suggestion_parts.clear()
            self._layout.room_changed()  # a link's row is as tall as the font

    def set_links(self, links: list[LinkMark]) -> None:
        """Draw these spans as linked to the selected span (outline and connecting line); ``[]`` clears."""
        if not links and not self._links:
            return  # nothing drawn, nothing to draw: no repaint of the whole screen
        self._links = list(links)
        self._refresh_link_points()
        self.viewport().update()

    def set_suggestion_links(self, links: list[LinkMark]) -> None:
        """Draw these spans and pending suggestions as reached by the selected suggestion's suggested links (each
        mark ``suggested``); ``[]`` clears. Drawn only while a suggestion is selected (and no span)."""
        if not links and not self._suggestion_links:
            return
        self._suggestion_links = list(links)
        self._refresh_link_points()
        self.viewport().update()

    def _shown_links(self) -> tuple[Span | PendingSuggestion, list[LinkMark]] | None:
        """``(origin, marks)``: the selected span and its links, or the selected suggestion and its suggested links;
        ``None`` when neither has links to draw."""
        if self._annotations is None:
            return None
        if self._selected_id is not None:
            if self._links and self._selected_id in self._annotations:
                return self._annotations.get(self._selected_id), self._links
            return None
        if self._selected_suggestion is not None and self._suggestion_links:
            origin = self._annotations.suggestions_by_id.get(self._selected_suggestion)
            if origin is not None:
                return origin, self._suggestion_links
        return None

    def set_search_matches(self, matches: list[tuple[int, int]], current: tuple[int, int] | None = None) -> None:
        """Mark search matches (code-point ranges, sorted) in the view; ``current`` is drawn stronger."""
        self._matches = list(matches)
        self._match_starts = [m[0] for m in self._matches]
        self._current_match = current
        self.viewport().update()

    # -- suggestions ----------------------------------------------------------------------------------------------
    def set_suggestions(self, suggestions: list[PendingSuggestion]) -> None:
        """Draw these pending suggestions (``[]``: none, e.g. hidden); the selected one stays selected if shown.
        Only the lines of the suggestions that came or went are repainted."""
        if not suggestions and not self._suggestions:
            return
        old = {s.id: s for s in self._suggestions}
        self._suggestions = sorted(suggestions, key=lambda s: (s.start, s.end, s.label, s.id))
        new = {s.id: s for s in self._suggestions}
        # the ones that came or went (compared by id and identity: hashing 10k frozen models takes longer than this)
        changed = [s for s in self._suggestions if old.get(s.id) is not s]
        changed += [s for sid, s in old.items() if new.get(sid) is not s]
        self._suggestion_starts = [s.start for s in self._suggestions]
        self._suggestion_reach = max((s.end - s.start for s in self._suggestions), default=0)
        self._suggestion_depth = {}
        for before, suggestion in zip([None, *self._suggestions], self._suggestions, strict=False):
            same = before is not None and (before.start, before.end) == (suggestion.start, suggestion.end)
            self._suggestion_depth[suggestion.id] = self._suggestion_depth[before.id] + 1 if same else 0
        if self._selected_suggestion is not None and not any(s.id == self._selected_suggestion for s in suggestions):
            self._selected_suggestion = None
            self.set_suggestion_links([])
        self._update_ranges((s.start, s.end) for s in changed)

    def _update_ranges(self, ranges: Iterable[tuple[int, int]]) -> None:
        """Schedule a repaint of the visible lines holding these code-point ranges (all of the view while links or
        search matches are drawn, which cross lines)."""
        if self._offsets is None:
            return
        blocks: set[int] = set()
        for start, end in ranges:
            blocks.update(self._offsets.blocks_of_range(start, end))
        for number in blocks:  # merged again when painted; only the outlines that changed are made again
            self._suggestion_edges.pop(number, None)
        if self._links or self._suggestion_links or self._matches:
            self.viewport().update()
            return
        self._update_blocks(sorted(blocks))

    @property
    def shown_suggestions(self) -> list[PendingSuggestion]:
        """The suggestions drawn (when in view), sorted by ``(start, end, label, id)``."""
        return list(self._suggestions)

    @property
    def selected_suggestion_id(self) -> str | None:
        """Id of the suggestion drawn as selected, or ``None`` (selecting a span deselects it)."""
        return self._selected_suggestion

    def set_selected_suggestion(self, suggestion: PendingSuggestion | None, *, reveal: bool = False) -> None:
        """Draw ``suggestion`` (one of the shown ones) as selected, or none; with ``reveal``, put the caret at its
        start and scroll to it."""
        touched = [(s.start, s.end) for s in self._suggestions if s.id == self._selected_suggestion]
        if self._suggestion_links and (suggestion is None or suggestion.id != self._selected_suggestion):
            self.set_suggestion_links([])  # they were the other suggestion's (the caller draws the new one's)
        self._selected_suggestion = suggestion.id if suggestion is not None else None
        if suggestion is not None:
            touched.append((suggestion.start, suggestion.end))
        if suggestion is not None and reveal and self._offsets is not None:
            cursor = self.textCursor()
            cursor.setPosition(self._offsets.to_qt(suggestion.start))
            self.setTextCursor(cursor)
            self.reveal_range(suggestion.start, suggestion.end)
            self._update_ranges(touched)  # forgets their outlines (the selected one's pen is thicker)
            self.viewport().update()
            return
        self._update_ranges(touched)

    def suggestions_at(self, cp: int) -> list[PendingSuggestion]:
        """The shown suggestions covering code point ``cp``, shortest first."""
        low = bisect_left(self._suggestion_starts, cp - self._suggestion_reach)
        high = bisect_left(self._suggestion_starts, cp + 1)
        found = [s for s in self._suggestions[low:high] if s.start <= cp < s.end]
        return sorted(found, key=lambda s: (s.end - s.start, s.start, s.label))

    def suggestions_at_point(self, point: QPoint) -> list[PendingSuggestion]:
        """The shown suggestions covering the character under ``point`` (viewport coordinates), shortest first."""
        cp = self.char_at(point)
        if cp is None or self._offsets is None or cp >= self._offsets.length:
            return []
        return self.suggestions_at(cp)

    def suggestion_rects(self, suggestion: PendingSuggestion) -> list[QRectF]:
        """The outline rectangles of ``suggestion`` as painted (viewport pixels, one per visible wrapped line): its
        line boxes inset by half the pen, so the outline covers no character beside it and needs no room, and by
        :data:`SUGGESTION_NEST` more for each other shown suggestion on the same range before it (two suggesters
        disagreeing on a label draw nested outlines in their colors, not one)."""
        inset = self._suggestion_inset(suggestion)
        return [r.adjusted(inset, inset, -inset, -inset) for r in self.range_rects(suggestion.start, suggestion.end)]

    def suggestion_edges(self, suggestion: PendingSuggestion) -> tuple[list[QRectF], list[QRectF]]:
        """The edges of ``suggestion``'s outline as painted on the visible lines, ``(horizontal, vertical)``
        (viewport pixels; see :meth:`_edges_in_block`). They are painted under the text, so no letter is covered (a
        text selection's highlight, opaque, covers them while the text is selected)."""
        if self._offsets is None:
            return [], []
        horizontal: list[QRectF] = []
        vertical: list[QRectF] = []
        document = self.document()
        shown = {block.blockNumber() for block in self.visible_blocks()}
        for number in self._offsets.blocks_of_range(suggestion.start, suggestion.end):
            if number in shown:
                block = document.findBlockByNumber(number)
                h, v = self._edges_in_block(suggestion, block, self._block_geometry(block))
                horizontal += h
                vertical += v
        return horizontal, vertical

    def _suggestion_pen(self, suggestion: PendingSuggestion) -> float:
        return SUGGESTION_PEN * (2 if suggestion.id == self._selected_suggestion else 1)

    def _suggestion_inset(self, suggestion: PendingSuggestion) -> float:
        depth = self._suggestion_depth.get(suggestion.id, 0)
        return self._suggestion_pen(suggestion) / 2 + depth * SUGGESTION_NEST

    def _edges_in_block(
        self,
        suggestion: PendingSuggestion,
        block: QTextBlock,
        geometry: QRectF,
        xs: dict[int, float] | None = None,
        lines: dict | None = None,
    ) -> tuple[list[QRectF], list[QRectF]]:
        """``suggestion``'s outline edges in ``block`` (at ``geometry``), ``(horizontal, vertical)`` in pixels: one
        outline per line it covers, inset (:meth:`_suggestion_inset`) in its line box, edges as thick as its pen and
        centered on the outline's sides. ``xs`` and ``lines`` keep what was read of the block's lines (the x of Qt
        positions; each line's extent, as :func:`_lines_of` keeps them) for the next suggestion in it."""
        low, high = self._offsets.block_range(block.blockNumber())
        start, end = max(suggestion.start, low), min(suggestion.end, high)
        if start >= end:
            return [], []
        xs = {} if xs is None else xs
        inset = self._suggestion_inset(suggestion)
        width = self._suggestion_pen(suggestion)
        half = width / 2
        gx, gy = geometry.left(), geometry.top()
        qt_block = block.position()
        to_qt = self._offsets.to_qt
        qs, qe = to_qt(start) - qt_block, to_qt(end) - qt_block
        horizontal: list[QRectF] = []
        vertical: list[QRectF] = []
        for line, line_start, a, b, top, bottom in _lines_of(block.layout(), {} if lines is None else lines, qs, qe):
            x1 = xs.get(a * 2 + (a == line_start))  # a line's start and the previous line's end differ in x
            if x1 is None:
                x1 = xs[a * 2 + (a == line_start)] = line.cursorToX(a)[0]
            x2 = xs.get(b * 2)
            if x2 is None:
                x2 = xs[b * 2] = line.cursorToX(b)[0]
            left, right = gx + min(x1, x2) + inset, gx + max(x1, x2) - inset
            top, bottom = gy + top + inset, gy + bottom - inset
            horizontal.append(QRectF(left - half, top - half, right - left + width, width))
            horizontal.append(QRectF(left - half, bottom - half, right - left + width, width))
            if bottom - top > width:  # the sides between the edges (none on a line too short for them)
                vertical.append(QRectF(left - half, top + half, width, bottom - top - width))
                vertical.append(QRectF(right - half, top + half, width, bottom - top - width))
        return horizontal, vertical

    def block_suggestion_edges(
        self, block: QTextBlock, geometry: QRectF, *, cached: bool = True
    ) -> dict[str, tuple[list[QRectF], list[QRectF]]]:
        """``{label: (horizontal edges, vertical edges)}`` of the shown suggestions' outlines in ``block`` (see
        :meth:`_edges_in_block`), in pixels relative to the block's top left (``geometry``: its viewport rectangle).
        Kept per block until the shown suggestions in it or the selected one change, the text changes, or its lines
        break or stand anew (their count, the block's width or height differ); ``cached=False``: computed afresh."""
        number = block.blockNumber()
        key = (block.layout().lineCount(), geometry.width(), geometry.height())
        held = self._suggestion_edges.get(number)
        if cached and held is not None and held[0] == key:
            return held[1]
        low, high = self._offsets.block_range(number)
        index = bisect_left(self._suggestion_starts, low - self._suggestion_reach)
        stop = bisect_left(self._suggestion_starts, high + 1)
        origin = QRectF(0.0, 0.0, geometry.width(), geometry.height())
        parts = self._suggestion_parts.get(number)
        if not cached or parts is None or parts.key != key:
            parts = _BlockOutlines(key)  # the lines broke or stand anew: every outline is made again
        outlines: dict[str, tuple[PendingSuggestion, float, float, list[QRectF], list[QRectF]]] = {}
        edges: dict[str, tuple[list[QRectF], list[QRectF]]] = {}
        lines: dict = {}  # the block's lines read by this call (see _lines_of)
        for suggestion in self._suggestions[index:stop]:
            if min(suggestion.end, high) <= max(suggestion.start, low):
                continue
            pen, inset = self._suggestion_pen(suggestion), self._suggestion_inset(suggestion)
            outline = parts.outlines.get(suggestion.id)
            if outline is None or outline[0] is not suggestion or outline[1] != pen or outline[2] != inset:
                horizontal, vertical = self._edges_in_block(suggestion, block, origin, parts.xs, lines)
                outline = (suggestion, pen, inset, horizontal, vertical)
            outlines[suggestion.id] = outline
            held_edges = edges.setdefault(suggestion.label, ([], []))
            held_edges[0].extend(outline[3])
            held_edges[1].extend(outline[4])
        parts.outlines = outlines  # those that went are dropped
        self._suggestion_parts[number] = parts
        self._suggestion_edges[number] = (key, edges)
        return edges

    def _paint_suggestions(
        self, painter: QPainter, block: QTextBlock, geometry: QRectF, colors: dict[str, QColor]
    ) -> None:
        """Dashed outlines, in each label's color, around the shown suggestions in ``block`` (at ``geometry``; from
        :meth:`block_suggestion_edges`)."""
        left, top = geometry.left(), geometry.top()
        by_color: dict[int, tuple[QColor, list[QRectF], list[QRectF]]] = {}
        for label, (horizontal, vertical) in self.block_suggestion_edges(block, geometry).items():
            color = colors.get(label) or label_color("#888888", palette=self.palette())
            held = by_color.get(color.rgba())
            if held is None:
                held = by_color[color.rgba()] = (color, [], [])
            held[1].extend(horizontal)
            held[2].extend(vertical)
        painter.translate(left, top)  # the edges are the block's; the dashes stay fixed to the view's x axis
        try:
            for color, horizontal, vertical in by_color.values():
                paint_dashed_outlines(painter, color, horizontal, vertical, QPointF(-left, -top))
        finally:
            painter.translate(-left, -top)

    def caret(self) -> int:
        """The caret's position in code points (0 before a document is shown)."""
        if self._offsets is None:
            return 0
        return self._offsets.from_qt(min(self.textCursor().position(), self._offsets.qt_length))

    def reveal_range(self, start: int, end: int) -> None:
        """Scroll so that code points ``[start, end)`` are visible, without moving the caret or selection."""
        if self._offsets is None:
            return
        block = self.document().findBlock(self._offsets.to_qt(start))
        geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
        if geometry.top() < 0 or geometry.top() > self.viewport().height() - geometry.height() / 2:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._offsets.to_qt(start))
            saved = self.textCursor()
            self.setTextCursor(cursor)
            self.centerCursor()
            self.setTextCursor(saved)

    def top_offset(self) -> int:
        """The code point at the top-left of the viewport (where the user has scrolled to); 0 with no document."""
        if self._offsets is None:
            return 0
        position = self.cursorForPosition(QPoint(0, 0)).position()
        return self._offsets.from_qt(min(position, self._offsets.qt_length))

    def scroll_to_offset(self, cp: int) -> None:
        """Scroll so that the line holding code point ``cp`` is the top line (clamped to the text)."""
        if self._offsets is None:
            return
        position = self._offsets.to_qt(max(0, min(cp, self._offsets.length)))
        block = self.document().findBlock(position)
        line = 0
        layout = block.layout()
        if layout is not None and layout.lineCount():
            line = max(0, layout.lineForTextPosition(position - block.position()).lineNumber())
        self.verticalScrollBar().setValue(block.firstLineNumber() + line)

    # -- selection --------------------------------------------------------------------------------------------
    def selected_range(self) -> tuple[int, int] | None:
        """The text selection as code points ``(start, end)``, or ``None`` when nothing is selected."""
        cursor = self.textCursor()
        if self._offsets is None or not cursor.hasSelection():
            return None
        return self._offsets.range_from_qt(cursor.selectionStart(), cursor.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        """Select the code points ``[start, end)`` and scroll them into view."""
        if self._offsets is None:
            return
        cursor = self.textCursor()
        cursor.setPosition(self._offsets.to_qt(start))
        cursor.setPosition(self._offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.keep_caret_in_view()

    def keep_caret_in_view(self) -> None:
        """Scroll by whole lines until the caret is inside the viewport. Qt works out where to scroll as if lines
        touched, so with room under lines (underlines, a link's row) it can stop a few pixels, or a line, short."""
        bar = self.verticalScrollBar()
        height = self.viewport().height()
        for _ in range(100):  # a line at a time; never more than a screenful of lines off
            rect = self.cursorRect()
            if rect.height() >= height:
                return
            if rect.bottom() > height and bar.value() < bar.maximum():
                bar.setValue(bar.value() + 1)
            elif rect.top() < 0 and bar.value() > bar.minimum():
                bar.setValue(bar.value() - 1)
            else:
                return

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        # Qt finds the new top block's place by laying out every block between the old top and it (a scroll bar
        # dragged far: thousands), each telling its size change at once: told once, when the scroll is done
        with self._layout.size_changes_held():
            super().scrollContentsBy(dx, dy)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        self.keep_caret_in_view()  # arrows, Page Up/Down, Home/End: Qt scrolled as if lines touched

    def clear_text_selection(self) -> None:
        """Drop the text selection, leaving the caret at its end."""
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    @property
    def selected_span_id(self) -> str | None:
        """Id of the span drawn as selected, or ``None``."""
        return self._selected_id

    def set_selected_span(self, span: Span | None, *, reveal: bool = False) -> None:
        """Draw ``span`` as selected (or none); with ``reveal``, put the caret at its start and scroll to it."""
        if self._index is None or self._highlighter is None or self._annotations is None:
            return
        touched: set[int] = set()
        for old_id in (self._selected_id, span.id if span else None):
            if old_id is not None and old_id in self._annotations:
                old = self._annotations.get(old_id)
                touched.update(self._offsets.blocks_of_range(old.start, old.end))
        self._selected_id = span.id if span else None
        if self._selected_suggestion is not None:  # one selection at a time; deselecting (Escape) deselects it too
            self._update_ranges((s.start, s.end) for s in self._suggestions if s.id == self._selected_suggestion)
            self._selected_suggestion = None
            self.set_suggestion_links([])
        self._highlighter.selected_id = self._selected_id
        if self._links or self._suggestion_links:
            self._refresh_link_points()
        self._highlighter.forget(touched)
        if span is not None and reveal:
            cursor = self.textCursor()
            cursor.setPosition(self._offsets.to_qt(span.start))
            self.setTextCursor(cursor)
            self.centerCursor()
        if reveal or self._links or self._suggestion_links or self._matches:
            self.viewport().update()
        else:
            self._update_blocks(sorted(touched))

    def _on_selection_changed(self) -> None:
        if self._offsets is None or not 0 <= self.textCursor().position() <= self._offsets.qt_length:
            return
        selected = self.selected_range()
        if selected is None:
            cp = self._offsets.from_qt(self.textCursor().position())
            selected = (cp, cp)
        self.selection_changed.emit(*selected)

    # -- hit testing ------------------------------------------------------------------------------------------
    def char_at(self, point: QPoint) -> int | None:
        """Code-point offset of the character under ``point`` (viewport coordinates), or ``None`` past line ends
        (:func:`~annotator.ui.document.text_geometry.char_at`: the room under a line, its underlines', is the
        line's)."""
        if self._offsets is None:
            return None
        return char_at(self, self._offsets, point)

    def spans_at_point(self, point: QPoint) -> list[Span]:
        """Spans covering the character under ``point``, shortest first."""
        cp = self.char_at(point)
        if cp is None or self._annotations is None or cp >= self._offsets.length:
            return []
        return self._annotations.spans_at(cp)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.textCursor().hasSelection():
            selected = self.selected_range()
            if selected is not None:
                self.selection_made.emit(*selected)
        else:
            point = event.position().toPoint()
            self.spans_clicked.emit([s.id for s in self.spans_at_point(point)])
            self.suggestions_clicked.emit([s.id for s in self.suggestions_at_point(point)])

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        suggestions = self.suggestions_at_point(event.pos())
        if suggestions:
            self.suggestion_menu_requested.emit(suggestions[0].id, event.globalPos())
            return
        super().contextMenuEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            point = self.viewport().mapFromGlobal(event.globalPos())
            spans = self.spans_at_point(point)
            lines = []
            for s in spans:
                flag = "  (uncertain)" if s.uncertain else ""
                lines.append(f"{s.label}  [{s.start}, {s.end})  {one_line(s.text, 60)}{flag}")
                if s.note:
                    lines.append(f"    note: {one_line(s.note, 80)}")
            for s in self.suggestions_at_point(point):
                links = self._suggestion_links if s.id == self._selected_suggestion else ()
                lines.append(suggestion_tooltip(s, links))
            if lines:
                QToolTip.showText(event.globalPos(), tooltip_html("\n".join(lines)), self)
            else:
                QToolTip.hideText()
            return True
        # not super(): once in a full test run PySide called this override with a wrapper that was no longer a
        # DocumentView (an earlier test's view being destroyed), and super() raised TypeError in the event loop
        return QPlainTextEdit.event(self, event)

    # -- painting ---------------------------------------------------------------------------------------------
    def visible_geometry(self) -> list[tuple[QTextBlock, QRectF]]:
        """The blocks (text lines) at least partly inside the viewport, top to bottom, each with its viewport
        rectangle. One walk down from the top block, adding heights as Qt's own paint does (asking Qt for each
        block's geometry walks from the top block every time)."""
        bottom = self.viewport().height()
        block = self.firstVisibleBlock()
        if not block.isValid():
            return []
        offset = self.contentOffset()
        geometry = self.blockBoundingGeometry(block).translated(offset)
        layout = self.document().documentLayout()
        shown = []
        while geometry.top() <= bottom:
            shown.append((block, geometry))
            if geometry.bottom() > bottom:  # the next block starts below the view: never laid out for nothing
                break
            block = block.next()
            if not block.isValid():
                break
            geometry = layout.blockBoundingRect(block).translated(offset.x(), geometry.bottom())
        return shown

    def visible_blocks(self) -> list[QTextBlock]:
        """The blocks (text lines) at least partly inside the viewport, top to bottom."""
        return [block for block, _ in self.visible_geometry()]

    def _format_before_layout(self, block: QTextBlock) -> None:
        """Called by the layout just before it lays out ``block`` (no lines yet): during a paint, give it its
        formats now, so that it is laid out once, with them (formats set later drop its lines); outside a paint
        (Qt laying out blocks to scroll) nothing: only painted blocks are formatted."""
        if self._painting and self._highlighter is not None:
            self._highlighter.format_block(block)

    def paintEvent(self, event) -> None:
        """Suggestion outlines first, under the text (Qt's paint draws every glyph over them: an outline never
        covers a letter, whatever the font's ink), then Qt's paint (the text, its span tints, which shade an outline
        under them, and the selection's highlight, which covers it), then over it the span underlines in the room under
        the lines, search matches and links."""
        self._painting = True  # blocks laid out from here on are painted: formatted before their layout
        shown, top = None, None
        try:
            if self._highlighter is not None:
                before = (self.firstVisibleBlock().blockNumber(), self.contentOffset())
                with self._layout.size_changes_held():  # a page of new blocks: the scroll range set once
                    shown = self.visible_geometry()
                    if self._highlighter.format_blocks(block for block, _ in shown):  # only what is to be painted
                        shown = self.visible_geometry()  # their lines dropped: laid out again now, with them
                top = (self.firstVisibleBlock().blockNumber(), self.contentOffset())
                if top != before:  # the size told scrolled the view
                    shown = self.visible_geometry()
                if shown and self._suggestions and self._annotations is not None:
                    self._paint_suggestions_under(event, shown)
            super().paintEvent(event)
        finally:
            self._painting = False
        if self._index is None or self._annotations is None or self._highlighter is None:
            return
        if shown is None or top != (self.firstVisibleBlock().blockNumber(), self.contentOffset()):
            shown = self.visible_geometry()  # Qt's paint scrolled the view (a block it laid out changed the size)
        if not shown:
            return
        self._frame = {block.blockNumber(): geometry for block, geometry in shown}
        try:
            painter = QPainter(self.viewport())
            dirty = QRectF(event.rect())
            colors = self._label_colors()
            for block, geometry in shown:
                spans = self._index.spans_in_block(block.blockNumber())
                if spans and geometry.intersects(dirty):  # e.g. the caret's blink repaints one line
                    self._paint_lanes(painter, block, geometry, spans, colors)
            first, last = shown[0][0].blockNumber(), shown[-1][0].blockNumber()
            if self._matches:
                self._paint_matches(painter, first, last)
            if self._shown_links() is not None:
                self._paint_links(painter, first, last)
            painter.end()
        finally:
            self._frame = None

    def _label_colors(self) -> dict[str, QColor]:
        """Each label's color, made readable on the view's palette."""
        palette = self.palette()
        labels = self._annotations.label_set.labels if self._annotations is not None else ()
        return {label.name: label_color(label.color, palette=palette) for label in labels}

    def _paint_suggestions_under(self, event, shown: list[tuple[QTextBlock, QRectF]]) -> None:
        """The shown suggestions' outlines in the blocks ``shown`` (each with its viewport rectangle) that the paint
        ``event`` repaints, painted before Qt's paint draws the text over them."""
        dirty = QRectF(event.rect())
        colors = self._label_colors()
        painter = QPainter(self.viewport())
        try:
            for block, geometry in shown:
                if geometry.intersects(dirty):
                    self._paint_suggestions(painter, block, geometry, colors)
        finally:
            painter.end()

    def _block_geometry(self, block: QTextBlock) -> QRectF:
        """``block``'s viewport rectangle: from this paint's walk when painting, else asked of Qt."""
        if self._frame is not None:
            geometry = self._frame.get(block.blockNumber())
            if geometry is not None:
                return geometry
        return self.blockBoundingGeometry(block).translated(self.contentOffset())

    def range_rects(self, start: int, end: int, first: int | None = None, last: int | None = None) -> list[QRectF]:
        """Viewport rectangles (one per wrapped line) covering code points ``[start, end)`` in blocks
        ``first..last`` (default: the visible ones)."""
        if self._offsets is None or start >= end:
            return []
        if first is None or last is None:
            first = self.firstVisibleBlock().blockNumber()
            last = self.cursorForPosition(QPoint(0, self.viewport().height())).block().blockNumber()
        document = self.document()
        qs_all, qe_all = self._offsets.to_qt(start), self._offsets.to_qt(end)
        rects = []
        for number in self._offsets.blocks_of_range(start, end):
            if number < first or number > last:
                continue
            block = document.findBlockByNumber(number)
            geometry = self._block_geometry(block)
            rects.extend(line_rects(block, geometry, qs_all - block.position(), qe_all - block.position()))
        return rects

    def _paint_matches(self, painter: QPainter, first: int, last: int) -> None:
        """Search matches in the visible blocks: a light fill, the current one outlined."""
        low = self._offsets.block_range(first)[0]
        high = self._offsets.block_range(last)[1]
        index = max(0, bisect_left(self._match_starts, low) - 1)
        fill = QColor(255, 214, 0, 90)
        for start, end in self._matches[index:]:
            if start > high:
                break
            for rect in self.range_rects(start, end, first, last):
                painter.fillRect(rect, fill)
                if (start, end) == self._current_match:
                    painter.setPen(QPen(QColor(230, 120, 0), 2))
                    painter.drawRect(rect.adjusted(-1, -1, 1, 1))

    def link_drawings(self, first: int | None = None, last: int | None = None) -> list[LinkDrawing]:
        """Where each shown link is drawn in blocks ``first..last`` (default: the visible ones), in link order: the
        linked span's line rectangles, the path from the selected span to it (``None`` when the selected span is
        out of view), the arrow's tip and the rectangle of the relation's name (viewport pixels). The links are the
        selected span's, or the selected suggestion's suggested ones (:meth:`set_suggestion_links`).

        Paths run only in the rows under lines and in the left margin, never over text."""
        shown = self._shown_links()
        if shown is None:
            return []
        selected, links = shown
        if first is None or last is None:
            visible = self.visible_blocks()
            if not visible:
                return []
            first, last = visible[0].blockNumber(), visible[-1].blockNumber()
        origin_line = self._start_line_rect(selected, first, last)
        origin = self._link_end(selected, origin_line) if origin_line is not None else None
        metrics = QFontMetricsF(self._link_font())
        row = self.link_row_height()
        gutter = self.contentOffset().x() + 3.0  # inside the document margin, left of the text
        drawings = []
        for number, mark in enumerate(links):
            rects = self.range_rects(mark.span.start, mark.span.end, first, last)
            if not rects:
                continue
            track = min(number, MAX_LINK_PATHS - 1)
            end_line = self._start_line_rect(mark.span, first, last)
            if end_line is None:  # the linked span starts above the view: its row is there too
                drawings.append(LinkDrawing(mark, rects, None, None, None))
                continue
            end = self._link_end(mark.span, end_line)
            name_y = end.y() + row / 2
            path = tip = None
            if origin is not None:
                path = QPainterPath(origin)
                track_y = origin.y() + 3 + track * 3  # in the row under the selected span, each link on its own track
                path.lineTo(origin.x(), track_y)
                if abs(origin.y() - end.y()) < 0.5:  # both ends on one line: along its row
                    path.lineTo(end.x(), track_y)
                else:  # to the margin, along it, and into the row under the linked span's line
                    x = gutter + track * 3
                    path.lineTo(x, track_y)
                    path.lineTo(x, name_y)
                    path.lineTo(end.x(), name_y)
                path.lineTo(end)
                tip = origin if mark.incoming else end
            name = self._name_rect(QPointF(end.x(), name_y), mark.relation_type, metrics)
            drawings.append(LinkDrawing(mark, rects, path, tip, name))
        return drawings

    def _paint_links(self, painter: QPainter, first: int, last: int) -> None:
        """Dashed outlines around the spans linked to the selected span, a path from it to each with an arrowhead
        at the link's target, and the relation's name under the linked span (see :meth:`link_drawings`)."""
        ink = self.palette().text().color()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._link_font())
        for drawing in self.link_drawings(first, last):
            mark = drawing.mark
            pen = QPen(ink, 2.5 if mark.pending else 1.2)
            if mark.suggested:  # not a link yet: dashed whatever its type, and fainter
                faint = QColor(ink)
                faint.setAlphaF(0.7)
                pen = QPen(faint, 1.2, Qt.PenStyle.DashLine)
            elif not mark.pending:  # one line style per relation type: source dashed, target dotted, others dash-dot
                styles = {"source": Qt.PenStyle.DashLine, "target": Qt.PenStyle.DotLine}
                pen.setStyle(styles.get(mark.relation_type, Qt.PenStyle.DashDotLine))
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            inset = pen.widthF() / 2  # inside the span's own box: never over the characters beside it
            for rect in drawing.span_rects:
                painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset), 3, 3)
            if drawing.path is not None and drawing.tip is not None:
                painter.drawPath(drawing.path)
                painter.setPen(QPen(ink, 1.2))
                tip = drawing.tip
                painter.drawLine(QLineF(tip, QPointF(tip.x() - 4, tip.y() + 6)))
                painter.drawLine(QLineF(tip, QPointF(tip.x() + 4, tip.y() + 6)))
            if drawing.name_rect is not None:
                painter.setPen(QPen(ink, 1.0))
                painter.setBrush(self.palette().base())
                painter.drawRoundedRect(drawing.name_rect, 4, 4)
                painter.drawText(drawing.name_rect, Qt.AlignmentFlag.AlignCenter, mark.relation_type)
                painter.setBrush(Qt.BrushStyle.NoBrush)

    def _start_line_rect(self, span: Span | PendingSuggestion, first: int, last: int) -> QRectF | None:
        """The rectangle of ``span`` on the line where it starts (its link row is under that line), or ``None`` when
        that line is not in blocks ``first..last`` or not in view."""
        anchor = self.range_rects(span.start, span.start + 1, first, last)
        if not anchor or anchor[0].bottom() <= 0:
            return None
        for rect in self.range_rects(span.start, span.end, first, last):
            if abs(rect.top() - anchor[0].top()) < 0.5:
                return rect
        return anchor[0]

    def _link_end(self, span: Span | PendingSuggestion, first_rect: QRectF) -> QPointF:
        """Where a link's path meets ``span``: under the middle of its first line's rectangle ``first_rect``, below
        its underlines (the top of that line's link row)."""
        block = self.document().findBlock(self._offsets.to_qt(span.start))
        return QPointF(first_rect.center().x(), first_rect.bottom() + self.room_under_line(block))

    def _name_rect(self, center: QPointF, name: str, metrics: QFontMetricsF) -> QRectF:
        width, height = metrics.horizontalAdvance(name) + 8, metrics.height() + 2
        left = max(self.contentOffset().x() + 1, min(center.x() - width / 2, self.viewport().width() - width - 1))
        return QRectF(left, center.y() - height / 2, width, height)

    def underline_rects(self, span: Span, *, cached: bool = True) -> list[QRectF]:
        """Viewport rectangles of ``span``'s underline (one per wrapped line it covers), as painted (from
        :meth:`lane_rects`; ``cached=False``: computed afresh)."""
        if self._offsets is None or self._index is None:
            return []
        rects = []
        document = self.document()
        for number in self._offsets.blocks_of_range(span.start, span.end):
            block = document.findBlockByNumber(number)
            geometry = self._block_geometry(block)
            for rect, _bottom, span_id in self.lane_rects(block, geometry, cached=cached).get(span.label, []):
                if span_id == span.id:
                    rects.append(rect.translated(geometry.topLeft()))
        return rects

    def lane_rects(
        self, block: QTextBlock, geometry: QRectF, *, cached: bool = True
    ) -> dict[str, list[tuple[QRectF, float, str]]]:
        """``{label: [(underline rectangle, bottom of its line, span id)]}`` of the spans in ``block``, in pixels
        relative to the block's top left (``geometry``: its viewport rectangle): one rectangle per span and wrapped
        line, in the span's lane. Kept per block and computed again only when the block's spans change
        (:meth:`apply_change`), the text changes, or its lines break or stand anew (their count, the block's width or
        height differ: a resize, another font, more room under a line). ``cached=False`` computes them afresh (and
        keeps them)."""
        number = block.blockNumber()
        layout = block.layout()
        key = (layout.lineCount(), geometry.width(), geometry.height())
        held = self._lane_rects.get(number)
        if cached and held is not None and held[0] == key:
            return held[1]
        by_label: dict[str, list[tuple[QRectF, float, str]]] = {}
        spans = self._index.spans_in_block(number) if self._index is not None else []
        if spans:
            block_start, block_end = self._offsets.block_range(number)
            qt_block = block.position()
            lanes = self.block_lanes(number)
            to_qt = self._offsets.to_qt
            xs: dict[int, float] = {}  # Qt position * 2 (+1 at a line's start) -> x: spans share their ends
            lines: dict[int, tuple[object, int, int, float, float]] = {}  # number -> (line, start, end, top, bottom)
            for span in spans:
                start, end = max(span.start, block_start), min(span.end, block_end)
                if start >= end:
                    continue
                qs = to_qt(start) - qt_block
                qe = to_qt(end) - qt_block
                rects = by_label.setdefault(span.label, [])
                lane = lanes.get(span.id, 0)
                for line, line_start, a, b, _top, bottom in _lines_of(layout, lines, qs, qe):
                    x1 = xs.get(a * 2 + (a == line_start))  # a line's start and the previous line's end differ
                    if x1 is None:
                        x1 = xs[a * 2 + (a == line_start)] = line.cursorToX(a)[0]
                    x2 = xs.get(b * 2)
                    if x2 is None:
                        x2 = xs[b * 2] = line.cursorToX(b)[0]
                    left, width = min(x1, x2), abs(x2 - x1)
                    rects.append((QRectF(left, lane_top(bottom, lane), width, LANE_HEIGHT), bottom, span.id))
        self._lane_rects[number] = (key, by_label)
        return by_label

    def _forget_lane_rects(self) -> None:
        self._lane_rects.clear()
        self._suggestion_edges.clear()
        self._suggestion_parts.clear()

    def _paint_lanes(
        self, painter: QPainter, block, geometry: QRectF, spans: list[Span], colors: dict[str, QColor]
    ) -> None:
        """Stacked underlines (one lane per overlapping span, from :meth:`lane_rects`) and an outline around the
        selected span; ``colors``: each label's color on this palette."""
        by_label = self.lane_rects(block, geometry)
        left, top = geometry.left(), geometry.top()
        painter.translate(left, top)
        try:
            for label, rects in by_label.items():
                color = colors.get(label)
                if color is None:
                    color = label_color("#888888", palette=self.palette())
                if top >= 0:
                    for rect, _bottom, _id in rects:
                        painter.fillRect(rect, color)
                else:  # a line above the view, whose room shows at the top when the view starts mid-paragraph
                    for rect, bottom, _id in rects:
                        if bottom + top > 0:
                            painter.fillRect(rect, color)
        finally:
            painter.translate(-left, -top)
        selected = self._selected_id
        if selected is None or self._annotations is None or selected not in self._annotations:
            return
        span = self._annotations.get(selected)
        block_start, block_end = self._offsets.block_range(block.blockNumber())
        start, end = max(span.start, block_start), min(span.end, block_end)
        if start >= end:
            return
        qt_block = block.position()
        qs, qe = self._offsets.to_qt(start) - qt_block, self._offsets.to_qt(end) - qt_block
        color = colors.get(span.label) or label_color("#888888", palette=self.palette())
        for rect in line_rects(block, geometry, qs, qe):
            if rect.bottom() <= 0:
                continue
            painter.setPen(QPen(color, 1.5))  # inside the span's own box: never over the characters beside it
            painter.drawRect(rect.adjusted(0.75, 0.75, -0.75, -0.75))
