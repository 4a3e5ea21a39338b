"""Light, dark or system theme for the whole application, and label colors made readable on its palette.

Theme changes are announced the Qt way, by ``QEvent.PaletteChange``; there is no extra signal. :func:`apply_theme`
sets the application palette, and Qt then sends ``PaletteChange`` (to ``changeEvent``) to every widget that has no
palette of its own; it does the same when the operating system switches between light and dark while the choice is
``"system"``. Qt delivers these through the event loop: right after :func:`apply_theme` returns,
``QApplication.palette()`` is the new one but ``widget.palette()`` is not yet (tests wait for it, e.g. with
``qtbot.waitUntil``). A widget that caches colors derived from its palette (stylesheets, highlighter formats)
rebuilds them in ``changeEvent`` on ``QEvent.Type.PaletteChange``; a widget that computes its colors in
``paintEvent`` from ``self.palette()`` needs nothing more, since a palette change repaints it.

The label colors of a label set are chosen for a white page; :func:`display_color` adjusts one for the palette in
use (WCAG non-text contrast 3:1 against the ``Base`` role by default, see :mod:`annotator.ui.contrast`).
"""

from __future__ import annotations

from typing import Literal, get_args

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from annotator.ui.contrast import NON_TEXT_MIN_RATIO, is_dark, readable_color

__all__ = [
    "THEME_CHOICES",
    "ThemeChoice",
    "apply_theme",
    "current_theme",
    "dark_palette",
    "display_color",
    "is_dark_palette",
    "light_palette",
]

ThemeChoice = Literal["system", "light", "dark"]
THEME_CHOICES: tuple[str, ...] = get_args(ThemeChoice)
"""The accepted theme choices, in menu order."""

FORCED_STYLE = "Fusion"
"""Style used when a theme is forced: it draws everything from the palette, so the palette alone sets the look."""

_THEME_PROPERTY = "annotatorTheme"
_ORIGINAL_STYLE_PROPERTY = "annotatorOriginalStyle"

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

_DARK = {
    _Role.Window: "#262626",
    _Role.WindowText: "#e8e8e8",
    _Role.Base: "#1e1e1e",
    _Role.AlternateBase: "#2c2c2c",
    _Role.ToolTipBase: "#333333",
    _Role.ToolTipText: "#e8e8e8",
    _Role.PlaceholderText: "#8f8f8f",
    _Role.Text: "#e8e8e8",
    _Role.Button: "#333333",
    _Role.ButtonText: "#e8e8e8",
    _Role.BrightText: "#ff6b6b",
    _Role.Light: "#4d4d4d",
    _Role.Midlight: "#404040",
    _Role.Mid: "#555555",
    _Role.Dark: "#1a1a1a",
    _Role.Shadow: "#0a0a0a",
    _Role.Highlight: "#2f6bc4",
    _Role.HighlightedText: "#ffffff",
    _Role.Link: "#7ab8ff",
    _Role.LinkVisited: "#c49bff",
}
_DARK_DISABLED = {
    _Role.WindowText: "#7a7a7a",
    _Role.Text: "#7a7a7a",
    _Role.ButtonText: "#7a7a7a",
    _Role.Highlight: "#3d3d3d",
    _Role.HighlightedText: "#9a9a9a",
    _Role.PlaceholderText: "#5f5f5f",
}
_LIGHT = {
    _Role.Window: "#efefef",
    _Role.WindowText: "#000000",
    _Role.Base: "#ffffff",
    _Role.AlternateBase: "#f5f5f5",
    _Role.ToolTipBase: "#ffffdc",
    _Role.ToolTipText: "#000000",
    _Role.PlaceholderText: "#6e6e6e",
    _Role.Text: "#000000",
    _Role.Button: "#efefef",
    _Role.ButtonText: "#000000",
    _Role.BrightText: "#ffffff",
    _Role.Light: "#ffffff",
    _Role.Midlight: "#cacaca",
    _Role.Mid: "#b8b8b8",
    _Role.Dark: "#9f9f9f",
    _Role.Shadow: "#767676",
    _Role.Highlight: "#308cc6",
    _Role.HighlightedText: "#ffffff",
    _Role.Link: "#0000ff",
    _Role.LinkVisited: "#ff00ff",
}
_LIGHT_DISABLED = {
    _Role.WindowText: "#8c8c8c",
    _Role.Text: "#8c8c8c",
    _Role.ButtonText: "#8c8c8c",
    _Role.Base: "#efefef",
    _Role.Highlight: "#919191",
    _Role.HighlightedText: "#ffffff",
}


