"""Word and grapheme snapping and keyboard stepping of spans (UAX #29), without Qt."""

from __future__ import annotations

import itertools

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model.words import SNAP_REACH, snap_to_graphemes, snap_to_words, step_span, trim_punctuation
from tests.conftest import trap_cases

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl: 5 code points, one cluster
US_FLAG = "\U0001f1fa\U0001f1f8"
CN_FLAG = "\U0001f1e8\U0001f1f3"


def words_of(text: str, start: int, end: int) -> str:
    s, e = snap_to_words(text, start, end)
    return text[s:e]


def selection(text: str, inside: str, occurrence: str | None = None) -> tuple[int, int]:
    """Code-point range of ``inside`` within the first occurrence of ``occurrence`` (default: ``inside``)."""
    base = text.index(occurrence or inside)
    offset = base + (occurrence or inside).index(inside)
    return offset, offset + len(inside)


# -- independent oracles over the whole text (no windows) ------------------------------------------------------------
def cluster_bounds(text: str) -> list[int]:
    return [0, *(m.end() for m in regex.finditer(r"\X", text))]


def word_cuts(text: str) -> list[int]:
    """Offsets that are both word boundaries and cluster boundaries, from segmenting the whole text.

    Word boundaries are UAX #29's plus the offset before the apostrophe of a word-final possessive clitic.
    """
    words = {m.start() for m in regex.finditer(r"(?w)\b", text)}
    words |= {i for i in range(len(text) - 1) if text[i] in "'\u2019" and text[i + 1] in "sS" and i + 2 in words}
    return sorted(words & set(cluster_bounds(text)))


def oracle_step(text: str, start: int, end: int, edge: str, direction: int, unit: str) -> tuple[int, int] | None:
    bounds = cluster_bounds(text)
    first = max(b for b in bounds if b <= start)
    last = min(b for b in bounds if b >= end)
    if unit == "word":
        cuts = word_cuts(text)
        words = [(a, b) for a, b in itertools.pairwise(cuts) if any(c.isalnum() for c in text[a:b])]
        starts, ends = [a for a, _ in words], [b for _, b in words]
    else:
        starts = [b for b in bounds if b < len(text) and not text[b].isspace()]
        ends = [b for b in bounds if b > 0 and not text[b - 1].isspace()]
    if (edge, direction) == ("start", -1):
        found = [a for a in starts if a < start]
        return (found[-1], last) if found else None
    if (edge, direction) == ("start", 1):
        found = [a for a in starts if start < a < last]
        return (found[0], last) if found else None
    if (edge, direction) == ("end", 1):
        found = [b for b in ends if b > end]
        return (first, found[0]) if found else None
    found = [b for b in ends if first < b < end]
    return (first, found[-1]) if found else None


# -- snapping to words: examples ---------------------------------------------------------------------------------------
ARTICLE = "Beijing denied the report. U.S. officials said Russia's envoy left."


@pytest.mark.parametrize(
    ("inside", "occurrence", "expected"),
    [
        ("iji", None, "Beijing"),
        ("B", "Beijing", "Beijing"),
        ("ied th", None, "denied the"),
        ("g d", None, "Beijing denied"),
        ("Beijing denied the report", None, "Beijing denied the report"),  # already whole words: unchanged
        ("S", "U.S.", "U.S"),  # UAX #29: "U.S" is one word, the final full stop is not part of it
        ("U.S.", None, "U.S."),  # an edge on a boundary stays, punctuation is not trimmed
        (". off", "U.S. officials", ". officials"),
        ("ss", "Russia's", "Russia"),  # the possessive clitic is a word of its own
        ("a's env", None, "Russia's envoy"),
        ("left.", None, "left."),  # the text's end
    ],
)
def test_snap_to_words_in_the_article(inside, occurrence, expected):
    assert words_of(ARTICLE, *selection(ARTICLE, inside, occurrence)) == expected


