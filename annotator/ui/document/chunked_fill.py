"""Filling a text document in slices from the event loop, so that a huge text never blocks the window.

``QPlainTextEdit.setPlainText`` of a 100 MB text blocks the event loop for many seconds. :class:`ChunkedFill` inserts
the text into a fresh ``QTextDocument`` (not yet shown: the open document stays as it is until the fill is done) a
slice at a time, one slice per event-loop turn, reporting progress; it can be cancelled between slices.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor, QTextDocument

CHUNK = 256 * 1024
"""Code points inserted per event-loop turn: 10-40 ms on a shared 2-core machine (a 1 MB slice took up to 0.2 s)."""

Schedule = Callable[[Callable[[], None]], None]


def next_turn(step: Callable[[], None]) -> None:
    """Run ``step`` on the next turn of the event loop (after the events waiting now)."""
    QTimer.singleShot(0, step)


def slice_end(text: str, start: int, size: int) -> int:
    """Where the slice of ``text`` from ``start`` of about ``size`` code points ends: never between the CR and the
    LF of a CR LF (Qt would make two line breaks of them when they come in two insertions)."""
    end = min(len(text), start + max(1, size))
    if end < len(text) and text[end - 1] == "\r" and text[end] == "\n":
        end += 1
    return end


class ChunkedFill(QObject):
    """Inserts ``text`` into ``document`` (empty) slice by slice.

    Parameters
    ----------
    text: the document's exact text (code points; line endings kept).
    document: the empty ``QTextDocument`` filled (its layout and options set by whoever made it).
    chunk: code points per slice (a CR LF is never split).
    schedule: runs a step later (default: the next event-loop turn); tests pass one that runs steps when told.

    Attributes
    ----------
    loaded: code points inserted so far.

    Signals
    -------
    progress(int, int): code points inserted so far, and in all (after each slice).
    finished(object): every slice is in; the filled document.
    cancelled(): :meth:`cancel` stopped the fill (the document is left part-filled, for its owner to drop).
    """

    progress = Signal(int, int)
    finished = Signal(object)
    cancelled = Signal()

    def __init__(
        self,
        text: str,
        document: QTextDocument,
        chunk: int = CHUNK,
        schedule: Schedule | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.text = text
        self.document = document
        self.chunk = chunk
        self.loaded = 0
        self._schedule = schedule or next_turn
        self._cursor = QTextCursor(document)
        self._stopped = False

    @property
    def running(self) -> bool:
        """Whether slices are still to come (started, neither finished nor cancelled)."""
        return not self._stopped and self.loaded < len(self.text)

    def start(self) -> None:
        """Schedule the first slice (an empty text finishes on the first step)."""
        self._schedule(self._step)

    def cancel(self) -> None:
        """Stop before the next slice and say so (``cancelled``); nothing after a finish or a cancel."""
        if self._stopped:
            return
        self._stopped = True
        self.cancelled.emit()

    def _step(self) -> None:
        if self._stopped:
            return
        end = slice_end(self.text, self.loaded, self.chunk)
        if end > self.loaded:
            self._cursor.movePosition(QTextCursor.MoveOperation.End)
            self._cursor.insertText(self.text[self.loaded : end])
            self.loaded = end
            self.progress.emit(self.loaded, len(self.text))
        if self.loaded < len(self.text):
            self._schedule(self._step)
        else:
            self._stopped = True
            self.finished.emit(self.document)
