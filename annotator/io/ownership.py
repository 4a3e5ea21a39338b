"""Whose annotation file it is, and where an annotator's own copy of someone else's file goes (outside projects;
in a project each annotator has their own file already, see :mod:`annotator.project.layout`)."""

from __future__ import annotations

from pathlib import Path

from annotator.io import annotation_file
from annotator.io.annotation_file import ANNOTATION_SUFFIX
from annotator.project.layout import annotator_folder_name


def own_copy_path(annotation_path: str | Path, annotator: str) -> Path:
    """``X.<annotator>.annotations.json`` beside ``X.annotations.json`` (any other ``Y.json`` gives
    ``Y.<annotator>.annotations.json``); the name is made safe for every file system
    (:func:`~annotator.project.layout.annotator_folder_name`)."""
    annotation_path = Path(annotation_path)
    name = annotation_path.name
    base = name[: -len(ANNOTATION_SUFFIX)] if name.lower().endswith(ANNOTATION_SUFFIX) else annotation_path.stem
    return annotation_path.with_name(f"{base}.{annotator_folder_name(annotator)}{ANNOTATION_SUFFIX}")


def make_own_copy(annotation_path: str | Path, annotator: str) -> Path:
    """Write ``annotator``'s copy of the annotation file ``annotation_path`` (as it is on disk, with ``annotator``
    recorded as its annotator) to :func:`own_copy_path`, atomically, and return that path. An existing copy is never
    overwritten: it is returned as it is.

    Raises
    ------
    FileFault
        If the file cannot be read or is invalid, or the copy cannot be written (naming the file and the fault).
    """
    copy = own_copy_path(annotation_path, annotator)
    if copy.exists():
        return copy
    annotations = annotation_file.load(annotation_path)
    annotations.annotator = annotator
    annotation_file.save(annotations, copy)
    return copy
