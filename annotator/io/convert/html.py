"""Web pages (``.html``, ``.htm``, a fetched page) to a document's text with trafilatura.

trafilatura (https://trafilatura.readthedocs.io) finds the article in a news page and leaves out navigation, cookie
banners, related-links lists, comments and footers. It is called with ``favor_precision=True`` (less text when in
doubt: a missed boilerplate line would be annotated as if the article said it), ``include_comments=False``,
``include_tables=True`` (a table in an article is part of it), ``include_images=False``, ``include_links=False``,
``deduplicate=False`` (its cache would make a result depend on the pages converted before) and ``with_metadata=True``
(title, author, date, url and sitename go into :attr:`SourceRecord.metadata`). It is imported on first use only, in
the sandbox's child process (:mod:`.sandbox`).

trafilatura decides which text is the article; the characters are the page's own. trafilatura's plain text
(``output_format="txt"``) changes a page's characters (NBSP and U+2028/U+2029 become spaces, zero-width joiners and
non-joiners, zero-width spaces, soft hyphens and bidi marks are dropped, the text is NFC-normalised), so each of its
blocks (paragraphs, headings, lists, quotes, tables) is found in the page's rendered text
(:mod:`.page_text`: HTML's own white-space rules, references decoded, no normalisation) and that substring is kept
(:mod:`.align`). What HTML itself collapses is collapsed as a browser shows it: a run of ASCII white space (space,
tab, LF, CR, FF) is one space and none starts or ends a line; ``<br>`` is a line break, ``<pre>`` keeps its white
space; a block holds no empty line. Every other character (NBSP, U+2028/U+2029, ZWJ, ZWNJ, ZWSP, soft hyphen, bidi
marks, decomposed accents, emoji, right-to-left text...) comes out as the page has it: the trap corpus
(tests/data/unicode-traps.json) placed in a paragraph comes out exactly, but for its ASCII white-space runs.

Blocks are separated by a blank line; a line break inside a block (``<br>``, a list's items, a table's rows) is one
``\\n``. A list item's ``"- "`` and a table's ``|`` bars and ``|---|`` rule are trafilatura's, the text between them
the page's. A block trafilatura rewrote beyond its normalising (a page showing ``&amp;`` literally, which it unescapes
once more) cannot be found in the page: it keeps trafilatura's text and :attr:`SourceRecord.left_out` says how many
("1 paragraph as trafilatura rewrote it, not as the page writes it"). The record's converter is :data:`CONVERTER`
with trafilatura's version. The text is fixed once converted: offsets count code points into it, never into the page.

A block that is a cookie or consent notice or a newsletter prompt by :mod:`.boilerplate`'s rule is left out (trafilatura
takes such a block for the article on a page without one) and counted in :attr:`SourceRecord.left_out`; a page whose
blocks are all such notices, or none, is refused ("the page holds no article text"). When the page shows more text
than the document keeps (more letters and digits), :attr:`SourceRecord.left_out` says so in general terms
(:data:`FURNITURE_NOTE`): trafilatura does not say what each left-out part was.

Encoding of the page's bytes (WHATWG order, https://html.spec.whatwg.org/multipage/parsing.html#encoding-sniffing-
algorithm): a byte-order mark; else the charset of the HTTP ``Content-Type`` header (a fetched page); else a
``<meta charset>`` or ``<meta http-equiv="Content-Type">`` in the first 1024 bytes; else UTF-8 if the bytes are valid
UTF-8; else charset-normalizer's guess (:func:`annotator.io.textfile.detect_encoding`). The page is decoded here and
handed to trafilatura as text, so trafilatura's own guessing is never used.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from annotator.io.convert.boilerplate import counted, notice_kind
from annotator.io.convert.source import ConversionError, Converted, SourceRecord, sha256_hex

#: The trafilatura options of :func:`extract_text` (module docstring says why each).
TRAFILATURA_OPTIONS: MappingProxyType[str, object] = MappingProxyType(
    {
        "favor_precision": True,
        "include_comments": False,
        "include_tables": True,
        "include_images": False,
        "include_links": False,
        "deduplicate": False,
        "with_metadata": True,
    }
)
#: What :attr:`SourceRecord.converter` names: trafilatura (its version is the record's ``converter_version``) with
#: this module's alignment onto the page's own text, whose version (``/1``) changes whenever the alignment would give
#: another text for the same page, so a document converted before can be told apart.
CONVERTER = "trafilatura+annotator-align/2"  # /2: cookie notices and newsletter prompts left out (.boilerplate)
#: The metadata kept in :attr:`SourceRecord.metadata`, as trafilatura names them.
METADATA_FIELDS = ("title", "author", "date", "url", "sitename")
#: The :attr:`SourceRecord.left_out` sentence of a page that shows more text than its article.
FURNITURE_NOTE = "navigation, banners, comments and other page furniture around the article (trafilatura)"

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
#: WHATWG labels that mean another decoder than Python's codec of that name.
_WHATWG = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}
_WORD = re.compile(r"\w")


@dataclass  # not frozen: the Converter protocol declares plain (settable) attributes, which mypy holds it to
class HtmlConverter:
    """The :class:`~annotator.io.convert.source.Converter` of web pages (a file, or a page fetched from a URL).

    Attributes
    ----------
    kind: ``"html"`` for a file, ``"url"`` for a fetched page (:mod:`.url` makes that one).
    http_charset: the charset of the HTTP ``Content-Type`` header of a fetched page (it takes precedence over the
        page's ``<meta>``), or ``None``.
    """

    kind: str = "html"
    suffixes: tuple[str, ...] = (".html", ".htm")
    http_charset: str | None = None

    def convert(self, data: bytes, name: str) -> Converted:
        """The article's text and source record of the page ``data`` (``name``: its file name or URL).

        Raises
        ------
        ConversionError
            "the page holds no article text" when trafilatura finds none.
        """
        import trafilatura  # first use only: 0.5 s of imports, done in the sandbox's child

        html = decode_html(data, self.http_charset)
        extracted = extract_text(html, url=name if self.kind == "url" else None)
        if not extracted.text.strip():
            raise ConversionError(name, "the page holds no article text")
        text, metadata = extracted.text, extracted.metadata
        left_out: tuple[str, ...] = (FURNITURE_NOTE,) if extracted.furniture else ()
        left_out += tuple(counted(count, kind) for kind, count in extracted.notices)
        if extracted.rewritten:
            left_out += (rewritten_note(extracted.rewritten),)
        return Converted(
            text,
            SourceRecord(
                kind=self.kind,
                name=name,
                sha256=sha256_hex(data),
                converter=CONVERTER,
                converter_version=trafilatura.__version__,
                metadata=MappingProxyType(metadata),
                left_out=left_out,
            ),
        )


def rewritten_note(count: int) -> str:
    """The :attr:`SourceRecord.left_out` sentence for ``count`` blocks kept as trafilatura rewrote them."""
    if count == 1:
        return "1 paragraph as trafilatura rewrote it, not as the page writes it"
    return f"{count} paragraphs as trafilatura rewrote them, not as the page writes them"


def decode_html(data: bytes, http_charset: str | None = None) -> str:
    """The page ``data`` as text, decoded as the module docstring says (BOM, HTTP charset, ``<meta>``, UTF-8,
    detection). A declared encoding Python does not know, or that does not fit the bytes, is passed over."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    declared = [http_charset] if http_charset else []
    if match := _META_CHARSET.search(data[:1024]):
        declared.append(match.group(1).decode("ascii"))
    for label in declared:
        encoding = _WHATWG.get(label.strip().lower(), label.strip())
        try:
            if codecs.lookup(encoding).name.startswith("utf-16"):
                encoding = "utf-8"  # a <meta> cannot declare UTF-16 (WHATWG): the bytes that read it are ASCII
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from annotator.io.textfile import detect_encoding

    try:
        return detect_encoding(data)[1]
    except ValueError:
        return data.decode("utf-8", "replace")


@dataclass(frozen=True)
class Extracted:
    """:func:`extract_text`'s result.

    Attributes
    ----------
    text: the article's blocks, each as the page writes it, separated by a blank line (``""`` if none).
    metadata: the :data:`METADATA_FIELDS` found (strings, non-empty).
    rewritten: how many blocks could not be found in the page and are trafilatura's text.
    notices: ``(kind, count)`` of the blocks left out as notices (:func:`.boilerplate.notice_kind`), in the order
        first met.
    furniture: whether the page shows more letters and digits than ``text`` holds (something was left out).
    """

    text: str
    metadata: dict[str, str]
    rewritten: int = 0
    notices: tuple[tuple[tuple[str, str], int], ...] = ()
    furniture: bool = False


def extract_text(html: str, url: str | None = None) -> Extracted:
    """The article of the page ``html``: the blocks that trafilatura finds with :data:`TRAFILATURA_OPTIONS`, each as
    the page writes it (:mod:`.align`), but those that are cookie notices or newsletter prompts (:mod:`.boilerplate`);
    with the page's metadata and what was left out."""
    from trafilatura import bare_extraction
    from trafilatura.utils import normalize_unicode
    from trafilatura.xml import xmltotxt

    from annotator.io.convert.align import align_blocks
    from annotator.io.convert.page_text import render_page_text

    document: Any = bare_extraction(html, url=url, output_format="txt", **TRAFILATURA_OPTIONS)  # type: ignore[arg-type]
    if document is None or document.body is None:
        return Extracted("", {})
    # trafilatura.extract's "txt" is normalize_unicode(xmltotxt(body)): the same per block, then each found in the page
    blocks = [normalize_unicode(text) for block in document.body if (text := xmltotxt(block, False).strip("\n"))]
    kept: list[str] = []
    notices: dict[tuple[str, str], int] = {}
    for block in blocks:  # notices out before aligning: a banner placed before the article is not looked for
        if kind := notice_kind(block):
            notices[kind] = notices.get(kind, 0) + 1
        else:
            kept.append(block)
    page = render_page_text(html)
    aligned = align_blocks(kept, page)
    text = "\n\n".join(block for block in aligned.blocks if block)
    metadata = {
        key: value.strip()
        for key in METADATA_FIELDS
        if isinstance(value := getattr(document, key, None), str) and value.strip()
    }
    furniture = _word_characters(page) > _word_characters(text)
    return Extracted(text, metadata, aligned.rewritten, tuple(notices.items()), furniture)


def _word_characters(text: str) -> int:
    """How many letters, digits (and underscores: ``\\w``) ``text`` holds."""
    return len(_WORD.findall(text))
