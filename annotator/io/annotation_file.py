"""The annotation file: UTF-8 JSON holding the exact text, the label set, the annotator and the spans.

Shape (keys in this order; spans sorted by ``(start, end, label, id)``; indented two spaces)::

    {
      "format": "annotator",
      "format_version": 3 | 4 | 5,
      "document": {"text": ..., "sha256": ..., "source": {"file_name", "encoding", "bom", "line_ending"}},
      "label_set": {"name", "version", "labels": [{"name", "color", "hotkey", "description", "examples"}, ...],
                    "relation_types": [{"name", "description", "from_labels", "to_labels"}, ...]},
      "annotator": "...",
      "document_id": "news/a.txt",
      "status": "in_progress" | "done" | "flagged",
      "spans": [{"id", "start", "end", "label", "text", "note", "uncertain"[, "origin", "suggester", "score"]
                 [, "attributes", "entity"]}, ...],
      "relations": [{"id", "type", "from", "to"[, "attributes"]}, ...],
      "orphans": [{"span", "prefix", "suffix", "relations", "old_sha256", "reason"}, ...],
      "metadata": {"source": "...", "url": "...", ...},
      "document_labels": {"relevance": "relevant", ...},
      "suggestions": [{"id", "start", "end", "label", "text", "score", "suggester", "reason", "links"}, ...],
      "rejected_suggestions": [{"start", "end", "label", "suggester"}, ...],
      "suggestions_shown": false,
      "active_seconds": 0.0
    }

Offsets are Unicode code points into ``document.text``, half-open. Relations link spans by id; they are sorted in
text order of their ``from`` span, then by type and ``to`` span. ``document_id`` is the document's path relative to
its project (``""`` outside projects); ``orphans`` are spans that could not be re-anchored after the text changed,
kept with their old offsets and context. ``metadata`` (version 4) is the document's metadata as an imported file gave
it (doccano's extra keys, Label Studio's ``data`` fields besides the text and the task's ``meta``): a JSON object,
kept as it is and written back on export; it is written only when not empty, and then the file is version 4, else
version 3 (the lowest version holding what the file holds; versions 1 and 2 cannot be written, since a version 3 file
always holds ``document_id``, ``status`` and ``orphans``). Version 1 files (no notes, flags or relations), version 2
files (no ``document_id``, ``status`` or ``orphans``) and version 3 files (no ``metadata``) are read as well.
Version 5 adds what suggestions leave: a span's ``origin`` (``"suggestion"`` or ``"suggestion-edited"``, with
``suggester`` and ``score``; written only for spans not made by hand, so a ``"manual"`` span is written as before),
the pending ``suggestions`` (never spans; ids distinct from span ids; ``links`` are ``{"type", "from", "to"}``
between suggestion and span ids), the ``rejected_suggestions`` (never offered again), whether suggestions were
shown while the document was annotated and the active annotation time in seconds. The four keys are written, all of
them, only when one of them (or a span's origin) holds something: then the file is version 5; otherwise it is written
exactly as version 3 or 4 wrote it. Files of earlier versions read as manual spans, no suggestions, not shown, 0 s.
Version 5 also holds, each written only when present: a span's ``attributes`` (``{name: value}``: true/false, an
enum value or text, values at the attribute's default left out) and ``entity`` (the id, ``"e1"``..., of the actor
it is a mention of), a relation's ``attributes``, the top-level ``document_labels`` (``{name: value}``, a list of
values for a ``multiple`` document label; written after ``metadata``) and the label set's ``attributes`` and
``document_labels``. A file holding any of them is version 5 (its four suggestion keys are then written only when one
of them holds something); a file holding none is written exactly as before. Earlier files read with none. On
reading, each span's and relation's attributes are checked against the label set, each entity's mentions must share
one label, and the document labels must be the label set's, with their values.
The JSON Schema is ``schema/annotation-file.schema.json`` (generated from :class:`AnnotationFile`); the README
documents each field.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic_core import from_json

from annotator.io.atomic import atomic_write_bytes
from annotator.io.errors import FileFault
from annotator.io.gc_pause import garbage_collection_paused
from annotator.io.span_pieces import MARKER, TEXT_MARKER, cut_spans, cut_text, decoded_text, wrapped
from annotator.model.annotation_set import (
    AnnotationSet,
    document_label_faults,
    entity_faults,
    relation_faults,
    span_faults,
)
from annotator.model.document import Document, text_sha256
from annotator.model.labels import LabelSet
from annotator.model.orphan import OrphanedSpan
from annotator.model.pending import PendingSuggestion, RejectedSuggestion
from annotator.model.relation import Relation
from annotator.model.span import MANUAL, Span, SpanFields, spans_from_fields, spans_from_json_values
from annotator.model.status import DocumentStatus

FORMAT_NAME: Final = "annotator"
FORMAT_VERSION = 5  # the newest version read
#: The version written for a file without metadata (what it holds needs nothing newer).
PLAIN_VERSION = 3
#: The version written for a file with metadata but nothing from suggestions.
METADATA_VERSION = 4
#: The keys version 5 adds, written only in version 5 files.
_SUGGESTION_KEYS = frozenset({"suggestions", "rejected_suggestions", "suggestions_shown", "active_seconds"})
ANNOTATION_SUFFIX = ".annotations.json"
_ORIGIN = attrgetter("origin")
_ID = attrgetter("id")
_LABEL = attrgetter("label")
_ENTITY = attrgetter("entity")
_ATTRIBUTES = attrgetter("attributes")
SavedStatus = Literal[DocumentStatus.IN_PROGRESS, DocumentStatus.DONE, DocumentStatus.FLAGGED]


class AnnotationFile(BaseModel):
    """The on-disk shape of an annotation file (see the module docstring and the README)."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    format: Literal["annotator"] = FORMAT_NAME
    format_version: int = Field(FORMAT_VERSION, strict=True, ge=1)  # not 3.0 or "3" or true
    document: Document
    label_set: LabelSet
    annotator: str
    document_id: str = ""
    status: SavedStatus = DocumentStatus.IN_PROGRESS
    spans: list[Span]
    relations: list[Relation] = []
    orphans: list[OrphanedSpan] = []
    metadata: dict[str, Any] = {}  # version 4; left out of the file when empty
    document_labels: dict[str, str | list[str]] = {}  # version 5; left out of the file when empty
    suggestions: list[PendingSuggestion] = []  # version 5, as the next three
    rejected_suggestions: list[RejectedSuggestion] = []
    suggestions_shown: bool = False
    active_seconds: float = Field(0.0, ge=0.0)


