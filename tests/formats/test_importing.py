import json
from pathlib import Path

import pytest

from annotator.formats.importing import ImportReport, import_records, subfolder_for
from annotator.formats.jsonl import read_jsonl
from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set
from annotator.io.textfile import read_text_file
from annotator.model.document import text_sha256
from annotator.project.layout import Project
from tests.conftest import trap_cases

LABELS = default_label_set()


def import_jsonl(path: Path, project: Project, label_set, annotator: str) -> ImportReport:
    """Import a JSONL file into ``project`` as the app does: into a folder named after the file."""
    return import_records(read_jsonl(path), project, label_set, annotator, subfolder=subfolder_for(path))


def write_jsonl(path: Path, lines: list, *, ensure_ascii: bool = False, prefix: bytes = b"") -> Path:
    """Write ``lines`` (dicts are dumped as JSON, strings kept as they are) one a line."""
    out = [line if isinstance(line, str) else json.dumps(line, ensure_ascii=ensure_ascii) for line in lines]
    path.write_bytes(prefix + "\n".join(out).encode("utf-8") + b"\n")
    return path


@pytest.fixture
def project(tmp_path) -> Project:
    root = tmp_path / "project"
    root.mkdir()
    return Project(root)


def spans_of(project: Project, document_id: str, annotator: str) -> list[tuple[int, int, str, str]]:
    loaded = annotation_file.load(project.annotation_path(document_id, annotator))
    return [(s.start, s.end, s.label, s.text) for s in loaded.sorted_spans()]


def test_trap_corpus_imports_exactly(project, tmp_path):
    cases = trap_cases()
    assert {span["label"] for case in cases for span in case["spans"]} <= set(LABELS.names)  # no mapping needed
    records = [{"id": case["name"], "text": case["text"], "spans": case["spans"]} for case in cases]
    jsonl = write_jsonl(tmp_path / "traps.jsonl", records)  # raw U+2028, RTL, astral characters in the lines

    report = import_jsonl(jsonl, project, LABELS, "alice")

    assert report.rejected == []
    assert report.skipped == []
    assert report.documents == [f"traps/{case['name']}.txt" for case in cases]
    assert report.spans == sum(len(case["spans"]) for case in cases)
    for case in cases:
        document_id = f"traps/{case['name']}.txt"
        text_path = project.text_path(document_id)
        assert text_path.read_bytes() == case["text"].encode("utf-8")  # CR LF, lone CR, trailing newlines kept
        assert read_text_file(text_path).text == case["text"]
        loaded = annotation_file.load(project.annotation_path(document_id, "alice"))
        assert loaded.text == case["text"]
        assert loaded.document.sha256 == case["sha256"] == text_sha256(case["text"])
        assert loaded.document.source.file_name == f"{case['name']}.txt"
        assert loaded.document_id == document_id
        assert loaded.annotator == "alice"
        assert loaded.label_set == LABELS
        expected = sorted((s["start"], s["end"], s["label"], s["text"]) for s in case["spans"])
        assert spans_of(project, document_id, "alice") == expected
        assert len({s.id for s in loaded}) == len(expected)
    assert sorted(project.document_ids()) == sorted(report.documents)


def test_escaped_jsonl_gives_the_same_texts(project, tmp_path):
    cases = trap_cases()
    records = [{"id": case["name"], "text": case["text"]} for case in cases]
    report = import_jsonl(write_jsonl(tmp_path / "escaped.jsonl", records, ensure_ascii=True), project, LABELS, "a")
    assert report.rejected == []
    for case in cases:
        assert read_text_file(project.text_path(f"escaped/{case['name']}.txt")).text == case["text"]


def test_crlf_text_and_bom_initial_text_are_kept(project, tmp_path):
    crlf = "Line one.\r\nSullivan warned.\r\n"
    bom = "\ufeffSullivan warned Beijing."
    jsonl = write_jsonl(
        tmp_path / "kept.jsonl",
        [
            {"id": "crlf", "text": crlf, "spans": [{"start": 11, "end": 19, "label": "actor"}]},
            {"id": "bom", "text": bom, "spans": [{"start": 1, "end": 9, "label": "actor"}]},
        ],
    )
    report = import_jsonl(jsonl, project, LABELS, "alice")
    assert report.rejected == [] and report.spans == 2
    assert project.text_path("kept/crlf.txt").read_bytes() == crlf.encode("utf-8")
    assert project.text_path("kept/bom.txt").read_bytes() == b"\xef\xbb\xbf" + bom.encode("utf-8")
    assert read_text_file(project.text_path("kept/bom.txt")).text == bom
    assert spans_of(project, "kept/crlf.txt", "alice") == [(11, 19, "actor", "Sullivan")]
    assert spans_of(project, "kept/bom.txt", "alice") == [(1, 9, "actor", "Sullivan")]
    loaded = annotation_file.load(project.annotation_path("kept/crlf.txt", "alice"))
    assert loaded.document.source.line_ending == "CRLF"
    assert annotation_file.load(project.annotation_path("kept/bom.txt", "alice")).document.source.bom is True


