"""Cross-validating the model by document, and its learning curve.

**Folds**: k = min(5, number of documents); documents sharing an id (several annotators' files of one text) are one
unit, held out together; unit ``i`` (in the order first given) goes to fold ``i mod k``, so the folds are the same on
every run. For each fold a model is trained on the other folds' documents (:func:`~annotator.suggest.model.training.
train`) and suggests on each held-out text with no spans given; the suggestions are compared with that document's
spans of the learned labels by :func:`annotator.suggest.evaluation.compare` (exact and overlap, per label; nested
spans the flat model cannot give count as missed). A fold whose training documents hold no span suggests nothing.

**Learning curve**: for ``n`` = 1, 2, 4, 8... and the largest training set every fold has, each fold's model is
trained on the first ``n`` units of its training documents (in the order given) and scored on the same held-out fold;
each point is the micro F1, exact and overlap, summed over the folds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.model.span import Span
from annotator.suggest.evaluation import ALL_LABELS, Counts, EvaluationReport, add_totals, best_labels, compare
from annotator.suggest.model.span_model import NAME
from annotator.suggest.model.training import NotEnoughData, TrainingDocument, train
from annotator.suggest.model.validation import CrossValidation, LearningPoint
from annotator.suggest.suggestion import SuggestionContext

MAX_FOLDS = 5
MIN_DOCUMENTS = 2
"""Documents (distinct ids) cross-validation needs at the least: one to learn from, one to test on."""


def folds_of(ids: Sequence[str], folds: int) -> list[list[int]]:
    """Indices of ``ids`` per fold: the ``i``-th distinct id (in first-seen order) goes to fold ``i mod folds``."""
    order: dict[str, int] = {}
    for document_id in ids:
        order.setdefault(document_id, len(order))
    out: list[list[int]] = [[] for _ in range(folds)]
    for index, document_id in enumerate(ids):
        out[order[document_id] % folds].append(index)
    return out


def curve_sizes(largest: int) -> list[int]:
    """1, 2, 4, 8... below ``largest``, then ``largest``."""
    sizes = []
    size = 1
    while size < largest:
        sizes.append(size)
        size *= 2
    if largest >= 1:
        sizes.append(largest)
    return sizes


def cross_validate(
    documents: Sequence[TrainingDocument],
    labels: Sequence[str] | None = None,
    *,
    ids: Sequence[str] | None = None,
    curve: bool = True,
    min_score: float = 0.0,
    params: dict[str, Any] | None = None,
) -> CrossValidation:
    """k-fold cross-validation of the model on ``documents`` (see the module's docstring).

    Parameters
    ----------
    documents: ``(text, spans)`` pairs.
    labels: the labels to learn and score (every label of the spans when ``None``).
    ids: each document's id (documents sharing one are held out together); each its own when ``None``.
    curve: whether to compute the learning curve too (a few more trainings per fold).
    min_score: only suggestions scoring at least this count.
    params: CRFsuite parameters over :data:`~annotator.suggest.model.training.CRF_PARAMS`.

    Raises
    ------
    NotEnoughData
        With fewer than :data:`MIN_DOCUMENTS` distinct documents, or no span of ``labels`` at all.
    ValueError
        If ``ids`` is not as long as ``documents``.
    """
    keys = list(ids) if ids is not None else [str(index) for index in range(len(documents))]
    if len(keys) != len(documents):
        raise ValueError(f"{len(keys)} ids for {len(documents)} documents")
    units = len(set(keys))
    if units < MIN_DOCUMENTS:
        raise NotEnoughData(
            f"cross-validation needs at least {MIN_DOCUMENTS} documents (one to learn from, one to test on), "
            f"not {units}"
        )
    wanted = sorted(set(labels) if labels is not None else {s.label for _text, spans in documents for s in spans})
    if not any(s.label in wanted for _text, spans in documents for s in spans):
        raise NotEnoughData(f"cross-validation needs at least 1 span to learn from; the {units} documents have none")
    k = min(MAX_FOLDS, units)
    folds = folds_of(keys, k)
    report = _run(documents, wanted, folds, None, min_score, params)
    report.documents = units
    points: list[LearningPoint] = []
    if curve:
        largest = min(len(set(keys)) - len({keys[i] for i in fold}) for fold in folds)
        for size in curve_sizes(largest):
            part = _run(documents, wanted, folds, (keys, size), min_score, params)
            points.append(LearningPoint(size, part.exact[ALL_LABELS].f1().value, part.overlap[ALL_LABELS].f1().value))
    return CrossValidation(folds=k, documents=units, report=report, curve=tuple(points))


def _run(
    documents: Sequence[TrainingDocument],
    labels: list[str],
    folds: list[list[int]],
    limit: tuple[list[str], int] | None,
    min_score: float,
    params: dict[str, Any] | None,
) -> EvaluationReport:
    """One pass over the folds; with ``limit = (ids, n)``, each fold trains on its first ``n`` units only."""
    report = EvaluationReport(suggester=NAME, documents=0, min_score=min_score)
    for fold in folds:
        held = set(fold)
        training = [i for i in range(len(documents)) if i not in held]
        if limit is not None:
            keys, size = limit
            first: list[str] = []
            for i in training:
                if keys[i] not in first:
                    first.append(keys[i])
            kept = set(first[:size])
            training = [i for i in training if keys[i] in kept]
        try:
            model = train([documents[i] for i in training], labels, params=params)
        except NotEnoughData:
            model = None
        for index in fold:
            text, spans = documents[index]
            gold: list[Span] = [s for s in spans if s.label in labels]
            found = model.suggest(text, SuggestionContext()) if model is not None else []
            exact, overlap = compare(best_labels(found, min_score), gold)
            for totals, per_label in ((report.exact, exact), (report.overlap, overlap)):
                for label, figures in per_label.items():
                    totals.setdefault(label, Counts()).add(figures)
    for label in labels:  # a label never suggested nor in the held-out gold still gets its row
        report.exact.setdefault(label, Counts())
        report.overlap.setdefault(label, Counts())
    add_totals(report)
    return report
