"""JSONL: one JSON object per line, each one annotator's spans over one document's exact text.

The format (JSON Lines, https://jsonlines.org/; JSON itself is RFC 8259) as written and read here::

    {"id": "news/a", "text": "Sullivan warned China.", "annotator": "alice",
     "spans": [{"id": "s1", "start": 0, "end": 8, "label": "actor", "text": "Sullivan"},
               {"id": "s2", "start": 9, "end": 21, "label": "warning", "text": "warned China",
                "note": "cue verb?", "uncertain": true}],
     "relations": [{"id": "r1", "type": "source", "from": "s2", "to": "s1"}],
     "meta": {"status": "done", "metadata": {"source": "Reuters"}}}

``meta.metadata``, when present, is the document's metadata (a JSON object), as the annotation file keeps it.
A span accepted from a suggestion has ``"origin"`` (``"suggestion"`` or ``"suggestion-edited"``), ``"suggester"``
and ``"score"``; a span without ``"origin"`` is manual (``"origin": "manual"`` is written too). Pending suggestions
(never spans) are under ``"suggestions"`` (``{"id", "start", "end", "label", "score", "suggester", "reason"}``, as
``annotator suggest`` writes them) with their links under ``"suggested_relations"`` (``{"type", "from", "to"}``,
suggestion or span ids); rejected suggestions under ``"rejected_suggestions"`` (``{"start", "end", "label",
"suggester"}``); each of the three is written only when not empty, and ``meta.suggestions_shown`` /
``meta.active_seconds`` only when set.
Spans and relations carry ``"attributes"`` (``{name: value}``: true/false, an enum value or text, as the label set
defines them) and spans ``"entity"`` (the id of the actor they are a mention of), and the record its top-level
``"document_labels"`` (``{name: value}``, a list of values for a ``multiple`` document label); each only when set.
Offsets are Unicode code points into ``text``, half-open ``[start, end)``, and ``text[start:end] == span["text"]``.
A record annotated with nothing found has ``"spans": []``; a document nobody annotated (exported with
``--include-unannotated``) is written without ``"spans"``, ``"relations"`` and ``"annotator"``: ``{"id", "text"}``.
Files are UTF-8 without a BOM, with ``"\\n"`` line ends; characters are written as they are (``ensure_ascii`` off)
except U+0085, U+2028 and U+2029, which are written as ``\\u`` escapes so that readers splitting lines at every
Unicode line break (Python's ``str.splitlines``, JavaScript) never cut a record in two.

Reading follows the project's JSONL import (:mod:`annotator.project.jsonl_import`): ``text`` is required, every other
key optional; bad lines are rejected one by one, naming the line; spans are checked later by
:func:`annotator.formats.checking.check_record`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from annotator.formats.checking import id_text, is_text, score_fault, shown, span_origin, text_fault
from annotator.formats.files import json_lines, json_object, make_folder, read_utf8
from annotator.formats.options import ExportOptions, ImportOptions
from annotator.formats.parsed import UNCERTAIN_KEY, ParsedRecord, RawRelation, RawSpan, RawSuggestion, RecordFault
from annotator.formats.records import METADATA_KEY, DocumentRecord
from annotator.formats.report import ExportReport
from annotator.io.atomic import atomic_writer
from annotator.io.errors import FileFault
from annotator.model.relation import Relation
from annotator.model.span import Span

FORMAT_NAME = "jsonl"

# Line breaks for str.splitlines / JavaScript that json.dumps(ensure_ascii=False) leaves raw (it escapes U+0000-001F).
_RAW_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


# ---------------------------------------------------------------------------------------------------- writing


def span_object(span: Span) -> dict[str, Any]:
    """A span as written: ``{"id", "start", "end", "label", "text"}`` plus ``"note"`` when non-empty,
    ``"uncertain": true`` when set, ``"origin"`` (with ``"suggester"`` and ``"score"`` when not manual), and
    ``"attributes"`` and ``"entity"`` when set."""
    item: dict[str, Any] = {"id": span.id, "start": span.start, "end": span.end, "label": span.label, "text": span.text}
    if span.note:
        item["note"] = span.note
    if span.uncertain:
        item["uncertain"] = True
    item["origin"] = span.origin
    if span.origin != "manual":
        item["suggester"] = span.suggester
        if span.score is not None:
            item["score"] = span.score
    if span.attributes:
        item["attributes"] = dict(span.attributes)
    if span.entity:
        item["entity"] = span.entity
    return item


def relation_object(relation: Relation) -> dict[str, Any]:
    """A relation as written: ``{"id", "type", "from", "to"}`` plus ``"attributes"`` when set."""
    item: dict[str, Any] = {"id": relation.id, "type": relation.type, "from": relation.from_, "to": relation.to}
    if relation.attributes:
        item["attributes"] = dict(relation.attributes)
    return item


class SuggestionFields(Protocol):
    """What a suggestion written to JSONL has: a pending one of the model, or a suggester's own
    (:class:`annotator.suggest.suggestion.Suggestion`, which ``annotator suggest`` writes)."""

    @property
    def id(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def suggester(self) -> str: ...
    @property
    def reason(self) -> str: ...


def suggestion_object(suggestion: SuggestionFields) -> dict[str, Any]:
    """A suggestion as written: ``{"id", "start", "end", "label", "score", "suggester", "reason"}``."""
    return {
        "id": suggestion.id,
        "start": suggestion.start,
        "end": suggestion.end,
        "label": suggestion.label,
        "score": suggestion.score,
        "suggester": suggestion.suggester,
        "reason": suggestion.reason,
    }


def _suggestion_keys(record: DocumentRecord) -> dict[str, Any]:
    """``"suggestions"``, ``"suggested_relations"`` and ``"rejected_suggestions"`` of a record, each when not
    empty."""
    item: dict[str, Any] = {}
    if record.suggestions:
        item["suggestions"] = [suggestion_object(s) for s in record.suggestions]
        links = [{"type": k.type, "from": k.from_, "to": k.to} for s in record.suggestions for k in s.links]
        if links:
            item["suggested_relations"] = links
    if record.rejected:
        item["rejected_suggestions"] = [
            {"start": r.start, "end": r.end, "label": r.label, "suggester": r.suggester} for r in record.rejected
        ]
    return item


def record_object(record: DocumentRecord) -> dict[str, Any]:
    """A record as written: ``{"id", "text", "spans", "relations", "annotator", "meta"}`` (see the module docstring);
    a record nobody annotated (:attr:`DocumentRecord.annotated` false) as ``{"id", "text"}`` and its ``"meta"`` when
    it has one: without ``"spans"`` and ``"annotator"``, which is how JSONL says "not annotated"."""
    if not record.annotated:
        return {
            "id": record.id,
            "text": record.text,
            **({"meta": dict(record.meta)} if record.meta else {}),
            **_suggestion_keys(record),
        }
    return {
        "id": record.id,
        "text": record.text,
        "spans": [span_object(span) for span in record.spans],
        "relations": [relation_object(r) for r in record.relations],
        "annotator": record.annotator,
        "meta": dict(record.meta),
        **_suggestion_keys(record),
        **({"document_labels": dict(record.document_labels)} if record.document_labels else {}),
    }


def json_line(value: Any) -> str:
    """``value`` as one line of JSON (no ``"\\n"`` at the end): UTF-8 characters kept, U+0085, U+2028 and U+2029
    escaped (raw, they sit only inside strings, where the ``\\u`` escape means the same character).

    Raises
    ------
    TypeError, ValueError
        If ``value`` is not JSON-serialisable (NaN and infinities included).
    """
    line = json.dumps(value, ensure_ascii=False, allow_nan=False)
    for raw, escaped in _RAW_BREAKS.items():  # str.replace is far faster than str.translate on long lines
        line = line.replace(raw, escaped)
    return line


def write_jsonl(records: Iterable[DocumentRecord], out: Path, options: ExportOptions) -> ExportReport:
    """Write ``records`` to the file ``out``, one JSON object a line (format in the module docstring).

    Everything a record holds is written (ids, notes, uncertain marks, relations, meta), so the report never has
    problems. ``options`` is not used (JSONL has no tokens and holds overlapping spans).

    Returns
    -------
    ExportReport
        ``files == [out]``, the number of records and of spans written.

    Raises
    ------
    FileFault
        If the folder or file cannot be written, or a record's ``meta`` is not JSON-serialisable (nothing is
        written then; an existing ``out`` is left as it was).
    """
    del options  # nothing to choose: JSONL holds every span exactly
    out = Path(out)
    report = ExportReport(FORMAT_NAME)
    make_folder(out.parent)
    with atomic_writer(out) as file:  # each record written before the next is read: memory stays flat
        for record in records:
            try:
                line = json_line(record_object(record)) + "\n"
            except (TypeError, ValueError) as error:
                raise FileFault(out, f"record {record.key}: its meta cannot be written as JSON ({error})") from error
            try:
                file.write(line.encode("utf-8"))
                file.flush()  # in the file, not a buffer, before the next record is read
            except UnicodeEncodeError as error:
                raise FileFault(
                    out, f"could not save: the content is not valid Unicode text ({error.reason})"
                ) from error
            report.documents += 1
            report.spans += len(record.spans)
    report.files.append(out)
    return report


# ---------------------------------------------------------------------------------------------------- reading


def read_jsonl(path: Path, options: ImportOptions | None = None) -> Iterator[ParsedRecord | RecordFault]:
    """The records of the JSONL file ``path``, one :class:`ParsedRecord` or :class:`RecordFault` per non-blank line.

    Lines are split at ``"\\n"`` only (a U+2028 inside a string is not a line break); a ``"\\r"`` before it and a
    UTF-8 BOM at the start of the file are accepted; lines holding only spaces, tabs or ``"\\r"`` are skipped.
    ``where`` is ``"<file name> line <n>"`` (counting every line from 1). Per line (see :func:`parse_line`):

    - rejected whole (:class:`RecordFault`): not JSON, not an object, no ``"text"`` string or an empty one, an
      ``"id"`` that is neither a string nor a whole number, an ``"annotator"`` that is not a string, ``"spans"``
      that is not a list;
    - rejected part by part (``ParsedRecord.rejected``, the rest imported): a span that is not an object or lacks
      ``start``/``end``/``label``, a bad span ``id`` or ``note``, a ``"relations"`` entry that is not a
      ``{"type", "from", "to"}`` object, a ``"meta"`` that is not an object, a ``meta["metadata"]`` (the
      document's metadata) that is not an object; ``check_record`` leaves out, naming each, an attribute or
      document label the label set does not define or allow, a value it does not allow, and an ``"entity"`` that is
      not a string or groups spans of different labels.

    A record is annotated (:attr:`ParsedRecord.annotated`: it gets an annotation file, with no spans if it has
    none) when it has a ``"spans"`` key (a list, even empty) or a non-empty ``"annotator"``; a record holding only
    ``"text"`` (and ``"id"``, ``"meta"``...) is a document nobody annotated.

    Span offsets, labels and texts are not checked here: :func:`annotator.formats.checking.check_record` does.
    Span ids become :attr:`RawSpan.source_id` (a whole number is turned into its decimal string), which relations'
    ``from``/``to`` refer to. :class:`RawSpan` has no uncertain mark: the ids of spans marked ``"uncertain": true``
    are listed in ``meta["uncertain"]`` (present only when there are any), and ``check_record`` applies them.

    Raises
    ------
    FileFault
        At the call, if the file cannot be read or is not UTF-8 (naming the first bad line).
    """
    path = Path(path)
    return json_lines(path.name, read_utf8(path), parse_line)


def parse_line(line: str, where: str) -> ParsedRecord | RecordFault:
    """One JSONL line as a record named ``where`` (rules in :func:`read_jsonl`)."""
    value = json_object(line, where)
    return value if isinstance(value, RecordFault) else parse_object(value, where)


def parse_object(item: dict[str, Any], where: str) -> ParsedRecord | RecordFault:
    """One decoded JSONL object as a record named ``where`` (rules in :func:`read_jsonl`)."""
    text = item.get("text")
    fault = text_fault(text)
    if fault:
        return RecordFault(where, fault)
    assert isinstance(text, str)  # text_fault refuses anything else
    record_id = item.get("id")
    if record_id is None or (isinstance(record_id, str) and not record_id.strip()):
        record_id = None
    else:
        record_id = id_text(record_id)
        if record_id is None:
            return RecordFault(where, f'"id" must be a string or a whole number, not {shown(item.get("id"))}')
    annotator = item.get("annotator")
    if annotator == "":
        annotator = None
    if annotator is not None and not (is_text(annotator) and annotator):
        return RecordFault(where, f'"annotator" must be a name (a string), not {shown(annotator)}')
    spans = item.get("spans")
    annotated = spans is not None or annotator is not None  # "annotated, nothing found": "spans": [] or an annotator
    if spans is None:
        spans = []
    if not isinstance(spans, list):
        return RecordFault(where, f'"spans" must be a list of {{"start", "end", "label"}} objects, not {shown(spans)}')

    rejected: list[str] = []
    raw_spans, uncertain = _spans(spans, rejected)
    relations = _relations(item.get("relations"), rejected)
    suggestions = _suggestions(item.get("suggestions"), "suggestions", "suggestion", rejected)
    refused = _suggestions(item.get("rejected_suggestions"), "rejected_suggestions", "rejected suggestion", rejected)
    suggested_relations = _relations(item.get("suggested_relations"), rejected, "suggested_relations", "suggested link")
    meta = item.get("meta")
    if meta is None:
        meta = {}
    elif not isinstance(meta, dict):
        rejected.append(f'"meta" must be an object, not {shown(meta)}; it is left out')
        meta = {}
    else:
        meta = dict(meta)
    if METADATA_KEY in meta and not isinstance(meta[METADATA_KEY], dict):
        rejected.append(
            f'"meta" key {METADATA_KEY!r} holds the document\'s metadata and must be an object; its value '
            f"{shown(meta.pop(METADATA_KEY))} is left out"
        )
    if UNCERTAIN_KEY in meta:
        rejected.append(
            f'"meta" key {UNCERTAIN_KEY!r} is reserved for the ids of uncertain spans; its value '
            f"{shown(meta.pop(UNCERTAIN_KEY))} is left out"
        )
    if uncertain:
        meta[UNCERTAIN_KEY] = uncertain
    return ParsedRecord(
        where=where,
        id=record_id,
        text=text,
        spans=raw_spans,
        relations=relations,
        annotator=annotator,
        meta=meta,
        rejected=rejected,
        annotated=annotated,
        spans_rejected=len(spans) - len(raw_spans),
        suggestions=suggestions,
        suggested_relations=suggested_relations,
        rejected_suggestions=refused,
        document_labels=item.get("document_labels"),
    )


def _spans(items: list[Any], rejected: list[str]) -> tuple[list[RawSpan], list[str]]:
    """``(spans, ids of the uncertain ones)``; messages for rejected spans or parts go to ``rejected``."""
    spans: list[RawSpan] = []
    uncertain: list[str] = []
    counts: dict[str, int] = {}
    for item in items:
        source_id = id_text(item.get("id")) if isinstance(item, dict) else None
        if source_id is not None:
            counts[source_id] = counts.get(source_id, 0) + 1
    for index, item in enumerate(items, start=1):
        name = f"span {index}"
        if not isinstance(item, dict):
            rejected.append(f'{name} is not an object with "start", "end" and "label" (found {shown(item)})')
            continue
        missing = [key for key in ("start", "end", "label") if key not in item]
        if missing:
            rejected.append(f"{name} has no {' or '.join(repr(key) for key in missing)}")
            continue
        source_id = None
        if item.get("id") is not None:
            source_id = id_text(item["id"])
            if source_id is None:
                rejected.append(f'{name}: "id" must be a string or a whole number, not {shown(item["id"])}; ignored')
        note = item.get("note")
        if note is None:
            note = ""
        if not is_text(note):
            rejected.append(f'{name}: "note" must be text, not {shown(note)}; the span is imported without it')
            note = ""
        if item.get("uncertain") is True:
            if source_id is None or counts.get(source_id, 0) > 1:
                rejected.append(
                    f'{name}: its "uncertain" mark needs a unique span "id" to be carried; imported as certain'
                )
            else:
                uncertain.append(source_id)
        elif item.get("uncertain") not in (None, False):
            rejected.append(f'{name}: "uncertain" must be true or false, not {shown(item["uncertain"])}; ignored')
        origin, suggester, score = span_origin(item, name, rejected)
        spans.append(
            RawSpan(
                item["start"],
                item["end"],
                item["label"],
                item.get("text"),
                note,
                source_id,
                name,
                origin,
                suggester,
                score,
                item.get("attributes"),
                item.get("entity"),
            )
        )
    return spans, uncertain


def _suggestions(items: Any, key: str, noun: str, rejected: list[str]) -> list[RawSuggestion]:
    """The ``key`` entries (pending suggestions, or rejected ones when ``noun`` says so) as :class:`RawSuggestion`;
    messages for rejected ones go to ``rejected``. A pending suggestion needs ``start``, ``end``, ``label``, a
    ``score`` from 0 to 1 and a ``suggester`` name; a rejected one ``start``, ``end`` and ``label``."""
    if items is None:
        return []
    if not isinstance(items, list):
        rejected.append(f'"{key}" must be a list of {{"start", "end", "label"...}} objects, not {shown(items)}')
        return []
    pending = noun == "suggestion"
    found: list[RawSuggestion] = []
    for index, item in enumerate(items, start=1):
        name = f"{noun} {index}"
        if not isinstance(item, dict):
            rejected.append(f'{name} is not an object with "start", "end" and "label" (found {shown(item)}); left out')
            continue
        needed = ("start", "end", "label", "score", "suggester") if pending else ("start", "end", "label")
        missing = [k for k in needed if k not in item]
        if missing:
            rejected.append(f"{name} has no {' or '.join(repr(k) for k in missing)}; left out")
            continue
        suggester, reason = item.get("suggester", ""), item.get("reason", "")
        score = item.get("score", 0.0) if pending else 0.0
        fault = score_fault(score)
        if not fault and (not is_text(suggester) or (pending and not suggester)):
            fault = f'"suggester" must be a name, not {shown(suggester)}'
        if not fault and (reason is not None and not is_text(reason)):
            fault = f'"reason" must be text, not {shown(reason)}'
        if fault:
            rejected.append(f"{name}: {fault}; left out")
            continue
        source_id = id_text(item.get("id"))
        found.append(
            RawSuggestion(
                item["start"],
                item["end"],
                item["label"],
                float(score),
                suggester,
                reason or "",
                item.get("text"),
                source_id,
                name,
            )
        )
    return found


def _relations(items: Any, rejected: list[str], key: str = "relations", noun: str = "link") -> list[RawRelation]:
    """The ``key`` entries (``"relations"``, ``"suggested_relations"``) as :class:`RawRelation`; messages for
    rejected ones go to ``rejected``."""
    if items is None:
        return []
    if not isinstance(items, list):
        rejected.append(f'"{key}" must be a list of {{"type", "from", "to"}} objects, not {shown(items)}')
        return []
    relations: list[RawRelation] = []
    for index, item in enumerate(items, start=1):
        name = f"{noun} {index}"
        if not isinstance(item, dict) or any(key not in item for key in ("type", "from", "to")):
            rejected.append(f'{name} is not an object with "type", "from" and "to" (found {shown(item)})')
            continue
        from_id, to_id = id_text(item["from"]), id_text(item["to"])
        if from_id is None or to_id is None:
            rejected.append(f'{name}: "from" and "to" must be span ids, not {shown(item["from"])}, {shown(item["to"])}')
            continue
        relations.append(
            RawRelation(item["type"], from_id, to_id, name, id_text(item.get("id")), item.get("attributes"))
        )
    return relations
