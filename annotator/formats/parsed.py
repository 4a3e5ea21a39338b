"""What format readers produce: records as found in a file, not yet checked against their text or a label set.

Readers yield :class:`ParsedRecord` or :class:`RecordFault`; :func:`annotator.formats.checking.check_record` turns a
parsed record into a :class:`~annotator.formats.records.DocumentRecord`, rejecting bad spans one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The ``ParsedRecord.meta`` key listing the source ids of spans flagged uncertain (applied by ``check_record``).
UNCERTAIN_KEY = "uncertain"


@dataclass(frozen=True)
class RawSpan:
    """A span as written in the file; values are unchecked (they may be of any JSON type).

    Attributes
    ----------
    start, end: offsets as found (meant to be code points into the record's text, half-open).
    label: the label as found.
    text: the file's copy of the span's text, when it has one; it must then equal ``text[start:end]``.
    note: the annotator's note, when the format has one.
    source_id: the span's id in the file (brat ``T3``, a Label Studio region id), used by relations.
    where: names the span in messages, e.g. ``"span 3"`` or ``"T3"``.
    attributes: the span's attribute values as found (meant to be a ``{name: value}`` object), ``None`` for none.
    entity: the id of the entity the span is a mention of, as found (meant to be a string), ``None`` for none.
    """

    start: Any
    end: Any
    label: Any
    text: Any = None
    note: str = ""
    source_id: str | None = None
    where: str = ""
    origin: str = "manual"
    suggester: str = ""
    score: float | None = None
    attributes: Any = None
    entity: Any = None


@dataclass(frozen=True)
class RawSuggestion:
    """A pending suggestion as written in the file (JSONL ``"suggestions"``, a Label Studio prediction): the offsets
    and label are unchecked, as in :class:`RawSpan`; ``score`` is a number in ``[0, 1]`` and ``suggester`` a name
    (the reader checks those); ``source_id`` is its id in the file, which suggested links name."""

    start: Any
    end: Any
    label: Any
    score: float
    suggester: str
    reason: str = ""
    text: Any = None
    source_id: str | None = None
    where: str = ""


@dataclass(frozen=True)
class RawRelation:
    """A link as written in the file, between two spans named by their :attr:`RawSpan.source_id`; ``source_id`` is
    the link's own id in the file when it has one (brat ``R3``, a JSONL relation ``id``); ``attributes`` its
    attribute values as found (``None`` for none)."""

    type: str
    from_id: str
    to_id: str
    where: str = ""
    source_id: str | None = None
    attributes: Any = None


@dataclass(frozen=True)
class ParsedRecord:
    """One document found in a file.

    Attributes
    ----------
    where: names the record in messages: ``"data.jsonl line 3"``, ``"corpus/a.ann"``, ``"tasks.json task 2"``.
    id: the record's id as found (``None`` when it has none; the importer then names it after ``where``).
    text: the document's exact text.
    spans, relations: as found.
    annotator: who made the spans, when the file says.
    meta: other facts the file gives.
    rejected: messages for parts the reader itself had to reject (e.g. a CoNLL ``I-`` tag after ``O``, a brat event
        line), each starting with a place such as ``"line 12"``; the rest of the record is still imported.
    annotated: whether the file marks the document as annotated: ``True`` (the default) when it says someone
        annotated it, even if nothing was found (JSONL ``"spans": []``, a brat ``.ann`` even empty, every CoNLL
        document, a Label Studio annotation with an empty ``result``); ``False`` when it holds the text only (a
        JSONL record without ``"spans"`` or ``"annotator"``, a brat ``.txt`` without ``.ann``, a Label Studio task
        without annotations, a doccano record without labels unless ``ImportOptions.empty == "annotated"``). The
        importer writes an annotation file (with no spans if need be) for annotated records only.
    spans_rejected: how many spans the reader itself rejected (listed in ``rejected``, not in ``spans``: e.g. a
        doccano label that is no ``[start, end, label]`` list, a Label Studio region whose offset unit is in doubt);
        the importer counts them as spans found, and a record with such spans is never "annotated, nothing found".
    notes: what the reader read differently from the file, or left unread, without rejecting anything (e.g. a
        CoNLL tag column that is not read); the importer lists them with the record's ``where``.
    suggestions: pending suggestions as found (never spans); suggested_relations: links proposed with them, whose
        ends name suggestion or span source ids; rejected_suggestions: suggestions the analyst rejected (their score
        and reason unused).
    document_labels: the document's labels as found (meant to be a ``{name: value}`` object), ``None`` for none.
    """

    where: str
    id: str | None
    text: str
    spans: list[RawSpan] = field(default_factory=list)
    relations: list[RawRelation] = field(default_factory=list)
    annotator: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    annotated: bool = True
    spans_rejected: int = 0
    notes: list[str] = field(default_factory=list)
    suggestions: list[RawSuggestion] = field(default_factory=list)
    suggested_relations: list[RawRelation] = field(default_factory=list)
    rejected_suggestions: list[RawSuggestion] = field(default_factory=list)
    document_labels: Any = None


@dataclass(frozen=True)
class RecordFault:
    """A record rejected whole: ``where`` names it (file and line or task), ``reason`` says why."""

    where: str
    reason: str

    def message(self) -> str:
        """``"data.jsonl line 4: no \"text\" string"``."""
        return f"{self.where}: {self.reason}"
