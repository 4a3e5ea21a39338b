"""CoNLL export and import (annotator.formats.conll): golden files, seqeval read-back, round trips and reports.

Golden files live in tests/formats/golden/conll/; after an intended change of the output, regenerate them with
``ANNOTATOR_REGEN_GOLDEN=1 python -m pytest tests/formats/test_conll.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import IOB2, IOBES, Entities

from annotator.formats.checking import check_record
from annotator.formats.conll import conll_document, read_conll, write_conll
from annotator.formats.options import ExportOptions, ImportOptions
from annotator.formats.overlap import OverlapError, resolve_overlaps
from annotator.formats.parsed import ParsedRecord
from annotator.formats.records import DocumentRecord
from annotator.formats.report import ExportReport
from annotator.formats.tokens import tokenize
from annotator.io.errors import FileFault
from annotator.model.relation import Relation
from annotator.model.span import Span
from tests.formats.support import LABELS, linked_record, spans_of, trap_records, whitespace_edged_record

GOLDEN = Path(__file__).parent / "golden" / "conll"
REGENERATE = os.environ.get("ANNOTATOR_REGEN_GOLDEN") == "1"


def trap(name: str) -> DocumentRecord:
    return next(record for record in trap_records() if record.id == name)


def misaligned_record() -> DocumentRecord:
    text = "Sullivan's deputy warned Beijing.  Officials agreed."
    deputy = text.index("deputy")
    items = [
        (0, 5, "actor"),  # "Sulli": ends inside "Sullivan"
        (3, deputy + 6, "actor"),  # "livan's deputy": starts inside "Sullivan"
        (text.index(" warned"), text.index(" Beijing"), "warning"),  # " warned": starts in whitespace
        (text.index("Beijing"), text.index("Beijing") + 7, "actor"),  # fits
        (text.index("  "), text.index("  ") + 2, "claim"),  # whitespace only: covers no token
        (text.index("Officials"), len(text) - 1, "claim"),  # fits
    ]
    return DocumentRecord(id="news/misaligned", text=text, spans=spans_of(text, *items), annotator="alice")


def adjacent_record() -> DocumentRecord:
    text = "Sullivan Yang met.\nOfficials warned warned, and Wang denied."
    items = [
        (0, 8, "actor"),
        (9, 13, "actor"),  # right after the first actor: a second entity
        (text.index("warned"), text.index("warned") + 6, "warning"),
        (text.index("warned,"), text.index("warned,") + 6, "warning"),
        (text.index("Wang"), text.index("denied") + 6, "denial"),
    ]
    return DocumentRecord(id="news/adjacent", text=text, spans=spans_of(text, *items), annotator="alice")


GOLDEN_CASES = {
    "emoji": ([trap("astral-emoji"), trap("zwj-sequence")], ExportOptions()),
    "crlf": (
        [trap("crlf-lines"), trap("cr-only-lines"), trap("unicode-line-separators"), linked_record()],
        ExportOptions(),
    ),
    "nested-longest": ([trap("overlap-and-nesting"), trap("same-span-two-labels")], ExportOptions()),
    "nested-earliest": ([trap("overlap-and-nesting"), trap("same-span-two-labels")], ExportOptions("earliest")),
    "misaligned": ([misaligned_record()], ExportOptions()),
    "misaligned-snap": ([misaligned_record()], ExportOptions(snap=True)),
    "adjacent": ([adjacent_record()], ExportOptions()),
    "iobes": (
        [trap("ascii-baseline"), trap("cjk"), trap("astral-emoji"), adjacent_record()],
        ExportOptions(scheme="IOBES"),
    ),
}


def report_text(report: ExportReport) -> str:
    return "".join(line + "\n" for line in [report.summary(), *(p.message() for p in report.problems)])


def compare_golden(name: str, content: bytes) -> None:
    """``content`` must equal the golden file ``name`` byte for byte; with ANNOTATOR_REGEN_GOLDEN=1, (re)write it."""
    path = GOLDEN / name
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return
    assert path.is_file(), f"missing golden file {path}; run the tests with ANNOTATOR_REGEN_GOLDEN=1"
    assert content == path.read_bytes(), f"{name} differs from its golden file"


@pytest.mark.parametrize("name", list(GOLDEN_CASES))
def test_output_matches_the_golden_files(name: str, tmp_path: Path) -> None:
    records, options = GOLDEN_CASES[name]
    out = tmp_path / f"{name}.conll"
    report = write_conll(records, out, options)
    compare_golden(f"{name}.conll", out.read_bytes())
    compare_golden(f"{name}.report.txt", report_text(report).encode("utf-8"))
    check_against_seqeval(records, out.read_text(encoding="utf-8"), options)


# -- an independent reading of the output: seqeval ---------------------------------------------------------------------
def split_documents(content: str) -> list[list[list[tuple[str, str]]]]:
    """The file as documents of sentences of ``(token, tag)``, read with nothing but ``str.split``."""
    assert "\r" not in content
    documents: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    lines = content.split("\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        if line == "-DOCSTART- O":
            assert not sentence
            documents.append([])
        elif line == "":
            if sentence:
                documents[-1].append(sentence)
            sentence = []
        else:
            fields = line.split(" ")
            assert len(fields) == 2 and fields == line.split(), f"not 'TOKEN TAG': {line!r}"
            sentence.append((fields[0], fields[1]))
    assert not sentence
    return documents


def seqeval_spans(text: str, document: list[list[tuple[str, str]]], scheme: str) -> list[tuple[int, int, str]]:
    """The entities seqeval finds in ``document``, as ``(start, end, label)`` code points of ``text``, the tokens
    being found in ``text`` in order (only whitespace may lie between them)."""
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for sentence in document:
        places = []
        for token, _tag in sentence:
            while text[pos].isspace():
                pos += 1
            assert text.startswith(token, pos), f"token {token!r} is not at {pos}"
            places.append((pos, pos + len(token)))
            pos += len(token)
        offsets.append(places)
    assert text[pos:].strip() == "", "text left out of the tokens"
    tags = [[tag for _token, tag in sentence] for sentence in document]
    found = []
    if scheme == "IOB2":
        for n, sentence_tags in enumerate(tags):
            lenient = get_entities(sentence_tags)
            strict = [e.to_tuple() for e in Entities([sentence_tags], IOB2).entities[0]]
            assert [(label, i, j + 1) for label, i, j in lenient] == [(label, i, j) for _s, label, i, j in strict]
            found += [(offsets[n][i][0], offsets[n][j][1], label) for label, i, j in lenient]
    else:
        for entity in (e for sentence in Entities(tags, IOBES).entities for e in sentence):
            n, label, i, j = entity.to_tuple()
            found.append((offsets[n][i][0], offsets[n][j - 1][1], label))
        # strict IOBES: every tag other than O belongs to an entity seqeval accepts
        assert sum(j - i for _n, _label, i, j in (e.to_tuple() for s in Entities(tags, IOBES).entities for e in s)) == (
            sum(tag != "O" for sentence_tags in tags for tag in sentence_tags)
        )
    return sorted(found)


def expected_written(record: DocumentRecord, options: ExportOptions) -> list[tuple[int, int, str]]:
    """The spans the export must tag, by a plain reading of the rules: trimmed of whitespace, aligned (or snapped)
    spans, then the overlap policy."""
    tokens = tokenize(record.text)
    aligned = []
    for span in record.spans:
        if any(ch.isspace() for ch in span.label) or not span.text.strip():
            continue
        lead = len(span.text) - len(span.text.lstrip())
        start = span.start + lead
        span = span.model_copy(update={"start": start, "end": start + len(span.text.strip())})
        inside = [t for t in tokens if t.start < span.end and span.start < t.end]
        if not inside:
            continue
        start, end = inside[0].start, inside[-1].end
        if (start, end) != (span.start, span.end):
            if not options.snap:
                continue
            span = span.model_copy(update={"start": start, "end": end, "text": record.text[start:end]})
        aligned.append(span)
    kept, _dropped = resolve_overlaps(aligned, options.overlap, record.key)
    return sorted((s.start, s.end, s.label) for s in kept)


def check_against_seqeval(records: list[DocumentRecord], content: str, options: ExportOptions) -> None:
    documents = split_documents(content)
    assert len(documents) == len(records)
    for record, document in zip(records, documents, strict=True):
        assert seqeval_spans(record.text, document, options.scheme) == expected_written(record, options), record.id


ALL_OPTIONS = [
    ExportOptions(overlap=overlap, snap=snap, scheme=scheme)
    for overlap in ("longest", "earliest")
    for snap in (False, True)
    for scheme in ("IOB2", "IOBES")
]


@pytest.mark.parametrize(
    "options", ALL_OPTIONS, ids=lambda o: f"{o.overlap}-{'snap' if o.snap else 'strict'}-{o.scheme}"
)
def test_seqeval_reads_back_exactly_the_written_spans_of_every_trap_record(
    options: ExportOptions, tmp_path: Path
) -> None:
    records = [*trap_records(), linked_record(), misaligned_record(), adjacent_record()]
    out = tmp_path / "all.conll"
    report = write_conll(records, out, options)
    check_against_seqeval(records, out.read_text(encoding="utf-8"), options)
    assert report.spans == sum(len(expected_written(r, options)) for r in records)
    assert report.spans + len(report.lost) == sum(len(r.spans) for r in records)


WORDS = [
    "Sullivan",
    "Yang",
    "warned",
    "China",
    "😬",
    "🇺🇸",
    "中国",
    "Zoe\u0308",
    "de\u200bnied",
    "it",
    ".",
    ",",
    "’s",
    "3.5",
]
GAPS = [" ", " ", " ", "", "\n", "\r\n", "\xa0", "\t", "\u2028", ". ", "  "]


@st.composite
def random_records(draw: st.DrawFn, aligned: bool) -> DocumentRecord:
    pieces = draw(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), min_size=1, max_size=25))
    text = "".join(word + gap for word, gap in pieces)
    tokens = tokenize(text)
    items = []
    for _ in range(draw(st.integers(0, 8))):
        if aligned:
            i = draw(st.integers(0, len(tokens) - 1))
            j = draw(st.integers(i, min(len(tokens) - 1, i + 6)))
            start, end = tokens[i].start, tokens[j].end
        else:
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, min(len(text), start + 30)))
        items.append((start, end, draw(st.sampled_from(LABELS.names))))
    items = list(dict.fromkeys(items))  # a span listed twice is not a valid record
    return DocumentRecord(id="random", text=text, spans=spans_of(text, *items), annotator="h")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(random_records(aligned=True), min_size=1, max_size=3),
    st.sampled_from(["longest", "earliest"]),
    st.sampled_from(["IOB2", "IOBES"]),
)
def test_seqeval_reads_back_random_aligned_overlapping_spans(records, overlap, scheme) -> None:
    options = ExportOptions(overlap=overlap, scheme=scheme)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "random.conll"
        report = write_conll(records, out, options)
        check_against_seqeval(records, out.read_text(encoding="utf-8"), options)
    assert not [p for p in report.problems if p.kind in ("misaligned", "snapped")]
    assert report.spans + len(report.lost) == sum(len(r.spans) for r in records)


@settings(max_examples=150, deadline=None)
@given(random_records(aligned=False), st.booleans(), st.sampled_from(["IOB2", "IOBES"]))
def test_seqeval_reads_back_random_unaligned_spans_skipped_or_snapped(record, snap, scheme) -> None:
    options = ExportOptions(snap=snap, scheme=scheme)
    content, written, problems = conll_document(record, options)
    check_against_seqeval([record], content, options)
    assert written == len(expected_written(record, options))
    lost = [p for p in problems if p.loses_span]
    assert written + len(lost) == len(record.spans)
    if not snap:
        assert not [p for p in problems if p.kind == "snapped"]


# -- round trip --------------------------------------------------------------------------------------------------------
def token_text(text: str, start: int, end: int) -> str:
    """A span's text as CoNLL can give it back: its tokens joined by one space."""
    return " ".join(t.text for t in tokenize(text) if start < t.end and t.start < end)


