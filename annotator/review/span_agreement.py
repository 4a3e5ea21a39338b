"""Span-level agreement of two annotators: matched spans, precision, recall and F1, per label and micro/macro.

Annotator ``a`` is the reference and ``b`` the one compared with it, as in information retrieval: a span of ``b``
that matches one of ``a`` is a true positive, a span only in ``a`` a false negative (a miss), a span only in ``b`` a
false positive. Then (Hripcsak & Rothschild 2005, "Agreement, the F-measure, and reliability in information
retrieval", JAMIA 12(3):296-298, https://doi.org/10.1197/jamia.M1733, who show pairwise F1 is an agreement measure
that needs no count of true negatives):

- precision ``P = tp / |B|`` (``b``'s spans), recall ``R = tp / |A|`` (``a``'s spans);
- ``F1 = 2PR / (P + R) = 2 tp / (|A| + |B|)``; swapping ``a`` and ``b`` swaps P and R and keeps F1.

Matching (spans of different documents or different labels never match; offsets are code points, half-open):

- ``"exact"``: same ``start``, ``end`` and ``label``. Each span matches at most one: with duplicates, the number of
  matches of one ``(start, end, label)`` is the smaller of the two annotators' counts of it.
- ``"overlap"``: same ``label`` and at least one shared code point (``a.start < b.end and b.start < a.end``;
  adjacent spans do not overlap). The matching is one-to-one and of MAXIMUM size (a maximum bipartite matching,
  found greedily by earliest end, which is exact for intervals: see ``_match_overlap``): the most spans that can be
  paired off. Its size does not depend on the order the spans are tried in, so the counts are deterministic and
  symmetric: ``tp(a, b) == tp(b, a)``, hence ``P(a, b) == R(b, a)`` and F1 is the same both ways. One span of ``a``
  covering two of ``b`` matches one of them; the other is only in ``b``.

Micro figures pool the counts of all labels (and documents); macro figures are the unweighted mean of the per-label
figures over the labels that occur (in either annotator's spans of the shared documents). Labels that occur in
neither are left out: they have no spans to agree on, and their F1 is undefined, not 0 or 1.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from annotator.model.span import Span
from annotator.review.measure import Measure, mean, ratio, undefined
from annotator.review.units import DocumentAnnotations

MatchMode = Literal["exact", "overlap"]
MATCH_MODES: tuple[MatchMode, ...] = ("exact", "overlap")


@dataclass(frozen=True)
class SpanCounts:
    """Counts of one comparison: ``true_positives`` (matched pairs), ``only_a`` (spans of ``a`` left unmatched: false
    negatives) and ``only_b`` (spans of ``b`` left unmatched: false positives)."""

    true_positives: int = 0
    only_a: int = 0
    only_b: int = 0

    @property
    def spans_a(self) -> int:
        """``|A|``: the reference annotator's spans."""
        return self.true_positives + self.only_a

    @property
    def spans_b(self) -> int:
        """``|B|``: the compared annotator's spans."""
        return self.true_positives + self.only_b

    def __add__(self, other: SpanCounts) -> SpanCounts:
        return SpanCounts(
            self.true_positives + other.true_positives, self.only_a + other.only_a, self.only_b + other.only_b
        )


def match_spans(spans_a: Iterable[Span], spans_b: Iterable[Span], mode: MatchMode = "exact") -> list[tuple[Span, Span]]:
    """A one-to-one matching of one document's spans of ``a`` with those of ``b``, by the rules in the module's
    docstring, as ``(span of a, span of b)`` pairs in the order of ``a``'s spans (by ``Span.sort_key``).

    Its size is the maximum possible; which spans are paired when several maximum matchings exist is deterministic
    (spans taken by end, then start) but may differ when ``a`` and ``b`` are swapped; its size does not.

    Raises
    ------
    ValueError
        For an unknown ``mode``.
    """
    _check_mode(mode)
    by_label_a = _by_label(spans_a)
    by_label_b = _by_label(spans_b)
    pairs: list[tuple[Span, Span]] = []
    for label in sorted(by_label_a.keys() & by_label_b.keys()):
        match = _match_exact if mode == "exact" else _match_overlap
        pairs += match(by_label_a[label], by_label_b[label])
    return sorted(pairs, key=lambda pair: pair[0].sort_key)


