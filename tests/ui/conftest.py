from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import pytest

from annotator.io.settings import Settings
from annotator.suggest.string_matcher import NAME as STRING_MATCH
from annotator.ui.main_window import MainWindow


class ScriptedQuestions:
    """A :class:`~annotator.ui.dialogs.questions.Questions` answerer for tests: each question gets its scripted
    answer (a value, or a callable given the question's arguments), and is recorded in :attr:`asked` as
    ``(question, args)``.

    The defaults: leaving unsaved work discards it, an export replaces what is there, recovery and files changed on
    disk are decided "later",
    unreadable journals are kept, re-anchoring, adding labels and running a project's command are declined, and every
    pick is cancelled.
    """

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "unsaved": "discard",
        "recovery": "later",
        "unreadable_journals": "keep",
        "conflict": "later",
        "show_comparison": None,
        "reanchor": False,
        "add_labels": False,
        "relation_type": None,
        "choose": None,
        "text": None,
        "font": None,
        "open_file": None,
        "open_files": [],
        "save_file": None,
        "folder": None,
        "replace": True,
        "trust_command": False,
    }

    def __init__(self, **answers: Any) -> None:
        self.answers = dict(self.DEFAULTS)
        self.asked: list[tuple[str, tuple]] = []
        self.script(**answers)

    def script(self, **answers: Any) -> ScriptedQuestions:
        """Set the answers of the questions named (a value, or a callable given the question's arguments)."""
        unknown = set(answers) - set(self.DEFAULTS)
        if unknown:
            raise TypeError(f"no such question: {', '.join(sorted(unknown))}")
        self.answers.update(answers)
        return self

    def questions(self, name: str) -> list[tuple]:
        """The arguments of each time question ``name`` was asked."""
        return [args for asked, args in self.asked if asked == name]

    def _answer(self, name: str, *args: Any) -> Any:
        self.asked.append((name, args))
        answer = self.answers[name]
        return answer(*args) if isinstance(answer, Callable) else answer

    def unsaved(self, file_name):
        return self._answer("unsaved", file_name)

    def recovery(self, recoverable):
        return self._answer("recovery", recoverable)

    def unreadable_journals(self, journals):
        return self._answer("unreadable_journals", journals)

    def conflict(self, file_name, unsaved):
        return self._answer("conflict", file_name, unsaved)

    def show_comparison(self, file_name, diff):
        return self._answer("show_comparison", file_name, diff)

    def reanchor(self, file_name, text_name, reanchored):
        return self._answer("reanchor", file_name, text_name, reanchored)

    def add_labels(self, file_name, missing, label_set, links):
        return self._answer("add_labels", file_name, missing, label_set, links)

    def relation_type(self, names, label):
        return self._answer("relation_type", names, label)

    def choose(self, title, caption, items):
        return self._answer("choose", title, caption, items)

    def text(self, title, caption, text):
        return self._answer("text", title, caption, text)

    def font(self, current):
        return self._answer("font", current)

    def open_file(self, title, filters):
        return self._answer("open_file", title, filters)

    def open_files(self, title, filters):
        return self._answer("open_files", title, filters)

    def save_file(self, title, start, filters):
        return self._answer("save_file", title, start, filters)

    def folder(self, title):
        return self._answer("folder", title)

    def replace(self, name, folder):
        return self._answer("replace", name, folder)

    def trust_command(self, project_name, plugin_name, command):
        return self._answer("trust_command", project_name, plugin_name, command)


@pytest.fixture
def questions() -> ScriptedQuestions:
    """The answers to every question the windows of a test ask (see :class:`ScriptedQuestions` for the defaults);
    a test scripts others with ``questions.script(...)``."""
    return ScriptedQuestions()


@pytest.fixture
def make_window(qtbot, questions):
    """Make a main window (``MainWindow``'s arguments) that asks ``questions``, closed after the test. Without
    settings given, its only suggester is the string matcher (a worker thread, as the attribution suggester's): a
    test that wants the attribution suggester passes settings, or turns it on."""

    def make(*args: Any, **kwargs: Any) -> MainWindow:
        kwargs.setdefault("questions", questions)
        if len(args) < 2 and "settings" not in kwargs:
            name = args[0] if args else kwargs.get("annotator", "")
            kwargs["settings"] = Settings(annotator=name, suggesters=[STRING_MATCH])
        win = MainWindow(*args, **kwargs)
        qtbot.addWidget(win)
        return win

    return make


@pytest.fixture
def window(qtbot, make_window):
    """A shown, active main window; closing it never blocks on a question (the answer is Discard), and the
    questions about recovery, files changed on disk and re-anchoring answer "later" / "keep the old text" unless a
    test says otherwise (``questions.script(...)``)."""
    win = make_window("tester")
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    return win


def select_qt(view, start: int, end: int) -> None:
    """Select Qt positions [start, end) in the view, as a mouse drag would."""
    cursor = view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
