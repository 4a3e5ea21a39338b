"""Which earlier mention a span most likely names the same actor as: the candidates "same actor as…" offers first.

Qt-free; ranked by text alone (no model): the same text, the same last word (a surname: "Price" and "State Department
spokesman Ned Price"), one text's words contained in the other's, then nearness.
"""

from __future__ import annotations

import re

from annotator.model.annotation_set import AnnotationSet
from annotator.model.span import Span

_WORD = re.compile(r"\w+")
#: Words that say nothing about who is meant (leading determiners, "’s").
_LIGHT = frozenset({"the", "a", "an", "s"})


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if w not in _LIGHT]


def match_strength(mention: str, candidate: str) -> int:
    """How strongly the texts ``mention`` and ``candidate`` suggest one actor: 3 for the same words (case and
    determiners ignored: "the White House" / "White House"), 2 for the same last word ("Price" / "Ned Price"), 1 when
    one's words all occur in the other ("Sullivan" in "Sullivan's team"), else 0."""
    a, b = _words(mention), _words(candidate)
    if not a or not b:
        return 0
    if a == b:
        return 3
    if a[-1] == b[-1]:
        return 2
    if set(a) <= set(b) or set(b) <= set(a):
        return 1
    return 0


def entity_candidates(annotations: AnnotationSet, span_id: str) -> list[Span]:
    """The spans ``span_id`` may be grouped with ("same actor as…"), the likeliest first.

    Candidates carry the same label and are not already of its entity; an entity is offered once, by its best
    mention. Order: mentions before the span first (they are what "same actor as" usually points back to), then by
    :func:`match_strength` (strongest first), then nearest first; later mentions follow in the same order.

    Raises
    ------
    KeyError
        If there is no such span.
    """
    span = annotations.get(span_id)

    def rank(other: Span) -> tuple[int, int, int, int]:
        before = other.start < span.start
        return (0 if before else 1, -match_strength(span.text, other.text), abs(span.start - other.start), other.end)

    ranked = sorted(
        (
            s
            for s in annotations.spans_with_label(span.label)
            if s.id != span.id and not (s.entity and s.entity == span.entity)
        ),
        key=rank,
    )
    seen: set[str] = set()
    out = []
    for other in ranked:
        if other.entity:
            if other.entity in seen:
                continue
            seen.add(other.entity)
        out.append(other)
    return out