def span_counts(spans_a: Iterable[Span], spans_b: Iterable[Span], mode: MatchMode = "exact") -> dict[str, SpanCounts]:
    """Per-label counts for one document's spans of ``a`` and ``b``: every label of either, sorted.

    Raises
    ------
    ValueError
        For an unknown ``mode``.
    """
    spans_a, spans_b = list(spans_a), list(spans_b)
    matched = Counter(span_a.label for span_a, _ in match_spans(spans_a, spans_b, mode))
    total_a = Counter(span.label for span in spans_a)
    total_b = Counter(span.label for span in spans_b)
    return {
        label: SpanCounts(matched[label], total_a[label] - matched[label], total_b[label] - matched[label])
        for label in sorted(total_a.keys() | total_b.keys())
    }


@dataclass(frozen=True)
class SpanAgreement:
    """Span agreement of ``a`` (reference) and ``b`` (compared) over the documents both annotated.

    Attributes
    ----------
    a, b: the annotators.
    mode: ``"exact"`` or ``"overlap"`` matching.
    shared_documents: how many documents both annotated (the figures pool these); 0 makes every figure undefined.
    per_label: label -> pooled counts, for every label in either annotator's spans of the shared documents, sorted.
    """

    a: str
    b: str
    mode: MatchMode
    shared_documents: int
    per_label: Mapping[str, SpanCounts]

    @property
    def overall(self) -> SpanCounts:
        """The counts of all labels pooled (for micro figures)."""
        return sum(self.per_label.values(), SpanCounts())

    def counts(self, label: str | None = None) -> SpanCounts:
        """The counts of ``label`` (zero counts for a label neither used), or :attr:`overall` for ``None``."""
        return self.overall if label is None else self.per_label.get(label, SpanCounts())

    def precision(self, label: str | None = None) -> Measure:
        """``tp / |B|`` for ``label`` (all labels pooled, i.e. micro, for ``None``); undefined when ``b`` has no such
        span. Source: Hripcsak & Rothschild 2005 (module docstring)."""
        counts = self.counts(label)
        return self._unshared() or ratio(
            counts.true_positives,
            counts.spans_b,
            f"{self.b} has no{_of(label)} spans{self._where()}, so precision (matches / {self.b}'s spans) is undefined",
        )

    def recall(self, label: str | None = None) -> Measure:
        """``tp / |A|`` for ``label`` (micro for ``None``); undefined when ``a`` has no such span."""
        counts = self.counts(label)
        return self._unshared() or ratio(
            counts.true_positives,
            counts.spans_a,
            f"{self.a} has no{_of(label)} spans{self._where()}, so recall (matches / {self.a}'s spans) is undefined",
        )

    def f1(self, label: str | None = None) -> Measure:
        """``2PR / (P + R) = 2 tp / (|A| + |B|)`` for ``label`` (micro for ``None``); 0 when only one annotator has
        such spans, undefined when neither has. Source: Hripcsak & Rothschild 2005 (module docstring)."""
        counts = self.counts(label)
        return self._unshared() or ratio(
            2 * counts.true_positives,
            counts.spans_a + counts.spans_b,
            f"neither annotator has{_of(label)} spans ({self._both()}){self._where()}, so F1 is undefined",
        )

    def macro_precision(self) -> Measure:
        """The mean of the per-label precisions over the labels where it is defined (those ``b`` used)."""
        return self._unshared() or mean(
            map(self.precision, self.per_label),
            f"{self.b} has no spans{self._where()}, so macro precision is undefined",
        )

    def macro_recall(self) -> Measure:
        """The mean of the per-label recalls over the labels where it is defined (those ``a`` used)."""
        return self._unshared() or mean(
            map(self.recall, self.per_label), f"{self.a} has no spans{self._where()}, so macro recall is undefined"
        )

    def macro_f1(self) -> Measure:
        """The mean of the per-label F1 over the labels either annotator used (F1 is defined for each of them);
        labels neither used are left out. Undefined when neither has any span."""
        return self._unshared() or mean(
            map(self.f1, self.per_label),
            f"neither annotator has spans ({self._both()}){self._where()}, so macro F1 is undefined",
        )

    def _unshared(self) -> Measure | None:
        if self.shared_documents:
            return None
        return undefined(f"{' and '.join(sorted((self.a, self.b)))} have no shared documents")

    def _both(self) -> str:
        return ", ".join(sorted((self.a, self.b)))

    def _where(self) -> str:
        n = self.shared_documents
        return " in the shared document" if n == 1 else f" in the {n} shared documents"


