"""The app asks before running a command a project names, remembers a Yes in the settings, and shows the command as
plain text with invisible characters made visible."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from annotator.io.settings import Settings, load_settings, save_settings
from annotator.project.trust import is_trusted, trust
from annotator.ui.dialogs.questions import DialogQuestions
from annotator.ui.main.trusting import CommandTrust
from tests.ui.conftest import ScriptedQuestions

COMMAND = "python tools/spacy_suggest.py"


def make(questions: ScriptedQuestions, settings: Settings) -> tuple[CommandTrust, list[int]]:
    saved: list[int] = []
    return CommandTrust(questions, settings, lambda: saved.append(1)), saved


def test_a_trusted_command_runs_without_asking(tmp_path):
    settings = Settings()
    trust(settings, tmp_path, COMMAND)
    questions = ScriptedQuestions()
    trusting, saved = make(questions, settings)
    assert trusting.allowed(tmp_path, "spacy-ner", COMMAND)
    assert questions.asked == [] and saved == []


def test_the_user_is_asked_and_a_yes_is_remembered_and_saved(tmp_path):
    settings = load_settings()
    questions = ScriptedQuestions(trust_command=True)
    trusting = CommandTrust(questions, settings, lambda: save_settings(settings))
    assert trusting.allowed(tmp_path, "spacy-ner", COMMAND)
    assert questions.questions("trust_command") == [(tmp_path.name, "spacy-ner", COMMAND)]
    assert trusting.allowed(tmp_path, "spacy-ner", COMMAND)
    assert len(questions.asked) == 1
    assert is_trusted(load_settings(), tmp_path, COMMAND)  # in the user's settings file


def test_a_no_runs_nothing_is_not_remembered_in_settings_and_is_not_asked_again_this_session(tmp_path):
    settings = Settings()
    questions = ScriptedQuestions()  # the default answer: No
    trusting, saved = make(questions, settings)
    assert not trusting.allowed(tmp_path, "spacy-ner", COMMAND)
    assert not trusting.allowed(tmp_path, "spacy-ner", COMMAND)
    assert len(questions.asked) == 1 and saved == [] and settings.trusted_commands == {}
    assert not CommandTrust(questions, settings, lambda: None).allowed(tmp_path, "spacy-ner", COMMAND)
    assert len(questions.asked) == 2  # a new session asks again


def test_a_changed_command_or_another_folder_is_asked_again(tmp_path):
    settings = Settings()
    trust(settings, tmp_path, COMMAND)
    (tmp_path / "moved").mkdir()
    questions = ScriptedQuestions(trust_command=False)
    trusting, _saved = make(questions, settings)
    assert not trusting.allowed(tmp_path, "spacy-ner", COMMAND + " --all")
    assert not trusting.allowed(tmp_path / "moved", "spacy-ner", COMMAND)
    assert [args[2] for args in questions.questions("trust_command")] == [COMMAND + " --all", COMMAND]


def answer(qtbot, button_text: str | None, seen: list[QMessageBox]) -> None:
    def act() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box)
        if button_text is None:
            box.reject()
            return
        (button,) = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    QTimer.singleShot(0, act)


def test_the_dialog_shows_the_command_as_plain_text_and_defaults_to_no(qtbot):
    seen: list[QMessageBox] = []
    questions = DialogQuestions(None)
    command = "python <b>tools</b>/x.py \u202egnp.exe"
    answer(qtbot, None, seen)  # Escape
    assert not questions.trust_command("news\u200b", "ner", command)
    (box,) = seen
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in box.findChildren(QLabel))
    assert "python <b>tools</b>/x.py \\u202egnp.exe" in box.text() and "news\\u200b" in box.text()
    assert "with your permissions" in box.informativeText()
    assert "every document you open in this project" in box.informativeText()
    assert box.defaultButton().text() == "Don't Run"
    answer(qtbot, "Run It", seen)
    assert questions.trust_command("news", "ner", command)
    answer(qtbot, "Don't Run", seen)
    assert not questions.trust_command("news", "ner", command)
