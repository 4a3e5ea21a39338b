"""Opening a document into an editing session, and restoring the unsaved work of crashed sessions (the Qt side of
:mod:`annotator.project.journal` and :mod:`annotator.project.restore`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.io.errors import FileFault
from annotator.io.gc_pause import garbage_collection_paused, sweep_kept
from annotator.io.opening import OpenedDocument
from annotator.io.settings import ProjectMemory, Settings
from annotator.io.source_record import with_source_record
from annotator.model.annotation_set import AnnotationSet
from annotator.model.reanchor import reanchor_annotations
from annotator.project.journal import (
    Recoverable,
    UnreadableJournal,
    huge_journals,
    journal_bytes,
    recoverable_for,
    scan_journals,
)
from annotator.project.restore import RestorePlan, plan_restore, restore_to_file
from annotator.project.session import PIECES_FROM, DiskStamp, DocumentSession, ReadOnlyError, estimated_size
from annotator.ui.dialogs.questions import Questions
from annotator.ui.document.document_view import DocumentView
from annotator.ui.main.notices import Notices
from annotator.ui.main.sessions import DocumentSessions, same_file
from annotator.ui.plain_text import NameSafeStatusBar, shown_name
from annotator.ui.timing import STATUS_TIMEOUT_MS

SWEEP_AFTER_MS = 1000
"""How long after the last document opened the frozen garbage is swept (:func:`~annotator.io.gc_pause.sweep_kept`):
not in the open's own turn, once its first paints are done, and once for documents opened one after another (Next
Document pressed in a row)."""

HUGE_JOURNAL_BYTES = 8 * 1024 * 1024
"""Journals of more bytes (a base of a file the app opens in steps, :data:`~annotator.ui.main.large_opening.
LARGE_BYTES`) are not read at start-up nor by File → Recover Unsaved Work…: their work is read when their file opens."""


def _big(annotations: AnnotationSet) -> bool:
    """Whether ``annotations`` make a big file (:data:`~annotator.project.session.PIECES_FROM`): restored work is
    then saved in the background, and not journaled before that save (see
    :meth:`~annotator.project.session.DocumentSession.restored_to_save`)."""
    return estimated_size(annotations) >= PIECES_FROM


def _restored_remark(recoverable: Recoverable, plan: RestorePlan) -> str:
    """ "Restored 3 unsaved changes (2 spans added, …)" ("Restored the unsaved work restored earlier (…)" for a
    journal left by a restore that did not save), plus whether they were merged with a newer file."""
    count = recoverable.change_count
    what = f"{count} unsaved change{'' if count == 1 else 's'}"
    if recoverable.restored_earlier:
        what = "the unsaved work restored earlier" + (
            f" and {count} change{'' if count == 1 else 's'} since" if count else ""
        )
    merged = ", merged with the version saved since" if plan.merged else ""
    return f"Restored {what} ({recoverable.diff.summary()}){merged}"


class DocumentOpener(QObject):
    """Puts an opened document into a new session of ``sessions`` (offering the work a crash left for it, and
    re-anchoring spans on a changed text), and offers the journals of crashed sessions at start-up and from File →
    Recover Unsaved Work….

    Parameters
    ----------
    sessions: the open document's sessions (whose session each opened document gets).
    settings: the settings (a restored project's last document is remembered there).
    annotator: the user's name.
    questions: asks restore/later/discard, about unreadable journals, and whether to re-anchor.
    notices, status, view: messages, the status bar, and the document view (scrolled and focused on opening).
    show: shows annotations (and their save path) in every view.
    adopt_label_set: ``(annotations, file name) -> remark``: the label set freshly opened annotations keep.
    open_path: opens a file or folder (what recovery restored, when nothing is open).

    Attributes
    ----------
    checked_recovery: ``opened -> (found,) | None``: the crash journal's unsaved work for an opened document's file,
        when already read off the GUI thread (:meth:`~annotator.ui.main.large_opening.LargeOpening.recovery_of`, set
        by the window); ``None``: read here, when the document is installed.

    Signals
    -------
    opened(OpenedDocument): a document was put into a session and shown.
    """

    opened = Signal(object)

    def __init__(
        self,
        sessions: DocumentSessions,
        settings: Settings,
        annotator: str,
        questions: Questions,
        notices: Notices,
        status: NameSafeStatusBar,
        view: DocumentView,
        show: Callable[[AnnotationSet, Path | None], None],
        adopt_label_set: Callable[[AnnotationSet, str], str],
        open_path: Callable[[Path], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self.settings = settings
        self.annotator = annotator
        self.questions = questions
        self.notices = notices
        self.status = status
        self.view = view
        self._show = show
        self._adopt_label_set = adopt_label_set
        self._open_path = open_path
        self.deferred_journals: set[Path] = set()  # crash journals the user chose to decide about later (this run)
        self._restored_saves: dict[Path, datetime | None] = {}  # files recovery saved at start-up, and when
        self.checked_recovery: Callable[[OpenedDocument], tuple[Recoverable | None] | None] = lambda opened: None
        self._huge_told: set[Path] = set()  # files whose huge journal the status bar named (once a run)
        self._huge_notice = ""  # what it said, until a document is opened
        self._sweep = QTimer(self)  # restarted by each open: documents opened one after another are swept once
        self._sweep.setSingleShot(True)
        self._sweep.timeout.connect(lambda: sweep_kept())
        sessions.lock_taken.connect(self._on_lock_taken)

    def install(self, opened: OpenedDocument, stamp: DiskStamp | None, file_name: str, top_offset: int = 0) -> bool:
        """Make ``opened`` the open document and show it: start its session (lock, journal), offer the unsaved work a
        crash left for it, re-anchor the spans if the text changed since they were made (after asking), and save
        what those steps changed. ``stamp``: the annotation file as it was when ``opened`` was read (``None``: there
        was none), so a change since then is noticed; ``top_offset``: the code point to scroll to the top."""
        self.sessions.close()
        save_path = opened.save_path
        # The text file as it is now (None when an annotation file was opened on its own).
        current = opened.text_document if opened.text_mismatch else None
        if current is None and opened.text_path is not None:
            current = opened.annotations.document
        annotations = opened.annotations
        session = DocumentSession(
            annotations,
            save_path,
            annotator=self.annotator,
            text_path=opened.text_path,
            project_root=self.sessions.project_root(),
            file_bytes=opened.file_bytes,
            use_lock=not opened.owner,
            read_stamp=(stamp,),  # set as read below: not hashed again on the GUI thread
        )
        if opened.owner:  # another annotator's file: read-only until the user chooses (the bar above the text)
            session.read_only_reason = (
                f"{save_path.name} is {opened.owner}'s annotation file: choose Edit as Yourself or Make My Own Copy "
                "in the bar above the text to annotate"
            )
        remarks = self.sessions.start(session)
        session.last_saved = self._restored_saves.pop(save_path.absolute(), None)  # restored at start-up
        session.stamp = stamp
        notice = opened.notice
        recoverable = self._take_recoverable(session, self.checked_recovery(opened))
        plan = plan_restore(recoverable) if recoverable is not None else None
        if recoverable is not None and plan is not None:
            annotations = plan.annotations
            notice = _restored_remark(recoverable, plan)
        reanchored = False
        if current is not None and annotations.document.sha256 != current.sha256:
            moved, result = reanchor_annotations(annotations, current)
            text_name = opened.text_path.name if opened.text_path else file_name
            if self.questions.reanchor(save_path.name, text_name, result):
                annotations, reanchored = moved, True
                if opened.source is not None:  # a converted document: the annotations now name the new original
                    annotations.metadata = with_source_record(annotations.metadata, opened.source)
                notice = f"{notice}; " if recoverable else ""
                notice += f"Re-anchored on the new text: {result.summary()}."
            else:
                self.notices.show_message(
                    "Annotations made on another text",
                    f"{save_path.name} was made on a different text than {text_name} now holds; it is shown with "
                    "the text it was made on, so every span stays where it was.",
                )
        label_set = annotations.label_set
        adopted = self._adopt_label_set(annotations, file_name)
        if adopted:
            notice = f"{notice} {adopted}".strip()
        changed = recoverable is not None or reanchored
        if recoverable is not None and plan is not None and _big(annotations):  # saved below, in the background
            session.restored_to_save(annotations, supersedes=recoverable.journal_path, builds_on=plan.builds_on)
        elif changed or annotations is not session.annotations or annotations.label_set is not label_set:
            session.replace_annotations(  # a new base for the journal (serialized: 0.3 s at 100k spans)
                annotations,
                unsaved=changed and not session.read_only,
                supersedes=recoverable.journal_path if recoverable is not None else None,
                builds_on=plan.builds_on if plan is not None else opened.annotations,  # the file it was built on
            )
        with garbage_collection_paused():  # the views build an object or more per span
            self._show(annotations, save_path)
        if session.dirty:
            self.sessions.unsaved_outside_undo()
        self.sessions.apply_read_only()
        self.opened.emit(opened)
        self._sweep.start(SWEEP_AFTER_MS)  # what keep_long_lived froze and is garbage now, once open
        if top_offset:
            self.view.scroll_to_offset(top_offset)
        if session.read_only and not opened.owner:  # the bar says whose it is: no dialog
            self.notices.show_message("Opened read-only", session.read_only_reason)
        elif changed:
            notice += self._save_changed_on_open(recoverable, plan)
        empty = "The document is empty. " if not annotations.text else ""
        parts = [self.notices.take_pending(), empty + (notice or f"Opened {file_name}."), *remarks]
        self.status.showMessage(" ".join(p for p in parts if p), STATUS_TIMEOUT_MS * 2)
        self.view.setFocus()
        return True

    def _take_recoverable(
        self, session: DocumentSession, checked: tuple[Recoverable | None] | None = None
    ) -> Recoverable | None:
        """The unsaved work a crashed or killed session left for ``session``'s file, if the user chooses to restore
        it (only once this session holds the file's lock: a read-only viewer never touches it). ``checked``:
        ``(found,)`` when it was already read (by a huge open's worker), else it is read now."""
        if session.read_only:
            return None
        recoverable = checked[0] if checked is not None else recoverable_for(session.save_path)
        if recoverable is None or recoverable.journal_path in self.deferred_journals:
            return None
        if self._huge_notice and self.notices.pending == self._huge_notice:
            self.notices.pending = ""  # "open it to restore it": it is being offered now (what is chosen is said)
        self._huge_notice = ""
        choice = self.questions.recovery(recoverable)
        if choice == "discard":
            recoverable.discard()
            self.notices.pending = "Discarded the unsaved work of an earlier session."
            return None
        if choice != "restore":
            huge = journal_bytes(recoverable.journal_path) > HUGE_JOURNAL_BYTES  # not read at start-up: offer_recovery
            if not huge:  # (a huge one is offered again when its file is opened again, as the message says)
                self.deferred_journals.add(recoverable.journal_path)
            self.notices.pending = (
                "The unsaved work of an earlier session is kept: opening this file again offers it."
                if huge
                else "The unsaved work of an earlier session is kept: File → Recover Unsaved Work… or the next start "
                "offers it again."
            )
            return None
        if not recoverable.restorable:
            self.notices.show_message("Could not restore", "\n".join([recoverable.describe(), *recoverable.faults]))
            return None
        return recoverable

    def _on_lock_taken(self, message: str) -> None:
        """A read-only session got its file's lock: the holder may have crashed with unsaved work."""
        session = self.sessions.session
        if session is None:
            return
        recoverable = self._take_recoverable(session)
        if recoverable is not None:
            message += " " + self._restore_into_session(recoverable)
        self.status.showMessage(message, STATUS_TIMEOUT_MS * 2)

    def _save_changed_on_open(self, recoverable: Recoverable | None, plan: RestorePlan | None) -> str:
        """Save what opening changed (restored work, re-anchored spans). Before restored work replaces the file,
        the version on disk is kept as a copy if it holds annotations the restored state would lose (decided now,
        from the disk as it is now). The restored journal is deleted only once the save worked. Returns a remark
        for the status bar. A big document is saved in the background (the window is not held for it; edits wait
        until it is written), the restored journal then deleted by the save that works."""
        session = self.sessions.session
        if session is None:
            return ""
        note = ""
        if plan is not None and plan.needs_copy(session.save_path):
            try:
                note = f" The version that was on disk is kept as {session.keep_disk_copy().name}."
            except FileFault as error:
                self.notices.show_message(
                    "Could not keep a copy", f"{error.message}\n\nNothing was saved; your work is kept."
                )
                self.sessions.pending_restore = recoverable
                session.stamp = None  # a copy is still owed: the next save is a conflict (it offers Keep Mine)
                return ". Not saved: the version on disk could not be copied first."
        if _big(session.annotations):  # saved in the background
            self.sessions.pending_restore = recoverable  # its journal deleted once the save worked (or kept)
            if self.sessions.save_session(quiet=False, overwrite=True, background=True):
                return (" and is saving them." if recoverable is not None else "") + note
        elif self.sessions.save_session(quiet=False, overwrite=True):
            if recoverable is not None:
                recoverable.discard()
                return " and saved them." + note
            return note
        if recoverable is not None:
            self.sessions.pending_restore = recoverable  # deleted after the next save that works
            return "; not saved yet, so the earlier journal is kept too." + note
        return note

    def offer_recovery(self) -> Path | None:
        """At start-up: offer to restore the unsaved work of every crashed or killed session. Restored work is
        saved to its annotation file at once; if the file on disk holds other annotations than the ones the work
        started from (someone saved it since, or another journal of it was just restored), that version is kept as
        a copy first. A journal is deleted only once its work is saved. Returns what to open afterwards (the last
        restored document's project or file), or ``None``."""
        reopen: Path | None = None
        # a huge file's journal is read when the file opens (by the open's worker, with its bar), not here: on the
        # GUI thread before the window is usable (1M spans: 15 s and more)
        found_work, unreadable = scan_journals(largest=HUGE_JOURNAL_BYTES)
        waiting = [path for path in huge_journals(HUGE_JOURNAL_BYTES) if path not in self._huge_told]
        if waiting:
            self._huge_told.update(waiting)
            names = ", ".join(shown_name(path.name) for path in waiting)
            self.notices.pending = self._huge_notice = (
                f"Unsaved work of an earlier session is kept for {names}: open it to restore it (a huge file's work "
                "is read as it opens)."
            )
        self._offer_unreadable(unreadable)
        for found in found_work:
            if found.journal_path in self.deferred_journals:
                continue
            recoverable = found.refreshed()  # read again now: an earlier restore may have changed the file
            if recoverable is None:
                continue
            choice = self.questions.recovery(recoverable)
            if choice == "discard":
                recoverable.discard()
                continue
            if choice != "restore":
                self.deferred_journals.add(recoverable.journal_path)
                continue
            if not recoverable.restorable:
                self.notices.show_message("Could not restore", "\n".join([recoverable.describe(), *recoverable.faults]))
                continue
            session = self.sessions.session
            if session is not None and same_file(recoverable.annotation_path, session.save_path):
                if session.dirty and not self.sessions.save_session(quiet=False):
                    self.deferred_journals.add(recoverable.journal_path)  # the open edits first; kept for later
                    continue
                self.notices.pending = self._restore_into_session(recoverable)
                continue
            home = recoverable.project_root or (recoverable.text_path.parent if recoverable.text_path else None)
            if not (home or recoverable.annotation_path.parent).is_dir():
                self.notices.show_message(
                    "Could not restore",
                    f"The folder of {recoverable.annotation_path} no longer exists (moved or deleted?). The unsaved "
                    "work is kept and offered again at the next start.",
                )
                self.deferred_journals.add(recoverable.journal_path)
                continue
            if self._restore_to_file(recoverable):
                reopen = recoverable.project_root or recoverable.text_path or recoverable.annotation_path
                if recoverable.project_root is not None:
                    memory = self.settings.projects.setdefault(str(recoverable.project_root), ProjectMemory())
                    memory.last_document = recoverable.document_id or memory.last_document
        return reopen

    def recover_unsaved_work(self) -> None:
        """File → Recover Unsaved Work…: offer again every journal left by crashed sessions, including those put
        off with Decide Later."""
        self.deferred_journals.clear()
        self._huge_told.clear()  # asked for: said again
        if scan_journals(largest=HUGE_JOURNAL_BYTES) == ([], []) and not huge_journals(HUGE_JOURNAL_BYTES):
            self.status.showMessage("No unsaved work from earlier sessions.", STATUS_TIMEOUT_MS)
            return
        reopen = self.offer_recovery()
        if reopen is not None and self.sessions.session is None:
            self._open_path(reopen)
        elif self.notices.pending:
            self.status.showMessage(self.notices.take_pending(), STATUS_TIMEOUT_MS * 2)

    def _restore_into_session(self, recoverable: Recoverable) -> str:
        """Restore ``recoverable`` into the document open now (same file): shown at once and saved. Returns a
        remark for the status bar."""
        session = self.sessions.session
        if session is None or session.read_only:
            return ""
        plan = plan_restore(recoverable)
        if _big(plan.annotations):  # saved below, in the background
            session.restored_to_save(plan.annotations, supersedes=recoverable.journal_path, builds_on=plan.builds_on)
        else:
            session.replace_annotations(plan.annotations, supersedes=recoverable.journal_path, builds_on=plan.builds_on)
        self._show(plan.annotations, session.save_path)
        self.sessions.unsaved_outside_undo()
        return _restored_remark(recoverable, plan) + self._save_changed_on_open(recoverable, plan)

    def _offer_unreadable(self, unreadable: list[UnreadableJournal]) -> None:
        """Say which journals cannot be read and why; the user keeps them (offered again at the next start and with
        File → Recover Unsaved Work…) or discards them. Journals put off in this run are not asked about again."""
        pending = [j for j in unreadable if j.journal_path not in self.deferred_journals]
        if not pending:
            return
        if self.questions.unreadable_journals(pending) == "discard":
            for journal in pending:
                journal.discard()
            return
        self.deferred_journals.update(j.journal_path for j in pending)

    def _restore_to_file(self, recoverable: Recoverable) -> bool:
        """Write ``recoverable``'s work to its annotation file (merged with a version on disk that moved on, or
        after keeping a copy of it, see :func:`~annotator.project.restore.restore_to_file`); returns whether it
        worked (the journal is deleted then, kept otherwise)."""
        try:
            restored = restore_to_file(recoverable, annotator=self.annotator)
        except ReadOnlyError as error:
            self.notices.show_message("Could not restore", str(error))
            return False
        except FileFault as error:
            self.notices.show_message("Could not restore", f"{error.message}\n\nThe unsaved work is kept.")
            return False
        copy_note = f" The version that was on disk is kept as {restored.copy.name}." if restored.copy else ""
        self._restored_saves[recoverable.annotation_path.absolute()] = restored.saved_at
        self.notices.pending = (
            f"{_restored_remark(recoverable, restored.plan)} in {recoverable.annotation_path.name} and saved them."
            f"{copy_note}"
        )
        self.status.showMessage(self.notices.pending)
        return True
