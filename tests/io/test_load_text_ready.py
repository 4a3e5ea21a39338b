"""``load_in_steps`` tells the document's text as soon as it knows it (``text_ready``), before the spans are validated,
so that the app can fill its view meanwhile: once, with the very text the loaded set holds."""

import json

import pytest

from annotator.io import annotation_file
from annotator.io.annotation_file import load_in_steps
from annotator.io.errors import FileFault
from tests.conftest import trap_cases
from tests.io.test_load_in_pieces import saved


def told(path, **kwargs):
    """Loads ``path`` in steps; the annotations and the events seen (stages, and ``("text", text)``)."""
    events: list = []
    annotations, _ = load_in_steps(
        path,
        progress=lambda stage, done, total: events.append((stage, done)),
        text_ready=lambda text: events.append(("text", text)),
        **kwargs,
    )
    return annotations, events


@pytest.mark.parametrize("piece_bytes", [1, 1 << 20])
def test_the_text_is_told_once_before_the_spans_are_validated(tmp_path, monkeypatch, piece_bytes):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", piece_bytes)
    monkeypatch.setattr(annotation_file, "REPORT_JSON_BYTES", 0)  # a report before every piece
    path = saved(tmp_path)
    annotations, events = told(path)
    texts = [event for event in events if event[0] == "text"]
    assert len(texts) == 1 and texts[0][1] is annotations.text  # the set's own text: the view need not compare it
    at = events.index(texts[0])
    validating = [n for n, event in enumerate(events) if event[0] == "validating"]
    assert validating[0] < at < validating[1]  # after the file without its spans, before the first piece
    assert "building" not in {stage for stage, _ in events[:at]}


def test_a_file_in_another_layout_tells_the_text_after_its_one_call(tmp_path):
    path = saved(tmp_path)
    record = json.loads(path.read_bytes())
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")  # compact: validated in one call
    annotations, events = told(path)
    stages = [event[0] for event in events]
    assert stages.count("text") == 1 and events[stages.index("text")][1] == annotations.text
    assert stages.index("validating") < stages.index("text") < stages.index("building")


def test_spans_refused_in_pieces_and_checked_again_in_one_call_tell_the_text_once(tmp_path, monkeypatch):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    path = saved(tmp_path)
    data = path.read_bytes()
    last = data.rindex(b'"end": ')
    path.write_bytes(data[:last] + b'"end": true' + data[data.index(b",", last) :])
    texts: list[str] = []
    with pytest.raises(FileFault):
        load_in_steps(path, text_ready=texts.append)
    assert len(texts) == 1 and texts[0] == annotation_file.load(saved(tmp_path, name="good")).text


def test_a_text_told_early_can_still_be_refused(tmp_path):
    path = saved(tmp_path)
    record = json.loads(path.read_bytes())
    record["document"]["sha256"] = "0" * 64
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    texts: list[str] = []
    with pytest.raises(FileFault) as refused:
        load_in_steps(path, text_ready=texts.append)
    assert len(texts) == 1 and "the text was changed after it was annotated" in refused.value.message


@pytest.mark.parametrize("case", trap_cases(), ids=[c["name"] for c in trap_cases()])
def test_the_trap_corpus_text_is_told_exactly(case, tmp_path, monkeypatch):
    monkeypatch.setattr(annotation_file, "STEP_JSON_BYTES", 1)
    spans = [(s["start"], s["end"], s["label"]) for s in case["spans"]]
    annotations, events = told(saved(tmp_path, case["text"], spans=spans))
    assert [event[1] for event in events if event[0] == "text"] == [case["text"]] == [annotations.text]


def test_the_bytes_read_are_told_before_they_are_parsed(tmp_path):
    path = saved(tmp_path)
    events: list = []
    _annotations, data = load_in_steps(
        path,
        progress=lambda stage, done, total: events.append(stage),
        text_ready=lambda text: events.append("text"),
        bytes_read=lambda read: events.append(read),
    )
    told_bytes = [event for event in events if isinstance(event, bytes)]
    assert len(told_bytes) == 1 and told_bytes[0] is data and data == path.read_bytes()  # the very bytes given back
    at = events.index(told_bytes[0])
    assert set(events[:at]) == {"reading"} and "text" in events[at:]  # after reading, before anything is parsed
