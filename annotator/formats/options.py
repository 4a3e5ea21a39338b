"""Options shared by the exporters, and by the importers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from annotator.formats.overlap import OverlapPolicy

TagScheme = Literal["IOB2", "IOBES"]
#: Tag schemes CoNLL import reads (IOB1: ``I-`` starts an entity unless it follows one of the same type).
ImportScheme = Literal["IOB1", "IOB2", "IOBES", "BILOU"]
#: How a Label Studio file counts offsets: code points (Label Studio since its fix for emoji) or UTF-16 units.
OffsetUnit = Literal["codepoints", "utf16"]
#: What a record without spans means in a format that cannot say (doccano): never looked at, or annotated empty.
EmptyRecords = Literal["unannotated", "annotated"]


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


@dataclass(frozen=True)
class ImportOptions:
    """How to read a dataset file; each reader uses the fields that apply to its format (see
    :attr:`annotator.formats.registry.Format.import_options`) and ignores the others.

    Attributes
    ----------
    word_column, tag_column: CoNLL: the 1-based columns holding the word and its tag; ``None``: detected where
        unambiguous. ``tag_column`` may name several columns (a tuple) whose entities are all read, nested ones
        included (GermEval 2014's outer and inner columns).
    scheme: CoNLL: the tag scheme of the file; ``None``: IOB2, with IOBES's ``S-``/``E-`` tags read as well.
    offsets: Label Studio: the unit of region offsets; ``None``: code points, checked against each region's text,
        and a region without text that ends after an astral character (where the units differ) is rejected.
    empty: doccano: whether a record without labels was annotated and found empty (``"annotated"``: it gets an
        annotation file with no spans) or never looked at (``"unannotated"``: a document without annotation file).
    """

    word_column: int | None = None
    tag_column: int | tuple[int, ...] | None = None
    scheme: ImportScheme | None = None
    offsets: OffsetUnit | None = None
    empty: EmptyRecords = "unannotated"

    @property
    def tag_columns(self) -> tuple[int, ...]:
        """``tag_column`` as a tuple of 1-based columns (``()`` when it is to be detected)."""
        if self.tag_column is None:
            return ()
        return self.tag_column if isinstance(self.tag_column, tuple) else (self.tag_column,)
