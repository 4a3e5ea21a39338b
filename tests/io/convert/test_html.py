"""Web pages to text with trafilatura: the article without the page around it, its metadata, the page's encoding,
and exactly what trafilatura extracted (the trap corpus placed in an article's paragraphs)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
import trafilatura
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.io.convert.align import text_key
from annotator.io.convert.boilerplate import notice_kind
from annotator.io.convert.html import CONVERTER, FURNITURE_NOTE, TRAFILATURA_OPTIONS, HtmlConverter, decode_html
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
    assert (source.converter, source.converter_version) == (CONVERTER, trafilatura.__version__)
    assert CONVERTER == "trafilatura+annotator-align/2"
    assert dict(source.metadata) == {
        "title": "Officials warn of sanctions after Rome talks",
        "author": "Maria Keller",
        "date": "2022-03-15",
        "url": "https://ledger.example/world/2022/03/15/rome-talks",
        "sitename": "The Daily Ledger",
    }
    assert source.left_out == (FURNITURE_NOTE,)  # its navigation, banner, related links, comments and footer


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


NOTICE = (
    "We use cookies to improve your experience on our site and to show you relevant advertising. By continuing to "
    "browse you agree to our use of cookies."
)
PROMPT = "Sign up for our morning newsletter and get the day's most important stories delivered to your inbox."


def test_a_page_of_navigation_cookie_banner_related_links_comments_and_footer_only_is_refused():
    # trafilatura, finding no article, falls back to its "wild" paragraphs: the banner and the newsletter prompt
    with pytest.raises(ConversionError) as caught:
        convert((DATA / "convert" / "no-article-page.html").read_bytes(), "world.html")
    assert str(caught.value) == "world.html: the page holds no article text"


def test_a_short_article_of_two_paragraphs_is_kept_without_the_banner_trafilatura_adds_to_it():
    page = (
        "<html><head><meta charset='utf-8'><title>Envoys meet</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<div class='notice'><p>{NOTICE}</p></div><article><h1>Envoys meet</h1>"
        "<p>The two envoys met in Rome on Monday.</p><p>No statement was issued afterwards.</p></article>"
        f"<footer><p>{PROMPT}</p></footer></body></html>"
    )
    converted = convert(page)
    assert (
        converted.text == "Envoys meet\n\nThe two envoys met in Rome on Monday.\n\nNo statement was issued afterwards."
    )
    assert converted.source.left_out == (FURNITURE_NOTE, "a cookie or consent notice")


def test_a_page_that_is_only_its_article_records_nothing_left_out():
    paragraphs = f"<p>{FILLER}</p><p>A second round of talks is planned.</p>"
    page = f"<html><head><meta charset='utf-8'></head><body><article>{paragraphs}</article></body></html>"
    assert convert(page).source.left_out == ()


@pytest.mark.parametrize(
    "block",
    [
        NOTICE,
        "This website uses cookies. Accept all cookies or manage your preferences.",
        "We and our partners use cookies to personalise content. You consent to this by clicking Accept.",
        PROMPT,
        "Subscribe now",
        "Register for our free e-mail updates.",
    ],
)
def test_cookie_notices_and_newsletter_prompts_are_furniture(block):
    assert notice_kind(block) is not None


@pytest.mark.parametrize(
    "block",
    [
        "Regulators said websites must let users refuse cookies as easily as they accept them.",
        "The bakery sold 400 cookies on Monday, the owner said, and will open a second shop.",
        "Readers who subscribe to the paper's print edition received the supplement on Sunday.",
        "Officials said they had agreed to consent to an inspection. " * 12 + "We use cookies, one said.",
    ],
)
def test_news_paragraphs_about_cookies_or_subscriptions_are_not_furniture(block):
    assert notice_kind(block) is None


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n\x00\x00binary", b"just a line of text"])
def test_empty_and_non_html_bytes_are_refused_as_holding_no_article_text(data):
    with pytest.raises(ConversionError, match="the page holds no article text"):
        convert(data, "odd.html")


def test_line_breaks_inside_a_paragraph_stay_single_and_no_carriage_return_is_kept():
    page = article("First line of the statement", FILLER).replace("statement", "statement<br>second line")
    text = convert(page.replace("><", ">\r\n<")).text
    assert "First line of the statement\nsecond line\n\n" + FILLER in text
    assert "\r" not in text


TRAPS = json.loads((DATA / "unicode-traps.json").read_text(encoding="utf-8"))["cases"]


def html_rendered(text: str) -> tuple[str, list[int]]:
    """``text`` as HTML renders it in a paragraph (runs of ASCII white space one space, none at either end), with the
    rendered offset of each offset of ``text`` (``len(text) + 1`` entries)."""
    rendered: list[str] = []
    offsets: list[int] = []
    for char in text:
        offsets.append(len(rendered))
        if char in " \t\n\r\f":
            if rendered and rendered[-1] != " ":
                rendered.append(" ")
        else:
            rendered.append(char)
    offsets.append(len(rendered))
    while rendered and rendered[-1] == " ":
        rendered.pop()
    return "".join(rendered), [min(offset, len(rendered)) for offset in offsets]


@pytest.mark.parametrize("case", TRAPS, ids=[case["name"] for case in TRAPS])
def test_trap_texts_in_a_paragraph_come_out_exactly_as_the_page_renders_them(case):
    page = article(FILLER, case["text"], FILLER)
    converted = convert(page)
    expected, offsets = html_rendered(case["text"])
    assert converted.text.split("\n\n") == ["Talks end in Rome", FILLER, expected, FILLER]
    assert converted.source.left_out == (FURNITURE_NOTE,)  # article()'s navigation and footer; nothing rewritten
    start = converted.text.index(expected)
    for span in case["spans"]:
        assert converted.text[start + offsets[span["start"]] : start + offsets[span["end"]]] == span["text"]
    # the paragraphs are trafilatura's: its text is the same but for what it normalises
    reference = trafilatura.extract(page, output_format="txt", **{**TRAFILATURA_OPTIONS, "with_metadata": False})
    assert text_key(converted.text)[0] == text_key(reference)[0]


@pytest.mark.parametrize(
    "name",
    ["nbsp-and-tabs", "zwj-sequence", "combining-marks", "unicode-line-separators", "zero-width-and-soft-hyphen"],
)
def test_the_characters_trafilatura_changes_are_the_pages_own(name):
    case = next(case for case in TRAPS if case["name"] == name)
    page = article(FILLER, case["text"], FILLER)
    reference = trafilatura.extract(page, output_format="txt", **{**TRAFILATURA_OPTIONS, "with_metadata": False})
    assert html_rendered(case["text"])[0] not in reference  # trafilatura alone changes it
    assert html_rendered(case["text"])[0] in convert(page).text


def test_ascii_white_space_in_a_paragraph_collapses_as_html_renders_it_and_nbsp_and_the_like_stay():
    paragraph = "Price\u00a0said:\r\n\t \u201cno\u00a0comment.\u201d\f\u2028Mos\u200bcow\u00ad \u200d\rdenied."
    page = article(FILLER, paragraph, FILLER).replace("<p>Price", "<p>\r\n  Price")
    text = convert(page).text
    assert (
        text.split("\n\n")[2] == "Price\u00a0said: \u201cno\u00a0comment.\u201d \u2028Mos\u200bcow\u00ad \u200d denied."
    )


def test_a_paragraph_trafilatura_rewrote_beyond_its_normalising_is_its_text_and_the_record_says_so():
    page = article(FILLER, "Officials said the deal &amp; the talks failed.", FILLER)  # escaped again: &amp;amp;
    converted = convert(page)
    assert converted.text.split("\n\n")[1:] == [FILLER, "Officials said the deal & the talks failed.", FILLER]
    assert converted.source.left_out == (
        FURNITURE_NOTE,
        "1 paragraph as trafilatura rewrote it, not as the page writes it",
    )


def test_lists_and_tables_keep_trafilaturas_markers_around_the_pages_text():
    body = (
        f"<p>{FILLER}</p><ul><li>First\u00a0item of the\u200blist</li><li>Second <b>item</b></li></ul>"
        "<table><tr><th>Name</th><th>Role</th></tr><tr><td>Zoe\u0308\u00a0Martin</td><td>adviser</td></tr></table>"
        f"<p>{FILLER}</p>"
    )
    page = f"<html><head><meta charset='utf-8'></head><body><article>{body}</article></body></html>"
    converted = convert(page)
    assert converted.text.split("\n\n") == [
        FILLER,
        "- First\u00a0item of the\u200blist\n- Second item",
        "| Name | Role | \n|---|---|\n| Zoe\u0308\u00a0Martin | adviser | ",
        FILLER,
    ]
    assert converted.source.left_out == ()


def test_preformatted_text_keeps_its_white_space_but_no_empty_line():
    page = article(FILLER, "x", FILLER).replace("<p>x</p>", "<pre>code\u00a0 line\r\n\n   indented\tpart</pre>")
    assert convert(page).text.split("\n\n")[2] == "code\u00a0 line\n   indented\tpart"


WORD = st.text(st.sampled_from("abcdefghXYZ\u00e9\u0915\u0645\u4e2d"), min_size=1, max_size=6)
MARK = st.sampled_from("\u0301\u0308\u0327\u200d\u200c\u200b\u00ad\u200e\u200f\u2060\ufeff")
SEPARATOR = st.sampled_from([" ", "\u00a0", "\u2028", "\u2029", " \u00a0", "\u00a0\u200d", "\u202f"])


@st.composite
def paragraphs(draw) -> str:
    words = []
    for _ in range(draw(st.integers(1, 12))):
        word = draw(WORD)
        marks = draw(st.lists(st.tuples(st.integers(1, len(word)), MARK), max_size=3))
        for at, mark in sorted(marks, reverse=True):
            word = word[:at] + mark + word[at:]
        words.append(word)
    separators = [draw(SEPARATOR) for _ in words]
    return "Officials said " + "".join(w + s for w, s in zip(words, separators, strict=True)) + "on Monday."


@settings(max_examples=40, derandomize=True, deadline=None)
@given(paragraphs())
def test_random_text_with_format_characters_nbsp_and_combining_marks_comes_out_exactly(paragraph):
    converted = convert(article(FILLER, paragraph, FILLER))
    assert converted.text.split("\n\n") == ["Talks end in Rome", FILLER, paragraph, FILLER]


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
