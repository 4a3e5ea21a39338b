import json
import os
import socket
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import filelock
import pytest

import annotator
from annotator.io.errors import FileFault
from annotator.project import lock as lock_module
from annotator.project.lock import AnnotationLock, LockHeld, LockOwner, read_owner

ROOT = Path(annotator.__file__).resolve().parents[1]

HOLDER = """
import sys, time
from pathlib import Path
from annotator.project.lock import AnnotationLock
lock = AnnotationLock(Path(sys.argv[1]), "alice")
print(repr(lock.acquire()), flush=True)
time.sleep(120)
"""


def annotation_path(tmp_path: Path) -> Path:
    return tmp_path / "annotations" / "bob" / "news" / "a.annotations.json"


def start_holder(path: Path) -> subprocess.Popen:
    """A second process that takes the lock as "alice", prints the remark and sleeps."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def first_line(process: subprocess.Popen, timeout: float = 30.0) -> str:
    """The process's first output line, failing (not hanging) when it does not come within ``timeout`` seconds."""
    box: list[str] = []
    reader = threading.Thread(target=lambda: box.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not box or not box[0]:
        process.kill()
        _out, err = process.communicate(timeout=30)
        pytest.fail(f"the lock-holding process did not start: {err}")
    return box[0]


@pytest.fixture
def holder(tmp_path):
    processes: list[subprocess.Popen] = []

    def start(path: Path) -> subprocess.Popen:
        process = start_holder(path)
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def dead_pid() -> int:
    """The id of a process of this host that has exited (and been reaped)."""
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, timeout=30)
    return int(process.stdout)


def test_acquire_and_release(tmp_path):
    path = annotation_path(tmp_path)
    lock = AnnotationLock(path, "bob")
    assert lock.lock_path == path.with_name("a.annotations.json.lock")
    assert lock.owner_path == path.with_name("a.annotations.json.owner")
    assert not lock.held
    assert lock.acquire() == ""  # creates the folders
    assert lock.held
    assert lock.lock_path.exists() and lock.owner_path.exists()
    assert lock.acquire() == ""  # again: already held
    lock.release()
    assert not lock.held
    assert not lock.owner_path.exists()
    lock.release()  # idempotent
    assert lock.acquire() == ""  # a clean release leaves nothing stale behind
    lock.release()


def test_context_manager_releases_on_error(tmp_path):
    path = annotation_path(tmp_path)
    with pytest.raises(RuntimeError), AnnotationLock(path, "bob") as lock:
        assert lock.held
        raise RuntimeError("boom")
    assert not lock.held
    assert read_owner(path) is None
    with AnnotationLock(path, "carol") as again:
        assert again.held


def test_owner_file_names_the_holder(tmp_path):
    path = annotation_path(tmp_path)
    with AnnotationLock(path, "Zoë Ñ") as lock:
        record = json.loads(lock.owner_path.read_text(encoding="utf-8"))
        assert set(record) == {"annotator", "host", "pid", "since"}
        assert record["annotator"] == "Zoë Ñ"
        assert record["host"] == socket.gethostname()
        assert record["pid"] == os.getpid()
        since = datetime.fromisoformat(record["since"])
        assert since.utcoffset() is not None
        assert abs((datetime.now().astimezone() - since).total_seconds()) < 60
        owner = read_owner(path)
        assert owner == LockOwner("Zoë Ñ", socket.gethostname(), os.getpid(), record["since"])


def test_the_owner_file_is_written_atomically_without_fsync(tmp_path, monkeypatch):
    # an owner file means nothing after a crash; its fsync on the GUI thread waited for a huge open's writes
    from annotator.io import atomic

    writes: list[tuple[str, bool]] = []
    real = atomic.atomic_write_text

    def watched(path, content, durable=True):
        writes.append((Path(path).name, durable))
        real(path, content, durable)

    monkeypatch.setattr(lock_module, "atomic_write_text", watched)
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: pytest.fail("fsync while taking the lock"))
    path = annotation_path(tmp_path)
    with AnnotationLock(path, "alice"):
        assert writes == [(path.name + ".owner", False)]
        assert read_owner(path).annotator == "alice"


def test_describe_and_lock_held_message():
    owner = LockOwner("alice", "host-1", 4242, datetime(2026, 11, 29, 10, 42, 7).astimezone().isoformat())
    assert owner.describe() == "alice on host-1 (process 4242) since 2026-11-29 10:42"
    error = LockHeld(Path("/p/a.annotations.json"), owner)
    assert str(error) == (
        f"{Path('/p/a.annotations.json')} is being edited by alice on host-1 (process 4242) since 2026-11-29 10:42; "
        "it opens read-only."
    )
    assert error.owner is owner and error.path == Path("/p/a.annotations.json")
    assert "is being edited by someone else" in str(LockHeld(Path("a.json"), None))
    assert LockOwner("alice", "h", 1, "yesterday").describe() == "alice on h (process 1) since yesterday"


