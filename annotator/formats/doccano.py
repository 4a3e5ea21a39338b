"""doccano JSONL for sequence labeling: one JSON object per line, one line per record.

Format: https://doccano.github.io/doccano/tutorial/#import-dataset (sequence labeling, "JSONL") and doccano's own
example files (https://github.com/doccano/doccano, ``backend/data_import/pipeline/examples``). Written::

    {"id": "news/a", "text": "Sullivan warned China.", "label": [[0, 8, "actor"], [9, 21, "warning"]],
     "annotator": "alice"}

Rules
-----
- ``label`` lists ``[start, end, label]`` with offsets in Unicode code points, half-open, in saved span order
  (overlapping spans included; doccano accepts them in projects that allow overlapping spans).
- ``id`` and ``annotator`` are extra keys, which doccano keeps as the example's metadata; two annotators of one
  document give two lines with the same ``id``.
- The document's metadata (``meta["metadata"]``: what an import found besides the keys it reads, e.g. doccano's
  ``meta``, ``Comments``, or Label Studio's ``data`` fields) is written back as extra keys of the line, after
  ``annotator``; a metadata key that the reader reads itself (:data:`KNOWN_KEYS`: ``label``, ``user``...) cannot be
  written without changing the record, and is left out.
- doccano's label form has no room for notes, uncertain marks or links: each span with a note, each uncertain span
  and each link (reported against its ``from`` span) is reported as ``"not_exported"``; the spans themselves are
  written. Span attributes, entities and document labels have no room either (doccano's sequence-labeling JSONL
  has no per-span or per-document fields for them): :func:`annotator.formats.exporting.export` reports each span and
  document concerned, with its line.
- A record without spans is written with ``"label": []``; doccano cannot tell "annotated, nothing found" from
  "never annotated", so a document nobody annotated (``export --include-unannotated``) is written the same way,
  without ``annotator`` (read it back with ``import --empty``, see :func:`read_doccano`).
- Lines end with ``"\\n"``; U+0085, U+2028 and U+2029 are written as ``\\u`` escapes (as the JSONL export does).

Reading (:func:`read_doccano`) also accepts doccano's relation-project form::

    {"text": "...", "entities": [{"id": 0, "label": "ORG", "start_offset": 0, "end_offset": 6}],
     "relations": [{"id": 0, "from_id": 0, "to_id": 1, "type": "foundedAt"}]}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.formats.checking import id_text, is_text, shown, text_fault
from annotator.formats.files import json_lines, json_object, make_folder, read_utf8, write_text
from annotator.formats.jsonl import json_line
from annotator.formats.options import ExportOptions, ImportOptions
from annotator.formats.parsed import ParsedRecord, RawRelation, RawSpan, RecordFault
from annotator.formats.records import METADATA_KEY, DocumentRecord
from annotator.formats.report import ExportReport, Problem
from annotator.io.atomic import atomic_writer
from annotator.model.span import Span

FORMAT_NAME = "doccano"
#: Keys :func:`read_doccano` reads itself; every other key of a line goes to the record's ``meta``.
KNOWN_KEYS = ("id", "doc_id", "text", "label", "labels", "entities", "relations", "annotator", "username", "user")


# ---------------------------------------------------------------------------------------------------- writing


def line_object(record: DocumentRecord) -> dict[str, Any]:
    """The line written for ``record``: ``{"id", "text", "label"}`` plus ``"annotator"`` when known, then the
    document's metadata keys (those not in :data:`KNOWN_KEYS`)."""
    item: dict[str, Any] = {
        "id": record.id,
        "text": record.text,
        "label": [[span.start, span.end, span.label] for span in record.spans],
    }
    if record.annotator:
        item["annotator"] = record.annotator
    item.update((key, value) for key, value in record.metadata.items() if key not in KNOWN_KEYS)
    return item


