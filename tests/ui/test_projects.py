"""Projects in the app: the document list, status and progress, autosave, locks, files changed on disk,
re-anchoring, recovery after a kill, recent files and JSONL import."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set
from annotator.io.opening import open_text_with_annotations
from annotator.model.commands import AddSpan
from annotator.model.status import DocumentStatus
from annotator.project.journal import find_recoverable
from annotator.project.layout import Project
from annotator.project.lock import AnnotationLock
from annotator.project.session import DocumentSession
from annotator.ui.main_window import MainWindow
from annotator.ui.timing import AUTOSAVE_DELAY_MS
from tests.ui.conftest import select_qt

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_docs" / "000_3048e0f710b42604.txt"
DOCS = {
    "a.txt": "Officials in Berlin warned that prices would rise.\n",
    "b.txt": "The ministry denied the report.\r\nIt said nothing else.\r\n",
    "news/c.txt": "Analysts claimed the deal was 🙂 done.\n",
}


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for name, text in DOCS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode("utf-8"))
    (root / "notes.md").write_text("not a document", encoding="utf-8")
    return root


def label(window: MainWindow, phrase: str, name: str) -> None:
    text = window.controller.annotations.text
    start = text.index(phrase)
    offsets = window.view.offsets
    select_qt(window.view, offsets.to_qt(start), offsets.to_qt(start + len(phrase)))
    window.editing.apply_label(name)


def saved_path(project_dir: Path, doc: str, annotator: str = "tester") -> Path:
    return Project(project_dir).annotation_path(doc, annotator)


def second_window(make_window, name: str = "tester") -> MainWindow:
    other = make_window(name)
    other.show()
    return other


def test_a_folder_opens_as_a_project_with_its_documents_and_progress(window, project_dir):
    assert window.open_path(project_dir)
    model = window.documents.model
    assert [e.id for e in model.entries] == ["a.txt", "b.txt", "news/c.txt"]
    assert all(e.status is DocumentStatus.NOT_STARTED for e in model.entries)
    assert window.projects.document_id == "a.txt" and window.documents_dock.isVisible()
    assert window.controller.annotations.text == DOCS["a.txt"]
    assert window.windowTitle().startswith("a.txt[*] — Not started — corpus")
    assert window.documents.progress.value() == 0 and window.documents.progress.maximum() == 3
    assert "0 of 3 done" in window.documents.summary.text().replace("\u00a0", " ")


def test_changes_are_autosaved_within_two_seconds_to_the_annotators_file(window, project_dir, qtbot):
    window.open_path(project_dir)
    label(window, "Officials in Berlin", "actor")
    path = saved_path(project_dir, "a.txt")
    assert path == project_dir.resolve() / "annotations" / "tester" / "a.annotations.json"
    assert AUTOSAVE_DELAY_MS <= 2000
    timer = window.sessions.autosave_timer  # the delay is the timer's, not the machine's: no wall-clock assertion
    assert timer.isActive() and timer.interval() == AUTOSAVE_DELAY_MS and timer.isSingleShot()
    # written by the save worker, then taken by the window (its title) once the worker says so
    qtbot.waitUntil(lambda: path.exists() and not window.sessions.unsaved, timeout=20_000)
    loaded = annotation_file.load(path)
    assert [s.text for s in loaded] == ["Officials in Berlin"]
    assert loaded.document_id == "a.txt" and loaded.document.sha256 == loaded.document.sha256
    assert not window.isWindowModified() and "saved " in window.windowTitle()
    entry = window.documents.model.entries[0]
    assert entry.status is DocumentStatus.IN_PROGRESS and entry.span_count == 1


def test_mark_done_flag_and_move_between_documents_from_the_keyboard(window, project_dir, qtbot):
    window.open_path(project_dir)
    label(window, "Officials in Berlin", "actor")
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert annotation_file.load(saved_path(project_dir, "a.txt")).status is DocumentStatus.DONE  # saved at once
    assert window.documents.model.entries[0].status is DocumentStatus.DONE
    assert window.documents.progress.value() == 1 and "Done" in window.windowTitle()
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.projects.document_id == "b.txt"
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert annotation_file.load(saved_path(project_dir, "b.txt")).status is DocumentStatus.FLAGGED
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.projects.document_id == "a.txt"
    not_done = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, not_done)
    assert window.projects.document_id == "b.txt"  # flagged is not done
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, not_done)
    assert window.projects.document_id == "news/c.txt"
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "next document not done" in window.statusBar().currentMessage()  # b.txt is flagged, not done
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # marking is undoable
    assert window.controller.annotations.status is DocumentStatus.IN_PROGRESS


def test_progress_reaches_all_done(window, project_dir, qtbot):
    window.open_path(project_dir)
    for number in range(3):
        if number:
            qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.projects.document_id == "news/c.txt"
    assert window.documents.progress.value() == 3 and "3 of 3 done" in window.documents.summary.text().replace(
        "\u00a0", " "
    )
    assert "All 3 documents are done" in window.statusBar().currentMessage()
    statuses = [annotation_file.load(saved_path(project_dir, d)).status for d in ("a.txt", "b.txt", "news/c.txt")]
    assert statuses == [DocumentStatus.DONE] * 3


def test_the_document_list_opens_a_document_with_enter(window, project_dir, qtbot):
    window.open_path(project_dir)
    window.projects.focus_document_list()
    table = window.documents.table
    table.setCurrentIndex(table.model().index(2, 1))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.projects.document_id == "news/c.txt"
    assert window.controller.annotations.text == DOCS["news/c.txt"]


def test_reopening_a_project_restores_the_last_document_and_position(qtbot, tmp_path, monkeypatch, make_window):
    root = tmp_path / "long"
    root.mkdir()
    (root / "a.txt").write_text("short\n", encoding="utf-8")
    long_text = "".join(f"Line {n}: officials warned of more to come.\n" for n in range(400))
    (root / "b.txt").write_text(long_text, encoding="utf-8")
    first = second_window(make_window)
    first.resize(900, 500)
    first.open_path(root)
    first.projects.open_document_id("b.txt")
    first.view.scroll_to_offset(long_text.index("Line 200:"))
    top = first.view.top_offset()
    assert long_text[top:].startswith("Line 200:")
    first.close()
    assert str(root.resolve()) == first.settings.recent[0]
    again = make_window("tester", first.settings)
    again.show()
    again.resize(900, 500)
    again.open_path(root)
    assert again.projects.document_id == "b.txt"
    qtbot.waitUntil(lambda: again.view.top_offset() == top, timeout=2000)


def test_a_document_held_by_another_instance_opens_read_only(window, project_dir, qtbot, make_window):
    window.open_path(project_dir)
    label(window, "Officials in Berlin", "actor")
    window.sessions.autosave()
    other = second_window(make_window)
    other.open_path(project_dir)
    assert other.sessions.session.read_only and "tester" in other.sessions.session.read_only_reason
    assert "read-only" in other.windowTitle()
    assert other.read_only_status.isVisible() and not other.label_bar.isEnabled()
    assert not other.actions_by_id["project.mark_done"].isEnabled()
    other.editing.select_span(other.controller.annotations.sorted_spans()[0].id)
    assert other.span_panel.note.isReadOnly() and not other.span_panel.uncertain.isEnabled()
    assert not any(b.isEnabled() for b in other.span_panel.link_buttons.values())
    before = len(other.controller.annotations)
    label(other, "prices", "claim")
    assert len(other.controller.annotations) == before  # refused
    assert other.statusBar().currentMessage().startswith("Read-only: ")
    window.projects.next_document()  # the first instance lets go of a.txt
    other.sessions.check_disk()  # the read-only instance notices and takes over, reloading what the first one saved
    assert not other.sessions.session.read_only and "free now" in other.statusBar().currentMessage()
    assert not other.read_only_status.isVisible() and other.label_bar.isEnabled()
    assert other.actions_by_id["project.mark_done"].isEnabled()
    assert [s.text for s in other.controller.annotations] == ["Officials in Berlin"]
    label(other, "prices", "claim")
    assert len(other.controller.annotations) == 2
    other.sessions.autosave()
    assert len(annotation_file.load(saved_path(project_dir, "a.txt"))) == 2


def _write_theirs(path: Path, phrase: str, label_name: str) -> None:
    theirs = annotation_file.load(path)
    start = theirs.text.index(phrase)
    theirs.insert(theirs.new_span(start, start + len(phrase), label_name))
    annotation_file.save(theirs, path)


def test_a_file_changed_on_disk_reloads_when_nothing_is_unsaved(window, project_dir):
    window.open_path(project_dir)
    label(window, "Officials in Berlin", "actor")
    window.sessions.autosave()
    _write_theirs(saved_path(project_dir, "a.txt"), "prices", "claim")
    window.sessions.check_disk()
    assert sorted(s.text for s in window.controller.annotations) == ["Officials in Berlin", "prices"]


@pytest.mark.parametrize("choice", ["keep_mine", "reload"])
def test_a_file_changed_on_disk_with_unsaved_work_asks(window, project_dir, monkeypatch, choice, questions):
    window.open_path(project_dir)
    label(window, "Officials in Berlin", "actor")
    window.sessions.autosave()
    path = saved_path(project_dir, "a.txt")
    _write_theirs(path, "prices", "claim")
    label(window, "warned", "warning")  # unsaved
    asked = []
    questions.script(conflict=lambda name, unsaved: asked.append(name) or choice)
    window.sessions.autosave()
    assert asked == ["a.annotations.json"]
    on_disk = sorted(s.text for s in annotation_file.load(path))
    copies = list(path.parent.glob("a.conflict-*.json"))
    if choice == "keep_mine":
        assert on_disk == ["Officials in Berlin", "warned"]
        assert len(copies) == 1 and sorted(s.text for s in annotation_file.load(copies[0])) == [
            "Officials in Berlin",
            "prices",
        ]
    else:
        assert on_disk == ["Officials in Berlin", "prices"] and not copies
        assert sorted(s.text for s in window.controller.annotations) == ["Officials in Berlin", "prices"]


def test_later_never_overwrites_the_changed_file(window, project_dir):
    window.open_path(project_dir)
    label(window, "Officials in Berlin", "actor")
    window.sessions.autosave()
    path = saved_path(project_dir, "a.txt")
    _write_theirs(path, "prices", "claim")
    label(window, "warned", "warning")
    window.sessions.autosave()  # the fixture answers "later"
    assert sorted(s.text for s in annotation_file.load(path)) == ["Officials in Berlin", "prices"]
    assert window.isWindowModified()


@pytest.mark.parametrize("accept", [True, False])
def test_a_changed_text_is_re_anchored_after_asking(window, project_dir, monkeypatch, accept, questions, make_window):
    window.open_path(project_dir)
    label(window, "Officials in Berlin", "actor")
    label(window, "prices", "claim")
    window.close()
    (project_dir / "a.txt").write_text("Update: Officials in Berlin warned that costs would rise.\n", encoding="utf-8")
    asked = []
    questions.script(reanchor=lambda f, t, reanchored: asked.append(reanchored.summary()) or accept)
    again = make_window("tester")
    again.open_path(project_dir)
    assert asked and "1 moved" in asked[0] and "1 could not be placed" in asked[0]
    path = saved_path(project_dir, "a.txt")
    saved = annotation_file.load(path)
    if accept:
        assert again.controller.annotations.text.startswith("Update:")
        assert [(s.text, s.start) for s in again.controller.annotations] == [("Officials in Berlin", 8)]
        assert saved.document.text.startswith("Update:") and len(saved.orphans) == 1
        assert saved.orphans[0].span.text == "prices"
    else:
        assert again.controller.annotations.text == DOCS["a.txt"]  # never a span at stale offsets
        assert not saved.document.text.startswith("Update:") and len(saved) == 2
    again.close()


def test_autosave_failure_keeps_the_file_and_says_why_once(window, project_dir, monkeypatch):
    window.open_path(project_dir)
    label(window, "Officials in Berlin", "actor")
    window.sessions.autosave()
    path = saved_path(project_dir, "a.txt")
    before = path.read_bytes()

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr("tempfile.mkstemp", full)
        label(window, "prices", "claim")
        window.sessions.autosave()
        assert "No space left on device" in window.last_message.text() and "not lost" in window.last_message.text()
        first = window.last_message
        label(window, "warned", "warning")
        window.sessions.autosave()
        assert window.last_message is first  # said once, not on every autosave
        assert path.read_bytes() == before
    window.sessions.autosave()
    assert len(annotation_file.load(path)) == 3


def test_recent_files_menu_lists_projects_and_files(window, project_dir, tmp_path):
    other = tmp_path / "single.txt"
    other.write_text("Solo text.", encoding="utf-8")
    window.open_path(project_dir)
    window.open_path(other)
    assert window.settings.recent[:2] == [str(other), str(project_dir.resolve())]
    assert not window.documents_dock.isVisible() and window.projects.project is None
    window._fill_recent_menu()
    texts = [a.text() for a in window.recent_menu.actions()]
    assert texts[0].startswith("single.txt (file)") and texts[1].startswith("corpus (folder)")


def test_jsonl_import_adds_documents_to_the_project(window, project_dir, tmp_path):
    window.open_path(project_dir)
    records = [
        {"id": "r1", "text": "Moscow denied the claim.", "spans": [{"start": 0, "end": 6, "label": "actor"}]},
        {"id": "r2", "text": "No spans here."},
        {"id": "r3", "text": "Bad span.", "spans": [{"start": 5, "end": 2, "label": "actor"}]},
    ]
    jsonl = tmp_path / "batch.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\nnot json\n", encoding="utf-8")
    window.exchange.import_file(jsonl, "jsonl")
    ids = [e.id for e in window.documents.model.entries]
    assert {"batch/r1.txt", "batch/r2.txt", "batch/r3.txt"} <= set(ids)
    assert "rejected" in window.last_message.text()
    r1 = next(e for e in window.documents.model.entries if e.id == "batch/r1.txt")
    assert r1.span_count == 1 and r1.status is DocumentStatus.IN_PROGRESS
    window.projects.open_document_id("batch/r1.txt")
    assert [s.text for s in window.controller.annotations] == ["Moscow"]


CHILD = """
import sys, time
from PySide6.QtWidgets import QApplication
import annotator.ui.main_window as mw
import annotator.ui.main.sessions as sessions
sessions.AUTOSAVE_DELAY_MS = 600_000  # killed before autosave could run
app = QApplication([])
window = mw.MainWindow("tester")
window.show()
window.open_path(sys.argv[1])
text = window.controller.annotations.text
for phrase, label in (("Officials in Berlin", "actor"), ("warned", "warning")):
    start = text.index(phrase)
    window.view.select_range(start, start + len(phrase))
    window.editing.apply_label(label)
