"""The top-level ``spans`` array of an annotation file cut into pieces, so that each can be validated on its own.

Files the app writes are pydantic's ``indent=2`` JSON: the top-level key ``spans`` is the line ``  "spans": [``, each
span ends with the line ``    },`` (the last with ``    }``) and the array with the line ``  ]`` or ``  ],``. JSON
strings cannot hold a raw newline, so every line starts outside a string. :func:`cut_spans` relies on that layout only
to choose where to cut; whether a cut is right is proved by what the caller checks:

- each piece, wrapped as ``[piece]``, must be a JSON array of at least one span: then the pieces joined with commas
  are exactly the array's content (each is a whole list of values, so the commas between them separate values), and
- the rest of the file, with the array replaced by the string :data:`MARKER`, must be a valid file whose top-level
  ``spans`` is that string: the marker's bytes occur there once (where it was put) and no escape that could spell it
  another way (``\\u00XX`` of a printable ASCII character) occurs at all, so the array cut out was the top-level
  ``spans`` value and nothing else.

The same file put on one line, as a recovery journal's header holds it (every CR and LF made a space: JSON whitespace,
never inside a string, so the value is the same), is cut too: there the lines are told apart by their indentation
(``,   "spans": [ ``: a comma, the line break's space and two spaces of indentation, which a nested key's deeper
indentation never gives, nor a string, where a quote follows a backslash), and a span ends at ``     }, `` whose
five spaces (the line break and four of indentation) follow a value (a byte other than a space; a deeper object's
end has more spaces before it). A cut that lands inside a string in this layout makes its piece invalid JSON (the
string then swallows the closing ``]``), so the checks above still prove every cut.

Any other layout (compact JSON, tabs, spans on one line, another writer's) gives ``None``: the caller then validates
the file in one call.
"""

from __future__ import annotations

import re
from typing import Final

#: Put where the spans array was; only lowercase letters, digits and hyphens, so no short escape spells it.
MARKER: Final = "annotator-spans-cut-out-5d8f2b7e91c4"
_MARKER_TOKEN: Final = b'"' + MARKER.encode("ascii") + b'"'
_SPANS_OPEN: Final = b'\n  "spans": [\n'
_SPANS_CLOSE: Final = b"\n  ]"
_SPAN_END: Final = b"\n    },\n"
_SPANS_CLOSE_BEFORE_RELATIONS: Final = b'\n  ],\n  "relations": ['
# The same, put on one line (each line break a space); the span's end is checked to follow a value (see the docstring).
_ONE_LINE_SPANS_OPEN: Final = b',   "spans": [ '
_ONE_LINE_SPANS_CLOSE: Final = b"   ]"
_ONE_LINE_SPAN_END: Final = b"     }, "
_ONE_LINE_SPANS_CLOSE_BEFORE_RELATIONS: Final = b'   ],   "relations": ['
_SPACE: Final = ord(" ")
# The only way to spell a printable ASCII character otherwise in JSON (besides \/, and '/' is not in the marker).
_ASCII_ESCAPE: Final = re.compile(rb"\\u00[2-7][0-9a-fA-F]")


FIND_WINDOW = 8 * 1024 * 1024
"""Bytes :func:`find_in_windows` searches per call."""


def find_in_windows(data: bytes, sub: bytes, start: int = 0) -> int:
    """``data.find(sub, start)``, searched :data:`FIND_WINDOW` bytes per call (windows overlapping by
    ``len(sub) - 1``), so that a worker thread never holds the GIL long: finding the spans array's end in a 195 MB
    file in one call took 0.2 s (its first bytes, a newline and spaces, begin every line)."""
    while start < len(data):
        found = data.find(sub, start, min(len(data), start + FIND_WINDOW + len(sub) - 1))
        if found >= 0:
            return found
        start += FIND_WINDOW
    return -1


