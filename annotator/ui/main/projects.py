"""Projects: opening a folder as a project, the document list, moving between documents, marking them done or
flagged, orphaned spans, and recent files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMenu, QMessageBox

from annotator.io.annotation_file import ANNOTATION_SUFFIX, annotation_path_for
from annotator.io.errors import FileFault
from annotator.io.opening import OpenedDocument, conversion_needed, open_text_with_annotations
from annotator.io.settings import ProjectMemory, Settings
from annotator.io.textfile import display_name
from annotator.model.status import DocumentStatus
from annotator.project.layout import Project
from annotator.project.session import DiskStamp, disk_stamp
from annotator.project.status import entry_for, entry_from_file, read_entries
from annotator.ui.controller import AnnotationController
from annotator.ui.dialogs import session_dialogs
from annotator.ui.dialogs.questions import Questions
from annotator.ui.document.document_view import DocumentView
from annotator.ui.main.converting import Converting
from annotator.ui.main.document_list import DocumentListPanel
from annotator.ui.main.label_sets import LabelSets
from annotator.ui.main.large_opening import LargeOpening
from annotator.ui.main.notices import Notices
from annotator.ui.main.opening import DocumentOpener
from annotator.ui.main.sessions import DocumentSessions
from annotator.ui.plain_text import NameSafeStatusBar
from annotator.ui.timing import STATUS_TIMEOUT_MS

#: File → Open's filter: every document (text, web pages, Word, PDF) and annotation files, then each kind alone.
OPEN_FILTER = (
    f"Documents and annotations (*.txt *.html *.htm *.docx *.pdf *{ANNOTATION_SUFFIX} *.json);;"
    "Text files (*.txt);;Web pages (*.html *.htm);;Word documents (*.docx);;PDF files (*.pdf);;"
    f"Annotation files (*{ANNOTATION_SUFFIX} *.json);;All files (*)"
)


class Projects(QObject):
    """The open project (:attr:`project`) and its open document (:attr:`document_id`).

    Parameters
    ----------
    controller: the annotation controller (the open document, its status).
    sessions, opener: the open document's session, and how a document is opened into one.
    label_sets: the label sets (a project file may name the project's).
    documents, documents_dock: the Documents panel and its dock.
    view: the document view (its scroll position is remembered per project).
    settings, save_settings: per-project memory and recent files, and how to write them.
    annotator: the user's name (whose annotation files the project opens).
    questions: asks for a folder.
    notices, status: messages and the status bar.
    show_nothing: shows no document (nothing to edit or save).
    open_path: opens a file or folder (from the recent files).

    Signals
    -------
    project_changed(): a project was opened or left.
    """

    project_changed = Signal()

    def __init__(
        self,
        controller: AnnotationController,
        sessions: DocumentSessions,
        opener: DocumentOpener,
        label_sets: LabelSets,
        documents: DocumentListPanel,
        documents_dock: QDockWidget,
        view: DocumentView,
        settings: Settings,
        save_settings: Callable[[], None],
        annotator: str,
        questions: Questions,
        notices: Notices,
        status: NameSafeStatusBar,
        show_nothing: Callable[[], None],
        open_path: Callable[[Path], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.sessions = sessions
        self.opener = opener
        self.label_sets = label_sets
        self.documents = documents
        self.documents_dock = documents_dock
        self.view = view
        self.settings = settings
        self._save_settings = save_settings
        self.annotator = annotator
        self.questions = questions
        self.notices = notices
        self.status = status
        self._show_nothing = show_nothing
        self._open_path = open_path
        self.project: Project | None = None
        self.document_id: str | None = None
        self.converting: Converting | None = None  # set by the window: converts web pages, Word and PDF files
        self.large_opening: LargeOpening | None = None  # set by the window: huge documents, with progress and Cancel
        documents.document_activated.connect(self.open_document_id)
        sessions.entry_changed.connect(self.update_document_entry)
        sessions.leaving.connect(self.remember_position)

    def open_dialog(self) -> None:
        """Ask for a file and open it."""
        path = self.questions.open_file("Open", OPEN_FILTER)
        if path:
            self._open_path(path)

    def open_project_dialog(self) -> None:
        """Ask for a folder and open it as a project."""
        path = self.questions.folder("Open folder as project")
        if path:
            self.open_project(path)

    def open_project(self, path: str | Path) -> bool:
        """Open the folder ``path`` as a project: list its documents with their status, and open the document the
        user was on last time (at the same place), else the first. Returns whether it opened."""
        try:
            project = Project(path)
        except FileFault as error:
            self.notices.show_message("Could not open the project", error.message)
            return False
        if not self.sessions.maybe_discard():
            return False
        self.project = project
        self.document_id = None
        remark = self.label_sets.use_project_label_set(project)
        project.ignore_lock_files()
        self.documents.model.set_entries(read_entries(project, self.annotator))
        self.documents_dock.show()
        self.documents_dock.raise_()
        self.remember_recent(project.root)
        ids = [entry.id for entry in self.documents.model.entries]
        memory = self.settings.projects.get(str(project.root))
        first, top = (memory.last_document, memory.top_offset) if memory and memory.last_document in ids else ("", 0)
        first = first or (ids[0] if ids else "")
        opened = self._load_project_document(first) if first else None
        if opened is not None:
            self._show_project_document(first, opened, disk_stamp(opened.save_path), top)
        else:
            self._clear_document()
            self.project_changed.emit()
            if not ids:
                self.status.showMessage(f"{project.name} has no documents yet: add text, web page, Word or PDF files.")
        if remark:
            self.status.showMessage(remark, STATUS_TIMEOUT_MS * 3)
        return True

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
            self.update_document_entry()

    def refresh_after_import(self) -> None:
        """Re-read the document list after an import added documents."""
        if self.project is None:
            return
        self.documents.model.set_entries(read_entries(self.project, self.annotator))
        if self.document_id:
            self.documents.model.set_current(self.document_id)

    def leave_project(self) -> None:
        """Close the project (its open document was left already): the user's own label set comes back."""
        self.label_sets.leave_project(self.project is not None)
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
        if document_id == self.document_id and self.sessions.session is not None:
            self.view.setFocus()
            return True
        opened = self._load_project_document(document_id)
        if opened is None:
            return False
        stamp = disk_stamp(opened.save_path)  # as read: a change while the open one is saved is noticed
        if not self.sessions.maybe_discard():
            return False
        return self._show_project_document(document_id, opened, stamp)

    def _load_project_document(self, document_id: str) -> OpenedDocument | None:
        """Read the project's document and this annotator's file of it; ``None`` (after saying why) if either
        cannot be read. Nothing is written."""
        project = self.project
        if project is None:
            return None
        try:
            text_path, save_path = project.text_path(document_id), project.annotation_path(document_id, self.annotator)
            label_set, annotator = self.label_sets.label_set, self.annotator

            def read() -> OpenedDocument:
                return open_text_with_annotations(
                    text_path, save_path, label_set, annotator, document_id, earlier=annotation_path_for(text_path)
                )

            if self.converting is not None and conversion_needed(text_path, save_path):
                self.converting.start(text_path, read, lambda opened: self._converted(project, document_id, opened))
                return None
            if self.converting is not None:
                self.converting.cancel()
            large = self.large_opening
            if large is not None and (large.wants(text_path) or large.wants(save_path)):  # huge: off the GUI thread
                large.start(
                    text_path,
                    lambda _progress, _cancelled, _text_ready, _bytes_read: read(),
                    lambda opened: self._converted(project, document_id, opened),
                )
                return None
            return read()
        except FileFault as error:
            self.notices.show_message("Could not open the document", error.message)
            return None
        except ValueError as error:  # an id from a hand-edited settings file that points outside the project
            self.notices.show_message("Could not open the document", str(error))
            return None

    def _converted(self, project: Project, document_id: str, opened: OpenedDocument) -> None:
        """A project document converted off the GUI thread: show it, if its project is still open."""
        if self.project is not project:
            return
        large = self.large_opening  # a huge document's stamp was hashed by the open's worker
        stamp = large.stamp_of(opened) if large is not None else disk_stamp(opened.save_path)
        if self.sessions.maybe_discard():
            self._show_project_document(document_id, opened, stamp)

    def _show_project_document(
        self, document_id: str, opened: OpenedDocument, stamp: DiskStamp | None, top_offset: int = 0
    ) -> bool:
        self.document_id = document_id
        self.documents.model.set_current(document_id)
        self.documents.select_document(document_id)
        installed = self.opener.install(opened, stamp, document_id, top_offset)
        self.remember_position()
        return installed

    def _clear_document(self) -> None:
        """Show no document (e.g. a project whose first document cannot be opened): nothing to edit or save."""
        self.sessions.close()
        self.document_id = None
        self.documents.model.set_current(None)
        self._show_nothing()

    def _step_document(self, step: int, *, not_done: bool = False) -> None:
        if self.project is None:
            self.status.showMessage("Open a folder as a project first (Ctrl+Shift+P).", STATUS_TIMEOUT_MS)
            return
        target = self.documents.next_document_id(self.document_id, step, not_done=not_done)
        if target is None:
            what = "Every other document is done." if not_done else "No more documents that way."
            self.status.showMessage(what, STATUS_TIMEOUT_MS)
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
            self.sessions.autosave()  # a deliberate mark: on disk now
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
            self.status.showMessage(f"Marked {target.display_name.lower()}.{hint}", STATUS_TIMEOUT_MS)

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
        box = QMessageBox(self.notices.parent)
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
        self.notices.keep(box)
        box.open()

    def focus_document_list(self) -> None:
        """Show the Documents panel and put the keyboard in it (Enter opens the current row)."""
        if self.project is None:
            self.status.showMessage("Open a folder as a project first (Ctrl+Shift+P).", STATUS_TIMEOUT_MS)
            return
        self.documents_dock.show()
        self.documents_dock.raise_()
        self.documents.table.setFocus()

    def update_document_entry(self) -> None:
        """Refresh the open document's row in the document list (status, span count) from its saved file."""
        session = self.sessions.session
        if self.project is None or self.document_id is None or session is None:
            return
        annotations = self.controller.annotations
        if session.dirty and annotations is not None:
            self.documents.model.update_entry(entry_for(self.document_id, annotations))
        else:
            self.documents.model.update_entry(entry_from_file(self.document_id, session.save_path))

    def remember_position(self) -> None:
        """Note the open project document and the scroll position, for the next time the project opens."""
        if self.project is None or self.document_id is None:
            return
        memory = self.settings.projects.setdefault(str(self.project.root), ProjectMemory())
        memory.last_document = self.document_id
        memory.top_offset = self.view.top_offset()

    def remember_recent(self, path: Path) -> None:
        """Put ``path`` first in the recent files (remembered)."""
        self.settings.add_recent(path)
        self._save_settings()

    def fill_recent_menu(self, menu: QMenu) -> None:
        """List the recent files and folders in ``menu`` (one that no longer exists is shown disabled)."""
        menu.clear()
        for entry in self.settings.recent:
            path = Path(entry)
            kind = "folder" if path.is_dir() else "file"
            action = menu.addAction(f"{display_name(path)} ({kind}) — {path.parent}".replace("&", "&&"))
            action.setEnabled(path.exists())
            action.setToolTip(entry)
            action.triggered.connect(lambda _checked=False, p=entry: self._open_path(Path(p)))
        if not self.settings.recent:
            menu.addAction("No recent files").setEnabled(False)
            return
        menu.addSeparator()
        menu.addAction("Clear Recent", self._clear_recent)

    def _clear_recent(self) -> None:
        self.settings.recent = []
        self._save_settings()
