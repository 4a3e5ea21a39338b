"""``is_word_boundary``'s quick answers agree with the full UAX #29 rules everywhere."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model.words import _is_cut, is_word_boundary
from tests.conftest import trap_cases

ASCII_AND_PUNCTUATION = "aZ9 .,;'\u2019s\u00a0\r\n\t()\u201c\u201d\"\u00ab\u00bb-\u00e9\u0301"
OTHERS = ["\u5317", "\u4eac", "\U0001f600", "\u200d", "\u05d0", "\u0627", "_", "\u0130"]
ALPHABET = st.sampled_from([*ASCII_AND_PUNCTUATION, *OTHERS])


def test_the_quick_answers_agree_on_the_trap_corpus():
    for case in trap_cases():
        text = case["text"]
        assert [is_word_boundary(text, i) for i in range(len(text) + 1)] == [
            _is_cut(text, i) for i in range(len(text) + 1)
        ], case["name"]


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=30).map("".join))
def test_the_quick_answers_agree_on_generated_text(text):
    assert [is_word_boundary(text, i) for i in range(len(text) + 1)] == [_is_cut(text, i) for i in range(len(text) + 1)]