assert window.sessions.session.dirty
print("edited", flush=True)
while True:
    app.processEvents()
    time.sleep(0.05)
"""


def start_editing_child(project_dir: Path) -> subprocess.Popen:
    """Another annotator process (offscreen) that opens the project, makes two edits and never saves."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD), str(project_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_killed_mid_work_then_restart_offers_and_restores(window, project_dir, monkeypatch, questions):
    child = start_editing_child(project_dir)
    try:
        line = child.stdout.readline()
        assert line.strip() == "edited", child.stderr.read()
    finally:
        child.kill()  # SIGKILL on POSIX
        child.wait(timeout=10)
    path = saved_path(project_dir, "a.txt")
    assert not path.exists()
    offered = []
    questions.script(recovery=lambda r: offered.append(r.describe()) or "restore")
    reopen = window.opener.offer_recovery()
    assert len(offered) == 1 and "2 unsaved changes" in offered[0] and "2 spans added" in offered[0]
    assert reopen == project_dir.resolve()
    assert sorted(s.text for s in annotation_file.load(path)) == ["Officials in Berlin", "warned"]
    window.open_path(reopen)
    assert window.projects.document_id == "a.txt" and len(window.controller.annotations) == 2
    assert "saved " in window.windowTitle() and "Restored 2 unsaved changes" in window.statusBar().currentMessage()
    assert window.opener.offer_recovery() is None  # nothing left to offer


