"""CSV export: RFC 4180 rows that a CSV reader turns back into exactly the spans' texts, never reformatted."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from annotator.formats.csv_table import ENTITY_COLUMN, HEADER, LABELS_HEADER, document_labels_path, write_csv
from annotator.formats.options import ExportOptions
from annotator.formats.records import DocumentRecord
from annotator.model.span import Span
from tests.formats.support import linked_record, spans_of, trap_records

TRAPS = '=SUM(A1)\r\n"quoted", a,b\tc\u2028d\xa0e\x85f\rg\n+1 -2 @x\ttab  '


def trap_cell_record() -> DocumentRecord:
    """Spans whose texts are CSV and spreadsheet traps: formulas, CR LF, quotes, commas, tabs, U+2028, NBSP, NEL,
    lone CR, trailing spaces."""
    text = TRAPS
    items = [(0, len(text), "claim"), (0, 8, "actor"), (8, 20, "claim"), (10, 18, "actor"), (20, 34, "claim")]
    items += [(text.index("+1"), text.index("+1") + 2, "actor"), (text.index("-2"), len(text), "warning")]
    items += [(text.index("@x"), text.index("@x") + 2, "actor"), (text.index("\ttab"), len(text), "denial")]
    spans = list(spans_of(text, *items))
    spans[0] = spans[0].model_copy(update={"note": '=HYPERLINK("x")\r\nsecond line', "uncertain": True})
    return DocumentRecord("traps/cells", text, tuple(spans), annotator="=cmd|' /C calc'!A0")


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_every_span_text_reads_back_exactly(tmp_path):
    records = [*trap_records(), linked_record(), trap_cell_record()]
    out = tmp_path / "out" / "spans.csv"

    report = write_csv(records, out, ExportOptions())

    assert report.files == [out]
    assert report.documents == len(records)
    assert report.spans == sum(len(r.spans) for r in records)
    rows = read_rows(out)
    assert tuple(rows[0]) == (*HEADER, ENTITY_COLUMN)
    expected = [
        [
            *(r.id, r.annotator, s.id, str(s.start), str(s.end), s.label, s.text, s.note),
            *("true" if s.uncertain else "false", s.origin, s.suggester, "" if s.score is None else str(s.score)),
            s.entity,
        ]
        for r in records
        for s in r.spans
    ]
    assert rows[1:] == expected
    for record, row in zip([r for r in records for _ in r.spans], rows[1:], strict=True):
        assert record.text[int(row[3]) : int(row[4])] == row[6]


def test_bytes_bom_quoting_and_line_ends(tmp_path):
    out = tmp_path / "spans.csv"
    write_csv([trap_cell_record()], out, ExportOptions())
    data = out.read_bytes()

    assert data.startswith(
        b"\xef\xbb\xbfdocument,annotator,span_id,start,end,label,text,note,uncertain,origin,suggester,score,entity\r\n"
    )
    assert b'"traps/cells","=cmd|\' /C calc\'!A0","s1",0,' in data  # text quoted, numbers not
    assert b'""quoted""' in data  # quotes doubled
    assert b"=SUM(A1)\r\n" in data  # values unchanged: no guard, no line-end translation


def test_without_bom_the_file_is_plain_utf8(tmp_path):
    out = tmp_path / "spans.csv"
    write_csv([linked_record()], out, ExportOptions(), bom=False)
    data = out.read_bytes()
    assert data.startswith(b"document,")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0][0] == "document"
    assert "warned China\r\nof consequences" in [row[6] for row in rows]


def test_guard_formulas_prefixes_formula_like_cells_only_when_asked(tmp_path):
    out = tmp_path / "guarded.csv"
    record = trap_cell_record()
    write_csv([record], out, ExportOptions(), guard_formulas=True)
    rows = read_rows(out)[1:]

    for span, row in zip(record.spans, rows, strict=True):
        risky = span.text.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert row[6] == ("'" + span.text if risky else span.text)
        assert row[3:5] == [str(span.start), str(span.end)]
    assert rows[0][1] == "'=cmd|' /C calc'!A0"
    assert rows[0][7] == "'" + record.spans[0].note


def test_links_are_reported_not_exported(tmp_path):
    report = write_csv([linked_record()], tmp_path / "spans.csv", ExportOptions())

    assert report.lost == []
    assert [(p.document, p.start, p.end, p.label, p.kind) for p in report.problems] == [
        ("news/linked@alice", 9, 38, "warning", "not_exported"),
        ("news/linked@alice", 52, 54, "denial", "not_exported"),
    ]
    assert "source r1 to actor [0, 8) 'Sullivan'; target r2 to actor [16, 21) 'China'" in report.problems[0].reason


def test_document_without_spans_has_no_row(tmp_path):
    out = tmp_path / "spans.csv"
    report = write_csv([DocumentRecord("empty", "No spans here.")], out, ExportOptions())
    assert report.documents == 1 and report.spans == 0
    assert read_rows(out) == [[*HEADER, ENTITY_COLUMN]]


def test_span_model_fields_are_all_in_the_table():
    # attributes get a column each (see test_attribute_and_entity_columns_and_the_document_labels_file)
    assert set(Span.model_fields) - {"start", "end", "id", "attributes"} <= {*HEADER, ENTITY_COLUMN}


def test_origin_suggester_and_score_columns(tmp_path):
    from annotator.model.span import Span

    accepted = Span(
        id="s1",
        start=0,
        end=8,
        label="actor",
        text="Sullivan",
        origin="suggestion",
        suggester="string-match",
        score=0.75,
    )
    manual = Span(id="s2", start=9, end=15, label="claim", text="warned")
    record = DocumentRecord(id="a", text="Sullivan warned.", spans=(accepted, manual), annotator="alice")
    out = tmp_path / "spans.csv"
    write_csv([record], out, ExportOptions())
    rows = read_rows(out)
    assert rows[1][-4:-1] == ["suggestion", "string-match", "0.75"]
    assert rows[2][-4:-1] == ["manual", "", ""]


def test_attribute_and_entity_columns_and_the_document_labels_file(tmp_path):
    from dataclasses import replace

    from tests.formats.test_jsonl_attributes import RICH, enriched

    records = [replace(enriched(r), label_set=RICH) for r in [linked_record(), *trap_records()[:3]]]
    out = tmp_path / "spans.csv"

    report = write_csv(records, out, ExportOptions())

    rows = read_rows(out)
    names = [a.name for a in RICH.attributes if a.on == "span"]
    assert rows[0] == [*HEADER, *names, ENTITY_COLUMN]
    cells = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    spans = [s for r in records for s in r.spans]
    assert [c["gloss"] for c in cells] == [s.text for s in spans]  # line breaks kept in the quoted cell
    assert [c["kind"] for c in cells] == ["person" if s.label == "actor" else "" for s in spans]
    assert [c["quote"] for c in cells] == ["" if s.label == "actor" else "mixed" for s in spans]
    assert [c[ENTITY_COLUMN] for c in cells] == [s.entity for s in spans]
    labels = document_labels_path(out)
    assert report.files == [out, labels]
    expected = [list(LABELS_HEADER)]
    for record in records:
        expected += [
            [record.id, record.annotator, "relevance", "relevant"],
            [record.id, record.annotator, "topics", "war"],
            [record.id, record.annotator, "topics", "🙂 other"],
        ]
    assert read_rows(labels) == expected
