"""The main window's review commands: the agreement of the open project's annotators, in
:class:`~annotator.ui.agreement_dialog.AgreementDialog`.

:class:`ReviewMixin` is part of :class:`~annotator.ui.main_window.MainWindow`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.io.errors import FileFault
from annotator.review.agreement import agreement_report
from annotator.review.loading import ReviewInput, load_review_input
from annotator.ui.agreement_dialog import AgreementDialog

SHOWN_FAULTS = 5
"""How many of the files left out a message lists (the dialog lists them all)."""


class ReviewMixin:
    """Agreement for :class:`MainWindow`."""

    def show_agreement(self) -> AgreementDialog | None:
        """Measure the agreement of the open project's annotators (the open document saved first) and show it in a
        non-modal :class:`AgreementDialog` (kept in :attr:`last_agreement`); returns it, or ``None`` after a message
        when no project is open or fewer than two annotators have annotation files."""
        if self.project is None:
            self.show_message(
                "Agreement", "Open a project annotated by two or more annotators (File → Open Folder as Project…)."
            )
            return None
        if self.session is not None and self.session.dirty:
            self._save_session(quiet=True)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            try:
                found = load_review_input([self.project.root])
            except FileFault:  # the project holds no annotation files yet
                found = ReviewInput()
            annotators = sorted({name for document in found.documents for name in document.spans})
            report = agreement_report(found.documents) if len(annotators) >= 2 else None
        finally:
            QApplication.restoreOverrideCursor()
        if report is None:
            self.show_message("Agreement", _too_few(annotators, found.faults))
            return None
        dialog = AgreementDialog(self, report, self.project.name, found.faults)
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
