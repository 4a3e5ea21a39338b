"""Agreement on span attributes and document labels (default label set: kind, quote, relevance), by hand."""

from __future__ import annotations

import json

import pytest

from annotator.io.label_set_file import default_label_set
from annotator.model.labels import LabelSet
from annotator.model.span import Span
from annotator.review.agreement import agreement_report
from annotator.review.nominal import nominal_agreement
from annotator.review.units import DocumentAnnotations
from annotator.review.value_agreement import UNSET, attribute_agreement, document_label_agreement

TEXT = "Price said it. Smith said so. Jones said no. Brown said yes. Green ran."
ACTORS = [(0, 5), (15, 20), (30, 35), (45, 50), (61, 66)]  # Price, Smith, Jones, Brown, Green


def _actors(kinds, extra=()) -> tuple[Span, ...]:
    spans = []
    for i, ((start, end), kind) in enumerate(zip(ACTORS, kinds, strict=False), 1):
        if kind == "-":
            continue
        attributes = {} if kind is None else {"kind": kind}
        spans.append(Span(id=f"s{i}", start=start, end=end, label="actor", text=TEXT[start:end], attributes=attributes))
    return tuple(spans) + tuple(extra)


def _document(spans, labels=None, name="doc", label_set=None) -> DocumentAnnotations:
    return DocumentAnnotations(
        name, TEXT, spans, document_labels=labels or {}, label_set=label_set or default_label_set()
    )


def _item(items, name):
    return next(item for item in items if item.name == name)


def test_attribute_kappa_and_alpha_by_hand_unset_is_a_category():
    # matched actors: Price person/person, Smith person/organisation, Jones organisation/organisation,
    # Brown (unset)/person; Green only bob's (not matched, not a unit)
    document = _document(
        {
            "alice": _actors(["person", "person", "organisation", None]),
            "bob": _actors(["person", "organisation", "organisation", "person", "role"]),
        }
    )
    kind = _item(attribute_agreement([document]), "kind")
    (pair,) = kind.pairs
    assert (pair.a, pair.b, pair.units) == ("alice", "bob", 4)
    # p_o = 2/4; alice person 2, organisation 1, (unset) 1; bob person 2, organisation 2
    # p_e = (2*2 + 1*2 + 1*0) / 16 = 6/16; kappa = (8/16 - 6/16) / (10/16) = 0.2
    assert pair.observed.value == pytest.approx(0.5)
    assert pair.cohen_kappa.value == pytest.approx(0.2)
    # alpha: n = 8 values, D_o = 4/8, n_person 4, n_organisation 3, n_unset 1:
    # D_e = (64 - 16 - 9 - 1) / (8 * 7) = 38/56; alpha = 1 - (1/2) / (38/56) = 10/38
    assert kind.units == 4
    assert kind.observed.value == pytest.approx(0.5)
    assert kind.krippendorff_alpha.value == pytest.approx(10 / 38)
    assert kind.fleiss_kappa is None


def test_unset_left_out_would_give_another_kappa():
    # the effect of the rule: leaving Brown's (unset) out would compare 3 spans, p_o 2/3, p_e 4/9 -> kappa 0.4
    assert nominal_agreement(
        "attribute",
        "kind",
        [
            {"a": "person", "b": "person"},
            {"a": "person", "b": "organisation"},
            {"a": "organisation", "b": "organisation"},
        ],
        ["a", "b"],
        ["a", "b"],
        "spans",
    ).pairs[0].cohen_kappa.value == pytest.approx(0.4)
    document = _document(
        {
            "alice": _actors(["person", "person", "organisation", None]),
            "bob": _actors(["person", "organisation", "organisation", "person"]),
        }
    )
    assert _item(attribute_agreement([document]), "kind").pairs[0].cohen_kappa.value == pytest.approx(0.2)


def test_attribute_undefined_cases_say_why():
    # every matched actor is a person for both: expected agreement 1
    same = _document({"alice": _actors(["person", "person"]), "bob": _actors(["person", "person"])})
    items = attribute_agreement([same])
    kind = _item(items, "kind")
    assert kind.pairs[0].observed.value == 1.0
    assert kind.pairs[0].cohen_kappa.value is None
    assert "expected agreement is 1" in kind.pairs[0].cohen_kappa.reason
    assert "person" in kind.pairs[0].cohen_kappa.reason
    assert kind.krippendorff_alpha.value is None and "no expected disagreement" in kind.krippendorff_alpha.reason
    # no claim, warning or denial spans: quote has nothing to compare
    quote = _item(items, "quote")
    assert quote.pairs[0].units == 0
    assert quote.pairs[0].cohen_kappa.value is None
    assert "no matched claim/warning/denial spans in common" in quote.pairs[0].cohen_kappa.reason
    assert quote.krippendorff_alpha.value is None
    # actors that do not match (different offsets) are no units
    apart = _document({"alice": _actors(["person", "-"]), "bob": _actors(["-", "person"])})
    assert _item(attribute_agreement([apart]), "kind").pairs[0].units == 0
    # a single annotator: no pairs, alpha undefined
    alone = _document({"alice": _actors(["person"])})
    kind = _item(attribute_agreement([alone]), "kind")
    assert kind.pairs == [] and "two or more" in kind.krippendorff_alpha.reason


def test_documents_without_label_set_add_no_attributes():
    document = DocumentAnnotations("doc", TEXT, {"alice": _actors(["person"]), "bob": _actors(["person"])})
    assert attribute_agreement([document]) == []
    assert document_label_agreement([document]) == []


def _relevance(*values):
    return {
        name: ({} if value is None else {"relevance": value})
        for name, value in zip(("a", "b", "c"), values, strict=False)
    }


