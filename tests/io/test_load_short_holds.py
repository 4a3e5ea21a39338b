"""The stepped load's whole-file passes go a piece at a time (so a worker thread never holds the GIL long), with
exactly the one-call results: the escape searches in overlapping windows, the spans by id and label counts in steps."""

from __future__ import annotations

import json
import re

import pytest

from annotator.io import annotation_file
from annotator.io.annotation_file import _found_in_windows, load_in_steps
from annotator.io.errors import FileFault
from tests.io.test_load_in_steps import many_spans


@pytest.mark.parametrize("window", [1, 2, 3, 5, 8, 1000])
def test_an_escape_is_found_at_every_place_whatever_the_window(monkeypatch, window):
    monkeypatch.setattr(annotation_file, "SEARCH_WINDOW", window)
    pattern = re.compile(rb"\\u0000")
    for place in range(12):
        data = b"x" * place + b"\\u0000" + b"y" * 5
        assert _found_in_windows(pattern, data), place
        assert not _found_in_windows(pattern, data.replace(b"0000", b"0001"))
    assert not _found_in_windows(pattern, b"")


def test_a_nul_escape_across_windows_is_refused_as_before(tmp_path, monkeypatch):
    path = many_spans(tmp_path)
    data = path.read_bytes().replace(b'"annotator": "alice"', b'"annotator": "al\\u0000ice"', 1)
    path.write_bytes(data)
    with pytest.raises(FileFault) as at_once:
        annotation_file.load(path)
    monkeypatch.setattr(annotation_file, "SEARCH_WINDOW", 3)
    with pytest.raises(FileFault) as stepped:
        load_in_steps(path)
    assert str(stepped.value) == str(at_once.value)


def test_spans_by_id_and_label_counts_made_in_steps_are_the_one_call_ones(tmp_path, monkeypatch):
    path = many_spans(tmp_path, count=23)
    loaded = annotation_file.load(path)
    monkeypatch.setattr(annotation_file, "STEP_SPANS", 5)
    stepped, _ = load_in_steps(path)
    assert stepped.counts_by_label() == loaded.counts_by_label() == {**stepped.counts_by_label(), "actor": 23}
    assert list(stepped) == list(loaded) and [s.id for s in stepped] == [s.id for s in loaded]
    span = next(iter(stepped))
    stepped.delete(span.id)  # the counts stay in step with edits
    assert stepped.counts_by_label()["actor"] == 22


@pytest.mark.parametrize("window", [1, 2, 3, 4, 7, 1000])
def test_finding_in_windows_finds_what_one_find_finds(monkeypatch, window):
    from annotator.io import span_pieces

    monkeypatch.setattr(span_pieces, "FIND_WINDOW", window)
    data = b"ab\n  ]xx\n  ] \n  ]"
    for start in range(len(data) + 2):
        for sub in (b"\n  ]", b"x", b"zz", b"]"):
            assert span_pieces.find_in_windows(data, sub, start) == data.find(sub, start), (start, sub)


def test_a_file_cut_with_tiny_find_windows_loads_as_in_one_call(tmp_path, monkeypatch):
    from annotator.io import span_pieces

    path = many_spans(tmp_path, count=40)
    loaded = annotation_file.load(path)
    monkeypatch.setattr(span_pieces, "FIND_WINDOW", 5)
    assert span_pieces.cut_spans(path.read_bytes(), 300) is not None
    stepped, _ = load_in_steps(path)
    assert annotation_file.dumps(stepped) == annotation_file.dumps(loaded)


def test_spans_read_in_short_calls_give_the_one_call_index_and_entity_faults(tmp_path, monkeypatch):
    # the spans by id, the label counts and the search for an entity go STEP_C_SPANS spans a call; an entity only on
    # the last spans is still found (and its fault named as load names it)
    path = many_spans(tmp_path, count=12)
    record = json.loads(path.read_bytes())
    record["spans"][-1]["entity"] = record["spans"][-2]["entity"] = "e1"  # an actor and a warning: a fault
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FileFault) as at_once:
        annotation_file.load(path)
    assert "entity 'e1' groups spans of different labels" in str(at_once.value)
    monkeypatch.setattr(annotation_file, "STEP_C_SPANS", 2)
    with pytest.raises(FileFault) as stepped:
        load_in_steps(path)
    assert str(stepped.value) == str(at_once.value)
    record["spans"][-2]["entity"] = ""
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    loaded, _ = load_in_steps(path)
    assert loaded.counts_by_label() == annotation_file.load(path).counts_by_label()
    assert [s.id for s in loaded] == [s["id"] for s in record["spans"]]


@pytest.mark.parametrize("escape", [b"\\ud800", b"\\uDFFF", b"\\udA00", b"\\u0000"])
def test_the_one_escape_search_finds_a_surrogate_or_nul_escape_anywhere(monkeypatch, escape):
    monkeypatch.setattr(annotation_file, "SEARCH_WINDOW", 3)
    pattern = annotation_file._SURROGATE_OR_NUL_ESCAPE_BYTES
    for place in range(10):
        assert _found_in_windows(pattern, b"x" * place + escape + b"y" * 3), place
    for harmless in (b"\\u0041", b"\\uc800", b"\\ud700", b"\\u00000"[1:], b"\\\\u0001", b"u0000"):
        assert not _found_in_windows(pattern, b"ab" + harmless + b"cd"), harmless
