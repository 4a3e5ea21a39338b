"""Starting the GUI: the QApplication, the settings, the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.io.errors import FileFault
from annotator.io.gc_pause import garbage_collection_paused, keep_long_lived
from annotator.io.settings import default_annotator_name, load_settings, save_settings
from annotator.ui.system_libraries import startup_problem

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QWidget

    from annotator.ui.main_window import MainWindow


def run_app(
    path: str | None = None,
    annotator: str | None = None,
    labels: str | None = None,
    review: list[str] | None = None,
    smoke_test: bool = False,
) -> int:
    """Show the main window (opening ``path``, a file or a project folder, if given) and run the event loop;
    returns the exit code. With only ``review``, only the review window opens (see :func:`open_windows`).

    Before anything opens, unsaved work left by a crashed or killed run is offered for recovery
    (:meth:`MainWindow.offer_recovery`); without ``path``, the last restored document is opened.

    ``annotator`` overrides and replaces the remembered annotator name; without it the remembered name, else the OS
    user name, is used. ``labels`` is a label-set file (JSON or TOML) to use and remember (one that cannot be used is
    reported in a message box); without it the remembered one, else the shipped default. A remembered label set that
    cannot be used any more is forgotten and the status bar says so (:meth:`MainWindow.use_remembered_label_set`);
    the default is used instead. ``review`` lists annotation files of one document to compare and adjudicate in a
    review window. ``smoke_test``: save the opened document and quit (:mod:`annotator.ui.smoke`).

    On Linux, when a system library of Qt's xcb platform plugin is missing (Qt would abort), one line naming it and
    the command installing it is printed instead and 1 is returned (:mod:`annotator.ui.system_libraries`).
    """
    problem = startup_problem()  # before Qt is loaded: its abort cannot be caught
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication

    from annotator.ui.feature_scan import cheapen_feature_scan

    cheapen_feature_scan()  # before the window's imports: PySide6 checks each module they name
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # no scan of every package's metadata for plug-ins
    with garbage_collection_paused():  # start-up's objects are all kept: not walked by collection after collection
        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setApplicationName("annotator")
        app.setApplicationDisplayName("annotator")
        app.setDesktopFileName("annotator")  # the desktop entry (--install-desktop-entry): its icon on Wayland
        app.setWindowIcon(app_icon())
        from annotator.ui.crash import start_crash_reporting

        start_crash_reporting()  # the log; an uncaught exception shows a message instead of the app vanishing
        window = open_windows(path, annotator, labels, review)
        keep_long_lived()  # the window's objects, and each document's as it opens, out of full collections
        if smoke_test:
            from annotator.ui.smoke import schedule_smoke_test

            schedule_smoke_test(window)
    return app.exec()


def app_icon() -> QIcon:
    """The app's icon: the shipped PNGs, 16 to 256 pixels (``annotator/resources/icons``)."""
    from importlib.resources import files

    from PySide6.QtGui import QIcon, QPixmap

    icon = QIcon()
    folder = files("annotator.resources").joinpath("icons")  # read as bytes: in a bundle it may be no folder
    for size in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap()
        if pixmap.loadFromData(folder.joinpath(f"annotator-{size}.png").read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon


def open_windows(
    path: str | None = None,
    annotator: str | None = None,
    labels: str | None = None,
    review: list[str] | None = None,
) -> MainWindow:
    """Everything :func:`run_app` does before the event loop (a ``QApplication`` must exist); returns the main
    window.

    With ``review`` and no ``path``, only the review window opens: the main window stays hidden (it shows when the
    review opens a document in it, or when the review cannot open: its message then says why) and the application
    quits when the review window closes while the main window is still hidden. Unsaved work restored at start-up
    opens in the main window, shown.
    """
    from annotator.ui.main_window import MainWindow

    settings = load_settings()
    if annotator:
        settings.annotator = os.fsencode(annotator).decode("utf-8", "replace").strip() or settings.annotator
        try:
            save_settings(settings)
        except FileFault as error:
            print(f"annotator: {error.message}", file=sys.stderr)
    review_only = bool(review) and not path
    shown = None if review_only else show_painted
    window = MainWindow(settings.annotator or default_annotator_name(), settings, shown=shown)
    if labels:
        window.label_sets.load_label_set_file(labels)
    elif settings.label_set_path:
        window.label_sets.use_remembered_label_set(settings.label_set_path)
    restored = window.opener.offer_recovery()  # unsaved work of a crashed or killed run, before anything opens
    target = path or (str(restored) if restored else None)
    if target:
        window.show()
        window.open_path(target)
    if review:
        review_window = window.reviews.review_files([Path(p) for p in review])
        if review_window is None:
            window.show()  # the refusal's message is on it; the user carries on from there
        elif not window.isVisible():
            review_window.destroyed.connect(lambda: _quit_if_hidden(window))
    return window


FIRST_PAINT_WAIT_MS = 500
"""How long :func:`show_painted` waits at most for a window's first paint (a window system that never exposes it,
e.g. on another workspace, must not hold up start-up)."""


def show_painted(window: QWidget) -> None:
    """Show ``window`` and wait until it is first painted (at most :data:`FIRST_PAINT_WAIT_MS`), handling no user
    input meanwhile: the main window is shown so, in its size and place, before most of the app is imported and its
    parts made (start-up, issue 22: the window appears in about half the time)."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    loop = QEventLoop()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, loop.quit)  # after the paint's flush to the screen
            return False

    painted = FirstPaint()
    window.installEventFilter(painted)
    timeout = QTimer()
    timeout.setSingleShot(True)
    timeout.timeout.connect(loop.quit)
    timeout.start(FIRST_PAINT_WAIT_MS)
    window.show()
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    timeout.stop()
    window.removeEventFilter(painted)


def _quit_if_hidden(window: QWidget) -> None:
    """Quit the application when ``window`` (the main window of a review-only start) was never shown."""
    from PySide6.QtWidgets import QApplication

    if not window.isVisible():
        QApplication.quit()
