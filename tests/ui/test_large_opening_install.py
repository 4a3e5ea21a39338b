"""Swapping a huge opened document in without a long GUI-thread turn: the annotation file's disk stamp is hashed by
the open's worker from the bytes it read, the span list's rows are prepared there, and an unchanged label set is
not applied again. Steps are driven by hand (an injected executor and scheduler): no test depends on speed."""

from __future__ import annotations

from annotator.project.session import disk_stamp
from tests.ui.test_large_opening import big_annotation_file, manual, stepped  # noqa: F401 (fixtures)


def test_the_disk_stamp_is_hashed_by_the_worker_from_the_bytes_it_read(window, stepped, tmp_path, monkeypatch):  # noqa: F811
    from annotator.ui.main import large_opening
    from annotator.ui.main import window as window_module

    _opening, executor, schedule = stepped
    path = big_annotation_file(tmp_path)
    expected = disk_stamp(path)
    hashed: list[bytes | None] = []
    real = large_opening.disk_stamp
    monkeypatch.setattr(large_opening, "disk_stamp", lambda p, data=None: hashed.append(data) or real(p, data))
    assert window.open_path(path)
    executor.run_all()
    assert hashed == [path.read_bytes()]  # the bytes the worker read, not the file read again

    def not_here(*_args):
        raise AssertionError("the GUI thread read and hashed the file")

    monkeypatch.setattr(large_opening, "disk_stamp", not_here)
    monkeypatch.setattr(window_module, "disk_stamp", not_here)
    schedule.run()
    session = window.sessions.session
    assert session.save_path == path and session.stamp == expected
