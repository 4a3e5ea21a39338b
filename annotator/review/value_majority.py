"""Majority votes on what gold spans and the gold document carry besides offsets and labels: attribute values,
document labels and actor entities.

Rules (used by :func:`annotator.review.majority.majority_merge`):

1. **Attributes.** Each gold span's attribute values are voted on by the annotators who have that span (same
   offsets and label; their first span of the key). An annotator's vote is the span's value, its default when it
   stores none; an unset enum is a vote for *unset*. A value held by more than half of them goes into gold (unset
   or the default: nothing is stored). Otherwise (a tie, or no value with more than half) the attribute is left
   unset in gold and listed as a :class:`ValueTie`; nothing is broken silently.
2. **Document labels.** Every annotator of the document votes (a label not chosen is a vote for *unset*). A
   single-valued label takes the value more than half chose; a ``multiple`` one takes each value more than half
   chose and leaves out each value more than half did not choose; a value chosen by exactly half is a tie, left
   out and listed.
3. **Entities** (same actor). Two gold spans are grouped when more than half of the document's annotators have
   both and put them in one entity; groups are the connected components of those pairs (so a chain A-B, B-C joins
   A, B and C even when no majority grouped A with C). Gold entities are numbered ``e1``, ``e2``... in the order of
   their first mention; a span in no group has no entity. Entity groupings without a majority are not listed.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotator.model.labels import LabelSet
from annotator.model.span import Span
from annotator.review.disagreements import span_key, unique_keys
from annotator.review.units import DocumentAnnotations, DocumentLabelValues

Vote = bool | str | None
"""One annotator's value: a stored or default value, ``None`` for unset."""


def shown_value(value: Vote) -> str:
    """A vote in plain text: ``true``/``false``, the value, or ``(unset)``."""
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


@dataclass(frozen=True)
class ValueTie:
    """An attribute of a gold span or a document label (or one value of a ``multiple`` one) with no majority.

    Attributes
    ----------
    where: the gold span as ``label [start, end) 'text'``, or ``"document"``.
    name: the attribute or document label (``"topic: economy"`` for one value of a ``multiple`` label).
    votes: each value given with its annotators (sorted), values in order of first vote.
    voters: how many annotators voted.
    """

    where: str
    name: str
    votes: tuple[tuple[str, tuple[str, ...]], ...]
    voters: int

    def description(self) -> str:
        """One plain-text line, e.g. ``actor [12, 20) 'Price': kind: person (alice) vs organisation (bob); no
        majority of 2 annotators, left unset in gold``."""
        votes = " vs ".join(f"{value} ({', '.join(who)})" for value, who in self.votes)
        return f"{self.where}: {self.name}: {votes}; no majority of {self.voters} annotators, left unset in gold"


def majority(votes: Mapping[str, Vote]) -> tuple[bool, Vote]:
    """``(True, value)`` for the value more than half of ``votes`` (annotator -> value) hold, else ``(False,
    None)``."""
    counts: dict[Vote, int] = {}
    for value in votes.values():
        counts[value] = counts.get(value, 0) + 1
    for value, count in counts.items():
        if 2 * count > len(votes):
            return True, value
    return False, None


def _tie(where: str, name: str, votes: Mapping[str, Vote]) -> ValueTie:
    grouped: dict[str, list[str]] = {}
    for annotator in sorted(votes):
        grouped.setdefault(shown_value(votes[annotator]), []).append(annotator)
    return ValueTie(where, name, tuple((value, tuple(who)) for value, who in grouped.items()), len(votes))


