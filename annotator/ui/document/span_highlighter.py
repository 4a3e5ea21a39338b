"""Span backgrounds as per-block formats (``QTextLayout.setFormats``), applied only to blocks about to be painted.

Never ``ExtraSelection`` (see the README), and not a ``QSyntaxHighlighter`` either: attaching one formats every block
of the document (1.4 s for 10 MB with 100k spans, after the window is already shown), while a reader sees one
screenful. Here the view asks for the blocks it is about to paint (:meth:`SpanHighlighter.format_blocks`), a change
marks the blocks it touched as stale (:meth:`SpanHighlighter.forget`), and only stale blocks that are painted again
are re-formatted.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QPalette, QTextBlock, QTextCharFormat, QTextLayout

from annotator.model.labels import LabelSet
from annotator.model.offsets import OffsetMap
from annotator.model.span_index import BlockSpanIndex
from annotator.ui.colors import FILL_ALPHA, SELECTED_FILL_ALPHA, label_color


class SpanHighlighter:
    """Tints each span's characters with its label's color; where spans overlap the shortest one's tint shows
    (the view's stacked underlines show the others).

    Parameters
    ----------
    offsets: the offset map (code points to Qt positions) of the text of the document whose blocks are formatted.
    index: the spans by block; the view keeps it up to date and calls :meth:`forget` with the blocks a change touched.
    labels, palette: the label set's colors, made readable on ``palette``.

    Block numbers are Qt block numbers; ranges given to Qt are in UTF-16 units from the block's start.
    """

    def __init__(
        self,
        offsets: OffsetMap,
        index: BlockSpanIndex,
        labels: LabelSet,
        palette: QPalette | None = None,
    ) -> None:
        self._offsets = offsets
        self._index = index
        self.selected_id: str | None = None
        self._formats: dict[tuple[str, bool], QTextCharFormat] = {}
        self._fallback = QTextCharFormat()
        self._current: set[int] = set()  # blocks whose formats match the spans now
        self._tinted: set[int] = set()  # blocks holding formats (to clear when their last span goes)
        self.set_label_set(labels, palette)

    def set_label_set(self, labels: LabelSet, palette: QPalette | None = None) -> None:
        """Rebuild the tint of each label, in colors readable on ``palette``; every block is re-formatted when
        next painted."""
        self._formats.clear()
        self._fallback.setBackground(label_color("#888888", FILL_ALPHA, palette=palette))
        for label in labels.labels:
            for selected in (False, True):
                fmt = QTextCharFormat()
                alpha = SELECTED_FILL_ALPHA if selected else FILL_ALPHA
                fmt.setBackground(label_color(label.color, alpha, palette=palette))
                self._formats[(label.name, selected)] = fmt
        self._current.clear()

    def forget(self, blocks: Iterable[int] | None = None) -> None:
        """Mark ``blocks`` (block numbers; ``None``: all) as stale: they are re-formatted when next painted."""
        if blocks is None:
            self._current.clear()
        else:
            self._current.difference_update(blocks)

    def is_current(self, block: int) -> bool:
        """Whether block ``block``'s formats match its spans now (it was formatted and nothing touched it since)."""
        return block in self._current

    def format_blocks(self, blocks: Iterable[QTextBlock]) -> bool:
        """Give each of ``blocks`` that is stale its spans' formats; call it just before they are painted (the paint
        lays them out again). Whether any block's formats were set (its lines dropped, its rectangle to ask again)."""
        changed = False
        for block in blocks:
            number = block.blockNumber()
            if number in self._current:
                continue
            self._current.add(number)
            ranges = self.block_formats(number)
            if not ranges and number not in self._tinted:
                continue  # never had a tint: nothing to clear
            block.layout().setFormats(ranges)
            changed = True
            if ranges:
                self._tinted.add(number)
            else:
                self._tinted.discard(number)
            # setFormats drops the block's laid-out lines, so the paint that follows lays it out again, with these
            # formats (QPlainTextDocumentLayout lays out a block without lines when asked for its rectangle). No
            # markContentsDirty, as QSyntaxHighlighter does: in Qt 6.11 that repaints the whole view, every time.
        return changed

    def format_block(self, block: QTextBlock) -> None:
        """:meth:`format_blocks` of one block; :class:`~annotator.ui.document.lane_layout.LaneDocumentLayout` calls it
        just before laying out a block with no lines, so that the block is laid out once, with its formats."""
        self.format_blocks((block,))

    def block_formats(self, block: int) -> list[QTextLayout.FormatRange]:
        """The format ranges of block ``block``: one per span touching it, longest first (shorter, nested spans are
        applied later, so theirs show), in UTF-16 units from the block's start."""
        spans = self._index.spans_in_block(block)
        if not spans:
            return []
        offsets = self._offsets
        block_start, block_end = offsets.block_range(block)
        qt_block_start = offsets.to_qt(block_start)
        ranges = []
        for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.label, s.id)):
            start, end = max(span.start, block_start), min(span.end, block_end)
            if start >= end:
                continue
            qt_start = offsets.to_qt(start)
            item = QTextLayout.FormatRange()
            item.start = qt_start - qt_block_start
            item.length = offsets.to_qt(end) - qt_start
            item.format = self._formats.get((span.label, span.id == self.selected_id), self._fallback)
            ranges.append(item)
        return ranges
