"""JSONL carries span origins and pending and rejected suggestions both ways; the importer writes them into the
annotation files (never as spans); bad suggestions are reported by line."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.formats.importing import import_records
from annotator.formats.jsonl import read_jsonl, write_jsonl
from annotator.formats.options import ExportOptions
from annotator.formats.records import DocumentRecord
from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.pending import PendingLink, PendingSuggestion, RejectedSuggestion
from annotator.model.relation import Relation
from annotator.model.span import Span
from annotator.project.layout import Project

TEXT = "Sullivan warned China. Sullivan left; 😬 Yang denied it."


def project(tmp_path: Path) -> Project:
    (tmp_path / "p").mkdir()
    return Project(tmp_path / "p")


def annotated() -> AnnotationSet:
    def at(phrase: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = TEXT.index(phrase, start + 1)
        return start, start + len(phrase)

    accepted = Span(
        id="s1", start=0, end=8, label="actor", text="Sullivan", origin="suggestion", suggester="sm", score=0.5
    )
    start, end = at("warned")
    edited = Span(
        id="s2", start=start, end=end, label="warning", text="warned", origin="suggestion-edited", suggester="sm"
    )
    start, end = at("Sullivan", 1)
    link = PendingLink(type="source", from_="s2", to="g1")
    pending = PendingSuggestion(
        id="g1", start=start, end=end, label="actor", text="Sullivan", score=0.75, suggester="sm", reason="seen",
        links=(link,),
    )  # fmt: skip
    start, end = at("Yang")
    annotations = AnnotationSet(
        Document.from_text(TEXT),
        default_label_set(),
        "alice",
        [accepted, edited],
        [Relation(id="r1", type="source", from_="s2", to="s1")],
        suggestions=[pending],
        rejected=[RejectedSuggestion(start=start, end=end, label="actor", suggester="sm")],
        suggestions_shown=True,
        active_seconds=42.5,
    )
    return annotations


def test_origins_and_suggestions_round_trip_through_jsonl_into_annotation_files(tmp_path: Path) -> None:
    out = tmp_path / "data.jsonl"
    write_jsonl([DocumentRecord.from_annotations(annotated(), "news/a")], out, ExportOptions())
    item = json.loads(out.read_text(encoding="utf-8"))
    assert item["spans"][0]["origin"] == "suggestion" and item["spans"][0]["score"] == 0.5
    assert "score" not in item["spans"][1] and item["spans"][1]["suggester"] == "sm"
    assert item["suggestions"] == [
        {
            "id": "g1",
            "start": 23,
            "end": 31,
            "label": "actor",
            "score": 0.75,
            "suggester": "sm",
            "reason": "seen",
        }
    ]
    assert item["suggested_relations"] == [{"type": "source", "from": "s2", "to": "g1"}]
    assert item["rejected_suggestions"] == [{"start": 40, "end": 44, "label": "actor", "suggester": "sm"}]
    assert item["meta"]["suggestions_shown"] is True and item["meta"]["active_seconds"] == 42.5

    report = import_records(read_jsonl(out), project(tmp_path), default_label_set(), "bo")

    assert report.rejected == []
    loaded = annotation_file.load(next((tmp_path / "p").rglob("*.annotations.json")))
    original = annotated()
    assert [s.model_dump() for s in loaded.sorted_spans()] == [s.model_dump() for s in original.sorted_spans()]
    assert loaded.suggestions() == original.suggestions() and loaded.rejected() == original.rejected()
    assert (loaded.suggestions_shown, loaded.active_seconds) == (True, 42.5)


def test_a_manual_record_is_written_with_origin_manual_and_no_suggestion_keys(tmp_path: Path) -> None:
    plain = AnnotationSet(
        Document.from_text(TEXT),
        default_label_set(),
        "alice",
        [Span(id="s1", start=0, end=8, label="actor", text="Sullivan")],
    )
    out = tmp_path / "data.jsonl"
    write_jsonl([DocumentRecord.from_annotations(plain, "a")], out, ExportOptions())
    item = json.loads(out.read_text(encoding="utf-8"))
    assert list(item) == ["id", "text", "spans", "relations", "annotator", "meta"]
    assert item["spans"][0]["origin"] == "manual" and "suggester" not in item["spans"][0]


def test_bad_suggestions_and_origins_are_reported_by_line_and_the_rest_imported(tmp_path: Path) -> None:
    good = {"start": 0, "end": 8, "label": "actor", "score": 0.5, "suggester": "sm", "id": "x1"}
    lines = [
        {"id": "a", "text": TEXT, "spans": [{"start": 9, "end": 15, "label": "warning", "origin": "guess"}],
         "suggestions": [good, {**good, "score": 2}, {**good, "end": 99}, "nope", {**good, "label": "quote"}],
         "suggested_relations": [{"type": "source", "from": "x1", "to": "s9"}]},
    ]  # fmt: skip
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    report = import_records(read_jsonl(data), project(tmp_path), default_label_set(), "bo")

    assert report.rejected == [
        'in.jsonl line 1: span 1: "origin" must be one of manual, suggestion, suggestion-edited, not "guess"; '
        "imported as manual",
        "in.jsonl line 1: suggestion 2: a score is a number from 0 to 1, not 2; left out",
        'in.jsonl line 1: suggestion 4 is not an object with "start", "end" and "label" (found "nope"); left out',
        "in.jsonl line 1: suggestion 3 [0, 99) is outside the text (0 to 55 code points)",
        "in.jsonl line 1: suggestion 5 [0, 8) has the label 'quote', which is not in the label set "
        "(actor, claim, warning, denial)",
        'in.jsonl line 1: suggested link 1 ("source" x1 → s9) needs a type and two ends among the imported '
        "suggestions and spans, one of them a suggestion; left out",
    ]
    loaded = annotation_file.load(next((tmp_path / "p").rglob("*.annotations.json")))
    assert [(s.label, s.origin) for s in loaded] == [("warning", "manual")]
    assert [(s.id, s.text) for s in loaded.suggestions()] == [("x1", "Sullivan")]


def test_links_between_pending_suggestions_round_trip_through_jsonl(tmp_path: Path) -> None:
    text = "Sullivan said 😬 it rains."
    claim = PendingSuggestion(
        id="g2", start=16, end=24, label="claim", text="it rains", score=0.5, suggester="attribution",
        links=(PendingLink(type="source", from_="g2", to="g1"),),
    )  # fmt: skip
    actor = PendingSuggestion(
        id="g1", start=0, end=8, label="actor", text="Sullivan", score=0.5, suggester="attribution"
    )
    original = AnnotationSet(Document.from_text(text), default_label_set(), "alice", suggestions=[claim, actor])
    out = tmp_path / "data.jsonl"
    write_jsonl([DocumentRecord.from_annotations(original, "news/a")], out, ExportOptions())
    assert json.loads(out.read_text(encoding="utf-8"))["suggested_relations"] == [
        {"type": "source", "from": "g2", "to": "g1"}
    ]

    report = import_records(read_jsonl(out), project(tmp_path), default_label_set(), "bo")

    assert report.rejected == []
    loaded = annotation_file.load(next((tmp_path / "p").rglob("*.annotations.json")))
    assert loaded.suggestions() == original.suggestions()
