"""Attribute and document-label disagreements, and adjudicating them into gold (choose one annotator's value)."""

from __future__ import annotations

import pytest

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.span import Span
from annotator.review.adjudication import Adjudication, initial_gold
from annotator.review.units import DocumentAnnotations
from annotator.review.value_disagreements import find_value_disagreements
from annotator.review.value_majority import merge_entities

TEXT = "Price said it was over. Smith said so."
PRICE, SMITH, SAID = (0, 5), (24, 29), (6, 22)


def _span(where, label, number, **fields) -> Span:
    start, end = where
    return Span(id=f"s{number}", start=start, end=end, label=label, text=TEXT[start:end], **fields)


def _document(alice, bob, alice_labels=None, bob_labels=None) -> DocumentAnnotations:
    return DocumentAnnotations(
        "doc",
        TEXT,
        {"alice": tuple(alice), "bob": tuple(bob)},
        document_labels={"alice": alice_labels or {}, "bob": bob_labels or {}},
        label_set=default_label_set(),
    )


@pytest.fixture
def document() -> DocumentAnnotations:
    return _document(
        [
            _span(PRICE, "actor", 1, attributes={"kind": "person"}, entity="e1"),
            _span(SAID, "claim", 2, attributes={"quote": "indirect"}),
            _span(SMITH, "actor", 3, attributes={"kind": "role"}),
        ],
        [
            _span(PRICE, "actor", 1, attributes={"kind": "organisation"}),
            _span(SAID, "claim", 2, attributes={"quote": "indirect"}),
        ],
        {"relevance": "relevant"},
        {"relevance": "not relevant"},
    )


def test_disagreements_on_values_of_agreed_spans_and_document_labels(document):
    found = find_value_disagreements(document)
    assert [d.description() for d in found] == [
        "kind: person (alice) vs organisation (bob) on actor [0, 5) 'Price'",
        "relevance: relevant (alice) vs not relevant (bob) on the document",
    ]  # the claim's quote agrees; Smith is a span disagreement (bob has no span there)


def test_initial_gold_keeps_agreed_values_only_and_no_entity(document):
    gold = initial_gold(document, default_label_set())
    price, said = gold.sorted_spans()
    assert price.attributes == {} and price.entity == ""
    assert said.attributes == {"quote": "indirect"}
    assert gold.document_labels == {}


def test_choosing_values_undo_and_save(document, tmp_path):
    adjudication = Adjudication(document, initial_gold(document, default_label_set()))
    assert adjudication.values_decided == set()
    decision = adjudication.choose_value(0, "bob")
    decision.redo(adjudication.gold)
    assert adjudication.gold_value(0) == "organisation"
    assert adjudication.values_decided == {0}
    decision.undo(adjudication.gold)
    assert adjudication.gold_value(0) is None and adjudication.values_decided == set()
    decision.redo(adjudication.gold)
    adjudication.choose_value(1, "alice").redo(adjudication.gold)
    assert adjudication.gold.document_labels == {"relevance": "relevant"}
    assert adjudication.next_undecided_value(None) is None
    path = tmp_path / "gold.annotations.json"
    annotation_file.save(adjudication.gold, path)
    loaded = annotation_file.load(path)
    assert loaded.sorted_spans()[0].attributes == {"kind": "organisation"}
    assert loaded.document_labels == {"relevance": "relevant"}
    resumed = Adjudication(document, loaded)  # carrying on: gold holds one annotator's value: decided
    assert resumed.values_decided == {0, 1}


def test_an_accepted_span_takes_the_values_its_annotators_agree_on(document):
    adjudication = Adjudication(document, initial_gold(document, default_label_set()))
    (smith,) = [i for i, d in enumerate(adjudication.disagreements) if d.start == SMITH[0]]
    (candidate,) = adjudication.candidates(smith)
    adjudication.accept(smith, candidate).redo(adjudication.gold)
    assert adjudication.in_gold(candidate).attributes == {"kind": "role"}


def test_a_value_of_a_span_not_in_gold_cannot_be_chosen(document):
    gold = initial_gold(document, default_label_set())
    gold.delete(gold.sorted_spans()[0].id)
    adjudication = Adjudication(document, gold)
    with pytest.raises(ValueError, match="not in gold"):
        adjudication.choose_value(0, "alice")
    with pytest.raises(ValueError, match="not one of the annotators"):
        adjudication.choose_value(1, "carol")


def test_initial_gold_keeps_an_entity_every_annotator_grouped_alike():
    price_2 = (TEXT.index("Smith"), TEXT.index("Smith") + 5)  # "Smith" stands in for a second mention
    spans = {
        name: [
            _span(PRICE, "actor", 1, entity=entity),
            _span(price_2, "actor", 2, entity=entity),
            _span(SAID, "claim", 3),
        ]
        for name, entity in (("alice", "e1"), ("bob", "e4"))
    }
    document = _document(spans["alice"], spans["bob"])
    gold = initial_gold(document, default_label_set())
    first, said, second = gold.sorted_spans()
    assert first.entity == second.entity == "e1" and said.entity == ""
    assert merge_entities(document, list(gold.sorted_spans())) == {first.id: "e1", second.id: "e1"}  # as merge does
    spans["bob"][1] = spans["bob"][1].model_copy(update={"entity": ""})  # bob did not group them: not in gold
    assert {s.entity for s in initial_gold(_document(spans["alice"], spans["bob"]), default_label_set())} == {""}
