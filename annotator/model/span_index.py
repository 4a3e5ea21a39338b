"""Which spans touch which Qt block, so a view re-formats and paints only the blocks a change touches."""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter

from annotator.model.annotation_set import Change
from annotator.model.offsets import OffsetMap
from annotator.model.span import Span

_START = attrgetter("start")
_END = attrgetter("end")

READ_STEP = 20_000
"""Spans whose offsets one call in C reads into the index's arrays (each call holds Python's GIL: a worker building
the index of 1M spans in one call kept the GUI thread waiting 0.1-0.25 s)."""


class BlockSpanIndex:
    """Spans grouped by the Qt blocks (text lines) they touch.

    Parameters
    ----------
    offsets: the document's :class:`~annotator.model.offsets.OffsetMap` (gives block numbers of code points).
    spans: the initial spans.
    starts: the initial spans' starts in their order, when already read
        (:meth:`~annotator.model.annotation_set.AnnotationSet.starts`); ``ValueError`` if not one per span.

    Every mutator returns the sorted block numbers it touched: the blocks to re-format.

    The initial spans are grouped lazily: building the index computes every span's first and last block in one
    vectorised pass (numpy's ``searchsorted`` over the block starts; 100k spans in about 20 ms instead of 0.3 s of
    Python per span), and a block's ``{span id: span}`` is made the first time the block is asked for or changed
    (a view asks only for the blocks it paints). Spans that cross a line break are grouped up front.
    """

    def __init__(self, offsets: OffsetMap, spans: Iterable[Span] = (), starts: list[int] | None = None) -> None:
        import numpy  # on first use (issue 22: start-up)

        self._offsets = offsets
        self._by_block: dict[int, dict[str, Span]] = {}  # the blocks made so far (empty only once changed)
        self._spans = list(spans)
        count = len(self._spans)
        if starts is not None and len(starts) != count:
            raise ValueError(f"{len(starts)} starts for {count} spans")
        begins = numpy.empty(count, dtype=numpy.int64)
        lasts = numpy.empty(count, dtype=numpy.int64)
        for at in range(0, count, READ_STEP):  # one fromiter over 1M spans held the GIL 0.1-0.25 s
            chunk = self._spans[at : at + READ_STEP]
            read = map(_START, chunk) if starts is None else starts[at : at + READ_STEP]  # (given: no span read)
            begins[at : at + len(chunk)] = numpy.fromiter(read, dtype=numpy.int64, count=len(chunk))
            lasts[at : at + len(chunk)] = numpy.fromiter(map(_END, chunk), dtype=numpy.int64, count=len(chunk))
        lasts -= 1
        numpy.maximum(lasts, begins, out=lasts)  # an empty range touches its start's block
        block_starts = numpy.frombuffer(offsets.block_starts, dtype=numpy.int64)
        first = numpy.searchsorted(block_starts, begins, side="right") - 1
        last = numpy.searchsorted(block_starts, lasts, side="right") - 1
        # the spans in order of their first block (stable), and those first blocks: a block's run by searchsorted
        self._order = numpy.argsort(first, kind="stable")
        self._sorted_first = first[self._order]
        # spans crossing a line break: {block: {id: span}} for each block after their first
        self._crossing: dict[int, dict[str, Span]] = {}
        for i in numpy.flatnonzero(last > first).tolist():
            span = self._spans[i]
            for block in range(int(first[i]) + 1, int(last[i]) + 1):
                self._crossing.setdefault(block, {})[span.id] = span

    def _block(self, block: int, keep: bool = True) -> dict[str, Span]:
        """Block ``block``'s ``{span id: span}``, made from the initial spans the first time it is asked for and
        kept when ``keep`` (a block about to change) or not empty (a block that never changed and has no span is
        made again, as empty, rather than kept)."""
        found = self._by_block.get(block)
        if found is None:
            low = int(self._sorted_first.searchsorted(block, side="left"))
            high = int(self._sorted_first.searchsorted(block, side="right"))
            spans = self._spans
            found = {spans[i].id: spans[i] for i in self._order[low:high].tolist()}
            crossing = self._crossing.get(block)
            if crossing:
                found.update(crossing)
            if keep or found:
                self._by_block[block] = found
        return found

    @property
    def offsets(self) -> OffsetMap:
        """The offset map the spans were indexed by."""
        return self._offsets

    def spans_in_block(self, block: int) -> list[Span]:
        """Spans touching block ``block``, in no particular order."""
        return list(self._block(block, keep=False).values())

    def add(self, span: Span) -> list[int]:
        """Index ``span``; returns the blocks it touches."""
        blocks = self._offsets.blocks_of_range(span.start, span.end)
        for block in blocks:
            self._block(block)[span.id] = span
        return list(blocks)

    def remove(self, span: Span) -> list[int]:
        """Forget ``span``; returns the blocks it touched."""
        blocks = self._offsets.blocks_of_range(span.start, span.end)
        for block in blocks:
            self._block(block).pop(span.id, None)
        return list(blocks)

    def apply(self, change: Change) -> list[int]:
        """Apply a :class:`~annotator.model.annotation_set.Change`; returns every block it touched, sorted."""
        touched: set[int] = set()
        for span in change.removed:
            touched.update(self.remove(span))
        for old, new in change.changed:
            touched.update(self.remove(old))
            touched.update(self.add(new))
        for span in change.added:
            touched.update(self.add(span))
        return sorted(touched)


def assign_lanes(spans: Iterable[Span]) -> dict[str, int]:
    """Stack overlapping spans into lanes: ``{span id: lane}``, lane 0 for the first, 1 for one overlapping it...

    Greedy interval colouring over spans sorted by ``(start, -end, label, id)``: each span takes the lowest lane
    whose previous span ended at or before its start. Spans that share characters never share a lane, so their
    underlines stay distinguishable, even for identical offsets.
    """
    lane_ends: list[int] = []
    lanes: dict[str, int] = {}
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.label, s.id)):
        for lane, end in enumerate(lane_ends):
            if end <= span.start:
                lane_ends[lane] = span.end
                lanes[span.id] = lane
                break
        else:
            lanes[span.id] = len(lane_ends)
            lane_ends.append(span.end)
    return lanes
