"""Undoable commands over an :class:`~annotator.model.annotation_set.AnnotationSet`.

Each command is a pure object (no Qt): :meth:`Command.redo` applies it and :meth:`Command.undo` reverts it, each
returning the :class:`~annotator.model.annotation_set.Change` it made so views redraw only that. The UI wraps
commands in ``QUndoCommand`` for the Edit menu's Undo/Redo; :attr:`Command.text` names the action there.
"""

from __future__ import annotations

from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.span import Span


class Command:
    """A change that can be redone and undone; subclasses set :attr:`change` and :attr:`text`."""

    text: str = ""
    change: Change = Change()

    def redo(self, annotations: AnnotationSet) -> Change:
        """Apply the command; returns what changed."""
        annotations.apply(self.change)
        return self.change

    def undo(self, annotations: AnnotationSet) -> Change:
        """Revert the command; returns what changed."""
        inverse = self.change.inverse()
        annotations.apply(inverse)
        return inverse


class AddSpan(Command):
    """Add one span (already built with :meth:`AnnotationSet.new_span`)."""

    def __init__(self, span: Span) -> None:
        self.change = Change(added=(span,))
        self.text = f"Add {span.label} span"


class RemoveSpans(Command):
    """Remove one or more spans."""

    def __init__(self, spans: list[Span]) -> None:
        if not spans:
            raise ValueError("RemoveSpans needs at least one span")
        self.change = Change(removed=tuple(spans))
        self.text = f"Delete {spans[0].label} span" if len(spans) == 1 else f"Delete {len(spans)} spans"


class RelabelSpan(Command):
    """Give one span another label (its id and offsets stay)."""

    def __init__(self, span: Span, label: str) -> None:
        if label == span.label:
            raise ValueError(f"span {span.id} already has label {label!r}")
        self.change = Change(changed=((span, span.model_copy(update={"label": label})),))
        self.text = f"Relabel {span.label} span as {label}"
