"""Attributes, entities and document labels in the annotation file: version 5, written only when present, checked on
reading; older files read with none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.io.span_pieces import cut_spans

VERSIONS = Path(__file__).resolve().parents[1] / "data" / "versions"
FIXTURE = VERSIONS / "v5-attributes.annotations.json"


def test_the_attributes_file_reads_and_is_written_back_as_it_is():
    loaded = annotation_file.load(FIXTURE)
    spans = {s.id: s for s in loaded}
    assert spans["s1"].attributes == {"kind": "person", "gloss": "Yang Jiechi 😬"}
    assert (spans["s1"].entity, spans["s3"].entity, spans["s2"].entity) == ("e1", "e1", "")
    assert spans["s2"].attributes == {"quote": "indirect"}
    assert loaded.get_relation("r1").attributes == {"hedged": True}
    assert loaded.document_labels == {"relevance": "relevant", "topics": ["war", "diplomacy"]}
    assert [a.name for a in loaded.label_set.attributes] == ["quote", "kind", "hedged", "gloss"]
    record = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert record["format_version"] == 5 and "suggestions" not in record  # nothing from suggestions
    assert annotation_file.dumps_bytes(loaded) == FIXTURE.read_bytes()


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5])
def test_older_files_read_with_no_attributes_entities_or_document_labels(version):
    loaded = annotation_file.load(VERSIONS / f"v{version}.annotations.json")
    assert all(not s.attributes and not s.entity for s in loaded)
    assert all(not r.attributes for r in loaded.relations())
    assert loaded.document_labels == {} and loaded.label_set.attributes == ()


def _strip(annotations):
    """The fixture's annotations without any attribute, entity or document label, on a plain label set."""
    for span in list(annotations):
        annotations.replace(span.model_copy(update={"attributes": {}, "entity": ""}))
    for relation in annotations.relations():
        annotations.delete_relation(relation.id)
        annotations.insert_relation(relation.model_copy(update={"attributes": {}}))
    annotations.document_labels = {}
    annotations.label_set = annotations.label_set.model_copy(update={"attributes": (), "document_labels": ()})


def _only_entity(annotations):
    _strip(annotations)
    for span_id in ("s1", "s3"):
        annotations.replace(annotations.get(span_id).model_copy(update={"entity": "e1"}))


def _only_document_label(annotations):
    labels = annotations.label_set
    _strip(annotations)
    annotations.label_set = labels
    annotations.document_labels = {"relevance": "not relevant"}


@pytest.mark.parametrize(("change", "version"), [(_strip, 3), (_only_entity, 5), (_only_document_label, 5)])
def test_version_5_only_when_something_new_is_held(change, version, tmp_path):
    annotations = annotation_file.load(FIXTURE)
    change(annotations)
    text = annotation_file.dumps(annotations)
    record = json.loads(text)
    assert record["format_version"] == version
    assert ("document_labels" in record) == bool(annotations.document_labels)
    assert "suggestions" not in record and "metadata" not in record
    path = tmp_path / "a.annotations.json"
    annotation_file.save(annotations, path)
    again = annotation_file.load(path)
    assert annotation_file.dumps(again) == text


def _faulty(edit) -> str:
    record = json.loads(FIXTURE.read_text(encoding="utf-8"))
    edit(record)
    with pytest.raises(FileFault) as caught:
        annotation_file.parse(json.dumps(record, ensure_ascii=False), "a.annotations.json")
    return str(caught.value)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r["spans"][1]["attributes"].update(quote="loud"), "'loud' is not one of its values"),
        (lambda r: r["spans"][0]["attributes"].update(quote="direct"), "not allowed on actor spans (only on denial)"),
        (lambda r: r["spans"][0]["attributes"].update(mood="x"), "attribute 'mood' is not in the label set's span"),
        (lambda r: r["relations"][0]["attributes"].update(hedged="yes"), "attribute 'hedged': must be true or false"),
        (lambda r: r["spans"][1].update(entity="e1"), "entity 'e1' groups spans of different labels"),
        (lambda r: r["document_labels"].update(relevance="maybe"), "document_labels: document label 'relevance'"),
        (lambda r: r["document_labels"].update(topics="war"), "must be a list of its values"),
        (lambda r: r["document_labels"].update(mood="calm"), "document label 'mood' is not in the label set"),
        (lambda r: r["spans"][0].update(attributes=["kind"]), "spans[0].attributes"),
    ],
)
def test_attributes_entities_and_document_labels_are_checked_on_reading(edit, message):
    fault = _faulty(edit)
    assert "a.annotations.json" in fault and message in fault
    # the same faults from bytes in the app's layout, whose spans are checked and made from the parsed JSON values
    record = json.loads(FIXTURE.read_text(encoding="utf-8"))
    edit(record)
    data = json.dumps(record, ensure_ascii=False, indent=2).encode()
    assert cut_spans(data, 1) is not None
    with pytest.raises(FileFault) as caught:
        annotation_file.parse(data, "a.annotations.json")
    assert str(caught.value) == fault


@pytest.mark.parametrize(
    "value",
    [None, [], "", 0, False, {"kind": None}, {"kind": 1}],
    ids=["null", "list", "empty-str", "zero", "false", "null-value", "int-value"],
)
def test_attributes_that_are_not_an_object_of_strings_and_booleans_are_refused_from_bytes(value):
    record = json.loads(FIXTURE.read_text(encoding="utf-8"))
    index = next(i for i, span in enumerate(record["spans"]) if not span.get("entity"))  # else plain
    assert "origin" not in record["spans"][index]
    record["spans"][index]["attributes"] = value
    text = json.dumps(record, ensure_ascii=False, indent=2)
    with pytest.raises(FileFault) as from_bytes:
        annotation_file.parse(text.encode(), "a.annotations.json")
    with pytest.raises(FileFault) as from_str:
        annotation_file.parse(text, "a.annotations.json")
    assert f"spans[{index}].attributes" in str(from_bytes.value)
    assert from_bytes.value.faults == from_str.value.faults
