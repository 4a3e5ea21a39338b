"""Agreement with and without suggestions: per annotator the share of spans accepted from suggestions, span counts
and active time per span per group of documents, and pair F1 per group (documents, never span by span)."""

from __future__ import annotations

from pathlib import Path

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.span import Span
from annotator.review.agreement import agreement_report
from annotator.review.loading import load_review_input
from annotator.review.suggestion_effect import suggestion_effect
from annotator.review.units import DocumentAnnotations

TEXT = "Yang denied it. Sullivan warned China."


def span(sid: str, start: int, end: int, label: str, origin: str = "manual") -> Span:
    extra = {} if origin == "manual" else {"origin": origin, "suggester": "sm", "score": 0.5}
    return Span(id=sid, start=start, end=end, label=label, text=TEXT[start:end], **extra)


YANG, DENIED, SULLIVAN = (0, 4, "actor"), (5, 11, "denial"), (16, 24, "actor")


def documents() -> list[DocumentAnnotations]:
    # a: both with suggestions; b: both without; c: alice with, bob without (mixed)
    a = DocumentAnnotations(
        "a",
        TEXT,
        {
            "alice": (span("s1", *YANG, origin="suggestion"), span("s2", *DENIED, origin="suggestion-edited")),
            "bob": (span("s1", *YANG, origin="suggestion"),),
        },
        {"alice": (True, 60.0), "bob": (True, 30.0)},
    )
    b = DocumentAnnotations(
        "b",
        TEXT,
        {"alice": (span("s1", *SULLIVAN),), "bob": (span("s1", *SULLIVAN), span("s2", *YANG))},
        {"alice": (False, 90.0), "bob": (False, 0.0)},
    )
    c = DocumentAnnotations("c", TEXT, {"alice": (span("s1", *YANG),), "bob": ()}, {"alice": (True, 0.0)})
    return [a, b, c]


def test_share_of_spans_from_suggestions_and_time_per_span_by_group():
    effect = suggestion_effect(documents())
    alice, bob = effect.per_annotator["alice"], effect.per_annotator["bob"]
    assert (alice.spans, alice.from_suggestions, alice.share.value) == (4, 2, 0.5)
    assert (bob.spans, bob.from_suggestions, bob.share.value) == (3, 1, 1 / 3)
    assert (alice.groups["with"].documents, alice.groups["with"].spans) == (2, 3)
    assert alice.groups["with"].seconds_per_span.value == 20.0  # 60 s over 3 spans
    assert alice.groups["without"].seconds_per_span.value == 90.0
    assert bob.groups["with"].seconds_per_span.value == 30.0
    assert bob.groups["without"].seconds_per_span.reason == (
        "no active time recorded in the files of documents annotated without suggestions"
    )


def test_pairs_are_compared_per_group_of_documents_and_mixed_documents_left_out():
    (pair,) = suggestion_effect(documents()).pairs
    assert (pair.a, pair.b, dict(pair.documents), pair.mixed) == ("alice", "bob", {"with": 1, "without": 1}, 1)
    assert pair.f1_exact["with"].value == 2 / 3  # alice 2 spans, bob 1, 1 match
    assert pair.f1_exact["without"].value == 2 / 3


def test_undefined_figures_say_why_and_the_report_carries_them():
    lone = DocumentAnnotations("a", TEXT, {"alice": (), "bob": ()})
    data = agreement_report([lone]).to_json()["suggestions"]
    assert data["per_annotator"]["alice"]["share"] is None
    assert data["per_annotator"]["alice"]["reasons"] == {
        "share": "alice has no spans",
        "with.seconds_per_span": "no document annotated with suggestions",
        "without.seconds_per_span": "no active time recorded in the files of documents annotated without suggestions",
    }
    assert data["pairs"][0]["reasons"] == {
        "with": "alice and bob annotated no document both with suggestions",
        "without": "neither annotator has spans (alice, bob) in the shared document, so F1 is undefined",
    }


def test_loading_reads_whether_suggestions_were_shown_and_the_active_time(tmp_path: Path):
    for name, shown, seconds in (("alice", True, 12.5), ("bob", False, 0.0)):
        annotations = AnnotationSet(
            Document.from_text(TEXT),
            default_label_set(),
            name,
            [span("s1", *YANG, origin="suggestion" if shown else "manual")],
            suggestions_shown=shown,
            active_seconds=seconds,
        )
        annotation_file.save(annotations, tmp_path / f"{name}.annotations.json")
    found = load_review_input([tmp_path])
    (document,) = found.documents
    assert dict(document.effort) == {"alice": (True, 12.5), "bob": (False, 0.0)}
