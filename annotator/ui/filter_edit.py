"""The filter field above a list: Escape clears it, Down or Enter move on to the list."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit


class FilterEdit(QLineEdit):
    """A list's text filter: Escape clears it (when there is text), Down or Enter emit :attr:`leave_requested`
    (the panel moves the focus to its table)."""

    leave_requested = Signal()

    def event(self, event: QEvent) -> bool:
        # Take Escape before the window's "deselect" shortcut does, but only while there is something to clear.
        overriding = event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
        if overriding and event.key() == Qt.Key.Key_Escape and self.text():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.leave_requested.emit()
            return
        super().keyPressEvent(event)
