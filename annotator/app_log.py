"""The app's log: a rotating file ``annotator.log`` in :func:`annotator.app_info.log_dir` holding warnings, errors,
uncaught exceptions with their traceback, and recoveries of unsaved work (logged at INFO by
:mod:`annotator.project.restore` on the ``annotator`` logger).

:func:`start_logging` is called by the app (not by the command line, whose errors are one line on stderr); it adds a
:class:`logging.handlers.RotatingFileHandler` (:data:`MAX_BYTES` per file, :data:`BACKUPS` older files kept) to the
root logger, routes :mod:`warnings` into it, and replaces :data:`sys.excepthook` and :data:`threading.excepthook` with
hooks that log the traceback and then hand it to ``on_exception`` (the app shows it: :mod:`annotator.ui.crash`).
The log's line for each start names the app's version (:func:`announce_start`); reading the version imports
:mod:`importlib.metadata` and searches the installed packages (some 20 ms of start-up), so the app writes that line
once its window is up, and an uncaught exception writes it first if it was not written yet. No Qt here.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

LOG_NAME = "annotator.log"
MAX_BYTES = 1_000_000
"""Size (bytes) at which the log rolls over to ``annotator.log.1``."""
BACKUPS = 3
"""How many rolled-over files are kept (``annotator.log.1`` … ``.3``)."""
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

log = logging.getLogger("annotator")

ExceptionReport = Callable[[str], None]
"""Called with an uncaught exception's formatted traceback (text), after it is logged."""


def start_logging(
    folder: Path | None = None, on_exception: ExceptionReport | None = None, *, announce: bool = True
) -> Path | None:
    """Log to ``folder/annotator.log`` (default :func:`annotator.app_info.log_dir`, created when missing) and install
    the exception hooks; returns the log file, or ``None`` when the folder cannot be written (the hooks are installed
    anyway, and the reason goes to stderr). Calling it again replaces the earlier handler and hooks. ``announce``:
    write the start's line (:func:`announce_start`) now; else the caller does later."""
    from annotator.app_info import log_dir

    folder = folder or log_dir()
    path: Path | None = None
    root = logging.getLogger()
    _remove_handlers(root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
    except OSError as error:
        print(f"annotator: cannot write the log in {folder}: {error.strerror or error}", file=sys.stderr)
    else:
        path = folder / LOG_NAME
        handler._annotator_log = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.setLevel(logging.INFO)
        root.addHandler(handler)
        if root.level == logging.NOTSET or root.level > logging.WARNING:
            root.setLevel(logging.WARNING)  # other libraries: warnings and errors only
        log.setLevel(logging.INFO)  # annotator's own: recoveries too
        logging.captureWarnings(True)
    global _announced
    _announced = False
    if announce:
        announce_start()
    install_exception_hooks(on_exception)
    return path


_announced = False


def stop_logging() -> None:
    """Undo :func:`start_logging`'s logging (its file handler removed and closed, warnings no longer routed into the
    log); the exception hooks stay."""
    _remove_handlers(logging.getLogger())
    logging.captureWarnings(False)


def _remove_handlers(root: logging.Logger) -> None:
    for handler in [h for h in root.handlers if getattr(h, "_annotator_log", False)]:
        root.removeHandler(handler)
        handler.close()


def announce_start() -> None:
    """Log, at INFO, that the app started, with its version and Python's: once per :func:`start_logging` (later
    calls do nothing). Reads the version (:func:`annotator.app_info.version`: its first call takes some 20 ms)."""
    global _announced
    if _announced:
        return
    _announced = True
    from annotator.app_info import version

    log.info("annotator %s started (Python %s)", version(), sys.version.split()[0])


def install_exception_hooks(on_exception: ExceptionReport | None = None) -> None:
    """Make uncaught exceptions (main thread and other threads) logged with their traceback at ERROR, then passed to
    ``on_exception`` (text). ``KeyboardInterrupt`` keeps Python's own handling."""

    def excepthook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        report_exception(kind, error, trace, on_exception)

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        where = f" in thread {args.thread.name}" if args.thread is not None else ""
        report_exception(args.exc_type, args.exc_value, args.exc_traceback, on_exception, where)

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook


def report_exception(
    kind: type[BaseException],
    error: BaseException,
    trace: TracebackType | None,
    on_exception: ExceptionReport | None = None,
    where: str = "",
) -> str:
    """Log one uncaught exception with its traceback, print it on stderr and pass the text to ``on_exception``;
    returns the text. A
    failure of ``on_exception`` itself is logged, never raised (a hook must not raise)."""
    text = "".join(traceback.format_exception(kind, error, trace))
    announce_start()  # the version, before the traceback, if the start's line was not written yet
    log.error("uncaught exception%s:\n%s", where, text.rstrip())
    if sys.stderr is not None:  # a terminal's user sees it too (None: a windowed bundle without a console)
        print(text, file=sys.stderr, end="")
    if on_exception is not None:
        try:
            on_exception(text)
        except Exception:
            log.exception("showing the uncaught exception failed")
    return text
