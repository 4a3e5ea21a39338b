"""The crash-recovery journal: every unsaved change, written the moment it is made, so a crash or a kill loses nothing.

One journal per editing session, in ``recovery_folder()`` (``platformdirs.user_data_dir("annotator")/recovery``, or
``$ANNOTATOR_DATA_DIR/recovery``). It is a JSON Lines file:

- line 1, the header: ``{"journal": 1, "annotation_path", "text_path", "project", "document_id", "pid", "host",
  "started", "supersedes", "base"}``, where ``base`` is the complete annotation file (the same JSON object as on disk)
  of the state the changes apply to (as last saved, or as opened), and ``supersedes`` lists the crashed journals
  whose work ``base`` includes;
- version 2 adds ``"builds_on"`` (before ``base``) when ``base`` is not a state of the file on disk but unsaved work
  (restored from a journal, or re-anchored on a changed text): the annotation file the work was built on (as it was
  on disk then), or ``null`` when that file could not be read. Restoring such a journal merges from ``builds_on``,
  not from ``base``, so a restore killed before its own save is restored again in full. A journal without it is
  written as version 1, which every version reads;
- each further line, one change: ``{"at": ISO time, "text": "Add warning span", "change": {"added": [span...],
  "removed": [...], "changed": [[old, new], ...], "relations_added": [...], "relations_removed": [...],
  "label_set": [old, new] | null, "status": [old, new] | null, "suggestions_added": [...], "suggestions_removed":
  [...], "rejected_added": [...], "rejected_removed": [...], "document_labels": [old, new] | null}}``, undo and redo
  included (an undo is recorded as the change it makes). The suggestion lists came later, and ``document_labels``
  (with spans' and relations' ``attributes`` and spans' ``entity``, which ride in the spans and relations) after
  them; a line without them (an older journal) reads as empty lists and ``null``.

Each editing session writes its own journal file (named by a hash of the annotation file's path, the process id and
the time), so a journal left by a crash is never overwritten by a later session of the same file: it stays until
the user restores or discards it. The header is written (and fsynced) with the first change after opening, and
again right after each save, with the file just saved as its base (a save empties the journal of changes); a huge
open writes the base ahead, off the GUI thread (:class:`JournalBase`), and the journal takes it as its header when
the document is shown (the header's other keys then come before some spaces: JSON whitespace, read alike by every
version); an undo back to the base cuts the file back to its header;
changes are appended and flushed to the operating system, which keeps them when the process is killed or crashes
(not after a power cut within the two seconds before autosave). A journal holding only its header is no unsaved
work. Closing a document removes its journal. While the app runs it holds an OS lock (filelock) on
``<journal>.lock``, so another running instance never offers a live journal for recovery. On start
:func:`scan_journals` replays every journal whose lock is free on a copy of its base; a torn last line (the process
died mid-write) is ignored. A journal that cannot be read (a newer version, a bad header, a change line in the middle
that is not valid or does not apply) is never deleted: it is listed as an :class:`UnreadableJournal`, with the
reason, until the user discards it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import time
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, ValidationError

from annotator.io import annotation_file
from annotator.io.annotation_file import Progress
from annotator.io.discard import remove_file, remove_leftovers
from annotator.io.errors import FileFault
from annotator.io.json_pieces import AnnotationsSnapshot, JsonBytes, dumps_pieces, joined, saved_order
from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.compare import AnnotationDiff, diff_annotations
from annotator.model.labels import LabelSet
from annotator.model.pending import PendingSuggestion, RejectedSuggestion
from annotator.model.relation import Relation
from annotator.model.span import Span
from annotator.model.status import DocumentStatus

JOURNAL_VERSION = 2  # the newest version written and read; every earlier one is read too
JOURNAL_SUFFIX = ".journal"
BASE_SUFFIX = ".journal-base"
"""A base written ahead (:class:`JournalBase`): ``<pid>-<ns>.journal-base`` in the recovery folder, never scanned as
a journal; one whose lock is free is left over from a killed process and removed by :func:`scan_journals`."""
HEADER_ROOM = 16 * 1024
"""Bytes a :class:`JournalBase` keeps (spaces) before its base for the header's other keys, filled in place."""
_COPY_STEP = 8 * 1024 * 1024  # bytes per read when a base is copied
_LINE_STEP = 1024 * 1024
"""Bytes per translate when a base is put on one line: each step makes two copies (the slice and its translation),
so a bigger step only adds to the peak memory of the open that writes the base (8 MB steps: 16 MB)."""


def recovery_folder() -> Path:
    """``$ANNOTATOR_DATA_DIR/recovery`` when that variable is set (tests), else
    ``platformdirs.user_data_dir("annotator")/recovery``."""
    override = os.environ.get("ANNOTATOR_DATA_DIR")
    base = Path(override) if override else Path(platformdirs.user_data_dir("annotator", appauthor=False))
    return base / "recovery"


def _path_key(annotation_path: Path) -> str:
    """16 hex digits of the SHA-256 of ``annotation_path``'s absolute path: the start of its journals' names."""
    return hashlib.sha256(os.fsencode(Path(annotation_path).absolute())).hexdigest()[:16]


def new_journal_path(annotation_path: Path, folder: Path | None = None) -> Path:
    """A fresh journal file name for a session of ``annotation_path``: ``<hash of its path>-<pid>-<ns>.journal``,
    unique per session so that no session ever writes over another's (or a crashed one's) journal."""
    return (
        folder or recovery_folder()
    ) / f"{_path_key(annotation_path)}-{os.getpid()}-{time.time_ns()}{JOURNAL_SUFFIX}"


