"""Word (.docx) files: the body's paragraphs and tables as plain text, with python-docx.

What is kept, in document order (the body's block items, including those inside content controls):

- a paragraph's text exactly as its runs hold it (hyperlinks, fields' shown results and tracked insertions included;
  tracked deletions and field codes not), a tab as ``\\t``, a line break as ``\\n``, a non-breaking hyphen as ``-``
  and an optional (soft) hyphen as U+00AD; page and column breaks add nothing;
- a table as tab-separated rows, one line per row; a cell's paragraphs are joined by a space, and each line break
  and tab inside a cell becomes a space (so the columns stay columns); every other character of a cell is kept as
  stored (NBSP, U+2028, runs of spaces); a cell merged across columns is written once, the continuation of a cell
  merged down is an empty field; a row whose cells hold only white space is left out; a table inside a cell is read
  into that cell, its paragraphs joined by spaces;
- blocks (paragraphs, tables) are separated by one blank line (``\\n\\n``); a paragraph with no text, or only white
  space, adds nothing (blank lines are not doubled); the text has no trailing newline.

Word has one kind of line break, so text typed with CR LF or a lone CR reads back with ``\\n``. Everything else of a
paragraph's characters (U+2028, U+2029, NBSP, zero-width characters, astral characters, combining marks) comes out
as it was written.

Left out and named in :attr:`SourceRecord.left_out` (counted when found, with text): headers, footers, footnotes,
endnotes, comments and text boxes (shapes holding text).

Refused with :class:`ConversionError`: bytes that are not a zip archive or not a Word document; an encrypted
(password-protected) document, which is an OLE compound file rather than a zip; an old binary Word (.doc) file; a
zip whose directory declares more unpacked bytes (or more parts) than the limits, checked before python-docx reads
anything (a zip bomb: the sandbox's memory limit is the second guard, for a zip that lies about its sizes); and a
document with no text.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Iterator
from importlib.metadata import version
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from annotator.io.convert.source import ConversionError, Converted, SourceRecord, sha256_hex

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

#: The declared unpacked size of all a .docx's parts above which it is refused (256 MiB).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
#: The number of parts above which a .docx is refused.
MAX_PARTS = 10_000

#: What becomes a space in a table cell (so a row stays one line of tab-separated cells): line breaks and tabs.
_CELL_BREAKS = str.maketrans({"\n": " ", "\t": " "})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NAMESPACES = {"w": _W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
_RUN_CONTENT = "w:br | w:cr | w:noBreakHyphen | w:ptab | w:t | w:tab | w:softHyphen"
# Runs of a paragraph, wherever its inline containers put them (hyperlinks, fields, tracked insertions, content
# controls, smart tags), but not those of a text box anchored in it nor tracked deletions.
_TEXT_BOXES = ".//w:txbxContent[not(ancestor::mc:Fallback)]"
_PARAGRAPH_RUNS = ".//w:r[not(ancestor::w:txbxContent) and not(ancestor::w:del) and not(ancestor::w:moveFrom)]"


class DocxConverter:
    """Converts a Word (.docx, Office Open XML) file's bytes to text (see the module docstring for the rules).

    ``max_unpacked_bytes`` and ``max_parts`` bound what the zip's directory may declare (bytes, unpacked; count of
    parts); beyond either the file is refused as a zip bomb without being unpacked.
    """

    kind = "docx"
    suffixes = (".docx",)

    def __init__(self, max_unpacked_bytes: int = MAX_UNPACKED_BYTES, max_parts: int = MAX_PARTS) -> None:
        self.max_unpacked_bytes = max_unpacked_bytes
        self.max_parts = max_parts

    def convert(self, data: bytes, name: str) -> Converted:
        """The document's text and source record (kind ``"docx"``, converter ``"python-docx"``).

        Raises
        ------
        ConversionError
            Not a Word file, encrypted, an old .doc, a zip bomb, broken, or no text (the reason says which).
        """
        self._check_container(data, name)
        import docx  # first use only: python-docx and lxml are not needed at start-up

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors... for a broken package
            raise ConversionError(name, f"not a readable Word document ({_describe(error)})") from None
        blocks = [block for block in _blocks(document.element.body) if block]
        text = "\n\n".join(blocks)
        if not text.strip():
            raise ConversionError(name, "the Word document holds no text")
        record = SourceRecord(
            kind=self.kind,
            name=name,
            sha256=sha256_hex(data),
            converter="python-docx",
            converter_version=version("python-docx"),
            metadata=MappingProxyType(_metadata(document)),
            left_out=_left_out(document),
        )
        return Converted(text, record)

    def _check_container(self, data: bytes, name: str) -> None:
        """Refuse what is not a zip, an OLE file (encrypted or .doc) and a zip bomb, before python-docx reads it."""
        if data.startswith(_OLE_MAGIC):
            if "EncryptedPackage".encode("utf-16-le") in data:
                raise ConversionError(name, "the Word document is encrypted (password-protected); save it unprotected")
            raise ConversionError(name, "an old binary Word (.doc) or other OLE file, not .docx; save it as .docx")
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            raise ConversionError(name, "not a Word (.docx) file: not a zip archive, or a damaged one") from None
        with archive:
            members = archive.infolist()
            if len(members) > self.max_parts:
                raise ConversionError(name, f"refused as a zip bomb: {len(members)} parts (limit {self.max_parts})")
            unpacked = sum(member.file_size for member in members)
            if unpacked > self.max_unpacked_bytes:
                raise ConversionError(
                    name,
                    f"refused as a zip bomb: its parts would unpack to {_megabytes(unpacked)} "
                    f"(limit {_megabytes(self.max_unpacked_bytes)})",
                )
            if "[Content_Types].xml" not in archive.namelist():
                raise ConversionError(name, "not a Word (.docx) file: a zip archive that is not an Office document")


def _blocks(container: Any) -> Iterator[str]:
    """The text of each paragraph and table directly in ``container`` (a body or a content control's content)."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{{{_W}}}p":
            text = _paragraph_text(child)
            yield text if text.strip() else ""
        elif tag == f"{{{_W}}}tbl":
            yield _table_text(child)
        elif tag == f"{{{_W}}}sdt":
            for content in child.iterchildren(f"{{{_W}}}sdtContent"):
                yield from _blocks(content)


def _paragraph_text(p: Any) -> str:
    """A ``w:p`` element's text: python-docx's text of each run's content (``w:t``, ``w:tab``, ``w:br``...), with
    ``w:softHyphen`` as U+00AD (python-docx skips it)."""
    parts = []
    for run in _xpath(_PARAGRAPH_RUNS)(p):
        for element in _xpath(_RUN_CONTENT)(run):
            parts.append("\u00ad" if element.tag == f"{{{_W}}}softHyphen" else str(element))
    return "".join(parts)


def _table_text(tbl: Any) -> str:
    """A ``w:tbl`` element as tab-separated rows (one line per row; all-empty rows left out)."""
    lines = []
    for tr in tbl.iterchildren(f"{{{_W}}}tr"):
        cells = [_cell_text(tc) for tc in tr.iterchildren(f"{{{_W}}}tc")]
        if any(cell.strip() for cell in cells):
            lines.append("\t".join(cells))
    return "\n".join(lines)


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs (nested tables' too) as one line: each line break and tab becomes one space and the
    paragraphs with text are joined by one space; every other character (NBSP, U+2028, runs of spaces...) is kept as
    stored."""
    texts = (_paragraph_text(p).translate(_CELL_BREAKS) for p in tc.iter(f"{{{_W}}}p"))
    return " ".join(text for text in texts if text)


def _metadata(document: DocxDocument) -> dict[str, str]:
    """Core properties: ``title``, ``author``, ``date`` (the creation date, ISO 8601), when present."""
    properties = document.core_properties
    found = {"title": properties.title, "author": properties.author}
    metadata = {key: value.strip() for key, value in found.items() if value and value.strip()}
    if properties.created is not None:
        metadata["date"] = properties.created.isoformat()
    return metadata


def _left_out(document: DocxDocument) -> tuple[str, ...]:
    """Sentences naming what the text leaves out: headers, footers, footnotes, endnotes, comments, text boxes."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    counts = {
        "header": _count_parts_with_text(document, RT.HEADER),
        "footer": _count_parts_with_text(document, RT.FOOTER),
        "footnote": _count_notes(document, RT.FOOTNOTES, "footnote"),
        "endnote": _count_notes(document, RT.ENDNOTES, "endnote"),
        "comment": _count_notes(document, RT.COMMENTS, "comment"),
        # A text box is often written twice (DrawingML and its VML fallback): the fallback is not counted.
        "text box": sum(1 for box in _xpath(_TEXT_BOXES)(document.element.body) if _has_text(box)),
    }
    return tuple(_counted(count, noun) for noun, count in counts.items() if count)


def _count_parts_with_text(document: DocxDocument, reltype: str) -> int:
    """How many distinct parts of relationship ``reltype`` (headers, footers) hold some text."""
    parts = {id(rel.target_part): rel.target_part for rel in document.part.rels.values() if rel.reltype == reltype}
    return sum(1 for part in parts.values() if _has_text(_part_element(part)))


def _count_notes(document: DocxDocument, reltype: str, tag: str) -> int:
    """How many ``w:<tag>`` entries with text the part of ``reltype`` holds (separators are not notes)."""
    element = None
    for rel in document.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            element = _part_element(rel.target_part)
    if element is None:
        return 0
    return sum(1 for note in element.iter(f"{{{_W}}}{tag}") if note.get(f"{{{_W}}}type") is None and _has_text(note))


def _part_element(part: Any) -> Any:
    """A part's XML root: python-docx's element for the parts it models, else parsed from its bytes."""
    from docx.oxml.parser import parse_xml

    element = getattr(part, "element", None)
    return element if element is not None else parse_xml(part.blob)


@functools.cache
def _xpath(expression: str) -> Any:
    """``expression`` compiled with the ``w`` and ``mc`` prefixes (lxml, imported on first use)."""
    from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

    return etree.XPath(expression, namespaces=_NAMESPACES)


def _has_text(element: Any) -> bool:
    return any((t.text or "").strip() for t in element.iter(f"{{{_W}}}t"))


def _counted(count: int, noun: str) -> str:
    return f"a {noun}" if count == 1 else f"{count} {noun}" + ("es" if noun.endswith("x") else "s")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def _describe(error: Exception) -> str:
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
