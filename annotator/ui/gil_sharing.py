"""How often Python's GIL changes hands while the window shares it with background threads.

The window's GUI thread runs Python only in short bursts (a slot, a paint override), but it takes Python's GIL back
for each, and a thread running Python (a suggester, the open's worker between its calls in C) keeps it until the
switch interval has passed: 5 ms by default (``sys.setswitchinterval``). A paint or an edit that enters Python some
20-60 times then waited 0.1-0.5 s. With 1 ms (:data:`SWITCH_INTERVAL_S`), measured by ``benchmarks/app_huge_open.py
--switch-interval`` (medians of 3): the first edit after a 10 MB text opened, its suggesters running, 77 ms of
stall against 219, and its save written in 0.23 s against 0.61; the 1M-span open's longest stall 206 ms against
545; the 100 MB open's 54 against 62, usable in the same time. CPython's switch interval: see
https://docs.python.org/3/library/sys.html#sys.setswitchinterval.
"""

from __future__ import annotations

import sys

SWITCH_INTERVAL_S = 0.001
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
