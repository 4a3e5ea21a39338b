"""Deciding what to open: a text file (with its annotation file beside it, if any) or an annotation file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.io.textfile import encoding_doubt, read_text_file
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
    file_bytes: the bytes of ``save_path`` as read, when ``annotations`` are exactly what they hold (nothing taken
        from another file or changed since), else ``None``.
    owner: set by the window when ``save_path`` is another annotator's file that opens read-only (their name), else
        ``""``.
    """

    annotations: AnnotationSet
    save_path: Path
    notice: str = ""
    text_mismatch: bool = False
    text_document: Document | None = None
    text_path: Path | None = None
    file_bytes: bytes | None = None
    owner: str = ""


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
        annotations, data = annotation_file.load_with_bytes(path)
        return OpenedDocument(annotations, path, file_bytes=data)
    return open_text_with_annotations(path, annotation_file.annotation_path_for(path), label_set, annotator)


def open_text_with_annotations(
    text_path: Path,
    save_path: Path,
    label_set: LabelSet,
    annotator: str,
    document_id: str = "",
    *,
    earlier: Path | None = None,
) -> OpenedDocument:
    """Open the text file ``text_path`` with its annotations at ``save_path`` (a new, empty set with ``label_set``
    when that file does not exist; ``document_id`` is recorded in it).

    ``earlier``: an annotation file made before (e.g. ``X.annotations.json`` beside ``X.txt``, made outside the
    project). When ``save_path`` does not exist yet and ``earlier`` is ``annotator``'s, the annotations start from it
    (they are saved to ``save_path``; ``earlier`` is never written). Someone else's is only mentioned in the notice.

    When ``save_path`` was made on another text (another SHA-256) the annotations come with the text they were made
    on, ``text_mismatch`` is set and ``text_document`` holds the text as it is now, to re-anchor on.

    Raises
    ------
    FileFault
        If a file cannot be read or is invalid (naming the file and each fault).
    """
    document = read_text_file(text_path)
    source = save_path
    data: bytes | None = None
    if save_path.exists():
        annotations, data = annotation_file.load_with_bytes(save_path)
    else:
        mine = _earlier_of(earlier, annotator)
        if mine is None:
            annotations = AnnotationSet(document, label_set, annotator, document_id=document_id)
            notice = encoding_doubt(text_path, document.source.encoding)  # before the first span fixes the text
            if earlier is not None and earlier.exists():
                notice += f" {earlier.name} beside the text is someone else's; File → Open opens it on its own."
            return OpenedDocument(annotations, save_path, notice.strip(), text_path=text_path)
        source, annotations = mine
    if document_id and document_id != annotations.document_id:
        annotations.document_id = document_id  # where it is now wins over a copied file's id
        data = None
    if annotations.document.sha256 != document.sha256:
        return OpenedDocument(
            annotations,
            save_path,
            f"{source.name} was made on a different text than {text_path.name} now holds; it is shown with the "
            "text it was made on, so every span stays where it was.",
            text_mismatch=True,
            text_document=document,
            text_path=text_path,
        )
    # Keep the encoding facts of the file as read today.
    if document != annotations.document:
        annotations.document = document
        data = None
    notice = f"Loaded {len(annotations)} spans from {source.name}."
    if source != save_path:
        notice += f" They will be saved to {save_path.name} in the project; {source.name} stays as it is."
    return OpenedDocument(annotations, save_path, notice, text_path=text_path, file_bytes=data)


def _earlier_of(earlier: Path | None, annotator: str) -> tuple[Path, AnnotationSet] | None:
    """``(earlier, its annotations)`` when it is a valid annotation file made by ``annotator``, else ``None``."""
    if earlier is None or not earlier.is_file():
        return None
    try:
        annotations = annotation_file.load(earlier)
    except FileFault:
        return None
    return (earlier, annotations) if annotations.annotator == annotator else None
