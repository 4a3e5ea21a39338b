"""Checking parsed records against their text and a label set: bad spans and links are rejected one by one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from annotator.formats.parsed import UNCERTAIN_KEY, ParsedRecord, RawRelation, RawSpan, RawSuggestion
from annotator.formats.records import DocumentRecord
from annotator.model.annotation_set import attribute_faults, document_label_faults, relation_faults
from annotator.model.labels import LabelSet
from annotator.model.pending import PendingLink, PendingSuggestion, RejectedSuggestion
from annotator.model.relation import Relation
from annotator.model.span import MANUAL, Span


def is_text(value: object) -> bool:
    """Whether ``value`` is a string of valid Unicode text (no lone surrogates, which JSON escapes can produce)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def id_text(value: Any) -> str | None:
    """An id as found in a file: a non-blank string as it is, a whole number as its decimal string; ``None`` for
    anything else (bools, blank strings, lone surrogates)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip() and is_text(value):
        return value
    return None


ORIGINS = ("manual", "suggestion", "suggestion-edited")


def score_fault(score: Any) -> str:
    """Why ``score`` is not a suggestion's score (a number from 0 to 1); ``""`` when it is."""
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
        return f"a score is a number from 0 to 1, not {shown(score)}"
    return ""


def span_origin(item: dict[str, Any], name: str, rejected: list[str]) -> tuple[str, str, float | None]:
    """``(origin, suggester, score)`` of a span written as ``item`` (``"origin"``, ``"suggester"``, ``"score"``
    keys; ``("manual", "", None)`` without them). A bad value is reported in ``rejected`` (starting with ``name``)
    and the span imported as manual."""
    origin = item.get("origin", MANUAL)
    if origin is None or origin == MANUAL:
        return MANUAL, "", None
    if origin not in ORIGINS:
        rejected.append(
            f'{name}: "origin" must be one of {", ".join(ORIGINS)}, not {shown(origin)}; imported as manual'
        )
        return MANUAL, "", None
    suggester, score = item.get("suggester", ""), item.get("score")
    if not is_text(suggester) or not suggester:
        rejected.append(
            f'{name}: a span from a suggestion needs a "suggester" name, not {shown(suggester)}; imported as manual'
        )
        return MANUAL, "", None
    if score is not None and score_fault(score):
        rejected.append(f"{name}: {score_fault(score)}; imported without it")
        score = None
    return origin, suggester, None if score is None else float(score)


def text_fault(text: Any) -> str:
    """Why ``text`` cannot be a record's text (not a string, empty, lone surrogates); ``""`` when it can."""
    if not isinstance(text, str):
        return 'no "text" string'
    if not text:
        return '"text" is empty'
    if not is_text(text):
        return '"text" contains a lone surrogate (\\ud800-\\udfff), which is not valid text'
    return ""


def shown(value: Any) -> str:
    """``value`` as JSON, cut to 40 characters, for messages."""
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


@dataclass(frozen=True)
class CheckedRecord:
    """A parsed record after checking: ``record`` holds the valid spans and links (``None`` when the whole record
    was rejected), ``rejected`` one plain-text message per rejected span, link or record, ``notes`` one per span
    imported with another id than the file's (an id repeated in the file)."""

    record: DocumentRecord | None
    rejected: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def span_fault(raw: RawSpan, text: str, label_set: LabelSet) -> str:
    """Why ``raw`` is not a valid span of ``text`` with a label of ``label_set``; ``""`` when it is.

    Checks, in order: whole-number offsets, a label that is a non-empty string, not reversed, not empty, within
    ``0..len(text)`` code points, a label of the set, and ``raw.text`` (when given) equal to ``text[start:end]``.
    """
    start, end, label = raw.start, raw.end, raw.label
    name = raw.where or "span"
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        return f"{name} [{shown(start)}, {shown(end)}): offsets must be whole numbers (code points)"
    where = f"{name} [{start}, {end})"
    if not is_text(label) or not label:
        return f"{where}: the label must be a name (a string), not {shown(label)}"
    if end < start:
        return f"{where} is reversed"
    if end == start:
        return f"{where} is empty"
    if start < 0 or end > len(text):
        return f"{where} is outside the text (0 to {len(text)} code points)"
    if label_set.get(label) is None:
        return f"{where} has the label {label!r}, which is not in the label set ({', '.join(label_set.names)})"
    if raw.text is not None and raw.text != text[start:end]:
        return (
            f"{where} {label}: its text {shown(raw.text)} does not match the document there "
            f"({shown(text[start:end])}); are the offsets code points?"
        )
    return ""


