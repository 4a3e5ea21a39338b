"""The review window: two annotators of the sample article compared, every disagreement visited by keyboard,
gold adjudicated with the keys, undone, saved and exported; a project document's review; the refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from annotator.__main__ import main
from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet, span_faults
from annotator.model.document import Document
from annotator.model.span import Span
from annotator.project.layout import Project
from annotator.review.disagreements import span_key
from annotator.ui.dialogs.exchange_dialogs import ExportDialog
from annotator.ui.review.review_window import ReviewWindow
from tests.conftest import trap_cases
from tests.review import SAMPLE, bob_differs, write_variant
from tests.ui.test_agreement_dialog import project_folder  # noqa: F401  (a fixture)

ASK_UNSAVED = ReviewWindow.ask_unsaved  # the real question (the fixtures answer it without asking)


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    return [
        write_variant(tmp_path / "alice.annotations.json", "alice"),
        write_variant(tmp_path / "bob.annotations.json", "bob", bob_differs),
    ]


@pytest.fixture
def review(window, files, qtbot, monkeypatch) -> ReviewWindow:
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)
    opened = window.reviews.review_files(files)
    assert opened is not None
    qtbot.waitExposed(opened)
    return opened


def key(qtbot, widget, text: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget.candidate_table, text, modifier)


def cells(model, row: int) -> list[str]:
    return [model.cell(row, column) for column in range(model.columnCount())]


def test_the_review_lists_each_disagreement_classified_and_starts_at_the_first(review):
    model = review.disagreement_model
    assert model.headers == ["#", "Kind", "Where", "Text", "alice", "bob", "Gold", "Done"]
    kinds = [model.cell(row, 1) for row in range(model.rowCount())]
    assert kinds == ["label", "boundary", "missing (bob)"]
    assert cells(model, 0)[4:] == ["actor [0, 51)", "claim [0, 51)", "—", ""]
    assert review.current == 0
    assert [c.describe() for c in review.candidate_model.candidates] == ["actor [0, 51)", "claim [0, 51)"]
    assert review.view.annotators == ["alice", "bob"]
    assert review.legend.text().startswith("Bands under each line, top to bottom: 1 alice · 2 bob")
    assert review.windowTitle() == "Review — 000_3048e0f710b42604 — gold"  # nothing decided: nothing to save
    assert not review.dirty


def test_every_disagreement_is_visited_by_keyboard_both_ways(review, qtbot):
    visited = [review.current]
    for _ in range(3):
        key(qtbot, review, "n")
        visited.append(review.current)
    assert visited == [0, 1, 2, 0]  # wraps around
    qtbot.keyClick(review.candidate_table, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert review.current == 2
    key(qtbot, review, "p")
    assert review.current == 1
    item = review.adjudication.disagreements[1]
    assert review.view._current == (item.start, item.end)  # framed in the text


def test_adjudicating_by_keys_builds_gold_with_provenance_and_undo_reverts_it(review, qtbot, tmp_path):
    adj = review.adjudication
    agreed = {span_key(s) for s in adj.gold}
    assert len(agreed) == 13 - 3  # every span both annotators have
    key(qtbot, review, "2")  # label: take bob's claim
    key(qtbot, review, "n")
    key(qtbot, review, "1")  # boundary: take alice's
    key(qtbot, review, "n")
    key(qtbot, review, "r")  # missing in bob: reject alice's span
    assert adj.undecided == []
    assert review.disagreement_model.cell(0, 6) == "claim [0, 51)"
    assert review.disagreement_model.cell(2, 7) == "✓"
    gold = {span_key(s): s.note for s in adj.gold}
    assert gold[(0, 51, "claim")] == "from: bob"
    assert gold[(93, 104, "actor")] == "from: alice"
    assert (422, 508, "claim") not in gold
    qtbot.keyClick(review.candidate_table, "z", Qt.KeyboardModifier.ControlModifier)
    assert adj.undecided == [2] and review.current == 2
    key(qtbot, review, "a")  # accept it instead
    assert adj.gold.find(422, 508, "claim").note == "from: alice"
    qtbot.keyClick(review.candidate_table, "z", Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(review.candidate_table, "z", Qt.KeyboardModifier.ControlModifier)
    assert adj.undecided == [1, 2] and adj.gold.find(93, 104, "actor") is None
    qtbot.keyClick(review.candidate_table, "z", Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
    assert adj.gold.find(93, 104, "actor") is not None and adj.undecided == [2]


def test_saved_gold_is_an_annotation_file_that_exports_to_conll(review, qtbot, tmp_path, capsys):
    key(qtbot, review, "2")
    key(qtbot, review, "u")  # the next undecided one
    assert review.current == 1
    key(qtbot, review, "x")  # leave out both boundaries
    qtbot.keyClick(review.candidate_table, "s", Qt.KeyboardModifier.ControlModifier)
    path = review.setup.gold_path
    assert path.name.endswith(".gold.annotations.json") and path.parent == tmp_path
    assert not review.dirty and review.windowTitle().endswith("gold")
    saved = annotation_file.load(path)
    assert saved.annotator == "gold"
    assert saved.document.sha256 == annotation_file.load(tmp_path / "alice.annotations.json").document.sha256
    assert all(not span_faults(s, saved.text, saved.label_set) for s in saved)
    assert {span_key(s) for s in saved} == {span_key(s) for s in review.adjudication.gold}
    out = tmp_path / "gold.conll"
    assert main(["export", str(path), "--format", "conll", "-o", str(out)]) == 0
    conll = out.read_text(encoding="utf-8")
    assert "B-claim" in conll and "-DOCSTART-" in conll
    capsys.readouterr()


def test_reopening_resumes_from_the_gold_file(window, files, qtbot, monkeypatch):
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)
    first = window.reviews.review_files(files)
    first.take_version(2)
    assert first.save()
    first.close()
    again = window.reviews.review_files(files)
    assert again.setup.resumed and again.adjudication.decided == {0}
    assert again.current == 1  # it opens at the first undecided disagreement
    assert again.adjudication.gold.find(0, 51, "claim") is not None


def test_closing_with_unsaved_decisions_asks(review, monkeypatch):
    review.take_version(1)
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Cancel)
    assert not review.close()
    assert review.isVisible()
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Save)
    assert review.close()
    assert review.setup.gold_path.exists()


def test_open_gold_in_the_main_window_saves_and_opens_it(review, window, qtbot):
    review.take_version(1)
    qtbot.keyClick(review.candidate_table, "e", Qt.KeyboardModifier.ControlModifier)
    assert window.sessions.session is not None
    assert window.sessions.session.save_path == review.setup.gold_path
    assert window.controller.annotations.annotator == "gold"


def test_a_project_documents_annotators_are_reviewed_and_gold_goes_under_annotations(
    window,
    project_folder,  # noqa: F811
    qtbot,
    monkeypatch,
):
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)
    assert window.open_path(project_folder)
    assert window.projects.open_document_id("a.txt")
    window.actions_by_id["project.review"].trigger()
    review = window.reviews.last_review
    assert review.adjudication.annotators == ["alice", "bob"]
    assert [d.kind for d in review.adjudication.disagreements] == ["label", "boundary"]
    review.take_version(1)
    assert review.save()
    assert review.setup.gold_path == Project(project_folder).annotation_path("a.txt", "gold")
    assert annotation_file.load(review.setup.gold_path).document_id == "a.txt"
    # gold is now one more annotator for the agreement, never one of the annotators reviewed
    window.actions_by_id["project.review"].trigger()
    assert window.reviews.last_review.adjudication.annotators == ["alice", "bob"]
    # opened in the main window, gold exports beside the project, not among its files
    window.reviews.last_review.open_gold_in_main_window()
    shown = []
    monkeypatch.setattr(ExportDialog, "exec", lambda dialog: shown.append(dialog) or QDialog.DialogCode.Rejected)
    window.exchange.export_dialog()
    assert Path(shown[0].destination.edit.text()).parent == project_folder.parent


def test_review_refusals_name_the_files_and_the_fault(window, files, tmp_path):
    assert window.reviews.review_files(files[:1]) is None
    assert "two or more annotators" in window.last_message.text() and "alice" in window.last_message.text()
    other = write_variant(tmp_path / "carol.annotations.json", "carol")
    data = json.loads(other.read_text(encoding="utf-8"))
    data["document"]["text"] += " More."
    annotations = annotation_file.parse(
        json.dumps({**data, "document": {**data["document"], "sha256": ""}}).replace(
            '"sha256": ""', f'"sha256": "{Document.from_text(data["document"]["text"]).sha256}"'
        )
    )
    annotation_file.save(annotations, other)
    assert window.reviews.review_files([files[0], other]) is None
    text = window.last_message.text()
    assert "carol.annotations.json" in text and "alice.annotations.json" in text and "texts differ" in text
    window.projects.project = None
    window.projects.document_id = None
    assert window.reviews.review_document() is None
    assert "Review Annotation Files" in window.last_message.text()
    assert window.last_message.textFormat() == Qt.TextFormat.PlainText


def test_names_and_texts_are_shown_as_plain_text(window, tmp_path, qtbot, monkeypatch):
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)
    text = "<b>Bold</b> claims & <i>denials</i>\n"
    paths = []
    for name, label in (("<b>ann</b>", "actor"), ("bo&b", "claim")):
        annotations = AnnotationSet(
            Document.from_text(text),
            default_label_set(),
            name,
            [Span(id="s1", start=0, end=11, label=label, text=text[:11])],
        )
        path = tmp_path / f"{len(paths)}.annotations.json"
        annotation_file.save(annotations, path)
        paths.append(path)
    review = window.reviews.review_files(paths)
    assert review.legend.textFormat() == Qt.TextFormat.PlainText
    assert "<b>ann</b>" in review.legend.text()
    assert review.actions_by_id["review.take_2"].text() == "Take bo&&b's Version"
    assert review.disagreement_model.cell(0, 3) == "<b>Bold</b>"
    assert "<b>ann</b>: actor [0, 11)" in review.view.describe_at(3)


def test_trap_texts_show_every_annotators_spans_at_the_right_characters(window, tmp_path, qtbot, monkeypatch):
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)
    cases = trap_cases()
    checked = 0
    for number, case in enumerate(cases):
        text = case["text"]
        spans = [s for s in case.get("spans", []) if s.get("label") in {"actor", "claim", "warning", "denial"}]
        if not spans:
            continue
        made = [
            Span(id=f"s{i}", start=s["start"], end=s["end"], label=s["label"], text=s["text"])
            for i, s in enumerate(spans, 1)
        ]
        paths = []
        for name, own in (("alice", made), ("bob", made[1:])):
            annotations = AnnotationSet(Document.from_text(text), default_label_set(), name, own)
            path = tmp_path / f"{number}-{name}.annotations.json"
            annotation_file.save(annotations, path)
            paths.append(path)
        review = window.reviews.review_files(paths)
        assert review is not None, window.last_message.text()
        first = made[0]
        described = review.view.describe_at(first.start)
        assert f"alice: {first.label} [{first.start}, {first.end})" in described
        rects = review.view._range_rects(first.start, first.end, visible_only=False)
        assert rects, case.get("name")
        review.close()
        checked += 1
    assert checked >= 3


def test_export_gold_writes_conll_of_the_gold_as_it_is_now(review, qtbot, tmp_path, monkeypatch):
    key(qtbot, review, "1")  # decided, not saved
    out = tmp_path / "exports" / "gold.conll"

    def accept(dialog):
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("conll"))
        dialog.destination.edit.setText(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", accept)
    qtbot.keyClick(review.candidate_table, "e", Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "-DOCSTART- O"
    tagged = [line.split() for line in lines if line.strip() and not line.startswith("-DOCSTART-")]
    assert ["White", "B-actor"] in tagged and ["Sullivan", "I-actor"] in tagged  # alice's version of disagreement 1
    assert review.parentWidget().sessions.session is None  # the main window was left alone


def test_a_gold_file_changed_since_the_review_read_it_is_not_saved_over(review, window, qtbot):
    review.take_version(1)
    assert review.save()
    saved = review.setup.gold_path.read_bytes()
    # the same gold opened again: the open review window is shown, never a second one
    again = window.reviews.review_files([review.setup.files["alice"], review.setup.files["bob"]])
    assert again is review
    # someone else (the main window, another program) saves the gold file meanwhile
    changed = annotation_file.load(review.setup.gold_path)
    changed.insert(changed.new_span(0, 5, "actor"))
    annotation_file.save(changed, review.setup.gold_path)
    review.next_disagreement()
    review.take_version(2)
    assert not review.save()
    assert "was changed" in review.last_message.text() and "nothing was saved" in review.last_message.text()
    assert review.setup.gold_path.read_bytes() != saved  # their version stays
    assert annotation_file.load(review.setup.gold_path).find(0, 5, "actor") is not None


def test_the_unsaved_question_shows_the_name_as_plain_text(review, monkeypatch):
    seen = []
    monkeypatch.setattr(
        QMessageBox,
        "exec",
        lambda box: seen.append((box.textFormat(), box.text())) or QMessageBox.StandardButton.Cancel,
    )
    review.name = "<b>Budget</b>"
    assert ASK_UNSAVED(review) == QMessageBox.StandardButton.Cancel
    assert seen == [(Qt.TextFormat.PlainText, "Save the gold file of <b>Budget</b> before closing?")]


def test_closing_the_main_window_asks_about_unsaved_gold_first(review, window, monkeypatch):
    review.take_version(1)
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert window.isVisible() and review.isVisible()
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Save)
    assert window.close()
    assert review.setup.gold_path.exists()


def test_reviewing_again_with_another_annotator_says_the_open_review_compares_others(review, window, tmp_path):
    carol = write_variant(tmp_path / "carol.annotations.json", "carol")
    again = window.reviews.review_files([*review.setup.files.values(), carol])
    assert again is review
    assert "compares alice, bob" in review.last_message.text() and "alice, bob, carol" in review.last_message.text()


def test_a_gold_file_saved_again_with_the_same_bytes_is_no_conflict(review):
    review.take_version(1)
    assert review.save()
    path = review.setup.gold_path
    path.write_bytes(path.read_bytes())  # a touch, or the main window saving it unchanged
    review.next_disagreement()
    review.take_version(2)
    assert review.save()


def test_export_gold_never_writes_over_the_document_beside_the_files(window, tmp_path, monkeypatch):
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)
    text = json.loads(SAMPLE.read_text(encoding="utf-8"))["document"]["text"]
    document = tmp_path / "news.txt"
    document.write_text(text, encoding="utf-8", newline="")
    files = [
        write_variant(tmp_path / "news.alice.annotations.json", "alice"),
        write_variant(tmp_path / "news.bob.annotations.json", "bob", bob_differs),
    ]
    review = window.reviews.review_files(files)
    assert not review.setup.gold_path.exists()

    def over_the_document(dialog):
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
        dialog.destination.edit.setText(str(document))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", over_the_document)
    review.export_gold()
    assert document.read_text(encoding="utf-8") == text
    assert "news.txt" in window.last_message.text()
