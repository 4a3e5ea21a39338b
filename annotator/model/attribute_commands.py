"""Undoable commands for attributes, document labels and entities (actor identity), Qt-free.

Each function works out one :class:`~annotator.model.commands.Command` from the current annotations (``None`` when
it would change nothing); its :class:`~annotator.model.annotation_set.Change` says what changed, so views and the
crash-recovery journal follow: a span's attributes or entity change as a ``changed`` ``(before, after)`` pair, a
relation's attributes as the relation removed and added again (same id), the document labels as ``document_labels``
``(before, after)``.

Stored values: a value equal to the attribute's default (:meth:`~annotator.model.labels.Attribute.default_value`) is
never stored, so setting it clears the attribute. Entities: an entity groups mentions of the same label (actor spans
in the default label set); an entity of one mention dissolves (its mention's ``entity`` becomes ``""``) whenever a
command would leave one, so "same actor as…" always means two mentions or more.
"""

from __future__ import annotations

from typing import Literal

from annotator.model.annotation_set import AnnotationSet, Change, DocumentLabels
from annotator.model.commands import Command, dissolved_entities
from annotator.model.labels import Attribute
from annotator.model.relation import Relation
from annotator.model.span import Span

On = Literal["span", "relation"]


def _holder(annotations: AnnotationSet, item_id: str, on: On) -> Span | Relation:
    return annotations.get(item_id) if on == "span" else annotations.get_relation(item_id)


def _owner(item: Span | Relation) -> str:
    return item.label if isinstance(item, Span) else item.type


def _attribute(annotations: AnnotationSet, item: Span | Relation, name: str, on: On) -> Attribute:
    attribute = annotations.label_set.attribute(name, on)
    noun = "span" if on == "span" else "link"
    if attribute is None:
        raise ValueError(f"attribute {name!r} is not in the label set's {on} attributes")
    if not attribute.applies_to(_owner(item)):
        raise ValueError(
            f"attribute {name!r} is not allowed on {_owner(item)} {noun}s (only on {', '.join(attribute.labels)})"
        )
    return attribute


def _replacing(item: Span | Relation, attributes: dict[str, bool | str], text: str) -> Command:
    new = item.model_copy(update={"attributes": attributes})
    if isinstance(item, Span) and isinstance(new, Span):
        return Command(Change(changed=((item, new),)), text)
    assert isinstance(item, Relation) and isinstance(new, Relation)
    return Command(Change(relations_removed=(item,), relations_added=(new,)), text)


def set_attribute_command(
    annotations: AnnotationSet, item_id: str, name: str, value: bool | str | None, *, on: On = "span"
) -> Command | None:
    """Set attribute ``name`` of span ``item_id`` (or, with ``on="relation"``, of relation ``item_id``) to ``value``;
    ``None`` clears it (the default applies). ``None`` is returned when nothing would change.

    Raises
    ------
    KeyError
        If there is no such span or relation.
    ValueError
        If the label set has no such attribute for ``on``, the span's label (relation's type) may not carry it, or the
        value does not fit it (message from :meth:`Attribute.value_fault`).
    """
    item = _holder(annotations, item_id, on)
    attribute = _attribute(annotations, item, name, on)
    if value is not None and attribute.value_fault(value):
        raise ValueError(f"attribute {name!r}: {attribute.value_fault(value)}")
    attributes = dict(item.attributes)
    if value is None or value == attribute.default_value():
        attributes.pop(name, None)
    else:
        attributes[name] = value
    if attributes == item.attributes:
        return None
    shown = "" if value is None else (str(value).lower() if isinstance(value, bool) else value)
    text = f"Set {name} to {shown}" if name in attributes else f"Clear {name}"
    return _replacing(item, attributes, text)


def cycle_attribute_command(annotations: AnnotationSet, item_id: str, name: str, *, on: On = "span") -> Command:
    """The attribute hotkey: the next value of attribute ``name`` on span (or relation) ``item_id`` by
    :meth:`Attribute.next_value` (a bool toggles; an enum goes to its next value, then to none).

    Raises
    ------
    KeyError, ValueError
        As :func:`set_attribute_command`; ``ValueError`` too for a text attribute (nothing to cycle).
    """
    item = _holder(annotations, item_id, on)
    attribute = _attribute(annotations, item, name, on)
    value = attribute.next_value(item.attributes.get(name))
    command = set_attribute_command(annotations, item_id, name, value, on=on)
    assert command is not None  # next_value always gives another value
    return command


