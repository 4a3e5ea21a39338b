"""Relations (attribution links), the commands that edit spans, notes and links, and span navigation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from annotator.model.annotation_set import AnnotationSet, relation_faults
from annotator.model.commands import (
    AddRelation,
    AddSpans,
    EditSpan,
    ResizeSpan,
    merge_label_command,
    relabel_command,
    remove_spans_command,
    rename_label_command,
)
from annotator.model.document import Document
from annotator.model.navigation import SpanCover, link_candidates, sentence_range, step_through_spans
from annotator.model.relation import Relation
from annotator.model.span import Span
from tests.model.support import LABELS

TEXT = "Sullivan warned that China would face consequences. Beijing denied it. Sullivan said more."
#       0         1         2         3         4         5         6         7         8
#       0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890


def snapshot(annotations: AnnotationSet) -> tuple:
    return (annotations.sorted_spans(), annotations.relations(), annotations.label_set)


@pytest.fixture
def doc() -> AnnotationSet:
    annotations = AnnotationSet(Document.from_text(TEXT), LABELS, "alice")
    for start, end, label in [(0, 8, "actor"), (21, 50, "warning"), (21, 26, "actor"), (52, 59, "actor")]:
        annotations.insert(annotations.new_span(start, end, label))
    # s1 Sullivan, s2 warning, s3 China, s4 Beijing
    return annotations


def test_relation_uses_from_as_its_json_key_and_refuses_self_links():
    relation = Relation(id="r1", type="source", **{"from": "s2"}, to="s1")
    assert relation.model_dump(mode="json") == {"id": "r1", "type": "source", "from": "s2", "to": "s1"}
    assert Relation.model_validate({"id": "r1", "type": "source", "from": "s2", "to": "s1"}) == relation
    with pytest.raises(ValidationError, match="itself"):
        Relation(id="r1", type="source", from_="s1", to="s1")


def test_new_relation_checks_ends_and_label_constraints(doc):
    relation = doc.new_relation("source", "s2", "s1")
    assert (relation.id, relation.from_, relation.to) == ("r1", "s2", "s1")
    with pytest.raises(ValueError, match="must start at a claim or warning or denial span, not actor"):
        doc.new_relation("source", "s1", "s3")
    claim = doc.new_span(71, 79, "claim")
    doc.insert(claim)
    with pytest.raises(ValueError, match="must end at an actor span, not claim"):
        doc.new_relation("source", "s2", claim.id)
    with pytest.raises(ValueError, match="cannot be linked to itself"):
        doc.new_relation("source", "s2", "s2")
    with pytest.raises(ValueError, match="does not exist"):
        doc.new_relation("source", "s2", "s99")
    with pytest.raises(ValueError, match="not a relation type"):
        doc.new_relation("cause", "s2", "s1")


def test_relation_faults_lists_every_problem(doc):
    spans = {s.id: s for s in doc}
    faults = relation_faults(Relation(id="r1", type="source", from_="s98", to="s99"), spans, LABELS)
    assert faults == ["from span 's98' does not exist", "to span 's99' does not exist"]


def test_deleting_a_span_removes_its_links_in_one_undoable_step(doc):
    AddRelation(doc.new_relation("source", "s2", "s1")).redo(doc)
    AddRelation(doc.new_relation("target", "s2", "s3")).redo(doc)
    before = snapshot(doc)
    command = remove_spans_command(doc, ["s2"])
    change = command.redo(doc)
    assert [s.id for s in change.removed] == ["s2"]
    assert {r.id for r in change.relations_removed} == {"r1", "r2"}
    assert doc.relations() == [] and "s2" not in doc
    command.undo(doc)
    assert snapshot(doc) == before


def test_deleting_an_actor_removes_links_pointing_at_it_only(doc):
    AddRelation(doc.new_relation("source", "s2", "s1")).redo(doc)
    AddRelation(doc.new_relation("target", "s2", "s3")).redo(doc)
    remove_spans_command(doc, ["s3"]).redo(doc)
    assert [(r.type, r.to) for r in doc.relations()] == [("source", "s1")]
    assert remove_spans_command(doc, ["nope"]) is None


def test_relabeling_removes_links_the_new_label_does_not_allow(doc):
    AddRelation(doc.new_relation("source", "s2", "s1")).redo(doc)
    before = snapshot(doc)
    command = relabel_command(doc, "s2", "claim")
    command.redo(doc)
    assert doc.get("s2").label == "claim" and len(doc.relations()) == 1  # claims may have sources too
    command.undo(doc)
    command = relabel_command(doc, "s2", "actor")
    change = command.redo(doc)
    assert [r.id for r in change.relations_removed] == ["r1"] and doc.relations() == []
    command.undo(doc)
    assert snapshot(doc) == before
    assert relabel_command(doc, "s2", "warning") is None
    with pytest.raises(ValueError, match="not in the label set"):
        relabel_command(doc, "s2", "threat")


def test_resize_and_edit_note_are_undoable_changes_of_one_span(doc):
    span = doc.get("s2")
    resize = ResizeSpan(span, 21, 32, TEXT[21:32])
    change = resize.redo(doc)
    assert change.changed[0][1].text == "China would" and doc.get("s2").id == "s2"
    resize.undo(doc)
    assert doc.get("s2") == span
    with pytest.raises(ValueError, match="already covers"):
        ResizeSpan(span, span.start, span.end, span.text)
    edit = EditSpan(span, note="Conditional threat; check the source.", uncertain=True)
    assert edit.text == "Edit note"
    edit.redo(doc)
    assert (doc.get("s2").note, doc.get("s2").uncertain) == ("Conditional threat; check the source.", True)
    edit.undo(doc)
    assert doc.get("s2") == span
    assert EditSpan(span, uncertain=True).text == "Mark span uncertain"
    with pytest.raises(ValueError, match="already has"):
        EditSpan(span, note="", uncertain=False)


def test_add_spans_is_one_step(doc):
    spans = [doc.new_span(71, 79, "actor")]
    command = AddSpans(spans)
    assert command.text == "Add 1 actor spans"
    command.redo(doc)
    assert doc.get(spans[0].id).text == "Sullivan"
    command.undo(doc)
    assert spans[0].id not in doc


def test_rename_label_renames_spans_label_set_and_relation_types(doc):
    AddRelation(doc.new_relation("source", "s2", "s1")).redo(doc)
    before = snapshot(doc)
    command = rename_label_command(doc, "actor", "speaker")
    change = command.redo(doc)
    assert change.label_set is not None
    assert doc.label_set.names == ["speaker", "claim", "warning", "denial"]
    assert doc.label_set.relation_type("source").to_labels == ("speaker",)
    assert {s.label for s in doc} == {"speaker", "warning"}
    assert len(doc.relations()) == 1
    command.undo(doc)
    assert snapshot(doc) == before
    with pytest.raises(ValueError):
        rename_label_command(doc, "actor", "claim")


def test_merge_label_folds_twins_and_moves_their_links(doc):
    # A claim over exactly the warning's offsets: merging warning into claim makes them twins.
    claim = doc.new_span(21, 50, "claim")
    doc.insert(claim)
    AddRelation(doc.new_relation("source", "s2", "s1")).redo(doc)  # the warning's source
    AddRelation(doc.new_relation("source", claim.id, "s1")).redo(doc)  # the claim already has the same link
    AddRelation(doc.new_relation("target", "s2", "s3")).redo(doc)
    before = snapshot(doc)
    command = merge_label_command(doc, "warning", "claim")
    command.redo(doc)
    assert "warning" not in doc.label_set.names
    assert "s2" not in doc  # folded into its twin
    assert sorted((r.type, r.from_, r.to) for r in doc.relations()) == [
        ("source", claim.id, "s1"),
        ("target", claim.id, "s3"),
    ]
    command.undo(doc)
    assert snapshot(doc) == before


def test_step_through_spans_wraps_and_starts_from_the_caret(doc):
    spans = doc.sorted_spans()  # s1 [0,8), s3 [21,26), s2 [21,50), s4 [52,59)
    assert [s.id for s in spans] == ["s1", "s3", "s2", "s4"]
    assert step_through_spans(spans, None, 10, +1).id == "s3"
    assert step_through_spans(spans, None, 10, -1).id == "s1"
    assert step_through_spans(spans, None, 0, +1).id == "s1"
    assert step_through_spans(spans, spans[1], 0, +1).id == "s2"
    assert step_through_spans(spans, spans[-1], 0, +1).id == "s1"
    assert step_through_spans(spans, spans[0], 0, -1).id == "s4"
    assert step_through_spans([], None, 0, +1) is None


def test_link_candidates_are_allowed_actors_nearest_first(doc):
    doc.insert(doc.new_span(71, 79, "actor"))  # s5, the second "Sullivan"
    candidates = link_candidates(doc, "source", "s2")
    # Its own sentence first, outside the warning (Sullivan) before inside it (China, what the warning is about),
    # then later sentences (Beijing, the second Sullivan).
    assert [s.id for s in candidates] == ["s1", "s3", "s4", "s5"]
    assert link_candidates(doc, "source", "s1") == []  # an actor cannot start a source link


def test_label_set_change_round_trips_through_change_inverse(doc):
    command = rename_label_command(doc, "warning", "threat")
    change = command.redo(doc)
    inverse = change.inverse()
    assert inverse.label_set == (change.label_set[1], change.label_set[0])
    assert change.span_ids == {"s2"}


def test_span_defaults_for_note_and_flag():
    span = Span(id="s1", start=0, end=1, label="actor", text="S")
    assert (span.note, span.uncertain) == ("", False)


def test_sentence_range_keeps_initials_and_stops_at_sentence_ends():
    text = "Another U.S. official said China would pay. “It will,” Price said.\nNew line."
    start = text.index("China")
    assert text[slice(*sentence_range(text, start, start + 5))] == "Another U.S. official said China would pay"
    start = text.index("It")
    assert text[slice(*sentence_range(text, start, start + 2))] == "“It will,” Price said"


def test_span_cover_answers_containment():
    spans = [
        Span(id="a", start=0, end=51, label="actor", text="x" * 51),
        Span(id="b", start=60, end=65, label="actor", text="y" * 5),
    ]
    cover = SpanCover(spans)
    assert cover.covers(43, 51) and cover.covers(0, 51) and cover.covers(61, 64)
    assert not cover.covers(50, 52) and not cover.covers(52, 55) and not SpanCover([]).covers(0, 1)


def test_merging_into_a_twin_keeps_the_folded_spans_note_and_flag(doc):
    warning = doc.get("s2")
    doc.replace(warning.model_copy(update={"note": "keep me"}))
    claim = doc.new_span(21, 50, "claim").model_copy(update={"note": "IMPORTANT", "uncertain": True})
    doc.insert(claim)
    before = snapshot(doc)
    command = merge_label_command(doc, "claim", "warning")
    command.redo(doc)
    assert claim.id not in doc
    assert (doc.get("s2").note, doc.get("s2").uncertain) == ("keep me\nIMPORTANT", True)
    command.undo(doc)
    assert snapshot(doc) == before
