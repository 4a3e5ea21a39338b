"""Pending suggestions in the annotation set: accepting, rejecting and undoing them, and the origin of spans."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from annotator.model.annotation_set import AnnotationSet
from annotator.model.commands import (
    ResizeSpan,
    accept_suggestions_command,
    reject_suggestions_command,
    relabel_command,
    remove_accepted_command,
    remove_spans_command,
    replace_suggestions_change,
)
from annotator.model.document import Document
from annotator.model.pending import PendingLink, PendingSuggestion, RejectedSuggestion
from annotator.model.relation import Relation
from annotator.model.span import Span
from tests.model.support import LABELS

TEXT = "Sullivan warned China. Sullivan left."


def pending(id_: str, start: int, end: int, label: str = "actor", score: float = 0.75, suggester: str = "string-match"):
    return PendingSuggestion(
        id=id_,
        start=start,
        end=end,
        label=label,
        text=TEXT[start:end],
        score=score,
        suggester=suggester,
        reason="labeled actor 3 of 4 times",
    )


def annotated() -> AnnotationSet:
    spans = [Span(id="s1", start=0, end=8, label="actor", text="Sullivan")]
    return AnnotationSet(
        Document.from_text(TEXT), LABELS, "alice", spans, suggestions=[pending("g1", 23, 31), pending("g2", 16, 21)]
    )


def state(annotations: AnnotationSet):
    return (
        [(s.id, s.start, s.end, s.label, s.origin, s.suggester, s.score) for s in annotations.sorted_spans()],
        [s.id for s in annotations.suggestions()],
        [r.key for r in annotations.rejected()],
    )


def test_accepting_makes_a_span_from_the_suggestion_and_undo_brings_the_suggestion_back():
    annotations = annotated()
    before = state(annotations)
    command = accept_suggestions_command(annotations, ["g1"])
    assert command is not None and command.text == "Accept actor suggestion"

    change = command.redo(annotations)

    (span,) = change.added
    assert (span.start, span.end, span.label, span.text) == (23, 31, "actor", "Sullivan")
    assert (span.origin, span.suggester, span.score) == ("suggestion", "string-match", 0.75)
    assert [s.id for s in change.suggestions_removed] == ["g1"]
    assert [s.id for s in annotations.suggestions()] == ["g2"]
    command.undo(annotations)
    assert state(annotations) == before


def test_accepting_with_another_label_is_an_edited_suggestion():
    annotations = annotated()
    command = accept_suggestions_command(annotations, ["g2"], label="claim")
    assert command is not None and command.text == "Accept actor suggestion as claim"
    (span,) = command.redo(annotations).added
    assert (span.label, span.origin, span.score) == ("claim", "suggestion-edited", 0.75)


def test_accepting_as_another_label_rejects_the_suggested_label_there_in_the_same_step():
    annotations = annotated()
    before = state(annotations)
    command = accept_suggestions_command(annotations, ["g2"], label="claim")
    assert command is not None
    command.redo(annotations)
    assert annotations.rejected() == [RejectedSuggestion(start=16, end=21, label="actor", suggester="string-match")]
    command.undo(annotations)  # one step: undo forgets the rejection with the span
    assert state(annotations) == before and annotations.rejected() == []
    plain = accept_suggestions_command(annotations, ["g1"])  # accepted as suggested: nothing rejected
    assert plain is not None and plain.change.rejected_added == ()


def test_deleting_a_span_accepted_from_a_suggestion_rejects_it_and_undo_forgets_it():
    annotations = annotated()
    accept = accept_suggestions_command(annotations, ["g1", "g2"])
    assert accept is not None
    accept.redo(annotations)
    relabel = relabel_command(annotations, next(s.id for s in annotations if s.start == 16), "warning")
    assert relabel is not None
    relabel.redo(annotations)  # suggestion-edited: its label now is the analyst's
    before = state(annotations)
    accepted = [s.id for s in annotations if s.origin != "manual"]
    command = remove_spans_command(annotations, accepted)
    assert command is not None
    command.redo(annotations)
    assert annotations.rejected_keys() == {(23, 31, "actor"), (16, 21, "warning")}
    assert {r.suggester for r in annotations.rejected()} == {"string-match"}
    command.undo(annotations)
    assert state(annotations) == before


def test_deleting_a_manual_span_rejects_nothing():
    annotations = annotated()
    command = remove_spans_command(annotations, ["s1"])
    assert command is not None and command.change.rejected_added == ()
    command.redo(annotations)
    assert annotations.rejected() == []


def test_rejecting_remembers_the_suggestion_and_undo_forgets_it():
    annotations = annotated()
    before = state(annotations)
    command = reject_suggestions_command(annotations, ["g2", "nope"])
    assert command is not None
    command.redo(annotations)
    assert [s.id for s in annotations.suggestions()] == ["g1"]
    assert annotations.rejected() == [RejectedSuggestion(start=16, end=21, label="actor", suggester="string-match")]
    assert annotations.rejected_keys() == {(16, 21, "actor")}
    command.undo(annotations)
    assert state(annotations) == before
    assert reject_suggestions_command(annotations, ["nope"]) is None


def test_accepting_all_is_one_step_and_skips_what_is_already_a_span():
    annotations = annotated()
    annotations.insert_suggestion(pending("g3", 0, 8))  # already the span s1
    before = state(annotations)
    command = accept_suggestions_command(annotations, ["g1", "g2", "g3"])
    assert command is not None and command.text == "Accept 3 suggestions"
    change = command.redo(annotations)
    assert len(change.added) == 2 and annotations.suggestions() == []
    assert len(annotations) == 3
    command.undo(annotations)
    assert state(annotations) == before


def test_resizing_or_relabeling_an_accepted_suggestion_makes_it_edited_and_manual_spans_stay_manual():
    annotations = annotated()
    accept = accept_suggestions_command(annotations, ["g1"])
    assert accept is not None
    (span,) = accept.redo(annotations).added
    resized = ResizeSpan(span, 23, 30, TEXT[23:30]).change.changed[0][1]
    assert (resized.origin, resized.suggester, resized.score) == ("suggestion-edited", "string-match", 0.75)
    relabel = relabel_command(annotations, span.id, "claim")
    assert relabel is not None and relabel.change.changed[0][1].origin == "suggestion-edited"
    manual = relabel_command(annotations, "s1", "claim")
    assert manual is not None and manual.change.changed[0][1].origin == "manual"


def test_removing_every_span_accepted_from_a_suggester_is_one_step_with_its_links():
    annotations = annotated()
    accept = accept_suggestions_command(annotations, ["g1", "g2"], label=None)
    assert accept is not None
    accept.redo(annotations)
    relabel = relabel_command(annotations, next(s.id for s in annotations if s.start == 16), "warning")
    assert relabel is not None
    relabel.redo(annotations)
    warning = next(s for s in annotations if s.label == "warning")
    annotations.insert_relation(Relation(id="r1", type="source", from_=warning.id, to="s1"))
    before = state(annotations)

    command = remove_accepted_command(annotations, "string-match")

    assert command is not None and command.text == "Remove 2 spans accepted from string-match"
    command.redo(annotations)
    assert [s.id for s in annotations] == ["s1"] and annotations.relations() == []
    command.undo(annotations)
    assert state(annotations) == before and len(annotations.relations()) == 1
    assert remove_accepted_command(annotations, "gazetteer") is None


def test_replacing_a_suggesters_suggestions_keeps_the_others():
    annotations = annotated()
    annotations.insert_suggestion(pending("g9", 9, 15, "warning", suggester="other"))
    change = replace_suggestions_change(annotations, "string-match", [pending("g1", 23, 31), pending("g5", 0, 8)])
    annotations.apply(change)
    assert [s.id for s in annotations.suggestions()] == ["g5", "g9", "g1"]
    assert [s.id for s in change.suggestions_removed] == ["g2"] and [s.id for s in change.suggestions_added] == ["g5"]


def test_suggestion_ids_must_not_clash_and_shapes_are_checked():
    annotations = annotated()
    with pytest.raises(ValueError, match="duplicate suggestion id"):
        annotations.insert_suggestion(pending("s1", 23, 31))
    assert annotations.new_suggestion_id() == "g3"
    with pytest.raises(ValidationError):
        pending("g4", 5, 5)
    with pytest.raises(ValidationError):
        pending("g4", 0, 8, score=1.5)
    with pytest.raises(ValidationError, match="manual span has no suggester"):
        Span(id="s9", start=0, end=8, label="actor", text="Sullivan", score=0.5)
    link = PendingLink.model_validate({"type": "source", "from": "s1", "to": "g1"})
    assert link.model_dump() == {"type": "source", "from": "s1", "to": "g1"}


def test_manual_spans_serialize_as_before_and_others_carry_their_origin():
    manual = Span(id="s1", start=0, end=8, label="actor", text="Sullivan")
    assert list(manual.model_dump()) == ["id", "start", "end", "label", "text", "note", "uncertain"]
    accepted = manual.model_copy(update={"origin": "suggestion", "suggester": "string-match", "score": 0.5})
    assert accepted.model_dump()["origin"] == "suggestion"
    assert Span.model_validate(accepted.model_dump()) == accepted
