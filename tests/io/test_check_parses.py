"""``check_parses``: the verdict of ``parse`` on an annotation file's bytes, without a second set of spans when the
bytes were made of spans already in memory (the recovery check on a 1M-span journal held 1.2 GB more for them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.io.json_pieces import dumps_pieces, joined, saved_order
from annotator.io.label_set_file import default_label_set
from annotator.io.span_pieces import cut_spans
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.span import Span
from tests.conftest import trap_cases

VERSIONS = Path(__file__).resolve().parents[1] / "data" / "versions"
FIXTURES = [VERSIONS / "v5.annotations.json", VERSIONS / "v5-attributes.annotations.json"]
PATH = "a.annotations.json"


@pytest.fixture
def full_parses(monkeypatch) -> list[int]:
    """The sizes of the data ``annotation_file._parse`` (a whole file's parse) was called with."""
    calls: list[int] = []
    real = annotation_file._parse

    def spy(data, *args, **kwargs):
        calls.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(annotation_file, "_parse", spy)
    return calls


def verdict(call) -> str | None:
    """What ``call()`` raised (a ``FileFault``, as text), or ``None``."""
    try:
        call()
    except FileFault as fault:
        return str(fault)
    return None


def spans_of(record: dict) -> list[Span]:
    """The spans a file's record holds, each validated alone (``[]`` when one is not valid alone)."""
    try:
        return [Span.model_validate(span) for span in record["spans"]]
    except ValidationError:
        return []


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("piece_bytes", [1, 1 << 20])
def test_the_apps_own_bytes_pass_without_a_second_parse(fixture, piece_bytes, monkeypatch, full_parses):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", piece_bytes)
    annotations = annotation_file.load(fixture)
    full_parses.clear()
    data = annotation_file.dumps_bytes(annotations)
    steps: list[tuple[str, int, int]] = []
    annotation_file.check_parses(data, PATH, annotations.sorted_spans(), progress=lambda *s: steps.append(s))
    assert full_parses == []
    assert {stage for stage, _, _ in steps} <= {"validating", "building"}
    assert steps and all(0 <= done <= total for _, done, total in steps)


@pytest.mark.parametrize("case", trap_cases(), ids=[c["name"] for c in trap_cases()])
def test_the_trap_corpus_passes_in_pieces(case, monkeypatch, full_parses):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    annotations = AnnotationSet(Document.from_text(case["text"]), default_label_set(), "alice")
    for span in case["spans"]:
        annotations.insert(annotations.new_span(span["start"], span["end"], span["label"]))
    data = joined(dumps_pieces(annotations, slice_size=3, spans_piece=1))
    assert data == annotation_file.dumps_bytes(annotations)
    annotation_file.check_parses(data, PATH, saved_order(list(annotations)), progress=lambda *s: None)
    assert full_parses == ([] if case["spans"] else [len(data)])  # no spans array to cut: parsed whole


def test_spans_that_differ_from_the_bytes_are_parsed_in_full_with_its_verdict(full_parses):
    annotations = annotation_file.load(FIXTURES[1])
    full_parses.clear()
    data = annotation_file.dumps_bytes(annotations)
    expected = annotations.sorted_spans()
    expected[0] = expected[0].model_copy(update={"note": "not in the file"})
    annotation_file.check_parses(data, PATH, expected)  # the file itself is valid
    assert full_parses == [len(data)]
    annotation_file.check_parses(data, PATH, expected[1:])  # one missing
    annotation_file.check_parses(data, PATH, [*annotations.sorted_spans(), expected[0]])  # one more
    assert len(full_parses) == 3


def test_another_layout_gets_parses_verdict(full_parses):
    record = json.loads(FIXTURES[0].read_text(encoding="utf-8"))
    data = json.dumps(record, ensure_ascii=False).encode()  # on one line: not the app's layout
    assert cut_spans(data, 1) is None
    annotation_file.check_parses(data, PATH, spans_of(record))
    assert full_parses == [len(data)]
    record["spans"][0]["end"] = 99
    bad = json.dumps(record, ensure_ascii=False).encode()
    assert verdict(lambda: annotation_file.check_parses(bad, PATH, [])) == verdict(
        lambda: annotation_file.parse(bad, PATH)
    )


def _relation_to_nowhere(record: dict) -> None:
    record["relations"][0]["to"] = "nowhere"


def _suggestion_with_a_span_id(record: dict) -> None:
    record["suggestions"][0]["id"] = record["spans"][0]["id"]


def _newer(record: dict) -> None:
    record["format_version"] = annotation_file.FORMAT_VERSION + 1


def _other_text(record: dict) -> None:
    record["document"]["text"] = record["document"]["text"].replace("Yang", "Wang")
    record["spans"][0]["text"] = "Wang"


def _beyond_the_text(record: dict) -> None:
    record["spans"][-1]["end"] = len(record["document"]["text"]) + 1


def _twice(record: dict) -> None:
    record["spans"][1]["id"] = record["spans"][0]["id"]


@pytest.mark.parametrize(
    ("fixture", "edit", "in_pieces"),
    [
        (FIXTURES[0], _relation_to_nowhere, True),
        (FIXTURES[0], _suggestion_with_a_span_id, True),
        (FIXTURES[0], _newer, True),
        (FIXTURES[0], _other_text, True),
        (FIXTURES[0], _beyond_the_text, False),  # a span that does not fit: parsed in full to be named
        (FIXTURES[0], _twice, True),
        (FIXTURES[1], lambda r: r["spans"][1]["attributes"].update(quote="loud"), True),
        (FIXTURES[1], lambda r: r["spans"][0]["attributes"].update(quote="direct"), True),
        (FIXTURES[1], lambda r: r["spans"][1].update(entity="e1"), True),
        (FIXTURES[1], lambda r: r["relations"][0]["attributes"].update(hedged="yes"), True),
        (FIXTURES[1], lambda r: r["document_labels"].update(relevance="maybe"), True),
        (FIXTURES[1], lambda r: r["spans"][0].update(attributes=["kind"]), False),
    ],
    ids=[
        "relation-end",
        "suggestion-id",
        "newer-version",
        "text-changed",
        "beyond-text",
        "duplicate-id",
        "attribute-value",
        "attribute-label",
        "entity-labels",
        "relation-attribute",
        "document-label",
        "attributes-type",
    ],
)
def test_a_fault_is_named_as_parse_names_it(fixture, edit, in_pieces, full_parses):
    record = json.loads(fixture.read_text(encoding="utf-8"))
    edit(record)
    data = json.dumps(record, ensure_ascii=False, indent=2).encode()  # the app's layout
    assert cut_spans(data, 1) is not None
    expected = verdict(lambda: annotation_file.parse(data, PATH))
    assert expected is not None and PATH in expected
    full_parses.clear()
    assert verdict(lambda: annotation_file.check_parses(data, PATH, spans_of(record))) == expected
    assert full_parses == ([] if in_pieces else [len(data)])


def test_cancel_stops_the_check(monkeypatch):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    monkeypatch.setattr(annotation_file, "REPORT_JSON_BYTES", 0)
    annotations = annotation_file.load(FIXTURES[0])
    data = annotation_file.dumps_bytes(annotations)
    told: list[int] = []

    def step(stage: str, done: int, total: int) -> None:
        told.append(done)
        if len(told) == 2:
            raise annotation_file.LoadCancelled

    with pytest.raises(annotation_file.LoadCancelled):
        annotation_file.check_parses(data, PATH, annotations.sorted_spans(), progress=step)
    assert len(told) == 2
