"""The recovery journal's base written ahead (``JournalBase``): written off the GUI thread, adopted by the journal
without being written again, cut back to on undo, removed when unused or left by a killed process."""

from __future__ import annotations

import gc
import hashlib
import json
from pathlib import Path

import pytest

from annotator.io import annotation_file
from annotator.io.json_pieces import dumps_pieces
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.commands import AddSpan
from annotator.model.document import Document
from annotator.project.journal import (
    BASE_SUFFIX,
    HEADER_ROOM,
    JournalBase,
    RecoveryJournal,
    _one_line,
    find_recoverable,
    recovery_folder,
    scan_journals,
)
from annotator.project.session import DocumentSession
from tests.conftest import trap_cases

TEXT = "The minister warned on Tuesday that tariffs would rise.\r\nOfficials denied it. 🙂 Done.\n"


def new_set(text: str = TEXT) -> AnnotationSet:
    return AnnotationSet(Document.from_text(text), default_label_set(), "alice", document_id="a.txt")


def add(session: DocumentSession, start: int, end: int, label: str) -> None:
    command = AddSpan(session.annotations.new_span(start, end, label))
    session.record(command.redo(session.annotations), command.text)


def header_of(path: Path) -> dict:
    return json.loads(path.read_bytes().split(b"\n")[0])


def leftovers() -> list[Path]:
    return sorted(recovery_folder().glob(f"*{BASE_SUFFIX}*"))


def saved_file(tmp_path: Path, annotations: AnnotationSet | None = None) -> tuple[Path, bytes]:
    path = tmp_path / "a.annotations.json"
    data = annotation_file.dumps_bytes(annotations or new_set())
    path.write_bytes(data)
    return path, data


@pytest.mark.parametrize("case", trap_cases(), ids=lambda case: case["name"])
def test_a_base_written_in_pieces_and_adopted_is_the_header_start_writes(tmp_path, case):
    annotations = AnnotationSet(Document.from_text(case["text"]), default_label_set(), "alice")
    if case["text"]:
        annotations.insert(annotations.new_span(0, 1, "actor"))
    data = annotation_file.dumps_bytes(annotations)
    base = JournalBase.write(dumps_pieces(annotations, slice_size=3))
    adopted = RecoveryJournal(tmp_path / "a.annotations.json")
    adopted.open()
    adopted.adopt(base)
    whole = RecoveryJournal(tmp_path / "a.annotations.json")
    whole.open()
    whole.start(data)
    first, second = adopted.path.read_bytes(), whole.path.read_bytes()
    # byte for byte the same base (put on one line alike), the same header keys, and spaces between
    tail = b"".join(_one_line(data)) + b"}\n"
    assert first.endswith(b', "base": ' + tail) and second.endswith(b', "base": ' + tail)
    assert header_of(adopted.path) | {"started": ""} == header_of(whole.path) | {"started": ""}
    assert len(first) == HEADER_ROOM + len(b', "base": ') + len(tail) and adopted.started
    assert leftovers() == []
    adopted.close(), whole.close()


def test_the_first_change_after_adopting_only_appends_a_line_and_is_recoverable(tmp_path):
    path, data = saved_file(tmp_path)
    session = DocumentSession(new_set(), path, annotator="alice", file_bytes=JournalBase.write(data))
    assert session.start() == []
    assert session._base_json is None and session.journal.started and leftovers() == []
    header = session.journal.path.read_bytes()
    assert json.loads(header)["base"] == json.loads(data)
    add(session, 4, 12, "actor")
    after = session.journal.path.read_bytes()
    assert after.startswith(header) and after[len(header) :].count(b"\n") == 1
    session.close(keep_journal=True)  # killed
    [recoverable] = find_recoverable()
    assert recoverable.change_count == 1 and not recoverable.disk_changed
    assert [(s.start, s.end, s.label) for s in recoverable.annotations] == [(4, 12, "actor")]
    recoverable.discard()


def test_a_journal_holding_only_an_adopted_header_is_no_work(tmp_path):
    path, data = saved_file(tmp_path)
    session = DocumentSession(new_set(), path, annotator="alice", file_bytes=JournalBase.write(data))
    session.start()
    session.close(keep_journal=True)  # killed before any change
    assert scan_journals() == ([], [])
    assert not session.journal.path.exists()


