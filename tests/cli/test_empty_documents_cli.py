"""The command line and empty documents: import keeps "annotated, nothing found" apart from "never annotated",
export writes the first, ``--include-unannotated`` adds the second, and import -> export -> import changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.__main__ import main
from annotator.io import annotation_file
from annotator.io.textfile import read_text_file
from annotator.project.layout import Project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def corpus(path: Path) -> Path:
    """A JSONL file as a tool writes it: 18 documents with a span, 2 annotated with nothing found, 2 never
    annotated (text only)."""
    lines = [
        {"id": f"news/doc{n:02d}", "text": f"Sullivan warned China {n}.", "annotator": "alice", "spans": []}
        for n in range(1, 21)
    ]
    for line in lines[:18]:
        line["spans"] = [{"start": 0, "end": 8, "label": "actor", "text": "Sullivan"}]
    lines += [{"id": "news/raw1", "text": "Yang denied it.\r\n"}, {"id": "news/raw2", "text": "Nobody looked."}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, object]:
    """What a project holds: each document's text and, per annotation file, its annotator, status and spans."""
    project = Project(root)
    held: dict[str, object] = {d: read_text_file(project.text_path(d)).text for d in project.document_ids()}
    for path in sorted(project.annotations_folder.rglob("*.annotations.json")):
        loaded = annotation_file.load(path)
        spans = [(s.start, s.end, s.label, s.text, s.note) for s in loaded.sorted_spans()]
        held[path.relative_to(root).as_posix()] = (loaded.annotator, str(loaded.status), spans)
    return held


def test_import_counts_documents_without_annotations_and_export_keeps_the_empty_ones(tmp_path, capsys):
    project = tmp_path / "project"
    code, out, err = run(capsys, "import", str(corpus(tmp_path / "c.jsonl")), "-f", "jsonl", "-o", str(project))
    assert code == 0, err
    assert "Imported 22 documents with 18 spans; 2 without annotations." in out
    assert len(list((project / "annotations" / "alice" / "news").iterdir())) == 20  # the 2 empty ones too

    out_file = tmp_path / "out.jsonl"
    code, out, err = run(capsys, "export", str(project), "-f", "jsonl", "-o", str(out_file))
    assert code == 0, err
    assert "Exported 20 documents with 18 spans" in out
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert [r["spans"] for r in records].count([]) == 2

    code, out, err = run(capsys, "export", str(project), "-f", "jsonl", "-o", str(out_file), "--include-unannotated")
    assert code == 0, err
    assert "Exported 22 documents with 18 spans; 2 of them not annotated by anyone" in out
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert records[-2:] == [
        {"id": "news/raw1", "text": "Yang denied it.\r\n"},
        {"id": "news/raw2", "text": "Nobody looked."},
    ]


def test_include_unannotated_counts_another_annotators_documents_as_not_annotated(tmp_path, capsys):
    project = tmp_path / "project"
    run(capsys, "import", str(corpus(tmp_path / "c.jsonl")), "-f", "jsonl", "-o", str(project))
    out_file = tmp_path / "out.conll"
    code, _out, err = run(
        capsys,
        "export",
        str(project),
        "-f",
        "conll",
        "-o",
        str(out_file),
        "--annotator",
        "bob",
        "--include-unannotated",
    )
    assert code == 1  # no files by bob: nothing to export
    assert "no annotation files by bob" in err
    code, _out, err = run(capsys, "export", str(project), "-f", "conll", "-o", str(out_file), "--include-unannotated")
    assert code == 0, err
    assert out_file.read_text(encoding="utf-8").count("-DOCSTART- O") == 22  # all O for the 4 without spans


@pytest.mark.parametrize("fmt", ["jsonl", "brat", "label-studio"])
def test_import_export_import_gives_the_same_files(tmp_path, capsys, fmt):
    first = tmp_path / "first"
    code, _out, err = run(capsys, "import", str(corpus(tmp_path / "c.jsonl")), "-f", "jsonl", "-o", str(first))
    assert code == 0, err
    exported = tmp_path / ("exported" if fmt == "brat" else f"exported.{fmt}")
    code, out, err = run(capsys, "export", str(first), "-f", fmt, "-o", str(exported), "--include-unannotated")
    assert code == 0, err
    assert "Exported 22 documents" in out

    second = tmp_path / "second"
    code, out, err = run(capsys, "import", str(exported), "-f", fmt, "-o", str(second), "--annotator", "alice")
    assert code == 0, err
    assert "Imported 22 documents with 18 spans; 2 without annotations." in out
    assert snapshot(second) == snapshot(first)


def test_doccano_records_without_labels_with_and_without_empty_annotated(tmp_path, capsys):
    data = tmp_path / "admin.jsonl"
    lines = [
        {"id": 1, "text": "Sullivan warned.", "label": [[0, 8, "actor"]]},
        {"id": 2, "text": "Quiet.", "label": []},
    ]
    data.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    code, out, err = run(capsys, "import", str(data), "-f", "doccano", "-o", str(tmp_path / "a"), "--annotator", "al")
    assert code == 0, err
    assert "Imported 2 documents with 1 span; 1 without annotations." in out
    assert not Project(tmp_path / "a").annotation_path("2.txt", "al").exists()

    code, out, err = run(
        capsys,
        "import",
        str(data),
        "-f",
        "doccano",
        "-o",
        str(tmp_path / "b"),
        "--annotator",
        "al",
        "--empty",
        "annotated",
    )
    assert code == 0, err
    assert "Imported 2 documents with 1 span." in out
    assert annotation_file.load(Project(tmp_path / "b").annotation_path("2.txt", "al")).sorted_spans() == []


def test_include_unannotated_exports_a_project_that_has_no_annotation_file_yet(tmp_path, capsys):
    """A project of texts only (e.g. imported from Label Studio tasks nobody annotated) is exported with
    --include-unannotated; without it, the folder still holds nothing to export."""
    tasks = tmp_path / "tasks.json"
    tasks.write_text(json.dumps([{"data": {"text": "Yang denied it."}}, {"data": {"text": "Nobody looked."}}]), "utf-8")
    project, out_file = tmp_path / "project", tmp_path / "out.jsonl"
    code, out, err = run(capsys, "import", str(tasks), "-f", "label-studio", "-o", str(project))
    assert code == 0, err
    assert "2 without annotations" in out
    code, out, err = run(capsys, "export", str(project), "-f", "jsonl", "-o", str(out_file))
    assert code == 1 and "holds no annotation files" in err
    code, out, err = run(capsys, "export", str(project), "-f", "jsonl", "-o", str(out_file), "--include-unannotated")
    assert code == 0, err
    assert "Exported 2 documents with 0 spans; 2 of them not annotated by anyone" in out
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert [(r["text"], "spans" in r) for r in records] == [("Yang denied it.", False), ("Nobody looked.", False)]
