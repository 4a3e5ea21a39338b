"""The tokenizer and sentence splitter of the token-based exports (CoNLL): documented rules, code-point offsets.

Tokens
------
Offsets are Unicode code points into the exact text, half-open ``[start, end)``: ``text[start:end] == token.text``.

- **Whitespace separates tokens and is never part of one**: every character for which ``str.isspace()`` is true
  (space, tab, CR, LF, NBSP U+00A0, U+2000–U+200A, U+2028/U+2029, U+3000...).
- **A word** is a maximal run of word characters (``\\w`` of the ``regex`` package: letters, combining marks, digits,
  ``_``, ZWJ and ZWNJ) together with the marks that extend them (emoji skin-tone modifiers, spacing marks).
- **Invisible format characters** (Unicode category Cf: soft hyphen U+00AD, zero-width space U+200B, word joiner
  U+2060, direction marks...) between two pieces of a word stay inside it (``"Sanc\\u00adtions"`` and
  ``"de\\u200bnied"`` are one token each); anywhere else (at a word's edge, next to punctuation, an emoji or a
  character of the scripts below) each is a token of its own. Prepended concatenation marks (Arabic number signs
  such as U+0600) join the word after them.
- **Scripts written without spaces** (Han ideographs, Hiragana, and the Thai, Lao, Khmer and Myanmar letters, whose
  Unicode line-break class is Complex_Context) give one token per character with its marks, as the app's word
  selection does (UAX #29 word boundaries), so spans selected there line up with tokens. Katakana and Hangul words
  are runs like Latin words.
- **Any other non-space character is a token of its own**, taken as a whole extended grapheme cluster (UAX #29,
  https://www.unicode.org/reports/tr29/#Grapheme_Cluster_Boundaries): an emoji ZWJ sequence (👨‍👩‍👧), a flag (🇺🇸) or
  a character with its combining marks is one token.
- A token never splits a grapheme cluster, except where Unicode glues whitespace into one (a combining mark right
  after a space, a prepended concatenation mark before a space): whitespace still separates, and the non-space part
  is the token.

So a written token is never empty and never contains whitespace: ``"TOKEN TAG".split()`` gives the two fields back.

Sentences
---------
A sentence ends between two consecutive tokens when

1. the whitespace between them contains a line break (any of ``\\n \\r \\v \\f \\x1c \\x1d \\x1e \\x85 U+2028 U+2029``,
   the characters ``str.splitlines()`` breaks at), or
2. the first ends a run of sentence-final punctuation (``. ! ? … ‼ ⁇ ⁈ ⁉ ؟ ۔ । ॥`` then any closing quotes or
   brackets, with no whitespace inside the run) and whitespace follows it; after the full-width ``。 ！ ？ ｡`` no
   whitespace is needed (Chinese and Japanese put none);

but never between two tokens that one span of ``keep_together`` overlaps, so an entity is never cut by a sentence
break (e.g. one that crosses a line break). There are no abbreviation exceptions: ``"U.S. officials"`` ends a sentence
after ``"U.S."`` unless a kept span covers it.

Speed: text made of Latin, Greek and Cyrillic letters and common punctuation is tokenized with a plain ``re``
pattern; only the whitespace-delimited chunks holding other characters go through the exact grapheme-cluster pattern.
A megabyte of English news text takes a few tenths of a second; text with one token per character (Chinese) or
dense in emoji takes a few times longer.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import regex

# -- character classes ----------------------------------------------------------------------------------------------
WHITESPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())
"""Every character for which ``str.isspace()`` is true (none lies above U+3000, the ideographic space)."""

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""The characters ``str.splitlines()`` breaks at: whitespace holding one of them ends a sentence."""

SENTENCE_TERMINALS = ".!?…‼⁇⁈⁉؟۔।॥"
"""Punctuation that ends a sentence when whitespace follows (after any closing quotes or brackets)."""

FULL_WIDTH_TERMINALS = "。！？｡"
"""Chinese and Japanese sentence-final punctuation: ends a sentence even with no whitespace after it."""

CLOSING_PUNCTUATION = "\"'”’»›)]}」』）】〕〉》〗〙〛］｝｣"
"""Closing quotes and brackets that may follow sentence-final punctuation within the same sentence."""


def _class_items(chars: str) -> str:
    return "".join(f"\\U{ord(ch):08x}" for ch in chars)


