"""CSV, CoNLL, doccano, Label Studio and the Hugging Face dataset stream: each writes what it wrote when it kept every
record until the end (stored under tests/data/streamed_exports/, written by the writers before they streamed), holds
no record once it has moved on to the next, and leaves the old files as they were when an export fails midway."""

from __future__ import annotations

import gc
import itertools
import tempfile
import weakref
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.formats.exporting import export
from annotator.formats.options import ExportOptions
from annotator.formats.registry import get_format
from annotator.io.errors import FileFault
from tests.formats.streamed_corpus import OUTPUTS, streamed_corpus

STORED = Path(__file__).resolve().parents[1] / "data" / "streamed_exports"


def files_under(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def stored_files(fmt: str) -> dict[str, bytes]:
    """The stored output files of ``fmt`` (the CSV's document labels file beside it included)."""
    name = OUTPUTS[fmt]
    stem = name.split(".")[0]
    everything = files_under(STORED)
    if fmt == "hf":
        return {key: value for key, value in everything.items() if key.startswith("hf/")}
    if fmt == "csv":
        return {key: everything[key] for key in (name, f"{stem}.document_labels.csv")}
    if fmt == "label-studio":
        return {key: everything[key] for key in (name, "out.label_studio.label_config.xml")}
    return {name: everything[name]}


@pytest.mark.parametrize("fmt", sorted(OUTPUTS))
def test_streamed_export_is_byte_identical_to_the_all_at_once_one(tmp_path, fmt):
    report = export(get_format(fmt), iter(streamed_corpus()), tmp_path / OUTPUTS[fmt], ExportOptions())
    assert report.documents == len(streamed_corpus())
    assert files_under(tmp_path) == stored_files(fmt)


@pytest.mark.parametrize("fmt", sorted(OUTPUTS))
def test_streamed_export_holds_no_record_after_the_next_is_asked_for(tmp_path, fmt):
    alive: list[int] = []
    refs: list[weakref.ref] = []

    def counting():
        for kept in streamed_corpus():
            record = replace(kept)  # a copy only the writer holds
            gc.collect()
            alive.append(sum(ref() is not None for ref in refs))
            refs.append(weakref.ref(record))
            yield record
            del record

    export(get_format(fmt), counting(), tmp_path / OUTPUTS[fmt], ExportOptions())
    assert len(alive) == len(streamed_corpus())
    assert max(alive) <= 1  # at most the record just written
    assert files_under(tmp_path) == stored_files(fmt)


@pytest.mark.parametrize("fmt", sorted(OUTPUTS))
def test_each_record_goes_to_a_file_before_the_next_is_read(tmp_path, monkeypatch, fmt):
    """What a record gives is on its way to disk (the atomic writer's temporary file, or the temporary file where
    CSV rows wait for the header and Label Studio tasks for their other annotators) before the next is read."""
    spools = []
    temporary_file = tempfile.TemporaryFile

    def tracked(*args, **kwargs):
        spools.append(temporary_file(*args, **kwargs))
        return spools[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", tracked)
    sizes: list[int] = []

    def measuring():
        for record in streamed_corpus():
            written = sum(path.stat().st_size for path in tmp_path.rglob(".*.tmp"))
            sizes.append(written + sum(spool.tell() for spool in spools if not spool.closed))
            yield record

    export(get_format(fmt), measuring(), tmp_path / OUTPUTS[fmt], ExportOptions())
    grew = sum(after > before for before, after in itertools.pairwise(sizes))
    assert grew >= len(sizes) // 2, sizes  # all-at-once writers stayed at 0 until the end


@pytest.mark.parametrize("fmt", sorted(OUTPUTS))
def test_streamed_export_failing_midway_leaves_the_old_files_and_no_temporary(tmp_path, fmt):
    out = tmp_path / OUTPUTS[fmt]
    export(get_format(fmt), iter(streamed_corpus()[:3]), out, ExportOptions())
    before = files_under(tmp_path)

    def failing():
        yield from streamed_corpus()[:20]
        raise FileFault(tmp_path / "broken.annotations.json", "broken midway")

    with pytest.raises(FileFault, match="broken midway"):
        export(get_format(fmt), failing(), out, ExportOptions())
    assert files_under(tmp_path) == before  # no temporary file either (they start with a dot)


@pytest.mark.parametrize("fmt", ["hf", "csv"])
def test_a_failed_streamed_export_to_a_new_place_leaves_nothing(tmp_path, fmt):
    def failing():
        yield streamed_corpus()[0]
        raise FileFault(tmp_path / "broken.annotations.json", "broken midway")

    with pytest.raises(FileFault):
        export(get_format(fmt), failing(), tmp_path / "new" / OUTPUTS[fmt], ExportOptions())
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]
