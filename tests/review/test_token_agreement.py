"""Token agreement: token labels, Cohen's kappa, Fleiss' kappa, Krippendorff's alpha, confusion matrices."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.formats.tokens import tokenize
from annotator.review.measure import Measure
from annotator.review.token_agreement import (
    OUTSIDE,
    cohen_kappa,
    cohen_kappa_of_labels,
    confusion_matrix,
    fleiss_kappa,
    fleiss_kappa_of_counts,
    krippendorff_alpha,
    label_order,
    label_tokens,
    token_labels,
)
from tests.review import make_document, make_spans

# Ten one-letter tokens: token k is text[2k : 2k + 1].
TEN = "a b c d e f g h i j"


def _tokens(k: int) -> tuple[int, int]:
    """Offsets covering the first ``k`` tokens of TEN."""
    return 0, 2 * k - 1


# A: X on "a b c d" (4 tokens); B: X on "a b c d e" (5 tokens); ten tokens in all.
#   A: X X X X O O O O O O
#   B: X X X X X O O O O O
FOUR_FIVE = make_document(TEN, {"A": [(*_tokens(4), "X")], "B": [(*_tokens(5), "X")]})


# -- token labels ---------------------------------------------------------------------------------------------------
def test_longest_covering_span_wins():
    tokens = tokenize(TEN)
    # X "a b" (length 3) and Y "a b c" (length 5) both cover a and b: Y is longer
    assert token_labels(tokens, make_spans(TEN, [(0, 3, "X"), (0, 5, "Y")]))[:4] == ["Y", "Y", "Y", "O"]


def test_ties_go_to_the_earliest_start_then_the_label_name():
    tokens = tokenize(TEN)
    # X "b c" [2,5) and Y "a b" [0,3): same length 3; token b goes to Y, which starts first
    assert token_labels(tokens, make_spans(TEN, [(2, 5, "X"), (0, 3, "Y")]))[:4] == ["Y", "Y", "X", "O"]
    # same offsets: the smaller label name wins
    assert token_labels(tokens, make_spans(TEN, [(0, 3, "Y"), (0, 3, "X")]))[:3] == ["X", "X", "O"]


def test_a_span_covering_part_of_a_token_labels_it():
    tokens = tokenize("alpha beta")
    assert token_labels(tokens, make_spans("alpha beta", [(2, 4, "X")])) == ["X", OUTSIDE]


def test_label_tokens_labels_every_annotator():
    labeled = label_tokens(FOUR_FIVE)
    assert len(labeled.tokens) == 10
    assert labeled.labels["A"] == ("X",) * 4 + ("O",) * 6
    assert labeled.labels["B"] == ("X",) * 5 + ("O",) * 5
    assert labeled.annotators == ["A", "B"]


def test_label_order_puts_outside_last():
    assert label_order(["O", "b", "A", "O", "a"]) == ["A", "a", "b", "O"]


# -- Cohen's kappa --------------------------------------------------------------------------------------------------
def test_cohen_kappa_by_hand():
    # p_o = 9/10 (all but token e); A: X 4, O 6; B: X 5, O 5
    # p_e = (4/10)(5/10) + (6/10)(5/10) = 0.2 + 0.3 = 0.5
    # kappa = (0.9 - 0.5) / (1 - 0.5) = 0.8
    assert cohen_kappa([FOUR_FIVE], "A", "B").value == pytest.approx(0.8)
    assert cohen_kappa([label_tokens(FOUR_FIVE)], "B", "A").value == pytest.approx(0.8)


def test_cohen_kappa_of_labels_by_hand():
    a = ["X", "X", "Y", "O", "O", "O"]
    b = ["X", "Y", "Y", "O", "O", "X"]
    # agree on units 1, 3, 4, 5 -> p_o = 4/6; counts a: X 2, Y 1, O 3; b: X 2, Y 2, O 2
    # p_e = (2*2 + 1*2 + 3*2) / 36 = 12/36 = 1/3; kappa = (2/3 - 1/3) / (2/3) = 0.5
    assert cohen_kappa_of_labels(a, b).value == pytest.approx(0.5)


def test_cohen_kappa_both_without_spans_is_undefined():
    document = make_document(TEN, {"A": [], "B": []})
    kappa = cohen_kappa([document], "A", "B")
    assert kappa.value is None
    assert "expected agreement is 1" in kappa.reason
    assert "no span covers any token" in kappa.reason


def test_cohen_kappa_both_one_label_everywhere_is_undefined():
    document = make_document(TEN, {"A": [(0, len(TEN), "X")], "B": [(0, len(TEN), "X")]})
    assert "same label (X)" in cohen_kappa([document], "A", "B").reason


def test_cohen_kappa_no_shared_documents_and_no_tokens():
    one = make_document(TEN, {"A": []}, "one")
    two = make_document(TEN, {"B": []}, "two")
    assert cohen_kappa([one, two], "A", "B").reason == "A and B have no shared documents"
    blank = make_document("   ", {"A": [], "B": []})
    assert "have no tokens" in cohen_kappa([blank], "A", "B").reason


def test_cohen_kappa_pools_documents():
    # first: A X on 4 tokens, B on 5 (as FOUR_FIVE); second: both X on tokens 1-2, O on the other 8
    second = make_document(TEN, {"A": [(*_tokens(2), "X")], "B": [(*_tokens(2), "X")]}, "second")
    # pooled: N = 20, agree = 9 + 10 = 19; A: X 6, O 14; B: X 7, O 13
    # p_o = 19/20 = 0.95; p_e = (6*7 + 14*13) / 400 = (42 + 182) / 400 = 0.56
    # kappa = (0.95 - 0.56) / 0.44 = 0.39 / 0.44 = 39/44
    assert cohen_kappa([FOUR_FIVE, second], "A", "B").value == pytest.approx(39 / 44)
    assert cohen_kappa([second], "A", "B") == Measure(1.0)


def test_cohen_kappa_of_labels_rejects_unequal_lengths():
    with pytest.raises(ValueError, match="differ in length"):
        cohen_kappa_of_labels(["X"], ["X", "O"])


_labels = st.lists(st.tuples(st.sampled_from("XYO"), st.sampled_from("XYO")), min_size=1, max_size=30)


@given(_labels)
def test_cohen_kappa_is_symmetric_and_bounded(pairs):
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    forward, backward = cohen_kappa_of_labels(a, b), cohen_kappa_of_labels(b, a)
    assert forward == backward
    assert forward.value is None or -1.0 <= forward.value <= 1.0


@given(st.lists(st.sampled_from("XYO"), min_size=1, max_size=30))
def test_cohen_kappa_of_identical_labels_is_one_unless_one_label(labels):
    kappa = cohen_kappa_of_labels(labels, labels)
    assert kappa == Measure(1.0) if len(set(labels)) > 1 else not kappa.defined


# -- confusion matrix -----------------------------------------------------------------------------------------------
def test_confusion_matrix_rows_are_a_columns_b_outside_last():
    document = make_document(TEN, {"A": [(*_tokens(4), "X"), (18, 19, "Y")], "B": [(*_tokens(5), "X")]})
    # A: X X X X O O O O O Y ; B: X X X X X O O O O O
    assert confusion_matrix([document], "A", "B") == {
        "X": {"X": 4, "Y": 0, "O": 0},
        "Y": {"X": 0, "Y": 0, "O": 1},
        "O": {"X": 1, "Y": 0, "O": 4},
    }
    assert confusion_matrix([make_document(TEN, {"A": []}, "one")], "A", "B") == {}


# -- Fleiss' kappa --------------------------------------------------------------------------------------------------
def test_fleiss_kappa_wikipedia_example():
    # https://en.wikipedia.org/wiki/Fleiss%27_kappa#Worked_example: 10 subjects, 14 raters, 5 categories;
    # P_bar = 0.378, P_e = 0.213, kappa = (0.378 - 0.213) / (1 - 0.213) = 0.210
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    assert round(fleiss_kappa_of_counts(counts).value, 3) == 0.210


def test_fleiss_kappa_two_annotators_is_scotts_pi():
    # units (X, O counts): 4 x (2, 0), 1 x (1, 1), 5 x (0, 2); n = 2, N = 10
    # P_i: 1, 1, 1, 1, 0, 1, 1, 1, 1, 1 -> P_bar = 9/10
    # p_X = 9/20, p_O = 11/20 -> P_e = (81 + 121) / 400 = 202/400 = 0.505
    # kappa = (0.9 - 0.505) / (1 - 0.505) = 0.395 / 0.495 = 79/99 (Cohen's kappa of the same data: 0.8)
    assert fleiss_kappa([FOUR_FIVE]).value == pytest.approx(79 / 99)


def test_fleiss_kappa_three_annotators_by_hand():
    text = "a b c d"
    document = make_document(text, {"A": [(0, 3, "X")], "B": [(0, 1, "X")], "C": [(0, 3, "X")]})
    # A: X X O O ; B: X O O O ; C: X X O O -> units (X, O): (3, 0), (2, 1), (0, 3), (0, 3); n = 3, N = 4
    # P_i = (sum n_ij^2 - 3) / 6: 1, (4 + 1 - 3)/6 = 1/3, 1, 1 -> P_bar = (10/3) / 4 = 5/6
    # p_X = 5/12, p_O = 7/12 -> P_e = (25 + 49) / 144 = 37/72
    # kappa = (5/6 - 37/72) / (1 - 37/72) = (23/72) / (35/72) = 23/35
    assert fleiss_kappa([document]).value == pytest.approx(23 / 35)


def test_fleiss_kappa_pools_only_documents_all_annotated():
    text = "a b c d"
    everyone = make_document(text, {"A": [(0, 3, "X")], "B": [(0, 1, "X")], "C": [(0, 3, "X")]}, "all")
    two = make_document(text, {"A": [(0, 7, "Y")], "B": []}, "two")
    assert fleiss_kappa([everyone, two]).value == pytest.approx(23 / 35)
    assert "no document was annotated by all 3 annotators" in fleiss_kappa([two, make_document(text, {"C": []})]).reason


def test_fleiss_kappa_undefined_cases():
    assert fleiss_kappa([]).reason.startswith("there are no documents")
    single = make_document(TEN, {"A": [(0, 3, "X")]})
    assert fleiss_kappa([single]).reason == "Fleiss' kappa needs two or more annotators; there is only one (A)"
    empty = make_document(TEN, {"A": [], "B": [], "C": []})
    assert "expected agreement is 1" in fleiss_kappa([empty]).reason


def test_fleiss_kappa_of_counts_rejects_bad_tables():
    with pytest.raises(ValueError):
        fleiss_kappa_of_counts([])
    with pytest.raises(ValueError):
        fleiss_kappa_of_counts([[1, 1], [2, 1]])  # 2 raters, then 3
    with pytest.raises(ValueError):
        fleiss_kappa_of_counts([[1, 0]])  # one rater


# -- Krippendorff's alpha -------------------------------------------------------------------------------------------
def test_krippendorff_alpha_by_hand():
    # Two coders, 10 units, no missing values. Coincidences: o_XX = 2*4 = 8, o_OO = 2*5 = 10, o_XO = o_OX = 1;
    # n_X = 9, n_O = 11, n = 20. Nominal: alpha = 1 - (n - 1) * (o_XO + o_OX) / (2 n_X n_O)
    #   = 1 - 19 * 2 / (2 * 9 * 11) = 1 - 38/198 = 160/198 = 80/99
    assert krippendorff_alpha([FOUR_FIVE]).value == pytest.approx(80 / 99)


def test_krippendorff_alpha_package_documentation_example():
    # The nominal example of krippendorff.alpha's docstring (3 coders, 15 units, missing values): 0.691358.
    # Each unit is a one-token document; a coder with a value annotated it with that label; NaN: did not annotate.
    nan = math.nan
    data = [
        [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
    ]
    coders = dict(zip("ABC", data, strict=True))
    documents = [
        make_document(
            "w",
            {coder: [(0, 1, f"L{int(row[unit])}")] for coder, row in coders.items() if not math.isnan(row[unit])},
            f"unit {unit}",
        )
        for unit in range(15)
    ]
    assert round(krippendorff_alpha(documents).value, 6) == 0.691358


def test_krippendorff_alpha_undefined_cases():
    assert krippendorff_alpha([]).reason.startswith("there are no documents")
    single = make_document(TEN, {"A": [(0, 3, "X")]})
    assert krippendorff_alpha([single]).reason == (
        "Krippendorff's alpha needs two or more annotators; there is only one (A)"
    )
    apart = [make_document(TEN, {"A": []}, "one"), make_document(TEN, {"B": []}, "two")]
    assert krippendorff_alpha(apart).reason.startswith("no document was annotated by two or more")
    empty = make_document(TEN, {"A": [], "B": []})
    assert "no expected disagreement" in krippendorff_alpha([empty]).reason
    blank = make_document(" ", {"A": [], "B": []})
    assert "have no tokens" in krippendorff_alpha([blank]).reason


@given(st.lists(st.sampled_from([(0, 3, "X"), (2, 9, "Y"), (4, 5, "X"), (10, 19, "Y")]), max_size=3))
def test_identical_annotations_give_one_or_undefined(items):
    document = make_document(TEN, {"A": items, "B": items, "C": items})
    measures = [cohen_kappa([document], "A", "C"), fleiss_kappa([document]), krippendorff_alpha([document])]
    if items:
        assert measures == [Measure(1.0)] * 3
    else:
        assert not any(measure.defined for measure in measures)


def test_krippendorff_package_failures_become_reasons(monkeypatch):
    import annotator.review.token_agreement as token_agreement

    monkeypatch.setattr(token_agreement.krippendorff, "alpha", lambda **_: math.nan)
    assert krippendorff_alpha([FOUR_FIVE]).reason.startswith("the krippendorff package returned NaN")

    def refuse(**_):
        raise ValueError("There has to be more than one value in the domain.")

    monkeypatch.setattr(token_agreement.krippendorff, "alpha", refuse)
    assert krippendorff_alpha([FOUR_FIVE]).reason == (
        "the krippendorff package could not compute alpha: There has to be more than one value in the domain."
    )


def test_cohen_kappa_equals_scikit_learns_on_random_labelings():
    """scikit-learn (installed for the tests with seqeval) as an independent oracle."""
    import math
    import random
    import warnings

    from sklearn.metrics import cohen_kappa_score

    from annotator.review.token_agreement import cohen_kappa_of_labels

    rng = random.Random(7)
    for _ in range(300):
        labels = ["O", "actor", "claim", "warning"][: rng.randint(1, 4)]
        a = [rng.choice(labels) for _ in range(rng.randint(2, 60))]
        b = [x if rng.random() < 0.6 else rng.choice(labels) for x in a]
        ours = cohen_kappa_of_labels(a, b)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = cohen_kappa_score(a, b)
        if ours.value is None:
            assert math.isnan(theirs)
        else:
            assert ours.value == pytest.approx(theirs, abs=1e-12)
