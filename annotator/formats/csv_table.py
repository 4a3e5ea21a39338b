"""CSV export: one row per span, for spreadsheets and data-frame tools (export only).

The table (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180, written with Python's :mod:`csv` module)::

    document,annotator,span_id,start,end,label,text,note,uncertain,origin,suggester,score
    "news/a","alice","s1",0,8,"actor","Sullivan","","false","suggestion","string-match",0.75
    "news/a","alice","s2",9,21,"warning","warned
    China","cue verb?","true","manual","",

- Rows are ``"\\r\\n"``-terminated (RFC 4180); every text cell is quoted, numbers are not, a ``"`` inside a cell is
  doubled. A line break inside a span's text or note (CR LF, lone CR, LF, U+2028...) is kept exactly inside its
  quoted cell, so a CSV reader (``csv.reader`` on a file opened with ``newline=""``, pandas, R) gets it back.
- ``start``/``end`` are Unicode code points into the document's text, half-open; ``text`` is exactly
  ``document_text[start:end]``. ``uncertain`` is ``true`` or ``false``. ``origin`` is ``manual``, ``suggestion``
  or ``suggestion-edited``; ``suggester`` and ``score`` (0 to 1) are empty for manual spans. A document without
  spans has no row; the document texts, links (relations) and ``meta`` are not in the table (links are reported
  as ``not_exported``).
- After ``score``: one column per span attribute (the label set's, in its order, then any other a span carries;
  a name clashing with a column above is written ``attribute_<name>``): the span's value (``true``/``false`` for a
  bool), else the attribute's default where it applies to the span's label, else empty; then ``entity`` (the
  span's entity id, or empty). Document labels go to a second file, ``<name>.document_labels.csv`` (columns
  ``document,annotator,label,value``, one row per value), written when any document has one; the export report
  lists it. Link attributes are not in the table (links are reported).
- Encoding: UTF-8 **with** a BOM by default, because Excel opens a BOM-less CSV as the legacy ANSI code page
  (emoji, CJK, Arabic and curly quotes turn to mojibake); pandas and R drop the BOM, Python reads it with
  ``encoding="utf-8-sig"``. ``bom=False`` writes plain UTF-8.
- Values are never changed by default. Spreadsheets run a cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR
  as a formula (CSV injection, https://owasp.org/www-community/attacks/CSV_Injection) and reformat cells that look
  like numbers or dates: open untrusted exports with Data > From Text/CSV and text columns, or pass
  ``guard_formulas=True``, which prefixes such cells with one ``'`` (the data then differs from the documents by
  that character; documented, never done silently).
"""

from __future__ import annotations

import contextlib
import csv
import io
import pickle
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from annotator.formats.files import make_folder, write_text
from annotator.formats.options import ExportOptions
from annotator.formats.records import DocumentRecord
from annotator.formats.report import ExportReport, Problem
from annotator.io.atomic import atomic_writer
from annotator.io.errors import FileFault
from annotator.model.labels import Attribute
from annotator.model.span import Span

