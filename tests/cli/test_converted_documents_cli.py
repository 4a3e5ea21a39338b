"""Commands that read a project's unannotated documents (export --include-unannotated, suggest) convert its web pages,
Word and PDF files (the cache first) instead of reading their bytes as text; a file that cannot be converted is one
line naming it."""

from __future__ import annotations

import io
import json

from docx import Document as WordDocument

from annotator.__main__ import main


def word_file(text: str) -> bytes:
    document = WordDocument()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_export_include_unannotated_converts_a_word_document_and_names_a_broken_pdf(tmp_path, capsys):
    project = tmp_path / "project"
    (project / "annotations").mkdir(parents=True)
    (project / "a.txt").write_text("Plain text.", encoding="utf-8")
    (project / "b.docx").write_bytes(word_file("Sullivan warned China."))
    (project / "c.pdf").write_bytes(b"%PDF-1.4 broken")
    out_file = tmp_path / "out.jsonl"

    code = main(["export", str(project), "-f", "jsonl", "-o", str(out_file), "--include-unannotated"])
    _out, err = capsys.readouterr()

    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert {"id": "b.docx", "text": "Sullivan warned China."} in records
    assert {"id": "a", "text": "Plain text."} in records
    assert len(records) == 2
    assert err.strip().splitlines() == [f"skipped {project / 'c.pdf'}: {err.split(': ', 1)[1].strip()}"]
    assert "broken PDF" in err and "Traceback" not in err
    assert code == 1  # an input skipped
