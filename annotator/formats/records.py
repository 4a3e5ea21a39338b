"""The unit every exchange format reads and writes: one annotator's spans over one document's exact text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.model.annotation_set import AnnotationSet
from annotator.model.labels import LabelSet
from annotator.model.orphan import OrphanedSpan
from annotator.model.pending import PendingSuggestion, RejectedSuggestion
from annotator.model.relation import Relation
from annotator.model.span import Span

TEXT_SUFFIX = ".txt"
#: The ``meta`` key holding the document's metadata (a JSON object: doccano's extra keys, Label Studio's ``data``
#: fields besides the text...), which the annotation file keeps as ``"metadata"`` and exports write back.
METADATA_KEY = "metadata"
#: ``meta`` keys for whether suggestions were shown while the document was annotated and its active annotation time
#: in seconds, present only when set (true, above 0).
SHOWN_KEY = "suggestions_shown"
ACTIVE_KEY = "active_seconds"


def record_id_for(document_id: str, fallback: str = "document") -> str:
    """The record id of a document: its project id (``"news/a.txt"``) without ``.txt``, e.g. ``"news/a"``; the
    ``fallback`` (usually the text file's stem) when the document has no project id."""
    if not document_id:
        return fallback
    return document_id[: -len(TEXT_SUFFIX)] if document_id.lower().endswith(TEXT_SUFFIX) else document_id


@dataclass(frozen=True)
class DocumentRecord:
    """One annotator's annotations of one document, as exported.

    Attributes
    ----------
    id: the record id, unique within an export together with ``annotator``: the document's path relative to its
        project without ``.txt`` (``"news/a"``), or the text file's stem outside projects. It may contain ``/``.
    text: the document's exact text (BOM removed, line endings kept).
    spans: spans sorted by ``(start, end, label, id)``; offsets are Unicode code points into ``text``, half-open,
        and ``text[span.start:span.end] == span.text``.
    relations: links between spans of this record, by span id.
    annotator: who made the spans (``""`` when unknown).
    meta: extra JSON-serialisable facts (``status``, ``label_set``, ``source_file``...), written by formats that
        have room for them (JSONL ``meta``, Label Studio ``meta``); ``meta["metadata"]`` (:data:`METADATA_KEY`),
        when present, is the document's metadata (a JSON object), which doccano writes as extra keys of its line and
        Label Studio as ``data`` fields (and the task's ``meta``).
    label_set: the label set the spans were made with, when known: formats that declare their labels (brat's
        ``annotation.conf``, Label Studio's labeling config) declare all of its labels and relation types, in its
        order, not only those used.
    orphans: spans that could not be placed after the text changed (offsets into the old text): no format can
        hold them, and :func:`annotator.formats.exporting.export` reports each one.
    annotated: ``False`` for a document nobody annotated (no annotation file; ``export --include-unannotated``):
        written without spans, and marked not annotated where the format can say so (JSONL without ``"spans"``, a
        Label Studio task without annotations, a brat ``.txt`` without ``.ann``).
    suggestions: pending suggestions (not spans; ids distinct from span ids), sorted by ``(start, end, label,
        id)``; written by formats that have room for them (JSONL ``"suggestions"``, Label Studio ``predictions``).
    rejected: suggestions the analyst rejected (JSONL ``"rejected_suggestions"``).
    document_labels: the document's labels (name -> value, a list of values for a ``multiple`` one); spans and
        relations carry their own ``attributes`` (and spans their ``entity``).
    """

    id: str
    text: str
    spans: tuple[Span, ...] = ()
    relations: tuple[Relation, ...] = ()
    annotator: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)
    label_set: LabelSet | None = None
    orphans: tuple[OrphanedSpan, ...] = ()
    annotated: bool = True
    suggestions: tuple[PendingSuggestion, ...] = ()
    rejected: tuple[RejectedSuggestion, ...] = ()
    document_labels: Mapping[str, str | list[str]] = field(default_factory=dict)

    @classmethod
    def from_annotations(cls, annotations: AnnotationSet, record_id: str, **meta: Any) -> DocumentRecord:
        """The record of an annotation set (its spans in saved order and its relations), with ``meta`` holding the
        document's status and label-set name, its metadata under :data:`METADATA_KEY` (when it has any), plus any
        keyword arguments given; ``meta`` also holds ``suggestions_shown`` and ``active_seconds`` when they are set
        (true, above 0), and the record the set's pending and rejected suggestions."""
        if annotations.metadata:
            meta = {METADATA_KEY: dict(annotations.metadata), **meta}
        if annotations.suggestions_shown:
            meta = {SHOWN_KEY: True, **meta}
        if annotations.active_seconds > 0:
            meta = {ACTIVE_KEY: annotations.active_seconds, **meta}
        return cls(
            id=record_id,
            text=annotations.document.text,
            spans=tuple(annotations.sorted_spans()),
            relations=tuple(annotations.relations()),
            annotator=annotations.annotator,
            meta={"status": str(annotations.status), "label_set": annotations.label_set.name, **meta},
            label_set=annotations.label_set,
            orphans=tuple(annotations.orphans),
            suggestions=tuple(annotations.suggestions()),
            rejected=tuple(annotations.rejected()),
            document_labels=dict(annotations.document_labels),
        )

    @property
    def metadata(self) -> Mapping[str, Any]:
        """The document's metadata (``meta[METADATA_KEY]``: what an import found besides the keys it reads) when it
        is a JSON object, else an empty mapping."""
        metadata = self.meta.get(METADATA_KEY)
        return metadata if isinstance(metadata, dict) else {}

    @property
    def key(self) -> str:
        """``id`` alone, or ``"id@annotator"`` when an annotator is known: names the record in reports."""
        return f"{self.id}@{self.annotator}" if self.annotator else self.id
