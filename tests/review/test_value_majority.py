"""Merging attribute values, document labels and actor entities into gold by majority; ties listed, not broken."""

from __future__ import annotations

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.labels import LabelSet
from annotator.model.span import Span
from annotator.review.majority import gold_annotation_set, majority_merge
from annotator.review.units import DocumentAnnotations

TEXT = "Price said it. Smith said so, Price added."
PRICE, SMITH, PRICE_2 = (0, 5), (15, 20), (30, 35)


def _actor(where, kind=None, entity="", number=1) -> Span:
    start, end = where
    return Span(
        id=f"s{number}",
        start=start,
        end=end,
        label="actor",
        text=TEXT[start:end],
        attributes={} if kind is None else {"kind": kind},
        entity=entity,
    )


def _document(spans, labels=None, label_set=None) -> DocumentAnnotations:
    return DocumentAnnotations(
        "doc", TEXT, spans, document_labels=labels or {}, label_set=label_set or default_label_set()
    )


def _gold(result, where):
    return next(g.span for g in result.gold if (g.span.start, g.span.end) == where)


def test_two_of_three_give_the_attribute_value_and_a_three_way_split_is_a_tie():
    result = majority_merge(
        _document(
            {
                "alice": (_actor(PRICE, "person"), _actor(SMITH, "person", number=2)),
                "bob": (_actor(PRICE, "person"), _actor(SMITH, "organisation", number=2)),
                "carol": (_actor(PRICE, "role"), _actor(SMITH, None, number=2)),
            }
        )
    )
    assert _gold(result, PRICE).attributes == {"kind": "person"}
    assert _gold(result, SMITH).attributes == {}  # no majority: left unset
    (tie,) = result.ties
    assert tie.name == "kind"
    assert tie.votes == (("person", ("alice",)), ("organisation", ("bob",)), ("(unset)", ("carol",)))
    assert tie.description() == (
        "actor [15, 20) 'Smith': kind: person (alice) vs organisation (bob) vs (unset) (carol); "
        "no majority of 3 annotators, left unset in gold"
    )


def test_only_the_annotators_who_have_the_span_vote_and_a_majority_for_unset_stores_nothing():
    result = majority_merge(
        _document(
            {
                "alice": (_actor(PRICE, None),),
                "bob": (_actor(PRICE, None),),
                "carol": (_actor(PRICE, "person"), _actor(SMITH, "person", number=2)),
            }
        )
    )
    assert _gold(result, PRICE).attributes == {}
    assert result.ties == ()
    assert [g.span.start for g in result.gold] == [0]  # Smith: carol only, not gold


def test_a_two_annotator_split_is_a_tie():
    result = majority_merge(_document({"alice": (_actor(PRICE, "person"),), "bob": (_actor(PRICE, "government"),)}))
    assert _gold(result, PRICE).attributes == {}
    assert [t.description() for t in result.ties] == [
        "actor [0, 5) 'Price': kind: person (alice) vs government (bob); no majority of 2 annotators, "
        "left unset in gold"
    ]


def test_document_labels_by_majority_and_ties():
    spans = {"alice": (), "bob": (), "carol": ()}
    result = majority_merge(
        _document(
            spans,
            {
                "alice": {"relevance": "relevant"},
                "bob": {"relevance": "relevant"},
                "carol": {"relevance": "not relevant"},
            },
        )
    )
    assert result.document_labels == {"relevance": "relevant"}
    assert result.ties == ()
    tied = majority_merge(_document({"alice": (), "bob": ()}, {"alice": {"relevance": "relevant"}}))
    assert tied.document_labels == {}
    assert [t.description() for t in tied.ties] == [
        "document: relevance: relevant (alice) vs (unset) (bob); no majority of 2 annotators, left unset in gold"
    ]


def test_a_multiple_document_label_takes_each_value_a_majority_chose():
    label_set = LabelSet.model_validate(
        {
            **default_label_set().model_dump(),
            "document_labels": [{"name": "topic", "values": ["economy", "politics", "war"], "multiple": True}],
        }
    )
    chosen = {
        "alice": {"topic": ["economy", "politics"]},
        "bob": {"topic": ["economy"]},
        "carol": {"topic": ["economy", "politics", "war"]},
        "dave": {},
    }
    result = majority_merge(_document({name: () for name in chosen}, chosen, label_set))
    # economy 3 of 4: in; politics 2 of 4: a tie; war 1 of 4: out
    assert result.document_labels == {"topic": ["economy"]}
    (tie,) = result.ties
    assert tie.name == "topic: politics"
    assert tie.votes == (("yes", ("alice", "carol")), ("no", ("bob", "dave")))


def test_entities_are_kept_where_a_majority_grouped_the_same_gold_spans(tmp_path):
    result = majority_merge(
        _document(
            {
                "alice": (_actor(PRICE, entity="e1"), _actor(SMITH, number=2), _actor(PRICE_2, entity="e1", number=3)),
                "bob": (_actor(PRICE, entity="e7"), _actor(SMITH, entity="e7", number=2), _actor(PRICE_2, number=3)),
                "carol": (_actor(PRICE, entity="e2"), _actor(SMITH, number=2), _actor(PRICE_2, entity="e2", number=3)),
            }
        )
    )
    # Price + Price (alice, carol): grouped; Price + Smith (bob only): not
    assert _gold(result, PRICE).entity == _gold(result, PRICE_2).entity == "e1"
    assert _gold(result, SMITH).entity == ""
    document = _document({"alice": (), "bob": ()})
    gold = gold_annotation_set(document, result, default_label_set())
    path = tmp_path / "gold.annotations.json"
    annotation_file.save(gold, path)
    loaded = annotation_file.load(path)
    assert [s.entity for s in loaded.sorted_spans()] == ["e1", "", "e1"]


def test_a_two_annotator_entity_needs_both():
    result = majority_merge(
        _document(
            {
                "alice": (_actor(PRICE, entity="e1"), _actor(PRICE_2, entity="e1", number=2)),
                "bob": (_actor(PRICE), _actor(PRICE_2, number=2)),
            }
        )
    )
    assert [g.span.entity for g in result.gold] == ["", ""]


def test_gold_file_keeps_the_majority_values_and_document_labels(tmp_path):
    document = _document(
        {"alice": (_actor(PRICE, "person"),), "bob": (_actor(PRICE, "person"),), "carol": (_actor(PRICE, "role"),)},
        {name: {"relevance": "relevant"} for name in ("alice", "bob", "carol")},
    )
    result = majority_merge(document)
    path = tmp_path / "gold.annotations.json"
    annotation_file.save(gold_annotation_set(document, result, default_label_set()), path)
    loaded = annotation_file.load(path)
    assert [s.attributes for s in loaded.sorted_spans()] == [{"kind": "person"}]
    assert loaded.document_labels == {"relevance": "relevant"}
