"""Word and grapheme-cluster boundaries for selecting and resizing spans.

Offsets are Unicode code points into the document's exact text, half-open ``[start, end)``.

Boundaries follow Unicode Standard Annex #29, *Unicode Text Segmentation*
(https://www.unicode.org/reports/tr29/), as implemented by the ``regex`` package:

- extended grapheme clusters (``\\X``, https://www.unicode.org/reports/tr29/#Grapheme_Cluster_Boundaries): a base
  letter with its combining marks, CR LF, an emoji ZWJ sequence and a flag (a pair of regional indicators) are each
  one cluster, and no offset this module returns ever falls inside one;
- default word boundaries (``\\b`` with the ``WORD`` flag,
  https://www.unicode.org/reports/tr29/#Word_Boundaries): ``"U.S"`` is one word, a run of spaces is one segment,
  every Chinese or Japanese ideograph (and, without a dictionary, every Thai letter) is a word of its own, Korean
  words are delimited by spaces;
- plus one tailoring (UAX #29 allows them): the English possessive clitic is a word of its own, so the offset before
  the apostrophe of a word-final ``'s`` or ``’s`` (U+0027 or U+2019, then ``s`` or ``S``) is a boundary too:
  ``"Beijing’s"`` is ``"Beijing"`` + ``"’s"``, as the actor guideline wants "Beijing" marked in "Beijing’s help".
  The bare apostrophe of a plural possessive (``"officials’ help"``) is already a segment of its own. Contractions
  in ``'s`` split the same way (``"it's"`` is ``"it"`` + ``"'s"``, and so is a Dutch plural such as ``"auto's"``);
  other apostrophes are untouched (``"don't"``, ``"we’ve"``, French ``"l’État"``, ``"s’il"``), and so is U+02BC
  MODIFIER LETTER APOSTROPHE, a letter.

Snapping looks only at a window of :data:`SNAP_REACH` code points around each edge, and stepping only as far as the
next word or character, so the cost does not grow with the document (a few tens of microseconds per call on a
2-million-character article). Finding a grapheme-cluster boundary scans back to the nearest pair of code points
between which UAX #29 always breaks (two letters, a mark and a letter, a letter and a space, a line break...): one or
two code points in ordinary text, more only in degenerate input such as thousands of combining marks on one letter
or of regional indicators in a row, where it stays linear.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Literal

SNAP_REACH = 256
"""How far (code points) :func:`snap_to_words` looks from each edge for a word boundary."""

_LOOKAHEAD = 64  # context (code points) given to the boundary search beyond the positions it reports
WORD_BOUNDARY = r"(?:\b|(?=['\u2019][sS]\b))"
"""``regex`` pattern (for the ``WORD`` flag) matching at the word boundaries of this module: a UAX #29 default word
boundary, or the offset before a word-final possessive clitic ``'s`` / ``’s`` (see the module's docstring)."""


class _Patterns:
    """The module's compiled ``regex`` patterns, made once by :func:`_patterns` on first use: importing ``regex``
    and compiling them takes 10-20 ms, which the app's start-up (no document yet) need not pay (issue 22)."""

    def __init__(self) -> None:
        import regex

        self.word_boundary = regex.compile(WORD_BOUNDARY, regex.WORD)
        self.word_boundary_reverse = regex.compile(WORD_BOUNDARY, regex.WORD | regex.REVERSE)
        self.cluster = regex.compile(r"\X")
        # Two code points between which UAX #29 always breaks a grapheme cluster, whatever precedes them, so that
        # segmenting from the second one gives the clusters of the whole text: the rules that look further back
        # (GB9c, GB11, GB12, GB13) only look back across code points joined to the one after them, never across
        # this pair.
        self.safe_cluster_break = regex.compile(
            r"(?s)(?:"
            r"[\p{GCB=Control}\n]."  # GB4: break after controls and LF
            r"|\r[^\n]"  # GB3, GB4: after CR, unless CR LF
            r"|.[\p{GCB=Control}\r]"  # GB5: break before controls and CR
            r"|[^\r]\n"  # GB5: before LF, unless CR LF
            r"|[\p{GCB=Other}\p{GCB=LV}\p{GCB=LVT}\p{GCB=V}\p{GCB=T}\p{GCB=Regional_Indicator}]"
            r"[\p{GCB=Other}\p{GCB=L}\p{GCB=LV}\p{GCB=LVT}]"  # GB999
            # GB999 after a mark, unless a conjunct continues (GB9c: the mark is a virama and a consonant follows)
            r"|[\p{GCB=Extend}\p{GCB=SpacingMark}](?!\p{InCB=Consonant})[\p{GCB=Other}\p{GCB=L}\p{GCB=LV}\p{GCB=LVT}]"
            r"|[^\p{GCB=Prepend}\p{GCB=Regional_Indicator}]\p{GCB=Regional_Indicator}"  # GB999: a flag run's start
            r")",
            regex.REVERSE,
        )
        # A superset of the characters ``str.isalnum`` accepts (checked over all code points): a fast search for
        # candidates.
        self.alnum = regex.compile(r"[\p{L}\p{N}]")
        self.alnum_reverse = regex.compile(r"[\p{L}\p{N}]", regex.REVERSE)
        # Exactly the characters ``str.isspace`` rejects (all whitespace lies below U+3001, the ideographic space).
        not_whitespace = "[^" + "".join(f"\\U{ord(ch):08x}" for ch in map(chr, range(0x3001)) if ch.isspace()) + "]"
        self.not_whitespace = regex.compile(not_whitespace)
        self.not_whitespace_reverse = regex.compile(not_whitespace, regex.REVERSE)
        self.regional_indicator = regex.compile(r"\p{GCB=Regional_Indicator}")
        self.not_regional_indicator = regex.compile(r"\P{GCB=Regional_Indicator}")