def span_agreement(
    documents: Iterable[DocumentAnnotations], a: str, b: str, mode: MatchMode = "exact"
) -> SpanAgreement:
    """Span agreement of ``a`` and ``b`` pooled over the ``documents`` both annotated (an annotator annotated a
    document when it is a key of its ``spans``, even with no spans). Pass one document for per-document figures.

    Raises
    ------
    ValueError
        For an unknown ``mode``.
    """
    _check_mode(mode)
    shared = 0
    per_label: dict[str, SpanCounts] = defaultdict(SpanCounts)
    for document in documents:
        if a in document.spans and b in document.spans:
            shared += 1
            for label, counts in span_counts(document.spans[a], document.spans[b], mode).items():
                per_label[label] += counts
    return SpanAgreement(a, b, mode, shared, dict(sorted(per_label.items())))


# -- matching ---------------------------------------------------------------------------------------------------------
def _check_mode(mode: str) -> None:
    if mode not in MATCH_MODES:
        raise ValueError(f"unknown span matching mode {mode!r}; use one of {', '.join(MATCH_MODES)}")


def _by_label(spans: Iterable[Span]) -> dict[str, list[Span]]:
    grouped: dict[str, list[Span]] = defaultdict(list)
    for span in sorted(spans, key=lambda s: s.sort_key):
        grouped[span.label].append(span)
    return grouped


def _match_exact(spans_a: list[Span], spans_b: list[Span]) -> list[tuple[Span, Span]]:
    """Pairs of spans with the same offsets (one label), each span used once, in order."""
    waiting: dict[tuple[int, int], list[Span]] = defaultdict(list)
    for span in reversed(spans_b):
        waiting[(span.start, span.end)].append(span)
    pairs = []
    for span in spans_a:
        candidates = waiting.get((span.start, span.end))
        if candidates:
            pairs.append((span, candidates.pop()))
    return pairs


def _indices_by_start(spans: list[Span]) -> list[int]:
    """The indices of ``spans`` in order of their starts (stable: equal starts keep their order)."""
    return sorted(range(len(spans)), key=lambda i: spans[i].start)


def _match_overlap(spans_a: list[Span], spans_b: list[Span]) -> list[tuple[Span, Span]]:
    """A maximum matching of overlapping spans (one label; both lists sorted by ``sort_key``), in O(n log n).

    Greedy by end: take the remaining span ``x`` (of either annotator) that ends first and pair it with the remaining
    span of the other annotator that overlaps it and ends first; drop ``x`` when none overlaps it. This is maximum
    (exchange argument): if a maximum matching pairs ``x`` with ``y`` and the chosen ``y*`` with ``x'``, then ``x'``
    overlaps ``y`` too (``y.start < x.end <= x'.end`` and ``x'.start < y*.end <= y.end``), so swapping to
    ``(x, y*), (x', y)`` keeps its size; if it leaves ``x`` or ``y*`` unmatched, a pair can be swapped in likewise.
    And since every remaining span ends at or after ``x``, one overlaps ``x`` exactly when it starts before
    ``x.end``, so a heap of the other annotator's spans that start before it, keyed by end, gives ``y*``.
    """
    sides = (spans_a, spans_b)
    done = ([False] * len(spans_a), [False] * len(spans_b))
    by_start = [_indices_by_start(spans) for spans in sides]
    started = [0, 0]  # how many of each side's spans (by start) are in its heap
    heaps: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])  # (end, index): spans started before
    ends = sorted((span.end, span.start, side, i) for side, spans in enumerate(sides) for i, span in enumerate(spans))
    pairs = []
    for end, _, side, i in ends:
        if done[side][i]:
            continue
        done[side][i] = True
        other = 1 - side
        spans, order, heap = sides[other], by_start[other], heaps[other]
        while started[other] < len(order) and spans[order[started[other]]].start < end:
            j = order[started[other]]
            heapq.heappush(heap, (spans[j].end, j))
            started[other] += 1
        while heap and done[other][heap[0][1]]:
            heapq.heappop(heap)
        if heap:
            _, j = heapq.heappop(heap)
            done[other][j] = True
            pairs.append((spans_a[i], spans_b[j]) if side == 0 else (spans_a[j], spans_b[i]))
    return sorted(pairs, key=lambda pair: pair[0].sort_key)


def _of(label: str | None) -> str:
    return "" if label is None else f" {label}"
