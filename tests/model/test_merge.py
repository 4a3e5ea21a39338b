"""Three-way merge of annotations (recovered work onto a file saved since)."""

from __future__ import annotations

from annotator.model.annotation_set import AnnotationSet, relation_faults, span_faults
from annotator.model.commands import (
    EditSpan,
    RemoveRelations,
    ResizeSpan,
    relabel_command,
    remove_spans_command,
    set_status_command,
)
from annotator.model.document import Document
from annotator.model.merge import merge_annotations
from annotator.model.status import DocumentStatus
from tests.model.support import LABELS

TEXT = "Sullivan warned that China would face consequences. Beijing denied it."


def make(*spans: tuple[int, int, str]) -> AnnotationSet:
    annotations = AnnotationSet(Document.from_text(TEXT), LABELS, "alice")
    for start, end, label in spans:
        annotations.insert(annotations.new_span(start, end, label))
    return annotations


def texts(annotations: AnnotationSet) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in annotations.sorted_spans()]


def test_additions_on_both_sides_are_kept_with_fresh_ids():
    base = make((0, 8, "actor"))
    theirs = make((0, 8, "actor"), (52, 59, "actor"))  # s2 = Beijing
    mine = make((0, 8, "actor"), (9, 15, "warning"))  # s2 = warned: the same id, another span
    merged = merge_annotations(base, theirs, mine)
    assert merged is not None
    assert texts(merged) == [("actor", "Sullivan"), ("warning", "warned"), ("actor", "Beijing")]
    assert len({s.id for s in merged}) == 3


def test_a_link_follows_its_spans_to_their_merged_ids():
    base = make((0, 8, "actor"))
    theirs = make((0, 8, "actor"), (52, 59, "actor"))
    mine = make((0, 8, "actor"), (9, 15, "warning"))
    mine.insert_relation(mine.new_relation("source", "s2", "s1"))
    merged = merge_annotations(base, theirs, mine)
    assert merged is not None
    (link,) = merged.relations()
    assert merged.get(link.from_).text == "warned" and merged.get(link.to).text == "Sullivan"


def test_the_same_addition_on_both_sides_is_kept_once():
    base = make()
    merged = merge_annotations(base, make((0, 8, "actor")), make((0, 8, "actor")))
    assert merged is not None and texts(merged) == [("actor", "Sullivan")]


def test_a_removal_and_a_relabel_of_other_spans_both_apply():
    base = make((0, 8, "actor"), (9, 15, "warning"))
    theirs = make((0, 8, "actor"), (9, 15, "claim"))  # they relabeled "warned"
    mine = make((9, 15, "warning"))  # this side removed "Sullivan"
    merged = merge_annotations(base, theirs, mine)
    assert merged is not None and texts(merged) == [("claim", "warned")]


def test_conflicting_changes_of_one_span_do_not_merge():
    base = make((9, 15, "warning"))
    theirs = make((9, 15, "claim"))
    mine = make((9, 15, "denial"))
    assert merge_annotations(base, theirs, mine) is None


def test_removing_a_span_they_changed_does_not_merge():
    base = make((9, 15, "warning"))
    theirs = make((9, 15, "claim"))
    mine = make()
    assert merge_annotations(base, theirs, mine) is None


def test_another_text_does_not_merge():
    other = AnnotationSet(Document.from_text(TEXT + " More."), LABELS, "alice")
    assert merge_annotations(make(), other, make((0, 8, "actor"))) is None


def test_status_merges_when_only_one_side_changed_it():
    base, theirs, mine = make(), make((0, 8, "actor")), make()
    set_status_command(mine, DocumentStatus.DONE).redo(mine)
    merged = merge_annotations(base, theirs, mine)
    assert merged is not None and merged.status is DocumentStatus.DONE and len(merged) == 1
    set_status_command(theirs, DocumentStatus.FLAGGED).redo(theirs)
    assert merge_annotations(base, theirs, mine) is None


# -- regressions from the review of the merge: conflicts are refused, never half-merged -------------------------
def base_with(*spans, links=()):
    annotations = make(*spans)
    for relation_type, from_id, to_id in links:
        annotations.insert_relation(annotations.new_relation(relation_type, from_id, to_id))
    return copy(annotations)


def copy(annotations: AnnotationSet) -> AnnotationSet:
    """A fresh set with the same content (as if saved and loaded)."""
    return AnnotationSet(
        annotations.document,
        annotations.label_set,
        annotations.annotator,
        annotations.sorted_spans(),
        annotations.relations(),
    )


def valid(annotations: AnnotationSet) -> bool:
    spans = {s.id: s for s in annotations}
    faults = [f for s in spans.values() for f in span_faults(s, annotations.text, annotations.label_set)]
    faults += [f for r in annotations.relations() for f in relation_faults(r, spans, annotations.label_set)]
    assert not faults, faults
    return True


def link_texts(annotations: AnnotationSet):
    return sorted((r.type, annotations.get(r.from_).text, annotations.get(r.to).text) for r in annotations.relations())


