"""Small builders of the main window: docks with their default sizes, the status bar's labels, the Undo and
Redo actions named after what they would do, and the parts made on first use (:class:`LazyPart`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QStatusBar, QWidget

from annotator.ui.plain_text import ElidedLabel, tooltip_html

DEFAULT_RIGHT_WIDTH, DEFAULT_DOCUMENTS_WIDTH = 415, 225
"""Default widths (pixels) of the right panels (spans, span, guidelines) and of the Documents panel."""
"""Actions disabled while no project is open."""
STATUS_LABELS = ("orphan", "read_only", "selection", "count", "mode", "encoding", "annotator")
"""The status bar's permanent labels, left to right; each is the window's ``<name>_status``."""


def add_dock(window: QMainWindow, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
    """A movable, closable dock ``title`` (object name ``name``) holding ``widget``, added to ``window`` at ``area``."""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable)
    window.addDockWidget(area, dock)
    return dock


class DefaultDockSizes:
    """The first time the spans dock or the Documents dock shows without a saved layout, give it its default size
    (after the layout settles): at 1400 x 900 with every panel open the text keeps 80+ characters a line, and the
    span list takes most of the right column's height."""

    def __init__(self, window: QMainWindow, spans: QDockWidget, span: QDockWidget, documents: QDockWidget) -> None:
        self.window, self.spans, self.span, self.documents = window, spans, span, documents
        self.pending: set[QDockWidget] = set()
        spans.visibilityChanged.connect(lambda shown: self._shown(spans, shown))
        documents.visibilityChanged.connect(lambda shown: self._shown(documents, shown))

    def _shown(self, dock: QDockWidget, shown: bool) -> None:
        if not shown or dock not in self.pending:
            return
        self.pending.discard(dock)
        QTimer.singleShot(0, lambda: self._resize(dock))

    def _resize(self, dock: QDockWidget) -> None:
        window = self.window
        if dock is self.documents:
            window.resizeDocks([dock], [DEFAULT_DOCUMENTS_WIDTH], Qt.Orientation.Horizontal)
            return
        window.resizeDocks([dock], [DEFAULT_RIGHT_WIDTH], Qt.Orientation.Horizontal)
        if self.span.isVisible() and not self.span.isFloating():
            height = self.spans.height() + self.span.height()
            window.resizeDocks([dock, self.span], [height * 3 // 5, height * 2 // 5], Qt.Orientation.Vertical)


def status_labels(status: QStatusBar) -> dict[str, QLabel]:
    """The status bar's permanent plain-text labels (:data:`STATUS_LABELS`), added to ``status``; the read-only
    marker and the orphan count start hidden."""
    labels = {}
    for name in STATUS_LABELS:
        # the annotator's name, however long, is cut with "…" rather than widening the window
        label = labels[name] = ElidedLabel() if name == "annotator" else QLabel()
        label.setObjectName(
            "".join(part.capitalize() if i else part for i, part in enumerate(name.split("_"))) + "Status"
        )
        label.setTextFormat(Qt.TextFormat.PlainText)
        status.addPermanentWidget(label)
    labels["annotator"].setMinimumWidth(labels["annotator"].fontMetrics().horizontalAdvance("Annotator: …"))
    labels["read_only"].setText("Read-only")
    labels["read_only"].hide()
    labels["orphan"].hide()
    return labels


def wire_undo_actions(stack: QUndoStack, undo: QAction, redo: QAction) -> None:
    """Enable Undo and Redo as ``stack`` can, and name in their menu text what they would do."""
    undo.setEnabled(False)
    redo.setEnabled(False)
    undo.setIconText("Undo")  # the toolbar keeps a short, steady text; menus say what is undone
    redo.setIconText("Redo")
    stack.canUndoChanged.connect(undo.setEnabled)
    stack.canRedoChanged.connect(redo.setEnabled)
    stack.undoTextChanged.connect(lambda text: _name_undo_action(undo, "&Undo", "Undo", text))
    stack.redoTextChanged.connect(lambda text: _name_undo_action(redo, "&Redo", "Redo", text))


def _name_undo_action(action: QAction, prefix: str, plain: str, text: str) -> None:
    """Menu text naming what Undo/Redo would do; label names in it stay plain (``&`` is not a mnemonic, ``<b>`` is
    not markup)."""
    action.setText(f"{prefix} {text.replace('&', '&&')}".strip())
    action.setToolTip(tooltip_html(f"{plain} {text}".strip()))


Part = TypeVar("Part")


class LazyPart(Generic[Part]):
    """A part of the main window that showing the window does not need (its module imported and the part made on
    first use: start-up, issue 22). ``make()`` imports the part's module and returns the part; ``handlers`` names
    its methods that actions of the action table call, so their actions exist (menus, shortcuts) before the part.
    """

    def __init__(self, make: Callable[[], Part], handlers: Iterable[str]) -> None:
        self._make = make
        self.handlers = frozenset(handlers)
        self.made: Part | None = None

    def get(self) -> Part:
        """The part, made now if it was not yet."""
        if self.made is None:
            self.made = self._make()
        return self.made

    def handler(self, name: str) -> Callable[..., object]:
        """A callable that makes the part if needed and calls its method ``name`` with as many of the arguments an
        action's signal gives (e.g. ``checked``) as the method takes."""

        def call(*args: object) -> object:
            method = getattr(self.get(), name)
            parameters = inspect.signature(method).parameters.values()
            if not any(p.kind is p.VAR_POSITIONAL for p in parameters):
                args = args[: sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters)]
            return method(*args)

        call.__name__ = name
        return call


def handler_in(parts: tuple[object, ...], name: str) -> Callable[..., object]:
    """The method ``name`` of the first of ``parts`` (the window and its parts) that has it: an action's handler.
    A :class:`LazyPart` has it when ``name`` is one of its ``handlers`` (the part is made when the action is first
    triggered).

    Raises
    ------
    AttributeError
        If none has it (an action table entry naming a handler nobody provides).
    """
    for part in parts:
        if isinstance(part, LazyPart):
            if name in part.handlers:
                return part.handler(name)
            continue
        method = getattr(part, name, None)
        if callable(method):
            return method
    raise AttributeError(f"no part of the main window handles {name!r}")