def check_record(parsed: ParsedRecord, label_set: LabelSet, record_id: str, annotator: str) -> CheckedRecord:
    """Check ``parsed`` and build its record named ``record_id``, made by ``parsed.annotator`` or else ``annotator``.

    Each span is checked by :func:`span_fault`; a span listed twice (same offsets and label) is rejected as such.
    ``parsed.meta["uncertain"]``, when present, lists the source ids of spans flagged uncertain.
    Span ids are kept from the file when they are unique non-empty strings (``s1``, ``s2``... otherwise); so are
    link ids (``r1``, ``r2``... otherwise, avoiding the file's ids). Links are kept when both ends were accepted and
    the label set allows them
    (:func:`annotator.model.annotation_set.relation_faults`). Messages start with ``parsed.where``.
    """
    rejected: list[str] = [f"{parsed.where}: {message}" for message in parsed.rejected]
    text = parsed.text
    accepted: list[RawSpan] = []
    seen: set[tuple[int, int, str]] = set()
    for index, raw in enumerate(parsed.spans, start=1):
        if not raw.where:
            raw = replace(raw, where=f"span {index}")
        fault = span_fault(raw, text, label_set)
        if not fault and (raw.start, raw.end, raw.label) in seen:
            fault = f"{raw.where} [{raw.start}, {raw.end}) {raw.label} is listed twice"
        if fault:
            rejected.append(f"{parsed.where}: {fault}")
        else:
            seen.add((raw.start, raw.end, raw.label))
            accepted.append(raw)

    uncertain = parsed.meta.get(UNCERTAIN_KEY, ())  # source ids of spans flagged uncertain (brat, JSONL)
    uncertain = {item for item in uncertain if isinstance(item, str)} if isinstance(uncertain, list | tuple) else set()
    # ids: the file's own when usable and unique, else s1, s2... avoiding every id the file uses
    taken = {raw.source_id for raw in accepted if raw.source_id and is_text(raw.source_id)}
    assigned: set[str] = set()
    ids_by_source: dict[str, str] = {}
    spans: list[Span] = []
    counter = 0
    notes: list[str] = []
    for raw in accepted:
        span_id = raw.source_id if raw.source_id in taken and raw.source_id not in assigned else None
        if span_id is None:
            counter += 1
            while f"s{counter}" in taken:
                counter += 1
            span_id = f"s{counter}"
            if raw.source_id in assigned:
                notes.append(
                    f"{parsed.where}: {raw.where} [{raw.start}, {raw.end}) repeats the id {raw.source_id!r} of an "
                    f"earlier span; imported as {span_id} (links naming {raw.source_id!r} go to the first)"
                )
        assigned.add(span_id)
        if raw.source_id:
            ids_by_source.setdefault(raw.source_id, span_id)
        note = raw.note if is_text(raw.note) else ""
        flagged = raw.source_id is not None and raw.source_id in uncertain
        spans.append(
            Span(
                id=span_id,
                start=raw.start,
                end=raw.end,
                label=raw.label,
                text=text[raw.start : raw.end],
                note=note,
                uncertain=flagged,
                origin=raw.origin if raw.origin in ORIGINS and raw.suggester else MANUAL,
                suggester=raw.suggester if raw.origin in ORIGINS[1:] else "",
                score=raw.score if raw.origin in ORIGINS[1:] and raw.suggester else None,
                attributes=_checked_attributes(
                    raw.attributes, raw.label, label_set, "span", _said(parsed, raw), rejected
                ),
                entity=_checked_entity(raw.entity, _said(parsed, raw), rejected),
            )
        )
    spans = _consistent_entities(spans, parsed.where, rejected)
    by_id = {span.id: span for span in spans}
    relations: list[Relation] = []
    links: set[tuple[str, str, str]] = set()
    relation_ids = {raw.source_id for raw in parsed.relations if raw.source_id and is_text(raw.source_id)}
    used_relation_ids: set[str] = set()
    for index, raw_relation in enumerate(parsed.relations, start=1):
        fault = _relation_fault(raw_relation, ids_by_source, by_id, label_set, links)
        where = raw_relation.where or f"link {index}"
        if fault:
            rejected.append(
                f"{parsed.where}: {where} ({shown(raw_relation.type)} {raw_relation.from_id} → "
                f"{raw_relation.to_id}): {fault}"
            )
            continue
        ends = (raw_relation.type, ids_by_source[raw_relation.from_id], ids_by_source[raw_relation.to_id])
        links.add(ends)
        relation_id = raw_relation.source_id
        if relation_id not in relation_ids or relation_id in used_relation_ids:
            relation_id = _free_id("r", relation_ids | used_relation_ids)
        used_relation_ids.add(relation_id)
        said = f"{parsed.where}: {where} ({raw_relation.type} {raw_relation.from_id} → {raw_relation.to_id})"
        attributes = _checked_attributes(raw_relation.attributes, ends[0], label_set, "relation", said, rejected)
        relations.append(Relation(id=relation_id, type=ends[0], from_=ends[1], to=ends[2], attributes=attributes))
    spans.sort(key=lambda s: s.sort_key)
    suggestions = _checked_suggestions(parsed, label_set, ids_by_source, {s.id for s in spans}, rejected)
    rejections = []
    for index, refusal in enumerate(parsed.rejected_suggestions, start=1):
        where = refusal.where or f"rejected suggestion {index}"
        fault = span_fault(
            RawSpan(refusal.start, refusal.end, refusal.label, refusal.text, where=where), text, label_set
        )
        if fault:
            rejected.append(f"{parsed.where}: {fault}")
        else:
            rejections.append(
                RejectedSuggestion(
                    start=refusal.start, end=refusal.end, label=refusal.label, suggester=refusal.suggester
                )
            )
    record = DocumentRecord(
        id=record_id,
        text=text,
        spans=tuple(spans),
        relations=tuple(relations),
        annotator=parsed.annotator or annotator,
        meta={key: value for key, value in parsed.meta.items() if key != UNCERTAIN_KEY},
        suggestions=tuple(suggestions),
        rejected=tuple(dict.fromkeys(rejections)),
        document_labels=_checked_document_labels(parsed, label_set, rejected),
    )
    return CheckedRecord(record, rejected, notes)


