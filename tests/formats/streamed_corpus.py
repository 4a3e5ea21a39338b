"""A multi-document, two-annotator export corpus (as a project gives it: annotator by annotator), for the tests that
streamed exports write what the all-at-once writers wrote. ``python -m tests.formats.streamed_corpus FOLDER`` writes
every format's export of it into FOLDER (tests/data/streamed_exports/ holds the output of the writers before they
streamed, commit 7aa9e07)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from annotator.formats.records import DocumentRecord
from annotator.model.span import Span
from tests.formats.support import LABELS, linked_record, trap_records

#: Format name -> the output path's name under the folder (hf writes a folder).
OUTPUTS = {
    "csv": "out.csv",
    "conll": "out.conll",
    "doccano": "out.doccano.jsonl",
    "label-studio": "out.label_studio.json",
    "hf": "hf",
}


def streamed_corpus() -> list[DocumentRecord]:
    """Trap-corpus records with a label set, attributes, document labels and a link, by annotators ``ann`` then
    ``bob`` (the same documents, a span fewer here and there, ``bob`` with an extra label met late), then a
    document nobody annotated."""
    base = [*trap_records()[:14], linked_record()]
    records = []
    for name in ("ann", "bob"):
        for n, record in enumerate(base):
            spans = list(record.spans)
            if name == "bob" and spans and n % 3 == 0:
                spans = spans[1:]
            spans = [
                span.model_copy(update={"attributes": {"kind": "person"}})
                if span.label == "actor" and (n + len(name)) % 2
                else span
                for span in spans
            ]
            if name == "bob" and n == len(base) - 2 and len(record.text) > 3:
                spans.append(Span(id="late", start=0, end=2, label="rumour", text=record.text[:2]))
            ids = {span.id for span in spans}
            relations = tuple(r for r in record.relations if r.from_ in ids and r.to in ids)
            records.append(
                replace(
                    record,
                    annotator=name,
                    spans=tuple(sorted(spans, key=lambda s: s.sort_key)),
                    relations=relations,
                    label_set=LABELS if n % 4 else None,
                    document_labels={"relevance": "relevant"} if n % 2 else {},
                )
            )
    records.append(DocumentRecord(id="unannotated", text="Nobody read this.\n", annotated=False))
    return records


def write_all(folder: Path) -> None:
    """Every format's export of :func:`streamed_corpus` into ``folder``."""
    from annotator.formats.exporting import export
    from annotator.formats.options import ExportOptions
    from annotator.formats.registry import get_format

    for fmt, name in OUTPUTS.items():
        export(get_format(fmt), iter(streamed_corpus()), folder / name, ExportOptions())


if __name__ == "__main__":
    write_all(Path(sys.argv[1]))