def cut_spans(data: bytes, piece_bytes: int) -> tuple[bytes, list[tuple[int, int]]] | None:
    """``(rest, pieces)`` for the UTF-8 JSON ``data`` of an annotation file in the app's layout (or that layout put on
    one line, see the module docstring), else ``None``.

    ``rest`` is ``data`` with its top-level spans array (from ``[`` to ``]``) replaced by the JSON string
    :data:`MARKER`; ``pieces`` are ``(start, stop)`` byte ranges of ``data`` cutting that array's content after a
    span's closing line, at least ``piece_bytes`` bytes apart (at the first such line after that); the commas cut at
    belong to no piece, so the pieces joined with commas are the content. The caller must validate every piece
    (:func:`wrapped`) as a non-empty array and ``rest`` with ``spans`` equal to :data:`MARKER` (see the module
    docstring) before trusting the cut. An empty array (written ``[]`` on one line) gives ``None``.
    """
    opening = data.find(_SPANS_OPEN)
    one_line = opening < 0
    if not one_line:
        left = opening + len(_SPANS_OPEN) - 2  # the "["
        right = _spans_close(data, left, _SPANS_CLOSE_BEFORE_RELATIONS, _SPANS_CLOSE, b"\n")
    else:
        opening = find_in_windows(data, _ONE_LINE_SPANS_OPEN)
        if opening < 0:
            return None
        left = opening + len(_ONE_LINE_SPANS_OPEN) - 2
        right = _spans_close(data, left, _ONE_LINE_SPANS_CLOSE_BEFORE_RELATIONS, _ONE_LINE_SPANS_CLOSE, b" ")
    if right is None:
        return None
    rest = b"".join((data[:left], _MARKER_TOKEN, data[right + 1 :]))
    if rest.count(_MARKER_TOKEN) != 1 or _ASCII_ESCAPE.search(rest):
        return None
    pieces: list[tuple[int, int]] = []
    start = left + 1
    while True:
        comma = _span_end(data, start + piece_bytes, right, one_line) if start + piece_bytes < right else -1
        if comma < 0:
            pieces.append((start, right))
            return rest, pieces
        pieces.append((start, comma))
        start = comma + 1


def _spans_close(data: bytes, left: int, before_relations: bytes, close: bytes, line_break: bytes) -> int | None:
    """Where the spans array opened at ``left`` is closed (its ``]``), in a layout whose patterns are given, or
    ``None``."""
    # where the app puts it, the array is closed right before the relations: found from the file's end, not after
    # every line of the spans (19 ms at 100k spans); only where the caller's checks show that the cut is right
    before = data.rfind(before_relations, max(left, len(data) - FIND_WINDOW))
    if before < 0:
        before = find_in_windows(data, close, left)
        while line_break == b" " and before > 0 and data[before - 1] == _SPACE:  # a deeper array's end
            before = find_in_windows(data, close, before + len(close))
    right = before + len(close) - 1  # the "]"
    if before < 0 or right < left or data[right + 1 : right + 2] not in (b",", line_break):
        return None
    return right


def _span_end(data: bytes, start: int, right: int, one_line: bool) -> int:
    """The comma after the first span that ends at or after ``start`` (before ``right``), or -1."""
    if not one_line:
        cut = data.find(_SPAN_END, start, right)
        return cut + len(_SPAN_END) - 2 if cut >= 0 else -1
    cut = data.find(_ONE_LINE_SPAN_END, start, right)
    while cut > 0 and data[cut - 1] == _SPACE:  # the end of an object nested deeper in a span
        cut = data.find(_ONE_LINE_SPAN_END, cut + 1, right)
    return cut + len(_ONE_LINE_SPAN_END) - 2 if cut >= 0 else -1


def wrapped(data: bytes, piece: tuple[int, int]) -> bytearray:
    """``[`` + the ``piece`` (a ``(start, stop)`` range of ``data``) + ``]``: a JSON array if the cut was right."""
    start, stop = piece
    out = bytearray(b"[")
    out += memoryview(data)[start:stop]
    out += b"]"
    return out


