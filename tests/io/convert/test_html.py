"""Web pages to text with trafilatura: the article without the page around it, its metadata, the page's encoding,
and exactly what trafilatura extracted (the trap corpus placed in an article's paragraphs)."""

from __future__ import annotations

import html
import json
import unicodedata
from pathlib import Path

import pytest
import trafilatura

from annotator.io.convert.html import TRAFILATURA_OPTIONS, HtmlConverter, decode_html
from annotator.io.convert.source import ConversionError, sha256_hex

DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLE = Path(__file__).resolve().parents[3] / "sample_docs" / "000_3048e0f710b42604.txt"
NEWS_PARAGRAPHS = [
    "Senior officials from both governments met in Rome on Monday for seven hours of talks that one participant "
    "described as intense, with the war in Ukraine at the centre of the discussions.",
    "The national security adviser warned his counterpart that any country helping Moscow evade sanctions would face "
    "significant consequences, according to a statement released after the meeting.",
    "The foreign ministry in Beijing denied reports that it had received a request for military assistance, calling "
    "them disinformation spread to smear its position on the conflict.",
    "Analysts said the length of the meeting suggested that both sides wanted to keep channels of communication open "
    "despite their deep disagreements over the war.",
    "A further round of talks has not been scheduled, but officials said they expected to remain in contact over the "
    "coming weeks.",
]
BOILERPLATE = [
    "cookie",
    "Accept all",
    "Subscribe",
    "Politics",
    "Related stories",
    "Envoy arrives in Rome",
    "Markets fall",
    "Comments",
    "reader42",
    "nothing new here",
    "Taxpayers",
    "Great reporting",
    "Copyright",
    "Privacy policy",
    "newsletter",
]
FILLER = (
    "The talks in Rome lasted seven hours and covered the war in Ukraine, sanctions and trade between the two "
    "countries, officials said after the meeting ended late on Monday."
)


def convert(page: bytes | str, name: str = "page.html"):
    data = page.encode("utf-8") if isinstance(page, str) else page
    return HtmlConverter().convert(data, name)


def article(*paragraphs: str, head: str = "<meta charset='utf-8'><title>Talks</title>") -> str:
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head>{head}</head><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
        f"<article><h1>Talks end in Rome</h1>{body}</article><footer>Copyright 2022</footer></body></html>"
    )


def test_the_news_page_gives_its_article_and_none_of_the_page_around_it():
    converted = convert((DATA / "convert" / "news-page.html").read_bytes(), "news-page.html")
    blocks = converted.text.split("\n\n")
    assert blocks == ["Officials warn of sanctions after Rome talks", *NEWS_PARAGRAPHS]
    for words in BOILERPLATE:
        assert words.lower() not in converted.text.lower()


def test_the_news_pages_source_record_holds_its_metadata_and_trafilaturas_version():
    data = (DATA / "convert" / "news-page.html").read_bytes()
    source = convert(data, "news-page.html").source
    assert (source.kind, source.name, source.sha256) == ("html", "news-page.html", sha256_hex(data))
    assert (source.converter, source.converter_version) == ("trafilatura", trafilatura.__version__)
    assert dict(source.metadata) == {
        "title": "Officials warn of sanctions after Rome talks",
        "author": "Maria Keller",
        "date": "2022-03-15",
        "url": "https://ledger.example/world/2022/03/15/rome-talks",
        "sitename": "The Daily Ledger",
    }
    assert source.left_out == ()


def test_the_sample_article_saved_as_a_web_page_gives_its_paragraphs_exactly():
    paragraphs = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line]
    converted = convert((DATA / "convert" / "sample-article.html").read_bytes(), "sample-article.html")
    assert converted.text == "\n\n".join(paragraphs)
    assert converted.source.metadata["title"] == "Sullivan and Yang Jiechi hold seven hours of talks in Rome"


