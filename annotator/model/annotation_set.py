"""The annotation set: one annotator's spans over one document, with the label set they use.

All changes go through :mod:`annotator.model.commands`, which call the mutators here and report a
:class:`Change` so that views redraw only what changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter, is_not
from types import MappingProxyType
from typing import Any, Literal

from annotator.model.document import Document
from annotator.model.labels import LabelSet
from annotator.model.orphan import OrphanedSpan
from annotator.model.pending import PendingSuggestion, RejectedSuggestion
from annotator.model.relation import Relation
from annotator.model.span import Span
from annotator.model.status import DocumentStatus

#: A document's labels: document label name -> its value (a string), or its values (a list) for a ``multiple`` one.
DocumentLabels = dict[str, str | list[str]]


@dataclass(frozen=True)
class Change:
    """What one change did, so views redraw only that.

    Attributes
    ----------
    added, removed: spans added and removed.
    changed: ``(old, new)`` pairs of spans replaced (same id; label, offsets, note or flag differ).
    relations_added, relations_removed: relations added and removed.
    label_set: ``(old, new)`` when the label set itself changed (renamed, merged or added labels), else ``None``.
    status: ``(old, new)`` when the document's status changed (marked done or flagged), else ``None``.
    suggestions_added, suggestions_removed: pending suggestions added and removed (accepting or rejecting one
        removes it; undoing that adds it back).
    rejected_added, rejected_removed: rejected suggestions remembered and forgotten.
    document_labels: ``(old, new)`` when the document labels changed (both whole
        :attr:`AnnotationSet.document_labels` dicts), else ``None``. Attribute and entity changes of spans and
        relations are ``changed`` spans and removed-and-added relations (same id).
    """

    added: tuple[Span, ...] = ()
    removed: tuple[Span, ...] = ()
    changed: tuple[tuple[Span, Span], ...] = field(default=())
    relations_added: tuple[Relation, ...] = ()
    relations_removed: tuple[Relation, ...] = ()
    label_set: tuple[LabelSet, LabelSet] | None = None
    status: tuple[DocumentStatus, DocumentStatus] | None = None
    suggestions_added: tuple[PendingSuggestion, ...] = ()
    suggestions_removed: tuple[PendingSuggestion, ...] = ()
    rejected_added: tuple[RejectedSuggestion, ...] = ()
    rejected_removed: tuple[RejectedSuggestion, ...] = ()
    document_labels: tuple[DocumentLabels, DocumentLabels] | None = None

    def inverse(self) -> Change:
        """The change that undoes this one."""
        return Change(
            added=self.removed,
            removed=self.added,
            changed=tuple((n, o) for o, n in self.changed),
            relations_added=self.relations_removed,
            relations_removed=self.relations_added,
            label_set=(self.label_set[1], self.label_set[0]) if self.label_set else None,
            status=(self.status[1], self.status[0]) if self.status else None,
            suggestions_added=self.suggestions_removed,
            suggestions_removed=self.suggestions_added,
            rejected_added=self.rejected_removed,
            rejected_removed=self.rejected_added,
            document_labels=(self.document_labels[1], self.document_labels[0]) if self.document_labels else None,
        )

    @property
    def span_ids(self) -> set[str]:
        """Ids of every span added, removed or changed."""
        return {s.id for s in (*self.added, *self.removed)} | {new.id for _old, new in self.changed}


_ID = attrgetter("id")
_LABEL = attrgetter("label")
_SAVED_ORDER = attrgetter("start", "end", "label", "id")
_START = attrgetter("start")

KEY_STEP = 20_000
"""Spans put in the index by start per step of its build (1M spans' build in a worker, gc paused, on 2 busy cores:
50 steps, the longest 55 ms; Python's GIL is passed between steps)."""

#: The index for edits: each start (code points) that spans have -> its span, or its spans (a list, two or more, in
#: the order they came into the set) when several share it.
StartIndex = dict[int, Span | list[Span]]


def span_faults(span: Span | PendingSuggestion, text: str, label_set: LabelSet | None = None) -> list[str]:
    """Reasons why ``span`` (or a pending suggestion) does not fit ``text`` (and ``label_set``, when given); empty when
    it fits.

    Checks ``0 <= start < end <= len(text)`` (code points), ``text[start:end] == span.text`` and that the label
    belongs to the label set; for a span, also its attributes (:func:`attribute_faults`). Entities are checked
    across spans by :func:`entity_faults`.
    """
    faults = []
    if span.end > len(text):
        faults.append(f"end {span.end} is beyond the text's length ({len(text)} code points)")
    elif text[span.start : span.end] != span.text:
        faults.append(
            f"text {span.text!r} does not match the document at [{span.start}, {span.end}): "
            f"{text[span.start : span.end]!r}"
        )
    if label_set is not None and label_set.get(span.label) is None:
        faults.append(f"label {span.label!r} is not in the label set ({', '.join(label_set.names)})")
    if label_set is not None and isinstance(span, Span) and span.attributes:
        faults.extend(attribute_faults(span.attributes, span.label, label_set))
    return faults


def attribute_faults(
    attributes: Mapping[str, object], owner: str, label_set: LabelSet, on: Literal["span", "relation"] = "span"
) -> list[str]:
    """Reasons why ``attributes`` (name -> value) cannot be carried by a span labeled ``owner`` (or, with ``on``
    ``"relation"``, a relation of type ``owner``) under ``label_set``; empty when they can.

    Messages: ``attribute 'x' is not in the label set``, ``attribute 'quote' is not allowed on actor spans (only on
    claim, warning, denial)``, ``attribute 'quote': 'loud' is not one of its values (direct, indirect, mixed)``.
    """
    faults = []
    noun = "spans" if on == "span" else "links"
    for name, value in attributes.items():
        attribute = label_set.attribute(name, on)
        if attribute is None:
            known = ", ".join(a.name for a in label_set.attributes if a.on == on) or "none"
            faults.append(f"attribute {name!r} is not in the label set's {on} attributes ({known})")
        elif not attribute.applies_to(owner):
            faults.append(
                f"attribute {name!r} is not allowed on {owner} {noun} (only on {', '.join(attribute.labels)})"
            )
        elif attribute.value_fault(value):
            faults.append(f"attribute {name!r}: {attribute.value_fault(value)}")
    return faults


def entity_faults(spans: Iterable[Span]) -> list[str]:
    """Reasons why the entities of ``spans`` do not hold together; empty when they do.

    All mentions of one entity must carry the same label (an entity groups mentions of one actor: in the default
    label set, actor spans). Message: ``entity 'e1' groups spans of different labels: s1, s4 (actor), s7 (claim)``.
    An entity of a single mention is allowed (the commands never leave one, but a file may hold it).
    """
    labels: dict[str, dict[str, list[str]]] = {}
    for span in spans:
        if span.entity:
            labels.setdefault(span.entity, {}).setdefault(span.label, []).append(span.id)
    return [
        f"entity {entity!r} groups spans of different labels: "
        + "; ".join(f"{', '.join(ids)} ({label})" for label, ids in by_label.items())
        for entity, by_label in labels.items()
        if len(by_label) > 1
    ]


def document_label_faults(document_labels: Mapping[str, object], label_set: LabelSet) -> list[str]:
    """Reasons why ``document_labels`` (name -> value, a list of values for a ``multiple`` label) do not fit
    ``label_set``'s document labels; empty when they fit. Messages: ``document label 'topic' is not in the label set
    (relevance)``, ``document label 'relevance': 'maybe' is not one of its values (relevant, not relevant)``."""
    faults = []
    for name, value in document_labels.items():
        defined = label_set.document_label(name)
        if defined is None:
            known = ", ".join(d.name for d in label_set.document_labels) or "none"
            faults.append(f"document label {name!r} is not in the label set ({known})")
        elif defined.value_fault(value):
            faults.append(f"document label {name!r}: {defined.value_fault(value)}")
    return faults


def _a(noun: str) -> str:
    """``noun`` with its indefinite article ("an actor", "a claim")."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def relation_faults(relation: Relation, spans: dict[str, Span], label_set: LabelSet) -> list[str]:
    """Reasons why ``relation`` does not fit the spans (by id) and the label set's relation types; empty when it fits.

    Checks that both ends exist, that the type is one of the label set's relation types, that the ends' labels
    are allowed for that type (``from_labels`` / ``to_labels``; empty means any label), and the relation's
    attributes (:func:`attribute_faults` with ``on="relation"``).
    """
    faults = [
        f"{end} span {span_id!r} does not exist"
        for end, span_id in zip(("from", "to"), relation.ends, strict=True)
        if span_id not in spans
    ]
    relation_type = label_set.relation_type(relation.type)
    if relation_type is None:
        names = ", ".join(t.name for t in label_set.relation_types) or "none"
        faults.append(f"type {relation.type!r} is not a relation type of the label set ({names})")
    elif not faults:
        source, target = spans[relation.from_], spans[relation.to]
        if relation_type.from_labels and source.label not in relation_type.from_labels:
            faults.append(
                f"a {relation.type} link must start at {_a(' or '.join(relation_type.from_labels))} span, "
                f"not {source.label} span {source.id!r}"
            )
        if relation_type.to_labels and target.label not in relation_type.to_labels:
            faults.append(
                f"a {relation.type} link must end at {_a(' or '.join(relation_type.to_labels))} span, "
                f"not {target.label} span {target.id!r}"
            )
    if relation.attributes:
        faults.extend(attribute_faults(relation.attributes, relation.type, label_set, "relation"))
    return faults


def trim_whitespace(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` (code points) without leading and trailing whitespace (``str.isspace``: NBSP, tabs, line
    breaks, U+2028...), or ``None`` when nothing but whitespace is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


class AnnotationSet:
    """Spans and relations of one annotator over one document.

    Parameters
    ----------
    document: the document annotated.
    label_set: the labels spans may carry and the relation types links may have.
    annotator: the annotator's name (plain text).
    spans: initial spans; their ids must be unique (``ValueError`` otherwise). A dict of spans by their ids is taken
        as it is, not copied (a file's reader builds one anyway).
    relations: initial relations between those spans; unique ids (``ValueError`` otherwise).
    document_id: the document's stable id in a project (its path relative to the project folder, ``/``-separated),
        or ``""`` outside projects.
    status: the annotator's status for the document (never ``NOT_STARTED`` once there is a file; see
        :class:`~annotator.model.status.DocumentStatus`).
    orphans: spans that could not be placed after the text changed (kept, never dropped).
    metadata: the document's metadata as an imported file gave it (doccano's extra keys, Label Studio's ``data``
        fields other than the text): a JSON object, kept as it is and written back on export; ``{}`` for none.
        Nothing in the app changes it, and every set rebuilt from this one (re-anchoring, merging) carries it.
    suggestions: pending suggestions (not spans), unique ids distinct from span ids (``ValueError`` otherwise).
    rejected: suggestions the analyst rejected (never offered again).
    suggestions_shown: whether suggestions were shown while the document was annotated.
    active_seconds: the active annotation time in seconds (idle time left out), which the app adds to.
    document_labels: the document's labels (name -> value, a list of values for a ``multiple`` document label of the
        label set); ``{}`` for none. Checked by :func:`document_label_faults` where files are read, not here.

    Spans and relations are kept by id; :meth:`sorted_spans` gives the saved order ``(start, end, label, id)``.
    """

    def __init__(
        self,
        document: Document,
        label_set: LabelSet,
        annotator: str,
        spans: Iterable[Span] | dict[str, Span] = (),
        relations: Iterable[Relation] = (),
        *,
        document_id: str = "",
        status: DocumentStatus = DocumentStatus.IN_PROGRESS,
        orphans: Iterable[OrphanedSpan] = (),
        metadata: Mapping[str, Any] | None = None,
        suggestions: Iterable[PendingSuggestion] = (),
        rejected: Iterable[RejectedSuggestion] = (),
        suggestions_shown: bool = False,
        active_seconds: float = 0.0,
        document_labels: Mapping[str, str | list[str]] | None = None,
        label_counts: Counter[str] | None = None,
    ) -> None:
        self.document = document
        self.label_set = label_set
        self.annotator = annotator
        self.document_id = document_id
        self.status = DocumentStatus(status)
        self.orphans: list[OrphanedSpan] = list(orphans)
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.suggestions_shown = suggestions_shown
        self.active_seconds = active_seconds
        self.document_labels: DocumentLabels = {
            k: list(v) if isinstance(v, list) else v for k, v in (document_labels or {}).items()
        }
        self._suggestions: dict[str, PendingSuggestion] = {}
        self._sorted_suggestions: list[PendingSuggestion] | None = None  # suggestions() until one comes or goes
        self._rejected: dict[tuple[int, int, str, str], RejectedSuggestion] = {}
        self._spans: dict[str, Span] = {}
        # kept in step by insert/delete/replace, so counting and finding never scan every span (10k: ~10 ms each);
        # the index by start is built when first needed (a file's 1M spans: 0.1 s and 50 MB that loading need not pay)
        self._label_counts: Counter[str] = Counter()
        self._keys: StartIndex | None = None
        self._relations: dict[str, Relation] = {}
        self._next_id = 1
        self._taken_ids: tuple[int, int] | None = None  # (a, b): ids s<a>... s<b - 1> all taken (see prepare_edits)
        self._next_relation_id = 1
        # in bulk, not through insert(): a file's 100k spans in 0.05 s instead of 0.5 s
        if isinstance(spans, dict):
            self._spans = spans
            spans = list(spans.values())
        else:
            spans = list(spans)
            self._spans = dict(zip(map(_ID, spans), spans, strict=True))
        if len(self._spans) != len(spans):
            twice = next(span_id for span_id, count in Counter(s.id for s in spans).items() if count > 1)
            raise ValueError(f"duplicate span id {twice!r}")
        # new span ids are counted on from after as many as the set holds, not from 1: a file's spans s1... sN then
        # give s<N + 1> at the first look, where a search from s1 looked up all N (1M spans: 0.4-0.5 s of the huge
        # open's worker; 100k: 25-45 ms), and an id freed below N + 1 before the file was saved is not handed out
        # again
        self._next_id = len(spans) + 1
        if label_counts is not None:  # counted by the caller (a load in steps: 1M spans, 0.2 s in one call)
            self._label_counts = label_counts
        else:
            self._label_counts.update(map(_LABEL, spans))
        for relation in relations:
            self.insert_relation(relation)
        for suggestion in suggestions:
            self.insert_suggestion(suggestion)
        for rejection in rejected:
            self.insert_rejected(rejection)

    def copy(self) -> AnnotationSet:
        """A copy that changes on its own (what is applied to one, the other does not see): its own containers, the
        same spans, relations, suggestions and orphans (frozen models, so shared), made without reading a span (1M
        spans: a dict copy, some milliseconds, where parsing the file again took seconds). The next free ids go on
        from where this set's are; the index by start is built again when first needed."""
        twin = AnnotationSet(
            self.document,
            self.label_set,
            self.annotator,
            self._spans.copy(),
            self._relations.values(),
            document_id=self.document_id,
            status=self.status,
            orphans=self.orphans,
            metadata=self.metadata,
            suggestions=self._suggestions.values(),
            rejected=self._rejected.values(),
            suggestions_shown=self.suggestions_shown,
            active_seconds=self.active_seconds,
            document_labels=self.document_labels,
            label_counts=self._label_counts.copy(),
        )
        twin._next_id, twin._next_relation_id = self._next_id, self._next_relation_id
        return twin

    # -- reading --------------------------------------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The document's exact text."""
        return self.document.text

    def __len__(self) -> int:
        return len(self._spans)

    def __iter__(self) -> Iterator[Span]:
        return iter(self._spans.values())

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._spans

    def get(self, span_id: str) -> Span:
        """The span with id ``span_id`` (``KeyError`` if none)."""
        return self._spans[span_id]

    @property
    def spans_by_id(self) -> MappingProxyType[str, Span]:
        """Spans by id, in the order they were added or loaded (a read-only view; ``.copy()`` copies it in one
        C call, without reading a span)."""
        return MappingProxyType(self._spans)

    def sorted_spans(self) -> list[Span]:
        """Spans sorted by ``(start, end, label, id)``."""
        return sorted(self._spans.values(), key=_SAVED_ORDER)

    def spans_at(self, cp: int) -> list[Span]:
        """Spans covering code point ``cp`` (``start <= cp < end``), shortest first."""
        hits = [s for s in self._spans.values() if s.start <= cp < s.end]
        return sorted(hits, key=lambda s: (s.end - s.start, s.start, s.label, s.id))

    def counts_by_label(self) -> dict[str, int]:
        """Number of spans per label, for every label of the label set (and any other label present)."""
        counts = dict.fromkeys(self.label_set.names, 0)
        for label, count in self._label_counts.items():
            if count:
                counts[label] = counts.get(label, 0) + count
        return counts

    @property
    def _by_key(self) -> StartIndex:
        """The index :meth:`find` looks spans up in (:data:`StartIndex`: spans by start), built when first needed (or
        ahead, by :meth:`prepare_edits`) and then kept in step by the mutators.

        One dict entry per distinct start and no object of its own per span (the start is the span's own int): 5 MB
        at 100k spans, where a ``(start, end, label)`` tuple and a one-entry dict per span took 29 MB; the spans
        sharing a start are few (nested spans), so finding one among them stays a short scan."""
        if self._keys is None:
            self._keys = self._built_keys()
        return self._keys

    def starts(self) -> list[int]:
        """The spans' starts (code points) in the set's order (``[span.start for span in self]``: the spans' own int
        objects), read :data:`KEY_STEP` spans a call in C. Reading an attribute of each of 1M spans costs about 0.12 s
        (a few cache misses a span): the huge open's worker reads the starts once for its three indexes
        (:meth:`prepare_edits`, the spans-per-line index, the span list's rows)."""
        spans = list(self._spans.values())
        starts: list[int] = []
        for first in range(0, len(spans), KEY_STEP):
            starts.extend(map(_START, spans[first : first + KEY_STEP]))
        return starts

    def _built_keys(
        self, step: Callable[[int, int], None] | None = None, starts: list[int] | None = None
    ) -> StartIndex:
        """The index of :attr:`_by_key`, built :data:`KEY_STEP` spans a step (``step(done, total)`` before each),
        each step in C; ``starts``: :meth:`starts`, when already read."""
        spans = list(self._spans.values())
        if starts is None:
            starts = self.starts()
        elif len(starts) != len(spans):
            raise ValueError(f"{len(starts)} starts for {len(spans)} spans")
        keys: StartIndex = {}
        for first in range(0, len(spans), KEY_STEP):
            if step is not None:
                step(first, len(spans))
            chunk = spans[first : first + KEY_STEP]
            keys.update(zip(starts[first : first + KEY_STEP], chunk, strict=True))
        if len(keys) != len(spans):  # starts shared: the dict kept the last span of each, the others go before it
            get = keys.__getitem__
            shared: dict[int, list[Span]] = {}
            for first in range(0, len(spans), KEY_STEP):
                chunk = spans[first : first + KEY_STEP]
                for span in compress(chunk, map(is_not, map(get, starts[first : first + KEY_STEP]), chunk)):
                    shared.setdefault(span.start, []).append(span)
            for start, group in shared.items():
                group.append(get(start))  # type: ignore[arg-type]  # the last: a span, not yet a list
                keys[start] = group
        return keys

    def prepare_edits(self, step: Callable[[int, int], None] | None = None, starts: list[int] | None = None) -> None:
        """Build now what the first edit would otherwise build: the index by start (:attr:`_by_key`; 1M spans: 0.1 s, gc
        paused) and the run of ids taken from the next span id on (kept until one of them is removed; a file's spans
        ``s1``... ``sN`` take none of it: new ids are counted on from ``N + 1``). For the app's huge open, which calls
        it in its worker thread so that the GUI thread's first edit is fast; everything else builds both when first
        needed. The result is exactly what the first use would build. ``step(done, total)`` (in spans) is called before
        each step of :data:`KEY_STEP` spans; no step holds Python's GIL long (a loop of Python code: the GIL is passed
        every few ms). ``starts``: :meth:`starts`, when already read.

        Raises
        ------
        ValueError
            If ``starts`` is not one start per span.
        """
        if self._keys is None:
            self._keys = self._built_keys(step, starts)
        self._taken_ids = (self._next_id, self._free_id(self._next_id))

    def _free_id(self, number: int) -> int:
        """The first number from ``number`` on whose id ``s<number>`` no span or suggestion has (skipping the ids
        :meth:`prepare_edits` found taken, all still taken: a removal among them forgets them)."""
        if self._taken_ids is not None and self._taken_ids[0] <= number < self._taken_ids[1]:
            number = self._taken_ids[1]
        while f"s{number}" in self._spans or f"s{number}" in self._suggestions:
            number += 1
        return number

    def _freed(self, span_id: str) -> None:
        """Forget the ids found taken if ``span_id`` (a removed span's or suggestion's) is one of them."""
        taken = self._taken_ids
        number = int(span_id[1:]) if span_id[1:].isdigit() and span_id == f"s{int(span_id[1:])}" else -1
        if taken is not None and taken[0] <= number < taken[1]:
            self._taken_ids = None

    def find(self, start: int, end: int, label: str) -> Span | None:
        """A span with exactly these offsets and label, or ``None``."""
        held = self._by_key.get(start)
        if isinstance(held, list):
            return next((span for span in held if span.end == end and span.label == label), None)
        return held if held is not None and held.end == end and held.label == label else None

    def spans_with_label(self, label: str) -> list[Span]:
        """Spans carrying ``label``, in saved order."""
        return sorted((s for s in self._spans.values() if s.label == label), key=lambda s: s.sort_key)

    def entity_mentions(self, entity: str) -> list[Span]:
        """The spans of entity ``entity`` in saved order (``[]`` for ``""`` or an unknown id)."""
        if not entity:
            return []
        return sorted((s for s in self._spans.values() if s.entity == entity), key=_SAVED_ORDER)

    def entities(self) -> dict[str, list[Span]]:
        """Every entity id with its mentions (saved order), entities in the order of their first mention."""
        out: dict[str, list[Span]] = {}
        for span in self.sorted_spans():
            if span.entity:
                out.setdefault(span.entity, []).append(span)
        return out

    def new_entity_id(self) -> str:
        """The first of ``e1``, ``e2``... that no span's entity uses."""
        taken = {s.entity for s in self._spans.values() if s.entity}
        number = 1
        while f"e{number}" in taken:
            number += 1
        return f"e{number}"

    # -- relations ------------------------------------------------------------------------------------------------
    def relations(self) -> list[Relation]:
        """All relations in saved order: by their ``from`` span's saved order, then type, then the ``to`` span's
        order, then id (so links read in text order)."""

        return self._in_saved_order(self._relations.values())

    def _in_saved_order(self, relations: Iterable[Relation]) -> list[Relation]:
        def order(span_id: str) -> tuple:
            span = self._spans.get(span_id)
            return span.sort_key if span is not None else (-1, -1, "", span_id)

        return sorted(relations, key=lambda r: (order(r.from_), r.type, order(r.to), r.id))

    def get_relation(self, relation_id: str) -> Relation:
        """The relation with id ``relation_id`` (``KeyError`` if none)."""
        return self._relations[relation_id]

    def has_relation(self, relation_id: str) -> bool:
        """Whether a relation with this id exists."""
        return relation_id in self._relations

    @property
    def relation_count(self) -> int:
        """Number of relations."""
        return len(self._relations)

    def relations_of(self, span_id: str) -> list[Relation]:
        """Relations that start or end at span ``span_id``, in saved order (only those are sorted)."""
        return self._in_saved_order(r for r in self._relations.values() if span_id in r.ends)

    def relations_touching(self, span_ids: Iterable[str]) -> list[Relation]:
        """Relations with either end among ``span_ids`` (each once), in saved order."""
        ids = set(span_ids)
        return self._in_saved_order(r for r in self._relations.values() if r.from_ in ids or r.to in ids)

    def find_relation(self, relation_type: str, from_id: str, to_id: str) -> Relation | None:
        """The relation of this type between these spans, or ``None``."""
        return next(
            (r for r in self._relations.values() if (r.type, r.from_, r.to) == (relation_type, from_id, to_id)), None
        )

    def new_relation(self, relation_type: str, from_id: str, to_id: str) -> Relation:
        """A new relation with a fresh id (``r1``, ``r2``...); not yet inserted.

        Raises
        ------
        ValueError
            If an end does not exist, the type is not in the label set, or the ends' labels are not allowed for it
            (the message says which, see :func:`relation_faults`).
        """
        if from_id == to_id:
            raise ValueError("a span cannot be linked to itself")
        while f"r{self._next_relation_id}" in self._relations:
            self._next_relation_id += 1
        relation = Relation(id=f"r{self._next_relation_id}", type=relation_type, from_=from_id, to=to_id)
        faults = relation_faults(relation, self._spans, self.label_set)
        if faults:
            raise ValueError("; ".join(faults))
        self._next_relation_id += 1
        return relation

    # -- building spans -------------------------------------------------------------------------------------------
    def new_span(self, start: int, end: int, label: str) -> Span:
        """A new span over ``[start, end)`` (code points) with a fresh id; not yet inserted.

        Raises
        ------
        ValueError
            If the offsets are outside the text or empty, or the label is not in the label set.
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is empty or outside the text (0..{len(self.text)})")
        if self.label_set.get(label) is None:
            raise ValueError(f"label {label!r} is not in the label set")
        number = self._free_id(self._next_id)
        span_id = f"s{number}"
        self._next_id = number + 1
        return Span(id=span_id, start=start, end=end, label=label, text=self.text[start:end])

    # -- mutators (used by commands) ------------------------------------------------------------------------------
    def insert(self, span: Span) -> None:
        """Insert ``span`` (``ValueError`` if its id is taken)."""
        if span.id in self._spans:
            raise ValueError(f"duplicate span id {span.id!r}")
        self._spans[span.id] = span
        self._index(span)

    def delete(self, span_id: str) -> Span:
        """Remove and return the span with id ``span_id`` (``KeyError`` if none)."""
        span = self._spans.pop(span_id)
        self._freed(span_id)
        self._unindex(span)
        return span

    def replace(self, span: Span) -> Span:
        """Put ``span`` in place of the span with the same id; returns the old one (``KeyError`` if none)."""
        old = self._spans[span.id]
        self._spans[span.id] = span
        self._unindex(old)
        self._index(span)
        return old

    def _index(self, span: Span) -> None:
        self._label_counts[span.label] += 1
        keys = self._by_key
        held = keys.setdefault(span.start, span)
        if isinstance(held, list):
            held.append(span)
        elif held is not span:
            keys[span.start] = [held, span]

    def _unindex(self, span: Span) -> None:
        self._label_counts[span.label] -= 1
        keys = self._by_key
        held = keys.get(span.start)
        if isinstance(held, list):
            at = next((i for i, other in enumerate(held) if other.id == span.id), None)
            if at is not None:
                del held[at]
                if len(held) == 1:
                    keys[span.start] = held[0]
        elif held is not None and held.id == span.id:
            del keys[span.start]

    def insert_relation(self, relation: Relation) -> None:
        """Insert ``relation`` (``ValueError`` if its id is taken)."""
        if relation.id in self._relations:
            raise ValueError(f"duplicate relation id {relation.id!r}")
        self._relations[relation.id] = relation

    def delete_relation(self, relation_id: str) -> Relation:
        """Remove and return the relation with id ``relation_id`` (``KeyError`` if none)."""
        return self._relations.pop(relation_id)

    # -- suggestions ----------------------------------------------------------------------------------------------
    def suggestions(self) -> list[PendingSuggestion]:
        """Pending suggestions sorted by ``(start, end, label, id)``."""
        if self._sorted_suggestions is None:  # sorting 10k suggestions after every edit took longer than a frame
            self._sorted_suggestions = sorted(self._suggestions.values(), key=_SAVED_ORDER)
        return list(self._sorted_suggestions)

    @property
    def suggestions_by_id(self) -> Mapping[str, PendingSuggestion]:
        """Pending suggestions by id (a read-only view)."""
        return MappingProxyType(self._suggestions)

    def suggestion(self, suggestion_id: str) -> PendingSuggestion:
        """The pending suggestion with id ``suggestion_id`` (``KeyError`` if none)."""
        return self._suggestions[suggestion_id]

    def rejected(self) -> list[RejectedSuggestion]:
        """Rejected suggestions sorted by ``(start, end, label, suggester)``."""
        return sorted(self._rejected.values(), key=attrgetter("start", "end", "label", "suggester"))

    def rejected_keys(self) -> frozenset[tuple[int, int, str]]:
        """``(start, end, label)`` of every rejected suggestion: what no suggester may offer again."""
        return frozenset(r.key for r in self._rejected.values())

    def insert_suggestion(self, suggestion: PendingSuggestion) -> None:
        """Add a pending suggestion (``ValueError`` if its id is taken by a suggestion or a span)."""
        if suggestion.id in self._suggestions or suggestion.id in self._spans:
            raise ValueError(f"duplicate suggestion id {suggestion.id!r}")
        self._suggestions[suggestion.id] = suggestion
        self._sorted_suggestions = None

    def delete_suggestion(self, suggestion_id: str) -> PendingSuggestion:
        """Remove and return the pending suggestion with id ``suggestion_id`` (``KeyError`` if none)."""
        suggestion = self._suggestions.pop(suggestion_id)
        self._freed(suggestion_id)
        self._sorted_suggestions = None
        return suggestion

    def insert_rejected(self, rejection: RejectedSuggestion) -> None:
        """Remember a rejected suggestion (remembering the same one twice keeps one)."""
        self._rejected[(*rejection.key, rejection.suggester)] = rejection

    def delete_rejected(self, rejection: RejectedSuggestion) -> None:
        """Forget a rejected suggestion (``KeyError`` if it is not remembered)."""
        del self._rejected[(*rejection.key, rejection.suggester)]

    def new_suggestion_id(self, taken: Iterable[str] = ()) -> str:
        """The first of ``g1``, ``g2``... used by no suggestion or span (nor in ``taken``)."""
        taken = set(taken)
        number = len(self._suggestions) + 1
        while f"g{number}" in self._suggestions or f"g{number}" in self._spans or f"g{number}" in taken:
            number += 1
        return f"g{number}"

    def apply(self, change: Change) -> None:
        """Apply ``change``: relations removed first, then suggestions and rejections removed, spans removed, added
        and replaced, the label set, the status, the document labels, suggestions and rejections added, and relations
        added last (so links never point at missing spans in between, and an accepted suggestion's id is free before
        its span comes)."""
        for relation in change.relations_removed:
            self.delete_relation(relation.id)
        for suggestion in change.suggestions_removed:
            self.delete_suggestion(suggestion.id)
        for rejection in change.rejected_removed:
            self.delete_rejected(rejection)
        for span in change.removed:
            self.delete(span.id)
        for span in change.added:
            self.insert(span)
        for _old, new in change.changed:
            self.replace(new)
        if change.label_set is not None:
            self.label_set = change.label_set[1]
        if change.status is not None:
            self.status = change.status[1]
        if change.document_labels is not None:
            self.document_labels = {
                k: list(v) if isinstance(v, list) else v for k, v in change.document_labels[1].items()
            }
        for suggestion in change.suggestions_added:
            self.insert_suggestion(suggestion)
        for rejection in change.rejected_added:
            self.insert_rejected(rejection)
        for relation in change.relations_added:
            self.insert_relation(relation)