def test_undo_back_to_the_opened_state_cuts_the_journal_back_to_its_header(tmp_path):
    path, data = saved_file(tmp_path)
    session = DocumentSession(new_set(), path, annotator="alice", file_bytes=JournalBase.write(data))
    session.start()
    header = session.journal.path.read_bytes()
    command = AddSpan(session.annotations.new_span(4, 12, "actor"))
    session.record(command.redo(session.annotations), command.text)
    session.record(command.undo(session.annotations), "Undo")
    session.back_to_saved()
    assert session.journal.path.read_bytes() == header and not session.dirty
    add(session, 13, 19, "warning")
    session.close(keep_journal=True)
    [recoverable] = find_recoverable()
    assert [(s.start, s.end) for s in recoverable.annotations] == [(13, 19)] and recoverable.change_count == 1
    recoverable.discard()


def test_back_to_base_rewrites_an_unsaved_base_as_version_1_keeping_the_base(tmp_path):
    path, data = saved_file(tmp_path)
    journal = RecoveryJournal(path)
    journal.open()
    journal.restart_on_unsaved(data)
    journal.record(data, Change(), "restored")
    assert header_of(journal.path)["journal"] == 2
    journal.back_to_base()
    lines = journal.path.read_bytes().split(b"\n")
    assert lines[1:] == [b""]
    header = json.loads(lines[0])
    assert header["journal"] == 1 and "builds_on" not in header and header["base"] == json.loads(data)
    assert not journal.unsaved_base
    journal.close()


def test_a_header_too_long_for_the_room_is_written_before_a_copy_of_the_base(tmp_path):
    deep = tmp_path.joinpath(*["folder-with-a-long-name-" + "x" * 200] * 8)  # ASCII-escaped: longer still
    deep.mkdir(parents=True)
    path, data = saved_file(deep)
    journal = RecoveryJournal(path, text_path=deep / ("é" * 3000 + ".txt"))
    journal.open()
    journal.adopt(JournalBase.write(data))
    header = header_of(journal.path)
    assert header["base"] == json.loads(data) and header["text_path"].endswith("é" * 3000 + ".txt")
    assert journal.path.read_bytes().endswith(b"".join(_one_line(data)) + b"}\n") and leftovers() == []
    assert b" " * 64 not in journal.path.read_bytes()  # not the room filled in place: a new head, the base copied
    journal.record(b"", Change(status=None), "")
    assert len(journal.path.read_bytes().split(b"\n")) == 3
    journal.close()


def test_a_base_in_another_folder_is_copied_into_the_journal(tmp_path):
    path, data = saved_file(tmp_path)
    journal = RecoveryJournal(path, folder=tmp_path / "elsewhere")
    journal.open()
    journal.adopt(JournalBase.write(data))
    assert header_of(journal.path)["base"] == json.loads(data) and leftovers() == []
    assert b" " * 64 not in journal.path.read_bytes()
    journal.close()


def test_a_read_only_session_removes_the_base_unused(tmp_path):
    path, data = saved_file(tmp_path)
    holder = DocumentSession(new_set(), path, annotator="bob")
    holder.start()
    session = DocumentSession(new_set(), path, annotator="alice", file_bytes=JournalBase.write(data))
    session.start()
    assert session.read_only and leftovers() == [] and not session.journal.path.exists()
    holder.close()


def test_a_base_dropped_unused_is_removed(tmp_path):
    base = JournalBase.write(b'{"a": 1}')
    assert base.path.exists() and leftovers()
    del base
    gc.collect()
    assert leftovers() == []


def test_a_base_whose_writer_is_gone_is_removed_by_the_scan_and_a_live_one_kept(tmp_path):
    folder = recovery_folder()
    live = JournalBase.write(b'{"a": 1}')
    dead = folder / f"1-2{BASE_SUFFIX}"
    dead.write_bytes(b" " * 10)
    Path(f"{dead}.lock").write_bytes(b"")  # its lock file, free: the process that held it was killed
    Path(folder / f"3-4{BASE_SUFFIX}.lock").write_bytes(b"")  # a lock file alone
    scan_journals()
    assert leftovers() == [live.path, Path(f"{live.path}.lock")]
    live.discard()
    assert leftovers() == []


def test_a_serializer_that_refuses_leaves_nothing(tmp_path):
    from annotator.model.status import DocumentStatus

    annotations = new_set("x" * 50)
    annotations.status = DocumentStatus.NOT_STARTED
    with pytest.raises(ValueError, match="not_started"):
        JournalBase.write(dumps_pieces(annotations, slice_size=4))
    assert leftovers() == []


