"""Span agreement: exact and overlap matching, precision / recall / F1 per label, micro and macro, undefined cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.review.measure import Measure
from annotator.review.span_agreement import SpanCounts, match_spans, span_agreement, span_counts
from tests.review import make_document, make_spans

TEXT = "0123456789" * 6  # the texts of spans do not matter here, only offsets (code points)

# A worked example used by several tests.
#   A: X[0,5)  X[10,15)  Y[20,25)  Y[30,35)
#   B: X[0,5)  X[11,15)  Y[20,25)            Z[40,45)
A_SPANS = [(0, 5, "X"), (10, 15, "X"), (20, 25, "Y"), (30, 35, "Y")]
B_SPANS = [(0, 5, "X"), (11, 15, "X"), (20, 25, "Y"), (40, 45, "Z")]


def _agreement(a_spans, b_spans, mode):
    return span_agreement([make_document(TEXT, {"A": a_spans, "B": b_spans})], "A", "B", mode)


def test_exact_counts_per_label_and_micro():
    agreement = _agreement(A_SPANS, B_SPANS, "exact")
    # X: [0,5) matches; [10,15) vs [11,15) differ in start -> one only in A, one only in B.
    # Y: [20,25) matches; [30,35) only in A.  Z: [40,45) only in B.
    assert agreement.per_label == {
        "X": SpanCounts(1, 1, 1),
        "Y": SpanCounts(1, 1, 0),
        "Z": SpanCounts(0, 0, 1),
    }
    assert agreement.overall == SpanCounts(2, 2, 2)
    # micro: tp = 2, |A| = 4, |B| = 4 -> P = 2/4, R = 2/4, F1 = 2*2 / (4 + 4) = 0.5
    assert agreement.precision() == Measure(0.5)
    assert agreement.recall() == Measure(0.5)
    assert agreement.f1() == Measure(0.5)


def test_exact_per_label_and_macro_figures():
    agreement = _agreement(A_SPANS, B_SPANS, "exact")
    # X: P = 1/2, R = 1/2, F1 = 2*1 / (2 + 2) = 0.5
    assert (agreement.precision("X").value, agreement.recall("X").value, agreement.f1("X").value) == (0.5, 0.5, 0.5)
    # Y: P = 1/1, R = 1/2, F1 = 2*1 / (2 + 1) = 2/3
    assert (agreement.precision("Y").value, agreement.recall("Y").value) == (1.0, 0.5)
    assert agreement.f1("Y").value == pytest.approx(2 / 3)
    # Z: P = 0/1 = 0, R undefined (A has no Z span), F1 = 2*0 / (0 + 1) = 0
    assert agreement.precision("Z").value == 0.0
    assert not agreement.recall("Z").defined
    assert "A has no Z spans" in agreement.recall("Z").reason
    assert agreement.f1("Z").value == 0.0
    # macro F1 over X, Y, Z = (1/2 + 2/3 + 0) / 3 = (7/6) / 3 = 7/18
    assert agreement.macro_f1().value == pytest.approx(7 / 18)
    # macro P over X, Y, Z = (1/2 + 1 + 0) / 3 = 0.5; macro R over X, Y (Z undefined) = (1/2 + 1/2) / 2 = 0.5
    assert agreement.macro_precision().value == pytest.approx(0.5)
    assert agreement.macro_recall().value == pytest.approx(0.5)


def test_overlap_figures():
    agreement = _agreement(A_SPANS, B_SPANS, "overlap")
    # X: [10,15) and [11,15) share code points 11..14 -> both X spans match
    assert agreement.per_label == {"X": SpanCounts(2, 0, 0), "Y": SpanCounts(1, 1, 0), "Z": SpanCounts(0, 0, 1)}
    # micro: tp = 3, |A| = 4, |B| = 4 -> P = R = F1 = 3/4
    assert agreement.f1() == Measure(0.75)
    # macro F1 = (1 + 2/3 + 0) / 3 = 5/9
    assert agreement.macro_f1().value == pytest.approx(5 / 9)


def test_boundary_disagreement_misses_exactly_but_hits_with_overlap():
    a_spans, b_spans = [(0, 10, "X")], [(2, 10, "X")]
    exact = _agreement(a_spans, b_spans, "exact")
    overlap = _agreement(a_spans, b_spans, "overlap")
    assert exact.overall == SpanCounts(0, 1, 1)
    assert exact.f1() == Measure(0.0)
    assert overlap.overall == SpanCounts(1, 0, 0)
    assert overlap.f1() == Measure(1.0)


def test_overlap_needs_a_shared_code_point_and_the_same_label():
    # adjacent [0,5) and [5,9): no shared code point; [10,15) X vs [10,15) Y: labels differ
    agreement = _agreement([(0, 5, "X"), (10, 15, "X")], [(5, 9, "X"), (10, 15, "Y")], "overlap")
    assert agreement.overall == SpanCounts(0, 2, 2)


def test_overlap_matching_is_one_to_one():
    # one span of A over two of B: one match, the other B span is only in B
    agreement = _agreement([(0, 20, "X")], [(0, 5, "X"), (10, 15, "X")], "overlap")
    assert agreement.overall == SpanCounts(1, 0, 1)
    # P = 1/2, R = 1/1, F1 = 2*1 / (1 + 2) = 2/3
    assert agreement.f1().value == pytest.approx(2 / 3)


def test_overlap_matching_is_maximum_not_greedy():
    # a1 = [0,10) overlaps b1 = [2,4) (2 code points) and b2 = [8,9) (1); a2 = [1,3) overlaps only b1 (1).
    # Greedy by overlap length would pair a1-b1 and leave a2 and b2 unmatched; the maximum matching pairs
    # a1-b2 and a2-b1: 2 matches, both ways round.
    a_spans, b_spans = [(0, 10, "X"), (1, 3, "X")], [(2, 4, "X"), (8, 9, "X")]
    assert _agreement(a_spans, b_spans, "overlap").overall == SpanCounts(2, 0, 0)
    assert _agreement(b_spans, a_spans, "overlap").overall == SpanCounts(2, 0, 0)
    pairs = match_spans(make_spans(TEXT, a_spans), make_spans(TEXT, b_spans, "t"), "overlap")
    assert [(a.start, b.start) for a, b in pairs] == [(0, 8), (1, 2)]


def test_exact_duplicates_match_once_each():
    # A has the same span twice, B once: one match, one only in A
    counts = span_counts(make_spans(TEXT, [(0, 5, "X"), (0, 5, "X")]), make_spans(TEXT, [(0, 5, "X")]), "exact")
    assert counts == {"X": SpanCounts(1, 1, 0)}


def test_identical_spans_give_one_everywhere():
    for mode in ("exact", "overlap"):
        agreement = _agreement(A_SPANS, A_SPANS, mode)
        for label in (None, "X", "Y"):
            assert agreement.precision(label) == agreement.recall(label) == agreement.f1(label) == Measure(1.0)
        assert agreement.macro_f1() == agreement.macro_precision() == agreement.macro_recall() == Measure(1.0)


def test_both_without_spans_is_undefined_with_a_reason():
    agreement = _agreement([], [], "overlap")
    for measure in (agreement.precision(), agreement.recall(), agreement.f1(), agreement.macro_f1()):
        assert measure.value is None
    assert agreement.f1().reason.startswith("neither annotator has spans (A, B)")
    assert "B has no spans" in agreement.precision().reason
    assert "A has no spans" in agreement.recall().reason
    assert agreement.per_label == {}


def test_one_side_without_spans():
    # A has 2 spans, B none: P undefined (|B| = 0), R = 0/2 = 0, F1 = 2*0 / (2 + 0) = 0
    agreement = _agreement([(0, 5, "X"), (6, 8, "Y")], [], "exact")
    assert not agreement.precision().defined
    assert agreement.recall() == Measure(0.0)
    assert agreement.f1() == Measure(0.0)
    assert not agreement.macro_precision().defined
    assert agreement.macro_f1() == Measure(0.0)


def test_a_label_neither_used_is_undefined():
    agreement = _agreement(A_SPANS, B_SPANS, "exact")
    assert agreement.f1("W").reason.startswith("neither annotator has W spans")


def test_documents_pool_and_unshared_ones_are_skipped():
    first = make_document(TEXT, {"A": [(0, 5, "X")], "B": [(0, 5, "X")]}, "first")
    second = make_document(TEXT, {"A": [(0, 5, "X")], "B": [(1, 5, "X")]}, "second")
    only_a = make_document(TEXT, {"A": [(0, 5, "X")], "C": []}, "only A")
    agreement = span_agreement([first, second, only_a], "A", "B", "exact")
    # pooled: tp = 1 + 0, only A = 0 + 1, only B = 0 + 1 -> F1 = 2*1 / (2 + 2) = 0.5; "only A" is not shared
    assert agreement.shared_documents == 2
    assert agreement.overall == SpanCounts(1, 1, 1)
    assert agreement.f1() == Measure(0.5)


def test_no_shared_documents_is_undefined_with_a_reason():
    one = make_document(TEXT, {"A": [(0, 5, "X")]}, "one")
    two = make_document(TEXT, {"B": [(0, 5, "X")]}, "two")
    agreement = span_agreement([one, two], "A", "B", "overlap")
    assert agreement.shared_documents == 0
    for measure in (agreement.f1(), agreement.precision(), agreement.macro_f1(), agreement.f1("X")):
        assert measure.value is None
        assert "no shared documents" in measure.reason


def test_unknown_mode_raises():
    with pytest.raises(ValueError, match="unknown span matching mode"):
        span_agreement([], "A", "B", "fuzzy")  # type: ignore[arg-type]


# -- properties -----------------------------------------------------------------------------------------------------
_span_items = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from("XY")).map(lambda t: (t[0], t[0] + t[1], t[2])),
    max_size=7,
)


def _maximum_matching_size(spans_a, spans_b):
    """Brute force: the most disjoint pairs of overlapping same-label spans."""

    def best(i: int, used: frozenset[int]) -> int:
        if i == len(spans_a):
            return 0
        start, end, label = spans_a[i]
        result = best(i + 1, used)
        for j, (s, e, other) in enumerate(spans_b):
            if j not in used and other == label and start < e and s < end:
                result = max(result, 1 + best(i + 1, used | {j}))
        return result

    return best(0, frozenset())


@settings(max_examples=200)
@given(_span_items, _span_items, st.sampled_from(["exact", "overlap"]))
def test_symmetry_and_bounds(a_spans, b_spans, mode):
    forward = _agreement(a_spans, b_spans, mode)
    backward = span_agreement([make_document(TEXT, {"A": a_spans, "B": b_spans})], "B", "A", mode)  # B as the reference
    assert forward.overall.true_positives == backward.overall.true_positives
    assert forward.precision().value == backward.recall().value  # the reasons name the annotators' roles
    assert forward.recall().value == backward.precision().value
    assert forward.f1() == backward.f1()
    assert forward.macro_f1() == backward.macro_f1()
    for label in forward.per_label:
        assert forward.f1(label) == backward.f1(label)
    for measure in (forward.precision(), forward.recall(), forward.f1(), forward.macro_f1()):
        assert measure.value is None or 0.0 <= measure.value <= 1.0


@settings(max_examples=200)
@given(_span_items, _span_items)
def test_overlap_matching_is_maximum(a_spans, b_spans):
    agreement = _agreement(a_spans, b_spans, "overlap")
    assert agreement.overall.true_positives == _maximum_matching_size(a_spans, b_spans)
    pairs = match_spans(make_spans(TEXT, a_spans), make_spans(TEXT, b_spans, "t"), "overlap")
    assert len({a.id for a, _ in pairs}) == len({b.id for _, b in pairs}) == len(pairs)  # one-to-one
    assert all(a.label == b.label and a.start < b.end and b.start < a.end for a, b in pairs)


@given(_span_items, st.sampled_from(["exact", "overlap"]))
def test_identical_is_one_or_undefined(spans, mode):
    agreement = _agreement(spans, spans, mode)
    expected = Measure(1.0) if spans else None
    if expected is None:
        assert not agreement.f1().defined
    else:
        assert agreement.f1() == agreement.macro_f1() == expected
