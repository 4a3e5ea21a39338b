"""The find bar: a browser-style search strip under the document, with "Label all" for the matches.

The bar speaks Unicode code points into the document's exact text (half-open ``[start, end)``); it never touches the
document view. The window connects its signals: :attr:`FindBar.match_selected` to select and reveal a range,
:attr:`FindBar.matches_changed` to highlight, :attr:`FindBar.label_all_requested` to add spans, and
:attr:`FindBar.closed` to give the focus back to the document.
"""

from __future__ import annotations

import bisect
from typing import Literal

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QToolButton,
    QWidget,
)

from annotator.model.search import find_all

MATCH_LIMIT = 10_000
"""At most this many matches are kept (a one-letter query in a long text can match hundreds of thousands of times:
highlighting or labeling all of them is never what the user wants). Past it the count reads ``"1 of 10000+"``,
navigation runs over the first ``MATCH_LIMIT`` matches, and *Label all* is disabled."""

_Move = Literal["next", "previous", "close"]


def _bar_key(event: QKeyEvent) -> _Move | None:
    """What a key press does in the bar: Enter/F3 next, Shift+Enter/Shift+F3 previous, Escape close."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    key = event.key()
    if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F3):
        if modifiers == Qt.KeyboardModifier.NoModifier:
            return "next"
        if modifiers == Qt.KeyboardModifier.ShiftModifier:
            return "previous"
    if key == Qt.Key.Key_Escape and modifiers == Qt.KeyboardModifier.NoModifier:
        return "close"
    return None


class FindBar(QWidget):
    """Find text in the document, step through the matches, and label them all at once.

    Hidden until :meth:`open_bar`; it searches only while open (closed, it has no matches and emits nothing but
    :attr:`closed`). Every edit of the query and every option change re-runs
    :func:`annotator.model.search.find_all` on the whole text (fast; at most :data:`MATCH_LIMIT` matches are kept).

    Keys while the focus is anywhere in the bar: Enter or F3 = next match, Shift+Enter or Shift+F3 = previous
    (both wrap around), Escape = close. The bar claims these keys before window shortcuts (it accepts their
    ``ShortcutOverride``), so a window action bound to Escape does not fire while the user is finding.

    Which match becomes current: typing selects the first match at or after the *origin*, which is the caret
    given by :meth:`set_caret` (0 for a new text), or the start of the last match navigated to. So the search runs
    forward from where the user was, like a browser's.

    Parameters
    ----------
    parent : QWidget or None
    match_limit : int
        Most matches kept (default :data:`MATCH_LIMIT`).

    Signals
    -------
    match_selected(int, int)
        The current match changed to code points ``[start, end)``: emitted by :meth:`find_next` and
        :meth:`find_previous` every time (even when they land on the same, only match, so the window can reveal it
        again), and by a re-search (typing, an option, :meth:`set_text`, :meth:`open_bar`) when the current
        match's range differs from before.
    matches_changed(list)
        All matches as a new ``list[tuple[int, int]]`` of code-point ranges in text order (empty when nothing
        matches or the bar closes); emitted only when the list changes. For highlighting.
    label_all_requested(str, list)
        The user asked to label every match: the label name chosen in the bar and a new
        ``list[tuple[int, int]]`` of the match ranges (non-overlapping, in text order, never empty).
    closed()
        The bar was closed (Escape, its close button, or :meth:`close_bar`); it is hidden already.
    """

    match_selected = Signal(int, int)
    matches_changed = Signal(list)
    label_all_requested = Signal(str, list)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None, *, match_limit: int = MATCH_LIMIT) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._match_limit = max(1, match_limit)
        self._text = ""
        self._matches: list[tuple[int, int]] = []
        self._truncated = False
        self._current = -1
        self._origin = 0  # code point the search starts from
        self._caret_moved = False  # set_caret was called since the last next/previous
        self._open = False

        self._query = QLineEdit()
        self._query.setObjectName("findQuery")
        self._query.setPlaceholderText("Find")
        self._query.setClearButtonEnabled(True)
        self._query.setMinimumWidth(140)
        self._query.setAccessibleName("Find")
        self._match_case = QCheckBox("Case")  # short texts keep the bar narrow beside the side panels
        self._match_case.setObjectName("findMatchCase")
        self._match_case.setToolTip("Match case")
        self._whole_words = QCheckBox("Words")
        self._whole_words.setObjectName("findWholeWords")
        self._whole_words.setToolTip("Whole words only (Unicode word boundaries)")
        self._count = QLabel()
        self._count.setObjectName("findCount")
        self._count.setTextFormat(Qt.TextFormat.PlainText)
        self._count.setMinimumWidth(self._count.fontMetrics().horizontalAdvance("00000 of 00000+"))
        self._previous = self._tool_button("findPrevious", "Previous match (Shift+Enter)")
        self._previous.setArrowType(Qt.ArrowType.UpArrow)
        self._next = self._tool_button("findNext", "Next match (Enter)")
        self._next.setArrowType(Qt.ArrowType.DownArrow)
        self._label = QComboBox()
        self._label.setObjectName("findLabel")
        self._label.setAccessibleName("Label for Label all")
        self._label_all = QPushButton("Label all")
        self._label_all.setObjectName("findLabelAll")
        self._label_all.setAutoDefault(False)
        self._close = self._tool_button("findClose", "Close (Escape)")
        self._close.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        for widget in (self._query, self._match_case, self._whole_words, self._count, self._previous, self._next):
            layout.addWidget(widget)
        layout.addSpacing(12)
        layout.addWidget(self._label)
        layout.addWidget(self._label_all)
        layout.addStretch(1)
        layout.addWidget(self._close)

        self._query.textChanged.connect(self._research)
        self._match_case.toggled.connect(self._research)
        self._whole_words.toggled.connect(self._research)
        self._previous.clicked.connect(self.find_previous)
        self._next.clicked.connect(self.find_next)
        self._label_all.clicked.connect(self.label_all)
        self._close.clicked.connect(self.close_bar)
        self._update_controls()
        self.hide()

    def _tool_button(self, name: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys do what they do; Tab skips them
        button.setAutoRaise(True)
        return button

    # -- the window's side ------------------------------------------------------------------------------------
    def set_text(self, text: str | None) -> None:
        """Search ``text``, the document's exact text (``None``: no document). The origin goes back to 0 and,
        if the bar is open, the search re-runs (emitting :attr:`matches_changed` and :attr:`match_selected`)."""
        self._text = text or ""
        self._origin = 0
        self._caret_moved = False
        self._current = -1
        self._research(force=True)

    def set_label_names(self, names: list[str]) -> None:
        """Offer ``names`` (plain text, in this order) for *Label all*; the chosen name is kept if still offered."""
        chosen = self._label.currentText()
        with QSignalBlocker(self._label):
            self._label.clear()
            self._label.addItems(list(names))
            if chosen in names:
                self._label.setCurrentIndex(list(names).index(chosen))
        self._update_controls()

    def set_caret(self, cp: int) -> None:
        """The user moved the caret to code point ``cp`` (clamped to the text): the next :meth:`find_next` goes to
        the first match starting at or after ``cp``, :meth:`find_previous` to the last one starting before it, and
        typing searches from ``cp``. When that target is the current match, next/previous step one further, so
        feeding back the selection of the match just selected is harmless. Emits nothing."""
        self._origin = max(0, min(int(cp), len(self._text)))
        self._caret_moved = True

    def open_bar(self, query: str | None = None) -> None:
        """Show the bar and focus the query field with its text selected. With ``query`` (e.g. the selected
        text), the field is set to it first. Searching starts (or restarts, for a new query) at once."""
        was_open = self._open
        self._open = True
        self.show()
        if query is not None and query != self._query.text():
            with QSignalBlocker(self._query):
                self._query.setText(query)
            self._research()
        elif not was_open:
            self._research()
        self._query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._query.selectAll()

    def close_bar(self) -> None:
        """Hide the bar, drop its matches (emitting :attr:`matches_changed` with ``[]`` if there were any) and emit
        :attr:`closed`. The query and options are kept for the next :meth:`open_bar`. Does nothing when closed."""
        if not self._open:
            return
        self._open = False
        self._research()
        self.hide()
        self.closed.emit()

    # -- state ------------------------------------------------------------------------------------------------
    def is_open(self) -> bool:
        """Whether the bar is open (searching)."""
        return self._open

    def query(self) -> str:
        """The query as typed."""
        return self._query.text()

    def matches(self) -> list[tuple[int, int]]:
        """A copy of the matches: code-point ranges ``[start, end)`` in text order (at most the match limit;
        ``[]`` while closed)."""
        return list(self._matches)

    def current_index(self) -> int:
        """Index of the current match in :meth:`matches`, or -1 when there is none."""
        return self._current

    # -- actions ----------------------------------------------------------------------------------------------
    def find_next(self) -> None:
        """Make the next match current (wrapping from the last to the first) and emit :attr:`match_selected`.
        After :meth:`set_caret`, "next" is the first match starting at or after the caret. No matches: nothing."""
        if not self._matches:
            return
        if self._caret_moved:
            index = bisect.bisect_left(self._matches, self._origin, key=lambda m: m[0])
            if index == self._current:
                index += 1
        else:
            index = self._current + 1
        self._go_to(index % len(self._matches))

    def find_previous(self) -> None:
        """Make the previous match current (wrapping from the first to the last) and emit :attr:`match_selected`.
        After :meth:`set_caret`, "previous" is the last match starting before the caret. No matches: nothing."""
        if not self._matches:
            return
        if self._caret_moved:
            index = bisect.bisect_left(self._matches, self._origin, key=lambda m: m[0]) - 1
            if index == self._current:
                index -= 1
        else:
            index = self._current - 1
        self._go_to(index % len(self._matches))

    def label_all(self) -> None:
        """Emit :attr:`label_all_requested` with the chosen label and every match (what the *Label all* button
        does); nothing when the button is disabled (no matches, no labels, or too many matches)."""
        if self._label_all.isEnabled():
            self.label_all_requested.emit(self._label.currentText(), list(self._matches))

    def _go_to(self, index: int) -> None:
        self._current = index
        self._origin = self._matches[index][0]
        self._caret_moved = False
        self._update_controls()
        self.match_selected.emit(*self._matches[index])

    def _research(self, *, force: bool = False) -> None:
        """Search again; ``force`` re-emits :attr:`matches_changed` (when open) even if the matches are equal."""
        query = self._query.text()
        found: list[tuple[int, int]] = []
        if self._open and query and self._text:
            found = find_all(
                self._text,
                query,
                case_sensitive=self._match_case.isChecked(),
                whole_word=self._whole_words.isChecked(),
                limit=self._match_limit + 1,  # one more tells that there are more
            )
        self._truncated = len(found) > self._match_limit
        if self._truncated:
            found = found[: self._match_limit]
        before = self._matches[self._current] if self._current >= 0 else None
        changed = found != self._matches or (force and self._open)
        self._matches = found
        self._current = -1
        if found:
            index = bisect.bisect_left(found, self._origin, key=lambda m: m[0])
            self._current = index if index < len(found) else 0
        self._update_controls()
        if changed:
            self.matches_changed.emit(list(found))
        if self._current >= 0 and found[self._current] != before:
            self.match_selected.emit(*found[self._current])

    def _update_controls(self) -> None:
        count = len(self._matches)
        if not self._query.text():
            self._count.setText("")
        elif not count:
            self._count.setText("No matches")
        else:
            self._count.setText(f"{self._current + 1} of {count}{'+' if self._truncated else ''}")
        self._previous.setEnabled(count > 0)
        self._next.setEnabled(count > 0)
        has_labels = self._label.count() > 0
        self._label.setEnabled(has_labels)
        self._label_all.setEnabled(count > 0 and has_labels and not self._truncated)
        if self._truncated:
            self._label_all.setToolTip(f"Too many matches to label at once (more than {self._match_limit}).")
        else:
            self._label_all.setToolTip("Label every match with the chosen label.")

    # -- keys -------------------------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        # Claim Enter, F3 and Escape before window shortcuts do (a child's unhandled override reaches the bar).
        if event.type() == QEvent.Type.ShortcutOverride and _bar_key(event) is not None:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        move = _bar_key(event)
        if move == "next":
            self.find_next()
        elif move == "previous":
            self.find_previous()
        elif move == "close":
            self.close_bar()
        else:
            super().keyPressEvent(event)
            return
        event.accept()