def annotation_path_for(text_path: str | Path) -> Path:
    """``X.annotations.json`` beside the text file ``X.txt`` (any other name gets the suffix appended)."""
    text_path = Path(text_path)
    stem = text_path.stem if text_path.suffix.lower() == ".txt" else text_path.name
    return text_path.with_name(stem + ANNOTATION_SUFFIX)


_ANNOTATOR_KEY: Final = b'\n  "annotator": '
"""The top-level ``annotator`` key as the app writes it (``indent=2``: top-level keys on lines indented two spaces,
nested ones deeper; a line break inside a JSON string is always escaped, so this is never inside one)."""
_APP_LAYOUT_START: Final = b'{\n  "format": "annotator",\n'
"""How every annotation file the app writes starts (every format version): the layout :data:`_ANNOTATOR_KEY` is
found in."""
PEEK_BYTES: Final = 1 << 20
"""Bytes :func:`recorded_annotator` reads per step."""


def recorded_annotator(path: str | Path) -> str | None:
    """The annotator the annotation file ``path`` records, read from its top-level ``"annotator"`` key without loading
    the file: the bytes up to that key (about the document's text, which comes before it: 20 MB for the 1M-span file)
    are read :data:`PEEK_BYTES` at a time, and its value decoded as a JSON string. ``None`` when the key is not found
    that way (a file in another layout than the one the app writes, no such key, a value that is not a string) or the
    file cannot be read; the file is then to be loaded to know. Not a validation: the file may still be refused when
    loaded."""
    from json.decoder import scanstring  # type: ignore[attr-defined]  # (the C scanner, not in the stubs)

    seen = b""
    try:
        with open(path, "rb") as file:
            first = file.read(max(PEEK_BYTES, 64)).removeprefix(b"\xef\xbb\xbf")  # (64: the layout's start whole)
            if not first.startswith(_APP_LAYOUT_START):
                return None  # another layout: a line indented two spaces may be a nested key there
            block = first
            while True:
                if not block:
                    return None
                seen = seen[-len(_ANNOTATOR_KEY) :] + block  # a key cut between two blocks is found whole
                at = seen.find(_ANNOTATOR_KEY)
                if at >= 0:
                    value = seen[at + len(_ANNOTATOR_KEY) :]
                    while b"\n" not in value:  # the value ends its line (a name cut between two blocks)
                        more = file.read(PEEK_BYTES)
                        if not more:
                            break
                        value += more
                    line = value.split(b"\n", 1)[0].rstrip(b"\r").rstrip(b",").decode("utf-8")
                    if not line.startswith('"'):
                        return None
                    name, end = scanstring(line, 1, True)
                    return name if end == len(line) else None
                block = file.read(PEEK_BYTES)
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def is_annotation_file(path: str | Path) -> bool:
    """Whether ``path``'s name ends in ``.annotations.json`` or ``.json``."""
    return Path(path).name.lower().endswith(".json")


def dumps_bytes(annotations: AnnotationSet) -> bytes:
    """The annotation file's UTF-8 bytes for ``annotations`` (ends with a newline).

    The parts are already validated models, so the record is built without validating them again; pydantic's
    serializer writes exactly what ``json.dumps(..., indent=2, ensure_ascii=False)`` would (a test checks it), several
    times faster: autosave runs this after every change.

    Raises ``ValueError`` for a set whose status is ``not_started`` (no file holds it: it would not load again).
    """
    status = annotations.status
    if status is DocumentStatus.NOT_STARTED:
        raise ValueError("an annotation file's status is never 'not_started'")
    metadata = annotations.metadata
    spans = annotations.sorted_spans()
    suggestions = annotations.suggestions()
    rejected = annotations.rejected()
    from_suggestions = bool(
        suggestions
        or rejected
        or annotations.suggestions_shown
        or annotations.active_seconds > 0
        or any(origin != MANUAL for origin in map(_ORIGIN, spans))
    )
    label_set = annotations.label_set
    relations = annotations.relations()
    richer = bool(
        annotations.document_labels
        or label_set.attributes
        or label_set.document_labels
        or any(span.attributes or span.entity for span in spans)
        or any(relation.attributes for relation in relations)
    )
    version = FORMAT_VERSION if from_suggestions or richer else METADATA_VERSION if metadata else PLAIN_VERSION
    record = AnnotationFile.model_construct(
        format_version=version,
        document=annotations.document,
        label_set=label_set,
        annotator=annotations.annotator,
        document_id=annotations.document_id,
        status=status,
        spans=spans,
        relations=relations,
        orphans=annotations.orphans,
        metadata=metadata,
        document_labels=annotations.document_labels,
        suggestions=suggestions,
        rejected_suggestions=rejected,
        suggestions_shown=annotations.suggestions_shown,
        active_seconds=float(annotations.active_seconds),
    )
    exclude = set() if from_suggestions else set(_SUGGESTION_KEYS)
    if not metadata:
        exclude.add("metadata")
    if not annotations.document_labels:
        exclude.add("document_labels")
    return record.__pydantic_serializer__.to_json(record, indent=2, exclude=exclude) + b"\n"


def dumps(annotations: AnnotationSet) -> str:
    """The annotation file's JSON text for ``annotations`` (ends with a newline); see :func:`dumps_bytes`."""
    return dumps_bytes(annotations).decode("utf-8")


