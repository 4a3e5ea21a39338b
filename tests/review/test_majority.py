"""Majority merge into gold: who wins, what is left for a person, and the gold file."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import span_faults
from annotator.review.disagreements import span_key
from annotator.review.majority import gold_annotation_set, majority_merge
from tests.review.test_disagreements import (
    CHINA,
    MARKS,
    MR_SULLIVAN,
    PLAIN,
    SENTENCE,
    SULLIVAN,
    TEXT,
    WARNED,
    document,
)


def gold_keys(result):
    return [span_key(g.span) for g in result.gold]


def test_two_against_one_gold_takes_the_majority_and_lists_the_minority():
    # 3 annotators: a strict majority is 3 // 2 + 1 = 2.
    doc = document(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "actor")], carol=[(SULLIVAN, "claim")])
    result = majority_merge(doc)
    assert result.annotators_needed == 2
    (gold,) = result.gold
    assert (gold.span.id, span_key(gold.span), gold.span.text, gold.annotators) == (
        "s1",
        (3, 11, "actor"),
        "Sullivan",
        ("alice", "bob"),
    )
    (conflict,) = result.conflicts
    assert [(span_key(s.span), s.annotators) for s in conflict.spans] == [((3, 11, "claim"), ("carol",))]
    assert conflict.gold == result.gold
    assert conflict.description() == (
        "[3, 11) 'Sullivan': only carol has claim [3, 11); gold needs 2 of 3 annotators; "
        "gold has actor [3, 11) from alice, bob"
    )


def test_a_one_to_one_label_tie_is_left_out_and_listed():
    # 2 annotators: a strict majority is 2 // 2 + 1 = 2; each label has 1.
    result = majority_merge(document(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "claim")]))
    assert result.gold == ()
    (conflict,) = result.conflicts
    assert [(s.span.label, s.annotators) for s in conflict.spans] == [("actor", ("alice",)), ("claim", ("bob",))]
    assert conflict.description() == (
        "[3, 11) 'Sullivan': alice has actor [3, 11); bob has claim [3, 11); gold needs 2 of 2 annotators"
    )


def test_a_boundary_tie_is_left_out_and_listed():
    result = majority_merge(document(alice=[(MR_SULLIVAN, "actor")], bob=[(SULLIVAN, "actor")]))
    assert result.gold == ()
    (conflict,) = result.conflicts
    assert (conflict.start, conflict.end, conflict.text) == (0, 11, "Mr Sullivan")
    assert [span_key(s.span) for s in conflict.spans] == [(0, 11, "actor"), (3, 11, "actor")]


def test_a_minority_span_overlapping_nothing_in_gold_is_listed():
    doc = document(alice=[(SULLIVAN, "actor"), (CHINA, "actor")], bob=[(SULLIVAN, "actor")], carol=[])
    result = majority_merge(doc)
    assert gold_keys(result) == [(3, 11, "actor")]
    (conflict,) = result.conflicts
    assert conflict.gold == ()
    assert conflict.description() == "[24, 29) 'China': only alice has actor [24, 29); gold needs 2 of 3 annotators"


def test_nested_majority_spans_are_both_gold_with_ids_in_text_order():
    doc = document(
        alice=[(SENTENCE, "claim"), (SULLIVAN, "actor")],
        bob=[(SULLIVAN, "actor"), (SENTENCE, "claim")],
        carol=[(SENTENCE, "claim")],
    )
    result = majority_merge(doc)
    assert [(g.span.id, span_key(g.span), g.annotators) for g in result.gold] == [
        ("s1", (0, 54, "claim"), ("alice", "bob", "carol")),
        ("s2", (3, 11, "actor"), ("alice", "bob")),
    ]
    assert result.conflicts == ()


def test_identical_annotations_give_gold_equal_to_the_input_and_no_conflict():
    marks = [(CHINA, "actor"), (SENTENCE, "claim"), (SULLIVAN, "actor"), (MR_SULLIVAN, "actor")]
    result = majority_merge(document(alice=marks, bob=marks, carol=[*marks, (CHINA, "actor")]))  # carol's twin: 1 vote
    assert gold_keys(result) == sorted((start, end, label) for (start, end), label in marks)
    assert {g.annotators for g in result.gold} == {("alice", "bob", "carol")}
    assert [g.span.id for g in result.gold] == ["s1", "s2", "s3", "s4"]
    assert result.conflicts == ()


def test_unanimity_leaves_a_two_against_one_span_out():
    doc = document(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "actor")], carol=[(SULLIVAN, "claim")])
    result = majority_merge(doc, annotators_needed=3)
    assert result.gold == ()
    (conflict,) = result.conflicts
    assert conflict.description() == (
        "[3, 11) 'Sullivan': alice, bob have actor [3, 11); carol has claim [3, 11); gold needs 3 of 3 annotators"
    )


def test_a_low_threshold_keeps_the_better_supported_of_two_clashing_spans():
    # annotators_needed=1: claim (bob, carol: 2) and actor (alice: 1) both reach it but overlap with no annotator in
    # common; claim has more support, so claim is gold and actor is listed with its rival.
    doc = document(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "claim")], carol=[(SULLIVAN, "claim")])
    result = majority_merge(doc, annotators_needed=1)
    assert gold_keys(result) == [(3, 11, "claim")]
    (conflict,) = result.conflicts
    assert conflict.description() == (
        "[3, 11) 'Sullivan': only alice has actor [3, 11); gold needs 1 of 3 annotators; "
        "actor [3, 11) clashes with claim [3, 11) (as much support or more, no annotator in common); "
        "gold has claim [3, 11) from bob, carol"
    )


def test_a_low_threshold_leaves_out_both_sides_of_a_tie():
    result = majority_merge(document(alice=[(SULLIVAN, "actor")], bob=[(MR_SULLIVAN, "claim")]), annotators_needed=1)
    assert result.gold == ()
    (conflict,) = result.conflicts
    assert len(conflict.rivals) == 2


def test_a_low_threshold_keeps_overlapping_spans_one_annotator_marked_together():
    # alice marked both the claim and the actor inside it: they do not clash, both reach 1.
    result = majority_merge(document(alice=[(SENTENCE, "claim"), (SULLIVAN, "actor")], bob=[]), annotators_needed=1)
    assert gold_keys(result) == [(0, 54, "claim"), (3, 11, "actor")]
    assert result.conflicts == ()


def test_the_loser_of_a_clash_does_not_free_what_it_clashed_with():
    # needed=1. claim [0, 11) has 3 (alice, bob, carol); actor [3, 18) has 2 (dan, erin) and clashes with it;
    # denial [12, 29) has 1 (fay) and clashes with actor [3, 18) only. actor is out; denial is out too, since a
    # candidate with more support clashes with it (a person decides).
    doc = document(
        alice=[(MR_SULLIVAN, "claim")],
        bob=[(MR_SULLIVAN, "claim")],
        carol=[(MR_SULLIVAN, "claim")],
        dan=[((3, 18), "actor")],
        erin=[((3, 18), "actor")],
        fay=[((12, 29), "denial")],
    )
    result = majority_merge(doc, annotators_needed=1)
    assert gold_keys(result) == [(0, 11, "claim")]
    (conflict,) = result.conflicts
    assert [span_key(s.span) for s in conflict.spans] == [(3, 18, "actor"), (12, 29, "denial")]


def test_a_single_annotator_is_its_own_majority():
    result = majority_merge(document(alice=[(WARNED, "claim")]))
    assert (result.annotators_needed, gold_keys(result)) == (1, [(12, 18, "claim")])


@pytest.mark.parametrize("needed", [0, 4, -1])
def test_an_impossible_threshold_is_refused(needed):
    doc = document(alice=[], bob=[], carol=[])
    with pytest.raises(ValueError, match="between 1 and 3"):
        majority_merge(doc, annotators_needed=needed)


def test_no_annotator_is_refused():
    with pytest.raises(ValueError, match="at least one annotator"):
        majority_merge(document())


def test_conflict_spans_are_as_their_first_annotator_saved_them():
    doc = document(alice=[], bob=[(SULLIVAN, "actor")], carol=[(SULLIVAN, "actor")], dan=[])
    (conflict,) = majority_merge(doc).conflicts  # 4 annotators: 3 needed
    assert (conflict.spans[0].span.id, conflict.spans[0].annotators) == ("bob1", ("bob", "carol"))


# -- the gold annotation set ----------------------------------------------------------------------------------------
def test_the_gold_set_saves_and_loads_with_its_provenance(tmp_path):
    doc = document(
        alice=[(SENTENCE, "claim"), (SULLIVAN, "actor"), (CHINA, "actor")],
        bob=[(SENTENCE, "claim"), (SULLIVAN, "actor")],
        carol=[(SENTENCE, "claim"), (CHINA, "denial")],
    )
    gold = gold_annotation_set(doc, majority_merge(doc), default_label_set(), document_id="news/a.txt")
    path = tmp_path / "a.annotations.json"
    annotation_file.save(gold, path)
    loaded = annotation_file.load(path)
    assert (loaded.annotator, loaded.document_id, loaded.text, loaded.relations()) == ("gold", "news/a.txt", TEXT, [])
    assert loaded.sorted_spans() == gold.sorted_spans()
    assert [(s.id, span_key(s), s.note) for s in loaded.sorted_spans()] == [
        ("s1", (0, 54, "claim"), "from: alice, bob, carol"),
        ("s2", (3, 11, "actor"), "from: alice, bob"),
    ]
    assert all(not span_faults(s, loaded.text, loaded.label_set) for s in loaded)


def test_a_gold_label_outside_the_label_set_is_refused():
    doc = document(alice=[(SULLIVAN, "speaker")], bob=[(SULLIVAN, "speaker")])
    with pytest.raises(ValueError, match=r"speaker \[3, 11\): label 'speaker' is not in the label set"):
        gold_annotation_set(doc, majority_merge(doc), default_label_set())


def test_a_result_of_another_text_is_refused():
    doc = document(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "actor")])
    other = document("Mr Smith", alice=[], bob=[])
    with pytest.raises(ValueError, match="do not fit"):
        gold_annotation_set(other, majority_merge(doc), default_label_set())


# -- properties -----------------------------------------------------------------------------------------------------
@given(st.lists(MARKS, min_size=1, max_size=5), st.data())
def test_every_span_is_gold_or_listed_once_and_gold_spans_have_their_support(marks, data):
    doc = document(PLAIN, **{f"a{index}": own for index, own in enumerate(marks)})
    needed = data.draw(st.none() | st.integers(1, len(marks)))
    result = majority_merge(doc, needed)
    support = {}
    for name, spans in doc.spans.items():
        for span in spans:
            support.setdefault(span_key(span), set()).add(name)
    listed = [span_key(s.span) for c in result.conflicts for s in c.spans]
    assert sorted(gold_keys(result) + listed) == sorted(support)
    assert gold_keys(result) == sorted(gold_keys(result))
    assert [g.span.id for g in result.gold] == [f"s{n}" for n in range(1, len(result.gold) + 1)]
    for gold in result.gold:
        assert set(gold.annotators) == support[span_key(gold.span)]
        assert len(gold.annotators) >= result.annotators_needed
        assert gold.span.text == PLAIN[gold.span.start : gold.span.end]
    for first in result.gold:
        for second in result.gold:
            if first is not second and first.span.start < second.span.end and second.span.start < first.span.end:
                assert set(first.annotators) & set(second.annotators)  # overlapping gold: marked together
    for before, after in itertools.pairwise(result.conflicts):
        assert before.end <= after.start


@given(MARKS, st.integers(1, 4))
def test_identical_annotations_merge_into_themselves(marks, count):
    result = majority_merge(document(PLAIN, **{f"a{index}": marks for index in range(count)}))
    assert gold_keys(result) == sorted({(start, end, label) for (start, end), label in marks})
    assert result.conflicts == ()
