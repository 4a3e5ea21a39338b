"""Label colors as Qt colors: a translucent fill for the text background and a solid one for underlines."""

from __future__ import annotations

from PySide6.QtGui import QColor

FILL_ALPHA = 70
SELECTED_FILL_ALPHA = 140


def label_color(hex_color: str, alpha: int = 255) -> QColor:
    """``QColor`` of a ``#rrggbb`` label color with the given alpha (0-255)."""
    color = QColor(hex_color)
    color.setAlpha(alpha)
    return color
