"""The suggesters by name, for the app and the command line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from annotator.suggest.attribution import NAME as ATTRIBUTION
from annotator.suggest.attribution import AttributionSuggester
from annotator.suggest.model.span_model import NAME as MODEL
from annotator.suggest.model.suggester import train_suggester
from annotator.suggest.model.training import TrainingDocument
from annotator.suggest.string_matcher import NAME as STRING_MATCH
from annotator.suggest.string_matcher import StringMatcher
from annotator.suggest.suggestion import Suggester
from annotator.suggest.vocabulary import Vocabulary


@dataclass(frozen=True)
class Learned:
    """What a suggester may learn from beforehand.

    Attributes
    ----------
    vocabulary: span texts and labels (the string matcher's).
    documents: ``(text, spans)`` of the annotated documents (the model's; code points into each text).
    ids: each document's id (documents sharing one are held out together when cross-validating); ``None``: all
        distinct.
    threshold: the model's cross-validated F1 (exact, micro) below which it suggests nothing; 0 for always.
    """

    vocabulary: Vocabulary
    documents: Sequence[TrainingDocument] = ()
    ids: Sequence[str] | None = None
    threshold: float = 0.0


SUGGESTERS: dict[str, Callable[[Learned], Suggester]] = {
    STRING_MATCH: lambda learned: StringMatcher(learned.vocabulary),
    ATTRIBUTION: lambda _learned: AttributionSuggester(),  # rules: it learns nothing
    MODEL: lambda learned: train_suggester(learned.documents, ids=learned.ids, threshold=learned.threshold),
}
"""``name -> factory``: each factory takes what was learned beforehand (:class:`Learned`)."""

LEARNS_FROM_DOCUMENTS = frozenset([MODEL])
"""The suggesters that need whole documents (texts and spans), not only a vocabulary."""


def make_suggester(
    name: str,
    vocabulary: Vocabulary | None = None,
    *,
    documents: Sequence[TrainingDocument] = (),
    ids: Sequence[str] | None = None,
    threshold: float = 0.0,
) -> Suggester:
    """The suggester called ``name``, knowing ``vocabulary`` (or, for the model, trained on ``documents``).

    Raises
    ------
    ValueError
        For an unknown name, listing the known ones.
    NotEnoughData
        (a ValueError) For the model, when ``documents`` are too few to train (or, with a threshold, to
        cross-validate); the message says how many are needed.
    """
    factory = SUGGESTERS.get(name)
    if factory is None:
        raise ValueError(f"no suggester called {name!r}; the suggesters are: {', '.join(sorted(SUGGESTERS))}")
    return factory(Learned(vocabulary if vocabulary is not None else Vocabulary(), documents, ids, threshold))
