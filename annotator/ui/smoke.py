"""``annotator --smoke-test FILE``: start the app on FILE, save its annotation file and quit, for checking an install
or a bundle on a real display (``packaging/smoke-test.sh`` runs it under Xvfb).

Once the event loop runs, the open document is saved (its annotation file written, as Ctrl+S would) and the app quits
with exit status 0, printing ``smoke test: saved PATH``; with nothing open, or when the save fails (read-only file,
unwritable folder), it prints why and quits with 1. Open a file whose annotator is you (``--annotator NAME``), or a
plain text file, so that it is not read-only.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def schedule_smoke_test(window: MainWindow) -> None:
    """Save ``window``'s document and quit once the event loop has started (see the module docstring)."""
    QTimer.singleShot(0, lambda: QApplication.exit(run_smoke_test(window)))


def run_smoke_test(window: MainWindow) -> int:
    """Save the open document now; returns the exit status (0: saved) after printing one line."""
    session = window.sessions.session
    if session is None:
        print("smoke test: no document is open", file=sys.stderr)
        return 1
    if not window.sessions.save_session(quiet=True, overwrite=True):
        reason = session.read_only_reason if session.read_only else "saving failed"
        print(f"smoke test: {session.save_path} not saved: {reason}", file=sys.stderr)
        return 1
    print(f"smoke test: saved {session.save_path}")
    return 0
