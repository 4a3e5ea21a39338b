"""Undoable commands for attributes, document labels and entities; the ranking of "same actor as…" candidates."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.attribute_commands import (
    cycle_attribute_command,
    leave_entity_command,
    same_entity_command,
    set_attribute_command,
    set_document_label_command,
    toggle_document_label_command,
)
from annotator.model.commands import change_label_set_command, relabel_command, remove_spans_command
from annotator.model.document import Document
from annotator.model.entities import entity_candidates, match_strength
from annotator.model.labels import LabelSet
from annotator.model.relation import Relation
from tests.model.support import LABELS

TEXT = (
    "State Department spokesman Ned Price said China would pay. Yang denied it. "
    "“We warned them,” Price said. The White House said so; White House aides agreed."
)
RICH = LabelSet.model_validate(
    {
        **LABELS.model_dump(),
        "attributes": [
            {"name": "quote", "type": "enum", "values": ["direct", "indirect", "mixed"], "labels": ["claim", "denial"]},
            {"name": "kind", "type": "enum", "values": ["person", "government"], "labels": ["actor"], "hotkey": "k"},
            {"name": "named", "type": "bool", "default": True, "labels": ["actor"]},
            {"name": "gloss", "type": "text"},
            {"name": "hedged", "type": "bool", "on": "relation", "labels": ["source"]},
        ],
        "document_labels": [
            {"name": "relevance", "values": ["relevant", "not relevant"]},
            {"name": "topics", "values": ["war", "trade", "diplomacy"], "multiple": True},
        ],
    }
)


def annotated() -> AnnotationSet:
    annotations = AnnotationSet(Document.from_text(TEXT), RICH, "alice")
    for word, label in (("State Department spokesman Ned Price", "actor"), ("China would pay", "claim"),
                        ("Yang", "actor"), ("it", "denial"), ("Price", "actor"), ("The White House", "actor"),
                        ("White House aides", "actor")):  # fmt: skip
        start = {"it": TEXT.index(" it.") + 1, "Price": TEXT.rindex("Price")}.get(word, TEXT.index(word))
        annotations.insert(annotations.new_span(start, start + len(word), label))
    annotations.insert_relation(annotations.new_relation("source", "s2", "s1"))
    return annotations


def state(annotations: AnnotationSet) -> tuple:
    return (
        sorted(annotations, key=lambda s: s.id),
        annotations.relations(),
        dict(annotations.document_labels),
    )


def run(annotations: AnnotationSet, command) -> Change:
    before = state(annotations)
    change = command.redo(annotations)
    after = state(annotations)
    command.undo(annotations)
    assert state(annotations) == before
    command.redo(annotations)
    assert state(annotations) == after
    return change


def test_setting_clearing_and_the_default_not_stored():
    annotations = annotated()
    change = run(annotations, set_attribute_command(annotations, "s2", "quote", "indirect"))
    assert [(o.attributes, n.attributes) for o, n in change.changed] == [({}, {"quote": "indirect"})]
    assert set_attribute_command(annotations, "s2", "quote", "indirect") is None
    run(annotations, set_attribute_command(annotations, "s1", "named", False))
    assert annotations.get("s1").attributes == {"named": False}
    command = set_attribute_command(annotations, "s1", "named", True)  # the default: stored as nothing
    assert command is not None and command.text == "Clear named"
    run(annotations, command)
    assert annotations.get("s1").attributes == {}
    run(annotations, set_attribute_command(annotations, "s2", "quote", None))
    assert annotations.get("s2").attributes == {}


@pytest.mark.parametrize(
    ("span", "name", "value", "message"),
    [
        ("s1", "quote", "direct", "attribute 'quote' is not allowed on actor spans (only on claim, denial)"),
        ("s2", "quote", "loud", "attribute 'quote': 'loud' is not one of its values (direct, indirect, mixed)"),
        ("s2", "colour", "red", "attribute 'colour' is not in the label set's span attributes"),
        ("s2", "gloss", True, "attribute 'gloss': must be text, not True"),
    ],
)
def test_values_the_label_set_does_not_allow_are_refused(span, name, value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        set_attribute_command(annotated(), span, name, value)


def test_relation_attributes_replace_the_relation_under_the_same_id():
    annotations = annotated()
    change = run(annotations, set_attribute_command(annotations, "r1", "hedged", True, on="relation"))
    assert [r.id for r in change.relations_removed] == [r.id for r in change.relations_added] == ["r1"]
    assert annotations.get_relation("r1").attributes == {"hedged": True}
    run(annotations, cycle_attribute_command(annotations, "r1", "hedged", on="relation"))
    assert annotations.get_relation("r1").attributes == {}


def test_cycling_goes_through_the_values_then_none():
    annotations = annotated()
    seen = []
    for _ in range(4):
        run(annotations, cycle_attribute_command(annotations, "s1", "kind"))
        seen.append(annotations.get("s1").attributes.get("kind"))
    assert seen == ["person", "government", None, "person"]
    with pytest.raises(ValueError, match="text"):
        cycle_attribute_command(annotations, "s1", "gloss")


def test_document_labels_single_and_multiple():
    annotations = annotated()
    change = run(annotations, set_document_label_command(annotations, "relevance", "relevant"))
    assert change.document_labels == ({}, {"relevance": "relevant"})
    run(annotations, set_document_label_command(annotations, "topics", ["diplomacy", "war"]))
    assert annotations.document_labels["topics"] == ["war", "diplomacy"]  # the label set's order
    run(annotations, toggle_document_label_command(annotations, "topics", "war"))
    run(annotations, toggle_document_label_command(annotations, "topics", "trade"))
    assert annotations.document_labels["topics"] == ["trade", "diplomacy"]
    run(annotations, toggle_document_label_command(annotations, "relevance", "relevant"))
    assert "relevance" not in annotations.document_labels
    assert set_document_label_command(annotations, "relevance", None) is None
    with pytest.raises(ValueError, match="'maybe' is not one of its values"):
        set_document_label_command(annotations, "relevance", "maybe")
    with pytest.raises(ValueError, match="must be a list"):
        set_document_label_command(annotations, "topics", "war")
    with pytest.raises(ValueError, match="document label 'mood' is not in the label set"):
        set_document_label_command(annotations, "mood", "x")


def test_same_actor_as_makes_joins_and_merges_entities():
    annotations = annotated()
    command = same_entity_command(annotations, "s5", "s1")  # Price, same as State Department spokesman Ned Price
    assert command is not None and command.text.startswith("Same actor as 'State Department")
    run(annotations, command)
    assert annotations.get("s5").entity == annotations.get("s1").entity == "e1"
    run(annotations, same_entity_command(annotations, "s7", "s6"))  # the White House: e2
    assert [s.id for s in annotations.entity_mentions("e2")] == ["s6", "s7"]
    run(annotations, same_entity_command(annotations, "s3", "s7"))  # Yang joins e2
    run(annotations, same_entity_command(annotations, "s6", "s5"))  # e2 merges into e1
    assert annotations.entities() == {"e1": [annotations.get(i) for i in ("s1", "s3", "s5", "s6", "s7")]}
    assert same_entity_command(annotations, "s3", "s1") is None
    with pytest.raises(ValueError, match="a claim span cannot be the same entity as a actor span"):
        same_entity_command(annotations, "s2", "s1")


def test_an_entity_of_one_mention_dissolves():
    annotations = annotated()
    run(annotations, same_entity_command(annotations, "s5", "s1"))
    run(annotations, same_entity_command(annotations, "s3", "s1"))
    change = run(annotations, leave_entity_command(annotations, "s3"))
    assert [(n.id, n.entity) for _o, n in change.changed] == [("s3", "")]
    change = run(annotations, leave_entity_command(annotations, "s5"))  # leaves s1 alone: it dissolves too
    assert sorted((n.id, n.entity) for _o, n in change.changed) == [("s1", ""), ("s5", "")]
    assert leave_entity_command(annotations, "s5") is None
    run(annotations, same_entity_command(annotations, "s5", "s1"))
    change = run(annotations, remove_spans_command(annotations, ["s5"]))
    assert [(n.id, n.entity) for _o, n in change.changed] == [("s1", "")]


def test_relabeling_drops_attributes_the_new_label_does_not_allow_and_leaves_the_entity():
    annotations = annotated()
    run(annotations, set_attribute_command(annotations, "s5", "kind", "person"))
    run(annotations, set_attribute_command(annotations, "s5", "gloss", "Ned Price"))
    run(annotations, same_entity_command(annotations, "s5", "s1"))
    change = run(annotations, relabel_command(annotations, "s5", "claim"))
    relabeled = annotations.get("s5")
    assert relabeled.attributes == {"gloss": "Ned Price"} and relabeled.entity == ""
    assert annotations.get("s1").entity == "" and len(change.changed) == 2


def test_candidates_for_same_actor_as_rank_the_likeliest_earlier_mention_first():
    annotations = annotated()
    assert [s.text for s in entity_candidates(annotations, "s5")] == [
        "State Department spokesman Ned Price",
        "Yang",
        "The White House",
        "White House aides",
    ]
    assert entity_candidates(annotations, "s7")[0].text == "The White House"
    run(annotations, same_entity_command(annotations, "s5", "s1"))
    # e1 (s1 and s5) is offered once, by its nearest mention; nothing matches, so the nearest come first
    assert [s.id for s in entity_candidates(annotations, "s6")] == ["s5", "s3", "s7"]
    assert (match_strength("Price", "Ned Price"), match_strength("the White House", "White House")) == (2, 3)
    assert (match_strength("Sullivan", "Sullivan's team"), match_strength("China", "Yang")) == (1, 0)


ACTORS = ["s1", "s3", "s5", "s6", "s7"]
steps = st.lists(
    st.one_of(
        st.tuples(st.just("same"), st.sampled_from(ACTORS), st.sampled_from(ACTORS)),
        st.tuples(st.just("leave"), st.sampled_from(ACTORS), st.none()),
        st.tuples(st.just("remove"), st.sampled_from(ACTORS), st.none()),
        st.tuples(st.just("relabel"), st.sampled_from(ACTORS), st.sampled_from(["claim", "actor"])),
        st.tuples(st.just("cycle"), st.sampled_from(ACTORS), st.sampled_from(["kind", "named"])),
        st.tuples(st.just("doc"), st.sampled_from(["war", "trade", "diplomacy"]), st.none()),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(steps)
def test_undoing_every_step_restores_each_earlier_state_exactly(sequence):
    annotations = annotated()
    done, states = [], [state(annotations)]
    for kind, a, b in sequence:
        spans = {s.id: s for s in annotations}
        command = None
        if kind == "same" and a in spans and b in spans and a != b and spans[a].label == spans[b].label:
            command = same_entity_command(annotations, a, b)
        elif kind == "leave" and a in spans:
            command = leave_entity_command(annotations, a)
        elif kind == "remove" and a in spans:
            command = remove_spans_command(annotations, [a])
        elif kind == "relabel" and a in spans and b is not None:
            command = relabel_command(annotations, a, b)
        elif kind == "cycle" and a in spans and spans[a].label == "actor" and b is not None:
            command = cycle_attribute_command(annotations, a, b)
        elif kind == "doc":
            command = toggle_document_label_command(annotations, "topics", a)
        if command is None:
            continue
        command.redo(annotations)
        done.append(command)
        states.append(state(annotations))
        assert all(len(m) >= 2 for m in annotations.entities().values()), "an entity of one mention was left"
        assert all(len({s.label for s in m}) == 1 for m in annotations.entities().values())
    for command in reversed(done):
        command.undo(annotations)
        states.pop()
        assert state(annotations) == states[-1]


def test_relation_attributes_travel_with_the_relation():
    relation = Relation(id="r1", type="source", from_="s2", to="s1", attributes={"hedged": True})
    assert relation.model_dump(by_alias=True)["attributes"] == {"hedged": True}
    assert "attributes" not in Relation(id="r1", type="source", from_="s2", to="s1").model_dump()


def test_switching_to_a_label_set_without_them_drops_attributes_and_document_labels_in_one_undoable_step():
    annotations = annotated()
    run(annotations, set_attribute_command(annotations, "s2", "quote", "direct"))
    run(annotations, set_attribute_command(annotations, "s1", "gloss", "spokesman"))
    run(annotations, set_attribute_command(annotations, "r1", "hedged", True, on="relation"))
    run(annotations, set_document_label_command(annotations, "relevance", "relevant"))
    run(annotations, set_document_label_command(annotations, "topics", ["war"]))
    smaller = RICH.model_copy(
        update={"attributes": (RICH.attribute("gloss"),), "document_labels": (RICH.document_label("topics"),)}
    )
    command = change_label_set_command(annotations, smaller, {}, "Use smaller set")

    change = run(annotations, command)

    assert annotations.get("s2").attributes == {} and annotations.get("s1").attributes == {"gloss": "spokesman"}
    assert annotations.get_relation("r1").attributes == {}
    assert annotations.document_labels == {"topics": ["war"]}
    assert change.document_labels == ({"relevance": "relevant", "topics": ["war"]}, {"topics": ["war"]})
    command.undo(annotations)
    assert annotations.get("s2").attributes == {"quote": "direct"} and annotations.document_labels["relevance"]
