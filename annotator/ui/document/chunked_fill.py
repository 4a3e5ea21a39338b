"""Filling a text document in slices from the event loop, so that a huge text never blocks the window.

``QPlainTextEdit.setPlainText`` of a 100 MB text blocks the event loop for many seconds. :class:`ChunkedFill` inserts
the text into a fresh ``QTextDocument`` (not yet shown: the open document stays as it is until the fill is done) a
slice at a time, one slice per event-loop turn, reporting progress; it can be cancelled between slices.

With ``without_gil``, each slice is inserted by Qt's own C++ slot (``QPlainTextEdit.insertPlainText`` of a hidden
helper editor showing the document, called through a queued connection), so the insertion runs in the event loop
without Python's GIL: a worker thread's Python code runs meanwhile on the other core (PySide6 holds the GIL through
``QTextCursor.insertText``, measured: a thread counting in Python got a fifth of its speed during it).
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QTextCursor, QTextDocument, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.model.str_layout import utf16_units

CHUNK = 256 * 1024
"""Code points inserted per event-loop turn: 10-40 ms on a shared 2-core machine (a 1 MB slice took up to 0.2 s)."""

LONG_LINE = 4096
"""Code points from which a line is long: a text with one is not filled through the helper editor (with the helper
attached, each insertion lays out the line the text ends on: a 100k-code-point line filled 997 at a time took 8
times as long, and even after the helper let go of the document, insertions stayed that slow)."""


def has_long_line(text: str) -> bool:
    """Whether ``text`` has a line (between CR or LF breaks) of more than :data:`LONG_LINE` code points. Looked at a
    stride of half that at a time with ``str.find`` (in C): such a line holds a whole stride without a break, so only
    those strides are looked at closer (10 MB of text in a few ms; a regular expression for the run took seconds,
    retrying from every code point of every line)."""
    stride = LONG_LINE // 2
    length = len(text)
    for start in range(0, length, stride):
        end = min(length, start + stride)
        if text.find("\n", start, end) >= 0 or text.find("\r", start, end) >= 0:
            continue
        first = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        breaks = [at for at in (text.find("\n", end), text.find("\r", end)) if at >= 0]
        if (min(breaks) if breaks else length) - first > LONG_LINE:
            return True
    return False


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


class _Slices(QObject):
    """Carries the slices to the helper editor's C++ slot, and then the next step to :class:`ChunkedFill`, both
    queued: events of one sender to one thread are delivered in the order they were posted."""

    piece = Signal(str)
    after = Signal()


def _option_key(option: QTextOption) -> tuple:
    """What a ``QTextOption`` sets, to compare two (it has no ``==``)."""
    return (
        option.wrapMode(), option.alignment(), option.flags(), option.tabStopDistance(), option.tabs(),
        option.textDirection(), option.useDesignMetrics(),
    )  # fmt: skip


class ChunkedFill(QObject):
    """Inserts ``text`` into ``document`` (empty) slice by slice.

    Parameters
    ----------
    text: the document's exact text (code points; line endings kept).
    document: the empty ``QTextDocument`` filled (its layout and options set by whoever made it).
    chunk: code points per slice (a CR LF is never split).
    schedule: runs a step later (default: the next event-loop turn); tests pass one that runs steps when told.
    without_gil: insert each slice through Qt's C++ slot in the event loop (module docstring), not by a Python call
        (then ``schedule`` is not used: each step follows its slice's insertion).
    width: with ``without_gil``, the viewport width (pixels) of the view that will show the document: the helper
        editor gives it to the document's layout while the document is empty, and stays until :meth:`let_go`, so
        that the view's ``setDocument`` with that very width (the helper still the layout's main view) does not lay
        the whole document out again (Qt's relayout: 100 MB, 0.4 s on the GUI thread, and a ``QTextLayout`` per
        line). ``None``: the helper goes when the fill finishes.

    Attributes
    ----------
    loaded: code points inserted so far (with ``without_gil``: handed to Qt for insertion).
    width: as given.

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
        without_gil: bool = False,
        width: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.text = text
        self.document = document
        self.chunk = chunk
        self.width = width
        self.loaded = 0
        self._schedule = schedule or next_turn
        self._cursor = QTextCursor(document)
        self._stopped = False
        self._helper: QPlainTextEdit | None = None
        self._settings: tuple[QFont, QTextOption, float] | None = None
        self._keep = without_gil and width is not None  # the helper, until let_go
        if without_gil:
            self._slices = _Slices(self)
            # what the helper editor changes in the document when shown there, put back when it lets go of it
            self._settings = (document.defaultFont(), document.defaultTextOption(), document.textWidth())
            owner = document.parent()  # the view: the helper goes with it if the window closes mid-fill
            self._helper = QPlainTextEdit(owner if isinstance(owner, QWidget) else None)
            self._helper.hide()  # never shown
            self._helper.resize(0, 0)  # it gives the layout its width: none, lines are not wrapped (as before a view)
            # not wrapped at its (narrow, hidden) width: a slice into a long line lays that line out once, as a cursor's
            # insertion does (a wrapped 100k-code-point line took a hundred times as long)
            self._helper.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            if width is not None:  # the layout's width, given by its main view's setDocument: the view's (see above)
                self._helper.viewport().resize(width, 1)
            self._helper.setDocument(document)
            # nobody to tell about each slice: the document is shown nowhere yet, and a signal to a Python slot (the
            # view's layout forgets its rooms on contentsChanged) waits for the GIL while the open's worker holds it
            # (issue 22); the view that takes the document lays it out anew
            self._signals_blocked = document.blockSignals(True)
            queued = Qt.ConnectionType.QueuedConnection
            self._slices.piece.connect(self._helper.insertPlainText, queued)  # C++ to C++: no GIL
            self._slices.after.connect(self._step, queued)

    @property
    def running(self) -> bool:
        """Whether slices are still to come (started, neither finished nor cancelled)."""
        return not self._stopped and self.loaded < len(self.text)

    def start(self) -> None:
        """Schedule the first slice (an empty text finishes on the first step)."""
        if self._helper is not None:
            self._slices.after.emit()
        else:
            self._schedule(self._step)

    def cancel(self) -> None:
        """Stop before the next slice and say so (``cancelled``); nothing after a finish or a cancel (but a helper
        kept after the finish goes)."""
        if self._stopped:
            self._let_go()
            return
        self._stopped = True
        self._let_go()
        self.cancelled.emit()

    def _let_go(self, keep: bool = False) -> None:
        """The helper editor lets go of the document (deleted now: a slice still queued for it is dropped, and the
        document's layout no longer counts it as its main view) and the document's settings are put back. ``keep``:
        the helper gets no more slices but stays, the layout's main view, until :meth:`let_go`."""
        helper = self._helper
        if helper is None:
            return
        if self._settings is not None:  # once: what the helper changed, put back
            self._slices.piece.disconnect()
            self._slices.after.disconnect()
            self.document.blockSignals(self._signals_blocked)
            font, option, width = self._settings
            self._settings = None
            if not keep:
                self._helper = None
                shiboken6.delete(helper)
            # each setter lays the whole document out anew (100 MB: 0.1-0.3 s each): only what the helper changed
            if self.document.defaultFont() != font:
                self.document.setDefaultFont(font)
            if _option_key(self.document.defaultTextOption()) != _option_key(option):  # the helper's NoWrap
                self.document.setDefaultTextOption(option)
            if self.document.textWidth() != width:
                self.document.setTextWidth(width)
        if not keep and self._helper is not None:
            self._helper = None
            shiboken6.delete(helper)

    def let_go(self) -> None:
        """Delete the helper editor kept after the fill (``width``; nothing when it is gone). Call it right after
        the view's ``setDocument``, before the view can be resized: while the helper is the layout's main view, a
        view narrower than ``width`` would not lay the document out again."""
        self._let_go()

    def _step(self) -> None:
        if self._stopped:
            return
        end = slice_end(self.text, self.loaded, self.chunk)
        if end > self.loaded:
            piece = utf16_units(self.text[self.loaded : end])  # Qt's UTF-16, copied as it is (an emoji's 2 units)
            if self._helper is not None:
                self._slices.piece.emit(piece)  # inserted in the event loop, next
            else:
                self._cursor.movePosition(QTextCursor.MoveOperation.End)
                self._cursor.insertText(piece)
            self.loaded = end
            self.progress.emit(self.loaded, len(self.text))
            if self._helper is not None:
                self._slices.after.emit()  # the next step, once this slice is in (the last: then it finishes)
                return
        if self.loaded < len(self.text):
            self._schedule(self._step)
            return
        self._stopped = True
        self._let_go(keep=self._keep)
        self.finished.emit(self.document)
