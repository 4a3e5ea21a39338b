"""How often Python's GIL changes hands while the window shares it with background threads.

The window's GUI thread runs Python only in short bursts (a slot, a paint override), but it takes Python's GIL back
for each, and a thread running Python (a suggester, the open's worker between its calls in C) keeps it until the
switch interval has passed: 5 ms by default (``sys.setswitchinterval``). A paint or an edit that enters Python some
20-60 times then waited 0.1-0.5 s. With 2 ms (:data:`SWITCH_INTERVAL_S`), measured by
``benchmarks/app_huge_open.py`` (medians of 3): the first edit after a 10 MB text opened, its suggesters running,
115 ms of stall against 191, its save written in 0.32 s against 0.50; the 1M-span open's longest stall 80-88 ms (one
set 215) against 545; the 100 MB's 53 against 62, usable in the same time. 1 ms did about as well for the stalls
(79, 206 and 54 ms) but the 10 MB / 100k-span open's peak grew 11 MB (the worker and the fill overlapping more; 2
ms: 4 MB; ``open_costs.py``). CPython's switch interval:
https://docs.python.org/3/library/sys.html#sys.setswitchinterval.
"""

from __future__ import annotations

import sys

SWITCH_INTERVAL_S = 0.002
"""The switch interval the app uses (seconds)."""

PYTHON_DEFAULT_S = 0.005
"""CPython's default switch interval (seconds): only that is changed (a caller that chose one keeps it)."""


def share_gil_finely(interval: float = SWITCH_INTERVAL_S) -> bool:
    """Set Python's switch interval to ``interval`` seconds when it is still CPython's default; returns whether it
    was set."""
    if abs(sys.getswitchinterval() - PYTHON_DEFAULT_S) > 1e-9:
        return False
    sys.setswitchinterval(interval)
    return True
