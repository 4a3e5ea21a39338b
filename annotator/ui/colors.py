"""Label colors as Qt colors: a translucent fill for the text background and a solid one for underlines."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from annotator.ui.theme import display_color

FILL_ALPHA = 70
SELECTED_FILL_ALPHA = 140


def label_color(hex_color: str, alpha: int = 255, palette: QPalette | None = None) -> QColor:
    """``QColor`` of a ``#rrggbb`` label color with the given alpha (0-255).

    With ``palette`` (e.g. ``widget.palette()``) the color is the display color for that palette, readable against
    its ``Base`` role (see :func:`annotator.ui.theme.display_color`); without it, the label color as stored.
    """
    if palette is not None:
        return display_color(hex_color, palette, alpha=alpha)
    color = QColor(hex_color)
    color.setAlpha(alpha)
    return color
