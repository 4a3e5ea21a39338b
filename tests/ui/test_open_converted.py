"""File → Open and projects with web pages, Word and PDF files: converted off the GUI thread ("Converting…" in the
status bar, the window usable meanwhile), shown when done, never converted again once annotated, re-anchored (and the
source record renewed) when the original changed, and a refused file named in the usual message."""

from __future__ import annotations

import io
import json

from docx import Document as WordDocument

from annotator.io.convert.source import sha256_hex
from annotator.ui.main.document_list import TYPE_COLUMN
from annotator.ui.main.projects import OPEN_FILTER
from tests.ui.test_suggesting_attribution import ManualExecutor


def word_file(paragraphs: list[str]) -> bytes:
    document = WordDocument()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_file_converts_off_the_gui_thread_and_reopens_without_converting(window, tmp_path):
    path = tmp_path / "talks.docx"
    path.write_bytes(word_file(["Officials met in Rome.", "Price warned."]))
    executor = window.converting.executor = ManualExecutor()

    assert window.open_path(path)  # started
    assert len(executor.jobs) == 1 and window.controller.annotations is None
    assert window.statusBar().currentMessage() == "Converting talks.docx…"
    executor.run_all()  # the worker's part: the child process converts
    annotations = window.controller.annotations
    assert annotations is not None and annotations.text == "Officials met in Rome.\n\nPrice warned."
    assert window.sessions.session.save_path == tmp_path / "talks.docx.annotations.json"

    annotations.insert(annotations.new_span(24, 29, "actor"))
    assert window.sessions.save_session(quiet=False)
    record = json.loads((tmp_path / "talks.docx.annotations.json").read_text(encoding="utf-8"))["metadata"]["source"]
    assert record["name"] == "talks.docx" and record["sha256"] == sha256_hex(path.read_bytes())

    window.sessions.close()
    assert window.open_path(path)
    assert executor.jobs == []  # opened at once from the annotation file: nothing converted
    assert [s.text for s in window.controller.annotations] == ["Price"]


def test_a_changed_original_is_re_anchored_and_its_new_record_saved(window, questions, tmp_path):
    path = tmp_path / "talks.docx"
    path.write_bytes(word_file(["Officials met in Rome.", "Price warned."]))
    window.converting.executor = ManualExecutor(at_once=True)
    assert window.open_path(path)
    annotations = window.controller.annotations
    annotations.insert(annotations.new_span(24, 29, "actor"))
    assert window.sessions.save_session(quiet=False)
    window.sessions.close()
    path.write_bytes(word_file(["Update: officials met in Rome.", "Price warned."]))
    questions.script(reanchor=True)

    assert window.open_path(path)
    annotations = window.controller.annotations
    assert annotations.text.startswith("Update:")
    assert [(s.text, annotations.text[s.start : s.end]) for s in annotations] == [("Price", "Price")]
    saved = json.loads((tmp_path / "talks.docx.annotations.json").read_text(encoding="utf-8"))
    assert saved["metadata"]["source"]["sha256"] == sha256_hex(path.read_bytes())
    assert saved["document"]["text"] == annotations.text


def test_a_refused_file_gets_the_usual_one_line_message(window, qtbot, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4 nothing else")
    assert window.open_path(path)  # a real worker thread and child process
    qtbot.waitUntil(lambda: window.last_message is not None, timeout=60_000)
    text = window.last_message.text()
    assert "scan.pdf" in text and "broken PDF" in text and "\n" not in text
    assert window.controller.annotations is None


def test_a_project_lists_a_word_document_with_its_type_and_opens_it_converted(window, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "a.txt").write_text("Plain text.", encoding="utf-8")
    (project / "b.docx").write_bytes(word_file(["Sullivan warned China."]))
    executor = window.converting.executor = ManualExecutor()
    assert window.open_path(project)
    model = window.documents.model
    rows = {model.entry(row).id: model.data(model.index(row, TYPE_COLUMN)) for row in range(model.rowCount())}
    assert rows == {"a.txt": "text", "b.docx": "Word"}

    window.projects.open_document_id("b.docx")
    assert len(executor.jobs) == 1
    executor.run_all()
    assert window.projects.document_id == "b.docx"
    assert window.controller.annotations.text == "Sullivan warned China."
    assert window.sessions.session.save_path == project / "annotations" / "tester" / "b.docx.annotations.json"


def test_file_open_offers_web_pages_word_and_pdf_files():
    first = OPEN_FILTER.split(";;")[0]
    for pattern in ("*.txt", "*.html", "*.htm", "*.docx", "*.pdf", "*.annotations.json"):
        assert pattern in first