def test_bad_records_and_spans_are_rejected_one_by_one(project, tmp_path):
    text = "Sullivan warned that China would face consequences."  # 51 code points
    good_spans = [{"start": 0, "end": 8, "label": "actor"}]
    lines = [
        {"id": "good-1", "text": text, "spans": good_spans},  # line 1
        '{"id": "broken", "text": ',  # line 2
        {"id": "no-text"},  # line 3
        {
            "id": "spans",  # line 4
            "text": text,
            "spans": [
                {"start": 10, "end": 5, "label": "actor"},
                {"start": 40, "end": 60, "label": "claim"},
                {"start": -1, "end": 3, "label": "claim"},
                {"start": 0, "end": 8, "label": "person"},
                {"start": 1.5, "end": 8, "label": "actor"},
                {"start": "0", "end": 8, "label": "actor"},
                {"start": True, "end": 8, "label": "actor"},
                {"start": 3, "end": 3, "label": "actor"},
                {"start": 0, "end": 8},
                {"start": 0, "end": 8, "label": "actor", "text": "Sulliva"},
                "0-8 actor",
                {"start": 9, "end": 15, "label": "warning", "text": "warned"},
                {"start": 9, "end": 15, "label": "warning"},
            ],
        },
        "",  # line 5: blank, ignored
        "[1, 2, 3]",  # line 6
        {"text": 42},  # line 7
        {"id": "nul", "text": "a\x00b"},  # line 8
        {"id": ["x"], "text": text},  # line 9
        {"id": "bad-spans", "text": text, "spans": "all of them"},  # line 10
        '{"id": "surrogate", "text": "half \\ud83d of an emoji"}',  # line 11
        {"id": "empty", "text": ""},  # line 12
        {"id": "who", "text": text, "annotator": 7},  # line 13
        "   \t",  # line 14: blank
        "[" * 100_000,  # line 15
        {"id": "good-2", "text": "Yang denied it.", "spans": [{"start": 5, "end": 11, "label": "denial"}]},
    ]
    report = import_jsonl(write_jsonl(tmp_path / "articles.jsonl", lines), project, LABELS, "alice")

    assert report.documents == ["articles/good-1.txt", "articles/spans.txt", "articles/good-2.txt"]
    assert report.spans == 3
    assert spans_of(project, "articles/spans.txt", "alice") == [(9, 15, "warning", "warned")]
    assert spans_of(project, "articles/good-2.txt", "alice") == [(5, 11, "denial", "denied")]
    rejected = report.rejected
    assert rejected[0].startswith("articles.jsonl line 2: not valid JSON (")
    assert rejected[1] == 'articles.jsonl line 3: no "text" string'
    line_4 = "articles.jsonl line 4: "
    span_messages = [m.removeprefix(line_4) for m in rejected if m.startswith(line_4)]
    assert span_messages == [  # the reader's own rejections first, then the checks against the text
        "span 9 has no 'label'",
        'span 11 is not an object with "start", "end" and "label" (found "0-8 actor")',
        "span 1 [10, 5) is reversed",
        "span 2 [40, 60) is outside the text (0 to 51 code points)",
        "span 3 [-1, 3) is outside the text (0 to 51 code points)",
        "span 4 [0, 8) has the label 'person', which is not in the label set (actor, claim, warning, denial)",
        "span 5 [1.5, 8): offsets must be whole numbers (code points)",
        'span 6 ["0", 8): offsets must be whole numbers (code points)',
        "span 7 [true, 8): offsets must be whole numbers (code points)",
        "span 8 [3, 3) is empty",
        'span 10 [0, 8) actor: its text "Sulliva" does not match the document there ("Sullivan"); '
        "are the offsets code points?",
        "span 13 [9, 15) warning is listed twice",
    ]
    others = [m for m in rejected[2:] if not m.startswith("articles.jsonl line 4")]
    assert others[0] == "articles.jsonl line 6: not a JSON object (found [1, 2, 3])"
    assert others[1] == 'articles.jsonl line 7: no "text" string'
    assert others[2].startswith('articles.jsonl line 8: "text" cannot be stored as a text file: it looks binary')
    assert others[3] == 'articles.jsonl line 9: "id" must be a string or a whole number, not ["x"]'
    assert others[4].startswith('articles.jsonl line 10: "spans" must be a list')
    assert others[5].startswith('articles.jsonl line 11: "text" contains a lone surrogate')
    assert others[6] == 'articles.jsonl line 12: "text" is empty'
    assert others[7] == 'articles.jsonl line 13: "annotator" must be a name (a string), not 7'
    assert others[8].startswith("articles.jsonl line 15: not usable JSON (RecursionError")
    assert len(others) == 9
    assert report.summary() == f"Imported 3 documents with 3 spans; rejected {len(rejected)} (see the list)"
    assert set(project.document_ids()) == set(report.documents)