@pytest.mark.parametrize("scheme", ["IOB2", "IOBES"])
def test_round_trip_gives_back_the_written_spans_with_their_labels_and_text(scheme: str, tmp_path: Path) -> None:
    records = [*trap_records(), linked_record(), misaligned_record(), adjacent_record()]
    options = ExportOptions(scheme=scheme, snap=True)
    out = tmp_path / "sub" / "round.conll"
    write_conll(records, out, options)
    parsed = list(read_conll(out))
    assert len(parsed) == len(records)
    assert list(read_conll(out, ImportOptions(scheme=scheme))) == parsed  # the scheme named reads it alike
    for record, item in zip(records, parsed, strict=True):
        assert isinstance(item, ParsedRecord)
        checked = check_record(item, LABELS, item.id or "x", "trap")
        assert checked.rejected == []
        assert checked.record is not None
        expected = [(label, token_text(record.text, a, b)) for a, b, label in expected_written(record, options)]
        assert [(s.label, s.text) for s in checked.record.spans] == expected, record.id
        # the text comes back as its tokens: one space between, sentences on lines of their own
        assert checked.record.text.split() == [t.text for t in tokenize(record.text)]


def test_read_records_are_named_after_the_file_and_document(tmp_path: Path) -> None:
    out = tmp_path / "batch.conll"
    write_conll([trap("ascii-baseline"), trap("cjk")], out, ExportOptions())
    parsed = list(read_conll(out))
    assert [p.id for p in parsed] == ["batch-1", "batch-2"]
    assert parsed[0].where == "batch.conll document 1 (line 1)"
    assert parsed[1].where.startswith("batch.conll document 2 (line ")
    assert parsed[0].text == "Officials met in Rome on Monday .\nPrice warned of consequences ."
    assert [(s.start, s.end, s.label, s.text, s.where) for s in parsed[0].spans] == [
        (0, 9, "actor", "Officials", "line 3"),
        (34, 39, "actor", "Price", "line 11"),
        (40, 62, "warning", "warned of consequences", "line 12"),
    ]


