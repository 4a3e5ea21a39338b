"""What suggestions did to the annotation: per annotator, the share of spans accepted from suggestions, and the
documents annotated with suggestions shown compared with those annotated without them.

The comparison is by documents, never span by span (a span accepted from a suggestion is not compared with one made
by hand, which would bias the figures: Berzak et al., EMNLP 2016, on anchoring): each annotator's documents fall in
the group ``"with"`` (the annotation file says suggestions were shown) or ``"without"``; span counts and active time
per span (seconds, from the files' ``active_seconds``; idle time is already left out by the app) are given per
annotator and group, and a pair's span agreement (micro F1, exact matching) per group over the documents both
annotated in that group (a document one annotated with suggestions and the other without is in neither).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotator.review.measure import Measure, ratio, undefined
from annotator.review.span_agreement import span_agreement
from annotator.review.units import DocumentAnnotations

GROUPS = ("with", "without")
FROM_SUGGESTIONS = ("suggestion", "suggestion-edited")


@dataclass(frozen=True)
class GroupEffort:
    """One annotator's documents of one group: ``documents``, ``spans`` in them, ``active_seconds`` recorded
    (summed), and ``seconds_per_span`` (undefined, saying why, with no spans or no recorded time)."""

    documents: int
    spans: int
    active_seconds: float
    seconds_per_span: Measure


@dataclass(frozen=True)
class AnnotatorSuggestionUse:
    """One annotator: ``spans`` in all documents, ``from_suggestions`` of them (origin ``suggestion`` or
    ``suggestion-edited``), their ``share`` (undefined without spans), and :class:`GroupEffort` per group."""

    spans: int
    from_suggestions: int
    share: Measure
    groups: Mapping[str, GroupEffort]


@dataclass(frozen=True)
class PairByGroup:
    """A pair ``a < b``: per group, the documents both annotated in it and their span F1 (exact matching, micro),
    undefined (saying why) when there are none; ``mixed`` counts documents one annotated with suggestions and the
    other without (in neither group)."""

    a: str
    b: str
    documents: Mapping[str, int]
    f1_exact: Mapping[str, Measure]
    mixed: int


@dataclass(frozen=True)
class SuggestionEffect:
    """:class:`AnnotatorSuggestionUse` per annotator (sorted) and :class:`PairByGroup` per pair (sorted)."""

    per_annotator: Mapping[str, AnnotatorSuggestionUse]
    pairs: list[PairByGroup]

    def to_json(self) -> dict:
        """``{"per_annotator": {name: {"spans", "from_suggestions", "share", "groups": {"with" | "without":
        {"documents", "spans", "active_seconds", "seconds_per_span"}}, "reasons"}}, "pairs": [{"a", "b",
        "documents": {group: n}, "span_f1_exact": {group: value}, "mixed", "reasons"}]}``; an undefined figure is
        ``null`` and its reason under ``"reasons"`` (``"share"``, ``"with.seconds_per_span"``, ``"with"``...)."""
        annotators = {}
        for name, use in self.per_annotator.items():
            reasons = {} if use.share.defined else {"share": use.share.reason}
            groups = {}
            for group, effort in use.groups.items():
                groups[group] = {
                    "documents": effort.documents,
                    "spans": effort.spans,
                    "active_seconds": effort.active_seconds,
                    "seconds_per_span": effort.seconds_per_span.value,
                }
                if not effort.seconds_per_span.defined:
                    reasons[f"{group}.seconds_per_span"] = effort.seconds_per_span.reason
            annotators[name] = {
                "spans": use.spans,
                "from_suggestions": use.from_suggestions,
                "share": use.share.value,
                "groups": groups,
                "reasons": reasons,
            }
        pairs = [
            {
                "a": pair.a,
                "b": pair.b,
                "documents": dict(pair.documents),
                "span_f1_exact": {group: m.value for group, m in pair.f1_exact.items()},
                "mixed": pair.mixed,
                "reasons": {group: m.reason for group, m in pair.f1_exact.items() if not m.defined},
            }
            for pair in self.pairs
        ]
        return {"per_annotator": annotators, "pairs": pairs}


def group_of(document: DocumentAnnotations, name: str) -> str:
    """``"with"`` if annotator ``name`` saw suggestions while annotating ``document`` (its file says so), else
    ``"without"``: the group of :data:`GROUPS` the document counts in for that annotator."""
    return "with" if document.effort.get(name, (False, 0.0))[0] else "without"


def group_effort(documents: int, spans: int, seconds: float, group: str) -> GroupEffort:
    """The effort of one annotator's ``documents`` of ``group`` (``"with"`` or ``"without"`` suggestions): their
    ``spans`` and active ``seconds`` in all, and seconds per span, undefined (with the reason) when there is no
    document, no active time recorded, or no span. Shared with the streamed report
    (:mod:`annotator.review.agreement_tally`), so both say the same."""
    if not documents:
        per_span = undefined(f"no document annotated {group} suggestions")
    elif seconds <= 0:
        per_span = undefined(f"no active time recorded in the files of documents annotated {group} suggestions")
    else:
        per_span = ratio(seconds, spans, f"no spans in the documents annotated {group} suggestions")
    return GroupEffort(documents, spans, seconds, per_span)


def _effort(documents: Sequence[DocumentAnnotations], name: str, group: str) -> GroupEffort:
    mine = [d for d in documents if name in d.spans and group_of(d, name) == group]
    spans = sum(len(d.spans[name]) for d in mine)
    seconds = sum(d.effort.get(name, (False, 0.0))[1] for d in mine)
    return group_effort(len(mine), spans, seconds, group)


def suggestion_effect(documents: Sequence[DocumentAnnotations]) -> SuggestionEffect:
    """The figures of the module docstring for every annotator and pair of ``documents``."""
    annotators = sorted({name for document in documents for name in document.spans})
    per_annotator = {}
    for name in annotators:
        spans = [span for d in documents for span in d.spans.get(name, ())]
        accepted = sum(span.origin in FROM_SUGGESTIONS for span in spans)
        per_annotator[name] = AnnotatorSuggestionUse(
            spans=len(spans),
            from_suggestions=accepted,
            share=ratio(accepted, len(spans), f"{name} has no spans"),
            groups={group: _effort(documents, name, group) for group in GROUPS},
        )
    pairs = []
    for a, b in itertools.combinations(annotators, 2):
        both = [d for d in documents if a in d.spans and b in d.spans]
        by_group = {group: [d for d in both if group_of(d, a) == group == group_of(d, b)] for group in GROUPS}
        f1 = {
            group: span_agreement(shared, a, b, "exact").f1()
            if shared
            else undefined(f"{a} and {b} annotated no document both {group} suggestions")
            for group, shared in by_group.items()
        }
        mixed = len(both) - sum(len(shared) for shared in by_group.values())
        pairs.append(PairByGroup(a, b, {g: len(d) for g, d in by_group.items()}, f1, mixed))
    return SuggestionEffect(per_annotator, pairs)
