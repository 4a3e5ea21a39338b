"""Fetching a web page by its URL (http and https only) and converting it as a web page (:mod:`.html`).

The page is fetched with :mod:`urllib.request` (the user's proxy settings apply) with a time limit, a size limit
(refused while reading, as soon as the page is larger), redirects followed up to a limit (to http and https addresses
only), and an HTML content type required (``text/html`` or ``application/xhtml+xml``). Each failure is refused with
its own message (:func:`fetch_page`). The page's bytes are then converted in the sandbox (:mod:`.sandbox`) like a
saved page, with the HTTP header's charset before the page's ``<meta>``; the source record's ``kind`` is ``"url"``
and its ``name`` the final URL after redirects.
"""

from __future__ import annotations

import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException, HTTPMessage
from typing import IO, Any

from annotator import __version__
from annotator.io.convert.html import HtmlConverter
from annotator.io.convert.sandbox import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT, memory_words, run_converter
from annotator.io.convert.source import ConversionError, Converted

#: Seconds the whole fetch may take (connecting, waiting, reading).
DEFAULT_FETCH_TIME_LIMIT = 30.0
#: Bytes a page may have (20 MB, as trafilatura's own downloader).
DEFAULT_SIZE_LIMIT = 20 << 20
#: Redirects followed before the fetch is refused.
DEFAULT_MAX_REDIRECTS = 10
#: The content types of web pages.
HTML_TYPES = ("text/html", "application/xhtml+xml")
_SCHEMES = ("http", "https")
_CHUNK = 64 << 10


@dataclass(frozen=True)
class Fetched:
    """A fetched page: ``url`` the final URL after redirects, ``data`` its bytes, ``charset`` the HTTP
    ``Content-Type`` header's charset (``None`` if it names none)."""

    url: str
    data: bytes
    charset: str | None


def convert_url(
    url: str,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    fetch_time_limit: float = DEFAULT_FETCH_TIME_LIMIT,
    size_limit: int = DEFAULT_SIZE_LIMIT,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
) -> Converted:
    """The article text and source record of the page at ``url``: :func:`fetch_page`, then the web page converter in
    the sandbox (``time_limit`` seconds, ``memory_limit`` bytes). Blocks: call it off the GUI thread.

    Raises
    ------
    ConversionError
        With ``source`` ``url`` as given: :func:`fetch_page`'s refusals, or the conversion's ("the page holds no
        article text", the sandbox's limits).
    """
    page = fetch_page(url, time_limit=fetch_time_limit, size_limit=size_limit, max_redirects=max_redirects)
    converter = HtmlConverter(kind="url", http_charset=page.charset)
    try:
        return run_converter(converter, page.data, page.url, time_limit=time_limit, memory_limit=memory_limit)
    except ConversionError as error:
        raise ConversionError(url, error.reason) from None


def fetch_page(
    url: str,
    *,
    time_limit: float = DEFAULT_FETCH_TIME_LIMIT,
    size_limit: int = DEFAULT_SIZE_LIMIT,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
) -> Fetched:
    """The web page at ``url`` (``time_limit`` in seconds for the whole fetch, ``size_limit`` in bytes).

    Raises
    ------
    ConversionError
        With ``source`` ``url``, one reason per failure: "only http:// and https:// addresses can be opened, not
        ftp://"; "not a web address"; "the server's name was not found (news.invalid)"; "the server refused the
        connection"; "the server answered 404 Not Found"; "more than 10 redirects: refused"; "redirected to a file://
        address: refused"; "no answer within 30 s: refused"; "the page is larger than 20 MB: refused"; "not a web page
        (its content type is application/pdf)"; "the secure connection failed (...)"; "the page could not be fetched
        (...)" for any other network fault.
    """
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in _SCHEMES:
        if parts.scheme and url.strip().lower().startswith(f"{parts.scheme.lower()}://"):
            raise ConversionError(url, f"only http:// and https:// addresses can be opened, not {parts.scheme}://")
        raise ConversionError(url, "not a web address (it must start with http:// or https://)")
    if not parts.hostname:
        raise ConversionError(url, "not a web address (no server name in it)")
    deadline = time.monotonic() + time_limit

    class Redirects(_Redirects):
        max_redirections = max_repeats = max_redirects  # urllib's own counters: all and to one URL

    opener = urllib.request.build_opener(Redirects(url))
    request = urllib.request.Request(url.strip(), headers={"User-Agent": f"annotator/{__version__}"})
    try:
        with opener.open(request, timeout=time_limit) as response:
            headers: HTTPMessage = response.headers
            content_type = headers.get_content_type()
            if content_type not in HTML_TYPES:
                raise ConversionError(url, f"not a web page (its content type is {content_type})")
            data = _read(response, headers, url, deadline, time_limit, size_limit)
            return Fetched(response.geturl(), data, headers.get_content_charset())
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            raise ConversionError(url, f"more than {max_redirects} redirects: refused") from None
        raise ConversionError(url, f"the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise ConversionError(url, _network_fault(error.reason, parts.hostname, time_limit)) from None
    except TimeoutError:
        raise ConversionError(url, f"no answer within {time_limit:g} s: refused") from None
    except (OSError, HTTPException) as error:
        raise ConversionError(url, f"the page could not be fetched ({error})") from None


def _read(response: IO[bytes], headers: HTTPMessage, url: str, deadline: float, limit: float, size: int) -> bytes:
    """The body, refused as soon as it is larger than ``size`` bytes or reading passes ``deadline``."""
    too_large = ConversionError(url, f"the page is larger than {memory_words(size)}: refused")
    length = headers.get("Content-Length")
    if length is not None and length.strip().isdigit() and int(length) > size:
        raise too_large
    chunks: list[bytes] = []
    received = 0
    while chunk := response.read(_CHUNK):
        received += len(chunk)
        if received > size:
            raise too_large
        if time.monotonic() > deadline:
            raise ConversionError(url, f"no answer within {limit:g} s: refused")
        chunks.append(chunk)
    return b"".join(chunks)


def _network_fault(reason: object, host: str, time_limit: float) -> str:
    if isinstance(reason, socket.gaierror):
        return f"the server's name was not found ({host})"
    if isinstance(reason, ConnectionRefusedError):
        return "the server refused the connection"
    if isinstance(reason, TimeoutError):
        return f"no answer within {time_limit:g} s: refused"
    if isinstance(reason, ssl.SSLError):
        return f"the secure connection failed ({reason})"
    return f"the page could not be fetched ({reason})"


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows up to ``max_redirects`` redirects (a loop counts each of its turns), to http and https addresses
    only."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def http_error_302(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage
    ) -> Any:
        target = headers.get("location") or headers.get("uri")
        if target:
            scheme = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, target)).scheme.lower()
            if scheme not in _SCHEMES:
                raise ConversionError(self.url, f"redirected to a {scheme}:// address: refused")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302