# -- reports -----------------------------------------------------------------------------------------------------------
def problems_of(record: DocumentRecord, options: ExportOptions) -> list[tuple[str, int, int, str, str]]:
    _content, _written, problems = conll_document(record, options)
    return [(p.kind, p.start, p.end, p.label, p.reason) for p in problems]


def test_the_longest_policy_keeps_the_outer_span_and_names_it(tmp_path: Path) -> None:
    report = write_conll([trap("overlap-and-nesting")], tmp_path / "x.conll", ExportOptions())
    assert report.spans == 1
    dropped = [p for p in report.problems if p.kind == "dropped"]
    assert [(p.start, p.end, p.label) for p in dropped] == [(0, 8, "actor"), (21, 26, "actor"), (21, 50, "claim")]
    assert all("overlaps the kept warning span [0, 50)" in p.reason for p in dropped)
    assert "which is longer (overlap policy 'longest')" in dropped[0].reason
    assert dropped[0].document == "overlap-and-nesting@trap"


def test_the_earliest_policy_and_same_offsets_are_explained() -> None:
    problems = problems_of(trap("overlap-and-nesting"), ExportOptions(overlap="earliest"))
    assert [(kind, start, end, label) for kind, start, end, label, _r in problems] == [
        ("dropped", 0, 8, "actor"),
        ("dropped", 21, 26, "actor"),
        ("dropped", 21, 50, "claim"),
    ]
    assert "which starts at the same point and is longer (overlap policy 'earliest')" in problems[0][4]
    assert "which starts earlier (overlap policy 'earliest')" in problems[1][4]
    same = problems_of(trap("same-span-two-labels"), ExportOptions())
    assert [(kind, label) for kind, _s, _e, label, _r in same] == [("dropped", "denial")]
    assert "overlaps the kept claim span [0, 25)" in same[0][4] and "same offsets" in same[0][4]


def test_overlap_policy_error_raises_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "x.conll"
    with pytest.raises(OverlapError) as caught:
        write_conll([trap("ascii-baseline"), trap("overlap-and-nesting")], out, ExportOptions(overlap="error"))
    assert caught.value.document == "overlap-and-nesting@trap"
    assert not out.exists()
    # spans that do not overlap export fine under "error"
    assert write_conll([trap("ascii-baseline")], out, ExportOptions(overlap="error")).spans == 3


