"""Swapping a huge opened document in without a long GUI-thread turn: the annotation file's disk stamp is made by
the open's worker from the bytes it read (hashed beside its load), the span list's rows are prepared there, and an
unchanged label set is not given new actions. Steps are driven by hand (an injected executor and scheduler): no test
depends on speed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from annotator.project.session import disk_stamp
from tests.ui.test_large_opening import big_annotation_file, manual, stepped  # noqa: F401 (fixtures)


def test_the_disk_stamp_is_hashed_by_the_worker_from_the_bytes_it_read(window, stepped, tmp_path, monkeypatch):  # noqa: F811
    from annotator.ui.main import large_opening
    from annotator.ui.main import window as window_module

    _opening, executor, schedule = stepped
    path = big_annotation_file(tmp_path)
    expected = disk_stamp(path)
    hashed: list[tuple[bytes | None, str | None]] = []
    real = large_opening.disk_stamp

    def stamp(p, data=None, sha256=None):
        hashed.append((data, sha256))
        return real(p, data, sha256)

    monkeypatch.setattr(large_opening, "disk_stamp", stamp)
    assert window.open_path(path)
    executor.run_all()
    # the bytes the worker read (not the file read again), hashed while it loaded them
    assert hashed == [(path.read_bytes(), expected.sha256)]

    def not_here(*_args):
        raise AssertionError("the GUI thread read and hashed the file")

    monkeypatch.setattr(large_opening, "disk_stamp", not_here)
    monkeypatch.setattr(window_module, "disk_stamp", not_here)
    schedule.run()
    session = window.sessions.session
    assert session.save_path == path and session.stamp == expected


def test_the_span_lists_rows_are_made_by_the_worker_and_taken_as_they_are(window, stepped, tmp_path, monkeypatch):  # noqa: F811
    from annotator.ui.document import span_table
    from annotator.ui.main import large_opening

    _opening, executor, schedule = stepped
    made: list[tuple] = []
    monkeypatch.setattr(
        large_opening, "prepared_rows", lambda a, starts: made.append(span_table.prepared_rows(a, starts)) or made[-1]
    )
    assert window.open_path(big_annotation_file(tmp_path))
    executor.run_all()
    assert len(made) == 1
    schedule.run()
    model, spans = window.span_model, window.controller.annotations
    assert model._spans is made[0][1] and model._ids is made[0][2]  # not built again on the GUI thread
    expected = [s.id for s in span_table.sorted_rows(spans, span_table.START_COLUMN)]
    assert model.rowCount() == len(spans) == 3000
    assert [model.data(model.index(row, 0), span_table.SPAN_ID_ROLE) for row in range(model.rowCount())] == expected


def test_prepared_rows_are_the_rows_the_model_would_make(qtbot, monkeypatch):
    from annotator.io.label_set_file import default_label_set
    from annotator.model.annotation_set import AnnotationSet
    from annotator.model.document import Document
    from annotator.ui.document import span_table

    annotations = AnnotationSet(
        Document.from_text("Officials in Berlin warned on Monday.\n" * 30), default_label_set(), "t"
    )
    for n in reversed(range(30)):  # inserted out of saved order
        annotations.insert(annotations.new_span(n * 38 + 13, n * 38 + 19, "actor"))
        annotations.insert(annotations.new_span(n * 38, n * 38 + 9, "actor"))
    plain = span_table.SpanTableModel()
    plain.set_annotations(annotations)
    for step in (1, 7, 1000):
        monkeypatch.setattr(span_table, "PREPARE_STEP", step)
        prepared = span_table.prepared_rows(annotations)
        assert prepared[1] == plain._spans and prepared[2] == plain._ids
        sorted_by_label = span_table.SpanTableModel()
        sorted_by_label.sort(0)
        sorted_by_label.offer_rows(prepared)
        sorted_by_label.set_annotations(annotations)  # another order: its own rows, from the prepared spans
        reference = span_table.SpanTableModel()
        reference.sort(0)
        reference.set_annotations(annotations)
        assert sorted_by_label._ids == reference._ids
    other = span_table.SpanTableModel()
    other.offer_rows(prepared)
    other.set_annotations(AnnotationSet(Document.from_text("x"), default_label_set(), "t"))
    assert other.rowCount() == 0  # an offer for other annotations is not taken


@pytest.mark.parametrize("step", [1, 2, 3, 1000])
def test_prepared_rows_read_whole_keys_only_where_starts_tie(qtbot, step, monkeypatch):
    from annotator.io.label_set_file import default_label_set
    from annotator.model.annotation_set import AnnotationSet
    from annotator.model.document import Document
    from annotator.ui.document import span_table

    monkeypatch.setattr(span_table, "PREPARE_STEP", step)
    text = "Officials in Berlin warned on Monday.\n" * 4
    orders = {
        "saved, with ties": [(0, 9, "actor"), (0, 19, "actor"), (0, 19, "claim"), (13, 19, "actor"), (38, 47, "actor")],
        "a tie out of order": [(0, 9, "actor"), (13, 19, "claim"), (13, 19, "actor"), (38, 47, "actor")],
        "ends out of order": [(0, 19, "actor"), (0, 9, "actor"), (38, 47, "actor")],
        "starts out of order": [(13, 19, "actor"), (0, 9, "actor")],
        "a tie across steps": [(0, 9, "actor"), (13, 19, "actor"), (13, 26, "actor"), (13, 26, "claim")],
    }
    for name, spans in orders.items():
        annotations = AnnotationSet(Document.from_text(text), default_label_set(), "t")
        for start, end, label in spans:
            annotations.insert(annotations.new_span(start, end, label))
        plain = span_table.SpanTableModel()
        plain.set_annotations(annotations)
        _same, by_id, ids = span_table.prepared_rows(annotations)
        assert ids == plain._ids == [s.id for s in annotations.sorted_spans()], name
        assert span_table.prepared_rows(annotations, annotations.starts())[1:] == (by_id, ids), name  # read once
        assert by_id == plain._spans and by_id is not annotations.spans_by_id  # a copy: the model changes its own


def test_an_unchanged_label_set_keeps_its_actions(window, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Officials in Berlin warned.\n", encoding="utf-8")
    second.write_text("The minister denied it.\n", encoding="utf-8")
    assert window.open_path(first)
    actions = dict(window.label_actions)
    assert window.open_path(second)  # the same label set: the widgets keep what they show
    assert window.label_actions == actions and all(window.label_actions[n] is a for n, a in actions.items())
    assert window.registry.label_set is window.controller.annotations.label_set
    changed = window.controller.annotations.label_set.model_copy(update={"name": "Other"})
    window._apply_label_set_to_widgets(changed)  # a different one is applied
    assert window.registry.label_set is changed
    assert all(window.label_actions[n] is not a for n, a in actions.items() if n in window.label_actions)


def test_the_worker_builds_the_index_and_rows_with_the_collector_paused(window, stepped, tmp_path, monkeypatch):  # noqa: F811
    import gc

    from annotator.ui.document import span_table
    from annotator.ui.main import large_opening

    _opening, executor, schedule = stepped
    enabled: list[bool] = []
    monkeypatch.setattr(
        large_opening,
        "prepared_rows",
        lambda a, starts: enabled.append(gc.isenabled()) or span_table.prepared_rows(a, starts),
    )
    assert gc.isenabled()
    assert window.open_path(big_annotation_file(tmp_path))
    executor.run_all()
    assert enabled == [False] and gc.isenabled()  # a full collection walks every span: paused, then back on
    schedule.run()
    assert window.span_model.rowCount() == 3000


def test_the_recent_files_are_saved_in_a_turn_after_the_install(window, manual, tmp_path, monkeypatch):  # noqa: F811
    from tests.ui.test_large_opening import big_text

    _opening, executor, schedule = manual
    path = tmp_path / "big.txt"
    path.write_bytes(big_text(100).encode("utf-8"))
    import threading

    from annotator.io import settings as settings_module

    saves: list[tuple[list[str], str]] = []
    written, entered = threading.Event(), threading.Event()
    real_save = settings_module.save_settings

    def save(settings) -> None:
        saves.append((list(settings.recent), threading.current_thread().name))
        entered.set()
        written.wait(10)  # the fsync waiting for the open's writes
        real_save(settings)

    monkeypatch.setattr(settings_module, "save_settings", save)
    at_install: list[int] = []
    window.opener.opened.connect(lambda _opened: at_install.append(len(saves)))
    assert window.open_path(path)
    executor.run_all()
    schedule.run()
    assert window.settings.recent[0] == str(path.absolute())
    assert entered.wait(10)
    window.settings.font_point_size = 17.0  # changed after it: saved by a later save, which waits for the first
    later = threading.Thread(target=window._save_settings)
    later.start()
    assert at_install == [0]  # not in the install's turn, but saved, by a thread of its own
    assert [thread for _recent, thread in saves] == ["settings-save"] and saves[0][0][0] == str(path.absolute())
    assert later.is_alive()
    written.set()
    later.join(10)
    assert len(saves) == 2
    assert settings_module.load_settings().font_point_size == 17.0  # the later save landed last


def test_the_journal_base_is_the_file_copied_from_disk_or_if_changed_since_the_annotations_loaded(
    window,
    stepped,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    import json

    from annotator.io import annotation_file
    from annotator.project.journal import JournalBase

    _opening, executor, schedule = stepped
    path = big_annotation_file(tmp_path)
    data = path.read_bytes()
    assert window.open_path(path)
    executor.run_all(), schedule.run()
    journal = window.sessions.session.journal.path
    assert journal.read_bytes().split(b"\n")[0].endswith(b', "base": ' + data.replace(b"\n", b" ") + b"}")

    copies: list[object] = []
    real = JournalBase.copy

    def changed_meanwhile(source, size, sha256, folder=None):
        source.write_bytes(data.replace(b'"actor"', b'"claim"'))  # saved by another program after the read
        copies.append(real(source, size, sha256, folder))
        return copies[-1]

    monkeypatch.setattr(JournalBase, "copy", changed_meanwhile)
    other = tmp_path / "other"
    other.mkdir()
    second = other / path.name
    second.write_bytes(data)
    assert window.open_path(second)
    executor.run_all(), schedule.run()
    annotations = window.controller.annotations
    assert copies == [None] and window.sessions.session.save_path == second
    assert {span.label for span in annotations} == {"actor", "warning"}  # as loaded, not as on disk now
    header = json.loads(window.sessions.session.journal.path.read_bytes().split(b"\n")[0])
    assert header["base"] == json.loads(annotation_file.dumps_bytes(annotations))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux thread's own nice value")
def test_the_opens_helper_threads_run_below_the_windows_priority():
    import os
    import threading

    from annotator.ui.main.large_opening import BACKGROUND_NICE, lower_priority

    seen: list[int] = []

    def helper() -> None:
        lower_priority()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    thread = threading.Thread(target=helper)
    thread.start()
    thread.join()
    window = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    if seen == [window]:
        pytest.skip("this system does not let a thread lower its own priority (lower_priority then does nothing)")
    assert seen == [min(19, window + BACKGROUND_NICE)]  # that thread alone: this one keeps its own


@pytest.mark.parametrize("why", ["the folder's choice", "a copy beside it"])
def test_your_own_copy_of_anothers_huge_file_is_made_and_opened_by_the_worker(window, stepped, tmp_path, why):  # noqa: F811
    from annotator.io import annotation_file
    from annotator.project.ownership import own_copy_path
    from annotator.ui.main import ownership

    _opening, executor, schedule = stepped
    theirs = big_annotation_file(tmp_path)
    annotations = annotation_file.load(theirs)
    annotations.annotator = "analyst"
    annotation_file.save(annotations, theirs)
    before = theirs.read_bytes()
    mine = own_copy_path(theirs, "tester")
    if why == "a copy beside it":
        annotations.annotator = "tester"
        annotation_file.save(annotations, mine)
    else:
        window.settings.others_files[str(tmp_path.resolve())] = "copy"
    in_worker: list[bool] = []
    running = [False]
    run_all = executor.run_all

    def run_in_worker() -> int:
        running[0] = True
        try:
            return run_all()
        finally:
            running[0] = False

    executor.run_all = run_in_worker
    made = ownership.own_copy
    ownership.own_copy = lambda *args: in_worker.append(running[0]) or made(*args)
    read: list[tuple[Path, bool]] = []  # each file loaded, and whether in the worker
    load = annotation_file.load_in_steps
    annotation_file.load_in_steps = lambda path, *args: read.append((Path(path), running[0])) or load(path, *args)
    try:
        assert window.open_path(theirs)
        assert not in_worker  # nothing decided on the GUI thread before the worker runs
        executor.run_all()
        schedule.run()
    finally:
        ownership.own_copy = made
        annotation_file.load_in_steps = load
    # made and opened in the worker (a 1M-span copy froze the window for seconds), or, already there, read instead
    # of their file (not after it: their annotator is peeked, not loaded)
    assert in_worker == ([True] if why == "the folder's choice" else [])
    session = window.sessions.session
    assert session.save_path == mine and not session.read_only and not window.ownership_bar.isVisible()
    assert len(window.controller.annotations) == 3000 and window.controller.annotations.annotator == "tester"
    assert theirs.read_bytes() == before  # theirs stays as it is
    if why == "the folder's choice":
        assert read == [(theirs, True)]  # the copy made now is the annotations just loaded: not read again
        assert annotation_file.load(mine).annotator == "tester" and len(annotation_file.load(mine)) == 3000
    else:
        assert read == [(mine, True)]  # your own copy as it is on disk, alone, in steps
    assert "Your own copy big.tester.annotations.json: big.annotations.json (analyst's) stays as it is." in (
        window.statusBar().currentMessage()
    )


def test_what_the_worker_made_is_let_go_in_a_later_turn_not_by_its_future(window, stepped, tmp_path, monkeypatch):  # noqa: F811
    """Qt destroys the queued call that carried the worker's future on the GUI thread, after the slot: the result is
    taken out of the future there, and what nobody took of it is let go by a step of its own after the install."""
    import gc
    import weakref

    from annotator.ui.main import large_opening

    _opening, executor, schedule = stepped
    made: list[weakref.ref] = []
    real = large_opening._Read

    def noted(*args, **kwargs):
        read = real(*args, **kwargs)
        made.append(weakref.ref(read))
        return read

    monkeypatch.setattr(large_opening, "_Read", noted)
    path = big_annotation_file(tmp_path)
    assert window.open_path(path)
    futures = [future for future, _fn, _args in executor.jobs]
    executor.run_all()
    assert len(made) == 1
    results = [future.result() for future in futures if isinstance(future.result(), list)]
    assert results == [[]]  # taken out of the future
    while window.sessions.session is None or window.sessions.session.save_path != path:
        assert schedule.run(1) == 1  # up to the install's turn
    gc.collect()
    assert made[0]() is not None  # held until its own step
    schedule.run()
    gc.collect()
    assert made[0]() is None
    assert window.controller.annotations.text  # the document shown keeps what it took
