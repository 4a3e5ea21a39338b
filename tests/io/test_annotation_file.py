import hashlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.io import annotation_file
from annotator.io.atomic import atomic_write_text
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set, parse_label_set
from annotator.io.opening import open_document
from annotator.io.schema import schema_text
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document, text_sha256
from annotator.model.status import DocumentStatus
from tests.conftest import DATA, trap_cases

BAD = DATA / "bad-inputs"
ROOT = Path(__file__).parents[2]
SAMPLE_COPY = DATA / "sample-article.annotations.json"
SAMPLE_COPY_SHA256 = "fa6ddb597ed9437beb612ea5ce3e037046e4bf12b8c645ff3d32c8dd82967117"


def annotated(text="Sullivan warned that China would face consequences.", spans=((0, 8, "actor"), (9, 50, "warning"))):
    # without the default set's attributes and document labels, which only version 5 files hold
    plain = default_label_set().model_copy(update={"attributes": (), "document_labels": ()})
    annotations = AnnotationSet(Document.from_text(text), plain, "alice")
    for start, end, label in spans:
        annotations.insert(annotations.new_span(start, end, label))
    return annotations


def test_default_label_set_has_the_four_labels_with_hotkeys():
    labels = default_label_set()
    assert [(label.name, label.hotkey) for label in labels.labels] == [
        ("actor", "1"),
        ("claim", "2"),
        ("warning", "3"),
        ("denial", "4"),
    ]
    assert all(label.description for label in labels.labels)


def test_file_shape_key_order_and_span_order():
    annotations = annotated(spans=((9, 50, "warning"), (0, 8, "claim"), (0, 8, "actor")))
    record = json.loads(annotation_file.dumps(annotations))
    assert list(record) == [
        "format",
        "format_version",
        "document",
        "label_set",
        "annotator",
        "document_id",
        "status",
        "spans",
        "relations",
        "orphans",
    ]
    assert list(record["document"]) == ["text", "sha256", "source"]
    assert list(record["spans"][0]) == ["id", "start", "end", "label", "text", "note", "uncertain"]
    assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == [
        (0, 8, "actor"),
        (0, 8, "claim"),
        (9, 50, "warning"),
    ]
    assert record["format"] == "annotator" and record["format_version"] == 3
    assert annotation_file.dumps(annotations).startswith('{\n  "format": "annotator",')


def test_a_set_not_started_is_never_written():
    """No file holds ``not_started`` (the file would not load again), so writing one is refused."""
    annotations = annotated()
    annotations.status = DocumentStatus.NOT_STARTED
    with pytest.raises(ValueError, match="not_started"):
        annotation_file.dumps_bytes(annotations)


@pytest.mark.parametrize("case", trap_cases(), ids=[c["name"] for c in trap_cases()])
def test_trap_corpus_round_trips_through_the_file(case, tmp_path):
    annotations = annotated(case["text"], [(s["start"], s["end"], s["label"]) for s in case["spans"]])
    path = tmp_path / "case.annotations.json"
    annotation_file.save(annotations, path)
    loaded = annotation_file.load(path)
    assert loaded.text == case["text"]
    assert loaded.document.sha256 == case["sha256"]
    got = [(s.start, s.end, s.label, s.text) for s in loaded.sorted_spans()]
    expected = sorted((s["start"], s["end"], s["label"], s["text"]) for s in case["spans"])
    assert got == expected


def test_valid_fixture_loads():
    loaded = annotation_file.load(BAD / "valid.annotations.json")
    assert [s.text for s in loaded.sorted_spans()] == ["Yang", "denied it"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("truncated.annotations.json", "not valid JSON: Unterminated string starting at (line 5, column 13)"),
        ("not-an-object.annotations.json", "expected a JSON object at the top level, found an array"),
        ("span-out-of-range.annotations.json", "spans[1] (id 's2', [5, 400), denial): end 400 is beyond"),
        ("span-reversed.annotations.json", "spans[1]: start (9) must be less than end (5)"),
        ("unknown-label.annotations.json", "label 'threat' is not in the label set"),
        ("hash-mismatch.annotations.json", "document.sha256 is 0000"),
        ("span-text-mismatch.annotations.json", "text 'Jang' does not match the document at [0, 4): 'Yang'"),
        ("newer-version.annotations.json", "newer version of annotator (format_version 99"),
    ],
)
def test_bad_files_are_refused_with_file_and_fault_named(name, expected):
    path = BAD / name
    before = path.read_bytes()
    with pytest.raises(FileFault) as error:
        annotation_file.load(path)
    assert str(path) in error.value.message
    assert expected in error.value.message
    assert path.read_bytes() == before


