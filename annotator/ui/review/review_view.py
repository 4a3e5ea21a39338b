"""The review view: one document's text with every annotator's spans in bands under each line, gold as tints.

Under every line of text each annotator has a *band* (in the order of :attr:`ReviewView.annotators`, top to bottom);
a span is a bar in its label's color in its annotator's band, nested spans of one annotator stacked inside the band.
Gold spans tint the text itself (as in the annotating view). The current disagreement is framed; the other
undecided ones get a dotted frame. Everything is painted for the visible lines only, on each paint: a
``QSyntaxHighlighter`` on a ``QTextEdit`` re-lays the document out for every block it formats (minutes for 1 MB).

Positions crossing this widget's boundary are code points, converted with
:class:`~annotator.model.offsets.OffsetMap` only here. The view is a read-only ``QTextEdit`` (not a
``QPlainTextEdit``) because only its layout honours a line distance, which makes room for the bands.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.offsets import OffsetMap
from annotator.model.span import Span
from annotator.model.span_index import BlockSpanIndex, assign_lanes
from annotator.ui.colors import FILL_ALPHA, label_color
from annotator.ui.document.document_view import line_rects, make_reading_view
from annotator.ui.document.text_geometry import block_geometry, char_at
from annotator.ui.plain_text import one_line, shown_name, tooltip_html

BAR_HEIGHT = 3.0
"""Height of one span bar, pixels."""
BAR_GAP = 1.0
"""Space between stacked bars of one annotator, pixels."""
BAND_GAP = 3.0
"""Space between two annotators' bands, pixels."""
MAX_STACK = 4
"""Most nested spans of one annotator stacked in a band; deeper ones share the last row."""


