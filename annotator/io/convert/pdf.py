"""PDF files: the text layer as paragraphs of plain text, with pypdf.

**Reading order.** pypdf's plain extraction (``extract_text()``), not its ``extraction_mode="layout"``: plain follows
the content stream, which is the reading order for what word processors and newsroom systems write, including
multi-column pages (one column after the other); layout mode rebuilds the page as a fixed-width grid, which puts the
lines of side-by-side columns on one line and pads with runs of spaces. Plain mode loses the vertical gaps that
separate paragraphs, so each line's position on the page (from pypdf's ``visitor_text`` callback) is kept to find
them.

**Lines and paragraphs.** Spaces at either end of a line are dropped (they are positioning, not text). The lines of
a paragraph are joined with one space. A new paragraph starts where the vertical gap between two lines is more than
1.4 times the document's usual line pitch (its most frequent gap between consecutive lines, ignoring gaps over three
font heights, and taken as at most 1.5 font heights so that a document of one-line paragraphs is still split; a
double-spaced document therefore reads as one line per paragraph), where the text moves up the page (a new column),
and at a page break unless the next page's first line starts with a lower-case letter (a sentence running on).
Paragraphs are separated by one blank line; the text has no trailing newline. Paragraphs set with a first-line
indent and no extra space between them are not told apart.

**Hyphenation.** A soft hyphen (U+00AD) at a line end is removed and the halves joined. A hyphen (``-`` or U+2010)
after a letter at a line end, before a lower-case letter, is a typesetter's hyphen and removed ("govern-" "ment" ->
"government") unless the document shows it is part of a compound: the hyphenated form occurs within a line elsewhere
in the document ("well-known"), or the first half is a word that forms compounds (``self``, ``well``, ``non``,
``anti``, ``ex``... see ``_COMPOUND_HEADS``) and the joined form occurs nowhere else. A hyphen before a capital or a
digit, or after a digit, is kept ("anti-American", "COVID-19"); the halves are joined without a space either way.

**Running headers and footers.** On a PDF of two or more pages with text, the top line of every page (the highest on
the page) is left out when it is the same text at the same height on every page, counting any run of digits as equal
(so "Page 3 of 9" repeats); likewise the bottom line; up to two lines at each edge. Each is named in
:attr:`SourceRecord.left_out` with its text on the first page. A one-page PDF keeps all its lines.

**What the text keeps.** Characters as pypdf reads them from the fonts' Unicode maps: typographic quotes, NBSP,
combining marks, zero-width characters and soft hyphens inside a line come out exactly (tested). Not kept, or not
testable here: right-to-left scripts come out in visual (reversed) order, as pypdf reads them; ligature glyphs
without a Unicode map entry, tabs (a PDF has positions, not tab characters) and characters a font has no glyph for
(emoji, CJK, mathematical alphanumerics need fonts the tests' machine lacks) are whatever the PDF's maps say.

**Refused** with :class:`ConversionError`: bytes that are not a PDF; a broken PDF (pypdf cannot parse it, or a page
fails to read); an encrypted PDF that needs a password (one that opens with the empty password -- only an owner
password restricting printing or copying -- is read, as any viewer shows it; if it is AES-encrypted this needs the
``cryptography`` package, and without it the file is refused saying so); a PDF with no text on any page (scanned, or
images only).
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from annotator.io.convert.source import ConversionError, Converted, SourceRecord, sha256_hex

if TYPE_CHECKING:
    from pypdf import PdfReader

#: A new paragraph starts where the gap between lines exceeds this many line pitches.
PARAGRAPH_GAP = 1.4
#: First halves of hyphenated compounds: a line-end hyphen after one of these is kept unless the joined word occurs.
_COMPOUND_HEADS = frozenset(
    {"all", "anti", "co", "cross", "ex", "full", "half", "high", "long", "low", "mid", "multi", "non", "one"}
    | {"part", "post", "pre", "pro", "quasi", "self", "semi", "so", "three", "two", "vice", "well"}
)
_HYPHENS = ("-", "\u2010")
_WORD = re.compile(r"\w+(?:[-\u2010]\w+)*")
_DIGITS = re.compile(r"\d+")


@dataclass
class _Line:
    """One line of a page: its text (spaces at the ends removed), height on the page (points from the bottom, None
    when pypdf gave no position) and font height (points)."""

    text: str
    y: float | None
    size: float


class PdfConverter:
    """Converts a PDF file's bytes to the text of its text layer (see the module docstring for the rules)."""

    kind = "pdf"
    suffixes = (".pdf",)

    def convert(self, data: bytes, name: str) -> Converted:
        """The document's text and source record (kind ``"pdf"``, converter ``"pypdf"``).

        Raises
        ------
        ConversionError
            Not a PDF, broken, encrypted, or no text on any page (the reason says which).
        """
        if b"%PDF-" not in data[:1024]:
            raise ConversionError(name, "not a PDF file (no %PDF header)")
        reader = _open(data, name)
        try:
            pages = [_page_lines(page) for page in reader.pages]
        except ConversionError:
            raise
        except Exception as error:  # pypdf raises many kinds for a damaged content stream
            raise ConversionError(name, f"a broken PDF: a page cannot be read ({_describe(error)})") from None
        if not pages:
            raise ConversionError(name, "a broken PDF: it has no pages")
        if not any(pages):
            count = f"{len(pages)} page" if len(pages) == 1 else f"{len(pages)} pages"
            raise ConversionError(name, f"a scanned or image-only PDF: no text on any of its {count}")
        pages, left_out = _drop_running_lines(pages)
        text = "\n\n".join(_paragraphs(pages))
        record = SourceRecord(
            kind=self.kind,
            name=name,
            sha256=sha256_hex(data),
            converter="pypdf",
            converter_version=version("pypdf"),
            metadata=MappingProxyType(_metadata(reader)),
            left_out=tuple(left_out),
        )
        return Converted(text, record)