def test_misaligned_spans_are_reported_with_document_offsets_and_text(tmp_path: Path) -> None:
    report = write_conll([misaligned_record()], tmp_path / "x.conll", ExportOptions())
    messages = [p.message() for p in report.problems]
    assert messages == [
        "news/misaligned@alice [0, 5) actor 'Sulli': misaligned: its end falls inside the token 'Sullivan' [0, 8); "
        "left out (snapping would write it as [0, 8) 'Sullivan')",
        'news/misaligned@alice [3, 17) actor "livan\'s deputy": misaligned: its start falls inside the token '
        "'Sullivan' [0, 8); left out (snapping would write it as [0, 17) \"Sullivan's deputy\")",
        "news/misaligned@alice [17, 24) warning ' warned': trimmed: the whitespace at its start (' ') is part of no "
        "token; written without it as [18, 24) 'warned'",
        "news/misaligned@alice [33, 35) claim '  ': misaligned: it is only whitespace, which is part of no token, "
        "so it cannot be tagged",
    ]
    assert report.spans == 3
    assert report.summary() == (
        "Exported 1 document with 3 spans; 3 spans skipped (not aligned to tokens); 1 span trimmed (whitespace at an "
        "edge left out)"
    )


def test_snapping_widens_spans_and_reports_the_new_offsets() -> None:
    problems = problems_of(misaligned_record(), ExportOptions(snap=True))
    assert [(kind, start, end) for kind, start, end, _l, _r in problems] == [
        ("dropped", 0, 5),  # "Sulli" snaps to "Sullivan", inside the snapped "Sullivan's deputy"
        ("snapped", 3, 17),
        ("trimmed", 17, 24),  # only whitespace at its edge: trimmed, not snapped
        ("misaligned", 33, 35),  # whitespace only: nothing to snap to
    ]
    assert problems[0][4].startswith("once snapped to [0, 8), it overlaps the kept actor span [0, 17)")
    assert 'written as [0, 17) "Sullivan\'s deputy"' in problems[1][4]
    assert "written without it as [18, 24) 'warned'" in problems[2][4]


def test_whitespace_at_a_span_edge_is_trimmed_and_reported_not_skipped(tmp_path: Path) -> None:
    record = whitespace_edged_record()
    out = tmp_path / "edges.conll"
    report = write_conll([record], out, ExportOptions())
    assert [(p.kind, p.start, p.end, p.label) for p in report.problems] == [
        ("trimmed", 3, 13, "actor"),
        ("trimmed", 21, 32, "actor"),
        ("trimmed", 30, 48, "warning"),
        ("dropped", 32, 39, "claim"),
        ("misaligned", 39, 45, "actor"),
        ("trimmed", 49, 54, "actor"),
    ]
    reasons = [p.reason for p in report.problems]
    assert reasons[0] == (
        "the whitespace at its start ('\\xa0') and end ('\\u2028') is part of no token; written without it as "
        "[4, 12) 'Person H'"
    )
    assert reasons[1].startswith("the whitespace at its end ('\\r\\n') is part of no token")
    assert reasons[2].startswith("the whitespace at its start ('\\r\\n ') is part of no token")
    assert reasons[3].startswith("once trimmed to [33, 39), it overlaps the kept warning span [33, 48)")
    assert reasons[4] == (
        "the whitespace at its start (' ') is part of no token, and without it its end falls inside the token "
        "'Sullivan' [40, 48); left out (snapping would write it as [40, 48) 'Sullivan')"
    )
    assert report.spans == 4
    assert report.lost == [report.problems[3], report.problems[4]]  # trimmed spans are written, not lost
    assert "; 4 spans trimmed (whitespace at an edge left out)" in report.summary()
    content = out.read_text(encoding="utf-8")
    check_against_seqeval([record], content, ExportOptions())
    assert seqeval_spans(record.text, split_documents(content)[0], "IOB2") == [
        (4, 12, "actor"),
        (21, 30, "actor"),
        (33, 48, "warning"),
        (50, 54, "actor"),
    ]
    snapped = problems_of(record, ExportOptions(snap=True))
    assert snapped[4][:3] == ("dropped", 39, 45)
    assert snapped[4][4].startswith("once snapped to [40, 48), it overlaps the kept warning span [33, 48)")


def test_notes_links_and_uncertain_marks_are_reported_once_per_written_span() -> None:
    record = linked_record()
    spans = list(record.spans)
    spans[0] = spans[0].model_copy(update={"uncertain": True})
    record = DocumentRecord(record.id, record.text, tuple(spans), record.relations, record.annotator, record.meta)
    problems = problems_of(record, ExportOptions())
    not_exported = [(start, end, reason) for kind, start, end, _l, reason in problems if kind == "not_exported"]
    assert not_exported == [
        (0, 8, "CoNLL cannot hold its 'uncertain' mark and its link (source); the span itself is written"),
        (9, 38, "CoNLL cannot hold its note and its 2 links (source, target); the span itself is written"),
        (40, 44, "CoNLL cannot hold its link (source); the span itself is written"),
        (52, 54, "CoNLL cannot hold its link (source); the span itself is written"),
    ]
    assert [kind for kind, *_rest in problems].count("dropped") == 1  # China, inside the warning