def test_describe_names_a_foreign_utc_offset():
    here = datetime(2026, 11, 29, 10, 42).astimezone().utcoffset()
    zone = "+05:45" if here.total_seconds() != 5.75 * 3600 else "-03:30"
    owner = LockOwner("alice", "h", 1, f"2026-11-29T10:42:00{zone}")
    assert owner.describe() == f"alice on h (process 1) since 2026-11-29 10:42 (UTC{zone})"


def test_second_lock_in_the_same_process_is_refused(tmp_path):
    path = annotation_path(tmp_path)
    first = AnnotationLock(path, "bob")
    first.acquire()
    second = AnnotationLock(tmp_path / "annotations" / "bob" / "news" / ".." / "news" / "a.annotations.json", "bob")
    with pytest.raises(LockHeld) as refused:
        second.acquire()
    assert refused.value.owner is not None
    assert refused.value.owner.pid == os.getpid()
    assert refused.value.owner.annotator == "bob"
    assert not second.held
    assert first.held and read_owner(path).pid == os.getpid()  # the refusal did not disturb the holder
    second.release()  # releasing a lock never held does nothing to the holder's
    assert first.held and first.owner_path.exists()
    first.release()
    assert second.acquire() == ""
    second.release()


def test_a_dropped_lock_does_not_block_the_file_forever(tmp_path):
    path = annotation_path(tmp_path)
    AnnotationLock(path, "bob").acquire()  # never released; garbage collected
    lock = AnnotationLock(path, "bob")
    remark = lock.acquire()
    assert lock.held
    assert remark.startswith("Took over a lock left by bob on ")
    lock.release()


def test_other_process_holds_the_lock_until_it_is_killed(tmp_path, holder):
    path = annotation_path(tmp_path)
    process = holder(path)
    assert first_line(process) == "''\n"  # alice acquired without taking anything over

    lock = AnnotationLock(path, "bob")
    with pytest.raises(LockHeld) as refused:
        lock.acquire()
    owner = refused.value.owner
    assert owner is not None
    assert (owner.annotator, owner.pid, owner.host) == ("alice", process.pid, socket.gethostname())
    message = str(refused.value)
    assert str(path) in message
    assert f"alice on {socket.gethostname()} (process {process.pid})" in message
    assert message.endswith("it opens read-only.")
    assert not lock.held
    assert read_owner(path) == owner  # the refused attempt left alice's record alone

    process.kill()  # SIGKILL on POSIX: no clean-up runs, the owner file stays behind
    process.communicate(timeout=30)
    assert read_owner(path) == owner

    remark = lock.acquire()
    assert lock.held
    assert remark.startswith(f"Took over a lock left by alice on {socket.gethostname()} (process {process.pid})")
    assert remark.endswith("which is no longer running.")
    assert read_owner(path).annotator == "bob"
    lock.release()


def test_other_process_is_refused_while_this_one_holds_the_lock(tmp_path, holder):
    path = annotation_path(tmp_path)
    with AnnotationLock(path, "bob"):
        process = holder(path)
        process.wait(timeout=60)
        _out, err = process.communicate(timeout=30)
        assert process.returncode != 0
        assert "LockHeld" in err
        assert f"is being edited by bob on {socket.gethostname()} (process {os.getpid()})" in err


def test_garbled_or_missing_owner_files(tmp_path):
    path = annotation_path(tmp_path)
    assert read_owner(path) is None
    path.parent.mkdir(parents=True)
    owner_path = path.with_name(path.name + ".owner")
    for garbage in (
        b"",
        b"\xff\xfe not utf-8",
        b"{not json",
        b"[1, 2]",
        b'{"annotator": "alice"}',
        b'{"annotator": "alice", "host": "h", "pid": "12", "since": ""}',
        b'{"annotator": "alice", "host": "h", "pid": true, "since": ""}',
        b'{"annotator": "alice", "host": "h", "pid": -1, "since": ""}',
        b"[" * 100_000,
        b" " * (lock_module.MAX_OWNER_BYTES + 1),
    ):
        owner_path.write_bytes(garbage)
        assert read_owner(path) is None, garbage[:40]
    owner_path.write_bytes(b'{"annotator": "alice", "host": "h", "pid": 7, "since": "", "extra": 1}')
    assert read_owner(path) == LockOwner("alice", "h", 7, "")

    owner_path.write_bytes(b"{garbled")  # left behind by a crash mid-write of some other program
    lock = AnnotationLock(path, "bob")
    remark = lock.acquire()
    assert lock.held
    assert remark.startswith("Took over a lock left behind")
    assert read_owner(path).annotator == "bob"
    lock.release()


