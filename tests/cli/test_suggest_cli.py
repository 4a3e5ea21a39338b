"""``annotator suggest``: suggestions as JSONL learned from a project and gazetteers, and leave-one-out evaluation."""

from __future__ import annotations

import json

from annotator.cli.main import COMMANDS as CLI_COMMANDS
from annotator.formats.records import DocumentRecord
from annotator.model.span import Span
from tests.cli.test_cli import make_project, run

A = "Jake Sullivan met Yang Jiechi in Rome. Sullivan warned Beijing."
B = "Yang Jiechi replied. Beijing denied it, and Sullivan listened."
C = "Ned Price said Beijing would pay. Price repeated it."


def spans(text: str, *items: tuple[str, str]) -> tuple[Span, ...]:
    out = []
    for number, (phrase, label) in enumerate(items, 1):
        start = text.index(phrase)
        out.append(Span(id=f"s{number}", start=start, end=start + len(phrase), label=label, text=phrase))
    return tuple(out)


def project(tmp_path):
    records = [
        DocumentRecord("a", A, spans(A, ("Jake Sullivan", "actor"), ("Yang Jiechi", "actor"), ("Beijing", "actor"))),
        DocumentRecord("b", B, spans(B, ("Yang Jiechi", "actor"), ("Beijing", "actor"))),
        DocumentRecord("c", C, spans(C, ("Ned Price", "actor"), ("Beijing", "actor"))),
    ]
    return make_project(tmp_path / "project", records)


def test_the_command_lists_agree():
    from annotator.__main__ import COMMANDS

    assert COMMANDS == CLI_COMMANDS


def test_suggestions_for_a_text_file_learned_from_a_project_and_a_gazetteer(tmp_path, capsys):
    root = project(tmp_path).root
    text = tmp_path / "new.txt"
    text.write_text("Beijing and Sullivan spoke; the Kremlin too.", encoding="utf-8")
    gazetteer = tmp_path / "g.tsv"
    gazetteer.write_text("Kremlin\tactor\t3\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, said, err = run(
        capsys, "suggest", str(text), "--learn-from", str(root), "--gazetteer", str(gazetteer), "-o", str(out)
    )
    assert code == 0, err
    assert said.startswith("2 suggestions for 1 document")
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert "spans" not in record and "annotator" not in record  # suggestions are not spans
    found = [(s["id"], record["text"][s["start"] : s["end"]], s["label"], s["score"]) for s in record["suggestions"]]
    assert found == [("g1", "Beijing", "actor", 0.75), ("g2", "Kremlin", "actor", 0.75)]
    assert record["suggestions"][0]["reason"] == "labeled actor 3 of 3 times (project)"
    assert record["suggestions"][0]["suggester"] == "string-match"
    assert record["suggested_relations"] == []


def test_an_annotation_file_keeps_its_spans_and_gets_no_suggestion_on_them(tmp_path, capsys):
    root = project(tmp_path).root
    out = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "suggest", str(root / "annotations" / "alice" / "a.annotations.json"), "-o", str(out))
    assert code == 0, err
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(record["spans"]) == 3 and record["annotator"] == "alice"
    assert record["suggestions"] == []  # what it learned from itself is a span already ("Sullivan" never alone)
    code, _, err = run(
        capsys,
        "suggest",
        str(root / "annotations" / "alice" / "b.annotations.json"),
        "--learn-from",
        str(root / "annotations" / "alice" / "a.annotations.json"),
        "-o",
        str(out),
    )
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [record["text"][s["start"] : s["end"]] for s in record["suggestions"]] == []  # b's names are its spans


def test_min_score_and_bad_arguments(tmp_path, capsys):
    root = project(tmp_path).root
    out = tmp_path / "out.jsonl"
    code, said, _ = run(capsys, "suggest", str(root), "--learn-from", str(root), "--min-score", "0.9", "-o", str(out))
    assert code == 0 and said.startswith("0 suggestions for 3 documents")
    assert run(capsys, "suggest", str(root))[2].startswith("annotator: error: give --output")
    assert "--min-score" in run(capsys, "suggest", str(root), "--min-score", "2", "-o", str(out))[2]
    assert "does not exist" in run(capsys, "suggest", str(tmp_path / "nope.txt"), "-o", str(out))[2]
    bad = tmp_path / "bad.tsv"
    bad.write_text("only one field\n", encoding="utf-8")
    code, _, err = run(capsys, "suggest", str(root), "--gazetteer", str(bad), "-o", str(out))
    assert code == 1 and "bad.tsv: line 1: expected text<TAB>label" in err


