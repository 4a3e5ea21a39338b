"""Undoable commands over an :class:`~annotator.model.annotation_set.AnnotationSet`.

Each command is a pure object (no Qt): :meth:`Command.redo` applies it and :meth:`Command.undo` reverts it, each
returning the :class:`~annotator.model.annotation_set.Change` it made so views redraw only that. The UI wraps
commands in ``QUndoCommand`` for the Edit menu's Undo/Redo; :attr:`Command.text` names the action there.

Commands hold a precomputed :class:`Change`; the ``*_command`` functions below work out that change from the current
annotations (e.g. which links a deleted span takes with it), so one user action is always one undo step.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from annotator.model.annotation_set import AnnotationSet, Change, relation_faults
from annotator.model.labels import LabelSet
from annotator.model.pending import PendingLink, PendingSuggestion, RejectedSuggestion
from annotator.model.relation import Relation
from annotator.model.span import MANUAL, Span
from annotator.model.status import DocumentStatus


class Command:
    """A change that can be redone and undone; subclasses set :attr:`change` and :attr:`text`."""

    text: str = ""
    change: Change = Change()

    def __init__(self, change: Change | None = None, text: str = "") -> None:
        if change is not None:
            self.change = change
        if text:
            self.text = text

    def redo(self, annotations: AnnotationSet) -> Change:
        """Apply the command; returns what changed."""
        annotations.apply(self.change)
        return self.change

    def undo(self, annotations: AnnotationSet) -> Change:
        """Revert the command; returns what changed."""
        inverse = self.change.inverse()
        annotations.apply(inverse)
        return inverse


class AddSpan(Command):
    """Add one span (already built with :meth:`AnnotationSet.new_span`)."""

    def __init__(self, span: Span) -> None:
        super().__init__(Change(added=(span,)), f"Add {span.label} span")


class AddSpans(Command):
    """Add several spans at once (e.g. "label all matches"): one undo step."""

    def __init__(self, spans: list[Span]) -> None:
        if not spans:
            raise ValueError("AddSpans needs at least one span")
        labels = sorted({s.label for s in spans})
        super().__init__(Change(added=tuple(spans)), f"Add {len(spans)} {'/'.join(labels)} spans")


def _edited(span: Span, update: dict[str, object]) -> dict[str, object]:
    """``update``, plus ``origin`` ``"suggestion-edited"`` when ``span`` was accepted from a suggestion as it was
    (resizing or relabeling it is an edit of the suggestion)."""
    if span.origin == "suggestion":
        update["origin"] = "suggestion-edited"
    return update


class RemoveSpans(Command):
    """Remove one or more spans together with the relations that touch them, and the pending suggestions whose links
    name them replaced by ``suggestions_changed`` ``(before, after)`` pairs (the same ids, without those links);
    ``changed`` are ``(before, after)`` pairs of spans kept (the last mention of an entity, which dissolves);
    ``rejected`` are suggestions remembered as rejected in the same step (spans accepted from suggestions)."""

    def __init__(
        self,
        spans: list[Span],
        relations: Iterable[Relation] = (),
        suggestions_changed: Iterable[tuple[PendingSuggestion, PendingSuggestion]] = (),
        changed: Iterable[tuple[Span, Span]] = (),
        rejected: Iterable[RejectedSuggestion] = (),
    ) -> None:
        if not spans:
            raise ValueError("RemoveSpans needs at least one span")
        text = f"Delete {spans[0].label} span" if len(spans) == 1 else f"Delete {len(spans)} spans"
        pairs = tuple(suggestions_changed)
        change = Change(
            removed=tuple(spans),
            changed=tuple(changed),
            relations_removed=tuple(relations),
            suggestions_removed=tuple(old for old, _new in pairs),
            suggestions_added=tuple(new for _old, new in pairs),
            rejected_added=tuple(rejected),
        )
        super().__init__(change, text)


class RelabelSpan(Command):
    """Give one span another label (its id and offsets stay); links the new label does not allow are removed, and so
    are the attributes it does not allow (``attributes``: the span's attributes after; ``None`` keeps them all). With
    ``leave_entity`` the span leaves its entity; ``others`` are ``(before, after)`` pairs of other spans changed in the
    same step (the entity's last other mention, which dissolves)."""

    def __init__(
        self,
        span: Span,
        label: str,
        relations_removed: Iterable[Relation] = (),
        *,
        attributes: dict[str, bool | str] | None = None,
        leave_entity: bool = False,
        others: Iterable[tuple[Span, Span]] = (),
    ) -> None:
        if label == span.label:
            raise ValueError(f"span {span.id} already has label {label!r}")
        update: dict[str, object] = {"label": label}
        if attributes is not None and attributes != span.attributes:
            update["attributes"] = attributes
        if leave_entity:
            update["entity"] = ""
        change = Change(
            changed=((span, span.model_copy(update=_edited(span, update))), *others),
            relations_removed=tuple(relations_removed),
        )
        super().__init__(change, f"Relabel {span.label} span as {label}")


class ResizeSpan(Command):
    """Move a span's start and/or end (code points); its text follows the document."""

    def __init__(self, span: Span, start: int, end: int, text: str) -> None:
        if (start, end) == (span.start, span.end):
            raise ValueError(f"span {span.id} already covers [{start}, {end})")
        new = span.model_copy(update=_edited(span, {"start": start, "end": end, "text": text}))
        Span.model_validate(new.model_dump())  # start < end, start >= 0
        super().__init__(Change(changed=((span, new),)), f"Resize {span.label} span")


class EditSpan(Command):
    """Change a span's note and/or its uncertain flag."""

    def __init__(self, span: Span, *, note: str | None = None, uncertain: bool | None = None) -> None:
        update: dict[str, object] = {}
        if note is not None and note != span.note:
            update["note"] = note
        if uncertain is not None and uncertain != span.uncertain:
            update["uncertain"] = uncertain
        if not update:
            raise ValueError(f"span {span.id} already has that note and flag")
        if "note" in update:
            text = "Edit note" if note else "Clear note"
        else:
            text = "Mark span uncertain" if uncertain else "Mark span certain"
        super().__init__(Change(changed=((span, span.model_copy(update=update)),)), text)


class AddRelation(Command):
    """Add one relation (built with :meth:`AnnotationSet.new_relation`)."""

    def __init__(self, relation: Relation) -> None:
        super().__init__(Change(relations_added=(relation,)), f"Link {relation.type}")


class RemoveRelations(Command):
    """Remove one or more relations."""

    def __init__(self, relations: list[Relation]) -> None:
        if not relations:
            raise ValueError("RemoveRelations needs at least one relation")
        text = f"Remove {relations[0].type} link" if len(relations) == 1 else f"Remove {len(relations)} links"
        super().__init__(Change(relations_removed=tuple(relations)), text)


# -- commands worked out from the current annotations ------------------------------------------------------------
def remove_spans_command(annotations: AnnotationSet, span_ids: Iterable[str]) -> RemoveSpans | None:
    """Delete these spans (unknown ids ignored) and every link touching them, pending links of suggestions included
    (removed from the suggestions holding them), as one step; ``None`` if none.

    Deleting a span accepted from a suggestion (origin ``"suggestion"`` or ``"suggestion-edited"``) rejects it in the
    same step: its ``(start, end, label, suggester)`` is remembered as rejected, so no suggester offers it again (as
    INCEpTION does); undo forgets it. A manual span's deletion remembers nothing."""
    spans = [annotations.get(i) for i in dict.fromkeys(span_ids) if i in annotations]
    if not spans:
        return None
    before, after = _without_links_to(annotations, {s.id for s in spans})
    known = set(annotations.rejected())
    rejected = (
        RejectedSuggestion(start=s.start, end=s.end, label=s.label, suggester=s.suggester or "")
        for s in spans
        if s.origin != MANUAL
    )
    return RemoveSpans(
        spans,
        annotations.relations_touching(s.id for s in spans),
        zip(before, after, strict=True),
        dissolved_entities(annotations, {s.id for s in spans}),
        rejected=tuple(dict.fromkeys(r for r in rejected if r not in known)),
    )


def dissolved_entities(annotations: AnnotationSet, leaving: set[str]) -> list[tuple[Span, Span]]:
    """``(before, after)`` for the span left alone in its entity when the spans ``leaving`` (ids) leave it (removed,
    relabeled, or taken out): an entity of one mention dissolves (its last mention's ``entity`` becomes ``""``), so
    the commands never leave an entity of one mention."""
    pairs = []
    for entity in dict.fromkeys(annotations.get(i).entity for i in leaving if i in annotations):
        rest = [s for s in annotations.entity_mentions(entity) if s.id not in leaving]
        if len(rest) == 1:
            pairs.append((rest[0], rest[0].model_copy(update={"entity": ""})))
    return pairs


def relabel_command(annotations: AnnotationSet, span_id: str, label: str) -> RelabelSpan | None:
    """Relabel span ``span_id``; ``None`` if it already has ``label`` or a twin (same offsets) has it.

    Links that the label set's relation types do not allow with the new label are removed in the same step, and so
    are the span's attributes the new label does not allow; a span in an entity leaves it (an entity's mentions share
    one label), and an entity left with one mention dissolves (:func:`dissolved_entities`).

    Raises
    ------
    KeyError
        If there is no such span.  ``ValueError`` if the label is not in the label set.
    """
    span = annotations.get(span_id)
    if annotations.label_set.get(label) is None:
        raise ValueError(f"label {label!r} is not in the label set")
    if span.label == label or annotations.find(span.start, span.end, label) is not None:
        return None
    spans = {s.id: s for s in annotations}
    spans[span.id] = span.model_copy(update={"label": label})
    broken = [r for r in annotations.relations_of(span.id) if relation_faults(r, spans, annotations.label_set)]
    allowed = {a.name for a in annotations.label_set.attributes_for(label)}
    attributes = {k: v for k, v in span.attributes.items() if k in allowed}
    others = dissolved_entities(annotations, {span.id}) if span.entity else []
    return RelabelSpan(span, label, broken, attributes=attributes, leave_entity=bool(span.entity), others=others)


def change_label_set_command(
    annotations: AnnotationSet, new_set: LabelSet, relabel: dict[str, str], text: str
) -> Command:
    """Switch to ``new_set``, relabeling spans by ``relabel`` (old label → new label), as one undoable step.

    Where relabeling makes a span the twin of another (same offsets, same new label), the relabeled one is removed:
    its links move to the twin, its note is appended to the twin's (on a new line) and its uncertain flag carries
    over, so nothing the annotator wrote is lost (pending suggestions' links to it name the twin). Links the new set's
    relation types do not allow are removed. Attributes of spans and links that the new set does not define or allow
    there, and document labels (or values) it lacks, are removed in the same step (undo brings them back). Used for
    renaming and merging labels, for adding labels to the set and for switching label sets.
    """
    spans = {s.id: s for s in annotations}
    changed: dict[str, tuple[Span, Span]] = {}  # by id, in order: (before, after)
    removed: list[Span] = []
    moved_to: dict[str, str] = {}
    keys = {(s.start, s.end, s.label): s.id for s in spans.values() if s.label not in relabel}
    for span in annotations.sorted_spans():
        if span.label not in relabel:
            continue
        new_label = relabel[span.label]
        twin = keys.get((span.start, span.end, new_label))
        if twin is not None:
            removed.append(span)
            moved_to[span.id] = twin
            del spans[span.id]
            kept_twin = spans[twin]
            notes = [n for n in (kept_twin.note, span.note) if n]
            note = kept_twin.note if span.note in kept_twin.note else "\n".join(notes)
            merged = kept_twin.model_copy(update={"note": note, "uncertain": kept_twin.uncertain or span.uncertain})
            if merged != kept_twin:
                changed[twin] = (changed[twin][0] if twin in changed else kept_twin, merged)
                spans[twin] = merged
            continue
        keys[(span.start, span.end, new_label)] = span.id
        new = span.model_copy(update={"label": new_label})
        changed[span.id] = (span, new)
        spans[span.id] = new
    for span_id, span in list(spans.items()):  # attributes the new set does not allow on the span's label go
        allowed = {a.name for a in new_set.attributes_for(span.label)}
        if any(name not in allowed for name in span.attributes):
            kept_attributes = {k: v for k, v in span.attributes.items() if k in allowed}
            spans[span_id] = span.model_copy(update={"attributes": kept_attributes})
            changed[span_id] = (changed[span_id][0] if span_id in changed else span, spans[span_id])
    relations_removed: list[Relation] = []
    relations_added: list[Relation] = []
    kept: set[tuple[str, str, str]] = set()
    for relation in annotations.relations():
        candidate = relation
        if relation.from_ in moved_to or relation.to in moved_to:
            ends = {"from_": moved_to.get(relation.from_, relation.from_), "to": moved_to.get(relation.to, relation.to)}
            candidate = relation.model_copy(update=ends)
        allowed = {a.name for a in new_set.attributes_for(relation.type, "relation")}
        if any(name not in allowed for name in candidate.attributes):
            kept_attributes = {k: v for k, v in candidate.attributes.items() if k in allowed}
            candidate = candidate.model_copy(update={"attributes": kept_attributes})
        key = (candidate.type, candidate.from_, candidate.to)
        fits = candidate.from_ != candidate.to and key not in kept and not relation_faults(candidate, spans, new_set)
        if fits:
            kept.add(key)
        if candidate is not relation or not fits:
            relations_removed.append(relation)
        if candidate is not relation and fits:
            relations_added.append(candidate)
    holders = _Holders(annotations)  # pending links to a removed twin now name the twin kept
    for holder_id, link in _links_naming(annotations, set(moved_to)) if moved_to else ():
        ends = {"from_": moved_to.get(link.from_, link.from_), "to": moved_to.get(link.to, link.to)}
        holders.replace(holder_id, link, link.model_copy(update=ends))
    before, after = holders.changes()
    change = Change(
        removed=tuple(removed),
        changed=tuple(changed.values()),
        relations_added=tuple(relations_added),
        relations_removed=tuple(relations_removed),
        label_set=(annotations.label_set, new_set),
        document_labels=_document_labels_kept(annotations, new_set),
        suggestions_added=after,
        suggestions_removed=before,
    )
    return Command(change, text)


def _document_labels_kept(
    annotations: AnnotationSet, new_set: LabelSet
) -> tuple[dict[str, str | list[str]], dict[str, str | list[str]]] | None:
    """``(before, after)`` when switching to ``new_set`` drops document labels it lacks or whose values it does not
    allow, else ``None``."""
    before = annotations.document_labels
    after = {
        name: value
        for name, value in before.items()
        if (defined := new_set.document_label(name)) is not None and not defined.value_fault(value)
    }
    return (dict(before), after) if after != before else None


def rename_label_command(annotations: AnnotationSet, old: str, new: str) -> Command:
    """Rename label ``old`` to ``new`` in the label set and on every span (``ValueError`` as
    :meth:`LabelSet.rename_label`)."""
    return change_label_set_command(
        annotations, annotations.label_set.rename_label(old, new), {old: new}, f"Rename label {old} to {new}"
    )


def merge_label_command(annotations: AnnotationSet, source: str, into: str) -> Command:
    """Merge label ``source`` into ``into``: its spans get ``into`` and it leaves the label set (``ValueError`` as
    :meth:`LabelSet.merge_label`)."""
    return change_label_set_command(
        annotations,
        annotations.label_set.merge_label(source, into),
        {source: into},
        f"Merge label {source} into {into}",
    )


def set_status_command(annotations: AnnotationSet, status: DocumentStatus) -> Command | None:
    """Mark the document ``status`` (done, flagged, or back to in progress); ``None`` when it already is.

    Raises
    ------
    ValueError
        For ``NOT_STARTED``, which only describes a document without an annotation file.
    """
    status = DocumentStatus(status)
    if status is DocumentStatus.NOT_STARTED:
        raise ValueError("a document with annotations cannot be marked not started")
    if annotations.status is status:
        return None
    texts = {
        DocumentStatus.DONE: "Mark document done",
        DocumentStatus.FLAGGED: "Flag document",
        DocumentStatus.IN_PROGRESS: "Mark document in progress",
    }
    return Command(Change(status=(annotations.status, status)), texts[status])


# -- suggestions --------------------------------------------------------------------------------------------------
def _pending(annotations: AnnotationSet, suggestion_ids: Iterable[str]) -> list[PendingSuggestion]:
    """The pending suggestions with these ids, in the order given, each once (unknown ids ignored)."""
    return [annotations.suggestion(i) for i in dict.fromkeys(suggestion_ids) if i in annotations.suggestions_by_id]


class AcceptSuggestions(Command):
    """Accepting pending suggestions (see :func:`accept_suggestions_command`).

    Attributes
    ----------
    unlinked: one plain-text line per suggested link that did not become a relation because the label set does not
        allow that relation type between the two spans' labels (e.g. after accepting an actor suggestion as claim),
        for the UI to report; empty when every link was made.
    """

    def __init__(self, change: Change, text: str, unlinked: Iterable[str] = ()) -> None:
        super().__init__(change, text)
        self.unlinked: tuple[str, ...] = tuple(unlinked)


def pending_links_of(annotations: AnnotationSet, suggestion_id: str) -> list[tuple[str, PendingLink]]:
    """Every pending link with an end at suggestion or span ``suggestion_id``, as ``(holder id, link)`` pairs: the
    links the suggestion holds and those other pending suggestions hold that name it (a link between two suggestions
    is held by one of them), in the suggestions' saved order, each once."""
    return _links_naming(annotations, {suggestion_id})


def _links_naming(annotations: AnnotationSet, ids: set[str]) -> list[tuple[str, PendingLink]]:
    """``(holder id, link)`` for every pending link with an end in ``ids`` (scans every pending suggestion once)."""
    out: dict[tuple[str, PendingLink], None] = {}
    for holder in annotations.suggestions():  # sorted once per change of the suggestions (AnnotationSet keeps it)
        if not holder.links:
            continue
        for link in holder.links:
            if link.from_ in ids or link.to in ids:
                out[(holder.id, link)] = None
    return list(out)


class _Holders:
    """The pending suggestions whose links a command changes: their new links, then the change's before and after."""

    def __init__(self, annotations: AnnotationSet) -> None:
        self.annotations = annotations
        self.links: dict[str, list[PendingLink]] = {}

    def _of(self, holder_id: str) -> list[PendingLink]:
        if holder_id not in self.links:
            self.links[holder_id] = list(self.annotations.suggestion(holder_id).links)
        return self.links[holder_id]

    def drop(self, holder_id: str, link: PendingLink) -> None:
        self.links[holder_id] = [k for k in self._of(holder_id) if k != link]

    def replace(self, holder_id: str, link: PendingLink, new: PendingLink) -> None:
        self.links[holder_id] = list(dict.fromkeys(new if k == link else k for k in self._of(holder_id)))

    def add(self, holder_id: str, link: PendingLink) -> None:
        held = self._of(holder_id)
        if link not in held:
            held.append(link)

    def changes(self) -> tuple[tuple[PendingSuggestion, ...], tuple[PendingSuggestion, ...]]:
        """``(before, after)`` of every holder whose links changed."""
        before, after = [], []
        for holder_id, links in self.links.items():
            old = self.annotations.suggestion(holder_id)
            if tuple(links) != old.links:
                before.append(old)
                after.append(old.model_copy(update={"links": tuple(links)}))
        return tuple(before), tuple(after)


def _without_links_to(annotations: AnnotationSet, gone: set[str]) -> tuple[tuple[PendingSuggestion, ...], ...]:
    """``(before, after)`` of the pending suggestions (not in ``gone``) whose links name one of the ids ``gone``
    (spans removed, suggestions rejected): after, without those links."""
    holders = _Holders(annotations)
    for holder_id, link in _links_naming(annotations, gone):
        if holder_id not in gone:
            holders.drop(holder_id, link)
    return holders.changes()


def _free_relation_ids(annotations: AnnotationSet) -> Iterator[str]:
    """``r1``, ``r2``... that no relation of ``annotations`` has, in order."""
    number = 0
    while True:
        number += 1
        if not annotations.has_relation(f"r{number}"):
            yield f"r{number}"


def _described(span: Span) -> str:
    text = span.text if len(span.text) <= 40 else span.text[:39] + "…"
    return f"{span.label} {text!r}"


def accept_suggestions_command(
    annotations: AnnotationSet, suggestion_ids: Iterable[str], label: str | None = None, *, with_linked: bool = False
) -> AcceptSuggestions | None:
    """Accept these pending suggestions as spans, with their suggested links, as one undoable step; ``None`` when no
    id names one.

    Each suggestion leaves the pending list and becomes a span (a new id from :meth:`AnnotationSet.new_span`) with
    its offsets, ``origin`` ``"suggestion"``, its suggester and its score; with ``label`` (another label than the
    suggested one) the span gets that label and ``origin`` ``"suggestion-edited"``, and the suggested label there is
    remembered as rejected in the same step (``(start, end, suggested label, suggester)``: the analyst said it is not
    that), so no run offers it again; undo forgets it. Where the same span (offsets and label) already exists, the
    suggestion only leaves the pending list (its links then go to that span).

    With ``with_linked``, the pending suggestions that the given ones' links reach directly (one hop: "this claim
    and its speaker", not the other claims of that speaker) are accepted as well, with their suggested labels
    (``label`` applies to the given ones only).

    Links: a pending link of an accepted suggestion whose other end is a span (or accepted in the same step) becomes
    a :class:`~annotator.model.relation.Relation` when the label set allows that type between the two spans' labels
    (:func:`~annotator.model.annotation_set.relation_faults`); otherwise it is not made and
    :attr:`AcceptSuggestions.unlinked` says so. A link already present is not made twice. A link whose other end is
    still pending stays pending, re-pointed to the new span's id and held by that other suggestion (its ``links``
    change in the same step), so accepting it later makes the relation.

    Raises
    ------
    ValueError
        If a span's label (``label`` or the suggested one) is not in the label set.
    """
    chosen = _pending(annotations, suggestion_ids)
    if not chosen:
        return None
    pending = list(chosen)
    if with_linked:
        ids = {s.id for s in chosen}
        for _holder, link in _links_naming(annotations, set(ids)):
            for end in (link.from_, link.to):
                if end not in ids and end in annotations.suggestions_by_id:
                    ids.add(end)
                    pending.append(annotations.suggestion(end))
    labels = {s.id: label or s.label for s in chosen}
    added: list[Span] = []
    span_of: dict[str, Span] = {}  # accepted suggestion id -> the span it became, or the twin already there
    made: dict[tuple[int, int, str], Span] = {}
    for suggestion in pending:
        chosen_label = labels.get(suggestion.id, suggestion.label)
        key = (suggestion.start, suggestion.end, chosen_label)
        twin = annotations.find(*key) or made.get(key)
        if twin is not None:
            span_of[suggestion.id] = twin
            continue
        span = annotations.new_span(suggestion.start, suggestion.end, chosen_label)
        origin = "suggestion" if chosen_label == suggestion.label else "suggestion-edited"
        span = span.model_copy(update={"origin": origin, "suggester": suggestion.suggester, "score": suggestion.score})
        made[key] = span_of[suggestion.id] = span
        added.append(span)
    relations, unlinked, holders = _accepted_links(annotations, span_of)
    if len(chosen) == 1:
        first = chosen[0]
        text = f"Accept {first.label} suggestion" + (f" as {label}" if label and label != first.label else "")
    else:
        text = f"Accept {len(chosen)} suggestions" + (f" as {label}" if label else "")
    if len(pending) > len(chosen):
        extra = len(pending) - len(chosen)
        text += f" with {extra} linked suggestion{'' if extra == 1 else 's'}"
    before, after = holders.changes()
    known = set(annotations.rejected())
    relabeled = (s.rejected() for s in chosen if labels[s.id] != s.label)
    change = Change(
        added=tuple(added),
        relations_added=tuple(relations),
        suggestions_removed=(*pending, *before),
        suggestions_added=after,
        rejected_added=tuple(dict.fromkeys(r for r in relabeled if r not in known)),
    )
    return AcceptSuggestions(change, text, unlinked)


def _accepted_links(annotations: AnnotationSet, span_of: dict[str, Span]) -> tuple[list[Relation], list[str], _Holders]:
    """The relations made from the pending links of the accepted suggestions (``span_of``: suggestion id -> its
    span), the lines saying which were not allowed, and the links left pending (re-pointed to the spans)."""
    relations: list[Relation] = []
    unlinked: list[str] = []
    holders = _Holders(annotations)
    made: set[tuple[str, str, str]] = set()
    fresh = _free_relation_ids(annotations)
    pending = annotations.suggestions_by_id
    for holder_id, link in _links_naming(annotations, set(span_of)):
        stays = holder_id not in span_of
        ends = [span_of[e].id if e in span_of else e for e in (link.from_, link.to)]
        spans = {
            e: span_of[e] if e in span_of else annotations.get(e)
            for e in (link.from_, link.to)
            if e in span_of or e in annotations
        }
        waiting = [e for e in ends if e in pending and e not in span_of]
        if len(spans) == len({link.from_, link.to}):
            if stays:
                holders.drop(holder_id, link)
            key = (link.type, ends[0], ends[1])
            if ends[0] == ends[1] or key in made or annotations.find_relation(*key) is not None:
                continue
            made.add(key)
            candidate = Relation(id="new", type=link.type, from_=ends[0], to=ends[1])
            faults = relation_faults(candidate, {s.id: s for s in spans.values()}, annotations.label_set)
            if faults:
                source, target = (spans[e] for e in (link.from_, link.to))
                unlinked.append(
                    f"{link.type} link from {_described(source)} to {_described(target)} not made: {faults[0]}"
                )
                continue
            relations.append(candidate.model_copy(update={"id": next(fresh)}))
        elif waiting and len(spans) == 1:
            new = PendingLink(type=link.type, from_=ends[0], to=ends[1])
            if stays:
                holders.replace(holder_id, link, new)
            else:
                holders.add(waiting[0], new)
        elif stays:  # an end names nothing (a file written by hand): the link goes
            holders.drop(holder_id, link)
    return relations, unlinked, holders


def reject_suggestions_command(annotations: AnnotationSet, suggestion_ids: Iterable[str]) -> Command | None:
    """Reject these pending suggestions, as one undoable step: they leave the pending list and are remembered as
    rejected (offsets, label, suggester), so no suggester offers them again; ``None`` when no id names one. Their
    links go with them: links other pending suggestions hold that name them are removed from those (which stay
    pending) in the same step."""
    pending = _pending(annotations, suggestion_ids)
    if not pending:
        return None
    known = set(annotations.rejected())
    remembered = tuple(dict.fromkeys(r for r in (s.rejected() for s in pending) if r not in known))
    text = f"Reject {pending[0].label} suggestion" if len(pending) == 1 else f"Reject {len(pending)} suggestions"
    before, after = _without_links_to(annotations, {s.id for s in pending})
    change = Change(suggestions_removed=(*pending, *before), suggestions_added=after, rejected_added=remembered)
    return Command(change, text)


def remove_accepted_command(annotations: AnnotationSet, suggester: str) -> Command | None:
    """Remove every span accepted from ``suggester``'s suggestions (origin ``"suggestion"`` or
    ``"suggestion-edited"``), with the links touching them, as one undoable step; ``None`` when there are none.
    Works from the spans' saved origin, so it also removes spans accepted in earlier sessions. Pending links to them
    are removed from the suggestions holding them in the same step."""
    spans = [s for s in annotations.sorted_spans() if s.origin != MANUAL and s.suggester == suggester]
    if not spans:
        return None
    relations = annotations.relations_touching(s.id for s in spans)
    before, after = _without_links_to(annotations, {s.id for s in spans})
    count = f"{len(spans)} span{'' if len(spans) == 1 else 's'}"
    change = Change(
        removed=tuple(spans),
        relations_removed=tuple(relations),
        suggestions_removed=before,
        suggestions_added=after,
    )
    return Command(change, f"Remove {count} accepted from {suggester}")


def replace_suggestions_change(
    annotations: AnnotationSet, suggester: str, suggestions: Iterable[PendingSuggestion]
) -> Change:
    """The change putting ``suggestions`` in place of ``suggester``'s pending suggestions (a suggester ran again).
    Not an undo step (suggestions follow the spans), but a :class:`Change` like any other, so views and the
    crash-recovery journal follow it. Suggestions the set already holds (same id and content) stay as they are."""
    old = {s.id: s for s in annotations.suggestions_by_id.values() if s.suggester == suggester}
    new = {s.id: s for s in suggestions}
    removed = tuple(s for i, s in old.items() if new.get(i) is not s and new.get(i) != s)  # same object: kept
    added = tuple(s for i, s in new.items() if old.get(i) is not s and old.get(i) != s)
    return Change(suggestions_added=added, suggestions_removed=removed)
