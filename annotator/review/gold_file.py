"""Opening one document for adjudication: its annotators' spans, the gold set to build and where gold is saved.

Where the gold file is:

- in a project, ``annotations/gold/<document>.annotations.json`` (the annotator ``gold``'s file, so project
  exports, the documents panel and agreement treat gold like any annotator), also when the project's annotation
  files are given one by one;
- outside projects, ``<text file name>.gold.annotations.json`` in the folder holding the annotators' files (their
  common folder: ``alice/x.annotations.json`` and ``bob/x.annotations.json`` give ``x.gold.annotations.json``
  beside ``alice/`` and ``bob/``, in no annotator's folder).

A gold file that exists there (or one given among the inputs: a file whose annotator is ``gold``) is where the
reviewer carries on: its spans are the starting gold. ``gold`` is never one of the annotators compared.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.model.annotation_set import AnnotationSet
from annotator.project.layout import ANNOTATIONS_FOLDER, MAX_NAME_BYTES, Project, safe_file_name
from annotator.project.session import DiskStamp, disk_stamp, same_content
from annotator.review.adjudication import Adjudication, initial_gold
from annotator.review.loading import ReviewInput
from annotator.review.majority import GOLD_ANNOTATOR
from annotator.review.units import DocumentAnnotations

GOLD_SUFFIX = ".gold.annotations.json"


class ReviewRefusal(Exception):
    """A document cannot be adjudicated; ``str(error)`` says why in plain text (for a message box or stderr)."""


@dataclass
class ReviewSetup:
    """Everything a review view needs for one document.

    Attributes
    ----------
    adjudication: the annotators' disagreements and the gold set (see :class:`Adjudication`).
    gold_path: where Save writes the gold file.
    resumed: whether the gold set was read from an existing gold file (else it holds the agreed spans only).
    files: each compared annotator's annotation file.
    stamp: the gold file as it was read (``None``: there was none), so a save can tell whether another window or
        program changed it since.
    """

    adjudication: Adjudication
    gold_path: Path
    resumed: bool
    files: dict[str, Path]
    stamp: DiskStamp | None = None

    @property
    def gold(self) -> AnnotationSet:
        """The gold set being built."""
        return self.adjudication.gold


def project_document_files(project: Project, document_id: str) -> list[Path]:
    """Every annotator's annotation file of the project document ``document_id`` (gold's included), by folder name.

    Raises
    ------
    ValueError
        If the id is absolute or climbs out of the project.
    """
    relative = project.annotation_path(document_id, GOLD_ANNOTATOR).relative_to(
        project.annotations_folder / GOLD_ANNOTATOR
    )
    try:
        folders = sorted(p for p in project.annotations_folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []
    return [folder / relative for folder in folders if (folder / relative).is_file()]


def project_of(annotation_path: Path, document_id: str) -> Project | None:
    """The project whose annotation file for ``document_id`` is ``annotation_path`` (its folder holds
    ``annotations/<annotator>/<document>.annotations.json``), or ``None`` when the file is not in that place."""
    depth = len(PurePosixPath(document_id).parts)
    try:
        folder = annotation_path.resolve().parents[depth - 1]  # annotations/<annotator folder>
        root = folder.parent.parent
        if folder.parent.name != ANNOTATIONS_FOLDER or not root.is_dir():
            return None
        project = Project(root)
        expected = project.annotation_path(document_id, GOLD_ANNOTATOR).relative_to(
            project.annotations_folder / GOLD_ANNOTATOR
        )
    except (IndexError, ValueError, OSError, FileFault):
        return None
    return project if folder / expected == annotation_path.resolve() else None


def gold_path_for(found: ReviewInput, name: str, project: Project | None = None) -> Path:
    """Where the gold file of document ``name`` (a name in ``found``) goes; see the module docstring.

    Raises
    ------
    ReviewRefusal
        If ``name`` has no files in ``found``.
    """
    files = found.files.get(name)
    if not files:
        raise ReviewRefusal(f"no annotation files of {name!r} were found")
    document_id = found.document_ids.get(name, "")
    if project is None and document_id:
        project = project_of(next(iter(files.values())), document_id)
    if project is not None and document_id:
        return project.annotation_path(document_id, GOLD_ANNOTATOR)
    if GOLD_ANNOTATOR in files:
        return files[GOLD_ANNOTATOR]
    folders = [str(path.resolve().parent) for annotator, path in files.items() if annotator != GOLD_ANNOTATOR]
    try:
        folder = Path(os.path.commonpath(folders))
    except ValueError:  # different drives (Windows): the first annotator's folder
        folder = Path(folders[0])
    source = found.sources.get(name)
    stem = Path(source.source.file_name).stem if source is not None and source.source.file_name else name
    safe = safe_file_name(stem, MAX_NAME_BYTES - len(GOLD_SUFFIX.encode())) or "document"
    return folder / (safe + GOLD_SUFFIX)


def open_review(found: ReviewInput, name: str | None = None, project: Project | None = None) -> ReviewSetup:
    """Set up the adjudication of document ``name`` of ``found`` (by default its only document).

    Raises
    ------
    ReviewRefusal
        If ``name`` is not given and ``found`` holds several documents or none (the message names them), the
        document has fewer than two annotators besides ``gold``, or its gold file cannot be read or belongs to
        another text (the message names the file and the fault).
    """
    names = [d.document for d in found.documents]
    if name is None:
        if len(names) != 1:
            listed = "; ".join(
                f"{n!r} ({', '.join(p.name for p in found.files.get(n, {}).values())})" for n in names[:5]
            ) + (" …" if len(names) > 5 else "")
            raise ReviewRefusal(
                "review compares the annotators of one document; "
                + (f"these files annotate {len(names)} documents: {listed}" if names else "no annotation files")
                + (("\n" + "\n".join(found.faults)) if found.faults else "")
            )
        name = names[0]
    document = next((d for d in found.documents if d.document == name), None)
    if document is None:
        raise ReviewRefusal(f"no annotation files of {name!r} were found")
    compared = {a: spans for a, spans in document.spans.items() if a != GOLD_ANNOTATOR}
    if len(compared) < 2:
        who = ", ".join(sorted(compared)) or "no one"
        raise ReviewRefusal(f"review needs two or more annotators of {name!r}; it has been annotated by {who}")
    labels = {a: v for a, v in document.document_labels.items() if a != GOLD_ANNOTATOR}
    annotators = DocumentAnnotations(
        document.document, document.text, compared, document_labels=labels, label_set=document.label_set
    )
    gold_path = gold_path_for(found, name, project)
    label_set = found.label_sets[name]
    gold: AnnotationSet | None = None
    stamp = disk_stamp(gold_path)
    if stamp is not None:
        try:
            gold = annotation_file.load(gold_path)
        except FileFault as fault:
            raise ReviewRefusal(f"the gold file cannot be read: {fault.message}") from None
        if gold.text != document.text:
            raise ReviewRefusal(f"{gold_path}: this gold file annotates another text than the files reviewed")
        if gold.annotator != GOLD_ANNOTATOR:
            raise ReviewRefusal(f"{gold_path}: this file is {gold.annotator!r}'s, not a gold file; it is left as is")
        missing = gold.label_set.missing_labels((s.label for spans in compared.values() for s in spans), label_set)
        if missing:
            gold.label_set = gold.label_set.with_labels(missing)
    resumed = gold is not None
    if gold is None:
        gold = initial_gold(
            annotators,
            label_set,
            source=found.sources.get(name),
            document_id=found.document_ids.get(name, ""),
            metadata=found.metadata.get(name),
        )
    files = {a: p for a, p in found.files[name].items() if a != GOLD_ANNOTATOR}
    return ReviewSetup(Adjudication(annotators, gold), gold_path, resumed, files, stamp)


def save_gold(setup: ReviewSetup) -> None:
    """Write ``setup``'s gold set to :attr:`ReviewSetup.gold_path` atomically (its folder made if needed) and update
    :attr:`ReviewSetup.stamp` to what was written.

    Raises
    ------
    ReviewRefusal
        Nothing is written: a file there is not a gold file, or it changed on disk (other bytes) since the review
        read or last wrote it. The message names the file.
    FileFault
        Writing failed (the folder cannot be made, the disk is full...); the old file is intact.
    """
    path = setup.gold_path
    owner = annotation_file.annotator_of(path) if path.exists() else GOLD_ANNOTATOR
    if owner != GOLD_ANNOTATOR:
        raise ReviewRefusal(f"{path} is not a gold file (its annotator is {owner or 'unknown'}); it was left as is.")
    if not same_content(disk_stamp(path), setup.stamp):
        raise ReviewRefusal(
            f"{path} was changed (in the main window, another review or another program) since this review read "
            "it; nothing was saved over it. Close this review and open it again to carry on from that file."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FileFault(path.parent, f"the folder cannot be made ({error.strerror})") from error
    annotation_file.save(setup.gold, path)
    setup.stamp = disk_stamp(path)