class ChangeRecord(BaseModel):
    """One journaled :class:`~annotator.model.annotation_set.Change`, as JSON: the change's fields, in its order, with
    lists for its tuples (``tests/project/test_journal_change_record.py`` holds the two to that, so a field added to
    a change must be added here, to :meth:`of` and to :meth:`to_change`)."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    added: list[Span] = []
    removed: list[Span] = []
    changed: list[tuple[Span, Span]] = []
    relations_added: list[Relation] = []
    relations_removed: list[Relation] = []
    label_set: tuple[LabelSet, LabelSet] | None = None
    status: tuple[DocumentStatus, DocumentStatus] | None = None
    suggestions_added: list[PendingSuggestion] = []
    suggestions_removed: list[PendingSuggestion] = []
    rejected_added: list[RejectedSuggestion] = []
    rejected_removed: list[RejectedSuggestion] = []
    document_labels: tuple[dict[str, str | list[str]], dict[str, str | list[str]]] | None = None

    @classmethod
    def of(cls, change: Change) -> ChangeRecord:
        """The record of ``change``."""
        return cls(
            added=list(change.added),
            removed=list(change.removed),
            changed=list(change.changed),
            relations_added=list(change.relations_added),
            relations_removed=list(change.relations_removed),
            label_set=change.label_set,
            status=change.status,
            suggestions_added=list(change.suggestions_added),
            suggestions_removed=list(change.suggestions_removed),
            rejected_added=list(change.rejected_added),
            rejected_removed=list(change.rejected_removed),
            document_labels=change.document_labels,
        )

    def to_change(self) -> Change:
        """The :class:`Change` this record describes."""
        return Change(
            added=tuple(self.added),
            removed=tuple(self.removed),
            changed=tuple(self.changed),
            relations_added=tuple(self.relations_added),
            relations_removed=tuple(self.relations_removed),
            label_set=self.label_set,
            status=self.status,
            suggestions_added=tuple(self.suggestions_added),
            suggestions_removed=tuple(self.suggestions_removed),
            rejected_added=tuple(self.rejected_added),
            rejected_removed=tuple(self.rejected_removed),
            document_labels=self.document_labels,
        )


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _readable_time(iso: str) -> str:
    """``"today at 11:25:08"`` or ``"2026-11-28 at 17:02"`` (local time) for an ISO 8601 time; the input when it is
    not one."""
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso or "an unknown time"
    if moment.date() == datetime.now().astimezone().date():
        return f"today at {moment:%H:%M:%S}"
    return f"{moment:%Y-%m-%d} at {moment:%H:%M}"


class RecoveryJournal:
    """The journal of one open annotation file (see the module docstring).

    Parameters
    ----------
    annotation_path: the annotation file the changes are for.
    text_path: the document's text file, when it has one (recorded so recovery can reopen it).
    project_root, document_id: the project and document id, when the document belongs to a project.
    folder: where journals live (default :func:`recovery_folder`).

    Raises
    ------
    FileFault
        From :meth:`open` and :meth:`record` when the journal cannot be written (the caller keeps working, but
        should tell the user that crash recovery is off).
    """

    def __init__(
        self,
        annotation_path: Path,
        *,
        text_path: Path | None = None,
        project_root: Path | None = None,
        document_id: str = "",
        folder: Path | None = None,
    ) -> None:
        self.annotation_path = Path(annotation_path)
        self.text_path = text_path
        self.project_root = project_root
        self.document_id = document_id
        self.path = new_journal_path(self.annotation_path, folder)
        from filelock import FileLock  # on first use: 30 ms at start-up (issue 22)

        self._lock = FileLock(str(self.path) + ".lock", timeout=0)
        self._owned = False
        self._started = False
        self._base_at = 0  # where the header's ', "base": ' starts in the journal file (once started)
        self._header_end = 0  # the header line's length in bytes, its newline included (once started)
        self.supersedes: list[Path] = []  # crashed journals whose work this one's base includes
        self.unsaved_base = False  # the base is unsaved work (restored, re-anchored), not a state of the file on disk
        self.builds_on: bytes | None = None  # then: the annotation file that work was built on (None: unreadable)

    @property
    def is_open(self) -> bool:
        """Whether this session holds the journal (after :meth:`open`, before :meth:`close` or :meth:`release`)."""
        return self._owned

    def open(self) -> None:
        """Take the journal's lock, so that no other running instance offers it for recovery. ``FileFault`` on
        failure (the recovery folder cannot be created or locked)."""
        from filelock import Timeout

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except Timeout as error:
            raise FileFault(self.path, "is in use by another running annotator") from error
        except OSError as error:
            raise FileFault(self.path, f"could not open the recovery journal ({error.strerror or error})") from error
        self._owned = True

    @property
    def started(self) -> bool:
        """Whether the journal file holds its header (with the base) now: the next change only appends a line."""
        return self._started

    def adopt(self, base: JournalBase) -> None:
        """Start the journal with ``base`` (written ahead, off the GUI thread, by :meth:`JournalBase.write`) as its
        header's base: the header's other keys are written into the room the base keeps for them (and fsynced), and
        the file becomes this journal (a rename), so neither the base's bytes nor their escaping pass through here
        again. The header is then exactly what :meth:`start` writes, with spaces before ``, "base"`` (JSON
        whitespace: every version reads it alike). ``base`` is used up either way.

        Raises
        ------
        FileFault
            If the journal is not open or cannot be written (``base`` is then removed).
        """
        try:
            with self._writing():
                head = b"".join(self._head_parts())
                if len(head) <= HEADER_ROOM and base.path.parent == self.path.parent:
                    with open(base.path, "r+b") as handle:
                        handle.write(head.ljust(HEADER_ROOM))
                        handle.flush()
                        os.fsync(handle.fileno())
                    os.replace(base.path, self.path)
                    self._base_at, self._header_end = HEADER_ROOM, base.size
                    self._started = True
                else:  # a header too long for the room (very long paths), or another folder: copied after a new head
                    self._rewrite_from(base.path, HEADER_ROOM, base.size)
        finally:
            base.discard()

    def back_to_base(self) -> None:
        """Forget the changes journaled after the header (undo returned to the base): the file is cut back to its
        header line, which still holds the base, so nothing is serialized or written again. A header that marks its
        base as unsaved work (version 2) is rewritten as version 1 (the base is then as saved), its base copied from
        the file. Without a header yet, this is :meth:`clear`.

        Raises
        ------
        FileFault
            If the journal is not open or cannot be written.
        """
        if not self._started:
            self.clear()
            return
        with self._writing():
            if self.unsaved_base:
                self.unsaved_base, self.builds_on = False, None
                self._rewrite_from(self.path, self._base_at, self._header_end)
                return
            with open(self.path, "r+b") as handle:
                handle.truncate(self._header_end)
                handle.flush()
                os.fsync(handle.fileno())

    def _rewrite_from(self, source: Path, base_at: int, header_end: int) -> None:
        """Write the journal afresh (a temporary file, fsynced, then renamed over it): the header's keys now, then
        ``source``'s bytes ``[base_at, header_end)`` (``, "base": `` to the header's newline) copied as they are.
        ``OSError`` on failure."""
        head = self._head_parts()
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            with open(temporary, "wb") as out, open(source, "rb") as inp:
                out.writelines(head)
                inp.seek(base_at)
                left = header_end - base_at
                while left > 0:
                    block = inp.read(min(_COPY_STEP, left))
                    if not block:
                        raise OSError(f"{source} ended before its header's end")
                    out.write(block)
                    left -= len(block)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            raise
        self._base_at = sum(map(len, head))
        self._header_end = self._base_at + header_end - base_at
        self._started = True

    def start(self, base_json: str | JsonBytes) -> None:
        """Write the header now, with ``base_json`` (the annotation file just saved, as text or UTF-8 bytes), so that
        the next change only appends its line: at 100k spans the header is a 28 MB write, better done right after a
        save than on the keypress that makes the next change. A journal holding only a header is no unsaved work.

        Raises
        ------
        FileFault
            If the journal is not open or cannot be written.
        """
        with self._writing():
            self._write_header(base_json)

    def record(self, base_json: str | JsonBytes, change: Change, text: str) -> None:
        """Append ``change`` (its undo-stack ``text`` too); when the header is not written yet (the first change
        after opening), it is written first, with ``base_json``, the annotation file's JSON (text or UTF-8 bytes) of
        the state the change was applied to.

        Raises
        ------
        FileFault
            If the journal is not open or cannot be written.
        """
        line = json.dumps(
            {"at": _now(), "text": text, "change": ChangeRecord.of(change).model_dump(mode="json")},
            ensure_ascii=False,
        )
        with self._writing():
            if not self._started:
                self._write_header(base_json)
            with open(self.path, "a", encoding="utf-8", newline="\n") as handle:
                handle.write(line + "\n")

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Guard a write: ``FileFault`` if the journal is not open, or for any ``OSError`` inside."""
        if not self._owned:
            raise FileFault(self.path, "the recovery journal is not open")
        try:
            yield
        except OSError as error:
            raise FileFault(self.path, f"could not write the recovery journal ({error.strerror or error})") from error

    def _head_parts(self) -> list[bytes]:
        """The header line up to ``, "base": `` (its keys now, ``builds_on`` included for an unsaved base)."""
        header = {
            "journal": 2 if self.unsaved_base else 1,  # the lowest version that holds what is written
            "annotation_path": str(self.annotation_path.absolute()),
            "text_path": str(self.text_path.absolute()) if self.text_path else "",
            "project": str(self.project_root) if self.project_root else "",
            "document_id": self.document_id,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": _now(),
            "supersedes": [str(path) for path in self.supersedes],
        }
        builds_on = (self.builds_on if self.builds_on is not None else b"null") if self.unsaved_base else None
        return _head(header, builds_on)

    def _write_header(self, base_json: str | JsonBytes) -> None:
        """Start the journal file afresh with its header (fsynced). ``OSError`` on failure."""
        head = self._head_parts()
        written = 0
        with open(self.path, "wb") as handle:
            for part in [*head, b', "base": ', *_one_line(base_json), b"}\n"]:
                written += handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        self._base_at, self._header_end = sum(map(len, head)), written
        self._started = True

    def clear(self) -> None:
        """Forget the journaled changes (after a successful save or a reload): the next change starts afresh, on a
        base that is the file on disk (see :meth:`restart_on_unsaved` for one that is not). Does nothing unless this
        session holds the journal."""
        if not self._owned:
            return
        with contextlib.suppress(OSError):
            remove_file(self.path)  # a big one unlinked by a thread (205 MB: 40-90 ms on the window's thread)
        self._started = False
        self.unsaved_base = False
        self.builds_on = None

    def restart_on_unsaved(self, builds_on: bytes | None) -> None:
        """Forget the journaled changes, as :meth:`clear` does, and mark the next base as unsaved work built on the
        annotation file ``builds_on`` (its JSON as UTF-8 bytes; ``None``: it could not be read), which the header then
        records (version 2) so that restoring it later merges from that file."""
        self.clear()
        self.unsaved_base = True
        self.builds_on = builds_on

    def release(self) -> None:
        """Release the lock but keep the journal (the next start offers to recover it)."""
        if self._owned:
            with contextlib.suppress(OSError):
                self._lock.release()
        self._owned = False

    def close(self) -> None:
        """Remove this session's journal and its lock file, then release the lock (its work is saved, or was
        discarded on purpose). Does nothing unless this session holds the journal."""
        if not self._owned:
            return
        self.clear()
        with contextlib.suppress(OSError):
            Path(self._lock.lock_file).unlink(missing_ok=True)  # the journal is gone first: nothing left to offer
        with contextlib.suppress(OSError):
            self._lock.release()
        self._owned = False