def test_a_label_holding_whitespace_is_dropped_not_written_broken() -> None:
    text = "Sullivan spoke."
    span = Span(id="s1", start=0, end=8, label="head of state", text="Sullivan")
    record = DocumentRecord(id="d", text=text, spans=(span,))
    content, written, problems = conll_document(record, ExportOptions())
    assert written == 0
    assert "Sullivan O\n" in content
    assert [(p.kind, p.reason) for p in problems] == [
        ("dropped", "its label 'head of state' holds whitespace, which a CoNLL tag cannot")
    ]


def test_report_counts_files_documents_and_spans(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "folder" / "all.conll"
    records = [trap("ascii-baseline"), DocumentRecord(id="empty", text=""), trap("crlf-lines")]
    report = write_conll(iter(records), out, ExportOptions())
    assert (report.format, report.files, report.documents, report.spans) == ("conll", [out], 3, 6)
    assert out.read_bytes().startswith(b"-DOCSTART- O\n\nOfficials B-actor\n")
    assert b"-DOCSTART- O\n\n-DOCSTART- O\n\n" in out.read_bytes()  # the empty document
    assert [p.text for p in read_conll(out)][1] == ""


def test_a_text_quoting_docstart_stays_one_document(tmp_path: Path) -> None:
    text = "-DOCSTART- O\n\nSullivan spoke."
    record = DocumentRecord(id="d", text=text, spans=spans_of(text, (14, 22, "actor")))
    write_conll([record], tmp_path / "x.conll", ExportOptions())
    (parsed,) = read_conll(tmp_path / "x.conll")
    assert parsed.text == "- DOCSTART - O\nSullivan spoke ."
    assert [(s.label, s.text) for s in parsed.spans] == [("actor", "Sullivan")]


def test_no_records_write_an_empty_file(tmp_path: Path) -> None:
    report = write_conll([], tmp_path / "none.conll", ExportOptions())
    assert (tmp_path / "none.conll").read_bytes() == b""
    assert report.documents == 0 and list(read_conll(tmp_path / "none.conll")) == []


def test_unknown_scheme_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="IOB2, IOBES"):
        write_conll([trap("ascii-baseline")], tmp_path / "x.conll", ExportOptions(scheme="BILOU"))  # type: ignore[arg-type]


def test_an_unwritable_destination_is_a_file_fault(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileFault):
        write_conll([trap("ascii-baseline")], tmp_path / "file" / "x.conll", ExportOptions())


def test_relations_of_the_record_do_not_change_the_tags() -> None:
    record = linked_record()
    bare = DocumentRecord(record.id, record.text, record.spans, (), record.annotator)
    assert conll_document(record, ExportOptions())[0] == conll_document(bare, ExportOptions())[0]
    assert isinstance(record.relations[0], Relation)


# -- reading other files -----------------------------------------------------------------------------------------------
def read(tmp_path: Path, content: str | bytes, name: str = "in.conll") -> list:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return list(read_conll(path))


def test_reads_conll_2003_with_its_extra_columns(tmp_path: Path) -> None:
    content = (
        "-DOCSTART- -X- -X- O\n\n"
        "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP O\n. . O O\n\n"
        "Peter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n"
        "-DOCSTART- -X- -X- O\n\n"
        "BRUSSELS NNP B-NP B-LOC\n"
    )
    first, second = read(tmp_path, content, "eng.train")
    assert first.text == "EU rejects German call .\nPeter Blackburn"
    assert [(s.start, s.end, s.label, s.text) for s in first.spans] == [
        (0, 2, "ORG", "EU"),
        (11, 17, "MISC", "German"),
        (25, 40, "PER", "Peter Blackburn"),
    ]
    assert (first.id, first.where, first.rejected) == ("eng-1", "eng.train document 1 (line 1)", [])
    assert (second.id, second.where, second.text) == ("eng-2", "eng.train document 2 (line 12)", "BRUSSELS")


def test_a_file_without_docstart_is_one_document_crlf_bom_and_tabs_accepted(tmp_path: Path) -> None:
    content = "\ufeffSullivan\tB-actor\r\nwarned\tB-warning\r\nChina\tI-warning\r\n\r\n  \r\nYang B-actor\r\n"
    (parsed,) = read(tmp_path, content)
    assert parsed.text == "Sullivan warned China\nYang"
    found = [(s.label, s.text) for s in parsed.spans]
    assert found == [("actor", "Sullivan"), ("warning", "warned China"), ("actor", "Yang")]
    assert parsed.where == "in.conll document 1 (line 1)"


def test_iobes_and_iob2_are_both_read(tmp_path: Path) -> None:
    content = "A S-actor\nB B-actor\nC E-actor\nD B-claim\nE I-claim\nF I-claim\nG O\nH B-actor\nI B-actor\n"
    (parsed,) = read(tmp_path, content)
    assert [(s.label, s.text) for s in parsed.spans] == [
        ("actor", "A"),
        ("actor", "B C"),
        ("claim", "D E F"),
        ("actor", "H"),
        ("actor", "I"),
    ]
    assert parsed.rejected == []


