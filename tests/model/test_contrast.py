"""WCAG contrast and readable label colors (annotator.ui.contrast is pure: these tests never load Qt)."""

from __future__ import annotations

import colorsys
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.ui.contrast import (
    NON_TEXT_MIN_RATIO,
    contrast_ratio,
    is_dark,
    parse_hex,
    readable_color,
    relative_luminance,
)

hex_colors = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")
ratios = st.floats(1.0, 4.5)


def hls(hex_color: str) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*(c / 255 for c in parse_hex(hex_color)))


def test_module_does_not_import_qt():
    code = (
        "import sys, annotator.ui.contrast; sys.exit(any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize(
    ("color", "luminance"),
    [("#000000", 0.0), ("#ffffff", 1.0), ("#ff0000", 0.2126), ("#00ff00", 0.7152), ("#0000ff", 0.0722)],
)
def test_relative_luminance_of_primaries(color, luminance):
    assert relative_luminance(color) == pytest.approx(luminance)


def test_contrast_ratio_known_values():
    # Reference values from the WCAG definition: 21:1 for black on white, 1:1 for a color on itself;
    # #767676 on white is the well-known lightest gray that passes 4.5:1.
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#0072b2", "#0072b2") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") < 4.5


def test_is_dark():
    assert is_dark("#000000") and is_dark("#1e1e1e") and is_dark("#202a44")
    assert not is_dark("#ffffff") and not is_dark("#efefef") and not is_dark("#f0e68c")
    assert is_dark("#757575") and not is_dark("#767676")  # the switch-over, luminance ≈ 0.179


@pytest.mark.parametrize("bad", ["", "red", "#fff", "#12345g", "0072b2", "#0072b2 ", "#0072b2ff"])
def test_malformed_colors_raise(bad):
    with pytest.raises(ValueError, match="#rrggbb"):
        readable_color(bad, "#ffffff")
    with pytest.raises(ValueError, match="#rrggbb"):
        is_dark(bad)


def test_min_ratio_below_one_raises():
    with pytest.raises(ValueError, match="min_ratio"):
        readable_color("#0072b2", "#ffffff", 0.5)


@given(hex_colors, st.sampled_from(["#ffffff", "#000000"]))
def test_result_reaches_non_text_ratio_on_white_and_black(color, background):
    result = readable_color(color, background)
    assert contrast_ratio(result, background) >= NON_TEXT_MIN_RATIO


@given(hex_colors, hex_colors, ratios)
def test_result_reaches_any_reachable_ratio_on_any_background(color, background, ratio):
    assert contrast_ratio(readable_color(color, background, ratio), background) >= ratio


@given(hex_colors, hex_colors, ratios)
def test_colors_that_pass_are_unchanged(color, background, ratio):
    if contrast_ratio(color, background) >= ratio:
        assert readable_color(color, background, ratio) == color
        assert readable_color(color.upper(), background, ratio) == color  # normalised to lower case


@given(hex_colors, hex_colors)
def test_direction_lightens_on_dark_and_darkens_on_light(color, background):
    result = readable_color(color, background)
    if result == color:
        return
    if is_dark(background):
        assert relative_luminance(result) > relative_luminance(color)
    else:
        assert relative_luminance(result) < relative_luminance(color)


@given(hex_colors, st.sampled_from(["#ffffff", "#000000", "#1e1e1e", "#2b2b2b", "#f5f5f5"]))
def test_hue_is_kept(color, background):
    result = readable_color(color, background)
    hue, _, saturation = hls(color)
    new_hue, _, _ = hls(result)
    # Hue means nothing for grays and is quantised by 8-bit rounding near black and white; compare it only where
    # the result still has some chroma.
    chroma = max(parse_hex(result)) - min(parse_hex(result))
    if saturation > 0.2 and chroma >= 48:
        difference = abs(hue - new_hue)
        assert min(difference, 1 - difference) < 0.03


def test_adjustment_is_minimal():
    # One 8-bit step less of lightening must no longer pass (the bisection stops at the least lightness).
    result = readable_color("#000080", "#1e1e1e")
    assert contrast_ratio(result, "#1e1e1e") >= 3.0
    hue, lightness, saturation = hls(result)
    red, green, blue = colorsys.hls_to_rgb(hue, lightness - 2 / 255, saturation)
    slightly_darker = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
    assert contrast_ratio(slightly_darker, "#1e1e1e") < 3.0


def test_ratio_just_above_one_against_the_same_color():
    # Found by Hypothesis: a color on itself with a ratio a hair above 1 must still move.
    result = readable_color("#157160", "#157160", 1.0000000000000002)
    assert result != "#157160"
    assert contrast_ratio(result, "#157160") >= 1.0000000000000002


def test_unreachable_ratio_gives_the_extreme():
    assert readable_color("#777777", "#767676", 20.0) == "#000000"
    assert readable_color("#777777", "#757575", 20.0) == "#ffffff"


def test_palette_colors_of_the_default_label_set():
    # The Okabe-Ito colors of resources/label_sets/attribution.json: only the orange needs darkening on white,
    # and nothing changes on the dark theme's base.
    assert readable_color("#e69f00", "#ffffff") != "#e69f00"
    for color in ("#0072b2", "#009e73", "#cc79a7"):
        assert readable_color(color, "#ffffff") == color
    for color in ("#0072b2", "#009e73", "#e69f00", "#cc79a7"):
        assert readable_color(color, "#1e1e1e") == color
