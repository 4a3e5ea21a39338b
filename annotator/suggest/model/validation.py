"""What a cross-validation of the model found: figures per label and the learning curve (data only; the procedure
is :mod:`annotator.suggest.model.cross_validation`)."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.review.measure import Measure
from annotator.suggest.evaluation import ALL_LABELS, EvaluationReport


@dataclass(frozen=True)
class LearningPoint:
    """One point of the learning curve: micro F1 (exact and overlap) of models trained on ``documents`` annotated
    documents, over the same held-out folds as the whole cross-validation (``None`` when undefined)."""

    documents: int
    exact_f1: float | None
    overlap_f1: float | None

    def to_json(self) -> dict:
        return {"documents": self.documents, "exact_f1": self.exact_f1, "overlap_f1": self.overlap_f1}


@dataclass(frozen=True)
class CrossValidation:
    """A k-fold cross-validation by document.

    Attributes
    ----------
    folds: k.
    documents: how many documents (documents sharing an id count once: they are held out together).
    report: precision, recall and F1 per label (and over all labels), exact and overlap, summed over the folds
        (:class:`annotator.suggest.evaluation.EvaluationReport`, suggester ``"model"``).
    curve: the learning curve, by growing number of training documents.
    """

    folds: int
    documents: int
    report: EvaluationReport
    curve: tuple[LearningPoint, ...] = ()

    @property
    def f1(self) -> Measure:
        """The F1 the threshold is compared with: micro-averaged over all labels, exact matching."""
        return self.report.exact[ALL_LABELS].f1()

    def describe(self) -> str:
        """``"exact, micro, 5 folds over 12 documents"``: how :attr:`f1` was measured."""
        return f"exact, micro, {self.folds} folds over {self.documents} documents"

    def to_json(self) -> dict:
        """:meth:`EvaluationReport.to_json` plus ``"folds"``, ``"f1"`` (:attr:`f1`) and ``"learning_curve"`` (a list
        of ``{"documents", "exact_f1", "overlap_f1"}``)."""
        data = self.report.to_json()
        data["folds"] = self.folds
        data["f1"] = self.f1.value
        data["learning_curve"] = [point.to_json() for point in self.curve]
        return data
