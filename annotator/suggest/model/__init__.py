"""The ``model`` suggester: a conditional random field (CRF) trained on the analyst's own spans.

No Qt, and no CRF library at import: python-crfsuite (https://github.com/scrapinghub/python-crfsuite, a binding of
CRFsuite, Okazaki 2007) is imported on first training or tagging. The modules, one job each:

- :mod:`~annotator.suggest.model.features`: tokens (the project's tokenizer) and the features of each token;
- :mod:`~annotator.suggest.model.tags`: spans to IOB2 tags for training (flat: nested and overlapping spans resolved
  by the export's ``longest`` overlap policy), and tags back to token ranges;
- :mod:`~annotator.suggest.model.training`: :func:`train` a :class:`SpanModel` (deterministic, pure, picklable);
- :mod:`~annotator.suggest.model.span_model`: :class:`SpanModel`, the suggester (scores, threshold gate);
- :mod:`~annotator.suggest.model.cross_validation`: :func:`cross_validate` by document and the learning curve
  (:mod:`~annotator.suggest.model.validation` holds what it finds);
- :mod:`~annotator.suggest.model.uncertainty`: least certain suggestions first (uncertainty sampling).

Offsets are Unicode code points into the document's exact text, half-open ``[start, end)``.
"""

from annotator.suggest.model.cross_validation import cross_validate
from annotator.suggest.model.span_model import NAME, SpanModel
from annotator.suggest.model.training import CRF_PARAMS, NotEnoughData, TrainingDocument, train
from annotator.suggest.model.uncertainty import least_certain_first, uncertainty
from annotator.suggest.model.validation import CrossValidation, LearningPoint

__all__ = [
    "CRF_PARAMS",
    "NAME",
    "CrossValidation",
    "LearningPoint",
    "NotEnoughData",
    "SpanModel",
    "TrainingDocument",
    "cross_validate",
    "least_certain_first",
    "train",
    "uncertainty",
]
