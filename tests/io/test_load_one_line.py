"""An annotation file put on one line (as a recovery journal's header holds it: every CR and LF a space) is validated
in pieces too, with exactly the result of the same file as written; a cut that cannot be proved falls back to one
call, never to another result."""

import json

import pytest

from annotator.io import annotation_file
from annotator.io.annotation_file import load_in_steps
from annotator.io.errors import FileFault
from annotator.io.span_pieces import MARKER, cut_spans, wrapped
from tests.conftest import DATA, trap_cases
from tests.io.test_load_in_pieces import saved

ATTRIBUTES = DATA / "versions" / "v5-attributes.annotations.json"


def one_line(data: bytes) -> bytes:
    return data.translate(bytes.maketrans(b"\r\n", b"  "))


def stepped_bytes(path, data):
    path.write_bytes(data)
    calls = []
    annotations, _ = load_in_steps(path, progress=lambda s, d, t: calls.append((s, d)))
    return annotations, [d for s, d in calls if s == "validating"]


@pytest.mark.parametrize("piece_bytes", [1, 300, 1 << 20])
def test_one_line_is_cut_where_the_lines_were(tmp_path, piece_bytes):
    data = saved(tmp_path).read_bytes()
    flat = one_line(data)
    lines, flat_cut = cut_spans(data, piece_bytes), cut_spans(flat, piece_bytes)
    assert flat_cut is not None
    assert flat_cut[1] == lines[1]  # the same byte ranges: a line break and a space are one byte each
    assert flat_cut[0] == one_line(lines[0])
    joined = b",".join(bytes(wrapped(flat, piece))[1:-1] for piece in flat_cut[1])
    assert json.loads(b"[" + joined + b"]") == json.loads(data)["spans"]
    assert json.loads(flat_cut[0]) == {**json.loads(data), "spans": MARKER}


def test_one_line_loads_in_pieces_with_the_file_s_result(tmp_path, monkeypatch):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    monkeypatch.setattr(annotation_file, "REPORT_JSON_BYTES", 0)
    path = saved(tmp_path)
    expected = annotation_file.load(path)
    annotations, validating = stepped_bytes(tmp_path / "flat.annotations.json", one_line(path.read_bytes()))
    assert annotation_file.dumps_bytes(annotations) == annotation_file.dumps_bytes(expected)
    assert len(validating) == 1 + 24  # the rest, then one piece per span: not one call
    assert annotation_file.dumps_bytes(annotation_file.parse(one_line(path.read_bytes()))) == (
        annotation_file.dumps_bytes(expected)
    )


@pytest.mark.parametrize("case", trap_cases(), ids=[c["name"] for c in trap_cases()])
def test_trap_corpus_on_one_line_loads_the_same(case, tmp_path, monkeypatch):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    monkeypatch.setattr(annotation_file, "REPORT_JSON_BYTES", 0)
    spans = [(s["start"], s["end"], s["label"]) for s in case["spans"]]
    path = saved(tmp_path, case["text"], spans=spans)
    annotations, _ = stepped_bytes(tmp_path / "flat.annotations.json", one_line(path.read_bytes()))
    assert annotations.text == case["text"]  # CR, LF, U+2028 in the text: escaped in JSON, so never touched
    assert [(s.start, s.end, s.label) for s in annotations.sorted_spans()] == sorted(spans)


def test_objects_nested_in_spans_are_not_taken_for_a_span_s_end(tmp_path, monkeypatch):
    # attributes (a dict in a span) end with "       }, " on one line: seven spaces, not a span's end
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    monkeypatch.setattr(annotation_file, "REPORT_JSON_BYTES", 0)
    data = ATTRIBUTES.read_bytes()
    expected = annotation_file.parse(data)
    flat = one_line(data)
    cut = cut_spans(flat, 1)
    assert cut is not None and len(cut[1]) == len(expected)
    annotations, validating = stepped_bytes(tmp_path / "flat.annotations.json", flat)
    assert annotation_file.dumps_bytes(annotations) == annotation_file.dumps_bytes(expected)
    assert len(validating) == 1 + len(expected)


def test_a_span_text_holding_a_span_s_end_is_still_read_exactly(tmp_path, monkeypatch):
    # the one-line patterns inside strings: a cut there makes its piece invalid, and the file is read in one call
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    text = 'a     }, b     },     {c x,   "spans": [ y   ],   "relations": [ z   ]'
    path = saved(tmp_path, text, spans=[(0, len(text), "claim"), (0, 1, "actor"), (2, 9, "actor")])
    expected = annotation_file.load(path)
    annotations, _ = stepped_bytes(tmp_path / "flat.annotations.json", one_line(path.read_bytes()))
    assert annotation_file.dumps_bytes(annotations) == annotation_file.dumps_bytes(expected)
    assert annotations.get("s1").text == text


def test_a_fault_on_one_line_is_named_as_parse_names_it(tmp_path, monkeypatch):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    flat = one_line(saved(tmp_path).read_bytes())
    last = flat.rindex(b'"end": ')
    broken = flat[:last] + b'"end": 2' + flat[flat.index(b",", last) :]
    path = tmp_path / "broken.annotations.json"
    path.write_bytes(broken)
    with pytest.raises(FileFault) as in_pieces:
        load_in_steps(path)
    with pytest.raises(FileFault) as in_one_call:
        annotation_file.parse(broken.decode("utf-8"), path)  # a str: never cut
    assert in_pieces.value.faults == in_one_call.value.faults
    assert "spans[23]" in in_pieces.value.message


def test_a_spans_array_nested_on_one_line_is_not_taken_for_the_top_level_one(tmp_path):
    # metadata holding "spans" one level deeper: on one line its key has five spaces after the comma, not three
    path = saved(tmp_path)
    record = json.loads(path.read_bytes())
    # before the top-level spans, so that a search from the start meets it first
    ahead = {"format": record.pop("format"), "metadata": {"x": 1, "spans": record["spans"]}, **record}
    nested = json.dumps(ahead, indent=2, ensure_ascii=False)
    assert nested.index('"metadata"') < nested.index('\n  "spans"')
    flat = one_line(nested.encode("utf-8"))
    cut = cut_spans(flat, 1)
    assert cut is not None
    assert json.loads(cut[0])["spans"] == MARKER and json.loads(cut[0])["metadata"]["spans"] == record["spans"]