def test_tags_that_continue_nothing_are_rejected_with_their_line(tmp_path: Path) -> None:
    content = (
        "-DOCSTART- O\n\n"
        "I-claim\n"  # line 3: one field
        "Beijing I-claim\n"  # line 4: after a line read as O
        "\n"
        "denied I-claim\n"  # line 6: I- at the start of a sentence (IOB1 style)
        "it I-claim\n"  # line 7: still no claim entity
        "now O\n"
        "then I-claim\n"  # line 9: after O
        "\n"
        "Yang B-actor\n"
        "said E-claim\n"  # line 12: E- of another label
        "so X-actor\n"  # line 13: not a tag
        "x B-\n"  # line 14: no label
        "y B-denial\n"
        "z E-denial\n"
        "w E-denial\n"  # line 17: after E-
    )
    (parsed,) = read(tmp_path, content)
    assert parsed.rejected == [
        "line 3: 'I-claim' has no tag in column 2; read as O",
        "line 4: I-claim does not continue a claim entity (after O); read as O",
        "line 6: I-claim does not continue a claim entity (at the start of a sentence); read as O",
        "line 7: I-claim does not continue a claim entity (after I-claim, read as O); read as O",
        "line 9: I-claim does not continue a claim entity (after O); read as O",
        "line 12: E-claim does not continue a claim entity (after B-actor); read as O",
        "line 13: 'X-actor' is not a tag (O, or B-, I-, E-, S- and a label); the token 'so' is read as O",
        "line 14: 'B-' is not a tag (O, or B-, I-, E-, S- and a label); the token 'x' is read as O",
        "line 17: E-denial does not continue a denial entity (after E-denial); read as O",
    ]
    assert parsed.text == "I-claim Beijing\ndenied it now then\nYang said so x y z w"
    found = [(s.label, s.text, s.where) for s in parsed.spans]
    assert found == [("actor", "Yang", "line 11"), ("denial", "y z", "line 15")]
    checked = check_record(parsed, LABELS, "x", "me")
    assert checked.rejected[0] == ("in.conll document 1 (line 1): line 3: 'I-claim' has no tag in column 2; read as O")
    assert [(s.label, s.text) for s in checked.record.spans] == [("actor", "Yang"), ("denial", "y z")]


@pytest.mark.parametrize(
    ("content", "fault"),
    [
        (b"\xff\xfeS\x00", "not UTF-8"),
        (b'{"text": "json"}\n[1, 2]\n', "is it CoNLL?"),
    ],
)
def test_unusable_files_are_file_faults(tmp_path: Path, content: bytes, fault: str) -> None:
    path = tmp_path / "bad.conll"
    path.write_bytes(content)
    with pytest.raises(FileFault, match=fault):
        read_conll(path)


def test_missing_files_and_folders_are_file_faults(tmp_path: Path) -> None:
    with pytest.raises(FileFault, match="could not read it"):
        read_conll(tmp_path / "missing.conll")
    with pytest.raises(FileFault, match="could not read it"):
        read_conll(tmp_path)


def test_empty_and_blank_files_hold_no_documents(tmp_path: Path) -> None:
    assert read(tmp_path, "") == []
    assert read(tmp_path, "\n\n  \n") == []
    assert [p.text for p in read(tmp_path, "-DOCSTART- O\n\n")] == [""]


# -- columns and tag schemes -------------------------------------------------------------------------------------------
GERMEVAL = (  # GermEval 2014 as distributed: a source comment, then index, word, outer tag, nested tag, tab-separated
    "#\thttp://de.wikipedia.org/wiki/Manfred_Korfmann [2009-10-17]\n"
    '1\tSchartau\tB-PER\tO\n2\tsagte\tO\tO\n3\tdem\tO\tO\n4\t"\tO\tO\n5\tTagesspiegel\tB-ORG\tO\n6\t"\tO\tO\n'
    "\n"
    "#\thttp://de.wikipedia.org/wiki/Bayerischer_Rundfunk [2010-03-04]\n"
    "1\tDer\tO\tO\n2\tBayerische\tB-ORG\tB-LOCderiv\n3\tRundfunk\tI-ORG\tO\n4\tsendet\tO\tO\n"
)


def read_with(tmp_path: Path, content: str, **options) -> list:
    path = tmp_path / "in.conll"
    path.write_text(content, encoding="utf-8")
    return list(read_conll(path, ImportOptions(**options)))


def entities(parsed: ParsedRecord) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in parsed.spans]


def seqeval_entities(content: str, word: int, tag: int, scheme: str | None = None) -> list[tuple[str, str]]:
    """What seqeval finds in column ``tag`` (1-based) of ``content``, with the words of column ``word``."""
    sentences = [
        [line.split() for line in block.splitlines() if line.strip() and not line.startswith(("#", "-DOCSTART-"))]
        for block in content.split("\n\n")
    ]
    found = []
    for rows in sentences:
        tags = [fields[tag - 1] for fields in rows]
        if scheme == "BILOU":
            tags = [t.replace("U-", "S-", 1).replace("L-", "E-", 1) for t in tags]
        for label, first, last in get_entities(tags):
            found.append((label, " ".join(fields[word - 1] for fields in rows[first : last + 1])))
    return found


def test_germeval_with_two_tag_columns_is_refused_naming_the_columns(tmp_path: Path) -> None:
    with pytest.raises(FileFault) as caught:
        read_with(tmp_path, GERMEVAL)
    message = str(caught.value)
    assert "columns 3 and 4 both hold tags" in message
    assert "column 1 counts the tokens" in message
    assert "give --tag-column 3 or --tag-column 4 (the words are then read from column 2" in message