@dataclass
class Recoverable:
    """Unsaved work found in a journal left behind by a crash or a kill.

    Attributes
    ----------
    journal_path: the journal file.
    annotation_path: the annotation file the work belongs to.
    text_path, project_root, document_id: where the document came from ("" / None when unknown).
    started: when the first unsaved change was made (ISO 8601); last_change: when the last one was.
    change_count: changes replayed.
    annotations: the state with every journaled change applied (what restoring gives).
    on_disk: the annotation file as it is on disk now, or ``None`` (missing or invalid).
    diff: what restoring changes compared with ``on_disk`` (everything counts as added when there is no file).
    disk_changed: the file on disk is no longer the base the changes were made on (someone saved it since).
    faults: why the replayed state is not a valid annotation file (plain text; a journal with a bad line is an
        :class:`UnreadableJournal` instead).
    restorable: the replayed state is a valid annotation file (else only the faults can be shown).
    base: the annotation file the recovered work was built on (to tell, when restoring, whether the file moved on
        since, and to merge from): the state the changes were made on, or, when that state was itself unsaved work
        (restored, re-anchored), the file that work was built on; ``None`` when unknown (restoring then keeps a copy
        of whatever is on disk).
    supersedes: journals whose work :attr:`base` already includes (restored, then crashed before the save).
    restored_earlier: the journal starts with work restored from an earlier journal and not saved since (its base;
        :attr:`change_count` counts only the changes made after that restore).
    base_digest: the SHA-256 (hexadecimal) of :attr:`base` as the journal holds it (its JSON put on one line), or
        ``None``: the file on disk still holds :attr:`base` when its :func:`one_line_digest` is this one, which is
        known without parsing it (restoring 1M spans: 0.3 s instead of a load and a comparison, 6 s).
    unchanged_as_of: the annotation file's :func:`file_identity` when it was found to hold :attr:`base` (by that
        digest), or ``None``: while it is the same, the file is not read and hashed again to know it (the app's
        huge open reads the journal in its worker; the restore then runs on the GUI thread).
    """

    journal_path: Path
    annotation_path: Path
    text_path: Path | None
    project_root: Path | None
    document_id: str
    started: str
    last_change: str
    change_count: int
    annotations: AnnotationSet
    on_disk: AnnotationSet | None
    diff: AnnotationDiff
    disk_changed: bool = False
    faults: list[str] = field(default_factory=list)
    restorable: bool = True
    base: AnnotationSet | None = None
    supersedes: list[Path] = field(default_factory=list)
    restored_earlier: bool = False
    base_digest: str | None = None
    unchanged_as_of: tuple[int, int, int, int] | None = None

    def unsaved_work(self) -> str:
        """What the journal holds, plain text: ``"3 unsaved changes"``; for restored work not saved since,
        ``"unsaved work restored earlier but not saved"`` (``", and 2 changes since"`` when there are more), since its
        restored changes are in its base and not counted."""
        count, plural = self.change_count, "" if self.change_count == 1 else "s"
        if not self.restored_earlier:
            return f"{count} unsaved change{plural}"
        return "unsaved work restored earlier but not saved" + (f", and {count} change{plural} since" if count else "")

    def refreshed(self) -> Recoverable | None:
        """The same journal read again now (the file on disk may have changed since, e.g. another journal of it was
        restored), or ``None`` when it is gone or in use."""
        from filelock import FileLock, Timeout  # on first use: 30 ms at start-up (issue 22)

        lock = FileLock(str(self.journal_path) + ".lock", timeout=0)
        try:
            lock.acquire()
        except (Timeout, OSError):
            return None
        try:
            found = _replay(self.journal_path)
        finally:
            lock.release()
        return found if isinstance(found, Recoverable) else None

    def describe(self) -> str:
        """Plain text for the recovery dialog: the file, when, how many changes and the summary of the diff."""
        when = _readable_time(self.last_change or self.started)
        extra = ""
        if self.disk_changed:
            extra = (
                " The file on disk differs from the version these changes started from; restoring replaces it "
                "(a copy is kept)."
            )
        return (
            f"{self.annotation_path.name} ({self.document_id or self.annotation_path.parent}): "
            f"{self.unsaved_work()}{f', the last {when}' if self.change_count else f' ({when})'}. "
            f"Restoring gives: {self.diff.summary()}.{extra}"
        )

    def discard(self) -> None:
        """Delete the journal (the user chose not to restore)."""
        with contextlib.suppress(OSError):
            remove_file(self.journal_path)
        with contextlib.suppress(OSError):
            Path(str(self.journal_path) + ".lock").unlink(missing_ok=True)