def _said(parsed: ParsedRecord, raw: RawSpan) -> str:
    return f"{parsed.where}: {raw.where} [{raw.start}, {raw.end}) {raw.label}"


def _checked_attributes(
    found: Any, owner: str, label_set: LabelSet, on: Literal["span", "relation"], where: str, rejected: list[str]
) -> dict[str, bool | str]:
    """The attribute values of ``found`` (a ``{name: value}`` object) that ``label_set`` allows on a span labeled
    ``owner`` (a relation of type ``owner``); each one left out is reported in ``rejected`` after ``where``, and so is
    ``found`` when it is not an object. Values equal to the attribute's default are not kept (nothing is lost). The
    strings ``"true"`` and ``"false"`` are read as true and false for a bool attribute (formats that hold only text:
    brat, Label Studio choices)."""
    if found is None:
        return {}
    if not isinstance(found, dict):
        rejected.append(f'{where}: "attributes" must be an object of {{name: value}}, not {shown(found)}; left out')
        return {}
    kept: dict[str, bool | str] = {}
    for name, value in found.items():
        declared = label_set.attribute(name, on) if isinstance(name, str) else None
        if declared is not None and declared.type == "bool" and value in ("true", "false"):
            value = value == "true"
        faults = attribute_faults({name: value}, owner, label_set, on)
        if faults:
            rejected.append(f"{where}: {faults[0]}; left out")
            continue
        attribute = label_set.attribute(name, on)
        if attribute is not None and value != attribute.default_value():
            kept[name] = value
    return kept


def _checked_entity(found: Any, where: str, rejected: list[str]) -> str:
    """``found`` when it is an entity id (a non-empty string), else ``""`` (reported unless absent)."""
    if found is None or found == "":
        return ""
    if not is_text(found):
        rejected.append(f'{where}: "entity" must be an id (a string), not {shown(found)}; left out')
        return ""
    return str(found)


def _consistent_entities(spans: list[Span], where: str, rejected: list[str]) -> list[Span]:
    """``spans`` with the entity left out of every span whose label differs from its entity's first mention (an
    entity's mentions share one label), each reported in ``rejected``."""
    first: dict[str, str] = {}
    out = []
    for span in spans:
        if span.entity and first.setdefault(span.entity, span.label) != span.label:
            rejected.append(
                f"{where}: {span.label} span [{span.start}, {span.end}) is in entity {span.entity!r}, whose first "
                f"mention is {_article(first[span.entity])} span; its entity is left out"
            )
            span = span.model_copy(update={"entity": ""})
        out.append(span)
    return out


