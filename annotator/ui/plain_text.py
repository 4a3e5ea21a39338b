"""Showing user text (article text, label and file names) as plain text wherever Qt might parse HTML."""

from __future__ import annotations

import html
import math
import re
import unicodedata

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizeGrip, QStatusBar, QStyle, QStyleOption, QWidget


def tooltip_html(text: str) -> str:
    """A tooltip string that shows ``text`` literally: Qt treats tooltips that look like HTML as HTML, so the text is
    escaped and wrapped in an explicit rich-text container (line breaks kept)."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def button_text(text: str) -> str:
    """Button text with ``&`` doubled, so Qt shows it instead of making a keyboard mnemonic."""
    return text.replace("&", "&&")


def one_line(text: str, limit: int = 80) -> str:
    """``text`` on one line (line breaks shown as ⏎, tabs as spaces), shortened with … past ``limit`` characters."""
    flat = text.replace("\r\n", "⏎").replace("\r", "⏎").replace("\n", "⏎").replace("\u2028", "⏎")
    flat = flat.replace("\u2029", "⏎").replace("\t", " ")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


_KEPT_FORMAT = frozenset("\u200c\u200d")  # zero-width (non-)joiners: part of how many scripts spell words
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown_name(name: str) -> str:
    """``name`` (a file, annotator, label or project name) with its invisible characters made visible, so that
    nothing can hide or reorder what is shown: line breaks and tabs as ``\\n``, ``\\r``, ``\\t``; other control
    characters, line and paragraph separators and format characters (right-to-left overrides and isolates,
    direction marks, zero-width spaces, the BOM...) as ``\\u202e`` (``\\U000e0041`` past U+FFFF). Zero-width
    joiners and non-joiners stay (words of several scripts need them). ``"invoice\\u202egnp.exe"`` is shown as
    ``invoice\\u202egnp.exe``, not as "invoiceexe.png"."""
    if name.isprintable():  # the usual case, checked at C speed (item views ask on every paint)
        return name
    out = []
    for character in name:
        category = unicodedata.category(character)
        if character in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[character])
        elif category in ("Cc", "Zl", "Zp", "Cs") or (category == "Cf" and character not in _KEPT_FORMAT):
            code = ord(character)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(character)
    return "".join(out)


class NameSafeStatusBar(QStatusBar):
    """A status bar whose messages show invisible characters visibly (:func:`shown_name`): its messages name
    files, annotators and labels, and one line must not be reordered or broken by what a name holds.

    A message too long for the room beside the permanent widgets (caret, counts, "Read-only"...) ends in "…" there
    (``QStatusBar`` cuts it off mid-letter), with the whole message as the tooltip; :meth:`currentMessage` is the whole
    message."""

    MESSAGE_MARGIN = 4  # px before a message (QStatusBar's own starts at 6: see __init__ for its repaint)
    MESSAGE_GAP = 8  # px between a message and the first permanent widget

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messageChanged.connect(self._update_tooltip)
        # QStatusBar asks for a repaint of its own message area only (6 px in from its leading edge, 12 from the
        # trailing one), narrower than the room drawn here: the first 2 px of the message before stayed on the
        # screen (an "O" left a "(", seen under Xvfb), so the whole bar is repainted when the message changes
        self.messageChanged.connect(self._repaint_later)

    def _items(self) -> list[QWidget]:
        return [
            child
            for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if child.isVisible()
        ]

    def message_rect(self) -> QRect:
        """Where the message is drawn (pixels): from the leading edge to the nearest visible permanent widget or
        size grip (the trailing side in a right-to-left layout)."""
        items = [child.geometry() for child in self._items()]
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            left = max((r.right() + 1 for r in items), default=0) + self.MESSAGE_GAP
            return QRect(left, 0, max(0, self.width() - self.MESSAGE_MARGIN - left), self.height())
        right = min((r.left() for r in items), default=self.width())
        return QRect(self.MESSAGE_MARGIN, 0, max(0, right - self.MESSAGE_GAP - self.MESSAGE_MARGIN), self.height())

    def shown_message(self) -> str:
        """The message as drawn: elided with "…" to fit :meth:`message_rect`."""
        metrics = self.fontMetrics()
        return metrics.elidedText(self.currentMessage(), Qt.TextElideMode.ElideRight, self.message_rect().width())

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.currentMessage():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter, self)
        for child in self._items():  # the frames QStatusBar draws around its permanent widgets
            if isinstance(child, QSizeGrip):
                continue
            frame = QStyleOption()
            frame.rect = child.geometry().adjusted(-2, -1, 2, 1)
            frame.palette = self.palette()
            frame.state = QStyle.StateFlag.State_None
            self.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameStatusBarItem, frame, painter, child)
        painter.setPen(self.palette().windowText().color())
        flags = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine
        painter.drawText(self.message_rect(), int(flags), self.shown_message())
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def _repaint_later(self, *_: object) -> None:
        self.update()

    def _update_tooltip(self, *_: object) -> None:
        message = self.currentMessage()
        self.setToolTip(tooltip_html(message) if message and self.shown_message() != message else "")

    def showMessage(self, message: str, timeout: int = 0) -> None:
        """Show ``message`` (with :func:`shown_name` applied) for ``timeout`` ms (0: until replaced)."""
        super().showMessage(shown_name(message), timeout)

    def show_with_text(self, message: str, text: str, timeout: int = 0, limit: int = 40) -> None:
        """Show ``message`` with ``{text}`` in it replaced by a quotation of article text: the text as it is (its
        zero-width and direction marks are part of the article, not escaped), on one line, at most ``limit``
        characters (:func:`quoted_text`), while the rest of ``message`` is shown as :meth:`showMessage` shows it."""
        before, _, after = message.rpartition("{text}")  # the last: a name before it may hold "{text}" itself
        super().showMessage(shown_name(before) + quoted_text(text, limit) + shown_name(after), timeout)


_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def quoted_text(text: str, limit: int = 40) -> str:
    """Article text to quote inside a line of the interface: :func:`one_line`, set apart as its own direction run
    (between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, so right-to-left text reads right
    and cannot reorder the words around it), with its own embedding, override and isolate characters (which could
    reach out of that run) shown as ``\u202e`` escapes. Other characters, zero-width ones included, stay."""
    flat = one_line(text, limit)
    return "\u2068" + _DIRECTION_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", flat) + "\u2069"


class ElidedLabel(QLabel):
    """A one-line label of plain text (never parsed as HTML), cut with "…" at its end to the width the layout gives
    it. It asks for its whole text's width (:meth:`sizeHint`) but needs none (:meth:`minimumSizeHint`: 0 pixels wide,
    unless a minimum width is set), so a long text, a file name say, never widens the window; the whole text is its
    tooltip when cut. :meth:`setText` and :meth:`text` take and give the whole text (Qt itself draws the cut one)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._whole = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # type: ignore[override]
        """Show ``text`` (cut to the label's width); the same text again changes nothing (no Qt call: a progress
        step sets it again while a worker holds Python's GIL)."""
        if text == self._whole:
            return
        self._whole = text
        self.updateGeometry()  # its size hint changed
        self._cut()

    def text(self) -> str:  # type: ignore[override]
        """The whole text (as given to :meth:`setText`), not the cut one drawn."""
        return self._whole

    def shown_text(self) -> str:
        """The text as drawn: cut with "…" to the label's width."""
        return super().text()

    def sizeHint(self) -> QSize:
        """The whole text's size in pixels (its advance rounded up, with the margins): what it takes when there is
        room."""
        margins = self.contentsMargins()
        advance = math.ceil(QFontMetricsF(self.font()).horizontalAdvance(self._whole))
        width = advance + margins.left() + margins.right() + 2 * self.margin()
        return QSize(width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        """No width (pixels) of its own: the text is cut instead."""
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._cut()

    def setMargin(self, margin: int) -> None:  # type: ignore[override]
        """Pixels of margin around the text (the text cut again to the room left)."""
        super().setMargin(margin)
        self.updateGeometry()
        self._cut()

    def clear(self) -> None:  # type: ignore[override]
        """No text (what :meth:`setText` is given next is shown, even the text before)."""
        self.setText("")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()
            self._cut()
        elif event.type() == QEvent.Type.ContentsRectChange:  # margins or indent: other room, no resize
            self._cut()

    def _cut(self) -> None:
        """Draw the whole text cut to the room inside the label's margins (pixels)."""
        room = self.contentsRect().width() - 2 * self.margin()
        shown = self.fontMetrics().elidedText(self._whole, Qt.TextElideMode.ElideRight, max(0, room))
        if shown != super().text():
            super().setText(shown)
        self.setToolTip(tooltip_html(self._whole) if shown != self._whole else "")
