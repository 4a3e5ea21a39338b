"""A label of plain text cut to its room (ui/plain_text.py ElidedLabel)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from annotator.ui.plain_text import ElidedLabel


def test_the_text_is_plain_and_whole_until_the_room_runs_out(qtbot):
    label = ElidedLabel("<i>not italic</i> & more")
    qtbot.addWidget(label)
    label.resize(label.sizeHint())
    label.show()  # (a hidden widget gets its resize events when shown)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == label.shown_text() == "<i>not italic</i> & more"
    assert label.toolTip() == ""
    label.resize(label.fontMetrics().horizontalAdvance("<i>not") + 2, label.height())
    assert label.shown_text().endswith("…") and label.text() == "<i>not italic</i> & more"
    assert label.toolTip() == "<qt>&lt;i&gt;not italic&lt;/i&gt; &amp; more</qt>"
    label.setText("short")
    label.resize(label.sizeHint())
    assert label.shown_text() == "short" and label.toolTip() == ""


def test_a_long_text_asks_for_its_width_but_never_needs_it(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QHBoxLayout(holder)
    label = ElidedLabel("a long file name " * 40)
    layout.addWidget(label)
    assert label.sizeHint().width() > 1000
    assert holder.minimumSizeHint().width() < 100
    holder.resize(300, 40)
    holder.show()
    qtbot.waitExposed(holder)
    assert holder.width() == 300 and label.shown_text().endswith("…")
