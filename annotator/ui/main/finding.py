"""Finding text in the open document: the find bar, its matches shown in the view, and the side panels' widths
given back when it closes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget

from annotator.ui.controller import AnnotationController
from annotator.ui.document.document_view import DocumentView
from annotator.ui.document.find_bar import FindBar
from annotator.ui.document.span_table import SpanListPanel
from annotator.ui.plain_text import one_line


class Finding:
    """The find bar's commands.

    Parameters
    ----------
    controller: the annotation controller (the open document's text).
    view, find_bar, span_list: the widgets it drives.
    spans_dock, documents_dock: the side docks (one per side) whose widths the find bar may squeeze while open.
    resize_docks: :meth:`QMainWindow.resizeDocks` of the window holding them.
    """

    def __init__(
        self,
        controller: AnnotationController,
        view: DocumentView,
        find_bar: FindBar,
        span_list: SpanListPanel,
        spans_dock: QDockWidget,
        documents_dock: QDockWidget,
        resize_docks: Callable[[list[QDockWidget], list[int], Qt.Orientation], None],
    ) -> None:
        self.controller = controller
        self.view = view
        self.find_bar = find_bar
        self.span_list = span_list
        self.spans_dock = spans_dock
        self.documents_dock = documents_dock
        self._resize_docks = resize_docks
        self._dock_widths: list[tuple[QDockWidget, int]] = []
        find_bar.match_selected.connect(self._on_match_selected)
        find_bar.matches_changed.connect(self._on_matches_changed)
        find_bar.closed.connect(self._on_find_closed)

    def open_find(self) -> None:
        """Show the find bar; a short one-line selection becomes the query."""
        if self.controller.annotations is None:
            return
        query = None
        selected = self.view.selected_range()
        if selected is not None:
            text = self.controller.annotations.text[selected[0] : selected[1]]
            if len(text) <= 200 and one_line(text, 1000) == text:
                query = text
        self.find_bar.set_caret(self.view.caret() if selected is None else selected[0])
        if self.find_bar.isHidden():  # the bar may squeeze the side panels while open; they get their width back
            self._dock_widths = [(d, d.width()) for d in self._side_docks() if d.isVisible() and not d.isFloating()]
        self.find_bar.open_bar(query)

    def find_next(self) -> None:
        """Go to the next match (opens the find bar if it is hidden)."""
        if not self.find_bar.isVisible():
            self.open_find()
            return
        self.find_bar.find_next()

    def find_previous(self) -> None:
        """Go to the previous match."""
        if not self.find_bar.isVisible():
            self.open_find()
            return
        self.find_bar.find_previous()

    def _on_match_selected(self, start: int, end: int) -> None:
        self.view.select_range(start, end)
        self.view.set_search_matches(self.find_bar.matches(), (start, end))

    def _on_matches_changed(self, matches: list) -> None:
        index = self.find_bar.current_index()
        current = matches[index] if 0 <= index < len(matches) else None
        self.view.set_search_matches(matches, current)

    def _on_find_closed(self) -> None:
        self.view.set_search_matches([])
        self.view.setFocus()
        widths = [(d, w) for d, w in self._dock_widths if d.isVisible() and not d.isFloating()]
        if widths:
            QTimer.singleShot(
                0, lambda: self._resize_docks([d for d, _ in widths], [w for _, w in widths], Qt.Orientation.Horizontal)
            )
        self._dock_widths = []

    def _side_docks(self) -> list[QDockWidget]:
        """One dock per side area (the others there share its width)."""
        return [self.documents_dock, self.spans_dock]

    def focus_span_filter(self) -> None:
        """Put the focus in the span list's text filter."""
        self.spans_dock.show()
        self.span_list.focus_filter()

    def focus_document(self) -> None:
        """Put the focus back in the document."""
        self.view.setFocus()
