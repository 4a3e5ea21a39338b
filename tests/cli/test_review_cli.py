"""``annotator agree`` and ``annotator merge`` on two or three annotators' files of the sample article, differing in a
label, a boundary and a missing span."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.__main__ import main
from annotator.io import annotation_file
from tests.review import SAMPLE, bob_differs, write_variant


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    return [
        write_variant(tmp_path / "alice.annotations.json", "alice"),
        write_variant(tmp_path / "bob.annotations.json", "bob", bob_differs),
    ]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_agree_reports_pairs_labels_and_corpus_figures(files, capsys):
    code, out, err = run(capsys, "agree", *map(str, files), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    (pair,) = data["pairs"]
    assert (pair["a"], pair["b"]) == ("alice", "bob")
    spans = len(json.loads(SAMPLE.read_text(encoding="utf-8"))["spans"])
    # exact: 3 of alice's spans have no identical twin in bob (relabeled, shortened, removed), 2 of bob's none in alice
    tp = spans - 3
    assert pair["span_f1_exact"] == pytest.approx(2 * tp / (spans + (spans - 1)))
    assert pair["span_f1_overlap"] > pair["span_f1_exact"]  # the shortened span matches when overlapping counts
    assert 0 < pair["cohen_kappa"] < 1
    assert data["fleiss_kappa"] is not None and data["krippendorff_alpha"] is not None
    code, table, _err = run(capsys, "agree", *map(str, files))
    assert "alice" in table and "Krippendorff's alpha (nominal)" in table
    code, csv_text, _err = run(capsys, "agree", *map(str, files), "-f", "csv")
    assert csv_text.splitlines()[0].startswith("annotator_a,annotator_b,label,exact_precision")


def test_agree_with_one_annotator_says_why_figures_are_undefined(files, capsys):
    code, out, _err = run(capsys, "agree", str(files[0]), "-f", "json")
    data = json.loads(out)
    assert code == 0 and data["pairs"] == []
    assert data["fleiss_kappa"] is None and data["reasons"]["fleiss_kappa"]


def test_agree_refuses_files_of_different_texts(files, tmp_path, capsys):
    other = json.loads(files[1].read_text(encoding="utf-8"))
    other["document"]["text"] = other["document"]["text"].replace("Sullivan", "Sulivan", 1)
    from annotator.model.document import text_sha256

    other["document"]["sha256"] = text_sha256(other["document"]["text"])
    other["spans"] = []
    other["relations"] = []
    changed = tmp_path / "x" / "alice.annotations.json"
    changed.parent.mkdir()
    changed.write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    code, _out, err = run(capsys, "agree", str(files[0]), str(changed), "-f", "json")
    assert code == 0
    assert "texts differ" in err and str(changed) in err


def test_merge_by_majority_writes_a_gold_file_that_exports(files, tmp_path, capsys):
    carol = write_variant(tmp_path / "carol.annotations.json", "carol")
    gold = tmp_path / "gold.annotations.json"
    code, out, err = run(capsys, "merge", *map(str, files), str(carol), "-o", str(gold))
    assert code == 0, err
    loaded = annotation_file.load(gold)
    assert loaded.annotator == "gold"
    original = annotation_file.load(SAMPLE)
    assert [(s.start, s.end, s.label) for s in loaded.sorted_spans()] == [
        (s.start, s.end, s.label) for s in original.sorted_spans()
    ]  # alice and carol agree on everything: 2 of 3
    assert all(s.note.startswith("from: ") for s in loaded)
    assert "2 conflicts" in out or "conflicts" in out
    code, _out, _err = run(capsys, "merge", *map(str, files), str(carol), "-o", str(gold))
    assert code == 1  # never overwritten
    code, out, _err = run(capsys, "export", str(gold), "-f", "conll", "-o", str(tmp_path / "gold.conll"))
    assert code == 0 and "Exported 1 document" in out


def test_merge_of_a_tie_leaves_conflicts_out(files, tmp_path, capsys):
    gold = tmp_path / "gold.annotations.json"
    code, _out, err = run(capsys, "merge", *map(str, files), "-o", str(gold))
    assert code == 0
    assert "only bob has claim" in err or "only alice has" in err
    assert len(list(annotation_file.load(gold))) < len(list(annotation_file.load(files[0])))


def test_merge_of_a_project_keeps_gold_files_inside_the_output_and_duplicate_texts_apart(tmp_path, capsys):
    from annotator.io.label_set_file import default_label_set
    from annotator.model.annotation_set import AnnotationSet
    from annotator.model.document import Document
    from annotator.project.layout import Project

    root = tmp_path / "project"
    root.mkdir()
    project = Project(root)
    text = "Yang denied it."
    for document_id in ("t1.txt", "t2.txt", "../../escaped.txt"):
        for who in ("alice", "bob", "carol")[: 3 if document_id == "t1.txt" else 2]:
            annotations = AnnotationSet(Document.from_text(text), default_label_set(), who, document_id=document_id)
            annotations.insert(annotations.new_span(0, 4, "actor"))
            name = document_id.replace("../", "up-")
            target = project.annotations_folder / who / name.replace(".txt", ".annotations.json")
            target.parent.mkdir(parents=True, exist_ok=True)
            annotation_file.save(annotations, target)
    out = tmp_path / "out" / "gold"
    code, _stdout, err = run(capsys, "merge", str(root), "-o", str(out))
    assert code == 0, err
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.annotations.json"))
    assert written == ["escaped.annotations.json", "t1.annotations.json", "t2.annotations.json"]
    assert not (tmp_path / "escaped.annotations.json").exists()
    code, _stdout, err = run(capsys, "merge", str(root), "-o", str(tmp_path / "three"), "--min-annotators", "3")
    assert code == 0 and "fewer than 3 annotators" in err
    assert [p.name for p in (tmp_path / "three").rglob("*.annotations.json")] == ["t1.annotations.json"]


def with_metadata(path: Path, metadata: dict) -> Path:
    """The annotation file at ``path`` with document metadata (format version 4), as an import writes it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["format_version"] = 4
    data["metadata"] = metadata
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_gold_keeps_the_documents_metadata(files, tmp_path, capsys):
    from annotator.review.gold_file import open_review
    from annotator.review.loading import load_review_input

    metadata = {"url": "https://example.org/yang", "meta": {"batch": 3}}
    with_metadata(files[1], metadata)  # bob's file holds it, alice's (first) does not
    gold = tmp_path / "gold.annotations.json"
    code, _out, err = run(capsys, "merge", *map(str, files), "-o", str(gold))
    assert code == 0, err
    assert annotation_file.load(gold).metadata == metadata
    assert json.loads(gold.read_text(encoding="utf-8"))["format_version"] == 4
    assert open_review(load_review_input(files)).gold.metadata == metadata  # adjudication's gold too
