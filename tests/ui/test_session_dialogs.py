"""The questions about files that changed under the app: each button gives its answer, Escape means "later", and
file names and span texts are shown as plain text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.reanchor import reanchor
from annotator.ui.dialogs import session_dialogs

seen: list[QMessageBox] = []


def answer_with(button_text: str | None) -> None:
    """Click the button ``button_text`` (``None``: press Escape) of the next modal question."""

    def act() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box)
        assert box.textFormat() == Qt.TextFormat.PlainText
        if button_text is None:
            box.reject()
            return
        (button,) = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    QTimer.singleShot(0, act)


@pytest.mark.parametrize(
    ("button", "answer"),
    [
        ("Reload", "reload"),
        ("Keep Mine", "keep_mine"),
        ("Compare…", "compare"),
        ("Decide Later", "later"),
        (None, "later"),
    ],
)
def test_conflict_answers(qtbot, button, answer):
    answer_with(button)
    assert session_dialogs.ask_conflict(None, "<b>a</b>.annotations.json", unsaved=True) == answer
    assert "<b>a</b>.annotations.json" in seen[-1].text()


def test_reanchor_answers(qtbot):
    spans = AnnotationSet(Document.from_text("Yang denied it."), default_label_set(), "t")
    spans.insert(spans.new_span(0, 4, "actor"))
    result = reanchor("Yang denied it.", "Today Yang denied it.", list(spans))
    answer_with("Re-anchor and Save")
    assert session_dialogs.ask_reanchor(None, "a.annotations.json", "a.txt", result) is True
    assert "1 moved" in seen[-1].text() and "[0, 4) → [6, 10)" in seen[-1].detailedText()
    answer_with("Keep Old Text")
    assert session_dialogs.ask_reanchor(None, "a.annotations.json", "a.txt", result) is False


@pytest.mark.parametrize(("button", "answer"), [("Keep", "keep"), ("Discard", "discard"), (None, "keep")])
def test_unreadable_journal_answers_name_the_file_and_the_reason(qtbot, tmp_path, button, answer):
    from annotator.project.journal import UnreadableJournal

    journal = UnreadableJournal(
        tmp_path / "<i>x-1-2.journal", "line 7 is not valid JSON (Expecting value)", tmp_path / "a.annotations.json"
    )
    answer_with(button)
    assert session_dialogs.ask_unreadable_journals(None, [journal]) == answer
    text = seen[-1].text()
    assert "<i>x-1-2.journal" in text and "line 7 is not valid JSON" in text and "a.annotations.json" in text
    # where the journals are kept, and what keeping them is good for, without promising a newer version reads them
    informative = seen[-1].informativeText()
    assert str(tmp_path) in informative and "damaged one still holds its changes" in informative


def test_the_add_labels_question_says_before_the_answer_which_links_the_switch_removes(qtbot, monkeypatch):

    asked = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append((box.text(), box.informativeText())) or 0)
    assert not session_dialogs.ask_add_labels(None, "a.txt", ["commitment"], "attribution", 2)  # closed: keep
    [(text, informative)] = asked
    assert text == "a.txt uses labels that the label set “attribution” lacks: commitment."
    assert "2 links that do not fit its relation types are removed (Undo, Ctrl+Z, brings them back)." in informative
