""" "Same actor as…" being chosen from the keyboard or mouse: the mention and the candidates, likeliest first."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.model.annotation_set import AnnotationSet
from annotator.model.entities import entity_candidates
from annotator.model.span import Span


class GroupingRefused(ValueError):
    """Why "same actor as…" cannot start, in plain words for the status bar."""


def entity_noun(label: str) -> str:
    """What a mention's entity is called: ``"actor"`` for actor spans, else ``"<label> entity"``."""
    return "actor" if label == "actor" else f"{label} entity"


@dataclass
class GroupingSession:
    """State of "same actor as…" mode (as :class:`~annotator.ui.document.linking.LinkSession` for links).

    Attributes
    ----------
    span_id: the mention being grouped.
    candidates: the spans it may be grouped with, likeliest first (see
        :func:`~annotator.model.entities.entity_candidates`: one mention per entity).
    allowed: ids of every span it may be grouped with (any mention of a candidate's entity: a click may choose one).
    index: the candidate currently offered.
    """

    span_id: str
    label: str
    candidates: list[Span] = field(default_factory=list)
    allowed: frozenset[str] = frozenset()
    index: int = 0

    @classmethod
    def start(cls, annotations: AnnotationSet, span_id: str | None) -> GroupingSession:
        """Begin choosing what span ``span_id`` is the same actor (entity) as.

        Raises
        ------
        GroupingRefused
            With no span selected, or no other span of its label outside its entity.
        """
        if span_id is None or span_id not in annotations:
            raise GroupingRefused("Select an actor span first (Tab moves between spans), then say whom it names.")
        span = annotations.get(span_id)
        candidates = entity_candidates(annotations, span_id)
        if not candidates:
            raise GroupingRefused(
                f"There is no other {span.label} span to group this one with: label the other mention first."
            )
        allowed = frozenset(
            s.id
            for s in annotations.spans_with_label(span.label)
            if s.id != span.id and not (s.entity and s.entity == span.entity)
        )
        return cls(span_id, span.label, candidates, allowed)

    @property
    def candidate(self) -> Span:
        """The span currently offered."""
        return self.candidates[self.index]

    @property
    def noun(self) -> str:
        """What the group is called (:func:`entity_noun`)."""
        return entity_noun(self.label)

    def step(self, direction: int) -> Span:
        """Offer the next (+1) or previous (-1) candidate, wrapping around."""
        self.index = (self.index + direction) % len(self.candidates)
        return self.candidate

    def accepts(self, span_id: str) -> bool:
        """Whether span ``span_id`` may be chosen (a candidate, or another mention of a candidate's entity)."""
        return span_id in self.allowed
