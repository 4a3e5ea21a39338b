"""Importing exchange files (JSONL, CoNLL, brat, Label Studio, doccano) into a project folder.

Each record becomes a text file holding its text byte for byte (UTF-8; a UTF-8 BOM first when the text itself starts
with U+FEFF) and, when the file marks it as annotated (:attr:`~annotator.formats.parsed.ParsedRecord.annotated`),
an annotation file for its annotator in the project layout (``annotations/<annotator>/<document>.annotations.json``),
so the app opens the folder as a project: a record annotated with no spans ("annotated, nothing found") gets an
annotation file without spans; one the file does not mark as annotated becomes a document without annotation file
(counted in :attr:`ImportReport.unannotated`). Record ``id``
``news/a`` becomes the document ``[<subfolder>/]news/a.txt`` (each part of the id made file-name safe; ``<where>``-based
names for records without an id; ``-2``, ``-3``... when a name is taken by a different text or by annotations of a
document that is gone; each renaming is noted). A record's ``meta.status`` (``in_progress``, ``done``, ``flagged``)
becomes the document's status, and its ``meta.metadata`` (a JSON object) the annotation file's ``metadata``.
Bad records, spans and links are rejected one by one with a message naming the file
and line; importing the same file again changes nothing (a record whose spans differ from the annotation file already
there is skipped, and the message says so).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.formats.checking import check_record, is_text
from annotator.formats.files import make_folder
from annotator.formats.parsed import ParsedRecord, RecordFault
from annotator.formats.records import ACTIVE_KEY, SHOWN_KEY, DocumentRecord
from annotator.formats.report import count
from annotator.io import annotation_file
from annotator.io.atomic import atomic_write_text
from annotator.io.errors import FileFault
from annotator.io.textfile import decode_text, display_name, read_text_file
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document, DocumentSource
from annotator.model.labels import LabelSet
from annotator.model.status import DocumentStatus
from annotator.project.layout import ANNOTATIONS_FOLDER, TEXT_SUFFIX, Project, safe_file_name

_BOM = "\ufeff"
_RESERVED_FOLDERS = {ANNOTATIONS_FOLDER, "__pycache__", "node_modules"}  # folders Project.document_ids() skips
_MAX_DEPTH = 8  # folders an id may create


@dataclass(frozen=True)
class ImportReport:
    """What an import did.

    Attributes
    ----------
    documents: ids of the documents created (paths relative to the project, e.g. ``"articles/rec-1.txt"``), in
        file order.
    spans: number of spans imported (into annotation files).
    rejected: one plain-text message per rejected record, span or link, naming the file and line, e.g.
        ``"articles.jsonl line 4: span 1 [10, 5) is reversed"``.
    skipped: one plain-text message per record skipped because its document (and that annotator's annotations of
        it) already exist, e.g. ``"articles.jsonl line 2: already imported as articles/rec-1.txt"``.
    annotated: ids of documents already in the project that received another annotator's annotations.
    notes: one plain-text message per thing imported differently from the file: a document stored under another
        name (its id taken by a different text, or not a safe file name), a span id given anew (repeated in the
        file), metadata not kept (a document nobody annotated has no annotation file to hold it).
    unannotated: ids of the documents created without an annotation file (the file does not mark them as
        annotated), a subset of ``documents``.
    spans_found, spans_valid: spans in the records read, and those of them that passed the checks (imported, or
        already there in a record skipped).
    """

    documents: list[str] = field(default_factory=list)
    spans: int = 0
    rejected: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    annotated: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unannotated: list[str] = field(default_factory=list)
    spans_found: int = 0
    spans_valid: int = 0

    def summary(self) -> str:
        """One plain-text sentence, e.g. ``"Imported 3 documents with 12 spans; 1 without annotations; rejected 2 (see
        the list); skipped 1 already imported"`` (the last parts only when not zero)."""
        parts = [f"Imported {count(len(self.documents), 'document')} with {count(self.spans, 'span')}"]
        if self.unannotated:
            parts.append(f"{len(self.unannotated)} without annotations")
        if self.annotated:
            parts.append(f"added annotations to {count(len(self.annotated), 'existing document')}")
        if self.rejected:
            parts.append(f"rejected {len(self.rejected)} (see the list)")
        if self.skipped:
            parts.append(f"skipped {len(self.skipped)} already imported")
        if self.notes:
            parts.append(f"{count(len(self.notes), 'note')} (see the list)")
        return "; ".join(parts)


