"""``recorded_annotator`` reads whose annotation file it is without loading it (the large open decides from it whether
your own copy is to be read instead): the annotator a load gives, or ``None`` when it cannot tell that way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.io import annotation_file
from annotator.io.annotation_file import recorded_annotator
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document

DATA = Path(__file__).resolve().parents[1] / "data"
FILES = [*sorted((DATA / "versions").glob("*.annotations.json")), DATA / "sample-article.annotations.json"]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
@pytest.mark.parametrize("step", [1, 3, 7, 1 << 20])
def test_the_annotator_is_the_one_a_load_gives(path, step, monkeypatch):
    monkeypatch.setattr(annotation_file, "PEEK_BYTES", step)  # the key and the name cut between reads
    assert recorded_annotator(path) == annotation_file.load(path).annotator


def saved(tmp_path: Path, text: str, annotator: str) -> Path:
    annotations = AnnotationSet(Document.from_text(text), default_label_set(), annotator)
    annotations.insert(annotations.new_span(0, 3, "actor"))
    path = tmp_path / "x.annotations.json"
    annotation_file.save(annotations, path)
    return path


def test_a_text_that_holds_the_key_does_not_mislead(tmp_path):
    path = saved(tmp_path, 'One\n  "annotator": "mallory",\nthree', 'ana \u00e9\U0001f642 "q"')
    assert recorded_annotator(path) == 'ana \u00e9\U0001f642 "q"'  # the text's line breaks are escaped in the file


def test_a_byte_order_mark_is_skipped(tmp_path):
    path = saved(tmp_path, "Officials in Berlin.", "ana")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert recorded_annotator(path) == "ana"


def test_what_it_cannot_tell_is_none(tmp_path):
    path = saved(tmp_path, "Officials in Berlin.", "ana")
    record = json.loads(path.read_text(encoding="utf-8"))
    compact = tmp_path / "compact.annotations.json"
    compact.write_text(json.dumps(record), encoding="utf-8")  # another writer's layout: loaded to know
    assert recorded_annotator(compact) is None
    nested = tmp_path / "nested.annotations.json"  # indented otherwise: a two-space line may be a nested key
    nested.write_text(json.dumps({"x": {"annotator": "mallory"}, **record}, indent=1), encoding="utf-8")
    assert recorded_annotator(nested) is None
    number = tmp_path / "number.annotations.json"
    number.write_text(json.dumps({**record, "annotator": 5}, indent=2), encoding="utf-8")
    assert recorded_annotator(number) is None  # not a name: the load says what is wrong
    without = tmp_path / "without.annotations.json"
    without.write_text(json.dumps({k: v for k, v in record.items() if k != "annotator"}, indent=2), encoding="utf-8")
    assert recorded_annotator(without) is None
    assert recorded_annotator(tmp_path / "missing.annotations.json") is None
