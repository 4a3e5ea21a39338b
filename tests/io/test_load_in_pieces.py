"""``load_in_steps`` validates the spans array in pieces (short pydantic calls), with exactly ``parse``'s result."""

import json

import pytest

from annotator.io import annotation_file
from annotator.io.annotation_file import LoadCancelled, load_in_steps
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set
from annotator.io.span_pieces import MARKER, cut_spans, wrapped
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from tests.conftest import trap_cases


def saved(tmp_path, text="Officials in Berlin warned 🙂 on Monday.\r\n" * 12, name="many", spans=None):
    annotations = AnnotationSet(Document.from_text(text), default_label_set(), "alice")
    if spans is None:
        step = len("Officials in Berlin warned 🙂 on Monday.\r\n")
        spans = [
            (n * step + a, n * step + b, label)
            for n in range(12)
            for a, b, label in [(0, 9, "actor"), (13, 26, "warning")]
        ]
    for start, end, label in spans:
        annotations.insert(annotations.new_span(start, end, label))
    path = tmp_path / f"{name}.annotations.json"
    annotation_file.save(annotations, path)
    return path


def stepped(path, **kwargs):
    calls = []
    annotations, _ = load_in_steps(path, progress=lambda s, d, t: calls.append((s, d, t)), **kwargs)
    return annotations, [(d, t) for s, d, t in calls if s == "validating"]


@pytest.mark.parametrize("piece_bytes", [1, 300, 1 << 20])
def test_pieces_give_what_one_call_gives(tmp_path, monkeypatch, piece_bytes):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", piece_bytes)
    monkeypatch.setattr(annotation_file, "REPORT_JSON_BYTES", 0)  # a report before every piece
    path = saved(tmp_path)
    loaded = annotation_file.load(path)
    annotations, validating = stepped(path)
    assert annotation_file.dumps_bytes(annotations) == annotation_file.dumps_bytes(loaded)
    assert annotations.sorted_spans() == loaded.sorted_spans()
    pieces = cut_spans(path.read_bytes(), piece_bytes)[1]
    assert len(validating) == 1 + len(pieces)  # the rest of the file, then each piece
    assert len(pieces) == (24 if piece_bytes == 1 else 1 if piece_bytes == 1 << 20 else len(pieces))
    assert [d for d, _ in validating] == sorted(d for d, _ in validating)


@pytest.mark.parametrize("case", trap_cases(), ids=[c["name"] for c in trap_cases()])
def test_trap_corpus_loads_the_same_in_pieces(case, tmp_path, monkeypatch):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    monkeypatch.setattr(annotation_file, "REPORT_JSON_BYTES", 0)
    spans = [(s["start"], s["end"], s["label"]) for s in case["spans"]]
    path = saved(tmp_path, case["text"], spans=spans)
    loaded = annotation_file.load(path)
    annotations, validating = stepped(path)
    assert annotations.text == case["text"]
    assert annotation_file.dumps_bytes(annotations) == annotation_file.dumps_bytes(loaded)
    assert len(validating) == (1 + len(spans) if spans else 1)  # no spans: "[]" on one line, one call


def test_the_pieces_joined_with_commas_are_the_array(tmp_path):
    data = saved(tmp_path).read_bytes()
    rest, pieces = cut_spans(data, 300)
    joined = b",".join(bytes(wrapped(data, piece))[1:-1] for piece in pieces)
    record = json.loads(data)
    assert json.loads(b"[" + joined + b"]") == record["spans"]
    assert json.loads(rest) == {**record, "spans": MARKER}


@pytest.mark.parametrize(
    "layout",
    [
        lambda record: json.dumps(record, ensure_ascii=False),  # compact
        lambda record: json.dumps(record, ensure_ascii=False, indent="\t"),
        lambda record: json.dumps({**record, "spans": []}, indent=2, ensure_ascii=False).replace(
            '"spans": []',
            '"spans": ' + json.dumps(record["spans"], ensure_ascii=False),  # spans on one line
        ),
        lambda record: json.dumps(record, indent=4, ensure_ascii=False),
    ],
    ids=["compact", "tabs", "spans-on-one-line", "indent-4"],
)
def test_another_layout_loads_in_one_call(tmp_path, monkeypatch, layout):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    path = saved(tmp_path)
    expected = annotation_file.load(path)
    path.write_text(layout(json.loads(path.read_bytes())), encoding="utf-8")
    annotations, validating = stepped(path)
    assert annotation_file.dumps_bytes(annotations) == annotation_file.dumps_bytes(expected)
    assert validating == [(0, 1)]


