"""Tests of the review core (no Qt). Helpers to build annotated documents briefly."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from annotator.model.span import Span
from annotator.review.units import DocumentAnnotations


def make_spans(text: str, items: Iterable[tuple[int, int, str]], prefix: str = "s") -> tuple[Span, ...]:
    """Spans ``(start, end, label)`` of ``text`` (code points), with ids ``s1``, ``s2``..."""
    return tuple(
        Span(id=f"{prefix}{i}", start=start, end=end, label=label, text=text[start:end])
        for i, (start, end, label) in enumerate(items, 1)
    )


def make_document(
    text: str, annotators: Mapping[str, Iterable[tuple[int, int, str]]], name: str = "doc"
) -> DocumentAnnotations:
    """A document whose annotators each have the spans ``(start, end, label)`` given (possibly none)."""
    return DocumentAnnotations(name, text, {who: make_spans(text, items) for who, items in annotators.items()})
