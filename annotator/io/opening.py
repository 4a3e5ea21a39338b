"""Deciding what to open: a text file (with its annotation file beside it, if any) or an annotation file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.io.textfile import read_text_file
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
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
    text_document: with ``text_mismatch``, the text file's document as it is now (to re-anchor the spans on).
    text_path: the text file opened, or ``None`` when an annotation file was opened directly.
    """

    annotations: AnnotationSet
    save_path: Path
    notice: str = ""
    text_mismatch: bool = False
    text_document: Document | None = None
    text_path: Path | None = None


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
    return open_text_with_annotations(path, annotation_file.annotation_path_for(path), label_set, annotator)


def open_text_with_annotations(
    text_path: Path, save_path: Path, label_set: LabelSet, annotator: str, document_id: str = ""
) -> OpenedDocument:
    """Open the text file ``text_path`` with its annotations at ``save_path`` (a new, empty set with ``label_set``
    when that file does not exist; ``document_id`` is recorded in it).

    When ``save_path`` was made on another text (another SHA-256) the annotations come with the text they were made
    on, ``text_mismatch`` is set and ``text_document`` holds the text as it is now, to re-anchor on.

    Raises
    ------
    FileFault
        If a file cannot be read or is invalid (naming the file and each fault).
    """
    document = read_text_file(text_path)
    if not save_path.exists():
        annotations = AnnotationSet(document, label_set, annotator, document_id=document_id)
        return OpenedDocument(annotations, save_path, text_path=text_path)
    annotations = annotation_file.load(save_path)
    annotations.document_id = document_id or annotations.document_id  # where it is now wins over a copied file's id
    if annotations.document.sha256 != document.sha256:
        return OpenedDocument(
            annotations,
            save_path,
            f"{save_path.name} was made on a different text than {text_path.name} now holds; it is shown with the "
            "text it was made on, so every span stays where it was.",
            text_mismatch=True,
            text_document=document,
            text_path=text_path,
        )
    # Keep the encoding facts of the file as read today.
    annotations.document = document
    notice = f"Loaded {len(annotations)} spans from {save_path.name}."
    return OpenedDocument(annotations, save_path, notice, text_path=text_path)
