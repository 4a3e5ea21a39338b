"""Disagreements between annotators: each kind, nested and chained clusters, and stepping through them."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.model.span import Span
from annotator.review.disagreements import (
    find_disagreements,
    next_disagreement,
    previous_disagreement,
    span_key,
)
from annotator.review.units import DocumentAnnotations

TEXT = "Mr Sullivan warned that China would face consequences."
# Offsets (code points): "Mr Sullivan" [0, 11), "Sullivan" [3, 11), "warned" [12, 18), "China" [24, 29),
# "consequences" [41, 53); the whole sentence is [0, 54).
MR_SULLIVAN, SULLIVAN, WARNED, CHINA, SENTENCE = (0, 11), (3, 11), (12, 18), (24, 29), (0, 54)


def spans_of(annotator: str, marks: list[tuple[tuple[int, int], str]], text: str = TEXT) -> tuple[Span, ...]:
    """Spans ``((start, end), label)`` as ``annotator`` would save them (ids ``alice1``, ``alice2``...)."""
    return tuple(
        Span(id=f"{annotator}{number}", start=start, end=end, label=label, text=text[start:end])
        for number, ((start, end), label) in enumerate(marks, start=1)
    )


def document(text: str = TEXT, **marks: list[tuple[tuple[int, int], str]]) -> DocumentAnnotations:
    """A document annotated by each keyword's annotator with that list of ``((start, end), label)``."""
    return DocumentAnnotations("doc", text, {name: spans_of(name, own, text) for name, own in marks.items()})


def test_same_offsets_different_labels_is_a_label_disagreement():
    (found,) = find_disagreements(document(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "claim")]))
    assert (found.kind, found.start, found.end, found.text, found.missing_from) == ("label", 3, 11, "Sullivan", ())
    assert [s.label for s in found.spans["alice"]] == ["actor"]
    assert found.description() == "label: [3, 11) 'Sullivan': alice actor, bob claim"


def test_same_label_different_offsets_is_a_boundary_disagreement():
    (found,) = find_disagreements(document(alice=[(MR_SULLIVAN, "actor")], bob=[(SULLIVAN, "actor")]))
    assert (found.kind, found.start, found.end) == ("boundary", 0, 11)  # the union of [0, 11) and [3, 11)
    assert found.description() == "boundary: [0, 11) 'Mr Sullivan': alice actor [0, 11), bob actor [3, 11)"


def test_different_labels_and_offsets():
    (found,) = find_disagreements(document(alice=[(MR_SULLIVAN, "actor")], bob=[(SULLIVAN, "claim")]))
    assert found.kind == "label_and_boundary"
    assert found.description() == ("label_and_boundary: [0, 11) 'Mr Sullivan': alice actor [0, 11), bob claim [3, 11)")


def test_an_annotator_without_a_span_there_is_missing():
    (found,) = find_disagreements(document(alice=[(SULLIVAN, "actor")], bob=[]))
    assert (found.kind, found.missing_from, found.spans["bob"]) == ("missing", ("bob",), ())
    assert found.description() == "missing: [3, 11) 'Sullivan': alice actor [3, 11); none from bob"


def test_missing_wins_over_the_other_kinds_and_names_every_missing_annotator():
    doc = document(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "claim")], carol=[], dan=[(CHINA, "actor")])
    sullivan, china = find_disagreements(doc)
    assert (sullivan.kind, sullivan.missing_from) == ("missing", ("carol", "dan"))
    assert sullivan.description() == (
        "missing: [3, 11) 'Sullivan': alice actor [3, 11), bob claim [3, 11); none from carol, dan"
    )
    assert (china.start, china.missing_from) == (24, ("alice", "bob", "carol"))


def test_two_agree_and_the_third_has_nothing():
    doc = document(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "actor")], carol=[])
    (found,) = find_disagreements(doc)
    assert (found.kind, found.missing_from) == ("missing", ("carol",))
    assert found.description() == "missing: [3, 11) 'Sullivan': alice actor [3, 11), bob actor [3, 11); none from carol"