def _article(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _checked_document_labels(parsed: ParsedRecord, label_set: LabelSet, rejected: list[str]) -> dict[str, Any]:
    """The record's document labels that ``label_set`` allows; each one left out is reported in ``rejected``. A list
    of one value is read as that value for a label that is not ``multiple``."""
    found = parsed.document_labels
    if found is None:
        return {}
    if not isinstance(found, dict):
        rejected.append(
            f'{parsed.where}: "document_labels" must be an object of {{name: value}}, not {shown(found)}; left out'
        )
        return {}
    kept = {}
    for name, value in found.items():
        declared = label_set.document_label(name) if isinstance(name, str) else None
        if declared is not None and not declared.multiple and isinstance(value, list) and len(value) == 1:
            value = value[0]  # a format holding lists of choices only (Label Studio)
        faults = document_label_faults({name: value}, label_set)
        if faults:
            rejected.append(f"{parsed.where}: {faults[0]}; left out")
        elif value != []:
            kept[name] = value
    return kept


def _checked_suggestions(
    parsed: ParsedRecord,
    label_set: LabelSet,
    span_ids_by_source: dict[str, str],
    span_ids: set[str],
    rejected: list[str],
) -> list[PendingSuggestion]:
    """The record's pending suggestions that fit its text and the label set (each checked as a span is; a fault is
    reported in ``rejected``, naming the suggestion), with their suggested links (ends named by suggestion or span
    source ids; a link whose ends are not both known is reported). Ids are the file's when unique and no span's,
    else ``g1``, ``g2``..."""
    text = parsed.text
    accepted: list[tuple[RawSuggestion, str]] = []
    taken = set(span_ids)
    by_source: dict[str, str] = {}
    for index, raw in enumerate(parsed.suggestions, start=1):
        where = raw.where or f"suggestion {index}"
        fault = span_fault(RawSpan(raw.start, raw.end, raw.label, raw.text, where=where), text, label_set)
        if fault:
            rejected.append(f"{parsed.where}: {fault}")
            continue
        suggestion_id = raw.source_id if raw.source_id and raw.source_id not in taken else _free_id("g", taken)
        taken.add(suggestion_id)
        if raw.source_id:
            by_source.setdefault(raw.source_id, suggestion_id)
        accepted.append((raw, suggestion_id))
    links: dict[str, list[PendingLink]] = {}
    for index, link in enumerate(parsed.suggested_relations, start=1):
        ends = [by_source.get(end) or span_ids_by_source.get(end) for end in (link.from_id, link.to_id)]
        holder = by_source.get(link.from_id) or by_source.get(link.to_id)
        where = link.where or f"suggested link {index}"
        if ends[0] is None or ends[1] is None or holder is None or not is_text(link.type) or not link.type:
            rejected.append(
                f"{parsed.where}: {where} ({shown(link.type)} {link.from_id} → {link.to_id}) needs a type and two "
                "ends among the imported suggestions and spans, one of them a suggestion; left out"
            )
            continue
        links.setdefault(holder, []).append(PendingLink(type=link.type, from_=ends[0], to=ends[1]))
    suggestions = [
        PendingSuggestion(
            id=suggestion_id,
            start=raw.start,
            end=raw.end,
            label=raw.label,
            text=text[raw.start : raw.end],
            score=raw.score,
            suggester=raw.suggester,
            reason=raw.reason,
            links=tuple(links.get(suggestion_id, ())),
        )
        for raw, suggestion_id in accepted
    ]
    return sorted(suggestions, key=lambda s: (s.start, s.end, s.label, s.id))


def _free_id(prefix: str, taken: set[str]) -> str:
    """The first of ``<prefix>1``, ``<prefix>2``... not in ``taken``."""
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def _relation_fault(
    raw: RawRelation,
    ids_by_source: dict[str, str],
    spans: dict[str, Span],
    label_set: LabelSet,
    links: set[tuple[str, str, str]],
) -> str:
    if not is_text(raw.type) or not raw.type:
        return "the link type must be a name"
    missing = [end for end in (raw.from_id, raw.to_id) if end not in ids_by_source]
    if missing:
        return f"span {missing[0]} is not among the imported spans"
    from_id, to_id = ids_by_source[raw.from_id], ids_by_source[raw.to_id]
    if from_id == to_id:
        return "a span cannot be linked to itself"
    relation = Relation(id="check", type=raw.type, from_=from_id, to=to_id)
    faults = relation_faults(relation, spans, label_set)
    if faults:
        return faults[0]
    if (raw.type, from_id, to_id) in links:
        return "the same link appears twice"
    return ""
