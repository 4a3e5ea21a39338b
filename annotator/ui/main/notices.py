"""What the main window's parts tell the user without asking: plain-text message boxes, and a notice kept for the
next document opened."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.ui.dialogs.messages import show_plain_message


class Notices:
    """Plain-text messages over ``parent``.

    Attributes
    ----------
    last_message: the last message box shown (tests read it).
    pending: said in the status bar with the next document opened (e.g. what recovery restored).
    """

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.last_message: QMessageBox | None = None
        self.pending = ""

    def show_message(self, title: str, text: str) -> None:
        """Show ``text`` as plain text in a window-modal warning box (kept in :attr:`last_message`)."""
        self.last_message = show_plain_message(self.parent, title, text)

    def keep(self, box: QMessageBox) -> None:
        """Remember ``box`` (an information box a part opened) as :attr:`last_message`."""
        self.last_message = box

    def add_pending(self, text: str) -> None:
        """Say ``text`` with the next document opened (after what is pending already)."""
        self.pending = f"{self.pending} {text}".strip()

    def take_pending(self) -> str:
        """The pending notice, now said (cleared)."""
        pending, self.pending = self.pending, ""
        return pending
