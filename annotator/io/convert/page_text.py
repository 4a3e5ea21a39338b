"""A web page's own rendered text: what a browser shows of its ``<body>``, as plain text, character for character.

This is the text the article's paragraphs are taken from (:mod:`.align` finds them in it), so that a page's characters
reach the document unchanged. It follows the HTML rendering rules a browser applies to text
(https://html.spec.whatwg.org/multipage/dom.html#the-innertext-idl-attribute and CSS Text 3 §4.1, "white-space:
normal"), simplified to what plain text needs:

- a run of ASCII white space (space, tab, LF, CR, FF: https://infra.spec.whatwg.org/#ascii-whitespace) is one space,
  across inline elements too, and a line's leading and trailing ASCII spaces go; every other character is kept as the
  page holds it: NBSP (U+00A0), U+2028/U+2029, zero-width joiner/non-joiner/space, soft hyphen, bidi marks, combining
  marks (no Unicode normalisation);
- a block element (``<p>``, ``<div>``, ``<h1>``, ``<li>``, ``<tr>``...) starts and ends a line, ``<br>`` ends one;
  table cells of a row are separated by a tab;
- ``<pre>`` (and ``<textarea>``, ``<listing>``, ``<xmp>``, ``<plaintext>``) keeps its white space; its CR LF and CR
  are LF (the HTML parser's newline normalisation);
- the text holds no empty line: consecutive line breaks are one ``\\n`` (a blank line separates the document's
  paragraphs, so a paragraph cannot hold one);
- entity and character references are decoded (by the parser); ``<head>``, ``<script>``, ``<style>``,
  ``<noscript>``, ``<template>`` and comments are not text.

The page is parsed by lxml's HTML parser, the one trafilatura uses, so both read the same tree.
"""

from __future__ import annotations

import re
from typing import Any

#: Elements whose content is never rendered as text.
SKIPPED = frozenset({"head", "script", "style", "noscript", "template", "title", "iframe", "object", "svg", "math"})
#: Elements that start and end a line (the HTML spec's default ``display: block``/``list-item``/``table-*`` ones).
_BLOCK_NAMES = (
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li listing main menu nav ol optgroup option p "
    "plaintext pre search section summary table tbody tfoot thead tr ul xmp"
)
BLOCKS = frozenset(_BLOCK_NAMES.split())
#: Elements whose white space is kept (``white-space: pre``).
PREFORMATTED = frozenset({"pre", "textarea", "listing", "xmp", "plaintext"})
_ASCII_WHITESPACE = re.compile(r"([ \t\n\r\f]+)")
_BREAK, _CELL = object(), object()


def render_page_text(html: str) -> str:
    """The rendered text of the page ``html`` (a decoded page) as the module docstring says; ``""`` when lxml finds
    no document in it. Offsets into the result count code points."""
    from lxml import etree  # type: ignore[import-untyped]
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    pieces: list[object | tuple[str, bool]] = []
    _walk(root, pieces, preformatted=False)
    return _lay_out(pieces)


def _walk(element: Any, pieces: list[object | tuple[str, bool]], preformatted: bool) -> None:
    """Append ``element``'s text to ``pieces`` in document order: ``(text, preformatted)``, ``_BREAK`` where a line
    ends, ``_CELL`` between table cells. The element's tail is its parent's business."""
    tag = element.tag if isinstance(element.tag, str) else ""  # comments and processing instructions: no tag
    if not tag or tag.lower() in SKIPPED:
        return
    tag = tag.lower()
    preformatted = preformatted or tag in PREFORMATTED
    if tag in ("td", "th") and any(isinstance(s.tag, str) and s.tag.lower() in ("td", "th") for s in _before(element)):
        pieces.append(_CELL)
    if tag in BLOCKS:
        pieces.append(_BREAK)
    if element.text:
        pieces.append((element.text, preformatted))
    for child in element:
        _walk(child, pieces, preformatted)
        if child.tail:
            pieces.append((child.tail, preformatted))
    if tag in BLOCKS or tag == "br":
        pieces.append(_BREAK)


def _before(element: Any) -> list[Any]:
    """The element siblings before ``element``."""
    return list(element.itersiblings(preceding=True))


def _lay_out(pieces: list[object | tuple[str, bool]]) -> str:
    """The text of ``pieces`` with white space collapsed and lines broken as the module docstring says."""
    out: list[str] = []
    pending_space = False  # an ASCII white-space run seen, written only if text follows on the same line
    line_start = True  # at the start of a line or a cell: leading ASCII spaces go
    for piece in pieces:
        if piece is _BREAK or piece is _CELL:
            pending_space = False
            if piece is _CELL and out and out[-1] != "\n":
                out.append("\t")
            elif piece is _BREAK and out and out[-1] != "\n":
                out.append("\n")
            line_start = True
            continue
        text, preformatted = piece  # type: ignore[misc]
        if preformatted:
            for line in re.split(r"(\n)", text.replace("\r\n", "\n").replace("\r", "\n")):
                if line == "\n":
                    if out and out[-1] != "\n":
                        out.append("\n")
                    line_start, pending_space = True, False
                elif line:
                    if pending_space and not line_start:
                        out.append(" ")
                    out.append(line)
                    line_start, pending_space = False, False
            continue
        for run in _ASCII_WHITESPACE.split(text):
            if not run:
                continue
            if _ASCII_WHITESPACE.fullmatch(run):
                pending_space = True
                continue
            if pending_space and not line_start:
                out.append(" ")
            out.append(run)
            line_start, pending_space = False, False
    return "".join(out).strip("\n")