@pytest.mark.parametrize(
    ("inside", "occurrence", "expected"),
    [
        ("Beijing", None, "Beijing"),  # both edges on boundaries: never grown (issue 16)
        ("Beij", None, "Beijing"),  # grows to the word, not past the clitic
        ("ijin", None, "Beijing"),
        ("Beijing\u2019s", None, "Beijing\u2019s"),  # a selection taking the clitic keeps it
        ("jing\u2019", None, "Beijing\u2019s"),  # an edge inside the clitic takes the whole clitic
        ("\u2019", None, "\u2019s"),
        ("g\u2019s h", None, "Beijing\u2019s help"),
    ],
)
def test_possessive_clitic_is_a_word_boundary(inside, occurrence, expected):
    text = "Beijing\u2019s help"
    assert words_of(text, *selection(text, inside, occurrence)) == expected


@pytest.mark.parametrize(
    ("text", "inside", "expected"),
    [
        ("Russia's envoy", "uss", "Russia"),  # straight apostrophe
        ("RUSSIA\u2019S ENVOY", "USS", "RUSSIA"),
        ("the officials\u2019 help", "ffic", "officials"),  # plural possessive: the bare apostrophe is not taken
        ("the officials' help", "officials'", "officials'"),  # ... nor dropped (trim_punctuation does that)
        ("Wang Yi\u2019s remarks", "Wang Y", "Wang Yi"),
        ("it's late", "i", "it"),  # a contraction in 's splits the same way
        ("don't go", "d", "don't"),  # other contractions stay whole
        ("We\u2019ve said", "W", "We\u2019ve"),
        ("l\u2019\u00c9tat fran\u00e7ais", "\u00c9", "l\u2019\u00c9tat"),  # French elision: untouched
        ("s\u2019il pleut", "s", "s\u2019il"),
        ("Beijing\u2019sa", "B", "Beijing\u2019sa"),  # not word-final: no clitic
        ("Beijing\u02bcs help", "B", "Beijing\u02bcs"),  # U+02BC is a letter, not this apostrophe
        ("the 1990's", "9", "1990"),  # UAX #29 already breaks a number from 's
    ],
)
def test_possessive_clitic_rule_only_splits_word_final_s(text, inside, expected):
    assert words_of(text, *selection(text, inside)) == expected


def test_cjk_selection_inside_snaps_to_single_ideographs_not_the_sentence():
    text = "中国外交部发言人说"
    for i in range(len(text)):
        assert snap_to_words(text, i, i + 1) == (i, i + 1)
    assert snap_to_words(text, 2, 4) == (2, 4)
    assert words_of("北京说。美国官员警告", 4, 6) == "美国"


def test_katakana_run_is_one_word_among_ideographs():
    text = "日本のテレビ局が報じた"
    assert words_of(text, 4, 5) == "テレビ"
    assert words_of(text, 6, 7) == "局"


def test_thai_without_spaces_does_not_snap_to_the_whole_run():
    text = "สวัสดีครับ"  # 10 code points, 7 clusters: vowel signs stay with their consonant
    assert snap_to_words(text, 0, 1) == (0, 1)
    assert snap_to_words(text, 1, 2) == (1, 3)  # ว + the mark ั
    assert snap_to_words(text, 2, 3) == (1, 3)
    assert snap_to_words(text, 4, 5) == (4, 6)
    assert snap_to_words(text, 0, len(text)) == (0, len(text))


def test_korean_snaps_to_the_space_delimited_word():
    text = "한국 외교부 대변인은 말했다"
    assert words_of(text, 4, 5) == "외교부"
    assert words_of(text, 1, 8) == "한국 외교부 대변인은"


def test_combining_mark_stays_with_its_letter():
    text = "the cafe\u0301 owner"
    assert words_of(text, 4, 6) == "cafe\u0301"
    assert snap_to_words(text, 7, 8) == (4, 9)  # ending between "e" and U+0301 takes the mark
    assert snap_to_words(text, 8, 9) == (4, 9)  # the mark alone takes its word


def test_crlf_is_never_split():
    text = "one\r\ntwo"
    assert snap_to_words(text, 3, 4) == (3, 5)
    assert snap_to_words(text, 4, 5) == (3, 5)
    assert snap_to_words(text, 4, 6) == (3, 8)


