"""``durable``: an atomic write with or without its fsyncs (the file's and its folder's)."""

from __future__ import annotations

import os

import pytest

from annotator.io import atomic
from annotator.io.atomic import atomic_write_bytes, atomic_write_text
from annotator.io.errors import FileFault


@pytest.fixture
def fsyncs(monkeypatch):
    calls: list[int] = []
    real = os.fsync
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: calls.append(fd) or real(fd))
    return calls


def test_a_durable_write_fsyncs_the_file_and_on_posix_its_folder(tmp_path, fsyncs):
    atomic_write_text(tmp_path / "a.json", "{}\n")
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "{}\n"
    assert len(fsyncs) == (2 if os.name == "posix" else 1)


def test_a_write_that_need_not_be_durable_is_atomic_without_fsync(tmp_path, fsyncs, monkeypatch):
    target = tmp_path / "a.owner"
    atomic_write_text(target, "new Zoë\n", durable=False)
    atomic_write_bytes(tmp_path / "b.owner", b"x", durable=False)
    assert fsyncs == []
    assert target.read_text(encoding="utf-8") == "new Zoë\n" and (tmp_path / "b.owner").read_bytes() == b"x"

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(FileFault, match="No space left on device"):
        atomic_write_text(target, "newer", durable=False)
    assert target.read_text(encoding="utf-8") == "new Zoë\n"  # the old content, complete
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.owner", "b.owner"]  # no temporary file left behind
