"""Giving the memory a big load freed back to the system, so that what is allocated next does not stack on top of it.

A huge open frees much on the way (the file read in pieces, then joined; the spans' plain dicts; pydantic's own
buffers), in the worker thread's C heap (glibc gives each thread its own arena). Qt's document and the window's
objects are then allocated by the GUI thread, in another arena, so the freed pages are not reused: they stay in
the process's resident memory and add to its peak. ``malloc_trim(0)`` (glibc, see ``man 3 malloc_trim``) returns
the free pages of every arena to the system. 10 MB / 100k spans: about 17 MB less at the peak (measured with
``benchmarks/open_costs.py``'s ``VmHWM``).
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any


@cache
def _malloc_trim() -> Any | None:
    """glibc's ``malloc_trim`` (``int malloc_trim(size_t pad)``), or ``None`` where there is none (macOS, Windows,
    musl)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # on first use (start-up)
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def trim_heap() -> bool:
    """Return the C heap's free memory to the system (``malloc_trim(0)``; without Python's GIL, as every ``ctypes``
    call to a C library). Returns whether there was such a call to make (glibc only); never raises."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