def test_emoji_sequences_and_flags_are_whole():
    text = f"The {FAMILY} delegation"
    assert snap_to_words(text, 6, 7) == (4, 9)
    assert words_of(text, 8, 12) == f"{FAMILY} delegation"
    flags = US_FLAG + CN_FLAG
    assert snap_to_words(flags, 1, 2) == (0, 2)
    assert snap_to_words(flags, 1, 3) == (0, 4)
    assert snap_to_words("talks were \U0001f62c tense", 11, 12) == (11, 12)  # astral: one code point


def test_selections_at_the_text_edges():
    text = "Beijing denied"
    assert snap_to_words(text, 0, 1) == (0, 7)
    assert snap_to_words(text, 13, 14) == (8, 14)
    assert snap_to_words(text, 0, 14) == (0, 14)
    assert snap_to_words("x", 0, 1) == (0, 1)


def test_leading_space_and_space_runs_are_kept_and_grown_not_trimmed():
    text = "said   Price"
    assert snap_to_words(text, 4, 8) == (4, 12)  # the spaces before "Price" stay (only grows)
    assert snap_to_words(text, 5, 6) == (4, 7)  # UAX #29 WB3d: a run of spaces is one segment


def test_prepend_character_is_not_split_from_the_cluster_it_opens():
    # U+0600 ARABIC NUMBER SIGN is a Prepend: it forms one cluster with the following space, although UAX #29 puts
    # a word boundary between them.
    text = "x \u0600 y"
    assert snap_to_words(text, 2, 3) == (2, 4)
    assert snap_to_words(text, 3, 4) == (2, 4)


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 2), (2, 2), (3, 2), (0, 99)],
)
def test_invalid_ranges_raise(start, end):
    for snap in (snap_to_words, snap_to_graphemes):
        with pytest.raises(ValueError, match="outside the text"):
            snap("Beijing", start, end)
    with pytest.raises(ValueError, match="outside the text"):
        step_span("Beijing", start, end, "end", 1, "word")
    with pytest.raises(ValueError, match="outside the text"):
        snap_to_words("", 0, 0)


# -- long documents: only a window around each edge is examined ------------------------------------------------------
def test_long_document_snaps_like_a_short_one():
    filler = "Officials met in Rome on Monday. " * 60_000  # ~2 million code points
    text = filler + "Beijing denied the report." + filler
    at = len(filler)
    assert words_of(text, at + 2, at + 10) == "Beijing denied"
    assert step_span(text, at, at + 7, "end", 1, "word") == (at, at + 14)
    assert step_span(text, at, at + 7, "start", -1, "word") == (at - 8, at + 7)  # "Monday"


def test_word_longer_than_the_reach_is_cut_at_the_selection_and_still_idempotent():
    token = "x" * (3 * SNAP_REACH)
    text = f"see {token} now"
    inside = (4 + SNAP_REACH + 10, 4 + SNAP_REACH + 20)
    assert snap_to_words(text, *inside) == inside  # no boundary within reach: the edges stay
    near_start = (4 + 10, 4 + 20)
    assert snap_to_words(text, *near_start) == (4, 4 + 20)  # the word's start is within reach of the start edge
    assert snap_to_words(text, *snap_to_words(text, *near_start)) == (4, 4 + 20)


def test_long_run_of_combining_marks_still_snaps_to_whole_clusters():
    zalgo = "a" + "\u0301" * (4 * SNAP_REACH)
    text = f"x {zalgo} y"
    assert snap_to_graphemes(text, 500, 501) == (2, 3 + 4 * SNAP_REACH)
    start, end = snap_to_words(text, 500, 501)
    assert (start, end) == (2, 3 + 4 * SNAP_REACH)


def test_long_run_of_regional_indicators_pairs_flags_from_the_runs_start():
    flags = (US_FLAG + CN_FLAG) * SNAP_REACH
    text = "a " + flags
    assert snap_to_graphemes(text, 2 + 2 * SNAP_REACH + 1, 2 + 2 * SNAP_REACH + 2) == (
        2 + 2 * SNAP_REACH,
        2 + 2 * SNAP_REACH + 2,
    )


