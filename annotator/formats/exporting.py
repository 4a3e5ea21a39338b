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
    (``fmt.holds``; see :func:`left_out_line`).

    Raises
    ------
    FileFault, OverlapError
        As :meth:`Format.write` does.
    """
    orphans: list[Problem] = []
    notes: list[str] = []
    unannotated = 0
    found = dict.fromkeys(SUGGESTION_PARTS, 0)

    def noting_orphans(items: Iterable[DocumentRecord]) -> Iterator[DocumentRecord]:
        nonlocal unannotated
        for record in items:
            unannotated += not record.annotated
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
    report.unannotated = unannotated
    report.notes.extend(notes)
    line = left_out_line(fmt, found)
    if line:
        report.left_out.append(line)
    return report


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
