"""brat standoff export and import: exact round trip of the unicode traps, notes, uncertain marks and links; spans
across line breaks written as fragments; bad lines rejected one by one with their line numbers."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotator.formats.brat import LINE_BREAKS, ann_lines, fragments, read_brat, write_brat
from annotator.formats.checking import check_record
from annotator.formats.options import ExportOptions
from annotator.formats.parsed import UNCERTAIN_KEY, ParsedRecord, RawRelation, RawSpan
from annotator.formats.records import DocumentRecord
from annotator.io.errors import FileFault
from annotator.model.relation import Relation
from annotator.model.span import Span
from tests.formats.support import (
    LABELS,
    linked_record,
    read_checked,
    relation_facts,
    span_facts,
    spans_of,
    trap_records,
)


def marked_records() -> list[DocumentRecord]:
    """The trap records and the linked record, with a note and an uncertain mark on the first span of each."""
    records = []
    for record in [*trap_records(), linked_record()]:
        first, *rest = record.spans
        first = first.model_copy(update={"uncertain": True, "note": first.note or "check\tthis one"})
        records.append(
            DocumentRecord(record.id, record.text, (first, *rest), record.relations, record.annotator, record.meta)
        )
    return records


def write_pair(folder: Path, name: str, text: str, ann: str) -> Path:
    """Write ``<name>.txt`` and ``<name>.ann`` byte for byte; return the ``.ann`` path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_bytes(text.encode("utf-8"))
    (folder / f"{name}.ann").write_bytes(ann.encode("utf-8"))
    return folder / f"{name}.ann"


def test_line_breaks_are_exactly_where_splitlines_splits():
    splitting = {chr(c) for c in range(0x110000) if len(f"a{chr(c)}b".splitlines()) == 2}
    assert splitting == set(LINE_BREAKS)


def test_round_trip_keeps_spans_notes_uncertain_marks_and_links(tmp_path):
    records = marked_records()
    out = tmp_path / "brat"

    report = write_brat(records, out, ExportOptions())

    assert report.problems == []
    assert report.documents == len(records)
    assert report.spans == sum(len(r.spans) for r in records)
    assert all(path.is_file() for path in report.files)
    assert report.files[-1] == out / "annotation.conf"
    back, rejected = read_checked(read_brat, out)
    assert rejected == []
    by_id = {r.id: r for r in back}
    assert sorted(by_id) == sorted(r.id for r in records)
    for original in records:
        loaded = by_id[original.id]
        assert loaded.text == original.text
        assert span_facts(loaded) == span_facts(original)
        assert relation_facts(loaded) == relation_facts(original)
        assert all(loaded.text[s.start : s.end] == s.text for s in loaded.spans)
    # the text files are the exact texts: UTF-8, no BOM, CR LF and U+2028 kept
    crlf = next(r for r in records if r.id == "crlf-lines")
    assert (out / "crlf-lines.txt").read_bytes() == crlf.text.encode("utf-8")


def test_span_across_crlf_is_written_as_fragments_golden(tmp_path):
    out = tmp_path / "brat"
    record = linked_record()
    record = DocumentRecord(
        record.id,
        record.text,
        tuple(s.model_copy(update={"uncertain": s.label == "denial"}) for s in record.spans),
        record.relations,
        record.annotator,
    )

    write_brat([record], out, ExportOptions())

    assert (out / "news" / "linked.ann").read_bytes().decode("utf-8") == (
        "T1\tactor 0 8\tSullivan\n"
        "T2\twarning 9 21;23 38\twarned China of consequences\n"
        "T3\tactor 16 21\tChina\n"
        "T4\tactor 40 44\tYang\n"
        "T5\tdenial 52 54\tit\n"
        "R1\tsource Arg1:T2 Arg2:T1\n"
        "R2\ttarget Arg1:T2 Arg2:T3\n"
        "R3\tsource Arg1:T5 Arg2:T4\n"
        "A1\tUncertain T5\n"
        "#1\tAnnotatorNotes T2\tcue verb inside? check\n"
    )
    assert record.text[9:21] == "warned China" and record.text[21:23] == "\r\n"


