"""Web pages, Word and PDF files in a project: listed as documents (their ids keep their suffix), a saved page's
folder of parts skipped, their annotation files named after them, and a project's annotation file of one found."""

from __future__ import annotations

from annotator.project.layout import Project
from annotator.project.ownership import project_document_of


def make_project(tmp_path):
    (tmp_path / "news").mkdir()
    for name in ("a.txt", "b.html", "c.HTM", "d.docx", "e.pdf", "f.odt", "page.html"):
        (tmp_path / "news" / name).write_bytes(b"x")
    parts = tmp_path / "news" / "page_files"
    parts.mkdir()
    (parts / "frame.html").write_bytes(b"x")
    (parts / "notes.txt").write_bytes(b"x")
    lonely = tmp_path / "other_files"  # no page beside it: an ordinary folder
    lonely.mkdir()
    (lonely / "g.txt").write_bytes(b"x")
    return Project(tmp_path)


def test_web_pages_word_and_pdf_files_are_documents_and_a_pages_parts_are_not(tmp_path):
    project = make_project(tmp_path)
    assert project.document_ids() == [
        "news/a.txt",
        "news/b.html",
        "news/c.HTM",
        "news/d.docx",
        "news/e.pdf",
        "news/page.html",
        "other_files/g.txt",
    ]
    assert project.document_id_for(tmp_path / "news" / "d.docx") == "news/d.docx"
    assert project.document_id_for(tmp_path / "news" / "f.odt") is None


def test_annotation_files_of_converted_documents_keep_the_suffix_and_lead_back_to_them(tmp_path):
    project = make_project(tmp_path)
    path = project.annotation_path("news/d.docx", "ana")
    assert path == project.root / "annotations" / "ana" / "news" / "d.docx.annotations.json"
    assert project.annotation_path("news/a.txt", "ana").name == "a.annotations.json"
    path.parent.mkdir(parents=True)
    path.write_text("{}", encoding="utf-8")
    found = project_document_of(path)
    assert found is not None and found[1] == "news/d.docx"