# -- review findings: nothing is lost on the unhappy paths -------------------------------------------------------
def crash_session(project_dir: Path, doc: str, phrases=(("Officials in Berlin", "actor"),)) -> Path:
    """Leave a journal as a killed process would: changes journaled, never saved, its locks freed by the OS."""
    project = Project(project_dir)
    opened = open_text_with_annotations(
        project.text_path(doc), project.annotation_path(doc, "tester"), default_label_set(), "tester", doc
    )
    session = DocumentSession(
        opened.annotations, opened.save_path, annotator="tester", text_path=opened.text_path, project_root=project.root
    )
    session.start()
    for phrase, name in phrases:
        start = opened.annotations.text.index(phrase)
        command = AddSpan(opened.annotations.new_span(start, start + len(phrase), name))
        session.record(command.redo(opened.annotations), command.text)
    session.journal.release()
    session._lock.release()
    return opened.save_path


def test_decide_later_keeps_the_crashed_work_until_restored(window, project_dir, monkeypatch, questions):
    path = crash_session(project_dir, "a.txt")
    window.open_path(project_dir)  # the fixture answers "later"
    assert len(window.controller.annotations) == 0 and "offers it again" in window.statusBar().currentMessage()
    label(window, "warned", "warning")
    window.projects.open_document_id("b.txt")
    assert len(find_recoverable()) == 1  # still there after editing and leaving the document
    window.projects.open_document_id("a.txt")  # not asked twice in one run
    asked = []
    questions.script(recovery=lambda r: asked.append(r.describe()) or "restore")
    window.opener.recover_unsaved_work()  # File → Recover Unsaved Work… offers it again
    assert len(asked) == 1 and "1 unsaved change" in asked[0]
    # The work saved since ("warned") and the recovered work are merged: they changed different things.
    both = ["Officials in Berlin", "warned"]
    assert sorted(s.text for s in window.controller.annotations) == both
    assert sorted(s.text for s in annotation_file.load(path)) == both
    assert "merged with the version saved since" in window.statusBar().currentMessage()
    assert not list(path.parent.glob("a.conflict-*.json")) and find_recoverable() == []