def test_document_label_kappas_and_alpha_by_hand():
    spans = {"a": (), "b": (), "c": ()}
    documents = [
        _document(spans, _relevance("relevant", "relevant", "relevant"), "d1"),
        _document(spans, _relevance("relevant", "relevant", "not relevant"), "d2"),
        _document(spans, _relevance("not relevant", "not relevant", "not relevant"), "d3"),
        _document(spans, _relevance("relevant", "not relevant", None), "d4"),
    ]
    (relevance,) = document_label_agreement(documents)
    assert relevance.name == "relevance"
    ab = relevance.pairs[0]
    # a: r r n r, b: r r n n: p_o 3/4, p_e (3*2 + 1*2)/16 = 1/2, kappa 0.5
    assert (ab.a, ab.b, ab.units) == ("a", "b", 4)
    assert ab.cohen_kappa.value == pytest.approx(0.5)
    # Fleiss: rows (relevant, not relevant, unset) [3,0,0] [2,1,0] [0,3,0] [1,1,1]; P_bar = 7/12,
    # P_e = (36 + 25 + 1)/144 = 62/144; kappa = (84 - 62) / (144 - 62) = 22/82
    assert relevance.fleiss_units == 4
    assert relevance.fleiss_observed.value == pytest.approx(7 / 12)
    assert relevance.fleiss_kappa.value == pytest.approx(22 / 82)
    # alpha: n = 12, D_o = 5/12, D_e = (144 - 62) / 132; alpha = 1 - (5/12) / (82/132) = 324/984
    assert relevance.units == 4
    assert relevance.observed.value == pytest.approx(7 / 12)
    assert relevance.krippendorff_alpha.value == pytest.approx(324 / 984)


def test_document_label_undefined_and_fleiss_needs_everyone():
    spans = {"a": (), "b": ()}
    both = [_document(spans, _relevance("relevant", "relevant"), name) for name in ("d1", "d3")]
    (relevance,) = document_label_agreement(both)
    assert relevance.pairs[0].observed.value == 1.0
    assert "expected agreement is 1" in relevance.pairs[0].cohen_kappa.reason
    assert "expected agreement is 1" in relevance.fleiss_kappa.reason
    # c annotated only d2: Fleiss' kappa over a, b, c has no document all three annotated
    documents = [*both, _document({"c": ()}, {"c": {"relevance": "relevant"}}, "d2")]
    (relevance,) = document_label_agreement(documents)
    assert relevance.fleiss_units == 0
    assert "by all 3 annotators" in relevance.fleiss_kappa.reason
    assert relevance.pairs[1].units == 0  # a and c share no document
    assert "no documents in common" in relevance.pairs[1].cohen_kappa.reason


def test_multiple_document_label_is_measured_per_value_as_yes_no():
    label_set = LabelSet.model_validate(
        {
            **default_label_set().model_dump(),
            "document_labels": [{"name": "topic", "values": ["economy", "politics"], "multiple": True}],
        }
    )
    documents = [
        _document(
            {"a": (), "b": ()}, {"a": {"topic": ["economy"]}, "b": {"topic": ["economy", "politics"]}}, "d1", label_set
        ),
        _document({"a": (), "b": ()}, {"a": {"topic": ["politics"]}, "b": {}}, "d2", label_set),
    ]
    economy, politics = document_label_agreement(documents)
    assert (economy.name, politics.name) == ("topic: economy", "topic: politics")
    # economy: yes/yes, no/no -> p_o 1, p_e 1/2, kappa 1; politics: no/yes, yes/no -> p_o 0, kappa -1
    assert economy.pairs[0].cohen_kappa.value == pytest.approx(1.0)
    assert politics.pairs[0].observed.value == 0.0
    assert politics.pairs[0].cohen_kappa.value == pytest.approx(-1.0)


def test_report_json_has_attribute_and_document_label_sections():
    document = _document(
        {
            "alice": _actors(["person", "person", "organisation", None]),
            "bob": _actors(["person", "organisation", "organisation", "person"]),
        },
        {"alice": {"relevance": "relevant"}, "bob": {"relevance": "relevant"}},
    )
    data = agreement_report([document]).to_json()
    json.dumps(data, allow_nan=False)
    kind = next(item for item in data["attributes"] if item["name"] == "kind")
    assert kind["kind"] == "attribute"
    assert kind["pairs"][0]["cohen_kappa"] == pytest.approx(0.2)
    assert kind["pairs"][0]["units"] == 4
    quote = next(item for item in data["attributes"] if item["name"] == "quote")
    assert quote["krippendorff_alpha"] is None and quote["reasons"]["krippendorff_alpha"]
    (relevance,) = data["document_labels"]
    assert relevance["fleiss_kappa"] is None and "only 1 document" in relevance["reasons"]["fleiss_kappa"]
    assert UNSET == "(unset)"


def test_one_document_gives_no_document_label_kappa_or_alpha_and_says_why():
    spans = {"a": (), "b": (), "c": ()}
    (relevance,) = document_label_agreement([_document(spans, _relevance("relevant", "not relevant", "relevant"))])
    reason = "only 1 document: agreement needs at least 2"
    for measure in (relevance.pairs[0].cohen_kappa, relevance.fleiss_kappa, relevance.krippendorff_alpha):
        assert measure.value is None and measure.reason.startswith(reason), measure
    assert relevance.pairs[0].observed.value == 0.0  # what they did is still shown


def test_the_same_value_on_one_matched_span_is_said_in_the_singular():
    agreement = nominal_agreement(
        "attribute", "kind", [{"a": "person", "b": "person"}], ["a", "b"], ["a", "b"], "matched actor spans"
    )
    assert "on the only matched actor span," in agreement.pairs[0].cohen_kappa.reason