class _Unreadable(Exception):
    """Why a journal cannot be read: one plain-text sentence, starting with the line."""


@dataclass(frozen=True)
class UnreadableJournal:
    """A journal that cannot be read or replayed (written by a newer version, a bad header, a change line in the
    middle that is not valid or does not apply). It is kept, never deleted behind the user's back: shown with
    :meth:`describe` and offered again at every start until the user discards it.

    Attributes
    ----------
    journal_path: the journal file.
    reason: why it cannot be read (plain text, e.g. ``"line 7 is not valid JSON (Expecting value)"``).
    annotation_path: the annotation file its work belongs to, when the header says so, else ``None``.
    """

    journal_path: Path
    reason: str
    annotation_path: Path | None = None

    def describe(self) -> str:
        """``"<journal file name> (work on <annotation file>): <reason>"``, plain text."""
        of = f" (work on {self.annotation_path})" if self.annotation_path is not None else ""
        return f"{self.journal_path.name}{of}: {self.reason}"

    def discard(self) -> None:
        """Delete the journal (the user chose to)."""
        _delete_journal(self.journal_path)


def _delete_journal(path: Path) -> None:
    with contextlib.suppress(OSError):
        remove_file(path)
    with contextlib.suppress(OSError):
        Path(str(path) + ".lock").unlink(missing_ok=True)


def _header_path(header: dict[str, Any], key: str) -> Path | None:
    value = header.get(key, "")
    if not isinstance(value, str):
        raise _Unreadable(f"line 1 (the header): {key} is not a text")
    return Path(value) if value else None


def _header_state(header: dict[str, Any], key: str, path: Path) -> AnnotationSet | None:
    """The annotation file held in ``header[key]`` (``None`` for JSON null), parsed afresh (a new copy each call)."""
    if key not in header:
        raise _Unreadable(f"line 1 (the header) has no {key}")
    if header[key] is None:
        return None
    try:
        return annotation_file.parse(json.dumps(header[key], ensure_ascii=False), path)
    except FileFault as error:
        raise _Unreadable(
            f"line 1 (the header): its {key} is not a valid annotation file ({error.faults[0]})"
        ) from error
    except (ValueError, TypeError, RecursionError) as error:
        raise _Unreadable(f"line 1 (the header): its {key} is not a valid annotation file") from error


_LINE_BREAKS_TO_SPACES = bytes.maketrans(b"\r\n", b"  ")


def _one_line(json_text: str | JsonBytes) -> list[bytes]:
    """A JSON text put on one line (see :func:`_header_parts`), as pieces (one, or one per piece given)."""
    if isinstance(json_text, tuple):  # pieces (a huge text's file, made a slice at a time): put on one line each
        first, *rest = json_text or (b"",)
        return [*_one_line(first), *(piece.translate(_LINE_BREAKS_TO_SPACES) for piece in rest)]
    data = json_text.encode("utf-8") if isinstance(json_text, str) else json_text
    return [data.removeprefix(b"\xef\xbb\xbf").translate(_LINE_BREAKS_TO_SPACES)]


def _header_parts(
    header: dict[str, Any], base_json: str | JsonBytes, builds_on_json: bytes | None = None
) -> list[bytes]:
    """The journal's first line, in parts to write one after the other: ``header`` with ``"builds_on":
    builds_on_json`` (when given) and ``"base": base_json`` added as the last keys, ending in a newline.

    ``base_json`` (an annotation file's JSON, as saved or as read, whole or in pieces) goes in as it is, only put on
    one line: outside strings a JSON text's line breaks are mere whitespace, and inside strings JSON allows none (they
    are escaped), so CR and LF become spaces; a UTF-8 byte-order mark is dropped. (Parsing it and writing it again
    took 1.4 s for 100k spans; this takes 20 ms.) The header is ASCII-escaped, so a path that is not valid UTF-8
    (Linux) still fits.
    """
    return [*_head(header, builds_on_json), b', "base": ', *_one_line(base_json), b"}\n"]


def _head(header: dict[str, Any], builds_on_json: bytes | None = None) -> list[bytes]:
    """The first line's parts before ``, "base": `` (see :func:`_header_parts`)."""
    opening = json.dumps(header).encode("ascii")
    parts = [opening[:-1]]
    if builds_on_json is not None:
        parts += [b', "builds_on": ', *_one_line(builds_on_json)]
    return parts