def test_review_A_their_new_link_to_a_span_i_removed_is_dropped_silently():
    base = base_with((0, 8, "actor"), (9, 15, "warning"))  # s1 Sullivan, s2 warned
    theirs = copy(base)
    theirs.insert_relation(theirs.new_relation("source", "s2", "s1"))  # they linked warned -> Sullivan
    mine = copy(base)
    remove_spans_command(mine, ["s1"]).redo(mine)  # I deleted Sullivan
    merged = merge_annotations(base, theirs, mine)
    # Their link needs a span I removed: a conflict, like the symmetric case (my new link to a span they removed).
    assert merged is None, f"merged silently, their link is gone: links={link_texts(merged)}"


def test_review_B1_my_relabel_plus_their_new_link_gives_an_invalid_file():
    base = base_with((0, 8, "actor"), (9, 15, "warning"))
    theirs = copy(base)
    theirs.insert_relation(theirs.new_relation("source", "s2", "s1"))  # warned -> Sullivan (actor)
    mine = copy(base)
    relabel_command(mine, "s1", "claim").redo(mine)  # I relabeled Sullivan actor -> claim
    merged = merge_annotations(base, theirs, mine)
    assert merged is None or valid(merged)  # FileFault: a source link must end at an actor span, not claim


def test_review_B2_reused_id_retargets_their_link_to_a_span_nobody_linked():
    # An id can be handed out again (a file whose highest ids were freed, another tool): I delete Sullivan (s1), and
    # Beijing, which I mark, gets "s1".
    base = base_with((0, 8, "actor"), (9, 15, "warning"))
    mine = copy(base)
    remove_spans_command(mine, ["s1"]).redo(mine)
    beijing = mine.new_span(52, 59, "actor").model_copy(update={"id": "s1"})
    mine.insert(beijing)
    theirs = copy(base)
    theirs.insert_relation(theirs.new_relation("source", "s2", "s1"))  # they: warned -> Sullivan
    merged = merge_annotations(base, theirs, mine)
    links = link_texts(merged) if merged is not None else None
    assert merged is None or ("source", "warned", "Beijing") not in links, (
        f"their link warned->Sullivan became warned->Beijing, which nobody made: {links}"
    )


def test_review_C_my_link_removal_is_lost_when_they_touched_an_end():
    base = base_with((0, 8, "actor"), (9, 15, "warning"), links=[("source", "s2", "s1")])
    theirs = copy(base)
    EditSpan(theirs.get("s1"), note="the US adviser").redo(theirs)  # they added a note on Sullivan
    mine = copy(base)
    RemoveRelations(mine.relations()).redo(mine)  # I removed the link
    merged = merge_annotations(base, theirs, mine)
    assert merged is None or not merged.relations(), f"my link removal is lost: {link_texts(merged)}"


def test_review_D1_my_relabel_onto_their_new_span_duplicates_it():
    base = base_with((52, 59, "claim"))  # s1 Beijing (claim)
    theirs = copy(base)
    theirs.insert(theirs.new_span(52, 59, "actor"))  # they marked Beijing as actor too
    mine = copy(base)
    relabel_command(mine, "s1", "actor").redo(mine)  # I relabeled my claim Beijing -> actor
    merged = merge_annotations(base, theirs, mine)
    keys = [(s.start, s.end, s.label) for s in merged.sorted_spans()] if merged is not None else []
    assert len(keys) == len(set(keys)), f"twin spans (same offsets and label): {keys}"


def test_review_D2_same_span_added_on_both_sides_with_different_notes_gives_twins():
    base = base_with()
    theirs = copy(base)
    theirs.insert(theirs.new_span(0, 8, "actor"))
    mine = copy(base)
    span = mine.new_span(0, 8, "actor")
    mine.insert(span.model_copy(update={"note": "US adviser"}))
    merged = merge_annotations(base, theirs, mine)
    keys = [(s.start, s.end, s.label) for s in merged.sorted_spans()] if merged is not None else []
    assert len(keys) == len(set(keys)), f"twin spans (same offsets and label): {keys}"


def test_review_D3_my_resize_onto_their_new_span_duplicates_it():
    base = base_with((9, 14, "warning"))  # "warne"
    theirs = copy(base)
    theirs.insert(theirs.new_span(9, 15, "warning"))  # they marked "warned"
    mine = copy(base)
    ResizeSpan(mine.get("s1"), 9, 15, TEXT[9:15]).redo(mine)  # I fixed mine to "warned"
    merged = merge_annotations(base, theirs, mine)
    keys = [(s.start, s.end, s.label) for s in merged.sorted_spans()] if merged is not None else []
    assert len(keys) == len(set(keys)), f"twin spans: {keys}"


def test_merging_keeps_the_document_metadata():
    document = Document.from_text("Yang denied it.")
    metadata = {"url": "https://example.org/yang"}
    base = AnnotationSet(document, LABELS, "alice", metadata=metadata)
    theirs = AnnotationSet(document, LABELS, "alice", metadata=metadata)
    mine = AnnotationSet(document, LABELS, "alice", metadata=metadata)
    mine.insert(mine.new_span(0, 4, "actor"))

    merged = merge_annotations(base, theirs, mine)

    assert merged is not None and merged.metadata == metadata and len(merged) == 1
