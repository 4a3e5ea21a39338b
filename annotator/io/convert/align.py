"""Extracted paragraphs put back into the page's own characters.

trafilatura decides which text of a page is the article, but its text is not the page's: it turns white space
(NBSP, U+2028/U+2029...) into spaces, drops characters Python does not count printable (zero-width joiner and
non-joiner, zero-width space, soft hyphen, bidi marks...), normalises to NFC and removes U+2424. :func:`align_blocks`
finds each of its blocks in the page's rendered text (:func:`annotator.io.convert.page_text.render_page_text`) and
takes the page's own substring instead.

Both sides are compared through a *key*: white space and unprintable characters (``str.isspace``, not
``str.isprintable``) and U+2424 are left out, and every other character is decomposed (NFD, canonical order), which
undoes trafilatura's NFC (``NFD(NFC(x)) == NFD(x)``). Each key character remembers the page position it came from,
so a match in the keys is a range of the page. Blocks are looked for in order, each after the previous one's match.
A match is widened over the characters left out of the key just outside it up to its line's edge (a paragraph's
leading NBSP or trailing zero-width joiner), or, if they do not reach the line's edge, over those of them that are not
ASCII white space; never over a line break.

A block not found whole is found line by line, and a line not found whole piece by piece around the syntax trafilatura
writes itself (a list item's ``"- "``, a table's ``"| "``/``" | "`` and ``|---|`` rows): that syntax is kept as
trafilatura writes it, the pieces are the page's. A block with a piece that cannot be found (trafilatura rewrote it,
e.g. a page showing ``&amp;`` literally, which trafilatura unescapes once more) is kept as trafilatura wrote it and
counted, so the caller can say so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

#: Line syntax trafilatura's plain text adds: a table's header rule, a list item's marker, a table row's cell bars.
TRAFILATURA_SYNTAX = re.compile(r"^\|(?:-+\|)+ ?$|^- |^\| | \| ?$| \| ")


@dataclass(frozen=True)
class Aligned:
    """:func:`align_blocks`'s result: ``blocks`` (one per block given, in order: the page's text, or trafilatura's
    for a block not found) and ``rewritten`` (how many blocks kept trafilatura's text)."""

    blocks: tuple[str, ...]
    rewritten: int


def align_blocks(blocks: Sequence[str], page: str) -> Aligned:
    """Each of trafilatura's ``blocks`` (plain text, ``\\n`` between lines) as the page text ``page`` writes it (the
    module docstring says how). Never raises: a block not found is kept as given and counted."""
    page_key, sources = text_key(page)
    aligner = _Aligner(page, page_key, sources)
    out: list[str] = []
    rewritten = 0
    for block in blocks:
        found = aligner.block(block)
        if found is None:
            rewritten += 1
            out.append(block)
        else:
            out.append(found)
    return Aligned(tuple(out), rewritten)


def text_key(text: str) -> tuple[str, list[int]]:
    """``(key, sources)``: ``text``'s key (module docstring) and, for each key character, the index in ``text`` of
    the character it comes from (code points)."""
    chars: list[str] = []
    sources: list[int] = []
    for index, char in enumerate(text):
        if _left_out_of_key(char):
            continue
        for part in unicodedata.normalize("NFD", char):
            chars.append(part)
            sources.append(index)
    # canonical ordering across characters: a run of combining marks sorted by combining class (stable)
    start = 0
    while start < len(chars):
        if not unicodedata.combining(chars[start]):
            start += 1
            continue
        end = start
        while end < len(chars) and unicodedata.combining(chars[end]):
            end += 1
        run = sorted(zip(chars[start:end], sources[start:end], strict=True), key=lambda p: unicodedata.combining(p[0]))
        chars[start:end] = [c for c, _ in run]
        sources[start:end] = [s for _, s in run]
        start = end
    return "".join(chars), sources


def _left_out_of_key(char: str) -> bool:
    return char.isspace() or not char.isprintable() or char == "\u2424"


def _widens(char: str) -> bool:
    """A character a match is widened over: left out of the key, but not ASCII white space or a line break."""
    return _left_out_of_key(char) and char not in " \t\n\r\f"


class _Aligner:
    """Finds texts in the page, in order (``position``: where the next search starts, in the page)."""

    def __init__(self, page: str, key: str, sources: list[int]) -> None:
        self.page, self.key, self.sources = page, key, sources
        self.position = 0  # in the page
        self.key_position = 0  # in the key

    def block(self, block: str) -> str | None:
        saved = (self.position, self.key_position)
        found = self.piece(block)
        if found is not None:
            return found
        lines = []
        for line in block.split("\n"):
            found = self.piece(line)
            if found is None:
                found = self.line_by_pieces(line)
            if found is None:
                self.position, self.key_position = saved
                return None
            lines.append(found)
        return "\n".join(lines)

    def line_by_pieces(self, line: str) -> str | None:
        out: list[str] = []
        previous = 0
        for syntax in [*TRAFILATURA_SYNTAX.finditer(line), None]:
            start = syntax.start() if syntax else len(line)
            text = line[previous:start]
            stripped = text.strip()
            if stripped:
                found = self.piece(stripped)
                if found is None:
                    return None
                text = text[: len(text) - len(text.lstrip())] + found + text[len(text.rstrip()) :]
            out.append(text)
            if syntax:
                out.append(syntax.group())
                previous = syntax.end()
        return "".join(out)

    def piece(self, text: str) -> str | None:
        """``text`` as the page writes it, found after the previous match (which it then becomes); ``None`` if its
        key is empty or not found. White space only: kept as given, and nothing moves."""
        key, _ = text_key(text)
        if not key:
            return text if not text.strip() else None
        at = self.key.find(key, self.key_position)
        if at < 0:
            return None
        matched = self.sources[at : at + len(key)]
        start, end = min(matched), max(matched) + 1
        start, end = self.widened(start, -1, self.position), self.widened(end, 1, len(self.page))
        self.position, self.key_position = end, at + len(key)
        while self.key_position < len(self.key) and self.sources[self.key_position] < end:
            self.key_position += 1
        return self.page[start:end]

    def widened(self, edge: int, step: int, limit: int) -> int:
        """The match's ``edge`` (its start for ``step`` -1, its end for 1) moved over the characters left out of the
        key up to ``limit`` or the line's (or table cell's) edge, if they reach it; else over :func:`_widens` ones."""
        at = edge
        while at != limit and _left_out_of_key(char := self.page[at if step > 0 else at - 1]) and char not in "\n\t":
            at += step
        if at == limit or self.page[at if step > 0 else at - 1] in "\n\t":
            return at
        while edge != limit and _widens(self.page[edge if step > 0 else edge - 1]):
            edge += step
        return edge
