"""Merging annotators' spans into gold by majority vote, leaving every undecided span to a person.

Rules (offsets are Unicode code points into the document's text, half-open ``[start, end)``):

1. A span is voted on by its key ``(start, end, label)`` (see :func:`annotator.review.disagreements.span_key`):
   ids, notes and uncertain flags are ignored, and an annotator's twin spans (same key twice) are one vote. The
   *support* of a key is the set of annotators who have it.
2. A key is a *candidate* when its support reaches the threshold: by default a strict majority, more than half of
   the ``n`` annotators (``n // 2 + 1``: 2 of 2, 2 of 3, 3 of 4); or at least ``annotators_needed`` when given.
3. Two candidates *clash* when they overlap (share a code point) and no annotator has both. A candidate goes into
   gold unless it clashes with a candidate of equal or greater support. With the default strict majority two
   candidates always share an annotator (pigeonhole: each has more than ``n / 2`` of the ``n``), so nothing clashes
   and every majority span is gold; overlapping gold spans (nested ones, say) are then spans that some annotator
   marked together. Only a lower ``annotators_needed`` (at most half) can make candidates clash; the loser of a
   clash is not placed even when its winner lost another clash (a person decides).
4. Every other key (too little support, or a lost clash) is left out of gold and listed: the left-out keys are
   grouped by overlap (connected components, as in :func:`annotator.review.disagreements.overlap_clusters`) and
   each group is one :class:`Conflict`, naming its spans with their annotators and the gold spans it overlaps. Ties
   (alice ``actor`` vs bob ``claim`` over the same words, or two boundaries) are such groups; so is a span only a
   minority has and that overlaps nothing in gold ("only alice has actor [5, 8)").
5. Gold spans take ids ``s1``, ``s2``... in saved order ``(start, end, label)``; their text is the document's text
   over their offsets; they carry no note or flag (:func:`gold_annotation_set` writes the provenance as the note).
6. Attribute values, document labels and actor entities go to gold by majority too, and values without one are
   listed as ties (:mod:`annotator.review.value_majority`).

Relations are not merged: links join span ids, which differ between annotators, and a link is only meaningful when
both its spans made it into gold, so gold starts without links and a person adds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.model.annotation_set import AnnotationSet, span_faults
from annotator.model.compare import shorten
from annotator.model.document import Document
from annotator.model.labels import LabelSet
from annotator.model.span import Span
from annotator.review.disagreements import SpanKey, overlap_clusters, unique_keys
from annotator.review.units import DocumentAnnotations
from annotator.review.value_majority import ValueTie, merge_attributes, merge_document_labels, merge_entities

GOLD_ANNOTATOR = "gold"
"""The annotator name of the merged annotation set."""


@dataclass(frozen=True)
class SupportedSpan:
    """A span with the annotators who have it (same offsets and label).

    Attributes
    ----------
    span: the span (code-point offsets into the document's text).
    annotators: the annotators who have it, sorted by name.
    """

    span: Span
    annotators: tuple[str, ...]

    def describe(self) -> str:
        """``label [start, end)``: the span in plain text."""
        return f"{self.span.label} [{self.span.start}, {self.span.end})"


@dataclass(frozen=True)
class GoldSpan(SupportedSpan):
    """A span of the gold set (id ``s1``, ``s2``...) and its provenance: the annotators who had it."""


@dataclass(frozen=True)
class Conflict:
    """Spans left out of gold for a person to decide: one group of overlapping left-out spans (code points).

    Attributes
    ----------
    start, end: the group's extent, half-open.
    text: the document's text over ``[start, end)``.
    spans: the competing spans with their annotators, in saved order; each span is as the first of its annotators
        (by name) saved it, with that annotator's id, note and flag.
    gold: the gold spans overlapping the group, in saved order (what the left-out spans compete with).
    rivals: for each left-out span that reached the threshold but lost a clash (rule 3; only with a low
        ``annotators_needed``), ``(that span, the candidates it clashes with)``.
    annotators_needed: the threshold of the merge.
    annotator_count: how many annotators voted.
    """

    start: int
    end: int
    text: str
    spans: tuple[SupportedSpan, ...]
    gold: tuple[GoldSpan, ...]
    rivals: tuple[tuple[SupportedSpan, tuple[SupportedSpan, ...]], ...]
    annotators_needed: int
    annotator_count: int

    def description(self) -> str:
        """One plain-text line, e.g. ``[12, 20) 'Sullivan': alice has actor [12, 20); bob has claim [12, 20); gold
        needs 2 of 2 annotators`` or ``[5, 8) 'abc': only carol has actor [5, 8); gold needs 2 of 3 annotators; gold
        has claim [0, 20) from alice, bob``. The text is on one line (line breaks as ⏎), shortened with … when long.
        """
        alone = len(self.spans) == 1 and len(self.spans[0].annotators) == 1
        options = [
            f"{'only ' if alone else ''}{', '.join(s.annotators)} {'has' if len(s.annotators) == 1 else 'have'} "
            f"{s.describe()}"
            for s in self.spans
        ]
        parts = [
            f"[{self.start}, {self.end}) '{shorten(self.text)}': {'; '.join(options)}",
            f"gold needs {self.annotators_needed} of {self.annotator_count} annotators",
        ]
        parts.extend(
            f"{span.describe()} clashes with {', '.join(r.describe() for r in rivals)} "
            "(as much support or more, no annotator in common)"
            for span, rivals in self.rivals
        )
        if self.gold:
            parts.append("gold has " + ", ".join(f"{g.describe()} from {', '.join(g.annotators)}" for g in self.gold))
        return "; ".join(parts)


@dataclass(frozen=True)
class MergeResult:
    """What :func:`majority_merge` decided for one document.

    Attributes
    ----------
    document: the document's name.
    annotators: the annotators who voted, sorted.
    annotators_needed: how many annotators a span needed to be a candidate.
    gold: the gold spans with their provenance, in saved order; ids ``s1``, ``s2``... in that order.
    conflicts: the left-out spans, grouped, sorted by ``(start, end)``.
    document_labels: the gold document labels (majority of the annotators).
    ties: the gold spans' attributes and the document labels with no majority value (left unset in gold), the
        spans' in saved order, then the document's.
    """

    document: str
    annotators: tuple[str, ...]
    annotators_needed: int
    gold: tuple[GoldSpan, ...]
    conflicts: tuple[Conflict, ...]
    document_labels: Mapping[str, str | list[str]] = field(default_factory=dict)
    ties: tuple[ValueTie, ...] = ()


def _threshold(annotator_count: int, annotators_needed: int | None) -> int:
    """The support a key needs: ``annotators_needed``, or a strict majority ``n // 2 + 1``."""
    if annotator_count == 0:
        raise ValueError("merging needs at least one annotator; the document has none")
    if annotators_needed is None:
        return annotator_count // 2 + 1
    if not 1 <= annotators_needed <= annotator_count:
        raise ValueError(f"annotators_needed must be between 1 and {annotator_count}, not {annotators_needed}")
    return annotators_needed


def _votes(document: DocumentAnnotations) -> dict[SpanKey, SupportedSpan]:
    """Every key any annotator has, with its support; the span is the first supporting annotator's (by name)."""
    annotators: dict[SpanKey, list[str]] = {}
    first: dict[SpanKey, Span] = {}
    for annotator in document.annotators:
        for key, span in unique_keys(document.spans[annotator]).items():
            annotators.setdefault(key, []).append(annotator)
            first.setdefault(key, span)
    return {key: SupportedSpan(first[key], tuple(annotators[key])) for key in sorted(annotators)}


def _clash(a: SupportedSpan, b: SupportedSpan) -> bool:
    """Whether ``a`` and ``b``, known to overlap, clash: no annotator has both (rule 3)."""
    return not set(a.annotators) & set(b.annotators)


def _rivals(candidates: list[SupportedSpan]) -> dict[SpanKey, tuple[SupportedSpan, ...]]:
    """For each candidate, the candidates it clashes with that have as much support or more (rule 3).

    A sweep by start keeps the candidates still open (ending after the current start), so only overlapping pairs
    are compared, not every pair of a long cluster.
    """
    rivals: dict[SpanKey, list[SupportedSpan]] = {_key(c): [] for c in candidates}
    open_: list[SupportedSpan] = []
    for candidate in sorted(candidates, key=_key):
        open_ = [other for other in open_ if other.span.end > candidate.span.start]
        for other in open_:
            if _clash(candidate, other):
                for loser, winner in ((candidate, other), (other, candidate)):
                    if len(winner.annotators) >= len(loser.annotators):
                        rivals[_key(loser)].append(winner)
        open_.append(candidate)
    return {key: tuple(sorted(found, key=_key)) for key, found in rivals.items()}


def _gold_over(conflicts: list[tuple[int, int]], gold: tuple[GoldSpan, ...]) -> list[tuple[GoldSpan, ...]]:
    """For each extent of ``conflicts`` (disjoint, sorted), the gold spans (sorted) overlapping it, by one sweep."""
    found = []
    open_: list[GoldSpan] = []
    waiting = iter(gold)
    upcoming = next(waiting, None)
    for start, end in conflicts:
        while upcoming is not None and upcoming.span.start < end:
            open_.append(upcoming)
            upcoming = next(waiting, None)
        open_ = [g for g in open_ if g.span.end > start]
        found.append(tuple(open_))
    return found


def _key(supported: SupportedSpan) -> SpanKey:
    return (supported.span.start, supported.span.end, supported.span.label)


def majority_merge(document: DocumentAnnotations, annotators_needed: int | None = None) -> MergeResult:
    """Gold spans by majority vote over ``document``'s annotators, and the conflicts left for a person.

    See the module docstring for the rules. ``annotators_needed`` replaces the strict majority (``n // 2 + 1`` of
    the ``n`` annotators) by a fixed count, e.g. ``n`` for unanimity.

    Raises
    ------
    ValueError
        If ``document`` has no annotator, or ``annotators_needed`` is not between 1 and the number of annotators.
    """
    needed = _threshold(len(document.spans), annotators_needed)
    votes = _votes(document)
    candidates = [v for v in votes.values() if len(v.annotators) >= needed]
    # With more than half needed, any two candidates share an annotator (rule 3): nothing can clash.
    rivals = _rivals(candidates) if 2 * needed <= len(document.spans) else {}
    winners = [c for c in candidates if not rivals.get(_key(c))]
    gold, ties = _gold_with_values(document, winners)
    won = {_key(w) for w in winners}
    left_out = [v for v in votes.values() if _key(v) not in won]
    conflicts = _conflicts(document, left_out, gold, rivals, needed)
    labels, label_ties = merge_document_labels(document, document.label_set)
    return MergeResult(
        document.document, tuple(document.annotators), needed, gold, conflicts, labels, (*ties, *label_ties)
    )


def _gold_with_values(
    document: DocumentAnnotations, winners: list[SupportedSpan]
) -> tuple[tuple[GoldSpan, ...], list[ValueTie]]:
    """The gold spans of ``winners`` (ids ``s1``... in order) with their majority attributes and entities (rule 6),
    and the attribute ties."""
    keyed = {a: unique_keys(document.spans[a]) for a in document.annotators}
    gold, ties = [], []
    for number, winner in enumerate(winners, start=1):
        key = _key(winner)
        where = f"{winner.describe()} '{shorten(document.text[key[0] : key[1]])}'"
        attributes, found = merge_attributes({a: keyed[a][key] for a in winner.annotators}, document.label_set, where)
        ties += found
        gold.append(_gold_span(f"s{number}", winner, document.text, attributes))
    entities = merge_entities(document, [g.span for g in gold])
    gold = [
        GoldSpan(g.span.model_copy(update={"entity": entities[g.span.id]}), g.annotators)
        if g.span.id in entities
        else g
        for g in gold
    ]
    return tuple(gold), ties


def _conflicts(
    document: DocumentAnnotations,
    left_out: list[SupportedSpan],
    gold: tuple[GoldSpan, ...],
    rivals: dict[SpanKey, tuple[SupportedSpan, ...]],
    needed: int,
) -> tuple[Conflict, ...]:
    """The left-out spans grouped by overlap (rule 4), each group with the gold spans over it, sorted."""
    groups = overlap_clusters(left_out, lambda v: (v.span.start, v.span.end))
    extents = [(min(s.span.start for s in group), max(s.span.end for s in group)) for group in groups]
    return tuple(
        Conflict(
            start=start,
            end=end,
            text=document.text[start:end],
            spans=tuple(group),
            gold=over,
            rivals=tuple((s, rivals[_key(s)]) for s in group if rivals.get(_key(s))),
            annotators_needed=needed,
            annotator_count=len(document.spans),
        )
        for group, (start, end), over in zip(groups, extents, _gold_over(extents, gold), strict=True)
    )


def _gold_span(span_id: str, winner: SupportedSpan, text: str, attributes: Mapping[str, bool | str]) -> GoldSpan:
    """``winner`` as a gold span: id ``span_id``, its offsets, label and ``text``'s text there, ``attributes``, no
    note or flag."""
    start, end, label = _key(winner)
    span = Span(id=span_id, start=start, end=end, label=label, text=text[start:end], attributes=dict(attributes))
    return GoldSpan(span, winner.annotators)


def gold_annotation_set(
    document: DocumentAnnotations,
    result: MergeResult,
    label_set: LabelSet,
    *,
    document_id: str = "",
    metadata: Mapping[str, Any] | None = None,
) -> AnnotationSet:
    """The gold spans of ``result`` as an annotation set by annotator ``"gold"`` over ``document``'s text, ready for
    :func:`annotator.io.annotation_file.save` and any export.

    Each span keeps its id (``s1``, ``s2``... in saved order) and its provenance as its note, ``from: alice, bob``.
    Spans keep their majority attributes and entities; the set has ``result``'s document labels; no relations (they
    are not merged); status in progress. ``document_id`` is the document's id in a project (``""`` outside
    projects); ``metadata`` the document's metadata as the annotators' files hold it.

    Raises
    ------
    ValueError
        If a gold span does not fit ``document``'s text (``result`` is another document's) or its label is not in
        ``label_set``; the message names each span and fault.
    """
    faults = [
        f"{g.describe()}: {fault}" for g in result.gold for fault in span_faults(g.span, document.text, label_set)
    ]
    if faults:
        raise ValueError("the gold spans do not fit: " + "; ".join(faults))
    spans = [g.span.model_copy(update={"note": f"from: {', '.join(g.annotators)}"}) for g in result.gold]
    return AnnotationSet(
        Document.from_text(document.text),
        label_set,
        GOLD_ANNOTATOR,
        spans,
        document_id=document_id,
        metadata=metadata,
        document_labels=result.document_labels,
    )