def subfolder_for(path: Path) -> str:
    """The project folder that documents from the file ``path`` go to when imported in the app: its stem, made
    safe, never a folder that :meth:`Project.document_ids` skips."""
    name = safe_file_name(path.stem) or "imported"
    return name + "-imported" if name.casefold() in _RESERVED_FOLDERS else name


def file_content(text: str) -> tuple[str | None, str, DocumentSource | None]:
    """``(content to write, "", source)`` where ``content`` reads back as exactly ``text`` and ``source`` is how it
    reads (encoding, BOM, line endings), else ``(None, reason, None)``."""
    if not is_text(text):
        return None, '"text" contains a lone surrogate (\\ud800-\\udfff), which is not valid text', None
    content = _BOM + text if text.startswith(_BOM) else text  # the reader removes one BOM
    try:
        back, source = decode_text(content.encode("utf-8"))
    except ValueError as error:
        return None, f'"text" cannot be stored as a text file: {error}', None
    if back != text:
        return None, '"text" would not read back unchanged from a text file', None
    return content, "", source


_SAVED_STATUSES = {DocumentStatus.IN_PROGRESS.value, DocumentStatus.DONE.value, DocumentStatus.FLAGGED.value}


def _status(record: DocumentRecord) -> DocumentStatus:
    """The record's ``meta.status`` when it is a status an annotation file holds, else in progress."""
    status = record.meta.get("status")
    return (
        DocumentStatus(status) if isinstance(status, str) and status in _SAVED_STATUSES else DocumentStatus.IN_PROGRESS
    )


def _active_seconds(record: DocumentRecord) -> float:
    """The record's ``meta.active_seconds`` when it is a number of seconds (0 or more), else 0."""
    seconds = record.meta.get(ACTIVE_KEY)
    valid = isinstance(seconds, int | float) and not isinstance(seconds, bool) and 0 <= seconds < float("inf")
    return float(seconds) if valid else 0.0  # type: ignore[arg-type]


def _metadata(record: DocumentRecord) -> tuple[dict[str, Any], list[str]]:
    """``(metadata, keys left out)``: the record's document metadata (``meta["metadata"]``) when it is a JSON
    object, else ``{}``, without the keys whose values hold NaN or Infinity (Python's :mod:`json` reads them, JSON
    cannot hold them: the annotation file would turn them into ``null``)."""
    metadata = record.metadata
    kept: dict[str, Any] = {}
    left_out: list[str] = []
    for key, value in metadata.items():
        try:
            json.dumps(value, allow_nan=False)
        except ValueError:
            left_out.append(key)
            continue
        kept[key] = value
    return kept, left_out