def test_a_page_without_article_text_is_refused():
    page = (
        "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav><footer>(c)</footer></body></html>"
    )
    with pytest.raises(ConversionError) as caught:
        convert(page, "menu.html")
    assert str(caught.value) == "menu.html: the page holds no article text"


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n\x00\x00binary", b"just a line of text"])
def test_empty_and_non_html_bytes_are_refused_as_holding_no_article_text(data):
    with pytest.raises(ConversionError, match="the page holds no article text"):
        convert(data, "odd.html")


def test_line_breaks_inside_a_paragraph_stay_single_and_no_carriage_return_is_kept():
    page = article("First line of the statement", FILLER).replace("statement", "statement<br>second line")
    text = convert(page.replace("><", ">\r\n<")).text
    assert "First line of the statement\nsecond line\n\n" + FILLER in text
    assert "\r" not in text


def _trafilatura_normalised(text: str) -> str:
    """What the module docstring says trafilatura does to a paragraph's text."""
    printable = "".join(c for c in text if c.isprintable() or c.isspace())
    return unicodedata.normalize("NFC", " ".join(printable.split()))


TRAPS = json.loads((DATA / "unicode-traps.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", TRAPS, ids=[case["name"] for case in TRAPS])
def test_trap_texts_in_a_paragraph_come_out_as_trafilatura_extracts_them(case):
    page = article(FILLER, case["text"], FILLER)
    text = convert(page).text
    # nothing is shifted after trafilatura: its own plain text, with blank lines between blocks
    reference = trafilatura.extract(page, output_format="txt", **{**TRAFILATURA_OPTIONS, "with_metadata": False})
    assert text.replace("\n\n", "\n") == reference
    expected = _trafilatura_normalised(case["text"])
    assert text.split("\n\n")[-2] == expected
    if expected == case["text"]:  # kept as it is: every span lands on its text, offsets shifted by the paragraph's
        start = text.index(expected)
        for span in case["spans"]:
            assert text[start + span["start"] : start + span["end"]] == span["text"]


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        ("nbsp-and-tabs", "Price said: \u201cno comment.\u201d Officials denied it."),
        ("zwj-sequence", "The \U0001f468\U0001f469\U0001f467 delegation warned of sanctions."),
        ("combining-marks", "Zo\u00eb Martin and the caf\u00e9 owner claimed the deal failed."),
        ("unicode-line-separators", "First part Sullivan warned. Yang denied it."),
        ("zero-width-and-soft-hyphen", "Sanctions were denied by Moscow officials."),
    ],
)
def test_what_trafilatura_changes_is_as_documented(name, changed):
    case = next(case for case in TRAPS if case["name"] == name)
    assert convert(article(FILLER, case["text"], FILLER)).text.split("\n\n")[-2] == changed


QUOTE = "\u201cWe\u2019ve made it very clear,\u201d Price said about the caf\u00e9 talks."


def test_a_windows_1252_page_is_read_by_its_meta_charset():
    page = article(FILLER, QUOTE, head='<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
    assert QUOTE in convert(page.encode("cp1252")).text


def test_a_page_without_a_declared_charset_is_detected():
    page = article(FILLER, QUOTE, FILLER, head="<title>Talks</title>")
    assert QUOTE in convert(page.encode("cp1252")).text


def test_the_http_charset_comes_before_the_pages_meta_and_a_bom_before_both():
    cyrillic = "<html><head><meta charset='windows-1252'></head><body><p>Москва отрицает</p></body></html>"
    assert "Москва отрицает" in decode_html(cyrillic.encode("cp1251"), "windows-1251")
    assert "Москва отрицает" in decode_html(b"\xef\xbb\xbf" + cyrillic.encode("utf-8"), "windows-1251")


def test_a_meta_charset_that_cannot_be_right_is_passed_over():
    page = "<html><head><meta charset='utf-16'><meta charset='no-such-code'></head><body>caf\u00e9</body></html>"
    assert decode_html(page.encode("utf-8")).endswith("caf\u00e9</body></html>")
    latin1 = "<html><head><meta charset='iso-8859-1'></head><body>\u201cno\u201d</body></html>"
    assert "\u201cno\u201d" in decode_html(latin1.encode("cp1252"))  # WHATWG: ISO-8859-1 means windows-1252
