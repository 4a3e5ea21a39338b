"""Agreement on span attributes and document labels: the units each is measured on, and its figures.

Attributes
----------
For each attribute of the label set carried by spans, the units are the spans matched exactly among annotators: a
span key ``(start, end, label)`` (code points) of one document, whose label may carry the attribute, that two or
more annotators have (twins count once, as in :mod:`annotator.review.disagreements`). Each annotator who has the
key rates it with the span's value of the attribute (:func:`attribute_category`). A pair compares the keys both
have; Krippendorff's alpha pools the keys two or more have. Fleiss' kappa is not given for attributes: which spans
an annotator marked varies, so units rarely have every annotator's rating.

Document labels
---------------
For each document label, the units are the documents; every annotator of a document rates it with its value
(:func:`document_label_category`). Pairs compare the documents both annotated (Cohen's kappa); Fleiss' kappa pools
the documents every annotator annotated; Krippendorff's alpha every document two or more annotated. A ``multiple``
document label is measured per value, each a yes/no item named ``"<label>: <value>"``: ``yes`` when the annotator
chose the value, ``no`` otherwise (an unset label is no to every value).

Unset values
------------
An attribute or single document label the annotator left unset (an enum with no default, a document label not
chosen) is its own category, :data:`UNSET` (``"(unset)"``), not left out: one annotator saying ``person`` where
another said nothing is a disagreement, and leaving such units out would report agreement on the units both filled
in only, hiding work one of them did not do. A value equal to the attribute's default is the default (bool
attributes are ``true``/``false``, text attributes their text, ``""`` when empty).
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.model.labels import Attribute, DocumentLabel
from annotator.model.span import Span
from annotator.review.disagreements import SpanKey, unique_keys
from annotator.review.majority import GOLD_ANNOTATOR
from annotator.review.nominal import NominalAgreement, Unit, nominal_agreement
from annotator.review.units import DocumentAnnotations, DocumentLabelValues

UNSET = "(unset)"
"""The category of an attribute or document label left unset."""


def attribute_category(span: Span, attribute: Attribute) -> str:
    """``span``'s value of ``attribute`` as a category: its stored value, else the attribute's default; bool values
    as ``"true"``/``"false"``; :data:`UNSET` for an enum with no value and no default."""
    value = span.attributes.get(attribute.name, attribute.default_value())
    if value is None:
        return UNSET
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def document_label_category(labels: DocumentLabelValues, label: DocumentLabel) -> str:
    """The value of the single-valued document label ``label`` in ``labels``, or :data:`UNSET`."""
    value = labels.get(label.name)
    return value if isinstance(value, str) and value else UNSET


def document_label_items(label: DocumentLabel) -> list[tuple[str, str | None]]:
    """The items a document label is measured as: ``[(name, None)]`` for a single-valued one, ``[("<name>:
    <value>", value), ...]`` (yes/no items) for a ``multiple`` one."""
    if not label.multiple:
        return [(label.name, None)]
    return [(f"{label.name}: {value}", value) for value in label.values]


def attribute_units(document: DocumentAnnotations, attribute: Attribute) -> list[Unit]:
    """The units of ``attribute`` in ``document``: one per span key of a label carrying it that two or more
    annotators have, ``{annotator: category}``, in key order."""
    ratings: dict[SpanKey, dict[str, str]] = {}
    for annotator in document.annotators:
        for key, span in unique_keys(document.spans[annotator]).items():
            if attribute.applies_to(span.label):
                ratings.setdefault(key, {})[annotator] = attribute_category(span, attribute)
    return [ratings[key] for key in sorted(ratings) if len(ratings[key]) >= 2]


def document_label_units(document: DocumentAnnotations, label: DocumentLabel, value: str | None) -> Unit:
    """The unit of one document-label item in ``document`` (see :func:`document_label_items`): every annotator's
    category."""
    out = {}
    for annotator in document.annotators:
        labels = document.document_labels.get(annotator, {})
        if value is None:
            out[annotator] = document_label_category(labels, label)
        else:
            chosen = labels.get(label.name)
            out[annotator] = "yes" if isinstance(chosen, list) and value in chosen else "no"
    return out


def attribute_agreement(documents: Sequence[DocumentAnnotations]) -> list[NominalAgreement]:
    """Per span attribute of the documents' label sets (in the order first met), its agreement (module docstring).
    Documents without a label set add nothing."""
    attributes: dict[str, Attribute] = {}
    for document in documents:
        if document.label_set is not None:
            for attribute in document.label_set.attributes:
                if attribute.on == "span":
                    attributes.setdefault(attribute.name, attribute)
    annotators, raters = _people(documents)
    results = []
    for name, attribute in attributes.items():
        units = [
            unit
            for document in documents
            if document.label_set is not None and document.label_set.attribute(name) is not None
            for unit in attribute_units(document, document.label_set.attribute(name) or attribute)
        ]
        what = f"matched {'/'.join(attribute.labels)} spans" if attribute.labels else "matched spans"
        results.append(nominal_agreement("attribute", name, units, annotators, raters, what))
    return results


def document_label_agreement(documents: Sequence[DocumentAnnotations]) -> list[NominalAgreement]:
    """Per document label (per value of a ``multiple`` one) of the documents' label sets, its agreement."""
    labels: dict[str, DocumentLabel] = {}
    for document in documents:
        if document.label_set is not None:
            for label in document.label_set.document_labels:
                labels.setdefault(label.name, label)
    annotators, raters = _people(documents)
    results = []
    for name, label in labels.items():
        for item, value in document_label_items(label):
            units = [
                document_label_units(document, document.label_set.document_label(name) or label, value)
                for document in documents
                if document.label_set is not None and document.label_set.document_label(name) is not None
            ]
            results.append(
                nominal_agreement(
                    "document label", item, units, annotators, raters, "documents", fleiss=True, min_units=2
                )
            )
    return results


def _people(documents: Sequence[DocumentAnnotations]) -> tuple[list[str], list[str]]:
    annotators = sorted({name for document in documents for name in document.spans})
    return annotators, [name for name in annotators if name != GOLD_ANNOTATOR]
