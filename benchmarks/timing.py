"""Timing shared by the benchmark scripts (run them as ``python benchmarks/<script>.py``, which puts this folder on
the import path)."""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import tempfile
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


def app_folders(*variables: str) -> None:
    """Give each of ``variables`` (e.g. ``ANNOTATOR_DATA_DIR``) a fresh folder of its own, unless it is already set,
    and remove the folders made here when the script ends. Each open of a huge file leaves a recovery journal in the
    data folder (its base a copy of the file: 205 MB for the 1M-span file), so a day of runs that kept them filled
    /tmp with 9 GB."""
    for variable in variables:
        if not os.environ.get(variable):
            folder = tempfile.mkdtemp(prefix=f"annotator-bench-{variable.lower()}-")
            os.environ[variable] = folder
            atexit.register(shutil.rmtree, folder, True)
