"""brat standoff carries span attributes (``A`` lines; text ones as notes), entities (``Equiv`` lines) and document
labels (a ``.document_labels.json`` beside the ``.ann``) both ways, the unicode traps included; link attributes,
which brat cannot hold, are reported."""

from __future__ import annotations

import json
from dataclasses import replace

from annotator.formats.brat import one_line, read_brat, write_brat
from annotator.formats.checking import check_record
from annotator.formats.options import ExportOptions
from annotator.formats.parsed import RecordFault
from tests.formats.support import linked_record, trap_records
from tests.formats.test_jsonl_attributes import RICH, enriched


def read_folder(path):
    """The records of the brat folder ``path`` checked against :data:`RICH`, and every rejection message."""
    records, rejected = [], []
    for parsed in read_brat(path):
        if isinstance(parsed, RecordFault):
            rejected.append(parsed.message())
            continue
        checked = check_record(parsed, RICH, parsed.id or "x", "trap")
        rejected.extend(checked.rejected)
        if checked.record is not None:
            records.append(checked.record)
    return records, rejected


def test_attributes_entities_and_document_labels_round_trip_with_the_traps(tmp_path):
    records = [replace(enriched(r), label_set=RICH) for r in [*trap_records(), linked_record()]]
    report = write_brat(records, tmp_path, ExportOptions())

    back, rejected = read_folder(tmp_path)

    assert rejected == []
    back_by_id = {r.id: r for r in back}
    for original in records:
        loaded = back_by_id[original.id]
        expected = []
        for s in original.spans:
            attributes = {**s.attributes, "gloss": one_line(str(s.attributes["gloss"]))}  # a brat note is one line
            expected.append((s.start, s.end, s.label, attributes))
        assert [(s.start, s.end, s.label, s.attributes) for s in loaded.spans] == expected
        groups = {frozenset((s.start, s.end) for s in original.spans if s.entity == e) for e in {"e1"}}
        assert {frozenset((s.start, s.end) for s in loaded.spans if s.entity == e) for e in {"e1"}} == groups
        assert [s.entity for s in loaded.spans] == [s.entity for s in original.spans]
        assert dict(loaded.document_labels) == dict(original.document_labels)
    # every gloss that lost a line break, and every link attribute, is reported by span
    glosses = [
        p for p in report.problems if "text attribute 'gloss' is written with its line breaks replaced" in p.reason
    ]
    assert len(glosses) == sum(one_line(s.text) != s.text for r in records for s in r.spans)
    links = [p for p in report.problems if "brat has no attributes on relations" in p.reason]
    assert [p.reason.split("(")[1].split(")")[0] for p in links] == ["hedged=True"] * 3


def test_the_lines_written_follow_brat_standoff(tmp_path):
    record = replace(enriched(linked_record()), label_set=RICH)
    write_brat([record], tmp_path, ExportOptions())

    lines = (tmp_path / "news" / "linked.ann").read_text(encoding="utf-8").splitlines()
    assert "*\tEquiv T1 T3 T4" in lines
    assert "A1\tkind T1 person" in lines
    assert "A2\tquote T2 mixed" in lines
    assert "#2\tgloss T2\twarned China of consequences" in lines  # its CR LF as a space: reported
    assert "#3\tAnnotatorNotes T2\tcue verb inside? check" in lines
    labels = json.loads((tmp_path / "news" / "linked.document_labels.json").read_text(encoding="utf-8"))
    assert labels == {"relevance": "relevant", "topics": ["war", "🙂 other"]}
    config = (tmp_path / "annotation.conf").read_text(encoding="utf-8").splitlines()
    assert "Equiv\tArg1:actor, Arg2:actor, <REL-TYPE>:symmetric-transitive" in config
    assert "quote\tArg:claim|warning|denial, Value:direct|indirect|mixed" in config
    assert "kind\tArg:actor, Value:person|organisation|government|role|anonymous" in config
    assert not any(line.startswith(("gloss", "hedged")) for line in config)  # a note; brat has no link attributes


def test_attribute_and_equiv_lines_are_read_with_faults_by_line(tmp_path):
    text = "Sullivan warned China. Sullivan left."
    ann = "\n".join(
        [
            "T1\tactor 0 8\tSullivan",
            "T2\twarning 9 21\twarned China",
            "T3\tactor 23 31\tSullivan",
            "T4\tactor 16 21\tChina",
            "A1\tkind T1 person",
            "A2\tquote T2 loud",  # not one of its values
            "A3\tkind T1 government",  # a second value of one attribute
            "A4\tkind T9 person",  # no such span
            "A5\tkind R1 person",  # not a span
            "*\tEquiv T1 T3",
            "*\tEquiv T4 T9",  # no such span
            "*\tAlias T1 T4",  # another equivalence type
            "#1\tgloss T2\ta cue verb",
        ]
    )
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8", newline="")
    (tmp_path / "doc.ann").write_text(ann + "\n", encoding="utf-8", newline="")
    (tmp_path / "doc.document_labels.json").write_text('{"relevance": "maybe"}', encoding="utf-8")

    (record,), rejected = read_folder(tmp_path)

    by_start = {s.start: s for s in record.spans}
    assert by_start[0].attributes == {"kind": "person"}
    assert by_start[9].attributes == {"gloss": "a cue verb"}
    assert by_start[0].entity == by_start[23].entity != ""
    assert by_start[16].entity != by_start[0].entity
    assert record.document_labels == {}
    expected = [
        "doc.ann: line 2 T2, with A2 on line 6, with #1 on line 13 [9, 21) warning: attribute 'quote': 'loud' is "
        "not one of its values",
        'doc.ann: line 7: A3: T1 already has the attribute "kind"; not imported',
        "doc.ann: line 8: the attribute A4 refers to 'T9', which is not a span of this file",
        'doc.ann: line 9: A5: the attribute "kind" of R1 (not a span) is not imported',
        "doc.ann: line 11: the equivalence on line 11 refers to 'T9', which is not a span of this file",
        "doc.ann: line 12: * is not imported: only '*<TAB>Equiv T<k> T<m>...' lines are",
        "doc.ann: document label 'relevance': 'maybe' is not one of its values",
    ]
    for start in expected:
        assert any(message.startswith(start) for message in rejected), (start, rejected)
