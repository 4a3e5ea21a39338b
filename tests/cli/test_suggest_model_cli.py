"""``annotator suggest --suggester model``: trained on --learn-from documents, gated by --threshold, and
``--evaluate`` by cross-validation with a learning curve."""

from __future__ import annotations

import json

from annotator.formats.records import DocumentRecord
from tests.cli.test_cli import make_project, run
from tests.suggest.model.news import corpus


def news_project(tmp_path, documents=6, seed=11):
    records = [DocumentRecord(f"d{n}", text, tuple(spans)) for n, (text, spans) in enumerate(corpus(seed, documents))]
    return make_project(tmp_path / "project", records).root


def test_suggestions_for_a_text_file_from_a_model_trained_on_a_project(tmp_path, capsys):
    root = news_project(tmp_path)
    text = tmp_path / "new.txt"
    text.write_text("Hugo Weber, the mayor, denied that funds were misused.\r\nTrains ran late.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, said, err = run(
        capsys, "suggest", str(text), "--suggester", "model", "--learn-from", str(root), "-o", str(out)
    )
    assert code == 0, err
    assert said.startswith("2 suggestions for 1 document (model trained on ")
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    found = [(record["text"][s["start"] : s["end"]], s["label"], s["suggester"]) for s in record["suggestions"]]
    assert found == [("Hugo Weber", "actor", "model"), ("funds were misused", "denial", "model")]
    assert all(0 < s["score"] <= 1 for s in record["suggestions"])


def test_below_the_threshold_it_suggests_nothing_and_says_why(tmp_path, capsys):
    root = news_project(tmp_path, documents=3)
    text = tmp_path / "new.txt"
    text.write_text("Hugo Weber, the mayor, denied that funds were misused.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["suggest", str(text), "--suggester", "model", "--learn-from", str(root), "-o", str(out)]
    code, said, err = run(capsys, *args, "--threshold", "1")
    assert code == 0, err
    assert "model: no suggestions: the model's cross-validated F1 " in err and "below the threshold 1.00" in err
    assert said.startswith("0 suggestions for 1 document") and "cross-validated F1 0." in said
    assert json.loads(out.read_text(encoding="utf-8"))["suggestions"] == []
    code, said, err = run(capsys, *args, "--threshold", "0.1")
    assert code == 0 and said.startswith("2 suggestions"), err


def test_evaluate_cross_validates_per_label_with_a_learning_curve(tmp_path, capsys):
    root = news_project(tmp_path)
    code, said, err = run(capsys, "suggest", "--evaluate", str(root), "--suggester", "model", "--format", "json")
    assert code == 0, err
    data = json.loads(said)
    assert data["suggester"] == "model" and data["folds"] == 5 and data["documents"] == 6
    assert set(data["exact"]) == {"actor", "claim", "denial", "warning", "(all labels)"}
    assert data["f1"] == data["exact"]["(all labels)"]["f1"] and data["f1"] > 0.8
    assert [p["documents"] for p in data["learning_curve"]] == [1, 2, 4]
    code, said, err = run(capsys, "suggest", "--evaluate", str(root), "--suggester", "model")
    assert code == 0, err
    assert said.startswith("model: 5-fold cross-validation by document over 6 documents")
    assert "learning curve (micro F1 against the number of training documents)" in said
    assert "\n  actor " in said and "\n  4   " in said


def test_clear_one_line_errors(tmp_path, capsys):
    empty = make_project(tmp_path / "empty", [DocumentRecord("a", "Trains ran late."), DocumentRecord("b", "No.")])
    text = tmp_path / "new.txt"
    text.write_text("Trains ran late.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    base = ["suggest", str(text), "--suggester", "model", "-o", str(out)]
    code, _said, err = run(capsys, *base, "--learn-from", str(empty.root))
    assert code == 1 and err == (
        "annotator: error: model: the model needs at least 1 span to learn from; the 2 documents given have none\n"
    )
    code, _said, err = run(capsys, *base)
    assert code == 1 and "learns from annotated documents: give --learn-from PATH" in err
    code, _said, err = run(capsys, *base, "--learn-from", str(empty.root), "--threshold", "2")
    assert code == 1 and "--threshold is an F1 between 0 and 1, not 2" in err
    code, _said, err = run(capsys, "suggest", str(text), "--threshold", "0.5", "-o", str(out))
    assert code == 1 and "--threshold is for --suggester model, not string-match" in err
    assert not out.exists()
