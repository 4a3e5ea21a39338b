"""Spans a reader rejects itself (a Label Studio region counted in UTF-16 units, a brat discontinuous span, a JSONL
or doccano span item that is not one) count as found, like spans rejected by the checks: a record whose spans were
all rejected gets no annotation file ("annotated, nothing found" would not be true), and an import whose spans were
all rejected fails. Files are built as each tool writes them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from annotator.__main__ import main
from annotator.formats.importing import ImportReport, import_records
from annotator.formats.options import ImportOptions
from annotator.formats.registry import get_format
from annotator.project.layout import Project
from tests.formats.support import LABELS

EMOJI_TEXT = "Envoy \U0001f1fa\U0001f1f8 met envoy \U0001f1e8\U0001f1f3; talks were \U0001f62c tense."


def utf16(text: str, index: int) -> int:
    """The UTF-16 offset of the code-point offset ``index`` (as Label Studio before its emoji fix counted)."""
    return len(text[:index].encode("utf-16-le")) // 2


def label_studio_task(text: str, regions: list[tuple[int, int, str]]) -> dict[str, object]:
    """A task as Label Studio exports it, its regions without ``value.text`` and offsets in UTF-16 units."""
    result = [
        {
            "id": f"r{n}",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "origin": "manual",
            "value": {"start": utf16(text, a), "end": utf16(text, b), "labels": [label]},
        }
        for n, (a, b, label) in enumerate(regions, start=1)
    ]
    annotation = {"id": 1, "completed_by": 1, "result": result, "was_cancelled": False, "ground_truth": False}
    return {"id": 1, "data": {"text": text}, "annotations": [annotation], "predictions": [], "meta": {}}


def write_label_studio(tmp_path: Path) -> Path:
    start = EMOJI_TEXT.index("talks")
    path = tmp_path / "project-1-at-2024-03-01.json"
    task = label_studio_task(EMOJI_TEXT, [(start, start + len("talks were \U0001f62c tense"), "claim")])
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    return path


def write_brat(tmp_path: Path) -> Path:
    folder = tmp_path / "brat"
    folder.mkdir()
    text = "The minister said the talks failed.\n"
    (folder / "a.txt").write_text(text, encoding="utf-8", newline="")
    # a discontinuous span with words in its gap: rejected by the reader
    (folder / "a.ann").write_text("T1\tactor 0 3;18 21\tThe the\n", encoding="utf-8", newline="")
    return folder


def write_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "data.jsonl"
    line = {"id": "a", "text": "Sullivan warned China.", "spans": [{"start": 0, "label": "actor"}]}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    return path


def write_doccano(tmp_path: Path) -> Path:
    path = tmp_path / "admin.jsonl"
    line = {"id": 1, "text": "Sullivan warned China.", "label": [[0, 8]], "Comments": []}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    return path


WRITERS = {"label-studio": write_label_studio, "brat": write_brat, "jsonl": write_jsonl, "doccano": write_doccano}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_a_record_whose_spans_the_reader_rejected_gets_no_annotation_file(tmp_path, fmt):
    (tmp_path / "project").mkdir()
    project = Project(tmp_path / "project")
    report: ImportReport = import_records(get_format(fmt).read(WRITERS[fmt](tmp_path)), project, LABELS, "alice")
    (document_id,) = project.document_ids()
    assert not project.annotation_path(document_id, "alice").exists()
    assert report.unannotated == [document_id]
    assert (report.spans_found, report.spans_valid) == (1, 0)
    assert report.rejected


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_an_import_whose_spans_the_reader_all_rejected_exits_1(tmp_path, monkeypatch, fmt):
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    code = main(["import", str(WRITERS[fmt](tmp_path)), "--format", fmt, "-o", str(tmp_path / "project")])
    assert code == 1
    assert "every span was rejected (1 found, listed above)" in err.getvalue()
    assert "Imported 1 document with 0 spans; 1 without annotations; rejected 1" in out.getvalue()


def test_a_label_studio_file_counted_in_utf16_imports_with_its_offsets_option(tmp_path):
    (tmp_path / "project").mkdir()
    project = Project(tmp_path / "project")
    path = write_label_studio(tmp_path)
    report = import_records(
        get_format("label-studio").read(path, ImportOptions(offsets="utf16")), project, LABELS, "alice"
    )
    (document_id,) = project.document_ids()
    assert project.annotation_path(document_id, "user 1").exists()
    assert (report.spans_found, report.spans_valid, report.unannotated) == (1, 1, [])


def test_a_label_studio_json_min_export_is_refused_naming_the_json_export(tmp_path, monkeypatch):
    # Label Studio's "JSON-MIN" export: data fields flattened, the regions' values under the from_name ("label")
    task = {
        "id": 1,
        "text": "Sullivan warned China.",
        "label": [{"start": 0, "end": 8, "text": "Sullivan", "labels": ["actor"]}],
        "annotator": 1,
        "annotation_id": 1,
        "created_at": "2024-03-01T10:00:00.000000Z",
        "updated_at": "2024-03-01T10:00:00.000000Z",
        "lead_time": 3.2,
    }
    path = tmp_path / "project-1-at-2024-03-01-min.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    records = list(get_format("label-studio").read(path))
    assert len(records) == 1 and not hasattr(records[0], "text")
    message = records[0].message()  # type: ignore[union-attr]
    assert message.startswith(f"{path.name} task 1: 'label' holds regions as Label Studio's JSON-MIN export")
    assert 'export the project as "JSON"' in message
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    code = main(["import", str(path), "--format", "label-studio", "-o", str(tmp_path / "project")])
    assert code == 1
    assert "nothing was imported (every record was rejected)" in err.getvalue()