#: Put where the document's text was (see :func:`cut_text`); as :data:`MARKER`, no short escape spells it.
TEXT_MARKER: Final = "annotator-text-cut-out-3b9e0c6a72d1"
_TEXT_MARKER_TOKEN: Final = b'"' + TEXT_MARKER.encode("ascii") + b'"'
_DOCUMENT_TEXT: Final = b'\n  "document": {\n    "text": "'
# A byte that is never inside an escape (``\\"``, ``\\\\``, ``\\/``, ``\\b``... ``\\uXXXX``) nor inside a UTF-8
# character: a space, or the first byte of a character of two bytes or more. A cut before one is between two of the
# string's tokens (a character or an escape), so the pieces' values joined are the whole string's value.
_TEXT_CUT: Final = re.compile(rb"[ \xc2-\xf4]")


def cut_text(rest: bytes, piece_bytes: int) -> tuple[bytes, list[tuple[int, int]]] | None:
    """``(outline, pieces)`` for ``rest`` (:func:`cut_spans`'s, a file in the app's layout without its spans), else
    ``None``: ``outline`` is ``rest`` with the document's text (the JSON string, quotes included) replaced by the
    JSON string :data:`TEXT_MARKER`, and ``pieces`` are ``(start, stop)`` byte ranges of ``rest`` cutting that
    string's content (between its quotes) at least ``piece_bytes`` apart, each before a space or before the first
    byte of a non-ASCII character (or not at all where there is none).

    The caller must decode every piece (:func:`decoded_text`) and validate ``outline`` with the document's text equal
    to :data:`TEXT_MARKER`: then the range cut out was one whole JSON string (every piece a valid string's content,
    so none holds an unescaped quote) and the top-level document's text (the marker's bytes occur once, where they
    were put, and :func:`cut_spans` found no escape that could spell them otherwise), and its value is the pieces'
    values joined (each cut is between two of the string's tokens; a surrogate pair's two escapes are never cut
    apart, since a piece never starts with a backslash)."""
    opening = rest.find(_DOCUMENT_TEXT)
    if opening < 0:
        return None
    left = opening + len(_DOCUMENT_TEXT)  # the content's first byte
    newline = find_in_windows(rest, b"\n", left)  # a JSON string holds no raw line break: the line's end
    if newline < 0:
        return None
    right = newline - 2 if rest[newline - 2 : newline] == b'",' else newline - 1  # the closing quote
    if right < left or rest[right : right + 1] != b'"':
        return None
    outline = b"".join((rest[: left - 1], _TEXT_MARKER_TOKEN, rest[right + 1 :]))
    if outline.count(_TEXT_MARKER_TOKEN) != 1:
        return None
    pieces: list[tuple[int, int]] = []
    start = left
    while True:
        found = _TEXT_CUT.search(rest, start + piece_bytes, right) if start + piece_bytes < right else None
        if found is None:
            pieces.append((start, right))
            return outline, pieces
        pieces.append((start, found.start()))
        start = found.start()


def decoded_text(rest: bytes, pieces: list[tuple[int, int]]) -> str | None:
    """The value of the JSON string whose content :func:`cut_text` cut into ``pieces`` of ``rest``, decoded a piece
    at a time (strict UTF-8, strict JSON: no raw control character, no bad escape), or ``None`` if a piece is not a
    valid string's content (the caller then validates the file in one call, which names the fault)."""
    from json import JSONDecodeError
    from json.decoder import scanstring  # type: ignore[attr-defined]  # (the C scanner, not in the stubs)

    from annotator.io.utf8_pieces import joined

    view = memoryview(rest)
    parts: list[str] = []
    for start, stop in pieces:
        try:
            content = str(view[start:stop], "utf-8") + '"'
            value, end = scanstring(content, 0, True)
        except (UnicodeDecodeError, JSONDecodeError):
            return None
        if end != len(content):  # an unescaped quote inside the piece
            return None
        parts.append(value)
    return joined(parts)  # (one join of the 20 MB text held the GIL 46 ms)
