"""An editing session of one annotation file: the lock, the recovery journal, saving and noticing changes on disk.

The UI keeps one :class:`DocumentSession` per open document and calls :meth:`DocumentSession.record` for every change,
:meth:`DocumentSession.save` for autosave and Ctrl+S, and :meth:`DocumentSession.disk_changed` now and then. Nothing
here needs Qt, so the fault tests drive it directly (and in subprocesses that are killed).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from annotator.io import annotation_file
from annotator.io.atomic import atomic_write_bytes, atomic_writer
from annotator.io.errors import FileFault
from annotator.io.json_pieces import AnnotationsSnapshot, JsonBytes, JsonWritten, dumps_pieces
from annotator.io.step_aside import StepAside
from annotator.model.annotation_set import AnnotationSet, Change
from annotator.project.journal import JournalBase, RecoveryJournal
from annotator.project.lock import AnnotationLock, LockHeld


@dataclass(frozen=True)
class DiskStamp:
    """What a file on disk looked like: modification time (ns), size (bytes) and SHA-256 of its bytes."""

    mtime_ns: int
    size: int
    sha256: str


def disk_stamp(path: Path, data: bytes | None = None, sha256: str | None = None) -> DiskStamp | None:
    """The stamp of ``path`` (``data``: its bytes when already known; ``sha256``: their SHA-256, hexadecimal, when
    already computed: trusted as it is, so it must be of exactly the bytes the caller read from ``path``), or ``None``
    when it does not exist."""
    try:
        info = path.stat()
        if data is None and sha256 is None:
            data = path.read_bytes()
    except OSError:
        return None
    return DiskStamp(info.st_mtime_ns, info.st_size, sha256 or hashlib.sha256(data or b"").hexdigest())


def same_content(a: DiskStamp | None, b: DiskStamp | None) -> bool:
    """Whether two stamps are of the same bytes (size and SHA-256; the modification time is ignored, so a touch or
    a save of identical bytes is no change). Two missing files (``None``) are the same; one missing is not."""
    if a is None or b is None:
        return a is b
    return (a.size, a.sha256) == (b.size, b.sha256)


PIECES_FROM = 8 * 1024 * 1024
"""From this estimated file size (bytes: the text's code points and 150 per span or suggestion) a save makes the file
in pieces from a snapshot and writes the journal's base ahead (:class:`SaveJob`), so it can run in another thread."""


def estimated_size(annotations: AnnotationSet) -> int:
    """A rough size of ``annotations``' file in bytes (the text's length and 150 per span or suggestion), cheap."""
    return len(annotations.text) + 150 * (len(annotations) + len(annotations.suggestions_by_id))


class _NotWritten(Exception):
    """The annotation file's write failed (its ``OSError`` is the cause) while its pieces were also being written to
    the journal's base, whose own faults are only remarks."""


class SaveJob:
    """One save of a :class:`DocumentSession`, in three steps: taken on the GUI thread
    (:meth:`DocumentSession.save_job`: the annotations as they are now, as bytes or, for a big file, a snapshot), run
    in any thread (:meth:`run`: the conflict check, the file made and written atomically, and for a big file the
    journal's next base written ahead from the same pieces), then finished on the GUI thread
    (:meth:`DocumentSession.finish_save`). :meth:`DocumentSession.save` does all three at once.

    Attributes
    ----------
    path: the file written; in_pieces: made in pieces (a big file).
    base_ahead: the journal's next base is written ahead by :meth:`run` (always in pieces; as bytes when asked: a
        save run in the background then leaves the GUI thread no base to write, only its header's keys).
    stamp: the stamp of what was written (after :meth:`run`; ``None`` if the file could not be read back); written:
        :meth:`run` wrote the file.
    """

    def __init__(self, session: DocumentSession, overwrite: bool, in_pieces: bool, base_ahead: bool = False) -> None:
        self.session = session
        self.path = session.save_path
        self.overwrite = overwrite
        self.in_pieces = in_pieces
        self.base_ahead = in_pieces or base_ahead
        self.changes = session.changes  # changes recorded so far: those after this one are not in the file
        self._data = None if in_pieces else annotation_file.dumps_bytes(session.annotations)
        self._snapshot = AnnotationsSnapshot.of(session.annotations) if in_pieces else None
        self.stamp: DiskStamp | None = None
        self.written = False  # run() wrote the file
        self.base: JournalBase | None = None
        self.data: bytes | None = None  # the bytes written, when not in pieces (the journal's next base)

    def run(self) -> None:
        """Check the file on disk and write it (any thread; the session's annotations are not read).

        Raises
        ------
        DiskConflict, FileFault
            As :meth:`DocumentSession.save` says; nothing is written then.
        """
        session = self.session
        if not self.overwrite and session.disk_changed(thorough=True):
            raise DiskConflict(self.path, deleted=session.stamp is not None and not self.path.exists())
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise FileFault(self.path, f"could not create its folder ({error.strerror or error})") from error
        digest = hashlib.sha256()
        if self._data is not None:
            atomic_write_bytes(self.path, self._data)
            digest.update(self._data)
            self.data = self._data
            if self.base_ahead and session.journal.is_open and not session.journal_fault:
                with contextlib.suppress(FileFault):  # the base's own fault: none ahead, written when finished
                    self.base = JournalBase.write(self._data, session.journal.path.parent)
        else:
            snapshot = self._snapshot
            assert snapshot is not None
            with atomic_writer(self.path) as handle:

                def written() -> Iterator[bytes]:
                    # in the background, beside the window: its making steps aside while the window runs Python
                    for piece in dumps_pieces(snapshot, step_aside=StepAside.for_this_thread()):
                        try:
                            handle.write(piece)
                        except OSError as error:  # the file's write, told apart from the base's
                            raise _NotWritten from error
                        digest.update(piece)
                        yield piece

                pieces = written()
                try:
                    if session.journal.is_open and not session.journal_fault:
                        with contextlib.suppress(FileFault):  # the base's own fault: none ahead, made later
                            self.base = JournalBase.write(pieces, session.journal.path.parent)
                    for _piece in pieces:  # the rest (all of it, without a base)
                        pass
                except _NotWritten as failed:
                    cause = failed.__cause__
                    assert isinstance(cause, OSError)
                    raise cause from None  # atomic_writer says why, and removes its temporary file
        self.written = True
        try:  # the stamp of what we wrote, not of whatever is there a moment later
            info = self.path.stat()
            self.stamp = DiskStamp(info.st_mtime_ns, info.st_size, digest.hexdigest())
        except OSError:
            self.stamp = None

    def written_json(self) -> JsonBytes | None:
        """What :meth:`run` wrote (``None`` before it ran): its bytes, or for a file made in pieces the same pieces
        made again from its snapshot, on the calling thread (1M spans: seconds; only where no base was written
        ahead)."""
        if self.data is not None:
            return self.data
        if not self.written or self._snapshot is None:
            return None
        return tuple(dumps_pieces(self._snapshot))


class _Dropped(Exception):
    """A base written ahead is no longer wanted (:meth:`_BaseAhead.drop`): its writing stops."""


class _BaseAhead:
    """The journal's next base made from a snapshot in pieces and written ahead to a file of its own, in a thread of
    its own (:class:`~annotator.project.journal.JournalBase`), for the next change to adopt: a big file's annotations
    replaced as they are saved (a suggestion refresh, :meth:`DocumentSession.replace_annotations` with ``unsaved``
    false) are neither serialized nor written on the GUI thread (1M spans: 2-3 s).

    Attributes: ``snapshot``, what the base holds."""

    def __init__(self, snapshot: AnnotationsSnapshot, folder: Path) -> None:
        self.snapshot = snapshot
        self._base: JournalBase | None = None
        self._dropped = False
        self._guard = threading.Lock()
        self._thread = threading.Thread(target=self._write, args=(folder,), name="journal-base-ahead", daemon=True)
        self._thread.start()

    def _write(self, folder: Path) -> None:
        def pieces() -> Iterator[bytes]:
            for piece in dumps_pieces(self.snapshot, step_aside=StepAside.for_this_thread()):  # beside the window
                if self._dropped:
                    raise _Dropped
                yield piece

        try:
            base = JournalBase.write(pieces(), folder)
        except Exception:  # dropped, or not written (FileFault): the bytes are made when needed
            return
        with self._guard:
            dropped, self._base = self._dropped, base
        if dropped:
            self.drop()

    def take(self) -> JournalBase | None:
        """The base written (once its thread is done: waits for it), or ``None`` when it could not be written. The
        caller adopts or discards it."""
        self._thread.join()
        with self._guard:
            self._dropped = True
            base, self._base = self._base, None
        return base

    def drop(self) -> None:
        """Not wanted any more: the writing stops and whatever was written is removed (any thread)."""
        with self._guard:
            self._dropped = True
            base, self._base = self._base, None
        if base is not None:
            base.discard()


class DiskConflict(Exception):
    """The annotation file changed on disk (another program, a git pull) since this session read or wrote it.

    ``str()`` is a plain-text message naming the file. Nothing was written.
    """

    def __init__(self, path: Path, deleted: bool = False) -> None:
        self.path = path
        self.deleted = deleted
        what = "was deleted" if deleted else "was changed by another program (or a git pull)"
        super().__init__(f"{path}: {what} since you opened it. Nothing was saved over it.")


class ReadOnlyError(Exception):
    """The session is read-only (another holds the file's lock); ``str()`` says who."""


class DocumentSession:
    """One open annotation file being edited.

    Parameters
    ----------
    annotations: the annotation set being edited (the UI's controller changes it; this session only saves it).
    save_path: the annotation file.
    annotator: who edits (named in the lock's owner record).
    text_path, project_root: where the document's text lives and its project, if any (kept in the journal).
    journal_folder: where recovery journals live (default :func:`~annotator.project.journal.recovery_folder`).
    use_lock: take the annotation file's lock (:class:`~annotator.project.lock.AnnotationLock`) in :meth:`start`.
    file_bytes: the annotation file's bytes that ``annotations`` were just parsed from, unchanged since: the journal's
        base is then those bytes, not the annotations serialized again (0.3 s at 100k spans); or, for a huge text,
        :func:`~annotator.io.json_pieces.dumps_pieces`'s pieces made off the GUI thread; or, for a huge open, those
        already written to disk off the GUI thread (a :class:`~annotator.project.journal.JournalBase`), which
        :meth:`start` makes the journal (so the first edit only appends a line, and the base's bytes are not kept in
        memory).
    read_stamp: the annotation file's stamp as it was read, when the caller knows it (a 1-tuple: ``(None,)`` when
        there was no file), so :meth:`start` need not hash the file (195 MB: 0.5 s on the GUI thread).

    Attributes
    ----------
    read_only_reason: why the file is open read-only (another holder of the lock), or ``""``.
    journal_fault: why crash recovery is off (the journal could not be written), or ``""``.
    dirty: there are changes not yet saved.
    last_saved: when this session last saved, or ``None``.
    """

    def __init__(
        self,
        annotations: AnnotationSet,
        save_path: Path,
        *,
        annotator: str,
        text_path: Path | None = None,
        project_root: Path | None = None,
        journal_folder: Path | None = None,
        use_lock: bool = True,
        file_bytes: JsonBytes | JsonWritten | None = None,
        read_stamp: tuple[DiskStamp | None] | None = None,
    ) -> None:
        self.annotations = annotations
        self.save_path = Path(save_path)
        self.annotator = annotator
        self.read_only_reason = ""
        self.journal_fault = ""
        self.dirty = False
        self.last_saved: datetime | None = None
        self._lock = AnnotationLock(self.save_path, annotator) if use_lock else None
        self.journal = RecoveryJournal(
            self.save_path,
            text_path=text_path,
            project_root=project_root,
            document_id=annotations.document_id,
            folder=journal_folder,
        )
        # the annotation file's bytes of the state the journal starts from, until its header holds them (then None)
        self._base_json: JsonBytes | None = None
        self._base_ahead: _BaseAhead | None = None  # or that base, being written ahead from a snapshot
        # restored work about to be saved, not journaled yet (restored_to_save): what its journal's header records
        self._unjournaled: tuple[AnnotationSet | None, Path | None] | None = None
        self._file_bytes = file_bytes
        self._read_stamp = read_stamp
        self.stamp: DiskStamp | None = None
        self.changes = 0  # changes recorded (and annotations replaced): a save tells which it holds
        self._since_job: list[tuple[Change, str]] | None = None  # changes recorded since the last save job was taken

    @property
    def text_path(self) -> Path | None:
        """The document's text file, when it has one."""
        return self.journal.text_path

    @property
    def read_only(self) -> bool:
        """Whether edits are refused (someone else holds the lock)."""
        return bool(self.read_only_reason)

    def start(self) -> list[str]:
        """Take the lock and open the journal; returns plain-text remarks for the user (e.g. a stale lock taken
        over, crash recovery being off). A lock held by someone else makes the session read-only (see
        :attr:`read_only_reason`); nothing raises."""
        remarks: list[str] = []
        written = self._file_bytes if isinstance(self._file_bytes, JournalBase) else None
        if self._lock is not None:
            try:
                remark = self._lock.acquire()
                if remark:
                    remarks.append(remark)
            except LockHeld as held:
                self.read_only_reason = str(held)
            except FileFault as error:
                self.read_only_reason = f"{error.message}; it opens read-only"
            except (OSError, ValueError, OverflowError) as error:  # defensive: a lock must never stop opening
                self.read_only_reason = f"{self.save_path}: could not be locked ({error}); it opens read-only"
        if self.read_only:
            remarks.append(self.read_only_reason)
        else:
            self._remove_stale_temporary_files()
            try:
                self.journal.open()
                if written is not None:  # the base written ahead becomes the journal: its header is in place now
                    self.journal.adopt(written)
            except FileFault as error:
                self.journal_fault = f"Crash recovery is off for this document: {error.message}"
                remarks.append(self.journal_fault)
        if written is not None:
            written.discard()  # adopted (then this does nothing), or not needed: a read-only session journals nothing
        self._read_base(self._file_bytes)
        if self._read_stamp is not None:
            self.stamp = self._read_stamp[0]
        self._file_bytes = self._read_stamp = None
        return remarks

    def retry_lock(self) -> bool:
        """For a read-only session: try the lock again (its holder may have closed the file). On success the session
        becomes writable and opens its journal (reloading the file, :meth:`reloaded`, is up to the caller); returns
        whether it did."""
        if not self.read_only or self._lock is None:
            return False
        try:
            self._lock.acquire()
        except (LockHeld, FileFault):
            return False
        self.read_only_reason = ""
        try:
            self.journal.open()
        except FileFault as error:
            self.journal_fault = f"Crash recovery is off for this document: {error.message}"
        # The base follows memory; the disk stamp stays as last read, so a file that changed meanwhile and cannot be
        # reloaded is treated as a conflict (a copy is kept), never silently saved over.
        self._drop_base_ahead()
        self._base_json = annotation_file.dumps_bytes(self.annotations)
        return True

    def _remove_stale_temporary_files(self) -> None:
        """Delete temporary files a killed save left beside the annotation file (``.<name>.<random>.tmp``, see
        :func:`~annotator.io.atomic.atomic_write_text`). Only the lock holder writes them, so with the lock taken
        any that exist are left over."""
        with contextlib.suppress(OSError):
            for leftover in self.save_path.parent.glob(f".{self.save_path.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    leftover.unlink()

    def _read_base(self, file_bytes: JsonBytes | JsonWritten | None = None) -> None:
        """Take the state in memory as the journal's base (what the next changes apply to; ``file_bytes``: the
        annotation file's bytes it was parsed from, if known) and remember how the file on disk looks now (to notice
        when someone else changes it), unless the caller gave the stamp as read."""
        self._drop_base_ahead()
        if file_bytes is not None and not isinstance(file_bytes, bytes | tuple):  # written ahead: see start
            self._base_json = file_bytes = None  # on disk, in the journal (or not needed: read-only)
        else:
            self._base_json = file_bytes if file_bytes is not None else annotation_file.dumps_bytes(self.annotations)
        if self._read_stamp is not None:
            return
        # the file's bytes as read, when known, are hashed rather than the file read again (195 MB: 0.5 s and more)
        self.stamp = disk_stamp(self.save_path, file_bytes if isinstance(file_bytes, bytes) else None)

    def record(self, change: Change, text: str) -> None:
        """Note a change just applied to :attr:`annotations` (``text``: its undo-stack name) in the journal.

        Journal failures are kept in :attr:`journal_fault` (the caller shows it once); they never stop editing.
        """
        self.dirty = True
        self.changes += 1
        if self._since_job is not None:
            self._since_job.append((change, text))
        if self.read_only or self.journal_fault:
            return
        try:
            if self._unjournaled is not None:  # restored work not saved (the save failed): journaled now, this
                self._journal_unsaved(*self._unjournaled)  # change included in its base
                self._unjournaled = None
                return
            self._adopt_base_ahead()
            if self._base_json is None and not self.journal.started:
                self._base_json = annotation_file.dumps_bytes(self.annotations)
            self.journal.record(self._base_json or b"", change, text)
            self._base_json = None  # the journal's header holds it now: not kept in memory
        except FileFault as error:
            self.journal_fault = f"Crash recovery is off for this document: {error.message}"

    def _adopt_base_ahead(self) -> None:
        """When a base is being written ahead (:class:`_BaseAhead`) and the journal has no header yet: start the
        journal on it (waiting for it to be written), or, when it could not be written, keep its bytes as the base.
        ``FileFault`` when the journal cannot be written."""
        ahead, self._base_ahead = self._base_ahead, None
        if ahead is None:
            return
        base = ahead.take()
        if self.journal.started or not self.journal.is_open:
            if base is not None:
                base.discard()
        elif base is not None:
            self.journal.adopt(base)
        else:
            self._base_json = tuple(dumps_pieces(ahead.snapshot))

    def _drop_base_ahead(self) -> None:
        """A base being written ahead is not wanted (another base, a save, a reload, the end)."""
        ahead, self._base_ahead = self._base_ahead, None
        if ahead is not None:
            ahead.drop()

    def back_to_saved(self) -> None:
        """The annotations are again as last saved (or as opened): undo returned to that state. Nothing is
        unsaved; the journal starts afresh from that state, so recovery never offers changes that add up to
        nothing."""
        self.dirty = False
        self._unjournaled = None
        if self.read_only or self.journal_fault or not self.journal.is_open:
            return
        try:
            if self.journal.started:  # cut back to its header, which holds the base: nothing serialized or rewritten
                self.journal.back_to_base()
            else:
                self.journal.clear()
                self._adopt_base_ahead()
                base = self._base_json
                if not self.journal.started:
                    self.journal.start(base if base is not None else annotation_file.dumps_bytes(self.annotations))
                self._base_json = None
        except FileFault as error:
            self.journal_fault = f"Crash recovery is off for this document: {error.message}"

    def replace_annotations(
        self,
        annotations: AnnotationSet,
        *,
        unsaved: bool = True,
        supersedes: Path | None = None,
        builds_on: AnnotationSet | None = None,
    ) -> None:
        """Continue with ``annotations`` (work restored after a crash, spans re-anchored on a changed text). With
        ``unsaved`` they count as unsaved changes and are journaled at once as the new base, so a crash before the
        next save still leaves them recoverable; without it they only become the base the next changes apply to.
        ``supersedes``: the crashed journal these annotations were restored from (recovery then offers this
        session's journal instead of both). ``builds_on``: the annotations of the file on disk that ``annotations``
        already include (:attr:`~annotator.project.restore.RestorePlan.builds_on`, or the file as opened), recorded
        in the journal so that if this session dies before saving, restoring its journal merges from that file and
        not from the unsaved state; ``None`` when unknown or unreadable (that restore then keeps a copy of whatever
        is on disk)."""
        self.annotations = annotations
        self.changes += 1
        self._drop_base_ahead()
        big = estimated_size(annotations) >= PIECES_FROM
        if not unsaved and big and not self.dirty and self.journal.is_open and not self.journal_fault:
            self._unjournaled = None
            self._base_json = None  # written ahead, in another thread, for the next change (no stall here)
            if self.journal.started:
                self.journal.clear()  # its header holds the former base
            self._base_ahead = _BaseAhead(AnnotationsSnapshot.of(annotations), self.journal.path.parent)
            return
        self._unjournaled = None
        if not unsaved:
            self._base_json = annotation_file.dumps_bytes(annotations)
            if self.journal.started and not self.dirty:
                self.journal.clear()  # its header holds the former base: the next change writes this one
            return
        self.dirty = True
        try:
            self._journal_unsaved(builds_on, supersedes)
        except FileFault as error:
            self.journal_fault = f"Crash recovery is off for this document: {error.message}"

    def restored_to_save(
        self, annotations: AnnotationSet, *, supersedes: Path | None = None, builds_on: AnnotationSet | None = None
    ) -> None:
        """:meth:`replace_annotations` (unsaved) for work restored from the crashed journal ``supersedes`` that is
        saved right after, without journaling it now: until that save works, the crashed journal (kept until then
        by the caller) holds the same work, so a crash meanwhile loses nothing, and a big document's restored state
        and the file it builds on are not serialized on the GUI thread (1M spans: 4-5 s) only to be replaced by the
        save's own base. Should a change come first (the save failed, or was not made), the journal is written
        then, as :meth:`replace_annotations` writes it, with that change in its base."""
        self.annotations = annotations
        self.changes += 1
        self._drop_base_ahead()
        self._base_json = None
        self.dirty = True
        if self.journal.started:
            self.journal.clear()  # its header holds the former base
        self._unjournaled = (builds_on, supersedes)

    def _journal_unsaved(self, builds_on: AnnotationSet | None, supersedes: Path | None) -> None:
        """Start the journal on :attr:`annotations` as unsaved work built on the file ``builds_on`` (version 2),
        superseding the crashed journal ``supersedes``: a header and the empty "restored" change that marks it
        unsaved. ``FileFault`` when the journal cannot be written."""
        self._base_json = annotation_file.dumps_bytes(self.annotations)
        if not self.journal.is_open:
            return
        self.journal.restart_on_unsaved(annotation_file.dumps_bytes(builds_on) if builds_on is not None else None)
        if supersedes is not None:
            self.journal.supersedes.append(supersedes)
        self.journal.record(self._base_json, Change(), "restored")
        self._base_json = None  # in the journal's header now

    def disk_changed(self, *, thorough: bool = False) -> bool:
        """Whether the annotation file on disk differs from what this session last read or wrote.

        Cheap when nothing changed (one ``stat``); the content is hashed only when time or size moved, so touching
        a file without changing it is not a change. ``thorough`` always hashes the content: :meth:`save` does, since
        on filesystems with coarse modification times (SMB, FAT: one or two seconds) a same-size edit can keep both.
        """
        try:
            info = self.save_path.stat()
        except OSError:
            return self.stamp is not None  # deleted
        stamp = self.stamp
        same_stat = stamp is not None and (info.st_mtime_ns, info.st_size) == (stamp.mtime_ns, stamp.size)
        if same_stat and not thorough:
            return False
        current = disk_stamp(self.save_path)
        if current is None:
            return self.stamp is not None
        if same_content(current, self.stamp):
            self.stamp = current  # touched, not changed
            return False
        return True

    def save(self, *, overwrite: bool = False) -> Path:
        """Write the annotations atomically to :attr:`save_path`, then start the journal afresh, with what was written
        as its base (a header and no changes): :meth:`save_job`, :meth:`SaveJob.run` and :meth:`finish_save` at once.

        Raises
        ------
        DiskConflict
            When the file changed on disk since it was read or written and ``overwrite`` is false: nothing is
            written (the user decides: reload, keep theirs as a copy and save, or compare).
        FileFault
            When writing fails (disk full, permission denied); the previous file is intact and the journal kept.
        ReadOnlyError
            When the session is read-only.
        """
        job = self.save_job(overwrite=overwrite)
        job.run()
        return self.finish_save(job)

    def save_job(self, *, overwrite: bool = False, in_pieces: bool | None = None, base_ahead: bool = False) -> SaveJob:
        """A save of the annotations as they are now, to run (:meth:`SaveJob.run`, any thread) and finish
        (:meth:`finish_save`). ``in_pieces``: made in pieces from a snapshot (default: from :data:`PIECES_FROM` on,
        by :func:`estimated_size`); ``base_ahead``: the journal's next base written by the run too (see
        :class:`SaveJob`). ``ReadOnlyError`` when the session is read-only."""
        if self.read_only:
            raise ReadOnlyError(self.read_only_reason)
        if in_pieces is None:
            in_pieces = estimated_size(self.annotations) >= PIECES_FROM
        self._since_job = []
        return SaveJob(self, overwrite, in_pieces, base_ahead)

    def finish_save(self, job: SaveJob) -> Path:
        """Take a save that ran (:meth:`SaveJob.run` returned): the file's new stamp and, unless changes were
        recorded since the job was taken (they are not in the file: the session stays unsaved), nothing unsaved and
        the journal started afresh on what was written (the base written ahead adopted, or the bytes written).
        Returns the path written.

        Changes recorded since the job was taken (a background save that does not hold edits) stay unsaved: the
        journal is then started afresh on what was written and those changes are journaled again on it, so that it
        holds the state in memory as changes to the file on disk (kept on its old base, a restore would merge the
        file as someone else's and bring back what such a change removed). Should anything but :meth:`record` have
        changed the annotations meanwhile, the journal keeps its old base and all its changes."""
        self.stamp = job.stamp
        self.last_saved = datetime.now()
        since, self._since_job = self._since_job, None
        if job.changes != self.changes:
            if since is not None and len(since) == self.changes - job.changes:
                self._journal_again(job, since)
            if job.base is not None:
                job.base.discard()  # adopted (then this does nothing), or not wanted
            return job.path
        self.dirty = False
        self._base_json = None
        self._unjournaled = None
        self._drop_base_ahead()
        self.journal.clear()
        if self.journal.is_open and not self.journal_fault:
            try:  # the header now, with what was just written: the next change only appends a line
                if job.base is not None:
                    self.journal.adopt(job.base)
                elif job.data is not None:
                    self.journal.start(job.data)
            except FileFault as error:
                self.journal_fault = f"Crash recovery is off for this document: {error.message}"
        if job.base is not None:
            job.base.discard()  # adopted (then this does nothing), or not wanted
        if not self.journal.started:  # kept for the journal's header, should it be written later
            self._base_json = job.data
            if job.data is None and self.journal.is_open and not self.journal_fault:  # no base ahead: made here
                self._base_json = annotation_file.dumps_bytes(self.annotations)
        return job.path

    def _journal_again(self, job: SaveJob, since: list[tuple[Change, str]]) -> None:
        """Start the journal afresh on what ``job`` wrote, then journal ``since`` (the changes recorded after it was
        taken) again: the file on disk plus the journal are the state in memory."""
        if self.read_only or self.journal_fault or not self.journal.is_open:
            return
        written = None if job.base is not None else job.written_json()  # (no base ahead: its write failed)
        if job.base is None and written is None:
            return
        self._drop_base_ahead()
        self._base_json = None
        self._unjournaled = None  # (journaled by the first of those changes: the file written holds it)
        self.journal.clear()
        try:
            if job.base is not None:
                self.journal.adopt(job.base)
            else:
                assert written is not None
                self.journal.start(written)
            for change, text in since:
                self.journal.record(b"", change, text)
        except FileFault as error:
            self.journal_fault = f"Crash recovery is off for this document: {error.message}"

    def disk_version(self) -> AnnotationSet:
        """The annotation file as it is on disk now (``FileFault`` when missing or invalid)."""
        return annotation_file.load(self.save_path)

    def keep_disk_copy(self) -> Path:
        """Copy the file as it is on disk, byte for byte, to ``<name>.conflict-<YYYYmmdd-HHMMSS-ffffff>.json`` beside
        it (atomically), so saving over it loses nothing; returns the copy's path. ``FileFault`` if that fails."""
        stem = self.save_path.name.removesuffix(annotation_file.ANNOTATION_SUFFIX)
        try:
            data = self.save_path.read_bytes()
        except OSError as error:
            raise FileFault(self.save_path, f"could not read it to keep a copy ({error.strerror or error})") from error
        while True:
            copy = self.save_path.with_name(f"{stem}.conflict-{datetime.now():%Y%m%d-%H%M%S-%f}.json")
            if not copy.exists():
                break
        atomic_write_bytes(copy, data)
        return copy

    def reloaded(self) -> AnnotationSet:
        """Load the file from disk and make it the session's state (unsaved changes are dropped, the journal
        emptied). ``FileFault`` if it cannot be loaded (the session is unchanged)."""
        annotations, data = annotation_file.load_with_bytes(self.save_path)
        self.annotations = annotations
        self._read_base(data)
        self.dirty = False
        self._unjournaled = None
        self.journal.clear()
        self.journal.supersedes.clear()  # the state now is the file's: it holds no restored journal's work
        return annotations

    def close(self, *, keep_journal: bool = False) -> None:
        """End the session: remove the journal (unless ``keep_journal``) and release the lock."""
        self._drop_base_ahead()
        if keep_journal:
            self.journal.release()
        else:
            self.journal.close()
        if self._lock is not None:
            self._lock.release()
