"""Where a block of a text view is, and which character is under a point: one answer for the document view (a
``QPlainTextEdit`` whose lines :mod:`annotator.ui.document.lane_layout` moves down to leave room under them) and the
review view (a ``QTextEdit`` whose blocks' line distance leaves room for the annotators' bands).

Both views lay their lines out with room under some or all of them; the room under a line belongs to that line (its
underlines, or its bands, are drawn there), so a point in it is over the line's characters above. Lines' places are
read from the layout (``QTextLine.y()``), never computed from line heights.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextBlockFormat, QTextLine
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from annotator.model.offsets import OffsetMap


def block_geometry(view: QPlainTextEdit | QTextEdit, block: QTextBlock) -> QRectF:
    """The rectangle of ``block`` in ``view``'s viewport coordinates (pixels), as scrolled now."""
    if isinstance(view, QPlainTextEdit):
        return view.blockBoundingGeometry(block).translated(view.contentOffset())
    rect = view.document().documentLayout().blockBoundingRect(block)
    return rect.translated(QPointF(-view.horizontalScrollBar().value(), -view.verticalScrollBar().value()))


def line_distance(view: QPlainTextEdit | QTextEdit, block: QTextBlock) -> float:
    """The room (pixels) a ``QTextEdit`` leaves under each line of ``block`` by its format's line distance (0 for
    any other line height, and in a ``QPlainTextEdit``, whose layout ignores it)."""
    block_format = block.blockFormat()
    if isinstance(view, QPlainTextEdit):
        return 0.0
    if block_format.lineHeightType() == QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value:
        return block_format.lineHeight()
    return 0.0


def char_at(view: QPlainTextEdit | QTextEdit, offsets: OffsetMap, point: QPoint) -> int | None:
    """Code-point offset of the character under ``point`` (``view``'s viewport coordinates, pixels), ``None`` past a
    line's end, before its start, or outside the text.

    ``offsets`` is the offset map of the text ``view`` shows (Qt positions are UTF-16 units, CR LF as one). A line
    reaches down to the next line (the room under it included): a block's last line to the next block's top, the
    text's last line to its block's bottom and its :func:`line_distance`. The result may be ``offsets.length`` (the
    end of the text) at the very end of the last line.
    """
    block = view.cursorForPosition(point).block()
    if not block.isValid():
        return None
    geometry = block_geometry(view, block)
    if block.layout().lineCount() and point.y() < geometry.top() + block.layout().lineAt(0).y():
        # between blocks: a QTextEdit leaves the line distance under a block's last line out of the block's rectangle
        # (and hit-tests it to the next block), but it is the room under that line
        previous = block.previous()
        if previous.isValid():
            block, geometry = previous, block_geometry(view, previous)
    layout = block.layout()
    count = layout.lineCount()
    following = block.next()
    block_bottom = block_geometry(view, following).top() if following.isValid() else geometry.bottom()
    y = point.y() - geometry.top()
    for i in range(count):
        line = layout.lineAt(i)
        if i + 1 < count:
            bottom = layout.lineAt(i + 1).y()
        else:
            bottom = max(line.y() + line.height() + line_distance(view, block), block_bottom - geometry.top())
        if line.y() <= y < bottom:
            x = point.x() - geometry.left()
            if not line.x() <= x <= line.x() + line.naturalTextWidth():
                return None
            position = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
            return offsets.from_qt(min(block.position() + position, offsets.qt_length))
    return None
