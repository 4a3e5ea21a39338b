"""Another annotator's file outside a project opens read-only with a bar above the text (never a dialog): "Edit as
Yourself" edits it, "Make My Own Copy" writes and opens X.<you>.annotations.json; the choice is remembered per folder
(issue 16)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from annotator.io import annotation_file
from annotator.io.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_TEXT = ROOT / "sample_docs" / "000_3048e0f710b42604.txt"
SAMPLE_ANNOTATIONS = ROOT / "tests" / "data" / "sample-article.annotations.json"  # made by "analyst"


def sample_copy(folder: Path, stem: str = SAMPLE_TEXT.stem) -> Path:
    text = folder / f"{stem}.txt"
    shutil.copyfile(SAMPLE_TEXT, text)
    shutil.copyfile(SAMPLE_ANNOTATIONS, annotation_file.annotation_path_for(text))
    return text


def test_the_first_run_opens_the_samples_file_read_only_with_a_bar_and_no_dialog(window, tmp_path, monkeypatch):
    text = sample_copy(tmp_path)
    theirs = annotation_file.annotation_path_for(text)
    before = theirs.read_bytes()
    dialogs = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: dialogs.append(box.text()) or 0)
    assert window.open_path(text)
    assert dialogs == [] and window.last_message is None
    bar = window.ownership_bar
    assert bar.isVisible()
    assert "made by analyst" in bar.message.text() and "read-only" in bar.message.text()
    assert "000_3048e0f710b42604.tester.annotations.json" in bar.message.text()
    assert window.read_only_status.isVisible()
    count = len(window.controller.annotations)
    window.view.select_range(0, 4)
    window.editing.apply_label("actor")  # refused: read-only
    assert len(window.controller.annotations) == count
    assert not window.sessions.save()
    assert theirs.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [theirs.name, text.name]  # no lock, no copy


def test_edit_as_yourself_edits_their_file_and_is_remembered_for_the_folder(window, tmp_path, qtbot):
    text = sample_copy(tmp_path)
    theirs = annotation_file.annotation_path_for(text)
    assert window.open_path(text)
    window.ownership_bar.edit_button.click()
    assert not window.ownership_bar.isVisible() and not window.controller.read_only_reason
    assert window.sessions.session.save_path == theirs
    count = len(window.controller.annotations)
    window.view.select_range(0, 4)
    window.editing.apply_label("actor")
    assert window.sessions.save()
    saved = json.loads(theirs.read_text(encoding="utf-8"))
    assert len(saved["spans"]) == count + 1 and saved["annotator"] == "analyst"
    assert load_settings().others_files == {str(tmp_path.resolve()): "edit"}
    other = sample_copy(tmp_path, "second")
    assert window.open_path(other)  # the same folder: no bar, editable
    assert not window.ownership_bar.isVisible() and not window.controller.read_only_reason
    assert "analyst's; you edit it as yourself" in window.statusBar().currentMessage()


def test_make_my_own_copy_writes_and_opens_it_and_is_remembered_for_the_folder(window, tmp_path, qtbot, make_window):
    text = sample_copy(tmp_path)
    theirs = annotation_file.annotation_path_for(text)
    before = theirs.read_bytes()
    assert window.open_path(text)
    window.ownership_bar.copy_button.click()
    mine = tmp_path / "000_3048e0f710b42604.tester.annotations.json"
    assert window.sessions.session.save_path == mine and mine.exists()
    assert not window.ownership_bar.isVisible() and not window.controller.read_only_reason
    copy = annotation_file.load(mine)
    assert copy.annotator == "tester" and len(copy) == len(annotation_file.load(theirs))
    window.view.select_range(0, 4)
    window.editing.apply_label("actor")
    assert window.sessions.save()
    assert theirs.read_bytes() == before
    assert load_settings().others_files == {str(tmp_path.resolve()): "copy"}
    second = sample_copy(tmp_path, "second")
    assert window.open_path(second)  # the same folder: the copy is made and opened at once
    assert window.sessions.session.save_path == tmp_path / "second.tester.annotations.json"
    # A later run with no remembered choice still opens your own copy of the first file, not theirs.
    fresh = make_window("tester")
    assert fresh.open_path(text)
    assert fresh.sessions.session.save_path == mine and fresh.ownership_bar.isHidden()
    assert len(fresh.controller.annotations) == len(copy) + 1


def test_your_own_file_and_a_new_file_open_without_a_bar(window, tmp_path):
    text = sample_copy(tmp_path)
    window.annotator = "analyst"
    assert window.open_path(text)
    assert not window.ownership_bar.isVisible() and not window.controller.read_only_reason
    new = tmp_path / "new.txt"
    new.write_text("Nothing annotated yet.\n", encoding="utf-8")
    window.annotator = "tester"
    assert window.open_path(new)
    assert not window.ownership_bar.isVisible() and not window.controller.read_only_reason


def test_in_a_project_a_colleagues_file_opens_as_theirs_with_a_bar_even_when_yours_exists(window, tmp_path):
    from annotator.project.layout import Project

    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copyfile(SAMPLE_TEXT, root / "a.txt")
    project = Project(root)
    theirs = project.annotation_path("a.txt", "analyst")
    theirs.parent.mkdir(parents=True)
    shutil.copyfile(SAMPLE_ANNOTATIONS, theirs)
    mine = project.annotation_path("a.txt", "tester")
    mine.parent.mkdir(parents=True)
    data = json.loads(SAMPLE_ANNOTATIONS.read_text(encoding="utf-8"))
    data["annotator"], data["spans"], data["relations"] = "tester", [], []
    mine.write_text(json.dumps(data), encoding="utf-8")
    assert window.open_path(theirs)
    assert window.controller.annotations.annotator == "analyst" and len(window.controller.annotations) == 13
    assert window.ownership_bar.isVisible()
    assert "annotations/tester/a.annotations.json" in window.ownership_bar.message.text()
