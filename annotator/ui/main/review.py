"""The review commands: the agreement of the open project's annotators, in
:class:`~annotator.ui.review.agreement_dialog.AgreementDialog`, and the review and adjudication of one document's
annotators, in :class:`~annotator.ui.review.review_window.ReviewWindow`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow

from annotator.formats.records import record_id_for
from annotator.io.annotation_file import ANNOTATION_SUFFIX
from annotator.io.errors import FileFault
from annotator.review.loading import ReviewInput, load_review_input
from annotator.ui.dialogs.questions import Questions
from annotator.ui.main.notices import Notices
from annotator.ui.main.projects import Projects
from annotator.ui.main.sessions import DocumentSessions, same_file

if TYPE_CHECKING:  # imported when first used, not at start-up (agreement needs numpy and krippendorff: 0.3 s)
    from annotator.ui.review.agreement_dialog import AgreementDialog
    from annotator.ui.review.review_window import ReviewWindow

REVIEW_WINDOW_NAME = "reviewWindow"
"""The object name of every review window (how the main window finds them)."""

SHOWN_FAULTS = 5
"""How many of the files left out a message lists (the dialog lists them all)."""


class Reviews:
    """Agreement, review and adjudication.

    Parameters
    ----------
    window: the main window: review windows and the agreement dialog are its children.
    sessions: the open document's session (saved before a review or agreement reads the files).
    projects: the open project and document.
    questions: asks for the annotation files to review.
    notices: messages.
    open_path: opens a file in the main window (from a review window).
    exporter: exports an annotation set (the review window's gold), as :meth:`Exchange.export_annotation_set`.

    Attributes ``last_review``, ``last_agreement``: the last review window and agreement dialog (tests read them).
    """

    def __init__(
        self,
        window: QMainWindow,
        sessions: DocumentSessions,
        projects: Projects,
        questions: Questions,
        notices: Notices,
        open_path: Callable[[Path], bool],
        exporter: Callable[..., object],
    ) -> None:
        self.window = window
        self.sessions = sessions
        self.projects = projects
        self.questions = questions
        self.notices = notices
        self._open_path = open_path
        self._exporter = exporter
        self.last_review: ReviewWindow | None = None
        self.last_agreement: AgreementDialog | None = None

    def review_document(self) -> ReviewWindow | None:
        """Open the review window on the open project document's annotators (the open document saved first);
        returns it, or ``None`` after a message saying why not (no project document open, fewer than two
        annotators, an unreadable gold file)."""
        if self.projects.project is None or self.projects.document_id is None:
            self.notices.show_message(
                "Review",
                "Open a document of a project annotated by two or more annotators, or choose "
                "File → Review Annotation Files… to compare files.",
            )
            return None
        if self.sessions.unsaved:
            self.sessions.save_session(quiet=True)
        from annotator.review.gold_file import project_document_files

        files = project_document_files(self.projects.project, self.projects.document_id)
        return self.review_files(files, name=record_id_for(self.projects.document_id), in_project=True)

    def close_reviews(self) -> bool:
        """Close every open review window, each asking about its unsaved gold; returns ``False`` (leaving the rest
        open) as soon as one stays open (the reviewer cancelled)."""
        windows = self.window.findChildren(QMainWindow, REVIEW_WINDOW_NAME)
        return all(window.close() for window in windows if window.isVisible())

    def review_files_dialog(self) -> ReviewWindow | None:
        """Ask for two or more annotation files of one document and review them."""
        paths = self.questions.open_files(
            "Review annotation files of one document", f"Annotation files (*{ANNOTATION_SUFFIX} *.json);;All files (*)"
        )
        return self.review_files(paths) if paths else None

    def review_files(
        self, paths: Sequence[Path], *, name: str | None = None, in_project: bool = False
    ) -> ReviewWindow | None:
        """Open the review window on the annotation files ``paths`` (one document, two or more annotators; a gold
        file among them is where adjudication carries on); returns it (kept in :attr:`last_review`), or ``None``
        after a plain-text message naming the files and the fault."""
        from annotator.review.gold_file import ReviewRefusal, open_review
        from annotator.ui.review.review_window import ReviewWindow

        found = ReviewInput()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            try:
                if paths:
                    found = load_review_input(list(paths))
                setup = open_review(found, name, self.projects.project if in_project else None)
            except FileFault as fault:
                refusal = fault.message
            except ReviewRefusal as error:
                refusal = str(error)
                if found.faults:
                    refusal += "\n\nFiles that could not be used:\n" + "\n".join(found.faults[:SHOWN_FAULTS])
            else:
                refusal = ""
        finally:
            QApplication.restoreOverrideCursor()
        if refusal:
            self.notices.show_message("Review", refusal)
            return None
        for open_review_window in self.window.findChildren(ReviewWindow):
            if open_review_window.isVisible() and same_file(open_review_window.setup.gold_path, setup.gold_path):
                window = open_review_window  # one review per gold file: two would save over each other
                if sorted(window.setup.files) != sorted(setup.files):
                    window.show_message(
                        "Review",
                        f"This review of {window.name} compares {', '.join(sorted(window.setup.files))}. To compare "
                        f"{', '.join(sorted(setup.files))}, save and close it, then open the review again.",
                    )
                break
        else:
            window = ReviewWindow(
                setup,
                setup.adjudication.document.document,
                opener=self._open_from_review,
                exporter=self._exporter,
                parent=self.window,
            )
        self.last_review = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _open_from_review(self, path: Path) -> bool:
        """Open ``path`` (a file a review window names) here, showing this window first if a review-only start
        left it hidden."""
        if not self.window.isVisible():
            self.window.show()
        return self._open_path(path)

    def show_agreement(self) -> AgreementDialog | None:
        """Measure the agreement of the open project's annotators (the open document saved first) and show it in a
        non-modal :class:`AgreementDialog` (kept in :attr:`last_agreement`); returns it, or ``None`` after a message
        when no project is open or fewer than two annotators have annotation files."""
        if self.projects.project is None:
            self.notices.show_message(
                "Agreement", "Open a project annotated by two or more annotators (File → Open Folder as Project…)."
            )
            return None
        if self.sessions.unsaved:
            self.sessions.save_session(quiet=True)
        from annotator.review.agreement import agreement_report
        from annotator.ui.review.agreement_dialog import AgreementDialog

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            try:
                found = load_review_input([self.projects.project.root])
            except FileFault:  # the project holds no annotation files yet
                found = ReviewInput()
            annotators = sorted({name for document in found.documents for name in document.spans})
            report = agreement_report(found.documents) if len(annotators) >= 2 else None
        finally:
            QApplication.restoreOverrideCursor()
        if report is None:
            self.notices.show_message("Agreement", _too_few(annotators, found.faults))
            return None
        dialog = AgreementDialog(self.window, report, self.projects.project.name, found.faults)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_agreement = dialog
        dialog.show()
        return dialog


def _too_few(annotators: list[str], faults: list[str]) -> str:
    """Why there is no agreement to show: who annotated, and the files that could not be used."""
    if not annotators:
        text = "Agreement needs two or more annotators; no one has annotated a document of this project yet."
    else:
        text = (
            "Agreement needs two or more annotators; only "
            f"{annotators[0]} has annotated documents of this project so far."
        )
    if faults:
        shown = faults[:SHOWN_FAULTS]
        more = [f"… and {len(faults) - SHOWN_FAULTS} more"] if len(faults) > SHOWN_FAULTS else []
        text += "\n\nFiles that could not be used:\n" + "\n".join([*shown, *more])
    return text
