"""The string matcher: scores, longest match, whole words (on the trap corpus too), case, spans and rejections."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model.span import Span
from annotator.suggest.registry import make_suggester
from annotator.suggest.string_matcher import FOLDED_FACTOR, StringMatcher, fold
from annotator.suggest.suggestion import Suggestion, SuggestionContext, number_suggestions
from annotator.suggest.vocabulary import Vocabulary
from tests.conftest import trap_cases


def span(text: str, start: int, end: int, label: str = "actor", id: str = "s1") -> Span:
    return Span(id=id, start=start, end=end, label=label, text=text[start:end])


def found(text: str, suggestions: list[Suggestion]) -> list[tuple[str, str, float]]:
    return [(text[s.start : s.end], s.label, s.score) for s in suggestions]


def vocabulary(*entries: tuple[str, str]) -> Vocabulary:
    out = Vocabulary()
    for text, label in entries:
        out.add(text, label)
    return out


def test_the_score_is_the_labels_share_damped_by_how_often_the_string_was_seen():
    text = "Price spoke. Then Price left."
    matcher = StringMatcher(vocabulary(("Price", "actor"), ("Price", "actor"), ("Price", "actor"), ("Price", "claim")))
    got = found(text, matcher.suggest(text, SuggestionContext()))
    share, damping = 3 / 4, 4 / 5
    assert (
        got
        == [
            ("Price", "actor", round(share * damping, 4)),
            ("Price", "claim", round(1 / 4 * damping, 4)),
        ]
        * 2
    )
    once = StringMatcher(vocabulary(("Price", "actor")))
    assert {s.score for s in once.suggest(text, SuggestionContext())} == {0.5}  # seen once: at most 0.5


def test_the_reason_says_how_often_and_where_from():
    text = "Price spoke."
    matcher = StringMatcher(vocabulary(("Price", "actor"), ("Price", "actor"), ("Price", "claim")))
    reasons = {s.label: s.reason for s in matcher.suggest(text, SuggestionContext())}
    assert reasons == {
        "actor": "labeled actor 2 of 3 times (this project)",
        "claim": "labeled claim 1 of 3 times (this project)",
    }


def test_whole_words_only_with_the_possessive_as_a_word_of_its_own():
    text = "China’s help, Chinas, PreChina, China."
    matcher = StringMatcher(vocabulary(("China", "actor")))
    got = matcher.suggest(text, SuggestionContext())
    assert [(s.start, s.end) for s in got] == [(0, 5), (32, 37)]


def test_longest_match_first_and_nothing_inside_it():
    text = "Jake Sullivan said. Sullivan agreed."
    matcher = StringMatcher(vocabulary(("Jake Sullivan", "actor"), ("Sullivan", "actor")))
    assert [(text[s.start : s.end], s.start) for s in matcher.suggest(text, SuggestionContext())] == [
        ("Jake Sullivan", 0),
        ("Sullivan", 20),
    ]


def test_case_exact_first_then_folded_at_a_lower_score():
    text = "Beijing said. BEIJING said. beijing said."
    matcher = StringMatcher(vocabulary(("Beijing", "actor")))
    got = found(text, matcher.suggest(text, SuggestionContext()))
    assert got == [("Beijing", "actor", 0.5), ("BEIJING", "actor", 0.5 * FOLDED_FACTOR), ("beijing", "actor", 0.4)]
    assert "case differs" in matcher.suggest(text, SuggestionContext())[1].reason


def test_folding_keeps_every_offset():
    assert fold("İSTANBUL Straße ǅ") == "İstanbul straße ǆ"  # İ lowers to two code points: kept as it is
    assert all(len(fold(c["text"])) == len(c["text"]) for c in trap_cases())


def test_never_what_is_already_a_span_with_that_label_nor_what_was_rejected():
    text = "Price spoke. Price left. Ned Price came. Price."
    matcher = StringMatcher(vocabulary(("Price", "actor"), ("Price", "actor")))
    first = span(text, 0, 5)
    longer = span(text, text.index("Ned Price"), text.index("Ned Price") + 9, id="s2")
    rejected = frozenset({(text.index("Price left"), text.index("Price left") + 5, "actor")})
    got = matcher.suggest(text, SuggestionContext(spans=(first, longer), rejected=rejected))
    assert [s.start for s in got] == [len(text) - 6]  # only the last "Price"
    other_label = span(text, 0, 5, label="claim")
    assert 0 in [s.start for s in matcher.suggest(text, SuggestionContext(spans=(other_label,)))]


def test_the_open_documents_spans_are_learned_at_once():
    text = "Sullivan met Yang. Later Sullivan left, and Sullivan’s aide too."
    matcher = StringMatcher()
    assert matcher.suggest(text, SuggestionContext()) == []
    got = matcher.suggest(text, SuggestionContext(spans=(span(text, 0, 8),)))
    assert [(s.start, s.reason) for s in got] == [
        (25, "labeled actor 1 of 1 time (this document)"),
        (44, "labeled actor 1 of 1 time (this document)"),
    ]


def test_project_and_document_evidence_add_up():
    text = "Price spoke. Price left."
    matcher = StringMatcher(vocabulary(("Price", "actor")))
    got = matcher.suggest(text, SuggestionContext(spans=(span(text, 0, 5),)))
    assert [(s.start, s.score, s.reason) for s in got] == [
        (13, round(2 / 3, 4), "labeled actor 2 of 2 times (this project, this document)")
    ]


@pytest.mark.parametrize("case", trap_cases(), ids=[c["name"] for c in trap_cases()])
def test_on_the_trap_corpus_every_span_text_is_found_again_at_its_exact_offsets(case):
    text = case["text"]
    spans = [
        Span(id=f"s{i}", start=s["start"], end=s["end"], label=s["label"], text=s["text"])
        for i, s in enumerate(case["spans"])
    ]
    learned = Vocabulary.from_spans(spans, "this project")
    got = StringMatcher(learned).suggest(text, SuggestionContext())
    for suggestion in got:
        assert text[suggestion.start : suggestion.end] in learned.entries or fold(
            text[suggestion.start : suggestion.end]
        ) in {fold(t) for t in learned.entries}
    from annotator.model.words import is_word_boundary

    for s in spans:  # a span whose edges are word boundaries is found where it is
        if is_word_boundary(text, s.start) and is_word_boundary(text, s.end):
            inside_longer = any(
                o.start <= s.start
                and s.end <= o.end
                and (o.end - o.start) > (s.end - s.start)
                and o.text in learned.entries
                for o in spans
            )
            if not inside_longer:
                assert (s.start, s.end, s.label) in {x.key for x in got}, s


def test_numbering_and_the_registry():
    text = "Price spoke. Price left."
    matcher = make_suggester("string-match", vocabulary(("Price", "actor")))
    numbered = number_suggestions(matcher.suggest(text, SuggestionContext()))
    assert [s.id for s in numbered] == ["g1", "g2"]
    with pytest.raises(ValueError, match="string-match"):
        make_suggester("crystal-ball")
    with pytest.raises(ValueError):
        Suggestion(3, 3, "actor", 0.5, "x", "")
    with pytest.raises(ValueError):
        Suggestion(0, 3, "actor", 1.5, "x", "")


WORDS = ["Price", "price", "Ned Price", "Yang", "China", "CHINA", "said", "İstanbul", "ß", "the talks"]


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=30),
    labeled=st.lists(st.tuples(st.integers(0, 29), st.sampled_from(["actor", "claim", "other"])), max_size=8),
    learned=st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(["actor", "claim", "warning"])), max_size=6),
    allowed=st.sets(st.sampled_from(["actor", "claim", "warning"])),
    limit=st.integers(0, 12),
)
def test_suggest_first_is_first_in_text_of_all_the_suggestions(words, labeled, learned, allowed, limit):
    from annotator.suggest.pending import first_in_text

    text = " ".join(words) + "."
    starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
    spans = [
        span(text, starts[i], starts[i] + len(words[i]), label, id=f"s{n}")
        for n, (i, label) in enumerate(labeled)
        if i < len(words)
    ]
    context = SuggestionContext(spans=spans)
    every = StringMatcher(vocabulary(*learned)).suggest(text, context)
    first, found = StringMatcher(vocabulary(*learned)).suggest_first(text, context, allowed, limit)
    expected, expected_found = first_in_text(every, frozenset(allowed), spans, limit)
    assert found == expected_found
    assert [(s.start, s.end, s.label, s.score, s.reason) for s in first] == [
        (s.start, s.end, s.label, s.score, s.reason) for s in expected
    ]