FORMAT_NAME = "csv"
HEADER = (
    "document", "annotator", "span_id", "start", "end", "label", "text", "note", "uncertain", "origin", "suggester",
    "score",
)  # fmt: skip
ENTITY_COLUMN = "entity"
#: The columns of the document labels file (one row per value).
LABELS_HEADER = ("document", "annotator", "label", "value")
BOM = "\ufeff"

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guarded(value: str) -> str:
    """``value`` with a ``'`` in front when it starts like a formula (:data:`FORMULA_STARTS`), else unchanged."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def span_row(record: DocumentRecord, span: Span, guard_formulas: bool = False) -> list[str | int | float]:
    """The row of ``span``: the cells of :data:`HEADER`, text cells guarded when ``guard_formulas``."""
    texts = [record.id, record.annotator, span.id]
    tail = [span.label, span.text, span.note]
    if guard_formulas:
        texts, tail = [guarded(v) for v in texts], [guarded(v) for v in tail]
    score: str | float = "" if span.score is None else span.score
    origin: list[str | float] = [span.origin, guarded(span.suggester) if guard_formulas else span.suggester, score]
    return [*texts, span.start, span.end, *tail, "true" if span.uncertain else "false", *origin]


def link_problems(record: DocumentRecord) -> list[Problem]:
    """One ``not_exported`` problem per span of ``record`` that links to others (the links it starts), in span
    order: the CSV table has no link columns."""
    spans = {span.id: span for span in record.spans}
    links: dict[str, list[str]] = {}
    for relation in record.relations:
        target = spans.get(relation.to)
        if relation.from_ in spans and target is not None:
            links.setdefault(relation.from_, []).append(
                f"{relation.type} {relation.id} to {target.label} [{target.start}, {target.end}) {target.text!r}"
            )
    return [
        Problem(
            document=record.key,
            start=span.start,
            end=span.end,
            label=span.label,
            text=span.text,
            kind="not_exported",
            reason=f"its links are not written (the table has no link columns): {'; '.join(links[span.id])}",
        )
        for span in record.spans
        if span.id in links
    ]


def write_csv(
    records: Iterable[DocumentRecord],
    out: Path,
    options: ExportOptions,
    *,
    bom: bool = True,
    guard_formulas: bool = False,
) -> ExportReport:
    """Write the spans of ``records`` to the CSV file ``out``, one row per span (format in the module docstring).

    Parameters
    ----------
    records: consumed one at a time; rows follow their order, spans in record order.
    out: the ``.csv`` file; its folder is created.
    options: not used (a table holds overlapping spans and has no tokens).
    bom: start the file with a UTF-8 BOM (the default, for Excel).
    guard_formulas: prefix text cells that start like a formula with ``'`` (changes those cells; off by default).

    Returns
    -------
    ExportReport
        ``files == [out]``, records and spans written, and a ``not_exported`` problem per span that starts links.

    Raises
    ------
    FileFault
        If the folder or file cannot be written (an existing ``out`` is left as it was).
    """
    del options  # nothing to choose: every span is one row
    out = Path(out)
    report = ExportReport(FORMAT_NAME)
    attributes: dict[str, Attribute | None] = {}  # column name -> the label set's attribute, when known
    make_folder(out.parent)
    # The header names every attribute of every record, so the rows wait in a temporary file (pickled, one per
    # span, without the attribute cells, which need the attributes of later records) instead of in memory.
    with _spool(out) as rows, _spool(out) as label_rows:
        labels = 0
        for record in records:
            if record.label_set is not None:
                for attribute in record.label_set.attributes:
                    if attribute.on == "span":
                        attributes.setdefault(attribute.name, attribute)
            for span in record.spans:
                pickle.dump((span_row(record, span, guard_formulas), span.label, span.attributes, span.entity), rows)
                for name in span.attributes:
                    attributes.setdefault(name, None)
            for name, value in record.document_labels.items():
                for v in value if isinstance(value, list) else [value]:
                    pickle.dump([record.id, record.annotator, name, v], label_rows)
                    labels += 1
            report.documents += 1
            report.spans += len(record.spans)
            report.problems.extend(link_problems(record))
        columns = [name if name not in HEADER and name != ENTITY_COLUMN else f"attribute_{name}" for name in attributes]
        header = [*HEADER, *columns, ENTITY_COLUMN]
        with atomic_writer(out) as file:
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
            buffer.write(BOM if bom else "")
            if all(name.isascii() and name.replace("_", "").isalnum() for name in header):
                buffer.write(",".join(header) + "\r\n")  # plain names: no quotes needed
            else:
                writer.writerow(header)
            for row, label, values, entity in _unspooled(rows, report.spans):
                cells = [attribute_cell(label, values, name, attribute) for name, attribute in attributes.items()]
                if guard_formulas:
                    cells = [guarded(cell) for cell in cells]
                writer.writerow([*row, *cells, entity])
                if buffer.tell() > _PIECE:
                    _write_piece(file, out, buffer)
            _write_piece(file, out, buffer)
        report.files.append(out)
        if labels:
            labels_out = document_labels_path(out)
            with atomic_writer(labels_out) as file:
                table = io.StringIO(newline="")
                labels_writer = csv.writer(table, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
                table.write(BOM if bom else "")
                labels_writer.writerow(LABELS_HEADER)
                for label_row in _unspooled(label_rows, labels):
                    labels_writer.writerow([guarded(c) for c in label_row] if guard_formulas else label_row)
                    if table.tell() > _PIECE:
                        _write_piece(file, labels_out, table)
                _write_piece(file, labels_out, table)
            report.files.append(labels_out)
    return report


_PIECE = 1 << 16  # characters of rows written to the file at a time


@contextlib.contextmanager
def _spool(out: Path) -> Iterator[BinaryIO]:
    """A temporary file (removed on closing) for rows waiting for the header; ``FileFault`` naming ``out`` when it
    cannot be made, written or read."""
    try:
        with tempfile.TemporaryFile() as file:
            yield file
    except OSError as error:
        reason = error.strerror or str(error)
        raise FileFault(out, f"could not save ({reason}); the previous file, if any, is unchanged") from error


def _unspooled(file: BinaryIO, count: int) -> Iterator[Any]:
    file.seek(0)
    for _ in range(count):
        yield pickle.load(file)


def _write_piece(file: BinaryIO, out: Path, buffer: io.StringIO) -> None:
    write_text(file, out, buffer.getvalue())
    buffer.seek(0)
    buffer.truncate()


def document_labels_path(out: Path) -> Path:
    """The file beside ``out`` holding the document labels: ``spans.csv`` -> ``spans.document_labels.csv``."""
    return out.with_name(out.stem + ".document_labels.csv")


def attribute_cell(label: str, values: Mapping[str, object], name: str, attribute: Attribute | None) -> str:
    """The cell of attribute ``name`` of a span labeled ``label`` with attribute ``values``: its value (a bool as
    ``true``/``false``), else the attribute's default when it applies to ``label``, else ``""``."""
    value: object = values.get(name)
    if value is None and attribute is not None and attribute.applies_to(label):
        value = attribute.default_value()
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
