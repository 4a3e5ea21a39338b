"""Running an export: the format's writer, plus what no format can hold (orphaned spans), reported."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.formats.options import ExportOptions
from annotator.formats.records import DocumentRecord
from annotator.formats.registry import Format
from annotator.formats.report import ExportReport, Problem


def export(fmt: Format, records: Iterable[DocumentRecord], out: Path, options: ExportOptions) -> ExportReport:
    """Write ``records`` with ``fmt`` to ``out`` and return its report, with one ``"orphaned"`` problem added per
    orphaned span of the records (spans that could not be placed after their text changed: offsets into the old
    text, kept in the annotation file, listed under View → Orphaned Spans in the app),
    :attr:`ExportReport.unannotated` set to the number of records nobody annotated, and one
    :attr:`ExportReport.notes` line per record whose metadata the format cannot hold (``fmt.holds_metadata``).

    Raises
    ------
    FileFault, OverlapError
        As :meth:`Format.write` does.
    """
    orphans: list[Problem] = []
    notes: list[str] = []
    unannotated = 0

    def noting_orphans(items: Iterable[DocumentRecord]) -> Iterator[DocumentRecord]:
        nonlocal unannotated
        for record in items:
            unannotated += not record.annotated
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
    return report
