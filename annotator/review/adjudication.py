"""Adjudication: a reviewer decides each disagreement among annotators, building a gold annotation set.

Rules (offsets are Unicode code points into the document's text, half-open ``[start, end)``):

1. The gold set starts as the spans every annotator has (the *agreed* keys of
   :func:`annotator.review.disagreements.find_disagreements`), each with the note ``from: alice, bob``; or, when a
   gold file exists already, as that file's spans (the reviewer carries on).
2. Each :class:`~annotator.review.disagreements.Disagreement` offers *candidates*: its distinct disputed span keys
   ``(start, end, label)``, each with the annotators who have it (its *provenance*), in saved order.
3. A decision is one undoable :class:`Decision` (a model :class:`~annotator.model.commands.Command`):

   - :meth:`Adjudication.accept`: the candidate goes into gold (note ``from: <its annotators>``);
   - :meth:`Adjudication.reject`: the candidate is left out of gold (taken out if it was in);
   - :meth:`Adjudication.take_version`: gold takes exactly one annotator's spans of the disagreement: the other
     candidates are taken out, that annotator's are put in (an annotator with none there means "nothing here");
   - :meth:`Adjudication.leave_out`: every candidate is left out.

   Each marks the disagreement *decided*. Undoing restores both the spans and the decided mark. A span taken
   out of gold takes the links touching it along (a gold file edited in the main window may have links), and
   twins (the same key under two ids) go out together.
4. A disagreement loaded from an existing gold file counts as decided when gold holds one of its candidates (a
   decision to leave every candidate out is not recorded in the file, so it shows as undecided again).

Gold spans only ever come from annotators' spans, so the text of each is the document's text over its offsets.
Relations and actor entities are not adjudicated (see :mod:`annotator.review.majority`): gold spans start grouped
into an entity only where every annotator grouped them alike (as ``annotator merge``'s majority does when all
agree, :func:`~annotator.review.value_majority.merge_entities`), and a person groups the others in the main window.

Values (:mod:`annotator.review.value_disagreements`):

5. A gold span starts with the attribute values all its annotators agree on (the others unset); a new gold starts
   with the document labels all annotators agree on.
6. :meth:`Adjudication.choose_value` decides a :class:`~annotator.review.value_disagreements.ValueDisagreement`:
   gold takes one annotator's value (an undoable :class:`ValueDecision`). A value disagreement loaded from an
   existing gold file counts as decided when gold's value is set and is one of the annotators' values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.attribute_commands import set_attribute_command, set_document_label_command
from annotator.model.commands import Command
from annotator.model.document import Document
from annotator.model.labels import LabelSet
from annotator.model.span import Span
from annotator.review.disagreements import Disagreement, SpanKey, find_disagreements, span_key, unique_keys
from annotator.review.majority import GOLD_ANNOTATOR
from annotator.review.units import DocumentAnnotations
from annotator.review.value_disagreements import (
    Value,
    ValueDisagreement,
    document_label_value,
    find_value_disagreements,
)
from annotator.review.value_majority import merge_entities

PROVENANCE_PREFIX = "from: "
"""Gold spans' notes start with this, then the annotators who had the span, comma-separated."""


def provenance_note(annotators: tuple[str, ...] | list[str]) -> str:
    """The note that records where a gold span came from: ``from: alice, bob``."""
    return PROVENANCE_PREFIX + ", ".join(annotators)


@dataclass(frozen=True)
class Candidate:
    """One span a reviewer can accept into gold or reject.

    Attributes
    ----------
    key: ``(start, end, label)`` (code points).
    span: the span as the first of its annotators (by name) saved it.
    annotators: who has it, sorted by name (its provenance).
    """

    key: SpanKey
    span: Span
    annotators: tuple[str, ...]

    def describe(self) -> str:
        """``label [start, end)``, in plain text."""
        return f"{self.span.label} [{self.span.start}, {self.span.end})"


class Decision(Command):
    """One reviewer decision: a change to the gold spans plus the disagreement it decides.

    ``redo``/``undo`` apply or revert the change and set or restore the disagreement's decided mark in
    ``adjudication``; both return the :class:`Change` made (possibly empty: rejecting a span not in gold).
    """

    def __init__(self, adjudication: Adjudication, index: int, change: Change, text: str) -> None:
        super().__init__(change, text)
        self._adjudication = adjudication
        self.index = index
        self._was_decided = index in adjudication.decided

    def redo(self, annotations: AnnotationSet) -> Change:
        change = super().redo(annotations)
        self._adjudication.track(change)
        self._adjudication.decided.add(self.index)
        return change

    def undo(self, annotations: AnnotationSet) -> Change:
        change = super().undo(annotations)
        self._adjudication.track(change)
        if not self._was_decided:
            self._adjudication.decided.discard(self.index)
        return change


