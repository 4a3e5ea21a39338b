"""File → Open URL… (the page fetched off the GUI thread, kept as a file, opened with its URL) and File → New
Document from Clipboard (the copied text exactly, as a new .txt file): in a project and outside, and each failure."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.io.convert.source import ConversionError
from annotator.io.convert.url import convert_url
from annotator.ui.main_window import MainWindow
from tests.io.convert.local_server import serving
from tests.io.convert.test_url import NEWS, Pages
from tests.ui.test_suggesting_attribution import ManualExecutor

TITLE = "Officials warn of sanctions after Rome talks"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(Pages) as url:
        yield url


@pytest.fixture
def opened(window: MainWindow) -> list[tuple[Path, object]]:
    """What Open URL hands to the window's open path: ``(saved file, its conversion)`` (the open path itself reads
    web pages in the converted-documents branch)."""
    calls: list[tuple[Path, object]] = []
    window.incoming.open_page = lambda path, converted: calls.append((path, converted)) or True
    window.incoming.executor = ManualExecutor(at_once=True)
    return calls


def project(window: MainWindow, folder: Path) -> Path:
    folder.mkdir()
    (folder / "first.txt").write_text("Officials met in Rome.", encoding="utf-8")
    assert window.projects.open_project(folder)
    return folder


def test_open_url_in_a_project_saves_the_page_under_the_name_confirmed_and_opens_it(
    window, questions, server, opened, tmp_path
):
    folder = project(window, tmp_path / "news")
    (folder / f"{TITLE}.html").write_bytes(b"<p>another page</p>")  # taken: the next free name is offered
    questions.script(text=lambda title, caption, text: f"{server}/moved" if title == "Open URL" else text)
    window.actions_by_id["file.open_url"].trigger()
    assert questions.questions("text")[1][2] == f"{TITLE} (2).html"
    path, converted = opened[0]
    assert path == folder / f"{TITLE} (2).html"
    assert path.read_bytes() == NEWS  # the page as the server sent it
    assert (folder / f"{TITLE}.html").read_bytes() == b"<p>another page</p>"
    expected = convert_url(f"{server}/news")
    assert converted.text == expected.text
    assert (converted.source.kind, converted.source.name) == ("url", f"{server}/news")  # the final URL
    assert converted.source.metadata["url"] == f"{server}/news"
    assert converted.source.metadata["page_url"] == "https://ledger.example/world/2022/03/15/rome-talks"
    assert converted.source.sha256 == expected.source.sha256


def test_open_url_outside_a_project_saves_where_the_save_dialog_says(window, questions, server, opened, tmp_path):
    questions.script(text=f"{server}/news", save_file=tmp_path / "rome")
    window.incoming.open_url_dialog()
    assert questions.questions("save_file")[0][1] == f"{TITLE}.html"
    assert opened[0][0] == tmp_path / "rome.html"
    assert (tmp_path / "rome.html").read_bytes() == NEWS


def test_the_page_is_fetched_off_the_gui_thread_with_a_status_message(window, questions, server, opened, tmp_path):
    executor = window.incoming.executor = ManualExecutor()
    questions.script(text=f"{server}/news", save_file=tmp_path / "page.html")
    window.incoming.open_url_dialog()
    assert window.statusBar().currentMessage() == f"Fetching {server}/news…"
    assert window.incoming.fetching and not opened and len(executor.jobs) == 1
    window.incoming.open_url_dialog()  # one fetch at a time: not asked again
    assert len(questions.questions("text")) == 1 and len(executor.jobs) == 1
    executor.run_all()
    assert opened[0][0] == tmp_path / "page.html"
    assert not window.incoming.fetching


def test_the_fetch_runs_in_a_worker_thread_by_default(window, questions, server, qtbot, tmp_path):
    calls: list[tuple[Path, object]] = []
    window.incoming.open_page = lambda path, converted: calls.append((path, converted)) or True
    threads: list[str] = []
    fetch = window.incoming._fetch
    window.incoming._fetch = lambda url: threads.append(threading.current_thread().name) or fetch(url)
    questions.script(text=f"{server}/news", save_file=tmp_path / "page.html")
    window.incoming.open_url_dialog()
    qtbot.waitUntil(lambda: bool(calls), timeout=60_000)
    assert threads[0].startswith("fetch") and threads[0] != threading.main_thread().name


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ("/missing", "the server answered 404 Not Found"),
        ("/pdf", "not a web page (its content type is application/pdf)"),
        ("/menu", "the page holds no article text"),
    ],
)
def test_each_failure_is_one_plain_message_and_nothing_is_saved(
    window, questions, server, opened, tmp_path, route, reason
):
    questions.script(text=f"{server}{route}", save_file=tmp_path / "page.html")
    window.incoming.open_url_dialog()
    assert window.last_message.text() == f"{server}{route}: {reason}"
    assert not opened and not questions.questions("save_file") and not (tmp_path / "page.html").exists()
    assert window.statusBar().currentMessage() == ""


def test_a_bad_address_is_refused_and_a_cancelled_one_does_nothing(window, questions, opened):
    questions.script(text="ftp://example.org/a")
    window.incoming.open_url_dialog()
    assert (
        window.last_message.text()
        == "ftp://example.org/a: only http:// and https:// addresses can be opened, not ftp://"
    )
    window.last_message = None
    questions.script(text=None)
    window.incoming.open_url_dialog()
    assert window.last_message is None and not opened


def test_a_save_dialog_answer_that_exists_is_never_written_over(window, questions, server, opened, tmp_path):
    (tmp_path / "page.html").write_bytes(b"mine")
    questions.script(text=f"{server}/news", save_file=tmp_path / "page.html")
    window.incoming.open_url_dialog()
    assert (tmp_path / "page.html").read_bytes() == b"mine"
    assert "already exists" in window.last_message.text() and not opened


CLIPPED = (
    "\ufeffPrice said:\u00a0\u201cno comment\u201d \U0001f468\u200d\U0001f469\u200d\U0001f467\r\ncaf\u00e9 talks\r\n"
)


def test_the_clipboard_becomes_a_text_file_exactly_as_copied_outside_a_project(window, questions, tmp_path):
    window.incoming.clipboard_text = lambda: CLIPPED
    questions.script(save_file=tmp_path / "clip.txt")
    window.actions_by_id["file.new_from_clipboard"].trigger()
    assert questions.questions("save_file")[0][1] == "Price said no comment café talks.txt"
    assert (tmp_path / "clip.txt").read_bytes() == CLIPPED[1:].encode("utf-8")  # the BOM left out, CR LF kept
    assert window.controller.annotations.text == CLIPPED[1:]
    assert window.controller.annotations.document.source.line_ending == "CRLF"


def test_the_system_clipboards_plain_text_is_read(window, questions, tmp_path):
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText("Beijing denied\u00a0it.\r\nTwice.")
    questions.script(save_file=tmp_path / "clip.txt")
    window.incoming.new_from_clipboard()
    assert (tmp_path / "clip.txt").read_bytes() == "Beijing denied\u00a0it.\r\nTwice.".encode()


def test_the_clipboard_in_a_project_is_a_new_document_under_the_name_confirmed(window, questions, tmp_path):
    folder = project(window, tmp_path / "news")
    (folder / "Price said no comment café talks.txt").write_text("taken", encoding="utf-8")
    window.incoming.clipboard_text = lambda: CLIPPED
    answers = iter(["first.txt", "statement"])
    questions.script(text=lambda title, caption, text: next(answers))
    window.incoming.new_from_clipboard()
    asked = questions.questions("text")
    assert asked[0][2] == "Price said no comment café talks (2).txt"
    assert asked[1][1] == "first.txt already exists. File name of the new document:"  # asked again, never over it
    assert asked[1][2] == "first (2).txt"
    assert (folder / "first.txt").read_text(encoding="utf-8") == "Officials met in Rome."
    assert (folder / "statement.txt").read_bytes() == CLIPPED[1:].encode("utf-8")
    assert window.projects.document_id == "statement.txt"
    assert window.controller.annotations.text == CLIPPED[1:]


def test_an_empty_clipboard_creates_nothing(window, questions, tmp_path):
    window.incoming.clipboard_text = lambda: ""
    window.incoming.new_from_clipboard()
    assert window.statusBar().currentMessage() == "The clipboard holds no text: no document was created."
    assert not questions.questions("save_file") and not questions.questions("text")
    assert list(tmp_path.iterdir()) == []


def test_open_url_end_to_end_the_page_opens_converted_and_its_annotation_file_names_the_url(
    window, questions, server, qtbot, tmp_path
):
    window.incoming.executor = ManualExecutor(at_once=True)  # the fetch; the open then needs no conversion
    window.converting.executor = ManualExecutor(at_once=True)
    questions.script(text=f"{server}/moved", save_file=tmp_path / "rome.html")
    window.incoming.open_url_dialog()
    annotations = window.controller.annotations
    assert annotations is not None and window.controller.save_path == tmp_path / "rome.html.annotations.json"
    assert annotations.text == convert_url(f"{server}/news").text
    word = annotations.text.split()[0]
    window.controller.add_span(0, len(word), "actor")
    assert window.sessions.save()
    saved = json.loads((tmp_path / "rome.html.annotations.json").read_text(encoding="utf-8"))
    source = saved["metadata"]["source"]
    assert (source["kind"], source["name"], source["metadata"]["url"]) == ("url", f"{server}/news", f"{server}/news")
    assert source["sha256"] == hashlib.sha256((tmp_path / "rome.html").read_bytes()).hexdigest()


def listed(window: MainWindow) -> list[str]:
    return [entry.id for entry in window.documents.model.entries]


def test_a_document_from_the_clipboard_is_listed_in_the_project_at_once(window, questions, tmp_path):
    project(window, tmp_path / "news")
    window.incoming.clipboard_text = lambda: CLIPPED
    questions.script(text="statement")
    window.incoming.new_from_clipboard()  # no window activation in between
    assert listed(window) == ["first.txt", "statement.txt"]
    assert window.documents.model.current == "statement.txt"


def test_a_page_from_open_url_is_listed_in_the_project_at_once(window, questions, server, opened, tmp_path):
    project(window, tmp_path / "news")
    questions.script(text=lambda title, caption, text: f"{server}/news" if title == "Open URL" else "rome.html")
    window.incoming.open_url_dialog()
    assert opened[0][0] == tmp_path / "news" / "rome.html"
    assert listed(window) == ["first.txt", "rome.html"]


@pytest.mark.parametrize(
    ("typed", "fetched"),
    [("example.com/news", "https://example.com/news"), ("//example.com/news", "https://example.com/news")],
)
def test_an_address_without_a_scheme_is_tried_with_https_and_the_status_says_so(window, questions, typed, fetched):
    urls: list[str] = []

    def fetch(url: str):
        urls.append(url)
        raise ConversionError(url, "no answer")

    window.incoming._fetch = fetch
    executor = window.incoming.executor = ManualExecutor()
    questions.script(text=f"  {typed} ")
    window.incoming.open_url_dialog()
    assert window.statusBar().currentMessage() == (
        f"Fetching {fetched}… (no http:// or https:// was given: trying https://)"
    )
    executor.run_all()
    assert urls == [fetched]
    assert window.last_message.text() == f"{fetched}: no answer"


def test_an_address_with_a_scheme_is_fetched_as_given(window, questions, server, opened, tmp_path):
    questions.script(text=f"{server}/news", save_file=tmp_path / "page.html")
    executor = window.incoming.executor = ManualExecutor()
    window.incoming.open_url_dialog()
    assert window.statusBar().currentMessage() == f"Fetching {server}/news…"
    executor.run_all()
    assert opened[0][0] == tmp_path / "page.html"
