"""The controller: owns the open annotation set, its undo stack and save path; every change goes through it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.io import annotation_file
from annotator.model.annotation_set import AnnotationSet, Change, trim_whitespace
from annotator.model.commands import AddSpan, Command, RelabelSpan, RemoveSpans
from annotator.model.span import Span
from annotator.ui.undo import ModelUndoCommand


class AnnotationController(QObject):
    """Runs commands on the current :class:`AnnotationSet` and tells views what changed.

    Signals
    -------
    changed(Change): after every command, undo and redo; views update only the spans named in it.
    annotations_replaced(): a new annotation set (another document) was opened.
    """

    changed = Signal(object)
    annotations_replaced = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.annotations: AnnotationSet | None = None
        self.save_path: Path | None = None

    # -- documents ------------------------------------------------------------------------------------------------
    def set_annotations(self, annotations: AnnotationSet, save_path: Path | None) -> None:
        """Make ``annotations`` the open set (clears undo history); ``save_path`` is where Save writes."""
        self.undo_stack.clear()
        self.annotations = annotations
        self.save_path = save_path
        self.annotations_replaced.emit()

    def save(self, path: Path | None = None) -> Path:
        """Write the annotation file to ``path`` (default: :attr:`save_path`) atomically; marks the stack clean.

        Raises
        ------
        FileFault
            If writing fails (the old file is intact).
        RuntimeError
            If nothing is open or no path is known.
        """
        if self.annotations is None:
            raise RuntimeError("no document is open")
        target = path or self.save_path
        if target is None:
            raise RuntimeError("no file name to save to")
        annotation_file.save(self.annotations, target)
        self.save_path = Path(target)
        self.undo_stack.setClean()
        return self.save_path

    # -- editing --------------------------------------------------------------------------------------------------
    def add_span(self, start: int, end: int, label: str) -> Span | None:
        """Label the code-point range ``[start, end)`` (whitespace at either end trimmed) with ``label``.

        Returns the new span, or ``None`` when the range holds only whitespace or the same span already exists.
        """
        annotations = self._require()
        trimmed = trim_whitespace(annotations.text, start, end)
        if trimmed is None or annotations.find(*trimmed, label) is not None:
            return None
        span = annotations.new_span(*trimmed, label)
        self._run(AddSpan(span))
        return span

    def remove_spans(self, span_ids: list[str]) -> None:
        """Delete the spans with these ids (one undo step); unknown ids are ignored."""
        annotations = self._require()
        spans = [annotations.get(i) for i in span_ids if i in annotations]
        if spans:
            self._run(RemoveSpans(spans))

    def relabel_span(self, span_id: str, label: str) -> Span | None:
        """Give span ``span_id`` the label ``label``; returns the new span, or ``None`` if nothing changed."""
        annotations = self._require()
        span = annotations.get(span_id)
        if span.label == label or annotations.find(span.start, span.end, label) is not None:
            return None
        self._run(RelabelSpan(span, label))
        return annotations.get(span_id)

    def _run(self, command: Command) -> None:
        self.undo_stack.push(ModelUndoCommand(command, self._require(), self._emit))

    def _emit(self, change: Change) -> None:
        self.changed.emit(change)

    def _require(self) -> AnnotationSet:
        if self.annotations is None:
            raise RuntimeError("no document is open")
        return self.annotations