def test_ids_names_and_duplicates(project, tmp_path):
    lines = [
        {"id": "rec-1", "text": "one"},
        {"id": "rec-1", "text": "two"},
        {"id": "rec-1", "text": "three"},
        {"text": "no id"},
        {"id": 17, "text": "numbered"},
        {"id": "a/b:c?.txt", "text": "unsafe"},
        {"id": "..", "text": "dots"},
        {"id": "  ", "text": "blank id"},
        {"id": "CON", "text": "device"},
        {"id": "x" * 400, "text": "long"},
        {"id": "Rec-1", "text": "case"},
    ]
    report = import_jsonl(write_jsonl(tmp_path / "imported.jsonl", lines), project, LABELS, "alice")
    assert report.rejected == []
    assert report.documents == [
        "imported/rec-1.txt",
        "imported/rec-1-2.txt",
        "imported/rec-1-3.txt",
        "imported/record-0004.txt",
        "imported/17.txt",
        "imported/a/b_c_.txt",  # "/" makes folders
        "imported/record-0007.txt",
        "imported/record-0008.txt",
        "imported/_CON.txt",
        f"imported/{'x' * 150}.txt",
        "imported/Rec-1-4.txt",  # another case of rec-1: a clash on case-insensitive file systems
    ]
    assert [read_text_file(project.text_path(d)).text for d in report.documents[:3]] == ["one", "two", "three"]
    assert not (project.annotations_folder).exists()  # no "spans" key, no annotator: only text files
    assert sorted(project.document_ids()) == sorted(report.documents)
    assert report.summary() == ("Imported 11 documents with 0 spans; 11 without annotations; 7 notes (see the list)")
    assert report.notes[0] == (
        "imported.jsonl line 2: stored as imported/rec-1-2.txt, since imported/rec-1.txt holds a different text "
        "(or annotations of a document no longer there)"
    )
    assert "imported.jsonl line 6: id 'a/b:c?.txt' is not a safe file name; stored as imported/a/b_c_.txt" in (
        report.notes
    )


def test_reimport_skips_and_changes_nothing(project, tmp_path):
    lines = [
        {"id": "rec-1", "text": "Yang denied it.", "spans": [{"start": 5, "end": 11, "label": "denial"}]},
        {"id": "rec-1", "text": "Price warned.", "spans": [{"start": 0, "end": 5, "label": "actor"}]},
        {"id": "rec-2", "text": "Bob.", "annotator": "carol", "spans": [{"start": 0, "end": 3, "label": "actor"}]},
    ]
    jsonl = write_jsonl(tmp_path / "news.jsonl", lines)
    first = import_jsonl(jsonl, project, LABELS, "alice")
    assert first.documents == ["news/rec-1.txt", "news/rec-1-2.txt", "news/rec-2.txt"]
    assert first.summary() == "Imported 3 documents with 3 spans; 1 note (see the list)"
    assert spans_of(project, "news/rec-2.txt", "carol") == [(0, 3, "actor", "Bob")]
    assert not project.annotation_path("news/rec-2.txt", "alice").exists()
    snapshot = {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()}

    again = import_jsonl(jsonl, project, LABELS, "alice")
    assert again == ImportReport(
        documents=[],
        spans=0,
        rejected=[],
        skipped=[
            "news.jsonl line 1: already imported as news/rec-1.txt",
            "news.jsonl line 2: already imported as news/rec-1-2.txt",
            "news.jsonl line 3: already imported as news/rec-2.txt",
        ],
        spans_found=3,
        spans_valid=3,  # valid, though none is written again
    )
    assert again.summary() == "Imported 0 documents with 0 spans; skipped 3 already imported"
    assert {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()} == snapshot


