"""An uncaught exception in the app shows a plain message with "Copy details" instead of the app vanishing.

PySide6 hands an exception raised in a slot or an overridden Qt method to :data:`sys.excepthook` and carries on;
:func:`start_crash_reporting` makes that hook (and :data:`threading.excepthook`) log the traceback
(:mod:`annotator.app_log`) and show :class:`CrashDialog`: one line saying what failed and where the log is, a
"Copy details" button putting the traceback on the clipboard, and Close. The app keeps running. Exceptions raised
while a report is on screen are added to it (one dialog, not a pile of them); a report from another thread is shown
from the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from annotator.app_log import announce_start, start_logging
from annotator.ui.timing import ANNOUNCE_AFTER_MS


class CrashDialog(QDialog):
    """The report of uncaught exceptions: a plain-text summary and the buttons "Copy details" (the tracebacks, as
    text, to the clipboard) and Close. :meth:`add` appends another traceback."""

    def __init__(self, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("annotator: something went wrong")
        self.log_path = log_path
        self.details: list[str] = []
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)

    def add(self, details: str) -> None:
        """Report one more uncaught exception (``details``: its formatted traceback)."""
        self.details.append(details)
        last = details.rstrip().splitlines()[-1] if details.strip() else "an unknown error"
        where = f"The details are in the log {self.log_path}." if self.log_path else "The log could not be written."
        count = f" ({len(self.details)} errors so far)" if len(self.details) > 1 else ""
        self.summary.setText(
            f"Something went wrong{count}: {last}\n\nThe app carries on; save your work to be safe. {where} "
            "Please report it with the details (Copy details puts them on the clipboard)."
        )
        self.copy_button.setText("Copy details")

    def copy_details(self) -> None:
        """Put every reported traceback on the clipboard, as plain text."""
        QGuiApplication.clipboard().setText("\n".join(self.details))
        self.copy_button.setText("Copied")


class CrashReporter(QObject):
    """Receives tracebacks from the exception hooks (any thread) and shows them in one :class:`CrashDialog`."""

    reported = Signal(str)

    def __init__(self, log_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self.dialog: CrashDialog | None = None
        self.reported.connect(self.show_report, Qt.ConnectionType.QueuedConnection)

    def report(self, details: str) -> None:
        """Called by the hooks: shows ``details`` from the GUI thread's event loop."""
        self.reported.emit(details)

    def show_report(self, details: str) -> None:
        """Show ``details`` in the dialog (opened if it is not on screen)."""
        if self.dialog is None or not self.dialog.isVisible():
            self.dialog = CrashDialog(self.log_path)
            self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.dialog.add(details)
        self.dialog.show()
        self.dialog.raise_()


def start_crash_reporting(log_folder: Path | None = None) -> CrashReporter:
    """Start the log (:func:`annotator.app_log.start_logging`, in ``log_folder`` or the default) with uncaught
    exceptions reported in a :class:`CrashDialog`; a ``QApplication`` must exist. Keep the returned reporter alive
    (the application holds it as its child)."""
    from PySide6.QtCore import QCoreApplication, QTimer

    application = QCoreApplication.instance()
    reporter = CrashReporter(None, application)
    reporter.log_path = start_logging(log_folder, on_exception=reporter.report, announce=False)
    QTimer.singleShot(ANNOUNCE_AFTER_MS, application, announce_start)  # once the window is up (start-up: 20 ms)
    application.aboutToQuit.connect(announce_start)  # a run that ends before
    return reporter