def initial_gold(
    document: DocumentAnnotations,
    label_set: LabelSet,
    *,
    source: Document | None = None,
    document_id: str = "",
    metadata: Mapping[str, Any] | None = None,
) -> AnnotationSet:
    """A new gold annotation set (annotator ``gold``) holding the spans every annotator of ``document`` has, each
    noted ``from: <all annotators>``, ids ``s1``, ``s2``... in saved order, with the attribute values, document
    labels and entity groupings all annotators agree on.

    ``source`` is the document as the annotators' files name it (its file name and line endings); by default one
    built from ``document.text``. ``metadata`` is the document's metadata as the annotators' files hold it.

    Raises
    ------
    ValueError
        If ``document`` has fewer than two annotators, or ``source`` holds another text.
    """
    annotators = document.annotators
    if len(annotators) < 2:
        raise ValueError(f"adjudication needs at least two annotators; {document.document!r} has {len(annotators)}")
    if source is not None and source.text != document.text:
        raise ValueError(f"the document given for {document.document!r} holds another text")
    keyed = [unique_keys(document.spans[a]) for a in annotators]
    agreed = sorted(set.intersection(*(set(k) for k in keyed)))
    note = provenance_note(annotators)
    spans = [
        keyed[0][key].model_copy(
            update={
                "id": f"s{i}",
                "note": note,
                "uncertain": False,
                "entity": "",
                "attributes": agreed_attributes([k[key] for k in keyed]),
            }
        )
        for i, key in enumerate(agreed, 1)
    ]
    labels = [document.document_labels.get(a, {}) for a in annotators]
    document_labels = {
        name: value for name, value in labels[0].items() if all(other.get(name) == value for other in labels)
    }
    entities = merge_entities(document, spans, unanimous=True)
    spans = [span.model_copy(update={"entity": entities[span.id]}) if span.id in entities else span for span in spans]
    return AnnotationSet(
        source or Document.from_text(document.text),
        label_set,
        GOLD_ANNOTATOR,
        spans,
        document_id=document_id,
        metadata=metadata,
        document_labels=document_labels,
    )


def agreed_attributes(spans: list[Span]) -> dict[str, bool | str]:
    """The attribute values (as stored) that every one of ``spans`` has alike (rule 5)."""
    first, *others = spans
    return {
        name: value for name, value in first.attributes.items() if all(o.attributes.get(name) == value for o in others)
    }


class ValueDecision(Command):
    """One reviewer decision on value disagreement ``index``: gold's value set to one annotator's. ``redo``/``undo``
    apply or revert the change and set or restore the decided mark in ``adjudication``."""

    def __init__(self, adjudication: Adjudication, index: int, change: Change, text: str) -> None:
        super().__init__(change, text)
        self._adjudication = adjudication
        self.index = index
        self._was_decided = index in adjudication.values_decided

    def redo(self, annotations: AnnotationSet) -> Change:
        change = super().redo(annotations)
        self._adjudication.track(change)
        self._adjudication.values_decided.add(self.index)
        return change

    def undo(self, annotations: AnnotationSet) -> Change:
        change = super().undo(annotations)
        self._adjudication.track(change)
        if not self._was_decided:
            self._adjudication.values_decided.discard(self.index)
        return change


