"""A web page fetched by its URL and converted, its bytes kept: what File → Open URL… saves as a file and
``annotator import --format url`` imports, with the final URL recorded.

As :func:`annotator.io.convert.url.convert_url`, with the page's bytes returned too (saved unchanged, so the source
record's SHA-256 names the saved file) and the URL the page was fetched from (after redirects) in the record's
``metadata["url"]``; the URL the page gives for itself, when it names another, is kept as ``metadata["page_url"]``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

from annotator.io.convert.source import ConversionError, Converted


@dataclass(frozen=True)
class FetchedPage:
    """A page fetched and converted: ``data`` its bytes as the server sent them, ``converted`` its text and source
    record (kind ``"url"``; ``name`` and ``metadata["url"]`` the final URL after redirects)."""

    data: bytes
    converted: Converted


def fetch_and_convert(url: str) -> FetchedPage:
    """Fetch the page at ``url`` (:func:`annotator.io.convert.url.fetch_page`: time and size limits, redirects, an
    HTML content type) and convert it in the sandbox with the HTTP header's charset, as
    :func:`~annotator.io.convert.url.convert_url` does (module docstring for the record). Blocks: call it off the GUI
    thread.

    Raises
    ------
    ConversionError
        With ``source`` ``url``: the fetch's or the conversion's refusal (one reason each).
    """
    from annotator.io.convert.html import HtmlConverter
    from annotator.io.convert.sandbox import run_converter
    from annotator.io.convert.url import fetch_page

    page = fetch_page(url)
    try:
        converted = run_converter(HtmlConverter(kind="url", http_charset=page.charset), page.data, page.url)
    except ConversionError as error:
        raise ConversionError(url, error.reason) from None
    metadata = dict(converted.source.metadata)
    if metadata.get("url", page.url) != page.url:
        metadata["page_url"] = metadata["url"]
    metadata["url"] = page.url
    source = replace(converted.source, metadata=MappingProxyType(metadata))
    return FetchedPage(page.data, Converted(converted.text, source))
