"""Finding spans: the next or previous span from a position, spans covering a range, and link candidates."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from annotator.model.annotation_set import AnnotationSet
from annotator.model.span import Span


def step_through_spans(spans: list[Span], current: Span | None, caret: int, direction: int) -> Span | None:
    """The span after (``direction`` +1) or before (-1) ``current`` in ``spans``, wrapping around.

    ``spans`` must be sorted by :attr:`Span.sort_key` ``(start, end, label, id)``. With no current span, the first span
    starting at or after code point ``caret`` (forward) or the last one starting before it (backward) is chosen.
    Returns ``None`` only when ``spans`` is empty. Cost: O(log n).
    """
    if not spans:
        return None

    def key(span: Span) -> tuple[int, int, str, str]:
        return span.sort_key

    if current is not None:
        index = bisect_left(spans, current.sort_key, key=key)
        if index < len(spans) and spans[index].sort_key == current.sort_key:
            return spans[(index + direction) % len(spans)]
        anchor = current.sort_key
    else:
        anchor = (caret, -1, "", "")
    if direction > 0:
        return spans[bisect_right(spans, anchor, key=key) % len(spans)]
    return spans[(bisect_left(spans, anchor, key=key) - 1) % len(spans)]


class SpanCover:
    """Answers "is ``[start, end)`` inside one of these spans?" in O(log n) (code points).

    Built from any spans in O(n log n): spans sorted by start, with the running maximum of their ends.
    """

    def __init__(self, spans: list[Span]) -> None:
        ordered = sorted(spans, key=lambda s: s.start)
        self._starts = [s.start for s in ordered]
        self._max_ends = list(accumulate((s.end for s in ordered), max))

    def covers(self, start: int, end: int) -> bool:
        """Whether some span has ``span.start <= start`` and ``end <= span.end``."""
        index = bisect_right(self._starts, start)
        return index > 0 and self._max_ends[index - 1] >= end


_SENTENCE_END = re.compile(r"(?:(?<!\b[A-Z])\.|[!?。！？])[\"'”’»)\]]*\s+|[\r\n\u2028\u2029]+")


def sentence_range(text: str, start: int, end: int, reach: int = 2000) -> tuple[int, int]:
    """The code-point range of the sentence(s) holding ``[start, end)``: from after the last sentence end before
    ``start`` to the first sentence end at or after ``end`` (a full stop, question or exclamation mark, with closing
    quotes or brackets, then whitespace; or a line break). Looks at most ``reach`` code points either way.

    A heuristic for ranking link candidates, not a full sentence segmenter: a full stop after a lone capital letter
    ("U.S. officials", "J. Smith") does not end a sentence; other abbreviations ("Gov. Smith") do, which only makes
    the range shorter.
    """
    low = max(0, start - reach)
    sentence_start = low
    for match in _SENTENCE_END.finditer(text, low, start):
        sentence_start = match.end()
    found = _SENTENCE_END.search(text, end, min(len(text), end + reach))
    return sentence_start, (found.start() if found else min(len(text), end + reach))


def link_candidates(annotations: AnnotationSet, relation_type: str, from_id: str) -> list[Span]:
    """Spans that span ``from_id`` may be linked to with ``relation_type``, most likely first.

    Candidates are the spans the label set's relation type allows at the ``to`` end
    (:meth:`~annotator.model.labels.LabelSet.allows_relation`), other than the span itself. They are ranked: first
    those in the statement's own sentence (see :func:`sentence_range`) outside the statement, then those inside it
    (an actor named in a claim is what the claim is about, rarely who makes it: "the U.S. was concerned regarding
    Beijing's help"), then those before the sentence, then those after it, since a news statement's source is named
    in its sentence or earlier ("X warned that ...", "..., Price said"); within each group the nearest first
    (distance in code points between the spans, 0 when they overlap), then by saved order.
    """
    source = annotations.get(from_id)
    sentence = sentence_range(annotations.text, source.start, source.end)
    label_set = annotations.label_set
    found = []
    for span in annotations:
        if span.id == from_id or not label_set.allows_relation(relation_type, source.label, span.label):
            continue
        gap = max(span.start - source.end, source.start - span.end, 0)
        in_sentence = span.start < sentence[1] and span.end > sentence[0]
        inside = source.start <= span.start and span.end <= source.end
        before = span.end <= source.start
        group = (1 if inside else 0) if in_sentence else 2 if before else 3
        found.append((group, gap, span.sort_key, span))
    return [item[-1] for item in sorted(found, key=lambda item: item[:3])]
