"""annotator: label spans of news-article text as actor, claim, warning or denial.

Layers (enforced by an import-linter contract in ``pyproject.toml``):

- :mod:`annotator.model`: pure Python and pydantic: spans, label sets, the annotation set, undoable commands and the
  code-point/Qt offset conversion.
- :mod:`annotator.io`: text-file decoding, the annotation JSON format, atomic writes, settings.
- :mod:`annotator.ui`: everything that imports PySide6.
"""

__version__ = "0.1.0"