@pytest.mark.parametrize("options", [{"word_column": 2, "tag_column": 3}, {"tag_column": 3}])
def test_germeval_reads_with_the_tag_column_given(tmp_path: Path, options: dict) -> None:
    (parsed,) = read_with(tmp_path, GERMEVAL, **options)
    assert parsed.text == 'Schartau sagte dem " Tagesspiegel "\nDer Bayerische Rundfunk sendet'
    assert entities(parsed) == [("PER", "Schartau"), ("ORG", "Tagesspiegel"), ("ORG", "Bayerische Rundfunk")]
    assert entities(parsed) == seqeval_entities(GERMEVAL, 2, 3)
    assert parsed.rejected == []
    # the nested column is not read, and the record says so
    assert parsed.notes == [
        "column 4 also holds entity tags, which are not read (column 3 is); --tag-column 3,4 reads them all "
        "(nested entities)"
    ]
    (nested,) = read_with(tmp_path, GERMEVAL, tag_column=4)
    assert entities(nested) == [("LOCderiv", "Bayerische")] == seqeval_entities(GERMEVAL, 2, 4)
    assert nested.notes[0].startswith("column 3 also holds entity tags, which are not read (column 4 is)")


def test_several_tag_columns_read_nested_entities_from_each(tmp_path: Path) -> None:
    (parsed,) = read_with(tmp_path, GERMEVAL, tag_column=(3, 4))
    assert entities(parsed) == [
        ("PER", "Schartau"),
        ("ORG", "Tagesspiegel"),
        ("ORG", "Bayerische Rundfunk"),
        ("LOCderiv", "Bayerische"),
    ]
    assert sorted(entities(parsed)) == sorted(seqeval_entities(GERMEVAL, 2, 3) + seqeval_entities(GERMEVAL, 2, 4))
    assert parsed.notes == [] and parsed.rejected == []
    # the same entity in both columns is one span; a bad tag names its column
    same = "1 Yang B-actor B-actor\n2 said O X-claim\n"
    (twice,) = read_with(tmp_path, same, word_column=2, tag_column=(3, 4))
    assert entities(twice) == [("actor", "Yang")]
    assert twice.rejected == [
        "line 2: column 4: 'X-claim' is not a tag (O, or B-, I-, E-, S- and a label); the token 'said' is read as O"
    ]


def test_with_several_tag_columns_a_stray_or_refused_tag_names_its_column(tmp_path: Path) -> None:
    stray = "1 Yang B-actor O\n2 said O E-claim\n"
    (parsed,) = read_with(tmp_path, stray, word_column=2, tag_column=(3, 4))
    assert entities(parsed) == [("actor", "Yang")]
    assert parsed.rejected == ["line 2: column 4: E-claim does not continue a claim entity (after O); read as O"]
    with pytest.raises(FileFault) as refused:
        read_with(tmp_path, "1 Yang B-actor U-actor\n2 said O O\n", word_column=2, tag_column=(3, 4))
    assert "line 1: column 4: U-actor: U- tags are not in the default scheme" in refused.value.message
    with pytest.raises(FileFault) as iob1:
        read_with(tmp_path, "1 Yang B-actor O\n2 said O I-claim\n", word_column=2, tag_column=(3, 4))
    assert "line 2: column 4: I-claim starts an entity (after O)" in iob1.value.message
    # one tag column: no column in the messages
    (single,) = read_with(tmp_path, stray, word_column=2, tag_column=4)
    assert single.rejected == ["line 2: E-claim does not continue a claim entity (after O); read as O"]


def test_with_several_tag_columns_a_hash_line_with_a_tag_in_any_of_them_is_a_token(tmp_path: Path) -> None:
    content = "# id = 7\nYang B-actor B-actor\n# B-warning\n# X B-claim\nsaid O O\n"
    (parsed,) = read_with(tmp_path, content, tag_column=(2, 3))
    assert parsed.text == "Yang # # said"
    assert entities(parsed) == [("actor", "Yang"), ("warning", "#"), ("claim", "#")]
    assert [(s.start, s.end) for s in parsed.spans] == [(0, 4), (5, 6), (7, 8)]
    assert parsed.rejected == [
        "line 3: '#' has no tag in column 3; read as O",
        "line 4: column 2: 'X' is not a tag (O, or B-, I-, E-, S- and a label); the token '#' is read as O",
    ]
    # one tag column: the rule is the one it always was
    (single,) = read_with(tmp_path, content, tag_column=2)
    assert single.text == "Yang # said" and entities(single) == [("actor", "Yang"), ("warning", "#")]


def test_an_index_first_column_is_never_the_word(tmp_path: Path) -> None:
    content = "1 Sullivan B-actor\n2 warned B-warning\n3 China I-warning\n\n1 Yang B-actor\n2 said O\n"
    (parsed,) = read_with(tmp_path, content)
    assert parsed.text == "Sullivan warned China\nYang said"
    assert entities(parsed) == [("actor", "Sullivan"), ("warning", "warned China"), ("actor", "Yang")]
    # a first column that does not count 1, 2, 3... in each sentence is the word
    (counted,) = read_with(tmp_path, content.replace("2 said", "3 said"))
    assert counted.text.startswith("1 2 3\n1 3")
    # asked for, the index is the word
    (asked,) = read_with(tmp_path, content, word_column=1, tag_column=3)
    assert asked.text == "1 2 3\n1 2"