_WS = _class_items(WHITESPACE)
# One token per cluster: scripts written without spaces between words (UAX #29 breaks between their letters).
_SOLO = r"\p{Ideographic}\p{Script=Han}\p{Script=Hiragana}\p{Line_Break=Complex_Context}"
# Characters a word run is made of: word characters, except the one-per-token scripts, prepended concatenation
# marks (which join the character after them) and pictographs (which join a following pictograph across a ZWJ); plus
# every character that extends the cluster before it (marks, emoji modifiers, ZWJ).
_WORD_CHAR = (
    rf"[[\w--[{_SOLO}\p{{GCB=Prepend}}\p{{Extended_Pictographic}}]]"
    r"\p{GCB=Extend}\p{GCB=SpacingMark}\p{GCB=ZWJ}]"
)
_PIECE = _WORD_CHAR + "++"
# Exact tokens: a word (prepended concatenation marks may lead it; format characters and prepended marks may join two
# pieces of it), else prepended marks right before whitespace (Unicode would glue the whitespace to them), else a
# flag (regional indicators pair up from the start of their run; spelled out because ``\X`` scans back to the run's
# start at every flag, which is quadratic in long runs; with the marks after it, and a consonant after a virama, which
# ``\X`` glues to whatever the virama follows: Unicode's rule GB9c), else one extended grapheme cluster that does not
# start with whitespace.
_EXACT_TOKEN = regex.compile(
    rf"\p{{GCB=Prepend}}*+{_PIECE}(?:[\p{{Cf}}\p{{GCB=Prepend}}]++{_PIECE})*+"
    rf"|\p{{GCB=Prepend}}++(?=[{_WS}]|\Z)"
    r"|\p{GCB=Regional_Indicator}{1,2}+[\p{GCB=Extend}\p{GCB=SpacingMark}\p{GCB=ZWJ}]*+"
    r"(?:(?<=\p{InCB=Linker}\p{InCB=Extend}*+)\p{InCB=Consonant}[\p{GCB=Extend}\p{GCB=SpacingMark}\p{GCB=ZWJ}]*+)*+"
    rf"|(?![{_WS}])\X",
    regex.V1,
)

# Characters with which the plain ``re`` pattern gives exactly the tokens of the exact pattern: each is a grapheme
# cluster of its own next to any other of them, and none is a format character, mark or one-per-token letter.
_SIMPLE_RANGES = (
    "\x00-\u00ac\u00ae-\u02ff"  # Latin (without the soft hyphen), IPA, spacing modifier letters
    "\u0370-\u0377\u037a-\u037f\u0384-\u0482\u048a-\u052f"  # Greek and Cyrillic letters (no combining marks)
    "\u2010-\u2027\u2030-\u205e"  # general punctuation (no format characters)
)
_SIMPLE_CHARS = regex.findall(f"[{_SIMPLE_RANGES}]", "".join(map(chr, [*range(0x530), *range(0x2010, 0x205F)])))
_SIMPLE_WORD = "".join(ch for ch in _SIMPLE_CHARS if regex.fullmatch(_WORD_CHAR, ch, regex.V1))
_FAST_TOKEN = re.compile(rf"[{re.escape(_SIMPLE_WORD)}]+|\S")
_NOT_SIMPLE = regex.compile(rf"[^{_SIMPLE_RANGES}{_WS}]+")
_SPACE = regex.compile(f"[{_WS}]")
_SPACE_REVERSE = regex.compile(f"[{_WS}]", regex.REVERSE)
_REGION_GAP = 64  # simple characters between two exact regions below which they are merged into one

_LINE_BREAK = re.compile(f"[{re.escape(LINE_BREAKS)}]+")
_SENTENCE_END = re.compile(
    rf"[{re.escape(SENTENCE_TERMINALS + FULL_WIDTH_TERMINALS)}]+[{re.escape(CLOSING_PUNCTUATION)}]*(?=\s)"
    rf"|[{re.escape(FULL_WIDTH_TERMINALS)}]+[{re.escape(CLOSING_PUNCTUATION)}]*"
)


class Token(NamedTuple):
    """One token: ``text[start:end] == token.text``; offsets are code points, half-open.

    An immutable named tuple (a frozen record: fields cannot be assigned), chosen over a frozen dataclass because it is
    created about twice as fast, which matters at a quarter of a million tokens per megabyte.
    """

    start: int
    end: int
    text: str


