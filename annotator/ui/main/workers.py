"""Letting a window part's worker thread go when the window closes."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from contextlib import suppress
from typing import Any


def let_go(executor: Executor | None) -> None:
    """Shut ``executor`` down without waiting (what is queued is cancelled; a call under way ends on its own and its
    thread then exits), so that a closed window leaves no idle thread behind. Nothing for ``None``."""
    if executor is not None:
        executor.shutdown(wait=False, cancel_futures=True)


def when_done(tell: Callable[[Future[Any]], object]) -> Callable[[Future[Any]], None]:
    """A done callback for a worker's future (``future.add_done_callback(when_done(tell))``): ``tell(future)``, on
    whichever thread the future ends (a signal's ``emit``, so the window hears it on its own thread), unless the future
    was cancelled (a job still queued when its window closed: :func:`let_go`; it is then done at once, on the closing
    thread, and its result would raise ``CancelledError`` in whoever read it) and with ``RuntimeError`` ignored (the
    window's Qt object deleted meanwhile: nobody to tell)."""

    def done(future: Future[Any]) -> None:
        if future.cancelled():
            return
        with suppress(RuntimeError):
            tell(future)

    return done
