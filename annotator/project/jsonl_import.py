"""Importing documents, with their spans, from a JSONL file into a project.

Each non-blank line of the file is one JSON object::

    {"id": "rec-1", "text": "Sullivan warned Beijing.", "annotator": "alice",
     "spans": [{"start": 0, "end": 8, "label": "actor"}, {"start": 9, "end": 23, "label": "warning"}]}

``text`` (a string) is required; ``id`` (a string or a whole number), ``spans`` and ``annotator`` are optional. Span
offsets are Unicode code points into ``text``, half-open ``[start, end)``; a span may also give its ``text``, which
must then equal ``text[start:end]`` (this catches offsets counted in UTF-16 units or bytes). Other keys are ignored.

Record ``id`` in ``articles.jsonl`` becomes the document ``articles/<id>.txt`` holding the text byte for byte (UTF-8;
a UTF-8 BOM first when the text itself starts with U+FEFF), and its valid spans become that document's annotation
file for the record's annotator. Bad lines and bad spans are rejected one by one with a message naming the line;
records whose document is already there with the same text are skipped, so importing a file again changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.io import annotation_file
from annotator.io.atomic import atomic_write_text
from annotator.io.errors import FileFault
from annotator.io.textfile import decode_text, read_text_file
from annotator.model.annotation_set import AnnotationSet
from annotator.model.labels import LabelSet
from annotator.project.layout import ANNOTATIONS_FOLDER, TEXT_SUFFIX, Project, safe_file_name

#: Longest document file name made from an id, in UTF-8 bytes before ``-N`` and ``.txt`` (file systems allow 255).
_BOM = "\ufeff"
_RESERVED_FOLDERS = {ANNOTATIONS_FOLDER, "__pycache__", "node_modules"}  # folders Project.document_ids() skips


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_jsonl` did.

    Attributes
    ----------
    documents: ids of the documents created (paths relative to the project, e.g. ``"articles/rec-1.txt"``), in
        file order.
    spans: number of spans imported (into annotation files).
    rejected: one plain-text message per rejected record or span, naming the file and line, e.g.
        ``"articles.jsonl line 4: span [10, 5) is reversed"``.
    skipped: one plain-text message per record skipped because its document already exists with the same text,
        e.g. ``"articles.jsonl line 2: already imported as articles/rec-1.txt"``.
    """

    documents: list[str] = field(default_factory=list)
    spans: int = 0
    rejected: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One plain-text sentence, e.g. ``"Imported 3 documents with 12 spans; rejected 2 (see the list); skipped 1
        already imported"`` (the last two parts only when not zero)."""
        parts = [f"Imported {_count(len(self.documents), 'document')} with {_count(self.spans, 'span')}"]
        if self.rejected:
            parts.append(f"rejected {len(self.rejected)} (see the list)")
        if self.skipped:
            parts.append(f"skipped {len(self.skipped)} already imported")
        return "; ".join(parts)


