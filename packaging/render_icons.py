"""Render resources/icons/annotator.svg to the PNG sizes of the freedesktop hicolor theme (16 to 256 pixels), with
Qt's QSvgRenderer: ``python packaging/render_icons.py``. The PNGs are committed; run this again after changing the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
"""Pixel sizes written as ``annotator-<size>.png`` (desktop_entry.ICON_SIZES: the same, a test checks)."""


def render(svg: Path, size: int, target: Path) -> None:
    """Write ``svg`` rendered at ``size`` × ``size`` pixels (transparent background) to the PNG ``target``."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target), "PNG"):
        raise SystemExit(f"{target}: could not be written")


def main() -> int:
    """Render every size; returns 0."""
    _app = QGuiApplication(sys.argv[:1])
    for size in SIZES:
        render(ICONS / "annotator.svg", size, ICONS / f"annotator-{size}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
