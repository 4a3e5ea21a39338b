"""``load_in_steps`` decodes the document's text a piece at a time (short calls), with exactly ``parse``'s result."""

import json

import pytest

from annotator.io import annotation_file, utf8_pieces
from annotator.io.annotation_file import _file_of_marked_spans, _outline, load_in_steps
from annotator.io.errors import FileFault
from annotator.io.span_pieces import TEXT_MARKER, cut_spans, cut_text, decoded_text
from annotator.model import str_layout
from tests.conftest import trap_cases
from tests.io.test_load_in_pieces import saved

ESCAPES = 'He said "no" \\ then\ttab\x01\x1f\x7f \u2028 🙂 東京都の天気は晴れ\r\n/é\\"\\\\ end'


def rest_of(path):
    return cut_spans(path.read_bytes(), 1 << 20)[0]


@pytest.mark.parametrize("case", trap_cases(), ids=[c["name"] for c in trap_cases()])
def test_trap_corpus_text_decoded_in_pieces_is_the_text(case, tmp_path, monkeypatch):
    spans = [(s["start"], s["end"], s["label"]) for s in case["spans"]]
    path = saved(tmp_path, case["text"], spans=spans)
    if not spans:
        return  # no spans: "[]" on one line, not cut (the one-call path)
    rest = rest_of(path)
    for piece_bytes in (1, 2, 3, 7, 1 << 20):
        outline, pieces = cut_text(rest, piece_bytes)
        assert decoded_text(rest, pieces) == case["text"], piece_bytes
        assert json.loads(outline)["document"]["text"] == TEXT_MARKER
    monkeypatch.setattr(utf8_pieces, "PIECEWISE_BYTES", 1)  # the pieces joined by memmove, however short
    for piece_bytes in (1, 3, 1 << 20):
        text = decoded_text(rest, cut_text(rest, piece_bytes)[1])
        assert text == case["text"] and text.isascii() is case["text"].isascii(), piece_bytes
        if case["text"] and str_layout.layout_known():
            assert str_layout.width(text) == str_layout.width(case["text"])  # as narrow as the text itself
    monkeypatch.undo()
    monkeypatch.setattr(annotation_file, "TEXT_PIECE_BYTES", 1)
    monkeypatch.setattr(annotation_file, "TEXT_CUT_BYTES", 0)
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    loaded = annotation_file.load(path)
    stepped, _ = load_in_steps(path)
    assert stepped.text == case["text"]
    assert annotation_file.dumps_bytes(stepped) == annotation_file.dumps_bytes(loaded)


def test_every_escape_and_script_is_cut_only_between_tokens(tmp_path):
    text = ESCAPES * 5
    path = saved(tmp_path, text, spans=[(0, 2, "actor"), (13, 15, "claim")])
    rest = rest_of(path)
    for piece_bytes in range(1, 40):
        pieces = cut_text(rest, piece_bytes)[1]
        assert len(pieces) > 1
        assert decoded_text(rest, pieces) == text, piece_bytes
        for start, _ in pieces[1:]:  # before a space or a non-ASCII character's first byte
            assert rest[start : start + 1] == b" " or rest[start] >= 0xC2
    assert cut_text(rest, 1 << 20)[1] == [(rest.index(b'"text": "') + 9, rest.index(b'",\n    "sha256"'))]


def test_the_outline_is_the_one_call_outline(tmp_path, monkeypatch):
    path = saved(tmp_path, ESCAPES * 3, spans=[(0, 2, "actor")])
    rest = rest_of(path)
    expected = _file_of_marked_spans().model_validate_json(rest, strict=True)
    decoded = []
    monkeypatch.setattr(annotation_file, "decoded_text", lambda *a: decoded.append(decoded_text(*a)) or decoded[-1])
    assert _outline(rest) == expected and decoded == []  # a small file: one call
    monkeypatch.setattr(annotation_file, "TEXT_CUT_BYTES", len(rest))
    monkeypatch.setattr(annotation_file, "TEXT_PIECE_BYTES", 5)
    found = _outline(rest)
    assert decoded == [ESCAPES * 3]
    assert type(found) is type(expected)
    assert found.model_dump() == expected.model_dump()
    assert found.model_fields_set == expected.model_fields_set
    assert found.document.model_fields_set == expected.document.model_fields_set
    assert found.document.text == ESCAPES * 3


@pytest.mark.parametrize(
    "fault",
    [
        (b"then\\t", b"then\t"),  # a raw control character
        (b"then\\t", b"then\\x"),  # an escape JSON does not have
        (b'\\"no\\"', b'"no"'),  # an unescaped quote ends the string early
        (b" \\\\ then", b" \\ then"),  # a lone backslash before a space
        (b"\xf0\x9f\x99\x82", b"\xf0\x9f\x99"),  # a cut UTF-8 character
    ],
    ids=["control", "bad-escape", "quote", "lone-backslash", "bad-utf8"],
)
def test_a_fault_in_the_text_is_named_as_parse_names_it(tmp_path, monkeypatch, fault):
    monkeypatch.setattr(annotation_file, "TEXT_PIECE_BYTES", 1)
    monkeypatch.setattr(annotation_file, "TEXT_CUT_BYTES", 0)
    path = saved(tmp_path, ESCAPES, spans=[(0, 2, "actor")])
    data = path.read_bytes()
    assert data.count(fault[0]) >= 1
    broken = data.replace(fault[0], fault[1], 1)
    path.write_bytes(broken)
    rest = cut_spans(broken, 1 << 20)
    if rest is not None and cut_text(rest[0], 1) is not None:
        assert decoded_text(rest[0], cut_text(rest[0], 1)[1]) is None
    with pytest.raises(FileFault) as by_parse:
        annotation_file.parse(broken, path)
    with pytest.raises(FileFault) as in_pieces:
        load_in_steps(path)
    assert in_pieces.value.faults == by_parse.value.faults


def test_the_text_marker_elsewhere_in_the_file_is_not_taken_for_the_text(tmp_path, monkeypatch):
    monkeypatch.setattr(annotation_file, "TEXT_PIECE_BYTES", 1)
    monkeypatch.setattr(annotation_file, "TEXT_CUT_BYTES", 0)
    path = saved(tmp_path)
    record = json.loads(path.read_bytes())
    record["metadata"] = {"note": TEXT_MARKER}
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    assert cut_text(rest_of(path), 1) is None
    loaded = annotation_file.load(path)
    stepped, _ = load_in_steps(path)
    assert stepped.metadata == {"note": TEXT_MARKER}
    assert annotation_file.dumps_bytes(stepped) == annotation_file.dumps_bytes(loaded)


def test_a_text_that_is_the_marker_loads_as_it_is(tmp_path, monkeypatch):
    monkeypatch.setattr(annotation_file, "TEXT_PIECE_BYTES", 1)
    monkeypatch.setattr(annotation_file, "TEXT_CUT_BYTES", 0)
    path = saved(tmp_path, TEXT_MARKER + " " + TEXT_MARKER, spans=[(0, 9, "actor")])
    stepped, _ = load_in_steps(path)
    assert stepped.text == TEXT_MARKER + " " + TEXT_MARKER