def lost_parts(record: DocumentRecord) -> list[Problem]:
    """One ``"not_exported"`` problem per note, uncertain mark and link of ``record`` (in span order, links last)."""
    problems: list[Problem] = []
    for span in record.spans:
        if span.note:
            problems.append(_problem(record, span, "doccano's JSONL has no room for notes; its note is left out"))
        if span.uncertain:
            problems.append(_problem(record, span, "doccano has no uncertain mark; the span is written as certain"))
    by_id = {span.id: span for span in record.spans}
    for relation in record.relations:
        source, target = by_id.get(relation.from_), by_id.get(relation.to)
        if source is None:
            continue
        other = f" to {target.label} [{target.start}, {target.end})" if target else ""
        reason = f"doccano's label form has no room for links; its {relation.type!r} link{other} is left out"
        problems.append(_problem(record, source, reason))
    return problems


def _problem(record: DocumentRecord, span: Span, reason: str) -> Problem:
    return Problem(record.key, span.start, span.end, span.label, span.text, "not_exported", reason)


def write_doccano(records: Iterable[DocumentRecord], out: Path, options: ExportOptions) -> ExportReport:
    """Write ``records`` to the file ``out`` as doccano sequence-labeling JSONL (rules in the module docstring).

    Records are consumed one at a time. ``options`` is not used (the label form holds overlapping spans).

    Returns
    -------
    ExportReport
        ``files == [out]``; ``problems``: the notes, uncertain marks and links left out (see :func:`lost_parts`).

    Raises
    ------
    FileFault
        If the folder or file cannot be written (an existing ``out`` is then left as it was).
    """
    del options  # nothing to choose: every span is written
    out = Path(out)
    report = ExportReport(FORMAT_NAME)
    make_folder(out.parent)
    with atomic_writer(out) as file:  # each record written before the next is read: memory stays flat
        for record in records:
            write_text(file, out, json_line(line_object(record)) + "\n")
            report.documents += 1
            report.spans += len(record.spans)
            report.problems.extend(lost_parts(record))
    report.files.append(out)
    return report


# ---------------------------------------------------------------------------------------------------- reading


def read_doccano(path: Path, options: ImportOptions | None = None) -> Iterator[ParsedRecord | RecordFault]:
    """The records of the doccano JSONL file ``path``, one per non-blank line (``where`` ``"<file> line <n>"``).

    Lines are split at ``"\\n"`` only (a raw U+2028 may stand inside a JSON string), a ``"\\r"`` before it and a
    UTF-8 BOM are accepted. Per line:

    - rejected whole (:class:`RecordFault`): not JSON, not an object, no ``"text"`` string (or an empty one, which
      doccano refuses too);
    - spans from ``"label"`` (or the older ``"labels"``): ``[start, end, label]`` items (``where``
      ``"label <k>"``); an item that is not a 3-item list is rejected with its place;
    - or from ``"entities"`` (relation projects): ``{"id", "label", "start_offset", "end_offset"}`` objects
      (``where`` ``"entity <k>"``, ids as source ids), and ``"relations"``: ``{"from_id", "to_id", "type"}``;
    - the id is ``"id"`` or ``"doc_id"`` (a whole number becomes its decimal string); the annotator
      ``"annotator"``, ``"username"`` or ``"user"`` when a string; every other key (doccano's ``meta``,
      ``Comments``, ``annotation_approver``...) is the document's metadata, kept as it is in ``meta["metadata"]``
      (present only when there are such keys).
    - doccano cannot say whether a record without labels was annotated: it is read as never annotated (its text
      alone is imported), or, with ``options.empty == "annotated"`` (the file holds only annotated records), as
      annotated with nothing found (an annotation file with no spans).

    Offsets, labels and links are checked later by :func:`annotator.formats.checking.check_record`.

    Raises
    ------
    FileFault
        At the call, if the file cannot be read or is not UTF-8.
    """
    path = Path(path)
    empty_annotated = options is not None and options.empty == "annotated"
    return json_lines(path.name, read_utf8(path), lambda line, where: parse_line(line, where, empty_annotated))


