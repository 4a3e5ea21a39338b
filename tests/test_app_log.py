"""The app's rotating log: warnings, errors, uncaught exceptions with their traceback (any thread), recoveries."""

from __future__ import annotations

import logging
import sys
import threading
import warnings

import pytest

from annotator import app_log
from annotator.app_log import stop_logging


@pytest.fixture
def logged(tmp_path, monkeypatch):
    """Start the log in tmp_path (via ANNOTATOR_LOG_DIR); restores the hooks and the root logger afterwards."""
    monkeypatch.setenv("ANNOTATOR_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    reports: list[str] = []
    path = app_log.start_logging(on_exception=reports.append)
    yield path, reports
    stop_logging()


def text(path):
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_the_log_is_in_the_log_folder_and_rotates(logged, tmp_path):
    path, _ = logged
    assert path == tmp_path / "logs" / "annotator.log"
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_annotator_log", False))
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    assert (handler.maxBytes, handler.backupCount) == (app_log.MAX_BYTES, app_log.BACKUPS)
    assert " INFO annotator: annotator " in text(path)  # the start, with the version


def test_warnings_errors_and_python_warnings_are_logged_but_not_debug(logged):
    path, _ = logged
    logging.getLogger("annotator.io").warning("a warning")
    logging.getLogger("somelibrary").error("an error")
    logging.getLogger("somelibrary").info("chatter")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        logging.captureWarnings(True)
        warnings.warn("deprecated thing", UserWarning, stacklevel=1)
    written = text(path)
    assert "WARNING annotator.io: a warning" in written
    assert "ERROR somelibrary: an error" in written
    assert "deprecated thing" in written
    assert "chatter" not in written


def test_an_uncaught_exception_is_logged_with_its_traceback_and_reported(logged):
    path, reports = logged
    try:
        raise ValueError("broken slot")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    assert len(reports) == 1 and reports[0].startswith("Traceback") and "ValueError: broken slot" in reports[0]
    written = text(path)
    assert "ERROR annotator: uncaught exception:" in written
    assert 'raise ValueError("broken slot")' in written


def test_an_uncaught_exception_in_a_thread_is_logged(logged):
    path, reports = logged

    def fail():
        raise RuntimeError("worker failed")

    worker = threading.Thread(target=fail, name="worker-1")
    worker.start()
    worker.join()
    assert "RuntimeError: worker failed" in reports[0]
    assert "uncaught exception in thread worker-1:" in text(path)


def test_the_start_line_can_come_later_once_and_before_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    from annotator.app_info import version

    path = app_log.start_logging(tmp_path / "logs", announce=False)  # the app: once its window is up
    try:
        logging.getLogger("annotator").warning("early")
        assert "started (Python" not in text(path)
        app_log.announce_start()
        app_log.announce_start()  # once per start
        assert text(path).count(f"annotator {version()} started (Python ") == 1

        app_log.start_logging(tmp_path / "logs", announce=False)  # a crash before the line: it comes first
        try:
            raise ValueError("early crash")
        except ValueError:
            sys.excepthook(*sys.exc_info())
        written = text(path)
        assert written.count("started (Python ") == 2
        assert written.rindex("started (Python ") < written.index("uncaught exception")
    finally:
        stop_logging()


def test_a_failing_report_is_logged_not_raised(logged, tmp_path):
    path, _ = logged

    def broken(details):
        raise OSError("no display")

    app_log.install_exception_hooks(broken)
    try:
        raise KeyError("k")
    except KeyError:
        sys.excepthook(*sys.exc_info())
    assert "showing the uncaught exception failed" in text(path)


def test_a_log_folder_that_cannot_be_written_is_said_once_and_the_app_goes_on(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    assert app_log.start_logging(blocked / "logs") is None
    assert capsys.readouterr().err.startswith(f"annotator: cannot write the log in {blocked / 'logs'}: ")


def test_restoring_unsaved_work_is_logged(caplog):
    from annotator.project import restore

    caplog.set_level(logging.INFO, logger="annotator")
    assert restore.log.name == "annotator.project.restore"
    restore.log.info("probe")  # the module's logger propagates to annotator's
    assert caplog.records[-1].name == "annotator.project.restore"


def test_stop_logging_removes_the_file_handler_and_the_warnings_route(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    path = app_log.start_logging(tmp_path / "logs")
    stop_logging()
    assert not [h for h in logging.getLogger().handlers if getattr(h, "_annotator_log", False)]
    logging.getLogger("annotator").error("after the stop")
    assert "after the stop" not in path.read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        with pytest.warns(UserWarning):  # a warning is a warning again, not a log record
            warnings.warn("not routed", UserWarning, stacklevel=1)
