"""Starting the GUI: the QApplication, the settings, the main window."""

from __future__ import annotations

import os
import sys

from PySide6.QtWidgets import QApplication

from annotator.io.errors import FileFault
from annotator.io.settings import default_annotator_name, load_settings, save_settings


def run_app(path: str | None = None, annotator: str | None = None) -> int:
    """Show the main window (opening ``path`` if given) and run the event loop; returns the exit code.

    ``annotator`` overrides and replaces the remembered annotator name; without it the remembered name, else the OS
    user name, is used. No dialog is shown at start-up.
    """
    from annotator.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("annotator")
    app.setApplicationDisplayName("annotator")
    settings = load_settings()
    if annotator:
        settings.annotator = os.fsencode(annotator).decode("utf-8", "replace").strip() or settings.annotator
        try:
            save_settings(settings)
        except FileFault as error:
            print(f"annotator: {error.message}", file=sys.stderr)
    window = MainWindow(settings.annotator or default_annotator_name(), settings)
    window.show()
    if path:
        window.open_path(path)
    return app.exec()
