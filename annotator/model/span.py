"""The span: one labeled stretch of a document's text."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Span(BaseModel):
    """An immutable labeled span.

    Offsets are Unicode code points into the document's exact text, half-open: ``document_text[start:end] == text``.
    ``note`` is the annotator's free-text remark (plain text, may span lines) and ``uncertain`` marks a span the
    annotator is unsure of; both are saved and shown in the span list.
    Whether the offsets fit a given text is checked by :func:`annotator.model.annotation_set.span_faults`, since a
    span alone does not know its document.

    Raises
    ------
    pydantic.ValidationError
        If ``start < 0`` or ``end <= start``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: str = Field(min_length=1)
    text: str
    note: str = ""
    uncertain: bool = False

    @model_validator(mode="after")
    def _check_order(self) -> Span:
        if self.end <= self.start:
            raise ValueError(f"start ({self.start}) must be less than end ({self.end})")
        return self

    @property
    def sort_key(self) -> tuple[int, int, str, str]:
        """``(start, end, label, id)``: the order spans are saved in."""
        return (self.start, self.end, self.label, self.id)
