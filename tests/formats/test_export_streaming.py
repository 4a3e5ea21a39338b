"""Exporting many documents streams: each record is written before the next is read, and nothing is kept."""

import gc
import weakref
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.formats import sources
from annotator.formats.exporting import export
from annotator.formats.options import ExportOptions
from annotator.formats.records import DocumentRecord
from annotator.formats.registry import get_format
from annotator.io.atomic import atomic_writer
from annotator.io.errors import FileFault
from annotator.model.span import Span


def record(n: int) -> DocumentRecord:
    text = f"Officials in Berlin warned {n}.\r\n"
    return DocumentRecord(
        f"d{n}", text, (Span(id="s1", start=0, end=9, label="actor", text="Officials"),), annotator="bench"
    )


def lines_written(folder: Path, name: str) -> int:
    """Lines in the export's temporary file beside ``name`` (the atomic writer's ``.name.*.tmp``)."""
    temporary = list(folder.glob(f".{name}.*.tmp"))
    assert len(temporary) == 1
    return temporary[0].read_bytes().count(b"\n")


def test_jsonl_writes_each_record_before_reading_the_next_and_keeps_none(tmp_path):
    out = tmp_path / "out.jsonl"
    written_before: list[int] = []
    alive: list[int] = []
    records: list[weakref.ref] = []

    def counting():
        for n in range(50):
            if n:
                written_before.append(lines_written(tmp_path, out.name))
                gc.collect()
                alive.append(sum(ref() is not None for ref in records))
            item = record(n)
            records.append(weakref.ref(item))
            yield item
            del item

    report = export(get_format("jsonl"), counting(), out, ExportOptions())
    assert report.documents == 50
    assert written_before == list(range(1, 50))  # record n-1 was on disk when record n was asked for
    assert max(alive) <= 1  # only the record being written is held
    assert out.read_bytes().count(b"\n") == 50
    assert not list(tmp_path.glob(".*.tmp"))


def test_jsonl_export_failing_midway_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")

    def failing():
        yield record(1)
        raise FileFault(tmp_path / "b.annotations.json", "broken")

    with pytest.raises(FileFault, match="broken"):
        export(get_format("jsonl"), failing(), out, ExportOptions())
    assert out.read_text(encoding="utf-8") == "old\n"
    assert not list(tmp_path.glob(".*.tmp"))


def test_atomic_writer_replaces_only_when_the_block_completes(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_writer(path) as file:
        file.write(b"new, half")
        raise RuntimeError("stop")
    assert path.read_bytes() == b"old"
    with atomic_writer(path) as file:
        file.write(b"new")
    assert path.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_cli_export_reads_one_annotation_file_at_a_time(tmp_path, monkeypatch, capsys):
    from annotator.io import annotation_file
    from annotator.io.label_set_file import default_label_set
    from annotator.model.annotation_set import AnnotationSet
    from annotator.model.document import Document

    folder = tmp_path / "files"
    folder.mkdir()
    for n in range(6):
        annotations = AnnotationSet(Document.from_text(f"Officials {n}."), default_label_set(), "alice")
        annotations.insert(annotations.new_span(0, 9, "actor"))
        annotation_file.save(annotations, folder / f"d{n}.annotations.json")
    out = tmp_path / "out.jsonl"
    loaded_before: list[int] = []
    load_record = sources.load_record

    def counting(source):
        loaded_before.append(lines_written(tmp_path, out.name))
        return load_record(source)

    monkeypatch.setattr(sources, "load_record", counting)
    assert main(["export", str(folder), "-f", "jsonl", "-o", str(out)]) == 0
    assert loaded_before == [0, 1, 2, 3, 4, 5]  # each file read after the one before it was written