def test_a_base_in_pieces_is_written_as_the_pieces_come_never_held_whole(tmp_path):
    # the open's worker writes a 28 MB base: a tuple of all its pieces (put on one line) held it whole once more
    piece = b"[" + b'"x",\r\n' * 5_000 + b'"y"]'  # 30 KB: more than a write buffer
    written_before: list[int] = []

    def pieces():
        for number in range(3):
            written_before.append(sum(path.stat().st_size for path in recovery_folder().glob(f"*{BASE_SUFFIX}")))
            yield b'{"a": ' + piece if number == 0 else (b', "b": ' + piece if number == 1 else b"}")

    base = JournalBase.write(pieces())
    assert written_before[1] >= HEADER_ROOM + len(piece)  # the first piece on disk before the second is made
    assert written_before[2] >= written_before[1] + len(piece)
    one_line = piece.replace(b"\r\n", b"  ")
    assert (
        base.path.read_bytes() == b" " * HEADER_ROOM + b', "base": {"a": ' + one_line + b', "b": ' + one_line + b"}}\n"
    )
    base.discard()


def test_bytes_put_on_one_line_go_a_bounded_step_at_a_time():
    from annotator.project import journal

    data = b'{"text": "a\\nb",\r\n "spans": []}\n' * 100_000  # 3.3 MB
    parts = list(journal._one_line_stream([data]))
    assert max(len(part) for part in parts) <= journal._LINE_STEP < len(data)
    assert b"".join(parts) == data.replace(b"\r", b" ").replace(b"\n", b" ")


def test_a_base_copied_from_the_file_loaded_is_the_base_written_from_its_bytes(tmp_path, monkeypatch):
    from annotator.project import journal

    monkeypatch.setattr(journal, "_LINE_STEP", 7)  # pieces cut anywhere, CR LF and UTF-8 sequences included
    for case in trap_cases():
        annotations = AnnotationSet(Document.from_text(case["text"]), default_label_set(), "alice")
        path, data = saved_file(tmp_path, annotations)
        path.write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))  # another writer's BOM and line ends
        data = path.read_bytes()
        copied = JournalBase.copy(path, len(data), hashlib.sha256(data).hexdigest())
        written = JournalBase.write(data)
        assert copied is not None and copied.path.read_bytes() == written.path.read_bytes(), case["name"]
        assert copied.size == written.size
        copied.discard(), written.discard()
    assert leftovers() == []


def test_a_file_changed_or_gone_since_it_was_loaded_is_not_copied(tmp_path):
    path, data = saved_file(tmp_path)
    digest = hashlib.sha256(data).hexdigest()
    assert b'"alice"' in data
    path.write_bytes(data.replace(b"alice", b"alicE"))  # the same size, other bytes
    assert JournalBase.copy(path, len(data), digest) is None
    path.write_bytes(data + b" ")
    assert JournalBase.copy(path, len(data), digest) is None
    path.unlink()
    assert JournalBase.copy(path, len(data), digest) is None
    assert leftovers() == []  # nothing left behind


# -- saves made in pieces (a big file: in another thread in the app) -----------------------------------------------
def test_a_save_in_pieces_writes_the_one_call_bytes_and_the_journal_takes_its_base(tmp_path):
    import threading

    path, _data = saved_file(tmp_path)
    session = DocumentSession(annotation_file.load(path), path, annotator="alice")
    session.start()
    add(session, 4, 12, "actor")
    job = session.save_job(in_pieces=True)
    worker = threading.Thread(target=job.run)
    worker.start(), worker.join()
    assert session.finish_save(job) == path and not session.dirty
    written = path.read_bytes()
    assert written == annotation_file.dumps_bytes(session.annotations)
    assert header_of(session.journal.path)["base"] == json.loads(written) and leftovers() == []
    assert session.stamp is not None and session.stamp.size == len(written) and not session.disk_changed()
    assert session._base_json is None
    header = session.journal.path.read_bytes()
    add(session, 13, 19, "warning")
    assert session.journal.path.read_bytes()[len(header) :].count(b"\n") == 1
    session.close(keep_journal=True)
    [recoverable] = find_recoverable()
    assert [(s.start, s.end) for s in recoverable.annotations.sorted_spans()] == [(4, 12), (13, 19)]
    recoverable.discard()


