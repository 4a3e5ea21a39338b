"""Fetching a page by URL from a local http.server (no internet): each failure refused with its own message."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest

from annotator.io.convert.source import ConversionError
from annotator.io.convert.url import convert_url, fetch_page
from tests.io.convert.local_server import serving

NEWS = (Path(__file__).resolve().parents[2] / "data" / "convert" / "news-page.html").read_bytes()
CYRILLIC = (
    "<html><head><meta charset='windows-1252'><title>Москва</title></head><body><article>"
    + "<p>Министерство иностранных дел России отрицает сообщения о запросе военной помощи, заявили в Москве.</p>" * 3
    + "</article></body></html>"
).encode("cp1251")
RELEASE = threading.Event()  # set when a test ends: the silent route answers nobody before


class Pages(BaseHTTPRequestHandler):
    """The routes of the tests' server."""

    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {
        "/news": (200, {"Content-Type": "text/html; charset=utf-8"}, NEWS),
        "/xhtml": (200, {"Content-Type": "application/xhtml+xml"}, NEWS),
        "/moved": (302, {"Location": "/news"}, b""),
        "/moved-twice": (301, {"Location": "/moved"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/missing": (404, {"Content-Type": "text/html"}, b"<p>not here</p>"),
        "/broken": (500, {"Content-Type": "text/html"}, b"<p>oops</p>"),
        "/pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7"),
        "/declared-big": (200, {"Content-Type": "text/html", "Content-Length": str(50 << 20)}, b""),
        "/menu": (200, {"Content-Type": "text/html"}, b"<html><body><nav><a href='/'>Home</a></nav></body></html>"),
        "/cyrillic": (200, {"Content-Type": "text/html; charset=windows-1251"}, CYRILLIC),
    }

    def do_GET(self) -> None:
        if self.path == "/silent":
            RELEASE.wait(30)
            return
        if self.path == "/streamed-big":  # no Content-Length: the size is known only by reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"<p>" + b"x" * (64 << 10) + b"</p>")
            return
        status, headers, body = self.routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    try:
        with serving(Pages) as url:
            yield url
    finally:
        RELEASE.set()  # the silent route answers nobody once the tests are done


def refusal(url: str, **limits) -> str:
    with pytest.raises(ConversionError) as caught:
        fetch_page(url, **limits)
    assert caught.value.source == url
    return caught.value.reason


def test_a_page_is_fetched_and_converted_with_the_final_url(server: str):
    converted = convert_url(f"{server}/moved-twice")
    assert converted.text.startswith("Officials warn of sanctions after Rome talks\n\nSenior officials")
    assert "cookie" not in converted.text
    assert (converted.source.kind, converted.source.name) == ("url", f"{server}/news")
    assert converted.source.metadata["url"] == "https://ledger.example/world/2022/03/15/rome-talks"  # the page's own
    assert converted.source.converter == "trafilatura+annotator-align/2"


def test_xhtml_is_a_web_page(server: str):
    assert fetch_page(f"{server}/xhtml").data == NEWS


def test_the_http_charset_decides_the_pages_encoding(server: str):
    assert "Министерство иностранных дел" in convert_url(f"{server}/cyrillic").text


def test_a_page_without_article_is_refused_naming_the_url_given(server: str):
    with pytest.raises(ConversionError) as caught:
        convert_url(f"{server}/menu")
    assert str(caught.value) == f"{server}/menu: the page holds no article text"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/story.html", "only http:// and https:// addresses can be opened, not ftp://"),
        ("file:///etc/passwd", "only http:// and https:// addresses can be opened, not file://"),
        ("www.example.org/story", "not a web address (it must start with http:// or https://)"),
        ("http:///story", "not a web address (no server name in it)"),
    ],
)
def test_a_bad_address_is_refused_before_any_connection(url: str, reason: str):
    assert refusal(url) == reason


def test_http_errors_are_refused_with_the_status(server: str):
    assert refusal(f"{server}/missing") == "the server answered 404 Not Found"
    assert refusal(f"{server}/broken") == "the server answered 500 Internal Server Error"


def test_redirects_are_followed_up_to_the_limit(server: str):
    assert fetch_page(f"{server}/moved-twice", max_redirects=2).url == f"{server}/news"
    assert refusal(f"{server}/moved-twice", max_redirects=1) == "more than 1 redirects: refused"
    assert refusal(f"{server}/loop") == "more than 10 redirects: refused"


def test_a_redirect_away_from_the_web_is_refused(server: str):
    assert refusal(f"{server}/to-file") == "redirected to a file:// address: refused"


def test_a_page_that_is_not_html_is_refused_with_its_type(server: str):
    assert refusal(f"{server}/pdf") == "not a web page (its content type is application/pdf)"


def test_a_page_larger_than_the_limit_is_refused(server: str):
    assert refusal(f"{server}/declared-big") == "the page is larger than 20 MB: refused"
    assert refusal(f"{server}/streamed-big", size_limit=1 << 20) == "the page is larger than 1 MB: refused"


def test_a_server_that_never_answers_is_given_up_at_the_time_limit(server: str):
    assert refusal(f"{server}/silent", time_limit=0.5) == "no answer within 0.5 s: refused"


def test_a_refused_connection_is_said_so():
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert refusal(f"http://127.0.0.1:{port}/news") == "the server refused the connection"


def test_a_name_that_is_not_found_is_said_so(monkeypatch: pytest.MonkeyPatch):
    def not_found(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", not_found)  # no resolver is asked: the test runs offline
    assert refusal("https://news.invalid/story") == "the server's name was not found (news.invalid)"
