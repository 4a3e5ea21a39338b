"""Sessions, journals and saving under faults, without Qt: kills mid-save, writes that fail, two processes on one
file, and recovery after a kill."""

from __future__ import annotations

import errno
import json
import os
import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.commands import AddSpan, remove_spans_command, set_status_command
from annotator.model.document import Document
from annotator.model.status import DocumentStatus
from annotator.project.journal import find_recoverable, recoverable_for
from annotator.project.layout import Project
from annotator.project.session import DiskConflict, DocumentSession, ReadOnlyError

TEXT = "The minister warned on Tuesday that tariffs would rise.\r\nOfficials denied it. 🙂 Done.\n"
ROOT = Path(__file__).resolve().parents[2]


def new_set(text: str = TEXT) -> AnnotationSet:
    return AnnotationSet(Document.from_text(text), default_label_set(), "alice", document_id="a.txt")


def add(session: DocumentSession, start: int, end: int, label: str) -> None:
    command = AddSpan(session.annotations.new_span(start, end, label))
    session.record(command.redo(session.annotations), command.text)


@pytest.fixture
def session(tmp_path: Path):
    s = DocumentSession(new_set(), tmp_path / "annotations" / "alice" / "a.annotations.json", annotator="alice")
    assert s.start() == []
    yield s
    s.close()