def test_existing_files_are_never_overwritten(project, tmp_path):
    (project.root / "news").mkdir()
    project.text_path("news/rec-1.txt").write_text("someone else's text", encoding="utf-8")
    orphaned = project.annotation_path("news/rec-2.txt", "bob")  # annotations of a document since removed
    orphaned.parent.mkdir(parents=True)
    orphaned.write_text("{}", encoding="utf-8")
    lines = [{"id": "rec-1", "text": "new text"}, {"id": "rec-2", "text": "other", "spans": []}]
    report = import_jsonl(write_jsonl(tmp_path / "news.jsonl", lines), project, LABELS, "alice")
    assert report.documents == ["news/rec-1-2.txt", "news/rec-2-2.txt"]
    assert project.text_path("news/rec-1.txt").read_text(encoding="utf-8") == "someone else's text"
    assert orphaned.read_text(encoding="utf-8") == "{}"


def test_jsonl_with_bom_crlf_and_reserved_name(project, tmp_path):
    jsonl = tmp_path / "annotations.jsonl"
    jsonl.write_bytes(b"\xef\xbb\xbf" + b'{"id": "a", "text": "A."}\r\n\r\n{"id": "b", "text": "B."}\r\n')
    report = import_jsonl(jsonl, project, LABELS, "alice")
    assert report.rejected == []
    assert report.documents == ["annotations-imported/a.txt", "annotations-imported/b.txt"]
    assert project.document_ids() == report.documents


def test_file_that_is_not_utf8_is_a_file_fault(project, tmp_path):
    jsonl = tmp_path / "latin.jsonl"
    jsonl.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    with pytest.raises(FileFault) as fault:
        import_jsonl(jsonl, project, LABELS, "alice")
    assert fault.value.path == jsonl
    assert "not UTF-8 (line 2" in str(fault.value)
    assert project.document_ids() == []  # nothing imported
    with pytest.raises(FileFault) as missing:
        import_jsonl(tmp_path / "missing.jsonl", project, LABELS, "alice")
    assert "could not read it" in str(missing.value)


def test_summary_wording():
    report = ImportReport(documents=["a/x.txt"], spans=1, rejected=["r1", "r2"], skipped=["s"])
    assert report.summary() == "Imported 1 document with 1 span; rejected 2 (see the list); skipped 1 already imported"


def test_two_annotators_of_one_document_share_it(project, tmp_path):
    text = "Yang denied it."
    lines = [
        {"id": "a", "text": text, "annotator": "alice", "spans": [{"start": 0, "end": 4, "label": "actor"}]},
        {"id": "a", "text": text, "annotator": "bob", "spans": [{"start": 5, "end": 11, "label": "denial"}]},
        {"id": "a", "text": "Another text.", "annotator": "carol"},
    ]
    jsonl = write_jsonl(tmp_path / "shared.jsonl", lines)
    report = import_jsonl(jsonl, project, LABELS, "alice")
    assert report.documents == ["shared/a.txt", "shared/a-2.txt"]
    assert report.annotated == []  # created by this import: not an existing document
    assert spans_of(project, "shared/a.txt", "alice") == [(0, 4, "actor", "Yang")]
    assert spans_of(project, "shared/a.txt", "bob") == [(5, 11, "denial", "denied")]
    assert report.summary() == "Imported 2 documents with 2 spans; 1 note (see the list)"
    again = import_jsonl(jsonl, project, LABELS, "alice")
    assert again.documents == [] and again.annotated == [] and len(again.skipped) == 3


