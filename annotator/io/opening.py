"""Deciding what to open: a text file, a web page, Word or PDF file (with its annotation file beside it, if any) or an
annotation file.

A converted document (``.html``, ``.htm``, ``.docx``, ``.pdf``, a saved page's folder: the converters'
:func:`~annotator.io.convert.registry.supported_suffixes`) is converted once: its annotation file keeps the exact text
and a source record (:mod:`annotator.io.source_record`) with the original's SHA-256. While the original's bytes are
those the record names, the annotations open with their own text and nothing is converted, whatever the converter's
version now; an unannotated document's text comes from the cache (:mod:`annotator.io.convert.cache`). When the
original changed (another SHA-256), it is converted again and the annotations go through the re-anchoring a changed
``.txt`` goes through (``text_mismatch``). Converting blocks (a child process, up to its time limit): the app calls
these functions off the GUI thread when :func:`conversion_needed` says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.io import annotation_file
from annotator.io.convert.registry import SAVED_PAGE_FOLDER, page_file, supported_suffixes
from annotator.io.convert.source import ConversionError, Converted, SourceRecord, sha256_hex
from annotator.io.errors import FileFault
from annotator.io.json_pieces import JsonBytes, JsonWritten
from annotator.io.source_record import source_record_of, with_source_record
from annotator.io.textfile import encoding_doubt, read_text_file
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document, DocumentSource, line_ending_style
from annotator.model.labels import LabelSet

#: Converts a file (or a saved page's folder) to its text and source record; blocking. Tests pass a spy.
Convert = Callable[[Path], Converted]

#: Names of the kinds of documents (a :class:`SourceRecord` kind, ``"text"`` for a ``.txt`` file), as shown.
KIND_NAMES = {"text": "text", "html": "web page", "url": "web page", "docx": "Word", "pdf": "PDF"}


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
        from another file or changed since), else ``None``; the app's huge-file open fills it in with the annotations
        serialized (off the GUI thread, in pieces: :func:`~annotator.io.json_pieces.dumps_pieces`), as the
        session's journal base is exactly that, and writes them to disk there as the journal's base written ahead
        (:class:`~annotator.io.json_pieces.JsonWritten`), so they are not kept in memory.
    owner: set by the window when ``save_path`` is another annotator's file that opens read-only (their name), else
        ``""``.
    source: for a converted document, the record of the original as it is now (with ``text_mismatch``, the one the
        re-anchored annotations take), else ``None``.
    """

    annotations: AnnotationSet
    save_path: Path
    notice: str = ""
    text_mismatch: bool = False
    text_document: Document | None = None
    text_path: Path | None = None
    file_bytes: JsonBytes | JsonWritten | None = None
    owner: str = ""
    source: SourceRecord | None = field(default=None, compare=False)


def is_converted(path: str | Path) -> bool:
    """Whether ``path`` is opened through a converter: a file with one of the converters' suffixes
    (case-insensitive), or a saved page's folder ``X_files`` with ``X.html`` or ``X.htm`` beside it."""
    path = Path(path)
    if path.name.endswith(SAVED_PAGE_FOLDER) and path.is_dir():
        try:
            return page_file(path) != path
        except ConversionError:
            return False
    return path.suffix.lower() in supported_suffixes() and not path.is_dir()