def parse_line(line: str, where: str, empty_annotated: bool = False) -> ParsedRecord | RecordFault:
    """One doccano line as a record named ``where`` (rules in :func:`read_doccano`); ``empty_annotated``: a record
    without labels was annotated and found empty (``--empty annotated``)."""
    item = json_object(line, where)
    if isinstance(item, RecordFault):
        return item
    text = item.get("text")
    fault = text_fault(text)
    if fault:
        return RecordFault(where, fault)
    assert isinstance(text, str)  # text_fault refuses anything else
    rejected: list[str] = []
    if "entities" in item:
        given = item["entities"]
        spans = _entities(given, rejected)
        relations = _relations(item.get("relations"), rejected)
    else:
        given = item.get("label", item.get("labels"))
        spans = _labels(given, rejected)
        relations = []
    found = 0 if given is None else len(given) if isinstance(given, list) else 1
    return ParsedRecord(
        where=where,
        id=id_text(item.get("id", item.get("doc_id"))),
        text=text,
        spans=spans,
        relations=relations,
        annotator=_annotator(item),
        meta=_metadata(item),
        rejected=rejected,
        annotated=bool(spans) or empty_annotated,
        spans_rejected=found - len(spans),
    )


def _metadata(item: dict[str, Any]) -> dict[str, Any]:
    metadata = {key: value for key, value in item.items() if key not in KNOWN_KEYS}
    return {METADATA_KEY: metadata} if metadata else {}


def _annotator(item: dict[str, Any]) -> str | None:
    for key in ("annotator", "username", "user"):
        value = item.get(key)
        if isinstance(value, str) and value.strip() and is_text(value):
            return value
    return None


def _labels(items: Any, rejected: list[str]) -> list[RawSpan]:
    if items is None:
        return []
    if not isinstance(items, list):
        rejected.append(f'"label" must be a list of [start, end, label] items, not {shown(items)}')
        return []
    spans: list[RawSpan] = []
    for number, entry in enumerate(items, start=1):
        place = f"label {number}"
        if not isinstance(entry, list) or len(entry) != 3:
            rejected.append(f"{place} {shown(entry)} is not a [start, end, label] list")
            continue
        spans.append(RawSpan(entry[0], entry[1], entry[2], where=place))
    return spans


def _entities(items: Any, rejected: list[str]) -> list[RawSpan]:
    if not isinstance(items, list):
        rejected.append(f'"entities" must be a list of objects, not {shown(items)}')
        return []
    spans: list[RawSpan] = []
    for number, entry in enumerate(items, start=1):
        place = f"entity {number}"
        keys = ("start_offset", "end_offset", "label")
        if not isinstance(entry, dict) or any(key not in entry for key in keys):
            rejected.append(f'{place} {shown(entry)} is not an object with "start_offset", "end_offset" and "label"')
            continue
        source_id = id_text(entry.get("id"))
        spans.append(RawSpan(entry["start_offset"], entry["end_offset"], entry["label"], None, "", source_id, place))
    return spans


def _relations(items: Any, rejected: list[str]) -> list[RawRelation]:
    if items is None:
        return []
    if not isinstance(items, list):
        rejected.append(f'"relations" must be a list of objects, not {shown(items)}')
        return []
    relations: list[RawRelation] = []
    for number, entry in enumerate(items, start=1):
        place = f"relation {number}"
        if not isinstance(entry, dict):
            rejected.append(f'{place} {shown(entry)} is not an object with "from_id", "to_id" and "type"')
            continue
        from_id, to_id = id_text(entry.get("from_id")), id_text(entry.get("to_id"))
        if from_id is None or to_id is None or "type" not in entry:
            rejected.append(f'{place} {shown(entry)} needs "from_id", "to_id" (entity ids) and "type"')
            continue
        relations.append(RawRelation(entry["type"], from_id, to_id, place))
    return relations
