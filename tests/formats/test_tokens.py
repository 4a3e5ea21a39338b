"""The documented tokenizer and sentence splitter of the token-based exports (annotator.formats.tokens)."""

from __future__ import annotations

import itertools
import re

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.formats import tokens as tokens_module
from annotator.formats.tokens import LINE_BREAKS, WHITESPACE, Token, sentences, token_range, tokenize
from tests.formats.support import linked_record, trap_records

# Characters of every kind the rules mention: letters, digits, punctuation, every whitespace, combining and spacing
# marks, ZWJ/ZWNJ, invisible format characters, prepended concatenation marks, emoji with modifiers and selectors,
# regional indicators, scripts without spaces, Hangul jamo, math letters, control characters.
TRAP_CHARS = [
    *"aZé9_.,;:!?'\"-()“”’«»…%",
    *WHITESPACE,
    "\u0301",  # combining acute
    "\u0308",  # combining diaeresis
    "\u093f",  # Devanagari vowel sign I (spacing mark)
    "\u094d",  # Devanagari virama
    "\u0915",  # Devanagari KA
    "\u200d",  # ZWJ
    "\u200c",  # ZWNJ
    "\u200b",  # zero-width space
    "\u00ad",  # soft hyphen
    "\u200e",  # left-to-right mark
    "\u2060",  # word joiner
    "\ufeff",  # BOM as a zero-width no-break space
    "\u0600",  # Arabic number sign (prepended)
    "\u0d4e",  # Malayalam dot reph (prepended letter)
    "😬",
    "👨",
    "🏽",  # skin-tone modifier
    "\ufe0f",  # variation selector 16
    "\u20e3",  # combining enclosing keycap
    "🇺",
    "🇸",
    "中",
    "国",
    "。",
    "す",
    "タ",
    "ー",
    "ก",
    "\u0e31",  # Thai vowel sign
    "\u1100",  # Hangul choseong
    "\u1161",  # Hangul jungseong
    "한",
    "ق",
    "𝐀",
    "\x07",
    "\x00",
]
trap_text = st.text(alphabet=st.sampled_from(TRAP_CHARS), max_size=60)
any_text = st.text(max_size=60)


def texts(tokens: list[Token]) -> list[str]:
    return [token.text for token in tokens]


def cluster_boundaries(text: str) -> set[int]:
    return {0, *(m.end() for m in regex.finditer(r"\X", text))}


# -- the documented examples -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officials met in Rome.", ["Officials", "met", "in", "Rome", "."]),
        ("Sullivan's deputy", ["Sullivan", "'", "s", "deputy"]),
        ("3.5% of U.S. exports", ["3", ".", "5", "%", "of", "U", ".", "S", ".", "exports"]),
        ("snake_case and x2", ["snake_case", "and", "x2"]),
        # grapheme clusters: flags, ZWJ sequences, modifiers, keycaps stay whole
        ("Envoy 🇺🇸 met 🇨🇳;", ["Envoy", "🇺🇸", "met", "🇨🇳", ";"]),
        ("The 👨\u200d👩\u200d👧 delegation", ["The", "👨\u200d👩\u200d👧", "delegation"]),
        ("ok 👍🏽!", ["ok", "👍🏽", "!"]),
        ("press 1\ufe0f\u20e3 now", ["press", "1\ufe0f\u20e3", "now"]),
        ("🇺🇸🇨🇳🇺", ["🇺🇸", "🇨🇳", "🇺"]),
        # combining marks stay with their letter, also decomposed
        ("Zoe\u0308 Martin and the cafe\u0301 owner", ["Zoe\u0308", "Martin", "and", "the", "cafe\u0301", "owner"]),
        # every Unicode space separates: NBSP, tab, CR LF, CR, U+2028/2029, ideographic space
        ("Price\xa0said:\t“no”", ["Price", "said", ":", "“", "no", "”"]),
        ("a\r\nb\rc\u2028d\u2029e\u3000f", ["a", "b", "c", "d", "e", "f"]),
        # invisible format characters: inside a word they stay in it, elsewhere each is a token
        ("Sanc\xadtions de\u200bnied", ["Sanc\xadtions", "de\u200bnied"]),
        ("a \u200b b", ["a", "\u200b", "b"]),
        ("\u200eMoscow\u200f.", ["\u200e", "Moscow", "\u200f", "."]),
        ("می\u200cخواهم", ["می\u200cخواهم"]),  # ZWNJ inside a Persian word
        # scripts without spaces: one token per character; Katakana and Hangul words are runs
        ("中国外交部。美国", ["中", "国", "外", "交", "部", "。", "美", "国"]),
        ("東京タワーです", ["東", "京", "タワー", "で", "す"]),
        ("ประเทศ", ["ป", "ร", "ะ", "เ", "ท", "ศ"]),
        ("한국어 문장", ["한국어", "문장"]),
        ("قال المتحدث", ["قال", "المتحدث"]),
        ("𝐀𝐁𝐂 Corp", ["𝐀𝐁𝐂", "Corp"]),
        # where Unicode glues whitespace into a cluster, the whitespace still separates
        ("a \u0301b", ["a", "\u0301b"]),
        ("\u0600 1", ["\u0600", "1"]),
        ("\u0600123", ["\u0600123"]),
        ("", []),
        (" \t\r\n", []),
    ],
)
def test_tokens_follow_the_documented_rules(text: str, expected: list[str]) -> None:
    tokens = tokenize(text)
    assert texts(tokens) == expected
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_whitespace_is_exactly_what_isspace_accepts() -> None:
    assert set(WHITESPACE) == {chr(cp) for cp in range(0x110000) if chr(cp).isspace()}
    assert set(LINE_BREAKS) == {chr(cp) for cp in range(0x110000) if len(("a" + chr(cp) + "b").splitlines()) == 2}