def test_steps_jump_over_long_runs_of_spaces_punctuation_and_flags():
    spaces = "a" + " " * 1000 + "b"
    assert step_span(spaces, 0, 1, "end", 1, "char") == (0, 1002)
    assert step_span(spaces, 1001, 1002, "start", -1, "char") == (0, 1002)
    assert step_span(spaces, 0, 1002, "end", -1, "char") == (0, 1)
    assert step_span(spaces, 0, 1002, "start", 1, "char") == (1001, 1002)
    punctuation = "a" + ".," * 500 + "b"
    assert step_span(punctuation, 0, 1, "end", 1, "word") == (0, 1002)
    assert step_span(punctuation, 1001, 1002, "start", -1, "word") == (0, 1002)
    flags = "a " + (US_FLAG + CN_FLAG) * 500 + " b"
    assert step_span(flags, 0, 1, "end", 1, "word") == (0, len(flags))
    assert step_span(flags, 0, 1, "end", 1, "char") == (0, 4)  # one flag
    assert step_span(flags, 2, 4, "end", 1, "word") == (2, len(flags))  # flags are not words: on to "b"
    assert step_span(flags, 2, 4, "end", -1, "word") is None


# -- graphemes ---------------------------------------------------------------------------------------------------------
def test_snap_to_graphemes_examples():
    assert snap_to_graphemes("cafe\u0301", 3, 4) == (3, 5)
    assert snap_to_graphemes("cafe\u0301", 4, 5) == (3, 5)
    assert snap_to_graphemes("cafe\u0301", 0, 2) == (0, 2)  # already on boundaries: unchanged
    assert snap_to_graphemes("a\r\nb", 1, 2) == (1, 3)
    assert snap_to_graphemes("a\r\nb", 2, 4) == (1, 4)
    assert snap_to_graphemes(f"The {FAMILY}!", 5, 7) == (4, 9)
    assert snap_to_graphemes(US_FLAG + CN_FLAG, 1, 3) == (0, 4)
    assert snap_to_graphemes("\u0915\u094d\u0937a", 0, 1) == (0, 3)  # Devanagari conjunct KSSA (GB9c)
    assert snap_to_graphemes("\u0915\u094d\u0937a", 2, 3) == (0, 3)  # ... also from its second consonant
    assert snap_to_graphemes("\u0915\u093f\u0937a", 2, 3) == (2, 3)  # a vowel sign does not join consonants
    assert snap_to_graphemes("\u1100\u1161\u11a8\uac00", 1, 2) == (0, 3)  # Hangul jamo L V T
    assert snap_to_graphemes("中国", 0, 1) == (0, 1)


@pytest.mark.parametrize("case", trap_cases(), ids=lambda case: case["name"])
def test_trap_corpus_spans_are_on_grapheme_and_word_boundaries(case):
    text = case["text"]
    for span in case["spans"]:
        assert snap_to_graphemes(text, span["start"], span["end"]) == (span["start"], span["end"])
        # Every annotated span of the corpus is whole words, so snapping its exact selection keeps it.
        assert snap_to_words(text, span["start"], span["end"]) == (span["start"], span["end"])


# -- stepping ----------------------------------------------------------------------------------------------------------
def test_word_steps_in_the_article():
    text = "Beijing denied the report. U.S. officials said."
    denied = selection(text, "denied")
    assert step_span(text, *denied, "start", -1, "word") == (0, 14)
    assert step_span(text, *denied, "end", 1, "word") == (8, 18)
    assert step_span(text, *denied, "start", 1, "word") is None  # would leave nothing
    assert step_span(text, *denied, "end", -1, "word") is None
    span = selection(text, "the report")
    assert step_span(text, *span, "start", 1, "word") == selection(text, "report")
    assert step_span(text, *span, "end", -1, "word") == selection(text, "the")
    # The full stop and space are skipped; "U.S" is one word.
    assert step_span(text, *span, "end", 1, "word") == (15, 30)
    assert step_span(text, 15, 30, "end", 1, "word") == (15, 41)
    assert step_span(text, *selection(text, "officials"), "start", -1, "word") == (27, 41)


def test_word_step_from_inside_a_word_goes_to_that_words_edge():
    text = "Beijing denied"
    assert step_span(text, 3, 10, "start", -1, "word") == (0, 10)
    assert step_span(text, 3, 10, "end", 1, "word") == (3, 14)
    assert step_span(text, 3, 10, "end", -1, "word") == (3, 7)
    assert step_span(text, 3, 10, "start", 1, "word") == (8, 10)