def test_changes_made_while_a_save_runs_stay_unsaved_and_journaled(tmp_path):
    path, _data = saved_file(tmp_path)
    session = DocumentSession(annotation_file.load(path), path, annotator="alice")
    session.start()
    add(session, 4, 12, "actor")
    job = session.save_job(in_pieces=True)
    add(session, 13, 19, "warning")  # after the snapshot (the app holds edits; a suggestion run may not)
    job.run()
    session.finish_save(job)
    assert session.dirty and leftovers() == []
    assert [(s.start, s.end) for s in annotation_file.load(path)] == [(4, 12)]  # the state when the job was taken
    session.close(keep_journal=True)
    [recoverable] = find_recoverable()  # the journal still holds both changes, on its first base
    assert [(s.start, s.end) for s in recoverable.annotations.sorted_spans()] == [(4, 12), (13, 19)]
    recoverable.discard()


def test_a_save_in_pieces_over_a_file_changed_on_disk_writes_nothing(tmp_path):
    from annotator.project.session import DiskConflict

    path, _data = saved_file(tmp_path)
    session = DocumentSession(annotation_file.load(path), path, annotator="alice")
    session.start()
    add(session, 4, 12, "actor")
    job = session.save_job(in_pieces=True)
    theirs = annotation_file.dumps_bytes(new_set(TEXT + "more"))
    path.write_bytes(theirs)
    with pytest.raises(DiskConflict):
        job.run()
    assert path.read_bytes() == theirs and leftovers() == [] and session.dirty
    session.close()


def test_without_a_base_ahead_the_journal_starts_from_the_state_saved(tmp_path, monkeypatch):
    from annotator.io.errors import FileFault

    def refuse(*_args, **_kwargs):
        raise FileFault(tmp_path, "could not write the recovery journal's base (disk full)")

    path, _data = saved_file(tmp_path)
    session = DocumentSession(annotation_file.load(path), path, annotator="alice")
    session.start()
    add(session, 4, 12, "actor")
    monkeypatch.setattr(JournalBase, "write", refuse)
    session.save_job(in_pieces=True)  # (taken and dropped: nothing happens)
    job = session.save_job(in_pieces=True)
    job.run()
    session.finish_save(job)
    assert not session.dirty and path.read_bytes() == annotation_file.dumps_bytes(session.annotations)
    add(session, 13, 19, "warning")
    session.close(keep_journal=True)
    [recoverable] = find_recoverable()
    assert recoverable.change_count == 1 and not recoverable.disk_changed
    assert [(s.start, s.end) for s in recoverable.annotations.sorted_spans()] == [(4, 12), (13, 19)]
    recoverable.discard()


def test_a_save_in_pieces_whose_file_write_fails_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    from functools import partial

    from annotator.io import atomic
    from annotator.io.errors import FileFault
    from annotator.project import session as session_module

    path, data = saved_file(tmp_path)
    session = DocumentSession(annotation_file.load(path), path, annotator="alice")
    session.start()
    add(session, 4, 12, "actor")
    job = session.save_job(in_pieces=True)
    real_fdopen, writes = atomic.os.fdopen, []

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)

        def write(self, piece):
            writes.append(piece)
            if len(writes) == 2:  # mid-file: the disk is full
                raise OSError(28, "No space left on device")
            return self.handle.write(piece)

    monkeypatch.setattr(atomic.os, "fdopen", lambda *args, **kwargs: Full(real_fdopen(*args, **kwargs)))
    monkeypatch.setattr(session_module, "dumps_pieces", partial(dumps_pieces, slice_size=5, spans_piece=1))
    with pytest.raises(FileFault, match="No space left"):
        job.run()
    assert path.read_bytes() == data and leftovers() == [] and session.dirty and len(writes) == 2
    assert not list(tmp_path.glob(".a.annotations.json.*.tmp"))
    session.close()


@pytest.mark.parametrize("in_pieces", [False, True])
def test_a_save_job_gives_what_it_wrote_even_when_its_stamp_could_not_be_read(tmp_path, monkeypatch, in_pieces):
    """What a save wrote, for a journal started on it when no base was written ahead: its bytes, or its pieces made
    again from its snapshot; nothing before it ran (a file it wrote but could not read back is still written)."""
    session = DocumentSession(new_set(), tmp_path / "a.annotations.json", annotator="alice")
    session.start()
    add(session, 0, 9, "actor")
    job = session.save_job(in_pieces=in_pieces)
    assert job.written_json() is None  # not run yet
    real_stat = Path.stat

    def stat_fails_on_the_file(path, *args, **kwargs):
        if path == job.path and job.written:
            raise OSError("gone a moment later")
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat_fails_on_the_file)
    job.run()
    monkeypatch.undo()
    assert job.stamp is None and job.written
    written = job.written_json()
    assert written is not None
    assert (written if isinstance(written, bytes) else b"".join(written)) == job.path.read_bytes()
    if job.base is not None:
        job.base.discard()
    session.close()
