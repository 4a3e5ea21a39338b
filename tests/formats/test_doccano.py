"""doccano JSONL export and import: exact round trip of the unicode traps' spans; notes, uncertain marks and links
reported as not exported; the relation-project form read; bad lines and label items rejected with their line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.formats.checking import check_record
from annotator.formats.doccano import read_doccano, write_doccano
from annotator.formats.options import ExportOptions
from annotator.formats.parsed import ParsedRecord
from annotator.formats.records import DocumentRecord
from annotator.io.errors import FileFault
from tests.formats.support import LABELS, linked_record, read_checked, trap_records


def write_lines(path: Path, lines: list) -> Path:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines)
    path.write_bytes((text + "\n").encode("utf-8"))
    return path


def test_round_trip_keeps_every_span(tmp_path):
    records = [*trap_records(), linked_record()]
    out = tmp_path / "out" / "doccano.jsonl"

    report = write_doccano(records, out, ExportOptions())

    assert report.files == [out]
    assert report.documents == len(records)
    assert report.spans == sum(len(r.spans) for r in records)
    back, rejected = read_checked(read_doccano, out)
    assert rejected == []
    assert [(r.id, r.annotator, r.text) for r in back] == [(r.id, r.annotator, r.text) for r in records]
    for original, loaded in zip(records, back, strict=True):
        assert [(s.start, s.end, s.label, s.text) for s in loaded.spans] == [
            (s.start, s.end, s.label, s.text) for s in original.spans
        ]
    # one record a line even for texts holding U+2028 and U+0085: they are escaped
    content = out.read_text(encoding="utf-8")
    assert len(content.splitlines()) == len(records)


def test_line_as_written(tmp_path):
    out = tmp_path / "d.jsonl"
    record = next(r for r in trap_records() if r.id == "astral-emoji")
    write_doccano([record], out, ExportOptions())
    item = json.loads(out.read_text(encoding="utf-8"))
    assert list(item) == ["id", "text", "label", "annotator"]
    assert item["label"] == [[13, 18, "actor"], [23, 41, "claim"], [43, 70, "denial"]]
    assert all(record.text[a:b] == record.spans[i].text for i, (a, b, _) in enumerate(item["label"]))


def test_notes_uncertain_marks_and_links_are_reported(tmp_path):
    record = linked_record()
    first, *rest = record.spans
    record = DocumentRecord(
        record.id, record.text, (first.model_copy(update={"uncertain": True}), *rest), record.relations, "alice"
    )

    report = write_doccano([record], tmp_path / "d.jsonl", ExportOptions())

    assert report.spans == 5
    assert [(p.start, p.end, p.label, p.kind) for p in report.problems] == [
        (0, 8, "actor", "not_exported"),
        (9, 38, "warning", "not_exported"),
        (9, 38, "warning", "not_exported"),
        (9, 38, "warning", "not_exported"),
        (52, 54, "denial", "not_exported"),
    ]
    reasons = [p.reason for p in report.problems]
    assert "uncertain" in reasons[0]
    assert "notes" in reasons[1]
    assert "'source' link to actor [0, 8)" in reasons[2]
    assert "'target' link to actor [16, 21)" in reasons[3]
    assert all(p.document == "news/linked@alice" for p in report.problems)


def test_bad_lines_and_label_items_are_rejected_with_their_line_numbers(tmp_path):
    text = "Sullivan warned China."
    path = write_lines(
        tmp_path / "bad.jsonl",
        [
            {"id": 1, "text": text, "label": [[0, 8, "actor"]]},
            '{"text": "broken',
            {
                "id": 3,
                "text": text,
                "label": [[0, 8, "actor"], [15, 9, "warning"], [9, 15, "rumour"], [9, 15], "claim", [9, 15, "x", 1]],
            },
            "",
            ["not", "an", "object"],
            {"label": [[0, 1, "actor"]]},
            {"id": 7, "text": text, "label": [[9, 21, "warning"]], "Comments": [], "username": "admin"},
        ],
    )

    records, rejected = read_checked(read_doccano, path)

    assert [(r.id, r.annotator, [(s.start, s.end, s.label) for s in r.spans]) for r in records] == [
        ("1", "trap", [(0, 8, "actor")]),
        ("3", "trap", [(0, 8, "actor")]),
        ("7", "admin", [(9, 21, "warning")]),
    ]
    assert dict(records[2].meta) == {"metadata": {"Comments": []}}  # kept as the document's metadata
    assert rejected == [
        "bad.jsonl line 2: not valid JSON (Unterminated string starting at: column 10)",
        "bad.jsonl line 3: label 4 [9, 15] is not a [start, end, label] list",
        'bad.jsonl line 3: label 5 "claim" is not a [start, end, label] list',
        'bad.jsonl line 3: label 6 [9, 15, "x", 1] is not a [start, end, label] list',
        "bad.jsonl line 3: label 2 [15, 9) is reversed",
        "bad.jsonl line 3: label 3 [9, 15) has the label 'rumour', which is not in the label set "
        "(actor, claim, warning, denial)",
        'bad.jsonl line 5: not a JSON object (found ["not", "an", "object"])',
        'bad.jsonl line 6: no "text" string',
    ]


def test_relation_project_form_is_read(tmp_path):
    text = "Sullivan warned China\r\nof consequences."
    path = write_lines(
        tmp_path / "rel.jsonl",
        [
            {
                "id": 12,
                "text": text,
                "entities": [
                    {"id": 0, "label": "actor", "start_offset": 0, "end_offset": 8},
                    {"id": 1, "label": "warning", "start_offset": 9, "end_offset": 38},
                    {"id": 2, "label": "actor", "start_offset": 16},
                ],
                "relations": [{"id": 0, "from_id": 1, "to_id": 0, "type": "source"}, {"from_id": 1}],
            }
        ],
    )

    (parsed,) = read_doccano(path)
    assert isinstance(parsed, ParsedRecord)
    assert [(s.source_id, s.start, s.end, s.label) for s in parsed.spans] == [
        ("0", 0, 8, "actor"),
        ("1", 9, 38, "warning"),
    ]
    checked = check_record(parsed, LABELS, parsed.id, "x")
    record = checked.record
    assert [(r.type, r.from_, r.to) for r in record.relations] == [("source", "1", "0")]
    entity, relation = checked.rejected
    assert entity.startswith('rel.jsonl line 1: entity 3 {"id": 2, "label": "actor"')
    assert entity.endswith('is not an object with "start_offset", "end_offset" and "label"')
    assert relation == 'rel.jsonl line 1: relation 2 {"from_id": 1} needs "from_id", "to_id" (entity ids) and "type"'


def test_line_separators_inside_strings_and_crlf_line_ends(tmp_path):
    text = "First\u2028Sullivan\x85warned."
    path = tmp_path / "raw.jsonl"
    lines = [json.dumps({"text": text, "label": [[6, 14, "actor"]]}, ensure_ascii=False), '{"text": "Two"}']
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))

    parsed = list(read_doccano(path))

    assert [(p.where, p.text) for p in parsed] == [("raw.jsonl line 1", text), ("raw.jsonl line 2", "Two")]


def test_not_utf8_is_a_file_fault(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes('{"text": "é"}\n'.encode("latin-1"))
    with pytest.raises(FileFault, match="not UTF-8"):
        read_doccano(path)


def test_metadata_is_written_back_as_extra_keys(tmp_path):
    metadata = {"meta": {"source": "Reuters"}, "Comments": [], "label": "would be read as spans", "user": "x"}
    record = DocumentRecord("news/a", "Yang.", annotator="alice", meta={"status": "done", "metadata": metadata})
    out = tmp_path / "d.jsonl"
    write_doccano([record], out, ExportOptions())
    line = json.loads(out.read_text(encoding="utf-8"))
    assert line == {
        "id": "news/a",
        "text": "Yang.",
        "label": [],
        "annotator": "alice",
        "meta": {"source": "Reuters"},
        "Comments": [],
    }
    (back,) = read_doccano(out)
    assert back.meta == {"metadata": {"meta": {"source": "Reuters"}, "Comments": []}}
