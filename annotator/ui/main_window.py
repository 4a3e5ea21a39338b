"""The main window, kept importable here: it lives in :mod:`annotator.ui.main.window`, its parts beside it."""

from annotator.ui.main.window import MainWindow

__all__ = ["MainWindow"]