def test_conll_2003_chunk_tags_are_not_taken_for_entities(tmp_path: Path) -> None:
    content = "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP O\n"
    (parsed,) = read_with(tmp_path, content)
    assert entities(parsed) == [("ORG", "EU"), ("MISC", "German")] == seqeval_entities(content, 1, 4)
    (chunks,) = read_with(tmp_path, content, tag_column=3)
    assert entities(chunks) == [("NP", "EU"), ("VP", "rejects"), ("NP", "German call")]
    # entity tags in both columns: no rule tells them apart
    with pytest.raises(FileFault, match="columns 3 and 4 both hold tags"):
        read_with(tmp_path, content.replace("-NP", "-PER").replace("-VP", "-LOC"))


CONLL_2003_IOB1 = (  # the original CoNLL-2003 files: IOB1 entities and chunks
    "-DOCSTART- -X- -X- O\n\n"
    "EU NNP I-NP I-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP I-MISC\ncall NN I-NP O\n. . O O\n\n"
    "Peter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\nJones NNP B-NP B-PER\nsaid VBD I-VP O\n"
)


def test_iob1_tags_are_refused_under_iob2_with_a_hint(tmp_path: Path) -> None:
    for scheme in (None, "IOB2"):
        with pytest.raises(FileFault) as caught:
            read_with(tmp_path, CONLL_2003_IOB1, scheme=scheme)
        message = str(caught.value)
        assert "line 3: I-ORG starts an entity (at the start of a sentence)" in message
        assert "(3 such tags)" in message and "give --scheme IOB1" in message
    with pytest.raises(FileFault, match=r"line 2: I-PER starts an entity \(after B-ORG\)"):
        read_with(tmp_path, "EU B-ORG\nPeter I-PER\n")


def test_iob1_reads_with_its_scheme(tmp_path: Path) -> None:
    (parsed,) = read_with(tmp_path, CONLL_2003_IOB1, scheme="IOB1")
    expected = [("ORG", "EU"), ("MISC", "German"), ("PER", "Peter Blackburn"), ("PER", "Jones")]
    assert entities(parsed) == expected == seqeval_entities(CONLL_2003_IOB1, 1, 4)
    assert parsed.rejected == []
    (other,) = read_with(tmp_path, "a I-PER\nb I-PER\nc B-PER\nd I-LOC\ne I-PER\n", scheme="IOB1")
    assert entities(other) == [("PER", "a b"), ("PER", "c"), ("LOC", "d"), ("PER", "e")]


BILOU = "Sullivan U-actor\nwarned B-warning\nof I-warning\nconsequences L-warning\n. O\n\nYang U-actor\n"


def test_bilou_reads_with_its_scheme_and_is_refused_under_others(tmp_path: Path) -> None:
    (parsed,) = read_with(tmp_path, BILOU, scheme="BILOU")
    expected = [("actor", "Sullivan"), ("warning", "warned of consequences"), ("actor", "Yang")]
    assert entities(parsed) == expected == seqeval_entities(BILOU, 1, 2, "BILOU")
    assert parsed.rejected == []
    for scheme, name in [(None, "the default scheme"), ("IOBES", "the IOBES scheme"), ("IOB2", "the IOB2 scheme")]:
        with pytest.raises(FileFault) as caught:
            read_with(tmp_path, BILOU, scheme=scheme)
        assert f"line 1: U-actor: L- and U- tags are not in {name}" in str(caught.value)
        assert str(caught.value).endswith("give --scheme BILOU")


def test_a_scheme_that_lacks_the_files_prefixes_names_the_one_that_has_them(tmp_path: Path) -> None:
    iobes = "A S-actor\nB B-claim\nC E-claim\n"
    with pytest.raises(FileFault, match=r"line 1: S-actor: E- and S- tags are not in the IOB2 scheme; give --scheme"):
        read_with(tmp_path, iobes, scheme="IOB2")
    assert entities(read_with(tmp_path, iobes, scheme="IOBES")[0]) == [("actor", "A"), ("claim", "B C")]
    with pytest.raises(FileFault, match="the tags mix B-, E-, S- and L-, as no scheme does"):
        read_with(tmp_path, iobes + "D L-actor\n")


def test_comment_lines_are_left_out_and_a_hash_token_is_read(tmp_path: Path) -> None:
    content = "# id = 1\n# text = Sullivan warned\nSullivan B-actor\n# O\nwarned B-warning\n\n# sent_id = 2\nYang O\n"
    (parsed,) = read_with(tmp_path, content)
    assert parsed.text == "Sullivan # warned\nYang"
    assert entities(parsed) == [("actor", "Sullivan"), ("warning", "warned")]
    assert parsed.rejected == []


@pytest.mark.parametrize(
    ("options", "fault"),
    [
        ({"tag_column": 5}, "--tag-column 5: no line has a column 5 (the lines have 3)"),
        ({"word_column": 2, "tag_column": 2}, "--word-column and --tag-column are both 2"),
        ({"tag_column": 2}, "--tag-column 2: the column holds no tag"),
    ],
)
def test_columns_that_cannot_be_the_word_or_tag_are_refused(tmp_path: Path, options: dict, fault: str) -> None:
    with pytest.raises(FileFault, match=re.escape(fault)):
        read_with(tmp_path, "Sullivan NNP B-actor\nwarned VBD O\n", **options)


def test_lines_short_of_the_columns_given_are_rejected_one_by_one(tmp_path: Path) -> None:
    content = "1 Sullivan B-actor\n2 warned\n3\n4 China O\n"
    (parsed,) = read_with(tmp_path, content, word_column=2, tag_column=3)
    assert parsed.text == "Sullivan warned China"
    assert parsed.rejected == [
        "line 2: 'warned' has no tag in column 3; read as O",
        "line 3: has 1 field, no word in column 2; left out",
    ]