def test_fragments_split_at_every_line_break():
    text = "a\r\nb\u2028c\x85d\x0be\x1cf  g"
    assert fragments(text, 0, len(text)) == [(0, 1), (3, 4), (5, 6), (7, 8), (9, 10), (11, 15)]
    assert fragments(text, 1, 3) == []
    assert fragments("x\n\ny", 0, 4) == [(0, 1), (3, 4)]


def test_annotation_conf_declares_labels_links_overlap_and_uncertain(tmp_path):
    write_brat([linked_record(), *trap_records()], tmp_path, ExportOptions())
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    sections = {}
    current = None
    for line in conf.splitlines():
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = []
        elif line and not line.startswith("#") and current:
            sections[current].append(line)
    assert sections["entities"] == ["actor", "warning", "denial", "claim"]
    assert sections["relations"] == [
        "source\tArg1:warning|denial, Arg2:actor",
        "target\tArg1:warning, Arg2:actor",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
    ]
    assert sections["events"] == []
    assert sections["attributes"] == [
        "Uncertain\tArg:<ENTITY>",
        "Origin\tArg:<ENTITY>, Value:suggestion|suggestion-edited",
    ]


def test_what_brat_cannot_hold_is_reported(tmp_path):
    text = "Sullivan\r\nwarned\u2028\u2029China.\nYang"
    spans = (
        Span(id="a", start=0, end=8, label="actor", text="Sullivan", note="first\r\nsecond\u2028third"),
        Span(id="b", start=8, end=10, label="warning", text="\r\n"),  # only line breaks: dropped
        Span(id="c", start=10, end=18, label="warning", text="warned\u2028\u2029"),  # trailing breaks: snapped
        Span(id="d", start=18, end=24, label="named entity", text="China."),  # whitespace in the label
        Span(id="e", start=25, end=29, label="actor", text="Yang"),
    )
    relations = (
        Relation(id="r1", type="source", from_="b", to="a"),  # its from span is dropped
        Relation(id="r2", type="said by", from_="c", to="e"),  # whitespace in the type
    )
    record = DocumentRecord("doc", text, spans, relations, "alice")

    report = write_brat([record], tmp_path, ExportOptions())

    assert report.spans == 4
    problems = [(p.document, p.start, p.end, p.kind) for p in report.problems]
    assert problems == [
        ("doc@alice", 0, 8, "not_exported"),
        ("doc@alice", 8, 10, "dropped"),
        ("doc@alice", 10, 18, "snapped"),
        ("doc@alice", 18, 24, "not_exported"),
        ("doc@alice", 0, 8, "not_exported"),
        ("doc@alice", 10, 18, "not_exported"),
    ]
    reasons = [p.reason for p in report.problems]
    assert "line breaks replaced by spaces" in reasons[0]
    assert "only line breaks" in reasons[1]
    assert reasons[2].startswith("written as [10, 16)")
    assert "'named_entity'" in reasons[3]
    assert "warning [8, 10)" in reasons[4] and "is not written" in reasons[4]
    assert "'said_by'" in reasons[5]
    assert (tmp_path / "doc.ann").read_text(encoding="utf-8") == (
        "T1\tactor 0 8\tSullivan\n"
        "T2\twarning 10 16\twarned\n"
        "T3\tnamed_entity 18 24\tChina.\n"
        "T4\tactor 25 29\tYang\n"
        "R1\tsaid_by Arg1:T2 Arg2:T4\n"
        "#1\tAnnotatorNotes T1\tfirst second third\n"
    )


def test_two_annotators_of_one_document_get_named_files(tmp_path):
    text = "Yang denied it."
    alice = DocumentRecord("news/a", text, spans_of(text, (0, 4, "actor")), (), "alice")
    bob = DocumentRecord("news/a", text, spans_of(text, (5, 14, "denial")), (), "bob/b")
    other = DocumentRecord("news/b", text, (), (), "alice")
    (tmp_path / "notes.md").write_text("mine", encoding="utf-8")  # not the export's: left alone

    report = write_brat([alice, other, bob], tmp_path, ExportOptions())

    names = sorted(p.relative_to(tmp_path).as_posix() for p in report.files)
    assert names == [
        "annotation.conf",
        "news/a.alice.ann",
        "news/a.alice.txt",
        "news/a.bob_b.ann",
        "news/a.bob_b.txt",
        "news/b.ann",
        "news/b.txt",
    ]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        [*names, "notes.md"]
    )
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "mine"
    back, rejected = read_checked(read_brat, tmp_path)
    assert rejected == []
    assert [(r.id, [(s.start, s.end, s.label) for s in r.spans]) for r in back] == [
        ("news/a.alice", [(0, 4, "actor")]),
        ("news/a.bob_b", [(5, 14, "denial")]),
        ("news/b", []),
    ]


