"""A ``QUndoCommand`` around a pure model command, so Qt's undo stack names actions and tracks the saved state."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.commands import Command


class ModelUndoCommand(QUndoCommand):
    """Runs ``command`` on ``annotations`` and passes each resulting :class:`Change` to ``notify``."""

    def __init__(self, command: Command, annotations: AnnotationSet, notify: Callable[[Change], None]) -> None:
        super().__init__(command.text)
        self._command = command
        self._annotations = annotations
        self._notify = notify

    def redo(self) -> None:
        self._notify(self._command.redo(self._annotations))

    def undo(self) -> None:
        self._notify(self._command.undo(self._annotations))
