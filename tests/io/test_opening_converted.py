"""Opening web pages, Word and PDF files: converted once (cache first), the source recorded in the annotation file,
never converted again while the original is the same, re-anchored when it changed, refused with one line."""

from __future__ import annotations

import io
import json
import shutil
from importlib.metadata import version
from pathlib import Path

import pytest
from docx import Document as WordDocument
from fpdf import FPDF

from annotator.io import annotation_file
from annotator.io.convert import cache
from annotator.io.convert.registry import convert_file
from annotator.io.convert.source import Converted, sha256_hex
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set
from annotator.io.opening import conversion_needed, is_converted, kind_of, open_document
from annotator.io.source_record import source_record_of
from tests.conftest import DATA, trap_cases


class Spy:
    """Counts the conversions (the real converter in its child process does the work)."""

    def __init__(self) -> None:
        self.calls: list[Path] = []

    def __call__(self, path: Path) -> Converted:
        self.calls.append(path)
        return convert_file(path)


def word_file(paragraphs: list[str]) -> bytes:
    document = WordDocument()
    document.core_properties.title = "Talks in Rome"
    for paragraph in paragraphs:
        document.add_paragraph().add_run(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_file(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def add(annotations, start: int, end: int, label: str):
    span = annotations.new_span(start, end, label)
    annotations.insert(span)
    return span


def open_it(path: Path, spy: Spy):
    return open_document(path, default_label_set(), "ana", convert=spy)


def test_a_web_page_is_converted_annotated_saved_and_reopened_without_converting(tmp_path):
    page = tmp_path / "news.html"
    shutil.copy(DATA / "convert" / "news-page.html", page)
    spy = Spy()

    opened = open_it(page, spy)
    assert len(spy.calls) == 1
    assert opened.save_path == tmp_path / "news.html.annotations.json"
    assert opened.text_path == page and not opened.text_mismatch
    text = opened.annotations.text
    word = text.split()[0]
    add(opened.annotations, 0, len(word), "actor")
    annotation_file.save(opened.annotations, opened.save_path)

    saved = json.loads(opened.save_path.read_text(encoding="utf-8"))
    assert saved["format_version"] == 5  # for the default label set's attributes; the source record (metadata) needs 4
    source = saved["metadata"]["source"]
    assert source["kind"] == "html" and source["name"] == "news.html"
    assert source["sha256"] == sha256_hex(page.read_bytes())
    assert (source["converter"], source["converter_version"]) == (
        "trafilatura+annotator-align/2",
        version("trafilatura"),
    )
    assert isinstance(source["metadata"], dict)

    shutil.rmtree(cache.cache_dir())  # the annotation file alone: nothing is converted
    assert not conversion_needed(page, opened.save_path)
    again = open_it(page, spy)
    assert len(spy.calls) == 1
    assert again.annotations.text == text and len(again.annotations) == 1
    assert again.notice == "Loaded 1 spans from news.html.annotations.json."


def test_an_unannotated_document_comes_from_the_cache_the_second_time(tmp_path):
    path = tmp_path / "talks.docx"
    path.write_bytes(word_file(["Officials met in Rome.", "Price warned."]))
    spy = Spy()
    first = open_it(path, spy)
    assert conversion_needed(path, first.save_path) is False  # cached now
    second = open_it(path, spy)
    assert len(spy.calls) == 1
    assert second.annotations.text == first.annotations.text == "Officials met in Rome.\n\nPrice warned."
    record, notice = source_record_of(second.annotations.metadata)
    assert notice == "" and record is not None and record.kind == "docx" and record.metadata["title"] == "Talks in Rome"
    assert kind_of(path) == "docx" and is_converted(path)
    version = f"python-docx {record.converter_version}"
    assert first.notice == f"Converted talks.docx ({version})."
    assert second.notice == f"Opened talks.docx from its cached conversion ({version}); nothing was converted."


def test_a_corrupt_cache_entry_is_ignored_and_written_anew(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_file(["Beijing denied it."]))
    spy = Spy()
    assert conversion_needed(path, tmp_path / "a.pdf.annotations.json")
    open_it(path, spy)
    entry = cache.entry_path(sha256_hex(path.read_bytes()), "pdf")
    entry.write_bytes(b'{"text": 3')
    opened = open_it(path, spy)
    assert len(spy.calls) == 2 and opened.annotations.text == "Beijing denied it."
    assert json.loads(entry.read_bytes())["text"] == "Beijing denied it."
    open_it(path, spy)
    assert len(spy.calls) == 2


def test_a_changed_original_is_converted_again_and_goes_through_re_anchoring(tmp_path):
    path = tmp_path / "talks.docx"
    path.write_bytes(word_file(["Officials met in Rome.", "Price warned."]))
    spy = Spy()
    opened = open_it(path, spy)
    add(opened.annotations, 24, 29, "actor")  # "Price"
    annotation_file.save(opened.annotations, opened.save_path)
    path.write_bytes(word_file(["Update: officials met in Rome.", "Price warned."]))

    again = open_it(path, spy)
    assert len(spy.calls) == 2
    assert again.text_mismatch and again.text_document is not None
    assert again.text_document.text == "Update: officials met in Rome.\n\nPrice warned."
    assert again.annotations.text == "Officials met in Rome.\n\nPrice warned."  # the text it was made on
    assert again.source is not None and again.source.sha256 == sha256_hex(path.read_bytes())


def test_a_refused_file_is_one_line_naming_it(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(FileFault) as raised:
        open_it(path, Spy())
    message = raised.value.message
    assert "scan.pdf" in message and "\n" not in message and "Traceback" not in message
    assert not (tmp_path / "scan.pdf.annotations.json").exists()


def test_a_bad_source_record_is_ignored_with_a_notice_never_refusing_the_file(tmp_path):
    path = tmp_path / "talks.docx"
    path.write_bytes(word_file(["Officials met in Rome."]))
    spy = Spy()
    opened = open_it(path, spy)
    opened.annotations.metadata["source"] = {"kind": "docx"}  # no sha256...
    annotation_file.save(opened.annotations, opened.save_path)
    again = open_it(path, spy)
    assert "The source record in the annotation file is ignored (source record without 'name')" in again.notice
    assert not again.text_mismatch and again.annotations.text == "Officials met in Rome."
    record, _ = source_record_of(again.annotations.metadata)
    assert record is not None and record.sha256 == sha256_hex(path.read_bytes())  # named again


def test_a_plain_string_source_is_an_imported_files_own_metadata_and_no_record():
    assert source_record_of({"source": "Reuters"}) == (None, "")
    assert source_record_of({}) == (None, "")


def test_a_saved_pages_folder_opens_its_page(tmp_path):
    shutil.copy(DATA / "convert" / "sample-article.html", tmp_path / "sample-article.html")
    shutil.copytree(DATA / "convert" / "sample-article_files", tmp_path / "sample-article_files")
    opened = open_it(tmp_path / "sample-article_files", Spy())
    assert opened.save_path == tmp_path / "sample-article.html.annotations.json"
    assert opened.text_path == tmp_path / "sample-article.html"
    assert opened.annotations.text


def test_trap_corpus_spans_in_a_word_document_keep_their_offsets_through_save_and_reopen(tmp_path):
    cases = [case for case in trap_cases() if "\r" not in case["text"]]  # Word has one kind of line break
    path = tmp_path / "traps.docx"
    path.write_bytes(word_file([case["text"] for case in cases]))
    spy = Spy()
    opened = open_it(path, spy)
    text = opened.annotations.text
    expected = []
    start = 0
    for case in cases:
        assert text[start : start + len(case["text"])] == case["text"], case["name"]
        for span in case["spans"]:
            made = add(opened.annotations, start + span["start"], start + span["end"], "claim")
            expected.append((made.start, made.end, span["text"]))
        start += len(case["text"]) + 2
    annotation_file.save(opened.annotations, opened.save_path)
    again = open_it(path, spy)
    assert len(spy.calls) == 1
    got = sorted((s.start, s.end, s.text) for s in again.annotations)
    assert got == sorted(expected)
    assert all(again.annotations.text[s:e] == t for s, e, t in got)
