"""Python's cyclic garbage collector and a document's many objects: paused while they are built, and (in the app)
kept out of its full collections once built."""

from __future__ import annotations

import gc
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
    """Keep every object alive now, and from now on those made in a :func:`garbage_collection_paused` block (a
    document's, as it opens), out of the collector's full collections: they are handed to the permanent generation
    (``gc.freeze()``). Called once by the app, when its window is made.

    A full collection walks every object of the oldest generation holding Python's GIL, the window's thread waiting:
    0.86 s at a time once the 1M-span file was open (2.1 million objects), 0.1 s once a 1 MB document had been
    scrolled through. CPython starts one when the objects that reached the oldest generation since the last are a
    quarter of what that one found, a count that objects handed over by ``gc.unfreeze()`` never raise: a few minutes
    of scrolling and editing the 1M-span file started one. Frozen, they are not walked; reference counting still
    frees each of them that is not in a reference cycle (a document closed: its spans, its views' caches). A cycle of
    frozen objects is never collected, so what is made in a paused block must make none (the models and the views'
    indexes are plain containers of immutable values; ``tests/io/test_gc_pause.py`` counts what an open leaves)."""
    global _keeping
    _keeping = True
    gc.freeze()