def _open(data: bytes, name: str) -> PdfReader:
    """pypdf's reader of ``data``, decrypted with the empty password when it is encrypted."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                raise ConversionError(
                    name, "the PDF is encrypted (AES); reading it needs the 'cryptography' package"
                ) from None
            if opened == PasswordType.NOT_DECRYPTED:
                raise ConversionError(name, "the PDF is encrypted: it needs a password to open")
        len(reader.pages)  # reads the page tree: a broken one fails here, not later
    except ConversionError:
        raise
    except Exception as error:  # PdfReadError, PdfStreamError, ValueError, KeyError... for a damaged file
        raise ConversionError(name, f"a broken PDF ({_describe(error)})") from None
    return reader


def _page_lines(page: Any) -> list[_Line]:
    """The page's non-blank lines in pypdf's plain reading order, with their positions."""
    chunks: list[tuple[str, list[float], list[float], float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        chunks.append((text, cm, tm, size))

    page.extract_text(visitor_text=visit)
    lines: list[_Line] = []
    pieces: list[str] = []
    y: float | None = None
    size = 0.0
    for text, cm, tm, font_size in chunks:
        for number, piece in enumerate(text.split("\n")):
            if number:
                lines.append(_Line("".join(pieces).strip(" "), y, size))
                pieces, y, size = [], None, 0.0
            if piece:
                pieces.append(piece)
                if piece.strip() and y is None:
                    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                    size = max(size, abs(font_size * tm[3] * cm[3]) or font_size)
    lines.append(_Line("".join(pieces).strip(" "), y, size))
    return [line for line in lines if line.text.strip()]


def _drop_running_lines(pages: list[list[_Line]]) -> tuple[list[list[_Line]], list[str]]:
    """Pages without the lines repeated at their top or bottom edge, and a sentence for each kind left out."""
    with_text = [lines for lines in pages if lines]
    left_out: list[str] = []
    if len(with_text) < 2:
        return pages, left_out
    for edge, noun in ((max, "header"), (min, "footer")):
        for _ in range(2):
            ends = [_edge_line(lines, edge) for lines in with_text]
            keys = {
                (_DIGITS.sub("#", " ".join(line.text.split())), round(line.y) if line.y is not None else None)
                for line in ends
            }
            if len(keys) != 1:
                break
            numbered = len({line.text for line in ends}) > 1
            what = f"a running {noun}" + (" with the page number" if numbered else "")
            left_out.append(f'{what} repeated on {len(ends)} pages: "{ends[0].text}"')
            for lines, line in zip(with_text, ends, strict=True):
                lines.remove(line)
            with_text = [lines for lines in with_text if lines]
            if len(with_text) < 2:
                break
    return pages, left_out


def _edge_line(lines: list[_Line], edge: Any) -> _Line:
    """The top (``edge=max``) or bottom (``min``) line of a page; the first or last in order if positions lack."""
    if any(line.y is None for line in lines):
        return lines[0] if edge is max else lines[-1]
    return edge(lines, key=lambda line: line.y)


def _paragraphs(pages: list[list[_Line]]) -> list[str]:
    """The paragraphs of the pages' lines (see the module docstring for where one starts and how lines join)."""
    all_lines = [line for lines in pages for line in lines]
    words = Counter(match.group() for line in all_lines for match in _WORD.finditer(line.text))
    pitch = _line_pitch(pages)
    paragraphs: list[list[str]] = []
    for lines in pages:
        previous: _Line | None = None
        for line in lines:
            if previous is None:
                runs_on = bool(paragraphs) and line.text[:1].islower()
                starts = not runs_on
            else:
                starts = _starts_paragraph(previous, line, pitch)
            if starts:
                paragraphs.append([line.text])
            else:
                paragraphs[-1].append(line.text)
            previous = line
    return [_join_lines(lines, words) for lines in paragraphs]


