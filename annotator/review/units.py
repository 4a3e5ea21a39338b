"""What the review code compares: each annotator's spans of one document, all over the same exact text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from annotator.model.span import Span


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
    """

    document: str
    text: str
    spans: Mapping[str, tuple[Span, ...]]
    effort: Mapping[str, tuple[bool, float]] = field(default_factory=dict)

    @property
    def annotators(self) -> list[str]:
        """The annotators, sorted."""
        return sorted(self.spans)
