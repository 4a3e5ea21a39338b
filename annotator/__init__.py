"""annotator: label spans of news-article text as actor, claim, warning or denial.

Layers, each importing only those below it (enforced by import-linter contracts in ``pyproject.toml``):

- :mod:`annotator.model`: pure Python and pydantic: spans, label sets, the annotation set, undoable commands and the
  code-point/Qt offset conversion.
- :mod:`annotator.io`: text-file decoding, the annotation JSON format, atomic writes, settings.
- :mod:`annotator.project`: projects, the lock, the recovery journal, the editing session, whose file it is.
- :mod:`annotator.formats`: exchange formats (import and export).
- :mod:`annotator.review`: agreement, disagreements, gold files.
- :mod:`annotator.cli` and :mod:`annotator.ui` (independent of each other): the command line, and everything that
  imports PySide6.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    """``annotator.__version__``: the version in the installed metadata (single source: ``pyproject.toml``), read on
    first use (see :func:`annotator.app_info.version`)."""
    if name == "__version__":
        from annotator.app_info import version

        return version()
    raise AttributeError(f"module 'annotator' has no attribute {name!r}")