_made: list[_Patterns] = []
_making = threading.Lock()


def _patterns() -> _Patterns:
    """The compiled patterns (made on the first call, once: a thread asking while another makes them waits for
    those, without Python's GIL, instead of compiling them again)."""
    if not _made:
        with _making:
            if not _made:
                _made.append(_Patterns())
    return _made[0]


def warm_up() -> None:
    """Import ``regex`` and compile the module's patterns now, if not yet done (safe from any thread). What the first
    edit would otherwise pay: 10-20 ms alone, 0.16 s measured on a 10 MB text while the suggesters ran in the
    background (the import's each step waited for Python's GIL)."""
    _patterns()


Edge = Literal["start", "end"]
Direction = Literal[-1, 1]
Unit = Literal["word", "char"]


# -- grapheme clusters ------------------------------------------------------------------------------------------------
def _cluster_from(text: str, pos: int) -> int:
    """The end of the grapheme cluster that starts at ``pos`` (``0 <= pos < len(text)``)."""
    cluster = _patterns().cluster.match(text, pos)
    assert cluster is not None  # ``\X`` matches a cluster wherever a code point follows
    return cluster.end()


def _cluster_start(text: str, i: int) -> int:
    """The largest grapheme-cluster boundary ``<= i`` (``0 <= i <= len(text)``)."""
    if i <= 0 or i >= len(text):
        return i
    safe = _patterns().safe_cluster_break.search(text, 0, i + 1)
    pos = safe.start() + 1 if safe else 0
    if _patterns().regional_indicator.match(text, pos):
        # ``pos`` starts a run of regional indicators, which pair up into flags from the run's start (GB12, GB13).
        # Jump to the run's last pair rather than matching the pairs one by one (each match scans back to the run's
        # start, which would make long runs quadratic).
        after = _patterns().not_regional_indicator.search(text, pos, i + 1)
        run_end = after.start() if after else i + 1
        pos += 2 * ((min(run_end, i + 1) - 1 - pos) // 2)
    while (end := _cluster_from(text, pos)) <= i:
        pos = end
    return pos


def _cluster_end(text: str, i: int) -> int:
    """The smallest grapheme-cluster boundary ``>= i`` (``0 <= i <= len(text)``)."""
    start = _cluster_start(text, i)
    return i if start == i else _cluster_from(text, start)


def _next_cluster_boundary(text: str, i: int) -> int:
    """The smallest grapheme-cluster boundary ``> i`` (``0 <= i < len(text)``)."""
    return _cluster_from(text, _cluster_start(text, i))


def _previous_cluster_boundary(text: str, i: int) -> int:
    """The largest grapheme-cluster boundary ``< i`` (``0 < i <= len(text)``)."""
    return _cluster_start(text, i - 1)


# -- words ------------------------------------------------------------------------------------------------------------
_OPENING = frozenset("([{\u201c\u00ab")  # never joined to a letter or digit after them (UAX #29)
_CLOSING = frozenset("!?)]}\u201d\u00bb")  # nor before; not , ; : . ' " (MidNum, MidLetter, quotes)


def is_word_boundary(text: str, i: int) -> bool:
    """Whether code point offset ``i`` (``0 <= i <= len(text)``) is a word boundary as word snapping sees it: a
    :data:`WORD_BOUNDARY` that is also a grapheme-cluster boundary (a match of whole words starts and ends on one).

    The common cases are decided from the two code points around ``i`` (a letter or digit beside a space or a
    bracket, two ASCII letters or digits), the rest by the full rules; both give the same answer (tested on the
    trap corpus and on generated text)."""
    if 0 < i < len(text):
        before, after = text[i - 1], text[i]
        if before.isalnum():
            if after.isspace() or after in _CLOSING:
                return True
            if after.isalnum() and before.isascii() and after.isascii():
                return False
        elif after.isalnum() and (before.isspace() or before in _OPENING):
            return True
    return _is_cut(text, i)


def _is_cut(text: str, i: int) -> bool:
    """Whether ``i`` is both a word boundary (:data:`WORD_BOUNDARY`) and a grapheme-cluster boundary."""
    return _patterns().word_boundary.match(text, i) is not None and _cluster_start(text, i) == i


def _cuts_before(text: str, i: int, stop: int = 0) -> Iterator[int]:
    """Word-and-cluster boundaries ``c`` with ``stop <= c < i``, nearest first (lazily: cost grows with distance)."""
    # The search sees the text only up to its end position; that can add boundaries near it, never remove one, so
    # each candidate is checked against the whole text.
    for match in _patterns().word_boundary_reverse.finditer(text, stop, min(len(text), i + _LOOKAHEAD)):
        if match.start() < i and _is_cut(text, match.start()):
            yield match.start()


def _cuts_after(text: str, i: int, stop: int | None = None) -> Iterator[int]:
    """Word-and-cluster boundaries ``c`` with ``i < c <= stop`` (default ``len(text)``), nearest first (lazily)."""
    stop = len(text) if stop is None else stop
    if i >= stop:
        return
    for match in _patterns().word_boundary.finditer(text, i + 1, min(len(text), stop + _LOOKAHEAD)):
        if match.start() > stop:
            return
        if match.start() > i and _is_cut(text, match.start()):
            yield match.start()


def _cut_at_or_before(text: str, i: int) -> int:
    """The largest word-and-cluster boundary ``<= i``."""
    return i if _is_cut(text, i) else next(_cuts_before(text, i))


def _cut_after(text: str, i: int) -> int:
    """The smallest word-and-cluster boundary ``> i`` (``i < len(text)``)."""
    return next(_cuts_after(text, i))


def _next_alnum(text: str, i: int, stop: int) -> int | None:
    """The smallest ``j`` with ``i <= j < stop`` and ``text[j].isalnum()``, or ``None``."""
    return next((m.start() for m in _patterns().alnum.finditer(text, i, stop) if m.group().isalnum()), None)


def _previous_alnum(text: str, i: int) -> int | None:
    """The largest ``j < i`` with ``text[j].isalnum()``, or ``None``."""
    return next((m.start() for m in _patterns().alnum_reverse.finditer(text, 0, i) if m.group().isalnum()), None)


# -- public API -------------------------------------------------------------------------------------------------------
def _check_range(text: str, start: int, end: int) -> None:
    if not 0 <= start < end <= len(text):
        raise ValueError(f"range [{start}, {end}) is empty or outside the text (0..{len(text)})")


def snap_to_graphemes(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` so that neither edge splits an extended grapheme cluster.

    Character mode of selecting: each edge moves outward to the enclosing grapheme-cluster boundary (UAX #29,
    https://www.unicode.org/reports/tr29/#Grapheme_Cluster_Boundaries), so a base letter keeps its combining marks,
    CR keeps its LF and an emoji ZWJ sequence or a flag stays whole. An edge already on a boundary stays.

    Parameters
    ----------
    text:
        The document's exact text.
    start, end:
        Code-point offsets, ``0 <= start < end <= len(text)``.

    Returns
    -------
    tuple[int, int]
        ``(start', end')`` in code points with ``start' <= start``, ``end' >= end``, both on cluster boundaries.

    Raises
    ------
    ValueError
        If the range is empty or outside the text.
    """
    _check_range(text, start, end)
    return _cluster_start(text, start), _cluster_end(text, end)


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words, so that a selection starting or ending inside a word covers it.

    Each edge moves outward to the nearest offset that is both a default word boundary and a grapheme-cluster boundary
    of UAX #29 (https://www.unicode.org/reports/tr29/#Word_Boundaries), the possessive clitic being a word of its own
    (see the module's docstring): ``"U.S."`` gives ``"U.S"``, ``"Beij"`` in ``"Beijing’s"`` gives ``"Beijing"`` (an
    edge inside the clitic ``"’s"`` takes the whole clitic), a combining mark stays with its letter, and in Chinese or
    Japanese text without spaces (``"中国外交部发言人说"``) each ideograph is a word, so the selection grows by at
    most one character per edge instead of to the whole sentence (likewise Thai, which UAX #29 cannot split into words
    without a dictionary).
    An edge already on a word boundary stays, so a selection whose both edges are on boundaries is never grown
    (exactly ``"Beijing"`` or exactly ``"Beijing’s"`` stays as selected); whitespace and punctuation are not trimmed.

    Each edge looks for a boundary at most :data:`SNAP_REACH` code points away; when a "word" is longer than that
    (a long URL or token), that edge only snaps to its grapheme cluster, so the call stays fast on long documents and
    snapping its own result changes nothing.

    Parameters
    ----------
    text:
        The document's exact text.
    start, end:
        Code-point offsets, ``0 <= start < end <= len(text)``.

    Returns
    -------
    tuple[int, int]
        ``(start', end')`` in code points with ``start' <= start``, ``end' >= end``, on grapheme-cluster boundaries.

    Raises
    ------
    ValueError
        If the range is empty or outside the text.
    """
    _check_range(text, start, end)
    first = _cluster_start(text, start)
    if _patterns().word_boundary.match(text, first) is None:
        first = next(_cuts_before(text, first, max(0, first - SNAP_REACH)), first)
    last = _cluster_end(text, end)
    if _patterns().word_boundary.match(text, last) is None:
        last = next(_cuts_after(text, last, min(len(text), last + SNAP_REACH)), last)
    return first, last


def step_span(text: str, start: int, end: int, edge: Edge, direction: Direction, unit: Unit) -> tuple[int, int] | None:
    """Move one edge of the span ``[start, end)`` by one word or one character (keyboard resizing).

    ``unit="word"``: a word is a UAX #29 word segment (https://www.unicode.org/reports/tr29/#Word_Boundaries),
    the possessive clitic ``'s`` / ``’s`` being one of its own (as in :func:`snap_to_words`), holding at least one
    letter or digit (``str.isalnum``); punctuation and spaces are stepped over.

    - ``("start", -1)`` grows the span to the start of the previous word (of the word the start is in, when inside
      one);
    - ``("start", +1)`` shrinks it to the start of the next word;
    - ``("end", +1)`` grows it to the end of the next word (of the word the end is in, when inside one);
    - ``("end", -1)`` shrinks it to the end of the previous word.

    ``unit="char"``: the edge moves by one extended grapheme cluster
    (https://www.unicode.org/reports/tr29/#Grapheme_Cluster_Boundaries); when that puts whitespace (``str.isspace``)
    just inside the moved edge, it goes on to the next cluster that is not whitespace, so the span never starts or
    ends with whitespace at the edge moved.

    The other edge stays, widened to its grapheme cluster if it splits one. The search goes as far as needed (its
    cost grows with the distance moved, not with the document).

    Parameters
    ----------
    text:
        The document's exact text.
    start, end:
        The span's code-point offsets, ``0 <= start < end <= len(text)``.
    edge:
        ``"start"`` or ``"end"``: the edge to move.
    direction:
        ``-1`` (towards the text's start) or ``+1`` (towards its end).
    unit:
        ``"word"`` or ``"char"``.

    Returns
    -------
    tuple[int, int] or None
        The new ``(start, end)`` in code points, with ``0 <= start < end <= len(text)``, both on grapheme-cluster
        boundaries and different from the input; ``None`` when the step is impossible: no word or non-whitespace
        character is left in that direction, or the span would become empty.

    Raises
    ------
    ValueError
        If the range is empty or outside the text, or ``edge``, ``direction`` or ``unit`` is none of the above.
    """
    _check_range(text, start, end)
    if edge not in ("start", "end") or direction not in (-1, 1) or unit not in ("word", "char"):
        raise ValueError(f"cannot step edge={edge!r} direction={direction!r} unit={unit!r}")
    first, last = snap_to_graphemes(text, start, end)
    step = _step_word if unit == "word" else _step_char
    if edge == "start":
        moved = step(text, start, direction, True, last if direction == 1 else None)
        return None if moved is None else (moved, last)
    moved = step(text, end, direction, False, first if direction == -1 else None)
    return None if moved is None else (first, moved)


def _step_char(text: str, i: int, direction: int, is_start: bool, limit: int | None) -> int | None:
    """The nearest cluster boundary beyond ``i`` in ``direction`` without whitespace just inside the moved edge.

    ``limit`` is the other edge when shrinking: the result must stay strictly on this side of it.
    """
    if direction == 1:
        if i >= len(text):
            return None
        i = _next_cluster_boundary(text, i)
    else:
        if i <= 0:
            return None
        i = _previous_cluster_boundary(text, i)
    while True:
        if limit is not None and (i >= limit if is_start else i <= limit):
            return None
        inside = i if is_start else i - 1
        if not text[inside].isspace():
            return i
        # Jump over the whitespace to the nearest character that is not, then to the boundary that puts it inside.
        found = (
            _patterns().not_whitespace.search(text, inside)
            if direction == 1
            else _patterns().not_whitespace_reverse.search(text, 0, inside)
        )
        if found is None:
            return None
        target = found.start() if is_start else found.start() + 1
        i = _cluster_end(text, target) if direction == 1 else _cluster_start(text, target)


def _step_word(text: str, i: int, direction: int, is_start: bool, limit: int | None) -> int | None:
    """The next word start (``is_start``) or word end from ``i`` in ``direction``; see :func:`_step_char`.

    Words are the segments between consecutive word-and-cluster boundaries ("cuts") that hold a letter or digit.
    Rather than testing segment after segment (slow across long runs of punctuation, spaces or flags), this finds
    the nearest letter or digit with a regular expression and takes the cut around it.
    """
    n = len(text)
    if direction == 1:
        if i >= n:
            return None
        after = _cut_after(text, i)
        if is_start:  # the start of the first word beginning after ``i``
            if limit is not None and after >= limit:
                return None
            j = _next_alnum(text, after, n)
            found = None if j is None else _cut_at_or_before(text, j)
            return found if found is not None and (limit is None or found < limit) else None
        # the end of the first word ending after ``i``: the segment holding ``i``, or the next one with a letter
        if _next_alnum(text, _cut_at_or_before(text, i), after) is not None:
            return after
        j = _next_alnum(text, after, n)
        return None if j is None else _cut_after(text, j)
    if i <= 0:
        return None
    if is_start:  # the start of the last word beginning before ``i``: the segment holding ``i - 1``, or an earlier one
        before = _cut_at_or_before(text, i - 1)
        if _next_alnum(text, before, _cut_after(text, i - 1)) is not None:
            return before
        j = _previous_alnum(text, before)
        return None if j is None else _cut_at_or_before(text, j)
    # the end of the last word ending before ``i``
    j = _previous_alnum(text, next(_cuts_before(text, i)))
    found = None if j is None else _cut_after(text, j)
    return found if found is not None and (limit is None or found > limit) else None


_EDGE_SEPARATORS = ",;:、，；："  # list and clause separators: never wanted at a span's edge
_CLOSERS = {"“": "”", "‘": "’", "«": "»", "‹": "›", "„": "”", "‚": "’", "(": ")", "[": "]", "{": "}"}
_CLOSERS |= {"「": "」", "『": "』", "（": "）", "【": "】", "《": "》", "〈": "〉"}
_OPENERS = {closer: opener for opener, closer in _CLOSERS.items()} | {"”": "“„", "’": "‘‚"}
_SYMMETRIC = "\"'"
_QUOTES = "“‘«‹„‚「『\"'"


def trim_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` (code points) without the punctuation a word-snapped selection drags along at its edges.

    Removed, repeatedly, at either edge: whitespace; clause separators (``, ; :`` and their CJK forms); an opening
    quote or bracket at the start whose closing partner is not in the span; a closing one at the end whose opening
    partner is not in the span (``"Putin)"`` loses the bracket, ``"(14th)"`` keeps both); a straight quote at an
    edge when the span holds an odd number of them; quotation marks enclosing the whole span (``"“intense”"``).
    Full stops, question and exclamation marks are kept (``"U.S."``, ``"no comment."``). If nothing but
    punctuation would be left, the range is returned unchanged.
    """
    s, e = start, end
    while s < e:
        first, last, inner = text[s], text[e - 1], text[s:e]
        if first.isspace() or first in _EDGE_SEPARATORS:
            s += 1
        elif last.isspace() or last in _EDGE_SEPARATORS:
            e -= 1
        elif first in _CLOSERS and _CLOSERS[first] not in inner[1:]:
            s += 1
        elif last in _OPENERS and not any(opener in inner[:-1] for opener in _OPENERS[last]):
            e -= 1
        elif (
            first in _QUOTES and (_CLOSERS.get(first, first) == last) and _CLOSERS.get(first, first) not in inner[1:-1]
        ):
            s, e = s + 1, e - 1  # enclosing quotation marks
        elif first in _SYMMETRIC and inner.count(first) % 2:
            s += 1
        elif last in _SYMMETRIC and inner.count(last) % 2:
            e -= 1
        else:
            break
    return (s, e) if s < e else (start, end)
