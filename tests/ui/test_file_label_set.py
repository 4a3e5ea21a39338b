"""A file keeps the label set it was made with: opening it under another chosen label set and saving changes only
what the user changed (issue 16)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set, load_label_set
from annotator.io.opening import open_text_with_annotations
from annotator.project.layout import Project
from annotator.project.project_file import save_project_label_set

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SAMPLE_TEXT = ROOT / "sample_docs" / "000_3048e0f710b42604.txt"


def sample_copy(tmp_path: Path) -> Path:
    """The sample article and (a copy of) its annotation file, made by "analyst" with attribution-plus."""
    text = tmp_path / SAMPLE_TEXT.name
    shutil.copyfile(SAMPLE_TEXT, text)
    shutil.copyfile(DATA / "sample-article.annotations.json", annotation_file.annotation_path_for(text))
    return text


def test_saving_the_sample_with_one_new_span_changes_only_the_spans(window, tmp_path):
    text = sample_copy(tmp_path)
    saved = annotation_file.annotation_path_for(text)
    before = json.loads(saved.read_text(encoding="utf-8"))
    window.annotator = "analyst"  # the file's own annotator: nothing about ownership here
    window.suggesting.set_suggestions_enabled(False)  # unassisted: no pending suggestions or "shown" flag saved
    assert (
        window.label_sets.label_set.name == "attribution"
    )  # the chosen set differs from the file's (attribution-plus)
    assert window.open_path(text)
    assert window.controller.annotations.label_set.name == "attribution-plus"
    assert list(window.label_bar.buttons) == [label["name"] for label in before["label_set"]["labels"]]
    count = len(window.controller.annotations)
    window.view.select_range(0, 4)
    window.editing.apply_label("actor")
    assert len(window.controller.annotations) == count + 1
    assert window.sessions.save()
    after = json.loads(saved.read_text(encoding="utf-8"))
    assert after["label_set"] == before["label_set"]
    assert after["relations"] == before["relations"]
    # the spans change, and (issue 18) the time spent working on the document is recorded, which takes version 5
    effort = {"spans", "format_version", "active_seconds", "suggestions_shown", "suggestions", "rejected_suggestions"}
    assert {k: v for k, v in after.items() if k not in effort} == {k: v for k, v in before.items() if k not in effort}
    assert after["active_seconds"] >= 0 and after["suggestions"] == [] and after["suggestions_shown"] is False
    assert len(after["spans"]) == len(before["spans"]) + 1


def _commitment_with_a_link(window, tmp_path):
    text = tmp_path / "article.txt"
    text.write_text("Sullivan said Beijing would pay.\n", encoding="utf-8")
    window.settings.autosave = False
    assert window.label_sets.load_label_set_file(ROOT / "sample_docs" / "attribution-plus.labels.toml")
    assert window.open_path(text)
    window.view.select_range(0, 8)
    window.editing.apply_label("actor")
    window.view.select_range(14, 32)
    window.editing.apply_label("commitment")
    spans = {s.label: s.id for s in window.controller.annotations}
    window.controller.add_relation("source", spans["commitment"], spans["actor"])
    assert window.controller.annotations.relation_count == 1


def test_the_add_labels_question_says_which_links_go_and_its_answer_is_honoured(window, tmp_path, questions):
    _commitment_with_a_link(window, tmp_path)
    questions.script(add_labels=False)
    window.label_sets.use_default_label_set()
    assert questions.questions("add_labels") == [("article.txt", ["commitment"], "attribution", 1)]
    assert window.controller.annotations.label_set.name == "attribution-plus"  # declined: nothing changed
    assert window.controller.annotations.relation_count == 1
    questions.script(add_labels=True)
    window.last_message = None
    window.label_sets.use_default_label_set()
    annotations = window.controller.annotations
    assert annotations.label_set.names == ["actor", "claim", "warning", "denial", "commitment"]
    assert annotations.relation_count == 0  # as the question said
    assert window.last_message is None  # said in the question: no second message after the answer
    window.actions_by_id["edit.undo"].trigger()
    assert window.controller.annotations.label_set.name == "attribution-plus"
    assert window.controller.annotations.relation_count == 1


def test_in_a_project_a_file_keeps_its_label_set_and_a_new_one_starts_with_the_projects(window, tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    for name in ("a.txt", "b.txt"):
        (root / name).write_text(f"Text of {name}.\n", encoding="utf-8")
    save_project_label_set(root, load_label_set(ROOT / "sample_docs" / "attribution-plus.labels.toml"))
    made = Project(root).annotation_path("a.txt", "tester")
    made.parent.mkdir(parents=True)
    opened = open_text_with_annotations(root / "a.txt", made, default_label_set(), "tester", "a.txt")
    annotation_file.save(opened.annotations, made)
    before = json.loads(made.read_text(encoding="utf-8"))["label_set"]
    assert window.open_path(root)
    assert window.label_sets.label_set.name == "attribution-plus"  # the project's set is the chosen one
    window.projects.open_document_id("a.txt")
    assert window.controller.annotations.label_set.name == "attribution"
    assert "keeps the label set it was made with (attribution)" in window.statusBar().currentMessage()
    window.view.select_range(0, 4)
    window.editing.apply_label("actor")
    assert window.sessions.save()
    assert json.loads(made.read_text(encoding="utf-8"))["label_set"] == before
    window.projects.open_document_id("b.txt")
    assert window.controller.annotations.label_set.name == "attribution-plus"
