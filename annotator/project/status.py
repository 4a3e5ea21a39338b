"""Each document's status and span count for one annotator, and the project's progress.

Reading a status parses the annotation file's JSON but does not validate it (that happens when the document is
opened); a file that cannot be read is reported in :attr:`DocumentEntry.fault` and counts as in progress.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.model.annotation_set import AnnotationSet
from annotator.model.status import DocumentStatus
from annotator.project.layout import Project


@dataclass(frozen=True)
class DocumentEntry:
    """One row of the document list.

    Attributes
    ----------
    id: the document id (path relative to the project, ``/``-separated).
    status: the annotator's status for it.
    span_count: spans in the annotator's file (0 when not started).
    fault: why the annotation file could not be read (plain text), or ``""``.
    """

    id: str
    status: DocumentStatus = DocumentStatus.NOT_STARTED
    span_count: int = 0
    fault: str = ""


@dataclass(frozen=True)
class ProjectProgress:
    """Counts of documents by status."""

    total: int = 0
    not_started: int = 0
    in_progress: int = 0
    done: int = 0
    flagged: int = 0

    def summary(self) -> str:
        """E.g. ``"2 of 3 done · 1 in progress · 0 flagged · 0 not started"``."""
        return (
            f"{self.done} of {self.total} done · {self.in_progress} in progress · {self.flagged} flagged · "
            f"{self.not_started} not started"
        )


def read_entry(project: Project, document_id: str, annotator: str) -> DocumentEntry:
    """The status and span count of ``document_id`` for ``annotator``, from the annotation file (if any)."""
    path = project.annotation_path(document_id, annotator)
    return entry_from_file(document_id, path)


def entry_from_file(document_id: str, path: Path) -> DocumentEntry:
    """The entry of ``document_id`` whose annotation file is ``path`` (not started when it does not exist)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return DocumentEntry(document_id)
    except OSError as error:
        return DocumentEntry(document_id, DocumentStatus.IN_PROGRESS, 0, f"cannot read it: {error.strerror or error}")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
        spans = raw["spans"]
        status = DocumentStatus(raw.get("status", DocumentStatus.IN_PROGRESS))
        if not isinstance(spans, list) or status is DocumentStatus.NOT_STARTED:
            raise ValueError("unexpected shape")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError) as error:
        return DocumentEntry(document_id, DocumentStatus.IN_PROGRESS, 0, f"not a valid annotation file ({error})")
    return DocumentEntry(document_id, status, len(spans))


def read_entries(project: Project, annotator: str, document_ids: Iterable[str] | None = None) -> list[DocumentEntry]:
    """Entries of ``document_ids`` (default: every document of the project), in that order."""
    ids = project.document_ids() if document_ids is None else document_ids
    return [read_entry(project, doc_id, annotator) for doc_id in ids]


def entry_for(document_id: str, annotations: AnnotationSet) -> DocumentEntry:
    """The entry of a document open in memory (its unsaved state)."""
    return DocumentEntry(document_id, annotations.status, len(annotations))


def progress(entries: Iterable[DocumentEntry]) -> ProjectProgress:
    """Counts of ``entries`` by status."""
    counts = dict.fromkeys(DocumentStatus, 0)
    total = 0
    for entry in entries:
        counts[entry.status] += 1
        total += 1
    return ProjectProgress(
        total,
        counts[DocumentStatus.NOT_STARTED],
        counts[DocumentStatus.IN_PROGRESS],
        counts[DocumentStatus.DONE],
        counts[DocumentStatus.FLAGGED],
    )
