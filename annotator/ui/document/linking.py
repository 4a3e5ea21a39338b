"""A link being made from the keyboard or mouse: the statement span, the relation type and the candidates."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.model.annotation_set import AnnotationSet
from annotator.model.navigation import link_candidates
from annotator.model.span import Span


class LinkRefused(ValueError):
    """Why a link cannot be started, in plain words for the status bar."""


@dataclass
class LinkSession:
    """State of "link to source/target" mode.

    Attributes
    ----------
    relation_type: the relation type being made (e.g. ``"source"``).
    from_id: the statement span's id.
    candidates: spans it may link to, nearest first (see :func:`~annotator.model.navigation.link_candidates`).
    index: the candidate currently offered.
    """

    relation_type: str
    from_id: str
    candidates: list[Span] = field(default_factory=list)
    index: int = 0

    @classmethod
    def start(cls, annotations: AnnotationSet, relation_type: str, span_id: str | None) -> LinkSession:
        """Begin linking span ``span_id`` with ``relation_type``.

        Raises
        ------
        LinkRefused
            With no span selected, an unknown relation type, a span whose label cannot start such a link, or no span
            to link to.
        """
        label_set = annotations.label_set
        kind = label_set.relation_type(relation_type)
        if kind is None:
            raise LinkRefused(f"The label set has no “{relation_type}” links.")
        allowed_from = " or ".join(kind.from_labels) or "statement"
        allowed_to = " or ".join(kind.to_labels) or "span"
        if span_id is None or span_id not in annotations:
            raise LinkRefused(f"Select a {allowed_from} span first (Tab moves between spans), then link it.")
        span = annotations.get(span_id)
        if kind.from_labels and span.label not in kind.from_labels:
            raise LinkRefused(
                f"A {relation_type} link starts at a {allowed_from} span; the selected span is {span.label}. "
                f"Select the {allowed_from} first, then link it to its {allowed_to}."
            )
        candidates = link_candidates(annotations, relation_type, span_id)
        if not candidates:
            raise LinkRefused(f"There is no {allowed_to} span to link to: label it first.")
        return cls(relation_type, span_id, candidates)

    @property
    def candidate(self) -> Span:
        """The span currently offered."""
        return self.candidates[self.index]

    def step(self, direction: int) -> Span:
        """Offer the next (+1) or previous (-1) candidate, wrapping around."""
        self.index = (self.index + direction) % len(self.candidates)
        return self.candidate

    def accepts(self, span_id: str) -> bool:
        """Whether ``span_id`` is one of the candidates."""
        return any(span.id == span_id for span in self.candidates)