class Adjudication:
    """The reviewer's work on one document: the annotators' disagreements and the gold set being built.

    Parameters
    ----------
    document: every annotator's spans (two or more annotators; an annotator named ``gold`` is not one of them:
        pass only the annotators to compare).
    gold: the gold annotation set to build (from :func:`initial_gold` or a loaded gold file), over the same text.

    Attributes
    ----------
    disagreements: as :func:`~annotator.review.disagreements.find_disagreements` gives them (fixed: they describe
        the annotators, whom adjudication does not change).
    decided: indices into :attr:`disagreements` that the reviewer has decided (see the module docstring, rule 4).
    value_disagreements: the attribute and document-label disagreements
        (:func:`~annotator.review.value_disagreements.find_value_disagreements`).
    values_decided: indices into :attr:`value_disagreements` decided (rule 6).

    Raises
    ------
    ValueError
        If there are fewer than two annotators or ``gold`` annotates another text.
    """

    def __init__(self, document: DocumentAnnotations, gold: AnnotationSet) -> None:
        if gold.text != document.text:
            raise ValueError(f"the gold set of {document.document!r} annotates another text")
        self.document = document
        self.gold = gold
        self.annotators = document.annotators
        self.disagreements: list[Disagreement] = find_disagreements(document)
        self._gold_keys: dict[SpanKey, dict[str, Span]] = {}
        self.track(Change(added=tuple(gold)))
        self._keyed = {a: unique_keys(document.spans[a]) for a in self.annotators}
        self._candidates = [self._candidates_of(d) for d in self.disagreements]
        self.decided: set[int] = {
            i for i, candidates in enumerate(self._candidates) if any(self.in_gold(c) for c in candidates)
        }
        self.value_disagreements: list[ValueDisagreement] = find_value_disagreements(document)
        self.values_decided: set[int] = {
            i
            for i, item in enumerate(self.value_disagreements)
            if self.gold_value(i) not in (None, ()) and self.gold_value(i) in item.values.values()
        }

    # -- reading ----------------------------------------------------------------------------------------------
    def candidates(self, index: int) -> list[Candidate]:
        """The candidates of disagreement ``index``, in saved order ``(start, end, label)``."""
        return list(self._candidates[index])

    def in_gold(self, candidate: Candidate) -> Span | None:
        """The gold span with ``candidate``'s offsets and label (the first by id when gold has twins), or ``None``.
        Cost: O(1)."""
        held = self._gold_keys.get(candidate.key)
        return held[min(held)] if held else None

    def track(self, change: Change) -> None:
        """Keep the index of gold spans by key up to date after ``change`` was applied to :attr:`gold` (every
        :class:`Decision` calls this; call it after changing gold any other way)."""
        for span in change.removed:
            held = self._gold_keys.get(span_key(span))
            if held is not None:
                held.pop(span.id, None)
                if not held:
                    del self._gold_keys[span_key(span)]
        for old, new in change.changed:
            self.track(Change(removed=(old,), added=(new,)))
        for span in change.added:
            self._gold_keys.setdefault(span_key(span), {})[span.id] = span

    def gold_spans_in(self, index: int) -> list[Span]:
        """The gold spans overlapping disagreement ``index``'s extent, in saved order (what gold has there now)."""
        item = self.disagreements[index]
        return [s for s in self.gold.sorted_spans() if s.start < item.end and item.start < s.end]

    def is_decided(self, index: int) -> bool:
        """Whether the reviewer has decided disagreement ``index``."""
        return index in self.decided

    @property
    def undecided(self) -> list[int]:
        """Indices of the disagreements not decided yet, in order."""
        return [i for i in range(len(self.disagreements)) if i not in self.decided]

    def next_undecided(self, index: int | None) -> int | None:
        """The first undecided disagreement after ``index`` (from the start when ``None``), wrapping around;
        ``None`` when every one is decided."""
        order = self.undecided
        if not order:
            return None
        return next((i for i in order if index is None or i > index), order[0])

    def gold_value(self, index: int) -> Value:
        """Gold's value of value disagreement ``index`` (as :data:`Value`), ``None`` also when its span is not in
        gold."""
        item = self.value_disagreements[index]
        if item.key is None:
            return document_label_value(self.gold.document_labels, item.name, self.gold.label_set)
        held = self._held(item.key)
        if not held:
            return None
        attribute = self.gold.label_set.attribute(item.name)
        return held[0].attributes.get(item.name, attribute.default_value() if attribute is not None else None)

    def next_undecided_value(self, index: int | None) -> int | None:
        """The first undecided value disagreement after ``index`` (from the start when ``None``), wrapping around;
        ``None`` when every one is decided."""
        order = [i for i in range(len(self.value_disagreements)) if i not in self.values_decided]
        if not order:
            return None
        return next((i for i in order if index is None or i > index), order[0])

    def choose_value(self, index: int, annotator: str) -> ValueDecision:
        """Gold takes ``annotator``'s value of value disagreement ``index`` (rule 6).

        Raises
        ------
        ValueError
            If ``annotator`` is not one of the annotators compared, or the span is no longer in gold.
        """
        item = self.value_disagreements[index]
        if annotator not in item.values:
            raise ValueError(f"{annotator!r} is not one of the annotators reviewed ({', '.join(self.annotators)})")
        value = item.values[annotator]
        text = f"Take {annotator}'s {item.name}"
        if item.key is None:
            labels = list(value) if isinstance(value, tuple) else value if isinstance(value, str) else None
            command = set_document_label_command(self.gold, item.name, labels)
        else:
            held = self._held(item.key)
            if not held:
                raise ValueError(f"{item.where()} is not in gold: accept the span first")
            single = value if not isinstance(value, tuple) else None
            command = set_attribute_command(self.gold, held[0].id, item.name, single)
        return ValueDecision(self, index, command.change if command is not None else Change(), text)

    # -- deciding ---------------------------------------------------------------------------------------------
    def accept(self, index: int, candidate: Candidate) -> Decision:
        """Put ``candidate`` into gold (if it is not there) and mark disagreement ``index`` decided.

        Raises
        ------
        ValueError
            If ``candidate`` is not one of disagreement ``index``'s.
        """
        self._check(index, candidate)
        added = () if self.in_gold(candidate) else (self._new_gold_span(candidate, self._taken_ids()),)
        return Decision(self, index, Change(added=added), f"Accept {candidate.describe()}")

    def reject(self, index: int, candidate: Candidate) -> Decision:
        """Leave ``candidate`` out of gold (taking it out if it is there) and mark disagreement ``index`` decided.

        Raises
        ------
        ValueError
            If ``candidate`` is not one of disagreement ``index``'s.
        """
        self._check(index, candidate)
        return Decision(self, index, self._removal(self._held(candidate.key)), f"Reject {candidate.describe()}")

    def take_version(self, index: int, annotator: str) -> Decision:
        """Make gold hold exactly ``annotator``'s spans of disagreement ``index`` among its candidates (the others
        taken out, the missing ones added) and mark it decided.

        Raises
        ------
        ValueError
            If ``annotator`` is not one of the annotators compared.
        """
        if annotator not in self._keyed:
            raise ValueError(f"{annotator!r} is not one of the annotators reviewed ({', '.join(self.annotators)})")
        chosen = {span_key(s) for s in self.disagreements[index].spans[annotator]}
        return self._set_gold(index, chosen, f"Take {annotator}'s version")

    def leave_out(self, index: int) -> Decision:
        """Take every candidate of disagreement ``index`` out of gold and mark it decided."""
        return self._set_gold(index, set(), "Leave out every span")

    # -- inside -----------------------------------------------------------------------------------------------
    def _candidates_of(self, item: Disagreement) -> tuple[Candidate, ...]:
        keys = sorted({span_key(s) for spans in item.spans.values() for s in spans})
        found = []
        for key in keys:
            holders = tuple(a for a in self.annotators if key in self._keyed[a])
            found.append(Candidate(key, self._keyed[holders[0]][key], holders))
        return tuple(found)

    def _check(self, index: int, candidate: Candidate) -> None:
        if candidate not in self._candidates[index]:
            raise ValueError(f"{candidate.describe()} is not a candidate of disagreement {index}")

    def _set_gold(self, index: int, chosen: set[SpanKey], text: str) -> Decision:
        removed, added = [], []
        taken = self._taken_ids()
        for candidate in self._candidates[index]:
            if candidate.key in chosen and self.in_gold(candidate) is None:
                span = self._new_gold_span(candidate, taken)
                taken.add(span.id)
                added.append(span)
            elif candidate.key not in chosen:
                removed.extend(self._held(candidate.key))
        removal = self._removal(removed)
        return Decision(
            self,
            index,
            Change(added=tuple(added), removed=removal.removed, relations_removed=removal.relations_removed),
            text,
        )

    def _held(self, key: SpanKey) -> list[Span]:
        """Every gold span with this key (twins included), by id."""
        held = self._gold_keys.get(key, {})
        return [held[span_id] for span_id in sorted(held)]

    def _removal(self, spans: list[Span]) -> Change:
        """Taking ``spans`` out of gold, with the links that touch them (a link never points at a missing span)."""
        relations = self.gold.relations_touching(s.id for s in spans) if spans else []
        return Change(removed=tuple(spans), relations_removed=tuple(relations))

    def _taken_ids(self) -> set[str]:
        """Ids a new gold span must not take: every gold span's, and every id a link names."""
        taken = {s.id for s in self.gold}
        for relation in self.gold.relations():
            taken.update((relation.from_, relation.to))
        return taken

    def _new_gold_span(self, candidate: Candidate, taken: set[str]) -> Span:
        """A gold span for ``candidate`` with an id unused in gold and in ``taken`` (ids ``s1``, ``s2``...)."""
        number = len(taken) + 1
        while f"s{number}" in taken:
            number += 1
        start, end, label = candidate.key
        return Span(
            id=f"s{number}",
            start=start,
            end=end,
            label=label,
            text=self.document.text[start:end],
            note=provenance_note(candidate.annotators),
            attributes=agreed_attributes([self._keyed[a][candidate.key] for a in candidate.annotators]),
        )
