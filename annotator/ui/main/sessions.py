"""The open document's editing session (the Qt side of :mod:`annotator.project.session`): saving and autosave, the
lock's read-only mode, the annotation file changed on disk, and leaving a document with unsaved work.

One notion of "unsaved": the session's (:attr:`DocumentSession.dirty`, set by every recorded change, cleared by every
save), which saving, autosave, leaving a document and the window's ``[*]`` all read. The undo stack only informs it:
an undo or redo back to the stack's clean state (the state last saved) clears it, and a change made outside the undo
stack (restored or re-anchored work) removes the stack's clean state until the next save.

A big document (:data:`~annotator.project.session.PIECES_FROM`) is saved by Ctrl+S and the autosave timer in a worker
thread (:class:`~annotator.project.session.SaveJob`): the file is made in pieces from a snapshot and written
atomically while the window keeps running, edits are held (the controller refuses them, saying so) and the status
bar says "Saving X…" until it is written; then the session is updated on the GUI thread. Every document's
autosave runs in that worker too, without holding edits (a big document's held them for seconds: 1M spans, 3-4 s
after each autosave; its status bar still says "Saving X…"): a small document's file is serialized on the GUI
thread (some 15 ms at 10k spans), a big one's made from a snapshot, and written, fsynced, with the journal's next
base, by the worker, so neither a slow disk nor the suggesters' threads running beside the write stall the window (an
autosave written on the window's thread took up to 0.15 s beside the suggesters at 1 MB / 10k spans). A change made
meanwhile stays unsaved, journaled again on what was written
(:meth:`~annotator.project.session.DocumentSession.finish_save`), and is saved by the next autosave; an undo back to
the state last saved leaves the undo stack no clean state (what is being written holds the change it took back). A
conflict or a failure found by it is handled as a direct save's, and tried again with the next change. A Ctrl+S made
while a big document's autosave is written saves again when it ends (the window does not wait); every other save
(Ctrl+S on a small document, leaving the document, a save the caller needs done) waits for one under way, then saves
at once.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.io.annotation_file import ANNOTATION_SUFFIX
from annotator.io.errors import FileFault
from annotator.io.settings import Settings
from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.compare import diff_annotations
from annotator.project.journal import Recoverable
from annotator.project.session import (
    PIECES_FROM,
    DiskConflict,
    DiskStamp,
    DocumentSession,
    SaveJob,
    disk_stamp,
    estimated_size,
)
from annotator.ui.controller import AnnotationController
from annotator.ui.dialogs.questions import Questions
from annotator.ui.main.notices import Notices
from annotator.ui.main.workers import let_go, when_done
from annotator.ui.plain_text import NameSafeStatusBar
from annotator.ui.timing import AUTOSAVE_DELAY_MS, DISK_CHECK_MS, STATUS_TIMEOUT_MS


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (compared resolved; an existing pair also by inode)."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


class DocumentSessions(QObject):
    """The open document's :class:`DocumentSession` (:attr:`session`), saved, autosaved and watched on disk.

    Parameters
    ----------
    controller: the annotation controller (its annotations are what is saved).
    settings, save_settings: the settings (``autosave``) and how to write them.
    annotator: the user's name, written into new files.
    questions: asks save/discard/cancel, what to do about a file changed on disk, where to save.
    notices, status: message boxes and the status bar.
    show: shows annotations (and their save path) in every view, with a fresh undo history.
    commit_edits: commits an edit in progress (the span panel's note) before saving or leaving.
    project_root: the open project's folder, or ``None``.

    Signals
    -------
    state_changed(): saved, read-only or not, another session: the window's title is stale.
    entry_changed(): the open document's file or unsaved state changed: its row in the document list is stale.
    read_only_changed(str): why the document is read-only (``""``: it is editable).
    lock_taken(str): a read-only session got the file's lock; the message says what happened so far.
    leaving(): the open document is about to be left (its position may be remembered).

    Attributes
    ----------
    saving: the save running in the background, or ``None``; save_executor: runs it (default: one worker thread;
        tests pass one that runs it when told).
    """

    state_changed = Signal()
    entry_changed = Signal()
    read_only_changed = Signal(str)
    lock_taken = Signal(str)
    leaving = Signal()
    _save_done = Signal(object, object)  # (job, future): a background save ended; queued to the GUI thread

    def __init__(
        self,
        controller: AnnotationController,
        settings: Settings,
        save_settings: Callable[[], None],
        annotator: str,
        questions: Questions,
        notices: Notices,
        status: NameSafeStatusBar,
        show: Callable[[AnnotationSet, Path | None], None],
        commit_edits: Callable[[], None],
        project_root: Callable[[], Path | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self._save_settings = save_settings
        self.annotator = annotator
        self.questions = questions
        self.notices = notices
        self.status = status
        self._show = show
        self._commit_edits = commit_edits
        self.project_root = project_root
        self.session: DocumentSession | None = None
        self.deferred_stamp: DiskStamp | None = None  # a version on disk the user chose to decide about later
        self.pending_restore: Recoverable | None = None  # restored work not saved yet: its journal is kept till then
        self._in_conflict = False
        self._save_fault_shown = False
        self._journal_fault_shown = False
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self._autosave_in_background)
        self.saving: SaveJob | None = None
        self.save_executor: Executor | None = None
        self._saving_future: Future | None = None
        self._saving_quiet = False
        self._saving_held = False  # the save under way holds edits (a big document's Ctrl+S)
        self._save_after: bool | None = None  # a save asked for while a big autosave is written: quiet (an
        # autosave: True) or not (Ctrl+S: False)
        self._held_reason = ""  # the controller's read-only reason before a background save held edits
        self._save_done.connect(self._on_save_done)
        self.disk_timer = QTimer(self)
        self.disk_timer.setInterval(DISK_CHECK_MS)
        self.disk_timer.timeout.connect(self.check_disk)
        self.disk_timer.start()
        controller.changed.connect(self._record)
        controller.undo_stack.cleanChanged.connect(self._on_clean_changed)

    @property
    def unsaved(self) -> bool:
        """Whether the open document has changes not saved yet (and may save them: not read-only)."""
        session = self.session
        return session is not None and session.dirty and not session.read_only

    def start(self, session: DocumentSession) -> list[str]:
        """Make ``session`` the open document's (after closing the one open) and start it (lock, journal);
        returns its remarks for the status bar."""
        self.close()
        self.session = session
        self.deferred_stamp = None
        return session.start()

    def _record(self, change: Change) -> None:
        """Journal ``change`` and start the autosave timer (not restarted by later changes: on disk within two
        seconds)."""
        session = self.session
        if session is None:
            return
        if self.controller.refreshing_suggestions and not session.dirty:
            session.replace_annotations(session.annotations, unsaved=False)  # fresh suggestions are no unsaved work
            return
        was_unsaved = self.unsaved
        session.record(change, "")
        if self.unsaved != was_unsaved:
            self.state_changed.emit()  # the title's "*" follows this one notion of unsaved
        if self.settings.autosave and not self.autosave_timer.isActive():
            self.autosave_timer.start()
        if session.journal_fault and not self._journal_fault_shown:
            self._journal_fault_shown = True
            self.notices.show_message("Crash recovery is off", session.journal_fault)

    def _on_clean_changed(self, clean: bool) -> None:
        """Undo or redo returned to the state last saved (the undo stack's clean state): nothing is unsaved any more.
        Clearing the stack (another document) is not such a return; work restored or re-anchored at opening is
        unsaved until saved (:meth:`unsaved_outside_undo` leaves the stack's clean state for good)."""
        session = self.session
        if not clean or session is None or not session.dirty or session.read_only:
            return  # (also while the window is torn down: the stack may be gone)
        if self.saving is not None and not self._saving_held:
            # an autosave being written holds the change this undo took back: the state on disk once it is written
            # is not this one (still unsaved; the next autosave saves it), and no undo step is the state on disk
            self.controller.undo_stack.resetClean()
            return
        try:
            returned = self.controller.undo_stack.count() > 0  # a stack just cleared (another document) did not
        except RuntimeError:  # the window is being torn down
            return
        if returned:
            session.back_to_saved()
            self.autosave_timer.stop()
            self.state_changed.emit()
            self.entry_changed.emit()

    def unsaved_outside_undo(self) -> None:
        """The open document changed other than by an undo step (work restored, spans re-anchored): no undo or redo
        can return it to the state on disk, so the undo stack has no clean state until the next save."""
        self.controller.undo_stack.resetClean()

    def save(self, *, wait: bool = False) -> bool:
        """Save to the current annotation file (``X.annotations.json`` beside ``X.txt``, or the project's
        ``annotations/<annotator>/`` file), with no dialog. A big document is saved in the background unless
        ``wait`` (then ``True`` means the save started)."""
        if self.controller.annotations is None:
            return False
        self._commit_edits()
        if self.session is None:
            return self.save_as()
        return self.save_session(quiet=False, background=not wait)

    def save_as(self) -> bool:
        """Ask where to save, then save there (later saves go there too)."""
        if self.controller.annotations is None:
            return False
        self._commit_edits()
        start = str(self.controller.save_path or "")
        path = self.questions.save_file("Save annotations as", start, f"Annotations (*{ANNOTATION_SUFFIX})")
        return self.save_to(path) if path else False

    def save_to(self, path: Path) -> bool:
        """Save the open annotations to ``path``. Outside a project ``path`` becomes the document's annotation
        file (new lock and journal); in a project the document's file stays where the project keeps it and
        ``path`` gets a copy."""
        annotations = self.controller.annotations
        if annotations is None:
            return False
        self.wait_for_save()
        if self.session is not None and self.session.save_path.absolute() == path.absolute():
            return self.save_session(quiet=False)
        session = DocumentSession(annotations, path, annotator=self.annotator, text_path=None)
        remarks = session.start()
        if session.read_only:
            session.close()
            self.notices.show_message("Could not save", " ".join(remarks))
            return False
        try:
            session.save(overwrite=True)
        except FileFault as error:
            session.close()
            self.notices.show_message("Could not save", error.message)
            return False
        spans, links = _count(len(annotations), "span"), _count(annotations.relation_count, "link")
        saved = f"Saved {spans} and {links} to {path.name}."
        if self.project_root() is not None and self.session is not None:
            session.close()  # a copy: the project's file stays the document's file
            self.status.showMessage(f"{saved} (a copy; the project's file is unchanged)", STATUS_TIMEOUT_MS)
            return True
        self.close()
        self.session = session
        self.controller.save_path = path
        self.controller.undo_stack.setClean()
        self.apply_read_only()
        self.state_changed.emit()
        self.status.showMessage(saved, STATUS_TIMEOUT_MS)
        return True

    def save_session(
        self, *, quiet: bool, overwrite: bool = False, background: bool = False, autosaving: bool = False
    ) -> bool:
        """Write the open document's annotation file. A file changed on disk since it was read is never
        overwritten: the user chooses (see :meth:`resolve_conflict`). A failed write keeps the old file and the
        recovery journal and says why (once, while autosaving). With ``background``, a big document is saved in a
        worker thread, edits held, and with ``autosaving`` any document, edits not held (the module docstring;
        ``True`` then means it started, or one is under way, or one is asked for when it ends); otherwise a save
        under way is waited for first."""
        session = self.session
        annotations = self.controller.annotations
        if session is None or annotations is None:
            return False
        if self.saving is not None:
            if background and (autosaving or self._saving_held):
                return True  # one is under way: "Saving X…" shows, edits are held (or the next autosave follows)
            if background and self.saving.in_pieces:  # Ctrl+S while a big document's autosave is written (seconds):
                self._save_after = quiet if self._save_after is None else self._save_after and quiet
                return True  # saved again when it ends (:meth:`_on_save_done`), the window not waiting for it
            self.wait_for_save()
        if session.read_only:
            if not quiet:
                self.status.showMessage(session.read_only_reason, STATUS_TIMEOUT_MS)
            return False
        big = estimated_size(annotations) >= PIECES_FROM
        if background and autosaving:
            job = session.save_job(overwrite=overwrite, in_pieces=big, base_ahead=True)
            self._save_in_background(job, quiet, hold=False)
            return True
        if background and big:
            self._save_in_background(session.save_job(overwrite=overwrite, in_pieces=True), quiet)
            return True
        try:
            path = session.save(overwrite=overwrite)
        except DiskConflict:
            return self.resolve_conflict()
        except FileFault as error:
            self._not_saved(error, quiet)
            return False
        return self._saved(path, quiet)

    def _not_saved(self, error: FileFault, quiet: bool) -> None:
        if not quiet or not self._save_fault_shown:
            self._save_fault_shown = True
            self.notices.show_message(
                "Could not save",
                f"{error.message}\n\nYour work is not lost: it is kept in the recovery journal, and saving is "
                "tried again with your next change.",
            )
        self.status.showMessage(f"Not saved: {error.message}", STATUS_TIMEOUT_MS)

    def _save_in_background(self, job: SaveJob, quiet: bool, *, hold: bool = True) -> None:
        """Run ``job`` in the save worker; with ``hold``, edits are held until it ends (:meth:`_on_save_done`) and
        the status bar says so."""
        self.saving, self._saving_quiet, self._saving_held = job, quiet, hold
        if hold:
            self._held_reason = self.controller.read_only_reason
            self.controller.read_only_reason = _held(job)
        if hold or job.in_pieces:  # (a big file takes seconds: said even when edits go on)
            self.status.showMessage(f"Saving {job.path.name}…")
        if self.save_executor is None:
            self.save_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="save")
        self._saving_future = future = self.save_executor.submit(job.run)

        future.add_done_callback(when_done(lambda ended: self._save_done.emit(job, ended)))

    def wait_for_save(self) -> None:
        """Wait for the save under way in the background, if any, and take its outcome (blocks the window)."""
        job, future = self.saving, self._saving_future
        if job is not None and future is not None:
            wait_for([future])
            self._save_after = None  # (the waiting caller saves next, if it must)
            self._on_save_done(job, future)

    def _on_save_done(self, job: SaveJob, future: Future) -> None:
        """A background save ended: edits are let through again and the session takes what was written (or the
        conflict or fault is handled as a direct save's)."""
        if self.saving is not job:
            return  # taken already (waited for)
        self.saving = self._saving_future = None
        after, self._save_after = self._save_after, None
        if self.controller.read_only_reason == _held(job):  # (not changed meanwhile, e.g. the lock lost)
            self.controller.read_only_reason = self._held_reason
        if self.status.currentMessage() == f"Saving {job.path.name}…":
            self.status.clearMessage()
        session = self.session
        if session is not job.session:
            return  # (cannot happen: leaving a document waits for its save)
        quiet = self._saving_quiet and after is not False  # (a Ctrl+S asked for meanwhile is told the outcome)
        error = future.exception()
        if isinstance(error, DiskConflict):
            self.resolve_conflict()
        elif isinstance(error, FileFault):
            self._not_saved(error, quiet)
        elif error is not None:
            self._not_saved(FileFault(job.path, f"could not be saved ({type(error).__name__}: {error})"), False)
        else:
            path = session.finish_save(job)
            if after is not None and session.dirty:  # a save asked for while it was written, for the changes since
                self._saved(path, self._saving_quiet)
                self.save_session(quiet=after, background=True, autosaving=after)  # (Ctrl+S's: loud, edits held)
                return
            self._saved(path, quiet)
            if self.settings.autosave and self.unsaved and not self.autosave_timer.isActive():
                self.autosave_timer.start()  # changes made while it was written (their autosave found it running)

    def _saved(self, path: Path, quiet: bool) -> bool:
        """After a save that worked: the window's state, the restored journal it makes obsolete, the status bar."""
        annotations = self.controller.annotations
        self._save_fault_shown = False
        self.deferred_stamp = None
        pending = self.pending_restore
        if pending is not None and pending.annotation_path == path.absolute():
            pending.discard()  # the restored work is on disk now
            self.pending_restore = None
        self.controller.save_path = path
        if self.session is not None and self.session.dirty:  # changes made while it was written in the background:
            self.controller.undo_stack.resetClean()  # no undo step is the state on disk (none must clear "unsaved")
        else:
            self.controller.undo_stack.setClean()
        self.state_changed.emit()
        self.entry_changed.emit()
        if not quiet and annotations is not None:
            self.status.showMessage(
                f"Saved {_count(len(annotations), 'span')} and {_count(annotations.relation_count, 'link')} to "
                f"{path.name}.",
                STATUS_TIMEOUT_MS,
            )
        return True

    def autosave(self) -> None:
        """Save unsaved changes now (the autosave timer saves within two seconds of a change); a big document in the
        background, as its autosave (after one under way: the window never waits seconds for it)."""
        self.autosave_timer.stop()
        annotations = self.controller.annotations
        if self.unsaved and not self._in_conflict and annotations is not None:
            big = estimated_size(annotations) >= PIECES_FROM
            if big and self.saving is not None and not self._saving_held and self._save_after is None:
                self._save_after = True  # its end saves the changes since (autosave on or off), quietly
            self.save_session(quiet=True, background=big, autosaving=big)

    def _autosave_in_background(self) -> None:
        self.autosave_timer.stop()
        if self.unsaved and not self._in_conflict:
            self.save_session(quiet=True, background=True, autosaving=True)

    def set_autosave(self, on: bool) -> None:
        """Turn autosave on or off (remembered); the recovery journal keeps working either way."""
        self.settings.autosave = on
        self._save_settings()
        if on:
            self.autosave()
        self.status.showMessage(
            "Autosave on: every change is saved within two seconds."
            if on
            else "Autosave off: Ctrl+S saves; unsaved work is still journaled for crash recovery.",
            STATUS_TIMEOUT_MS,
        )

    def check_disk(self) -> None:
        """Notice when the open annotation file was changed on disk by someone else (see :meth:`resolve_conflict`),
        or, read-only, when the lock's holder let go (then :attr:`lock_taken` is emitted)."""
        session = self.session
        if session is None or self._in_conflict or self.saving is not None:
            return  # (while a save runs, the file is being written by it)
        if session.read_only:
            if session.retry_lock():  # its holder let go (or crashed): take it over, as it is on disk now
                self.apply_read_only()
                message = f"{session.save_path.name} is free now: you can edit it."
                if session.save_path.exists():
                    self.reload(f"{message} Reloaded it from disk.")
                self.lock_taken.emit(message)
            return
        if session.disk_changed():
            if self.deferred_stamp is not None and disk_stamp(session.save_path) == self.deferred_stamp:
                return  # the user chose to decide later about this very version
            self.resolve_conflict()

    def resolve_conflict(self) -> bool:
        """The annotation file changed on disk: reload it (silently when nothing here is unsaved), keep mine
        (theirs saved as a copy first), or compare. Returns whether the file on disk is now ours."""
        session = self.session
        if session is None or self._in_conflict:
            return False
        self._in_conflict = True
        self.autosave_timer.stop()
        name = session.save_path.name
        try:
            if not session.save_path.exists():
                saved = self.save_session(quiet=True, overwrite=True)
                self.status.showMessage(f"{name} was deleted on disk; your annotations were saved again.")
                return saved
            if not session.dirty:
                reloaded = self.reload(f"{name} was changed on disk; reloaded it (nothing here was unsaved).")
                if not reloaded:
                    self.deferred_stamp = disk_stamp(session.save_path)  # one message per version
                return reloaded
            while True:
                choice = self.questions.conflict(name, unsaved=True)
                if choice == "compare":
                    try:
                        diff = diff_annotations(session.annotations, session.disk_version())
                    except FileFault as error:
                        self.notices.show_message("Could not read the file on disk", error.message)
                        continue
                    self.questions.show_comparison(name, diff)
                    continue
                if choice == "reload":
                    return self.reload(f"Reloaded {name} from disk.")
                if choice == "keep_mine":
                    try:
                        copy = session.keep_disk_copy()
                    except FileFault as error:
                        self.notices.show_message("Could not keep a copy", error.message)
                        return False
                    saved = self.save_session(quiet=False, overwrite=True)
                    if saved:
                        self.status.showMessage(
                            f"Saved yours; the version that was on disk is kept as {copy.name}.", STATUS_TIMEOUT_MS * 2
                        )
                    return saved
                self.deferred_stamp = disk_stamp(session.save_path)  # not asked again until it changes again
                self.status.showMessage(
                    f"{name} changed on disk: not saving until you decide (the next change asks again).",
                    STATUS_TIMEOUT_MS * 2,
                )
                return False
        finally:
            self._in_conflict = False

    def apply_read_only(self) -> None:
        """Refuse every edit while another holds the file's lock (the controller says why), and tell the window
        (:attr:`read_only_changed`)."""
        session = self.session
        holder = session.read_only_reason if session is not None else ""
        self.controller.read_only_reason = f"Read-only: {holder}" if holder else ""
        self.read_only_changed.emit(holder)

    def reload(self, message: str) -> bool:
        """Show the open file as it is on disk now (its session takes it as the new base); says ``message``."""
        session = self.session
        if session is None:
            return False
        try:
            annotations = session.reloaded()
        except FileFault as error:
            self.notices.show_message("Could not reload", error.message)
            return False
        self.deferred_stamp = None
        self.pending_restore = None  # not saved into the file now shown: its journal stays and is offered again
        self._show(annotations, session.save_path)
        self.entry_changed.emit()
        self.status.showMessage(message, STATUS_TIMEOUT_MS * 2)
        return True

    def maybe_discard(self) -> bool:
        """Before leaving the open document: ``True`` when nothing is unsaved, or it was saved (autosave, or the
        user chose Save), or the user chose to discard it; ``False`` to stay."""
        self._commit_edits()
        self.leaving.emit()
        if self.controller.annotations is None or not self.unsaved:
            self.close()
            return True
        if self.settings.autosave and self.save_session(quiet=True):
            self.close()
            return True
        name = self.controller.save_path.name if self.controller.save_path else "this document"
        answer = self.questions.unsaved(name)
        if answer == "save":
            if not self.save(wait=True):
                return False
            self.close()
            return True
        if answer == "discard":
            self.close()
            return True
        return False

    def close(self) -> None:
        """End the open document's session: release its lock and remove its journal (its work is saved or was
        discarded on purpose). A save under way is waited for first. A crashed journal whose restored work this
        session had not saved yet (:attr:`pending_restore`) is kept, and forgotten here: a later save, of another
        session, must not delete it (it is offered again)."""
        self.wait_for_save()
        self.autosave_timer.stop()  # (after the wait: a save's end starts it for changes made meanwhile)
        self.pending_restore = None
        if self.session is not None:
            self.session.close()
            self.session = None

    def shut_down(self) -> None:
        """The window closes (its session closed, so no save is under way): the save worker thread is let go."""
        executor, self.save_executor = self.save_executor, None
        let_go(executor)


def _held(job: SaveJob) -> str:
    """Why edits are refused while ``job`` saves in the background (the controller says it)."""
    return f"Saving {job.path.name}…: edits wait until it is written"


def _count(number: int, noun: str) -> str:
    """``"1 span"``, ``"2 spans"``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
