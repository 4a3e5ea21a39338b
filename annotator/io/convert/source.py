"""What every converter returns and raises: the extracted text with a record of its source.

A converter turns a file it was made for (HTML, DOCX, PDF) or a fetched page into plain text, once: the text is then
fixed (annotated offsets count code points into it) and the :class:`SourceRecord` says where it came from, so an
annotation file can name its original, and converting again with another converter version can be compared.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Protocol


class ConversionError(Exception):
    """A source could not be converted: a plain-text ``reason`` (one sentence, no traceback) naming the fault, e.g.
    "a scanned PDF: no text layer on any of its 3 pages" or "the page holds no article text".

    Attributes
    ----------
    source: the file path or URL concerned (as the user gave it).
    reason: the fault.

    ``str(error)`` is ``"<source>: <reason>"``.
    """

    def __init__(self, source: str | Path, reason: str) -> None:
        self.source = str(source)
        self.reason = reason
        super().__init__(f"{self.source}: {reason}")


@dataclass(frozen=True)
class SourceRecord:
    """Where a converted document's text came from.

    Attributes
    ----------
    kind: ``"html"``, ``"docx"``, ``"pdf"``, ``"url"`` or ``"clipboard"``.
    name: the original's file name (no folder) or the URL.
    sha256: hex SHA-256 of the original's bytes (the page's bytes for a URL).
    converter: what converted it, e.g. ``"trafilatura"``, ``"python-docx"``, ``"pypdf"``.
    converter_version: that library's version, e.g. ``"2.0.0"``.
    metadata: what the source says of itself (``title``, ``author``, ``date``, ``url``, ``sitename``...), strings
        only, keys present only when found.
    left_out: one plain sentence per kind of content not carried into the text (e.g. "2 footnotes",
        "a running header repeated on 2 pages"), empty when nothing was left out.
    """

    kind: str
    name: str
    sha256: str
    converter: str
    converter_version: str
    metadata: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    left_out: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The record as JSON data (what an annotation file stores under ``source``)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "sha256": self.sha256,
            "converter": self.converter,
            "converter_version": self.converter_version,
            "metadata": dict(self.metadata),
            "left_out": list(self.left_out),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SourceRecord:
        """The record :meth:`to_json` wrote.

        Raises
        ------
        ValueError
            If a field is missing or of the wrong type.
        """
        try:
            metadata = data.get("metadata", {})
            left_out = data.get("left_out", [])
            if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
                raise ValueError("source metadata must map names to strings")
            if not isinstance(left_out, list) or not all(isinstance(v, str) for v in left_out):
                raise ValueError("source left_out must be a list of strings")
            fields = [data[k] for k in ("kind", "name", "sha256", "converter", "converter_version")]
        except KeyError as missing:
            raise ValueError(f"source record without {missing}") from None
        if not all(isinstance(v, str) for v in fields):
            raise ValueError("source record fields must be strings")
        kind, name, sha256, converter, version = (str(v) for v in fields)
        return cls(kind, name, sha256, converter, version, MappingProxyType(dict(metadata)), tuple(left_out))


@dataclass(frozen=True)
class Converted:
    """A converter's result: ``text`` (the document's exact text, paragraphs separated by a blank line, ``\\n`` line
    endings) and its ``source`` record; ``from_cache`` is true when it was read from the text cache
    (:mod:`.cache`: no conversion ran), and plays no part in comparisons."""

    text: str
    source: SourceRecord
    from_cache: bool = field(default=False, compare=False)


class Converter(Protocol):
    """Converts the bytes of one kind of source into a document's text.

    ``kind`` is the :attr:`SourceRecord.kind` it writes; ``suffixes`` the file name endings it reads (lower case,
    with the dot, e.g. ``(".html", ".htm")``).
    """

    @property
    def kind(self) -> str: ...  # read-only, so a class attribute or a frozen dataclass's field fits

    @property
    def suffixes(self) -> tuple[str, ...]: ...

    def convert(self, data: bytes, name: str) -> Converted:
        """Convert ``data`` (the source's bytes; ``name`` is its file name or URL, for messages and the record).

        Raises
        ------
        ConversionError
            For input it cannot convert (no text, encrypted, broken), naming the fault.
        """
        ...


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
