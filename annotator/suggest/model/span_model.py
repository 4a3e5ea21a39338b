"""A trained model as a suggester: tags a text, turns the tags into suggestions, and withholds them below a threshold.

**Score** of a suggestion: the *minimum* of the marginal probabilities (forward-backward, CRFsuite's
``Tagger.marginal``) of its tokens' tags (``B-label`` then ``I-label``...) and of the token after it not being
``I-label`` (so an unsure end lowers the score as much as an unsure token). The minimum is an upper bound on the
probability of the span's whole tag run (no joint event is likelier than its least likely part), and unlike the
product it does not fall with the span's length alone: a long claim the model is sure of token by token scores as
high as a short actor. The labels' tags are the Viterbi path (``Tagger.tag``).

**Never** suggested again: what a span of the document already has with that label (same offsets, or inside a
longer span of that label) and what the analyst rejected there, as for the string matcher.

**Threshold gate**: with a threshold above 0, the model suggests only while its cross-validated F1
(:attr:`annotator.suggest.model.validation.CrossValidation.f1`: micro-averaged over labels, **exact** matching,
because an exact suggestion is what accepting gives without an edit) is at least the threshold; otherwise
:meth:`SpanModel.suggest` returns ``[]`` and :attr:`SpanModel.withheld` says why in one line, for the app to show.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from annotator.model.span import Span
from annotator.suggest.model.features import token_features, tokens_of
from annotator.suggest.model.tags import tag_ranges
from annotator.suggest.model.validation import CrossValidation
from annotator.suggest.suggestion import Suggestion, SuggestionContext

NAME = "model"


@dataclass(frozen=True)
class SpanModel:
    """A CRF trained on spans (:func:`annotator.suggest.model.training.train` makes one), and the ``model``
    suggester.

    Picklable (plain data: the CRF is kept as the bytes of the model file CRFsuite wrote and is opened from memory
    for each call), so a background thread or process can train it and hand it back.

    Attributes
    ----------
    crf: the CRFsuite model file's bytes.
    labels: the labels it was trained to suggest, sorted.
    documents, spans: how many documents and spans it was trained on (spans left out as nested or overlapping not
        counted).
    validation: its cross-validation, when one was run (:meth:`gated`).
    threshold: the F1 (exact, micro) its cross-validation must reach for it to suggest; 0 suggests always.
    """

    crf: bytes = dataclasses.field(repr=False)
    labels: tuple[str, ...]
    documents: int
    spans: int
    validation: CrossValidation | None = None
    threshold: float = 0.0

    name = NAME

    def gated(self, validation: CrossValidation | None, threshold: float) -> SpanModel:
        """This model with ``validation`` and ``threshold`` (see the module's docstring).

        Raises
        ------
        ValueError
            If ``threshold`` is outside ``[0, 1]``.
        """
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"the threshold is an F1 between 0 and 1, not {threshold:g}")
        return dataclasses.replace(self, validation=validation, threshold=threshold)

    @property
    def withheld(self) -> str | None:
        """Why the model suggests nothing now (one line), or ``None`` when it suggests."""
        if self.threshold <= 0.0:
            return None
        if self.validation is None:
            return f"the model is not cross-validated yet, and suggests only at F1 {self.threshold:.2f} or more"
        f1 = self.validation.f1
        if f1.value is None:
            return (
                f"the model's cross-validated F1 is undefined ({f1.reason}); it suggests only at {self.threshold:.2f}"
            )
        if f1.value < self.threshold:
            return (
                f"the model's cross-validated F1 {f1.value:.2f} ({self.validation.describe()}) is below the "
                f"threshold {self.threshold:.2f}"
            )
        return None

    def suggest(self, text: str, context: SuggestionContext) -> list[Suggestion]:
        """Suggestions for ``text`` (see the module's docstring), sorted by ``(start, end, label)``, without ids;
        ``[]`` while :attr:`withheld`."""
        if self.withheld is not None:
            return []
        return [s for s in self.tag(text) if not _known(s, context)]

    def tag(self, text: str) -> list[Suggestion]:
        """Every span the model finds in ``text``, scored, whatever the threshold and the document's spans."""
        tokens = tokens_of(text)
        if not tokens:
            return []
        import pycrfsuite  # first use only

        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(self.crf)
        try:
            tags = tagger.tag(token_features(text, tokens))
            known = set(tagger.labels())
            out = []
            for first, last, label in tag_ranges(tags):
                if label not in self.labels:
                    continue
                weakest = min(tagger.marginal(tags[i], i) for i in range(first, last + 1))
                following = f"I-{label}"
                if last + 1 < len(tokens) and following in known:
                    weakest = min(weakest, 1.0 - tagger.marginal(following, last + 1))
                score = round(min(max(weakest, 0.0), 1.0), 4)
                reason = (
                    f"the model (trained on {self.spans} span{'' if self.spans == 1 else 's'} in {self.documents} "
                    f"document{'' if self.documents == 1 else 's'}) tags it {label}; its least sure tag "
                    f"{score:.2f}"
                )
                out.append(Suggestion(tokens[first].start, tokens[last].end, label, score, NAME, reason))
        finally:
            tagger.close()
        return sorted(out, key=lambda s: s.key)


def _known(suggestion: Suggestion, context: SuggestionContext) -> bool:
    """Whether ``suggestion`` was rejected, or a span of its label holds it (same offsets or around it)."""
    if suggestion.key in context.rejected:
        return True
    return any(_holds(span, suggestion) for span in context.spans)


def _holds(span: Span, suggestion: Suggestion) -> bool:
    return span.label == suggestion.label and span.start <= suggestion.start and suggestion.end <= span.end