def test_stale_owner_of_this_host_is_taken_over_even_when_the_lock_file_outlived_it(tmp_path):
    """Where the lock file itself survives a crash (filelock's soft fallback), a dead owner of this host is broken."""
    path = annotation_path(tmp_path)
    path.parent.mkdir(parents=True)
    stale = LockOwner("alice", socket.gethostname(), dead_pid(), "2026-11-29T10:42:00+00:00")
    path.with_name(path.name + ".owner").write_text(json.dumps(stale.__dict__), encoding="utf-8")
    leftover = filelock.FileLock(str(path.with_name(path.name + ".lock")), timeout=0)
    leftover.acquire()  # a lock no live process will ever release
    try:
        lock = AnnotationLock(path, "bob")
        remark = lock.acquire()
        assert lock.held
        assert remark == f"Took over a lock left by {stale.describe()}, which is no longer running."
        assert read_owner(path).annotator == "bob"
        lock.release()
    finally:
        leftover.release()


def test_live_or_foreign_owner_keeps_a_held_lock(tmp_path):
    path = annotation_path(tmp_path)
    path.parent.mkdir(parents=True)
    owner_path = path.with_name(path.name + ".owner")
    held = filelock.FileLock(str(path.with_name(path.name + ".lock")), timeout=0)
    held.acquire()
    try:
        for owner in (
            LockOwner("alice", socket.gethostname(), os.getppid(), ""),  # alive
            LockOwner("alice", "another-host.example", dead_pid(), ""),  # cannot tell: trust the OS lock
        ):
            owner_path.write_text(json.dumps(owner.__dict__), encoding="utf-8")
            with pytest.raises(LockHeld) as refused:
                AnnotationLock(path, "bob").acquire()
            assert refused.value.owner == owner
        owner_path.unlink()
        with pytest.raises(LockHeld) as refused:
            AnnotationLock(path, "bob").acquire()
        assert refused.value.owner is None
    finally:
        held.release()


def test_read_only_folder_is_a_file_fault(tmp_path, monkeypatch):
    path = annotation_path(tmp_path)
    path.parent.mkdir(parents=True)

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path) + ".lock")

    lock = AnnotationLock(path, "bob")
    with monkeypatch.context() as patch:
        patch.setattr(filelock.FileLock, "acquire", refuse)
        with pytest.raises(FileFault) as fault:
            lock.acquire()
    assert fault.value.path == path
    assert "Permission denied" in str(fault.value)
    assert "a.annotations.json.lock" in str(fault.value)
    assert not lock.held
    assert lock.acquire() == ""  # nothing was left registered by the failure
    lock.release()


def test_folder_that_cannot_be_created_is_a_file_fault(tmp_path, monkeypatch):
    path = annotation_path(tmp_path)

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(FileFault) as fault:
        AnnotationLock(path, "bob").acquire()
    assert fault.value.path == path
    assert "Permission denied" in str(fault.value)


def test_lock_file_of_another_account_opens_read_only_when_an_owner_is_recorded(tmp_path, monkeypatch):
    path = annotation_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.with_name(path.name + ".lock").write_bytes(b"")
    owner = LockOwner("alice", "other-host", 12, "")
    path.with_name(path.name + ".owner").write_text(json.dumps(owner.__dict__), encoding="utf-8")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path) + ".lock")

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    with pytest.raises(LockHeld) as refused:
        AnnotationLock(path, "bob").acquire()
    assert refused.value.owner == owner


def test_owner_files_with_absurd_values_never_stop_the_lock(tmp_path):
    path = tmp_path / "a.annotations.json"
    for record in (
        {"annotator": "bob", "host": "h", "pid": 1, "since": "0001-01-01T00:00:00+01:00"},  # no clock shows it
        {"annotator": "bob", "host": "h", "pid": 2**70, "since": ""},  # no process has that number
    ):
        (tmp_path / "a.annotations.json.owner").write_text(json.dumps(record), encoding="utf-8")
        lock = AnnotationLock(path, "alice")
        remark = lock.acquire()
        assert lock.held and "no longer running" in remark
        lock.release()
        assert not lock.held
