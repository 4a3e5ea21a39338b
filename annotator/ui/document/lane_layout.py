"""Room under lines for what is drawn there: span underlines (lanes) and the row that names a link.

Qt's plain-text layout (the one ``QPlainTextEdit`` needs, and the only one fast enough for long documents) ignores a
block's line height and margins, so every line is exactly as tall as its font: stacked underlines drawn inside that
box cut through the letters. :class:`LaneDocumentLayout` keeps Qt's layout (line breaking, scrolling by lines, hit
testing) and only moves each laid-out line down by the room the lines above it asked for, then reports the block that
much taller. Line breaks never change, so adding room never reflows a paragraph; it moves what is below.

Units are pixels; nothing here knows about spans (the view answers :data:`RoomBelow`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager

from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

LANE_HEIGHT = 2.0  # px: one span's underline
LANE_GAP = 1.0  # px between two stacked underlines
LANE_TOP_GAP = 1.0  # px between the bottom of the line's glyph box (its descent) and the first underline
MAX_LANES = 12  # deeper nesting than this shares the last lane (12 nested spans on one line are not read anyway)

RoomBelow = Callable[[QTextBlock], tuple[float, Mapping[int, float]]]
"""``room(block) -> (every_line, extra)``: pixels of room under every line of ``block``, and more under the lines that
hold the block-relative Qt positions (UTF-16 units) that are keys of ``extra`` (kept by position, not by line number:
a resize breaks the lines anew)."""


def no_room(_block: QTextBlock) -> tuple[float, Mapping[int, float]]:
    """:data:`RoomBelow` of a document shown nowhere yet (filled off-screen): no room under any line."""
    return 0.0, {}


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
        :meth:`room_changed` (or :meth:`forget_room`) names the block (it must not ask for geometry itself).

    :attr:`before_layout`, when set, is called with a block that has no lines just before Qt lays it out: the view
    gives the block its formats there (``QTextLayout.setFormats``), so that a block painted for the first time is
    laid out once, with them, instead of laid out, given formats (which drops its lines) and laid out again.

    Qt lays a block out again whenever it likes (a resize, new formats); the room is put back the next time the
    block's rectangle is asked for, which every paint, hit test and scroll does first. That path is hot (a paint asks
    for a block's rectangle dozens of times), so a placed block costs two comparisons.

    Each block Qt lays out for the first time changes the document's size (its lines counted), and Qt says so at once:
    the view then walks its last page of blocks up from the end to set its scroll bar's range, each block's rectangle
    asked of this class (in Python). Within :meth:`size_changes_held` (the view's paint, which lays out a page of new
    blocks at a time) those signals are held and the last size is told once, at the end.

    What Qt computes without asking for a block's rectangle assumes lines touch: the view corrects where the caret is
    scrolled to (:class:`~annotator.ui.document.document_view.DocumentView`).
    """

    def __init__(self, document: QTextDocument, room_below: RoomBelow) -> None:
        super().__init__(document)
        self._room_below = room_below
        self.before_layout: Callable[[QTextBlock], None] | None = None  # see the class's docstring
        self._rooms: dict[int, tuple[float, Mapping[int, float]]] = {}  # block number -> its room, once asked
        # block number -> (the room it was placed with, its line count, where its second line was put)
        self._placed: dict[int, tuple[tuple[float, Mapping[int, float]], int, float]] = {}
        self._held_size: QSizeF | None = None  # the size told last, while size changes are held
        document.contentsChanged.connect(self.forget_room)

    @contextmanager
    def size_changes_held(self) -> Iterator[None]:
        """Within: the ``documentSizeChanged`` Qt emits as it lays blocks out is held; on leaving, emitted once with
        the document's size if it differs from the size on entering (nested: the outermost one emits)."""
        if self._held_size is not None:
            yield
            return
        self._held_size = self.documentSize()
        try:
            yield
        finally:
            before, self._held_size = self._held_size, None
            size = self.documentSize()
            if size != before:
                self.documentSizeChanged.emit(size)

    def set_room_below(self, room_below: RoomBelow) -> None:
        """Ask ``room_below`` for each block's room from now on (every room asked before is forgotten): the view
        that takes a document filled off-screen gives its own."""
        self._room_below = room_below
        self.forget_room()

    def forget_room(self, blocks: Iterable[int] | None = None) -> None:
        """Ask again for the room of ``blocks`` (block numbers; ``None``: every block) when next laid out."""
        if blocks is None:
            self._rooms.clear()
            self._placed.clear()
            return
        for number in blocks:
            self._rooms.pop(number, None)

    def room_changed(self, blocks: Iterable[int] | None = None) -> None:
        """:meth:`forget_room`, then tell the view the document's size changed, so that its scroll range takes the
        new room into account (the caller repaints)."""
        self.forget_room(blocks)
        self.documentSizeChanged.emit(self.documentSize())

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        layout = block.layout()
        if layout is None:
            return super().blockBoundingRect(block)
        if layout.lineCount():
            rect = super().blockBoundingRect(block)
        else:
            if self.before_layout is not None:
                self.before_layout(block)  # its formats, before it is laid out (once)
            if self._held_size is None:
                rect = super().blockBoundingRect(block)  # lays the block out
            else:
                blocked = self.blockSignals(True)  # its new line count's size change: told once, when released
                try:
                    rect = super().blockBoundingRect(block)
                finally:
                    self.blockSignals(blocked)
        count = layout.lineCount()
        if not count:
            return rect
        number = block.blockNumber()
        room = self._rooms.get(number)
        if room is None:
            room = self._rooms[number] = self._room_below(block)
        every, extra = room
        if not every and not extra and number not in self._placed:
            return rect  # no room, never placed: Qt's own layout
        lines = self._line_room(layout, count, every, extra) if extra else None
        if count > 1:
            placed = self._placed.get(number)
            # placed with this room, as many lines, and line 1 still where it was put (Qt's own layout puts it
            # right under line 0, without the room): nothing to move
            if (
                placed is None
                or placed[0] is not room
                or placed[1] != count
                or abs(layout.lineAt(1).y() - placed[2]) > 0.01
            ):
                # not placed yet, other room, or laid out again by Qt since: walk the lines (a paragraph can have
                # thousands: only then)
                y = layout.lineAt(0).y()
                for line_number in range(count):
                    line = layout.lineAt(line_number)
                    if abs(line.y() - y) > 0.01:
                        line.setPosition(QPointF(line.x(), y))
                    y += line.height() + (lines[line_number] if lines else every)
                self._placed[number] = (room, count, layout.lineAt(1).y())
                rect = super().blockBoundingRect(block)  # the layout's bounding box now holds the moved lines
        else:
            self._placed[number] = (room, count, 0.0)
        below_last = lines[count - 1] if lines else every
        if below_last:
            rect.setHeight(rect.height() + below_last)
        return rect

    @staticmethod
    def _line_room(layout, count: int, every: float, extra: Mapping[int, float]) -> list[float]:
        """The room under each of the ``count`` lines of ``layout``: ``every``, plus ``extra`` under the lines
        holding its positions."""
        lines = [every] * count
        for position, more in extra.items():
            line = layout.lineForTextPosition(position)
            if line.isValid():
                lines[line.lineNumber()] = every + more
        return lines
