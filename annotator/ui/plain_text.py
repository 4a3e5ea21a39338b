"""Showing user text (article text, label and file names) as plain text wherever Qt might parse HTML."""

from __future__ import annotations

import html


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