def test_every_fault_is_listed():
    record = json.loads((BAD / "valid.annotations.json").read_text(encoding="utf-8"))
    record["spans"][0]["label"] = "threat"
    record["spans"][1]["end"] = 99
    with pytest.raises(FileFault) as error:
        annotation_file.parse(json.dumps(record), "x.json")
    assert len(error.value.faults) == 2


def test_annotation_path_beside_text():
    assert annotation_file.annotation_path_for("/d/X.txt") == Path("/d/X.annotations.json")
    assert annotation_file.annotation_path_for("/d/notes.md") == Path("/d/notes.md.annotations.json")


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.annotations.json"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(FileFault, match="No space left on device"):
        atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.annotations.json"]  # no temporary file left behind


def test_save_into_missing_folder_is_a_clear_fault(tmp_path):
    with pytest.raises(FileFault, match="could not save"):
        annotation_file.save(annotated(), tmp_path / "missing" / "x.annotations.json")


def test_opening_text_loads_annotations_beside_it(tmp_path):
    text_path = tmp_path / "X.txt"
    text_path.write_bytes(b"Sullivan warned that China would face consequences.")
    opened = open_document(text_path, default_label_set(), "bob")
    assert opened.save_path == tmp_path / "X.annotations.json" and len(opened.annotations) == 0
    annotation_file.save(annotated(), opened.save_path)
    reopened = open_document(text_path, default_label_set(), "bob")
    assert len(reopened.annotations) == 2 and reopened.annotations.annotator == "alice"
    assert "Loaded 2 spans" in reopened.notice


def test_opening_text_whose_annotations_were_made_on_another_text(tmp_path):
    text_path = tmp_path / "X.txt"
    text_path.write_text("A different text now.", encoding="utf-8")
    annotation_file.save(annotated(), tmp_path / "X.annotations.json")
    opened = open_document(text_path, default_label_set(), "bob")
    assert opened.text_mismatch and "different text" in opened.notice
    assert opened.annotations.text.startswith("Sullivan")  # spans stay on the text they were made on


def test_opening_folder_is_refused(tmp_path):
    with pytest.raises(FileFault, match="is a folder"):
        open_document(tmp_path, default_label_set(), "bob")


def test_label_set_file_errors_name_the_fault():
    with pytest.raises(FileFault, match="line 1, column 2"):
        parse_label_set("{x", "labels.json")
    with pytest.raises(FileFault, match="labels"):
        parse_label_set('{"name": "x", "labels": []}', "labels.json")


def test_published_schema_is_current():
    committed = (ROOT / "schema" / "annotation-file.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run: python -m annotator.io.schema"


def test_sample_copy_is_unchanged():
    """The copy of the shipped sample's annotation file that tests read (the one in sample_docs/ is the user's: the
    README command autosaves into it); a change to the copy must be deliberate: update the hash with it."""
    assert hashlib.sha256(SAMPLE_COPY.read_bytes()).hexdigest() == SAMPLE_COPY_SHA256


def test_sample_annotation_file_is_valid():
    loaded = annotation_file.load(SAMPLE_COPY)
    text = (ROOT / "sample_docs" / "000_3048e0f710b42604.txt").read_text(encoding="utf-8")
    assert loaded.text == text
    assert {s.label for s in loaded} == {"actor", "claim", "warning", "denial"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"format": "annotator", "annotator": "a\\ud800b"}', "annotator: contains a lone surrogate"),
        ("[" * 100_000 + "]" * 100_000, "not a usable JSON file"),
        ('{"format_version": ' + "9" * 5000 + "}", "not a usable JSON file"),
        ('{"format_version": "2"}', "format_version must be a whole number"),
    ],
)
def test_hostile_json_is_a_clear_fault(content, expected):
    with pytest.raises(FileFault) as error:
        annotation_file.parse(content, "x.annotations.json")
    assert expected in error.value.message


def test_new_files_get_ordinary_permissions(tmp_path):
    target = tmp_path / "new.annotations.json"
    old_mask = os.umask(0o022)
    try:
        atomic_write_text(target, "{}")
    finally:
        os.umask(old_mask)
    assert target.stat().st_mode & 0o777 == 0o644


def test_unencodable_content_is_a_fault_not_a_crash(tmp_path):
    with pytest.raises(FileFault, match="not valid Unicode"):
        atomic_write_text(tmp_path / "x.json", "bad \udce9 name")
    assert not (tmp_path / "x.json").exists()


