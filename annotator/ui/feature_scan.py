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

Reading the files is still 10-20 ms of every start (some 300 modules: the standard library's, pydantic's, the app's).
So the answers are kept between runs (:class:`KnownAnswers`, a small JSON file in the app's cache folder), each
with the file's stamp when it was read (its modification time in nanoseconds and its size, as Python's own bytecode
cache checks a source): a module whose file has the same stamp gets the kept answer after one ``os.stat``; any
other is read as above. The file is written at exit when an answer was added, holding the answers asked this run.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"
"""PySide6's module holding the check (loaded with ``PySide6.QtCore``)."""

CHECK = "_mod_uses_pyside"
"""The check's name in :data:`FEATURE_MODULE`: ``(module) -> bool``."""

KNOWN_ANSWERS_FILE = "pyside-module-check.json"
"""The file of :class:`KnownAnswers` in the cache folder (:func:`known_answers_path`)."""

KNOWN_ANSWERS_VERSION = 1
"""The version of that file's layout: ``{"version": 1, "files": {path: [mtime_ns, size, answer]}}``."""


def cheapen_feature_scan(known_answers: Path | None = None) -> bool:
    """Replace PySide6's "does this module use PySide6" check (see the module's text) by :func:`uses_pyside_bytes`
    over the original, with the answers kept in ``known_answers`` (default :func:`known_answers_path`; written at
    exit when one was added); returns whether it was replaced now (``False``: PySide6 not loaded yet, no such check
    in this PySide6 version, or already replaced). Call it right after the first import of PySide6."""
    feature = sys.modules.get(FEATURE_MODULE)
    original = getattr(feature, CHECK, None)
    if feature is None or not callable(original) or getattr(original, "reads_bytes", False):
        return False
    known = KnownAnswers.load(known_answers or known_answers_path())
    setattr(feature, CHECK, uses_pyside_bytes(original, known))
    atexit.register(known.save)
    return True


def known_answers_path() -> Path:
    """Where :class:`KnownAnswers` are kept: :data:`KNOWN_ANSWERS_FILE` in ``$ANNOTATOR_CACHE_DIR`` when set (tests),
    else in ``platformdirs.user_cache_dir("annotator")``."""
    override = os.environ.get("ANNOTATOR_CACHE_DIR")
    if override:
        return Path(override) / KNOWN_ANSWERS_FILE
    import platformdirs

    return Path(platformdirs.user_cache_dir("annotator", appauthor=False)) / KNOWN_ANSWERS_FILE


class KnownAnswers:
    """The check's answers by file (the module's ``__file__``), each with the file's stamp when it was read:
    ``(st_mtime_ns, st_size)``. :meth:`get` gives an answer only for the same stamp; :meth:`save` writes the answers
    asked for since :meth:`load` (so the file holds what a run imports, not every module ever checked), and only
    when one was added."""

    def __init__(self, path: Path, answers: dict[str, tuple[int, int, bool]] | None = None) -> None:
        self.path = path
        self.answers = answers or {}
        self.asked: dict[str, tuple[int, int, bool]] = {}
        self.changed = False

    @classmethod
    def load(cls, path: Path) -> KnownAnswers:
        """The answers kept in ``path``; none when it is missing, unreadable (not JSON, nested too deep) or not in
        the layout of :data:`KNOWN_ANSWERS_VERSION` (an entry not of that shape, or for a path that is not absolute,
        is left out): a damaged or foreign file is never an error, only no answer."""
        answers: dict[str, tuple[int, int, bool]] = {}
        try:
            kept = json.loads(path.read_bytes())
        except (OSError, ValueError, RecursionError):
            kept = None
        version = kept.get("version") if isinstance(kept, dict) else None
        files = kept.get("files") if type(version) is int and version == KNOWN_ANSWERS_VERSION else None
        for file, entry in files.items() if isinstance(files, dict) else ():
            if os.path.isabs(file) and isinstance(entry, list) and len(entry) == 3:
                mtime, size, answer = entry
                if type(mtime) is int and type(size) is int and type(answer) is bool:
                    answers[file] = (mtime, size, answer)
        return cls(path, answers)

    def get(self, file: str, stat: os.stat_result) -> bool | None:
        """The kept answer for ``file`` if its stamp is still ``stat``'s, else ``None``."""
        entry = self.answers.get(file)
        if entry is None or entry[0] != stat.st_mtime_ns or entry[1] != stat.st_size:
            return None
        self.asked[file] = entry
        return entry[2]

    def put(self, file: str, stat: os.stat_result, answer: bool) -> None:
        """Keep ``answer`` for ``file``, read with the stamp of ``stat``."""
        entry = (stat.st_mtime_ns, stat.st_size, answer)
        self.asked[file] = self.answers[file] = entry
        self.changed = True

    def save(self) -> None:
        """Write the answers asked for (atomically, not fsynced: a cache) when one was added; a folder that cannot
        be written is no fault (the next run reads the files again)."""
        if not self.changed:
            return
        from annotator.io.atomic import atomic_write_text
        from annotator.io.errors import FileFault

        asked = dict(self.asked)  # a copy in one step: a thread still importing at exit may add to it
        files = {file: list(entry) for file, entry in asked.items()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps({"version": KNOWN_ANSWERS_VERSION, "files": files}), durable=False)
        except (OSError, FileFault):
            return
        self.changed = False


def uses_pyside_bytes(
    original: Callable[[ModuleType], bool], known: KnownAnswers | None = None
) -> Callable[[ModuleType], bool]:
    """A check answering as ``original`` (PySide6's, over the source text) from the raw bytes of a module's ``.py``
    file, or from ``known`` when it holds the answer for the file as it is now (the same stamp; only files named by
    an absolute path are kept: a relative one names another file from another folder); ``original`` answers for a
    module without a ``.py`` file or whose file cannot be read."""

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                if known is None or not os.path.isabs(path):
                    return _holds_pyside(path)
                stat = os.stat(path)
                answer = known.get(path, stat)
                if answer is None:
                    answer = _holds_pyside(path)
                    known.put(path, stat, answer)
                return answer
            except OSError:
                pass
        return original(module)

    mod_uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    return mod_uses_pyside


def _holds_pyside(path: str) -> bool:
    """Whether the file ``path`` holds the bytes ``PySide6`` (``OSError`` when it cannot be read)."""
    with open(path, "rb") as source:
        return b"PySide6" in source.read()
