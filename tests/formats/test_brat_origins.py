"""brat standoff carries span origins as the ``Origin`` attribute (declared in annotation.conf) both ways; the
suggester, score and pending or rejected suggestions, which it cannot hold, are reported once with counts."""

from __future__ import annotations

from annotator.formats.brat import read_brat
from annotator.formats.exporting import export
from annotator.formats.options import ExportOptions
from annotator.formats.records import DocumentRecord
from annotator.formats.registry import get_format
from tests.formats.support import read_checked
from tests.formats.test_jsonl_suggestions import annotated


def test_origins_round_trip_as_attributes_and_the_rest_is_reported(tmp_path):
    record = DocumentRecord.from_annotations(annotated(), "news/a")
    out = tmp_path / "brat"

    report = export(get_format("brat"), [record], out, ExportOptions())

    ann = (out / "news" / "a.ann").read_text(encoding="utf-8").splitlines()
    assert [line for line in ann if line.startswith("A")] == [
        "A1\tOrigin T1 suggestion",
        "A2\tOrigin T2 suggestion-edited",
    ]
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "Origin\tArg:<ENTITY>, Value:suggestion|suggestion-edited" in conf.split("[attributes]")[1]
    assert report.left_out == [
        "not exported (brat standoff (.txt + .ann) has no room for them): the suggester and score of 2 spans accepted "
        "from suggestions, 1 pending suggestion, 1 rejected suggestion, whether suggestions were shown and the active "
        "time of 1 document"
    ]

    (back,), rejected = read_checked(read_brat, out)
    assert rejected == []
    assert [(s.id, s.origin, s.suggester, s.score) for s in back.spans] == [
        ("T1", "suggestion", "unknown", None),
        ("T2", "suggestion-edited", "unknown", None),
    ]


def test_bad_origin_attributes_are_rejected_with_their_line(tmp_path):
    (tmp_path / "a.txt").write_text("Yang denied it.", encoding="utf-8")
    (tmp_path / "a.ann").write_text(
        "T1\tactor 0 4\tYang\nT2\tdenial 5 11\tdenied\n"
        "A1\tOrigin T1 guessed\nA2\tOrigin T2 manual\nA3\tOrigin T9 suggestion\n",
        encoding="utf-8",
    )
    (record,), rejected = read_checked(read_brat, tmp_path)
    assert [s.origin for s in record.spans] == ["manual", "manual"]
    assert rejected == [
        "a.ann: line 3: A1 is not 'A<n><TAB>Origin T<k> manual|suggestion|suggestion-edited'; not imported",
        "a.ann: line 5: the origin A3 refers to 'T9', which is not a span of this file",
    ]
