"""PySide6's check of every module imported after it, made cheap (start-up, issue 22).

Once ``PySide6.QtCore`` is loaded, PySide6 replaces ``__import__`` to serve its opt-in ``from __feature__ import
snake_case, true_property``, and after every import statement naming a module it has not seen yet it asks whether that
module "uses PySide6" (its answer decides whether the module takes part in feature switching):
``shibokensupport.feature._mod_uses_pyside`` searches the module's source for the text ``PySide6``, read through
:func:`inspect.getsource` (``linecache``: the file opened with its encoding detected, split into lines, joined again and
kept in memory for the life of the process). At start-up that is some 250 modules (the standard library's and
pydantic's too, whenever an import names them), 40-120 ms of the start on a 2-core machine.

:func:`cheapen_feature_scan` puts in its place a check giving the same answer from the file's bytes: a ``.py`` file's
bytes hold ``b"PySide6"`` exactly when its text holds ``"PySide6"`` (Python source is in an ASCII-compatible
encoding); anything else (no ``__file__``, not a ``.py`` file, a file that cannot be read: a bundle's archive) is
asked of PySide6's own check. The app never selects a feature, so the answers only keep PySide6's book-keeping as it
would be. PySide6's ``shibokensupport`` is internal: when it is not there or has no such function (another PySide6
version), nothing is changed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"
"""PySide6's module holding the check (loaded with ``PySide6.QtCore``)."""

CHECK = "_mod_uses_pyside"
"""The check's name in :data:`FEATURE_MODULE`: ``(module) -> bool``."""


def cheapen_feature_scan() -> bool:
    """Replace PySide6's "does this module use PySide6" check (see the module's text) by :func:`uses_pyside_bytes`
    over the original; returns whether it was replaced now (``False``: PySide6 not loaded yet, no such check in this
    PySide6 version, or already replaced). Call it right after the first import of PySide6."""
    feature = sys.modules.get(FEATURE_MODULE)
    original = getattr(feature, CHECK, None)
    if feature is None or not callable(original) or getattr(original, "reads_bytes", False):
        return False
    setattr(feature, CHECK, uses_pyside_bytes(original))
    return True


def uses_pyside_bytes(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    """A check answering as ``original`` (PySide6's, over the source text) from the raw bytes of a module's ``.py``
    file; ``original`` answers for a module without one or whose file cannot be read."""

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    mod_uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    return mod_uses_pyside
