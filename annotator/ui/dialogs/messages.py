"""Message boxes that show user text (file names, faults, document names) as plain text, never as HTML."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def show_plain_message(parent: QWidget, title: str, text: str) -> QMessageBox:
    """Open a window-modal warning box with ``text`` as plain text (deleted when closed); returns it, so windows can
    keep it (their ``last_message``) for tests."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def ask_save_discard_cancel(parent: QWidget, title: str, text: str, detail: str = "") -> QMessageBox.StandardButton:
    """Ask ``text`` (plain text; ``detail`` below it) with Save (the default), Discard and Cancel; returns the
    button chosen (Cancel when the box is closed)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    box.setStandardButtons(
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    return QMessageBox.StandardButton(box.exec())