def test_notes_flags_and_relations_round_trip(tmp_path):
    annotations = annotated()
    warning = annotations.find(9, 50, "warning")
    annotations.replace(warning.model_copy(update={"note": "Conditional.\nCheck <b>this</b>.", "uncertain": True}))
    annotations.insert_relation(annotations.new_relation("source", warning.id, annotations.find(0, 8, "actor").id))
    path = tmp_path / "doc.annotations.json"
    annotation_file.save(annotations, path)
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["relations"] == [{"id": "r1", "type": "source", "from": "s2", "to": "s1"}]
    assert [r["name"] for r in record["label_set"]["relation_types"]] == ["source", "target"]
    loaded = annotation_file.load(path)
    assert loaded.get("s2").note == "Conditional.\nCheck <b>this</b>." and loaded.get("s2").uncertain
    assert loaded.relations() == annotations.relations()


def test_version_1_files_without_relations_still_load():
    record = json.loads((BAD / "valid.annotations.json").read_text(encoding="utf-8"))
    assert record["format_version"] == 1 and "relations" not in record
    loaded = annotation_file.parse(json.dumps(record))
    assert loaded.relations() == [] and all(s.note == "" for s in loaded)


def test_bad_relations_are_each_reported():
    record = json.loads(annotation_file.dumps(annotated()))
    record["relations"] = [
        {"id": "r1", "type": "source", "from": "s2", "to": "s9"},
        {"id": "r1", "type": "source", "from": "s1", "to": "s2"},
        {"id": "r3", "type": "cause", "from": "s2", "to": "s1"},
        {"id": "r4", "type": "source", "from": "s2", "to": "s1"},
        {"id": "r5", "type": "source", "from": "s2", "to": "s1"},
    ]
    with pytest.raises(FileFault) as caught:
        annotation_file.parse(json.dumps(record), "x.annotations.json")
    message = caught.value.message
    assert "relations[0] (id 'r1', source s2 → s9): to span 's9' does not exist" in message
    assert "relations[1] (id 'r1', source s1 → s2): duplicate id 'r1'" in message
    assert "must start at a claim or warning or denial span, not actor" in message
    assert "type 'cause' is not a relation type" in message
    assert "relations[4] (id 'r5', source s2 → s1): the same link appears twice" in message


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
    name=st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)
def test_dumps_writes_what_the_standard_json_module_would(text, name):
    annotations = AnnotationSet(Document.from_text(text), default_label_set(), name or "n")
    if text.strip():
        start = next(i for i, c in enumerate(text) if not c.isspace())
        annotations.insert(annotations.new_span(start, start + 1, "actor"))
    written = annotation_file.dumps(annotations)
    standard = json.dumps(json.loads(written), indent=2, ensure_ascii=False) + "\n"
    assert written == standard


def _valid_record_with(change):
    record = json.loads((BAD / "valid.annotations.json").read_text(encoding="utf-8"))
    change(record)
    return json.dumps(record, ensure_ascii=True)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r["spans"][1].update(end=True), "spans[1].end: Input should be a valid integer, not true"),
        (lambda r: r["spans"][1].update(start=0.0), "spans[1].start: Input should be a valid integer, not 0.0"),
        (lambda r: r["spans"][1].update(end="1"), 'spans[1].end: Input should be a valid integer, not "1"'),
        (lambda r: r["spans"][0].update(uncertain=0), "spans[0].uncertain: Input should be a valid boolean, not 0"),
        (
            lambda r: r["document"]["source"].update(bom="yes"),
            'document.source.bom: Input should be a valid boolean, not "yes"',
        ),
        (lambda r: r.update(format_version=0), "format_version must be 1 or more (the first version), not 0"),
        (lambda r: r.update(format_version=-1), "format_version must be 1 or more (the first version), not -1"),
        (lambda r: r.update(annotator="ali\x00ce"), "annotator: contains a NUL character (U+0000)"),
        (lambda r: r["label_set"]["labels"][0].update(name="act\x00or"), "label_set.labels[0].name: contains a NUL"),
        (lambda r: r.update(document_id="a\x00.txt"), "document_id: contains a NUL character"),
    ],
)
@pytest.mark.parametrize("as_bytes", [False, True])
def test_lax_types_and_nul_characters_are_refused_with_their_path(change, expected, as_bytes):
    content = _valid_record_with(change)
    with pytest.raises(FileFault) as error:
        annotation_file.parse(content.encode("utf-8") if as_bytes else content, "x.annotations.json")
    assert expected in error.value.message


