"""Whose annotation file it is, and where an annotator's own copy of someone else's file goes: beside it, or, for a
file in a project's ``annotations/<someone>/`` folder, where the project keeps the annotator's own file of that
document (see :mod:`annotator.project.layout`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from annotator.io import annotation_file
from annotator.io.annotation_file import ANNOTATION_SUFFIX
from annotator.io.atomic import atomic_create_bytes
from annotator.io.errors import FileFault
from annotator.model.annotation_set import AnnotationSet
from annotator.project.layout import ANNOTATIONS_FOLDER, TEXT_SUFFIX, Project, annotator_folder_name, document_suffixes


def project_document_of(annotation_path: str | Path) -> tuple[Project, str] | None:
    """``(project, document id)`` when ``annotation_path`` is an annotator's file in a project's layout
    (``<root>/annotations/<someone>/<id without .txt>.annotations.json`` with ``<root>/<id>`` a text file), else
    ``None``."""
    parts = Path(annotation_path).resolve().parts
    name = parts[-1] if parts else ""
    if not name.lower().endswith(ANNOTATION_SUFFIX):
        return None
    for i in range(len(parts) - 3, 0, -1):
        if parts[i] != ANNOTATIONS_FOLDER:
            continue
        root = Path(*parts[:i])
        folder = root.joinpath(*parts[i + 2 : -1])
        stem = name[: -len(ANNOTATION_SUFFIX)]
        text = folder / (stem + TEXT_SUFFIX)
        if Path(stem).suffix.lower() in document_suffixes() and (folder / stem).is_file():  # a.html.annotations.json
            text = folder / stem
        elif not text.is_file():  # a document's suffix is any case (".TXT"), as the project finds documents
            try:
                text = next(p for p in folder.iterdir() if p.stem == stem and p.suffix.lower() == TEXT_SUFFIX)
            except (OSError, StopIteration):
                continue
        return Project(root), "/".join([*parts[i + 2 : -1], text.name])
    return None


def own_copy_path(annotation_path: str | Path, annotator: str) -> Path:
    """Where ``annotator``'s own copy of the annotation file ``annotation_path`` goes: in a project's layout, the
    annotator's own file of that document (:meth:`Project.annotation_path`); elsewhere
    ``X.<annotator>.annotations.json`` beside ``X.annotations.json`` (any other ``Y.json`` gives
    ``Y.<annotator>.annotations.json``). Names are made safe for every file system
    (:func:`~annotator.project.layout.annotator_folder_name`)."""
    in_project = project_document_of(annotation_path)
    if in_project is not None:
        project, document_id = in_project
        mine = project.annotation_path(document_id, annotator)
        if mine.resolve() != Path(annotation_path).resolve():  # two names that share a folder: the copy goes beside
            return mine
    annotation_path = Path(annotation_path)
    name = annotation_path.name
    base = name[: -len(ANNOTATION_SUFFIX)] if name.lower().endswith(ANNOTATION_SUFFIX) else annotation_path.stem
    return annotation_path.with_name(f"{base}.{annotator_folder_name(annotator)}{ANNOTATION_SUFFIX}")


def own_copy(
    annotation_path: str | Path, annotator: str, loaded: AnnotationSet | None = None
) -> tuple[Path, bytes | None]:
    """``(path, written)``: ``annotator``'s copy of the annotation file ``annotation_path`` (as it is on disk, with
    ``annotator`` recorded as its annotator) written to :func:`own_copy_path` atomically, and the bytes written; or,
    when a copy exists there, that path and ``None``: an existing copy is never overwritten, even one another process
    makes at the same moment (it is returned as it is). ``loaded``: the file's annotations as just loaded from it,
    written instead of loading the file again (1M spans: 5 s); left as it is. The file is made in pieces
    (:func:`~annotator.io.json_pieces.dumps_pieces`: exactly :func:`~annotator.io.annotation_file.dumps_bytes`'s
    bytes, no call holding Python's GIL long), so a worker thread can make a huge one.

    Raises
    ------
    FileFault
        If the file cannot be read or is invalid, or the copy cannot be written (naming the file and the fault).
    """
    from annotator.io.json_pieces import AnnotationsSnapshot, dumps_pieces

    copy = own_copy_path(annotation_path, annotator)
    if copy.exists():
        return copy, None  # the common case, without reading the other file
    annotations = annotation_file.load(annotation_path) if loaded is None else loaded
    pieces = list(dumps_pieces(replace(AnnotationsSnapshot.of(annotations), annotator=annotator)))
    data = b"".join(pieces)
    del pieces
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)  # a project's folder of the annotator's files
    except OSError as error:
        raise FileFault(copy.parent, f"could not create the folder ({error.strerror or error})") from error
    if not atomic_create_bytes(copy, data):
        return copy, None  # made meanwhile by another process, and kept
    return copy, data


def own_copy_display_name(annotation_path: str | Path, annotator: str) -> str:
    """How to name :func:`own_copy_path` to the user: its file name beside the file, or
    ``annotations/<annotator>/<…>.annotations.json`` in a project."""
    copy = own_copy_path(annotation_path, annotator)
    in_project = project_document_of(annotation_path)
    if in_project is None or copy.parent == Path(annotation_path).parent:
        return copy.name
    return copy.relative_to(in_project[0].root).as_posix()