def run_child(code: str, env_extra: dict[str, str] | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env_extra or {})}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for_line(process: subprocess.Popen, expected: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.strip() == expected:
            return
        if process.poll() is not None:
            raise AssertionError(f"child exited early: {process.stderr.read()}")
    process.kill()
    raise AssertionError(f"child never printed {expected!r}")


# -- saving and the journal ----------------------------------------------------------------------------------------
def test_save_writes_the_file_and_starts_the_journal_afresh(session: DocumentSession) -> None:
    add(session, 4, 12, "actor")
    assert session.dirty and session.journal.path.exists()
    session.save()
    assert not session.dirty
    # the journal starts afresh: its header holds the file just saved as the base, and no change follows
    lines = session.journal.path.read_bytes().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["base"] == json.loads(session.save_path.read_bytes())
    loaded = annotation_file.load(session.save_path)
    assert [(s.start, s.end, s.label) for s in loaded] == [(4, 12, "actor")]
    assert loaded.document_id == "a.txt"


def saved_with_one_span(tmp_path: Path) -> DocumentSession:
    """A started session of ``a.annotations.json`` in ``tmp_path``, one span added and saved."""
    session = DocumentSession(new_set(), tmp_path / "a.annotations.json", annotator="alice")
    session.start()
    add(session, 4, 12, "actor")
    session.save()
    return session


def test_after_a_save_a_change_appends_one_line_and_a_kill_leaves_it_recoverable(tmp_path: Path) -> None:
    session = saved_with_one_span(tmp_path)
    header = session.journal.path.read_bytes()
    add(session, 13, 19, "warning")
    after = session.journal.path.read_bytes()
    assert after.startswith(header) and after[len(header) :].count(b"\n") == 1
    session.close(keep_journal=True)  # killed
    [recoverable] = find_recoverable()
    assert recoverable.change_count == 1 and not recoverable.disk_changed
    assert [(s.start, s.end) for s in recoverable.annotations.sorted_spans()] == [(4, 12), (13, 19)]
    recoverable.discard()


def test_a_kill_right_after_a_save_leaves_nothing_to_recover(tmp_path: Path) -> None:
    session = saved_with_one_span(tmp_path)
    session.close(keep_journal=True)  # killed: the journal holds a header only
    assert find_recoverable() == []
    assert not session.journal.path.exists()


def test_status_is_saved_and_undoable(session: DocumentSession) -> None:
    command = set_status_command(session.annotations, DocumentStatus.DONE)
    session.record(command.redo(session.annotations), command.text)
    session.save()
    assert annotation_file.load(session.save_path).status is DocumentStatus.DONE
    session.record(command.undo(session.annotations), command.text)
    session.save()
    assert annotation_file.load(session.save_path).status is DocumentStatus.IN_PROGRESS


def test_a_live_journal_is_not_offered_for_recovery(session: DocumentSession) -> None:
    add(session, 4, 12, "actor")
    assert find_recoverable() == []  # its lock is held by this running session


def test_an_abandoned_journal_replays_every_change_including_undo(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    session = DocumentSession(new_set(), path, annotator="alice")
    session.start()
    add(session, 4, 12, "actor")
    session.save()
    add(session, 13, 19, "warning")
    add(session, 57, 66, "actor")
    undo = remove_spans_command(session.annotations, [session.annotations.sorted_spans()[-1].id])
    session.record(undo.redo(session.annotations), undo.text)
    session.close(keep_journal=True)  # as a crash would leave it
    found = find_recoverable()
    assert len(found) == 1
    recoverable = found[0]
    assert recoverable.change_count == 3
    assert [(s.start, s.end, s.label) for s in recoverable.annotations.sorted_spans()] == [
        (4, 12, "actor"),
        (13, 19, "warning"),
    ]
    assert recoverable.on_disk is not None and len(recoverable.on_disk) == 1
    assert len(recoverable.diff.added) == 1 and not recoverable.diff.removed
    assert "warning" in "\n".join(recoverable.diff.lines())
    assert recoverable_for(path) is not None
    recoverable.discard()
    assert find_recoverable() == []


def test_the_file_as_read_is_the_journals_base_whatever_its_layout(tmp_path: Path) -> None:
    # a hand-edited file: BOM, CR LF line ends, tabs, keys on their own lines; a string holding an escaped line break
    path = tmp_path / "a.annotations.json"
    annotations = new_set()
    annotations.insert(annotations.new_span(4, 12, "actor").model_copy(update={"note": "line one\nline two"}))
    record = json.loads(annotation_file.dumps(annotations))
    data = b"\xef\xbb\xbf" + json.dumps(record, indent="\t", ensure_ascii=False).replace("\n", "\r\n").encode()
    path.write_bytes(data)
    loaded, read = annotation_file.load_with_bytes(path)
    assert read == data
    session = DocumentSession(loaded, path, annotator="alice", file_bytes=read)
    session.start()
    add(session, 13, 19, "warning")
    session.close(keep_journal=True)
    [recoverable] = find_recoverable()
    assert [(s.start, s.end, s.label, s.note) for s in recoverable.base.sorted_spans()] == [
        (4, 12, "actor", "line one\nline two")
    ]
    assert [(s.start, s.end, s.label) for s in recoverable.annotations.sorted_spans()] == [
        (4, 12, "actor"),
        (13, 19, "warning"),
    ]
    assert not recoverable.disk_changed  # the base is exactly the file on disk
    recoverable.discard()


@pytest.mark.skipif(sys.platform != "linux", reason="file names that are not UTF-8 exist on Linux")
def test_a_file_name_that_is_not_utf8_is_journaled(tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"caf\xe9.annotations.json")  # Latin-1 bytes: a lone surrogate in Python
    session = DocumentSession(new_set(), path, annotator="alice")
    session.start()
    add(session, 4, 12, "actor")
    assert session.journal_fault == ""
    session.close(keep_journal=True)
    [recoverable] = find_recoverable()
    assert recoverable.annotation_path == path
    assert [(s.start, s.end) for s in recoverable.annotations.sorted_spans()] == [(4, 12)]
    recoverable.discard()


def test_a_torn_last_journal_line_is_ignored(tmp_path: Path) -> None:
    session = DocumentSession(new_set(), tmp_path / "a.annotations.json", annotator="alice")
    session.start()
    add(session, 4, 12, "actor")
    add(session, 13, 19, "warning")
    session.close(keep_journal=True)
    journal = session.journal.path
    data = journal.read_bytes()
    journal.write_bytes(data[: len(data) - 40])  # the process died in the middle of the last line
    (recoverable,) = find_recoverable()
    assert [s.label for s in recoverable.annotations] == ["actor"]
    assert recoverable.faults == []


def test_a_journal_whose_work_was_saved_is_deleted_silently(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    session = DocumentSession(new_set(), path, annotator="alice")
    session.start()
    add(session, 4, 12, "actor")
    annotation_file.save(session.annotations, path)  # saved, but killed before the journal was emptied
    session.close(keep_journal=True)
    assert find_recoverable() == []
    assert not session.journal.path.exists()


# -- the file on disk changed ------------------------------------------------------------------------------------
def test_a_file_changed_on_disk_is_never_overwritten_silently(session: DocumentSession) -> None:
    add(session, 4, 12, "actor")
    session.save()
    theirs = annotation_file.load(session.save_path)
    theirs.insert(theirs.new_span(23, 30, "claim"))
    annotation_file.save(theirs, session.save_path)  # a git pull, another tool
    add(session, 13, 19, "warning")
    assert session.disk_changed()
    with pytest.raises(DiskConflict, match="changed by another program"):
        session.save()
    assert [s.label for s in annotation_file.load(session.save_path)] == ["actor", "claim"]
    copy = session.keep_disk_copy()
    session.save(overwrite=True)
    assert [s.label for s in annotation_file.load(copy)] == ["actor", "claim"]
    assert sorted(s.label for s in annotation_file.load(session.save_path)) == ["actor", "warning"]


def test_touching_the_file_without_changing_it_is_not_a_change(session: DocumentSession) -> None:
    add(session, 4, 12, "actor")
    session.save()
    os.utime(session.save_path, ns=(1, 1))
    assert not session.disk_changed()


def test_reload_takes_the_disk_version_and_drops_the_journal(session: DocumentSession) -> None:
    session.save()
    theirs = annotation_file.load(session.save_path)
    theirs.insert(theirs.new_span(23, 30, "claim"))
    annotation_file.save(theirs, session.save_path)
    add(session, 13, 19, "warning")
    reloaded = session.reloaded()
    assert [s.label for s in reloaded] == ["claim"] and not session.dirty
    assert not session.journal.path.exists()


# -- failing writes ----------------------------------------------------------------------------------------------
def test_a_write_that_fails_mid_file_leaves_the_previous_version(session: DocumentSession, monkeypatch) -> None:
    add(session, 4, 12, "actor")
    session.save()
    before = session.save_path.read_bytes()
    add(session, 13, 19, "warning")
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle) -> None:
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.handle.close()

        def write(self, data: bytes) -> None:
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(FileFault, match="Input/output error"):
        session.save()
    assert session.save_path.read_bytes() == before
    assert session.dirty and session.journal.path.exists()  # the work is still journaled
    assert [p.name for p in session.save_path.parent.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
    ],
)
def test_disk_full_or_permission_denied_keeps_the_old_file(session: DocumentSession, monkeypatch, error, words) -> None:
    add(session, 4, 12, "actor")
    session.save()
    before = session.save_path.read_bytes()
    add(session, 13, 19, "warning")

    def refuse(*_args, **_kwargs):
        raise error

    with monkeypatch.context() as patch, pytest.raises(FileFault) as caught:
        patch.setattr("tempfile.mkstemp", refuse)
        session.save()
    assert words in caught.value.message and str(session.save_path) in caught.value.message
    assert "unchanged" in caught.value.message
    assert session.save_path.read_bytes() == before
    session.save()  # once there is room again, the work is saved
    assert len(annotation_file.load(session.save_path)) == 2


SAVE_LOOP = """
import sys
from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
text = "word " * 20000
versions = []
for n in (1, 2):
    a = AnnotationSet(Document.from_text(text), default_label_set(), "alice")
    for i in range(0, 3000 * n, 3):
        a.insert(a.new_span(i * 5, i * 5 + 4, "actor"))
    versions.append(a)
path = sys.argv[1] if len(sys.argv) > 1 else {path!r}
annotation_file.save(versions[0], path)
print("ready", flush=True)
i = 0
while True:
    annotation_file.save(versions[i % 2], path)
    i += 1
"""


def test_killing_the_process_during_saves_always_leaves_a_valid_version(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    rng = random.Random(4)
    for _ in range(12):
        child = run_child(SAVE_LOOP.format(path=str(path)))
        wait_for_line(child, "ready")
        time.sleep(rng.uniform(0.0, 0.4))
        child.kill()  # SIGKILL on POSIX
        child.wait(timeout=10)
        loaded = annotation_file.load(path)  # never a torn file
        assert len(loaded) in (1000, 2000)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != path.name]
    assert all(name.endswith(".tmp") for name in leftovers)  # a killed write may leave its temporary file only


# -- two processes, one file ---------------------------------------------------------------------------------------
def test_a_second_process_opens_the_file_read_only_and_is_told_who_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "annotations" / "bob" / "a.annotations.json"
    child = run_child(
        f"""
        import time
        from pathlib import Path
        from annotator.io.label_set_file import default_label_set
        from annotator.model.annotation_set import AnnotationSet
        from annotator.model.document import Document
        from annotator.project.session import DocumentSession
        s = DocumentSession(AnnotationSet(Document.from_text("x"), default_label_set(), "bob"),
                            Path({str(path)!r}), annotator="bob")
        assert s.start() == []
        print("locked", flush=True)
        time.sleep(60)
        """
    )
    try:
        wait_for_line(child, "locked")
        mine = DocumentSession(new_set(), path, annotator="bob")
        remarks = mine.start()
        assert mine.read_only and "bob" in mine.read_only_reason and str(path.name) in mine.read_only_reason
        assert remarks == [mine.read_only_reason]
        with pytest.raises(ReadOnlyError, match="bob"):
            mine.save()
        mine.close()
    finally:
        child.kill()
        child.wait(timeout=10)
    again = DocumentSession(new_set(), path, annotator="bob")
    remarks = again.start()
    assert not again.read_only and any("bob" in r for r in remarks)  # the dead holder's lock is recognised as stale
    again.close()


# -- recovery after a kill -----------------------------------------------------------------------------------------
def test_edits_made_then_killed_before_saving_are_restored(tmp_path: Path) -> None:
    project_root = tmp_path / "project"
    project_root.mkdir()
    (project_root / "a.txt").write_bytes(TEXT.encode("utf-8"))
    child = run_child(
        f"""
        import time
        from annotator.io.label_set_file import default_label_set
        from annotator.io.opening import open_text_with_annotations
        from annotator.model.commands import AddSpan
        from annotator.project.layout import Project
        from annotator.project.session import DocumentSession
        project = Project({str(project_root)!r})
        opened = open_text_with_annotations(project.text_path("a.txt"), project.annotation_path("a.txt", "alice"),
                                            default_label_set(), "alice", "a.txt")
        s = DocumentSession(opened.annotations, opened.save_path, annotator="alice",
                            text_path=opened.text_path, project_root=project.root)
        s.start()
        for start, end, label in ((4, 12, "actor"), (13, 19, "warning"), (57, 66, "actor")):
            command = AddSpan(s.annotations.new_span(start, end, label))
            s.record(command.redo(s.annotations), command.text)
        print("edited", flush=True)
        time.sleep(60)  # never saves
        """
    )
    wait_for_line(child, "edited")
    child.kill()  # SIGKILL on POSIX
    child.wait(timeout=10)
    project = Project(project_root)
    save_path = project.annotation_path("a.txt", "alice")
    assert not save_path.exists()  # nothing was saved before the kill
    (recoverable,) = find_recoverable()
    assert recoverable.project_root == project.root and recoverable.document_id == "a.txt"
    assert recoverable.text_path == project.text_path("a.txt")
    assert recoverable.on_disk is None and len(recoverable.diff.added) == 3
    restored = DocumentSession(recoverable.annotations, save_path, annotator="alice")
    restored.start()
    restored.dirty = True
    restored.save()
    restored.close()
    recoverable.discard()
    loaded = annotation_file.load(save_path)
    assert [(s.start, s.end, s.label, s.text) for s in loaded.sorted_spans()] == [
        (4, 12, "actor", "minister"),
        (13, 19, "warning", "warned"),
        (57, 66, "actor", "Officials"),
    ]
    assert find_recoverable() == []


def test_journal_header_records_where_the_work_belongs(session: DocumentSession) -> None:
    add(session, 4, 12, "actor")
    header = json.loads(session.journal.path.read_text(encoding="utf-8").splitlines()[0])
    assert header["annotation_path"] == str(session.save_path.absolute())
    assert header["base"]["format"] == "annotator" and header["pid"] == os.getpid()


def test_project_annotation_paths_are_per_annotator(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("x", encoding="utf-8")
    project = Project(tmp_path)
    assert project.annotation_path("news/a.txt", "alice") == project.root / "annotations/alice/news/a.annotations.json"
    assert project.annotation_path("news/a.txt", "bob") != project.annotation_path("news/a.txt", "alice")


def test_temporary_files_left_by_a_killed_save_are_removed_by_the_next_lock_holder(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    leftover = tmp_path / ".a.annotations.json.k3j2h1.tmp"
    leftover.write_text("{half a file", encoding="utf-8")
    other = tmp_path / ".b.annotations.json.x.tmp"  # another document's: not ours to touch
    other.write_text("{", encoding="utf-8")
    session = DocumentSession(new_set(), path, annotator="alice")
    session.start()
    assert not leftover.exists() and other.exists()
    session.close()


def test_project_git_ignore_lists_lock_owner_and_temporary_files(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.ignore_lock_files()
    ignored = (tmp_path / "annotations" / ".gitignore").read_text(encoding="utf-8").split()
    assert {"*.lock", "*.owner", ".*.tmp"} <= set(ignored)


def test_the_journal_base_is_the_state_being_edited_not_the_file_on_disk(tmp_path: Path) -> None:
    """The file on disk was made with another label set (adopted in memory) or on another text (re-anchored in
    memory): replaying must start from what was edited, or the recovered spans would be wrong."""
    path = tmp_path / "a.annotations.json"
    old = AnnotationSet(Document.from_text("x " + TEXT), default_label_set(), "alice")
    annotation_file.save(old, path)  # on disk: another text
    session = DocumentSession(new_set(), path, annotator="alice")  # in memory: the current text
    session.start()
    add(session, 13, 19, "warning")
    session.close(keep_journal=True)
    (recoverable,) = find_recoverable()
    assert recoverable.restorable and recoverable.annotations.text == TEXT
    assert [(s.text, TEXT[s.start : s.end]) for s in recoverable.annotations] == [("warned", "warned")]
    assert recoverable.disk_changed  # so restoring keeps the version on disk as a copy first


def test_each_session_has_its_own_journal(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    first = DocumentSession(new_set(), path, annotator="alice")
    first.start()
    add(first, 4, 12, "actor")
    first.close(keep_journal=True)  # crashed
    second = DocumentSession(new_set(), path, annotator="alice")
    second.start()
    add(second, 13, 19, "warning")
    second.close()  # a clean close removes only its own journal
    (recoverable,) = find_recoverable()
    assert [s.text for s in recoverable.annotations] == ["minister"]


def test_a_same_size_edit_that_keeps_the_modification_time_is_caught_before_saving(session: DocumentSession) -> None:
    """On SMB or FAT a quick same-size edit can keep the file's size and (coarse) modification time."""
    add(session, 4, 12, "actor")
    session.save()
    before = session.save_path.stat()
    data = session.save_path.read_bytes()
    theirs = data.replace(b'"label": "actor"', b'"label": "claim"')
    assert len(theirs) == len(data) and theirs != data
    session.save_path.write_bytes(theirs)
    os.utime(session.save_path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert not session.disk_changed()  # the cheap periodic check cannot see it
    add(session, 13, 19, "warning")
    with pytest.raises(DiskConflict):
        session.save()  # but saving never writes over it
    assert session.save_path.read_bytes() == theirs


def test_odd_but_valid_posix_file_names_are_documents(tmp_path: Path) -> None:
    if os.name == "nt":
        pytest.skip("such names cannot exist on Windows")
    (tmp_path / "C:odd\\name.txt").write_text("x", encoding="utf-8")
    project = Project(tmp_path)
    assert project.document_ids() == ["C:odd\\name.txt"]
    assert project.text_path("C:odd\\name.txt").read_text(encoding="utf-8") == "x"
    with pytest.raises(ValueError, match="not a document id"):
        project.text_path("../outside.txt")


def test_metadata_is_kept_by_saves_and_by_the_journal(tmp_path: Path) -> None:
    metadata = {"source": "Reuters", "meta": {"batch": 3}}
    annotations = new_set()
    annotations.metadata = dict(metadata)
    path = tmp_path / "a.annotations.json"
    session = DocumentSession(annotations, path, annotator="alice")
    session.start()
    add(session, 4, 12, "actor")
    session.save()
    assert json.loads(path.read_text(encoding="utf-8"))["metadata"] == metadata
    add(session, 13, 19, "warning")
    session.close(keep_journal=True)  # killed
    [recoverable] = find_recoverable()
    assert recoverable.annotations.metadata == metadata  # the journal's base is the annotation file's JSON
    assert len(recoverable.annotations) == 2
    recoverable.discard()


def test_a_session_started_from_the_bytes_read_stamps_them_without_reading_the_file(tmp_path: Path, monkeypatch):
    from annotator.project import session as session_module

    annotations = new_set()
    path = tmp_path / "doc.annotations.json"
    annotation_file.save(annotations, path)
    data = path.read_bytes()
    expected = session_module.disk_stamp(path)
    real, given = session_module.disk_stamp, []
    monkeypatch.setattr(session_module, "disk_stamp", lambda p, data=None: given.append(data) or real(p, data))
    session = DocumentSession(annotation_file.load(path), path, annotator="tester", file_bytes=data, use_lock=False)
    session.start()
    try:
        assert given == [data]  # the bytes the session was given, not the file read again
        assert session.stamp == expected
    finally:
        session.close()


def test_a_session_given_the_stamp_as_read_does_not_hash_the_file(tmp_path: Path, monkeypatch):
    from annotator.project import session as session_module

    path = tmp_path / "doc.annotations.json"
    annotation_file.save(new_set(), path)
    stamp = session_module.disk_stamp(path)
    monkeypatch.setattr(session_module, "disk_stamp", lambda *_args: pytest.fail("the file was hashed again"))
    session = DocumentSession(annotation_file.load(path), path, annotator="alice", read_stamp=(stamp,))
    session.start()
    try:
        assert session.stamp == stamp
    finally:
        session.close()


def big_file_refreshed(tmp_path: Path, monkeypatch) -> tuple[DocumentSession, list[str]]:
    """A saved session of a file counted as big, whose annotations are then replaced as saved (as a suggestion refresh
    does: a span inserted outside the undo stack), and the threads that serialized annotations since."""
    import threading

    from annotator.project import session as session_module

    monkeypatch.setattr(session_module, "PIECES_FROM", 0)  # every file counts as big
    session = saved_with_one_span(tmp_path)
    threads: list[str] = []
    dumps_bytes = annotation_file.dumps_bytes

    def watched(annotations):
        threads.append(threading.current_thread().name)
        return dumps_bytes(annotations)

    monkeypatch.setattr(annotation_file, "dumps_bytes", watched)
    session.annotations.insert(session.annotations.new_span(20, 22, "claim"))
    session.replace_annotations(session.annotations, unsaved=False)
    assert not session.dirty
    return session, threads


def test_a_big_file_replaced_as_saved_is_serialized_off_the_calling_thread_and_journaled(tmp_path, monkeypatch):
    import threading

    session, threads = big_file_refreshed(tmp_path, monkeypatch)
    add(session, 13, 19, "warning")  # the first change adopts the base written ahead
    assert threads and threading.main_thread().name not in threads
    session.close(keep_journal=True)  # killed
    [recoverable] = find_recoverable()
    assert recoverable.change_count == 1
    assert [(s.start, s.end) for s in recoverable.annotations.sorted_spans()] == [(4, 12), (13, 19), (20, 22)]
    assert not list(session.journal.path.parent.glob("*.journal-base"))
    recoverable.discard()


def test_a_base_written_ahead_and_not_needed_is_removed(tmp_path, monkeypatch):
    session, _threads = big_file_refreshed(tmp_path, monkeypatch)
    first = session._base_ahead
    session.replace_annotations(session.annotations, unsaved=False)  # again: the first base is dropped
    second = session._base_ahead
    session.save()  # and the second: the save's base is the journal's
    session.close()
    for ahead in (first, second):
        assert ahead is not None
        ahead._thread.join()
    assert not list(session.journal.path.parent.glob("*.journal-base*"))