def test_leave_one_out_evaluation_per_label_exact_and_overlap(tmp_path, capsys):
    root = project(tmp_path).root
    code, said, err = run(capsys, "suggest", "--evaluate", str(root), "--format", "json")
    assert code == 0, err
    data = json.loads(said)
    assert data["documents"] == 3 and data["suggester"] == "string-match"
    actor = data["exact"]["actor"]
    # a: "Yang Jiechi" (from b) and "Beijing" (b, c) found, "Jake Sullivan" not; "Sullivan" is not suggested (never
    # labeled alone elsewhere). b: both found (from a, c). c: "Beijing" found, "Ned Price" not. Nothing wrong.
    assert (actor["suggested"], actor["right"], actor["spans"], actor["found"]) == (5, 5, 7, 5)
    assert actor["precision"] == 1.0 and round(actor["recall"], 4) == round(5 / 7, 4)
    assert data["exact"]["(all labels)"]["spans"] == 7
    code, table, _ = run(capsys, "suggest", "--evaluate", str(root))
    assert "exact matching" in table and "overlap matching" in table and "all labels" in table


def test_evaluation_needs_two_documents(tmp_path, capsys):
    records = [DocumentRecord("a", A, spans(A, ("Beijing", "actor")))]
    root = make_project(tmp_path / "p", records).root
    code, _, err = run(capsys, "suggest", "--evaluate", str(root))
    assert code == 1 and "at least two documents" in err


def test_importing_suggestions_never_makes_them_spans_and_reports_bad_ones(tmp_path, capsys):
    from annotator.formats.jsonl import parse_object

    item = {"id": "x", "text": "Beijing said.", "suggestions": [{"start": 0, "end": 7, "label": "actor"}]}
    parsed = parse_object(item, "out.jsonl line 1")
    assert parsed.spans == [] and parsed.suggestions == [] and not parsed.annotated
    assert parsed.rejected == ["suggestion 1 has no 'score' or 'suggester'; left out"]


def test_importing_what_suggest_wrote_gives_pending_suggestions_to_review(tmp_path, capsys):
    from annotator.io import annotation_file

    root = project(tmp_path).root
    text = tmp_path / "new.txt"
    text.write_text("Beijing and Sullivan spoke.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run(capsys, "suggest", str(text), "--learn-from", str(root), "-o", str(out))[0] == 0

    code, _said, err = run(capsys, "import", str(out), "-f", "jsonl", "-o", str(tmp_path / "p"), "--annotator", "bo")

    assert code == 0, err
    (path,) = (tmp_path / "p").rglob("*.annotations.json")
    loaded = annotation_file.load(path)
    assert len(loaded) == 0  # suggestions are not spans
    found = [(s.id, s.text, s.label, s.score, s.suggester) for s in loaded.suggestions()]
    assert found == [("g1", "Beijing", "actor", 0.75, "string-match")]
    assert json.loads(path.read_text(encoding="utf-8"))["format_version"] == 5


def test_evaluating_the_attribution_suggester_on_the_gold_fixtures_reports_links(capsys):
    from pathlib import Path

    gold = Path(__file__).parent.parent / "data" / "attribution"
    code, out, err = run(capsys, "suggest", "--evaluate", str(gold), "--suggester", "attribution", "-f", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["suggester"] == "attribution" and report["documents"] == 8
    assert {"actor", "claim", "warning", "denial"} <= set(report["exact"])
    source = report["links"]["source"]
    assert source["suggested"] > 0 and 0 < source["precision"] <= 1 and source["spans"] == 53
    code, out, err = run(capsys, "suggest", "--evaluate", str(gold), "--suggester", "attribution")
    assert code == 0 and "links (right: both ends match gold spans exactly" in out


def test_attribution_suggestions_are_written_with_their_source_links(tmp_path, capsys):
    text = tmp_path / "news.txt"
    text.write_text("Ned Price said that the talks were productive.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _out, err = run(capsys, "suggest", str(text), "--suggester", "attribution", "-o", str(out))
    assert code == 0, err
    record = json.loads(out.read_text(encoding="utf-8"))
    assert [(s["id"], s["label"]) for s in record["suggestions"]] == [("g1", "actor"), ("g2", "claim")]
    assert record["suggested_relations"] == [{"type": "source", "from": "g2", "to": "g1"}]


def test_a_cmd_plugin_runs_from_the_command_line_and_its_failure_is_one_line(tmp_path, capsys):
    import shlex
    import sys
    from pathlib import Path

    example = Path(__file__).parent.parent.parent / "examples" / "said_plugin.py"
    text = tmp_path / "news.txt"
    text.write_text("Ned Price said it.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    command = f"cmd:{shlex.quote(sys.executable)} {shlex.quote(str(example))}"
    code, _out, err = run(capsys, "suggest", str(text), "--suggester", command, "-o", str(out))
    assert code == 0, err
    assert [s["start"] for s in json.loads(out.read_text(encoding="utf-8"))["suggestions"]] == [0]
    hang = tmp_path / "hang.py"
    hang.write_text("import time\ntime.sleep(60)\n", encoding="utf-8")
    command = f"cmd:{shlex.quote(sys.executable)} {shlex.quote(str(hang))}"
    code, _out, err = run(capsys, "suggest", str(text), "--suggester", command, "--timeout", "0.5", "-o", str(out))
    assert code == 1 and "did not finish within 0.5 s" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    code, _out, err = run(capsys, "suggest", str(text), "--suggester", "nope", "-o", str(out))
    assert code == 1 and "no suggester called 'nope'" in err
