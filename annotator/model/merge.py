"""Three-way merge of one annotator's annotations: apply the changes made from ``base`` to ``mine`` onto ``theirs``.

Used when restoring unsaved work whose file was saved since (another journal restored into it, another instance,
a git pull): if both sides changed different things, both are kept. The merge is conservative: whenever the two
sides touched the same span, link or status (a span one side changed or removed while the other linked or edited
it), when the text differs, or when the result would not be a valid file (twin spans, a link its relation type
refuses), there is no merge and the caller falls back to keeping a copy of ``theirs`` before replacing it.

Spans are matched as in :mod:`annotator.model.compare` (by id and identical content, else by offsets, label and
text); spans that ``mine`` added get fresh ids in the merged set, and links follow their spans.
"""

from __future__ import annotations

from annotator.model.annotation_set import AnnotationSet, relation_faults, span_faults
from annotator.model.compare import diff_annotations
from annotator.model.pending import PendingSuggestion, RejectedSuggestion, without_dangling_links
from annotator.model.span import Span


def _content(span: Span) -> tuple:
    return (
        span.start,
        span.end,
        span.label,
        span.text,
        span.note,
        span.uncertain,
        tuple(span.attributes.items()),
        span.entity,
    )


def _key(span: Span) -> tuple[int, int, str, str]:
    return (span.start, span.end, span.label, span.text)


def merge_annotations(base: AnnotationSet, theirs: AnnotationSet, mine: AnnotationSet) -> AnnotationSet | None:
    """``theirs`` with the changes that lead from ``base`` to ``mine``, or ``None`` when they conflict.

    Parameters
    ----------
    base: the state both sides started from.
    theirs: the other side (e.g. the file as it is on disk now).
    mine: this side (e.g. the unsaved work recovered from a journal).

    Returns
    -------
    AnnotationSet | None
        A new set on ``theirs``' document with ``mine``'s label set, annotator and document id, or ``None`` when
        the texts differ, ``mine``'s label set lacks a label ``theirs`` uses, or both sides changed the same span,
        link or status in different ways. Nothing is dropped silently: ``None`` means "cannot merge safely".
    """
    if not base.document.sha256 == theirs.document.sha256 == mine.document.sha256:
        return None
    if any(mine.label_set.get(s.label) is None for s in theirs):
        return None
    if base.document_labels != mine.document_labels != theirs.document_labels != base.document_labels:
        return None  # both sides set the document labels, differently
    changes = diff_annotations(base, mine)
    merged = AnnotationSet(
        theirs.document,
        mine.label_set,
        mine.annotator,
        theirs,
        theirs.relations(),
        document_id=mine.document_id or theirs.document_id,
        status=theirs.status,
        orphans=theirs.orphans,
        metadata=mine.metadata if theirs.metadata == base.metadata else theirs.metadata,
        suggestions=theirs.suggestions(),
        rejected=theirs.rejected(),
        document_labels=mine.document_labels
        if theirs.document_labels == base.document_labels
        else theirs.document_labels,
    )
    by_key: dict[tuple, Span] = {}
    for span in theirs.sorted_spans():
        by_key.setdefault(_key(span), span)

    def in_theirs(span: Span) -> Span | None:
        """The span of ``theirs`` identical to ``span`` (ids aside), or ``None``."""
        same = theirs.get(span.id) if span.id in theirs else None
        if same is not None and _content(same) == _content(span):
            return same
        found = by_key.get(_key(span))
        return found if found is not None and _content(found) == _content(span) else None

    they_changed = {old.id for old, _new in diff_annotations(base, theirs).changed}
    base_to_theirs = {s.id: in_theirs(s) for s in base}

    def links_untouched(base_span: Span) -> bool:
        """Whether ``theirs`` still has ``base_span`` unchanged with exactly the links it had in ``base``."""
        found = base_to_theirs.get(base_span.id)
        if found is None:
            return False

        def links(annotations: AnnotationSet, span_id: str) -> list[tuple]:
            return sorted(
                (r.type, r.from_ == span_id, _content(annotations.get(r.to if r.from_ == span_id else r.from_)))
                for r in annotations.relations_of(span_id)
            )

        return links(base, base_span.id) == links(theirs, found.id)

    for span in changes.removed:
        found = base_to_theirs.get(span.id)
        if found is None:
            if span.id in they_changed:
                return None  # they changed the span this side removed
            continue  # they removed it too
        if not links_untouched(span):
            return None  # they linked it meanwhile: removing it would drop their link
        for relation in merged.relations_of(found.id):
            merged.delete_relation(relation.id)
        merged.delete(found.id)
    for old, new in changes.changed:
        found = base_to_theirs.get(old.id)
        if found is None:
            if any(_content(s) == _content(new) for s in theirs):
                continue  # they made the same change
            return None  # they changed or removed it too, differently
        if not links_untouched(old):
            return None  # their links on it may not fit the change
        merged.replace(new.model_copy(update={"id": found.id}))
    # Ids of this side's spans in the merged set.
    merged_id: dict[str, str] = {}
    for span in mine:
        found = in_theirs(span)
        if found is not None and found.id in merged:
            merged_id[span.id] = found.id
            continue
        twin = next((s for s in merged if _content(s) == _content(span)), None)
        if twin is not None:
            merged_id[span.id] = twin.id
    for span in changes.added:
        if span.id in merged_id:
            continue  # they added the same span
        fresh = merged.new_span(span.start, span.end, span.label)
        carried = {"note": span.note, "uncertain": span.uncertain, "origin": span.origin}
        carried |= {"attributes": span.attributes, "entity": span.entity}
        merged.insert(fresh.model_copy(update={**carried, "suggester": span.suggester, "score": span.score}))
        merged_id[span.id] = fresh.id
    for relation in changes.relations_removed:
        ends = [base_to_theirs.get(end) for end in relation.ends]
        if ends[0] is None or ends[1] is None:
            return None  # they changed an end of the link this side removed
        existing = merged.find_relation(relation.type, ends[0].id, ends[1].id)
        if existing is not None:
            merged.delete_relation(existing.id)
    for relation in changes.relations_added:
        from_id, to_id = merged_id.get(relation.from_), merged_id.get(relation.to)
        if from_id is None or to_id is None:
            return None  # its span was removed on their side
        if merged.find_relation(relation.type, from_id, to_id) is None:
            try:
                link = merged.new_relation(relation.type, from_id, to_id)
            except ValueError:
                return None
            if relation_faults(link, {s.id: s for s in merged}, merged.label_set):
                return None
            merged.insert_relation(link.model_copy(update={"attributes": relation.attributes}))
    if changes.status is not None:
        if theirs.status not in (base.status, mine.status):
            return None
        merged.status = mine.status
    _merge_suggestions(base, theirs, mine, merged)
    return merged if _consistent(merged) else None