def test_a_fault_in_a_late_piece_is_named_as_parse_names_it(tmp_path, monkeypatch):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    path = saved(tmp_path)
    data = path.read_bytes()
    last = data.rindex(b'"end": ')
    for broken in (
        data[:last] + b'"end": true' + data[data.index(b",", last) :],  # a type error pydantic names
        data[:last] + b'"end": 2' + data[data.index(b",", last) :],  # end before start: the span's own check
        data[: data.rindex(b'"label": "')] + b'"label": "threat' + data[data.rindex(b'"label": "') + 16 :],
    ):
        path.write_bytes(broken)
        with pytest.raises(FileFault) as by_parse:
            annotation_file.parse(broken, path)
        with pytest.raises(FileFault) as in_pieces:
            load_in_steps(path)
        assert in_pieces.value.faults == by_parse.value.faults
        assert "spans[23]" in in_pieces.value.message


def test_a_spans_array_elsewhere_than_at_the_top_level_is_not_taken_for_it(tmp_path, monkeypatch):
    # a "spans" line at the top level's indentation inside metadata, and the real spans spelled as the marker with
    # an escape: the cut would take metadata's array for the spans; the escape makes it refuse the cut
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    path = saved(tmp_path)
    record = json.loads(path.read_bytes())
    inner = json.dumps(record["spans"], indent=2).replace("\n", "\n  ")
    spelled = "\\u00" + format(ord(MARKER[0]), "x") + MARKER[1:]
    text = json.dumps({**record, "spans": "@"}, indent=2, ensure_ascii=False)
    text = text.replace('"spans": "@"', f'"metadata": {{\n  "spans": {inner}\n  }},\n  "spans": "{spelled}"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileFault) as by_parse:
        annotation_file.parse(path.read_bytes(), path)
    with pytest.raises(FileFault) as in_pieces:
        load_in_steps(path)
    assert in_pieces.value.faults == by_parse.value.faults
    assert cut_spans(path.read_bytes(), 1) is None


def test_cancel_between_pieces_raises_and_stops_there(tmp_path, monkeypatch):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    monkeypatch.setattr(annotation_file, "REPORT_JSON_BYTES", 0)
    path = saved(tmp_path)
    seen = []

    def cancelled():
        return sum(stage == "validating" for stage in seen) == 3

    with pytest.raises(LoadCancelled):
        load_in_steps(path, progress=lambda s, d, t: seen.append(s), cancelled=cancelled)
    assert seen.count("validating") == 3 and seen[-1] == "validating"


def test_pieces_are_reported_once_per_report_bytes_with_the_same_result(tmp_path, monkeypatch):
    # short pydantic calls (small pieces), but a progress report (a signal to the GUI thread) only every
    # REPORT_JSON_BYTES of the array; a cancel is still seen at each report
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    monkeypatch.setattr(annotation_file, "REPORT_JSON_BYTES", 400)
    path = saved(tmp_path)
    loaded = annotation_file.load(path)
    annotations, validating = stepped(path)
    assert annotation_file.dumps_bytes(annotations) == annotation_file.dumps_bytes(loaded)
    pieces = cut_spans(path.read_bytes(), 1)[1]
    done = [d for d, _ in validating[1:]]  # after the rest of the file's report
    assert 2 <= len(done) < len(pieces) // 2
    assert all(later - earlier >= 400 for earlier, later in zip([0, *done], done, strict=False))
    assert set(done) <= {start for start, _ in pieces}
    seen = []
    with pytest.raises(LoadCancelled):
        load_in_steps(path, progress=lambda s, d, t: seen.append(s), cancelled=lambda: seen.count("validating") == 2)
    assert seen.count("validating") == 2 and "building" not in seen
