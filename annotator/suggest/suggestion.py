"""A suggestion, what a suggester is given, and the suggester protocol."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from annotator.model.span import Span


@dataclass(frozen=True)
class SuggestedLink:
    """A link a suggester proposes along with its suggestions: ``relation_type`` from ``from_id`` to ``to_id``, each
    the id of a suggestion or of a span of the document."""

    relation_type: str
    from_id: str
    to_id: str


@dataclass(frozen=True, slots=True)  # a run makes one per occurrence before the best are kept
class Suggestion:
    """A proposed span, not a span: it becomes one only when the analyst accepts it.

    Attributes
    ----------
    start, end: code points into the document's text, half-open.
    label: the proposed label.
    score: how sure the suggester is, in ``[0, 1]``.
    suggester: the name of the suggester that made it (e.g. ``"string-match"``).
    reason: one line saying why, for the tooltip and the list (e.g. "labeled actor 3 of 4 times in this project").
    id: unique within the document's suggestions (``"g1"``, ``"g2"``...; :func:`number_suggestions` gives them).
    links: links proposed with it (from this suggestion to a span or another suggestion).

    Raises
    ------
    ValueError
        If ``end <= start``, ``start < 0`` or the score is outside ``[0, 1]``.
    """

    start: int
    end: int
    label: str
    score: float
    suggester: str
    reason: str
    id: str = ""
    links: tuple[SuggestedLink, ...] = ()

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"a suggestion needs 0 <= start < end, not [{self.start}, {self.end})")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"a suggestion's score is in [0, 1], not {self.score}")

    @property
    def key(self) -> tuple[int, int, str]:
        """``(start, end, label)``: what a rejection remembers."""
        return (self.start, self.end, self.label)


@dataclass(frozen=True)
class SuggestionContext:
    """What a suggester may take into account besides the text.

    Attributes
    ----------
    spans: the document's spans now (never suggested again with the same label at or inside a span of that label).
    rejected: ``(start, end, label)`` of the suggestions the analyst rejected in this document (never suggested
        again).
    """

    spans: Sequence[Span] = ()
    rejected: frozenset[tuple[int, int, str]] = field(default_factory=frozenset)


class Suggester(Protocol):
    """Anything that proposes spans for a document's text."""

    name: str

    def suggest(self, text: str, context: SuggestionContext) -> list[Suggestion]:
        """Suggestions for ``text`` (the document's exact text), sorted by ``(start, end, label)``."""
        ...


class FirstSuggester(Suggester, Protocol):
    """A suggester that can give the first of its suggestions without making the rest: the app keeps at most a few
    thousand of a run, the first in the text, and says how many there were."""

    def suggest_first(
        self, text: str, context: SuggestionContext, labels: Collection[str], limit: int
    ) -> tuple[list[Suggestion], int]:
        """``(first, found)``: the same as :func:`~annotator.suggest.pending.first_in_text` of :meth:`suggest`'s
        suggestions, ``labels`` (the label set's names), ``context.spans`` and ``limit``: how many of its suggestions
        are of ``labels`` and outside the spans of their label, and the first ``limit`` of them in the text."""
        ...


def number_suggestions(
    suggestions: Iterable[Suggestion], prefix: str = "g", span_ids: Collection[str] | None = None
) -> list[Suggestion]:
    """``suggestions`` sorted by ``(start, end, label)`` with ids ``g1``, ``g2``... in that order. Links follow:
    an end that named a suggestion by the id its suggester gave (``"a3"``) names it by its new id; any other end is
    kept as it is (a span's id), unless ``span_ids`` is given and does not hold it (a suggestion left out, e.g. under
    ``--min-score``): that link is dropped, as it would name nothing."""
    ordered = sorted(suggestions, key=lambda s: (s.start, s.end, s.label, -s.score))
    new_ids = {s.id: f"{prefix}{n}" for n, s in enumerate(ordered, 1) if s.id}
    out = []
    for n, s in enumerate(ordered, 1):
        own = f"{prefix}{n}"
        links = tuple(
            SuggestedLink(link.relation_type, own, new_ids.get(link.to_id, link.to_id))
            for link in s.links
            if link.to_id in new_ids or span_ids is None or link.to_id in span_ids
        )
        out.append(Suggestion(s.start, s.end, s.label, s.score, s.suggester, s.reason, own, links))
    return out