def test_an_agreed_outer_span_is_set_aside_so_only_the_nested_difference_is_reported():
    # Both mark the sentence a claim; only alice marks the actor inside it: one "missing" over [3, 11), not a
    # disagreement over the whole sentence.
    doc = document(alice=[(SENTENCE, "claim"), (SULLIVAN, "actor")], bob=[(SENTENCE, "claim")])
    (found,) = find_disagreements(doc)
    assert (found.kind, found.start, found.end, found.missing_from) == ("missing", 3, 11, ("bob",))
    assert [s.label for s in found.spans["alice"]] == ["actor"]


def test_a_nested_label_difference_inside_an_agreed_span():
    doc = document(alice=[(SENTENCE, "claim"), (SULLIVAN, "actor")], bob=[(SENTENCE, "claim"), (SULLIVAN, "denial")])
    (found,) = find_disagreements(doc)
    assert (found.kind, found.start, found.end) == ("label", 3, 11)


def test_nested_spans_not_agreed_form_one_cluster():
    # alice: claim over the sentence; bob: actor over "Sullivan" inside it. They share code points 3..10, so one
    # cluster over the union [0, 54); labels and offsets differ.
    doc = document(alice=[(SENTENCE, "claim")], bob=[(SULLIVAN, "actor")])
    (found,) = find_disagreements(doc)
    assert (found.kind, found.start, found.end) == ("label_and_boundary", 0, 54)


def test_a_chain_of_overlaps_is_one_cluster_and_other_clusters_stay_apart():
    # [0, 11) overlaps [3, 18) which overlaps [12, 29), though [0, 11) and [12, 29) share nothing: one cluster
    # [0, 29). "consequences" [41, 53) touches none of them: its own cluster.
    doc = document(
        alice=[((0, 11), "actor"), ((41, 53), "claim")],
        bob=[((3, 18), "actor"), ((41, 53), "warning")],
        carol=[((12, 29), "actor"), ((41, 53), "claim")],
    )
    chain, consequences = find_disagreements(doc)
    assert (chain.kind, chain.start, chain.end, chain.missing_from) == ("boundary", 0, 29, ())
    assert (consequences.kind, consequences.start, consequences.end) == ("label", 41, 53)
    assert consequences.description() == ("label: [41, 53) 'consequences': alice claim, bob warning, carol claim")


def test_adjacent_spans_share_no_code_point_and_are_separate_clusters():
    doc = document(alice=[((0, 2), "actor"), ((3, 11), "actor")], bob=[])
    assert [(d.start, d.end) for d in find_disagreements(doc)] == [(0, 2), (3, 11)]


def test_several_spans_of_one_annotator_in_a_cluster_are_listed_in_saved_order():
    doc = document(alice=[(CHINA, "actor"), (SULLIVAN, "actor")], bob=[((3, 29), "claim")])
    (found,) = find_disagreements(doc)
    assert found.description() == (
        "label_and_boundary: [3, 29) 'Sullivan warned that China': alice actor [3, 11) + actor [24, 29), "
        "bob claim [3, 29)"
    )


def test_identical_annotations_have_no_disagreement_even_nested_and_with_twins():
    marks = [(SENTENCE, "claim"), (SULLIVAN, "actor"), (MR_SULLIVAN, "actor"), (CHINA, "actor")]
    doc = document(alice=marks, bob=list(reversed(marks)), carol=[*marks, (CHINA, "actor")])  # carol's twin
    assert find_disagreements(doc) == []


def test_notes_flags_and_ids_do_not_matter():
    doc = document(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "actor")])
    bob = doc.spans["bob"][0].model_copy(update={"id": "x9", "note": "sure?", "uncertain": True})
    assert find_disagreements(DocumentAnnotations("doc", TEXT, {"alice": doc.spans["alice"], "bob": (bob,)})) == []


def test_no_annotator_with_a_span_and_no_disagreement():
    assert find_disagreements(document(alice=[], bob=[])) == []


def test_one_annotator_is_refused():
    with pytest.raises(ValueError, match=r"at least two.*has 1 \(alice\)"):
        find_disagreements(document(alice=[(SULLIVAN, "actor")]))