def test_a_read_only_viewer_never_touches_the_crashed_work(window, project_dir, monkeypatch, questions):
    path = crash_session(project_dir, "a.txt")
    asked = []
    questions.script(recovery=lambda r: asked.append(r) or "restore")
    bob = AnnotationLock(path, "tester")  # the file is open elsewhere
    bob.acquire()
    try:
        window.open_path(project_dir)
        assert window.sessions.session.read_only and not asked
        window.projects.open_document_id("b.txt")
    finally:
        bob.release()
    assert len(find_recoverable()) == 1


def test_a_restore_whose_save_fails_keeps_the_crashed_journal(window, project_dir, monkeypatch, questions):
    path = crash_session(project_dir, "a.txt")
    questions.script(recovery=lambda r: "restore")

    def full(path, data):
        raise FileFault(path, "could not save (No space left on device)")

    with monkeypatch.context() as patch:
        patch.setattr("annotator.project.session.atomic_write_bytes", full)
        window.open_path(project_dir)
        assert [s.text for s in window.controller.annotations] == ["Officials in Berlin"]
        assert "not saved yet" in window.statusBar().currentMessage()
        assert not path.exists() and find_recoverable() != []  # the crashed journal is kept
    window.sessions.autosave()
    assert [s.text for s in annotation_file.load(path)] == ["Officials in Berlin"]
    assert find_recoverable() == []  # once saved, the crashed journal is gone too


