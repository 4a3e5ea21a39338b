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
    """``(rest, pieces)`` for the UTF-8 JSON ``data`` of an annotation file in the app's layout, else ``None``.

    ``rest`` is ``data`` with its top-level spans array (from ``[`` to ``]``) replaced by the JSON string
    :data:`MARKER`; ``pieces`` are ``(start, stop)`` byte ranges of ``data`` cutting that array's content after a
    span's closing line, at least ``piece_bytes`` bytes apart (at the first such line after that); the commas cut at
    belong to no piece, so the pieces joined with commas are the content. The caller must validate every piece
    (:func:`wrapped`) as a non-empty array and ``rest`` with ``spans`` equal to :data:`MARKER` (see the module
    docstring) before trusting the cut. An empty array (written ``[]`` on one line) gives ``None``.
    """
    opening = data.find(_SPANS_OPEN)
    if opening < 0:
        return None
    left = opening + len(_SPANS_OPEN) - 2  # the "["
    right = find_in_windows(data, _SPANS_CLOSE, left) + len(_SPANS_CLOSE) - 1  # the "]"
    if right < left or data[right + 1 : right + 2] not in (b",", b"\n"):
        return None
    rest = b"".join((data[:left], _MARKER_TOKEN, data[right + 1 :]))
    if rest.count(_MARKER_TOKEN) != 1 or _ASCII_ESCAPE.search(rest):
        return None
    pieces: list[tuple[int, int]] = []
    start = left + 1
    while True:
        cut = data.find(_SPAN_END, start + piece_bytes, right) if start + piece_bytes < right else -1
        if cut < 0:
            pieces.append((start, right))
            return rest, pieces
        comma = cut + len(_SPAN_END) - 2
        pieces.append((start, comma))
        start = comma + 1


def wrapped(data: bytes, piece: tuple[int, int]) -> bytearray:
    """``[`` + the ``piece`` (a ``(start, stop)`` range of ``data``) + ``]``: a JSON array if the cut was right."""
    start, stop = piece
    out = bytearray(b"[")
    out += memoryview(data)[start:stop]
    out += b"]"
    return out
