"""Options shared by the exporters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from annotator.formats.overlap import OverlapPolicy

TagScheme = Literal["IOB2", "IOBES"]


@dataclass(frozen=True)
class ExportOptions:
    """How to export.

    Attributes
    ----------
    overlap: for formats that cannot hold overlapping spans (CoNLL, spaCy ``doc.ents``): which to keep, see
        :func:`annotator.formats.overlap.resolve_overlaps`; ``"error"`` fails instead.
    snap: widen a span whose boundary falls inside a token to whole tokens (reported as ``"snapped"``) instead of
        skipping it (reported as ``"misaligned"``).
    scheme: CoNLL tag scheme, ``"IOB2"`` (B-, I-, O) or ``"IOBES"`` (adds S- for one-token and E- for last tokens).
    spacy_lang: the spaCy language code whose blank pipeline tokenizes for DocBin export (``"xx"``: multi-language).
    """

    overlap: OverlapPolicy = "longest"
    snap: bool = False
    scheme: TagScheme = "IOB2"
    spacy_lang: str = "xx"
