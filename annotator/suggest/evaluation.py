"""Evaluating a suggester on a project: leave one document out, suggest on it, compare with its spans.

For each document, the suggester learns from the spans of every other document (never from the document's own) and
suggests on its text with no spans given; each suggested range keeps its best-scored label (ties keep every label
with that score), as the app offers it first, and only suggestions scoring at least ``min_score`` count. They are
compared with the document's spans, per label:

- **exact**: a suggestion is right when a span has its offsets and label;
- **overlap** (lenient): a suggestion is right when it shares a character with a span of its label, and a span is
  found when a suggestion of its label shares a character with it (so precision and recall are counted on each
  side, as in SemEval-2013 Task 9's partial matching, Segura-Bedmar et al. 2013).

Precision = right suggestions / suggestions, recall = found spans / spans, F1 their harmonic mean; a figure whose
denominator is 0 is undefined, with the reason (:class:`annotator.review.measure.Measure`).

**Links** (``links``, per relation type): a suggested link between two of the suggestions counted above is right
when both its ends match gold spans exactly (offsets and label) and a gold relation of its type links those spans;
a gold relation is found when such a suggested link matches it. Precision is the share of suggested links that are
right, recall the share of gold links found.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from annotator.model.relation import Relation
from annotator.model.span import Span
from annotator.review.measure import Measure, ratio, undefined
from annotator.suggest.suggestion import Suggester, Suggestion, SuggestionContext
from annotator.suggest.vocabulary import Vocabulary

ALL_LABELS = "(all labels)"


@dataclass(frozen=True)
class EvaluatedDocument:
    """One document of the evaluation: its id, exact text, spans and relations (the gold of this evaluation)."""

    id: str
    text: str
    spans: tuple[Span, ...]
    relations: tuple[Relation, ...] = ()


@dataclass
class Counts:
    """Counts of one label under one matching: suggestions made and right, spans and found."""

    suggested: int = 0
    right: int = 0
    spans: int = 0
    found: int = 0

    def add(self, other: Counts) -> None:
        self.suggested += other.suggested
        self.right += other.right
        self.spans += other.spans
        self.found += other.found

    def precision(self) -> Measure:
        return ratio(self.right, self.suggested, "nothing was suggested")

    def recall(self) -> Measure:
        return ratio(self.found, self.spans, "there is no span of this label")

    def f1(self) -> Measure:
        p, r = self.precision(), self.recall()
        if p.value is None or r.value is None:
            return undefined(p.reason or r.reason)
        if p.value + r.value == 0:
            return undefined("nothing suggested was right")
        return Measure(2 * p.value * r.value / (p.value + r.value))

    def to_json(self) -> dict:
        out: dict = {"suggested": self.suggested, "right": self.right, "spans": self.spans, "found": self.found}
        reasons = {}
        for name, measure in (("precision", self.precision()), ("recall", self.recall()), ("f1", self.f1())):
            out[name] = measure.value
            if measure.value is None:
                reasons[name] = measure.reason
        if reasons:
            out["reasons"] = reasons
        return out


@dataclass
class EvaluationReport:
    """``exact`` and ``overlap`` counts per label (and :data:`ALL_LABELS`), and ``links`` counts per relation type
    (only for the types the suggester linked or the gold has, when the suggester links at all), over ``documents``
    documents. For links, ``suggested``/``right`` count suggested links and ``spans``/``found`` gold relations."""

    suggester: str
    documents: int
    min_score: float
    exact: dict[str, Counts] = field(default_factory=dict)
    overlap: dict[str, Counts] = field(default_factory=dict)
    links: dict[str, Counts] = field(default_factory=dict)

    def to_json(self) -> dict:
        """The report as JSON-ready data: ``{"suggester", "documents", "min_score", "exact": {label: counts...},
        "overlap": {...}, "links": {relation type: counts...}}``, each counts object with its precision, recall and
        F1 (``null`` with a reason when undefined); ``links`` is ``{}`` when the suggester suggested no link."""
        return {
            "suggester": self.suggester,
            "documents": self.documents,
            "min_score": self.min_score,
            "exact": {label: counts.to_json() for label, counts in self.exact.items()},
            "overlap": {label: counts.to_json() for label, counts in self.overlap.items()},
            "links": {kind: counts.to_json() for kind, counts in self.links.items()},
        }


def best_labels(suggestions: Sequence[Suggestion], min_score: float = 0.0) -> list[Suggestion]:
    """Per range, the suggestions with the best score (ties all kept), leaving out those under ``min_score``."""
    best: dict[tuple[int, int], list[Suggestion]] = {}
    for suggestion in suggestions:
        if suggestion.score < min_score:
            continue
        held = best.setdefault((suggestion.start, suggestion.end), [])
        if not held or suggestion.score > held[0].score:
            held[:] = [suggestion]
        elif suggestion.score == held[0].score:
            held.append(suggestion)
    return [s for group in best.values() for s in group]


def compare(suggested: Sequence[Suggestion], spans: Sequence[Span]) -> tuple[dict[str, Counts], dict[str, Counts]]:
    """``(exact, overlap)`` counts per label of ``suggested`` against ``spans`` (see the module's docstring)."""
    exact: dict[str, Counts] = {}
    overlap: dict[str, Counts] = {}
    gold_keys = {(s.start, s.end, s.label) for s in spans}
    by_label: dict[str, list[tuple[int, int]]] = {}
    for span in spans:
        by_label.setdefault(span.label, []).append((span.start, span.end))
        exact.setdefault(span.label, Counts()).spans += 1
        overlap.setdefault(span.label, Counts()).spans += 1
    made: dict[str, list[tuple[int, int]]] = {}
    for suggestion in suggested:
        made.setdefault(suggestion.label, []).append((suggestion.start, suggestion.end))
    for ranges in (*by_label.values(), *made.values()):
        ranges.sort()
    for suggestion in suggested:
        label = suggestion.label
        e, o = exact.setdefault(label, Counts()), overlap.setdefault(label, Counts())
        e.suggested += 1
        o.suggested += 1
        if (suggestion.start, suggestion.end, label) in gold_keys:
            e.right += 1
        ranges = by_label.get(label, [])
        if _any_overlap(ranges, suggestion.start, suggestion.end):
            o.right += 1
    suggested_keys = {(s.start, s.end, s.label) for s in suggested}
    for span in spans:
        if (span.start, span.end, span.label) in suggested_keys:
            exact[span.label].found += 1
        if _any_overlap(made.get(span.label, []), span.start, span.end):
            overlap[span.label].found += 1
    return exact, overlap


def compare_links(
    suggested: Sequence[Suggestion], spans: Sequence[Span], relations: Sequence[Relation]
) -> dict[str, Counts]:
    """Counts per relation type of the links among ``suggested`` against the gold ``relations`` between ``spans``
    (see the module's docstring); a link to an id that is not among ``suggested`` is not counted."""
    by_id = {s.id: s for s in suggested if s.id}
    ids_at: dict[tuple[int, int, str], set[str]] = {}
    for span in spans:
        ids_at.setdefault((span.start, span.end, span.label), set()).add(span.id)
    gold = {(r.type, r.from_, r.to) for r in relations}
    counts: dict[str, Counts] = {}
    for relation in relations:
        counts.setdefault(relation.type, Counts()).spans += 1
    found: set[tuple[str, str, str]] = set()
    for suggestion in suggested:
        for link in suggestion.links:
            target = by_id.get(link.to_id)
            if target is None or link.from_id != suggestion.id:
                continue
            figures = counts.setdefault(link.relation_type, Counts())
            figures.suggested += 1
            matches = {
                (link.relation_type, a, b) for a in ids_at.get(suggestion.key, ()) for b in ids_at.get(target.key, ())
            } & gold
            if matches:
                figures.right += 1
                found |= matches
    for kind, _from, _to in found:
        counts[kind].found += 1
    return counts


def _any_overlap(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether any of the sorted ``ranges`` shares a character with ``[start, end)`` (ranges may nest)."""
    index = bisect_left(ranges, (end, -1))  # every range starting before ``end``
    return any(ranges[i][1] > start for i in range(index))


def add_totals(report: EvaluationReport) -> None:
    """Sort ``report``'s exact and overlap figures by label and add the :data:`ALL_LABELS` row (the counts of every
    label summed: micro-averaged precision, recall and F1), in place."""
    for totals in (report.exact, report.overlap):
        every = Counts()
        for counts in totals.values():
            every.add(counts)
        ordered = dict(sorted(totals.items()))
        totals.clear()
        totals.update(ordered)
        totals[ALL_LABELS] = every


def evaluate(
    documents: Sequence[EvaluatedDocument],
    make: Callable[[Vocabulary], Suggester],
    *,
    min_score: float = 0.0,
) -> EvaluationReport:
    """Leave-one-out evaluation of the suggester ``make`` builds from a :class:`Vocabulary` (see the module's
    docstring). Documents sharing an id (several annotators' files of one text) are held out together: the
    suggester never learns from another annotator's spans of the text it is tested on; each file is compared on
    its own."""
    name = ""
    linked = False
    report = EvaluationReport(suggester="", documents=len({d.id for d in documents}), min_score=min_score)
    for document in documents:
        vocabulary = Vocabulary()
        for learned in documents:
            if learned.id != document.id:
                vocabulary.learn_spans(learned.spans, "the other documents")
        suggester = make(vocabulary)
        name = suggester.name
        suggested = best_labels(suggester.suggest(document.text, SuggestionContext()), min_score)
        exact, overlap = compare(suggested, document.spans)
        if any(s.links for s in suggested):
            linked = True
        links = compare_links(suggested, document.spans, document.relations)
        for totals, per_label in ((report.exact, exact), (report.overlap, overlap), (report.links, links)):
            for label, figures in per_label.items():
                totals.setdefault(label, Counts()).add(figures)
    report.suggester = name
    if not linked:
        report.links.clear()
    report.links = dict(sorted(report.links.items()))
    add_totals(report)
    return report
