"""Timing shared by the benchmark scripts (run them as ``python benchmarks/<script>.py``, which puts this folder on
the import path)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

REPEAT = 5
"""Repetitions of each measurement by default."""


def median_ms(action: Callable[[], object], repeat: int = REPEAT, setup: Callable[[], object] | None = None) -> float:
    """The median wall-clock time of ``action()`` over ``repeat`` runs, in milliseconds; ``setup()`` runs before
    each run, untimed."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
