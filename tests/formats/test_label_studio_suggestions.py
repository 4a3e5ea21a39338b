"""Label Studio carries span origins (its result ``origin``: manual, prediction, prediction-changed) with score and
suggester, and pending suggestions as the task's ``predictions``, both ways; rejected suggestions are reported."""

from __future__ import annotations

import json
from dataclasses import replace

from annotator.formats.exporting import export
from annotator.formats.label_studio import read_label_studio, write_label_studio
from annotator.formats.options import ExportOptions
from annotator.formats.records import DocumentRecord
from annotator.formats.registry import get_format
from annotator.model.pending import PendingSuggestion
from tests.formats.support import read_checked
from tests.formats.test_jsonl_suggestions import annotated


def origin_facts(record: DocumentRecord) -> list[tuple]:
    return [(s.id, s.start, s.end, s.label, s.origin, s.suggester, s.score) for s in record.spans]


def suggestion_facts(record: DocumentRecord) -> list[tuple]:
    return [
        (
            s.id,
            s.start,
            s.end,
            s.label,
            s.text,
            s.score,
            s.suggester,
            s.reason,
            [(k.type, k.from_, k.to) for k in s.links],
        )
        for s in record.suggestions
    ]


def two_annotators() -> list[DocumentRecord]:
    alice = DocumentRecord.from_annotations(annotated(), "news/a")
    text = alice.text
    start = text.index("Yang")
    bob_suggestion = PendingSuggestion(
        id="g7", start=start, end=start + 4, label="actor", text="Yang", score=0.25, suggester="gazetteer"
    )
    bob = replace(
        alice, annotator="bob", spans=alice.spans[:1], relations=(), suggestions=(bob_suggestion,), rejected=()
    )
    return [alice, bob]


def test_origins_and_pending_suggestions_round_trip(tmp_path):
    records = two_annotators()
    out = tmp_path / "tasks.json"
    write_label_studio(records, out, ExportOptions())

    (task,) = json.loads(out.read_text(encoding="utf-8"))
    results = task["annotations"][0]["result"]
    assert [(r["origin"], r.get("score"), r.get("suggester")) for r in results if r["type"] == "labels"] == [
        ("prediction", 0.5, "sm"),
        ("prediction-changed", None, "sm"),
    ]
    assert [(p["model_version"], p["score"], p["annotator"]) for p in task["predictions"]] == [
        ("sm", 0.75, "alice"),
        ("gazetteer", 0.25, "bob"),
    ]
    region, link = task["predictions"][0]["result"]
    assert (region["id"], region["origin"], region["score"], region["meta"]) == (
        "g1",
        "prediction",
        0.75,
        {"text": ["seen"]},
    )
    assert (link["type"], link["from_id"], link["to_id"], link["labels"]) == ("relation", "s2", "g1", ["source"])

    back, rejected = read_checked(read_label_studio, out)
    assert rejected == []
    assert [r.annotator for r in back] == ["alice", "bob"]
    for original, loaded in zip(records, back, strict=True):
        assert origin_facts(loaded) == origin_facts(original)
        assert suggestion_facts(loaded) == suggestion_facts(original)  # each annotator's own, never as spans
    assert back[0].meta["suggestions_shown"] is True and back[0].meta["active_seconds"] == 42.5


def test_rejected_suggestions_are_reported_once_with_their_count(tmp_path):
    report = export(get_format("label-studio"), two_annotators(), tmp_path / "tasks.json", ExportOptions())
    assert report.left_out == ["not exported (Label Studio JSON has no room for them): 1 rejected suggestion"]


def test_origins_written_by_label_studio_itself_are_read(tmp_path):
    text = "Yang denied it."
    task = {
        "data": {"text": text},
        "predictions": [{"id": 7, "model_version": "ner-v2", "result": []}],
        "annotations": [
            {
                "parent_prediction": 7,
                "result": [
                    {"id": "a", "type": "labels", "origin": "prediction", "score": 0.8,
                     "value": {"start": 0, "end": 4, "labels": ["actor"]}},
                    {"id": "b", "type": "labels", "origin": "prediction-changed",
                     "value": {"start": 5, "end": 11, "labels": ["denial"]}},
                    {"id": "c", "type": "labels", "origin": "copilot",
                     "value": {"start": 12, "end": 14, "labels": ["claim"]}},
                ],
            }
        ],
    }  # fmt: skip
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    (record,), rejected = read_checked(read_label_studio, path)
    assert [(s.origin, s.suggester, s.score) for s in record.spans] == [
        ("suggestion", "ner-v2", 0.8),  # the model of the prediction the annotation was made from
        ("suggestion-edited", "ner-v2", None),
        ("manual", "", None),
    ]
    assert rejected == [
        'ls.json task 1 annotation 1: result 3: origin "copilot" is not one of manual, prediction, '
        "prediction-changed; the span is imported as manual"
    ]
