"""Running an export: the format's writer, plus what no format can hold (orphaned spans), reported."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.formats.options import ExportOptions
from annotator.formats.records import ACTIVE_KEY, SHOWN_KEY, DocumentRecord
from annotator.formats.registry import SUGGESTION_PARTS, Format
from annotator.formats.report import ExportReport, Problem, count


def export(fmt: Format, records: Iterable[DocumentRecord], out: Path, options: ExportOptions) -> ExportReport:
    """Write ``records`` with ``fmt`` to ``out`` and return its report, with one ``"orphaned"`` problem added per
    orphaned span of the records (spans that could not be placed after their text changed: offsets into the old
    text, kept in the annotation file, listed under View → Orphaned Spans in the app),
    :attr:`ExportReport.unannotated` set to the number of records nobody annotated, and one
    :attr:`ExportReport.notes` line per record whose metadata the format cannot hold (``fmt.holds_metadata``), and
    one :attr:`ExportReport.left_out` line, with counts, when the records hold parts of suggestions the format cannot
    (``fmt.holds``; see :func:`left_out_line`). For the parts of annotations ``fmt`` cannot hold
    (:data:`~annotator.formats.registry.ANNOTATION_PARTS` missing from ``fmt.holds``): one ``"not_exported"``
    problem per span whose attribute values or entity are left out (:func:`unheld_parts`) and one
    :attr:`ExportReport.notes` line per record whose document labels are (counted in
    :attr:`ExportReport.labels_left_out`), giving the record's line when ``fmt.one_line_per_record``.

    Raises
    ------
    FileFault, OverlapError
        As :meth:`Format.write` does.
    """
    orphans: list[Problem] = []
    notes: list[str] = []
    unheld: list[Problem] = []
    labels_left_out = 0
    unannotated = 0
    written = 0  # records so far: the line of the record in one-line-per-record formats
    found = dict.fromkeys(SUGGESTION_PARTS, 0)

    def noting_orphans(items: Iterable[DocumentRecord]) -> Iterator[DocumentRecord]:
        nonlocal unannotated, labels_left_out, written
        for record in items:
            written += 1
            unannotated += not record.annotated
            line = written if fmt.one_line_per_record else None
            unheld.extend(unheld_parts(fmt, record, line))
            note = unheld_labels_note(fmt, record, line)
            if note:
                notes.append(note)
                labels_left_out += 1
            for part, number in suggestion_parts(record).items():
                found[part] += number
            if record.metadata and not fmt.holds_metadata:
                keys = ", ".join(map(repr, record.metadata))
                notes.append(f"{record.key}: its metadata ({keys}) is not exported: {fmt.title} has no room for it")
            for orphan in record.orphans:
                span = orphan.span
                reason = (
                    f"not placed after the text changed ({orphan.reason or 'it could not be placed'}); its offsets "
                    "are into the old text, so it is not exported; place it again in the app (View → Orphaned Spans)"
                )
                orphans.append(Problem(record.key, span.start, span.end, span.label, span.text, "orphaned", reason))
            yield record

    report = fmt.write(noting_orphans(records), out, options)
    report.problems.extend(orphans)
    report.problems.extend(unheld)
    report.unannotated = unannotated
    report.notes.extend(notes)
    report.labels_left_out += labels_left_out
    line = left_out_line(fmt, found)
    if line:
        report.left_out.append(line)
    return report


def _values(values: dict[str, object]) -> str:
    return ", ".join(f"{name}={value!r}" for name, value in values.items())


def _on_line(fmt: Format, line: int | None) -> str:
    return f" (the record is line {line} of the {fmt.title} file)" if line is not None else ""


def unheld_parts(fmt: Format, record: DocumentRecord, line: int | None = None) -> list[Problem]:
    """One ``"not_exported"`` problem per span of ``record`` whose attribute values or entity ``fmt`` cannot hold
    (``"attributes"``/``"entities"`` missing from ``fmt.holds``), its :attr:`Problem.parts` naming them, e.g. reason
    ``"its attributes (kind='person') and its entity 'e1' are left out: CoNLL (IOB tags) has no room for them"``;
    ``line``, when given, is the record's line in the file written, named in the reason."""
    problems = []
    for span in record.spans:
        parts, what = [], []
        if span.attributes and "attributes" not in fmt.holds:
            parts.append("attributes")
            what.append(f"its attributes ({_values(dict(span.attributes))})")
        if span.entity and "entities" not in fmt.holds:
            parts.append("entities")
            what.append(f"its entity {span.entity!r} (the actor it is a mention of)")
        if parts:
            verb = "are" if len(what) > 1 or parts == ["attributes"] else "is"
            reason = f"{' and '.join(what)} {verb} left out: {fmt.title} has no room for them{_on_line(fmt, line)}"
            problems.append(
                Problem(record.key, span.start, span.end, span.label, span.text, "not_exported", reason, tuple(parts))
            )
    return problems


def unheld_labels_note(fmt: Format, record: DocumentRecord, line: int | None = None) -> str:
    """The :attr:`ExportReport.notes` line saying ``record``'s document labels are not exported, e.g.
    ``"news/a@alice: its document labels (relevance='relevant') are not exported: CoNLL (IOB tags) has no room for
    them"``; ``""`` when it has none or ``fmt`` holds them."""
    if not record.document_labels or "document_labels" in fmt.holds:
        return ""
    shown = _values(dict(record.document_labels))
    return f"{record.key}: its document labels ({shown}) are not exported: {fmt.title} has no room for them" + _on_line(
        fmt, line
    )


def suggestion_parts(record: DocumentRecord) -> dict[str, int]:
    """How much of each part of suggestions (:data:`~annotator.formats.registry.SUGGESTION_PARTS`) ``record``
    holds: spans accepted from suggestions (``"origins"`` and ``"suggesters"``), pending and rejected suggestions,
    and 1 for ``"effort"`` when its meta says suggestions were shown or gives an active time."""
    accepted = sum(span.origin != "manual" for span in record.spans)
    return {
        "origins": accepted,
        "suggesters": accepted,
        "suggestions": len(record.suggestions),
        "rejected": len(record.rejected),
        "effort": int(SHOWN_KEY in record.meta or ACTIVE_KEY in record.meta),
    }


def left_out_line(fmt: Format, found: dict[str, int]) -> str:
    """One plain-text line naming, with counts, the parts of suggestions in ``found`` (counts by part) that ``fmt``
    cannot hold, e.g. ``"not exported (CoNLL (IOB tags) has no room for them): the origin of 3 spans accepted from
    suggestions (written as if made by hand), 5 pending suggestions"``; ``""`` when it holds all of them."""
    missing = [part for part in SUGGESTION_PARTS if found.get(part) and part not in fmt.holds]
    if "origins" in missing and "suggesters" in missing:
        missing.remove("suggesters")  # named with the origin
    words = {
        "origins": lambda n: f"the origin of {count(n, 'span')} accepted from suggestions (written as if made by hand)",
        "suggesters": lambda n: f"the suggester and score of {count(n, 'span')} accepted from suggestions",
        "suggestions": lambda n: count(n, "pending suggestion"),
        "rejected": lambda n: count(n, "rejected suggestion"),
        "effort": lambda n: f"whether suggestions were shown and the active time of {count(n, 'document')}",
    }
    if not missing:
        return ""
    return f"not exported ({fmt.title} has no room for them): " + ", ".join(words[p](found[p]) for p in missing)