def test_nul_in_the_text_is_refused_like_in_a_text_file():
    def change(record):
        record["document"]["text"] = "Yang\x00 denied it"
        record["document"]["sha256"] = text_sha256(record["document"]["text"])

    with pytest.raises(FileFault) as error:
        annotation_file.parse(_valid_record_with(change).encode("utf-8"), "x.annotations.json")
    assert "document.text: contains a NUL character (U+0000): it looks binary" in error.value.message


def test_nul_in_a_note_is_kept_and_strict_types_still_read_statuses_tuples_and_relations():
    def change(record):
        record["spans"][0]["note"] = "copied \x00 from a PDF"
        record["status"] = "flagged"

    loaded = annotation_file.parse(_valid_record_with(change), "x.annotations.json")
    assert loaded.status == "flagged" and loaded.sorted_spans()[0].note == "copied \x00 from a PDF"
    assert loaded.label_set == parse_label_set(json.dumps(json.loads(_valid_record_with(lambda r: None))["label_set"]))


def test_validate_command_reports_a_lax_offset(tmp_path, capsys):
    from annotator.cli.main import main

    path = tmp_path / "a.annotations.json"
    path.write_text(_valid_record_with(lambda r: r["spans"][1].update(end=True)), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert "spans[1].end: Input should be a valid integer, not true" in capsys.readouterr().err


VERSIONS = DATA / "versions"


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5])
def test_a_file_of_each_version_loads(version):
    path = VERSIONS / f"v{version}.annotations.json"
    assert json.loads(path.read_text(encoding="utf-8"))["format_version"] == version

    loaded = annotation_file.load(path)

    assert [(s.start, s.end, s.label, s.text) for s in loaded.sorted_spans()] == [
        (0, 4, "actor", "Yang"),
        (5, 11, "denial", "denied"),
    ]
    assert loaded.text == "Yang denied it 😬."
    assert [(r.type, r.from_, r.to) for r in loaded.relations()] == ([] if version == 1 else [("source", "s2", "s1")])
    assert loaded.document_id == ("news/yang.txt" if version >= 3 else "")
    expected = {"source": "Reuters", "date": "2024-05-01", "meta": {"batch": 3}, "tags": ["politics"]}
    assert loaded.metadata == (expected if version >= 4 else {})
    origins = ["suggestion", "suggestion-edited"] if version == 5 else ["manual", "manual"]
    assert [s.origin for s in loaded.sorted_spans()] == origins
    assert [s.id for s in loaded.suggestions()] == (["g1"] if version == 5 else [])
    assert [r.key for r in loaded.rejected()] == ([(15, 16, "actor")] if version == 5 else [])
    assert (loaded.suggestions_shown, loaded.active_seconds) == ((True, 93.5) if version == 5 else (False, 0.0))


def test_the_lowest_version_holding_the_file_is_written(tmp_path):
    annotations = annotated()
    plain = json.loads(annotation_file.dumps(annotations))
    assert plain["format_version"] == 3 and "metadata" not in plain  # 3 is the floor: it always has document_id...

    annotations.metadata = {"source": "Reuters", "nested": {"a": [1, None, True]}, "title": "Ünïcode 😬"}
    path = tmp_path / "m.annotations.json"
    annotation_file.save(annotations, path)
    record = json.loads(path.read_text(encoding="utf-8"))

    assert record["format_version"] == 4
    assert list(record)[-1] == "metadata" and record["metadata"] == annotations.metadata
    assert path.read_text(encoding="utf-8") == json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    assert annotation_file.load(path).metadata == annotations.metadata


def test_metadata_must_be_an_object():
    record = json.loads((VERSIONS / "v4.annotations.json").read_text(encoding="utf-8"))
    record["metadata"] = ["not", "an", "object"]
    with pytest.raises(FileFault, match="metadata"):
        annotation_file.parse(json.dumps(record), "x.annotations.json")


def test_metadata_is_kept_as_it_is_even_with_a_nul_character(tmp_path):
    """Metadata is whatever the imported file gave (a doccano "meta": {"name": "x\\u0000y"}); only the text and the
    names the app shows refuse a NUL character, so the file an import writes opens again."""
    annotations = annotated()
    annotations.metadata = {"meta": {"name": "x\x00y", "text": "\x00"}, "id": "\x00"}
    path = tmp_path / "m.annotations.json"
    annotation_file.save(annotations, path)
    assert annotation_file.load(path).metadata == annotations.metadata
