"""Label Studio JSON export and import: exact round trip of the unicode traps, notes and links; one task per
document with one annotation per annotator; a labeling configuration that parses; bad tasks, annotations and
results rejected one by one with their place."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.formats.checking import check_record
from annotator.formats.label_studio import config_path_for, label_config, read_label_studio, write_label_studio
from annotator.formats.options import ExportOptions, ImportOptions
from annotator.formats.parsed import ParsedRecord, RawSuggestion, RecordFault
from annotator.formats.records import DocumentRecord
from annotator.io.errors import FileFault
from tests.formats.support import (
    LABELS,
    linked_record,
    read_checked,
    relation_facts,
    span_facts,
    spans_of,
    trap_records,
)


def write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def test_round_trip_keeps_spans_notes_links_and_annotators(tmp_path):
    records = [*trap_records(), linked_record()]
    out = tmp_path / "out" / "tasks.json"

    report = write_label_studio(records, out, ExportOptions())

    assert report.files == [out, tmp_path / "out" / "tasks.label_config.xml"]
    assert report.problems == []
    assert report.documents == len(records)
    assert report.spans == sum(len(r.spans) for r in records)
    back, rejected = read_checked(read_label_studio, out)
    assert rejected == []
    assert [r.id for r in back] == [r.id for r in records]
    for original, loaded in zip(records, back, strict=True):
        assert loaded.text == original.text
        assert loaded.annotator == original.annotator
        assert span_facts(loaded) == span_facts(original)
        assert relation_facts(loaded) == relation_facts(original)
        assert dict(loaded.meta) == dict(original.meta)
        assert [s.id for s in loaded.spans] == [s.id for s in original.spans]  # region ids are the span ids


def test_task_fields_as_written(tmp_path):
    out = tmp_path / "tasks.json"
    write_label_studio([linked_record()], out, ExportOptions())
    (task,) = json.loads(out.read_text(encoding="utf-8"))

    assert task["id"] == 1
    assert task["data"] == {"text": linked_record().text, "doc_id": "news/linked"}
    assert task["predictions"] == []
    (annotation,) = task["annotations"]
    assert "completed_by" not in annotation
    assert annotation["annotator"] == "alice"
    assert annotation["meta"] == {"status": "done"}
    assert annotation["was_cancelled"] is False and annotation["ground_truth"] is False
    first, warning, *_ = annotation["result"]
    assert first == {
        "id": "s1",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {"start": 0, "end": 8, "text": "Sullivan", "labels": ["actor"]},
    }
    assert warning["meta"] == {"text": ["cue verb inside? check"]}
    assert warning["value"]["text"] == "warned China\r\nof consequences"
    assert annotation["result"][5] == {
        "type": "relation",
        "from_id": "s3",
        "to_id": "s1",
        "direction": "right",
        "labels": ["source"],
    }


def test_emoji_offsets_are_code_points(tmp_path):
    record = next(r for r in trap_records() if r.id == "astral-emoji")
    out = tmp_path / "tasks.json"
    write_label_studio([record], out, ExportOptions())
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    values = [item["value"] for item in task["annotations"][0]["result"]]
    assert [(v["start"], v["end"]) for v in values] == [(s.start, s.end) for s in record.spans]
    assert all(record.text[v["start"] : v["end"]] == v["text"] for v in values)


def test_two_annotators_become_one_task_and_come_back_as_two_records(tmp_path):
    text = "Yang denied it."
    alice = DocumentRecord("news/a", text, spans_of(text, (0, 4, "actor")), (), "alice")
    bob = DocumentRecord("news/a", text, spans_of(text, (5, 14, "denial")), (), "bob")
    other = DocumentRecord("news/b", "Other.", (), (), "alice")
    out = tmp_path / "tasks.json"

    write_label_studio([alice, other, bob], out, ExportOptions())

    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [(t["id"], t["data"]["doc_id"], [a["annotator"] for a in t["annotations"]]) for t in tasks] == [
        (1, "news/a", ["alice", "bob"]),
        (2, "news/b", ["alice"]),
    ]
    parsed = list(read_label_studio(out))
    assert [(p.where, p.id, p.annotator) for p in parsed] == [
        ("tasks.json task 1 annotation 1", "news/a", "alice"),
        ("tasks.json task 1 annotation 2", "news/a", "bob"),
        ("tasks.json task 2 annotation 1", "news/b", "alice"),
    ]
    back, rejected = read_checked(read_label_studio, out)
    assert rejected == []
    assert [(r.id, r.annotator, [(s.start, s.end, s.label) for s in r.spans]) for r in back] == [
        ("news/a", "alice", [(0, 4, "actor")]),
        ("news/a", "bob", [(5, 14, "denial")]),
        ("news/b", "alice", []),
    ]


def test_label_config_is_well_formed_xml_with_escaped_names(tmp_path):
    text = 'AT&T <Corp> said "no".'
    record = DocumentRecord(
        "x", text, spans_of(text, (0, 4, "a & <b>"), (5, 11, 'say "hi"'), (0, 11, "bad\x01name")), (), ""
    )
    out = tmp_path / "tasks.json"

    write_label_studio([record, linked_record()], out, ExportOptions())

    root = ET.fromstring(config_path_for(out).read_text(encoding="utf-8"))
    assert root.tag == "View"
    labels = root.find("Labels")
    assert labels.attrib == {"name": "label", "toName": "text"}
    assert [label.get("value") for label in labels.findall("Label")] == [
        "a & <b>",
        'say "hi"',
        "actor",
        "warning",
        "denial",
    ]
    assert root.find("Text").attrib == {"name": "text", "value": "$text"}
    assert [r.get("value") for r in root.find("Relations").findall("Relation")] == ["source", "target"]
    assert label_config([], []).count("<Relations>") == 0
    ET.fromstring(label_config([], []))


def test_uncertain_marks_are_reported(tmp_path):
    record = linked_record()
    first, *rest = record.spans
    record = DocumentRecord(record.id, record.text, (first.model_copy(update={"uncertain": True}), *rest))

    report = write_label_studio([record], tmp_path / "t.json", ExportOptions())

    assert [(p.document, p.start, p.end, p.kind) for p in report.problems] == [("news/linked", 0, 8, "not_exported")]


def _result(region_id, start, end, label, text=None, **extra):
    value = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"id": region_id, "from_name": "label", "to_name": "text", "type": "labels", "value": value, **extra}


def test_bad_tasks_annotations_and_results_are_rejected_with_their_place(tmp_path):
    text = "Sullivan warned China."
    good = _result("a", 0, 8, "actor", "Sullivan")
    path = write_json(
        tmp_path / "bad.json",
        [
            {"id": 10, "data": {"text": text}, "annotations": [{"completed_by": 3, "result": [good]}]},
            {
                "data": {"text": text},
                "annotations": [
                    {"was_cancelled": True, "result": [good]},
                    {
                        "completed_by": {"id": 4, "email": "bob@example.org"},
                        "result": [
                            good,
                            _result("b", 15, 9, "warning"),
                            _result("c", 9, 15, "rumour"),
                            {"id": "d", "type": "choices", "value": {"choices": ["yes"]}},
                            {"from_id": "a", "to_id": "b", "type": "relation", "direction": "bi", "labels": ["x"]},
                            "not a result",
                        ],
                    },
                ],
            },
            {"data": {"image": "x.png", "other": "y"}},
            "not a task",
            {"data": {"text": text}},
        ],
    )

    records, rejected = read_checked(read_label_studio, path)

    assert [(r.id, r.annotator, [(s.start, s.end, s.label) for s in r.spans]) for r in records] == [
        ("10", "user 3", [(0, 8, "actor")]),
        ("x", "bob@example.org", [(0, 8, "actor")]),
        ("x", "trap", []),
    ]
    assert rejected == [
        "bad.json task 2 annotation 1: the annotation was cancelled (skipped) in Label Studio; not imported",
        'bad.json task 2 annotation 2: result 4: a choices result needs "from_name" and "value.choices" (a list); '
        "left out",
        'bad.json task 2 annotation 2: result 5: a relation with direction "bi" is not imported (only right or left)',
        'bad.json task 2 annotation 2: result 6 is not a result object (found "not a result")',
        "bad.json task 2 annotation 2: result 2 [15, 9) is reversed",
        "bad.json task 2 annotation 2: result 3 [9, 15) has the label 'rumour', which is not in the label set "
        "(actor, claim, warning, denial)",
        "bad.json task 3: no \"text\" in \"data\" and no single other string to take instead (keys: 'image', 'other')",
        'bad.json task 4: not a task object (found "not a task")',
    ]


def test_label_studio_export_of_its_own_is_read(tmp_path):
    text = "Text: Berlin,  Germany.\nLine two 😬 Yang."
    berlin = text.index("Berlin")
    yang = text.index("Yang")
    path = write_json(
        tmp_path / "project-1-at-2024.json",
        {  # one task object, as Label Studio's API returns it
            "id": 1875,
            "data": {"ner": text},
            "annotations": [
                {
                    "id": 1036,
                    "completed_by": {"id": 1, "first_name": "Ann", "last_name": "Lee", "email": ""},
                    "result": [
                        # Label Studio's copy collapsed the double space (issue 3078): accepted
                        _result(
                            "r1", berlin, berlin + 16, "actor", "Berlin, Germany", meta={"text": ["first", "second"]}
                        ),
                        # offsets counted in UTF-16 units after the emoji (old versions): rejected, not shifted,
                        # and the message names --offsets utf16 (the text matches under UTF-16 units)
                        _result("r2", yang + 1, yang + 5, "actor", "Yang"),
                        {"from_id": "r2", "to_id": "r1", "type": "relation", "direction": "left", "labels": ["x"]},
                    ],
                    "was_cancelled": False,
                }
            ],
            "predictions": [{"result": [_result("p", 0, 4, "actor")]}],
        },
    )

    (parsed,) = read_label_studio(path)

    assert isinstance(parsed, ParsedRecord)
    # the prediction is a pending suggestion of the annotation's record, not a span; no score: read as 1, noted
    assert parsed.suggestions == [
        RawSuggestion(0, 4, "actor", 1.0, "label-studio", "", None, "p", "prediction 1 result 1")
    ]
    assert parsed.notes == ["prediction 1: 1 region without a score; read with score 1"]
    assert (parsed.where, parsed.id, parsed.annotator) == (
        "project-1-at-2024.json task 1 annotation 1",
        "1875",
        "Ann Lee",
    )
    assert [(s.start, s.end, s.text, s.note) for s in parsed.spans] == [(berlin, berlin + 16, None, "first\nsecond")]
    assert parsed.rejected == [
        f'result 2 [{yang + 1}, {yang + 5}) actor: its text "Yang" matches the document only if the offsets are '
        "UTF-16 units (as older Label Studio versions counted); import with --offsets utf16"
    ]
    assert [(r.type, r.from_id, r.to_id) for r in parsed.relations] == [("x", "r1", "r2")]
    checked = check_record(parsed, LABELS, "doc", "x")
    assert [(s.start, s.end) for s in checked.record.spans] == [(berlin, berlin + 16)]
    assert "--offsets utf16" in checked.rejected[0]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'[{"data": ', "not valid JSON"),
        (b'"just a string"', "expected a list of Label Studio tasks"),
        ("[]".encode("utf-16"), "not UTF-8"),
    ],
)
def test_unusable_files_are_file_faults(tmp_path, content, reason):
    path = tmp_path / "tasks.json"
    path.write_bytes(content)
    with pytest.raises(FileFault, match=reason):
        read_label_studio(path)


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "tasks.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([{"data": {"text": "Yang"}}]).encode("utf-8"))
    assert [p.text for p in read_label_studio(path)] == ["Yang"]


def test_labeling_config_declares_the_whole_label_set(tmp_path):
    record = replace(trap_records()[0], label_set=LABELS)
    out = tmp_path / "tasks.json"
    write_label_studio([record], out, ExportOptions())
    config = ET.parse(config_path_for(out)).getroot()
    assert [label.get("value") for label in config.iter("Label")] == ["actor", "claim", "warning", "denial"]
    assert [relation.get("value") for relation in config.iter("Relation")] == ["source", "target"]


def test_predictions_of_a_task_nobody_annotated_become_pending_suggestions(tmp_path):
    task = {
        "data": {"text": "Yang denied it."},
        "predictions": [
            {"model_version": "ner-v2", "score": 0.5, "result": [_result("p1", 0, 4, "actor", "Yang", score=0.9)]},
            {"result": [_result("p2", 5, 11, "denial", score=1.5)]},
            "not a prediction",
        ],
        "annotations": [],
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    (record,) = list(read_label_studio(path))
    assert isinstance(record, ParsedRecord) and record.spans == [] and not record.annotated
    assert [(s.start, s.end, s.label, s.score, s.suggester) for s in record.suggestions] == [
        (0, 4, "actor", 0.9, "ner-v2"),
        (5, 11, "denial", 1.0, "label-studio"),
    ]
    assert record.rejected == [
        "prediction 2 result 1: a score is a number from 0 to 1, not 1.5; read as 1",
        'prediction 3 is not a prediction object (found "not a prediction"); not imported',
    ]


def _old_label_studio_task(tmp_path: Path, with_text: bool) -> tuple[Path, str]:
    """A task as a Label Studio version before the emoji fix wrote it: offsets in UTF-16 units (JavaScript string
    indices), one region after each emoji."""
    text = "Sullivan 😬 warned China 🇨🇳 today.\r\nYang 𝕏 denied it."
    regions = [("r1", "Sullivan", "actor"), ("r2", "warned China", "warning"), ("r3", "Yang", "actor")]
    result = []
    for region_id, words, label in regions:
        start = len(text[: text.index(words)].encode("utf-16-le")) // 2
        end = start + len(words.encode("utf-16-le")) // 2
        result.append(_result(region_id, start, end, label, words if with_text else None))
    task = {"id": 7, "data": {"text": text}, "annotations": [{"id": 1, "completed_by": 1, "result": result}]}
    return write_json(tmp_path / "old.json", [task]), text


def test_utf16_offsets_without_text_are_rejected_by_default_naming_the_option(tmp_path):
    path, _text = _old_label_studio_task(tmp_path, with_text=False)

    (parsed,) = read_label_studio(path)

    # "Sullivan" ends before the first emoji: both units agree there, so it is read
    assert [(s.start, s.end, s.label) for s in parsed.spans] == [(0, 8, "actor")]
    assert len(parsed.rejected) == 2
    assert parsed.rejected[0].startswith("result 2 [")
    assert parsed.rejected[1].startswith("result 3 [")
    assert all("--offsets codepoints or --offsets utf16" in message for message in parsed.rejected)


@pytest.mark.parametrize("with_text", [False, True])
def test_utf16_offsets_are_converted_with_the_option(tmp_path, with_text):
    path, text = _old_label_studio_task(tmp_path, with_text)

    back, rejected = read_checked(lambda p: read_label_studio(p, ImportOptions(offsets="utf16")), path)

    assert rejected == []
    (record,) = back
    assert [s.text for s in record.spans] == ["Sullivan", "warned China", "Yang"]
    assert all(text[s.start : s.end] == s.text for s in record.spans)


def test_code_point_offsets_are_taken_as_given_with_the_option(tmp_path):
    text = "Yang 😬 denied it."
    start = text.index("denied")
    task = {"data": {"text": text}, "annotations": [{"result": [_result("a", start, start + 6, "denial")]}]}
    path = write_json(tmp_path / "new.json", task)

    (default,) = read_label_studio(path)
    (parsed,) = read_label_studio(path, ImportOptions(offsets="codepoints"))

    assert default.spans == [] and "--offsets codepoints or --offsets utf16" in default.rejected[0]
    assert [(s.start, s.end) for s in parsed.spans] == [(start, start + 6)]
    assert parsed.rejected == []


def test_utf16_offsets_inside_a_surrogate_pair_or_beyond_the_text_are_rejected(tmp_path):
    text = "a😬b"  # 4 UTF-16 units
    regions = [_result("in", 0, 2, "actor"), _result("out", 3, 5, "actor"), _result("ok", 3, 4, "actor", "b")]
    path = write_json(tmp_path / "bad.json", {"data": {"text": text}, "annotations": [{"result": regions}]})

    (parsed,) = read_label_studio(path, ImportOptions(offsets="utf16"))

    assert [(s.start, s.end, s.text) for s in parsed.spans] == [(2, 3, "b")]
    assert parsed.rejected == [
        "result 1 [0, 2) actor: an offset falls inside a surrogate pair (inside one character), so they are not "
        "UTF-16 units",
        "result 2 [3, 5) actor: outside the text (0 to 4 UTF-16 units)",
    ]


def test_task_data_fields_and_meta_are_the_document_metadata(tmp_path):
    tasks = [
        {"id": 1, "data": {"ner": "Yang denied it.", "views": 12}, "meta": {"batch": 3}, "created_at": "2024"},
        {"id": 2, "data": {"text": "Yang denied it.", "meta": "in data"}, "meta": {"batch": 4}},
        {"id": 3, "text": "Yang denied it.", "source": "wire", "annotations": []},  # a task that is its own data
        {"id": 4, "data": {"text": "Yang denied it."}, "meta": {}},
    ]
    path = write_json(tmp_path / "tasks.json", tasks)

    items = list(read_label_studio(path))

    first, fault, second, third, fourth = items
    assert first.meta == {"metadata": {"views": 12, "meta": {"batch": 3}}}
    assert fault == RecordFault(
        "tasks.json task 2", 'the task\'s "meta" {"batch": 4} is not kept: a "data" field has that name'
    )
    assert second.meta == {"metadata": {"meta": "in data"}}
    assert third.meta == {"metadata": {"source": "wire"}}
    assert fourth.meta == {}


def test_metadata_is_written_as_data_fields_and_task_meta(tmp_path):
    record = replace(
        linked_record(),
        meta={"status": "done", "metadata": {"url": "u1", "text": "not the text", "meta": {"batch": 3}}},
    )
    out = tmp_path / "tasks.json"
    write_label_studio([record], out, ExportOptions())
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    assert task["data"] == {"text": record.text, "doc_id": record.id, "url": "u1"}
    assert task["meta"] == {"batch": 3}
    assert task["annotations"][0]["meta"] == {"status": "done"}
    (back,) = read_label_studio(out)
    assert back.meta == {"status": "done", "metadata": {"url": "u1", "meta": {"batch": 3}}}
