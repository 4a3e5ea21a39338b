"""The model suggester: it learns from generated news, deterministically, keeps exact code points on the trap
corpus, never suggests what is there or was rejected, withholds below its threshold, and orders by uncertainty."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from annotator.formats.tokens import tokenize
from annotator.model.span import Span
from annotator.suggest.evaluation import ALL_LABELS, Counts, compare
from annotator.suggest.model import (
    NotEnoughData,
    SpanModel,
    cross_validate,
    least_certain_first,
    train,
    uncertainty,
)
from annotator.suggest.model.cross_validation import curve_sizes, folds_of
from annotator.suggest.model.suggester import train_suggester
from annotator.suggest.suggestion import Suggestion, SuggestionContext
from tests.suggest.model.news import corpus

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def model() -> SpanModel:
    return train(corpus(seed=1, documents=10))


def test_it_learns_from_generated_news_and_finds_spans_in_held_out_documents(model):
    totals = Counts()
    for text, spans in corpus(seed=2, documents=5):
        exact, _overlap = compare(model.suggest(text, SuggestionContext()), spans)
        for counts in exact.values():
            totals.add(counts)
    assert model.labels == ("actor", "claim", "denial", "warning")
    assert totals.f1().value is not None and totals.f1().value > 0.85


def test_training_is_deterministic_and_the_model_pickles(model):
    again = train(corpus(seed=1, documents=10))
    assert again.crf == model.crf
    text, _spans = corpus(seed=3, documents=1)[0]
    first = model.suggest(text, SuggestionContext())
    assert first and again.suggest(text, SuggestionContext()) == first
    assert pickle.loads(pickle.dumps(model)).suggest(text, SuggestionContext()) == first
    assert all(s.suggester == "model" and 0.0 <= s.score <= 1.0 and "the model" in s.reason for s in first)


def test_the_temporary_model_file_is_removed(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    train(corpus(seed=1, documents=2))
    assert list(tmp_path.iterdir()) == []


def test_crfsuite_is_not_imported_with_the_suggesters():
    code = "import sys, annotator.suggest.registry, annotator.suggest.model; print('pycrfsuite' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_too_little_to_learn_says_how_much_is_needed():
    with pytest.raises(NotEnoughData, match="at least 1 span to learn from; the 2 documents given have none"):
        train([("Trains ran late.", []), ("Prices rose.", [])])
    with pytest.raises(NotEnoughData, match=r"at least 2 documents .* not 1"):
        cross_validate(corpus(seed=1, documents=1))


def test_never_what_is_there_with_that_label_nor_what_was_rejected(model):
    text, _spans = corpus(seed=4, documents=1)[0]
    found = model.suggest(text, SuggestionContext())
    first, second = found[0], found[1]
    span = Span(id="s1", start=first.start, end=first.end, label=first.label, text=text[first.start : first.end])
    around = Span(id="s2", start=0, end=len(text), label=second.label, text=text)
    context = SuggestionContext(spans=[span, around], rejected=frozenset())
    left = model.suggest(text, context)
    assert first not in left and all(s.label != second.label for s in left)
    other_label = Span(id="s3", start=first.start, end=first.end, label="elsewhere", text=span.text)
    assert first in model.suggest(text, SuggestionContext(spans=[other_label]))
    assert first not in model.suggest(text, SuggestionContext(rejected=frozenset([first.key])))


def test_trap_corpus_offsets_are_exact_code_points():
    cases = json.loads((DATA / "unicode-traps.json").read_text(encoding="utf-8"))["cases"]
    documents = [(c["text"], [Span(id=f"s{i}", **s) for i, s in enumerate(c["spans"], 1)]) for c in cases if c["spans"]]
    trained = train(documents)
    exact = on_tokens = 0
    for text, spans in documents:
        tokens = tokenize(text)
        starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
        found = trained.suggest(text, SuggestionContext())
        for s in found:  # on token edges: never inside CR LF, an emoji, a combining sequence; never on whitespace
            assert s.start in starts and s.end in ends and text[s.start : s.end].strip() == text[s.start : s.end]
        keys = {s.key for s in found}
        for span in spans:
            if span.start in starts and span.end in ends:
                on_tokens += 1
                exact += (span.start, span.end, span.label) in keys
    assert on_tokens >= 30 and exact >= 0.8 * on_tokens  # learned spans come back at their exact offsets


def test_cross_validation_folds_by_document_are_fixed_and_keep_one_document_together():
    assert folds_of(["a", "b", "a", "c"], 2) == [[0, 2, 3], [1]]
    assert curve_sizes(9) == [1, 2, 4, 8, 9] and curve_sizes(1) == [1]
    documents = corpus(seed=5, documents=7)
    validation = cross_validate(documents)
    assert validation.folds == 5 and validation.documents == 7
    assert [p.documents for p in validation.curve] == [1, 2, 4, 5]
    assert validation.to_json() == cross_validate(documents).to_json()
    assert validation.f1.value is not None and validation.f1.value > 0.8
    assert validation.curve[-1].exact_f1 is not None and validation.curve[0].exact_f1 is not None
    assert validation.curve[-1].exact_f1 >= validation.curve[0].exact_f1
    data = validation.to_json()
    assert data["f1"] == data["exact"][ALL_LABELS]["f1"] and data["suggester"] == "model"


def test_the_threshold_gate(model):
    text, _spans = corpus(seed=6, documents=1)[0]
    assert model.withheld is None and model.suggest(text, SuggestionContext())
    assert "not cross-validated" in (model.gated(None, 0.5).withheld or "")
    validation = cross_validate(corpus(seed=7, documents=3), curve=False)
    f1 = validation.f1.value
    assert f1 is not None and 0.0 < f1 < 1.0
    above = model.gated(validation, round(f1, 2) - 0.01)
    assert above.withheld is None and above.suggest(text, SuggestionContext())
    below = model.gated(validation, 1.0)
    assert below.suggest(text, SuggestionContext()) == []
    assert below.withheld == (
        f"the model's cross-validated F1 {f1:.2f} (exact, micro, 3 folds over 3 documents) is below the threshold 1.00"
    )
    with pytest.raises(ValueError, match="between 0 and 1"):
        model.gated(validation, 1.5)
    gated = train_suggester(corpus(seed=7, documents=3), threshold=1.0)
    assert gated.validation is not None and gated.validation.curve == () and gated.withheld


def test_least_certain_first():
    made = [Suggestion(i, i + 1, "actor", score, "model", "") for i, score in enumerate([0.9, 0.5, 0.1, 0.65, 1.0])]
    assert [s.score for s in least_certain_first(made)] == [0.5, 0.65, 0.9, 0.1, 1.0]
    assert uncertainty(made[1]) == 1.0 and uncertainty(made[4]) == 0.0