def test_token_is_an_immutable_record() -> None:
    token = Token(0, 3, "abc")
    assert (token.start, token.end, token.text) == (0, 3, "abc")
    with pytest.raises(AttributeError):
        token.start = 1  # type: ignore[misc]


def test_every_trap_span_lines_up_with_tokens() -> None:
    for record in [*trap_records(), linked_record()]:
        tokens = tokenize(record.text)
        for span in record.spans:
            first, last = token_range(tokens, span.start, span.end)
            assert (tokens[first].start, tokens[last].end) == (span.start, span.end), (record.id, span)


# -- properties -------------------------------------------------------------------------------------------------------
def check_invariants(text: str) -> None:
    tokens = tokenize(text)
    covered = []
    previous_end = 0
    boundaries = cluster_boundaries(text)
    for token in tokens:
        assert token.text, "empty token"
        assert text[token.start : token.end] == token.text
        assert not any(ch.isspace() for ch in token.text), f"whitespace in {token.text!r}"
        assert token.text.split() == [token.text]
        assert previous_end <= token.start < token.end
        previous_end = token.end
        covered.extend(range(token.start, token.end))
        # never inside a grapheme cluster, except where Unicode glues whitespace into one
        assert token.start in boundaries or text[token.start - 1].isspace(), f"split cluster at {token.start}"
        assert token.end in boundaries or text[token.end].isspace(), f"split cluster at {token.end}"
    assert covered == [i for i, ch in enumerate(text) if not ch.isspace()]
    # the fast path (plain re over simple characters) gives exactly the exact pattern's tokens
    assert tokens == tokens_module._tokenize_exact(text)


@settings(max_examples=400, deadline=None)
@given(trap_text)
def test_tokens_never_hold_whitespace_never_split_clusters_and_cover_everything(text: str) -> None:
    check_invariants(text)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_invariants_hold_for_any_text(text: str) -> None:
    check_invariants(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"abcXYZ019_", *".,;'\"!?-", *" \t\n\xa0"]), max_size=80))
def test_ascii_words_are_maximal_runs_and_other_characters_single(text: str) -> None:
    expected = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z0-9_]+|[^\s]", text)]
    assert [(t.start, t.end) for t in tokenize(text)] == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([*tokens_module._SIMPLE_CHARS, " ", "\n"]), max_size=80))
def test_fast_path_agrees_with_the_exact_pattern_on_simple_characters(text: str) -> None:
    assert tokenize(text) == tokens_module._tokenize_exact(text)


def test_simple_characters_are_clusters_of_their_own() -> None:
    simple = tokens_module._SIMPLE_CHARS
    joined = "".join(simple)
    assert [m.group() for m in regex.finditer(r"\X", joined)] == simple
    assert not any(regex.match(r"[\p{Cf}\p{M}\p{GCB=Prepend}\p{Ideographic}\p{Script=Han}]", ch) for ch in simple)
    assert tokenize(joined) == tokens_module._tokenize_exact(joined)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["ab", "中", "😬", "🇺🇸", "e\u0301", "\u200b", ".", " ", "\n", "x" * 70]), max_size=40))