def kind_of(path: str | Path) -> str:
    """The kind of document at ``path``: ``"html"``, ``"docx"``, ``"pdf"`` (the converter's), else ``"text"``
    (:data:`KIND_NAMES` names them). Nothing is read."""
    suffix = Path(path).suffix.lower()
    return {".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}.get(suffix, "text")


def annotation_path_of(path: str | Path) -> Path:
    """Where the annotations of the file ``path`` go outside projects: ``X.annotations.json`` beside ``X.txt``,
    ``X.html.annotations.json`` beside ``X.html`` (a saved page's folder: beside its page)."""
    path = Path(path)
    if path.is_dir() and is_converted(path):
        path = page_file(path)
    return annotation_file.annotation_path_for(path)


def open_document(
    path: str | Path,
    label_set: LabelSet,
    annotator: str,
    *,
    convert: Convert | None = None,
    progress: annotation_file.Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    text_ready: Callable[[str], None] | None = None,
    bytes_read: Callable[[bytes], None] | None = None,
) -> OpenedDocument:
    """Open ``path``: an annotation file (``*.json``), a text file, or a converted document (a web page, Word or PDF
    file, a saved page's folder: module docstring). ``convert`` converts (default: the cache, then the sandboxed
    converter; blocking). An annotation file opened directly is loaded in steps
    (:func:`~annotator.io.annotation_file.load_in_steps`) when ``progress`` or ``cancelled`` is given: ``progress``
    hears each stage, and ``cancelled()`` returning true stops the load with
    :class:`~annotator.io.annotation_file.LoadCancelled` (for the app's huge-file open, off the GUI thread), and
    ``text_ready(text)`` hears the document's text as soon as the load knows it (before the spans are validated),
    and ``bytes_read(data)`` the file's bytes as soon as they are read (both only there).

    A text file ``X.txt`` with ``X.annotations.json`` beside it opens those annotations. If that file's text differs
    from ``X.txt`` (another SHA-256), the annotations are opened with the text they were made on, and the notice says
    so: spans are never shown at offsets of another text. ``X.html`` opens ``X.html.annotations.json`` alike.

    Raises
    ------
    FileFault
        If a file cannot be read or is invalid, or cannot be converted (naming the file and each fault, or the
        converter's reason in one line).
    LoadCancelled
        When ``cancelled()`` returned true while an annotation file was loaded in steps.
    """
    path = Path(path)
    if is_converted(path):
        path = _page(path)
    elif path.is_dir():
        raise FileFault(path, "is a folder; open a text file or an annotation file")
    if annotation_file.is_annotation_file(path):
        if progress is not None or cancelled is not None or text_ready is not None or bytes_read is not None:
            annotations, data = annotation_file.load_in_steps(path, progress, cancelled, text_ready, bytes_read)
        else:
            annotations, data = annotation_file.load_with_bytes(path)
        return OpenedDocument(annotations, path, file_bytes=data)
    return open_text_with_annotations(
        path, annotation_file.annotation_path_for(path), label_set, annotator, convert=convert
    )


def document_text(path: str | Path, *, convert: Convert | None = None) -> str:
    """The text of the document at ``path`` as a new annotation set would hold it: a text file's text, or a
    converted document's (the cache first, else ``convert``: blocking). For commands that read unannotated
    documents (export, suggest); an annotated one's text is its annotation file's.

    Raises
    ------
    FileFault
        If the file cannot be read or converted (naming it and the reason, one line for a conversion).
    """
    path = Path(path)
    if not is_converted(path):
        return read_text_file(path).text
    page = _page(path) if path.is_dir() else path
    try:
        data = page.read_bytes()
    except OSError as error:
        raise FileFault(page, f"could not read it ({error.strerror or error})") from error
    return _converted_document(page, data, convert)[0].text


def conversion_needed(path: str | Path, save_path: str | Path) -> bool:
    """Whether opening the document ``path`` with its annotations at ``save_path`` would run a converter (so the app
    does it off the GUI thread): ``path`` is converted (:func:`is_converted`), and neither ``save_path``'s source
    record names the file's bytes as they are now nor the cache holds them. Cheap (reads and hashes the file, reads
    ``save_path``'s JSON); never raises (a file that cannot be read: ``False``, the opening then says why)."""
    from annotator.io.convert.cache import cached

    path = Path(path)
    if not is_converted(path):
        return False
    try:
        page = page_file(path)
        sha256 = sha256_hex(page.read_bytes())
    except (ConversionError, OSError):
        return False
    if _recorded_sha256(Path(save_path)) == sha256:
        return False
    return cached(sha256, kind_of(page), page.name) is None


def _recorded_sha256(save_path: Path) -> str | None:
    """The source SHA-256 recorded in the annotation file ``save_path`` (read without validating it), or ``None``."""
    import json

    try:
        metadata = json.loads(save_path.read_bytes().decode("utf-8-sig")).get("metadata", {})
        record, _notice = source_record_of(metadata)
    except (OSError, ValueError, AttributeError, RecursionError):
        return None
    return record.sha256 if record is not None else None


def _page(path: Path) -> Path:
    """The page of a saved page's folder (:func:`page_file`), as a :class:`FileFault`."""
    try:
        return page_file(path)
    except ConversionError as error:
        raise FileFault(path, error.reason) from None


def _converted_document(path: Path, data: bytes, convert: Convert | None) -> tuple[Document, SourceRecord, bool]:
    """The document and source record of the converted file ``path`` (bytes ``data``): cache first; and whether they
    came from the cache (no conversion ran).

    Raises ``FileFault`` (naming ``path`` and the converter's reason) when it cannot be converted."""
    from annotator.io.convert.cache import convert_cached

    try:
        converted = convert_cached(path, data=data, convert=convert)
    except ConversionError as error:
        raise FileFault(path, error.reason) from None
    source = DocumentSource(file_name=path.name, line_ending=line_ending_style(converted.text))
    return Document.from_text(converted.text, source), converted.source, converted.from_cache


def open_text_with_annotations(
    text_path: Path,
    save_path: Path,
    label_set: LabelSet,
    annotator: str,
    document_id: str = "",
    *,
    earlier: Path | None = None,
    convert: Convert | None = None,
) -> OpenedDocument:
    """Open the text file ``text_path`` with its annotations at ``save_path`` (a new, empty set with ``label_set``
    when that file does not exist; ``document_id`` is recorded in it).

    ``earlier``: an annotation file made before (e.g. ``X.annotations.json`` beside ``X.txt``, made outside the
    project). When ``save_path`` does not exist yet and ``earlier`` is ``annotator``'s, the annotations start from it
    (they are saved to ``save_path``; ``earlier`` is never written). Someone else's is only mentioned in the notice.

    When ``save_path`` was made on another text (another SHA-256) the annotations come with the text they were made
    on, ``text_mismatch`` is set and ``text_document`` holds the text as it is now, to re-anchor on.

    A converted ``text_path`` (:func:`is_converted`) is converted with ``convert`` (the cache first) unless
    ``save_path``'s source record names its bytes as they are now (module docstring); a new set records the source.

    Raises
    ------
    FileFault
        If a file cannot be read or is invalid, or cannot be converted (naming the file and each fault).
    """
    if is_converted(text_path):
        return _open_converted(text_path, save_path, label_set, annotator, document_id, earlier, convert)
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


def _open_converted(
    text_path: Path,
    save_path: Path,
    label_set: LabelSet,
    annotator: str,
    document_id: str,
    earlier: Path | None,
    convert: Convert | None,
) -> OpenedDocument:
    """:func:`open_text_with_annotations` for a converted document (module docstring)."""
    page = _page(text_path) if text_path.is_dir() else text_path
    try:
        data = page.read_bytes()
    except OSError as error:
        raise FileFault(page, f"could not read it ({error.strerror or error})") from error
    sha256 = sha256_hex(data)
    source = save_path
    file_bytes: bytes | None = None
    if save_path.exists():
        annotations, file_bytes = annotation_file.load_with_bytes(save_path)
    else:
        mine = _earlier_of(earlier, annotator)
        if mine is None:
            document, record, from_cache = _converted_document(page, data, convert)
            metadata = with_source_record({}, record)
            annotations = AnnotationSet(document, label_set, annotator, document_id=document_id, metadata=metadata)
            notice = f"Converted {page.name} ({record.converter} {record.converter_version})."
            if from_cache:
                notice = (
                    f"Opened {page.name} from its cached conversion ({record.converter} {record.converter_version}); "
                    "nothing was converted."
                )
            if earlier is not None and earlier.exists():
                notice += f" {earlier.name} beside it is someone else's; File → Open opens it on its own."
            return OpenedDocument(annotations, save_path, notice, text_path=page, source=record)
        source, annotations = mine
    if document_id and document_id != annotations.document_id:
        annotations.document_id = document_id
        file_bytes = None
    recorded, notice = source_record_of(annotations.metadata)
    if recorded is not None and recorded.sha256 == sha256:  # the text is fixed once: never converted again
        notice = f"Loaded {len(annotations)} spans from {source.name}."
        if source != save_path:
            notice += f" They will be saved to {save_path.name} in the project; {source.name} stays as it is."
        return OpenedDocument(annotations, save_path, notice, text_path=page, file_bytes=file_bytes, source=recorded)
    document, record, _ = _converted_document(page, data, convert)
    if annotations.document.sha256 != document.sha256:
        mismatch = (
            f"{notice} {source.name} was made on a different text than {page.name} now gives; it is shown with "
            "the text it was made on, so every span stays where it was."
        )
        return OpenedDocument(
            annotations,
            save_path,
            mismatch.strip(),
            text_mismatch=True,
            text_document=document,
            text_path=page,
            source=record,
        )
    # Another file (or no readable record) giving the same text: the annotations name it from now on.
    annotations.metadata = with_source_record(annotations.metadata, record)
    notice += f" Loaded {len(annotations)} spans from {source.name}; {page.name} changed but gives the same text."
    return OpenedDocument(annotations, save_path, notice.strip(), text_path=page, source=record)