def test_a_viewer_taking_over_after_the_holder_crashed_offers_its_work(
    window, project_dir, monkeypatch, qtbot, questions
):
    child = start_editing_child(project_dir)
    try:
        assert child.stdout.readline().strip() == "edited", child.stderr.read()
        window.open_path(project_dir)
        assert window.sessions.session.read_only
    finally:
        child.kill()
        child.wait(timeout=10)
    questions.script(recovery=lambda r: "restore")
    window.sessions.check_disk()
    assert not window.sessions.session.read_only
    assert sorted(s.text for s in window.controller.annotations) == ["Officials in Berlin", "warned"]
    assert sorted(s.text for s in annotation_file.load(saved_path(project_dir, "a.txt"))) == [
        "Officials in Berlin",
        "warned",
    ]


def test_a_document_that_cannot_be_opened_leaves_the_open_one_editable(window, project_dir):
    bad = saved_path(project_dir, "b.txt")
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text("{not json", encoding="utf-8")
    window.open_path(project_dir)
    label(window, "Officials in Berlin", "actor")
    assert not window.projects.open_document_id("b.txt")
    assert "not valid JSON" in window.last_message.text()
    assert (
        window.projects.document_id == "a.txt" and window.sessions.session is not None and window.sessions.session.dirty
    )
    window.sessions.autosave()
    assert [s.text for s in annotation_file.load(saved_path(project_dir, "a.txt"))] == ["Officials in Berlin"]
    assert bad.read_text(encoding="utf-8") == "{not json"  # never overwritten


