"""Letting a window part's worker thread go when the window closes."""

from __future__ import annotations

from concurrent.futures import Executor


def let_go(executor: Executor | None) -> None:
    """Shut ``executor`` down without waiting (what is queued is cancelled; a call under way ends on its own and its
    thread then exits), so that a closed window leaves no idle thread behind. Nothing for ``None``."""
    if executor is not None:
        executor.shutdown(wait=False, cancel_futures=True)
