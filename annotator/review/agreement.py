"""The agreement report of a set of documents: every annotator pair's span and token agreement, corpus-wide Fleiss'
kappa and Krippendorff's alpha, per-annotator counts and per-document figures, as dataclasses and as JSON.

Every figure is a :class:`~annotator.review.measure.Measure`; the formulas and their sources are in
:mod:`annotator.review.span_agreement` (precision, recall, F1 with exact and overlap matching) and
:mod:`annotator.review.token_agreement` (token labels, Cohen's and Fleiss' kappa, Krippendorff's alpha, confusion).
A pair is compared over the documents both annotated only; Fleiss' kappa over the documents all annotated;
Krippendorff's alpha over all documents (an annotator missing from a document leaves missing values). An annotator
named ``gold`` (an adjudicated reference) is compared pair by pair but is not one of the raters of Fleiss' kappa and
Krippendorff's alpha, which measure how independent annotators agree.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotator.review.majority import GOLD_ANNOTATOR
from annotator.review.measure import Measure
from annotator.review.nominal import NominalAgreement
from annotator.review.span_agreement import SpanAgreement, span_agreement
from annotator.review.suggestion_effect import SuggestionEffect, suggestion_effect
from annotator.review.token_agreement import (
    LabeledTokens,
    cohen_kappa,
    confusion_matrix,
    fleiss_kappa,
    krippendorff_alpha,
    label_tokens,
)
from annotator.review.units import DocumentAnnotations
from annotator.review.value_agreement import attribute_agreement, document_label_agreement

SPAN_FIGURES = ("precision", "recall", "f1")


@dataclass(frozen=True)
class PairAgreement:
    """Agreement of annotators ``a < b`` (``a`` the reference of precision and recall) over their shared documents.

    Attributes
    ----------
    a, b: the annotators, ``a < b``.
    shared_documents: how many documents both annotated.
    exact, overlap: span agreement with exact and with overlap matching (counts per label).
    cohen_kappa: Cohen's kappa over the pooled tokens.
    confusion: ``{label of a: {label of b: tokens}}``, labels sorted with ``"O"`` last.
    """

    a: str
    b: str
    shared_documents: int
    exact: SpanAgreement
    overlap: SpanAgreement
    cohen_kappa: Measure
    confusion: Mapping[str, Mapping[str, int]]

    @property
    def span_f1_exact(self) -> Measure:
        """Micro F1 with exact matching."""
        return self.exact.f1()

    @property
    def span_f1_overlap(self) -> Measure:
        """Micro F1 with overlap matching."""
        return self.overlap.f1()

    @property
    def per_label(self) -> dict[str, dict[str, dict[str, Measure]]]:
        """``{label: {"exact" | "overlap": {"precision" | "recall" | "f1": Measure}}}`` for every label either
        annotator used in the shared documents."""
        return {
            label: {
                agreement.mode: {figure: getattr(agreement, figure)(label) for figure in SPAN_FIGURES}
                for agreement in (self.exact, self.overlap)
            }
            for label in self.exact.per_label
        }


@dataclass(frozen=True)
class DocumentPairFigures:
    """One pair's figures on one document both annotated."""

    a: str
    b: str
    span_f1_exact: Measure
    span_f1_overlap: Measure
    cohen_kappa: Measure


@dataclass(frozen=True)
class DocumentAgreement:
    """The figures of one document: its annotators (sorted) and each of their pairs."""

    document: str
    annotators: list[str]
    pairs: list[DocumentPairFigures]


@dataclass(frozen=True)
class AnnotatorCounts:
    """What one annotator did: ``documents`` annotated, ``spans`` in them, and ``spans_per_label`` (sorted)."""

    documents: int
    spans: int
    spans_per_label: Mapping[str, int]


