"""The main window's projects: opening a folder as a project, the document list, moving between documents, marking
them done or flagged, orphaned spans, and recent files.

:class:`ProjectsMixin` is part of :class:`~annotator.ui.main_window.MainWindow`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.io.annotation_file import annotation_path_for
from annotator.io.errors import FileFault
from annotator.io.opening import OpenedDocument, open_text_with_annotations
from annotator.io.settings import ProjectMemory
from annotator.io.textfile import display_name
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.labels import LabelSet
from annotator.model.status import DocumentStatus
from annotator.project.layout import Project
from annotator.project.project_file import PROJECT_FILE, save_project_label_set
from annotator.project.session import DiskStamp, disk_stamp
from annotator.project.status import entry_for, entry_from_file, read_entries
from annotator.ui import session_dialogs
from annotator.ui.timing import STATUS_TIMEOUT_MS


class ProjectsMixin:
    """Projects and their documents for :class:`MainWindow`."""

    def open_project_dialog(self) -> None:
        """Ask for a folder and open it as a project."""
        path = QFileDialog.getExistingDirectory(self, "Open folder as project")
        if path:
            self.open_project(path)

    def open_project(self, path: str | Path) -> bool:
        """Open the folder ``path`` as a project: list its documents with their status, and open the document the
        user was on last time (at the same place), else the first. Returns whether it opened."""
        try:
            project = Project(path)
        except FileFault as error:
            self.show_message("Could not open the project", error.message)
            return False
        if not self._maybe_discard():
            return False
        self.project = project
        self.document_id = None
        remark = self._use_project_label_set(project)
        project.ignore_lock_files()
        self.documents.model.set_entries(read_entries(project, self.annotator))
        self.documents_dock.show()
        self.documents_dock.raise_()
        self._remember_recent(project.root)
        ids = [entry.id for entry in self.documents.model.entries]
        memory = self.settings.projects.get(str(project.root))
        first, top = (memory.last_document, memory.top_offset) if memory and memory.last_document in ids else ("", 0)
        first = first or (ids[0] if ids else "")
        opened = self._load_project_document(first) if first else None
        if opened is not None:
            self._show_project_document(first, opened, disk_stamp(opened.save_path), top)
        else:
            self._clear_document()
            self._update_title()
            if not ids:
                self.statusBar().showMessage(f"{project.name} has no .txt documents yet: add some to the folder.")
        if remark:
            self.statusBar().showMessage(remark, STATUS_TIMEOUT_MS * 3)
        return True

    def user_label_set(self) -> LabelSet:
        """The label set the user chose (remembered in the settings), which applies outside projects; while a project
        file's label set is in use, :attr:`label_set` is that one instead."""
        return self._user_label_set or self.label_set

    def _use_project_label_set(self, project: Project) -> str:
        """Use the label set ``project``'s project file names, else the user's; returns a status-bar remark when the
        project file or its label set cannot be used (named with its fault), else ``""``."""
        user = self.user_label_set()
        remark = ""
        try:
            label_set = project.label_set()
        except FileFault as error:
            label_set = None
            remark = f"{' '.join(error.message.splitlines())} — using your label set {user.name} instead."
        clashes = self.registry.label_set_clashes(label_set) if label_set is not None else []
        if clashes:
            remark = (
                f"The project's label set {label_set.name}: {'; '.join(clashes)}; using your label set {user.name}."
            )
            label_set = None
        self._user_label_set = user if label_set is not None else None
        self.label_set = label_set or user
        self._apply_label_set_to_widgets(self.label_set)
        return remark

    def _save_project_label_set(self, label_set: LabelSet) -> None:
        """Make ``label_set`` the open project's (its label-set file and project file, written once, atomically),
        leaving the user's own label set as it was."""
        project = self.project
        if project is None:
            return
        try:
            path = save_project_label_set(project.root, label_set)
        except FileFault as error:
            self.show_message("Could not save the project's label set", error.message)
            return
        self.statusBar().showMessage(
            f"Using label set {label_set.name} in {project.name}: written to {path.name} ({PROJECT_FILE}); "
            "commit both to share it.",
            STATUS_TIMEOUT_MS * 2,
        )

    def refresh_documents(self) -> None:
        """Re-read the project's document list when documents were added or removed in the folder (e.g. a git
        pull); the open document's unsaved state is kept in its row."""
        if self.project is None:
            return
        ids = self.project.document_ids()
        if ids == [entry.id for entry in self.documents.model.entries]:
            return
        self.documents.model.set_entries(read_entries(self.project, self.annotator, ids))
        if self.document_id in ids:
            self.documents.model.set_current(self.document_id)
            self._update_document_entry()

    def _leave_project(self) -> None:
        if self.project is not None and self.label_set is not self.user_label_set():
            self.label_set = self.user_label_set()
            self._apply_label_set_to_widgets(self.label_set)
        self._user_label_set = None
        self.project = None
        self.document_id = None
        self.documents.model.set_entries([])
        self.documents_dock.hide()

    def open_document_id(self, document_id: str) -> bool:
        """Open the project's document ``document_id`` (after saving the one open). A document that cannot be
        opened (an unreadable text, an invalid annotation file) leaves the open one as it is. Returns whether it
        opened."""
        if self.project is None:
            return False
        if document_id == self.document_id and self.session is not None:
            self.view.setFocus()
            return True
        opened = self._load_project_document(document_id)
        if opened is None:
            return False
        stamp = disk_stamp(opened.save_path)  # as read: a change while the open one is saved is noticed
        if not self._maybe_discard():
            return False
        return self._show_project_document(document_id, opened, stamp)

    def _load_project_document(self, document_id: str) -> OpenedDocument | None:
        """Read the project's document and this annotator's file of it; ``None`` (after saying why) if either
        cannot be read. Nothing is written."""
        project = self.project
        if project is None:
            return None
        try:
            return open_text_with_annotations(
                project.text_path(document_id),
                project.annotation_path(document_id, self.annotator),
                self.label_set,
                self.annotator,
                document_id,
                earlier=annotation_path_for(project.text_path(document_id)),
            )
        except FileFault as error:
            self.show_message("Could not open the document", error.message)
            return None
        except ValueError as error:  # an id from a hand-edited settings file that points outside the project
            self.show_message("Could not open the document", str(error))
            return None

    def _show_project_document(
        self, document_id: str, opened: OpenedDocument, stamp: DiskStamp | None, top_offset: int = 0
    ) -> bool:
        self.document_id = document_id
        self.documents.model.set_current(document_id)
        self.documents.select_document(document_id)
        installed = self._install(opened, stamp, document_id, top_offset)
        self._remember_position()
        return installed

    def _clear_document(self) -> None:
        """Show no document (e.g. a project whose first document cannot be opened): nothing to edit or save."""
        self._close_session()
        self.document_id = None
        self.documents.model.set_current(None)
        self._show_annotations(AnnotationSet(Document.from_text(""), self.label_set, self.annotator), None)
        self.controller.annotations = None
        self.count_status.setText("")
        self.encoding_status.setText("")
        self._apply_read_only()

    def _step_document(self, step: int, *, not_done: bool = False) -> None:
        if self.project is None:
            self.statusBar().showMessage("Open a folder as a project first (Ctrl+Shift+P).", STATUS_TIMEOUT_MS)
            return
        target = self.documents.next_document_id(self.document_id, step, not_done=not_done)
        if target is None:
            what = "Every other document is done." if not_done else "No more documents that way."
            self.statusBar().showMessage(what, STATUS_TIMEOUT_MS)
            return
        self.open_document_id(target)

    def next_document(self) -> None:
        """Open the project's next document."""
        self._step_document(1)

    def previous_document(self) -> None:
        """Open the project's previous document."""
        self._step_document(-1)

    def next_not_done_document(self) -> None:
        """Open the next document not marked done (wrapping around)."""
        self._step_document(1, not_done=True)

    def _set_status(self, status: DocumentStatus) -> None:
        annotations = self.controller.annotations
        if annotations is None:
            return
        target = DocumentStatus.IN_PROGRESS if annotations.status is status else status
        if self.controller.set_status(target):
            self.autosave()  # a deliberate mark: on disk now
            hint = ""
            if self.project is not None and target is DocumentStatus.DONE:
                progress = self.documents.model.progress()
                if progress.done == progress.total:
                    hint = (
                        " The project's one document is done."
                        if progress.total == 1
                        else f" All {progress.total} documents are done."
                    )
                else:
                    hint = " Ctrl+Shift+PgDown opens the next document not done."
            self.statusBar().showMessage(f"Marked {target.display_name.lower()}.{hint}", STATUS_TIMEOUT_MS)

    def toggle_done(self) -> None:
        """Mark the open document done, or back to in progress if it is done (one undo step, saved at once)."""
        self._set_status(DocumentStatus.DONE)

    def toggle_flagged(self) -> None:
        """Flag the open document for attention, or unflag it (one undo step, saved at once)."""
        self._set_status(DocumentStatus.FLAGGED)

    def show_orphans(self) -> None:
        """List the spans that could not be placed after the document's text changed (they stay in the file)."""
        annotations = self.controller.annotations
        orphans = annotations.orphans if annotations is not None else []
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Orphaned spans")
        box.setTextFormat(Qt.TextFormat.PlainText)
        if not orphans:
            box.setText("No orphaned spans: every span of this document is placed on its text.")
        else:
            box.setText(
                f"{len(orphans)} span{'' if len(orphans) == 1 else 's'} could not be placed after the text changed. "
                "They are kept in the annotation file (never dropped); to place one again, label its text anew."
            )
            box.setDetailedText(session_dialogs.orphan_lines(orphans))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_message = box
        box.open()

    def focus_document_list(self) -> None:
        """Show the Documents panel and put the keyboard in it (Enter opens the current row)."""
        if self.project is None:
            self.statusBar().showMessage("Open a folder as a project first (Ctrl+Shift+P).", STATUS_TIMEOUT_MS)
            return
        self.documents_dock.show()
        self.documents_dock.raise_()
        self.documents.table.setFocus()

    def _update_document_entry(self) -> None:
        """Refresh the open document's row in the document list (status, span count) from its saved file."""
        if self.project is None or self.document_id is None or self.session is None:
            return
        annotations = self.controller.annotations
        if self.session.dirty and annotations is not None:
            self.documents.model.update_entry(entry_for(self.document_id, annotations))
        else:
            self.documents.model.update_entry(entry_from_file(self.document_id, self.session.save_path))

    def _remember_position(self) -> None:
        """Note the open project document and the scroll position, for the next time the project opens."""
        if self.project is None or self.document_id is None:
            return
        memory = self.settings.projects.setdefault(str(self.project.root), ProjectMemory())
        memory.last_document = self.document_id
        memory.top_offset = self.view.top_offset()

    def _remember_recent(self, path: Path) -> None:
        self.settings.add_recent(path)
        self._save_settings()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for entry in self.settings.recent:
            path = Path(entry)
            kind = "folder" if path.is_dir() else "file"
            action = self.recent_menu.addAction(f"{display_name(path)} ({kind}) — {path.parent}".replace("&", "&&"))
            action.setEnabled(path.exists())
            action.setToolTip(entry)
            action.triggered.connect(lambda _checked=False, p=entry: self.open_path(p))
        if not self.settings.recent:
            self.recent_menu.addAction("No recent files").setEnabled(False)
            return
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear Recent", self._clear_recent)

    def _clear_recent(self) -> None:
        self.settings.recent = []
        self._save_settings()
