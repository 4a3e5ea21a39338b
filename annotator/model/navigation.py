"""Keyboard navigation between spans: the next or previous span from a position, and link candidates."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from annotator.model.annotation_set import AnnotationSet, relation_faults
from annotator.model.relation import Relation
from annotator.model.span import Span


def step_through_spans(spans: list[Span], current: Span | None, caret: int, direction: int) -> Span | None:
    """The span after (``direction`` +1) or before (-1) ``current`` in ``spans``, wrapping around.

    ``spans`` must be sorted by :attr:`Span.sort_key` ``(start, end, label, id)``. With no current span, the first span
    starting at or after code point ``caret`` (forward) or the last one starting before it (backward) is chosen.
    Returns ``None`` only when ``spans`` is empty. Cost: O(log n).
    """
    if not spans:
        return None
    keys = [s.sort_key for s in spans]
    if current is not None:
        index = bisect_left(keys, current.sort_key)
        if index < len(keys) and keys[index] == current.sort_key:
            return spans[(index + direction) % len(spans)]
        anchor = current.sort_key
    else:
        anchor = (caret, -1, "", "")
    if direction > 0:
        index = bisect_right(keys, anchor)
        return spans[index % len(spans)]
    index = bisect_left(keys, anchor) - 1
    return spans[index % len(spans)]


def link_candidates(annotations: AnnotationSet, relation_type: str, from_id: str) -> list[Span]:
    """Spans that span ``from_id`` may be linked to with ``relation_type``, nearest first.

    Candidates are the spans the label set's relation type allows at the ``to`` end (see
    :func:`~annotator.model.annotation_set.relation_faults`), other than the span itself. Distance is measured in code
    points between the spans (0 when they overlap); ties go to the earlier span, since in news text the source
    usually comes first ("X warned that ..."), then by saved order.
    """
    source = annotations.get(from_id)
    spans = {s.id: s for s in annotations}

    found = []
    for span in annotations:
        if span.id == from_id:
            continue
        probe = Relation(id="probe", type=relation_type, from_=from_id, to=span.id)
        if relation_faults(probe, spans, annotations.label_set):
            continue
        gap = max(span.start - source.end, source.start - span.end, 0)
        found.append((gap, span.start > source.start, span.sort_key, span))
    return [item[-1] for item in sorted(found, key=lambda item: item[:3])]