def test_reimport_says_when_spans_differ_and_keeps_status(project, tmp_path):
    text = "Yang denied it."
    line = {"id": "a", "text": text, "meta": {"status": "done"}, "spans": [{"start": 0, "end": 4, "label": "actor"}]}
    import_jsonl(write_jsonl(tmp_path / "x.jsonl", [line]), project, LABELS, "alice")
    assert annotation_file.load(project.annotation_path("x/a.txt", "alice")).status == "done"
    line["spans"] = [{"start": 5, "end": 11, "label": "denial"}]
    again = import_jsonl(write_jsonl(tmp_path / "x.jsonl", [line]), project, LABELS, "alice")
    assert again.skipped == [
        "x.jsonl line 1: already imported as x/a.txt; its spans differ from those in a.annotations.json, which are "
        "kept (delete that file to import again)"
    ]
    later = import_jsonl(write_jsonl(tmp_path / "x.jsonl", [{**line, "annotator": "bob"}]), project, LABELS, "a")
    assert later.annotated == ["x/a.txt"]
    assert "added annotations to 1 existing document" in later.summary()


def test_repeated_span_ids_are_noted(project, tmp_path):
    spans = [
        {"id": "s1", "start": 0, "end": 4, "label": "actor"},
        {"id": "s1", "start": 5, "end": 11, "label": "denial"},
    ]
    report = import_jsonl(
        write_jsonl(tmp_path / "d.jsonl", [{"text": "Yang denied it.", "spans": spans}]), project, LABELS, "a"
    )
    assert report.spans == 2
    assert report.notes == [
        "d.jsonl line 1: span 2 [5, 11) repeats the id 's1' of an earlier span; imported as s2 (links naming 's1' go "
        "to the first)"
    ]


def test_status_without_spans_case_twins_and_odd_status_values(project, tmp_path):
    lines = [
        {"id": "a", "text": "Same text.", "meta": {"status": "done"}},
        {"id": "A", "text": "Same text.", "annotator": "bob", "spans": [{"start": 0, "end": 4, "label": "actor"}]},
        {
            "id": "c",
            "text": "Other.",
            "meta": {"status": ["done"]},
            "spans": [{"start": 0, "end": 5, "label": "actor"}],
        },
    ]
    report = import_jsonl(write_jsonl(tmp_path / "s.jsonl", lines), project, LABELS, "alice")
    assert report.rejected == []
    assert report.documents == ["s/a.txt", "s/c.txt"]
    assert annotation_file.load(project.annotation_path("s/a.txt", "alice")).status == "done"  # no spans, still done
    assert spans_of(project, "s/a.txt", "bob") == [(0, 4, "actor", "Same")]  # the file written, not "A.txt"
    assert annotation_file.load(project.annotation_path("s/c.txt", "alice")).status == "in_progress"  # not crashed


def test_metadata_of_a_record_nobody_annotated_is_noted_as_not_kept(tmp_path):
    (tmp_path / "project").mkdir()
    project = Project(tmp_path / "project")
    data = write_jsonl(
        tmp_path / "d.jsonl",
        [
            {"id": "a", "text": "Yang denied it.", "meta": {"metadata": {"url": "u1"}}},
            {
                "id": "b",
                "text": "Yang.",
                "meta": {"metadata": {"url": "u2"}},
                "spans": [{"start": 0, "end": 4, "label": "actor"}],
            },
        ],
    )

    report = import_jsonl(data, project, LABELS, "alice")

    assert report.notes == [
        "d.jsonl line 1: its metadata ('url') is not kept: a document without an annotation file has no place for it"
    ]
    (saved,) = (project.root / "annotations").rglob("*.annotations.json")
    assert annotation_file.load(saved).metadata == {"url": "u2"}


def test_metadata_values_json_cannot_hold_are_left_out_with_a_note(tmp_path):
    """Python's json module reads NaN and Infinity; the annotation file (strict JSON) would write them as null."""
    (tmp_path / "project").mkdir()
    project = Project(tmp_path / "project")
    data = tmp_path / "d.jsonl"
    data.write_text(
        '{"id": "b", "text": "Yang.", "meta": {"metadata": {"url": "u2", "score": NaN, "m": {"x": [-Infinity]}}}, '
        '"spans": [{"start": 0, "end": 4, "label": "actor"}]}\n',
        encoding="utf-8",
    )

    report = import_jsonl(data, project, LABELS, "alice")

    assert report.notes == [
        "d.jsonl line 1: its metadata 'score', 'm' is left out: it holds NaN or Infinity, which JSON cannot hold"
    ]
    (saved,) = (project.root / "annotations").rglob("*.annotations.json")
    assert annotation_file.load(saved).metadata == {"url": "u2"}
