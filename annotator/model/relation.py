"""Relations: typed links between two spans, e.g. a warning linked to the actor who utters it (its source)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from annotator.model.span import Attributes, attributes_hash


class Relation(BaseModel):
    """An immutable directed link between two spans of one annotation set, by span id.

    In the default label set a relation goes from a statement span (claim, warning or denial) to an actor span:
    ``type`` ``"source"`` names who utters the statement, ``"target"`` whom it is aimed at (PARC 3.0's source,
    Pareti 2016). Saved as ``{"id", "type", "from", "to"}``, with ``"attributes"`` (the relation's attribute values by
    name, see :class:`~annotator.model.labels.Attribute` with ``on: "relation"``) only when it has any; in Python the
    ``from`` key is :attr:`from_`.

    Raises
    ------
    pydantic.ValidationError
        On empty fields or a relation from a span to itself.
    """

    model_config = ConfigDict(
        defer_build=True, frozen=True, extra="forbid", populate_by_name=True, serialize_by_alias=True
    )

    id: str = Field(min_length=1)
    type: str = Field(min_length=1)
    from_: str = Field(min_length=1, alias="from")
    to: str = Field(min_length=1)
    attributes: Attributes = Field(default_factory=dict, exclude_if=lambda v: not v)

    def __hash__(self) -> int:
        return hash((self.id, self.type, self.from_, self.to, attributes_hash(self.attributes)))

    @model_validator(mode="after")
    def _check_ends(self) -> Relation:
        if self.from_ == self.to:
            raise ValueError(f"a relation cannot link span {self.to!r} to itself")
        return self

    @property
    def ends(self) -> tuple[str, str]:
        """``(from_, to)`` span ids."""
        return (self.from_, self.to)
