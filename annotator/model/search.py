"""Finding text in a document: every match of a literal query, as code-point ranges."""

from __future__ import annotations

from itertools import islice

from annotator.model.words import WORD_BOUNDARY

# A space typed in a query matches the spaces news text holds besides U+0020: no-break (U+00A0), narrow no-break
# (U+202F, French punctuation), figure (U+2007) and thin (U+2009) spaces; each is one code point, so offsets hold.
_ANY_SPACE = "[ \u00a0\u202f\u2007\u2009]"


def find_all(
    text: str, query: str, *, case_sensitive: bool = False, whole_word: bool = False, limit: int | None = None
) -> list[tuple[int, int]]:
    """Code-point ranges ``[start, end)`` of the non-overlapping matches of ``query`` in ``text``, in order.

    ``query`` is literal text (no pattern syntax). Case-insensitive matching uses simple (one-to-one) Unicode case
    folding, so every match has the query's length and offsets never shift (``"STRASSE"`` does not match
    ``"straße"``). With ``whole_word``, a match must start and end on a word boundary as word snapping sees it
    (:data:`annotator.model.words.WORD_BOUNDARY`: Unicode default word boundaries, UAX #29,
    https://www.unicode.org/reports/tr29/#Word_Boundaries, as implemented by the ``regex`` package, and the offset
    before a possessive ``'s`` / ``’s``): ``"China"`` does not match inside ``"Chinas"`` but does in ``"China’s"``,
    while in Chinese or Japanese text, where each ideograph is its own word, ``"北京"`` still matches inside a
    sentence.

    A space in ``query`` also matches a no-break, narrow no-break, figure or thin space ("tariffs would" finds
    "tariffs\u00a0would").

    Returns an empty list for an empty query. With ``limit``, the search stops after that many matches, so the cost
    of a query that matches everywhere (typing "e" in a long document) stays bounded.
    """
    if not query:
        return []
    import regex  # on first use: start-up need not import it (issue 22)

    flags = regex.VERSION0 | (0 if case_sensitive else regex.IGNORECASE)  # VERSION0: simple case folding
    pattern = regex.escape(query, special_only=True, literal_spaces=True).replace(" ", _ANY_SPACE)
    if whole_word:
        flags |= regex.WORD
        pattern = f"{WORD_BOUNDARY}{pattern}{WORD_BOUNDARY}"
    matches = islice(regex.finditer(pattern, text, flags=flags), limit)
    return [(m.start(), m.end()) for m in matches]
