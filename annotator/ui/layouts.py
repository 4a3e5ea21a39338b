"""Small layout helpers shared by widgets that rebuild their children (label bar, legend)."""

from __future__ import annotations

from PySide6.QtWidgets import QLayout


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every item of ``layout``; widgets are hidden at once (``deleteLater`` waits for the event
    loop, and a stale widget must not show or be found meanwhile)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
