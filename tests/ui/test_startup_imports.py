"""Start-up imports only what showing the window needs: the suggesters' model, its measures and the file-name
sanitizer are imported on first use; pydantic builds the schema of a model only when it is first used; the
guidelines panel, hidden behind the span panel, builds its sections when first shown (issue 22: start-up within 2.5x
a bare Qt window)."""

from __future__ import annotations

import os
import subprocess
import sys

NOT_AT_STARTUP = (
    "annotator.suggest.model",
    "annotator.review.measure",
    "annotator.suggest.evaluation",
    "pathvalidate",
    "annotator.suggest.attribution",
    "annotator.suggest.learning",
    "multiprocessing",
    "concurrent.futures.process",
    "filelock",
    "annotator.formats.checking",
    "regex",  # word boundaries, grapheme clusters and find: compiled on first use
)


def test_showing_the_window_imports_no_model_measure_or_sanitizer(tmp_path):
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from annotator.ui.main_window import MainWindow\n"
        "window = MainWindow('tester')\n"
        "window.show()\n"
        "window.opener.offer_recovery()\n"  # as run_app does: no journal, nothing to lock
        "app.processEvents()\n"
        f"print(' '.join(m for m in {NOT_AT_STARTUP!r} if m in sys.modules))\n"
        "from annotator.io.annotation_file import AnnotationFile\n"
        "from annotator.model.span import Span\n"
        "from annotator.project.journal import ChangeRecord\n"
        "print(' '.join(m.__name__ for m in (AnnotationFile, Span, ChangeRecord) if m.__pydantic_complete__))\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ANNOTATOR_CONFIG_DIR": str(tmp_path / "config"),
        "ANNOTATOR_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.splitlines() == ["", ""]  # no module of the list imported; no schema of those built


def test_the_model_suggester_name_known_without_the_model():
    from annotator.suggest.attribution import NAME as ATTRIBUTION_NAME
    from annotator.suggest.model import NAME
    from annotator.ui.main.suggester_names import ATTRIBUTION, MODEL

    assert MODEL == NAME
    assert ATTRIBUTION == ATTRIBUTION_NAME


def test_models_built_on_first_use_validate_and_describe_the_same():
    from annotator.model.span import Span

    span = Span.model_validate({"id": "s1", "start": 0, "end": 2, "label": "actor", "text": "ab"})
    assert Span.__pydantic_complete__
    assert span.end == 2 and Span.model_json_schema()["properties"]["start"]["type"] == "integer"


def test_the_hidden_guidelines_panel_builds_its_sections_when_shown(qtbot):
    from PySide6.QtWidgets import QWidget

    from annotator.io.label_set_file import default_label_set
    from annotator.ui.document.guidelines_panel import GuidelinesPanel

    panel = GuidelinesPanel()
    qtbot.addWidget(panel)
    panel.set_label_set(default_label_set())
    assert panel.findChild(QWidget, "guidelineLabel_actor") is None  # hidden: nothing built yet
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.findChild(QWidget, "guidelineLabel_actor") is not None
    assert panel.shown_labels()[0] == "actor"


def test_the_hidden_guidelines_panel_answers_questions_about_its_sections(qtbot):
    from annotator.io.label_set_file import default_label_set
    from annotator.ui.document.guidelines_panel import GuidelinesPanel

    panel = GuidelinesPanel()
    qtbot.addWidget(panel)
    panel.set_label_set(default_label_set())
    assert "actor" in panel.shown_labels()
    assert panel.show_label("actor") and panel.highlighted_label == "actor"


def test_the_review_and_incoming_parts_are_made_on_first_use(tmp_path):
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from annotator.ui.main_window import MainWindow\n"
        "window = MainWindow('tester')\n"
        "window.show()\n"
        "app.processEvents()\n"
        "modules = ('annotator.ui.main.review', 'annotator.ui.main.incoming')\n"
        "print(' '.join(m for m in modules if m in sys.modules))\n"
        "actions = window.actions_by_id\n"
        "print(actions['file.open_url'].shortcut().toString(), actions['file.new_from_clipboard'].text())\n"
        "window.close()\n"  # closing makes no review part to ask
        "print(' '.join(m for m in modules if m in sys.modules))\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ANNOTATOR_CONFIG_DIR": str(tmp_path / "config"),
        "ANNOTATOR_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    lines = result.stdout.splitlines()
    assert lines[0] == "" and lines[2] == ""  # neither module imported by showing or closing the window
    assert lines[1] == "Ctrl+Shift+U New Document from &Clipboard"  # their actions are in the menus from the start


def test_an_action_of_a_part_made_on_first_use_makes_it_and_runs(qtbot, monkeypatch):
    from PySide6.QtGui import QGuiApplication

    from annotator.ui.main_window import MainWindow

    window = MainWindow("tester")
    qtbot.addWidget(window)
    assert window._incoming.made is None
    QGuiApplication.clipboard().setText("")
    window.actions_by_id["file.new_from_clipboard"].trigger()  # made now; the empty clipboard is reported
    assert window._incoming.made is window.incoming
    assert "clipboard" in window.statusBar().currentMessage().lower()


