"""The ``model`` suggester ready to use: trained, and cross-validated when a threshold asks for it."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.suggest.model.cross_validation import cross_validate
from annotator.suggest.model.span_model import SpanModel
from annotator.suggest.model.training import TrainingDocument, train


def train_suggester(
    documents: Sequence[TrainingDocument],
    labels: Sequence[str] | None = None,
    *,
    ids: Sequence[str] | None = None,
    threshold: float = 0.0,
) -> SpanModel:
    """A model trained on all ``documents``; with ``threshold`` above 0, also cross-validated on them (without the
    learning curve) and gated by it (:meth:`SpanModel.gated`), so it suggests only while its F1 reaches the
    threshold.

    Raises
    ------
    NotEnoughData
        Too few spans to train, or (with a threshold) too few documents to cross-validate.
    ValueError
        If ``threshold`` is outside ``[0, 1]``.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"the threshold is an F1 between 0 and 1, not {threshold:g}")
    model = train(documents, labels)
    if threshold <= 0.0:
        return model
    return model.gated(cross_validate(documents, labels, ids=ids, curve=False), threshold)
