"""One writer per annotation file: a lock that a second instance of the app, or a second person on a shared folder,
finds held, so that it opens the file read-only and tells who is editing it.

Two files sit beside ``X.annotations.json`` while it is open for editing::

    X.annotations.json.lock    the OS lock (fcntl/msvcrt through ``filelock``); the OS frees it when its process dies
    X.annotations.json.owner   JSON {"annotator", "host", "pid", "since"} naming the holder

The owner file is written only while the OS lock is held and removed before the OS lock is released, so an owner file
found by a process that has just obtained the OS lock was left by a holder that crashed: a *stale* lock, which is
taken over with a remark. As a defence for file systems where the lock file itself outlives a crash (filelock's soft
fallback where ``flock`` is missing), a lock whose recorded owner is a process of this host that no longer runs is
taken over as well.

``filelock`` locks are re-entrant within a process, and the app must never open one file twice for writing, so a
module-level registry also refuses a second :class:`AnnotationLock` on the same file in the same process.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import weakref
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from annotator.io.atomic import atomic_write_text
from annotator.io.errors import FileFault

if TYPE_CHECKING:
    import filelock

LOCK_SUFFIX = ".lock"
OWNER_SUFFIX = ".owner"
#: Largest owner file read, in bytes; a real one is about 150 bytes.
MAX_OWNER_BYTES = 64 * 1024
#: Seconds a recorded owner must stay unchanged before a lock held for a dead process is broken (see
#: :meth:`AnnotationLock.acquire`); a live process that has just taken the lock rewrites the owner file well within it.
TAKEOVER_GRACE = 0.5

_registry_guard = threading.Lock()
_registry: weakref.WeakValueDictionary[str, AnnotationLock] = weakref.WeakValueDictionary()


@dataclass(frozen=True)
class LockOwner:
    """Who holds a lock.

    Attributes
    ----------
    annotator: the annotator's name (plain text).
    host: the computer's name (``socket.gethostname()``).
    pid: the holding process's id on that host.
    since: when the lock was taken, ISO 8601 local time with its UTC offset (``2026-11-29T10:42:07+01:00``).
    """

    annotator: str
    host: str
    pid: int
    since: str

    def describe(self) -> str:
        """Plain text such as ``"alice on host-1 (process 4242) since 2026-11-29 10:42"``.

        The time is the holder's local time; its UTC offset is added (``" (UTC+01:00)"``) when it differs from this
        computer's offset at that moment. A ``since`` that is not ISO 8601 is shown as it is.
        """
        who = f"{self.annotator or 'someone'} on {self.host or 'an unknown computer'} (process {self.pid})"
        if not self.since:
            return who
        try:
            when = datetime.fromisoformat(self.since)
            shown = when.strftime("%Y-%m-%d %H:%M")
            offset = when.utcoffset()
            local_offset = when.astimezone().utcoffset()
        except (ValueError, OverflowError, OSError):  # not ISO 8601, or a date no clock can show
            return f"{who} since {self.since}"
        if offset is not None and offset != local_offset:
            zone = when.strftime("%z")
            shown += f" (UTC{zone[:3]}:{zone[3:5]})"
        return f"{who} since {shown}"


class LockHeld(Exception):
    """The annotation file is being edited elsewhere (another process, or another instance in this process).

    Attributes
    ----------
    path: the annotation file.
    owner: who holds it, or ``None`` when that is not recorded (or its owner file is unreadable).

    ``str(error)`` is a plain-text message naming the file and the owner, e.g. ``"/p/a.annotations.json is being
    edited by alice on host-1 (process 4242) since 2026-11-29 10:42; it opens read-only."``
    """

    def __init__(self, path: str | Path, owner: LockOwner | None) -> None:
        self.path = Path(path)
        self.owner = owner
        who = owner.describe() if owner is not None else "someone else (who is not recorded)"
        super().__init__(f"{self.path} is being edited by {who}; it opens read-only.")


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def read_owner(annotation_path: str | Path) -> LockOwner | None:
    """The owner recorded beside ``annotation_path`` (in ``<annotation_path>.owner``), or ``None``.

    ``None`` as well when the owner file is missing, unreadable, larger than :data:`MAX_OWNER_BYTES`, not UTF-8, not
    JSON, or lacks one of ``annotator``, ``host`` (strings), ``pid`` (a positive whole number) and ``since`` (a
    string). Never raises.
    """
    path = _sibling(Path(annotation_path), OWNER_SUFFIX)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_OWNER_BYTES + 1)
        if len(data) > MAX_OWNER_BYTES:
            return None
        raw = json.loads(data.decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None
    if not isinstance(raw, dict):
        return None
    annotator, host, pid, since = (raw.get(key) for key in ("annotator", "host", "pid", "since"))
    if not (isinstance(annotator, str) and isinstance(host, str) and isinstance(since, str)):
        return None
    if not isinstance(pid, int) or isinstance(pid, bool) or not 0 < pid < 2**31:
        return None
    return LockOwner(annotator=annotator, host=host, pid=pid, since=since)


def _this_host() -> str:
    return socket.gethostname()


def _same_host(host: str) -> bool:
    return host.casefold() == _this_host().casefold()


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` of this host runs. Only POSIX can tell (``os.kill(pid, 0)``); elsewhere ``True``
    (on Windows ``os.kill`` would terminate the process)."""
    if os.name != "posix":
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # PermissionError: it runs under another account
        return True
    return True


