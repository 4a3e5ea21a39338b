"""The questions the window asks the user, behind one small protocol, so tests answer them with a scripted
answerer instead of patching the window (``window.questions = ...``).

The default, :class:`DialogQuestions`, asks with the window-modal boxes of :mod:`annotator.ui.session_dialogs`.
Each question says in its own text what each answer does, so an answer is always honoured as given.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QWidget

from annotator.ui import session_dialogs


class Questions(Protocol):
    """Questions to the user; every argument is plain text or a count, every answer a plain value."""

    def add_labels(
        self, parent: QWidget | None, file_name: str, missing: list[str], label_set: str, links: int
    ) -> bool:
        """Switching the open document ``file_name`` to the label set named ``label_set``, which lacks the labels
        ``missing`` that its spans use: add them to it (and switch) or leave the label set as it is. ``links``: how
        many links do not fit the new set's relation types and are removed by switching (undoable). Returns whether to
        add them and switch."""
        ...


class DialogQuestions:
    """:class:`Questions` asked with message boxes over ``parent``."""

    def add_labels(
        self, parent: QWidget | None, file_name: str, missing: list[str], label_set: str, links: int
    ) -> bool:
        return session_dialogs.ask_add_labels(parent, file_name, missing, label_set, links)