def test_decide_later_on_a_conflict_is_not_asked_again_for_the_same_version(
    window, project_dir, monkeypatch, questions
):
    window.open_path(project_dir)
    label(window, "Officials in Berlin", "actor")
    window.sessions.autosave()
    _write_theirs(saved_path(project_dir, "a.txt"), "prices", "claim")
    label(window, "warned", "warning")
    asked = []
    questions.script(conflict=lambda name, unsaved: asked.append(name) or "later")
    window.sessions.check_disk()
    window.sessions.check_disk()
    window.sessions.check_disk()
    assert len(asked) == 1
    _write_theirs(saved_path(project_dir, "a.txt"), "rise", "claim")  # a newer version: ask again
    window.sessions.check_disk()
    assert len(asked) == 2


def test_save_as_in_a_project_writes_a_copy_and_keeps_the_project_file(window, project_dir, tmp_path, questions):
    window.open_path(project_dir)
    label(window, "Officials in Berlin", "actor")
    copy = tmp_path / "elsewhere.annotations.json"
    questions.script(save_file=copy)
    assert window.sessions.save_as()
    assert [s.text for s in annotation_file.load(copy)] == ["Officials in Berlin"]
    assert window.sessions.session.save_path == saved_path(project_dir, "a.txt")
    label(window, "warned", "warning")
    window.sessions.autosave()
    assert len(annotation_file.load(saved_path(project_dir, "a.txt"))) == 2 and len(annotation_file.load(copy)) == 1


def test_orphaned_spans_are_listed_after_re_anchoring(window, project_dir, monkeypatch, questions, make_window):
    window.open_path(project_dir)
    label(window, "prices", "claim")
    window.close()
    (project_dir / "a.txt").write_text("Officials in Berlin warned that costs would rise.\n", encoding="utf-8")
    questions.script(reanchor=lambda f, t, r: True)
    again = make_window("tester")
    again.open_path(project_dir)
    assert again.orphan_status.isVisibleTo(again) and "1 orphaned span" in again.orphan_status.text()
    again.projects.show_orphans()
    assert "“prices”" in again.last_message.detailedText() and "no longer occurs" in again.last_message.detailedText()
    again.close()


def test_annotations_made_beside_the_text_before_the_project_are_carried_over(window, project_dir, qtbot, make_window):
    single = make_window("tester")
    single.open_path(project_dir / "a.txt")  # annotated on its own first: a.annotations.json beside a.txt
    label(single, "Officials in Berlin", "actor")
    single.close()
    beside = project_dir / "a.annotations.json"
    before = beside.read_bytes()
    window.open_path(project_dir)
    assert [s.text for s in window.controller.annotations] == ["Officials in Berlin"]
    assert "saved to a.annotations.json in the project" in window.statusBar().currentMessage()
    label(window, "warned", "warning")
    window.sessions.autosave()
    assert len(annotation_file.load(saved_path(project_dir, "a.txt"))) == 2
    assert beside.read_bytes() == before  # never written