def test_word_steps_treat_the_possessive_clitic_as_a_word():
    text = "Beijing\u2019s help"
    assert step_span(text, 0, 7, "end", 1, "word") == (0, 9)  # "Beijing" -> "Beijing’s"
    assert step_span(text, 0, 9, "end", -1, "word") == (0, 7)  # and back
    assert step_span(text, 0, 14, "start", 1, "word") == (7, 14)  # "’s help"
    assert step_span(text, 10, 14, "start", -1, "word") == (7, 14)
    assert step_span(text, 0, 14, "end", -1, "word") == (0, 9)


def test_word_steps_skip_quotes_and_punctuation():
    text = "\u201cWe\u2019ve made it,\u201d Price said."
    price = selection(text, "Price")
    assert step_span(text, *price, "start", -1, "word") == (12, 22)  # "it,” Price"
    assert step_span(text, 1, 15, "end", 1, "word") == (1, 22)  # over ",” " to the end of "Price"
    assert step_span(text, 1, 22, "end", -1, "word") == (1, 14)


def test_word_steps_over_cjk_move_one_ideograph():
    text = "中国外交部发言人说"
    assert step_span(text, 2, 4, "start", -1, "word") == (1, 4)
    assert step_span(text, 2, 4, "end", 1, "word") == (2, 5)
    assert step_span(text, 2, 4, "end", -1, "word") == (2, 3)


def test_steps_at_the_text_edges_are_impossible():
    text = "Beijing denied."
    for unit in ("word", "char"):
        assert step_span(text, 0, 7, "start", -1, unit) is None
        assert step_span(text, 0, len(text), "end", 1, unit) is None
    assert step_span(text, 8, 14, "end", 1, "word") is None  # only "." is left
    assert step_span(text, 8, 14, "end", 1, "char") == (8, 15)
    assert step_span("  Beijing", 2, 9, "start", -1, "char") is None  # only whitespace is left


def test_char_steps_move_by_grapheme_clusters():
    text = f"cafe\u0301 {FAMILY}{US_FLAG}"
    assert step_span(text, 0, 3, "end", 1, "char") == (0, 5)  # "e" with its accent
    assert step_span(text, 0, 5, "end", -1, "char") == (0, 3)
    assert step_span(text, 0, 5, "end", 1, "char") == (0, 11)  # over the space to the whole ZWJ sequence
    assert step_span(text, 0, 11, "end", 1, "char") == (0, 13)  # the flag
    assert step_span(text, 6, 13, "start", 1, "char") == (11, 13)
    assert step_span(text, 6, 13, "start", -1, "char") == (3, 13)  # over the space, to "e" + accent


def test_char_steps_skip_whitespace_and_crlf():
    text = "one.\r\n\u00a0\tTwo"
    assert step_span(text, 0, 4, "end", 1, "char") == (0, 9)
    assert step_span(text, 0, 9, "end", -1, "char") == (0, 4)
    assert step_span(text, 8, 11, "start", -1, "char") == (3, 11)
    assert step_span(text, 3, 11, "start", 1, "char") == (8, 11)
    assert step_span("a b", 0, 3, "start", 1, "char") == (2, 3)
    assert step_span("a b", 0, 3, "end", -1, "char") == (0, 1)
    assert step_span("a b", 0, 1, "end", 1, "char") == (0, 3)


def test_span_splitting_a_cluster_keeps_its_other_edge_widened():
    text = "cafe\u0301 au lait"
    assert step_span(text, 0, 4, "start", 1, "char") == (1, 5)  # the fixed end no longer splits "e" + accent
    assert step_span(text, 4, 8, "end", 1, "word") == (3, 13)


def test_invalid_step_arguments_raise():
    for args in (("middle", 1, "word"), ("start", 0, "word"), ("end", 1, "line")):
        with pytest.raises(ValueError, match="cannot step"):
            step_span("Beijing denied", 0, 7, *args)


