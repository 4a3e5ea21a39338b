"""The streamed agreement report (one document at a time) equals the all-at-once one, figure for figure and bit for
bit, on generated multi-annotator corpora; and ``agree`` reads a project one document at a time."""

from __future__ import annotations

import itertools
import json
import random

import krippendorff
import numpy as np
import pytest

from annotator.io.label_set_file import default_label_set
from annotator.model.span import Span
from annotator.review.agreement import agreement_report
from annotator.review.agreement_tally import AgreementTally, _alpha_of_coincidences, streamed_agreement_report
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
        (142, ["ann", "bob", "cy", "dee"], 30),  # 4 and 6 raters: alpha's float sums inexact, still the package's
        (144, ["ann", "bob", "cy", "dee", "eve", "fay"], 30),
    ],
)
def test_streamed_report_is_the_all_at_once_report(seed, annotators, documents):
    corpus = _corpus(seed, annotators, documents)
    expected = json.dumps(agreement_report(corpus).to_json(), ensure_ascii=False, indent=2)
    tally = AgreementTally()
    for document in corpus:
        tally.add(document)
    streamed = json.dumps(tally.report().to_json(), ensure_ascii=False, indent=2)
    assert streamed == expected
    kept = [
        *itertools.chain.from_iterable(tally._attribute_units.values()),
        *itertools.chain(*tally._label_units.values()),
    ]
    assert len({id(unit) for unit in kept}) <= len(tally._units)  # equal units are one object


def test_an_attribute_on_relations_in_earlier_documents_and_on_spans_later_is_counted_as_all_at_once():
    """The attributes measured are those on spans in any document's label set; a document whose set has the name
    on relations only adds no units, before or after the document that puts it on spans (as all at once)."""
    from dataclasses import replace

    label_set = default_label_set()
    on_relations = label_set.model_copy(
        update={
            "attributes": tuple(
                attribute.model_copy(update={"on": "relation", "labels": ()}) if attribute.name == "kind" else attribute
                for attribute in label_set.attributes
            )
        }
    )
    corpus = _corpus(11, ["ann", "bob", "cy"], 40)
    corpus = [
        replace(d, label_set=on_relations if i < 15 else None if i < 20 else d.label_set) for i, d in enumerate(corpus)
    ]
    expected = agreement_report(corpus).to_json()
    assert [item["name"] for item in expected["attributes"]] == ["quote", "kind"]
    assert streamed_agreement_report(iter(corpus)).to_json() == expected


def test_no_documents_gives_the_empty_report():
    assert AgreementTally().report().to_json() == agreement_report([]).to_json()


@pytest.mark.parametrize(("raters", "missing"), [(2, 0.0), (3, 0.2), (5, 0.0), (4, 0.1), (5, 0.2), (7, 0.3)])
def test_alpha_of_coincidences_is_the_packages_alpha_to_the_bit(raters, missing):
    """Token terms added to running sums document by document, in token order, give the package's float sums
    exactly, whatever the number of ratings of a token (4 or 6 make inexact thirds and fifths)."""
    rng = np.random.default_rng(7)
    data = rng.integers(0, 4, size=(raters, 900)).astype(float)
    blocks = range(0, data.shape[1], 100)  # nine "documents"; a rater missing from some
    for start in blocks:
        data[rng.random(raters) < missing, start : start + 100] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    tally = AgreementTally()
    for start in blocks:
        block = data[:, start : start + 100]
        columns = [[str(int(v)) for v in row] for row in block if not np.isnan(row).any()]
        if len(columns) >= 2:
            tally._add_coincidences(columns)
    assert _alpha_of_coincidences(tally._coincidences, ["0", "1", "2", "3"]).value == float(expected)


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
    assert len({id(d.label_set) for d in slim.documents}) == 1  # one object per distinct label set, not per file
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