@dataclass(frozen=True)
class AgreementReport:
    """The agreement of every annotator of ``documents``; see :func:`agreement_report`.

    Attributes
    ----------
    annotators: every annotator of any document, sorted.
    documents: how many documents were given.
    pairs: one :class:`PairAgreement` per pair ``a < b``, sorted (none with fewer than two annotators).
    fleiss_kappa, krippendorff_alpha: over all annotators but ``gold`` (an adjudicated reference is not one more
        independent annotator; pairs with gold are in :attr:`pairs`), see the module docstring for the documents
        they pool.
    fleiss_documents: how many documents Fleiss' kappa pooled (those every annotator annotated).
    per_annotator: annotator -> :class:`AnnotatorCounts`.
    per_document: one :class:`DocumentAgreement` per document, in the order given.
    suggestions: per annotator the share of spans accepted from suggestions, and documents annotated with
        suggestions shown compared with those annotated without (:mod:`annotator.review.suggestion_effect`).
    attributes: per span attribute of the label set, agreement over the spans matched exactly
        (:mod:`annotator.review.value_agreement`).
    document_labels: per document label (per value of a ``multiple`` one), agreement over the documents.
    """

    annotators: list[str]
    documents: int
    pairs: list[PairAgreement]
    fleiss_kappa: Measure
    krippendorff_alpha: Measure
    fleiss_documents: int
    per_annotator: Mapping[str, AnnotatorCounts]
    per_document: list[DocumentAgreement]
    suggestions: SuggestionEffect | None = None
    attributes: list[NominalAgreement] = field(default_factory=list)
    document_labels: list[NominalAgreement] = field(default_factory=list)

    def to_json(self) -> dict:
        """The report as JSON-ready data (plain dicts, lists, str, int, float, None)::

            {"annotators": [...], "documents": n, "fleiss_documents": n,
             "pairs": [{"a", "b", "shared_documents", "span_f1_exact", "span_f1_overlap", "span_f1_exact_macro",
                        "span_f1_overlap_macro", "cohen_kappa",
                        "per_label": {label: {"exact": {"precision", "recall", "f1", "reasons"}, "overlap": {...}}},
                        "confusion": {label of a: {label of b: tokens}}, "reasons": {...}}],
             "fleiss_kappa", "krippendorff_alpha", "reasons": {...},
             "per_annotator": {name: {"documents", "spans", "spans_per_label": {label: n}}},
             "per_document": [{"document", "annotators",
                               "pairs": [{"a", "b", "span_f1_exact", "span_f1_overlap", "cohen_kappa", "reasons"}]}],
             "suggestions": {...},  (see :meth:`SuggestionEffect.to_json`)
             "attributes": [...], "document_labels": [...]}  (see :meth:`NominalAgreement.to_json`)

        An undefined figure is ``null`` and its reason is under the figure's name in the nearest ``"reasons"``
        object (the one beside it); ``"reasons"`` holds only the undefined figures' reasons.
        """
        return {
            "annotators": list(self.annotators),
            "documents": self.documents,
            "fleiss_documents": self.fleiss_documents,
            "pairs": [_pair_json(pair) for pair in self.pairs],
            **_figures({"fleiss_kappa": self.fleiss_kappa, "krippendorff_alpha": self.krippendorff_alpha}),
            "per_annotator": {
                name: {
                    "documents": counts.documents,
                    "spans": counts.spans,
                    "spans_per_label": dict(counts.spans_per_label),
                }
                for name, counts in self.per_annotator.items()
            },
            "per_document": [_document_json(document) for document in self.per_document],
            **({"suggestions": self.suggestions.to_json()} if self.suggestions is not None else {}),
            "attributes": [item.to_json() for item in self.attributes],
            "document_labels": [item.to_json() for item in self.document_labels],
        }


