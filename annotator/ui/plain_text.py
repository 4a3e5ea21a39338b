"""Showing user text (article text, label and file names) as plain text wherever Qt might parse HTML."""

from __future__ import annotations

import html
import unicodedata

from PySide6.QtWidgets import QStatusBar


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
    files, annotators and labels, and one line must not be reordered or broken by what a name holds."""

    def showMessage(self, message: str, timeout: int = 0) -> None:
        """Show ``message`` (with :func:`shown_name` applied) for ``timeout`` ms (0: until replaced)."""
        super().showMessage(shown_name(message), timeout)