def merge_attributes(
    spans: Mapping[str, Span], label_set: LabelSet | None, where: str
) -> tuple[dict[str, bool | str], list[ValueTie]]:
    """The attribute values of one gold span voted by ``spans`` (annotator -> that annotator's span of the key),
    rule 1; ``where`` names the span in ties. Attributes are the label set's for the span's label, and any other
    name a span stores (its missing value then counts as unset)."""
    label = next(iter(spans.values())).label
    known = {a.name: a for a in label_set.attributes_for(label)} if label_set is not None else {}
    names = list(known) + sorted({n for span in spans.values() for n in span.attributes} - known.keys())
    merged: dict[str, bool | str] = {}
    ties = []
    for name in names:
        attribute = known.get(name)
        default = attribute.default_value() if attribute is not None else None
        votes = {annotator: span.attributes.get(name, default) for annotator, span in spans.items()}
        decided, value = majority(votes)
        if not decided:
            ties.append(_tie(where, name, votes))
        elif value is not None and value != default:
            merged[name] = value
    return merged, ties


def merge_document_labels(
    document: DocumentAnnotations, label_set: LabelSet | None
) -> tuple[dict[str, str | list[str]], list[ValueTie]]:
    """The gold document labels voted by every annotator of ``document`` (rule 2), and the ties."""
    annotators = document.annotators
    chosen: dict[str, DocumentLabelValues] = {a: document.document_labels.get(a, {}) for a in annotators}
    defined = {d.name: d for d in label_set.document_labels} if label_set is not None else {}
    used = {name for labels in chosen.values() for name in labels}
    merged: dict[str, str | list[str]] = {}
    ties = []
    for name in [*defined, *sorted(used - defined.keys())]:
        label = defined.get(name)
        multiple = label.multiple if label is not None else any(isinstance(c.get(name), list) for c in chosen.values())
        if not multiple:
            votes: dict[str, Vote] = {a: _single(chosen[a].get(name)) for a in annotators}
            decided, value = majority(votes)
            if not decided:
                ties.append(_tie("document", name, votes))
            elif isinstance(value, str):
                merged[name] = value
            continue
        values = list(label.values) if label is not None else []
        values += sorted({v for c in chosen.values() for v in _many(c.get(name))} - set(values))
        kept = []
        for value in values:
            yes = {a: value in _many(chosen[a].get(name)) for a in annotators}
            if 2 * sum(yes.values()) > len(annotators):
                kept.append(value)
            elif 2 * sum(yes.values()) == len(annotators):
                ties.append(_tie("document", f"{name}: {value}", {a: "yes" if y else "no" for a, y in yes.items()}))
        if kept:
            merged[name] = kept
    return merged, ties


def _single(value: object) -> Vote:
    return value if isinstance(value, str) and value else None


def _many(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def merge_entities(document: DocumentAnnotations, gold: Sequence[Span], *, unanimous: bool = False) -> dict[str, str]:
    """Gold span id -> entity id (``e1``...) by rule 3; spans in no group are left out. ``unanimous``: a pair needs
    every annotator of the document instead of more than half (a review's new gold, which starts with what all
    agree on)."""
    by_key = {span_key(span): span.id for span in gold}
    together: dict[tuple[str, str], int] = {}
    for annotator in document.annotators:
        groups: dict[str, list[str]] = {}
        for key, span in unique_keys(document.spans[annotator]).items():
            if span.entity and key in by_key:
                groups.setdefault(span.entity, []).append(by_key[key])
        for members in groups.values():
            for pair in itertools.combinations(sorted(set(members)), 2):
                together[pair] = together.get(pair, 0) + 1
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        while parent.get(item, item) != item:
            item = parent[item]
        return item

    for (a, b), count in together.items():
        if (count == len(document.annotators)) if unanimous else (2 * count > len(document.annotators)):
            parent[root(b)] = root(a)
    linked = set(parent) | set(parent.values())
    grouped = [span.id for span in gold if span.id in linked]
    entities: dict[str, str] = {}
    numbers: dict[str, str] = {}
    for span_id in grouped:
        top = root(span_id)
        numbers.setdefault(top, f"e{len(numbers) + 1}")
        entities[span_id] = numbers[top]
    return entities
