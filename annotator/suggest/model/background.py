"""Training and cross-validating the model in one call, for a background worker (a thread or another process).

:func:`train_and_validate` takes plain data (``(text, spans)`` pairs and ids) and returns plain data
(:class:`TrainingOutcome`), both picklable, so the app can send it to a process pool: importing this module imports no
Qt and no CRF library. Too few spans or documents are not errors here: the outcome says what is missing, in one line,
for the app to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.suggest.model.cross_validation import cross_validate
from annotator.suggest.model.span_model import SpanModel
from annotator.suggest.model.training import NotEnoughData, TrainingDocument, train
from annotator.suggest.model.validation import CrossValidation


@dataclass(frozen=True)
class TrainingOutcome:
    """What one training gave.

    Attributes
    ----------
    documents, spans: what it was given (every document; spans of every label).
    model: the model trained on every document, ungated (``None`` when there was nothing to learn).
    validation: its cross-validation by document with the learning curve (``None`` when not run or not possible).
    needs: why no model was trained (one line: what is needed), or ``None``.
    unvalidated: why there is no cross-validation (one line), or ``None``.
    """

    documents: int
    spans: int
    model: SpanModel | None = None
    validation: CrossValidation | None = None
    needs: str | None = None
    unvalidated: str | None = None


def train_and_validate(
    documents: Sequence[TrainingDocument], ids: Sequence[str] | None = None, *, curve: bool = True
) -> TrainingOutcome:
    """A model trained on all ``documents`` (``(text, spans)``, code points) and, with two documents or more, its
    cross-validation (:func:`~annotator.suggest.model.cross_validation.cross_validate`, by ``ids``; the learning
    curve too with ``curve``). Deterministic; raises nothing for too little data (see :class:`TrainingOutcome`)."""
    spans = sum(len(document_spans) for _text, document_spans in documents)
    try:
        model = train(documents)
    except NotEnoughData as error:
        return TrainingOutcome(len(documents), spans, needs=str(error))
    try:
        validation = cross_validate(documents, ids=ids, curve=curve)
    except NotEnoughData as error:
        return TrainingOutcome(len(documents), spans, model, unvalidated=str(error))
    return TrainingOutcome(len(documents), spans, model, validation)
