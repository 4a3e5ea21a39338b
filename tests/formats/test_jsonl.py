"""JSONL export and import: exact round trip of the unicode traps, notes, uncertain marks and links; bad lines and
bad spans rejected one by one with their line numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.formats.checking import check_record
from annotator.formats.jsonl import read_jsonl, write_jsonl
from annotator.formats.options import ExportOptions
from annotator.formats.parsed import UNCERTAIN_KEY, ParsedRecord, RecordFault
from annotator.formats.records import DocumentRecord
from annotator.io.errors import FileFault
from tests.formats.support import LABELS, linked_record, read_checked, trap_records


def marked_records() -> list[DocumentRecord]:
    """The trap records and the linked record, with a note and an uncertain mark on the first span of each."""
    records = []
    for record in [*trap_records(), linked_record()]:
        first, *rest = record.spans
        first = first.model_copy(update={"uncertain": True, "note": first.note or "check\r\nthis\u2028one"})
        records.append(
            DocumentRecord(record.id, record.text, (first, *rest), record.relations, record.annotator, record.meta)
        )
    return records


def span_facts(record: DocumentRecord) -> list[tuple]:
    return [(s.id, s.start, s.end, s.label, s.text, s.note, s.uncertain) for s in record.spans]


def relation_facts(record: DocumentRecord) -> list[tuple[str, str, str]]:
    return [(r.type, r.from_, r.to) for r in record.relations]


def write_lines(path: Path, lines: list, prefix: bytes = b"", end: str = "\n") -> Path:
    """Write ``lines`` (dicts dumped as JSON, strings kept) one a line."""
    text = end.join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines)
    path.write_bytes(prefix + (text + end).encode("utf-8"))
    return path


def test_round_trip_keeps_spans_notes_uncertain_marks_and_links(tmp_path):
    records = marked_records()
    out = tmp_path / "out" / "data.jsonl"

    report = write_jsonl(records, out, ExportOptions())

    assert report.files == [out]
    assert report.documents == len(records)
    assert report.spans == sum(len(r.spans) for r in records)
    assert report.problems == []
    back, rejected = read_checked(read_jsonl, out)
    assert rejected == []
    assert [r.id for r in back] == [r.id for r in records]
    for original, loaded in zip(records, back, strict=True):
        assert loaded.text == original.text
        assert loaded.annotator == original.annotator
        assert span_facts(loaded) == span_facts(original)
        assert relation_facts(loaded) == relation_facts(original)
        assert dict(loaded.meta) == dict(original.meta)
        assert all(loaded.text[s.start : s.end] == s.text for s in loaded.spans)


def test_file_is_utf8_one_record_a_line_even_for_line_separators(tmp_path):
    records = marked_records()
    out = tmp_path / "data.jsonl"
    write_jsonl(records, out, ExportOptions())
    data = out.read_bytes()

    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in data and data.endswith(b"\n")
    content = data.decode("utf-8")
    assert "😬" in content and "中国" in content  # characters kept, not \u-escaped
    assert not {"\u2028", "\u2029", "\x85"} & set(content)  # escaped: str.splitlines() would break there
    lines = content.splitlines()
    assert len(lines) == len(records)
    separators = next(r for r in records if r.id == "unicode-line-separators")
    assert json.loads(lines[records.index(separators)])["text"] == separators.text


def test_record_ids_and_fields_as_written(tmp_path):
    out = tmp_path / "data.jsonl"
    write_jsonl([linked_record()], out, ExportOptions())
    item = json.loads(out.read_text(encoding="utf-8"))

    assert list(item) == ["id", "text", "spans", "relations", "annotator", "meta"]
    assert item["spans"][0] == {
        "id": "s1",
        "start": 0,
        "end": 8,
        "label": "actor",
        "text": "Sullivan",
        "origin": "manual",
    }
    warning = next(s for s in item["spans"] if s["label"] == "warning")
    assert warning["note"] == "cue verb inside? check"
    assert "uncertain" not in warning
    assert item["relations"][0] == {"id": "r1", "type": "source", "from": "s3", "to": "s1"}


def test_bad_lines_and_spans_are_rejected_with_their_line_numbers(tmp_path):
    text = "Sullivan warned Beijing."
    good = {"start": 0, "end": 8, "label": "actor"}
    path = write_lines(
        tmp_path / "bad.jsonl",
        [
            {"id": "ok-1", "text": text, "spans": [good]},
            '{"id": "broken", "text": ',
            '["not", "an", "object"]',
            {"id": "no-text", "spans": [good]},
            "",
            {
                "id": "spans",
                "text": text,
                "spans": [
                    good,
                    {"start": 15, "end": 9, "label": "warning"},
                    {"start": 9, "end": 9, "label": "warning"},
                    {"start": 9, "end": 99, "label": "warning"},
                    {"start": 9, "end": 15, "label": "rumour"},
                    {"start": 9, "end": 15, "label": "warning", "text": "warns"},
                    {"start": 9, "end": 15},
                    "not a span",
                ],
            },
            {"id": "ok-2", "text": text, "spans": [{"start": 9, "end": 23, "label": "warning"}]},
        ],
    )

    records, rejected = read_checked(read_jsonl, path)

    assert [(r.id, [(s.start, s.end, s.label) for s in r.spans]) for r in records] == [
        ("ok-1", [(0, 8, "actor")]),
        ("spans", [(0, 8, "actor")]),
        ("ok-2", [(9, 23, "warning")]),
    ]
    by_line = {}
    for message in rejected:
        by_line.setdefault(message.split(":")[0], []).append(message)
    assert sorted(by_line) == ["bad.jsonl line 2", "bad.jsonl line 3", "bad.jsonl line 4", "bad.jsonl line 6"]
    assert "not valid JSON" in by_line["bad.jsonl line 2"][0]
    assert "not a JSON object" in by_line["bad.jsonl line 3"][0]
    assert 'no "text" string' in by_line["bad.jsonl line 4"][0]
    line_6 = "\n".join(by_line["bad.jsonl line 6"])
    for expected in (
        "span 2 [15, 9) is reversed",
        "span 3 [9, 9) is empty",
        "span 4 [9, 99) is outside the text (0 to 24 code points)",
        "span 5 [9, 15) has the label 'rumour'",
        'span 6 [9, 15) warning: its text "warns" does not match the document there ("warned")',
        "span 7 has no 'label'",
        'span 8 is not an object with "start", "end" and "label"',
    ):
        assert expected in line_6
    assert len(by_line["bad.jsonl line 6"]) == 7


def test_line_separator_inside_a_string_does_not_split_the_record(tmp_path):
    text = "First part\u2028Sullivan warned.\u2029Yang denied it.\x85End"
    path = write_lines(tmp_path / "raw.jsonl", [{"id": "raw", "text": text, "spans": []}, {"text": "second"}])

    parsed = list(read_jsonl(path))

    assert [p.where for p in parsed] == ["raw.jsonl line 1", "raw.jsonl line 2"]
    assert isinstance(parsed[0], ParsedRecord) and parsed[0].text == text


def test_bom_crlf_line_ends_and_blank_lines_are_accepted(tmp_path):
    path = write_lines(
        tmp_path / "crlf.jsonl",
        [{"id": 7, "text": "Yang denied it."}, " \t", {"text": "Second.", "annotator": "bob"}],
        prefix=b"\xef\xbb\xbf",
        end="\r\n",
    )

    parsed = list(read_jsonl(path))

    assert [(p.where, p.id, p.text, p.annotator) for p in parsed] == [
        ("crlf.jsonl line 1", "7", "Yang denied it.", None),
        ("crlf.jsonl line 3", None, "Second.", "bob"),
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ({"id": True, "text": "a"}, '"id" must be a string or a whole number, not true'),
        ({"id": 1.5, "text": "a"}, '"id" must be a string or a whole number, not 1.5'),
        ({"text": ""}, '"text" is empty'),
        ({"text": 5}, 'no "text" string'),
        ({"text": "a", "annotator": 3}, '"annotator" must be a name (a string), not 3'),
        ({"text": "a", "spans": {"start": 0}}, '"spans" must be a list'),
        ('{"text": "\\ud800"}', "lone surrogate"),
        ('{"text": "a", "id": ' + "9" * 5000 + "}", "not usable JSON (ValueError"),
    ],
)
def test_records_rejected_whole(tmp_path, line, reason):
    path = write_lines(tmp_path / "one.jsonl", [line])
    (fault,) = read_jsonl(path)
    assert isinstance(fault, RecordFault)
    assert fault.where == "one.jsonl line 1"
    assert reason in fault.reason


def test_parts_rejected_but_the_record_kept(tmp_path):
    text = "Sullivan warned Beijing."
    path = write_lines(
        tmp_path / "parts.jsonl",
        [
            {
                "text": text,
                "spans": [
                    {"id": "a", "start": 0, "end": 8, "label": "actor", "note": 5},
                    {"start": 9, "end": 23, "label": "warning", "uncertain": True},
                    {"id": [1], "start": 16, "end": 23, "label": "actor"},
                ],
                "relations": [{"type": "source", "from": "x", "to": "a"}, "oops", {"type": "source", "from": "a"}],
                "meta": ["not", "a", "dict"],
            },
            {"text": text, "meta": {"uncertain": "mine", "status": "done"}},
        ],
    )

    records, rejected = read_checked(read_jsonl, path)

    assert [len(r.spans) for r in records] == [3, 0]
    assert not any(s.uncertain for s in records[0].spans)
    assert records[0].relations == ()
    assert dict(records[1].meta) == {"status": "done"}
    assert rejected == [
        'parts.jsonl line 1: span 1: "note" must be text, not 5; the span is imported without it',
        'parts.jsonl line 1: span 2: its "uncertain" mark needs a unique span "id" to be carried; imported as certain',
        'parts.jsonl line 1: span 3: "id" must be a string or a whole number, not [1]; ignored',
        'parts.jsonl line 1: link 2 is not an object with "type", "from" and "to" (found "oops")',
        'parts.jsonl line 1: link 3 is not an object with "type", "from" and "to" (found {"type": "source", "from": '
        '"a"})',
        'parts.jsonl line 1: "meta" must be an object, not ["not", "a", "dict"]; it is left out',
        'parts.jsonl line 1: link 1 ("source" x → a): span x is not among the imported spans',
        'parts.jsonl line 2: "meta" key \'uncertain\' is reserved for the ids of uncertain spans; its value "mine" is '
        "left out",
    ]


def test_uncertain_ids_go_to_meta(tmp_path):
    path = write_lines(
        tmp_path / "u.jsonl",
        [{"text": "Yang denied it.", "spans": [{"id": 4, "start": 0, "end": 4, "label": "actor", "uncertain": True}]}],
    )
    (parsed,) = read_jsonl(path)
    assert parsed.meta == {UNCERTAIN_KEY: ["4"]}
    assert parsed.spans[0].source_id == "4"
    record = check_record(parsed, LABELS, "u", "a").record
    assert [(s.id, s.uncertain) for s in record.spans] == [("4", True)]
    assert dict(record.meta) == {}


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    with pytest.raises(FileFault, match="not UTF-8 \\(line 2"):
        read_jsonl(path)


def test_missing_file_is_a_file_fault(tmp_path):
    with pytest.raises(FileFault, match="could not read it"):
        read_jsonl(tmp_path / "missing.jsonl")


def test_unwritable_meta_is_a_file_fault_and_nothing_is_written(tmp_path):
    record = DocumentRecord("a", "text", meta={"score": float("nan")})
    out = tmp_path / "data.jsonl"
    with pytest.raises(FileFault, match="record a: its meta cannot be written as JSON"):
        write_jsonl([record], out, ExportOptions())
    assert not out.exists()


def test_folder_that_cannot_be_made_is_a_file_fault(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileFault, match="could not create the folder"):
        write_jsonl([DocumentRecord("a", "text")], tmp_path / "file" / "data.jsonl", ExportOptions())


def test_whole_number_span_ids_link(tmp_path):
    text = "Yang denied it."
    spans = [{"id": 1, "start": 0, "end": 4, "label": "actor"}, {"id": 2, "start": 5, "end": 14, "label": "denial"}]
    path = write_lines(
        tmp_path / "n.jsonl", [{"text": text, "spans": spans, "relations": [{"type": "source", "from": 2, "to": 1}]}]
    )
    records, rejected = read_checked(read_jsonl, path)
    assert rejected == []
    assert relation_facts(records[0]) == [("source", "2", "1")]
    assert [s.id for s in records[0].spans] == ["1", "2"]


def test_link_ids_are_kept(tmp_path):
    text = "Yang denied it."
    spans = [{"id": "a", "start": 0, "end": 4, "label": "actor"}, {"id": "b", "start": 5, "end": 11, "label": "denial"}]
    relations = [{"id": "link-7", "type": "source", "from": "b", "to": "a"}]
    path = write_lines(tmp_path / "n.jsonl", [{"text": text, "spans": spans, "relations": relations}])
    records, rejected = read_checked(read_jsonl, path)
    assert rejected == []
    assert [r.id for r in records[0].relations] == ["link-7"]