def _line_pitch(pages: list[list[_Line]]) -> float | None:
    """The document's usual distance between consecutive lines (points): the most frequent gap, rounded to a point
    (the smallest of equally frequent ones), ignoring gaps over three font heights; None when there is none."""
    gaps = Counter(
        round(above.y - below.y)
        for lines in pages
        for above, below in itertools.pairwise(lines)
        if above.y is not None and below.y is not None and 0 < above.y - below.y <= 3 * max(below.size, 1)
    )
    return float(min(gaps, key=lambda gap: (-gaps[gap], gap))) if gaps else None


def _starts_paragraph(previous: _Line, line: _Line, pitch: float | None) -> bool:
    """Whether ``line`` starts a paragraph after ``previous`` on the same page: a gap over ``PARAGRAPH_GAP`` pitches
    (the pitch taken as at most 1.5 font heights, 1.2 when unknown), or a move up the page."""
    if previous.y is None or line.y is None:
        return False
    gap = previous.y - line.y
    height = max(line.size, 1.0)
    if gap < -height:
        return True  # moved up the page: a new column or block
    return gap > PARAGRAPH_GAP * min(pitch if pitch is not None else 1.2 * height, 1.5 * height)


def _join_lines(lines: list[str], words: Counter[str]) -> str:
    """A paragraph's lines joined with spaces, line-end hyphens resolved (see the module docstring)."""
    text = lines[0]
    for line in lines[1:]:
        text = _join(text, line, words)
    return text


def _join(before: str, after: str, words: Counter[str]) -> str:
    if before.endswith("\u00ad"):
        return before[:-1] + after
    if not before.endswith(_HYPHENS) or len(before) < 2 or not before[-2].isalnum():
        return f"{before} {after}"  # no hyphen, or a dash after a space: " - "
    if not before[-2].isalpha() or not after[:1].islower():
        return before + after  # "anti-" "American", "COVID-" "19", "20-" "year"
    head = re.search(r"\w+$", before[:-1])
    tail = re.match(r"\w+", after)
    first = head.group() if head else ""
    second = tail.group() if tail else ""
    hyphenated, joined = f"{first}{before[-1]}{second}", first + second
    keep = words[hyphenated] > 0 or (first.lower() in _COMPOUND_HEADS and words[joined] == 0)
    return before + after if keep else before[:-1] + after


def _metadata(reader: PdfReader) -> dict[str, str]:
    """The document information's ``title``, ``author`` and ``date`` (creation date, ISO 8601), when present."""
    metadata: dict[str, str] = {}
    try:
        info = reader.metadata
        if info is None:
            return metadata
        for key, value in (("title", info.title), ("author", info.author)):
            if isinstance(value, str) and value.strip():
                metadata[key] = value.strip()
        created = info.creation_date
        if created is not None:
            metadata["date"] = created.isoformat()
    except Exception:  # a malformed information dictionary or date: the text is still good, the metadata is not
        return metadata
    return metadata


def _describe(error: Exception) -> str:
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
