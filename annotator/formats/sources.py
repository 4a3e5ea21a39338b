"""Finding what to export: annotation files given one by one, folders of them, or projects."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.formats.records import DocumentRecord, record_id_for
from annotator.io import annotation_file
from annotator.io.annotation_file import ANNOTATION_SUFFIX
from annotator.io.errors import FileFault
from annotator.io.opening import document_text
from annotator.project.layout import ANNOTATIONS_FOLDER, Project


@dataclass(frozen=True)
class Source:
    """One annotation file to export, and the record id it gets when the file has no ``document_id``: its path
    relative to the folder given (or its name) without ``.annotations.json``."""

    path: Path
    fallback_id: str


def _stem(name: str) -> str:
    return name[: -len(ANNOTATION_SUFFIX)] if name.endswith(ANNOTATION_SUFFIX) else Path(name).stem


def _annotation_files(folder: Path) -> list[Path]:
    """Every ``*.annotations.json`` under ``folder``, sorted, skipping hidden folders and files."""
    found = []
    for path in folder.rglob(f"*{ANNOTATION_SUFFIX}"):
        relative = path.relative_to(folder)
        if not any(part.startswith(".") for part in relative.parts) and path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix().casefold())


def find_sources(inputs: Sequence[str | Path], *, unannotated: bool = False) -> list[Source]:
    """The annotation files named by ``inputs``, in the order given (each folder's files sorted by path).

    An input is an annotation file (``*.annotations.json``), a project folder (one with an ``annotations/``
    folder: only the files under it, one per document per annotator) or any other folder (every annotation file
    under it, hidden folders skipped). A file listed twice is exported once. With ``unannotated``
    (``export --include-unannotated``), a folder without annotation files that holds documents is a project of
    documents nobody annotated yet: it gives no sources, and :func:`unannotated_records` gives its documents.

    Raises
    ------
    FileFault
        For an input that does not exist, a file that is not an annotation file, or a folder without any (and,
        with ``unannotated``, without documents).
    """
    sources: list[Source] = []
    seen: set[Path] = set()
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            project_annotations = path / ANNOTATIONS_FOLDER
            root = project_annotations if project_annotations.is_dir() else path
            files = _annotation_files(root)
            if not files and not (unannotated and Project(path).document_ids()):
                raise FileFault(path, f"holds no annotation files (*{ANNOTATION_SUFFIX})")
            if root is project_annotations:  # annotations/<annotator>/<document path>
                found = [Source(f, _stem(Path(*f.relative_to(root).parts[1:]).as_posix())) for f in files]
            else:
                found = [Source(f, _stem(f.relative_to(root).as_posix())) for f in files]
        elif path.is_file():
            if not path.name.endswith(ANNOTATION_SUFFIX):
                raise FileFault(path, f"is not an annotation file (its name should end in {ANNOTATION_SUFFIX})")
            found = [Source(path, _stem(path.name))]
        else:
            raise FileFault(path, "does not exist")
        for source in found:
            key = source.path.resolve()
            if key not in seen:
                seen.add(key)
                sources.append(source)
    return sources


def annotators_of(sources: Sequence[Source]) -> set[str]:
    """The annotators of ``sources``: read from each file's ``"annotator"`` field (a file that cannot be read is
    left out; :func:`iter_records` reports it)."""
    names = (annotation_file.annotator_of(source.path) for source in sources)
    return {name for name in names if name is not None}


def load_record(source: Source) -> DocumentRecord:
    """Read and validate ``source`` and make its record (id from the file's ``document_id``, else the fallback).

    Raises
    ------
    FileFault
        If the file cannot be read or is not a valid annotation file.
    """
    annotations = annotation_file.load(source.path)
    record_id = record_id_for(annotations.document_id, source.fallback_id)
    return DocumentRecord.from_annotations(annotations, record_id)


def iter_records(
    sources: Sequence[Source],
    annotators: Sequence[str] = (),
    faults: list[FileFault] | None = None,
    handled: set[Path] | None = None,
) -> Iterator[DocumentRecord]:
    """The records of ``sources`` in order, read one at a time (memory stays flat on large projects).

    Parameters
    ----------
    annotators: when given, only records by these annotators.
    faults: receives the :class:`FileFault` of each file that cannot be read, and one for each record whose id and
        annotator repeat an earlier one (that file is skipped); without it, the first fault is raised.
    handled: receives the path of each source exported or faulted, not of those left out for their annotator (for
        :func:`unannotated_records`).
    """
    seen: dict[str, Path] = {}
    for source in sources:
        try:
            record = load_record(source)
            if annotators and record.annotator not in annotators:
                continue
            if handled is not None:
                handled.add(source.path)
            if record.key in seen:
                raise FileFault(
                    source.path,
                    f"holds {record.id!r} by {record.annotator or 'an unnamed annotator'}, already exported from "
                    f"{seen[record.key]}; skipped",
                )
            seen[record.key] = source.path
        except FileFault as fault:
            if handled is not None:
                handled.add(source.path)  # an annotation file all the same: its document is not unannotated
            if faults is None:
                raise
            faults.append(fault)
            continue
        yield record


def unannotated_records(
    inputs: Sequence[str | Path],
    sources: Sequence[Source],
    handled: Collection[Path],
    faults: list[FileFault] | None = None,
) -> Iterator[DocumentRecord]:
    """The documents of the project folders among ``inputs`` (folders holding ``annotations/``, or no annotation
    file at all: documents only) that have no annotation file among the ``sources`` exported (``handled``, as
    filled by :func:`iter_records`, which must have run first), as records nobody annotated: ``annotated=False``,
    no spans, no annotator, the text as read (BOM removed, line endings kept), the id the document's path without
    ``.txt``. Documents come in :meth:`Project.document_ids` order, each project once.

    Parameters
    ----------
    faults: receives the :class:`FileFault` of each text file that cannot be read; without it, the first is raised.
    """
    projects: set[Path] = set()
    for given in inputs:
        folder = Path(given)
        annotations = folder / ANNOTATIONS_FOLDER
        if not folder.is_dir() or folder.resolve() in projects:
            continue
        if not annotations.is_dir() and any(source.path.is_relative_to(folder) for source in sources):
            continue  # a folder of annotation files, not a project
        projects.add(folder.resolve())
        covered = {
            source.fallback_id
            for source in sources
            if source.path in handled and source.path.is_relative_to(annotations)
        }
        project = Project(folder)
        for document_id in project.document_ids():
            record_id = record_id_for(document_id)
            if record_id in covered:
                continue
            try:
                text = document_text(project.text_path(document_id))  # a web page, Word or PDF file: converted
            except FileFault as fault:
                if faults is None:
                    raise
                faults.append(fault)
                continue
            yield DocumentRecord(id=record_id, text=text, annotated=False)
