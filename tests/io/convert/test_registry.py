"""Converters by suffix, saved pages given as a folder, and files converted in the sandbox."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.io.convert.registry import convert_file, converter_for, page_file, supported_suffixes
from annotator.io.convert.source import ConversionError

CONVERT = Path(__file__).resolve().parents[2] / "data" / "convert"


@pytest.fixture
def saved_page(tmp_path: Path) -> Path:
    """The sample article saved as "Webpage, complete": sample-article.html beside sample-article_files/."""
    shutil.copy(CONVERT / "sample-article.html", tmp_path)
    shutil.copytree(CONVERT / "sample-article_files", tmp_path / "sample-article_files")
    return tmp_path


def test_web_pages_are_supported_by_their_suffixes():
    assert {".htm", ".html"} <= set(supported_suffixes())
    assert converter_for("Story.HTM").kind == "html"


def test_an_unknown_suffix_is_refused_with_what_can_be_converted():
    with pytest.raises(ConversionError) as caught:
        converter_for("notes.odt")
    assert caught.value.reason.startswith("cannot convert .odt files (these can be: ")
    assert ".html" in caught.value.reason
    with pytest.raises(ConversionError, match="cannot convert files without a suffix"):
        convert_file(CONVERT / "no-suffix")


def test_a_saved_page_converts_from_its_html_file_in_the_sandbox(saved_page: Path):
    converted = convert_file(saved_page / "sample-article.html")
    assert converted.text.startswith("White House National Security Adviser Jake Sullivan held talks in Rome")
    assert converted.source.kind == "html"
    assert converted.source.name == "sample-article.html"
    assert converted.source.converter == "trafilatura+annotator-align/2"


def test_a_saved_pages_files_folder_stands_for_the_page_beside_it(saved_page: Path):
    (saved_page / "sample-article_files" / "frame.html").write_text("<p>an embedded frame</p>", encoding="utf-8")
    assert page_file(saved_page / "sample-article_files") == saved_page / "sample-article.html"
    assert convert_file(saved_page / "sample-article_files").source.name == "sample-article.html"


def test_a_folder_holding_one_page_stands_for_it(saved_page: Path):
    assert page_file(saved_page) == saved_page / "sample-article.html"


def test_a_folder_with_no_page_or_several_is_refused(saved_page: Path, tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConversionError) as caught:
        page_file(empty)
    assert str(caught.value) == f"{empty}: a folder without a web page (.html or .htm) in it"
    (saved_page / "other.htm").write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(ConversionError) as caught:
        page_file(saved_page)
    assert caught.value.reason == "a folder holding 2 web pages (other.htm, sample-article.html): open one of them"


def test_a_refusal_names_the_path_as_given(tmp_path: Path):
    page = tmp_path / "menu.html"
    page.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    with pytest.raises(ConversionError) as caught:
        convert_file(page)
    assert str(caught.value) == f"{page}: the page holds no article text"


def test_a_missing_file_is_refused_with_the_reason(tmp_path: Path):
    with pytest.raises(ConversionError) as caught:
        convert_file(tmp_path / "gone.html")
    assert caught.value.reason == "cannot be read: No such file or directory"


def test_a_file_larger_than_the_memory_limit_is_refused_before_reading(tmp_path: Path):
    page = tmp_path / "huge.html"
    page.write_bytes(b"<p>" + b"x" * (2 << 20) + b"</p>")
    with pytest.raises(ConversionError) as caught:
        convert_file(page, memory_limit=1 << 20)
    assert caught.value.reason == "larger than the 1 MB a conversion may use: refused"


def test_the_limits_reach_the_sandbox(tmp_path: Path):
    page = tmp_path / "slow.html"
    page.write_bytes((CONVERT / "news-page.html").read_bytes())
    with pytest.raises(ConversionError) as caught:
        convert_file(page, time_limit=0.001)
    assert caught.value.reason == "took longer than 0.001 s: refused"
