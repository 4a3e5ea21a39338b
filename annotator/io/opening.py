"""Deciding what to open: a text file (with its annotation file beside it, if any) or an annotation file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.io.textfile import read_text_file
from annotator.model.annotation_set import AnnotationSet
from annotator.model.labels import LabelSet


@dataclass
class OpenedDocument:
    """The result of :func:`open_document`.

    Attributes
    ----------
    annotations: the annotation set to edit.
    save_path: where Ctrl+S writes (``X.annotations.json`` beside ``X.txt``, or the annotation file opened).
    notice: a plain-text remark for the user (e.g. that existing annotations were loaded), or ``""``.
    text_mismatch: the annotations beside the text file were made on another text (the notice explains).
    """

    annotations: AnnotationSet
    save_path: Path
    notice: str = ""
    text_mismatch: bool = False


def open_document(path: str | Path, label_set: LabelSet, annotator: str) -> OpenedDocument:
    """Open ``path``: an annotation file (``*.json``) or a text file.

    A text file ``X.txt`` with ``X.annotations.json`` beside it opens those annotations. If that file's text differs
    from ``X.txt`` (another SHA-256), the annotations are opened with the text they were made on, and the notice says
    so: spans are never shown at offsets of another text.

    Raises
    ------
    FileFault
        If a file cannot be read or is invalid (naming the file and each fault).
    """
    path = Path(path)
    if path.is_dir():
        raise FileFault(path, "is a folder; open a text file or an annotation file")
    if annotation_file.is_annotation_file(path):
        return OpenedDocument(annotation_file.load(path), path)
    document = read_text_file(path)
    save_path = annotation_file.annotation_path_for(path)
    if not save_path.exists():
        return OpenedDocument(AnnotationSet(document, label_set, annotator), save_path)
    annotations = annotation_file.load(save_path)
    if annotations.document.sha256 != document.sha256:
        return OpenedDocument(
            annotations,
            save_path,
            f"{save_path.name} was made on a different text than {path.name} now holds; it is shown with the text "
            "it was made on, so every span stays where it was.",
            text_mismatch=True,
        )
    # Keep the encoding facts of the file as read today.
    annotations.document = document
    return OpenedDocument(annotations, save_path, f"Loaded {len(annotations)} spans from {save_path.name}.")