class ReviewView(QTextEdit):
    """Read-only view of one document, its annotators' spans in bands and its gold spans as tints.

    Signals
    -------
    clicked(int): the code point under a mouse click (no text selected).
    """

    clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewView")
        self.setAcceptRichText(False)
        make_reading_view(self)
        self.annotators: list[str] = []
        self._offsets: OffsetMap | None = None
        self._gold: AnnotationSet | None = None
        self._gold_index: BlockSpanIndex | None = None
        self._indexes: dict[str, BlockSpanIndex] = {}
        self._spans: dict[str, tuple[Span, ...]] = {}
        self._lanes: dict[str, dict[str, int]] = {}
        self._band_tops: list[float] = []
        self._current: tuple[int, int] | None = None
        self._open: list[tuple[int, int]] = []
        self._open_starts: list[int] = []

    # -- content --------------------------------------------------------------------------------------------------
    @property
    def offsets(self) -> OffsetMap | None:
        """The document's offset map (``None`` before :meth:`set_review`)."""
        return self._offsets

    def set_review(self, spans: Mapping[str, Sequence[Span]], gold: AnnotationSet) -> None:
        """Show ``gold``'s text, each annotator's spans (``spans``: annotator -> spans, in band order) in bands and
        ``gold``'s spans as tints.

        Raises
        ------
        RuntimeError
            If Qt lays the text out in other blocks than :class:`OffsetMap` computes (a bug, not user input).
        """
        self._offsets = None
        offsets = OffsetMap(gold.text)
        self.setPlainText("")
        self.annotators = list(spans)
        self._spans = {a: tuple(s) for a, s in spans.items()}
        self._indexes = {a: BlockSpanIndex(offsets, s) for a, s in self._spans.items()}
        self._lanes = {a: assign_lanes(s) for a, s in self._spans.items()}
        self._band_tops = []
        top = 2.0
        for annotator in self.annotators:
            self._band_tops.append(top)
            depth = min(MAX_STACK, max(self._lanes[annotator].values(), default=0) + 1)
            top += depth * (BAR_HEIGHT + BAR_GAP) + BAND_GAP
        document = self.document()
        cursor = QTextCursor(document)
        spacing = QTextBlockFormat()
        spacing.setLineHeight(top + 2, QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
        cursor.setBlockFormat(spacing)
        cursor.insertText(gold.text)  # every block takes the spacing (as setPlainText would split the text)
        if (document.characterCount() - 1, document.blockCount()) != (offsets.qt_length, offsets.block_count):
            raise RuntimeError("Qt and the offset map disagree on the document's layout")
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self._offsets = offsets
        self._gold = gold
        self._gold_index = BlockSpanIndex(offsets, gold)
        self.viewport().update()

    def apply_gold_change(self, change: Change) -> None:
        """Update the tints after ``change`` to the gold set (only the visible lines are repainted)."""
        if self._gold_index is None:
            return
        self._gold_index.apply(change)
        self.viewport().update()

    def set_marks(self, current: tuple[int, int] | None, undecided: Sequence[tuple[int, int]]) -> None:
        """Frame ``current`` (a code-point range, or ``None``) and dot-frame each ``undecided`` range (sorted by
        start; they never overlap one another)."""
        self._current = current
        self._open = list(undecided)
        self._open_starts = [start for start, _end in self._open]
        self.viewport().update()

    # -- positions --------------------------------------------------------------------------------------------
    def reveal_range(self, start: int, end: int) -> None:
        """Scroll so that code points ``[start, end)`` are in view, a third of the way down when they were not."""
        if self._offsets is None:
            return
        rects = self._range_rects(start, end, visible_only=False)
        if not rects:
            return
        top, bottom = rects[0].top(), rects[-1].bottom()
        if top < 0 or bottom > self.viewport().height():
            bar = self.verticalScrollBar()
            bar.setValue(int(bar.value() + top - self.viewport().height() / 3))

    def char_at(self, point: QPoint) -> int | None:
        """Code point of the character under ``point`` (viewport coordinates), ``None`` past a line's end
        (:func:`~annotator.ui.document.text_geometry.char_at`: the bands under a line are the line's)."""
        if self._offsets is None:
            return None
        return char_at(self, self._offsets, point)

    def describe_at(self, cp: int) -> str:
        """Plain text naming every annotator's spans covering code point ``cp`` and gold's (for the tooltip)."""
        lines = []
        for annotator in self.annotators:
            covering = [s for s in self._spans[annotator] if s.start <= cp < s.end]
            for s in covering:
                lines.append(f"{annotator}: {s.label} [{s.start}, {s.end})  {one_line(s.text, 50)}")
        if self._gold is not None:
            for s in self._gold.spans_at(cp):
                lines.append(f"gold: {s.label} [{s.start}, {s.end})  {one_line(s.text, 50)}")
        return "\n".join(lines)

    # -- events -----------------------------------------------------------------------------------------------
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            cp = self.char_at(event.position().toPoint())
            if cp is not None:
                self.clicked.emit(cp)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cp = self.char_at(self.viewport().mapFromGlobal(event.globalPos()))
            text = self.describe_at(cp) if cp is not None and self._offsets and cp < self._offsets.length else ""
            if text:
                QToolTip.showText(event.globalPos(), tooltip_html(text), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # -- painting ---------------------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        if self._offsets is None:
            super().paintEvent(event)
            return
        visible = self._visible_blocks()
        if not visible:
            super().paintEvent(event)
            return
        low, high = self._visible_range(visible)

        def shown(spans: list[Span]) -> list[Span]:  # a long paragraph is one block of thousands of spans
            return [s for s in spans if s.start <= high and s.end >= low]

        painter = QPainter(self.viewport())  # the tints first, so the text is drawn over them
        for block, geometry in visible:
            spans = shown(self._gold_index.spans_in_block(block.blockNumber()))
            if spans:
                self._paint_tints(painter, block, geometry, spans)
        painter.end()
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        for block, geometry in visible:
            for band, annotator in enumerate(self.annotators):
                spans = shown(self._indexes[annotator].spans_in_block(block.blockNumber()))
                if spans:
                    self._paint_band(painter, block, geometry, band, annotator, spans)
        first, last = visible[0][0].blockNumber(), visible[-1][0].blockNumber()
        pen = QPen(self.palette().text().color(), 1, Qt.PenStyle.DotLine)
        painter.setPen(pen)
        for start, end in self._open[max(0, bisect_left(self._open_starts, low) - 1) :]:
            if start > high:
                break
            if end >= low and (start, end) != self._current:
                for rect in self._range_rects(start, end, first, last):
                    painter.drawRect(rect.adjusted(-1, 0, 1, self._band_space()))
        if self._current is not None:
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            for rect in self._range_rects(*self._current, first, last):
                painter.drawRect(rect.adjusted(-2, -1, 2, self._band_space() + 1))
        painter.end()

    def _visible_range(self, visible: list[tuple[QTextBlock, QRectF]]) -> tuple[int, int]:
        """Code points ``[low, high]`` that may show in the ``visible`` blocks: from the start of the line whose
        bands reach the viewport's top to the end of the line at its bottom."""
        (first, top_geometry), (last, bottom_geometry) = visible[0], visible[-1]
        room = self._band_space()
        layout = first.layout()
        low = first.position()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            if top_geometry.top() + line.y() + line.height() + room >= 0:
                low = first.position() + line.textStart()
                break
        layout = last.layout()
        high = last.position() + last.length()
        for i in reversed(range(layout.lineCount())):
            line = layout.lineAt(i)
            if bottom_geometry.top() + line.y() <= self.viewport().height():
                high = last.position() + line.textStart() + line.textLength()
                break
        qt_length = self._offsets.qt_length
        return self._offsets.from_qt(min(low, qt_length)), self._offsets.from_qt(min(high, qt_length), "ceil") + 1

    def _visible_blocks(self) -> list[tuple[QTextBlock, QRectF]]:
        """The blocks in view (and the one above, whose last line's bands may show), each with its viewport
        geometry. The first is found by bisection over block positions (``cursorForPosition`` costs milliseconds
        on a long document)."""
        document = self.document()
        layout = document.documentLayout()
        top = self.verticalScrollBar().value()
        low, high = 0, document.blockCount() - 1
        while low < high:  # the last block starting at or above the viewport's top
            middle = (low + high + 1) // 2
            if layout.blockBoundingRect(document.findBlockByNumber(middle)).top() <= top:
                low = middle
            else:
                high = middle - 1
        block = document.findBlockByNumber(low)
        if block.previous().isValid():  # its last line's bands lie below its bounding rectangle, maybe in view
            block = block.previous()
        bottom = self.viewport().height()
        found = []
        while block.isValid():
            geometry = block_geometry(self, block)
            if geometry.top() > bottom:
                break
            found.append((block, geometry))
            block = block.next()
        return found

    def _paint_tints(self, painter: QPainter, block: QTextBlock, geometry: QRectF, spans: list[Span]) -> None:
        """Gold spans' tints, longest first so nested (shorter) spans show over them."""
        block_start, block_end = self._offsets.block_range(block.blockNumber())
        qt_block = block.position()
        for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.label, s.id)):
            start, end = max(span.start, block_start), min(span.end, block_end)
            if start >= end:
                continue
            label = self._gold.label_set.get(span.label)
            color = label_color(label.color if label else "#888888", FILL_ALPHA, palette=self.palette())
            qs, qe = self._offsets.to_qt(start) - qt_block, self._offsets.to_qt(end) - qt_block
            for rect in line_rects(block, geometry, qs, qe):
                painter.fillRect(rect, color)

    def _paint_band(self, painter: QPainter, block, geometry: QRectF, band: int, annotator: str, spans) -> None:
        block_start, block_end = self._offsets.block_range(block.blockNumber())
        qt_block = block.position()
        lanes = self._lanes[annotator]
        labels = self._gold.label_set if self._gold is not None else None
        for span in spans:
            start, end = max(span.start, block_start), min(span.end, block_end)
            if start >= end:
                continue
            qs = self._offsets.to_qt(start) - qt_block
            qe = self._offsets.to_qt(end) - qt_block
            label = labels.get(span.label) if labels is not None else None
            color = label_color(label.color if label else "#888888", palette=self.palette())
            row = min(lanes.get(span.id, 0), MAX_STACK - 1)
            for rect in line_rects(block, geometry, qs, qe):
                y = rect.bottom() + self._band_tops[band] + row * (BAR_HEIGHT + BAR_GAP)
                painter.fillRect(QRectF(rect.left() + 0.5, y, max(1.0, rect.width() - 1), BAR_HEIGHT), color)

    def _band_space(self) -> float:
        """The room under each line that holds the bands (pixels)."""
        block = self.document().firstBlock()
        return block.blockFormat().lineHeight() if block.isValid() else 0.0

    def _range_rects(
        self, start: int, end: int, first: int | None = None, last: int | None = None, *, visible_only: bool = True
    ) -> list[QRectF]:
        """Viewport rectangles (one per wrapped line) of code points ``[start, end)`` in blocks ``first..last``."""
        if self._offsets is None or start >= end:
            return []
        document = self.document()
        qs_all, qe_all = self._offsets.to_qt(start), self._offsets.to_qt(end)
        rects = []
        for number in self._offsets.blocks_of_range(start, end):
            if visible_only and first is not None and last is not None and not first <= number <= last:
                continue
            block = document.findBlockByNumber(number)
            geometry = block_geometry(self, block)
            rects.extend(line_rects(block, geometry, qs_all - block.position(), qe_all - block.position()))
        return rects


def band_legend(annotators: Sequence[str]) -> str:
    """Plain text telling which band is whose: ``Bands under each line, top to bottom: 1 alice · 2 bob``."""
    return "Bands under each line, top to bottom: " + " · ".join(
        f"{i} {shown_name(a)}" for i, a in enumerate(annotators, 1)
    )
