"""Documents annotated as empty ("annotated, nothing found") versus documents nobody annotated: the reader of each
format says which (``ParsedRecord.annotated``), the importer writes an annotation file with no spans for the first
and none for the second, every writer writes both, and agreement sees an empty annotation file as an annotator who
marked nothing. Files are built as each tool writes them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.formats.importing import ImportReport, import_records
from annotator.formats.options import ExportOptions, ImportOptions
from annotator.formats.records import DocumentRecord
from annotator.formats.registry import get_format
from annotator.formats.sources import find_sources, iter_records, unannotated_records
from annotator.io import annotation_file
from annotator.project.layout import Project
from annotator.review.agreement import agreement_report
from annotator.review.loading import load_review_input
from tests.formats.support import LABELS, spans_of

TEXT = "Sullivan warned China."


@pytest.fixture
def project(tmp_path) -> Project:
    root = tmp_path / "project"
    root.mkdir()
    return Project(root)


def import_file(fmt: str, path: Path, project: Project, options: ImportOptions | None = None) -> ImportReport:
    return import_records(get_format(fmt).read(path, options), project, LABELS, "alice")


def annotated_ids(project: Project, annotator: str = "alice") -> list[str]:
    """The documents of ``project`` that have an annotation file of ``annotator``."""
    return [d for d in project.document_ids() if project.annotation_path(d, annotator).exists()]


def spans_in(project: Project, document_id: str, annotator: str = "alice") -> list[tuple[int, int, str]]:
    loaded = annotation_file.load(project.annotation_path(document_id, annotator))
    return [(s.start, s.end, s.label) for s in loaded.sorted_spans()]


def every_file(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------------------------------------------- reading


def test_jsonl_spans_key_or_annotator_marks_a_record_annotated(project, tmp_path):
    lines = [
        {"id": "empty", "text": TEXT, "annotator": "alice", "spans": []},  # annotated, nothing found
        {"id": "no-annotator", "text": TEXT + " 2", "spans": []},  # "spans" alone marks it
        {"id": "no-spans", "text": TEXT + " 3", "annotator": "alice"},  # an annotator alone marks it
        {"id": "text-only", "text": TEXT + " 4", "meta": {"source": "wire"}},  # nobody annotated it
        {"id": "null-spans", "text": TEXT + " 5", "spans": None},  # null is no spans key
        {"id": "empty", "text": TEXT, "annotator": "bob", "spans": [{"start": 0, "end": 8, "label": "actor"}]},
    ]
    path = tmp_path / "data.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    report = import_file("jsonl", path, project)

    assert report.rejected == []
    assert report.unannotated == ["text-only.txt", "null-spans.txt"]
    assert report.summary() == "Imported 5 documents with 1 span; 2 without annotations"
    assert annotated_ids(project) == ["empty.txt", "no-annotator.txt", "no-spans.txt"]
    assert spans_in(project, "empty.txt") == []
    assert spans_in(project, "empty.txt", "bob") == [(0, 8, "actor")]  # same text: bob's annotations beside


def test_a_record_whose_spans_are_all_rejected_gets_no_empty_annotation_file(project, tmp_path):
    path = tmp_path / "bad.jsonl"
    line = {"id": "a", "text": TEXT, "annotator": "alice", "spans": [{"start": 0, "end": 8, "label": "person"}]}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    report = import_file("jsonl", path, project)
    assert len(report.rejected) == 1  # an unknown label: "nothing found" would be false
    assert annotated_ids(project) == []
    assert report.unannotated == ["a.txt"]


def test_brat_empty_ann_is_annotated_and_txt_without_ann_is_read(project, tmp_path):
    folder = tmp_path / "brat"
    (folder / "news").mkdir(parents=True)
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "a.ann").write_bytes(b"")  # brat saves an empty .ann for a document with nothing marked
    (folder / "b.txt").write_text("Yang denied it.", encoding="utf-8")  # never opened in brat: no .ann
    (folder / "news" / "c.txt").write_text(TEXT, encoding="utf-8")
    (folder / "news" / "c.ann").write_text("T1\tactor 0 8\tSullivan\n", encoding="utf-8")

    items = list(get_format("brat").read(folder))
    assert [(item.where, item.annotated) for item in items] == [("a.ann", True), ("b.txt", False), ("news/c.ann", True)]
    report = import_file("brat", folder, project)

    assert report.rejected == []
    assert report.documents == ["a.txt", "b.txt", "news/c.txt"]
    assert report.unannotated == ["b.txt"]
    assert report.summary() == "Imported 3 documents with 1 span; 1 without annotations"
    assert annotated_ids(project) == ["a.txt", "news/c.txt"]
    assert spans_in(project, "a.txt") == []
    assert project.text_path("b.txt").read_text(encoding="utf-8") == "Yang denied it."


def test_brat_txt_without_ann_that_is_not_utf8_is_rejected_by_name(project, tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "latin.txt").write_bytes("café".encode("latin-1"))
    report = import_file("brat", folder, project)
    assert report.documents == []
    assert len(report.rejected) == 1
    assert report.rejected[0].startswith("latin.txt: latin.txt is not UTF-8")


def test_conll_document_all_o_gets_an_annotation_file_without_spans(project, tmp_path):
    path = tmp_path / "train.conll"
    path.write_text(
        "-DOCSTART- O\n\nSullivan B-actor\nwarned O\n\n-DOCSTART- O\n\nYang O\ndenied O\nit O\n. O\n\n",
        encoding="utf-8",
    )
    report = import_file("conll", path, project)
    assert report.rejected == []
    assert report.unannotated == []
    assert annotated_ids(project) == ["train-1.txt", "train-2.txt"]
    assert spans_in(project, "train-2.txt") == []


def test_label_studio_empty_result_is_annotated_and_a_task_without_annotations_is_not(project, tmp_path):
    tasks = [
        {"id": 1, "data": {"text": TEXT}, "annotations": [{"id": 1, "completed_by": 7, "result": []}]},
        {"id": 2, "data": {"text": "Yang denied it."}, "annotations": [], "predictions": []},
        {
            "id": 3,
            "data": {"text": "Nobody finished this one."},
            "annotations": [{"id": 2, "completed_by": 7, "was_cancelled": True, "result": []}],
        },
        {"id": 4, "data": {"text": "Only a model looked."}, "predictions": [{"result": []}]},
    ]
    path = tmp_path / "project.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")

    report = import_file("label-studio", path, project)

    assert report.rejected == [
        "project.json task 3 annotation 1: the annotation was cancelled (skipped) in Label Studio; not imported",
    ]  # task 4's prediction suggests nothing: a document without annotations
    assert report.documents == ["1.txt", "2.txt", "3.txt", "4.txt"]
    assert report.unannotated == ["2.txt", "3.txt", "4.txt"]  # a cancelled annotation is no "nothing found"
    assert annotated_ids(project, "user 7") == ["1.txt"]
    assert spans_in(project, "1.txt", "user 7") == []


@pytest.mark.parametrize(("empty", "annotated"), [(None, []), ("unannotated", []), ("annotated", ["1.txt"])])
def test_doccano_record_without_labels_follows_the_empty_option(project, tmp_path, empty, annotated):
    path = tmp_path / "admin.jsonl"
    lines = [
        {"id": 1, "text": TEXT, "label": []},
        {"id": 2, "text": "Sullivan warned.", "label": [[0, 8, "actor"]]},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    options = None if empty is None else ImportOptions(empty=empty)
    report = import_file("doccano", path, project, options)
    assert report.rejected == []
    assert annotated_ids(project) == [*annotated, "2.txt"]
    assert report.unannotated == ([] if annotated else ["1.txt"])


def test_importing_again_changes_nothing(project, tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "a.ann").write_bytes(b"")
    (folder / "b.txt").write_text("Yang denied it.", encoding="utf-8")
    import_file("brat", folder, project)
    before = every_file(project.root)

    again = import_file("brat", folder, project)

    assert again.documents == [] and again.unannotated == [] and again.rejected == []
    assert again.skipped == ["a.ann: already imported as a.txt", "b.txt: already imported as b.txt"]
    assert every_file(project.root) == before


def test_an_annotated_empty_record_adds_an_empty_file_to_a_document_imported_without_one(project, tmp_path):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n", encoding="utf-8")
    second.write_text(json.dumps({"id": "a", "text": TEXT, "annotator": "alice", "spans": []}) + "\n", "utf-8")
    assert import_file("jsonl", first, project).unannotated == ["a.txt"]
    report = import_file("jsonl", second, project)
    assert report.annotated == ["a.txt"]
    assert annotated_ids(project) == ["a.txt"]


# ---------------------------------------------------------------------------------------------------- writing

EMPTY = DocumentRecord(id="empty", text=TEXT, annotator="alice", meta={"status": "done"})
FULL = DocumentRecord(id="full", text=TEXT, spans=spans_of(TEXT, (0, 8, "actor")), annotator="alice")
NOBODY = DocumentRecord(id="nobody", text="Yang denied it.", annotated=False)


def test_jsonl_writes_empty_spans_and_leaves_them_out_for_nobody(tmp_path):
    out = tmp_path / "out.jsonl"
    report = get_format("jsonl").write([EMPTY, NOBODY], out, ExportOptions())
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["spans"] == [] and lines[0]["annotator"] == "alice"
    assert lines[1] == {"id": "nobody", "text": "Yang denied it."}
    assert [(r.where, r.annotated) for r in get_format("jsonl").read(out)] == [
        ("out.jsonl line 1", True),
        ("out.jsonl line 2", False),
    ]
    assert report.documents == 2


def test_conll_writes_all_o(tmp_path):
    out = tmp_path / "out.conll"
    get_format("conll").write([EMPTY, NOBODY], out, ExportOptions())
    assert out.read_text(encoding="utf-8") == (
        "-DOCSTART- O\n\nSullivan O\nwarned O\nChina O\n. O\n\n-DOCSTART- O\n\nYang O\ndenied O\nit O\n. O\n\n"
    )


def test_brat_writes_an_empty_ann_and_no_ann_for_nobody(tmp_path):
    out = tmp_path / "brat"
    report = get_format("brat").write([EMPTY, FULL, NOBODY], out, ExportOptions())
    assert (out / "empty.ann").read_bytes() == b""
    assert (out / "nobody.txt").read_text(encoding="utf-8") == "Yang denied it."
    assert not (out / "nobody.ann").exists()
    assert [p.name for p in report.files] == [
        "empty.txt",
        "empty.ann",
        "full.txt",
        "full.ann",
        "nobody.txt",
        "annotation.conf",
    ]


def test_brat_renames_a_document_without_ann_when_its_name_is_shared(tmp_path):
    out = tmp_path / "brat"
    other = DocumentRecord(id="nobody", text=TEXT, annotator="alice")
    get_format("brat").write([NOBODY, other], out, ExportOptions())
    names = sorted(p.name for p in out.iterdir())
    assert names == ["annotation.conf", "nobody.alice.ann", "nobody.alice.txt", "nobody.annotator.txt"]


def test_label_studio_writes_an_empty_result_and_a_task_without_annotations(tmp_path):
    out = tmp_path / "tasks.json"
    get_format("label-studio").write([EMPTY, NOBODY], out, ExportOptions())
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [len(task["annotations"]) for task in tasks] == [1, 0]
    assert tasks[0]["annotations"][0]["result"] == []
    assert [r.annotated for r in get_format("label-studio").read(out)] == [True, False]


def test_doccano_writes_an_empty_label_list(tmp_path):
    out = tmp_path / "out.jsonl"
    get_format("doccano").write([EMPTY, NOBODY], out, ExportOptions())
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines == [
        {"id": "empty", "text": TEXT, "label": [], "annotator": "alice"},
        {"id": "nobody", "text": "Yang denied it.", "label": []},
    ]


def test_csv_counts_the_document_but_has_no_row_for_it(tmp_path):
    out = tmp_path / "out.csv"
    report = get_format("csv").write([EMPTY, FULL, NOBODY], out, ExportOptions())
    assert report.documents == 3
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 2 and rows[1].startswith('"full"')  # the header and the one span


def test_spacy_writes_a_doc_without_entities(tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out = tmp_path / "train.spacy"
    report = get_format("spacy").write([EMPTY, NOBODY], out, ExportOptions())
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
    assert report.documents == 2
    assert [(doc.text, len(doc.ents), len(doc.spans["sc"])) for doc in docs] == [
        (TEXT, 0, 0),
        ("Yang denied it.", 0, 0),
    ]


# ---------------------------------------------------------------------------------------------------- sources


def test_unannotated_records_are_the_documents_without_an_exported_annotation_file(project, tmp_path):
    path = tmp_path / "data.jsonl"
    lines = [
        {"id": "a", "text": TEXT, "annotator": "alice", "spans": []},
        {"id": "b", "text": TEXT + " b", "annotator": "bob", "spans": []},
        {"id": "c", "text": "Nobody.\r\n"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    import_file("jsonl", path, project)
    sources = find_sources([project.root])
    handled: set[Path] = set()

    records = list(iter_records(sources, ["alice"], None, handled))
    nobody = list(unannotated_records([project.root, project.root], sources, handled))

    assert [(r.id, r.annotated) for r in records] == [("a", True)]
    assert [(r.id, r.text, r.annotated, r.spans, r.annotator) for r in nobody] == [
        ("b", TEXT + " b", False, (), ""),  # bob's file is not exported
        ("c", "Nobody.\r\n", False, (), ""),
    ]


# ---------------------------------------------------------------------------------------------------- agreement


def test_agreement_sees_an_empty_annotation_file_as_an_annotator_who_marked_nothing(project, tmp_path):
    path = tmp_path / "data.jsonl"
    lines = [
        {"id": "a", "text": TEXT, "annotator": "alice", "spans": []},
        {"id": "a", "text": TEXT, "annotator": "bob", "spans": [{"start": 0, "end": 8, "label": "actor"}]},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    import_file("jsonl", path, project)

    data = agreement_report(load_review_input([project.root]).documents).to_json()

    assert data["annotators"] == ["alice", "bob"]
    (pair,) = data["pairs"]
    assert pair["shared_documents"] == 1
    assert pair["span_f1_exact"] == 0.0  # bob's one span is not matched: precision undefined, recall 0
    # tokens: alice O O O O, bob B-actor O O O: p_o 3/4, p_e (1 * 3/4) = 3/4, so kappa 0
    assert pair["cohen_kappa"] == pytest.approx(0.0)
    assert data["per_annotator"]["alice"] == {"documents": 1, "spans": 0, "spans_per_label": {}}
