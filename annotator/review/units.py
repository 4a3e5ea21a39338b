"""What the review code compares: each annotator's spans of one document, all over the same exact text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from annotator.model.labels import LabelSet
from annotator.model.span import Span

DocumentLabelValues = Mapping[str, str | list[str]]
"""One annotator's document labels: name -> value (a list of values for a ``multiple`` document label)."""


@dataclass(frozen=True)
class DocumentAnnotations:
    """Every annotator's spans of one document.

    Attributes
    ----------
    document: the document's name in reports (its project id without ``.txt``, or the text file's stem).
    text: the exact text (all annotators annotated this same text: same SHA-256).
    spans: annotator name -> that annotator's spans (code-point offsets into ``text``), in saved order. An
        annotator with an annotation file but no spans has an empty tuple.
    effort: annotator name -> ``(suggestions shown while annotating, active annotation time in seconds)`` as the
        annotation file records them (``(False, 0.0)`` when it does not); annotators missing here count as that.
    document_labels: annotator name -> that annotator's document labels (``{}`` or missing: none set).
    label_set: the label set the document was annotated with (its attributes and document labels are what
        :mod:`annotator.review.value_agreement` compares); ``None`` when unknown (then only spans are compared).
    """

    document: str
    text: str
    spans: Mapping[str, tuple[Span, ...]]
    effort: Mapping[str, tuple[bool, float]] = field(default_factory=dict)
    document_labels: Mapping[str, DocumentLabelValues] = field(default_factory=dict)
    label_set: LabelSet | None = None

    @property
    def annotators(self) -> list[str]:
        """The annotators, sorted."""
        return sorted(self.spans)