def _palette(colors: dict[QPalette.ColorRole, str], disabled: dict[QPalette.ColorRole, str]) -> QPalette:
    palette = QPalette()
    for role, color in colors.items():
        palette.setColor(_Group.All, role, QColor(color))
    if hasattr(_Role, "Accent"):  # Qt 6.6+
        palette.setColor(_Group.All, _Role.Accent, QColor(colors[_Role.Highlight]))
    for role, color in disabled.items():
        palette.setColor(_Group.Disabled, role, QColor(color))
    return palette


def dark_palette() -> QPalette:
    """The explicit palette of the forced dark theme (every role set, active, inactive and disabled groups)."""
    return _palette(_DARK, _DARK_DISABLED)


def light_palette() -> QPalette:
    """The explicit palette of the forced light theme (every role set, active, inactive and disabled groups)."""
    return _palette(_LIGHT, _LIGHT_DISABLED)


def apply_theme(app: QApplication, choice: str) -> None:
    """Switch the whole application to the ``"system"``, ``"light"`` or ``"dark"`` theme.

    ``"light"`` and ``"dark"`` force the look: the Fusion style with an explicit palette (:func:`light_palette`,
    :func:`dark_palette`), so it holds on every platform, including offscreen and bare X11 where the OS gives no
    dark palette; on Qt ≥ 6.8 the color scheme hint is also forced, so native parts (title bars, dialogs) follow
    where the platform supports it. ``"system"`` undoes all of that: the style the application started with, the
    platform's palette, and the OS color scheme (``QStyleHints.colorScheme()``), which Qt then follows live.

    Widgets are told through ``QEvent.PaletteChange``, delivered by the event loop (see the module docstring).
    Applying the current choice again is harmless.

    Parameters
    ----------
    app: the running application.
    choice: one of :data:`THEME_CHOICES`.

    Raises
    ------
    ValueError
        On any other ``choice``.
    """
    if choice not in THEME_CHOICES:
        raise ValueError(f"theme must be one of {', '.join(THEME_CHOICES)}, not {choice!r}")
    original_style = app.property(_ORIGINAL_STYLE_PROPERTY)
    if original_style is None:
        original_style = app.style().name()
        app.setProperty(_ORIGINAL_STYLE_PROPERTY, original_style)
    hints = app.styleHints()
    if choice == "system":
        if hasattr(hints, "unsetColorScheme"):  # Qt 6.8+
            hints.unsetColorScheme()
        _set_style(app, original_style)
        app.setPalette(QPalette())  # an empty palette means "the platform's" again, tracking OS changes
    else:
        dark = choice == "dark"
        if hasattr(hints, "setColorScheme"):  # Qt 6.8+
            hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
        _set_style(app, FORCED_STYLE)
        app.setPalette(dark_palette() if dark else light_palette())
    app.setProperty(_THEME_PROPERTY, choice)


def _set_style(app: QApplication, name: str) -> None:
    if app.style().name().casefold() != name.casefold():
        app.setStyle(name)


def current_theme(app: QApplication) -> str:
    """The choice last given to :func:`apply_theme` (``"system"`` before any)."""
    return app.property(_THEME_PROPERTY) or "system"


def is_dark_palette(palette: QPalette) -> bool:
    """Whether ``palette`` looks dark: its ``Window`` color is dark in the sense of :func:`contrast.is_dark`."""
    return is_dark(palette.color(_Role.Window).name())


def display_color(
    hex_color: str,
    palette: QPalette,
    *,
    alpha: int = 255,
    role: QPalette.ColorRole = _Role.Base,
    min_ratio: float = NON_TEXT_MIN_RATIO,
) -> QColor:
    """The color to draw a label color with on ``palette``: readable against its ``role`` color (``Base``, the
    document's background, by default), with the given alpha.

    The hue is kept; the color is lightened on a dark background and darkened on a light one just enough to reach
    ``min_ratio`` (see :func:`annotator.ui.contrast.readable_color`), and is unchanged when it already does.

    Parameters
    ----------
    hex_color: the label color, ``#rrggbb``.
    palette: the palette it is drawn on, usually ``widget.palette()``.
    alpha: opacity 0-255 of the returned color (255 for underlines, ``colors.FILL_ALPHA`` for tints).
    role: the palette role of the background the color is drawn on.
    min_ratio: the WCAG contrast ratio to reach (3:1 for graphical objects).

    Raises
    ------
    ValueError
        On a malformed ``hex_color`` (the palette's own colors are always well formed).
    """
    color = QColor(readable_color(hex_color, palette.color(role).name(), min_ratio))
    color.setAlpha(alpha)
    return color
