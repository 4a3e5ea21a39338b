"""The agreement report: pairs, corpus figures, per-annotator counts, per-document figures, JSON and undefined cases."""

from __future__ import annotations

import json

import pytest

from annotator.review.agreement import agreement_report
from annotator.review.measure import Measure
from tests.review import make_document

TEN = "a b c d e f g h i j"  # token k is TEN[2k : 2k + 1]


def _json(report) -> dict:
    data = report.to_json()
    json.dumps(data, allow_nan=False)  # plain JSON: no NaN, only str keys
    return data


def test_two_annotators_by_hand():
    # A: X on "a b c d"; B: X on "a b c d e": a boundary disagreement
    document = make_document(TEN, {"A": [(0, 7, "X")], "B": [(0, 9, "X")]}, "news")
    data = _json(agreement_report([document]))
    assert data["annotators"] == ["A", "B"]
    assert data["documents"] == 1
    (pair,) = data["pairs"]
    assert (pair["a"], pair["b"], pair["shared_documents"]) == ("A", "B", 1)
    # exact: [0,7) vs [0,9) is a miss -> F1 = 2*0 / (1 + 1) = 0; overlap: a hit -> F1 = 2*1 / 2 = 1
    assert pair["span_f1_exact"] == 0.0
    assert pair["span_f1_overlap"] == 1.0
    # tokens: A X X X X O O O O O O, B X X X X X O O O O O -> Cohen 0.8 (p_o 0.9, p_e 0.5; see token tests)
    assert pair["cohen_kappa"] == pytest.approx(0.8)
    assert pair["per_label"] == {
        "X": {
            "exact": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "reasons": {}},
            "overlap": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "reasons": {}},
        }
    }
    assert pair["confusion"] == {"X": {"X": 4, "O": 0}, "O": {"X": 1, "O": 5}}
    assert pair["reasons"] == {}
    # Fleiss (Scott's pi) 79/99 and alpha 80/99, worked out in the token tests
    assert data["fleiss_kappa"] == pytest.approx(79 / 99)
    assert data["krippendorff_alpha"] == pytest.approx(80 / 99)
    assert data["reasons"] == {}
    assert data["per_annotator"] == {
        "A": {"documents": 1, "spans": 1, "spans_per_label": {"X": 1}},
        "B": {"documents": 1, "spans": 1, "spans_per_label": {"X": 1}},
    }
    assert data["per_document"] == [
        {
            "document": "news",
            "annotators": ["A", "B"],
            "pairs": [
                {
                    "a": "A",
                    "b": "B",
                    "span_f1_exact": 0.0,
                    "span_f1_overlap": 1.0,
                    "cohen_kappa": pytest.approx(0.8),
                    "reasons": {},
                }
            ],
        }
    ]


def test_identical_annotations_give_one_everywhere():
    spans = [(0, 3, "X"), (6, 9, "Y"), (12, 19, "X")]
    documents = [
        make_document(TEN, {"A": spans, "B": spans, "C": spans}, "one"),
        make_document(TEN, {"A": spans[:1], "B": spans[:1], "C": spans[:1]}, "two"),
    ]
    report = agreement_report(documents)
    assert [(pair.a, pair.b) for pair in report.pairs] == [("A", "B"), ("A", "C"), ("B", "C")]
    for pair in report.pairs:
        assert pair.span_f1_exact == pair.span_f1_overlap == Measure(1.0)
        assert pair.cohen_kappa.value == pytest.approx(1.0)
        for modes in pair.per_label.values():
            for figures in modes.values():
                assert all(measure == Measure(1.0) for measure in figures.values())
        assert all(
            pair.confusion[row][column] == 0 for row in pair.confusion for column in pair.confusion if row != column
        )
    assert report.fleiss_kappa.value == pytest.approx(1.0)
    assert report.krippendorff_alpha.value == pytest.approx(1.0)
    for document in report.per_document:
        for figures in document.pairs:
            assert figures.span_f1_exact == figures.span_f1_overlap == Measure(1.0)
            assert figures.cohen_kappa.value == pytest.approx(1.0)


def test_no_documents():
    data = _json(agreement_report([]))
    assert data["annotators"] == [] and data["pairs"] == [] and data["per_document"] == []
    assert data["fleiss_kappa"] is None and data["krippendorff_alpha"] is None
    assert data["reasons"]["fleiss_kappa"].startswith("there are no documents")
    assert data["reasons"]["krippendorff_alpha"].startswith("there are no documents")


def test_a_single_annotator():
    data = _json(agreement_report([make_document(TEN, {"A": [(0, 3, "X")]})]))
    assert data["pairs"] == []
    assert data["fleiss_kappa"] is None and data["krippendorff_alpha"] is None
    assert "only one (A)" in data["reasons"]["fleiss_kappa"]
    assert "only one (A)" in data["reasons"]["krippendorff_alpha"]
    assert data["per_annotator"] == {"A": {"documents": 1, "spans": 1, "spans_per_label": {"X": 1}}}
    assert data["per_document"] == [{"document": "doc", "annotators": ["A"], "pairs": []}]