def test_unsafe_ids_stay_inside_the_export_folder(tmp_path):
    out = tmp_path / "out"
    records = [
        DocumentRecord("../../escape", "a", (), (), ""),
        DocumentRecord("/abs/x:y", "b", (), (), ""),
        DocumentRecord("News/A", "c", (), (), ""),
        DocumentRecord("news/a", "d", (), (), ""),
    ]

    report = write_brat(records, out, ExportOptions())

    assert all(out in path.parents for path in report.files)
    names = [p.relative_to(out).as_posix() for p in report.files if p.suffix == ".txt"]
    assert names == ["_/_/escape.txt", "abs/x_y.txt", "News/A.txt", "news/a-2.txt"]


def test_malformed_lines_are_rejected_with_their_line_numbers_and_the_rest_imported(tmp_path):
    text = "Sullivan warned China.\nYang denied it."
    ann = "\n".join(
        [
            "T1\tactor 0 8\tSullivan",
            "T2\twarning 15 9\twarned",  # reversed (check_record)
            "T3\trumour 9 15\twarned",  # unknown label (check_record)
            "E1\twarning:T4 Agent:T1",  # event
            "T4\twarning 9 15;23 27\twarned Yang",  # discontinuous with text between
            "T5\tactor 0 8;9 15\tSullivan warns",  # fragment text mismatch
            "T6\tdenial 28 34\tdenies",  # text mismatch (check_record)
            "",
            "R1\tsource Arg1:T9 Arg2:T1",  # unknown span (check_record)
            "A1\tNegation T1",  # other attribute
            "#1\tAnnotatorNotes R1\ton a link",  # note not on a span
            "no tab here",
            "T1\tactor 0 8\tSullivan",  # id used twice
            "N1\tReference T1 Wikipedia:123\tSullivan",  # normalization
            "T7\tdenial 23 38;99 100\tx",  # fragment outside the text
            "T8\tdenial 28 34\tdenied",
            "A2\tUncertain T8",
            "#2\tAnnotatorNotes T8\tnote\twith a tab",
            "R2\tsource Arg1:T8 Arg2:T1",
        ]
    )
    write_pair(tmp_path, "doc", text, ann + "\n")

    records, rejected = read_checked(read_brat, tmp_path)

    (record,) = records
    assert [(s.start, s.end, s.label, s.note, s.uncertain) for s in record.spans] == [
        (0, 8, "actor", "", False),
        (28, 34, "denial", "note\twith a tab", True),
    ]
    assert [(r.type, r.from_, r.to) for r in record.relations] == [("source", "T8", "T1")]
    lines = [int(message.split("line ")[1].split()[0].rstrip(":")) for message in rejected]
    assert sorted(lines) == [1, 2, 3, 4, 5, 6, 7, 9, 11, 12, 13, 14, 15]
    assert len(rejected) == 13
    assert all(message.startswith("doc.ann: line ") for message in rejected)
    joined = "\n".join(rejected)
    for expected in (
        "line 4: E1 is not imported: events are not supported",
        "line 5: T4 warning 9 15;23 27: the span is discontinuous",
        'line 6: T5 actor 0 8;9 15: its text "Sullivan warns" does not match its fragments',
        "line 2 T2 [15, 9) is reversed",
        "line 3 T3 [9, 15) has the label 'rumour'",
        'line 7 T6 [28, 34) denial: its text "denies" does not match',
        'line 9 R1 ("source" T9 → T1): span T9 is not among the imported spans',
        "line 1 T1, with A1 on line 10 [0, 8) actor: attribute 'Negation' is not in the label set",
        "line 11: #1: notes on R1 (not a span) are not imported",
        "line 12: not a brat annotation (no tab after the id)",
        "line 13: the id T1 is already used on line 1",
        "line 14: N1 is not imported: normalizations are not supported",
        "line 15: T7 denial 23 38;99 100: a fragment is reversed or outside the text",
    ):
        assert expected in joined, expected


