"""spaCy DocBin export: every span is either in doc.spans["sc"] at its exact offsets or reported; doc.ents never
overlap; doc.user_data carries ids, notes, uncertain marks and links."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

from annotator.formats.options import ExportOptions
from annotator.formats.overlap import OverlapError
from annotator.formats.records import DocumentRecord
from annotator.formats.spacy_docbin import MISSING_SPACY, write_spacy
from annotator.io.errors import FileFault
from tests.formats.support import linked_record, spans_of, trap_records, whitespace_edged_record

SOFT_HYPHEN = "Sanc\xadtions hit a  b."


def misaligned_record() -> DocumentRecord:
    """Spans ending inside a token, and reaching into or lying in the spaces between tokens."""
    text = SOFT_HYPHEN
    a = text.index("a  b")
    return DocumentRecord("mis", text, spans_of(text, (0, 4, "claim"), (a, a + 2, "actor"), (a + 1, a + 2, "actor")))


def load(path: Path, lang: str = "xx") -> list:
    import spacy
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(spacy.blank(lang).vocab))


def problems_by_span(report) -> dict[tuple[str, int, int, str], list]:
    found: dict[tuple[str, int, int, str], list] = {}
    for problem in report.problems:
        found.setdefault((problem.document, problem.start, problem.end, problem.label), []).append(problem)
    return found


def check_docs(records: list[DocumentRecord], report, docs: list) -> None:
    """Each span is in doc.spans["sc"] at its own offsets, or snapped or misaligned as reported; ents disjoint."""
    problems = problems_by_span(report)
    assert len(docs) == len(records) == report.documents
    assert report.spans == sum(len(doc.spans["sc"]) for doc in docs)
    for record, doc in zip(records, docs, strict=True):
        assert doc.text == record.text
        in_sc = {(s.id_, s.label_): s for s in doc.spans["sc"]}
        for span in record.spans:
            kinds = [p.kind for p in problems.get((record.key, span.start, span.end, span.label), [])]
            if "misaligned" in kinds:
                assert doc.char_span(span.start, span.end) is None
                assert (span.id, span.label) not in in_sc
                continue
            written = in_sc[(span.id, span.label)]
            if "snapped" in kinds:
                assert (written.start_char, written.end_char) != (span.start, span.end)
            elif "trimmed" in kinds:
                assert written.text == span.text.strip() != span.text
                assert span.start <= written.start_char < written.end_char <= span.end
            else:
                assert doc.char_span(span.start, span.end).text == span.text
                assert (written.start_char, written.end_char, written.text) == (span.start, span.end, span.text)
        ents = sorted(doc.ents, key=lambda e: e.start_char)
        assert all(left.end_char <= right.start_char for left, right in itertools.pairwise(ents))
        dropped = [p for p in report.problems if p.document == record.key and p.kind == "dropped"]
        assert len(ents) + len(dropped) == len(doc.spans["sc"])
        assert all("kept in doc.spans['sc']" in p.reason for p in dropped)


def test_trap_spans_are_written_exactly_or_reported(tmp_path):
    records = [*trap_records(), linked_record(), misaligned_record()]
    out = tmp_path / "out" / "train.spacy"

    report = write_spacy(records, out, ExportOptions())

    assert report.files == [out]
    check_docs(records, report, load(out))
    kinds = {(p.document, p.label, p.start): p.kind for p in report.problems}
    assert kinds[("cjk@trap", "actor", 0)] == "misaligned"  # "xx" does not split Chinese
    assert kinds[("mis", "claim", 0)] == "misaligned"
    assert kinds[("overlap-and-nesting@trap", "actor", 0)] == "dropped"
    assert kinds[("same-span-two-labels@trap", "denial", 0)] == "dropped"
    assert ("crlf-lines@trap", "warning", 20) not in kinds  # CR LF, emoji, NBSP, RTL: aligned as they are
    assert {p.kind for p in report.problems} == {"misaligned", "dropped", "trimmed"}
    assert [(p.document, p.start, p.end) for p in report.problems if p.kind == "trimmed"] == [("mis", 15, 17)]


def test_misaligned_reasons_name_the_boundary_and_token(tmp_path):
    report = write_spacy([misaligned_record()], tmp_path / "m.spacy", ExportOptions())

    reasons = [p.reason for p in report.problems]
    assert reasons[0].startswith("its end (code point 4) falls inside the spaCy token 'Sanc\\xadtions' [0, 10)")
    assert reasons[1] == "the whitespace at its end (' ') is part of no token; written without it as [15, 16) 'a'"
    assert reasons[2] == "it is only whitespace, which is part of no token; left out of doc.spans and doc.ents"
    assert [(p.kind, p.loses_span) for p in report.problems] == [
        ("misaligned", True),
        ("trimmed", False),
        ("misaligned", True),
    ]
    assert report.spans == 1


def test_whitespace_at_a_span_edge_is_trimmed_as_in_conll(tmp_path):
    record = whitespace_edged_record()
    out = tmp_path / "edges.spacy"

    report = write_spacy([record], out, ExportOptions())

    (doc,) = load(out)
    check_docs([record], report, [doc])
    assert [(p.kind, p.start, p.end) for p in report.problems if p.kind != "dropped"] == [
        ("trimmed", 3, 13),
        ("trimmed", 21, 32),
        ("trimmed", 30, 48),
        ("trimmed", 32, 39),
        ("misaligned", 39, 45),
        ("trimmed", 49, 54),
    ]
    assert [(s.start_char, s.end_char, s.text) for s in doc.spans["sc"]] == [
        (4, 12, "Person H"),
        (21, 30, "Officials"),
        (33, 48, "warned Sullivan"),
        (33, 39, "warned"),
        (50, 54, "Wang"),
    ]
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
        (4, 12, "actor"),
        (21, 30, "actor"),
        (33, 48, "warning"),
        (50, 54, "actor"),
    ]
    assert report.problems[4].reason.startswith("the whitespace at its start (' ') is part of no token, and without")


def test_snap_widens_to_tokens_and_reports_new_offsets(tmp_path):
    records = [*trap_records(), misaligned_record()]
    out = tmp_path / "snapped.spacy"

    report = write_spacy(records, out, ExportOptions(snap=True))

    docs = load(out)
    check_docs(records, report, docs)
    snapped = {(p.document, p.start, p.end): p for p in report.problems if p.kind == "snapped"}
    assert "snapped to the spaCy token boundaries [0, 10) 'Sanc\\xadtions'" in snapped[("mis", 0, 4)].reason
    trimmed = {(p.document, p.start, p.end): p for p in report.problems if p.kind == "trimmed"}
    assert "written without it as [15, 16) 'a'" in trimmed[("mis", 15, 17)].reason  # trimmed, not snapped
    mis = docs[-1]
    assert [(s.start_char, s.end_char, s.label_) for s in mis.spans["sc"]] == [(0, 10, "claim"), (15, 16, "actor")]
    (lost,) = [p for p in report.problems if p.document == "mis" and p.kind == "misaligned"]
    assert lost.reason.startswith("it is only whitespace, which is part of no token")  # nothing to snap to
    cjk = docs[[r.id for r in records].index("cjk")]
    assert len(cjk.spans["sc"]) == 3 and len(cjk.ents) == 1  # all snapped to the one token, then overlapping


def test_chinese_tokenizer_aligns_chinese_spans(tmp_path):
    (cjk,) = [r for r in trap_records() if r.id == "cjk"]
    out = tmp_path / "zh.spacy"
    report = write_spacy([cjk], out, ExportOptions(spacy_lang="zh"))
    assert report.problems == []
    check_docs([cjk], report, load(out, "zh"))


def test_user_data_carries_ids_notes_uncertain_marks_and_links(tmp_path):
    record = linked_record()
    first = record.spans[0].model_copy(update={"uncertain": True})
    record = DocumentRecord(record.id, record.text, (first, *record.spans[1:]), record.relations, "alice", record.meta)
    out = tmp_path / "linked.spacy"

    write_spacy([record], out, ExportOptions())

    (doc,) = load(out)
    data = doc.user_data
    assert (data["id"], data["annotator"], data["meta"]) == ("news/linked", "alice", {"status": "done"})
    assert [(r["id"], r["type"], r["from"], r["to"]) for r in data["relations"]] == [
        (r.id, r.type, r.from_, r.to) for r in record.relations
    ]
    spans = {item["id"]: item for item in data["spans"]}
    assert [item["id"] for item in data["spans"]] == [s.id for s in record.spans]
    for span in record.spans:
        item = spans[span.id]
        assert (item["start"], item["end"], item["label"]) == (span.start, span.end, span.label)
        assert item.get("note", "") == span.note
        assert item.get("uncertain", False) == span.uncertain
        written = doc.spans["sc"][item["sc"]]
        assert (written.id_, written.start_char, written.end_char) == (span.id, span.start, span.end)
        assert item["ent"] == any(e.id_ == span.id for e in doc.ents)
    assert "cue verb" in spans["s3"]["note"]
    assert spans["s2"]["ent"] is False  # China lies inside the warning: not in doc.ents


def test_overlap_policies(tmp_path):
    (nested,) = [r for r in trap_records() if r.id == "overlap-and-nesting"]
    report = write_spacy([nested], tmp_path / "earliest.spacy", ExportOptions(overlap="earliest"))
    (doc,) = load(tmp_path / "earliest.spacy")
    assert [(e.start_char, e.end_char) for e in doc.ents] == [(0, 50)]
    assert len(doc.spans["sc"]) == 4 and report.spans == 4
    with pytest.raises(OverlapError):
        write_spacy([nested], tmp_path / "error.spacy", ExportOptions(overlap="error"))
    assert not (tmp_path / "error.spacy").exists()


def test_unknown_language_is_a_file_fault(tmp_path):
    with pytest.raises(FileFault, match="spaCy cannot tokenize the language code 'zz'"):
        write_spacy(trap_records(), tmp_path / "x.spacy", ExportOptions(spacy_lang="zz"))


def test_missing_spacy_is_a_file_fault(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "spacy", None)
    with pytest.raises(FileFault) as caught:
        write_spacy(trap_records(), tmp_path / "x.spacy", ExportOptions())
    assert caught.value.faults == [MISSING_SPACY]
    assert not (tmp_path / "x.spacy").exists()


def test_meta_that_cannot_be_stored_is_a_file_fault(tmp_path):
    record = DocumentRecord("odd", "Yang denied it.", meta={"when": object()})
    with pytest.raises(FileFault, match=r"record odd: its meta cannot be stored in doc\.user_data"):
        write_spacy([record], tmp_path / "x.spacy", ExportOptions())


def test_origins_and_pending_suggestions_are_in_user_data_never_in_spans_or_ents(tmp_path):
    from tests.formats.test_export_suggestion_parts import record_with_suggestions

    record = record_with_suggestions("news/a")
    report = write_spacy([record], tmp_path / "out.spacy", ExportOptions())
    assert report.left_out == []
    (doc,) = load(tmp_path / "out.spacy")
    data = doc.user_data
    accepted = next(s for s in data["spans"] if s["id"] == "s1")
    assert (accepted["origin"], accepted["suggester"], accepted["score"]) == ("suggestion", "sm", 0.5)
    assert "origin" not in next(s for s in data["spans"] if s["id"] == "s2")
    (pending,) = data["suggestions"]
    assert (pending["start"], pending["end"], pending["label"], pending["score"]) == (16, 24, "actor", 0.75)
    assert [dict(r) for r in data["rejected_suggestions"]] == [
        {"start": 31, "end": 36, "label": "actor", "suggester": "sm"}
    ]
    assert all(span.id_ != "g1" for span in doc.spans["sc"]) and all(ent.start_char != 16 for ent in doc.ents)