def agreement_report(documents: Sequence[DocumentAnnotations]) -> AgreementReport:
    """The agreement of every annotator of ``documents`` (each document tokenized once).

    Undefined figures say why: no documents, a single annotator (no pairs; Fleiss' kappa and alpha undefined), a
    pair with no shared documents ("... have no shared documents"), no spans, expected agreement of 1, and so on.
    """
    labeled = [label_tokens(document) for document in documents]
    annotators = sorted({name for document in documents for name in document.spans})
    raters = [name for name in annotators if name != GOLD_ANNOTATOR]  # gold is a reference, not an annotator
    everyone = [document for document in documents if all(name in document.spans for name in raters)]
    return AgreementReport(
        annotators=annotators,
        documents=len(documents),
        pairs=[_pair(documents, labeled, a, b) for a, b in itertools.combinations(annotators, 2)],
        fleiss_kappa=fleiss_kappa(labeled, raters),
        krippendorff_alpha=krippendorff_alpha(labeled, raters),
        fleiss_documents=len(everyone) if len(raters) >= 2 else 0,
        per_annotator={name: _annotator_counts(documents, name) for name in annotators},
        per_document=[_document(document, tokens) for document, tokens in zip(documents, labeled, strict=True)],
        suggestions=suggestion_effect(documents),
        attributes=attribute_agreement(documents),
        document_labels=document_label_agreement(documents),
    )


def _pair(documents: Sequence[DocumentAnnotations], labeled: Sequence[LabeledTokens], a: str, b: str) -> PairAgreement:
    exact = span_agreement(documents, a, b, "exact")
    return PairAgreement(
        a=a,
        b=b,
        shared_documents=exact.shared_documents,
        exact=exact,
        overlap=span_agreement(documents, a, b, "overlap"),
        cohen_kappa=cohen_kappa(labeled, a, b),
        confusion=confusion_matrix(labeled, a, b),
    )


def _document(document: DocumentAnnotations, labeled: LabeledTokens) -> DocumentAgreement:
    pairs = [
        DocumentPairFigures(
            a=a,
            b=b,
            span_f1_exact=span_agreement([document], a, b, "exact").f1(),
            span_f1_overlap=span_agreement([document], a, b, "overlap").f1(),
            cohen_kappa=cohen_kappa([labeled], a, b),
        )
        for a, b in itertools.combinations(document.annotators, 2)
    ]
    return DocumentAgreement(document.document, document.annotators, pairs)


def _annotator_counts(documents: Sequence[DocumentAnnotations], name: str) -> AnnotatorCounts:
    annotated = [document.spans[name] for document in documents if name in document.spans]
    labels = Counter(span.label for spans in annotated for span in spans)
    return AnnotatorCounts(len(annotated), sum(labels.values()), dict(sorted(labels.items())))


# -- JSON ------------------------------------------------------------------------------------------------------------
def _figures(measures: Mapping[str, Measure]) -> dict:
    """``{name: value or None, ..., "reasons": {name: reason of each undefined one}}``."""
    return {
        **{name: measure.value for name, measure in measures.items()},
        "reasons": {name: measure.reason for name, measure in measures.items() if not measure.defined},
    }


def _pair_json(pair: PairAgreement) -> dict:
    figures = _figures(
        {
            "span_f1_exact": pair.span_f1_exact,
            "span_f1_overlap": pair.span_f1_overlap,
            "span_f1_exact_macro": pair.exact.macro_f1(),
            "span_f1_overlap_macro": pair.overlap.macro_f1(),
            "cohen_kappa": pair.cohen_kappa,
        }
    )
    reasons = figures.pop("reasons")
    return {
        "a": pair.a,
        "b": pair.b,
        "shared_documents": pair.shared_documents,
        **figures,
        "per_label": {
            label: {mode: _figures(measures) for mode, measures in modes.items()}
            for label, modes in pair.per_label.items()
        },
        "confusion": {row: dict(columns) for row, columns in pair.confusion.items()},
        "reasons": reasons,
    }


def _document_json(document: DocumentAgreement) -> dict:
    return {
        "document": document.document,
        "annotators": list(document.annotators),
        "pairs": [
            {
                "a": pair.a,
                "b": pair.b,
                **_figures(
                    {
                        "span_f1_exact": pair.span_f1_exact,
                        "span_f1_overlap": pair.span_f1_overlap,
                        "cohen_kappa": pair.cohen_kappa,
                    }
                ),
            }
            for pair in document.pairs
        ],
    }
