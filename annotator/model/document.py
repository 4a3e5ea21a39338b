"""The document: the exact text being annotated, and where it came from."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict

LineEnding = Literal["LF", "CRLF", "CR", "mixed", "none"]


def text_sha256(text: str) -> str:
    """Hex SHA-256 of ``text`` encoded as UTF-8 (lone surrogates are not valid text and raise UnicodeEncodeError)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def line_ending_style(text: str) -> LineEnding:
    """``"LF"``, ``"CRLF"`` or ``"CR"`` when the text uses only that line ending, ``"mixed"``, or ``"none"``."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
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
