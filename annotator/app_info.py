"""What the app says about itself: its version, its licence and third-party notices, and where it logs (shown in
Help → About, with the other folders: :mod:`annotator.ui.dialogs.about`).

The version has one source, ``version`` in ``pyproject.toml``: an installed package (wheel, editable install,
bundle) carries it in its metadata, read with :func:`importlib.metadata.version`. A source tree that was never
installed has no metadata; then the ``pyproject.toml`` beside the package is read, and failing that the version is
:data:`UNKNOWN_VERSION`. Reading the metadata imports :mod:`importlib.metadata` (a third of a second on a slow
machine), so it happens on first use only (``annotator.__version__`` and ``--version`` are lazy).

No Qt here: the command line (``annotator --version``) uses it too.
"""

from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DISTRIBUTION = "annotator"
"""The distribution name in ``pyproject.toml`` (``[project] name``)."""

UNKNOWN_VERSION = "0+unknown"
"""The version of a source tree with neither installed metadata nor a readable ``pyproject.toml`` (a PEP 440 local
version, sorted before every release)."""

SOURCE_ROOT = Path(__file__).resolve().parents[1]
"""The folder holding the ``annotator`` package: a checkout's root (with ``pyproject.toml`` and ``LICENSE``), or
``site-packages`` in an install."""


@functools.cache
def version() -> str:
    """The app's version (PEP 440 text such as ``"0.2.0"``): the installed metadata's, else the source tree's
    ``pyproject.toml``'s, else :data:`UNKNOWN_VERSION`. Never raises."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as metadata_version

    try:
        return metadata_version(DISTRIBUTION)
    except PackageNotFoundError:
        return source_tree_version(SOURCE_ROOT / "pyproject.toml") or UNKNOWN_VERSION


def source_tree_version(pyproject: Path) -> str | None:
    """``[project] version`` of ``pyproject`` when it is annotator's project file, else ``None`` (missing,
    unreadable, another project's)."""
    import tomllib

    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    found = project.get("version")
    return found if project.get("name") == DISTRIBUTION and isinstance(found, str) else None


class VersionAction(argparse.Action):
    """``--version``: prints ``annotator VERSION`` and exits 0, like argparse's ``"version"`` action, but reads
    :func:`version` only when the option is given (not when the parser is built)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        import sys

        print(f"annotator {version()}", file=sys.stdout)
        parser.exit()


def log_dir() -> Path:
    """The log folder: ``$ANNOTATOR_LOG_DIR`` when set (tests), else ``platformdirs.user_log_dir("annotator")``."""
    override = os.environ.get("ANNOTATOR_LOG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_log_dir("annotator", appauthor=False))


def resource_text(name: str) -> str | None:
    """The text of ``name`` (``"LICENSE"`` or ``"THIRD_PARTY_NOTICES.md"``): from the installed metadata's licence
    files (a wheel or bundle puts them in ``*.dist-info/licenses/``), else beside the package (a checkout), else
    ``None``."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        for file in distribution(DISTRIBUTION).files or ():
            if file.name == name and ".dist-info" in str(file):
                located = Path(str(file.locate()))
                if located.is_file():
                    return located.read_text(encoding="utf-8")
    except PackageNotFoundError:
        pass
    beside = SOURCE_ROOT / name
    return beside.read_text(encoding="utf-8") if beside.is_file() else None


LICENSE_NAME = "MIT"
"""The SPDX identifier of annotator's own licence (``pyproject.toml``'s ``license``; a test checks)."""
