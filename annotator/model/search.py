"""Finding text in a document: every match of a literal query, as code-point ranges."""

from __future__ import annotations

from itertools import islice

import regex

from annotator.model.words import WORD_BOUNDARY


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

    Returns an empty list for an empty query. With ``limit``, the search stops after that many matches, so the cost
    of a query that matches everywhere (typing "e" in a long document) stays bounded.
    """
    if not query:
        return []
    flags = regex.VERSION0 | (0 if case_sensitive else regex.IGNORECASE)  # VERSION0: simple case folding
    pattern = regex.escape(query, special_only=True, literal_spaces=True)
    if whole_word:
        flags |= regex.WORD
        pattern = f"{WORD_BOUNDARY}{pattern}{WORD_BOUNDARY}"
    matches = islice(regex.finditer(pattern, text, flags=flags), limit)
    return [(m.start(), m.end()) for m in matches]
