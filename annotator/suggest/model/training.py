"""Training the model: documents with their spans in, a :class:`~annotator.suggest.model.span_model.SpanModel` out.

Pure and deterministic: no Qt, no global state, fixed parameters (:data:`CRF_PARAMS`), documents in the order given;
the same documents give the same model bytes and so the same suggestions. CRFsuite trains into a file: it is a
temporary file, read back into the model's bytes and removed whatever happens. Safe to run in a background thread or
process (nothing shared is touched; the model is picklable).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator.model.span import Span
from annotator.suggest.model.features import token_features, tokens_of
from annotator.suggest.model.span_model import SpanModel
from annotator.suggest.model.tags import spans_to_tags

TrainingDocument = tuple[str, Sequence[Span]]
"""``(text, spans)``: a document's exact text and its spans (code points into it). A document with no spans is a
document too: it teaches that its text holds nothing to label."""

CRF_PARAMS: dict[str, Any] = {
    "c1": 0.1,  # L1 penalty: drops features that do not help
    "c2": 0.05,  # L2 penalty
    "max_iterations": 100,
    "feature.possible_transitions": True,  # learn that B-claim never follows I-actor, too
}
"""CRFsuite's L-BFGS parameters (``Trainer.set_params``): fixed, so training is deterministic."""

MIN_SPANS = 1
"""Spans (of the labels to learn) that training needs at the least: with none, every tag would be ``O``."""


class NotEnoughData(ValueError):
    """Too few documents or spans to train or cross-validate; the message says how many are needed and how many
    there are (one line)."""


def train(
    documents: Sequence[TrainingDocument], labels: Sequence[str] | None = None, *, params: dict[str, Any] | None = None
) -> SpanModel:
    """A CRF trained on ``documents``' spans of ``labels`` (every label the spans have when ``None``).

    Each document is one sequence of tokens tagged IOB2 (:mod:`annotator.suggest.model.tags`; nested and overlapping
    spans resolved by the ``longest`` policy); the features are :mod:`annotator.suggest.model.features`'.

    Raises
    ------
    NotEnoughData
        If ``documents`` hold fewer than :data:`MIN_SPANS` spans of ``labels``.
    """
    import pycrfsuite  # first use only

    wanted = sorted(set(labels) if labels is not None else {s.label for _text, spans in documents for s in spans})
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.select("lbfgs", "crf1d")
    trainer.set_params({**CRF_PARAMS, **(params or {})})
    learned = 0
    for text, spans in documents:
        tokens = tokens_of(text)
        if not tokens:
            continue
        tags, left_out = spans_to_tags(tokens, spans, wanted)
        learned += sum(1 for s in spans if s.label in wanted) - len(left_out)
        trainer.append(token_features(text, tokens), tags)
    if learned < MIN_SPANS:
        raise NotEnoughData(
            f"the model needs at least {MIN_SPANS} span{'' if MIN_SPANS == 1 else 's'} to learn from; "
            f"the {len(documents)} document{'' if len(documents) == 1 else 's'} given have none"
            + (f" labeled {', '.join(wanted)}" if labels is not None else "")
        )
    handle, name = tempfile.mkstemp(prefix="annotator-crf-", suffix=".crfsuite")
    os.close(handle)
    path = Path(name)
    try:
        trainer.train(str(path))
        crf = path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
    return SpanModel(crf=crf, labels=tuple(wanted), documents=len(documents), spans=learned)
