"""spaCy DocBin carries document labels in ``doc.cats`` (one key per value, for text classification), entities as
the spaCy spans' ``kb_id_``, and span and link attributes, entities and document labels in ``doc.user_data``: read
back with spaCy, every value of the traps is there."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annotator.formats.options import ExportOptions
from annotator.formats.records import DocumentRecord
from annotator.formats.spacy_docbin import document_cats, write_spacy
from annotator.model.span import Span
from tests.formats.support import linked_record, trap_records
from tests.formats.test_jsonl_attributes import RICH, enriched

pytest.importorskip("spacy")


def load(path: Path) -> list:
    import spacy
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab))


def test_attributes_entities_and_document_labels_are_read_back_with_spacy(tmp_path):
    records = [replace(enriched(r), label_set=RICH) for r in [*trap_records(), linked_record()]]
    out = tmp_path / "train.spacy"
    write_spacy(records, out, ExportOptions())

    docs = load(out)

    assert len(docs) == len(records)
    for record, doc in zip(records, docs, strict=True):
        items = doc.user_data["spans"]
        assert [
            (i["start"], i["end"], i["label"], dict(i.get("attributes", {})), i.get("entity", "")) for i in items
        ] == [(s.start, s.end, s.label, dict(s.attributes), s.entity) for s in record.spans]
        for item in items:  # the spaCy span of an item: doc.spans["sc"][item["sc"]]
            if item["sc"] is not None:
                assert doc.spans["sc"][item["sc"]].kb_id_ == item.get("entity", "")
        assert [dict(r.get("attributes", {})) for r in doc.user_data["relations"]] == [
            dict(r.attributes) for r in record.relations
        ]
        labels = doc.user_data["document_labels"]
        assert labels["relevance"] == "relevant" and list(labels["topics"]) == ["war", "🙂 other"]
        relevance = next(d for d in RICH.document_labels if d.name == "relevance")
        assert {k: v for k, v in doc.cats.items() if k.startswith("relevance=")} == {
            f"relevance={v}": 1.0 if v == "relevant" else 0.0 for v in relevance.values
        }
        assert doc.cats["topics=war"] == doc.cats["topics=🙂 other"] == 1.0 and doc.cats["topics=trade"] == 0.0
    linked = docs[-1]
    assert {e.kb_id_ for e in linked.ents if e.label_ == "actor"} == {"e1"}


def test_cats_without_a_label_set_hold_the_chosen_values_only():
    record = DocumentRecord("a", "Text.", document_labels={"relevance": "relevant", "topics": ["war"]})
    assert document_cats(record) == {"relevance=relevant": 1.0, "topics=war": 1.0}
    assert document_cats(replace(record, document_labels={})) == {}


def test_a_document_without_labels_gets_no_cats_and_no_document_labels_key(tmp_path):
    text = "Sullivan warned."
    record = DocumentRecord("a", text, (Span(id="s1", start=0, end=8, label="actor", text="Sullivan"),), label_set=RICH)
    out = tmp_path / "train.spacy"
    write_spacy([record], out, ExportOptions())
    (doc,) = load(out)
    assert doc.cats == {}
    assert "document_labels" not in doc.user_data
    assert "attributes" not in doc.user_data["spans"][0] and doc.spans["sc"][0].kb_id_ == ""
