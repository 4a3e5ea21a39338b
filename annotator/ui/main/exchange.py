"""File → Export… and File → Import…: datasets for other tools, with a progress bar for projects and a report of
every span that could not be written exactly.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QWidget

from annotator.formats.records import DocumentRecord, record_id_for
from annotator.io.errors import FileFault
from annotator.io.settings import Settings
from annotator.io.textfile import display_name
from annotator.model.annotation_set import AnnotationSet
from annotator.project.layout import ANNOTATIONS_FOLDER, Project
from annotator.ui.controller import AnnotationController
from annotator.ui.dialogs.questions import Questions
from annotator.ui.main.label_sets import LabelSets
from annotator.ui.main.notices import Notices
from annotator.ui.main.projects import Projects
from annotator.ui.main.sessions import DocumentSessions
from annotator.ui.plain_text import NameSafeStatusBar

if TYPE_CHECKING:
    from annotator.formats.importing import ImportReport
    from annotator.formats.options import ImportOptions
    from annotator.formats.report import ExportReport, Problem
    from annotator.ui.dialogs.exchange_dialogs import ExportChoice

# The formats, their dialogs and the export and import machinery are imported when first used, not at start-up.

T = TypeVar("T")


class _Cancelled(Exception):
    """The user pressed Cancel in the progress dialog."""


class Exchange:
    """Export and import.

    Parameters
    ----------
    parent: the window the dialogs open over.
    controller: the annotation controller (the open document).
    sessions: the open document's session (saved before a project export; its files are never written over).
    projects: the open project (exported, or imported into, and opened after an import).
    label_sets: the chosen label set (imported documents use it).
    settings: the last export and import formats.
    annotator: the user's name.
    questions: asks for a folder to import into.
    notices, status: messages and the status bar.
    commit_edits: commits an edit in progress (the span panel's note) before exporting the open document.
    select_span: selects a span of the open document by id, revealing it.

    Attributes ``last_dialog``, ``last_progress``, ``last_report``: the last dialogs opened (tests read them).
    """

    def __init__(
        self,
        parent: QWidget,
        controller: AnnotationController,
        sessions: DocumentSessions,
        projects: Projects,
        label_sets: LabelSets,
        settings: Settings,
        annotator: str,
        questions: Questions,
        notices: Notices,
        status: NameSafeStatusBar,
        commit_edits: Callable[[], None],
        select_span: Callable[[str], None],
    ) -> None:
        self.parent = parent
        self.controller = controller
        self.sessions = sessions
        self.projects = projects
        self.label_sets = label_sets
        self.settings = settings
        self.annotator = annotator
        self.questions = questions
        self.notices = notices
        self.status = status
        self._commit_edits = commit_edits
        self._select_span = select_span
        self.last_dialog: QDialog | None = None
        self.last_progress: QProgressDialog | None = None
        self.last_report: QDialog | None = None

    # -- export ---------------------------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        """Ask what to export, in which format and where, then export."""
        from annotator.ui.dialogs.exchange_dialogs import ExportDialog

        annotations = self.controller.annotations
        if annotations is None and self.projects.project is None:
            self.notices.show_message("Nothing to export", "Open a document or a project first.")
            return
        document_name = ""
        if annotations is not None:
            document_name = annotations.document.source.file_name.rsplit(".", 1)[0] or "document"
        text_path = self.sessions.session.text_path if self.sessions.session is not None else None
        if self.projects.project is not None:
            name, folder = self.projects.project.name, self.projects.project.root.parent
        else:
            name = document_name
            if text_path is not None:
                folder = text_path.parent
            else:  # an annotation file opened alone; one of a project's (a gold file, say): beside the project
                folder = _beside_project((self.controller.save_path or Path.home() / "x").parent)
        dialog = ExportDialog(
            self.parent,
            name,
            folder,
            in_project=self.projects.project is not None,
            last_format=self.settings.export_format,
            document_name=document_name,
        )
        self.last_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        if choice is None:
            self.notices.show_message("Export", "Choose where to save the export.")
            return
        destination = choice.destination
        taken = destination.is_file() or (destination.is_dir() and any(destination.iterdir()))
        if taken and not self.questions.replace(destination.name, destination.is_dir()):
            return  # typed or suggested, not picked in a file dialog (which asks itself)
        self.settings.export_format = choice.format
        self.run_export(choice)

    def export_annotation_set(
        self,
        annotations: AnnotationSet,
        saved_at: Path,
        parent: QWidget | None = None,
        sources: Sequence[Path] = (),
    ) -> ExportReport | None:
        """Ask for a format and a destination, then export ``annotations`` alone (e.g. gold from the review
        window, whose file is ``saved_at``, made from the annotation files ``sources``); returns the
        :class:`ExportReport`, or ``None`` when cancelled or refused (after a message). Those files, and text
        files beside them, are never written over. The main window's open document and project are left as
        they are."""
        from annotator.ui.dialogs.exchange_dialogs import ExportDialog

        document_name = annotations.document.source.file_name.rsplit(".", 1)[0] or "document"
        folder = _beside_project(saved_at.parent)
        name = f"{record_id_for(annotations.document_id, document_name).replace('/', '-')}.{annotations.annotator}"
        dialog = ExportDialog(
            parent or self.parent,
            name,
            folder,
            in_project=False,
            last_format=self.settings.export_format,
            document_name=name,
        )
        self.last_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        choice = dialog.choice()
        if choice is None:
            self.notices.show_message("Export", "Choose where to save the export.")
            return None
        self.settings.export_format = choice.format
        return self.run_export(choice, annotations=annotations, saved_at=saved_at, sources=sources)

    def _document_record(self, annotations: AnnotationSet | None = None) -> DocumentRecord | None:
        if annotations is not None:
            fallback = annotations.document.source.file_name.rsplit(".", 1)[0] or "document"
            return DocumentRecord.from_annotations(annotations, record_id_for(annotations.document_id, fallback))
        annotations = self.controller.annotations
        if annotations is None:
            return None
        self._commit_edits()
        fallback = annotations.document.source.file_name.rsplit(".", 1)[0] or "document"
        return DocumentRecord.from_annotations(annotations, record_id_for(annotations.document_id, fallback))

    def run_export(
        self,
        choice: ExportChoice,
        *,
        annotations: AnnotationSet | None = None,
        saved_at: Path | None = None,
        sources: Sequence[Path] = (),
    ) -> ExportReport | None:
        """Export as ``choice`` says; shows the report (or the error) and returns it (``None`` on error or cancel).

        With ``annotations`` (saved at ``saved_at``, made from the annotation files ``sources``), exports that
        set alone instead of the open document or project; its file and those files are protected like the open
        document's, and so are text files beside them."""
        from annotator.formats.destination import export_refusal
        from annotator.formats.exporting import export
        from annotator.formats.overlap import OverlapError
        from annotator.formats.registry import get_format
        from annotator.formats.sources import find_sources, iter_records, unannotated_records
        from annotator.ui.dialogs.exchange_dialogs import SCOPE_DOCUMENT, SCOPE_MINE

        fmt = get_format(choice.format)
        protected = [path for path in self._open_paths() if path is not None]
        # outside a project the open document's files are the inputs: text files beside them are refused too
        inputs = (
            [self.projects.project.root] if self.projects.project is not None else [p for p in protected if p.exists()]
        )
        if saved_at is not None:
            protected.extend([saved_at, *sources])
            inputs.extend(path for path in (*sources, saved_at) if path.exists())
        alone = annotations is not None or choice.scope == SCOPE_DOCUMENT or self.projects.project is None
        if alone and annotations is None and self.controller.annotations is None:
            self.notices.show_message("Nothing to export", "No document is open.")
            return None
        refusal = export_refusal(choice.destination, fmt.writes_folder, inputs, protected)
        if refusal:
            self.notices.show_message("Could not export", refusal)
            return None
        faults: list[FileFault] = []
        if alone:
            record = self._document_record(annotations)
            records: Iterable[DocumentRecord] = [record] if record is not None else []
            total = len(records)
        else:
            session = self.sessions.session
            if (
                session is not None
                and session.dirty
                and not (session.read_only or self.sessions.save_session(quiet=True))
            ):
                self.notices.show_message(
                    "Could not export",
                    "The open document has changes that are not saved yet, and the project export reads the saved "
                    "files. Save it (or settle the question about it), then export again; or export this document "
                    "alone.",
                )
                return None
            try:
                sources = find_sources([self.projects.project.root], unannotated=choice.include_unannotated)
            except FileFault as error:
                self.notices.show_message("Could not export", error.message)
                return None
            annotators = [self.annotator] if choice.scope == SCOPE_MINE else []
            handled: set[Path] = set()
            records = iter_records(sources, annotators, faults, handled)
            total = None if choice.include_unannotated else len(sources)  # None: a busy bar
            if choice.include_unannotated:  # read after the annotation files, which say which documents have one
                records = itertools.chain(
                    records, unannotated_records([self.projects.project.root], sources, handled, faults)
                )
        try:
            report = export(fmt, self._with_progress(records, total, "Exporting…"), choice.destination, choice.options)
        except _Cancelled:
            partial = " (the files written so far stay in that folder)" if fmt.writes_folder else ""
            self.status.showMessage(f"Export cancelled{partial}.", 8000)
            return None
        except (FileFault, OverlapError) as error:
            self.notices.show_message("Could not export", error.message if isinstance(error, FileFault) else str(error))
            return None
        self._show_export_report(report, faults, choice.destination)
        return report

    def _open_paths(self) -> list[Path | None]:
        """The open document's text and annotation files: an export never writes over them."""
        session = self.sessions.session
        return [session.text_path, session.save_path] if session is not None else [self.controller.save_path]

    def _with_progress(self, items: Iterable[T], total: int | None, label: str) -> Iterator[T]:
        """``items``, with a cancellable progress dialog once there are more than a few (``total`` ``None``: not
        known, a busy bar); raises :class:`_Cancelled` when Cancel is pressed."""
        if total is not None and total <= 3:
            yield from items
            return
        dialog = QProgressDialog(label, "Cancel", 0, total or 0, self.parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        self.last_progress = dialog
        try:
            for done, item in enumerate(items):
                dialog.setValue(done)
                QApplication.processEvents()
                if dialog.wasCanceled():
                    raise _Cancelled
                yield item
            dialog.setValue(total or 0)
        finally:
            dialog.close()

    def _show_export_report(self, report: ExportReport, faults: list[FileFault], destination: Path) -> None:
        """Say what was written; when spans were not written exactly, list them in the export report dialog."""
        from annotator.ui.dialogs.exchange_dialogs import ExportReportDialog

        summary = report.summary() + (f"; {len(faults)} files could not be read" if faults else "")
        self.status.showMessage(f"{summary}.", 10000)
        skipped = [f"Skipped {fault.message}" for fault in faults]
        if not report.problems and not faults and not report.notes:
            box = QMessageBox(self.parent)
            # what the format has no room for (origins, pending suggestions) is in the summary: a warning then
            box.setIcon(QMessageBox.Icon.Warning if report.left_out else QMessageBox.Icon.Information)
            box.setWindowTitle("Export")
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setText(f"{summary}.\n\nWritten to {destination}")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.notices.keep(box)
            box.open()
            return
        dialog = ExportReportDialog(
            self.parent, f"{summary}.\nWritten to {destination}", report.problems, skipped, report.notes
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.go_to.connect(self.show_problem_span)
        self.last_report = dialog
        dialog.show()

    def show_problem_span(self, problem: Problem) -> bool:
        """Open the document of an export problem (when it holds your annotations) and select its span; returns
        whether the span is shown."""
        suffix = f"@{self.annotator}"
        record_id = problem.document.removesuffix(suffix) if problem.document.endswith(suffix) else None
        annotations = self.controller.annotations
        if record_id is None:
            self.status.showMessage("That span is another annotator's: open their file to see it.", 5000)
            return False
        current = None
        if annotations is not None:
            fallback = annotations.document.source.file_name.rsplit(".", 1)[0]
            current = record_id_for(annotations.document_id, fallback)
        if current != record_id:
            document_id = f"{record_id}.txt"
            if self.projects.project is None:
                self.status.showMessage(f"That span is in {record_id}: open it to see the span.", 5000)
                return False
            if document_id not in self.projects.project.document_ids() or not self.projects.open_document_id(
                document_id
            ):
                self.status.showMessage(f"{record_id}: no such document in the project.", 5000)
                return False
        annotations = self.controller.annotations
        span = annotations.find(problem.start, problem.end, problem.label) if annotations is not None else None
        if span is None:
            self.status.showMessage("That span is no longer there.", 5000)
            return False
        self._select_span(span.id)
        return True

    # -- import ---------------------------------------------------------------------------------------------------
    def import_dialog(self) -> None:
        """Ask for a format and a file, then import it into the open project (or a new project folder)."""
        from annotator.ui.dialogs.exchange_dialogs import ImportDialog

        if self.projects.project is not None:
            target = f"The open project {self.projects.project.name}, in a folder named after the file"
        else:
            target = "A folder you choose next, opened as a project afterwards"
        dialog = ImportDialog(self.parent, target, self.settings.import_format)
        self.last_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        if choice is None:
            return
        fmt_name, path = choice.format, choice.path
        self.settings.import_format = fmt_name
        folder = None
        if self.projects.project is None:
            folder = self.questions.folder("Folder for the imported documents")
            if folder is None:
                return
        self.import_file(path, fmt_name, folder, choice.options)

    def import_file(
        self, path: Path, fmt_name: str, folder: Path | None = None, options: ImportOptions | None = None
    ) -> ImportReport | None:
        """Import ``path`` in format ``fmt_name``, read with ``options``: into the open project (in a subfolder named
        after the file), or into ``folder``, which then opens as a project. Shows what was imported and rejected."""
        from annotator.formats.importing import import_records, subfolder_for
        from annotator.formats.registry import get_format
        from annotator.ui.dialogs.exchange_dialogs import reading_option_hint

        fmt = get_format(fmt_name)
        try:
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
                project, subfolder = Project(folder), ""
            elif self.projects.project is not None:
                project, subfolder = self.projects.project, subfolder_for(path)
            else:
                return None
            items = self._with_progress(fmt.read(path, options), None, f"Importing {display_name(path)}…")
            report = import_records(items, project, self.label_sets.label_set, self.annotator, subfolder=subfolder)
        except _Cancelled:
            self.projects.refresh_after_import()
            self.status.showMessage("Import cancelled; what was imported stays (importing again skips it).", 8000)
            return None
        except FileFault as error:
            self.notices.show_message(
                "Could not import", "\n".join(filter(None, [error.message, reading_option_hint(error.message)]))
            )
            return None
        except OSError as error:
            self.notices.show_message("Could not import", f"{error.filename or folder}: {error.strerror or error}")
            return None
        if folder is not None:
            self.projects.open_project(folder)
        else:
            self.projects.refresh_after_import()
            if self.projects.document_id is None and report.documents:
                self.projects.open_document_id(report.documents[0])
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Information if not report.rejected else QMessageBox.Icon.Warning)
        box.setWindowTitle(f"Import {fmt.title}")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"{display_name(path)}: {report.summary()}")
        if report.rejected or report.skipped or report.notes:
            details = [*report.rejected, *report.skipped, *report.notes]
            hint = reading_option_hint("\n".join(details))
            box.setDetailedText("\n".join([*details, *([hint] if hint else [])]))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.notices.keep(box)
        box.open()
        return report


def _beside_project(folder: Path) -> Path:
    """Where exports of a file in ``folder`` go by default: beside the project when ``folder`` is inside a project's
    annotations folder (as a gold file is), never among the project's files; else ``folder`` itself."""
    return next((p.parent.parent for p in (folder, *folder.parents) if p.name == ANNOTATIONS_FOLDER), folder)
