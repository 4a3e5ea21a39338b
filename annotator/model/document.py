"""The document: the exact text being annotated, and where it came from."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict

LineEnding = Literal["LF", "CRLF", "CR", "mixed", "none"]


SLICE = 1 << 20
"""Code points a huge text is scanned by at a time (hashed, counted): each call on a slice holds the GIL for a few
milliseconds, so a worker thread reading a 100 MB text never stalls the window for long."""


def text_slices(text: str, size: int = SLICE) -> Iterator[str]:
    """``text`` cut into consecutive slices of ``size`` code points (the last shorter; none for an empty text), made
    one at a time (never a second copy of a huge text)."""
    return (text[start : start + size] for start in range(0, len(text), size))


def text_sha256(text: str) -> str:
    """Hex SHA-256 of ``text`` encoded as UTF-8 (lone surrogates are not valid text and raise UnicodeEncodeError),
    encoded and hashed a slice at a time."""
    digest = hashlib.sha256()
    for part in text_slices(text):
        digest.update(part.encode("utf-8"))
    return digest.hexdigest()


def line_ending_style(text: str) -> LineEnding:
    """``"LF"``, ``"CRLF"`` or ``"CR"`` when the text uses only that line ending, ``"mixed"``, or ``"none"``
    (counted a slice at a time; a CR LF across two slices counts once)."""
    crlf = cr = lf = 0
    for start in range(0, len(text), SLICE):
        part = text[start : start + SLICE]
        crlf += part.count("\r\n") + (part[-1] == "\r" and text[start + SLICE : start + SLICE + 1] == "\n")
        cr += part.count("\r")
        lf += part.count("\n")
    cr -= crlf
    lf -= crlf
    kinds = [name for name, count in (("LF", lf), ("CRLF", crlf), ("CR", cr)) if count]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"  # type: ignore[return-value]


class DocumentSource(BaseModel):
    """Where a document's text came from: the file's name (not its full path), its encoding, BOM and line endings."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    file_name: str = ""
    encoding: str = "utf-8"
    bom: bool = False
    line_ending: LineEnding = "none"


class Document(BaseModel):
    """A document's exact text (BOM removed, every line ending kept) with its SHA-256 and source.

    ``sha256`` is the hex SHA-256 of the text's UTF-8 bytes; :meth:`from_text` computes it.
    """

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    text: str
    sha256: str
    source: DocumentSource = DocumentSource()

    @classmethod
    def from_text(cls, text: str, source: DocumentSource | None = None) -> Document:
        """A document for ``text``, with its hash and (by default) a source whose line ending is detected."""
        source = source or DocumentSource(line_ending=line_ending_style(text))
        return cls(text=text, sha256=text_sha256(text), source=source)
