"""The legend: a one-line strip naming each label with a swatch drawn like the document's highlight and its count."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from annotator.model.labels import LabelSet
from annotator.ui.colors import FILL_ALPHA
from annotator.ui.layouts import clear_layout
from annotator.ui.plain_text import shown_name, tooltip_html
from annotator.ui.theme import display_color

OVERLAP_HELP = "Overlapping spans show one underline each, stacked; the tint of the shortest span shows."
"""How the document view draws overlapping spans; the legend's tooltip."""


class SwatchView(QWidget):
    """A small sample of a label's look in the document: a translucent tint box with a solid underline bar beneath.

    Both are drawn in the label's display color for the widget's current palette (see
    :func:`annotator.ui.theme.display_color`), computed at paint time, so the swatch re-colors by itself when the
    palette changes (a palette change repaints the widget).

    Parameters
    ----------
    hex_color: the label's stored ``#rrggbb`` color.
    """

    BAR_HEIGHT = 3  # px; thicker than the document's 2 px lanes so it reads at swatch size

    def __init__(self, hex_color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hex = hex_color
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    @property
    def hex_color(self) -> str:
        """The label color as stored (``#rrggbb``)."""
        return self._hex

    def bar_color(self) -> str:
        """``#rrggbb`` the underline bar is drawn in on the current palette."""
        return display_color(self._hex, self.palette()).name()

    def sizeHint(self) -> QSize:
        side = max(12, self.fontMetrics().height())
        return QSize(side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        side = min(self.width(), self.height())
        top = (self.height() - side) / 2
        box = QRectF(0, top, side, side - self.BAR_HEIGHT - 1)
        painter.fillRect(box, palette.color(QPalette.ColorRole.Base))  # the tint is seen over the page, as in the text
        painter.fillRect(box, display_color(self._hex, palette, alpha=FILL_ALPHA))
        bar = QRectF(0, top + side - self.BAR_HEIGHT, side, self.BAR_HEIGHT)
        painter.fillRect(bar, display_color(self._hex, palette))
        painter.end()


class LegendBar(QWidget):
    """One line naming each label of a label set with its swatch and how many spans carry it.

    The strip's tooltip explains how overlapping spans are drawn (:data:`OVERLAP_HELP`); each entry's tooltip adds
    the label's name, hotkey and count. All text is plain. Children are found by object name:
    ``legendSwatch_<name>``, ``legendName_<name>``, ``legendCount_<name>``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 2, 8, 2)
        self._layout.setSpacing(4)
        self.setToolTip(tooltip_html(OVERLAP_HELP))
        self._label_set: LabelSet | None = None
        self._counts: dict[str, int] = {}
        self.swatches: dict[str, SwatchView] = {}
        self._count_labels: dict[str, QLabel] = {}
        self._entries: dict[str, QWidget] = {}

    def set_label_set(self, label_set: LabelSet) -> None:
        """Rebuild the entries for ``label_set`` (counts are kept for names still present, else 0)."""
        clear_layout(self._layout)
        self._label_set = label_set
        self.swatches.clear()
        self._count_labels.clear()
        self._entries.clear()
        for label in label_set.labels:
            entry = QWidget(self)
            entry.setObjectName(f"legendEntry_{label.name}")
            row = QHBoxLayout(entry)
            row.setContentsMargins(0, 0, 10, 0)
            row.setSpacing(4)
            swatch = SwatchView(label.color, entry)
            swatch.setObjectName(f"legendSwatch_{label.name}")
            name = QLabel(shown_name(label.name), entry)
            name.setObjectName(f"legendName_{label.name}")
            name.setTextFormat(Qt.TextFormat.PlainText)
            count = QLabel(entry)
            count.setObjectName(f"legendCount_{label.name}")
            count.setTextFormat(Qt.TextFormat.PlainText)
            count.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            row.addWidget(swatch)
            row.addWidget(name)
            row.addWidget(count)
            self._layout.addWidget(entry)
            self.swatches[label.name] = swatch
            self._count_labels[label.name] = count
            self._entries[label.name] = entry
        self._layout.addStretch(1)
        self._show_counts()

    def set_counts(self, counts: dict[str, int]) -> None:
        """Show how many spans carry each label; labels missing from ``counts`` show 0, unknown names are ignored.

        Parameters
        ----------
        counts: label name -> number of spans (≥ 0).
        """
        self._counts = dict(counts)
        self._show_counts()

    def count_text(self, name: str) -> str:
        """The count shown for label ``name``.

        Raises
        ------
        KeyError
            When the legend has no such label.
        """
        return self._count_labels[name].text()

    def _show_counts(self) -> None:
        if self._label_set is None:
            return
        for label in self._label_set.labels:
            count = self._counts.get(label.name, 0)
            self._count_labels[label.name].setText(str(count))
            key = f" (key {label.hotkey})" if label.hotkey else ""
            spans = "1 span" if count == 1 else f"{count} spans"
            self._entries[label.name].setToolTip(tooltip_html(f"{label.name}{key}: {spans}\n\n{OVERLAP_HELP}"))