class _Importer:
    def __init__(self, project: Project, label_set: LabelSet, annotator: str, subfolder: str) -> None:
        self.project = project
        self.label_set = label_set
        self.annotator = annotator
        self.subfolder = subfolder
        self.annotator_folders = project.annotators()
        self.claimed: dict[str, tuple[str, str]] = {}  # casefolded document id placed in this run -> (id, text)
        self.documents: list[str] = []
        self.annotated: list[str] = []
        self.spans = 0
        self.rejected: list[str] = []
        self.skipped: list[str] = []
        self.notes: list[str] = []
        self.unannotated: list[str] = []
        self.spans_found = 0
        self.spans_valid = 0

    def report(self) -> ImportReport:
        return ImportReport(
            list(self.documents),
            self.spans,
            list(self.rejected),
            list(self.skipped),
            list(self.annotated),
            list(self.notes),
            list(self.unannotated),
            self.spans_found,
            self.spans_valid,
        )

    def item(self, number: int, item: ParsedRecord | RecordFault) -> None:
        if isinstance(item, RecordFault):
            self.rejected.append(item.message())
            return
        reason = self.record(number, item)
        if reason:
            self.rejected.append(f"{item.where}: {reason}")

    def record(self, number: int, parsed: ParsedRecord) -> str:
        """Import one record; returns the reason when the whole record is rejected, else ``""``."""
        self.spans_found += len(parsed.spans) + parsed.spans_rejected
        self.notes.extend(f"{parsed.where}: {note}" for note in parsed.notes)  # kept if the record is rejected
        if not isinstance(parsed.text, str):
            return 'no "text" string'
        if not parsed.text:
            return '"text" is empty'
        annotator = parsed.annotator or self.annotator
        if not is_text(annotator):
            return f'"annotator" must be a name (a string), not {annotator!r}'
        content, reason, source = file_content(parsed.text)
        if content is None or source is None:
            return reason
        base = self.base_name(number, parsed.id)
        checked = check_record(parsed, self.label_set, base, annotator)
        self.rejected.extend(checked.rejected)
        self.notes.extend(checked.notes)
        record = checked.record
        assert record is not None
        self.spans_valid += len(record.spans)

        try:
            document_id, exists = self.place(base, parsed.text)
            target = self.project.annotation_path(document_id, annotator)
        except ValueError as error:  # an id that is no path inside the project (guarded against, never expected)
            return f"its id cannot name a document: {error}"
        other = self.other_annotator(target, annotator)
        if other:
            return (
                f"annotator {annotator!r} would share the folder {target.parent.relative_to(self.project.root)} "
                f"with {other!r}, whose annotations of {document_id} are there; give the annotators names that "
                "differ in letters or digits"
            )
        # an annotation file for spans, or for what the file marks as annotated with none ("annotated, nothing
        # found"; a status other than in progress marks it too), not for spans that were all rejected (here or by
        # the reader)
        marked = parsed.annotated or _status(record) is not DocumentStatus.IN_PROGRESS
        keeps = (
            bool(record.spans)
            or bool(record.suggestions or record.rejected)  # pending suggestions to review (``annotator suggest``)
            or (marked and not parsed.spans and not parsed.spans_rejected)
        )
        metadata, left_out = _metadata(record)
        if not keeps and metadata:
            self.notes.append(
                f"{parsed.where}: its metadata ({', '.join(map(repr, metadata))}) is not kept: a document "
                "without an annotation file has no place for it"
            )
        elif left_out:
            self.notes.append(
                f"{parsed.where}: its metadata {', '.join(map(repr, left_out))} is left out: it holds NaN or Infinity, "
                "which JSON cannot hold"
            )
        if exists and (target.exists() or not keeps):
            self.skipped.append(f"{parsed.where}: already imported as {document_id}{self.difference(record, target)}")
            return ""
        self.note_renaming(parsed, base, document_id)
        if not exists:
            path = self.project.text_path(document_id)
            make_folder(path.parent)
            atomic_write_text(path, content)
            self.documents.append(document_id)
            if not keeps:
                self.unannotated.append(document_id)
        elif keeps and document_id not in self.documents:
            self.annotated.append(document_id)
        elif keeps and document_id in self.unannotated:  # placed earlier in this run without annotations
            self.unannotated.remove(document_id)
        if keeps:
            name = display_name(self.project.text_path(document_id))  # as read_text_file names it
            document = Document.from_text(parsed.text, source.model_copy(update={"file_name": name}))
            self.write_annotations(document, document_id, record, target, metadata)
        return ""

    def note_renaming(self, parsed: ParsedRecord, base: str, document_id: str) -> None:
        """Say when a record's document is not named after its id."""
        wanted = f"{self.subfolder}/{base}" if self.subfolder else base
        if document_id != f"{wanted}{TEXT_SUFFIX}":
            self.notes.append(
                f"{parsed.where}: stored as {document_id}, since {wanted}{TEXT_SUFFIX} holds a different text "
                "(or annotations of a document no longer there)"
            )
        elif parsed.id is not None and str(parsed.id).removesuffix(TEXT_SUFFIX) != base:
            self.notes.append(f"{parsed.where}: id {str(parsed.id)!r} is not a safe file name; stored as {document_id}")

    @staticmethod
    def other_annotator(target: Path, annotator: str) -> str:
        """The annotator of the annotation file ``target`` when it is not ``annotator`` (two names can map to one
        folder: ``alice`` and ``alice.``), else ``""``."""
        found = annotation_file.annotator_of(target) if target.exists() else None
        return found if found is not None and found != annotator else ""

    @staticmethod
    def difference(record: DocumentRecord, target: Path) -> str:
        """``""`` when the annotation file ``target`` holds the record's spans, else a clause saying they differ."""
        if not target.exists():
            return ""
        try:
            saved = annotation_file.load(target)
        except FileFault:
            return f"; {target.name} cannot be read, and was left as it is"
        mine = {(s.start, s.end, s.label, s.note) for s in record.spans}
        if mine == {(s.start, s.end, s.label, s.note) for s in saved}:
            return ""
        return f"; its spans differ from those in {target.name}, which are kept (delete that file to import again)"

    def write_annotations(
        self, document: Document, document_id: str, record: DocumentRecord, target: Path, metadata: dict[str, Any]
    ) -> None:
        annotations = AnnotationSet(
            document,
            self.label_set,
            record.annotator,
            record.spans,
            record.relations,
            document_id=document_id,
            status=_status(record),
            metadata=metadata,
            suggestions=record.suggestions,
            rejected=record.rejected,
            suggestions_shown=record.meta.get(SHOWN_KEY) is True,
            active_seconds=_active_seconds(record),
            document_labels=record.document_labels,
        )
        make_folder(target.parent)
        annotation_file.save(annotations, target)
        self.spans += len(record.spans)

    def base_name(self, number: int, raw_id: object) -> str:
        """The document path (without ``.txt`` or ``-N``) for a record id: each ``/``-separated part made file-name
        safe; ``record-NNNN`` (the record's number) without a usable id."""
        fallback = f"record-{number:04d}"
        if raw_id is None or isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
            return fallback
        name = str(raw_id)
        if not is_text(name):
            return fallback
        if name.lower().endswith(TEXT_SUFFIX):
            name = name[: -len(TEXT_SUFFIX)]
        parts = [safe_file_name(part) for part in name.replace("\\", "/").split("/")]
        parts = [part for part in parts if part]
        if not parts:
            return fallback
        if len(parts) > _MAX_DEPTH:
            parts = [*parts[: _MAX_DEPTH - 1], safe_file_name("_".join(parts[_MAX_DEPTH - 1 :]))]
        folders = [part + "-imported" if part.casefold() in _RESERVED_FOLDERS else part for part in parts[:-1]]
        return "/".join([*folders, parts[-1]])

    def place(self, base: str, text: str) -> tuple[str, bool]:
        """``(document id, already there)``: the first of ``base``, ``base-2``, ``base-3``... that holds exactly
        ``text`` (placed earlier in this run or found on disk), or is free (no text file, no annotation file of any
        annotator)."""
        prefix = f"{self.subfolder}/" if self.subfolder else ""
        suffix = 1
        while True:
            name = base if suffix == 1 else f"{base}-{suffix}"
            suffix += 1
            document_id = f"{prefix}{name}{TEXT_SUFFIX}"
            key = document_id.casefold()  # case-insensitive file systems
            if key in self.claimed:
                placed, placed_text = self.claimed[key]
                if placed_text == text:
                    return placed, True  # the spelling of the file written, not this record's
                continue
            path = self.project.text_path(document_id)
            if path.exists() or path.is_symlink():
                if not self.same_text(path, text):
                    continue
                document_id = self.on_disk_spelling(document_id)
                self.claimed[key] = (document_id, text)
                return document_id, True
            if any(self.project.annotation_path(document_id, who).exists() for who in self.annotator_folders):
                continue  # annotations of a document that was removed: never overwrite them
            self.claimed[key] = (document_id, text)
            return document_id, False

    def on_disk_spelling(self, document_id: str) -> str:
        """``document_id`` as the file system spells it (on case-insensitive ones ``A.txt`` may be ``a.txt``)."""
        path = self.project.text_path(document_id)
        try:
            names = {entry.name.casefold(): entry.name for entry in path.parent.iterdir()}
        except OSError:
            return document_id
        name = names.get(path.name.casefold(), path.name)
        folder = document_id.rpartition("/")[0]
        return f"{folder}/{name}" if folder else name

    @staticmethod
    def same_text(path: Path, text: str) -> bool:
        try:
            return path.is_file() and read_text_file(path).text == text
        except FileFault:
            return False


def import_records(
    items: Iterable[ParsedRecord | RecordFault],
    project: Project,
    label_set: LabelSet,
    annotator: str,
    *,
    subfolder: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import parsed records (from a format reader) into ``project``; see the module docstring.

    Parameters
    ----------
    items: what a reader yields, in file order.
    project: the project receiving the text and annotation files.
    label_set: the labels spans may carry (others are rejected); saved in each annotation file.
    annotator: the annotator of records that name none.
    subfolder: a folder inside the project for the documents (``""``: the project folder itself).
    progress: called with the number of records handled so far, after each one.

    Raises
    ------
    FileFault
        If the input cannot be read (from the reader), or a document, folder or annotation file cannot be written
        (the documents written before stay, and importing again skips them).
    """
    importer = _Importer(project, label_set, annotator, subfolder)
    for number, item in enumerate(items, start=1):
        importer.item(number, item)
        if progress is not None:
            progress(number)
    return importer.report()
