"""A project's plug-in suggesters in the app (issue 19): opening the project never runs them; checking a plug-in's
row in Suggestions → Project Plug-ins asks the user to agree to its exact command, and only then it runs (in the
project folder, in the background); a command changed since is not run until agreed to again; the project file's
``enabled`` list limits the built-in suggesters."""

from __future__ import annotations

import shlex
import sys
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest

from annotator.io.settings import Settings
from annotator.project.project_file import read_project_file, write_project_file
from annotator.project.trust import is_trusted
from annotator.suggest.string_matcher import NAME as STRING_MATCH
from annotator.ui.main_window import MainWindow
from tests.cli.test_trust_cli import MARKER, plugin_project, set_command
from tests.ui.test_suggesting_attribution import ManualExecutor


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return plugin_project(tmp_path)


@pytest.fixture
def app(make_window, qtbot) -> MainWindow:
    window = make_window("tester", settings=Settings(annotator="tester", suggesters=[STRING_MATCH, "attribution"]))
    window.suggesting.timer.setInterval(0)
    window.suggesting.executor = ManualExecutor(at_once=True)
    window.show()
    qtbot.waitExposed(window)
    return window


def settle(qtbot, window: MainWindow) -> None:
    """Let the suggesters' timer fire and their (immediate) background runs come back."""
    qtbot.wait(20)
    qtbot.waitUntil(lambda: not window.suggesting.busy and not window.suggesting.timer.isActive())


def rows(window: MainWindow) -> dict[str, bool]:
    window.plugins.fill_menu()
    return {a.text(): a.isChecked() for a in window.plugins.menu.actions() if a.isCheckable()}


def marker_suggestions(window: MainWindow) -> list[tuple[int, int, str]]:
    annotations = window.controller.annotations
    return [(s.start, s.end, s.label) for s in annotations.suggestions() if s.suggester == "marker"]


def test_opening_a_project_never_runs_its_plugin_and_agreeing_runs_it(app, project, questions, qtbot):
    assert app.projects.open_project(project)
    settle(qtbot, app)
    assert not (project / MARKER).exists()  # opened, suggested with the built-ins: the plug-in never ran
    assert rows(app) == {"marker": False}
    assert "names plug-in suggesters (marker)" in app.statusBar().currentMessage()
    assert [name for name, _args in questions.asked] == []  # nobody was asked on opening either

    assert not app.plugins.set_plugin("marker", True)  # the user says No (the default)
    settle(qtbot, app)
    assert [name for name, _args in questions.asked] == ["trust_command"]
    project_name, plugin_name, command = questions.asked[0][1]
    assert (project_name, plugin_name) == ("project", "marker") and command.endswith("tools/marker_plugin.py")
    assert not (project / MARKER).exists() and rows(app) == {"marker": False}

    questions.answers["trust_command"] = True
    assert app.plugins.set_plugin("marker", True)
    settle(qtbot, app)
    assert is_trusted(app.settings, project, command)
    assert (project / MARKER).is_file()  # ran, in the project folder
    assert marker_suggestions(app) == [(0, 10, "organizer")]  # "Greenpeace"
    assert rows(app) == {"marker": True}

    app.plugins.set_plugin("marker", False)  # off: its suggestions go
    settle(qtbot, app)
    assert marker_suggestions(app) == [] and rows(app) == {"marker": False}


def test_a_command_changed_in_the_project_file_does_not_run_until_agreed_to_again(app, project, questions, qtbot):
    questions.answers["trust_command"] = True
    assert app.projects.open_project(project)
    assert app.plugins.set_plugin("marker", True)
    settle(qtbot, app)
    assert marker_suggestions(app)
    asked = len(questions.asked)

    app.projects.leave_project()
    (project / MARKER).unlink()
    set_command(project, f"{shlex.quote(sys.executable)} tools/marker_plugin.py --changed")  # e.g. after a git pull
    assert app.projects.open_project(project)
    settle(qtbot, app)
    assert not (project / MARKER).exists() and len(questions.asked) == asked  # not run, not asked
    assert marker_suggestions(app) == [] and rows(app) == {"marker": False}


def test_the_project_file_limits_the_built_in_suggesters(app, project, qtbot):
    project_file = read_project_file(project)
    write_project_file(
        project, replace(project_file, other=MappingProxyType({"suggesters": {"enabled": ["attribution"]}}))
    )
    assert app.projects.open_project(project)
    settle(qtbot, app)
    assert [entry.name for entry in app.suggesting.active()] == ["attribution"]
    app.projects.leave_project()
    assert {entry.name for entry in app.suggesting.active()} == {STRING_MATCH, "attribution"}


def test_a_bad_suggesters_table_is_one_status_line_and_the_project_still_opens(app, project, qtbot):
    text = (project / "annotator-project.toml").read_text(encoding="utf-8")
    (project / "annotator-project.toml").write_text(text.replace("timeout = 20", "timeout = -1"), encoding="utf-8")
    assert app.projects.open_project(project)
    message = app.statusBar().currentMessage()
    assert message.startswith("Plug-in suggesters not read: ") and "timeout" in message and "\n" not in message
    assert rows(app) == {}
