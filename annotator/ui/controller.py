"""The controller: owns the open annotation set, its undo stack and save path; every change goes through it."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.model.annotation_set import AnnotationSet, Change, trim_whitespace
from annotator.model.attribute_commands import (
    cycle_attribute_command,
    leave_entity_command,
    same_entity_command,
    set_attribute_command,
    set_document_label_command,
    toggle_document_label_command,
)
from annotator.model.commands import (
    AddRelation,
    AddSpan,
    AddSpans,
    Command,
    EditSpan,
    RemoveRelations,
    ResizeSpan,
    accept_suggestions_command,
    change_label_set_command,
    merge_label_command,
    reject_suggestions_command,
    relabel_command,
    remove_accepted_command,
    remove_spans_command,
    rename_label_command,
    set_status_command,
)
from annotator.model.labels import LabelSet
from annotator.model.navigation import SpanCover
from annotator.model.relation import Relation
from annotator.model.span import Span
from annotator.model.status import DocumentStatus
from annotator.model.words import snap_to_graphemes, snap_to_words, step_span, trim_punctuation
from annotator.ui.undo import ModelUndoCommand


class AnnotationController(QObject):
    """Runs commands on the current :class:`AnnotationSet` and tells views what changed.

    Signals
    -------
    changed(Change): after every command, undo and redo, and after suggestions were refreshed
        (:meth:`refresh_suggestions`, while :attr:`refreshing_suggestions` is true); views update only what it names.
    annotations_replaced(): a new annotation set (another document) was opened.
    refused(str): an edit was refused because the document is read-only (the reason, plain text).

    While :attr:`read_only_reason` is set (another person or instance holds the file's lock) every edit is
    refused: the methods return as if nothing changed and ``refused`` says why.
    """

    changed = Signal(object)
    annotations_replaced = Signal()
    refused = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.annotations: AnnotationSet | None = None
        self.save_path: Path | None = None
        self.snap_to_words = True  # False: character mode (grapheme clusters)
        self.read_only_reason = ""
        self.refreshing_suggestions = False  # true while ``changed`` reports a refresh of suggestions (no undo step)
        self.unlinked: tuple[str, ...] = ()  # suggested links the last accept could not make (see accept_suggestions)

    # -- documents ------------------------------------------------------------------------------------------------
    def set_annotations(self, annotations: AnnotationSet, save_path: Path | None) -> None:
        """Make ``annotations`` the open set (clears undo history); ``save_path`` is where Save writes. Saving is the
        session's (:class:`~annotator.ui.main.sessions.DocumentSessions`: lock, journal, conflict check), never
        the controller's."""
        self.undo_stack.clear()
        self.annotations = annotations
        self.save_path = save_path
        self.annotations_replaced.emit()

    # -- editing ------------------------------------------------------------------------------------------------
    def snap(self, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` (code points) expanded to word boundaries (:attr:`snap_to_words`) or, in character mode,
        to grapheme-cluster boundaries, so a span never splits a word (or a letter from its accents, a CR LF pair,
        an emoji sequence)."""
        text = self._require().text
        return snap_to_words(text, start, end) if self.snap_to_words else snap_to_graphemes(text, start, end)

    def add_span(self, start: int, end: int, label: str) -> Span | None:
        """Label the code-point range ``[start, end)`` with ``label``, snapped (see :meth:`snap`) and with
        whitespace at either end trimmed; in word mode also the stray punctuation at its edges
        (:func:`~annotator.model.words.trim_punctuation`: a trailing comma, an unpaired quote or bracket).

        Returns the new span, or ``None`` when the range holds only whitespace or the same span already exists.
        """
        annotations = self._require()
        start, end = self.snap(start, end)
        if self.snap_to_words:
            start, end = trim_punctuation(annotations.text, start, end)
        trimmed = trim_whitespace(annotations.text, start, end)
        if trimmed is None or annotations.find(*trimmed, label) is not None:
            return None
        span = annotations.new_span(*trimmed, label)
        return span if self._run(AddSpan(span)) else None

    def add_spans(self, ranges: list[tuple[int, int]], label: str) -> list[Span]:
        """Label every code-point range with ``label`` in one undo step (e.g. all search matches), skipping ranges
        that are only whitespace, that would split a character (a letter from its accents, an emoji sequence), or that
        are already labeled ``label``: covered by a span with that label (the same offsets,
        or inside it, as "Sullivan" inside the actor "Jake Sullivan"). Ranges are trimmed, not snapped (a search match
        is exactly what was asked for). Returns the spans added (possibly none). Cost: O((n + m) log n) for n spans
        and m ranges."""
        annotations = self._require()
        covered = SpanCover(annotations.spans_with_label(label))
        spans: list[Span] = []
        taken: set[tuple[int, int]] = set()
        for start, end in ranges:
            trimmed = trim_whitespace(annotations.text, start, end)
            if trimmed is None or trimmed in taken or covered.covers(*trimmed):
                continue
            if snap_to_graphemes(annotations.text, *trimmed) != trimmed:
                continue  # the match splits a character ("Cafe" in "Cafe\u0301"): never a span
            taken.add(trimmed)
            spans.append(annotations.new_span(*trimmed, label))  # each call takes a fresh id
        if spans and not self._run(AddSpans(spans)):
            return []
        return spans

    def remove_spans(self, span_ids: list[str]) -> None:
        """Delete the spans with these ids and their links (one undo step); unknown ids are ignored."""
        command = remove_spans_command(self._require(), span_ids)
        if command is not None:
            self._run(command)

    def relabel_span(self, span_id: str, label: str) -> Span | None:
        """Give span ``span_id`` the label ``label``; returns the new span, or ``None`` if nothing changed."""
        annotations = self._require()
        command = relabel_command(annotations, span_id, label)
        if command is None or not self._run(command):
            return None
        return annotations.get(span_id)

    def step_span(self, span_id: str, edge: str, direction: int, unit: str) -> Span | None:
        """Move span ``span_id``'s ``edge`` ("start"/"end") one ``unit`` ("word"/"char") left (-1) or right (+1).

        Returns the resized span, or ``None`` when the step is impossible (text edge, the span would be empty, or a
        twin with the same offsets and label exists).
        """
        annotations = self._require()
        span = annotations.get(span_id)
        stepped = step_span(annotations.text, span.start, span.end, edge, direction, unit)  # type: ignore[arg-type]
        if stepped is None or annotations.find(*stepped, span.label) is not None:
            return None
        if not self._run(ResizeSpan(span, *stepped, annotations.text[stepped[0] : stepped[1]])):
            return None
        return annotations.get(span_id)

    def edit_span(self, span_id: str, *, note: str | None = None, uncertain: bool | None = None) -> bool:
        """Set span ``span_id``'s note and/or uncertain flag; returns whether anything changed."""
        annotations = self._require()
        if span_id not in annotations:
            return False
        span = annotations.get(span_id)
        if (note is None or note == span.note) and (uncertain is None or uncertain == span.uncertain):
            return False
        return self._run(EditSpan(span, note=note, uncertain=uncertain))

    # -- attributes, document labels, entities ----------------------------------------------------------------------
    def set_attribute(
        self, item_id: str, name: str, value: bool | str | None, *, on: Literal["span", "relation"] = "span"
    ) -> bool:
        """Set attribute ``name`` of span (``on="relation"``: link) ``item_id`` to ``value`` (``None`` clears it) as
        one undo step; returns whether anything changed. Unknown ids change nothing; ``ValueError`` for an attribute
        the label set lacks or the item may not carry, or a value that does not fit it."""
        annotations = self._require()
        if (item_id not in annotations) if on == "span" else not annotations.has_relation(item_id):
            return False
        command = set_attribute_command(annotations, item_id, name, value, on=on)
        return command is not None and self._run(command)

    def cycle_attribute(self, span_id: str, name: str) -> bool:
        """The attribute hotkey: the next value of attribute ``name`` on span ``span_id`` (one undo step); returns
        whether it changed. ``ValueError`` as :meth:`set_attribute`, and for a text attribute."""
        annotations = self._require()
        if span_id not in annotations:
            return False
        return self._run(cycle_attribute_command(annotations, span_id, name))

    def set_document_label(self, name: str, value: str | list[str] | None) -> bool:
        """Set the document label ``name`` (``None`` or ``[]`` clears it) as one undo step; returns whether it
        changed (``ValueError`` for a label or value the label set lacks)."""
        command = set_document_label_command(self._require(), name, value)
        return command is not None and self._run(command)

    def toggle_document_label(self, name: str, value: str) -> bool:
        """Add or remove ``value`` of the document label ``name`` (a single one is set, or cleared when it has it),
        as one undo step; returns whether it ran."""
        return self._run(toggle_document_label_command(self._require(), name, value))

    def same_entity(self, span_id: str, other_id: str) -> bool:
        """ "Same actor as…": group span ``span_id`` with span ``other_id``'s entity (one undo step); returns
        whether anything changed (``ValueError`` for the same span or spans of different labels)."""
        command = same_entity_command(self._require(), span_id, other_id)
        return command is not None and self._run(command)

    def leave_entity(self, span_id: str) -> bool:
        """Take span ``span_id`` out of its entity (one undo step); returns whether it was in one."""
        annotations = self._require()
        if span_id not in annotations:
            return False
        command = leave_entity_command(annotations, span_id)
        return command is not None and self._run(command)

    def add_relation(self, relation_type: str, from_id: str, to_id: str) -> Relation:
        """Link span ``from_id`` to span ``to_id`` with ``relation_type``; returns the (new or existing) relation.

        Raises
        ------
        ValueError
            If the label set does not allow it (the message says why, in plain words).
        """
        annotations = self._require()
        existing = annotations.find_relation(relation_type, from_id, to_id)
        if existing is not None:
            return existing
        if self.read_only_reason:
            raise ValueError(self.read_only_reason)
        relation = annotations.new_relation(relation_type, from_id, to_id)
        self._run(AddRelation(relation))
        return relation

    def remove_relations(self, relation_ids: list[str]) -> None:
        """Remove these relations (one undo step); unknown ids are ignored."""
        annotations = self._require()
        relations = [annotations.get_relation(i) for i in dict.fromkeys(relation_ids) if annotations.has_relation(i)]
        if relations:
            self._run(RemoveRelations(relations))

    def rename_label(self, old: str, new: str) -> None:
        """Rename a label in the label set and on every span (one undo step; ``ValueError`` if not possible)."""
        self._run(rename_label_command(self._require(), old, new))

    def merge_label(self, source: str, into: str) -> None:
        """Merge label ``source`` into ``into`` (one undo step; ``ValueError`` if not possible)."""
        self._run(merge_label_command(self._require(), source, into))

    def change_label_set(self, label_set: LabelSet, text: str) -> None:
        """Make ``label_set`` the open document's label set (one undo step). Spans whose labels it lacks must have
        been added to it first: ``ValueError`` otherwise (nothing is ever dropped)."""
        annotations = self._require()
        missing = sorted({s.label for s in annotations if label_set.get(s.label) is None})
        if missing:
            raise ValueError(f"the label set lacks labels in use: {', '.join(missing)}")
        if label_set != annotations.label_set:
            self._run(change_label_set_command(annotations, label_set, {}, text))

    def set_status(self, status: DocumentStatus) -> bool:
        """Mark the document done, flagged or in progress (one undo step); returns whether it changed."""
        command = set_status_command(self._require(), status)
        if command is None:
            return False
        return self._run(command)

    # -- suggestions ----------------------------------------------------------------------------------------------
    def accept_suggestions(
        self, suggestion_ids: list[str], label: str | None = None, *, with_linked: bool = False
    ) -> bool:
        """Accept these pending suggestions as spans with their suggested links (one undo step; with ``label``,
        relabeled: origin ``suggestion-edited``; with ``with_linked``, the suggestions their links reach directly as
        well, e.g. a claim and its speaker); returns whether anything changed. Afterwards :attr:`unlinked` holds one
        plain-text line per suggested link the label set did not allow (empty when every link was made). ``ValueError``
        for a label not in the label set."""
        command = accept_suggestions_command(self._require(), suggestion_ids, label, with_linked=with_linked)
        self.unlinked = command.unlinked if command is not None else ()
        return command is not None and self._run(command)

    def reject_suggestions(self, suggestion_ids: list[str]) -> bool:
        """Reject these pending suggestions (one undo step: remembered, never offered again); returns whether
        anything changed."""
        command = reject_suggestions_command(self._require(), suggestion_ids)
        return command is not None and self._run(command)

    def remove_accepted(self, suggester: str) -> int:
        """Remove every span accepted from ``suggester`` (with their links) as one undo step; returns how many."""
        annotations = self._require()
        before = len(annotations)
        command = remove_accepted_command(annotations, suggester)
        if command is None or not self._run(command):
            return 0
        return before - len(annotations)

    def refresh_suggestions(self, change: Change) -> None:
        """Apply ``change`` (a suggester ran again: pending suggestions only) without an undo step and report it
        through ``changed``, with :attr:`refreshing_suggestions` set meanwhile (the session then knows it is no
        edit of the analyst's)."""
        self._require().apply(change)
        self.refreshing_suggestions = True
        try:
            self.changed.emit(change)
        finally:
            self.refreshing_suggestions = False

    def _run(self, command: Command) -> bool:
        if self.read_only_reason:
            self.refused.emit(self.read_only_reason)
            return False
        self.undo_stack.push(ModelUndoCommand(command, self._require(), self._emit))
        return True

    def _emit(self, change: Change) -> None:
        self.changed.emit(change)

    def _require(self) -> AnnotationSet:
        if self.annotations is None:
            raise RuntimeError("no document is open")
        return self.annotations