# -- properties --------------------------------------------------------------------------------------------------------
PIECES = [
    "a", "B", "z", "\u00e9", "e\u0301", "\u0301", "1", "9", " ", "\u00a0", "\t", "\n", "\r", "\r\n",
    ".", ",", "'", "\u2019", "-", "\u201c", "中", "国", "テ", "レ", "ส", "\u0e31", "한", "국", "\u1100", "\u1161",
    "\U0001f600", "\u200d", "\U0001f468", "\U0001f1fa", "\U0001f1f8", "\u0915", "\u094d", "\u0600", "\u00ad",
    "\u200b", "\U0001d400", "\u2028", "_", "\U0001f1e8", "\U0001f1f3", "\u0e40", "\u05d0", '"', "s", "S", "'s",
    "\u2019s", "\u02bc",
]  # fmt: skip
NO_SPACE_PIECES = [p for p in PIECES if not any(c.isspace() for c in p)]
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join),
    st.text(min_size=1, max_size=40),
)


@st.composite
def text_and_range(draw, text_strategy=texts):
    text = draw(text_strategy)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@settings(max_examples=200)
@given(text_and_range())
def test_snap_to_words_grows_to_the_nearest_cuts_and_is_idempotent(case):
    text, start, end = case
    s, e = snap_to_words(text, start, end)
    assert s <= start < end <= e
    cuts = word_cuts(text)  # short texts lie within the window, so the result is the whole-text answer
    assert (s, e) == (max(c for c in cuts if c <= start), min(c for c in cuts if c >= end))
    bounds = set(cluster_bounds(text))
    assert s in bounds and e in bounds
    assert snap_to_words(text, s, e) == (s, e)


@settings(max_examples=150)
@given(text_and_range())
def test_snap_to_graphemes_grows_to_the_nearest_cluster_bounds_and_is_idempotent(case):
    text, start, end = case
    s, e = snap_to_graphemes(text, start, end)
    bounds = cluster_bounds(text)
    assert (s, e) == (max(b for b in bounds if b <= start), min(b for b in bounds if b >= end))
    assert snap_to_graphemes(text, s, e) == (s, e)
    ws, we = snap_to_words(text, start, end)
    assert ws <= s and e <= we  # word mode grows at least as far


@settings(max_examples=300)
@given(
    text_and_range(),
    st.sampled_from(["start", "end"]),
    st.sampled_from([-1, 1]),
    st.sampled_from(["word", "char"]),
)
def test_step_span_is_valid_and_matches_the_whole_text_oracle(case, edge, direction, unit):
    text, start, end = case
    result = step_span(text, start, end, edge, direction, unit)
    assert result == oracle_step(text, start, end, edge, direction, unit)  # None exactly when impossible
    if result is not None:
        s, e = result
        assert 0 <= s < e <= len(text)
        assert result != (start, end)
        bounds = set(cluster_bounds(text))
        assert s in bounds and e in bounds
        if unit == "char":
            moved = s if edge == "start" else e
            assert not (text[moved] if edge == "start" else text[moved - 1]).isspace()


@settings(max_examples=150)
@given(text_and_range(st.lists(st.sampled_from(NO_SPACE_PIECES), min_size=1, max_size=30).map("".join)))
def test_char_steps_without_whitespace_are_inverses(case):
    text, start, end = case
    span = snap_to_graphemes(text, start, end)
    for edge in ("start", "end"):
        for direction in (-1, 1):
            stepped = step_span(text, *span, edge, direction, "char")
            if stepped is not None:
                assert step_span(text, *stepped, edge, -direction, "char") == span


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U.S. officials,", "U.S. officials"),
        ("“We’ve made it very clear", "We’ve made it very clear"),
        ("Putin)", "Putin"),
        ("(14th)", "(14th)"),
        ("“intense”,", "intense"),
        ("officials’", "officials"),
        ("no comment.", "no comment."),
        ("U.S.", "U.S."),
        ('"a" and "b"', '"a" and "b"'),
        ("「北京」，", "北京"),
        (" , ", " , "),  # nothing but punctuation: unchanged
    ],
)
def test_trim_punctuation_drops_stray_edge_punctuation(text, expected):
    start, end = trim_punctuation(text, 0, len(text))
    assert text[start:end] == expected
    assert 0 <= start < end <= len(text)
