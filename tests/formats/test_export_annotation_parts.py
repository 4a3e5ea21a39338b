"""Every format declares which of span attributes, entities and document labels it holds (``Format.holds``); an
export through one that cannot hold them reports each span and document concerned (by line where the format has
one line per record), never silently, and the summary names what was left out."""

from __future__ import annotations

import pytest

from annotator.formats.exporting import export
from annotator.formats.options import ExportOptions
from annotator.formats.records import DocumentRecord
from annotator.formats.registry import ANNOTATION_PARTS, EXPORT_FORMATS, get_format
from annotator.formats.report import ExportReport, Problem
from annotator.model.span import Span
from tests.formats.support import linked_record, trap_records
from tests.formats.test_jsonl_attributes import RICH, enriched

#: What each format holds of annotations beyond spans and links (the README table says the same).
HOLDS = {
    "jsonl": set(ANNOTATION_PARTS),
    "brat": set(ANNOTATION_PARTS),
    "label-studio": set(ANNOTATION_PARTS),
    "csv": set(ANNOTATION_PARTS),
    "spacy": set(ANNOTATION_PARTS),
    "conll": set(),
    "doccano": set(),
    "hf": set(),
}


def test_every_format_declares_what_it_holds_of_annotations():
    assert set(HOLDS) == set(EXPORT_FORMATS)
    for name in EXPORT_FORMATS:
        assert set(get_format(name).holds) & set(ANNOTATION_PARTS) == HOLDS[name], name


def records() -> list[DocumentRecord]:
    from dataclasses import replace

    return [replace(enriched(r), label_set=RICH) for r in [*trap_records(), linked_record()]]


@pytest.mark.parametrize("fmt_name", EXPORT_FORMATS)
def test_what_a_format_cannot_hold_is_reported_by_span_and_document_with_the_traps(tmp_path, fmt_name):
    if fmt_name == "spacy":
        pytest.importorskip("spacy")
    fmt = get_format(fmt_name)
    given = records()
    report = export(fmt, given, tmp_path / f"out{fmt.suffix}", ExportOptions())
    unheld = [p for p in report.problems if p.parts]
    label_notes = [n for n in report.notes if "document labels" in n]
    if HOLDS[fmt_name]:
        assert unheld == [] and label_notes == [] and report.labels_left_out == 0
        assert "document labels of" not in report.summary()
        return
    spans = [(r.key, s.start, s.end) for r in given for s in r.spans if s.attributes or s.entity]
    assert sorted((p.document, p.start, p.end) for p in unheld) == sorted(spans)
    assert all(p.kind == "not_exported" and f"{fmt.title} has no room for them" in p.reason for p in unheld)
    assert len(label_notes) == report.labels_left_out == len(given)
    assert "relevance='relevant'" in label_notes[0] and "topics=['war', '🙂 other']" in label_notes[0]
    summary = report.summary()
    assert f"document labels of {len(given)} documents not exported (the format has no room)" in summary
    assert "attributes or entity the format cannot hold" in summary
    assert "metadata of" not in summary  # the label notes are not counted as metadata
    if fmt.one_line_per_record:
        assert label_notes[-1].endswith(f"(the record is line {len(given)} of the {fmt.title} file)")
        last = [p for p in unheld if p.document == given[-1].key]
        assert all(p.reason.endswith(f"line {len(given)} of the {fmt.title} file)") for p in last)


def test_the_reason_names_the_values_and_the_entity(tmp_path):
    text = "Sullivan warned China."
    span = Span(id="s1", start=0, end=8, label="actor", text="Sullivan", attributes={"kind": "person"}, entity="e1")
    record = DocumentRecord("news/a", text, (span,), annotator="alice", document_labels={"relevance": "relevant"})
    report = export(get_format("conll"), [record], tmp_path / "out.conll", ExportOptions())
    (problem,) = [p for p in report.problems if p.parts]
    assert problem.parts == ("attributes", "entities")
    assert problem.reason == (
        "its attributes (kind='person') and its entity 'e1' (the actor it is a mention of) are left out: "
        "CoNLL (IOB tags) has no room for them"
    )
    assert report.notes == [
        "news/a@alice: its document labels (relevance='relevant') are not exported: CoNLL (IOB tags) has no room "
        "for them"
    ]


def _problem(reason: str, parts: tuple[str, ...] = (), start: int = 0) -> Problem:
    return Problem("news/a", start, start + 1, "actor", "S", "not_exported", reason, parts)


@pytest.mark.parametrize(
    ("problems", "words"),
    [
        ([_problem("note")], "with a note, link or flag the format cannot hold"),
        ([_problem("attrs", ("attributes",))], "with attributes the format cannot hold"),
        ([_problem("entity", ("entities",))], "with an entity the format cannot hold"),
        (
            [_problem("note"), _problem("both", ("attributes", "entities"), 3)],
            "2 spans with a note, link, flag, attributes or entity the format cannot hold",
        ),
    ],
)
def test_the_summary_names_what_was_left_out(problems, words):
    report = ExportReport("conll", documents=1, spans=2, problems=problems)
    assert words in report.summary()
