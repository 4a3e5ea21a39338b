"""Room under lines for what is drawn there: span underlines (lanes) and the row that names a link.

Qt's plain-text layout (the one ``QPlainTextEdit`` needs, and the only one fast enough for long documents) ignores a
block's line height and margins, so every line is exactly as tall as its font: stacked underlines drawn inside that
box cut through the letters. :class:`LaneDocumentLayout` keeps Qt's layout (line breaking, scrolling by lines, hit
testing) and only moves each laid-out line down by the room the lines above it asked for, then reports the block that
much taller. Line breaks never change, so adding room never reflows a paragraph; it moves what is below.

Units are pixels; nothing here knows about spans (the view answers :data:`RoomBelow`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

LANE_HEIGHT = 2.0  # px: one span's underline
LANE_GAP = 1.0  # px between two stacked underlines
LANE_TOP_GAP = 1.0  # px between the bottom of the line's glyph box (its descent) and the first underline
MAX_LANES = 12  # deeper nesting than this shares the last lane (12 nested spans on one line are not read anyway)

RoomBelow = Callable[[QTextBlock], tuple[float, Mapping[int, float]]]
"""``room(block) -> (every_line, extra)``: pixels of room under every line of ``block``, and more under the lines
whose numbers (0-based, within the block) are keys of ``extra``."""


def lane_room(depth: int) -> float:
    """Pixels under a line for ``depth`` stacked underlines (0 for none), below the glyphs' descent (the last one
    needs no gap under it: the next line's ascent starts with blank room)."""
    if depth <= 0:
        return 0.0
    depth = min(depth, MAX_LANES)
    return LANE_TOP_GAP + depth * LANE_HEIGHT + (depth - 1) * LANE_GAP


def lane_top(line_bottom: float, lane: int) -> float:
    """The top (pixels, same coordinates as ``line_bottom``, the bottom of a line's glyph box) of underline lane
    ``lane`` (0 is nearest to the text)."""
    return line_bottom + LANE_TOP_GAP + min(lane, MAX_LANES - 1) * (LANE_HEIGHT + LANE_GAP)


class LaneDocumentLayout(QPlainTextDocumentLayout):
    """Qt's plain-text layout with room under lines.

    Parameters
    ----------
    document: the document laid out (a ``QPlainTextEdit`` accepts it because this is a ``QPlainTextDocumentLayout``).
    room_below: asked for a block's room the first time its geometry is asked for; the answer is kept until
        :meth:`forget_room` names the block (it must not ask for geometry itself).

    Qt lays a block out again whenever it likes (a resize, new formats); the room is put back the next time the
    block's rectangle is asked for, which every paint, hit test and scroll does first. Scrolling asks for a block's
    rectangle about 150 times a page, so that path only compares two numbers.
    """

    def __init__(self, document: QTextDocument, room_below: RoomBelow) -> None:
        super().__init__(document)
        self._room_below = room_below
        self._rooms: dict[int, tuple[float, Mapping[int, float]]] = {}  # block number -> its room, once asked
        self._placed: dict[int, tuple[tuple, float]] = {}  # block number -> (room it was given, its last line's y)
        document.contentsChanged.connect(self.forget_room)

    def forget_room(self, blocks: Iterable[int] | None = None) -> None:
        """Ask again for the room of ``blocks`` (block numbers; ``None``: every block) when next laid out; the caller
        repaints."""
        if blocks is None:
            self._rooms.clear()
            self._placed.clear()
            return
        for number in blocks:
            self._rooms.pop(number, None)

    def room_of(self, block: QTextBlock) -> tuple[float, Mapping[int, float]]:
        """``(every line, {line number: more})``: the room (pixels) under the lines of ``block``."""
        number = block.blockNumber()
        room = self._rooms.get(number)
        if room is None:
            room = self._rooms[number] = self._room_below(block)
        return room

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)  # lays the block out when it has no lines
        layout = block.layout()
        count = layout.lineCount()
        if not count:
            return rect
        number = block.blockNumber()
        every, extra = room = self.room_of(block)
        placed = self._placed.get(number)
        if placed is None or placed[0] is not room or abs(layout.lineAt(count - 1).y() - placed[1]) > 0.01:
            # not placed yet, other room, or laid out again by Qt since (a paragraph can have thousands of lines:
            # they are walked only then)
            moved = False
            y = layout.lineAt(0).y()
            for line_number in range(count):
                line = layout.lineAt(line_number)
                if abs(line.y() - y) > 0.01:
                    line.setPosition(QPointF(line.x(), y))
                    moved = True
                y += line.height() + every + extra.get(line_number, 0.0)
            self._placed[number] = (room, layout.lineAt(count - 1).y())
            if moved:
                rect = super().blockBoundingRect(block)  # the layout's bounding box now holds the moved lines
        below_last = every + extra.get(count - 1, 0.0)
        if below_last and block.isVisible():
            rect.setHeight(rect.height() + below_last)
        return rect
