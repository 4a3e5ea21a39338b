"""Color contrast (WCAG 2.x) and readable label colors. Pure Python: no Qt, so it is tested without a display.

Definitions follow WCAG 2.1, https://www.w3.org/TR/WCAG21/#dfn-relative-luminance and
https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio (sRGB channels linearised with the 0.03928 threshold the
recommendation gives; the 0.04045 of IEC 61966-2-1 makes no difference at 8 bits per channel).
"""

from __future__ import annotations

import colorsys
import re
from functools import lru_cache

__all__ = [
    "NON_TEXT_MIN_RATIO",
    "contrast_ratio",
    "is_dark",
    "parse_hex",
    "readable_color",
    "relative_luminance",
    "to_hex",
]

NON_TEXT_MIN_RATIO = 3.0
"""WCAG 2.1 success criterion 1.4.11 (non-text contrast): graphical objects need 3:1 against adjacent colors."""

_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")
_BISECT_STEPS = 40  # lightness is bisected to 2**-40, far finer than one 8-bit step


def parse_hex(hex_color: str) -> tuple[int, int, int]:
    """The ``(red, green, blue)`` channels (0-255 each) of a ``#rrggbb`` color.

    Raises
    ------
    ValueError
        When ``hex_color`` is not ``#`` followed by exactly six hex digits.
    """
    match = _HEX.fullmatch(hex_color)
    if match is None:
        raise ValueError(f"color must be #rrggbb, not {hex_color!r}")
    digits = match.group(1)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(red: int, green: int, blue: int) -> str:
    """``#rrggbb`` (lower case) of channels 0-255."""
    return f"#{red:02x}{green:02x}{blue:02x}"


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(rgb: tuple[int, int, int]) -> float:
    red, green, blue = rgb
    return 0.2126 * _linear(red) + 0.7152 * _linear(green) + 0.0722 * _linear(blue)


def relative_luminance(hex_color: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` color: 0.0 for black to 1.0 for white.

    Raises
    ------
    ValueError
        On a malformed color (see :func:`parse_hex`).
    """
    return _luminance(parse_hex(hex_color))


def _ratio(lum_a: float, lum_b: float) -> float:
    lighter, darker = max(lum_a, lum_b), min(lum_a, lum_b)
    return (lighter + 0.05) / (darker + 0.05)


def contrast_ratio(hex_a: str, hex_b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colors, from 1.0 (same luminance) to 21.0 (black on white).

    The order of the arguments does not matter.

    Raises
    ------
    ValueError
        On a malformed color (see :func:`parse_hex`).
    """
    return _ratio(relative_luminance(hex_a), relative_luminance(hex_b))


def is_dark(hex_background: str) -> bool:
    """Whether ``hex_background`` is dark, i.e. white contrasts with it more than black does.

    The switch-over is at relative luminance ≈ 0.179 (``#767676`` is light, ``#757575`` dark).

    Raises
    ------
    ValueError
        On a malformed color (see :func:`parse_hex`).
    """
    luminance = relative_luminance(hex_background)
    return _ratio(1.0, luminance) > _ratio(0.0, luminance)


def _with_lightness(hue: float, saturation: float, lightness: float) -> tuple[int, int, int]:
    red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


@lru_cache(maxsize=4096)
def readable_color(hex_color: str, hex_background: str, min_ratio: float = NON_TEXT_MIN_RATIO) -> str:
    """``hex_color`` made to contrast with ``hex_background`` by at least ``min_ratio``, keeping its hue.

    A color that already reaches ``min_ratio`` is returned unchanged (lower-cased). Otherwise its HLS lightness is
    raised (on a dark background, see :func:`is_dark`) or lowered (on a light one), hue and saturation kept, by the
    least amount that reaches the ratio after rounding to 8-bit channels. In HLS each RGB channel grows with
    lightness at fixed hue and saturation, so the luminance does too, and the least such lightness is found by
    bisection.

    Any ``min_ratio`` up to about 4.58 is reachable on every background (white or black always gives at least
    that, on the side :func:`is_dark` picks); for a higher one that cannot be reached the result is white (dark
    background) or black (light background), the best there is. Results are cached.

    Parameters
    ----------
    hex_color: the label color, ``#rrggbb``.
    hex_background: the color it is drawn on, ``#rrggbb``.
    min_ratio: the WCAG contrast ratio to reach, ≥ 1; 3.0 is WCAG 2.1's minimum for graphical objects (1.4.11).

    Returns
    -------
    str
        ``#rrggbb`` in lower case.

    Raises
    ------
    ValueError
        On a malformed color, or ``min_ratio`` below 1.
    """
    if not min_ratio >= 1.0:
        raise ValueError(f"min_ratio must be at least 1, not {min_ratio!r}")
    rgb = parse_hex(hex_color)
    background = relative_luminance(hex_background)
    if _ratio(_luminance(rgb), background) >= min_ratio:
        return to_hex(*rgb)
    hue, lightness, saturation = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    if is_dark(hex_background):
        # Lighten until the color is lighter than the background by the ratio (the same expression as _ratio's,
        # so the result's contrast_ratio agrees to the last bit).
        low, high = lightness, 1.0  # invariant: `high` passes (1.0 is white, the best there is)
        for _ in range(_BISECT_STEPS):
            middle = (low + high) / 2
            if (_luminance(_with_lightness(hue, saturation, middle)) + 0.05) / (background + 0.05) >= min_ratio:
                high = middle
            else:
                low = middle
        return to_hex(*_with_lightness(hue, saturation, high))
    # Darken until the color is darker than the background by the ratio.
    low, high = 0.0, lightness  # invariant: `low` passes (0.0 is black, the best there is)
    for _ in range(_BISECT_STEPS):
        middle = (low + high) / 2
        if (background + 0.05) / (_luminance(_with_lightness(hue, saturation, middle)) + 0.05) >= min_ratio:
            low = middle
        else:
            high = middle
    return to_hex(*_with_lightness(hue, saturation, low))
