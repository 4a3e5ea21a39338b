"""Active annotation time: the time the analyst spends working on the open document, idle stretches left out, added
to its ``active_seconds`` (saved with the annotation file), so that effort per span can be compared with and without
suggestions."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPlainTextEdit

from annotator.ui.controller import AnnotationController

IDLE_SECONDS = 60.0
"""A gap between two inputs longer than this is idle time: none of it counts."""


class ActivityClock:
    """Counts active seconds between inputs.

    Parameters
    ----------
    now: the clock (seconds, monotonic; tests pass a fake one).
    idle_seconds: a gap longer than this between two inputs counts nothing (the analyst was away).
    """

    def __init__(self, now: Callable[[], float] = time.monotonic, idle_seconds: float = IDLE_SECONDS) -> None:
        self.now = now
        self.idle_seconds = idle_seconds
        self._last: float | None = None

    def input(self) -> float:
        """Note an input; returns the seconds since the previous one (0 after a restart or an idle gap)."""
        now = self.now()
        last, self._last = self._last, now
        if last is None:
            return 0.0
        gap = now - last
        return gap if 0.0 <= gap <= self.idle_seconds else 0.0

    def restart(self) -> None:
        """Forget the last input (another document was opened: time before it is not this document's)."""
        self._last = None


class ActivityTime(QObject):
    """Adds active time to the open document's ``active_seconds`` whenever the analyst acts on it: an edit, the caret
    or the selection moving (keys, clicks), the text scrolled (reading). Not while the document is read-only.

    Signals, not an event filter on the application: a Python filter would be called for every event of the
    application (each paint and timer too), which slows every window down.

    Parameters
    ----------
    controller: the annotation controller (its annotations get the time; its changes are activity).
    view: the document view (its caret, selection and scrolling are activity).
    clock: the activity clock (:class:`ActivityClock` with the real time when ``None``).
    """

    def __init__(
        self, controller: AnnotationController, view: QPlainTextEdit, clock: ActivityClock | None = None
    ) -> None:
        super().__init__(view)
        self.controller = controller
        self.clock = clock or ActivityClock()
        controller.annotations_replaced.connect(self.clock.restart)
        controller.changed.connect(self.note_input)
        view.cursorPositionChanged.connect(self.note_input)
        view.selectionChanged.connect(self.note_input)
        view.verticalScrollBar().valueChanged.connect(self.note_input)

    def note_input(self, *_: object) -> None:
        """Activity on the document: add the active time since the last one to it."""
        seconds = self.clock.input()
        annotations = self.controller.annotations
        if annotations is not None and seconds > 0 and not self.controller.read_only_reason:
            annotations.active_seconds += seconds
