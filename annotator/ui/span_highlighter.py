"""Per-block span backgrounds, applied with a ``QSyntaxHighlighter`` (never ``ExtraSelection``, see the README)."""

from __future__ import annotations

from PySide6.QtGui import QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.model.labels import LabelSet
from annotator.model.offsets import OffsetMap
from annotator.model.span_index import BlockSpanIndex
from annotator.ui.colors import FILL_ALPHA, SELECTED_FILL_ALPHA, label_color


class SpanHighlighter(QSyntaxHighlighter):
    """Tints each span's characters with its label's color; where spans overlap the shortest one's tint shows
    (the view's stacked underlines show the others). Call :meth:`rehighlight_blocks` with the blocks a change
    touched; nothing else is re-formatted."""

    def __init__(
        self,
        document: QTextDocument,
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
        self.set_label_set(labels, palette)
        super().__init__(document)  # attaches and highlights every block once

    def set_label_set(self, labels: LabelSet, palette: QPalette | None = None) -> None:
        """Rebuild the tint of each label, in colors readable on ``palette`` (call :meth:`rehighlight` after)."""
        self._formats.clear()
        self._fallback.setBackground(label_color("#888888", FILL_ALPHA, palette=palette))
        for label in labels.labels:
            for selected in (False, True):
                fmt = QTextCharFormat()
                alpha = SELECTED_FILL_ALPHA if selected else FILL_ALPHA
                fmt.setBackground(label_color(label.color, alpha, palette=palette))
                self._formats[(label.name, selected)] = fmt

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock().blockNumber()
        spans = self._index.spans_in_block(block)
        if not spans:
            return
        block_start, block_end = self._offsets.block_range(block)
        qt_block_start = self._offsets.to_qt(block_start)
        # Longest first, so shorter (nested) spans paint over them.
        for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.label, s.id)):
            start, end = max(span.start, block_start), min(span.end, block_end)
            if start >= end:
                continue
            qt_start = self._offsets.to_qt(start) - qt_block_start
            qt_end = self._offsets.to_qt(end) - qt_block_start
            fmt = self._formats.get((span.label, span.id == self.selected_id), self._fallback)
            self.setFormat(qt_start, qt_end - qt_start, fmt)

    def rehighlight_blocks(self, blocks: list[int]) -> None:
        """Re-format only the given block numbers."""
        document = self.document()
        for number in blocks:
            block = document.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)
