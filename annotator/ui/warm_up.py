"""Work the app will need soon, done in the background once the window is up: the first edit must not pay it.

Start-up imports only what showing the window needs (issue 22); what the first edit needs besides (the word and
grapheme-cluster patterns of :mod:`annotator.model.words`: importing ``regex`` and compiling them) is made by a
daemon thread :data:`WARM_UP_DELAY_MS` after the main window is built. On the GUI thread at the first edit it
stalled the window 0.16-0.3 s when a 10 MB text had just opened (the suggesters held Python's GIL meanwhile); in a
thread it takes turns with the window like any Python code. A failure there changes nothing: the first use does the
same work and reports what is wrong.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer

WARM_UP_DELAY_MS = 300
"""Milliseconds after the main window is built before the warm-up starts (after the window's first paints)."""


def word_patterns() -> None:
    """The word and grapheme-cluster patterns (:func:`annotator.model.words.warm_up`; the module imported here, in
    the warm-up thread)."""
    from annotator.model.words import warm_up

    warm_up()


def default_work() -> tuple[Callable[[], object], ...]:
    """What is warmed up, in order: :func:`word_patterns`."""
    return (word_patterns,)


def schedule_warm_up(
    owner: QObject, delay_ms: int | None = None, work: Sequence[Callable[[], object]] | None = None
) -> QTimer:
    """Run ``work`` (default :func:`default_work`) in a daemon thread named ``warm-up``, ``delay_ms`` milliseconds
    after now (default :data:`WARM_UP_DELAY_MS`), by a single-shot timer owned by ``owner`` (gone with it: nothing
    runs for a window already closed). Returns the timer (tests)."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: start_warm_up(work))
    timer.start(WARM_UP_DELAY_MS if delay_ms is None else delay_ms)
    return timer


def start_warm_up(work: Sequence[Callable[[], object]] | None = None) -> threading.Thread:
    """Start the warm-up thread now (``work`` in order, each failure ignored); returns it."""
    steps = tuple(work) if work is not None else default_work()
    thread = threading.Thread(target=_run, args=(steps,), name="warm-up", daemon=True)
    thread.start()
    return thread


def _run(steps: Sequence[Callable[[], object]]) -> None:
    for step in steps:
        with contextlib.suppress(Exception):  # an optimisation only: the first use does the same, says what is wrong
            step()
