"""Which spans touch which Qt block, so a view re-formats and paints only the blocks a change touches."""

from __future__ import annotations

import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from annotator.model.annotation_set import Change
from annotator.model.offsets import OffsetMap
from annotator.model.span import Span

_START = attrgetter("start")
_END = attrgetter("end")

READ_STEP = 20_000
"""Spans whose offsets one call in C reads into the index's arrays (each call holds Python's GIL: a worker building
the index of 1M spans in one call kept the GUI thread waiting 0.1-0.25 s)."""
PYTHON_SPANS = 10_000
"""Up to this many spans, while numpy is not imported yet, the index is built in Python (a few milliseconds at 1k
spans) rather than importing numpy (5 MB more of the process and some 40 ms of an open: issue 22, memory)."""


def _numpy_loaded() -> bool:
    """Whether numpy is imported already (then the index is built with it whatever the count)."""
    return "numpy" in sys.modules


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
    Python per span; up to :data:`PYTHON_SPANS` spans, while numpy is not imported, by binary searches in Python),
    and a block's ``{span id: span}`` is made the first time the block is asked for or changed
    (a view asks only for the blocks it paints). Spans that cross a line break are grouped up front.
    """

    def __init__(self, offsets: OffsetMap, spans: Iterable[Span] = (), starts: list[int] | None = None) -> None:
        self._offsets = offsets
        self._by_block: dict[int, dict[str, Span]] = {}  # the blocks made so far (empty only once changed)
        self._spans = list(spans)
        count = len(self._spans)
        if starts is not None and len(starts) != count:
            raise ValueError(f"{len(starts)} starts for {count} spans")
        # the spans in order of their first block (stable), and those first blocks: a block's run by a binary search
        self._order: Any  # a list of ints, or numpy's int64 array
        self._sorted_first: Any
        # spans crossing a line break: {block: {id: span}} for each block after their first
        self._crossing: dict[int, dict[str, Span]] = {}
        if count <= PYTHON_SPANS and not _numpy_loaded():
            crossing = self._group_in_python(starts)
        else:
            crossing = self._group_in_numpy(starts)
        for i, first, last in crossing:
            span = self._spans[i]
            for block in range(first + 1, last + 1):
                self._crossing.setdefault(block, {})[span.id] = span

    def _group_in_python(self, starts: list[int] | None) -> list[tuple[int, int, int]]:
        """Each span's first and last block by a binary search over the block starts, the order and the first
        blocks kept as lists; returns ``(index, first, last)`` of the spans crossing a line break. The same result
        as :meth:`_group_in_numpy`, without importing numpy for a few spans."""
        block_starts = self._offsets.block_starts
        spans = self._spans
        begins = [span.start for span in spans] if starts is None else starts
        firsts = [bisect_right(block_starts, begin) - 1 for begin in begins]
        lasts = [
            bisect_right(block_starts, max(span.end - 1, begin)) - 1 for span, begin in zip(spans, begins, strict=True)
        ]
        self._order = sorted(range(len(spans)), key=firsts.__getitem__)  # stable, as numpy's "stable" argsort
        self._sorted_first = [firsts[i] for i in self._order]
        return [(i, first, last) for i, (first, last) in enumerate(zip(firsts, lasts, strict=True)) if last > first]

    def _group_in_numpy(self, starts: list[int] | None) -> list[tuple[int, int, int]]:
        """Each span's first and last block in one vectorised pass (numpy's ``searchsorted`` over the block starts),
        the offsets read :data:`READ_STEP` spans per call; the order and the first blocks kept as numpy arrays;
        returns ``(index, first, last)`` of the spans crossing a line break."""
        import numpy  # on first use (issue 22: start-up)

        count = len(self._spans)
        begins = numpy.empty(count, dtype=numpy.int64)
        lasts = numpy.empty(count, dtype=numpy.int64)
        for at in range(0, count, READ_STEP):  # one fromiter over 1M spans held the GIL 0.1-0.25 s
            chunk = self._spans[at : at + READ_STEP]
            read = map(_START, chunk) if starts is None else starts[at : at + READ_STEP]  # (given: no span read)
            begins[at : at + len(chunk)] = numpy.fromiter(read, dtype=numpy.int64, count=len(chunk))
            lasts[at : at + len(chunk)] = numpy.fromiter(map(_END, chunk), dtype=numpy.int64, count=len(chunk))
        lasts -= 1
        numpy.maximum(lasts, begins, out=lasts)  # an empty range touches its start's block
        block_starts = numpy.frombuffer(self._offsets.block_starts, dtype=numpy.int64)
        first = numpy.searchsorted(block_starts, begins, side="right") - 1
        last = numpy.searchsorted(block_starts, lasts, side="right") - 1
        order = numpy.argsort(first, kind="stable")
        self._order, self._sorted_first = order, first[order]
        crossing = numpy.flatnonzero(last > first)
        return list(zip(crossing.tolist(), first[crossing].tolist(), last[crossing].tolist(), strict=True))

    def _block(self, block: int, keep: bool = True) -> dict[str, Span]:
        """Block ``block``'s ``{span id: span}``, made from the initial spans the first time it is asked for and
        kept when ``keep`` (a block about to change) or not empty (a block that never changed and has no span is
        made again, as empty, rather than kept)."""
        found = self._by_block.get(block)
        if found is None:
            spans = self._spans
            found = {spans[i].id: spans[i] for i in self._first_in(block)}
            crossing = self._crossing.get(block)
            if crossing:
                found.update(crossing)
            if keep or found:
                self._by_block[block] = found
        return found

    def _first_in(self, block: int) -> list[int]:
        """The indexes of the initial spans whose first block is ``block``, in their order."""
        firsts = self._sorted_first
        if isinstance(firsts, list):
            low = bisect_left(firsts, block)
            return list(self._order[low : bisect_right(firsts, block, low)])
        low, high = firsts.searchsorted(block, side="left"), firsts.searchsorted(block, side="right")
        return self._order[int(low) : int(high)].tolist()

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
