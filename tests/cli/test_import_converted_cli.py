"""``annotator import --format html|docx|pdf|url``: converted sources become a project's documents with their
source recorded, one line per refused input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest

from annotator.io import annotation_file
from annotator.io.convert.registry import convert_file
from annotator.project.layout import Project
from tests.cli.test_cli import run
from tests.io.convert.local_server import serving
from tests.io.convert.test_docx import news_docx
from tests.io.convert.test_html import FILLER, article
from tests.io.convert.test_pdf import bulletin

DATA = Path(__file__).resolve().parents[1] / "data"
NEWS = (DATA / "convert" / "news-page.html").read_bytes()
UNTITLED = f"<html><body><article><p>{FILLER}</p><p>{FILLER}</p></article></body></html>".encode()
TRAPS = json.loads((DATA / "unicode-traps.json").read_text(encoding="utf-8"))["cases"]


def annotations(folder: Path, document_id: str) -> dict:
    """The annotation file of ``document_id`` by alice, as JSON."""
    return json.loads(Project(folder).annotation_path(document_id, "alice").read_text(encoding="utf-8"))


def test_web_page_word_and_pdf_files_become_documents_naming_their_sources(tmp_path, capsys):
    (tmp_path / "talks.docx").write_bytes(news_docx())
    (tmp_path / "bulletin.pdf").write_bytes(bulletin())
    files = [str(DATA / "convert" / "news-page.html"), str(tmp_path / "talks.docx"), str(tmp_path / "bulletin.pdf")]
    out = tmp_path / "project"
    for fmt, file in zip(["html", "docx", "pdf"], files, strict=True):
        code, stdout, err = run(capsys, "import", file, "--format", fmt, "-o", str(out), "--annotator", "alice")
        assert code == 0, err
        assert "Imported 1 document with 0 spans" in stdout
    assert Project(out).document_ids() == ["bulletin.txt", "news-page.txt", "talks.txt"]
    for document_id, file in zip(["news-page.txt", "talks.txt", "bulletin.txt"], files, strict=True):
        converted = convert_file(file)
        assert (out / document_id).read_bytes() == converted.text.encode("utf-8")
        saved = annotations(out, document_id)
        assert saved["metadata"]["source"] == converted.source.to_json()
        assert (saved["status"], saved["spans"], saved["annotator"]) == ("in_progress", [], "alice")
        assert annotation_file.load(Project(out).annotation_path(document_id, "alice")).document.text == converted.text
    assert annotations(out, "talks.txt")["metadata"]["source"]["left_out"]  # the footnotes, headers and footers


def test_several_files_at_once_with_one_line_per_refused_input_and_names_never_taken_twice(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "talks.html").write_text(article(FILLER, "Price warned of consequences."), encoding="utf-8")
    (tmp_path / "b" / "talks.html").write_text(article(FILLER, "Beijing denied it."), encoding="utf-8")
    menu = tmp_path / "menu.html"
    menu.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    (tmp_path / "talks.pdf").write_bytes(bulletin())
    inputs = [tmp_path / "a" / "talks.html", menu, tmp_path / "missing.html", tmp_path / "talks.pdf"]
    inputs.append(tmp_path / "b" / "talks.html")
    out = tmp_path / "out"
    code, stdout, err = run(
        capsys, "import", *map(str, inputs), "--format", "html", "-o", str(out), "--annotator", "alice"
    )
    assert code == 0
    assert err.splitlines() == [
        f"{menu}: the page holds no article text",
        f"{tmp_path / 'missing.html'}: does not exist",
        f"{tmp_path / 'talks.pdf'}: a PDF file by its name, not an HTML file (give it with --format pdf)",
        f"{tmp_path / 'b' / 'talks.html'}: stored as talks-2.txt, since talks.txt holds a different text "
        "(or annotations of a document no longer there)",
    ]
    assert "Imported 2 documents with 0 spans; rejected 3" in stdout
    assert "Beijing denied it." in (out / "talks-2.txt").read_text(encoding="utf-8")
    # importing again changes nothing: the same texts are already there
    code, stdout, err = run(
        capsys, "import", *map(str, inputs), "--format", "html", "-o", str(out), "--annotator", "alice"
    )
    assert code == 0
    assert "skipped 2 already imported" in stdout
    assert Project(out).document_ids() == ["talks-2.txt", "talks.txt"]


def test_an_import_where_every_input_is_refused_fails_and_leaves_no_folder(tmp_path, capsys):
    out = tmp_path / "out"
    code, _, err = run(capsys, "import", str(tmp_path / "gone.docx"), "--format", "docx", "-o", str(out))
    assert code == 1
    assert err.splitlines() == [
        f"{tmp_path / 'gone.docx'}: does not exist",
        "annotator: error: nothing was imported (every input was refused)",
    ]
    assert not out.exists()


def test_options_that_do_not_apply_are_refused(tmp_path, capsys):
    page = str(DATA / "convert" / "news-page.html")
    code, _, err = run(capsys, "import", page, "--format", "html", "-o", str(tmp_path / "o"), "--labels", "auto")
    assert (code, err.strip()) == (
        1,
        "annotator: error: --labels auto: --format html brings no labels to make a label set from",
    )
    code, _, err = run(capsys, "import", page, "--format", "html", "-o", str(tmp_path / "o"), "--scheme", "IOB2")
    assert (code, err.strip()) == (1, "annotator: error: --scheme does not apply to --format html")
    code, _, err = run(capsys, "import", page, page, "--format", "jsonl", "-o", str(tmp_path / "o"))
    assert code == 1
    assert "--format jsonl imports one FILE, not 2" in err
    assert not (tmp_path / "o").exists()


def test_the_trap_corpus_in_a_web_page_imports_exactly_as_the_converter_gives_it(tmp_path, capsys):
    page = tmp_path / "traps.html"
    page.write_text(article(FILLER, *(case["text"] for case in TRAPS), FILLER), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(capsys, "import", str(page), "--format", "html", "-o", str(out), "--annotator", "alice")
    assert code == 0, err
    text = convert_file(page).text
    assert (out / "traps.txt").read_bytes() == text.encode("utf-8")
    saved = annotation_file.load(Project(out).annotation_path("traps.txt", "alice"))
    assert saved.document.text == text
    kept = [case for case in TRAPS if case["text"] in text.split("\n\n")]
    assert len(kept) > len(TRAPS) // 2  # those trafilatura keeps as they are land exactly
    for case in kept:
        start = text.index(case["text"])
        for span in case["spans"]:
            assert text[start + span["start"] : start + span["end"]] == span["text"]


class Pages(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {
        "/world/rome-talks": (200, "text/html; charset=utf-8", NEWS),
        "/untitled/statement.html": (200, "text/html; charset=utf-8", UNTITLED),
        "/report.pdf": (200, "application/pdf", b"%PDF-1.7"),
    }

    def do_GET(self) -> None:
        status, content_type, body = self.routes.get(self.path, (404, "text/html", b"<p>gone</p>"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(Pages) as url:
        yield url


def test_urls_become_documents_named_by_title_or_path_with_their_url_recorded(tmp_path, capsys, server):
    urls = [f"{server}/world/rome-talks", f"{server}/untitled/statement.html", f"{server}/report.pdf", f"{server}/x"]
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "import", "--format", "url", *urls, "-o", str(out), "--annotator", "alice")
    assert code == 0
    assert err.splitlines() == [
        f"{server}/report.pdf: not a web page (its content type is application/pdf)",
        f"{server}/x: the server answered 404 Not Found",
    ]
    assert "Imported 2 documents" in stdout
    title = "Officials warn of sanctions after Rome talks"
    assert Project(out).document_ids() == [f"{title}.txt", "statement.txt"]
    assert (out / f"{title}.txt").read_text(encoding="utf-8").startswith(f"{title}\n\nSenior officials")
    source = annotations(out, f"{title}.txt")["metadata"]["source"]
    assert (source["kind"], source["name"], source["metadata"]["url"]) == ("url", urls[0], urls[0])
    assert source["metadata"]["page_url"] == "https://ledger.example/world/2022/03/15/rome-talks"
    assert annotations(out, "statement.txt")["metadata"]["source"]["name"] == urls[1]


def test_a_page_of_cookie_banner_navigation_and_comments_only_is_refused_not_imported(tmp_path, capsys):
    page = DATA / "convert" / "no-article-page.html"
    out = tmp_path / "out"
    code, _, err = run(capsys, "import", str(page), "--format", "html", "-o", str(out), "--annotator", "alice")
    assert code == 1
    assert err.splitlines()[0] == f"{page}: the page holds no article text"
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        ("page.html", "pdf", "an HTML file by its name, not a PDF file (give it with --format html)"),
        ("talks.docx", "html", "a Word (.docx) file by its name, not an HTML file (give it with --format docx)"),
        ("bulletin.pdf", "docx", "a PDF file by its name, not a Word (.docx) file (give it with --format pdf)"),
    ],
)
def test_a_file_given_with_another_format_is_named_with_its_article(tmp_path, capsys, name, fmt, message):
    (tmp_path / name).write_bytes(b"whatever")
    code, _, err = run(capsys, "import", str(tmp_path / name), "--format", fmt, "-o", str(tmp_path / "out"))
    assert code == 1
    assert err.splitlines()[0] == f"{tmp_path / name}: {message}"