def _one_line_stream(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """:func:`_one_line` for pieces made one after the other (each put on one line when it comes, a few MB at a
    time, so no call holds the GIL long and no more than a piece is in memory)."""
    first = True
    for piece in pieces:
        if first:
            piece, first = piece.removeprefix(b"\xef\xbb\xbf"), False
        for at in range(0, len(piece), _LINE_STEP):
            yield piece[at : at + _LINE_STEP].translate(_LINE_BREAKS_TO_SPACES)


class JournalBase:
    """A recovery journal's base written ahead to a file of its own (``<pid>-<ns>.journal-base`` in the recovery
    folder), off the GUI thread (the app's huge-file open writes it in its worker), for the journal to
    :meth:`~RecoveryJournal.adopt`: the GUI thread then neither keeps the base's bytes in memory (100 MB for a
    100 MB text) nor writes them on the first edit (195 MB escaped and fsynced for 1M spans: 1.2 s).

    The file is :data:`HEADER_ROOM` spaces (room for the header's other keys, filled in place on adoption), then
    ``, "base": ``, the base on one line and ``}\n``: once adopted, exactly a journal's first line but for the
    spaces. Its lock (``<file>.lock``) is held until it is adopted or discarded, so another instance's
    :func:`scan_journals` removes it only when the process that wrote it is gone. Dropped without being adopted
    (a cancelled open), it is removed.

    Attributes
    ----------
    path: the file; size: its length in bytes.
    """

    def __init__(self, path: Path, size: int, lock: Any) -> None:
        self.path = path
        self.size = size
        self._finalizer = weakref.finalize(self, _drop_base, path, lock)

    @classmethod
    def write(cls, base_json: str | JsonBytes | Iterable[bytes], folder: Path | None = None) -> JournalBase:
        """Write ``base_json`` (an annotation file's JSON: text, UTF-8 bytes, or pieces of them, e.g.
        :func:`~annotator.io.json_pieces.dumps_pieces`'s, taken one at a time) to a new base file in ``folder``
        (default :func:`recovery_folder`), fsynced. Any thread.

        Raises
        ------
        FileFault
            If the folder or the file cannot be written (nothing is left behind).
        """
        from filelock import FileLock, Timeout

        path = (folder or recovery_folder()) / f"{os.getpid()}-{time.time_ns()}{BASE_SUFFIX}"
        lock = FileLock(str(path) + ".lock", timeout=0, thread_local=False)  # released by the thread adopting it
        if isinstance(base_json, str):
            base_json = base_json.encode("utf-8")
        pieces = (base_json,) if isinstance(base_json, bytes) else base_json
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock.acquire()
            size = 0
            with open(path, "wb") as handle:
                # one piece at a time (a tuple of the pieces would hold the whole base, put on one line, at once)
                for part in chain((b" " * HEADER_ROOM, b', "base": '), _one_line_stream(pieces), (b"}\n",)):
                    size += handle.write(part)
                handle.flush()
                os.fsync(handle.fileno())
        except (OSError, Timeout) as error:
            _drop_base(path, lock)
            raise FileFault(path, f"could not write the recovery journal's base ({error})") from error
        except BaseException:  # e.g. the pieces' serializer refusing the set: nothing is left behind
            _drop_base(path, lock)
            raise
        return cls(path, size, lock)

    @classmethod
    def copy(cls, source: Path, size: int, sha256: str, folder: Path | None = None) -> JournalBase | None:
        """:meth:`write` of the annotation file ``source`` read back from disk, :data:`_LINE_STEP` bytes at a time,
        when it still holds the bytes it was loaded from (``size`` bytes whose SHA-256 is ``sha256``, hexadecimal:
        the bytes are hashed as they are copied), so a huge open can let its bytes read go before the base is
        written (a 28 MB file: 28 MB less at the open's peak). ``None``, nothing left behind, when the file now
        holds other bytes or cannot be read again (the base is then to be made from the annotations). Any thread.

        Raises
        ------
        FileFault
            If the folder or the base cannot be written (nothing is left behind).
        """

        def pieces() -> Iterator[bytes]:
            digest, copied = hashlib.sha256(), 0
            try:
                with open(source, "rb") as handle:
                    while block := handle.read(_LINE_STEP):
                        digest.update(block)
                        copied += len(block)
                        yield block
            except OSError as error:
                raise _ChangedOnDisk from error
            if copied != size or digest.hexdigest() != sha256:
                raise _ChangedOnDisk

        try:
            return cls.write(pieces(), folder)
        except _ChangedOnDisk:
            return None

    def discard(self) -> None:
        """Remove the file (if still there) and release its lock."""
        self._finalizer()


class _ChangedOnDisk(Exception):
    """The file :meth:`JournalBase.copy` reads is not (or no longer) the one the annotations were loaded from."""


def _drop_base(path: Path, lock: Any) -> None:
    with contextlib.suppress(OSError):
        remove_file(path)
    with contextlib.suppress(OSError):
        Path(lock.lock_file).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        lock.release(force=True)


def _bad_change(number: int, error: BaseException) -> str:
    """Why change line ``number`` could not be replayed (plain text)."""
    if isinstance(error, json.JSONDecodeError):
        return f"line {number} is not valid JSON ({error.msg})"
    if isinstance(error, RecursionError):
        return f"line {number} is nested too deeply"
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"line {number} is not a valid change ({where}: {first['msg']})"
    if isinstance(error, _Unreadable):
        return f"line {number} {error}"
    if isinstance(error, KeyError):
        return f"line {number} does not apply to the annotations (no span or link {error.args[0]!r})"
    return f"line {number} does not apply to the annotations ({error})"


def _replay(
    path: Path, progress: Progress | None = None, known: Known | None = None
) -> Recoverable | UnreadableJournal | None:
    """Read one journal and replay its changes on a copy of its base: the work it holds, an
    :class:`UnreadableJournal` saying why it cannot be read, or ``None`` when it holds no work (no complete line,
    only a header, or a header and a torn last line).

    The header's annotation files are read from its bytes (:func:`_split_header`): each parsed once, in pieces where
    the app wrote it (its own layout put on one line), the base copied rather than parsed again. A header this
    cannot take apart, or a file in it that does not parse, is read as any JSON (``json.loads`` of the whole line),
    which names the fault as every version did (1M spans: 2 GB and 20 s more, so only then).

    ``progress(stage, done, total)`` (when given) is told each step of the longer ones (stages
    :data:`READING_STAGE` and :data:`CHECKING_STAGE`; it may raise, e.g.
    :class:`~annotator.io.annotation_file.LoadCancelled`, to stop the read: nothing is changed or deleted).
    ``known``: ``(one_line_digest, annotations)`` of the annotation file as just loaded: a header file with that
    digest is not parsed, the annotations are copied instead."""
    try:
        # the header (200 MB for 1M spans) is not read whole: its line end is found a block at a time, its keys read
        # from its start and its annotation files each read on its own (a slice of the file read whole held the GIL
        # 0.1-0.5 s; a find in the file mapped held it 0.4 s while its pages were read)
        with open(path, "rb", buffering=0) as handle:
            head = handle.read(_HEAD_BYTES)
            newline = head.find(b"\n")
            if newline < 0:
                newline = _find_in_file(handle, b"\n", len(head), os.fstat(handle.fileno()).st_size)
            if newline < 0:
                return None  # killed while writing the header: no change was ever journaled after it
            handle.seek(newline + 1)
            tail = handle.read()
            if b"\n" not in tail:
                return None  # only a header, perhaps a torn line after it: no change
            split = _split_header(handle, head, newline)
    except OSError as error:
        return UnreadableJournal(path, f"could not be read ({error.strerror or error})")
    lines = ["", *tail.decode("utf-8", errors="replace").split("\n")]  # lines[0]: the header, read apart
    del tail, head
    annotation_path: Path | None = None
    try:
        header, states = split if split is not None else (_header_of(path), None)
        with contextlib.suppress(_Unreadable):
            annotation_path = _header_path(header, "annotation_path")
        version = header.get("journal")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise _Unreadable("line 1 (the header) has no journal version")
        if version > JOURNAL_VERSION:
            raise _Unreadable(
                f"line 1: it was written by a newer version of annotator (journal version {version}; this version "
                f"reads versions 1 to {JOURNAL_VERSION})"
            )
        if annotation_path is None or not annotation_path.is_absolute():
            annotation_path = None
            raise _Unreadable("line 1 (the header): its annotation_path is missing or not an absolute path")
        text_path = _header_path(header, "text_path")
        project = _header_path(header, "project")
        supersedes = [Path(p) for p in header.get("supersedes", []) if isinstance(p, str)]
        unsaved_base = version >= 2 and "builds_on" in header
        reading = _in_halves(progress, READING_STAGE)
        annotations, base, base_digest = _states(header, states, unsaved_base, path, reading, known)
        split = states = None  # the header's annotation files as read (1M spans: 205 MB) are not held further
        outcome = _replay_changes(lines, annotations)
    except _Unreadable as error:
        return UnreadableJournal(path, str(error), annotation_path)
    if outcome is None:
        return None
    count, last, restored_marker = outcome
    if version == 1 and supersedes and restored_marker:
        base, base_digest = None, None  # restored by a version 1 app: its base is unsaved work, on an unknown file
    found = _recoverable(
        path,
        header,
        annotation_path,
        text_path,
        project,
        annotations,
        base,
        supersedes,
        count,
        last,
        base_digest,
        _in_halves(progress, CHECKING_STAGE),
    )
    found.restored_earlier = restored_marker
    return found


Known = tuple[str, AnnotationSet]
"""``(digest, annotations)``: an annotation file's :func:`one_line_digest` and the annotations it holds, as loaded."""

READING_STAGE = "reading unsaved work"
"""The stage :func:`recoverable_for` tells while it parses a journal's annotation files."""
CHECKING_STAGE = "checking unsaved work"
"""The stage it tells while it checks that the recovered state makes a valid file and compares it with the disk."""


def _in_halves(progress: Progress | None, stage: str) -> Progress | None:
    """``progress`` told ``stage`` for an annotation file's parse: its validation as the first half, the spans made
    as the second (per mille of ``stage``), so that the bar goes on rather than back."""
    if progress is None:
        return None
    told = progress

    def step(inner: str, done: int, total: int) -> None:
        share = done * 500 // max(1, total)
        told(stage, share + (500 if inner == "building" else 0), 1000)

    return step


_BASE_KEY = b', "base": '
_BUILDS_ON_KEY = b', "builds_on": '
_HEAD_BYTES = 64 * 1024
"""Bytes read first from a journal: its header's keys (the room a base written ahead keeps, and the paths)."""
_SCAN_STEP = 8 * 1024 * 1024


def _split_header(handle: Any, head: bytes, end: int) -> tuple[dict[str, Any], dict[str, bytes | None]] | None:
    """The first line of the journal open as ``handle`` (its first bytes ``head``, its newline at ``end``), as the
    app writes it (:func:`_header_parts`, or a base written ahead and adopted: spaces before ``, "base"``):
    ``(keys, states)``, the header's other keys (``builds_on`` and ``base`` then stand for themselves, ``None``)
    and the bytes of its annotation files by key (``None`` for JSON null), each read from the file on its own,
    not parsed; ``None`` for any other layout. ``OSError`` when the file cannot be read.

    The header's own keys are ``json.dumps``'s, whose strings escape their quotes, so the first ``, "base": `` or
    ``, "builds_on": `` (a quote after a space: outside any string) ends them; ``base`` is the last key, so its
    file runs to the line's last ``}``; ``builds_on``'s file runs to the next ``, "base": ``, which a file holding
    that key (in its metadata) would make wrong: then that file does not parse, and the caller reads the line as
    JSON instead. Where both files parse, the cut is right: a JSON object is complete only at its own last ``}``."""
    keys_end = min(end, len(head))
    base_at = head.find(_BASE_KEY, 0, keys_end)
    builds_at = head.find(_BUILDS_ON_KEY, 0, base_at if base_at >= 0 else keys_end)
    if builds_at >= 0:  # its file before the base's: the base's key is after it
        base_at = _find_in_file(handle, _BASE_KEY, builds_at + len(_BUILDS_ON_KEY), end)
    if base_at < 0:
        return None  # (keys longer than the head read: not the app's)
    last = _read_range(handle, max(base_at, end - 64), end).rstrip(b" \t\r")
    end -= min(64, end - base_at) - len(last)  # the whitespace before the newline left out
    keys = _header_keys(head, builds_at if builds_at >= 0 else base_at)
    if keys is None or not last.endswith(b"}"):
        return None
    states: dict[str, bytes | None] = {"base": _read_range(handle, base_at + len(_BASE_KEY), end - 1)}
    if builds_at >= 0:
        states["builds_on"] = _read_range(handle, builds_at + len(_BUILDS_ON_KEY), base_at)
    for key, value in states.items():
        if value is not None and len(value) < 64 and value.strip() == b"null":
            states[key] = None
        keys[key] = None
    return keys, states


def _header_keys(head: bytes, keys_end: int) -> dict[str, Any] | None:
    """The header's own keys, ``head[:keys_end]`` (the line up to where its annotation files start) closed and
    parsed as a JSON object; ``None`` when they are not one, or hold ``base`` or ``builds_on`` themselves."""
    try:
        keys = json.loads(head[:keys_end] + b"}")
    except (ValueError, RecursionError):
        return None
    if not isinstance(keys, dict) or "base" in keys or "builds_on" in keys:
        return None
    return keys


def _find_in_file(handle: Any, sub: bytes, start: int, stop: int) -> int:
    """Where ``sub`` first occurs in bytes ``[start, stop)`` of the file open as ``handle``, or -1: read
    :data:`_SCAN_STEP` bytes at a time (each read without the GIL, each search a few milliseconds)."""
    at = start
    while at < stop:
        handle.seek(at)
        block = handle.read(min(_SCAN_STEP + len(sub) - 1, stop - at))
        if not block:
            break
        found = block.find(sub)
        if found >= 0:
            return at + found
        at += _SCAN_STEP
    return -1


def _read_range(handle: Any, start: int, stop: int) -> bytes:
    """Bytes ``[start, stop)`` of the file open as ``handle`` (one read: the bytes made without the GIL).
    ``OSError`` if the file is shorter (changed while read)."""
    handle.seek(start)
    data = handle.read(stop - start)
    if len(data) != stop - start:
        raise OSError(f"it changed while it was read ({len(data)} of {stop - start} bytes at {start})")
    return data


def _header_of(path: Path) -> dict[str, Any]:
    """The journal's first line parsed as any JSON (its annotation files as JSON values, in full); raises
    ``_Unreadable`` when it is not a JSON object."""
    try:
        with path.open("rb") as handle:
            line = handle.readline()
    except OSError as error:
        raise _Unreadable(f"line 1 (the header) could not be read ({error.strerror or error})") from error
    try:
        header = json.loads(line.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError) as error:
        raise _Unreadable("line 1 (the header) is not valid JSON") from error
    if not isinstance(header, dict):
        raise _Unreadable("line 1 (the header) is not a journal header")
    return header


def _states(
    header: dict[str, Any],
    states: dict[str, bytes | None] | None,
    unsaved_base: bool,
    path: Path,
    progress: Progress | None = None,
    known: Known | None = None,
) -> tuple[AnnotationSet, AnnotationSet | None, str | None]:
    """``(annotations, base, base_digest)``: the header's base, to replay the changes into, the state the work was
    built on (see :attr:`Recoverable.base`; a copy of the first when it is the base itself), and the SHA-256 of the
    latter's bytes in the header (``None`` when read from JSON values). ``states``: :func:`_split_header`'s, or
    ``None`` for a header read as JSON values; ``progress`` is told each parse's steps; ``known``: as for
    :func:`_replay`. Raises ``_Unreadable`` naming what is not valid."""
    key = "builds_on" if unsaved_base else "base"
    if states is not None:
        try:
            data = states.get("base")
            if data is None:
                raise _NotSplit
            digest = hashlib.sha256(data).hexdigest()
            if key == "base" and known is not None and known[0] == digest:  # the file just loaded: not parsed again
                return known[1].copy(), known[1].copy(), digest
            annotations = annotation_file.parse(data, path, progress=progress)
            if key == "base":
                return annotations, annotations.copy(), digest
            del data
            built_on = states.get(key)
            if built_on is None:
                return annotations, None, None
            digest = hashlib.sha256(built_on).hexdigest()
            if known is not None and known[0] == digest:
                return annotations, known[1].copy(), digest
            return annotations, annotation_file.parse(built_on, path, progress=progress), digest
        except (FileFault, _NotSplit):
            header = _header_of(path)  # (its fault named as before: from the JSON values)
    replayed = _header_state(header, "base", path)  # replayed into: a copy, never the base itself
    if replayed is None:
        raise _Unreadable("line 1 (the header) has no base")
    return replayed, _header_state(header, key, path), None


class _NotSplit(Exception):
    """The header's bytes do not hold what the journal needs: it is read as JSON instead."""


def _replay_changes(lines: list[str], annotations: AnnotationSet) -> tuple[int, str, bool] | None:
    """Apply the change lines (``lines[1:]``) to ``annotations``: ``(changes counted, time of the last one, whether
    the first is the empty "restored" marker)``, or ``None`` when there is none. A torn last line is ignored; any
    other bad line raises ``_Unreadable`` naming it (``annotations`` is then a half-replayed copy, to be dropped)."""
    count, replayed, last, restored_marker = 0, 0, "", False
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            if not isinstance(entry, dict) or "change" not in entry:
                raise _Unreadable("holds no change")
            change = ChangeRecord.model_validate(entry["change"]).to_change()
            annotations.apply(change)
        except (ValueError, KeyError, TypeError, ValidationError, RecursionError, _Unreadable) as error:
            if number == len(lines):
                break  # a torn last line: the process died while writing it
            raise _Unreadable(_bad_change(number, error)) from error
        if replayed == 0:
            restored_marker = change == Change() and entry.get("text") == "restored"
        replayed += 1
        count += change != Change()  # an empty change only marks restored work as unsaved
        last = str(entry.get("at", ""))
    return (count, last, restored_marker) if replayed else None


def _recoverable(
    path: Path,
    header: dict[str, Any],
    annotation_path: Path,
    text_path: Path | None,
    project: Path | None,
    annotations: AnnotationSet,
    base: AnnotationSet | None,
    supersedes: list[Path],
    count: int,
    last: str,
    base_digest: str | None = None,
    progress: Progress | None = None,
) -> Recoverable:
    """The :class:`Recoverable` of a replayed journal, compared with its annotation file as it is on disk now (a
    file whose :func:`one_line_digest` is ``base_digest`` holds ``base``: a copy of it, not parsed)."""
    faults: list[str] = []
    restorable = True
    if progress is not None:
        progress("", 0, 1)  # the stage told before the file is made (seconds at 1M spans), not once it is parsed
    try:  # what restoring would write must be a file the app opens
        _check_written(annotations, annotation_path, progress)
    except FileFault as error:
        faults.extend(error.faults)
        restorable = False
    on_disk: AnnotationSet | None = None
    identity = file_identity(annotation_path)
    unchanged = base is not None and base_digest is not None and one_line_digest(annotation_path) == base_digest
    unchanged_as_of = identity if unchanged and identity == file_identity(annotation_path) else None
    if unchanged and base is not None:
        on_disk = base.copy()
    else:
        with contextlib.suppress(FileFault, OSError):
            if annotation_path.is_file():
                on_disk = annotation_file.load(annotation_path)
    if unchanged:
        disk_changed = False
    elif base is None or on_disk is None:
        disk_changed = annotation_path.is_file()
    else:
        disk_changed = diff_annotations(base, on_disk).annotations_differ()
    return Recoverable(
        journal_path=path,
        annotation_path=annotation_path,
        text_path=text_path,
        project_root=project,
        document_id=str(header.get("document_id", "")),
        started=str(header.get("started", "")),
        last_change=last,
        change_count=count,
        annotations=annotations,
        on_disk=on_disk,
        diff=diff_annotations(on_disk, annotations),
        disk_changed=disk_changed,
        faults=faults,
        restorable=restorable,
        base=base,
        supersedes=supersedes,
        base_digest=base_digest,
        unchanged_as_of=unchanged_as_of,
    )


def _check_written(annotations: AnnotationSet, path: Path, progress: Progress | None) -> None:
    """Raise ``FileFault`` (naming ``path``) unless the file :func:`~annotator.io.annotation_file.dumps_bytes` makes
    of ``annotations`` parses. Made in pieces (:func:`~annotator.io.json_pieces.dumps_pieces`, the same bytes:
    dumps_bytes held the GIL 1.7 s at 1M spans) and checked by
    :func:`~annotator.io.annotation_file.check_parses` against the spans it was made of (parsed in full, a second
    set of 1M spans took 1.2 GB more)."""
    snapshot = AnnotationsSnapshot.of(annotations)
    snapshot = replace(snapshot, spans=saved_order(snapshot.spans), spans_sorted=True)
    written = joined(dumps_pieces(snapshot))
    annotation_file.check_parses(written, path, list(snapshot.spans), progress=progress)


def file_identity(path: Path) -> tuple[int, int, int, int] | None:
    """``(device, inode, size, modification time in ns)`` of the file at ``path``, or ``None`` when it is missing:
    an atomic save (a new file renamed over it) changes the inode, a write in place the time or the size."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def one_line_digest(path: Path) -> str | None:
    """The SHA-256 (hexadecimal) of the file at ``path`` put on one line as a journal's header holds an annotation
    file (:func:`_one_line`: a UTF-8 byte-order mark dropped, each CR and LF a space), read :data:`_LINE_STEP` bytes
    at a time; ``None`` when it cannot be read. Equal to a :attr:`Recoverable.base_digest`, the file holds that
    base: its bytes differ at most by JSON whitespace outside strings."""
    try:
        with open(path, "rb") as handle:
            return _one_line_hash(iter(partial(handle.read, _LINE_STEP), b""))
    except OSError:
        return None


def one_line_digest_of(data: bytes) -> str:
    """:func:`one_line_digest` of a file's bytes already read (hashed :data:`_LINE_STEP` bytes a step: no long hold
    of the GIL)."""
    view = memoryview(data)
    return _one_line_hash(bytes(view[at : at + _LINE_STEP]) for at in range(0, len(data), _LINE_STEP))


def _one_line_hash(blocks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    first = True
    for block in blocks:
        if first:
            block, first = block.removeprefix(b"\xef\xbb\xbf"), False
        digest.update(block.translate(_LINE_BREAKS_TO_SPACES))
    return digest.hexdigest()


def has_journals(annotation_path: Path, folder: Path | None = None) -> bool:
    """Whether any journal of ``annotation_path`` is in the recovery folder (a directory listing; whether it holds
    work, or belongs to a running instance, is for :func:`recoverable_for` to find out)."""
    key = _path_key(Path(annotation_path).absolute())
    with contextlib.suppress(OSError):
        return any((folder or recovery_folder()).glob(f"{key}-*{JOURNAL_SUFFIX}"))
    return False


def scan_journals(
    folder: Path | None = None,
    *,
    name_start: str = "",
    progress: Progress | None = None,
    known: Known | None = None,
    largest: int | None = None,
) -> tuple[list[Recoverable], list[UnreadableJournal]]:
    """The journals left by annotator processes that are no longer running (``name_start``: only those whose file
    name starts with it), oldest first: the unsaved work they hold, and those that cannot be read.

    Journals whose lock is held belong to a running instance and are skipped. Journals that hold no work (only a
    header, or not even a complete one), journals whose changes leave the annotation file as it already is on disk
    (the crash came after the save) and journals superseded by a later restorable one (restored work whose save was
    interrupted: the later one holds it) are deleted, not offered. Unreadable journals are kept. ``progress``,
    ``known``: as for :func:`_replay` (told for each journal read; an exception ``progress`` raises stops the scan,
    deleting nothing more). ``largest``: journals of more bytes are left alone, unread (see :func:`huge_journals`).
    """
    folder = folder or recovery_folder()
    found: list[Recoverable] = []
    unreadable: list[UnreadableJournal] = []

    try:
        journals = sorted(folder.glob(f"{name_start}*{JOURNAL_SUFFIX}"), key=_age)
        if largest is not None:
            journals = [path for path in journals if journal_bytes(path) <= largest]
        if not name_start:  # a whole scan (one file's journals are read while this process writes a base ahead)
            _remove_abandoned_lock_files(folder)
    except OSError:
        return [], []
    for path in journals:
        from filelock import FileLock, Timeout  # on first use: 30 ms at start-up (issue 22)

        lock = FileLock(str(path) + ".lock", timeout=0)
        try:
            lock.acquire()
        except (Timeout, OSError):
            continue  # a running instance owns it
        try:
            replayed = _replay(path, progress, known)
        finally:
            lock.release()
        if isinstance(replayed, UnreadableJournal):
            unreadable.append(replayed)
        elif replayed is None or (replayed.on_disk is not None and replayed.diff.is_empty()):
            _delete_journal(path)
        else:
            found.append(replayed)
    superseded = {path for recoverable in found if recoverable.restorable for path in recoverable.supersedes}
    for recoverable in [r for r in found if r.journal_path in superseded]:
        recoverable.discard()  # its work is in the base of a later journal, offered instead
    return [r for r in found if r.journal_path not in superseded], unreadable


def _age(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # gone meanwhile
        return 0.0


def journal_bytes(path: Path) -> int:
    """The size of the journal at ``path`` in bytes (0 when it is gone)."""
    try:
        return path.stat().st_size
    except OSError:  # gone meanwhile
        return 0


def huge_journals(largest: int, folder: Path | None = None) -> list[Path]:
    """The annotation files of the journals of more than ``largest`` bytes left by processes no longer running
    (their lock free), read from each header's first bytes only: their work is read when the file is opened, off
    the GUI thread (the app's huge open), not at start-up, where 1M spans' journal kept the window from showing
    for 15 s and more. Oldest first; journals whose header cannot be read so are left out (the scan lists them)."""
    folder = folder or recovery_folder()
    try:
        journals = sorted((p for p in folder.glob(f"*{JOURNAL_SUFFIX}") if journal_bytes(p) > largest), key=_age)
    except OSError:
        return []
    found: list[Path] = []
    for path in journals:
        from filelock import FileLock, Timeout  # on first use: not at every start-up (issue 22)

        lock = FileLock(str(path) + ".lock", timeout=0)
        try:
            lock.acquire()
        except (Timeout, OSError):
            continue  # a running instance's
        try:
            with open(path, "rb") as handle:
                head = handle.read(_HEAD_BYTES)
        except OSError:
            continue
        finally:
            lock.release()
        cut = min((at for at in (head.find(_BUILDS_ON_KEY), head.find(_BASE_KEY)) if at >= 0), default=-1)
        keys = _header_keys(head, cut) if cut >= 0 else None
        annotation = keys.get("annotation_path") if keys is not None else None
        if isinstance(annotation, str) and Path(annotation).is_absolute():
            found.append(Path(annotation))
    return found


def find_recoverable(
    folder: Path | None = None, *, name_start: str = "", progress: Progress | None = None, known: Known | None = None
) -> list[Recoverable]:
    """The unsaved work of :func:`scan_journals` (journals that cannot be read are left alone, not listed)."""
    return scan_journals(folder, name_start=name_start, progress=progress, known=known)[0]


def _remove_abandoned_lock_files(folder: Path) -> None:
    """Delete ``*.journal.lock`` files whose journal is gone and whose lock is free (left by killed sessions that
    never journaled a change), journal bases written ahead (:class:`JournalBase`) whose lock is free (left by a
    process killed while it opened a document), with their locks, and files renamed to be removed that a process
    left (:func:`~annotator.io.discard.remove_leftovers`)."""
    remove_leftovers(folder)
    for lock_path in [*folder.glob(f"*{JOURNAL_SUFFIX}.lock"), *folder.glob(f"*{BASE_SUFFIX}.lock")]:
        owner = Path(str(lock_path).removesuffix(".lock"))
        if owner.exists() and owner.name.endswith(JOURNAL_SUFFIX):
            continue
        from filelock import FileLock, Timeout  # on first use: 30 ms at start-up (issue 22)

        lock = FileLock(str(lock_path), timeout=0)
        try:
            lock.acquire()
        except (Timeout, OSError):
            continue
        try:
            if owner.name.endswith(BASE_SUFFIX):  # written ahead by a process that is gone: never adopted
                with contextlib.suppress(OSError):
                    owner.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                lock_path.unlink()
        finally:
            lock.release()


def recoverable_for(
    annotation_path: Path, folder: Path | None = None, progress: Progress | None = None, known: Known | None = None
) -> Recoverable | None:
    """Unsaved work for ``annotation_path`` left by a process that is no longer running, or ``None``. Reads only
    that file's journals (their names start with a hash of its path), so opening a document stays cheap (with no
    journal of it: a directory listing). ``progress``: as for :func:`_replay` (the app's huge open reads the
    journal in its worker, with its bar and Cancel: 1M spans, about 12 s); ``known``: as for :func:`_replay` (the
    file as that open just loaded it: then its journal's base is not parsed again)."""
    target = Path(annotation_path).absolute()
    for recoverable in find_recoverable(folder, name_start=f"{_path_key(target)}-", progress=progress, known=known):
        if recoverable.annotation_path == target:
            return recoverable
    return None