def save(annotations: AnnotationSet, path: str | Path) -> None:
    """Write ``annotations`` to ``path`` atomically (see :func:`annotator.io.atomic.atomic_write_bytes`).

    Raises
    ------
    FileFault
        If the file cannot be written; the old file is left intact.
    """
    atomic_write_bytes(path, dumps_bytes(annotations))


def _location(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


# Only a JSON text holding a surrogate escape (``\\ud83d``...) or a surrogate character can give a string with a lone
# surrogate, which the fast path does not look for (the step-by-step path walks every string: 0.3 s at 10k spans).
# Separate searches, not one alternation: at 12 MB they take 25 + 100 ms, the alternation 600 ms.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# JSON can hold a NUL character only as the escape \u0000 (a raw control character is a syntax error).
_NUL_ESCAPE = re.compile(r"\\u0000")
# Either escape, in bytes: one pass over the file instead of two (28 MB: 10 ms instead of 19, escapes or none; the
# shared prefix keeps the alternation fast, unlike the str searches above).
_SURROGATE_OR_NUL_ESCAPE_BYTES = re.compile(rb"\\u(?:[dD][89a-fA-F]|0000)")
#: Keys whose string values are the text or names: a NUL character there is refused, as in a ``.txt`` file.
_NUL_FREE_KEYS = frozenset(
    {"text", "name", "file_name", "annotator", "document_id", "id", "label", "type", "from", "to", "hotkey"}
)


def _find_lone_surrogate(value: Any, where: str = "") -> str | None:
    """Path of the first string (key or value) holding a lone surrogate, or ``None``."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where or "(top level)"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            found = _find_lone_surrogate(key, inner) or _find_lone_surrogate(item, inner)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_lone_surrogate(item, f"{where}[{index}]")
            if found:
                return found
    return None


def _find_nul(value: Any, where: str = "", key: str = "") -> list[str]:
    """Paths of the text and name strings (keys in :data:`_NUL_FREE_KEYS`) that hold a NUL character, in order;
    the top-level ``metadata`` (an imported file's own JSON, kept as it is) is not searched."""
    if isinstance(value, str):
        return [where] if key in _NUL_FREE_KEYS and "\x00" in value else []
    found: list[str] = []
    if isinstance(value, dict):
        for name, item in value.items():
            if not where and name == "metadata":
                continue
            found += _find_nul(item, f"{where}.{name}" if where else str(name), str(name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _find_nul(item, f"{where}[{index}]", key)
    return found


def _readable(message: str) -> str:
    """A pydantic message without Python internals: ``<DocumentStatus.DONE: 'done'>`` becomes ``'done'``."""
    return re.sub(r"<\w+\.\w+: ('[^']*')>", r"\1", message.removeprefix("Value error, "))


def _json_type(value: object) -> str:
    names = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true/false"}
    return names.get(type(value), "null")


#: Spans built or checked between two progress reports (and cancel checks) of :func:`load_in_steps`.
STEP_SPANS = 50_000
#: Bytes read between two progress reports (and cancel checks) of :func:`load_in_steps`.
STEP_BYTES = 8 << 20
#: Bytes of the spans array validated in one pydantic call by :func:`load_in_steps` (about 900 spans, 2.5 ms; 2 MB
#: pieces took 20-60 ms each, and the GUI thread waited that long each time it took Python's GIL back, several times
#: an event: 0.2-0.3 s stalls while a 1M-span file was validated).
STEP_JSON_BYTES = 256 << 10
#: Bytes of the spans array parsed in one call by :func:`load` and :func:`parse` (a piece's parsed dicts are freed
#: as its spans are made, so the pieces need not be small).
LOAD_JSON_BYTES = 4 << 20
#: Bytes of the spans array validated between two progress reports (and cancel checks) of :func:`load_in_steps`.
REPORT_JSON_BYTES = 2 << 20
#: Spans handed to one call in C by :func:`load_in_steps` (making the spans by id, counting labels, looking for an
#: entity): each such call holds Python's GIL throughout (50k spans: 20-50 ms, and 0.3 s for the entity scan of 1M).
STEP_C_SPANS = 10_000

#: The checks of spans against the text and the label set left to :func:`_checked_annotation_set`: ``"all"``;
#: ``"attributes"`` (the spans fit, but those with attributes are to be checked against the label set, and entities
#: across spans); ``"none"`` (the spans fit and are plain: manual, no attributes, no entity).
SpanChecks = Literal["all", "attributes", "none"]

#: ``progress(stage, done, total)`` as :func:`load_in_steps` calls it.
Progress = Callable[[str, int, int], None]


class LoadCancelled(Exception):
    """Raised by :func:`load_in_steps` when its ``cancelled()`` returned true; nothing was loaded."""


def _no_step(stage: str, done: int, total: int) -> None:
    """The step of :func:`parse` and :func:`load`: no progress, never cancelled."""


def parse(data: bytes | str, path: str | Path = "<memory>", *, progress: Progress | None = None) -> AnnotationSet:
    """Validate an annotation file's content and build its :class:`AnnotationSet`; ``progress(stage, done, total)``
    (when given) is called as :func:`load_in_steps` calls it (and may raise to stop the parse).

    Every check runs and every fault is reported: JSON syntax (line and column), the top-level shape, the format name
    and version (a newer ``format_version`` is refused), field types, the text's SHA-256, and for each span its
    offsets (``0 <= start < end <= len(text)``, code points), its text, its label, and the uniqueness of its id; for
    each relation, that both spans exist, its type and the ends' labels fit the label set, and it is not repeated.

    Raises
    ------
    FileFault
        Naming ``path`` and each fault.
    """
    with garbage_collection_paused():  # with progress: in load_in_steps's pieces (short holds of the GIL)
        return _parse(data, path, progress or _no_step, STEP_JSON_BYTES if progress is not None else 0)


def check_parses(data: bytes, path: str | Path, spans: list[Span], *, progress: Progress | None = None) -> None:
    """Raise what :func:`parse` raises for ``data`` (``FileFault`` naming ``path`` and each fault), or nothing where it
    accepts ``data``, without holding a second set of spans when ``data`` was made of ``spans``: the spans ``data`` is
    expected to hold, in the file's order (:func:`~annotator.io.json_pieces.saved_order`). ``progress``: as for
    :func:`parse` (it may raise to stop the check).

    For the app's own files of the app's layout (bytes made by :func:`dumps_bytes` or
    :func:`~annotator.io.json_pieces.dumps_pieces`), each piece of the spans array is validated and made as
    :func:`parse` makes it, compared with the expected spans at its place (pydantic's equality: the same fields), and
    let go; the file's other checks (:func:`_checked_annotation_set`: the text's SHA-256, unique ids, the relations'
    ends, entities, document labels, suggestions) then run on the validated rest of the file with the expected
    spans, which are those it holds. Only one piece's spans are held at a time, not the file's (a 1M-span file's
    parse: 1.2 GB more). Any other case (another layout, a span that differs or does not fit) is parsed in full by
    :func:`parse`, which names the faults: the verdict is always :func:`parse`'s.

    Raises
    ------
    FileFault
        Naming ``path`` and each fault, as :func:`parse` does.
    """
    step = progress or _no_step
    piece_bytes = STEP_JSON_BYTES if progress is not None else 0  # as parse's
    with garbage_collection_paused():
        matched = _matched_in_pieces(data, spans, step, piece_bytes)
        if matched is None:
            parsed = list(_parse(data, path, step, piece_bytes).spans_by_id.values())
            while parsed:  # freed in steps (1M spans in one go held the GIL 0.3 s)
                del parsed[-LET_GO_STEP:]
            return
        outline, plain = matched
        record = _record(outline, spans)
        if record.format_version > FORMAT_VERSION:
            raise FileFault(path, _newer_version(record.format_version))

        def checking(_stage: str, done: int, total: int) -> None:  # the second half of the bar, as parse's building
            step("building", done, total)

        _checked_annotation_set(record, path, checking, "none" if plain else "attributes")


LET_GO_STEP = 20_000
"""Spans freed at a time by :func:`check_parses` after a full parse."""


def _matched_in_pieces(
    data: bytes, expected: list[Span], step: Progress, piece_bytes: int
) -> tuple[BaseModel, bool] | None:
    """``(outline, plain)`` when ``data`` is in the app's layout, valid as :func:`_validated_at_once` finds it in
    pieces (:func:`_outline_and_pieces`, :func:`~annotator.model.span.spans_from_json_values`) and its spans equal
    ``expected``, in order; ``plain`` as :func:`_spans_of_values` tells it. ``None`` otherwise. ``step("validating",
    done, total)`` in bytes of ``data``; ``piece_bytes``: as for :func:`_validated_at_once`."""
    plain_bytes = _without_escapes_to_check(data)
    if plain_bytes is None:
        return None
    opened = _outline_and_pieces(plain_bytes, piece_bytes or LOAD_JSON_BYTES, step)
    if opened is None:
        return None
    outline, parsed = opened
    text = outline.document.text  # type: ignore[attr-defined]
    names = frozenset(outline.label_set.names)  # type: ignore[attr-defined]
    at, plain = 0, True
    for found in parsed:
        if found is None:
            return None
        for first in range(0, len(found), STEP_SPANS):
            built = spans_from_json_values(found, text, names, first, first + STEP_SPANS)
            if built is None or built[0] != expected[at : at + len(built[0])]:
                return None
            at += len(built[0])
            plain = plain and built[1]
    if at != len(expected):
        return None
    return outline, plain


def _parse(
    data: bytes | str,
    path: str | Path,
    step: Progress,
    piece_bytes: int = 0,
    text_ready: Callable[[str], None] | None = None,
) -> AnnotationSet:
    checks: SpanChecks
    validated = _validated_at_once(data, step, piece_bytes, text_ready)
    if validated is None:
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise FileFault(path, f"not UTF-8 ({error})") from error
        record, checks = _validated_step_by_step(data, path), "all"
    else:
        record, checks = validated
    if record.format_version > FORMAT_VERSION:
        raise FileFault(path, _newer_version(record.format_version))
    return _checked_annotation_set(record, path, step, checks)


@cache
def _file_of_span_fields() -> type[BaseModel]:
    """:class:`AnnotationFile` with its spans validated as plain dicts by the span's own field schema
    (:class:`~annotator.model.span.SpanFields`), not as one pydantic model each."""
    fields: dict[str, Any] = {
        name: (info.annotation, info) for name, info in AnnotationFile.model_fields.items() if name != "spans"
    }
    # strings cached by pydantic only as keys: looking every id and span text up cost 15% of the validation
    config: ConfigDict = {**AnnotationFile.model_config, "cache_strings": "keys"}
    return create_model("AnnotationFileOfSpanFields", __config__=config, spans=(list[SpanFields], ...), **fields)


@cache
def _file_of_marked_spans() -> type[BaseModel]:
    """:func:`_file_of_span_fields` whose ``spans`` is the string :data:`~annotator.io.span_pieces.MARKER` (what
    is left of a file once its spans array is cut out: see :func:`_validated_in_pieces`)."""
    fields: dict[str, Any] = {
        name: (info.annotation, info) for name, info in AnnotationFile.model_fields.items() if name != "spans"
    }
    config: ConfigDict = {**AnnotationFile.model_config, "cache_strings": "keys"}
    marker: Any = Literal[MARKER]
    return create_model("AnnotationFileOfMarker", __config__=config, spans=(marker, ...), **fields)


@cache
def _file_of_marked_text() -> type[BaseModel]:
    """:func:`_file_of_marked_spans` whose document's text is the string :data:`~annotator.io.span_pieces.TEXT_MARKER`
    (what is left once the text is cut out too: see :func:`_outline`)."""
    text: Any = Literal[TEXT_MARKER]
    document_fields: dict[str, Any] = {
        name: (info.annotation, info) for name, info in Document.model_fields.items() if name != "text"
    }
    document = create_model("DocumentOfMarker", __config__=Document.model_config, text=(text, ...), **document_fields)
    fields: dict[str, Any] = {
        name: (info.annotation, info)
        for name, info in _file_of_marked_spans().model_fields.items()
        if name != "document"
    }
    config: ConfigDict = {**AnnotationFile.model_config, "cache_strings": "keys"}
    return create_model("AnnotationFileOfMarkers", __config__=config, document=(document, ...), **fields)


TEXT_PIECE_BYTES = 512 << 10
"""Bytes of the document's text (as JSON) decoded in one call by :func:`load_in_steps` (about 1.5 ms; pydantic
decoding the 20 MB text of the 1M-span file in one call held the GIL 90 ms)."""
TEXT_CUT_BYTES = 16 << 20
"""From this size on (the file without its spans), :func:`load_in_steps` decodes the document's text in pieces: it
costs more CPU (the 20 MB text: 130 ms instead of 90) and a second copy of the text for a moment (the pieces, then
the joined text), so smaller files keep the one call."""


def _outline(rest: bytes) -> BaseModel:
    """``rest`` (an annotation file whose spans array is :data:`~annotator.io.span_pieces.MARKER`) validated as
    :func:`_file_of_marked_spans` validates it, with the document's text decoded a piece at a time
    (:func:`~annotator.io.span_pieces.cut_text`) when ``rest`` is :data:`TEXT_CUT_BYTES` or more and in the app's
    layout. Raises as pydantic does (a
    file whose text is not valid is validated in one call, so that the error is pydantic's)."""
    cut = cut_text(rest, TEXT_PIECE_BYTES) if len(rest) >= TEXT_CUT_BYTES else None
    text = decoded_text(rest, cut[1]) if cut is not None else None
    if cut is None or text is None:
        return _file_of_marked_spans().model_validate_json(rest, strict=True)
    outline = _file_of_marked_text().model_validate_json(cut[0], strict=True)
    marked = outline.document  # type: ignore[attr-defined]
    fields = {name: getattr(marked, name) for name in Document.model_fields} | {"text": text}
    document = Document.model_construct(marked.model_fields_set, **fields)
    values = {name: getattr(outline, name) for name in type(outline).model_fields} | {"document": document}
    return _file_of_marked_spans().model_construct(outline.model_fields_set, **values)


def _validated_in_pieces(
    data: bytes, piece_bytes: int, step: Progress, text_ready: Callable[[str], None] | None = None
) -> tuple[BaseModel, list[Any]] | None:
    """``data`` validated as :func:`_validated_at_once` does, in one pydantic call for the file without its spans
    and one per piece of about ``piece_bytes`` of the spans array (:func:`~annotator.io.span_pieces.cut_spans`,
    whose module says why the pieces are exactly the array); ``(outline, span dicts)``, or ``None`` when the file is
    not in the app's layout or anything fails (the caller then validates it in one call, which names the faults).
    ``step("validating", done, total)`` in bytes of ``data`` before each call; ``text_ready(text)`` (when given) once
    the file without its spans is valid."""
    opened = _outline_and_pieces(data, piece_bytes, step, text_ready)
    if opened is None:
        return None
    outline, parsed = opened
    items: list[Any] = []
    for found in parsed:
        if found is None:
            return None
        items += found
    return outline, items


def _outline_and_pieces(
    data: bytes, piece_bytes: int, step: Progress, text_ready: Callable[[str], None] | None = None
) -> tuple[BaseModel, Iterator[list[Any] | None]] | None:
    """``(outline, pieces)``: ``data`` without its spans array validated by pydantic (:func:`_outline`), and an
    iterator over the array's pieces of about ``piece_bytes`` (:func:`~annotator.io.span_pieces.cut_spans`), each
    parsed when asked for: its list of span values (not empty), or ``None`` (and no more) when one is not such a
    list; ``None`` instead of both when ``data`` is not in the app's layout or its outline is not valid. ``step`` and
    ``text_ready``: as for :func:`_validated_in_pieces`."""
    cut = cut_spans(data, piece_bytes)
    if cut is None:
        return None
    rest, pieces = cut
    step("validating", 0, len(data))
    try:
        outline = _outline(rest)
    except (ValidationError, ValueError, RecursionError):
        return None
    del rest
    if text_ready is not None:
        text_ready(outline.document.text)  # type: ignore[attr-defined]
    return outline, _parsed_pieces(data, pieces, step)


def _parsed_pieces(data: bytes, pieces: list[tuple[int, int]], step: Progress) -> Iterator[list[Any] | None]:
    """The spans array's ``pieces`` (byte ranges of ``data``) parsed one at a time: see :func:`_outline_and_pieces`."""
    reported = 0
    for piece in pieces:
        if piece[0] - reported >= REPORT_JSON_BYTES:  # not every piece: each report is a signal to the GUI thread
            step("validating", piece[0], len(data))
            reported = piece[0]
        try:  # parsed only: spans_from_json_values checks the values as pydantic would (NaN and Infinity refused)
            found = from_json(wrapped(data, piece), allow_inf_nan=False, cache_strings="keys")
        except (ValueError, RecursionError):
            yield None
            return
        if type(found) is not list or not found:
            yield None
            return
        yield found


SEARCH_WINDOW = 2 * 1024 * 1024
"""Bytes a regular-expression search over a whole file looks at per call (one search over 195 MB held the GIL
0.07-0.2 s; 8 MB windows 24 ms each)."""


def _found_in_windows(pattern: re.Pattern[bytes], data: bytes) -> bool:
    """Whether ``pattern`` (matching at most 8 bytes, no look-around) occurs in ``data``: searched
    :data:`SEARCH_WINDOW` bytes per call, windows overlapping by 7 bytes so that no match is missed."""
    for start in range(0, max(1, len(data)), SEARCH_WINDOW):
        if pattern.search(data, start, min(len(data), start + SEARCH_WINDOW + 7)):
            return True
    return False


def _validated_at_once(
    data: bytes | str,
    step: Progress = _no_step,
    piece_bytes: int = 0,
    text_ready: Callable[[str], None] | None = None,
) -> tuple[AnnotationFile, SpanChecks] | None:
    """``(record, checks)``: ``data`` parsed and validated straight from the bytes, or ``None`` if anything is
    wrong (including text that is not UTF-8, which pydantic refuses too) or a lone surrogate is possible:
    :func:`_validated_step_by_step` then says what is wrong. ``checks`` are the span checks still to be made (see
    :data:`SpanChecks`): with ``"attributes"`` or ``"none"`` every span was found to fit the text and the label set.

    Bytes in the app's layout (:func:`_validated_in_pieces`): pydantic validates the file without its spans array,
    the array is only parsed (pieces of ``piece_bytes``, else :data:`LOAD_JSON_BYTES`) and each span checked and
    made by :func:`~annotator.model.span.spans_from_json_values` (the same result as pydantic's validation, fitted
    at once), in steps of :data:`STEP_SPANS`: at 100k spans 0.08 + 0.18 s (CPU) against 0.3 s for pydantic's
    validation and then 0.06 s to make the spans and 0.06 s to fit them. Otherwise (another layout, a str, or a span
    that fails there), pydantic validates the file in one call, the spans as plain dicts by :class:`Span`'s own field
    schema, then made spans by :func:`~annotator.model.span.spans_from_fields` (which makes the check ``Span``'s
    validator makes), not fitted. ``text_ready`` (when given) is called with the document's text as soon as the file
    without its spans is valid (before the spans are validated and checked: the text may still be refused, e.g. by
    its SHA-256)."""
    if isinstance(data, bytes):
        plain_bytes = _without_escapes_to_check(data)
        if plain_bytes is None:
            return None
        data = plain_bytes
    elif _SURROGATE_ESCAPE.search(data) or _SURROGATE.search(data) or _NUL_ESCAPE.search(data):
        return None
    in_pieces = (
        _validated_in_pieces(data, piece_bytes or LOAD_JSON_BYTES, step, text_ready)
        if isinstance(data, bytes)
        else None
    )
    if in_pieces is not None:
        outline, values = in_pieces
        fitted = _spans_of_values(values, outline, step)
        if fitted is not None:  # else validated again in one call below: a fault in a span, to be named
            return _record(outline, fitted[0]), "none" if fitted[1] else "attributes"
        del outline, values, fitted
    step("validating", 0, 1)
    try:
        outline = _file_of_span_fields().model_validate_json(data, strict=True)
    except (ValidationError, ValueError, RecursionError):
        return None
    items = outline.spans  # type: ignore[attr-defined]
    if text_ready is not None:
        text_ready(outline.document.text)  # type: ignore[attr-defined]
    spans: list[Span] = []
    for first in range(0, len(items), STEP_SPANS):
        step("building", first, len(items))
        built = spans_from_fields(items, first, first + STEP_SPANS)
        if built is None:
            return None
        spans += built
    return _record(outline, spans), "all"


def _without_escapes_to_check(data: bytes) -> bytes | None:
    """``data`` without its UTF-8 byte order mark, or ``None`` when it holds an escape that could make a lone
    surrogate or a NUL (which only :func:`_validated_step_by_step` reports as the app does)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    if _found_in_windows(_SURROGATE_OR_NUL_ESCAPE_BYTES, data):
        return None  # only escapes can make these
    return data


def _spans_of_values(values: list[Any], outline: BaseModel, step: Progress) -> tuple[list[Span], bool] | None:
    """``(spans, plain)``: the spans of ``values`` (the spans array as :func:`pydantic_core.from_json` parsed it),
    made and fitted to the outline's text and label set in steps of :data:`STEP_SPANS`
    (:func:`~annotator.model.span.spans_from_json_values`, which says what ``plain`` is), or ``None`` when one is not
    valid or does not fit. Each step's spans take its values' places in the list (so the parsed dicts are freed as
    they go), which is then the spans."""
    text = outline.document.text  # type: ignore[attr-defined]
    names = frozenset(outline.label_set.names)  # type: ignore[attr-defined]
    plain = True
    for first in range(0, len(values), STEP_SPANS):
        step("building", first, len(values))
        built = spans_from_json_values(values, text, names, first, first + STEP_SPANS)
        if built is None:
            return None
        values[first : first + STEP_SPANS] = built[0]
        plain = plain and built[1]
    return values, plain


def _record(outline: BaseModel, spans: list[Span]) -> AnnotationFile:
    """The validated ``outline`` (a file's fields but its spans) with ``spans``, as one :class:`AnnotationFile`."""
    values = dict(outline)
    values["spans"] = spans
    return AnnotationFile.model_construct(outline.model_fields_set, **values)


def _newer_version(version: int) -> str:
    return (
        f"written by a newer version of annotator (format_version {version}; this version reads up to "
        f"{FORMAT_VERSION}); update annotator to open it"
    )


def _validated_step_by_step(data: str, path: str | Path) -> AnnotationFile:
    """``data`` parsed with ``json`` and checked in order (JSON syntax, top-level shape, format name, lone
    surrogates, format version, then pydantic), so that the first fault found is named precisely."""
    try:
        raw = json.loads(data)
    except json.JSONDecodeError as error:
        raise FileFault(path, f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from error
    except (ValueError, RecursionError) as error:  # huge integers, absurd nesting
        raise FileFault(path, f"not a usable JSON file ({type(error).__name__}: {str(error)[:120]})") from error
    if not isinstance(raw, dict):
        raise FileFault(path, f"expected a JSON object at the top level, found {_json_type(raw)}")
    if raw.get("format", FORMAT_NAME) != FORMAT_NAME:
        raise FileFault(path, f"not an annotator annotation file (format is {raw.get('format')!r})")
    surrogate = _find_lone_surrogate(raw)
    if surrogate:
        raise FileFault(path, f"{surrogate}: contains a lone surrogate (\\ud800-\\udfff), which is not valid text")
    version = raw.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise FileFault(path, f"format_version must be a whole number, not {json.dumps(version)[:40]}")
    if version > FORMAT_VERSION:
        raise FileFault(path, _newer_version(version))
    if version < 1:
        raise FileFault(path, f"format_version must be 1 or more (the first version), not {version}")
    nul = _find_nul(raw)
    if nul:
        raise FileFault(path, [f"{where}: {_NUL_FAULT}" for where in nul])
    try:  # strict: an offset of true, 0.0 or "1", a flag of 0 or a bom of "yes" is a type error, not coerced
        return AnnotationFile.model_validate_json(data, strict=True)
    except ValidationError as error:
        faults = [f"{_location(e['loc'])}: {_readable(e['msg'])}{_found(e)}" for e in error.errors()]
        raise FileFault(path, faults) from error


_NUL_FAULT = "contains a NUL character (U+0000): it looks binary, not like text (a .txt file holding one is refused)"


def _found(error: Any) -> str:
    """``", not true"`` for a type error (the JSON value found, shortened), else ``""``."""
    if not error["type"].endswith("_type") or isinstance(error["input"], (dict, list)):
        return ""
    return f", not {json.dumps(error['input'], ensure_ascii=False)[:40]}"


def _checked_annotation_set(
    record: AnnotationFile, path: str | Path, step: Progress = _no_step, checks: SpanChecks = "all"
) -> AnnotationSet:
    """The annotation set of a validated ``record``, after checking what pydantic cannot: the text's SHA-256, each
    span against the text and the label set (what ``checks`` leaves: see :data:`SpanChecks`), unique ids, entities,
    and each relation's ends, type and repetition."""
    text = record.document.text
    faults = []
    if text_sha256(text) != record.document.sha256:
        faults.append(
            f"document.sha256 is {record.document.sha256} but the text's SHA-256 is {text_sha256(text)}: "
            "the text was changed after it was annotated, so the span offsets cannot be trusted"
        )
    # Every span is checked in one comprehension; descriptions are built only for the spans at fault.
    names = set(record.label_set.names)
    length = len(text)
    misfits: list[int] = []
    for first in range(0, len(record.spans), STEP_SPANS):
        step("checking", first, len(record.spans))
        chunk = record.spans[first : first + STEP_SPANS]
        if checks == "none":
            continue
        if checks == "attributes":  # in C, but the spans with attributes (STEP_SPANS at a time: 50k, 3 ms)
            with_attributes = compress(range(first, first + len(chunk)), map(_ATTRIBUTES, chunk))
            misfits += [i for i in with_attributes if span_faults(record.spans[i], text, record.label_set)]
            continue
        misfits += [
            index
            for index, span in enumerate(chunk, first)
            if span.end > length
            or span.label not in names
            or text[span.start : span.end] != span.text
            or (span.attributes and span_faults(span, text, record.label_set))
        ]
    step("indexing", 0, 1)
    spans: dict[str, Span] = {}
    label_counts: Counter[str] = Counter()
    for first in range(0, len(record.spans), STEP_C_SPANS):  # one call over 1M spans held the GIL 0.65 s
        chunk = record.spans[first : first + STEP_C_SPANS]
        spans.update(zip(map(_ID, chunk), chunk, strict=True))
        label_counts.update(map(_LABEL, chunk))
    duplicates = set()
    if len(spans) != len(record.spans):
        seen: set[str] = set()
        for index, span in enumerate(record.spans):
            if span.id in seen:
                duplicates.add(index)
            seen.add(span.id)
    for index in sorted({*misfits, *duplicates}):
        span = record.spans[index]
        where = f"spans[{index}] (id {span.id!r}, [{span.start}, {span.end}), {span.label})"
        faults.extend(f"{where}: {fault}" for fault in span_faults(span, text, record.label_set))
        if index in duplicates:
            faults.append(f"{where}: duplicate id {span.id!r}")
    seen_relations: set[str] = set()
    links: set[tuple[str, str, str]] = set()
    for index, relation in enumerate(record.relations):
        where = f"relations[{index}] (id {relation.id!r}, {relation.type} {relation.from_} → {relation.to})"
        faults.extend(f"{where}: {fault}" for fault in relation_faults(relation, spans, record.label_set))
        if relation.id in seen_relations:
            faults.append(f"{where}: duplicate id {relation.id!r}")
        if (relation.type, relation.from_, relation.to) in links:
            faults.append(f"{where}: the same link appears twice")
        seen_relations.add(relation.id)
        links.add((relation.type, relation.from_, relation.to))
    # in C: 3 ms at 100k spans, against 13 ms for entity_faults' own loop; in steps (1M in one: 0.3 s). Plain spans
    # ("none") have no entity.
    if checks != "none" and any(
        any(map(_ENTITY, record.spans[first : first + STEP_C_SPANS]))
        for first in range(0, len(record.spans), STEP_C_SPANS)
    ):
        faults.extend(f"spans: {fault}" for fault in entity_faults(record.spans))
    faults.extend(
        f"document_labels: {fault}" for fault in document_label_faults(record.document_labels, record.label_set)
    )
    faults.extend(_suggestion_faults(record, spans))
    if faults:
        raise FileFault(path, faults)
    return AnnotationSet(
        record.document,
        record.label_set,
        record.annotator,
        spans,  # by id, taken as it is (not built again)
        record.relations,
        document_id=record.document_id,
        status=record.status,
        orphans=record.orphans,
        metadata=record.metadata,
        suggestions=record.suggestions,
        rejected=record.rejected_suggestions,
        suggestions_shown=record.suggestions_shown,
        active_seconds=record.active_seconds,
        document_labels=record.document_labels,
        label_counts=label_counts if len(spans) == len(record.spans) else None,
    )


def _suggestion_faults(record: AnnotationFile, spans: dict[str, Span]) -> list[str]:
    """What is wrong with the pending and rejected suggestions of a validated ``record``: offsets beyond the text, a
    text that does not match, a label not in the label set, an id repeated or taken by a span, a link whose ends are
    neither suggestion nor span ids."""
    text = record.document.text
    faults: list[str] = []
    ids = {s.id for s in record.suggestions}
    seen: set[str] = set()
    for index, suggestion in enumerate(record.suggestions):
        where = (
            f"suggestions[{index}] (id {suggestion.id!r}, [{suggestion.start}, {suggestion.end}), {suggestion.label})"
        )
        faults.extend(f"{where}: {fault}" for fault in span_faults(suggestion, text, record.label_set))
        if suggestion.id in seen or suggestion.id in spans:
            faults.append(f"{where}: duplicate id {suggestion.id!r} (suggestion and span ids are distinct)")
        seen.add(suggestion.id)
        for link in suggestion.links:
            missing = [end for end in (link.from_, link.to) if end not in ids and end not in spans]
            if missing:
                faults.append(f"{where}: its {link.type} link names {missing[0]!r}, neither a suggestion nor a span")
    for index, rejection in enumerate(record.rejected_suggestions):
        if rejection.end <= rejection.start or rejection.end > len(text):
            faults.append(
                f"rejected_suggestions[{index}] [{rejection.start}, {rejection.end}): empty or beyond the text's "
                f"length ({len(text)} code points)"
            )
    return faults


def load(path: str | Path) -> AnnotationSet:
    """Read and validate the annotation file at ``path`` (see :func:`parse`).

    Raises
    ------
    FileFault
        If the file cannot be read or is invalid; the message names the file and each fault.
    """
    return load_with_bytes(path)[0]


def load_in_steps(
    path: str | Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    text_ready: Callable[[str], None] | None = None,
    bytes_read: Callable[[bytes], None] | None = None,
) -> tuple[AnnotationSet, bytes]:
    """:func:`load_with_bytes` in steps, for a huge file: between steps it calls ``cancelled()`` (when given) and
    raises :class:`LoadCancelled` if that returns true, then ``progress(stage, done, total)`` (when given).

    Stages, in order: ``"reading"`` (``done``/``total`` in bytes, steps of :data:`STEP_BYTES`), ``"validating"``
    (``done``/``total`` in bytes of the file: pydantic checks the file without its spans array in one call, then the
    array in pieces of about :data:`STEP_JSON_BYTES`, one call each, about 2.5 ms; see
    :mod:`annotator.io.span_pieces`), ``"building"`` and ``"checking"`` (spans, steps of :data:`STEP_SPANS`), then
    ``"indexing"`` (``0``/``1``; the spans by id and the label counts made :data:`STEP_C_SPANS` at a time). No step
    holds the GIL long (see the README's figures), so the GUI thread keeps running while this runs in a worker
    thread; give it ``cancelled``;
    ``progress`` is called from that thread. A file in another layout than the app's (compact JSON, tabs, another
    writer's) is validated in one call (``"validating"`` ``0``/``1``, about 0.3 s per 100k spans, the GIL held
    throughout). A cancel after ``"indexing"`` was reported is not seen: the file is loaded. The result and the faults
    are exactly
    :func:`load_with_bytes`'s (a file with a fault is checked again step by step to name it, unreported).
    ``text_ready(text)`` (when given; from the same thread) hears the document's text as soon as it is known, before
    the spans are validated, so that a view can be filled meanwhile: at most once, and the load can still fail
    after it (the text itself checked by its SHA-256 only at ``"checking"``); when the file is validated in one call
    it comes after that call. ``bytes_read(data)`` (when given; from the same thread) hears the file's bytes as soon
    as they are read, before they are parsed (the same object the result gives), so that they can be hashed meanwhile
    in another thread.

    Raises
    ------
    FileFault
        If the file cannot be read or is invalid; the message names the file and each fault.
    LoadCancelled
        When ``cancelled()`` returned true at a step.
    """
    path = Path(path)

    def step(stage: str, done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise LoadCancelled(f"loading {path} was cancelled")
        if progress is not None:
            progress(stage, done, total)

    try:
        with path.open("rb") as file:
            total = os.fstat(file.fileno()).st_size
            chunks: list[bytes] = []
            done = 0
            while True:
                step("reading", done, total)
                chunk = file.read(STEP_BYTES)
                if not chunk:
                    break
                chunks.append(chunk)
                done += len(chunk)
    except OSError as error:
        raise FileFault(path, f"could not read it ({error.strerror or error})") from error
    data = b"".join(chunks)
    del chunks
    if bytes_read is not None:
        bytes_read(data)
    with garbage_collection_paused():
        return _parse(data, path, step, STEP_JSON_BYTES, _once(text_ready)), data


def _once(call: Callable[[str], None] | None) -> Callable[[str], None] | None:
    """``call`` made to run at most once (a file whose spans fail in pieces is validated again in one call)."""
    if call is None:
        return None
    done: list[bool] = []

    def first(text: str) -> None:
        if not done:
            done.append(True)
            call(text)

    return first


def load_with_bytes(path: str | Path) -> tuple[AnnotationSet, bytes]:
    """:func:`load`, also giving the file's bytes as read (a session takes them as its journal's base instead of
    serializing the annotations again: 0.3 s at 100k spans).

    Raises
    ------
    FileFault
        If the file cannot be read or is invalid; the message names the file and each fault.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileFault(path, f"could not read it ({error.strerror or error})") from error
    return parse(data, path), data


def annotator_of(path: str | Path) -> str | None:
    """The ``"annotator"`` field of the annotation file at ``path``, read without validating the rest (cheap); ``None``
    when the file cannot be read, is not JSON or has no such string. Never raises."""
    try:
        name = json.loads(Path(path).read_bytes().decode("utf-8-sig")).get("annotator")
    except (OSError, ValueError, AttributeError, RecursionError):
        return None
    return name if isinstance(name, str) else None


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the annotation file, generated from :class:`AnnotationFile`."""
    schema = AnnotationFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "annotator annotation file"
    return schema
