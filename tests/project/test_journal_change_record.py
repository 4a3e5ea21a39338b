"""The journal's record of one change (:class:`ChangeRecord`) holds every field of the model's :class:`Change`, field
by field, so a field added to a change cannot be left out of crash recovery."""

from __future__ import annotations

import dataclasses
import json
import typing

from annotator.model.annotation_set import Change
from annotator.model.labels import Label
from annotator.model.pending import PendingLink, PendingSuggestion, RejectedSuggestion
from annotator.model.relation import Relation
from annotator.model.span import Span
from annotator.model.status import DocumentStatus
from annotator.project.journal import ChangeRecord
from tests.model.support import LABELS


def record_type(change_type: typing.Any) -> typing.Any:
    """The record's type for a :class:`Change` field's type: JSON has lists, so ``tuple[X, ...]`` is ``list[X]``;
    any other type is the same."""
    if typing.get_origin(change_type) is tuple and typing.get_args(change_type)[1:] == (Ellipsis,):
        return list[typing.get_args(change_type)[0]]
    return change_type


def test_the_record_has_every_field_of_a_change_in_order_with_its_type():
    change_fields = [field.name for field in dataclasses.fields(Change)]
    assert list(ChangeRecord.model_fields) == change_fields
    change_types = typing.get_type_hints(Change)
    assert {name: ChangeRecord.model_fields[name].annotation for name in change_fields} == {
        name: record_type(change_types[name]) for name in change_fields
    }


def test_a_change_with_every_field_set_round_trips_through_the_journals_json():
    actor = Span(id="s1", start=0, end=8, label="actor", text="Sullivan")
    claim = Span(id="s2", start=9, end=15, label="claim", text="warned", note="check", uncertain=True)
    relabeled = claim.model_copy(update={"label": "warning"})
    link = Relation(id="r1", type="source", from_="s2", to="s1")
    renamed = LABELS.model_copy(update={"labels": (*LABELS.labels, Label(name="quote", color="#56b4e9"))})
    suggestion = PendingSuggestion(
        id="g1",
        start=16,
        end=21,
        label="actor",
        text="China",
        score=0.5,
        suggester="string-match",
        reason="labeled actor once",
        links=(PendingLink(type="target", from_="s2", to="g1"),),
    )
    accepted = actor.model_copy(update={"origin": "suggestion", "suggester": "string-match", "score": 0.25})
    relabeled = relabeled.model_copy(update={"attributes": {"quote": "direct", "hedged": True}, "entity": "e1"})
    link = link.model_copy(update={"attributes": {"hedged": False}})
    change = Change(
        added=(actor, accepted.model_copy(update={"id": "s3"})),
        removed=(claim,),
        changed=((claim, relabeled),),
        relations_added=(link,),
        relations_removed=(link.model_copy(update={"id": "r2"}),),
        label_set=(LABELS, renamed),
        status=(DocumentStatus.IN_PROGRESS, DocumentStatus.DONE),
        suggestions_added=(suggestion,),
        suggestions_removed=(suggestion.model_copy(update={"id": "g2", "links": ()}),),
        rejected_added=(suggestion.rejected(),),
        rejected_removed=(RejectedSuggestion(start=0, end=8, label="actor"),),
        document_labels=({}, {"relevance": "relevant", "topics": ["war", "trade"]}),
    )
    unset = [field.name for field in dataclasses.fields(Change) if getattr(change, field.name) == field.default]
    assert unset == [], "give every field of the sample change a value, so the round trip covers it"

    line = json.dumps(ChangeRecord.of(change).model_dump(mode="json"))  # as RecoveryJournal.record writes it
    assert ChangeRecord.model_validate(json.loads(line)).to_change() == change
