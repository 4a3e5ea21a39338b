"""An uncaught exception in a slot shows a plain report with "Copy details" and the app carries on; Help → About
shows the version, the licence and the app's folders with buttons opening them."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWidgets import QApplication

from annotator.app_info import version
from annotator.app_log import stop_logging
from annotator.ui.actions import ACTIONS_BY_ID
from annotator.ui.crash import CrashDialog, start_crash_reporting
from annotator.ui.dialogs.about import AboutDialog, Folder, about_text, folders


class Emitter(QObject):
    fired = Signal()


@pytest.fixture
def reporter(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    started = start_crash_reporting(tmp_path / "logs")
    yield started
    if started.dialog is not None:
        started.dialog.close()
    stop_logging()


@pytest.mark.qt_no_exception_capture
def test_a_raising_slot_shows_a_report_logs_it_and_the_app_goes_on(qtbot, reporter, tmp_path):
    emitter = Emitter()
    calls = []

    def broken_slot():
        calls.append("broken")
        raise ZeroDivisionError("division by zero in a slot")

    emitter.fired.connect(broken_slot)
    emitter.fired.connect(lambda: calls.append("next"))
    emitter.fired.emit()
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    dialog = reporter.dialog
    assert "ZeroDivisionError: division by zero in a slot" in dialog.summary.text()
    assert str(tmp_path / "logs" / "annotator.log") in dialog.summary.text()
    assert calls == ["broken", "next"]  # the other slots ran: the app carried on
    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert copied.startswith("Traceback") and "broken_slot" in copied
    assert dialog.copy_button.text() == "Copied"
    logging.getLogger().handlers[-1].flush()
    assert "ZeroDivisionError: division by zero in a slot" in (tmp_path / "logs" / "annotator.log").read_text("utf-8")
    emitter.fired.emit()  # a second one joins the open report
    qtbot.waitUntil(lambda: len(dialog.details) == 2)
    assert reporter.dialog is dialog and "(2 errors so far)" in dialog.summary.text()


def test_the_log_names_the_version_once_the_window_is_up(qtbot, tmp_path, monkeypatch):
    import annotator.ui.crash as crash

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(crash, "ANNOUNCE_AFTER_MS", 0)
    log = tmp_path / "logs" / "annotator.log"

    def written() -> str:
        for handler in logging.getLogger().handlers:
            handler.flush()
        return log.read_text("utf-8") if log.exists() else ""

    try:
        start_crash_reporting(tmp_path / "logs")
        assert "started (Python" not in written()  # not on the way to the window: reading the version takes 20 ms
        qtbot.waitUntil(lambda: f"annotator {version()} started (Python " in written())
    finally:
        stop_logging()


def test_the_report_is_plain_text(qtbot):
    dialog = CrashDialog(None)
    qtbot.addWidget(dialog)
    dialog.add("Traceback ...\nValueError: <b>bold</b>\n")
    assert "ValueError: <b>bold</b>" in dialog.summary.text()
    assert dialog.summary.textFormat().name == "PlainText"
    assert "The log could not be written." in dialog.summary.text()


def test_about_shows_version_licence_and_opens_the_folders(qtbot, tmp_path):
    opened: list[QUrl] = []
    places = [Folder("Settings", tmp_path / "config"), Folder("Logs", tmp_path / "not yet" / "logs")]
    dialog = AboutDialog(open_url=opened.append, places=places)
    qtbot.addWidget(dialog)
    assert dialog.intro.text().startswith(f"annotator {version()}\n")
    assert "MIT licence" in dialog.intro.text() and "LGPL" in dialog.intro.text()
    assert dialog.intro.textFormat().name == "PlainText"
    licence = dialog.licence.toPlainText()
    assert licence.startswith("MIT License") and "https://code.qt.io" in licence
    dialog.open_buttons["Logs"].click()
    assert [url.toLocalFile() for url in opened] == [str(tmp_path / "not yet" / "logs")]
    assert (tmp_path / "not yet" / "logs").is_dir()  # made so that the file manager can open it


def test_about_says_the_bundle_is_under_the_gpl_and_where_the_notices_are():
    text = about_text("1.2.3")
    assert "krippendorff" in text and "GNU GPL version 3" in text and "as a whole" in text
    assert "THIRD_PARTY_NOTICES.md" in text and "LICENSE" in text and "bundle's folder" in text
    assert "<" not in text.replace("https://", "")  # plain text: no markup


def test_help_about_is_in_the_help_menu(window):
    spec = ACTIONS_BY_ID["help.about"]
    assert spec.menu == "&Help"
    window.actions_by_id["help.about"].trigger()
    dialog = window.appearance.show_about()
    assert dialog.isVisible() and dialog.parent() is window
    shown = {place.name for place in dialog.places}
    assert shown == {"Settings", "Recovery journals", "Logs", "Conversion cache"}
    dialog.close()


def test_the_folders_honour_their_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_LOG_DIR", str(tmp_path / "logs"))
    places = {folder.name: folder.path for folder in folders()}
    assert list(places) == ["Settings", "Recovery journals", "Logs", "Conversion cache"]
    assert places["Logs"] == tmp_path / "logs"


def test_the_window_icon_has_every_size(qtbot):
    from PySide6.QtCore import QSize

    from annotator.ui.app import app_icon

    sizes = app_icon().availableSizes()
    assert [QSize(n, n) for n in (16, 24, 32, 48, 64, 128, 256)] == sorted(sizes, key=lambda s: s.width())
