"""The label bar: one colored button per label, with its hotkey and description.

Each button's left border is the label's display color for the current palette (readable against the button's
background, see :func:`annotator.ui.theme.display_color`), re-computed when the palette changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from annotator.model.labels import LabelSet
from annotator.ui.layouts import clear_layout
from annotator.ui.plain_text import button_text, shown_name, tooltip_html
from annotator.ui.theme import display_color


class LabelBar(QWidget):
    """Buttons for the labels of a label set.

    Signals
    -------
    label_chosen(str): a label's button was clicked.
    """

    label_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelBar")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 4)
        self.buttons: dict[str, QPushButton] = {}
        self._colors: dict[str, str] = {}  # label name -> stored #rrggbb color

    def set_label_set(self, label_set: LabelSet) -> None:
        """Rebuild the buttons for ``label_set``."""
        clear_layout(self._layout)
        self.buttons.clear()
        self._colors = {label.name: label.color for label in label_set.labels}
        caption = QLabel("Label:")
        caption.setTextFormat(Qt.TextFormat.PlainText)
        self._layout.addWidget(caption)
        for label in label_set.labels:
            key = f"{label.hotkey}  " if label.hotkey else ""
            button = QPushButton(button_text(f"{key}{shown_name(label.name)}"))
            button.setObjectName(f"labelButton_{label.name}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            hint = f"{label.name} (key {label.hotkey})" if label.hotkey else label.name
            button.setToolTip(tooltip_html(f"{hint}\n{label.description}"))
            button.clicked.connect(lambda _checked=False, name=label.name: self.label_chosen.emit(name))
            self._layout.addWidget(button)
            self.buttons[label.name] = button
        self._layout.addStretch(1)
        self._style_buttons()

    def border_color(self, name: str) -> str:
        """``#rrggbb`` of the left border of label ``name``'s button on the current palette.

        Raises
        ------
        KeyError
            When the bar has no such label.
        """
        return display_color(self._colors[name], self.palette(), role=QPalette.ColorRole.Button).name()

    def _style_buttons(self) -> None:
        for name, button in self.buttons.items():
            button.setStyleSheet(
                f"QPushButton {{ border: 1px solid palette(mid); border-left: 6px solid {self.border_color(name)};"
                f" border-radius: 3px;"
                f" padding: 4px 12px; background: palette(button); }}"
                f" QPushButton:hover {{ background: palette(midlight); }}"
            )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style_buttons()  # the border colors depend on the palette; palette(...) needs re-polishing too
