"""spaCy DocBin export (``.spacy``), the training-data format of ``spacy train`` (export only; needs the optional
dependency ``spacy``: ``pip install -e '.[spacy]'`` in the checkout).

Format: https://spacy.io/api/docbin, training data: https://spacy.io/usage/training#training-data, alignment:
https://spacy.io/api/doc#char_span. One :class:`spacy.tokens.Doc` per record, tokenized by the blank pipeline of
``options.spacy_lang`` (``spacy.blank(lang).make_doc(text)``; ``doc.text`` is the record's text exactly).

- ``doc.spans["sc"]`` (the span categorizer's default key) holds every span that fits spaCy's tokens, overlapping
  and nested ones included, in record order; each spaCy span's ``id_`` is the span's id, ``label_`` its label and
  ``kb_id_`` its entity id (``"e1"``: the mentions of one actor share it, as entity linking's knowledge-base ids do;
  ``""`` for none), in ``doc.ents`` too.
- ``doc.cats`` holds the document labels for text classification (``textcat``, ``textcat_multilabel``): for each
  document label the record has, a key ``"<name>=<value>"`` per value of it in the label set, ``1.0`` for the
  value(s) chosen and ``0.0`` for the others (``{"relevance=relevant": 1.0, "relevance=not relevant": 0.0}``); a
  value outside the label set, or a label without one, gets its ``1.0`` key alone. A document label the record has no
  value for gets no key (not annotated is not "none of them").
- ``doc.ents`` (for the ``ner`` component) cannot hold overlapping spans: it holds the spans
  :func:`annotator.formats.overlap.resolve_overlaps` keeps under ``options.overlap``; each other one is reported
  ``"dropped"`` and counts as lost, since NER training never sees it, although it stays in ``doc.spans["sc"]``.
- A span whose boundary falls inside a token or in the space after one (``doc.char_span(start, end,
  alignment_mode="strict")`` is ``None``, e.g. ``"Sanc"`` in the token ``"Sanc\\u00adtions"``, or any word of a
  Chinese sentence with the ``"xx"`` tokenizer, which does not split Chinese) is reported ``"misaligned"`` and left
  out of both; with ``options.snap`` it is moved to whole tokens (``alignment_mode="expand"``) and reported
  ``"snapped"`` with its new offsets.
- Whitespace at a span's edges (``" Person H"``) is left out first, as in the CoNLL export
  (:mod:`annotator.formats.trimming`): a span that then fits is written without it and reported ``"trimmed"`` with
  its new offsets; a span that is whitespace only is reported ``"misaligned"`` and left out of both.
- ``doc.user_data`` (stored: ``DocBin(store_user_data=True)``) holds the whole record, so nothing the annotator
  wrote is lost from the file::

      {"id": "news/a", "annotator": "alice", "meta": {"status": "done"},
       "spans": [{"id": "s1", "start": 0, "end": 8, "label": "actor", "sc": 0, "ent": True,
                  "note": "...", "uncertain": True, "attributes": {"kind": "person"}, "entity": "e1"}, ...],
       "relations": [{"id": "r1", "type": "source", "from": "s3", "to": "s1", "attributes": {"hedged": True}}, ...],
       "document_labels": {"relevance": "relevant", "topics": ["war", "trade"]}}

  ``spans`` lists every span of the record with its exact offsets (code points); ``sc`` is its index in
  ``doc.spans["sc"]`` (``None`` when misaligned; a snapped or trimmed span's spaCy offsets differ from
  ``start``/``end``), ``ent`` whether it is in ``doc.ents``; ``note``, ``uncertain``, ``attributes`` (the span's
  attribute values by name: ``True``/``False`` or a string) and ``entity`` appear only when set, and
  ``origin`` (``"suggestion"`` or ``"suggestion-edited"``), ``suggester`` and ``score`` only for a span accepted from
  a suggestion. Pending suggestions are listed under ``"suggestions"`` (``id``, ``start``, ``end``, ``label``,
  ``score``, ``suggester``, ``reason``) and rejected ones under ``"rejected_suggestions"``, in ``user_data`` only:
  never in ``doc.spans`` or ``doc.ents``, which training reads, since nobody accepted them.
  A relation's ``attributes`` and the record's ``document_labels`` (name -> value, a list for a ``multiple`` one)
  appear only when set. spaCy stores ``user_data`` as msgpack, so lists come back as tuples.

Read it back with ``DocBin().from_disk(path).get_docs(spacy.blank(lang).vocab)``; a spaCy span's attributes are
``doc.user_data["spans"][i]["attributes"]`` for the item ``i`` whose ``"sc"`` is the span's index in
``doc.spans["sc"]`` (or whose ``"id"`` is its ``id_``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.formats.files import make_folder
from annotator.formats.options import ExportOptions
from annotator.formats.overlap import resolve_overlaps
from annotator.formats.records import DocumentRecord
from annotator.formats.report import ExportReport, Problem, ProblemKind
from annotator.formats.trimming import ONLY_WHITESPACE, trim, trim_note, trimmed_reason
from annotator.io.atomic import atomic_write_bytes
from annotator.io.errors import FileFault
from annotator.model.relation import Relation
from annotator.model.span import Span

FORMAT_NAME = "spacy"
SPAN_KEY = "sc"
MISSING_SPACY = (
    "spaCy is not installed; install it with: pip install 'spacy>=3.7' (or, in the annotator checkout, "
    "pip install -e '.[spacy]')"
)


def _shown(text: str, limit: int = 30) -> str:
    """``repr(text)``, cut to about ``limit`` characters (a token may be a 100 000-character line)."""
    return repr(text) if len(text) <= limit else repr(text[: limit - 1]) + "…"


def _token_place(doc: Any, index: int) -> str:
    token = doc[index]
    return f"the spaCy token {_shown(token.text)} [{token.idx}, {token.idx + len(token.text)})"


def boundary_faults(doc: Any, start: int, end: int, starts: list[int] | None = None) -> list[str]:
    """Why ``[start, end)`` (code points) does not fit the tokens of the spaCy ``doc``: one sentence per boundary
    that is not a token boundary, naming the token concerned; ``[]`` when both are. ``starts``: the tokens' start
    offsets, when already known (computing them takes a pass over the doc)."""
    starts = [token.idx for token in doc] if starts is None else starts
    faults = []
    index = bisect.bisect_right(starts, start) - 1
    if index >= 0 and starts[index] != start:
        token = doc[index]
        where = "inside" if start < token.idx + len(token.text) else "in the space after"
        faults.append(f"its start (code point {start}) falls {where} {_token_place(doc, index)}")
    index = bisect.bisect_left(starts, end) - 1
    if index >= 0:
        token = doc[index]
        token_end = token.idx + len(token.text)
        if end < token_end:
            faults.append(f"its end (code point {end}) falls inside {_token_place(doc, index)}")
        elif end > token_end:
            faults.append(f"its end (code point {end}) takes in part of the space after {_token_place(doc, index)}")
    return faults


def _problem(record: DocumentRecord, span: Span, kind: ProblemKind, reason: str) -> Problem:
    return Problem(record.key, span.start, span.end, span.label, span.text, kind, reason)


def _aligned(
    doc: Any, record: DocumentRecord, span: Span, snap: bool, problems: list[Problem], starts: list[int]
) -> Any:
    """The spaCy span for ``span`` trimmed of the whitespace at its edges (``None`` when it does not fit the tokens),
    reporting misaligned, snapped and trimmed. ``starts`` caches the tokens' start offsets: filled on the first
    misaligned span."""
    trimmed = trim(span)
    if trimmed is None:
        problems.append(_problem(record, span, "misaligned", f"{ONLY_WHITESPACE}; left out of doc.spans and doc.ents"))
        return None
    start, end = trimmed.start, trimmed.end
    strict = doc.char_span(start, end, label=span.label, kb_id=span.entity, span_id=span.id, alignment_mode="strict")
    if strict is not None:
        if trimmed is not span:
            problems.append(_problem(record, span, "trimmed", trimmed_reason(span, trimmed)))
        return strict
    if not starts:
        starts.extend(token.idx for token in doc)
    faults = "; ".join(boundary_faults(doc, start, end, starts)) or "it does not fit spaCy's tokens"
    if trimmed is not span:
        faults = f"{trim_note(span, trimmed)}, and without it {faults}"
    if snap:
        snapped = doc.char_span(
            start, end, label=span.label, kb_id=span.entity, span_id=span.id, alignment_mode="expand"
        )
        if snapped is not None and len(snapped) > 0:
            reason = (
                f"{faults}; snapped to the spaCy token boundaries [{snapped.start_char}, {snapped.end_char}) "
                f"{_shown(snapped.text, 60)}"
            )
            problems.append(_problem(record, span, "snapped", reason))
            return snapped
        faults += "; it covers no token, so it cannot be snapped"
    problems.append(_problem(record, span, "misaligned", f"{faults}; left out of doc.spans and doc.ents"))
    return None


def annotate_doc(doc: Any, record: DocumentRecord, options: ExportOptions, problems: list[Problem]) -> None:
    """Fill ``doc.spans["sc"]``, ``doc.ents`` and ``doc.user_data`` of the spaCy ``doc`` made from ``record.text``
    (see the module docstring), appending the problems met to ``problems``.

    Raises
    ------
    OverlapError
        With the overlap policy ``"error"`` when aligned spans overlap.
    """
    pairs: list[tuple[Span, Any, Any]] = []  # (record span, its span as aligned (offsets snapped), spaCy span)
    starts: list[int] = []
    for span in record.spans:
        spacy_span = _aligned(doc, record, span, options.snap, problems, starts)
        if spacy_span is None:
            continue
        start, end = spacy_span.start_char, spacy_span.end_char
        moved = (
            span
            if (start, end) == (span.start, span.end)
            else span.model_copy(update={"start": start, "end": end, "text": record.text[start:end]})
        )
        pairs.append((span, moved, spacy_span))
    doc.spans[SPAN_KEY] = [spacy_span for _span, _moved, spacy_span in pairs]
    kept, dropped = resolve_overlaps([moved for _span, moved, _s in pairs], options.overlap, record.key)
    by_moved = {id(moved): (span, spacy_span) for span, moved, spacy_span in pairs}
    doc.ents = [by_moved[id(moved)][1] for moved in kept]
    for moved, blocker in dropped:
        reason = (
            f"left out of doc.ents, which cannot hold overlapping spans: it overlaps the {blocker.label} span "
            f"[{blocker.start}, {blocker.end}) {_shown(blocker.text, 40)} (overlap policy {options.overlap!r}); "
            f"kept in doc.spans[{SPAN_KEY!r}]"
        )
        problems.append(_problem(record, by_moved[id(moved)][0], "dropped", reason))
    in_sc = {id(span): index for index, (span, _moved, _s) in enumerate(pairs)}
    in_ents = {id(by_moved[id(moved)][0]) for moved in kept}
    doc.user_data.update(user_data(record, in_sc, in_ents))
    doc.cats.update(document_cats(record))


def document_cats(record: DocumentRecord) -> dict[str, float]:
    """The ``doc.cats`` of ``record``'s document labels (module docstring): ``"<name>=<value>"`` -> ``1.0`` for each
    value chosen, ``0.0`` for each other value the label set gives that label."""
    cats: dict[str, float] = {}
    for name, value in record.document_labels.items():
        chosen = value if isinstance(value, list) else [value]
        label = record.label_set.document_label(name) if record.label_set is not None else None
        for option in [*(label.values if label is not None else ()), *chosen]:
            cats[f"{name}={option}"] = 1.0 if option in chosen else 0.0
    return cats


def user_data(record: DocumentRecord, in_sc: dict[int, int], in_ents: set[int]) -> dict[str, Any]:
    """The ``doc.user_data`` entries of ``record`` (shape in the module docstring); ``in_sc`` maps ``id(span)`` to
    its index in ``doc.spans["sc"]``, ``in_ents`` holds ``id(span)`` of the spans in ``doc.ents``."""
    spans = []
    for span in record.spans:
        item: dict[str, Any] = {
            "id": span.id,
            "start": span.start,
            "end": span.end,
            "label": span.label,
            "sc": in_sc.get(id(span)),
            "ent": id(span) in in_ents,
        }
        if span.note:
            item["note"] = span.note
        if span.uncertain:
            item["uncertain"] = True
        if span.attributes:
            item["attributes"] = dict(span.attributes)
        if span.entity:
            item["entity"] = span.entity
        if span.origin != "manual":
            item["origin"] = span.origin
            item["suggester"] = span.suggester
            if span.score is not None:
                item["score"] = span.score
        spans.append(item)
    data: dict[str, Any] = {
        "id": record.id,
        "annotator": record.annotator,
        "meta": dict(record.meta),
        "spans": spans,
        "relations": [_relation(r) for r in record.relations],
    }
    if record.document_labels:
        data["document_labels"] = {k: list(v) if isinstance(v, list) else v for k, v in record.document_labels.items()}
    if record.suggestions:
        data["suggestions"] = [
            {
                "id": s.id,
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "score": s.score,
                "suggester": s.suggester,
                "reason": s.reason,
            }
            for s in record.suggestions
        ]
    if record.rejected:
        data["rejected_suggestions"] = [
            {"start": r.start, "end": r.end, "label": r.label, "suggester": r.suggester} for r in record.rejected
        ]
    return data


def _relation(relation: Relation) -> dict[str, Any]:
    item: dict[str, Any] = {"id": relation.id, "type": relation.type, "from": relation.from_, "to": relation.to}
    if relation.attributes:
        item["attributes"] = dict(relation.attributes)
    return item


def blank_pipeline(lang: str, out: Path) -> Any:
    """``spacy.blank(lang)``.

    Raises
    ------
    FileFault
        Naming ``out``, if spaCy is not installed or has no usable blank pipeline for ``lang``.
    """
    try:
        import spacy
    except ImportError as error:
        raise FileFault(out, MISSING_SPACY) from error
    try:
        return spacy.blank(lang)
    except Exception as error:  # ImportError for unknown codes or missing tokenizer libraries, registry errors
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        detail = detail if len(detail) <= 200 else detail[:199] + "…"
        raise FileFault(
            out,
            f"spaCy cannot tokenize the language code {lang!r} ({detail}); use a code spaCy supports, such as "
            "'en', 'de', 'fr', 'zh', or 'xx' (multi-language)",
        ) from error


def write_spacy(records: Iterable[DocumentRecord], out: Path, options: ExportOptions) -> ExportReport:
    """Write ``records`` to the DocBin file ``out`` (``.spacy``) as described in the module docstring.

    Returns
    -------
    ExportReport
        ``files == [out]``; ``spans`` counts the spans written to ``doc.spans["sc"]`` (snapped ones included);
        ``problems`` lists misaligned, snapped, trimmed and dropped (left out of ``doc.ents``) spans.

    Raises
    ------
    FileFault
        If spaCy is not installed, the language code is unknown, a record's ``meta`` cannot be stored in
        ``doc.user_data``, or the file cannot be written (an existing ``out`` is left as it was).
    OverlapError
        With ``options.overlap == "error"`` when spans that fit the tokens overlap (nothing is written).
    """
    out = Path(out)
    nlp = blank_pipeline(options.spacy_lang, out)
    from spacy.tokens import DocBin  # importable once spacy.blank worked

    report = ExportReport(FORMAT_NAME)
    doc_bin = DocBin(store_user_data=True)
    for record in records:
        doc = nlp.make_doc(record.text)
        if doc.text != record.text:  # spaCy's tokenizer is non-destructive; checked all the same
            raise FileFault(out, f"record {record.key}: spaCy's tokenizer changed the text; nothing was written")
        annotate_doc(doc, record, options, report.problems)
        try:
            doc_bin.add(doc)
        except (TypeError, ValueError) as error:
            raise FileFault(
                out, f"record {record.key}: its meta cannot be stored in doc.user_data ({error})"
            ) from error
        report.documents += 1
        report.spans += len(doc.spans[SPAN_KEY])
    make_folder(out.parent)
    atomic_write_bytes(out, doc_bin.to_bytes())
    report.files.append(out)
    return report