def test_text_with_line_breaks_is_described_on_one_line():
    text = "first line\nsecond"
    (found,) = find_disagreements(document(text, alice=[((6, 17), "claim")], bob=[]))
    assert found.description() == "missing: [6, 17) 'line⏎second': alice claim [6, 17); none from bob"


# -- navigation -----------------------------------------------------------------------------------------------------
NAVIGATION = document(alice=[(SULLIVAN, "actor"), (CHINA, "actor"), ((41, 53), "claim")], bob=[])
# Disagreements start at 3, 24 and 41.


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(0, 0), (3, 1), (5, 1), (24, 2), (40, 2), (41, 0), (54, 0)],  # after the last start: wrap to the first
)
def test_next_disagreement_starts_after_the_offset_and_wraps(offset, expected):
    items = find_disagreements(NAVIGATION)
    assert [d.start for d in items] == [3, 24, 41]
    assert next_disagreement(items, offset) == expected


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(54, 2), (42, 2), (41, 1), (25, 1), (24, 0), (4, 0), (3, 2), (0, 2)],  # before the first start: wrap to the last
)
def test_previous_disagreement_starts_before_the_offset_and_wraps(offset, expected):
    assert previous_disagreement(find_disagreements(NAVIGATION), offset) == expected


def test_navigation_with_no_disagreement_gives_none():
    assert next_disagreement([], 5) is None
    assert previous_disagreement([], 5) is None


def test_navigation_with_one_disagreement_stays_on_it():
    items = find_disagreements(document(alice=[(CHINA, "actor")], bob=[]))
    assert [next_disagreement(items, o) for o in (0, 24, 30)] == [0, 0, 0]
    assert [previous_disagreement(items, o) for o in (0, 24, 30)] == [0, 0, 0]


# -- properties -----------------------------------------------------------------------------------------------------
LENGTH = 30
MARKS = st.lists(
    st.tuples(st.integers(0, LENGTH - 1), st.integers(1, 8), st.sampled_from(["actor", "claim"])).map(
        lambda m: ((m[0], min(LENGTH, m[0] + m[1])), m[2])
    ),
    max_size=6,
)
PLAIN = "x" * LENGTH


@given(st.lists(MARKS, min_size=2, max_size=4))
def test_every_disputed_span_is_in_exactly_one_disagreement_and_they_do_not_overlap(marks):
    doc = document(PLAIN, **{f"a{index}": own for index, own in enumerate(marks)})
    found = find_disagreements(doc)
    keys = {name: {span_key(s) for s in spans} for name, spans in doc.spans.items()}
    agreed = set.intersection(*keys.values())
    for name, own in keys.items():
        listed = [span_key(s) for d in found for s in d.spans[name]]
        assert sorted(listed) == sorted(own - agreed)
    for before, after in itertools.pairwise(found):
        assert before.end <= after.start
    for d in found:
        assert set(d.missing_from) == {name for name, spans in d.spans.items() if not spans}
        assert (d.kind == "missing") == bool(d.missing_from)
        assert d.start == min(s.start for spans in d.spans.values() for s in spans)
        assert "\n" not in d.description()


@given(MARKS, st.integers(2, 4))
def test_identical_annotations_never_disagree(marks, count):
    assert find_disagreements(document(PLAIN, **{f"a{index}": marks for index in range(count)})) == []


@given(MARKS, MARKS)
def test_disagreements_do_not_depend_on_the_order_of_annotators(first, second):
    forward = find_disagreements(document(PLAIN, alice=first, bob=second))
    backward = find_disagreements(document(PLAIN, alice=second, bob=first))
    assert [(d.kind, d.start, d.end) for d in forward] == [(d.kind, d.start, d.end) for d in backward]


@given(MARKS, MARKS, st.integers(0, LENGTH))
def test_navigation_always_lands_on_a_disagreement(first, second, offset):
    items = find_disagreements(document(PLAIN, alice=first, bob=second))
    for step in (next_disagreement, previous_disagreement):
        index = step(items, offset)
        assert (index is None) == (not items)
        assert index is None or 0 <= index < len(items)
