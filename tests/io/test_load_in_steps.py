"""Loading an annotation file in steps (progress and cancel) and the fast span path it shares with ``load``."""

import json

import pytest

from annotator.io import annotation_file
from annotator.io.annotation_file import LoadCancelled, load_in_steps
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.span import Span, span_fields_schema, spans_from_fields
from tests.conftest import DATA

BAD = DATA / "bad-inputs"
VERSIONS = sorted((DATA / "versions").glob("*.annotations.json"))


def many_spans(tmp_path, count=12):
    text = "Officials in Berlin warned 🙂 on Monday.\r\n" * count
    annotations = AnnotationSet(Document.from_text(text), default_label_set(), "alice")
    step = len("Officials in Berlin warned 🙂 on Monday.\r\n")
    for n in range(count):
        annotations.insert(annotations.new_span(n * step, n * step + 9, "actor"))
        annotations.insert(annotations.new_span(n * step + 13, n * step + 26, "warning"))
    path = tmp_path / "many.annotations.json"
    annotation_file.save(annotations, path)
    return path


@pytest.mark.parametrize("path", [*VERSIONS, DATA / "sample-article.annotations.json"], ids=lambda p: p.name)
def test_steps_give_what_load_gives(path):
    loaded, data = annotation_file.load_with_bytes(path)
    stepped, stepped_data = load_in_steps(path)
    assert stepped_data == data
    assert annotation_file.dumps(stepped) == annotation_file.dumps(loaded)
    assert stepped.sorted_spans() == loaded.sorted_spans()


def test_progress_goes_through_the_stages_in_order_and_never_back(tmp_path, monkeypatch):
    monkeypatch.setattr(annotation_file, "STEP_SPANS", 5)
    monkeypatch.setattr(annotation_file, "STEP_BYTES", 1000)
    path = many_spans(tmp_path)
    calls = []
    annotations, _ = load_in_steps(path, progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert len(annotations) == 24
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == ["reading", "validating", "building", "checking", "indexing"]
    reading = [(done, total) for stage, done, total in calls if stage == "reading"]
    assert reading[0] == (0, path.stat().st_size) and reading[-1] == (path.stat().st_size, path.stat().st_size)
    assert [done for stage, done, _ in calls if stage == "building"] == [0, 5, 10, 15, 20]
    assert {total for stage, _, total in calls if stage in ("building", "checking")} == {24}
    for stage in stages:
        done = [d for s, d, _ in calls if s == stage]
        assert done == sorted(done)


@pytest.mark.parametrize("stage", ["reading", "validating", "building", "checking"])
def test_cancelling_at_any_stage_raises_and_stops_there(tmp_path, monkeypatch, stage):
    monkeypatch.setattr(annotation_file, "STEP_SPANS", 5)
    path = many_spans(tmp_path)
    seen = []
    with pytest.raises(LoadCancelled):
        load_in_steps(path, progress=lambda s, done, total: seen.append(s), cancelled=lambda: stage in seen)
    assert seen[-1] == stage  # the check after the stage was reported stopped it


def test_a_cancel_during_the_last_step_is_not_seen_and_the_file_is_loaded(tmp_path):
    path = many_spans(tmp_path)
    seen = []
    annotations, _ = load_in_steps(path, progress=lambda s, d, t: seen.append(s), cancelled=lambda: "indexing" in seen)
    assert len(annotations) == 24


def test_a_faulty_file_names_the_same_faults_in_steps(tmp_path):
    for path in sorted(BAD.glob("*.annotations.json")):
        if path.name == "valid.annotations.json":
            continue
        with pytest.raises(FileFault) as by_load:
            annotation_file.load(path)
        with pytest.raises(FileFault) as in_steps:
            load_in_steps(path)
        assert in_steps.value.faults == by_load.value.faults


def test_a_file_that_cannot_be_read_is_a_file_fault(tmp_path):
    with pytest.raises(FileFault, match="could not read it"):
        load_in_steps(tmp_path / "missing.annotations.json")


def test_spans_from_fields_equal_pydantic_spans_and_refuse_what_span_refuses(tmp_path):
    from pydantic_core import SchemaValidator

    validator = SchemaValidator(span_fields_schema())
    raw = [
        {"id": "s1", "start": 0, "end": 4, "label": "actor", "text": "abcd"},
        {"id": "s2", "start": 1, "end": 3, "label": "claim", "text": "bc", "note": "n", "uncertain": True},
        {"id": "s3", "start": 1, "end": 3, "label": "claim", "text": "bc", "origin": "suggestion", "score": 0.5},
        {"id": "s4", "start": 0, "end": 2, "label": "actor", "text": "ab", "attributes": {"x": True}, "entity": "e1"},
    ]
    fields = [validator.validate_json(json.dumps(item), strict=True) for item in raw]
    built = spans_from_fields(fields)
    assert built == [Span(**item) for item in raw]
    assert [hash(span) for span in built] == [hash(Span(**item)) for item in raw]
    assert [span.model_dump() for span in built] == [Span(**item).model_dump() for item in raw]
    assert spans_from_fields(fields, 1, 3) == built[1:3]
    for broken in (
        {"id": "s5", "start": 3, "end": 3, "label": "actor", "text": ""},
        {"id": "s6", "start": 0, "end": 1, "label": "actor", "text": "a", "score": 0.5},
    ):
        assert spans_from_fields([validator.validate_json(json.dumps(broken), strict=True)]) is None


def test_a_loaded_set_finds_spans_and_twins_by_offsets_and_label(tmp_path):
    text = "Sullivan warned."
    annotations = AnnotationSet(Document.from_text(text), default_label_set(), "alice")
    first = annotations.new_span(0, 8, "actor")
    annotations.insert(first)
    twin = annotations.new_span(0, 8, "actor")
    annotations.insert(twin)
    path = tmp_path / "twins.annotations.json"
    annotation_file.save(annotations, path)
    loaded, _ = load_in_steps(path)
    assert loaded.find(0, 8, "actor") in (first, twin)
    loaded.delete(first.id)
    assert loaded.find(0, 8, "actor") == twin
    loaded.delete(twin.id)
    assert loaded.find(0, 8, "actor") is None
    assert loaded.counts_by_label()["actor"] == 0


def test_loaded_spans_behave_as_spans_built_by_pydantic(tmp_path):
    import copy
    import pickle

    from pydantic_core import SchemaValidator

    raw = {"id": "s1", "start": 0, "end": 4, "label": "actor", "text": "abcd", "attributes": {"x": True}}
    made = Span(
        **{**raw, "note": "", "uncertain": False, "origin": "manual", "suggester": "", "score": None, "entity": ""}
    )
    (built,) = spans_from_fields([SchemaValidator(span_fields_schema()).validate_json(json.dumps(raw), strict=True)])
    assert built == made and made == built and hash(built) == hash(made)
    assert repr(built) == repr(made) and str(built) == str(made)
    assert built.model_dump() == made.model_dump() and built.model_dump_json() == made.model_dump_json()
    for twin in (copy.copy(built), copy.deepcopy(built), pickle.loads(pickle.dumps(built)), built.model_copy()):
        assert twin == made and twin.model_dump() == made.model_dump() and type(twin) is Span
    assert built.model_copy(update={"label": "claim"}).label == "claim" and built.label == "actor"
    assert built.__pydantic_extra__ is None and built.__pydantic_private__ is None
    with pytest.raises(Exception, match="frozen"):
        built.label = "claim"