def test_someone_elses_annotations_beside_the_text_are_only_mentioned(
    project_dir, qtbot, monkeypatch, questions, make_window
):
    questions.script(unsaved=lambda name: pytest.fail("nothing to ask"))
    alice = make_window("alice")
    alice.open_path(project_dir / "a.txt")
    label(alice, "Officials in Berlin", "actor")
    alice.close()
    bob = make_window("bob")
    bob.open_path(project_dir)
    assert len(bob.controller.annotations) == 0
    assert "someone else's" in bob.statusBar().currentMessage()
    bob.close()


def _protest_project(project_dir: Path) -> Path:
    from annotator.project.project_file import PROJECT_FILE

    for name in ("annotator-project.toml", "labels.toml"):
        (project_dir / name).write_bytes((ROOT / "tests" / "data" / "project-v1" / name).read_bytes())
    assert (project_dir / PROJECT_FILE).exists()
    return project_dir


def _outside_text(project_dir: Path) -> Path:
    """A copy of the sample article next to (not in) the project: opening the one in sample_docs/ would read and
    lock the user's annotation file there."""
    path = project_dir.parent / SAMPLE.name
    shutil.copyfile(SAMPLE, path)
    return path


def test_a_project_file_label_set_is_used_in_the_project_only(window, project_dir):
    window.settings.label_set_path = "/somewhere/mine.toml"
    window.projects.open_project(_protest_project(project_dir))
    assert window.label_sets.label_set.name == "protest"
    assert window.controller.annotations.label_set.names == ["organizer", "demand"]
    assert [a.text() for a in window.label_menu.actions()] == ["organizer", "demand"]
    assert window.settings.label_set_path == "/somewhere/mine.toml"  # the remembered one is not overwritten
    assert window.open_path(_outside_text(project_dir))  # a file outside the project: the user's own label set again
    assert window.label_sets.label_set == default_label_set()
    assert "organizer" not in window.controller.annotations.label_set.names


def test_an_invalid_project_file_falls_back_to_the_users_label_set_and_says_so(window, project_dir):
    (project_dir / "annotator-project.toml").write_text("format_version = 7\nlabel_set = 'x.toml'\n", "utf-8")
    assert window.projects.open_project(project_dir)
    assert window.label_sets.label_set == default_label_set()
    message = window.statusBar().currentMessage()
    assert "annotator-project.toml: written by a newer version of annotator (format_version 7" in message
    assert "using your label set attribution instead" in message


def test_choosing_a_label_set_in_a_project_writes_the_project_files_once(window, project_dir, tmp_path, monkeypatch):
    from annotator.io import atomic
    from annotator.io.label_set_file import label_set_to_json, load_label_set
    from annotator.project.project_file import ProjectFile, read_project_file

    chosen = tmp_path / "chosen.json"
    chosen.write_text(label_set_to_json(load_label_set(ROOT / "tests/data/project-v1/labels.toml")), "utf-8")
    window.projects.open_project(project_dir)  # no project file yet
    assert window.label_sets.label_set == default_label_set()
    writes = []
    real = atomic.atomic_write_bytes
    monkeypatch.setattr(
        atomic, "atomic_write_bytes", lambda path, data: (writes.append(Path(path).name), real(path, data))
    )
    assert window.label_sets.load_label_set_file(chosen)
    assert sorted(writes) == ["annotator-project.toml", "labels.toml"]  # each once, not per document
    assert read_project_file(project_dir) == ProjectFile()
    assert load_label_set(project_dir / "labels.toml").name == "protest"
    assert window.settings.label_set_path == ""  # the user's own choice is untouched
    window.label_sets.use_default_label_set()
    assert load_label_set(project_dir / "labels.toml") == default_label_set()
    assert window.open_path(_outside_text(project_dir)) and window.label_sets.label_set == default_label_set()