def _suggestion_key(found: PendingSuggestion | RejectedSuggestion) -> tuple[int, int, str, str]:
    return (found.start, found.end, found.label, found.suggester)


def _merge_suggestions(base: AnnotationSet, theirs: AnnotationSet, mine: AnnotationSet, merged: AnnotationSet) -> None:
    """Apply to ``merged`` (which holds ``theirs``' suggestions) the pending and rejected suggestions ``mine`` added
    and removed since ``base`` (matched by offsets, label and suggester), and the suggestion facts: shown if either
    side showed them, the longer active time."""
    before = {_suggestion_key(s) for s in base.suggestions()}
    now = {_suggestion_key(s): s for s in mine.suggestions()}
    for suggestion in merged.suggestions():
        if _suggestion_key(suggestion) in before and _suggestion_key(suggestion) not in now:
            merged.delete_suggestion(suggestion.id)  # accepted or rejected on this side
    held = {_suggestion_key(s) for s in merged.suggestions()}
    added = [s for key, s in now.items() if key not in before and key not in held]
    renamed: dict[str, str] = {}  # mine's id -> its id in merged
    for suggestion in added:
        free = suggestion.id not in merged.suggestions_by_id and suggestion.id not in merged
        fresh = suggestion.id if free and suggestion.id not in renamed.values() else ""
        renamed[suggestion.id] = fresh or merged.new_suggestion_id(renamed.values())
    for suggestion in added:
        links = tuple(
            k.model_copy(update={"from_": renamed.get(k.from_, k.from_), "to": renamed.get(k.to, k.to)})
            for k in suggestion.links
        )
        merged.insert_suggestion(suggestion.model_copy(update={"id": renamed[suggestion.id], "links": links}))
    # a link naming what the merge left out (accepted or rejected on one side) goes
    for old, new in zip(
        merged.suggestions(), without_dangling_links(merged.suggestions(), {s.id for s in merged}), strict=True
    ):
        if new is not old:
            merged.delete_suggestion(old.id)
            merged.insert_suggestion(new)
    rejected_before = set(base.rejected())
    rejected_now = set(mine.rejected())
    for rejection in rejected_before - rejected_now:
        if rejection in set(merged.rejected()):
            merged.delete_rejected(rejection)
    for rejection in rejected_now - rejected_before:
        merged.insert_rejected(rejection)
    merged.suggestions_shown = theirs.suggestions_shown or mine.suggestions_shown
    merged.active_seconds = max(theirs.active_seconds, mine.active_seconds)


def _consistent(annotations: AnnotationSet) -> bool:
    """No twin spans (same offsets and label), every span fits the text and label set, every link fits the
    relation types: what the app itself guarantees, so a merge never produces a file it would refuse."""
    spans = {s.id: s for s in annotations}
    if len({(s.start, s.end, s.label) for s in spans.values()}) != len(spans):
        return False
    if any(span_faults(s, annotations.text, annotations.label_set) for s in spans.values()):
        return False
    return not any(relation_faults(r, spans, annotations.label_set) for r in annotations.relations())
