"""The main window's editing sessions: saving and autosave, the lock's read-only mode, files changed on disk, and
restoring the unsaved work of crashed sessions (the Qt side of :mod:`annotator.project.session` and
:mod:`annotator.project.journal`).

:class:`SessionsMixin` is part of :class:`~annotator.ui.main_window.MainWindow`; it works on the window's widgets,
controller and :attr:`session`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.io.annotation_file import ANNOTATION_SUFFIX
from annotator.io.errors import FileFault
from annotator.io.gc_pause import garbage_collection_paused
from annotator.io.opening import OpenedDocument
from annotator.io.settings import ProjectMemory
from annotator.model.compare import diff_annotations
from annotator.model.reanchor import Reanchored, reanchor_annotations
from annotator.project.journal import Recoverable, UnreadableJournal, recoverable_for, scan_journals
from annotator.project.restore import RestorePlan, plan_restore, restore_to_file
from annotator.project.session import DiskConflict, DiskStamp, DocumentSession, ReadOnlyError, disk_stamp
from annotator.ui import session_dialogs
from annotator.ui.actions import READ_ONLY_DISABLES
from annotator.ui.messages import ask_save_discard_cancel
from annotator.ui.plain_text import tooltip_html
from annotator.ui.timing import STATUS_TIMEOUT_MS


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (compared resolved; an existing pair also by inode)."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


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


class SessionsMixin:
    """Saving, autosave, read-only mode, changes on disk and crash recovery for :class:`MainWindow`."""

    def _install(self, opened: OpenedDocument, stamp: DiskStamp | None, file_name: str, top_offset: int = 0) -> bool:
        """Make ``opened`` the open document and show it: start its session (lock, journal), offer the unsaved work a
        crash left for it, re-anchor the spans if the text changed since they were made (after asking), and save
        what those steps changed. ``stamp``: the annotation file as it was when ``opened`` was read (``None``: there
        was none), so a change since then is noticed; ``top_offset``: the code point to scroll to the top."""
        self._close_session()
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
            project_root=self.project.root if self.project else None,
            file_bytes=opened.file_bytes,
            use_lock=not opened.owner,
        )
        if opened.owner:  # another annotator's file: read-only until the user chooses (the bar above the text)
            session.read_only_reason = f"{save_path.name} is {opened.owner}'s annotation file"
        self.session = session
        self._deferred_stamp = None
        remarks = session.start()
        session.last_saved = self._restored_saves.pop(save_path.absolute(), None)  # restored at start-up
        session.stamp = stamp
        notice = opened.notice
        recoverable = self._take_recoverable(session)
        plan = plan_restore(recoverable) if recoverable is not None else None
        if recoverable is not None and plan is not None:
            annotations = plan.annotations
            notice = _restored_remark(recoverable, plan)
        reanchored = False
        if current is not None and annotations.document.sha256 != current.sha256:
            moved, result = reanchor_annotations(annotations, current)
            text_name = opened.text_path.name if opened.text_path else file_name
            if self.ask_reanchor(save_path.name, text_name, result):
                annotations, reanchored = moved, True
                notice = f"{notice}; " if recoverable else ""
                notice += f"Re-anchored on the new text: {result.summary()}."
            else:
                self.show_message(
                    "Annotations made on another text",
                    f"{save_path.name} was made on a different text than {text_name} now holds; it is shown with "
                    "the text it was made on, so every span stays where it was.",
                )
        label_set = annotations.label_set
        adopted = self._adopt_label_set(annotations, file_name)
        if adopted:
            notice = f"{notice} {adopted}".strip()
        changed = recoverable is not None or reanchored
        if changed or annotations is not session.annotations or annotations.label_set is not label_set:
            session.replace_annotations(  # a new base for the journal (serialized: 0.3 s at 100k spans)
                annotations,
                unsaved=changed and not session.read_only,
                supersedes=recoverable.journal_path if recoverable is not None else None,
                builds_on=plan.builds_on if plan is not None else opened.annotations,  # the file it was built on
            )
        with garbage_collection_paused():  # the views build an object or more per span
            self._show_annotations(annotations, save_path)
        self._apply_read_only()
        self._show_ownership_bar(opened)
        if top_offset:
            self.view.scroll_to_offset(top_offset)
        if session.read_only and not opened.owner:  # the bar says whose it is: no dialog
            self.show_message("Opened read-only", session.read_only_reason)
        elif changed:
            notice += self._save_changed_on_open(recoverable, plan)
        empty = "The document is empty. " if not annotations.text else ""
        parts = [self._pending_notice, empty + (notice or f"Opened {file_name}."), *remarks]
        self._pending_notice = ""
        self.statusBar().showMessage(" ".join(p for p in parts if p), STATUS_TIMEOUT_MS * 2)
        self.view.setFocus()
        return True

    def _take_recoverable(self, session: DocumentSession) -> Recoverable | None:
        """The unsaved work a crashed or killed session left for ``session``'s file, if the user chooses to restore
        it (only once this session holds the file's lock: a read-only viewer never touches it)."""
        if session.read_only:
            return None
        recoverable = recoverable_for(session.save_path)
        if recoverable is None or recoverable.journal_path in self._deferred_journals:
            return None
        choice = self.ask_recovery(recoverable)
        if choice == "discard":
            recoverable.discard()
            self._pending_notice = "Discarded the unsaved work of an earlier session."
            return None
        if choice != "restore":
            self._deferred_journals.add(recoverable.journal_path)
            self._pending_notice = (
                "The unsaved work of an earlier session is kept: File → Recover Unsaved Work… or the next start "
                "offers it again."
            )
            return None
        if not recoverable.restorable:
            self.show_message("Could not restore", "\n".join([recoverable.describe(), *recoverable.faults]))
            return None
        return recoverable

    def _save_changed_on_open(self, recoverable: Recoverable | None, plan: RestorePlan | None) -> str:
        """Save what opening changed (restored work, re-anchored spans). Before restored work replaces the file,
        the version on disk is kept as a copy if it holds annotations the restored state would lose (decided now,
        from the disk as it is now). The restored journal is deleted only once the save worked. Returns a remark
        for the status bar."""
        session = self.session
        if session is None:
            return ""
        note = ""
        if plan is not None and plan.needs_copy(session.save_path):
            try:
                note = f" The version that was on disk is kept as {session.keep_disk_copy().name}."
            except FileFault as error:
                self.show_message("Could not keep a copy", f"{error.message}\n\nNothing was saved; your work is kept.")
                self._pending_restore = recoverable
                session.stamp = None  # a copy is still owed: the next save is a conflict (it offers Keep Mine)
                return ". Not saved: the version on disk could not be copied first."
        if self._save_session(quiet=False, overwrite=True):
            if recoverable is not None:
                recoverable.discard()
                return " and saved them." + note
            return note
        if recoverable is not None:
            self._pending_restore = recoverable  # deleted after the next save that works
            return "; not saved yet, so the earlier journal is kept too." + note
        return note

    def save(self) -> bool:
        """Save to the current annotation file (``X.annotations.json`` beside ``X.txt``, or the project's
        ``annotations/<annotator>/`` file), with no dialog."""
        if self.controller.annotations is None:
            return False
        self.span_panel.commit_note()
        if self.session is None:
            return self.save_as()
        return self._save_session(quiet=False)

    def save_as(self) -> bool:
        """Ask where to save, then save there (later saves go there too)."""
        if self.controller.annotations is None:
            return False
        self.span_panel.commit_note()
        start = str(self.controller.save_path or "")
        path, _ = QFileDialog.getSaveFileName(self, "Save annotations as", start, f"Annotations (*{ANNOTATION_SUFFIX})")
        return self._save_to(Path(path)) if path else False

    def _save_to(self, path: Path) -> bool:
        """Save the open annotations to ``path``. Outside a project ``path`` becomes the document's annotation
        file (new lock and journal); in a project the document's file stays where the project keeps it and
        ``path`` gets a copy."""
        annotations = self.controller.annotations
        if annotations is None:
            return False
        if self.session is not None and self.session.save_path.absolute() == path.absolute():
            return self._save_session(quiet=False)
        session = DocumentSession(annotations, path, annotator=self.annotator, text_path=None)
        remarks = session.start()
        if session.read_only:
            session.close()
            self.show_message("Could not save", " ".join(remarks))
            return False
        try:
            session.save(overwrite=True)
        except FileFault as error:
            session.close()
            self.show_message("Could not save", error.message)
            return False
        saved = f"Saved {len(annotations)} spans and {annotations.relation_count} links to {path.name}."
        if self.project is not None and self.session is not None:
            session.close()  # a copy: the project's file stays the document's file
            self.statusBar().showMessage(f"{saved} (a copy; the project's file is unchanged)", STATUS_TIMEOUT_MS)
            return True
        self._close_session()
        self.session = session
        self.controller.save_path = path
        self.controller.undo_stack.setClean()
        self._apply_read_only()
        self.statusBar().showMessage(saved, STATUS_TIMEOUT_MS)
        return True

    def _save_session(self, *, quiet: bool, overwrite: bool = False) -> bool:
        """Write the open document's annotation file. A file changed on disk since it was read is never
        overwritten: the user chooses (see :meth:`_resolve_conflict`). A failed write keeps the old file and the
        recovery journal and says why (once, while autosaving)."""
        session = self.session
        annotations = self.controller.annotations
        if session is None or annotations is None:
            return False
        if session.read_only:
            if not quiet:
                self.statusBar().showMessage(session.read_only_reason, STATUS_TIMEOUT_MS)
            return False
        try:
            path = session.save(overwrite=overwrite)
        except DiskConflict:
            return self._resolve_conflict()
        except FileFault as error:
            if not quiet or not self._save_fault_shown:
                self._save_fault_shown = True
                self.show_message(
                    "Could not save",
                    f"{error.message}\n\nYour work is not lost: it is kept in the recovery journal, and saving is "
                    "tried again with your next change.",
                )
            self.statusBar().showMessage(f"Not saved: {error.message}", STATUS_TIMEOUT_MS)
            return False
        self._save_fault_shown = False
        self._deferred_stamp = None
        pending = self._pending_restore
        if pending is not None and pending.annotation_path == path.absolute():
            pending.discard()  # the restored work is on disk now
            self._pending_restore = None
        self.controller.save_path = path
        self.controller.undo_stack.setClean()
        self._update_title()
        self._update_document_entry()
        if not quiet:
            self.statusBar().showMessage(
                f"Saved {len(annotations)} spans and {annotations.relation_count} links to {path.name}.",
                STATUS_TIMEOUT_MS,
            )
        return True

    def autosave(self) -> None:
        """Save unsaved changes now (the autosave timer calls this within two seconds of a change)."""
        self.autosave_timer.stop()
        if self.session is not None and self.session.dirty and not self.session.read_only and not self._in_conflict:
            self._save_session(quiet=True)

    def set_autosave(self, on: bool) -> None:
        """Turn autosave on or off (remembered); the recovery journal keeps working either way."""
        self.settings.autosave = on
        self._save_settings()
        if on:
            self.autosave()
        self.statusBar().showMessage(
            "Autosave on: every change is saved within two seconds."
            if on
            else "Autosave off: Ctrl+S saves; unsaved work is still journaled for crash recovery.",
            STATUS_TIMEOUT_MS,
        )

    def check_disk(self) -> None:
        """Notice when the open annotation file was changed on disk by someone else (see
        :meth:`_resolve_conflict`)."""
        session = self.session
        if session is None or self._in_conflict:
            return
        if session.read_only:
            if session.retry_lock():  # its holder let go (or crashed): take it over, as it is on disk now
                self._apply_read_only()
                message = f"{session.save_path.name} is free now: you can edit it."
                if session.save_path.exists():
                    self._reload_session(f"{message} Reloaded it from disk.")
                recoverable = self._take_recoverable(session)  # the holder may have crashed with unsaved work
                if recoverable is not None:
                    message += " " + self._restore_into_session(recoverable)
                self.statusBar().showMessage(message, STATUS_TIMEOUT_MS * 2)
            return
        if session.disk_changed():
            if self._deferred_stamp is not None and disk_stamp(session.save_path) == self._deferred_stamp:
                return  # the user chose to decide later about this very version
            self._resolve_conflict()

    def _resolve_conflict(self) -> bool:
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
                saved = self._save_session(quiet=True, overwrite=True)
                self.statusBar().showMessage(f"{name} was deleted on disk; your annotations were saved again.")
                return saved
            if not session.dirty:
                reloaded = self._reload_session(f"{name} was changed on disk; reloaded it (nothing here was unsaved).")
                if not reloaded:
                    self._deferred_stamp = disk_stamp(session.save_path)  # one message per version
                return reloaded
            while True:
                choice = self.ask_conflict(name, unsaved=True)
                if choice == "compare":
                    try:
                        diff = diff_annotations(session.annotations, session.disk_version())
                    except FileFault as error:
                        self.show_message("Could not read the file on disk", error.message)
                        continue
                    session_dialogs.show_comparison(self, name, diff)
                    continue
                if choice == "reload":
                    return self._reload_session(f"Reloaded {name} from disk.")
                if choice == "keep_mine":
                    try:
                        copy = session.keep_disk_copy()
                    except FileFault as error:
                        self.show_message("Could not keep a copy", error.message)
                        return False
                    saved = self._save_session(quiet=False, overwrite=True)
                    if saved:
                        self.statusBar().showMessage(
                            f"Saved yours; the version that was on disk is kept as {copy.name}.", STATUS_TIMEOUT_MS * 2
                        )
                    return saved
                self._deferred_stamp = disk_stamp(session.save_path)  # not asked again until it changes again
                self.statusBar().showMessage(
                    f"{name} changed on disk: not saving until you decide (the next change asks again).",
                    STATUS_TIMEOUT_MS * 2,
                )
                return False
        finally:
            self._in_conflict = False

    def _apply_read_only(self) -> None:
        """Enable or disable everything that edits, after the session's lock was (or was not) obtained; the
        status bar keeps a "Read-only" marker while another holds the file. Label keys stay live so that pressing
        one says why nothing happens."""
        session = self.session
        holder = session.read_only_reason if session is not None else ""
        self.controller.read_only_reason = f"Read-only: {holder}" if holder else ""
        read_only = bool(holder)
        self.label_bar.setEnabled(not read_only)
        self.span_panel.set_read_only(read_only)
        for action_id in READ_ONLY_DISABLES:  # the table's read_only_disables column
            self.actions_by_id[action_id].setEnabled(not read_only)
        self.read_only_status.setVisible(read_only)
        self.read_only_status.setToolTip(tooltip_html(holder) if holder else "")
        self._update_title()

    def _reload_session(self, message: str) -> bool:
        session = self.session
        if session is None:
            return False
        try:
            annotations = session.reloaded()
        except FileFault as error:
            self.show_message("Could not reload", error.message)
            return False
        self._deferred_stamp = None
        self._pending_restore = None  # not saved into the file now shown: its journal stays and is offered again
        self._show_annotations(annotations, session.save_path)
        self._update_document_entry()
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS * 2)
        return True

    def ask_recovery(self, recoverable: Recoverable) -> str:
        """Ask whether to restore unsaved work left by a crash: "restore", "discard" or "later"."""
        return session_dialogs.ask_recovery(self, recoverable)

    def ask_unreadable_journals(self, journals: list[UnreadableJournal]) -> str:
        """Say which recovery journals cannot be read and why: "keep" them (offered again) or "discard" them."""
        return session_dialogs.ask_unreadable_journals(self, journals)

    def ask_conflict(self, file_name: str, unsaved: bool) -> str:
        """Ask what to do about an annotation file changed on disk: "reload", "keep_mine", "compare" or "later"."""
        return session_dialogs.ask_conflict(self, file_name, unsaved)

    def ask_reanchor(self, file_name: str, text_name: str, reanchored: Reanchored) -> bool:
        """Ask whether to re-anchor the spans on the changed text (and save)."""
        return session_dialogs.ask_reanchor(self, file_name, text_name, reanchored)

    def offer_recovery(self) -> Path | None:
        """At start-up: offer to restore the unsaved work of every crashed or killed session. Restored work is
        saved to its annotation file at once; if the file on disk holds other annotations than the ones the work
        started from (someone saved it since, or another journal of it was just restored), that version is kept as
        a copy first. A journal is deleted only once its work is saved. Returns what to open afterwards (the last
        restored document's project or file), or ``None``."""
        reopen: Path | None = None
        found_work, unreadable = scan_journals()
        self._offer_unreadable(unreadable)
        for found in found_work:
            if found.journal_path in self._deferred_journals:
                continue
            recoverable = found.refreshed()  # read again now: an earlier restore may have changed the file
            if recoverable is None:
                continue
            choice = self.ask_recovery(recoverable)
            if choice == "discard":
                recoverable.discard()
                continue
            if choice != "restore":
                self._deferred_journals.add(recoverable.journal_path)
                continue
            if not recoverable.restorable:
                self.show_message("Could not restore", "\n".join([recoverable.describe(), *recoverable.faults]))
                continue
            if self.session is not None and same_file(recoverable.annotation_path, self.session.save_path):
                if self.session.dirty and not self._save_session(quiet=False):
                    self._deferred_journals.add(recoverable.journal_path)  # the open edits first; kept for later
                    continue
                self._pending_notice = self._restore_into_session(recoverable)
                continue
            home = recoverable.project_root or (recoverable.text_path.parent if recoverable.text_path else None)
            if not (home or recoverable.annotation_path.parent).is_dir():
                self.show_message(
                    "Could not restore",
                    f"The folder of {recoverable.annotation_path} no longer exists (moved or deleted?). The unsaved "
                    "work is kept and offered again at the next start.",
                )
                self._deferred_journals.add(recoverable.journal_path)
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
        self._deferred_journals.clear()
        if scan_journals() == ([], []):
            self.statusBar().showMessage("No unsaved work from earlier sessions.", STATUS_TIMEOUT_MS)
            return
        reopen = self.offer_recovery()
        if reopen is not None and self.session is None:
            self.open_path(reopen)
        elif self._pending_notice:
            self.statusBar().showMessage(self._pending_notice, STATUS_TIMEOUT_MS * 2)
            self._pending_notice = ""

    def _restore_into_session(self, recoverable: Recoverable) -> str:
        """Restore ``recoverable`` into the document open now (same file): shown at once and saved. Returns a
        remark for the status bar."""
        session = self.session
        if session is None or session.read_only:
            return ""
        plan = plan_restore(recoverable)
        session.replace_annotations(plan.annotations, supersedes=recoverable.journal_path, builds_on=plan.builds_on)
        self._show_annotations(plan.annotations, session.save_path)
        return _restored_remark(recoverable, plan) + self._save_changed_on_open(recoverable, plan)

    def _offer_unreadable(self, unreadable: list[UnreadableJournal]) -> None:
        """Say which journals cannot be read and why; the user keeps them (offered again at the next start and with
        File → Recover Unsaved Work…) or discards them. Journals put off in this run are not asked about again."""
        pending = [j for j in unreadable if j.journal_path not in self._deferred_journals]
        if not pending:
            return
        if self.ask_unreadable_journals(pending) == "discard":
            for journal in pending:
                journal.discard()
            return
        self._deferred_journals.update(j.journal_path for j in pending)

    def _restore_to_file(self, recoverable: Recoverable) -> bool:
        """Write ``recoverable``'s work to its annotation file (merged with a version on disk that moved on, or
        after keeping a copy of it, see :func:`~annotator.project.restore.restore_to_file`); returns whether it
        worked (the journal is deleted then, kept otherwise)."""
        try:
            restored = restore_to_file(recoverable, annotator=self.annotator)
        except ReadOnlyError as error:
            self.show_message("Could not restore", str(error))
            return False
        except FileFault as error:
            self.show_message("Could not restore", f"{error.message}\n\nThe unsaved work is kept.")
            return False
        copy_note = f" The version that was on disk is kept as {restored.copy.name}." if restored.copy else ""
        self._restored_saves[recoverable.annotation_path.absolute()] = restored.saved_at
        self._pending_notice = (
            f"{_restored_remark(recoverable, restored.plan)} in {recoverable.annotation_path.name} and saved them."
            f"{copy_note}"
        )
        self.statusBar().showMessage(self._pending_notice)
        return True

    def _maybe_discard(self) -> bool:
        """Before leaving the open document: ``True`` when nothing is unsaved, or it was saved (autosave, or the
        user chose Save), or the user chose to discard it; ``False`` to stay."""
        self.span_panel.commit_note()
        self._remember_position()
        session = self.session
        unsaved = session is not None and session.dirty and not session.read_only
        if self.controller.annotations is None or not unsaved:
            self._close_session()
            return True
        if self.settings.autosave and self._save_session(quiet=True):
            self._close_session()
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            if not self.save():
                return False
            self._close_session()
            return True
        if answer == QMessageBox.StandardButton.Discard:
            self._close_session()
            return True
        return False

    def _close_session(self) -> None:
        """End the open document's session: release its lock and remove its journal (its work is saved or was
        discarded on purpose)."""
        self.autosave_timer.stop()
        if self.session is not None:
            self.session.close()
            self.session = None

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Ask whether to save unsaved changes: Save, Discard or Cancel."""
        name = self.controller.save_path.name if self.controller.save_path else "this document"
        return ask_save_discard_cancel(
            self, "Unsaved changes", f"Save your changes to {name}?", "Unsaved spans are lost if you discard them."
        )
