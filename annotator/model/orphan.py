"""Orphaned spans: spans that could not be placed on a document's new text after the text changed.

They are never dropped: the annotation file keeps them (with the links they had) and the app lists them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from annotator.model.relation import Relation
from annotator.model.span import Span


class OrphanedSpan(BaseModel):
    """A span that re-anchoring could not place on the new text.

    Attributes
    ----------
    span: the span as it was; its offsets are code points into the old text (SHA-256 ``old_sha256``).
    prefix, suffix: up to a few dozen code points of the old text just before and after the span (its context).
    relations: the links it had, kept so that nothing is lost (their other ends may be placed spans).
    old_sha256: hex SHA-256 of the text the span was made on.
    reason: why it could not be placed (plain text), e.g. "its text no longer occurs in the document".
    """

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    span: Span
    prefix: str = ""
    suffix: str = ""
    relations: list[Relation] = []
    old_sha256: str = ""
    reason: str = ""