def set_document_label_command(annotations: AnnotationSet, name: str, value: str | list[str] | None) -> Command | None:
    """Set the document label ``name`` to ``value`` (a value; a list of values for a ``multiple`` document label, in
    the label set's order once stored); ``None`` or ``[]`` clears it. ``None`` is returned when nothing would change.

    Raises
    ------
    ValueError
        If the label set has no such document label or the value does not fit it.
    """
    defined = annotations.label_set.document_label(name)
    if defined is None:
        known = ", ".join(d.name for d in annotations.label_set.document_labels) or "none"
        raise ValueError(f"document label {name!r} is not in the label set ({known})")
    if value is not None and value != [] and defined.value_fault(value):
        raise ValueError(f"document label {name!r}: {defined.value_fault(value)}")
    new: DocumentLabels = dict(annotations.document_labels)
    if value is None or value == []:
        new.pop(name, None)
        text = f"Clear {name}"
    else:
        new[name] = [v for v in defined.values if v in value] if isinstance(value, list) else value
        text = f"Set {name} to {', '.join(value) if isinstance(value, list) else value}"
    if new == annotations.document_labels:
        return None
    return Command(Change(document_labels=(dict(annotations.document_labels), new)), text)


def toggle_document_label_command(annotations: AnnotationSet, name: str, value: str) -> Command:
    """For the document-label hotkeys: a ``multiple`` label gains ``value`` or loses it; a single one is set to
    ``value``, or cleared when it already has it.

    Raises
    ------
    ValueError
        As :func:`set_document_label_command`.
    """
    defined = annotations.label_set.document_label(name)
    current = annotations.document_labels.get(name)
    new: str | list[str] | None
    if defined is not None and defined.multiple:
        held = list(current) if isinstance(current, list) else []
        new = [v for v in held if v != value] if value in held else [*held, value]
    else:
        new = None if current == value else value
    command = set_document_label_command(annotations, name, new)
    assert command is not None  # the value always changes
    return command


def _described(span: Span) -> str:
    text = span.text if len(span.text) <= 40 else span.text[:39] + "…"
    return repr(text)


def same_entity_command(annotations: AnnotationSet, span_id: str, other_id: str) -> Command | None:
    """ "Same actor as…": make span ``span_id`` a mention of the entity of span ``other_id``, as one undoable step.

    When neither span has an entity both get a new id (:meth:`AnnotationSet.new_entity_id`); when only one has one,
    the other joins it; when both have different entities, they merge: every mention of ``span_id``'s entity takes
    ``other_id``'s entity. ``None`` when both already are the same entity.

    Raises
    ------
    KeyError
        If either span does not exist.
    ValueError
        If the two are the same span or have different labels (an entity's mentions share one label).
    """
    span, other = annotations.get(span_id), annotations.get(other_id)
    if span.id == other.id:
        raise ValueError("a span cannot be the same actor as itself")
    if span.label != other.label:
        raise ValueError(
            f"a {span.label} span cannot be the same entity as a {other.label} span (an entity's mentions share one "
            "label)"
        )
    if span.entity and span.entity == other.entity:
        return None
    target = other.entity or span.entity or annotations.new_entity_id()
    moving = [other] if not other.entity else []
    moving += annotations.entity_mentions(span.entity) if span.entity else [span]
    changed = tuple((s, s.model_copy(update={"entity": target})) for s in moving if s.entity != target)
    return Command(Change(changed=changed), f"Same {span.label} as {_described(other)}")


def leave_entity_command(annotations: AnnotationSet, span_id: str) -> Command | None:
    """Take span ``span_id`` out of its entity (its other mentions stay grouped; an entity left with one mention
    dissolves), as one undoable step; ``None`` when the span is in no entity.

    Raises
    ------
    KeyError
        If there is no such span.
    """
    span = annotations.get(span_id)
    if not span.entity:
        return None
    changed = ((span, span.model_copy(update={"entity": ""})), *dissolved_entities(annotations, {span.id}))
    return Command(Change(changed=changed), f"Remove {_described(span)} from its {span.label}")
