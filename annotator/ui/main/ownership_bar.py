"""The bar above the text when another annotator's file is open read-only: whose it is, and two ways on. Not a
dialog: nothing waits for an answer (the sample opens with it on the first run)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from annotator.ui.plain_text import one_line


class OwnershipBar(QFrame):
    """Says that ``file_name`` is ``owner``'s and is open read-only; "Edit as Yourself" emits :attr:`edit_chosen`,
    "Make My Own Copy" emits :attr:`copy_chosen` (the window acts and remembers the choice for the folder)."""

    edit_chosen = Signal()
    copy_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ownershipBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.message = QLabel()
        self.message.setObjectName("ownershipMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.edit_button = QPushButton("Edit as Yourself")
        self.edit_button.setObjectName("ownershipEdit")
        self.copy_button = QPushButton("Make My Own Copy")
        self.copy_button.setObjectName("ownershipCopy")
        layout.addWidget(self.message, 1)
        layout.addWidget(self.edit_button)
        layout.addWidget(self.copy_button)
        self.edit_button.clicked.connect(self.edit_chosen)
        self.copy_button.clicked.connect(self.copy_chosen)
        self.hide()

    def show_owner(self, file_name: str, owner: str, you: str, copy_name: str) -> None:
        """Show the bar for ``file_name``, made by ``owner``, open for ``you`` (names shown on one line, plain)."""
        owner, you = one_line(owner, 60), one_line(you, 60)
        self.message.setText(
            f"{one_line(file_name)} was made by {owner}: it is open read-only. Edit as Yourself saves your changes "
            f"into {owner}'s file; Make My Own Copy saves them to {one_line(copy_name)} (you, {you}). Your choice "
            "is remembered for this folder."
        )
        self.show()
