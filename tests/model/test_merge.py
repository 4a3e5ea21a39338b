"""Three-way merge of annotations (recovered work onto a file saved since)."""

from __future__ import annotations

from annotator.model.annotation_set import AnnotationSet
from annotator.model.commands import set_status_command
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