def test_region_merging_keeps_the_tokens_exact(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert tokenize(text) == tokens_module._tokenize_exact(text)


# -- degenerate text (speed is measured by benchmarks/export_costs.py, not here) -----------------------------------
@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("🇺" * 1001, 501),  # regional indicators pair into flags; the last one is alone
        ("a" + "\u0301" * 1000, 1),
        ("x" * 10_000, 1),
        ("a\u200b" * 1000, 2),  # zero-width spaces inside the word stay; the last one is its own token
        ("\u0600 " * 500, 500),
        ("中" * 1000, 1000),
        ("a 😬 👨\u200d👩\u200d👧 🇺🇸, " * 100, 500),
    ],
    ids=["regional-indicators", "marks", "one-long-word", "zero-width", "prepended", "cjk", "emoji"],
)
def test_degenerate_text_gives_the_documented_tokens(text: str, count: int) -> None:
    tokens = tokenize(text)
    assert len(tokens) == count
    assert tokens == tokens_module._tokenize_exact(text)


# -- sentences --------------------------------------------------------------------------------------------------------
def sentence_texts(text: str, keep: list[tuple[int, int]] | None = None) -> list[str]:
    return [" ".join(texts(s)) for s in sentences(text, tokenize(text), keep or [])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officials met. Price warned!", ["Officials met .", "Price warned !"]),
        ("Line one\r\nline two\rthree\u2028four", ["Line one", "line two", "three", "four"]),
        ("He said “no.” Then left.", ["He said “ no . ”", "Then left ."]),
        ('"Why?!" he asked.', ['" Why ? ! "', "he asked ."]),
        ("It rose 3.5 points.", ["It rose 3 . 5 points ."]),
        ("Wait… what", ["Wait …", "what"]),
        ("U.S. officials", ["U . S .", "officials"]),  # no abbreviation list
        ("中国否认。美国警告。", ["中 国 否 认 。", "美 国 警 告 。"]),  # full-width: no space needed
        ("a.b", ["a . b"]),
        ("Yang denied it.\n\n\n", ["Yang denied it ."]),
        ("", []),
    ],
)
def test_sentences_follow_the_documented_rules(text: str, expected: list[str]) -> None:
    assert sentence_texts(text) == expected


def test_kept_spans_are_never_split_across_sentences() -> None:
    text = "Sullivan warned China\r\nof consequences. Yang denied it."
    warning = (text.index("warned"), text.index("consequences") + len("consequences"))
    assert sentence_texts(text) == ["Sullivan warned China", "of consequences .", "Yang denied it ."]
    assert sentence_texts(text, [warning]) == ["Sullivan warned China of consequences .", "Yang denied it ."]
    across = (text.index("consequences"), text.index("Yang") + 4)  # crosses a sentence end after "."
    assert sentence_texts(text, [across]) == ["Sullivan warned China", "of consequences . Yang denied it ."]


@settings(max_examples=300, deadline=None)
@given(trap_text, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=5))
def test_sentences_partition_the_tokens_and_keep_spans_whole(text: str, raw: list[tuple[int, int]]) -> None:
    tokens = tokenize(text)
    keep = [(min(a, b), max(a, b)) for a, b in raw if a != b]
    result = sentences(text, tokens, keep)
    assert all(result)
    assert [t for s in result for t in s] == tokens
    sentence_of = {t.start: n for n, s in enumerate(result) for t in s}
    for start, end in keep:
        inside = {sentence_of[t.start] for t in tokens if t.start < end and start < t.end}
        assert len(inside) <= 1
    # without spans to keep, every break has a line break or sentence-final punctuation before it
    for left, right in itertools.pairwise(result):
        gap = text[left[-1].end : right[0].start]
        assert any(ch in LINE_BREAKS for ch in gap) or left[-1].text[-1] in "".join(
            [tokens_module.SENTENCE_TERMINALS, tokens_module.FULL_WIDTH_TERMINALS, tokens_module.CLOSING_PUNCTUATION]
        )


def test_token_range_finds_the_tokens_a_span_overlaps() -> None:
    tokens = tokenize("Sullivan's deputy  warned")
    assert token_range(tokens, 0, 8) == (0, 0)
    assert token_range(tokens, 2, 13) == (0, 3)
    assert token_range(tokens, 17, 19) == (4, 3)  # whitespace only: no token


def test_a_consonant_after_a_flag_and_a_virama_stays_in_the_flags_cluster():
    # \X glues a consonant to whatever a virama (U+094D) follows (GB9c), a flag's regional indicator included;
    # found by the property test above: the token ended inside that cluster.
    text = "🇸्क"
    assert [t.text for t in tokenize(text)] == [text]
    check_invariants(text)
