"""Pending and rejected suggestions, as an annotation set holds them: proposed spans that are not spans.

A suggester (:mod:`annotator.suggest`, which sits above the model) proposes spans; the annotation set keeps those
waiting for the analyst's answer as :class:`PendingSuggestion` and remembers the ones the analyst turned down as
:class:`RejectedSuggestion`, so that no suggester offers them again. Accepting one makes a
:class:`~annotator.model.span.Span` whose ``origin`` is ``"suggestion"`` (see :mod:`annotator.model.commands`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from pydantic import BaseModel, ConfigDict, Field, model_validator


class PendingLink(BaseModel):
    """A link proposed with a suggestion: ``type`` from ``from_`` to ``to``, each the id of a suggestion or of a span
    of the same annotation set (one of them the suggestion holding it). Saved as ``{"type", "from", "to"}``."""

    model_config = ConfigDict(
        defer_build=True, frozen=True, extra="forbid", populate_by_name=True, serialize_by_alias=True
    )

    type: str = Field(min_length=1)
    from_: str = Field(min_length=1, alias="from")
    to: str = Field(min_length=1)


class PendingSuggestion(BaseModel):
    """A proposed span waiting for the analyst to accept or reject it (never a span until accepted).

    Attributes
    ----------
    id: unique among the set's suggestions and distinct from its span ids (``"g1"``, ``"g2"``...).
    start, end: code points into the document's text, half-open; ``text`` is ``document_text[start:end]``.
    label: the proposed label.
    score: how sure the suggester is, in ``[0, 1]``.
    suggester: the name of the suggester that made it (``"string-match"``).
    reason: one line saying why (plain text), e.g. "labeled actor 3 of 4 times in this project".
    links: links proposed with it (to or from spans or other suggestions).

    Raises
    ------
    pydantic.ValidationError
        If ``start < 0``, ``end <= start``, the score is outside ``[0, 1]`` or a name is empty.
    """

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: str = Field(min_length=1)
    text: str
    score: float = Field(ge=0.0, le=1.0)
    suggester: str = Field(min_length=1)
    reason: str = ""
    links: tuple[PendingLink, ...] = ()

    @model_validator(mode="after")
    def _check_order(self) -> PendingSuggestion:
        if self.end <= self.start:
            raise ValueError(f"start ({self.start}) must be less than end ({self.end})")
        return self

    @property
    def key(self) -> tuple[int, int, str]:
        """``(start, end, label)``: what a rejection remembers."""
        return (self.start, self.end, self.label)

    def rejected(self) -> RejectedSuggestion:
        """What the annotation set remembers once this suggestion is rejected."""
        return RejectedSuggestion(start=self.start, end=self.end, label=self.label, suggester=self.suggester)


_ALL_FIELDS_SET = set(PendingSuggestion.model_fields)  # shared by every trusted suggestion (see below)
_put_dict = BaseModel.__dict__["__dict__"].__set__  # the slot descriptors BaseModel's __slots__ made
_put_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_put_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_put_private = BaseModel.__dict__["__pydantic_private__"].__set__


def trusted_suggestion(
    id: str,
    start: int,
    end: int,
    label: str,
    text: str,
    score: float,
    suggester: str,
    reason: str = "",
    links: tuple[PendingLink, ...] = (),
) -> PendingSuggestion:
    """A :class:`PendingSuggestion` of these fields, not validated: for values checked already (a suggester's
    :class:`~annotator.suggest.suggestion.Suggestion` checked its offsets and score). The same model as
    ``PendingSuggestion.model_construct(...)`` with every field given (equal to it, every field counted as set), made
    without pydantic's per-field walk: a run over a long document makes thousands on the window's thread (5,000 took
    0.1-0.2 s through ``model_construct``). The four slots every model has are set through their descriptors, and
    every suggestion made here shares one ``model_fields_set`` (nothing changes it: the model is frozen, and
    ``model_copy`` copies it), as :func:`~annotator.model.span.spans_from_fields` does for spans."""
    suggestion = object.__new__(PendingSuggestion)
    _put_dict(
        suggestion,
        {
            "id": id,
            "start": start,
            "end": end,
            "label": label,
            "text": text,
            "score": score,
            "suggester": suggester,
            "reason": reason,
            "links": links,
        },
    )
    _put_fields_set(suggestion, _ALL_FIELDS_SET)
    _put_extra(suggestion, None)
    _put_private(suggestion, None)
    return suggestion


class RejectedSuggestion(BaseModel):
    """A suggestion the analyst rejected: ``[start, end)`` (code points) with ``label`` is never suggested again in
    this document; ``suggester`` names who proposed it."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: str = Field(min_length=1)
    suggester: str = ""

    @property
    def key(self) -> tuple[int, int, str]:
        """``(start, end, label)``."""
        return (self.start, self.end, self.label)


def without_dangling_links(suggestions: Iterable[PendingSuggestion], known: Collection[str]) -> list[PendingSuggestion]:
    """``suggestions`` (in order) with only the links whose ends are both in ``known`` (the ids of the set's spans) or
    among ``suggestions``' ids: what a set rebuilt from another (re-anchored, merged) keeps, so that no link names
    nothing. A suggestion whose links all stay is the same object."""
    suggestions = list(suggestions)
    ids = {s.id for s in suggestions} | set(known)
    out = []
    for suggestion in suggestions:
        links = tuple(k for k in suggestion.links if k.from_ in ids and k.to in ids)
        out.append(suggestion if links == suggestion.links else suggestion.model_copy(update={"links": links}))
    return out
