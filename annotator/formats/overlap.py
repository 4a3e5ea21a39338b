"""Overlap policies: which spans to keep when a format cannot hold overlapping or nested spans (CoNLL tags, spaCy
``doc.ents``)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Literal

from annotator.model.span import Span

OverlapPolicy = Literal["longest", "earliest", "error"]
OVERLAP_POLICIES: tuple[OverlapPolicy, ...] = ("longest", "earliest", "error")


class OverlapError(ValueError):
    """Spans overlap and the policy is ``"error"``. ``pairs`` holds ``(kept_so_far, overlapping)`` span pairs."""

    def __init__(self, document: str, pairs: list[tuple[Span, Span]]) -> None:
        self.document = document
        self.pairs = pairs
        first, second = pairs[0]
        super().__init__(
            f"{document}: {len(pairs)} overlapping span pair{'s' if len(pairs) != 1 else ''}, first "
            f"{first.label} [{first.start}, {first.end}) {first.text!r} and {second.label} [{second.start}, "
            f"{second.end}) {second.text!r} (overlap policy 'error')"
        )


def resolve_overlaps(
    spans: Iterable[Span], policy: OverlapPolicy = "longest", document: str = ""
) -> tuple[list[Span], list[tuple[Span, Span]]]:
    """Split ``spans`` into non-overlapping kept spans and dropped ones.

    Policies
    --------
    ``"longest"`` (default): longer spans first (length in code points), then earlier ``start``, then label and id;
        a span is kept when it overlaps no span kept before it. So a nested span loses to the span around it, and
        of two crossing spans the longer (or, when equal, the earlier) wins.
    ``"earliest"``: by ``start``, then longer first; a span is kept when it overlaps no kept span.
    ``"error"``: nothing is dropped; raise :class:`OverlapError` when any two spans overlap.

    Two spans overlap when they share a code point (``a.start < b.end and b.start < a.end``); adjacent spans
    (``a.end == b.start``) do not. Identical offsets with different labels overlap.

    Returns
    -------
    (kept, dropped)
        ``kept`` sorted by ``start``; ``dropped`` as ``(span, a kept span it overlaps)`` pairs in text order.

    Raises
    ------
    OverlapError
        With policy ``"error"``, naming ``document`` and the overlapping pairs.
    ValueError
        For an unknown policy.
    """
    if policy not in OVERLAP_POLICIES:
        raise ValueError(f"unknown overlap policy {policy!r}; use one of {', '.join(OVERLAP_POLICIES)}")
    spans = list(spans)
    if policy == "longest":
        order = sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.label, s.id))
    else:
        order = sorted(spans, key=lambda s: (s.start, -(s.end - s.start), s.label, s.id))
    dropped: list[tuple[Span, Span]] = []
    starts: list[int] = []  # starts of the kept spans, sorted, for bisect
    kept: list[Span] = []  # kept spans sorted by start; they never overlap one another
    for span in order:
        index = bisect.bisect_left(starts, span.end)  # kept spans starting before span.end
        # being disjoint, only the last of them can reach into the span
        if index > 0 and kept[index - 1].end > span.start:
            dropped.append((span, kept[index - 1]))
        else:
            starts.insert(index, span.start)
            kept.insert(index, span)
    if policy == "error" and dropped:
        raise OverlapError(
            document, [(blocker, span) for span, blocker in sorted(dropped, key=lambda p: p[0].sort_key)]
        )
    dropped.sort(key=lambda pair: pair[0].sort_key)
    return kept, dropped
