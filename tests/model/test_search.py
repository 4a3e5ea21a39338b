from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from annotator.model.search import find_all


def test_case_insensitive_by_default_and_case_sensitive_on_request():
    text = "China said. CHINA denied. china"
    assert find_all(text, "china") == [(0, 5), (12, 17), (26, 31)]
    assert find_all(text, "China", case_sensitive=True) == [(0, 5)]


def test_whole_word_skips_matches_inside_words():
    text = "Russia and Russian officials; Russia, Russias"
    assert find_all(text, "Russia") == [(0, 6), (11, 17), (30, 36), (38, 44)]
    assert find_all(text, "Russia", whole_word=True) == [(0, 6), (30, 36)]


def test_whole_word_finds_the_name_before_a_possessive_as_word_snapping_does():
    # The possessive clitic is a word of its own (issue 16), so "Label all" with whole words marks "Beijing" in
    # "Beijing’s help", as the actor guideline wants.
    text = "Beijing\u2019s help, BEIJING'S envoy, Beijing\u2019sa, officials\u2019 help, it's"
    assert find_all(text, "Beijing", whole_word=True) == [(0, 7), (16, 23)]
    assert find_all(text, "Beijing\u2019s", whole_word=True) == [(0, 9)]
    assert find_all(text, "officials", whole_word=True) == [(45, 54)]
    assert find_all(text, "it", whole_word=True) == [(62, 64)]


def test_whole_word_in_cjk_matches_inside_a_sentence():
    text = "中国外交部说北京反对"
    assert find_all(text, "北京", whole_word=True) == [(6, 8)]


def test_offsets_are_code_points_after_astral_characters_and_crlf():
    text = "😀 Beijing\r\n𝒳 Beijing"
    hits = find_all(text, "beijing")
    assert [text[a:b] for a, b in hits] == ["Beijing", "Beijing"]
    assert hits == [(2, 9), (13, 20)]


def test_pattern_characters_are_literal():
    assert find_all("a.b axb (a.b)", "a.b") == [(0, 3), (9, 12)]
    assert find_all("1+1=2, 11=2", "1+1") == [(0, 3)]


def test_empty_query_finds_nothing():
    assert find_all("text", "") == []


def test_case_folding_never_changes_a_matchs_length():
    assert find_all("straße STRASSE", "strasse") == [(7, 14)]


@given(st.text(min_size=0, max_size=40), st.text(min_size=1, max_size=4))
def test_every_case_sensitive_match_is_the_query(text, query):
    for start, end in find_all(text, query, case_sensitive=True):
        assert text[start:end] == query
    hits = find_all(text, query, case_sensitive=True)
    assert all(a[1] <= b[0] for a, b in pairwise(hits))


def test_limit_stops_the_search_early():
    text = "e" * 1000
    assert find_all(text, "e", limit=3) == [(0, 1), (1, 2), (2, 3)]
    assert len(find_all(text, "e")) == 1000


def test_a_typed_space_finds_the_no_break_spaces_of_news_text():
    text = "tariffs\u00a0would rise; 10\u202f% more, tariffs would"
    assert find_all(text, "tariffs would") == [(0, 13), (len(text) - 13, len(text))]
    assert find_all(text, "10 %", whole_word=False) == [(text.index("10"), text.index("10") + 4)]