def _is_text(value: str) -> bool:
    """Whether ``value`` is valid Unicode text (no lone surrogates, which JSON escapes can produce)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(value: Any) -> str:
    """``value`` as JSON, cut to 40 characters, for messages."""
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _folder_name(jsonl_path: Path) -> str:
    """The project folder that documents from ``jsonl_path`` go to: its stem, made safe, never a folder that
    :meth:`Project.document_ids` skips."""
    name = safe_file_name(jsonl_path.stem) or "imported"
    return name + "-imported" if name.casefold() in _RESERVED_FOLDERS else name


def _file_content(text: str) -> tuple[str | None, str]:
    """``(content to write, "")`` where ``content`` reads back as exactly ``text``, else ``(None, reason)``."""
    if not _is_text(text):
        return None, '"text" contains a lone surrogate (\\ud800-\\udfff), which is not valid text'
    content = _BOM + text if text.startswith(_BOM) else text  # the reader removes one BOM
    try:
        back, _source = decode_text(content.encode("utf-8"))
    except ValueError as error:
        return None, f'"text" cannot be stored as a text file: {error}'
    if back != text:
        return None, '"text" would not read back unchanged from a text file'
    return content, ""


class _Importer:
    def __init__(self, jsonl_path: Path, project: Project, label_set: LabelSet, annotator: str) -> None:
        self.name = jsonl_path.name
        self.project = project
        self.label_set = label_set
        self.annotator = annotator
        self.folder = _folder_name(jsonl_path)
        self.annotator_folders = project.annotators()
        self.claimed: set[str] = set()  # casefolded ids placed (or found) in this run
        self.documents: list[str] = []
        self.spans = 0
        self.rejected: list[str] = []
        self.skipped: list[str] = []

    def report(self) -> ImportReport:
        return ImportReport(list(self.documents), self.spans, list(self.rejected), list(self.skipped))

    def line(self, number: int, line: str) -> None:
        where = f"{self.name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            self.rejected.append(f"{where}: not valid JSON ({error.msg} at column {error.colno})")
            return
        except (ValueError, RecursionError) as error:  # huge integers, absurd nesting
            self.rejected.append(f"{where}: not usable JSON ({type(error).__name__}: {str(error)[:120]})")
            return
        if not isinstance(record, dict):
            self.rejected.append(f"{where}: not a JSON object (found {_shown(record)})")
            return
        reason = self.record(where, number, record)
        if reason:
            self.rejected.append(f"{where}: {reason}")

    def record(self, where: str, number: int, record: dict[str, Any]) -> str:
        """Import one record; returns the reason when the whole record is rejected, else ``""``."""
        text = record.get("text")
        if not isinstance(text, str):
            return 'no "text" string'
        if not text:
            return '"text" is empty'
        base = self.base_name(number, record.get("id"))
        if not base:
            return f'"id" must be a string or a whole number, not {_shown(record.get("id"))}'
        annotator = record.get("annotator", self.annotator)
        if annotator is None or annotator == "":
            annotator = self.annotator
        if not isinstance(annotator, str) or not _is_text(annotator):
            return f'"annotator" must be a name (a string), not {_shown(annotator)}'
        spans = record.get("spans")
        if spans is None:
            spans = []
        if not isinstance(spans, list):
            return f'"spans" must be a list of {{"start", "end", "label"}} objects, not {_shown(spans)}'
        content, reason = _file_content(text)
        if content is None:
            return reason

        document_id, exists = self.place(base, text)
        if exists:
            self.skipped.append(f"{where}: already imported as {document_id}")
            return ""
        path = self.project.text_path(document_id)
        self.make_folder(path.parent)
        atomic_write_text(path, content)
        self.documents.append(document_id)

        good = self.checked_spans(where, spans, text)
        if good:
            document = read_text_file(path)
            annotations = AnnotationSet(document, self.label_set, annotator, document_id=document_id)
            for start, end, label in good:
                annotations.insert(annotations.new_span(start, end, label))
            target = self.project.annotation_path(document_id, annotator)
            self.make_folder(target.parent)
            annotation_file.save(annotations, target)
            self.spans += len(good)
        return ""

    def base_name(self, number: int, raw_id: Any) -> str:
        """The file name (without ``.txt`` or ``-N``) for a record's ``id``; ``line-NNNN`` without one; ``""`` for an
        ``id`` of the wrong type."""
        if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
            return f"line-{number:04d}"
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
            return ""
        name = str(raw_id)
        if not _is_text(name):
            return ""
        if name.lower().endswith(TEXT_SUFFIX):
            name = name[: -len(TEXT_SUFFIX)]
        return safe_file_name(name) or f"line-{number:04d}"

    def place(self, base: str, text: str) -> tuple[str, bool]:
        """``(document id, already there)``: the first of ``base``, ``base-2``, ``base-3``... not claimed earlier in
        this run and either free (no text file, no annotation file of any annotator) or holding exactly ``text``."""
        suffix = 1
        while True:
            name = base if suffix == 1 else f"{base}-{suffix}"
            suffix += 1
            document_id = f"{self.folder}/{name}{TEXT_SUFFIX}"
            key = document_id.casefold()  # case-insensitive file systems
            if key in self.claimed:
                continue
            path = self.project.text_path(document_id)
            if path.exists() or path.is_symlink():
                if not self.same_text(path, text):
                    continue
                self.claimed.add(key)
                return document_id, True
            if any(self.project.annotation_path(document_id, who).exists() for who in self.annotator_folders):
                continue  # annotations of a document that was removed: never overwrite them
            self.claimed.add(key)
            return document_id, False

    @staticmethod
    def same_text(path: Path, text: str) -> bool:
        try:
            return path.is_file() and read_text_file(path).text == text
        except FileFault:
            return False

    @staticmethod
    def make_folder(folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise FileFault(folder, f"could not create the folder ({error.strerror or error})") from error

    def checked_spans(self, where: str, spans: Iterable[Any], text: str) -> list[tuple[int, int, str]]:
        """The valid spans as ``(start, end, label)``; each invalid one is rejected with its own message."""
        good: list[tuple[int, int, str]] = []
        seen: set[tuple[int, int, str]] = set()
        for index, item in enumerate(spans, start=1):
            reason, span = self.checked_span(index, item, text)
            if span is not None and span in seen:
                reason = f"span [{span[0]}, {span[1]}) {span[2]} is listed twice"
            if reason:
                self.rejected.append(f"{where}: {reason}")
            elif span is not None:
                seen.add(span)
                good.append(span)
        return good

    def checked_span(self, index: int, item: Any, text: str) -> tuple[str, tuple[int, int, str] | None]:
        """``("", (start, end, label))`` for a valid span, else ``(reason, None)``."""
        if not isinstance(item, dict):
            return f'span {index} is not an object with "start", "end" and "label" (found {_shown(item)})', None
        missing = [key for key in ("start", "end", "label") if key not in item]
        if missing:
            return f"span {index} has no {' or '.join(repr(key) for key in missing)}", None
        start, end, label = item["start"], item["end"], item["label"]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            return (
                f"span {index} [{_shown(start)}, {_shown(end)}): offsets must be whole numbers (code points)",
                None,
            )
        where = f"span [{start}, {end})"
        if not isinstance(label, str) or not label or not _is_text(label):
            return f"{where}: the label must be a name (a string), not {_shown(label)}", None
        if end < start:
            return f"{where} is reversed", None
        if end == start:
            return f"{where} is empty", None
        if start < 0 or end > len(text):
            return f"{where} is outside the text (0 to {len(text)} code points)", None
        if self.label_set.get(label) is None:
            names = ", ".join(self.label_set.names)
            return f"{where} has the label {label!r}, which is not in the label set ({names})", None
        if "text" in item and item["text"] != text[start:end]:
            return (
                f"{where} {label}: its text {_shown(item['text'])} does not match the document there "
                f"({_shown(text[start:end])}); are the offsets code points?",
                None,
            )
        return "", (start, end, label)


def import_jsonl(jsonl_path: str | Path, project: Project, label_set: LabelSet, annotator: str) -> ImportReport:
    """Import the records of the JSONL file ``jsonl_path`` into ``project`` as documents (see the module docstring).

    Parameters
    ----------
    jsonl_path: a UTF-8 file (a leading BOM is accepted) of JSON objects, one a line; blank lines are ignored.
    project: the project receiving ``<jsonl stem>/<id>.txt`` files (the id made file-name safe; ``line-NNNN``
        without one; ``-2``, ``-3``... for repeated ids and for names taken by a different text or by annotations).
    label_set: the labels spans may carry; it is saved in each annotation file.
    annotator: the annotator whose annotation files receive the spans of records that name none.

    Returns
    -------
    ImportReport
        The documents created, the number of spans imported, one message per rejected record or span, and the
        records skipped because their document already exists with the same text.

    Raises
    ------
    FileFault
        If the JSONL file cannot be read or is not UTF-8 (nothing is imported then), or a document, folder or
        annotation file cannot be written (the documents written before stay, and importing again skips them).
    """
    jsonl_path = Path(jsonl_path)
    try:
        data = jsonl_path.read_bytes()
    except OSError as error:
        raise FileFault(jsonl_path, f"could not read it ({error.strerror or error})") from error
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileFault(
            jsonl_path, f"not UTF-8 (line {line}: {error.reason}); save it as UTF-8 and import it again"
        ) from error
    importer = _Importer(jsonl_path, project, label_set, annotator)
    for number, line in enumerate(content.split("\n"), start=1):  # not splitlines(): U+2028 may stand in a string
        if line.strip(" \t\r"):
            importer.line(number, line)
    return importer.report()
