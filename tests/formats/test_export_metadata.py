"""Document metadata on export: written by the formats that hold it, reported for each document by the others."""

from __future__ import annotations

import json

import pytest

from annotator.formats.exporting import export
from annotator.formats.options import ExportOptions
from annotator.formats.records import METADATA_KEY, DocumentRecord
from annotator.formats.registry import EXPORT_FORMATS, get_format
from annotator.model.span import Span


def record_with_metadata() -> DocumentRecord:
    text = "Yang denied it."
    return DocumentRecord(
        id="news/a",
        text=text,
        spans=(Span(id="s1", start=0, end=4, label="actor", text="Yang"),),
        annotator="alice",
        meta={"status": "in_progress", METADATA_KEY: {"url": "https://example.org/a", "title": "Yang"}},
    )


@pytest.mark.parametrize("fmt_name", EXPORT_FORMATS)
def test_metadata_is_written_or_reported_for_each_document(tmp_path, fmt_name):
    if fmt_name == "spacy":
        pytest.importorskip("spacy")
    fmt = get_format(fmt_name)
    plain = DocumentRecord(id="news/b", text="Nothing here.", annotator="alice")
    report = export(fmt, [record_with_metadata(), plain], tmp_path / f"out{fmt.suffix}", ExportOptions())
    if fmt.holds_metadata:
        assert report.notes == []
        assert "metadata" not in report.summary()
    else:
        assert report.notes == [
            f"news/a@alice: its metadata ('url', 'title') is not exported: {fmt.title} has no room for it"
        ]
        assert report.summary().endswith("; metadata of 1 document not exported (the format has no room)")


def test_the_formats_said_to_hold_metadata_write_it(tmp_path):
    out = tmp_path / "out.jsonl"
    export(get_format("jsonl"), [record_with_metadata()], out, ExportOptions())
    (line,) = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["meta"][METADATA_KEY] == {"url": "https://example.org/a", "title": "Yang"}
    out = tmp_path / "out.doccano.jsonl"
    export(get_format("doccano"), [record_with_metadata()], out, ExportOptions())
    (line,) = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["url"] == "https://example.org/a"


def test_record_metadata_is_an_empty_mapping_unless_an_object():
    assert dict(record_with_metadata().metadata) == {"url": "https://example.org/a", "title": "Yang"}
    assert dict(DocumentRecord(id="x", text="x", meta={METADATA_KEY: ["not", "an", "object"]}).metadata) == {}
    assert dict(DocumentRecord(id="x", text="x").metadata) == {}