def test_annotators_sharing_no_document():
    documents = [
        make_document(TEN, {"A": [(0, 3, "X")]}, "one"),
        make_document(TEN, {"B": [(0, 3, "X")]}, "two"),
    ]
    data = _json(agreement_report(documents))
    (pair,) = data["pairs"]
    assert pair["shared_documents"] == 0
    for metric in ("span_f1_exact", "span_f1_overlap", "cohen_kappa"):
        assert pair[metric] is None
        assert pair["reasons"][metric] == "A and B have no shared documents"
    assert pair["per_label"] == {} and pair["confusion"] == {}
    assert data["fleiss_kappa"] is None and "no document was annotated by all" in data["reasons"]["fleiss_kappa"]
    assert data["krippendorff_alpha"] is None
    assert data["per_annotator"]["B"]["documents"] == 1


def test_both_annotators_without_spans():
    data = _json(agreement_report([make_document(TEN, {"A": [], "B": []})]))
    (pair,) = data["pairs"]
    assert pair["span_f1_exact"] is None and pair["reasons"]["span_f1_exact"].startswith("neither annotator has spans")
    assert pair["cohen_kappa"] is None and "expected agreement is 1" in pair["reasons"]["cohen_kappa"]
    assert pair["confusion"] == {"O": {"O": 10}}
    assert data["per_annotator"]["A"] == {"documents": 1, "spans": 0, "spans_per_label": {}}
    (figures,) = data["per_document"][0]["pairs"]
    assert set(figures["reasons"]) == {"span_f1_exact", "span_f1_overlap", "cohen_kappa"}


def test_corpus_pools_documents_and_documents_have_their_own_figures():
    first = make_document(TEN, {"A": [(0, 3, "X")], "B": [(0, 3, "X")], "C": [(0, 1, "X")]}, "first")
    second = make_document(TEN, {"A": [(4, 7, "Y")], "B": [(4, 9, "Y")]}, "second")
    report = agreement_report([first, second])
    ab = report.pairs[0]
    # pooled A/B: exact tp = 1 (first) + 0 (second), |A| = 2, |B| = 2 -> F1 = 2*1 / 4 = 0.5; overlap: 2*2 / 4 = 1
    assert ab.shared_documents == 2
    assert ab.span_f1_exact == Measure(0.5)
    assert ab.span_f1_overlap == Measure(1.0)
    # per label, exact: X 1 of 1 each way; Y: a miss, P = 0/1, R = 0/1, F1 = 0
    assert ab.per_label["X"]["exact"]["f1"] == Measure(1.0)
    assert ab.per_label["Y"]["exact"]["f1"] == Measure(0.0)
    # pooled tokens (20): A: X X O O O O O O O O | O O Y Y O O O O O O
    #                      B: X X O O O O O O O O | O O Y Y Y O O O O O
    # agree 19/20 = 0.95; A: X 2, Y 2, O 16; B: X 2, Y 3, O 15 -> p_e = (4 + 6 + 240) / 400 = 0.625
    # kappa = (0.95 - 0.625) / 0.375 = 0.325 / 0.375 = 13/15
    assert ab.cohen_kappa.value == pytest.approx(13 / 15)
    # Fleiss pools only "first" (the one document all three annotated)
    assert report.fleiss_documents == 1
    by_name = {document.document: document for document in report.per_document}
    assert [(p.a, p.b) for p in by_name["first"].pairs] == [("A", "B"), ("A", "C"), ("B", "C")]
    assert [(p.a, p.b) for p in by_name["second"].pairs] == [("A", "B")]
    second_ab = by_name["second"].pairs[0]
    assert second_ab.span_f1_exact == Measure(0.0) and second_ab.span_f1_overlap == Measure(1.0)
    # second alone: agree 9/10; A: Y 2, O 8; B: Y 3, O 7 -> p_e = (6 + 56) / 100 = 0.62; kappa = 0.28 / 0.38 = 14/19
    assert second_ab.cohen_kappa.value == pytest.approx(14 / 19)
    assert report.per_annotator["C"].documents == 1
    assert report.per_annotator["A"].spans_per_label == {"X": 1, "Y": 1}


def test_measure():
    import numpy as np

    from annotator.review.measure import mean, ratio, undefined

    assert Measure(np.float64(0.25)).value == 0.25 and type(Measure(np.float64(0.25)).value) is float
    assert Measure(1).defined and not undefined("why").defined
    with pytest.raises(ValueError):
        Measure(None)  # an undefined measure needs a reason
    with pytest.raises(ValueError):
        Measure(float("nan"))
    assert ratio(1, 4, "never") == Measure(0.25)
    assert ratio(1, 0, "nothing to divide by") == Measure(None, "nothing to divide by")
    # mean of the defined ones: (0.5 + 1.0) / 2
    assert mean([Measure(0.5), undefined("x"), Measure(1.0)], "none") == Measure(0.75)
    assert mean([undefined("x")], "none defined") == undefined("none defined")


def test_gold_is_compared_pair_by_pair_but_is_not_a_rater_of_fleiss_or_alpha():
    text = "Officials in Berlin warned that prices would rise."
    alice = [(0, 9, "actor"), (20, 50, "warning")]
    bob = [(0, 19, "actor"), (20, 26, "warning")]
    without = agreement_report([make_document(text, {"alice": alice, "bob": bob})])
    with_gold = agreement_report([make_document(text, {"alice": alice, "bob": bob, "gold": alice})])
    assert [(p.a, p.b) for p in with_gold.pairs] == [("alice", "bob"), ("alice", "gold"), ("bob", "gold")]
    assert with_gold.fleiss_kappa == without.fleiss_kappa
    assert with_gold.krippendorff_alpha == without.krippendorff_alpha
    assert with_gold.pairs[1].exact.f1().value == 1.0  # alice against gold