def test_a_lazy_handler_passes_only_the_arguments_its_method_takes():
    from annotator.ui.main.building import LazyPart, handler_in

    class Part:
        def plain(self):
            return "plain"

        def checked(self, on):
            return on

    made = []
    lazy = LazyPart(lambda: made.append(1) or Part(), ("plain", "checked"))
    plain, checked = handler_in((object(), lazy), "plain"), handler_in((lazy,), "checked")
    assert made == []  # finding the handler makes nothing
    assert plain(True) == "plain" and checked(True) is True and made == [1]


def test_the_window_is_shown_and_painted_before_its_parts_are_imported(tmp_path):
    code = (
        "import sys\n"
        "from PySide6.QtCore import QEvent, QObject\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "class Paints(QObject):\n"
        "    count = 0\n"
        "    def eventFilter(self, watched, event):\n"
        "        if event.type() == QEvent.Type.Paint and watched.objectName() == 'mainWindow':\n"
        "            Paints.count += 1\n"
        "        return False\n"
        "paints = Paints()\n"
        "app.installEventFilter(paints)\n"
        "from annotator.ui import app as ui_app\n"
        "real = ui_app.show_painted\n"
        "seen = []\n"
        "def spy(window):\n"
        "    real(window)\n"
        "    parts = ('annotator.ui.document.document_view', 'annotator.model.annotation_set',"
        " 'annotator.ui.controller')\n"
        "    seen.append([window.isVisible(), Paints.count > 0, [m for m in parts if m in sys.modules]])\n"
        "ui_app.show_painted = spy\n"
        "window = ui_app.open_windows()\n"
        "print(seen, window.isVisible(), window.menuBar().actions()[0].text())\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ANNOTATOR_CONFIG_DIR": str(tmp_path / "config"),
        "ANNOTATOR_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    # shown and painted once, none of those imported yet; then the whole window made, its menus there
    assert result.stdout.splitlines() == ["[[True, True, []]] True &File"]


def test_the_guidelines_tabbed_behind_the_span_panel_are_built_when_their_tab_is_chosen(qtbot):
    from PySide6.QtWidgets import QWidget

    from annotator.ui.main_window import MainWindow

    window = MainWindow("tester")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)  # the layout settled: Qt counts the tabbed-away dock as visible, only moved off the screen
    guidelines = window.guidelines
    assert guidelines.isVisible() and guidelines.visibleRegion().isEmpty()
    assert guidelines.findChild(QWidget, "guidelineLabel_actor") is None  # nobody sees it: nothing built
    window.actions_by_id["view.guidelines"].trigger()  # F2: its tab chosen
    qtbot.waitUntil(lambda: guidelines.findChild(QWidget, "guidelineLabel_actor") is not None)
    assert guidelines.shown_labels()[0] == "actor"


def test_a_saved_layout_builds_the_guidelines_only_when_it_leaves_them_on_screen(qtbot, make_window):
    """A restored layout shows each tabbed dock in passing: that is not a sight of the Guidelines (50 ms of a
    returning user's start-up); a layout that left their tab chosen builds them."""
    from PySide6.QtWidgets import QWidget

    from annotator.io.settings import Settings
    from annotator.suggest.registry import STRING_MATCH

    def saved_layout(guidelines_chosen: bool) -> str:
        first = make_window("tester")
        first.show()
        qtbot.waitExposed(first)
        if guidelines_chosen:
            first.guidelines_dock.raise_()
            qtbot.waitUntil(lambda: first.guidelines.findChild(QWidget, "guidelineLabel_actor") is not None)
        return bytes(first.saveState().toBase64()).decode("ascii")

    def shown_first(window) -> None:  # as the app: shown in its place before its parts are made
        window.show()
        qtbot.waitExposed(window)

    for chosen in (False, True):
        layout = saved_layout(chosen)
        settings = Settings(annotator="tester", suggesters=[STRING_MATCH], window_state=layout)
        window = make_window("tester", settings, shown=shown_first)
        assert (window.guidelines.findChild(QWidget, "guidelineLabel_actor") is not None) is chosen
        window.guidelines_dock.raise_()  # its tab chosen later: built then
        qtbot.waitUntil(lambda w=window: w.guidelines.findChild(QWidget, "guidelineLabel_actor") is not None)


def test_a_saved_layout_is_restored_as_it_was_in_a_window_shown_before_its_parts(qtbot, make_window):
    """The window shows before its parts are made (start-up); its saved layout, restored then, gave the text its
    minimum width and the docks the rest (412 against 899 px): the central widget, added to a shown window, was not
    shown yet."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from annotator.io.settings import Settings
    from annotator.suggest.registry import STRING_MATCH

    def shown_first(window) -> None:
        window.show()
        qtbot.waitExposed(window)

    first = make_window("tester", shown=shown_first)
    first.resizeDocks([first.spans_dock], [450], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: abs(first.spans_dock.width() - 450) <= 2)
    widths = (first.spans_dock.width(), first.view.width())
    layout = bytes(first.saveState().toBase64()).decode("ascii")
    first.close()
    settings = Settings(annotator="tester", suggesters=[STRING_MATCH], window_state=layout)
    again = make_window("tester", settings, shown=shown_first)
    for _ in range(5):  # the events a start processes next (the central widget's queued show): nothing moves
        QApplication.processEvents()
    assert (again.spans_dock.width(), again.view.width()) == widths
