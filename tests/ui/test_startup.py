"""Starting the app (run_app): a remembered label set that can no longer be used falls back to the default without a
message box, says so once in the status bar, and is forgotten."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.io.label_set_file import default_label_set
from annotator.io.settings import Settings, load_settings, save_settings
from annotator.ui import app, main_window
from annotator.ui.main_window import MainWindow

ROOT = Path(__file__).parents[2]
PLUS = ROOT / "sample_docs" / "attribution-plus.labels.toml"
FALLBACK = "Using the default label set (Label Set → Open Label Set… chooses another)."


@pytest.fixture
def start(qtbot, monkeypatch, questions):
    """``start(path=None, labels=None)`` runs :func:`run_app` without entering the event loop and returns its
    window; any message box is recorded in ``boxes`` instead of shown."""
    windows: list[MainWindow] = []
    boxes: list[tuple[str, str]] = []

    class Recorded(MainWindow):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, questions=questions, **kwargs)
            qtbot.addWidget(self)
            windows.append(self)
            self.notices.show_message = lambda title, text: boxes.append((title, text))

    monkeypatch.setattr(main_window, "MainWindow", Recorded)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    monkeypatch.setattr(app, "startup_problem", lambda: None)
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)  # run_app sets it: put back after the test
    feature = sys.modules["shibokensupport.feature"]
    monkeypatch.setattr(feature, "_mod_uses_pyside", feature._mod_uses_pyside)  # run_app replaces it: the same
    questions.script(unsaved=lambda name: "discard")

    def run(path: str | None = None, labels: str | None = None) -> MainWindow:
        assert app.run_app(path, annotator="tester", labels=labels) == 0
        return windows[-1]

    run.boxes = boxes
    return run


def remember(label_set_path: Path) -> None:
    save_settings(Settings(annotator="tester", label_set_path=str(label_set_path)))


def test_a_remembered_label_set_that_is_gone_falls_back_to_the_default_once(start, tmp_path):
    gone = tmp_path / "gone.labels.toml"
    remember(gone)
    window = start()
    assert window.label_sets.label_set == default_label_set()
    message = window.statusBar().currentMessage()
    assert message.startswith(f"The remembered label set {gone} could not be used: could not read it (")
    assert message.endswith(FALLBACK)
    assert start.boxes == []  # no message box: it would take the first key pressed
    assert not [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert load_settings().label_set_path == ""  # forgotten
    second = start()
    assert "remembered label set" not in second.statusBar().currentMessage()
    assert second.label_sets.label_set == default_label_set()


def test_the_fallback_is_said_with_the_document_opened_at_start(start, tmp_path):
    remember(tmp_path / "gone.labels.toml")
    text = tmp_path / "note.txt"
    text.write_text("Sullivan warned.", encoding="utf-8")
    window = start(str(text))
    message = window.statusBar().currentMessage()
    assert "The remembered label set" in message and FALLBACK in message
    assert "note.txt" in message
    assert window.controller.annotations.label_set.names == default_label_set().names


def test_a_remembered_label_set_made_invalid_falls_back_naming_the_fault(start, tmp_path):
    broken = tmp_path / "mine.json"
    broken.write_text("{x", encoding="utf-8")
    remember(broken)
    window = start()
    message = window.statusBar().currentMessage()
    assert f"The remembered label set {broken} could not be used: " in message
    assert "line 1, column 2" in message and "\n" not in message
    assert window.label_sets.label_set == default_label_set()
    assert start.boxes == []
    assert load_settings().label_set_path == ""


def test_a_remembered_label_set_that_works_is_used_and_kept(start, tmp_path):
    mine = tmp_path / "plus.labels.toml"
    shutil.copyfile(PLUS, mine)
    remember(mine)
    window = start()
    assert window.label_sets.label_set.name == "attribution-plus"
    assert start.boxes == []
    assert load_settings().label_set_path == str(mine)


def test_a_label_set_asked_for_on_the_command_line_is_still_reported_in_a_message_box(start, tmp_path):
    window = start(labels=str(tmp_path / "typo.toml"))
    assert [title for title, _ in start.boxes] == ["Could not use the label set"]
    assert window.label_sets.label_set == default_label_set()


def test_a_remembered_label_set_whose_hotkey_is_now_a_shortcut_falls_back(start, tmp_path):
    clash = tmp_path / "clash.labels.json"
    clash.write_text(
        json.dumps({"name": "clash", "labels": [{"name": "quote", "color": "#123456", "hotkey": "q"}]}),
        encoding="utf-8",
    )
    save_settings(Settings(annotator="tester", label_set_path=str(clash), shortcuts={"edit.find": ["Q"]}))
    window = start()
    message = window.statusBar().currentMessage()
    assert f"{clash} could not be used: hotkey q of label “quote” is the shortcut of “Find…”. Using the" in message
    assert window.label_sets.label_set == default_label_set()
    assert start.boxes == []
    assert load_settings().label_set_path == ""


def test_the_window_has_its_remembered_size_when_shown_before_its_parts_are_made(qtbot):
    from PySide6.QtCore import QSize

    first = MainWindow("tester")
    qtbot.addWidget(first)
    first.resize(900, 600)
    settings = Settings(annotator="tester", window_geometry=bytes(first.saveGeometry().toBase64()).decode("ascii"))
    seen = []
    window = MainWindow("tester", settings, shown=lambda w: seen.append((w.size(), hasattr(w, "sessions"))))
    qtbot.addWidget(window)
    assert seen == [(window.size(), False)]  # its final size before anything else is made
    assert window.sessions is not None and window.size() != QSize(1320, 820)  # the remembered one, not the default


def test_the_window_shown_before_its_parts_says_it_is_starting_in_plain_text(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from annotator.ui.main.window import STARTING_TEXT

    seen = []

    def shown(window):
        label = window.centralWidget()
        seen.append((type(label), label.text(), label.textFormat()))

    window = MainWindow("tester", shown=shown)
    qtbot.addWidget(window)
    assert seen == [(QLabel, STARTING_TEXT, Qt.TextFormat.PlainText)]
    assert window.centralWidget() is not None and not isinstance(window.centralWidget(), QLabel)
    qtbot.waitUntil(lambda: window.findChild(QLabel, "startingPlaceholder") is None)  # replaced, then deleted


def test_a_close_asked_before_the_window_is_made_closes_it_once_made(qtbot):
    visible = []

    def shown(window):
        window.show()
        window.close()  # nothing made yet: nothing to ask or save
        visible.append(window.isVisible())

    window = MainWindow("tester", shown=shown)
    qtbot.addWidget(window)
    assert visible == [True] and window.isVisible()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_the_collector_is_paused_while_the_window_is_made_and_runs_in_the_event_loop(start, monkeypatch):
    import gc

    enabled = []
    monkeypatch.setattr(QApplication, "exec", lambda self: enabled.append(gc.isenabled()) or 0)
    made = app.open_windows
    monkeypatch.setattr(app, "open_windows", lambda *args: enabled.append(gc.isenabled()) or made(*args))
    assert gc.isenabled()
    start()
    assert enabled == [False, True]  # start-up's objects not walked again and again; collected as usual after


def test_the_label_keys_are_checked_against_the_menus_mnemonics_read_once(qtbot, monkeypatch):
    from annotator.ui.action_registry import ActionRegistry

    reads = []
    read = ActionRegistry.mnemonics
    monkeypatch.setattr(ActionRegistry, "mnemonics", lambda self: reads.append(1) or read(self))
    window = MainWindow("tester")  # four labels with keys: each read walked every widget of the window
    qtbot.addWidget(window)
    assert len(reads) == 1
    registry = window.registry
    assert registry.owner_of("Alt+F", mnemonics=registry.mnemonics()) == registry.owner_of("Alt+F")
    assert registry.owner_of("Alt+F") == "the mnemonic of the menu “File”"


def test_pysides_check_of_each_imported_module_reads_the_file_and_answers_as_its_source_search(tmp_path):
    import importlib.util
    import inspect
    import json

    from annotator.model import span
    from annotator.ui.feature_scan import uses_pyside_bytes

    asked = []
    check = uses_pyside_bytes(lambda module: asked.append(module.__name__) or False)
    latin = tmp_path / "latin_module.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\nNAME = 'caf\xe9 PySide6'\n")
    spec = importlib.util.spec_from_file_location("latin_module", latin)
    assert spec is not None and spec.loader is not None
    latin_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(latin_module)
    for module in (app, span, json, latin_module):  # PySide6's own: "PySide6" in inspect.getsource(module)
        assert check(module) == ("PySide6" in inspect.getsource(module))
    assert [check(module) for module in (app, span, json, latin_module)] == [True, False, False, True]
    assert asked == []
    assert check(sys) is False and asked == ["sys"]  # no file: PySide6's own check answers
    latin.unlink()
    assert check(latin_module) is False and asked == ["sys", "latin_module"]  # unreadable: the same


def test_the_app_makes_pysides_module_check_cheap_once_and_leaves_pydantic_plugins_off(start, monkeypatch):
    import os

    from annotator.ui.feature_scan import CHECK, FEATURE_MODULE, cheapen_feature_scan

    feature = sys.modules[FEATURE_MODULE]
    start()
    replaced = getattr(feature, CHECK)
    assert getattr(replaced, "reads_bytes", False)
    assert replaced(app) is True
    assert not cheapen_feature_scan() and getattr(feature, CHECK) is replaced  # not wrapped twice
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    monkeypatch.delitem(sys.modules, FEATURE_MODULE)
    assert not cheapen_feature_scan()  # PySide6 without it: nothing changed
