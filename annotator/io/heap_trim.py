"""Giving the memory a big load freed back to the system, so that what is allocated next does not stack on top of it.

A huge open frees much on the way (the file read in pieces, then joined; the spans' plain dicts; pydantic's own
buffers), in the worker thread's C heap (glibc gives each thread its own arena). Qt's document and the window's
objects are then allocated by the GUI thread, in another arena, so the freed pages are not reused: they stay in
the process's resident memory and add to its peak. ``malloc_trim(0)`` (glibc, see ``man 3 malloc_trim``) returns
the free pages of every arena to the system. 10 MB / 100k spans: about 17 MB less at the peak (measured with
``benchmarks/open_costs.py``'s ``VmHWM``). :func:`map_large_blocks` keeps blocks of 4 MB and more out of the heaps
altogether (each mapped on its own, so freed it is given back at once, and grown it is remapped, not copied): 10 MB /
100k spans, about 20 MB less at the peak.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any


@cache
def _malloc_trim() -> Any | None:
    """glibc's ``malloc_trim`` (``int malloc_trim(size_t pad)``), or ``None`` where there is none (macOS, Windows,
    musl)."""
    import ctypes  # on first use (start-up)

    return _glibc_function("malloc_trim", [ctypes.c_size_t])


@cache
def _mallopt() -> Any | None:
    """glibc's ``mallopt`` (``int mallopt(int param, int value)``), or ``None`` where there is none."""
    import ctypes

    return _glibc_function("mallopt", [ctypes.c_int, ctypes.c_int])


def _glibc_function(name: str, argtypes: list[Any]) -> Any | None:
    """The C library's function ``name`` taking ``argtypes`` and returning an ``int`` (Linux only), or ``None`` where
    there is no such function."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function = getattr(_libc(), name)
    except (OSError, AttributeError):
        return None
    function.argtypes = argtypes
    function.restype = ctypes.c_int
    return function


def _libc() -> Any:
    """The C library (Linux): by glibc's name first (``find_library`` runs ``ldconfig`` in a subprocess: a fork of the
    whole process, in the middle of a huge open). Raises ``OSError`` when there is none."""
    import ctypes
    import ctypes.util

    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return ctypes.CDLL(ctypes.util.find_library("c"))


def trim_heap() -> bool:
    """Return the C heap's free memory to the system (``malloc_trim(0)``; without Python's GIL, as every ``ctypes``
    call to a C library). Returns whether there was such a call to make (glibc only); never raises."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


M_MMAP_THRESHOLD = -3
"""``mallopt``'s parameter for the mmap threshold (glibc's ``<malloc.h>``)."""
LARGE_BLOCK = 4 * 1024 * 1024
"""The size (bytes) from which :func:`map_large_blocks` has each allocation mapped on its own. 1 MB saved 6 MB more
at the 10 MB open's peak but cost about 9% more CPU (each block's pages faulted in afresh, where the heap reused
them); 4 MB costs none measurable (``benchmarks/open_costs.py``)."""


def map_large_blocks(threshold: int = LARGE_BLOCK) -> bool:
    """From now on, have every allocation of ``threshold`` bytes or more mapped on its own
    (``mallopt(M_MMAP_THRESHOLD, threshold)``, glibc, process-wide; see ``man 3 mallopt``): freed, it goes straight
    back to the system, and grown by ``realloc`` (Qt's document text as a huge open fills it, 20 MB at 10 MB of text)
    it is remapped in place, never copied. glibc's own threshold rises to the size of each such block freed (up to 32
    MB), after which blocks that big come from the heap: kept when freed, and copied when grown (old and new both
    resident a moment: the 10 MB open's peak rose by 14 MB when the document's text grew past 16 MB). Returns whether
    there was such a call to make and glibc took it (glibc only); never raises."""
    mallopt = _mallopt()
    return mallopt is not None and mallopt(M_MMAP_THRESHOLD, threshold) == 1
