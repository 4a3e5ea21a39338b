"""Regressions found by reviewing the exchange formats: names that escape their folder, annotators sharing a folder,
orphaned spans left out silently, Label Studio spans shifted by UTF-16 counting, and names too long for a file
system."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.formats.brat import write_brat
from annotator.formats.checking import check_record
from annotator.formats.exporting import export
from annotator.formats.importing import import_records
from annotator.formats.jsonl import read_jsonl
from annotator.formats.label_studio import read_label_studio
from annotator.formats.options import ExportOptions
from annotator.formats.records import DocumentRecord
from annotator.formats.registry import get_format
from annotator.model.orphan import OrphanedSpan
from annotator.model.span import Span
from annotator.project.layout import Project, safe_file_name
from tests.formats.support import LABELS, spans_of


def write_lines(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def test_dot_names_never_escape_or_hide(tmp_path):
    assert safe_file_name(". ..") == "" and safe_file_name(". .") == "" and safe_file_name(" .. ") == ""
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "escaped.txt").write_text("outside", encoding="utf-8")
    data = write_lines(
        tmp_path / "d.jsonl",
        [
            {"id": ". ../escaped", "text": "Yang denied it.", "spans": [{"start": 0, "end": 4, "label": "actor"}]},
            {"id": ". .", "text": "Hidden?"},
            {"id": "ok", "text": "Fine.", "annotator": ". ..", "spans": [{"start": 0, "end": 4, "label": "actor"}]},
        ],
    )
    report = import_records(read_jsonl(data), Project(root), LABELS, "alice")
    assert report.rejected == []
    assert (tmp_path / "escaped.txt").read_text(encoding="utf-8") == "outside"
    assert sorted(Project(root).document_ids()) == sorted(report.documents)
    assert all(not part.startswith(".") for doc in report.documents for part in doc.split("/"))
    assert not (root / "ok.annotations.json").exists()
    assert all(p.resolve().is_relative_to(root.resolve()) for p in root.rglob("*"))


def test_brat_export_stays_in_its_folder(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("mine", encoding="utf-8")
    record = DocumentRecord(". ../victim", "Yang denied it.", spans_of("Yang denied it.", (0, 4, "actor")))
    report = write_brat([record, DocumentRecord(". .", "Other.")], tmp_path / "out", ExportOptions())
    assert victim.read_text(encoding="utf-8") == "mine"
    assert all(path.resolve().is_relative_to((tmp_path / "out").resolve()) for path in report.files)
    assert not any(path.name.startswith(".") for path in report.files)


def test_annotators_sharing_a_folder_are_rejected_not_skipped(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    text = "Yang denied it."
    data = write_lines(
        tmp_path / "d.jsonl",
        [
            {"id": "d", "text": text, "annotator": "alice", "spans": [{"start": 0, "end": 4, "label": "actor"}]},
            {"id": "d", "text": text, "annotator": "alice.", "spans": [{"start": 5, "end": 11, "label": "denial"}]},
        ],
    )
    report = import_records(read_jsonl(data), Project(root), LABELS, "x")
    assert report.skipped == []
    (message,) = report.rejected
    assert "annotator 'alice.' would share the folder annotations/alice with 'alice'" in message


def test_orphaned_spans_are_reported_by_every_export(tmp_path):
    text = "Yang denied it."
    orphan = OrphanedSpan(
        span=Span(id="s9", start=20, end=26, label="claim", text="gone!!"), reason="its text no longer occurs"
    )
    record = DocumentRecord("d", text, spans_of(text, (0, 4, "actor")), annotator="alice", orphans=(orphan,))
    for name in ("jsonl", "conll", "csv", "brat"):
        out = tmp_path / (name if name == "brat" else f"out.{name}")
        report = export(get_format(name), [record], out, ExportOptions())
        orphaned = [p for p in report.problems if p.kind == "orphaned"]
        assert [(p.start, p.end, p.text) for p in orphaned] == [(20, 26, "gone!!")], name
        assert orphaned[0] in report.lost
        assert "1 span orphaned" in report.summary()


def test_label_studio_spans_counted_in_utf16_are_rejected(tmp_path):
    text = "😀 Sullivan warned."
    task = {
        "data": {"text": text},
        "annotations": [
            {
                "result": [
                    {
                        "id": "a",
                        "type": "labels",
                        "value": {"start": 2, "end": 11, "text": " Sullivan", "labels": ["actor"]},
                    }
                ]
            }
        ],
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    (parsed,) = read_label_studio(path)
    checked = check_record(parsed, LABELS, "t", "x")
    assert checked.record.spans == ()
    assert "matches the document only if the offsets are UTF-16 units" in checked.rejected[0]
    assert "--offsets utf16" in checked.rejected[0]


def test_long_names_are_cut_not_fatal(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    deep = "/".join(["x" * 100] * 10)
    data = write_lines(
        tmp_path / "d.jsonl",
        [{"id": deep, "text": "Deep."}, {"id": "ok", "text": "Fine."}],
    )
    report = import_records(read_jsonl(data), Project(root), LABELS, "alice")
    assert report.rejected == [] and len(report.documents) == 2
    long_id = "y" * 140
    records = [
        DocumentRecord(long_id, "One.", annotator="a" * 140),
        DocumentRecord(long_id, "One.", annotator="b" * 140),
        DocumentRecord("later", "Two."),
    ]
    out = write_brat(records, tmp_path / "brat", ExportOptions())
    assert out.documents == 3
    assert all(len(path.name.encode()) <= 255 for path in out.files)
