"""Tests of the review core (no Qt). Helpers to build annotated documents briefly."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from annotator.model.span import Span
from annotator.review.units import DocumentAnnotations


def make_spans(text: str, items: Iterable[tuple[int, int, str]], prefix: str = "s") -> tuple[Span, ...]:
    """Spans ``(start, end, label)`` of ``text`` (code points), with ids ``s1``, ``s2``..."""
    return tuple(
        Span(id=f"{prefix}{i}", start=start, end=end, label=label, text=text[start:end])
        for i, (start, end, label) in enumerate(items, 1)
    )


def make_document(
    text: str, annotators: Mapping[str, Iterable[tuple[int, int, str]]], name: str = "doc"
) -> DocumentAnnotations:
    """A document whose annotators each have the spans ``(start, end, label)`` given (possibly none)."""
    return DocumentAnnotations(name, text, {who: make_spans(text, items) for who, items in annotators.items()})


SAMPLE = Path(__file__).resolve().parents[2] / "tests" / "data" / "sample-article.annotations.json"
"""A copy of the sample article's annotation file (13 spans): the one in sample_docs/ is the user's, which the app
rewrites when the README command is run."""


def write_variant(path: Path, annotator: str, change: Callable[[list], None] = lambda spans: None) -> Path:
    """A copy of the sample annotation file at ``path`` by ``annotator``, its span list (JSON dicts) changed in place
    by ``change``; links to spans ``change`` removed are dropped."""
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["annotator"] = annotator
    change(data["spans"])
    ids = {span["id"] for span in data["spans"]}
    data["relations"] = [r for r in data["relations"] if r["from"] in ids and r["to"] in ids]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def bob_differs(spans: list) -> None:
    """The sample's spans as bob differs from alice: a label (the first span), a boundary (the second, one code
    point shorter) and a missing span (the fourth)."""
    spans[0]["label"] = "claim"
    spans[1]["end"] -= 1
    spans[1]["text"] = spans[1]["text"][:-1]
    del spans[3]


def write_valued(
    path: Path,
    annotator: str,
    values: Mapping[str, Mapping[str, object]] | None = None,
    document_labels: Mapping[str, object] | None = None,
    change: Callable[[list], None] = lambda spans: None,
) -> Path:
    """The sample annotation file by ``annotator`` under the default label set (quote, kind, relevance), saved at
    ``path`` as the app saves it: each span id in ``values`` gets those attribute values (``None`` leaves one
    unset), the document gets ``document_labels``; ``change`` edits the span list (JSON dicts) first, as in
    :func:`write_variant`."""
    from annotator.io import annotation_file
    from annotator.io.label_set_file import default_label_set

    write_variant(path, annotator, change)
    annotations = annotation_file.load(path)
    annotations.label_set = default_label_set()
    for span_id, attributes in (values or {}).items():
        span = annotations.get(span_id)
        kept = {name: value for name, value in attributes.items() if value is not None}
        annotations.replace(span.model_copy(update={"attributes": kept}))
    annotations.document_labels = dict(document_labels or {})
    annotation_file.save(annotations, path)
    return path
