"""Python's cyclic garbage collector and a document's many objects: paused while they are built, and (in the app)
kept out of its full collections once built."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_keeping = False
"""Whether :func:`keep_long_lived` was called: objects made in a paused block are then kept frozen."""


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block (nested use is fine; it is re-enabled only by the
    outermost block that disabled it).

    Opening a document builds hundreds of thousands of objects that are all kept, yet every few hundred allocations
    start a collection that walks them: at 100k spans that was 0.7 s of a 2.2 s parse. Reference counting still frees
    everything that is not part of a cycle, and the collector runs as usual once the block ends.

    The objects made in the block are then handed over as they are (``gc.freeze()``, a list splice), not walked by
    the young generation's collection that re-enabling would start at once: 45 ms at 100k spans, about 0.5 s at 1M.
    Once :func:`keep_long_lived` was called (the app) they stay in the permanent generation; otherwise (the command
    line, tests) they go on to the oldest generation (``gc.unfreeze()``), collected, if ever garbage, by the next full
    collection, as any long-lived object is.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
        if not _keeping:
            gc.unfreeze()


def keep_long_lived() -> None:
    """Keep every object alive now, and from now on what is alive when a :func:`garbage_collection_paused` block ends
    (a document's objects, as it opens), out of the collector's full collections: they are handed to the permanent
    generation (``gc.freeze()``). Called once by the app, when its window is made.

    A full collection walks every object of the oldest generation holding Python's GIL, the window's thread waiting:
    0.86 s at a time once the 1M-span file was open (2.1 million objects), 0.1 s once a 1 MB document had been
    scrolled through. CPython starts one when the objects that reached the oldest generation since the last are a
    quarter of what that one found, a count that objects handed over by ``gc.unfreeze()`` never raise: a few minutes
    of scrolling and editing the 1M-span file started one. Frozen, they are not walked; reference counting still
    frees each of them that is not in a reference cycle (a document closed: its spans, its views' caches).

    ``gc.freeze()`` takes every object alive in the process, whichever thread made it, and a paused block in a worker
    pauses collection for the window's thread too: a garbage cycle that exists when a block ends, or that forms
    later through a frozen object (a closed dialog's wrappers), is not collected while frozen. :func:`sweep_kept`
    collects them once a document is open, when the process holds few enough objects to walk them quickly."""
    global _keeping
    _keeping = True
    gc.freeze()


SWEEP_LIMIT = 200_000
"""The most objects (frozen and in the collector's generations) :func:`sweep_kept` walks: some 80 ms of a full
collection on the GUI thread (measured: 46 ms with a 100 KB document open, 86k objects; 62 ms at 1 MB / 10k spans,
116k; about 100 ms at 10 MB / 100k, 270k, so such a document is not swept; the 1M-span file holds 2.1 million)."""


def sweep_kept(limit: int | None = None) -> bool:
    """In the app's mode (:func:`keep_long_lived`), collect the garbage cycles among the frozen objects: unfreeze
    them, one full collection, freeze what is left again; only when the process holds at most ``limit`` objects
    (default :data:`SWEEP_LIMIT`; so a huge document's millions are never walked: its open's cycles wait for a sweep
    after a smaller one). Returns whether it swept. The app sweeps a moment after each open
    (:mod:`annotator.ui.main.opening`)."""
    if not _keeping or not gc.isenabled():
        return False  # not the app's mode, or a paused block is under way (its objects are not done yet)
    held = gc.get_freeze_count() + sum(len(gc.get_objects(generation)) for generation in range(3))
    if held > (SWEEP_LIMIT if limit is None else limit):
        return False
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return True


_HELD_THRESHOLD = 2**31 - 1
"""The oldest generation's threshold while full collections are held off: young collections it counts, never
reached."""
_holding = 0
_held_threshold: tuple[int, int, int] | None = None
_holding_lock = threading.Lock()


@contextmanager
def full_collections_held() -> Iterator[None]:
    """Hold off the cyclic collector's full collections for the ``with`` block, in whichever thread it runs (the
    young generations' collections go on, so garbage cycles made meanwhile are still collected); blocks may overlap,
    in any threads: the threshold is restored when the last ends.

    For background work that makes many objects living for the length of a call and then lets them go: a suggester's
    run (at 10 MB / 100k spans the string matcher weighs some hundreds of thousands of occurrences, each an object
    that outlives the young collections). Each full collection walks them all, holding Python's GIL while the
    window's thread waits: 26 of 0.2-0.3 s while 600 pages were read and 12 spans added, a run after each. Once the
    block ends they have been freed by reference counting, and the next full collection walks what is left."""
    global _holding, _held_threshold
    with _holding_lock:
        if _holding == 0:
            _held_threshold = gc.get_threshold()
            gc.set_threshold(_held_threshold[0], _held_threshold[1], _HELD_THRESHOLD)
        _holding += 1
    try:
        yield
    finally:
        with _holding_lock:
            _holding -= 1
            if _holding == 0 and _held_threshold is not None:
                gc.set_threshold(*_held_threshold)
                _held_threshold = None