def test_whitespace_gaps_join_fragments_and_brat_extras_are_accepted(tmp_path):
    text = "\ufeffNew\r\n  York said no.\r\n"
    ann = (
        "\ufeffT1\tactor 1 4;8 12\tNew York\r\n"  # BOM and CR LF line ends in the .ann; gap of CR LF and spaces
        "T2\tdenial 13 20\tsaid no trailing\r\n"  # text followed by more after whitespace, as brat allows
        "M1\tUncertain T2\r\n"  # the older modifier form of an attribute
        "R1\tsource Arg2:T1 Arg1:T2\r\n"  # arguments in any order
        "T3\tclaim 13 17\r\n"  # no text field
    )
    path = write_pair(tmp_path, "one", text, ann)

    (parsed,) = read_brat(path)  # one .ann file

    assert isinstance(parsed, ParsedRecord)
    assert (parsed.where, parsed.id, parsed.text) == ("one.ann", "one", text)  # the BOM of the .txt is a character
    assert parsed.meta == {UNCERTAIN_KEY: ["T2"]}
    checked = check_record(parsed, LABELS, "one", "x")
    assert checked.rejected == []
    record = checked.record
    assert [(s.start, s.end, s.label, s.text, s.uncertain) for s in record.spans] == [
        (1, 12, "actor", "New\r\n  York", False),
        (13, 17, "claim", "said", False),
        (13, 20, "denial", "said no", True),
    ]
    assert [(r.type, r.from_, r.to) for r in record.relations] == [("source", "T2", "T1")]