def _registry_key(path: Path) -> str:
    return os.path.normcase(str(path.resolve()))


def _takeover_remark(previous: LockOwner | None) -> str:
    if previous is None:
        return "Took over a lock left behind by a program that is no longer running (it did not record who)."
    if _same_host(previous.host) and _pid_alive(previous.pid):
        state = "which no longer holds it"
    else:
        state = "which is no longer running"
    return f"Took over a lock left by {previous.describe()}, {state}."


class AnnotationLock:
    """The edit lock of one annotation file.

    Parameters
    ----------
    annotation_path: the annotation file (it need not exist yet).
    annotator: the name recorded as the holder (plain text).

    Attributes
    ----------
    annotation_path: the annotation file.
    annotator: the holder's name.
    lock_path: ``<annotation_path>.lock``, the OS lock file.
    owner_path: ``<annotation_path>.owner``, the JSON naming the holder (``annotator``, ``host``, ``pid``,
        ``since``) while the lock is held.

    Use it as a context manager (``with AnnotationLock(path, "alice"):``) or call :meth:`acquire` and
    :meth:`release`; only :meth:`acquire` returns the remark about a stale lock taken over.
    """

    def __init__(self, annotation_path: str | Path, annotator: str) -> None:
        self.annotation_path = Path(annotation_path)
        self.annotator = annotator
        self.lock_path = _sibling(self.annotation_path, LOCK_SUFFIX)
        self.owner_path = _sibling(self.annotation_path, OWNER_SUFFIX)
        self._lock: filelock.BaseFileLock | None = None
        self._owner: LockOwner | None = None
        self._key = _registry_key(self.lock_path)

    def __repr__(self) -> str:
        return f"AnnotationLock({str(self.annotation_path)!r}, {self.annotator!r}, held={self.held})"

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._lock is not None and self._lock.is_locked

    def acquire(self) -> str:
        """Take the lock, creating the annotation file's folder (and parents) if needed.

        Returns
        -------
        str
            ``""``, or a plain-text remark when a stale lock was found and taken over, e.g. ``"Took over a lock left
            by alice on host-1 (process 4242) since 2026-11-29 10:42, which is no longer running."`` Calling it
            again while held returns ``""``.

        Raises
        ------
        LockHeld
            If another process holds the lock, or another :class:`AnnotationLock` of this process holds it (or is
            taking it). Also when the lock file cannot be opened for lack of permission while an owner is recorded
            (another account's lock on a shared folder): read-only is the safe side.
        FileFault
            Naming the annotation file and the OS error when the lock cannot be created at all (read-only folder,
            missing drive), or the owner file cannot be written.
        """
        if self.held:
            return ""
        with _registry_guard:
            other = _registry.get(self._key)
            if other is not None and other is not self:
                owner = other._owner or LockOwner(other.annotator, _this_host(), os.getpid(), "")
                raise LockHeld(self.annotation_path, owner)
            _registry[self._key] = self
        try:
            return self._acquire()
        except BaseException:
            self._unregister()
            raise

    def _fault(self, error: OSError) -> FileFault:
        reason = error.strerror or str(error)
        return FileFault(
            self.annotation_path, f"cannot be locked for editing: could not create {self.lock_path.name} ({reason})"
        )

    def _new_lock(self) -> filelock.BaseFileLock:
        import filelock  # on first use: 30 ms at start-up (issue 22)

        # thread_local=False: the lock may be released by another thread than the one that took it.
        return filelock.FileLock(str(self.lock_path), timeout=0, thread_local=False)

    def _acquire(self) -> str:
        import filelock  # on first use: 30 ms at start-up (issue 22)

        try:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise self._fault(error) from error
        lock = self._new_lock()
        try:
            lock.acquire()
        except filelock.Timeout:
            owner = read_owner(self.annotation_path)
            taken = self._take_over_dead(owner) if owner is not None else None
            if taken is None:
                raise LockHeld(self.annotation_path, read_owner(self.annotation_path) or owner) from None
            lock = taken
        except OSError as error:
            owner = read_owner(self.annotation_path)
            if isinstance(error, PermissionError) and owner is not None and self.lock_path.exists():
                raise LockHeld(self.annotation_path, owner) from error
            raise self._fault(error) from error
        try:
            left_behind = self.owner_path.exists() or self.owner_path.is_symlink()
            previous = read_owner(self.annotation_path)
            owner = LockOwner(
                annotator=self.annotator,
                host=_this_host(),
                pid=os.getpid(),
                since=datetime.now().astimezone().isoformat(timespec="seconds"),
            )
            record = {"annotator": owner.annotator, "host": owner.host, "pid": owner.pid, "since": owner.since}
            # not durable: an owner file means nothing after a crash (its process is gone), and an fsync on the GUI
            # thread just after a huge open's writes waits for them (0.1-0.3 s); atomic all the same
            text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
            atomic_write_text(self.owner_path, text, durable=False)
            remark = _takeover_remark(previous) if left_behind else ""
        except BaseException:
            with contextlib.suppress(OSError):
                lock.release()
            raise
        self._lock = lock
        self._owner = owner
        return remark

    def _take_over_dead(self, owner: LockOwner) -> filelock.BaseFileLock | None:
        """Break a lock held in the OS's eyes whose recorded owner is a process of this host that no longer runs
        (a lock file that outlived its holder). ``None`` when the owner is alive, elsewhere, changes during
        :data:`TAKEOVER_GRACE` (a live process has just taken the lock), or the lock still cannot be had."""
        if not _same_host(owner.host) or owner.pid == os.getpid() or _pid_alive(owner.pid):
            return None
        deadline = time.monotonic() + TAKEOVER_GRACE
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if read_owner(self.annotation_path) != owner:
                return None
        try:
            self.lock_path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            return None
        lock = self._new_lock()
        try:
            lock.acquire()
        except OSError:  # filelock.Timeout included
            return None
        return lock

    def release(self) -> None:
        """Give the lock up: remove the owner file (if it is still ours), then release the OS lock. Idempotent;
        never raises.

        The lock file itself is left to ``filelock``: it removes it where that is safe (Windows); on POSIX the file
        stays, since deleting a file others may be waiting on lets two processes lock two different files of the
        same name.
        """
        lock, owner = self._lock, self._owner
        self._lock = None
        self._owner = None
        try:
            if lock is not None and owner is not None and read_owner(self.annotation_path) == owner:
                with contextlib.suppress(OSError):
                    self.owner_path.unlink()
            if lock is not None:
                with contextlib.suppress(OSError):
                    lock.release()
        finally:
            self._unregister()

    def _unregister(self) -> None:
        with _registry_guard:
            if _registry.get(self._key) is self:
                del _registry[self._key]

    def __enter__(self) -> AnnotationLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.release()
