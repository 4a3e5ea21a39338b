"""Removing a file without waiting for its blocks to be freed.

Unlinking a big file frees its blocks before the call returns: 40-90 ms for a 205 MB recovery journal on ext4,
during which the window's thread (which removes a journal once its work is saved or restored) handles no event.
:func:`remove_file` renames a big file first, in its own folder (a change of name only, at once), so its path is free
at once (a new journal may be written there), and unlinks the renamed file from a thread of its own. The name it
gets ends in :data:`DISCARDED_SUFFIX`; one left behind by a process that ended before its thread did is removed by
:func:`remove_leftovers`.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import uuid
from pathlib import Path
from typing import Final

DISCARDED_SUFFIX: Final = ".discarded"
"""The name's end of a file renamed to be removed (``.<its name>.<random hex>.discarded``)."""
IN_BACKGROUND_FROM: Final = 8 << 20
"""Bytes from which a file is unlinked by a thread of its own (smaller ones are unlinked at once: well under 1 ms)."""

_removing: list[threading.Thread] = []
_removing_lock = threading.Lock()


def remove_file(path: Path, *, in_background_from: int | None = None) -> None:
    """Remove ``path`` (nothing if it is not there). From ``in_background_from`` bytes (default:
    :data:`IN_BACKGROUND_FROM`, read when called) it is renamed in its folder and unlinked by a thread; if it cannot
    be renamed, or no thread can start (the interpreter is shutting down: a finalizer's call), it is unlinked at once.
    A thread still running at exit is waited for (it is not a daemon), except one started by a finalizer during the
    interpreter's shutdown: its renamed file is then left to :func:`remove_leftovers`.

    Raises ``OSError`` as ``Path.unlink`` does (not for a missing file); the thread's own faults are dropped (the
    renamed file is then removed by :func:`remove_leftovers`)."""
    threshold = IN_BACKGROUND_FROM if in_background_from is None else in_background_from
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size >= threshold and not sys.is_finalizing():
        renamed = path.with_name(f".{path.name}.{uuid.uuid4().hex}{DISCARDED_SUFFIX}")
        try:
            os.replace(path, renamed)
        except FileNotFoundError:
            return
        except OSError:
            pass  # (e.g. held open elsewhere, on a system that forbids it): unlinked here
        else:
            if _unlink_in_background([renamed]):
                return
            path = renamed  # no thread: unlinked here
    path.unlink(missing_ok=True)


def _unlink_in_background(paths: list[Path]) -> bool:
    """Unlink ``paths`` in a thread of its own (faults dropped); ``False`` when no thread could start."""
    thread = threading.Thread(target=_unlink_quietly, args=(paths,), name="remove-file")
    with _removing_lock:
        try:
            thread.start()  # started before it is listed: wait_for_removals joins only started threads
        except RuntimeError:  # "can't create new thread at interpreter shutdown"
            return False
        _removing[:] = [t for t in _removing if t.is_alive()]
        _removing.append(thread)
    return True


def _unlink_quietly(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def wait_for_removals() -> None:
    """Wait until every file :func:`remove_file` handed to a thread is removed (for tests: at exit the interpreter
    waits for those threads anyway, as they are not daemons)."""
    with _removing_lock:
        threads = list(_removing)
    for thread in threads:
        thread.join()


def remove_leftovers(folder: Path) -> int:
    """Remove the files in ``folder`` that :func:`remove_file` renamed and whose thread never ran to its end (the
    process ended first), by a thread of their own (each may be a 205 MB journal); returns how many there were.
    Faults are dropped (tried again next time)."""
    leftovers: list[Path] = []
    with contextlib.suppress(OSError):
        leftovers = list(folder.glob(f".*{DISCARDED_SUFFIX}"))
    if leftovers and not _unlink_in_background(leftovers):
        _unlink_quietly(leftovers)
    return len(leftovers)
