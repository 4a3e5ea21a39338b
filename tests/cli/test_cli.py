"""The command line: export, import and validate end to end, exit codes, messages, and no Qt."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.__main__ import main
from annotator.formats.records import DocumentRecord
from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.model.annotation_set import AnnotationSet
from annotator.model.commands import AddSpan
from annotator.model.document import Document
from annotator.project.layout import Project
from tests.conftest import trap_cases
from tests.formats.support import LABELS, linked_record
from tests.formats.test_brat import BRAT_IDS_ANN, BRAT_IDS_TEXT

ROOT = Path(__file__).resolve().parents[2]


def make_project(root: Path, records: list[DocumentRecord]) -> Project:
    """A project with one text file and one annotation file per record (``<id>.txt``)."""
    root.mkdir(parents=True, exist_ok=True)
    project = Project(root)
    for record in records:
        document_id = f"{record.id}.txt"
        text_path = project.text_path(document_id)
        text_path.parent.mkdir(parents=True, exist_ok=True)
        text_path.write_bytes(record.text.encode("utf-8"))
        annotations = AnnotationSet(
            Document.from_text(record.text),
            LABELS,
            record.annotator or "alice",
            record.spans,
            record.relations,
            document_id=document_id,
        )
        target = project.annotation_path(document_id, annotations.annotator)
        target.parent.mkdir(parents=True, exist_ok=True)
        annotation_file.save(annotations, target)
    return project


def trap_project(root: Path) -> Project:
    from tests.formats.support import trap_records

    return make_project(root, [*trap_records(), linked_record()])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["jsonl", "brat", "label-studio", "doccano"])
def test_export_then_import_gives_back_every_span(tmp_path, capsys, fmt):
    trap_project(tmp_path / "project")
    out = tmp_path / ("export" if fmt == "brat" else f"export.{fmt}")
    code, stdout, err = run(capsys, "export", str(tmp_path / "project"), "--format", fmt, "-o", str(out))
    assert code == 0, err
    assert "Exported 18 documents" in stdout
    who = ["--annotator", "trap"]  # brat files do not name the annotator
    code, stdout, err = run(capsys, "import", str(out), "--format", fmt, "-o", str(tmp_path / "back"), *who)
    assert code == 0, err
    assert "Imported 18 documents" in stdout
    back = Project(tmp_path / "back")
    cases = {case["name"]: case for case in trap_cases()}
    for document_id in back.document_ids():
        name = document_id.removesuffix(".txt").split("/")[-1].split(".")[0]
        if name not in cases:
            continue
        loaded = annotation_file.load(back.annotation_path(document_id, "trap"))
        expected = sorted((s["start"], s["end"], s["label"], s["text"]) for s in cases[name]["spans"])
        assert [(s.start, s.end, s.label, s.text) for s in loaded.sorted_spans()] == expected, document_id
        assert loaded.text == cases[name]["text"]


def test_export_reports_dropped_spans_and_strict_fails(tmp_path, capsys):
    trap_project(tmp_path / "project")
    out = tmp_path / "out.conll"
    code, stdout, err = run(capsys, "export", str(tmp_path / "project"), "-f", "conll", "-o", str(out))
    assert code == 0
    assert "dropped" in stdout
    assert "overlap-and-nesting@trap [" in err  # one line per dropped span, naming document and offsets
    code, _stdout, err = run(capsys, "export", str(tmp_path / "project"), "-f", "conll", "-o", str(out), "--strict")
    assert code == 1
    assert "--strict" in err


def test_export_to_a_hugging_face_dataset_folder(tmp_path, capsys):
    trap_project(tmp_path / "project")
    out = tmp_path / "hf"
    code, stdout, err = run(capsys, "export", str(tmp_path / "project"), "-f", "hf", "-o", str(out), "--snap")
    assert code == 0, err
    assert f"wrote {out / 'data.jsonl'}" in stdout and f"wrote {out / 'README.md'}" in stdout
    assert "Exported 18 documents" in stdout
    assert len((out / "data.jsonl").read_text(encoding="utf-8").splitlines()) == 18


def test_overlap_error_is_one_line(tmp_path, capsys):
    trap_project(tmp_path / "project")
    out = tmp_path / "out.conll"
    code, _out, err = run(
        capsys, "export", str(tmp_path / "project"), "-f", "conll", "-o", str(out), "--overlap", "error"
    )
    assert code == 1
    assert err.startswith("annotator: error: ")
    assert "Traceback" not in err


def test_export_refuses_to_overwrite_annotations_or_inputs(tmp_path, capsys):
    project = trap_project(tmp_path / "project")
    target = project.annotation_path("ascii-baseline.txt", "trap")
    before = target.read_bytes()
    code, _out, err = run(capsys, "export", str(project.root), "-f", "jsonl", "-o", str(target))
    assert code == 1 and "refusing" in err
    assert target.read_bytes() == before
    code, _out, err = run(capsys, "export", str(project.root), "-f", "brat", "-o", str(project.root / "brat"))
    assert code == 1 and "inside a project" in err
    text = project.text_path("ascii-baseline.txt")
    code, _out, err = run(capsys, "export", str(project.root), "-f", "csv", "-o", str(text))
    assert code == 1 and "document" in err
    one = project.annotation_path("ascii-baseline.txt", "trap")
    beside = one.parent / "notes.txt"
    beside.write_text("a document")
    code, _out, err = run(capsys, "export", str(one), "-f", "csv", "-o", str(beside))
    assert code == 1 and beside.read_text() == "a document"


def test_export_of_single_files_and_annotator_filter(tmp_path, capsys):
    project = trap_project(tmp_path / "project")
    one = project.annotation_path("news/linked.txt", "alice")
    out = tmp_path / "one.jsonl"
    assert run(capsys, "export", str(one), "-f", "jsonl", "-o", str(out))[0] == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["id"] == "news/linked"
    code, stdout, _err = run(capsys, "export", str(project.root), "-f", "jsonl", "-o", str(out), "--annotator", "alice")
    assert code == 0 and "Exported 1 document" in stdout


def test_bad_input_file_is_skipped_with_a_message_and_exit_1(tmp_path, capsys):
    project = trap_project(tmp_path / "project")
    broken = project.annotation_path("ascii-baseline.txt", "trap")
    broken.write_text("{not json", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, stdout, err = run(capsys, "export", str(project.root), "-f", "jsonl", "-o", str(out))
    assert code == 1
    assert f"skipped {broken}: not valid JSON" in err
    assert "Exported 17 documents" in stdout
    assert "Traceback" not in err


def test_missing_input_and_unknown_format(tmp_path, capsys):
    code, _out, err = run(capsys, "export", str(tmp_path / "nope"), "-f", "jsonl", "-o", str(tmp_path / "x.jsonl"))
    assert code == 1 and "does not exist" in err
    with pytest.raises(SystemExit) as exited:
        main(["export", str(tmp_path), "-f", "xml", "-o", "x"])
    assert exited.value.code == 2


def test_import_rejects_bad_spans_one_by_one(tmp_path, capsys):
    data = tmp_path / "data.jsonl"
    lines = [
        {"id": "a", "text": "Sullivan warned Beijing.", "spans": [{"start": 0, "end": 8, "label": "actor"}]},
        {"id": "b", "text": "Yang denied it.", "spans": [{"start": 9, "end": 5, "label": "denial"}]},
        {"id": "c", "text": "Yang denied it.", "spans": [{"start": 0, "end": 4, "label": "person"}]},
        "{broken",
    ]
    data.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    code, stdout, err = run(capsys, "import", str(data), "-f", "jsonl", "-o", str(tmp_path / "p"), "--annotator", "bo")
    assert code == 0
    assert "Imported 3 documents with 1 span; 2 without annotations; rejected 3" in stdout  # spans all rejected
    assert "data.jsonl line 2: span 1 [9, 5) is reversed" in err
    assert "data.jsonl line 3: span 1 [0, 4) has the label 'person'" in err
    assert "data.jsonl line 4: not valid JSON" in err
    assert "--labels" in err  # the hint
    project = Project(tmp_path / "p")
    assert project.document_ids() == ["a.txt", "b.txt", "c.txt"]
    assert [s.text for s in annotation_file.load(project.annotation_path("a.txt", "bo"))] == ["Sullivan"]
    code, _out, _err = run(capsys, "import", str(data), "-f", "jsonl", "-o", str(tmp_path / "p2"), "--strict")
    assert code == 1


def test_validate(tmp_path, capsys):
    project = trap_project(tmp_path / "project")
    code, stdout, err = run(capsys, "validate", str(project.root))
    assert code == 0, err
    assert "18 files checked: 18 valid, 0 with faults" in stdout
    broken = project.annotation_path("cjk.txt", "trap")
    data = json.loads(broken.read_text(encoding="utf-8"))
    data["spans"][0]["end"] += 1
    broken.write_text(json.dumps(data), encoding="utf-8")
    code, stdout, err = run(capsys, "validate", str(project.root), str(tmp_path / "missing.annotations.json"))
    assert code == 1
    assert "19 files checked: 17 valid, 2 with faults" in stdout
    assert f"{broken}: spans[0]" in err
    assert "missing.annotations.json: does not exist" in err


def test_validate_dataset_file(tmp_path, capsys):
    data = tmp_path / "data.jsonl"
    data.write_text(
        json.dumps({"text": "Yang denied it.", "spans": [{"start": 5, "end": 99, "label": "denial"}]}) + "\n"
    )
    code, _out, err = run(capsys, "validate", str(data), "--format", "jsonl")
    assert code == 1
    assert "data.jsonl line 1: span 1 [5, 99) is outside the text" in err
    code, _out, err = run(capsys, "validate", str(data))
    assert code == 1 and "give --format" in err


def test_the_command_line_never_imports_qt(tmp_path):
    trap_project(tmp_path / "project")
    script = (
        "import sys\n"
        "from annotator.__main__ import main\n"
        f"code = main(['export', {str(tmp_path / 'project')!r}, '-f', 'conll', '-o', {str(tmp_path / 'o.conll')!r}])\n"
        f"code += main(['import', {str(tmp_path / 'o.conll')!r}, '-f', 'conll', '-o', {str(tmp_path / 'b')!r}])\n"
        f"code += main(['validate', {str(tmp_path / 'project')!r}])\n"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))], 'Qt was imported'\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_export_into_unwritable_place_is_one_line(tmp_path, capsys):
    trap_project(tmp_path / "project")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "x.jsonl"
    code, _out, err = run(capsys, "export", str(tmp_path / "project"), "-f", "jsonl", "-o", str(out))
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err


def test_filefault_is_the_error_type_of_sources(tmp_path):
    from annotator.formats.sources import find_sources

    (tmp_path / "empty").mkdir()
    with pytest.raises(FileFault, match="holds no annotation files"):
        find_sources([tmp_path / "empty"])
    other = tmp_path / "x.json"
    other.write_text("{}")
    with pytest.raises(FileFault, match="is not an annotation file"):
        find_sources([other])


def test_an_unknown_annotator_fails_before_writing(tmp_path, capsys):
    trap_project(tmp_path / "project")
    out = tmp_path / "out.jsonl"
    out.write_text("an earlier export\n", encoding="utf-8")
    code, _out, err = run(
        capsys, "export", str(tmp_path / "project"), "-f", "jsonl", "-o", str(out), "--annotator", "x"
    )
    assert code == 1
    assert "no annotation files by x (annotators found: alice, trap)" in err
    assert out.read_text(encoding="utf-8") == "an earlier export\n"  # not replaced by an empty export


def test_an_import_that_imports_nothing_fails_and_leaves_no_folder(tmp_path, capsys):
    data = tmp_path / "bad.jsonl"
    data.write_text('{"text": ""}\n{broken\n', encoding="utf-8")
    code, out, err = run(capsys, "import", str(data), "-f", "jsonl", "-o", str(tmp_path / "new"))
    assert code == 1 and "nothing was imported" in err
    assert "Project folder" not in out and not (tmp_path / "new").exists()  # no folder named that is not there
    code, _out, err = run(capsys, "import", str(tmp_path / "x.json"), "-f", "label-studio", "-o", str(tmp_path / "n2"))
    assert code == 1 and "does not exist" in err
    data.write_text("[1, 2", encoding="utf-8")
    code, _out, err = run(capsys, "import", str(data), "-f", "label-studio", "-o", str(tmp_path / "n3"))
    assert code == 1 and "not valid JSON" in err
    assert not (tmp_path / "n3").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
class TerminalStream(io.StringIO):
    """stderr as a terminal: tqdm shows its bar only where ``isatty()`` is true."""

    def isatty(self) -> bool:
        return True


def export_to_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delay: float) -> str:
    """What an export of a three-document project writes to a terminal's stderr, with the bar's delay set to
    ``delay`` seconds (injected, so no test depends on how fast the machine is)."""
    from annotator.cli import output

    text = "Officials warned that prices would rise."
    spans = [{"start": 0, "end": 9, "label": "actor"}]
    lines = [json.dumps({"id": f"d{i}", "text": text, "spans": spans}) for i in range(3)]
    (tmp_path / "small.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = tmp_path / "project"
    assert main(["import", str(tmp_path / "small.jsonl"), "-f", "jsonl", "-o", str(project), "--annotator", "x"]) == 0
    terminal = TerminalStream()
    monkeypatch.setattr(output, "PROGRESS_DELAY_S", delay)
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["export", str(project), "-f", "conll", "-o", str(tmp_path / "o")]) == 0
    return terminal.getvalue()


def test_a_progress_bar_shows_on_a_terminal(tmp_path, monkeypatch):
    shown = export_to_a_terminal(tmp_path, monkeypatch, delay=0)
    assert "Exporting:" in shown and "docs/s" in shown


def test_no_progress_bar_shows_before_its_delay(tmp_path, monkeypatch):
    # An export that ends before the delay (an hour here) leaves the terminal without a bar.
    shown = export_to_a_terminal(tmp_path, monkeypatch, delay=3600)
    assert "Exporting:" not in shown


def test_the_progress_bar_waits_half_a_second_by_default():
    from annotator.cli import output

    assert output.PROGRESS_DELAY_S == 0.5


def test_an_export_from_one_annotation_file_never_overwrites_project_documents(tmp_path, capsys):
    project = trap_project(tmp_path / "project")
    one = project.annotation_path("news/linked.txt", "alice")
    document = project.text_path("news/linked.txt")
    before = document.read_bytes()
    code, _out, err = run(capsys, "export", str(one), "-f", "jsonl", "-o", str(document))
    assert code == 1 and "refusing to overwrite a document" in err
    code, _out, err = run(capsys, "export", str(one), "-f", "brat", "-o", str(project.root / "news"))
    assert code == 1 and "inside a project" in err
    assert document.read_bytes() == before


def test_importing_an_empty_file_fails_and_creates_nothing(tmp_path, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    code, _out, err = run(capsys, "import", str(empty), "-f", "jsonl", "-o", str(tmp_path / "new"))
    assert code == 1 and "holds no records" in err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    ("fmt", "option"),
    [("jsonl", ["--word-column", "2"]), ("conll", ["--offsets", "utf16"]), ("brat", ["--empty", "annotated"])],
)
def test_a_reading_option_for_another_format_is_refused_before_anything_is_written(tmp_path, capsys, fmt, option):
    source = tmp_path / "data.txt"
    source.write_text("x", encoding="utf-8")
    code, _out, err = run(capsys, "import", str(source), "-f", fmt, "-o", str(tmp_path / "p"), *option)
    assert code == 1 and f"{option[0]} does not apply to" in err
    assert not (tmp_path / "p").exists()
    code, _out, err = run(capsys, "validate", str(source), "-f", fmt, *option)
    assert code == 1 and f"{option[0]} does not apply to" in err


def test_columns_are_counted_from_one(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["import", str(tmp_path / "x.conll"), "-f", "conll", "-o", str(tmp_path / "p"), "--word-column", "0"])
    assert "columns are counted from 1" in capsys.readouterr().err


def write_protest_jsonl(path: Path) -> None:
    records = [
        {
            "id": "a",
            "text": "Greenwatch called for a ban.",
            "spans": [
                {"id": "s1", "start": 0, "end": 10, "label": "organizer"},
                {"id": "s2", "start": 11, "end": 27, "label": "demand"},
            ],
            "relations": [{"id": "r1", "type": "makes", "from": "s1", "to": "s2"}],
        },
        {"id": "b", "text": "Yang denied it.", "spans": [{"start": 0, "end": 4, "label": "actor"}]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_import_labels_auto_makes_the_project_label_set_from_the_data(tmp_path, capsys):
    from annotator.io.label_set_file import load_label_set
    from annotator.project.project_file import PROJECT_FILE, read_project_file

    data, folder = tmp_path / "data.jsonl", tmp_path / "protest"
    write_protest_jsonl(data)
    code, stdout, err = run(capsys, "import", str(data), "-f", "jsonl", "-o", str(folder), "--labels", "auto")
    assert code == 0, err
    assert "Imported 2 documents with 3 spans" in stdout and "rejected" not in stdout
    assert f"written to {folder / 'labels.toml'}, named by {PROJECT_FILE}" in stdout
    assert read_project_file(folder).label_set == "labels.toml"
    made = load_label_set(folder / "labels.toml")
    assert made.name == "protest" and made.names == ["organizer", "demand", "actor"]
    # actor keeps the default set's color and hotkey 1; the others take the next free keys and unused palette colors
    assert [(lab.hotkey, lab.color) for lab in made.labels] == [("2", "#009e73"), ("3", "#e69f00"), ("1", "#0072b2")]
    assert [(t.name, t.from_labels, t.to_labels) for t in made.relation_types] == [("makes", (), ())]
    # what `annotator protest` uses: the project resolves its label set, which the imported files carry too
    assert Project(folder).label_set() == made
    saved = annotation_file.load(Project(folder).annotation_path("a.txt", Project(folder).annotators()[0]))
    assert saved.label_set == made and len(saved.relations()) == 1


def test_import_into_a_project_uses_its_label_set_and_auto_refuses_labels_it_lacks(tmp_path, capsys):
    data, folder = tmp_path / "data.jsonl", tmp_path / "protest"
    write_protest_jsonl(data)
    assert run(capsys, "import", str(data), "-f", "jsonl", "-o", str(folder), "--labels", "auto")[0] == 0
    again = tmp_path / "more.jsonl"
    again.write_text(
        json.dumps({"id": "c", "text": "Greenwatch", "spans": [{"start": 0, "end": 10, "label": "organizer"}]}) + "\n",
        "utf-8",
    )
    code, stdout, err = run(capsys, "import", str(again), "-f", "jsonl", "-o", str(folder))
    assert code == 0 and "Imported 1 document with 1 span" in stdout and "rejected" not in stdout, err
    before = (folder / "labels.toml").read_bytes()
    other = tmp_path / "other.jsonl"
    other.write_text(
        json.dumps({"id": "d", "text": "Riot police", "spans": [{"start": 0, "end": 11, "label": "police"}]}) + "\n",
        "utf-8",
    )
    code, _out, err = run(capsys, "import", str(other), "-f", "jsonl", "-o", str(folder), "--labels", "auto")
    assert code == 1
    assert (
        "annotator-project.toml: --labels auto: the data uses labels the project's label set protest lacks: police"
        in err
    )
    assert (folder / "labels.toml").read_bytes() == before and not (folder / "d.txt").exists()


def test_import_labels_auto_never_overwrites_a_label_set_file(tmp_path, capsys):
    data, folder = tmp_path / "data.jsonl", tmp_path / "p"
    write_protest_jsonl(data)
    folder.mkdir()
    (folder / "labels.toml").write_text("mine\n", encoding="utf-8")
    code, _out, err = run(capsys, "import", str(data), "-f", "jsonl", "-o", str(folder), "--labels", "auto")
    assert code == 1 and "labels.toml: already exists: --labels auto does not overwrite it" in err
    assert (folder / "labels.toml").read_text(encoding="utf-8") == "mine\n"


GERMEVAL_STYLE = (
    "#\tsource [2009-10-17]\n1\tSullivan\tB-actor\tO\n2\twarned\tB-warning\tO\n3\tChina\tI-warning\tB-actor\n"
)


def test_conll_columns_that_cannot_be_told_are_refused_until_given(tmp_path, capsys):
    data = tmp_path / "germeval.tsv"
    data.write_text(GERMEVAL_STYLE, encoding="utf-8")
    code, _out, err = run(capsys, "import", str(data), "-f", "conll", "-o", str(tmp_path / "p"), "--strict")
    assert code == 1 and "columns 3 and 4 both hold tags" in err and "--tag-column 3 or --tag-column 4" in err
    assert not (tmp_path / "p").exists()
    code, stdout, err = run(capsys, "validate", str(data), "-f", "conll")
    assert code == 1 and "columns 3 and 4 both hold tags" in err and "0 valid, 1 with faults" in stdout
    columns = ["--word-column", "2", "--tag-column", "3"]
    code, out, err = run(capsys, "validate", str(data), "-f", "conll", *columns)
    assert (code, err) == (0, "")  # valid; the unread column is said, not counted as a fault
    assert "note: germeval.tsv document 1 (line 2): column 4 also holds entity tags" in out and "1 valid" in out
    code, stdout, err = run(capsys, "import", str(data), "-f", "conll", "-o", str(tmp_path / "p"), *columns, "--strict")
    assert code == 0, err
    assert "Imported 1 document with 2 spans" in stdout
    project = Project(tmp_path / "p")
    (document_id,) = project.document_ids()
    (annotator,) = project.annotators()
    spans = annotation_file.load(project.annotation_path(document_id, annotator)).sorted_spans()
    assert [(s.label, s.text) for s in spans] == [("actor", "Sullivan"), ("warning", "warned China")]
    assert "column 4 also holds entity tags, which are not read (column 3 is); --tag-column 3,4 reads them all" in err
    code, stdout, err = run(
        capsys, "import", str(data), "-f", "conll", "-o", str(tmp_path / "q"), "--tag-column", "3,4"
    )
    assert code == 0 and "Imported 1 document with 3 spans" in stdout and "not read" not in err, err
    with pytest.raises(SystemExit):
        main(["import", str(data), "-f", "conll", "-o", str(tmp_path / "r"), "--tag-column", "3,3"])
    assert "a column is named twice in '3,3'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["import", str(data), "-f", "conll", "-o", str(tmp_path / "r"), "--tag-column", "3,"])
    assert "a column number is missing in '3,' (N, or N,N as 3,4)" in capsys.readouterr().err


def test_the_unread_tag_column_note_is_kept_when_the_first_document_is_rejected(tmp_path, capsys):
    data = tmp_path / "germeval.tsv"
    data.write_text("-DOCSTART- O\n\n-DOCSTART- O\n\n" + GERMEVAL_STYLE, encoding="utf-8")  # document 1 is empty
    code, stdout, err = run(capsys, "import", str(data), "-f", "conll", "-o", str(tmp_path / "p"), "--tag-column", "3")
    assert code == 0 and "Imported 1 document with 2 spans; rejected 1" in stdout, err
    assert 'germeval.tsv document 1 (line 1): "text" is empty' in err
    assert "germeval.tsv document 1 (line 1): column 4 also holds entity tags, which are not read (column 3 is)" in err


def test_conll_iob1_is_refused_with_a_hint_and_read_with_its_scheme(tmp_path, capsys):
    data = tmp_path / "iob1.conll"
    data.write_text("Sullivan NNP I-NP I-actor\nwarned VBD I-VP I-warning\nChina NNP I-NP I-warning\n", "utf-8")
    code, _out, err = run(capsys, "import", str(data), "-f", "conll", "-o", str(tmp_path / "p"))
    assert code == 1 and "give --scheme IOB1" in err
    code, _out, err = run(capsys, "validate", str(data), "-f", "conll")
    assert code == 1 and "give --scheme IOB1" in err
    code, stdout, err = run(capsys, "import", str(data), "-f", "conll", "-o", str(tmp_path / "p"), "--scheme", "IOB1")
    assert code == 0, err
    assert "Imported 1 document with 2 spans" in stdout


def test_an_import_whose_spans_are_all_rejected_fails_without_strict(tmp_path, capsys):
    data = tmp_path / "persons.conll"
    data.write_text("Peter B-PER\nBlackburn I-PER\nsaid O\n\nYang B-PER\n", encoding="utf-8")
    labels = tmp_path / "persons.labels.toml"
    labels.write_text('name = "persons"\n\n[[labels]]\nname = "PER"\ncolor = "#0072B2"\nhotkey = "1"\n', "utf-8")
    code, stdout, err = run(capsys, "import", str(data), "-f", "conll", "-o", str(tmp_path / "p"))
    assert code == 1
    assert "Imported 1 document with 0 spans; 1 without annotations; rejected 2" in stdout
    assert "every span was rejected (2 found, listed above)" in err
    assert "has the label 'PER', which is not in the label set" in err
    # importing again: the document is skipped as already there, and its spans are rejected again
    code, stdout, err = run(capsys, "import", str(data), "-f", "conll", "-o", str(tmp_path / "p"))
    assert code == 1 and "skipped 1 already imported" in stdout and "every span was rejected" in err
    code, _out, err = run(
        capsys, "import", str(data), "-f", "conll", "-o", str(tmp_path / "q"), "--labels", str(labels)
    )
    assert code == 0, err


def test_label_studio_offsets_in_utf16_units_are_imported_with_the_option(tmp_path, capsys):
    text = "Sullivan 😬 warned China."
    start = len(text[: text.index("China")].encode("utf-16-le")) // 2  # an old Label Studio's count
    region = {"id": "a", "type": "labels", "value": {"start": start, "end": start + 5, "labels": ["actor"]}}
    data = tmp_path / "tasks.json"
    data.write_text(json.dumps([{"data": {"text": text}, "annotations": [{"result": [region]}]}]), encoding="utf-8")

    code, _out, err = run(capsys, "import", str(data), "-f", "label-studio", "-o", str(tmp_path / "a"))
    assert "--offsets codepoints or --offsets utf16" in err
    code, _out, err = run(
        capsys, "import", str(data), "-f", "label-studio", "-o", str(tmp_path / "b"), "--offsets", "utf16"
    )
    assert code == 0, err
    (saved,) = (tmp_path / "b").rglob("*.annotations.json")
    (span,) = json.loads(saved.read_text(encoding="utf-8"))["spans"]
    assert (span["start"], span["end"], span["text"]) == (text.index("China"), text.index("China") + 5, "China")


def test_brat_ids_come_back_from_an_import_and_an_export(tmp_path, capsys):
    source = tmp_path / "brat"
    source.mkdir()
    text, ann = BRAT_IDS_TEXT, BRAT_IDS_ANN
    (source / "doc.txt").write_text(text, encoding="utf-8")
    (source / "doc.ann").write_text(ann, encoding="utf-8")

    code, _out, err = run(capsys, "import", str(source), "-f", "brat", "-o", str(tmp_path / "p"), "--annotator", "a")
    assert code == 0, err
    code, _out, err = run(capsys, "export", str(tmp_path / "p"), "-f", "brat", "-o", str(tmp_path / "out"))
    assert code == 0, err

    written = (tmp_path / "out" / "doc.ann").read_text(encoding="utf-8")
    assert sorted(written.splitlines()) == sorted(ann.splitlines())


def _edit_and_save(project: Path) -> None:
    """Open each annotation file of ``project`` without the app, add a span through a command, and save it."""
    for path in sorted(project.rglob("*.annotations.json")):
        annotations = annotation_file.load(path)
        at = annotations.text.index("denied")
        AddSpan(annotations.new_span(at, at + 6, "denial")).redo(annotations)
        annotation_file.save(annotations, path)


def test_doccano_meta_survives_import_edit_save_and_export(tmp_path, capsys):
    text = "Yang denied it 😬."
    lines = [  # as doccano 1.x exports a sequence-labeling project
        {
            "id": 12,
            "text": text,
            "meta": {"source": "Reuters", "date": "2024-05-01"},
            "annotation_approver": None,
            "label": [[0, 4, "actor"]],
            "Comments": ["check the date"],
        },
    ]
    data = tmp_path / "doccano.jsonl"
    data.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    metadata = {
        "meta": {"source": "Reuters", "date": "2024-05-01"},
        "annotation_approver": None,
        "Comments": ["check the date"],
    }

    code, _out, err = run(capsys, "import", str(data), "-f", "doccano", "-o", str(tmp_path / "p"), "--annotator", "a")
    assert code == 0, err
    (saved,) = (tmp_path / "p").rglob("*.annotations.json")
    record = json.loads(saved.read_text(encoding="utf-8"))
    # version 5: the default label set holds attributes and document labels (else it would be 4, for the metadata)
    assert record["format_version"] == 5 and record["metadata"] == metadata
    _edit_and_save(tmp_path / "p")

    for fmt in ("doccano", "jsonl"):
        out = tmp_path / f"out.{fmt}.jsonl"
        code, _out, err = run(capsys, "export", str(tmp_path / "p"), "-f", fmt, "-o", str(out))
        assert code == 0, err
        (line,) = [json.loads(item) for item in out.read_text(encoding="utf-8").splitlines()]
        if fmt == "doccano":
            assert {key: line[key] for key in metadata} == metadata
            assert line["label"] == [[0, 4, "actor"], [5, 11, "denial"]]
        else:
            assert line["meta"]["metadata"] == metadata
            assert len(line["spans"]) == 2


def test_label_studio_data_fields_and_task_meta_survive_import_edit_save_and_export(tmp_path, capsys):
    text = "Yang denied it 😬."
    task = {  # as Label Studio exports a task
        "id": 31,
        "data": {"text": text, "url": "https://example.org/yang", "title": "Yang denies"},
        "meta": {"batch": 3},
        "annotations": [
            {
                "id": 5,
                "completed_by": 1,
                "result": [
                    {
                        "id": "a",
                        "type": "labels",
                        "from_name": "label",
                        "to_name": "text",
                        "value": {"start": 0, "end": 4, "text": "Yang", "labels": ["actor"]},
                    }
                ],
            }
        ],
        "created_at": "2024-05-01T10:00:00Z",
        "inner_id": 31,
    }
    data = tmp_path / "tasks.json"
    data.write_text(json.dumps([task]), encoding="utf-8")

    code, _out, err = run(capsys, "import", str(data), "-f", "label-studio", "-o", str(tmp_path / "p"))
    assert code == 0, err
    (saved,) = (tmp_path / "p").rglob("*.annotations.json")
    metadata = {"url": "https://example.org/yang", "title": "Yang denies", "meta": {"batch": 3}}
    assert json.loads(saved.read_text(encoding="utf-8"))["metadata"] == metadata
    _edit_and_save(tmp_path / "p")

    out = tmp_path / "back.json"
    code, _out, err = run(capsys, "export", str(tmp_path / "p"), "-f", "label-studio", "-o", str(out))
    assert code == 0, err
    (written,) = json.loads(out.read_text(encoding="utf-8"))
    assert written["data"] == {"text": text, "doc_id": "31", "url": "https://example.org/yang", "title": "Yang denies"}
    assert written["meta"] == {"batch": 3}
    assert len(written["annotations"][0]["result"]) == 2
    assert "metadata" not in written["annotations"][0].get("meta", {})


def test_an_export_that_cannot_hold_metadata_says_so_for_each_document(tmp_path, capsys):
    data = tmp_path / "doccano.jsonl"
    line = {"id": 7, "text": "Yang denied it.", "label": [[0, 4, "actor"]], "meta": {"source": "wire"}}
    data.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert run(capsys, "import", str(data), "-f", "doccano", "-o", str(tmp_path / "p"), "--annotator", "al")[0] == 0
    code, out, err = run(capsys, "export", str(tmp_path / "p"), "-f", "conll", "-o", str(tmp_path / "o.conll"))
    assert code == 0
    assert "7@al: its metadata ('meta') is not exported: CoNLL (IOB tags) has no room for it" in err
    assert "metadata of 1 document not exported" in out
    code, out, err = run(capsys, "export", str(tmp_path / "p"), "-f", "doccano", "-o", str(tmp_path / "o.jsonl"))
    assert code == 0 and "metadata" not in err + out
    assert json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))["meta"] == {"source": "wire"}


def test_labels_auto_with_every_span_rejected_by_the_reader_says_why(tmp_path, capsys):
    region = {"type": "labels", "from_name": "label", "to_name": "text", "value": {"start": 3, "end": 7}}
    region["value"]["labels"] = ["official"]
    task = {"id": 1, "data": {"text": "😀 Yang denied it."}, "annotations": [{"id": 1, "result": [region]}]}
    data = tmp_path / "old.json"
    data.write_text(json.dumps([task]), encoding="utf-8")  # offsets in UTF-16 units, as old Label Studio wrote
    code, _out, err = run(
        capsys, "import", str(data), "-f", "label-studio", "-o", str(tmp_path / "p"), "--labels", "auto"
    )
    assert code == 1 and "the data uses no labels" in err
    assert "spans were rejected while reading it, e.g. old.json task 1 annotation 1: result 1 [3, 7)" in err
    assert "--offsets codepoints or --offsets utf16" in err and not (tmp_path / "p").exists()
    code, out, err = run(
        capsys,
        "import",
        str(data),
        "-f",
        "label-studio",
        "-o",
        str(tmp_path / "p"),
        "--labels",
        "auto",
        "--offsets",
        "utf16",
    )
    assert code == 0 and "Label set p (official)" in out, err
