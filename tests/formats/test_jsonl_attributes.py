"""JSONL carries span and relation attributes, entities and document labels both ways (the unicode traps included);
the import checks them against the label set and reports, by line, what it leaves out."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.formats.checking import check_record
from annotator.formats.importing import import_records
from annotator.formats.jsonl import read_jsonl, write_jsonl
from annotator.formats.options import ExportOptions
from annotator.formats.parsed import RecordFault
from annotator.formats.records import DocumentRecord
from annotator.io import annotation_file
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.labels import LabelSet
from annotator.model.relation import Relation
from annotator.project.layout import Project
from tests.formats.support import LABELS, linked_record, trap_records

RICH = LabelSet.model_validate(
    {
        **LABELS.model_dump(),
        "attributes": [
            *(a.model_dump() for a in LABELS.attributes),
            {"name": "gloss", "type": "text"},
            {"name": "hedged", "type": "bool", "on": "relation"},
        ],
        "document_labels": [
            *(d.model_dump() for d in LABELS.document_labels),
            {"name": "topics", "values": ["war", "trade", "🙂 other"], "multiple": True},
        ],
    }
)


def enriched(record: DocumentRecord) -> DocumentRecord:
    """``record`` with attributes on every span (the span's own text as a gloss: the traps' hardest strings), its
    actors grouped into one entity, attributes on its links and document labels."""
    spans = []
    actors = [s for s in record.spans if s.label == "actor"]
    for span in record.spans:
        attributes: dict[str, bool | str] = {"gloss": span.text}
        if span.label == "actor":
            attributes["kind"] = "person"
        elif span.label in ("claim", "warning", "denial"):
            attributes["quote"] = "mixed"
        entity = "e1" if span.label == "actor" and len(actors) > 1 else ""
        spans.append(span.model_copy(update={"attributes": attributes, "entity": entity}))
    relations = tuple(r.model_copy(update={"attributes": {"hedged": True}}) for r in record.relations)
    labels = {"relevance": "relevant", "topics": ["war", "🙂 other"]}
    return DocumentRecord(
        record.id, record.text, tuple(spans), relations, record.annotator, record.meta, document_labels=labels
    )


def read(path: Path, label_set: LabelSet = RICH) -> tuple[list[DocumentRecord], list[str]]:
    records, rejected = [], []
    for parsed in read_jsonl(path):
        if isinstance(parsed, RecordFault):
            rejected.append(parsed.message())
            continue
        checked = check_record(parsed, label_set, parsed.id or "x", "trap")
        rejected.extend(checked.rejected)
        if checked.record is not None:
            records.append(checked.record)
    return records, rejected


def test_attributes_entities_and_document_labels_round_trip_with_the_traps(tmp_path):
    records = [enriched(r) for r in [*trap_records(), linked_record()]]
    out = tmp_path / "data.jsonl"
    write_jsonl(records, out, ExportOptions())

    back, rejected = read(out)

    assert rejected == []
    assert len(back) == len(records)
    for original, loaded in zip(records, back, strict=True):
        assert [(s.start, s.end, s.label, s.text, s.attributes, s.entity) for s in loaded.spans] == [
            (s.start, s.end, s.label, s.text, s.attributes, s.entity) for s in original.spans
        ]
        assert [r.attributes for r in loaded.relations] == [r.attributes for r in original.relations]
        assert dict(loaded.document_labels) == dict(original.document_labels)


def test_keys_are_written_only_when_set(tmp_path):
    out = tmp_path / "data.jsonl"
    write_jsonl([linked_record(), enriched(linked_record())], out, ExportOptions())
    plain, rich = (json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())
    assert "document_labels" not in plain
    assert all("attributes" not in s and "entity" not in s for s in plain["spans"])
    assert all("attributes" not in r for r in plain["relations"])
    assert rich["document_labels"] == {"relevance": "relevant", "topics": ["war", "🙂 other"]}
    assert rich["spans"][0]["entity"] == "e1" and rich["relations"][0]["attributes"] == {"hedged": True}


def test_what_the_label_set_does_not_allow_is_left_out_and_reported_by_line(tmp_path):
    text = "Sullivan warned China."
    line = {
        "id": "a",
        "text": text,
        "spans": [
            {"id": "s1", "start": 0, "end": 8, "label": "actor", "attributes": {"kind": "alien", "quote": "direct"},
             "entity": "e1"},
            {"id": "s2", "start": 9, "end": 15, "label": "claim", "attributes": ["quote"], "entity": "e1"},
            {"id": "s3", "start": 16, "end": 21, "label": "actor", "attributes": {"kind": "government"}, "entity": 7},
        ],
        "relations": [{"type": "source", "from": "s2", "to": "s1", "attributes": {"hedged": "yes"}}],
        "document_labels": {"relevance": "maybe", "mood": "calm", "topics": ["trade"]},
    }  # fmt: skip
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps(line) + "\n" + json.dumps({**line, "document_labels": ["x"]}) + "\n", encoding="utf-8")

    (first, second), rejected = read(path)

    assert [(s.attributes, s.entity) for s in first.spans] == [({}, "e1"), ({}, ""), ({"kind": "government"}, "")]
    assert first.relations[0].attributes == {}
    assert first.document_labels == {"topics": ["trade"]}
    expected = [
        "data.jsonl line 1: span 1 [0, 8) actor: attribute 'kind': 'alien' is not one of its values",
        "data.jsonl line 1: span 1 [0, 8) actor: attribute 'quote' is not allowed on actor spans",
        'data.jsonl line 1: span 2 [9, 15) claim: "attributes" must be an object',
        'data.jsonl line 1: span 3 [16, 21) actor: "entity" must be an id (a string), not 7',
        "data.jsonl line 1: claim span [9, 15) is in entity 'e1', whose first mention is an actor span",
        "data.jsonl line 1: link 1 (source s2 → s1): attribute 'hedged': must be true or false",
        "data.jsonl line 1: document label 'relevance': 'maybe' is not one of its values",
        "data.jsonl line 1: document label 'mood' is not in the label set",
        'data.jsonl line 2: "document_labels" must be an object',
    ]
    for start in expected:
        assert any(message.startswith(start) for message in rejected), (start, rejected)
    assert second.document_labels == {}


def test_an_import_writes_them_into_the_annotation_file(tmp_path):
    annotations = AnnotationSet(Document.from_text("Price said so. Ned Price agreed."), RICH, "alice")
    for start, end, label in ((0, 5, "actor"), (15, 24, "actor"), (11, 13, "claim")):
        annotations.insert(annotations.new_span(start, end, label))
    for span_id in ("s1", "s2"):
        annotations.replace(annotations.get(span_id).model_copy(update={"entity": "e1"}))
    annotations.replace(annotations.get("s3").model_copy(update={"attributes": {"quote": "indirect"}}))
    annotations.insert_relation(Relation(id="r1", type="source", from_="s3", to="s1", attributes={"hedged": True}))
    annotations.document_labels = {"relevance": "not relevant"}
    out = tmp_path / "data.jsonl"
    write_jsonl([DocumentRecord.from_annotations(annotations, "news/a")], out, ExportOptions())
    (tmp_path / "p").mkdir()

    report = import_records(read_jsonl(out), Project(tmp_path / "p"), RICH, "bo")

    assert report.rejected == []
    loaded = annotation_file.load(next((tmp_path / "p").rglob("*.annotations.json")))
    assert [s.model_dump() for s in loaded.sorted_spans()] == [s.model_dump() for s in annotations.sorted_spans()]
    assert loaded.relations() == annotations.relations()
    assert loaded.document_labels == {"relevance": "not relevant"}