def test_missing_or_unreadable_files(tmp_path):
    write_pair(tmp_path, "good", "Yang", "T1\tactor 0 4\tYang\n")
    (tmp_path / "lonely.ann").write_text("T1\tactor 0 4\tYang\n", encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("Yang é".encode("latin-1"))
    (tmp_path / "latin.ann").write_text("", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    write_pair(tmp_path / ".hidden", "skipped", "x", "")

    items = list(read_brat(tmp_path))

    assert [(type(i).__name__, i.where) for i in items] == [
        ("ParsedRecord", "good.ann"),
        ("RecordFault", "latin.ann"),
        ("RecordFault", "lonely.ann"),
    ]
    assert "latin.txt is not UTF-8 (line 1" in items[1].reason
    assert "text file lonely.txt is missing" in items[2].reason
    with pytest.raises(FileFault, match="is missing"):
        read_brat(tmp_path / "lonely.ann")
    with pytest.raises(FileFault, match="does not exist"):
        read_brat(tmp_path / "nowhere")
    with pytest.raises(FileFault, match="neither a folder"):
        read_brat(tmp_path / "good.txt")


def test_write_failure_is_a_file_fault(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(FileFault):
        write_brat([linked_record()], blocker / "out", ExportOptions())


_PIECES = st.sampled_from(["a", "b", "Yang", " ", "\t", "\r\n", "\r", "\n", "\u2028", "\x85", "😬", "é", "中", "\xa0"])


@st.composite
def texts_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = "".join(draw(st.lists(_PIECES, min_size=1, max_size=30)))
    bounds = st.integers(min_value=0, max_value=len(text))
    items = draw(st.lists(st.tuples(bounds, bounds, st.sampled_from(LABELS.names)), max_size=8))
    spans = {(min(a, b), max(a, b), label) for a, b, label in items if a != b}
    return text, sorted(spans)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts_and_spans())
def test_property_round_trip_of_random_texts_and_spans(case):
    text, items = case
    expected: dict[tuple[int, int, str], str] = {}  # what each span should read back as, or its problem kind
    for start, end, label in items:
        pieces = fragments(text, start, end)
        if not pieces:
            expected[(start, end, label)] = "dropped"
        elif (pieces[0][0], pieces[-1][1]) != (start, end):
            expected[(start, end, label)] = "snapped"
        else:
            expected[(start, end, label)] = "exact"
    kept = [
        (fragments(text, a, b)[0][0], fragments(text, a, b)[-1][1], label)
        for (a, b, label), kind in expected.items()
        if kind != "dropped"
    ]
    assume(len(set(kept)) == len(kept))  # two spans snapped onto the same offsets would be one span twice
    record = DocumentRecord("r", text, spans_of(text, *items), (), "p")

    with tempfile.TemporaryDirectory() as folder:
        report = write_brat([record], Path(folder), ExportOptions())
        back, rejected = read_checked(read_brat, Path(folder))

    assert rejected == []
    assert sorted((p.start, p.end, p.label, p.kind) for p in report.problems) == sorted(
        (*span, kind) for span, kind in expected.items() if kind != "exact"
    )
    (loaded,) = back
    assert loaded.text == text
    assert sorted((s.start, s.end, s.label) for s in loaded.spans) == sorted(kept)
    assert all(text[s.start : s.end] == s.text for s in loaded.spans)


def test_annotation_conf_declares_the_whole_label_set(tmp_path):
    record = replace(trap_records()[0], label_set=LABELS)  # uses only actor and warning
    write_brat([record], tmp_path / "out", ExportOptions())
    conf = (tmp_path / "out" / "annotation.conf").read_text(encoding="utf-8")
    entities = conf.split("[entities]\n")[1].split("\n\n")[0].splitlines()
    assert entities == ["actor", "claim", "warning", "denial"]
    assert "source\tArg1:claim|warning|denial, Arg2:actor" in conf


BRAT_IDS_TEXT = "Sullivan warned China.\nYang denied it."
BRAT_IDS_ANN = (  # ids with gaps and out of order, as a brat project edited over time has them
    "T7\tactor 0 8\tSullivan\n"
    "T2\twarning 9 21\twarned China\n"
    "T12\tactor 23 27\tYang\n"
    "T5\tdenial 28 34\tdenied\n"
    "R3\tsource Arg1:T2 Arg2:T7\n"
    "R10\tsource Arg1:T5 Arg2:T12\n"
    "A1\tUncertain T12\n"
    "#1\tAnnotatorNotes T2\tcue verb\n"
)


def test_brat_ids_survive_a_round_trip(tmp_path):
    write_pair(tmp_path / "in", "doc", BRAT_IDS_TEXT, BRAT_IDS_ANN)

    (record,), rejected = read_checked(read_brat, tmp_path / "in")
    write_brat([record], tmp_path / "out", ExportOptions())

    assert rejected == []
    assert sorted(s.id for s in record.spans) == ["T12", "T2", "T5", "T7"]
    assert sorted(r.id for r in record.relations) == ["R10", "R3"]
    lines = (tmp_path / "out" / "doc.ann").read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == sorted(BRAT_IDS_ANN.splitlines())


def test_ids_that_are_not_brat_ids_get_free_numbers():
    text = "Sullivan warned China."
    spans = (
        Span(id="s1", start=0, end=8, label="actor", text="Sullivan"),
        Span(id="T1", start=9, end=15, label="warning", text="warned"),
        Span(id="t3", start=16, end=21, label="actor", text="China"),
    )
    relations = (
        Relation(id="R1", type="source", from_="T1", to="s1"),
        Relation(id="r1", type="target", from_="T1", to="t3"),
    )
    record = DocumentRecord("doc", text, spans, relations)

    lines, written, problems = ann_lines(record)

    assert (written, problems) == (3, [])
    assert lines == [
        "T2\tactor 0 8\tSullivan",  # s1: T1 belongs to another span
        "T1\twarning 9 15\twarned",
        "T3\tactor 16 21\tChina",  # t3 is not a brat id (lower case)
        "R1\tsource Arg1:T1 Arg2:T2",
        "R2\ttarget Arg1:T1 Arg2:T3",
    ]


def test_repeated_or_missing_link_ids_are_given_anew():
    parsed = ParsedRecord(
        "doc.ann",
        "doc",
        "Sullivan warned China.",
        spans=[
            RawSpan(0, 8, "actor", None, "", "T1"),
            RawSpan(9, 15, "warning", None, "", "T2"),
            RawSpan(16, 21, "actor", None, "", "T3"),
        ],
        relations=[
            RawRelation("source", "T2", "T1", "line 4 R1", "r2"),
            RawRelation("target", "T2", "T3", "line 5 R1", "r2"),  # the same id again
            RawRelation("source", "T2", "T3", "line 6"),  # no id
        ],
    )
    checked = check_record(parsed, LABELS, "doc", "x")
    assert [r.id for r in checked.record.relations] == ["r2", "r1", "r3"]
