"""Which spans touch which Qt block, so a view re-formats and paints only the blocks a change touches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from annotator.model.annotation_set import Change
from annotator.model.offsets import OffsetMap
from annotator.model.span import Span


class BlockSpanIndex:
    """Spans grouped by the Qt blocks (text lines) they touch.

    Parameters
    ----------
    offsets: the document's :class:`~annotator.model.offsets.OffsetMap` (gives block numbers of code points).
    spans: the initial spans.

    Every mutator returns the sorted block numbers it touched: the blocks to re-format.
    """

    def __init__(self, offsets: OffsetMap, spans: Iterable[Span] = ()) -> None:
        self._offsets = offsets
        self._by_block: dict[int, dict[str, Span]] = defaultdict(dict)
        spans = list(spans)
        by_block = self._by_block
        for span, (first, last) in zip(
            spans, offsets.first_and_last_blocks((s.start, s.end) for s in spans), strict=True
        ):
            by_block[first][span.id] = span
            for block in range(first + 1, last + 1):
                by_block[block][span.id] = span

    @property
    def offsets(self) -> OffsetMap:
        """The offset map the spans were indexed by."""
        return self._offsets

    def spans_in_block(self, block: int) -> list[Span]:
        """Spans touching block ``block``, in no particular order."""
        found = self._by_block.get(block)
        return list(found.values()) if found else []

    def add(self, span: Span) -> list[int]:
        """Index ``span``; returns the blocks it touches."""
        blocks = self._offsets.blocks_of_range(span.start, span.end)
        for block in blocks:
            self._by_block[block][span.id] = span
        return list(blocks)

    def remove(self, span: Span) -> list[int]:
        """Forget ``span``; returns the blocks it touched."""
        blocks = self._offsets.blocks_of_range(span.start, span.end)
        for block in blocks:
            found = self._by_block.get(block)
            if found is not None:
                found.pop(span.id, None)
                if not found:
                    del self._by_block[block]
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
