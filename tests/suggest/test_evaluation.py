"""Comparing suggestions with spans: exact and overlap counts, undefined figures with reasons, best labels."""

from __future__ import annotations

from annotator.model.span import Span
from annotator.suggest.evaluation import best_labels, compare
from annotator.suggest.suggestion import Suggestion


def s(start: int, end: int, label: str = "actor", score: float = 0.5) -> Suggestion:
    return Suggestion(start, end, label, score, "test", "")


def g(start: int, end: int, label: str = "actor", id: str = "x") -> Span:
    return Span(id=id, start=start, end=end, label=label, text="x" * (end - start))


def test_exact_and_overlap_counts_on_each_side():
    exact, overlap = compare([s(0, 5), s(10, 12), s(20, 25, "claim")], [g(0, 5), g(11, 15, id="y"), g(30, 35, id="z")])
    e, o = exact["actor"], overlap["actor"]
    assert (e.suggested, e.right, e.spans, e.found) == (2, 1, 3, 1)
    assert (o.suggested, o.right, o.spans, o.found) == (2, 2, 3, 2)
    claim = exact["claim"]
    assert claim.recall().value is None and claim.recall().reason == "there is no span of this label"
    assert claim.precision().value == 0.0 and claim.f1().reason == "there is no span of this label"
    wrong, _ = compare([s(0, 5)], [g(7, 9)])
    assert wrong["actor"].f1().value is None and wrong["actor"].f1().reason == "nothing suggested was right"


def test_nested_spans_are_found_by_overlap_whatever_the_order():
    _, overlap = compare([s(12, 14)], [g(0, 30), g(10, 11, id="y")])
    assert overlap["actor"].right == 1 and overlap["actor"].found == 1


def test_best_labels_keep_ties_and_drop_low_scores():
    picked = best_labels([s(0, 5, "actor", 0.6), s(0, 5, "claim", 0.3), s(7, 9, "a", 0.4), s(7, 9, "b", 0.4)])
    assert [(x.start, x.label) for x in picked] == [(0, "actor"), (7, "a"), (7, "b")]
    assert best_labels([s(0, 5, "actor", 0.2)], min_score=0.5) == []


def test_a_suggested_link_is_right_only_when_both_ends_match_gold_spans_that_gold_links():
    from annotator.model.relation import Relation
    from annotator.suggest.evaluation import compare_links
    from annotator.suggest.suggestion import SuggestedLink

    actor = Suggestion(0, 5, "actor", 0.5, "test", "", "a1")
    claim = Suggestion(10, 20, "claim", 0.5, "test", "", "a2", (SuggestedLink("source", "a2", "a1"),))
    off = Suggestion(22, 30, "claim", 0.5, "test", "", "a3", (SuggestedLink("source", "a3", "a1"),))
    gold = [g(0, 5, id="x"), g(10, 20, "claim", id="y"), g(22, 31, "claim", id="z")]
    relations = [
        Relation(id="r1", type="source", from_="y", to="x"),
        Relation(id="r2", type="source", from_="z", to="x"),
    ]
    counts = compare_links([actor, claim, off], gold, relations)["source"]
    assert (counts.suggested, counts.right, counts.spans, counts.found) == (2, 1, 2, 1)
    assert counts.precision().value == 0.5
