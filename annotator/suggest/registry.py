"""The suggesters by name, for the app and the command line."""

from __future__ import annotations

from collections.abc import Callable

from annotator.suggest.attribution import NAME as ATTRIBUTION
from annotator.suggest.attribution import AttributionSuggester
from annotator.suggest.string_matcher import NAME as STRING_MATCH
from annotator.suggest.string_matcher import StringMatcher
from annotator.suggest.suggestion import Suggester
from annotator.suggest.vocabulary import Vocabulary

SUGGESTERS: dict[str, Callable[[Vocabulary], Suggester]] = {
    STRING_MATCH: StringMatcher,
    ATTRIBUTION: lambda _vocabulary: AttributionSuggester(),  # rules: it learns nothing
}
"""``name -> factory``: each factory takes what was learned beforehand (a :class:`Vocabulary`)."""


def make_suggester(name: str, vocabulary: Vocabulary | None = None) -> Suggester:
    """The suggester called ``name``, knowing ``vocabulary``.

    Raises
    ------
    ValueError
        For an unknown name, listing the known ones.
    """
    factory = SUGGESTERS.get(name)
    if factory is None:
        raise ValueError(f"no suggester called {name!r}; the suggesters are: {', '.join(sorted(SUGGESTERS))}")
    return factory(vocabulary if vocabulary is not None else Vocabulary())
