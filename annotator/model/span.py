"""The span: one labeled stretch of a document's text."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: Where a span came from: made by hand, accepted from a suggestion as it was, or accepted and then resized or
#: relabeled (Label Studio's ``manual`` / ``prediction`` / ``prediction-changed``).
SpanOrigin = Literal["manual", "suggestion", "suggestion-edited"]
MANUAL: SpanOrigin = "manual"


def _is_manual(origin: str) -> bool:
    return origin == "manual"


def _is_unset(value: object) -> bool:
    return value is None or value == ""


def _is_empty(value: object) -> bool:
    return not value


#: A span's or relation's attribute values by attribute name: ``True``/``False`` (bool attributes), an enum value or
#: text (str). Only values differing from the attribute's default are stored.
Attributes = dict[str, bool | str]


def attributes_hash(attributes: Attributes) -> int:
    """A hash of an attribute dict (for the frozen models holding one)."""
    return hash(frozenset(attributes.items()))


class Span(BaseModel):
    """An immutable labeled span.

    Offsets are Unicode code points into the document's exact text, half-open: ``document_text[start:end] == text``.
    ``note`` is the annotator's free-text remark (plain text, may span lines) and ``uncertain`` marks a span the
    annotator is unsure of; both are saved and shown in the span list. ``origin`` is ``"manual"`` (the default) or,
    for a span accepted from a suggestion, ``"suggestion"`` (as suggested) or ``"suggestion-edited"`` (resized or
    relabeled since), with the ``suggester``'s name and the suggestion's ``score`` in ``[0, 1]``; these three are
    serialized only for spans that are not manual, so files and journals of manual spans stay as they were.
    ``attributes`` holds the span's attribute values by name (see :class:`~annotator.model.labels.Attribute`; a
    value equal to the attribute's default is not stored) and ``entity`` the id of the entity the span is a mention of
    (``"e1"``...: spans of one entity are the same actor), ``""`` for none; both are serialized only when set.
    Whether the offsets fit a given text, and the attributes and entity the label set, is checked by
    :func:`annotator.model.annotation_set.span_faults`, since a span alone does not know its document.

    Raises
    ------
    pydantic.ValidationError
        If ``start < 0``, ``end <= start``, or a manual span has a suggester or score.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: str = Field(min_length=1)
    text: str
    note: str = ""
    uncertain: bool = False
    origin: SpanOrigin = Field(MANUAL, exclude_if=_is_manual)
    suggester: str = Field("", exclude_if=_is_unset)
    score: float | None = Field(None, ge=0.0, le=1.0, exclude_if=_is_unset)
    attributes: Attributes = Field(default_factory=dict, exclude_if=_is_empty)
    entity: str = Field("", exclude_if=_is_unset)

    def __hash__(self) -> int:
        return hash(
            (
                self.id,
                self.start,
                self.end,
                self.label,
                self.text,
                self.note,
                self.uncertain,
                self.origin,
                self.suggester,
                self.score,
                attributes_hash(self.attributes),
                self.entity,
            )
        )

    @model_validator(mode="after")
    def _check_order(self) -> Span:
        if self.end <= self.start:
            raise ValueError(f"start ({self.start}) must be less than end ({self.end})")
        if self.origin == MANUAL and (self.suggester or self.score is not None):
            raise ValueError("a manual span has no suggester or score (they belong to spans from suggestions)")
        return self

    @property
    def sort_key(self) -> tuple[int, int, str, str]:
        """``(start, end, label, id)``: the order spans are saved in."""
        return (self.start, self.end, self.label, self.id)
