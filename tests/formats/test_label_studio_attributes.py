"""Label Studio carries span attributes and entities as per-region results and document labels as per-task
``choices`` both ways, the unicode traps included; link attributes, which it cannot hold, are reported."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from annotator.formats.checking import check_record
from annotator.formats.label_studio import ENTITY_NAME, config_path_for, read_label_studio, write_label_studio
from annotator.formats.options import ExportOptions
from annotator.formats.parsed import RecordFault
from annotator.io.errors import FileFault
from annotator.io.label_set_file import parse_label_set
from tests.formats.support import linked_record, trap_records
from tests.formats.test_jsonl_attributes import RICH, enriched


def read(path):
    """The records of ``path`` checked against :data:`RICH`, and every rejection message."""
    records, rejected = [], []
    for parsed in read_label_studio(path):
        if isinstance(parsed, RecordFault):
            rejected.append(parsed.message())
            continue
        checked = check_record(parsed, RICH, parsed.id or "x", "trap")
        rejected.extend(checked.rejected)
        if checked.record is not None:
            records.append(checked.record)
    return records, rejected


def test_attributes_entities_and_document_labels_round_trip_with_the_traps(tmp_path):
    records = [replace(enriched(r), label_set=RICH) for r in [*trap_records(), linked_record()]]
    out = tmp_path / "tasks.json"
    report = write_label_studio(records, out, ExportOptions())

    back, rejected = read(out)

    assert rejected == []
    assert len(back) == len(records)
    for original, loaded in zip(records, back, strict=True):
        assert [(s.start, s.end, s.label, s.attributes, s.entity) for s in loaded.spans] == [
            (s.start, s.end, s.label, s.attributes, s.entity) for s in original.spans
        ]
        assert dict(loaded.document_labels) == dict(original.document_labels)
    links = [p for p in report.problems if "Label Studio relations have no attributes" in p.reason]
    assert len(links) == 3


def test_results_and_config_have_label_studios_shapes(tmp_path):
    out = tmp_path / "tasks.json"
    write_label_studio([replace(enriched(linked_record()), label_set=RICH)], out, ExportOptions())

    (task,) = json.loads(out.read_text(encoding="utf-8"))
    result = task["annotations"][0]["result"]
    assert {
        "id": "s1",
        "from_name": "kind",
        "to_name": "text",
        "type": "choices",
        "value": {"start": 0, "end": 8, "choices": ["person"]},
    } in result
    assert {
        "id": "s1",
        "from_name": "entity",
        "to_name": "text",
        "type": "textarea",
        "value": {"start": 0, "end": 8, "text": ["e1"]},
    } in result
    assert {"from_name": "gloss", "type": "textarea"}.items() <= result[1].items() or any(
        r.get("from_name") == "gloss" and r["type"] == "textarea" and r["value"]["text"] == ["Sullivan"] for r in result
    )
    assert {"from_name": "topics", "to_name": "text", "type": "choices", "value": {"choices": ["war", "🙂 other"]}} in (
        result
    )
    config = config_path_for(out).read_text(encoding="utf-8")
    assert '<Choices name="quote" toName="text" perRegion="true" choice="single">' in config
    assert '<TextArea name="gloss" toName="text" perRegion="true"/>' in config
    assert '<TextArea name="entity" toName="text" perRegion="true"/>' in config
    assert '<Choices name="topics" toName="text" choice="multiple">' in config
    assert '<Choice value="not relevant"/>' in config
    assert "hedged" not in config  # Label Studio relations have no attributes


def test_per_region_results_naming_no_region_and_bad_values_are_reported(tmp_path):
    text = "Sullivan warned China."
    region = {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
              "value": {"start": 0, "end": 8, "text": "Sullivan", "labels": ["actor"]}}  # fmt: skip
    result = [
        {"id": "a", "from_name": "kind", "to_name": "text", "type": "choices",
         "value": {"start": 0, "end": 8, "choices": ["alien"]}},
        {"id": "zz", "from_name": "kind", "to_name": "text", "type": "choices",
         "value": {"start": 9, "end": 15, "choices": ["person"]}},
        region,
        {"from_name": "relevance", "to_name": "text", "type": "choices", "value": {"choices": ["relevant", "x"]}},
    ]  # fmt: skip
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([{"data": {"text": text}, "annotations": [{"result": result}]}]), encoding="utf-8")

    (record,), rejected = read(path)

    assert record.spans[0].attributes == {} and record.document_labels == {}
    expected = [
        "tasks.json task 1 annotation 1: result 2: 'kind' names the region 'zz', which is not imported; left out",
        "tasks.json task 1 annotation 1: result 3 (with result 1) [0, 8) actor: attribute 'kind': 'alien' is not "
        "one of its values",
        "tasks.json task 1 annotation 1: document label 'relevance': must be one of its values",
    ]
    for start in expected:
        assert any(message.startswith(start) for message in rejected), (start, rejected)


def test_an_attribute_named_entity_is_refused_so_it_never_clashes_with_the_entity_result():
    """Label Studio names a per-region attribute result by the attribute and the span's entity result ``entity``:
    a label set cannot define an attribute ``entity`` (one line naming the file and the name)."""
    text = json.dumps({**RICH.model_dump(), "attributes": [{"name": ENTITY_NAME, "type": "text"}]})
    with pytest.raises(FileFault) as raised:
        parse_label_set(text, "news.labels.json")
    message = raised.value.message
    assert "news.labels.json" in message and "the attribute name 'entity' is reserved" in message
    assert "\n" not in message
