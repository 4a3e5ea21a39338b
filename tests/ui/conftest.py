from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from annotator.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, monkeypatch):
    """A shown, active main window; closing it never blocks on a question (the answer is Discard), and the
    questions about recovery, files changed on disk and re-anchoring answer "later" / "keep the old text" unless a
    test says otherwise."""
    monkeypatch.setattr(MainWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(MainWindow, "ask_recovery", lambda self, recoverable: "later")
    monkeypatch.setattr(MainWindow, "ask_conflict", lambda self, name, unsaved: "later")
    monkeypatch.setattr(MainWindow, "ask_reanchor", lambda self, file_name, text_name, reanchored: False)
    win = MainWindow("tester")
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    return win


def select_qt(view, start: int, end: int) -> None:
    """Select Qt positions [start, end) in the view, as a mouse drag would."""
    cursor = view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
