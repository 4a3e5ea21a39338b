"""The streamed agreement report (one document at a time) equals the all-at-once one, figure for figure and bit for
bit, on generated multi-annotator corpora; and ``agree`` reads a project one document at a time."""

from __future__ import annotations

import json
import random
from collections import Counter

import krippendorff
import numpy as np
import pytest

from annotator.io.label_set_file import default_label_set
from annotator.model.span import Span
from annotator.review.agreement import agreement_report
from annotator.review.agreement_tally import AgreementTally, _alpha_of_patterns, streamed_agreement_report
from annotator.review.units import DocumentAnnotations

WORDS = ["Price", "said", "it", "was", "fine", ".", "Smith", "denied", "—", "the", "claim", "😀", "e\u0301"]
KINDS = ["person", "organisation", "government", None]
QUOTES = ["direct", "indirect", None]


def _spans(rng: random.Random, text: str, count: int) -> tuple[Span, ...]:
    spans = []
    for i in range(count):
        start = rng.randrange(len(text) - 1)
        end = min(len(text), start + rng.randint(1, 12))
        label = rng.choice(["actor", "claim", "warning", "denial"])
        attributes = {}
        value = rng.choice(KINDS if label == "actor" else QUOTES)
        if value is not None:
            attributes = {"kind" if label == "actor" else "quote": value}
        origin = rng.choice(["manual", "manual", "suggestion", "suggestion-edited"])
        spans.append(
            Span(
                id=f"s{i}",
                start=start,
                end=end,
                label=label,
                text=text[start:end],
                attributes=attributes,
                origin=origin,
            )
        )
    return tuple(sorted(spans, key=lambda span: span.sort_key))


def _corpus(seed: int, annotators: list[str], documents: int) -> list[DocumentAnnotations]:
    rng = random.Random(seed)
    label_set = default_label_set()
    corpus = []
    for d in range(documents):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 40)))
        names = [name for name in annotators if rng.random() < 0.85] or annotators[:1]
        reference = _spans(rng, text, rng.randint(0, 8)) if len(text) > 1 else ()
        spans = {}
        for name in names:
            own = list(reference)
            if own and rng.random() < 0.5:
                own.pop(rng.randrange(len(own)))  # disagree a little
            if len(text) > 1 and rng.random() < 0.4:
                own += _spans(rng, text, 2)
            spans[name] = tuple(own)
        effort = {name: (rng.random() < 0.5, round(rng.uniform(0, 90), 3)) for name in names}
        labels = {name: {"relevance": rng.choice(["relevant", "not relevant"])} for name in names if rng.random() < 0.7}
        corpus.append(DocumentAnnotations(f"doc{d}", text, spans, effort, labels, label_set))
    return corpus


@pytest.mark.parametrize(
    ("seed", "annotators", "documents"),
    [
        (1, ["ann", "bob"], 60),
        (2, ["ann", "bob", "cy"], 80),
        (3, ["ann", "bob", "cy", "gold"], 50),
        (4, ["ann", "bob", "cy", "dee", "eve"], 40),
        (5, ["ann"], 10),
        (6, ["ann", "bob"], 1),
    ],
)
def test_streamed_report_is_the_all_at_once_report(seed, annotators, documents):
    corpus = _corpus(seed, annotators, documents)
    expected = json.dumps(agreement_report(corpus).to_json(), ensure_ascii=False, indent=2)
    streamed = json.dumps(streamed_agreement_report(iter(corpus)).to_json(), ensure_ascii=False, indent=2)
    assert streamed == expected


def test_no_documents_gives_the_empty_report():
    assert AgreementTally().report().to_json() == agreement_report([]).to_json()


@pytest.mark.parametrize(("raters", "missing"), [(2, 0.0), (3, 0.2), (5, 0.0), (4, 0.1), (5, 0.2)])
def test_alpha_of_patterns_is_the_packages_alpha(raters, missing):
    """To the bit where each token's ratings number 2, 3 or 5 (the package's float sum is exact then); within
    rounding otherwise (1/3 terms: the package sums them in token order, the tally exactly)."""
    rng = np.random.default_rng(7)
    data = rng.integers(0, 4, size=(raters, 500)).astype(float)
    data[rng.random(data.shape) < missing] = np.nan
    data = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    patterns: dict = {}
    for column in data.T:
        values = [str(int(v)) for v in column if not np.isnan(v)]
        pattern = tuple(sorted((v, values.count(v)) for v in set(values)))
        patterns[pattern] = patterns.get(pattern, 0) + 1
    value = _alpha_of_patterns(Counter(patterns), ["0", "1", "2", "3"]).value
    counts = set((~np.isnan(data)).sum(axis=0).tolist())
    if counts <= {2, 3, 5}:
        assert value == float(expected)
    else:
        assert value == pytest.approx(float(expected), rel=1e-12, abs=1e-15)


def test_agree_command_streams_a_project_and_prints_the_all_at_once_report(tmp_path, capsys):
    """``agree`` reads the files twice (grouping, then one document at a time) and prints what the all-at-once
    report of the same files gives, in every output format."""
    import sys
    from pathlib import Path

    from annotator.__main__ import main
    from annotator.cli.agree_command import _csv, _table
    from annotator.review.loading import iter_documents, load_review_input

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from load_inputs import write_project

    project = write_project(tmp_path / "p", 4, size=400, spans=6)
    bench = project / "annotations" / "bench" / "docs"
    second = project / "annotations" / "second" / "docs"
    second.mkdir(parents=True)
    for n, path in enumerate(sorted(bench.iterdir())):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["annotator"] = "second"
        data["spans"] = data["spans"][n % 3 :]  # a few spans fewer in some documents
        (second / path.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    found = load_review_input([project])
    slim = load_review_input([project], keep_texts=False)
    assert [d.text for d in slim.documents] == [""] * 4 and not slim.sources
    assert list(iter_documents(slim)) == found.documents
    data = agreement_report(found.documents).to_json()
    for fmt, expected in (
        ("json", json.dumps(data, ensure_ascii=False, indent=2)),
        ("csv", _csv(data).rstrip("\n")),
        ("table", _table(data)),
    ):
        assert main(["agree", str(project), "-f", fmt]) == 0
        assert capsys.readouterr().out == expected + "\n"