_new = tuple.__new__  # makes a Token from a tuple without the named tuple's Python-level __new__ (a third faster)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` in order, by the rules in this module's docstring.

    Every token is non-empty and holds no whitespace; together the tokens cover every non-whitespace code point of
    ``text`` exactly once, in order. Pure; never raises for any ``str``.
    """
    tokens: list[Token] = []
    pos = 0
    for start, end in _exact_regions(text):
        tokens += [_new(Token, (m.start(), m.end(), m.group())) for m in _FAST_TOKEN.finditer(text, pos, start)]
        tokens += [_new(Token, (m.start(), m.end(), m.group())) for m in _EXACT_TOKEN.finditer(text, start, end)]
        pos = end
    tokens += [_new(Token, (m.start(), m.end(), m.group())) for m in _FAST_TOKEN.finditer(text, pos)]
    return tokens


def _exact_regions(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint stretches ``[start, end)`` that hold every character outside the simple ranges; each starts
    at 0 or right after whitespace and ends at whitespace or the end, so no token crosses its edges. Stretches less
    than ``_REGION_GAP`` code points apart are merged."""
    regions: list[tuple[int, int]] = []
    start = end = -1
    for match in _NOT_SIMPLE.finditer(text):
        if start < 0 or match.start() >= end + _REGION_GAP:
            if start >= 0:
                regions.append((start, end))
            before = _SPACE_REVERSE.search(text, max(end, 0), match.start())
            start = before.end() if before else max(end, 0)
        if match.end() > end:
            after = _SPACE.search(text, match.end())
            end = after.start() if after else len(text)
    if start >= 0:
        regions.append((start, end))
    return regions


def _tokenize_exact(text: str) -> list[Token]:
    """:func:`tokenize` without the fast path, for tests."""
    return [_new(Token, (m.start(), m.end(), m.group())) for m in _EXACT_TOKEN.finditer(text)]


def token_range(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int]:
    """Indices ``(first, last)`` of the tokens that ``[start, end)`` (code points) overlaps, by binary search;
    ``first > last`` when it overlaps none. ``tokens`` in text order, as :func:`tokenize` returns them."""
    first = bisect.bisect_right(tokens, start, key=_END)
    last = bisect.bisect_left(tokens, end, key=_START) - 1
    return first, last


def sentences(text: str, tokens: Sequence[Token], keep_together: Iterable[tuple[int, int]] = ()) -> list[list[Token]]:
    """``tokens`` (of ``text``, in order, as :func:`tokenize` gives them) split into sentences by the rules in this
    module's docstring.

    No sentence is empty, the sentences concatenated are ``tokens``, and no span ``(start, end)`` of
    ``keep_together`` (code points, half-open) is split between two sentences: there is no sentence break between
    two tokens it overlaps.
    """
    if not tokens:
        return []
    starts = [token.start for token in tokens]
    cuts: set[int] = set()  # k in cuts: a sentence starts at tokens[k]
    for match in _LINE_BREAK.finditer(text, tokens[0].end, tokens[-1].start):
        cuts.add(bisect.bisect_left(starts, match.end()))
    for match in _SENTENCE_END.finditer(text, tokens[0].start, tokens[-1].start):
        k = bisect.bisect_left(starts, match.end())
        if tokens[k - 1].end == match.end():  # the punctuation ends a token (it does unless marks are glued on)
            cuts.add(k)
    kept = _unblocked(sorted(cuts), tokens, starts, keep_together)
    bounds = [0, *kept, len(tokens)]
    listed = tokens if isinstance(tokens, list) else list(tokens)
    return [listed[a:b] for a, b in itertools.pairwise(bounds)]


def _unblocked(
    cuts: list[int], tokens: Sequence[Token], starts: list[int], spans: Iterable[tuple[int, int]]
) -> list[int]:
    """The sorted ``cuts`` (``k``: a break between ``tokens[k - 1]`` and ``tokens[k]``) that split no span."""
    if not cuts:
        return cuts
    ends = [token.end for token in tokens]
    intervals = []  # [a, b]: cut indices inside one span
    for start, end in spans:
        first = bisect.bisect_right(ends, start)  # the first token the span overlaps
        last = bisect.bisect_left(starts, end) - 1  # the last one
        if first < last:
            intervals.append((first + 1, last))
    intervals.sort()
    kept = []
    i = 0
    reach = -1  # the largest b of the intervals starting at or before the cut
    for k in cuts:
        while i < len(intervals) and intervals[i][0] <= k:
            reach = max(reach, intervals[i][1])
            i += 1
        if k > reach:
            kept.append(k)
    return kept


def _START(token: Token) -> int:
    return token.start


def _END(token: Token) -> int:
    return token.end
