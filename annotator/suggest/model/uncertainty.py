"""Least certain suggestions first: uncertainty sampling for "next suggestion".

As Prodigy's ``ner.teach`` does (its ``prefer_uncertain`` sorter: scores nearest 0.5 first), the **uncertainty** of
a suggestion is ``1 - |2 * score - 1|``: 1 at a score of 0.5 (the model cannot tell), 0 at a score of 0 or 1 (it is
sure either way). Reviewing those first teaches the model most per decision (Settles, *Active Learning Literature
Survey*, 2009, "uncertainty sampling"; INCEpTION's active learning sidebar offers the same). Works on any
suggester's suggestions; for the model the score is its least sure tag's marginal probability.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.suggest.suggestion import Suggestion


def uncertainty(suggestion: Suggestion) -> float:
    """``1 - |2 * score - 1|``, in ``[0, 1]``: how unsure the suggester is about ``suggestion``."""
    return 1.0 - abs(2.0 * suggestion.score - 1.0)


def least_certain_first(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """``suggestions`` by falling :func:`uncertainty` (least certain first), ties in text order ``(start, end,
    label)``."""
    return sorted(suggestions, key=lambda s: (-uncertainty(s), s.start, s.end, s.label))
