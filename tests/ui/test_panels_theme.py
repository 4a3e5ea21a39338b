"""Theme switching, display colors, the guidelines panel, the legend and the label bar's palette-aware borders."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from annotator.model.labels import Label, LabelSet, RelationType
from annotator.ui.colors import FILL_ALPHA, label_color
from annotator.ui.contrast import contrast_ratio, is_dark
from annotator.ui.document.guidelines_panel import GuidelinesPanel
from annotator.ui.document.label_bar import LabelBar
from annotator.ui.document.legend import OVERLAP_HELP, LegendBar
from annotator.ui.plain_text import tooltip_html
from annotator.ui.theme import (
    THEME_CHOICES,
    apply_theme,
    current_theme,
    dark_palette,
    display_color,
    is_dark_palette,
    light_palette,
)

DARK_BLUE = "#1f3a93"
HOSTILE = "<b>x</b>"

Role = QPalette.ColorRole


@pytest.fixture
def app(qapp):
    """The shared application; whatever theme a test applies, the original style and palette come back after it."""
    style, palette = qapp.style().name(), QPalette(qapp.palette())
    yield qapp
    apply_theme(qapp, "system")
    if palette.resolveMask():  # someone had set an explicit palette before: put it back as it was
        qapp.setPalette(palette)
    assert qapp.style().name() == style
    assert qapp.palette() == palette


@pytest.fixture
def label_set() -> LabelSet:
    return LabelSet(
        name="guidelines",
        labels=(
            Label(
                name="actor",
                color="#0072b2",
                hotkey="1",
                description="Who speaks or is acted upon.\n\nMark the shortest phrase that names them.",
                examples=("the White House", "Beijing"),
            ),
            Label(name="claim", color="#009e73", hotkey="2", description="A proposition attributed to a source."),
            Label(
                name="denial",
                color="#cc79a7",
                hotkey="3",
                description="A statement rejecting a claim.",
                examples=("categorically denied",),
            ),
            Label(
                name=HOSTILE,
                color=DARK_BLUE,
                description="Tags like <i>this</i> & entities &amp; stay literal.",
                examples=("<script>alert(1)</script>",),
            ),
        ),
        relation_types=(
            RelationType(
                name="source",
                description="The statement's speaker.",
                from_labels=("claim", "denial"),
                to_labels=("actor",),
            ),
            RelationType(name="target", description="Whom the statement is aimed at."),
        ),
    )


def texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def switch(app: QApplication, qtbot, choice: str, widget: QWidget) -> None:
    """Apply a theme and wait until Qt has delivered the palette change to ``widget`` (it goes through the loop)."""
    apply_theme(app, choice)
    qtbot.waitUntil(lambda: widget.palette().color(Role.Base) == app.palette().color(Role.Base))


def rgb(hex_color: str) -> tuple[int, int, int]:
    return QColor(hex_color).getRgb()[:3]


def pixel(widget: QWidget, x: int, y: int) -> str:
    return widget.grab().toImage().pixelColor(x, y).name()


# -- theme --------------------------------------------------------------------------------------------------------
def test_forcing_dark_and_light_sets_the_application_palette(app):
    assert THEME_CHOICES == ("system", "light", "dark")
    apply_theme(app, "dark")
    palette = app.palette()
    assert current_theme(app) == "dark"
    assert app.style().name().casefold() == "fusion"
    assert is_dark_palette(palette)
    for role in (Role.Window, Role.Base, Role.Button, Role.AlternateBase, Role.ToolTipBase):
        assert is_dark(palette.color(role).name()), role
    for role, background in ((Role.Text, Role.Base), (Role.WindowText, Role.Window), (Role.ButtonText, Role.Button)):
        assert contrast_ratio(palette.color(role).name(), palette.color(background).name()) >= 7.0, role
    assert palette.color(Role.Base) == dark_palette().color(Role.Base)

    apply_theme(app, "light")
    palette = app.palette()
    assert current_theme(app) == "light"
    assert not is_dark_palette(palette)
    for role in (Role.Window, Role.Base, Role.Button):
        assert not is_dark(palette.color(role).name()), role
    assert palette.color(Role.Base) == light_palette().color(Role.Base)


def test_system_undoes_a_forced_theme(app):
    original = QPalette(app.palette())
    apply_theme(app, "dark")
    assert app.palette() != original
    apply_theme(app, "system")
    assert current_theme(app) == "system"
    assert app.palette() == original
    assert not app.palette().resolveMask()  # the platform's palette again, so OS theme changes are followed


def test_unknown_theme_raises(app):
    with pytest.raises(ValueError, match="system, light, dark"):
        apply_theme(app, "sepia")
    assert current_theme(app) == "system"


def test_forced_dark_really_paints_dark_and_widgets_hear_of_it(app, qtbot):
    class Recorder(QLineEdit):
        def __init__(self):
            super().__init__()
            self.palette_changes = 0

        def changeEvent(self, event):
            super().changeEvent(event)
            if event.type() == QEvent.Type.PaletteChange:
                self.palette_changes += 1

    edit = Recorder()
    qtbot.addWidget(edit)
    edit.resize(200, 30)
    edit.show()
    qtbot.waitExposed(edit)
    assert not is_dark(pixel(edit, 100, 15))
    switch(app, qtbot, "dark", edit)
    assert edit.palette_changes >= 1  # the notification the module documents: QEvent.PaletteChange
    assert is_dark(pixel(edit, 100, 15))  # the field's background, drawn by the style from the palette
    switch(app, qtbot, "light", edit)
    assert not is_dark(pixel(edit, 100, 15))


def test_display_color_is_readable_on_the_palette(app):
    dark, light = dark_palette(), light_palette()
    on_dark = display_color(DARK_BLUE, dark)
    assert on_dark.name() != DARK_BLUE
    assert contrast_ratio(on_dark.name(), dark.color(Role.Base).name()) >= 3.0
    assert contrast_ratio(DARK_BLUE, dark.color(Role.Base).name()) < 3.0
    assert display_color(DARK_BLUE, light).name() == DARK_BLUE  # already readable on white: unchanged
    assert display_color(DARK_BLUE, dark, alpha=FILL_ALPHA).alpha() == FILL_ALPHA
    assert display_color(DARK_BLUE, dark).alpha() == 255
    # Another role as the background: readable against the button color instead of the base.
    on_button = display_color("#666666", dark, role=Role.Button)
    assert contrast_ratio(on_button.name(), dark.color(Role.Button).name()) >= 3.0
    # The palette-aware path of colors.label_color is display_color; without a palette it is the stored color.
    assert label_color(DARK_BLUE, 70, dark) == display_color(DARK_BLUE, dark, alpha=70)
    assert label_color(DARK_BLUE, 70) == QColor(31, 58, 147, 70)


# -- guidelines panel ---------------------------------------------------------------------------------------------
@pytest.fixture
def panel(qtbot, label_set):
    widget = GuidelinesPanel()
    qtbot.addWidget(widget)
    widget.set_label_set(label_set)
    widget.resize(360, 260)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_guidelines_show_every_text_literally(panel):
    assert panel.objectName() == "guidelinesPanel"
    shown = texts(panel)
    for text in (
        "actor",
        "key 1",
        "Who speaks or is acted upon.\n\nMark the shortest phrase that names them.",
        "•  the White House",
        "•  Beijing",
        HOSTILE,
        "Tags like <i>this</i> & entities &amp; stay literal.",
        "•  <script>alert(1)</script>",
        "source",
        "The statement's speaker.",
        "from: claim, denial\nto: actor",
        "from: any label\nto: any label",
    ):
        assert text in shown
    for label in panel.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    # Rendered as the 8 characters, not as a bold "x".
    name = panel.findChild(QWidget, f"guidelineLabel_{HOSTILE}").findChild(QLabel, "guidelineName")
    assert name.sizeHint().width() > name.fontMetrics().horizontalAdvance("<b>x</b") > 0


def test_filter_narrows_to_matching_labels(panel, qtbot):
    field = panel.findChild(QLineEdit, "guidelinesFilter")
    assert panel.shown_labels() == ["actor", "claim", "denial", HOSTILE]
    qtbot.keyClicks(field, "Rejecting")  # in denial's description, any case
    assert panel.shown_labels() == ["denial"]
    assert panel.findChild(QWidget, "guidelineLabel_actor").isHidden()
    assert not panel.findChild(QWidget, "guidelineLabel_denial").isHidden()
    field.setText("white house")  # an example
    assert panel.shown_labels() == ["actor"]
    field.setText("<b>")  # a name
    assert panel.shown_labels() == [HOSTILE]
    field.setText("speaker")  # only a relation type's description
    assert panel.shown_labels() == []
    assert not panel.findChild(QLabel, "guidelinesNoMatch").isHidden()
    assert not panel.findChild(QWidget, "guidelineRelation_source").isHidden()
    assert panel.findChild(QWidget, "guidelineRelation_target").isHidden()
    field.clear()
    assert panel.shown_labels() == ["actor", "claim", "denial", HOSTILE]
    assert panel.findChild(QLabel, "guidelinesNoMatch").isHidden()


def test_show_label_scrolls_to_and_highlights_it(panel):
    scroll = panel.findChild(QWidget, "guidelinesScroll")
    panel.findChild(QLineEdit, "guidelinesFilter").setText("white house")
    assert panel.show_label(HOSTILE)  # hidden by the filter: the filter is cleared
    assert panel.findChild(QLineEdit, "guidelinesFilter").text() == ""
    assert panel.highlighted_label == HOSTILE
    section = panel.findChild(QWidget, f"guidelineLabel_{HOSTILE}")
    assert section.highlighted
    assert scroll.verticalScrollBar().value() > 0
    top = section.mapTo(scroll.viewport(), QPoint(0, 0)).y()
    assert 0 <= top < scroll.viewport().height()  # its top is in view
    assert panel.show_label("actor")
    assert not section.highlighted and panel.findChild(QWidget, "guidelineLabel_actor").highlighted
    assert scroll.verticalScrollBar().value() == 0
    assert not panel.show_label("nonexistent")
    assert panel.highlighted_label == "actor"


def test_guidelines_follow_a_new_label_set(panel, label_set):
    smaller = LabelSet(name="small", labels=(Label(name="only", color="#000000"),))
    panel.set_label_set(smaller)
    assert panel.shown_labels() == ["only"]
    assert "actor" not in texts(panel)
    assert "source" in texts(panel)  # the default relation types


# -- legend -------------------------------------------------------------------------------------------------------
@pytest.fixture
def legend(qtbot, label_set):
    widget = LegendBar()
    qtbot.addWidget(widget)
    widget.set_label_set(label_set)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_legend_counts_names_and_tooltips(legend):
    assert legend.objectName() == "legend"
    assert [legend.count_text(name) for name in ("actor", "claim", "denial", HOSTILE)] == ["0", "0", "0", "0"]
    legend.set_counts({"actor": 3, HOSTILE: 1, "unknown": 9})
    assert [legend.count_text(name) for name in ("actor", "claim", "denial", HOSTILE)] == ["3", "0", "0", "1"]
    names = [legend.findChild(QLabel, f"legendName_{name}") for name in ("actor", HOSTILE)]
    assert [label.text() for label in names] == ["actor", HOSTILE]
    for label in legend.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert legend.toolTip() == tooltip_html(OVERLAP_HELP)
    assert "stacked" in OVERLAP_HELP and "shortest" in OVERLAP_HELP
    entry = legend.findChild(QWidget, f"legendEntry_{HOSTILE}")
    assert entry.toolTip() == tooltip_html(f"{HOSTILE}: 1 span\n\n{OVERLAP_HELP}")
    assert "<b>x" not in entry.toolTip()  # escaped, so it shows as typed
    assert "3 spans" in legend.findChild(QWidget, "legendEntry_actor").toolTip()


def test_legend_swatch_is_drawn_like_the_highlight_and_recolors(app, qtbot, legend):
    swatch = legend.swatches[HOSTILE]
    width, height = swatch.width(), swatch.height()
    bar = (width // 2, height - 2)  # inside the underline bar
    tint = (width // 2, height // 3)  # inside the tint box

    def expected_tint(palette: QPalette) -> str:
        base, fill = palette.color(Role.Base), display_color(DARK_BLUE, palette, alpha=FILL_ALPHA)
        mix = [round(b + (f - b) * FILL_ALPHA / 255) for b, f in zip(base.getRgb()[:3], fill.getRgb()[:3], strict=True)]
        return QColor(*mix).name()

    switch(app, qtbot, "light", swatch)
    assert pixel(swatch, *bar) == display_color(DARK_BLUE, light_palette()).name() == DARK_BLUE
    assert QColor(pixel(swatch, *tint)).getRgb() == pytest.approx(
        QColor(expected_tint(light_palette())).getRgb(), abs=2
    )
    switch(app, qtbot, "dark", swatch)
    on_dark = display_color(DARK_BLUE, dark_palette()).name()
    assert on_dark != DARK_BLUE
    assert swatch.bar_color() == on_dark
    assert pixel(swatch, *bar) == on_dark
    assert rgb(pixel(swatch, *tint)) == pytest.approx(rgb(expected_tint(dark_palette())), abs=2)


def test_guideline_swatches_recolor_too(app, qtbot, panel):
    swatch = panel.findChild(QWidget, f"guidelineLabel_{HOSTILE}").findChild(QWidget, "guidelineSwatch")
    assert pixel(swatch, swatch.width() // 2, swatch.height() - 2) == DARK_BLUE
    switch(app, qtbot, "dark", swatch)
    assert pixel(swatch, swatch.width() // 2, swatch.height() - 2) == display_color(DARK_BLUE, dark_palette()).name()


# -- label bar ----------------------------------------------------------------------------------------------------
def test_label_bar_border_uses_the_display_color(app, qtbot, label_set):
    bar = LabelBar()
    qtbot.addWidget(bar)
    bar.set_label_set(label_set)
    bar.show()
    qtbot.waitExposed(bar)
    button = bar.buttons[HOSTILE]
    assert bar.border_color(HOSTILE) == DARK_BLUE
    assert pixel(button, 3, button.height() // 2) == DARK_BLUE
    switch(app, qtbot, "dark", bar)
    on_dark = display_color(DARK_BLUE, dark_palette(), role=Role.Button).name()
    assert on_dark != DARK_BLUE
    assert contrast_ratio(on_dark, dark_palette().color(Role.Button).name()) >= 3.0
    assert bar.border_color(HOSTILE) == on_dark
    assert on_dark in button.styleSheet()
    assert pixel(button, 3, button.height() // 2) == on_dark
    assert is_dark(pixel(button, button.width() // 2, 3))  # the button's own background follows the palette
    switch(app, qtbot, "system", bar)
    assert pixel(button, 3, button.height() // 2) == DARK_BLUE


def test_application_is_back_to_its_own_theme(qapp):
    # Runs after the tests above (file order): none of them left a forced theme behind.
    assert current_theme(qapp) == "system"
    assert not qapp.palette().resolveMask()
    assert QApplication.instance() is qapp
