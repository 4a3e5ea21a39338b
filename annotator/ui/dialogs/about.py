"""Help → About annotator: the version, the licence (with the third-party notices of what the app bundles), and the
folders of settings, recovery journals, logs and the conversion cache, each with a button opening it in the file
manager. Plain text only."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.app_info import LICENSE_NAME, log_dir, resource_text, version
from annotator.io.convert.cache import cache_dir
from annotator.io.settings import config_dir
from annotator.project.journal import recovery_folder


@dataclass(frozen=True)
class Folder:
    """One folder the app keeps files in: ``name`` for people ("Settings"), ``path`` (may not exist yet)."""

    name: str
    path: Path


def folders() -> tuple[Folder, ...]:
    """Where the app keeps its files, in the order the About dialog lists them: settings, recovery journals, logs,
    the conversion cache (each honours its ``ANNOTATOR_*_DIR`` override)."""
    return (
        Folder("Settings", config_dir()),
        Folder("Recovery journals", recovery_folder()),
        Folder("Logs", log_dir()),
        Folder("Conversion cache", cache_dir()),
    )


OpenUrl = Callable[[QUrl], object]
"""Opens a URL (``QDesktopServices.openUrl``; tests pass a recorder)."""


def about_text(app_version: str) -> str:
    """The dialog's first lines (plain text)."""
    return (
        f"annotator {app_version}\n"
        "Label spans of news text as actor, claim, warning or denial, with exact code-point offsets.\n\n"
        f"annotator is free software under the {LICENSE_NAME} licence. It uses Qt and Qt for Python (PySide6) under "
        "the GNU LGPL version 3: their source is at https://code.qt.io, and you may replace those libraries with "
        "your own build of them.\n\n"
        "The standalone bundle also holds krippendorff, which is under the GNU GPL version 3 or later: the bundle as "
        "a whole is therefore distributed under the GNU GPL version 3 (https://www.gnu.org/licenses/gpl-3.0.html). "
        f"The licence and the notices of the software the app bundles follow below; {NOTICES_WHERE}"
    )


NOTICES_WHERE = (
    "they are also the files LICENSE and THIRD_PARTY_NOTICES.md in the bundle's folder (for a pip or pipx install, "
    "in the package's .dist-info/licenses folder)."
)
"""Where the licence files are, outside the dialog (the end of :func:`about_text`)."""


class AboutDialog(QDialog):
    """The About dialog. ``open_url`` opens a folder (a ``file:`` URL); ``places`` and ``app_version`` default to
    :func:`folders` and :func:`~annotator.app_info.version`."""

    def __init__(
        self,
        parent: QWidget | None = None,
        open_url: OpenUrl | None = None,
        places: Sequence[Folder] | None = None,
        app_version: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("About annotator")
        self.open_url: OpenUrl = open_url or QDesktopServices.openUrl
        self.places = tuple(places if places is not None else folders())
        self.intro = QLabel(about_text(app_version or version()))
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid = QGridLayout()
        self.open_buttons: dict[str, QPushButton] = {}
        for row, place in enumerate(self.places):
            name = QLabel(f"{place.name}:")
            path = QLabel(str(place.path))
            for label in (name, path):
                label.setTextFormat(Qt.TextFormat.PlainText)
            path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton("Open")
            button.setToolTip(f"Open {place.path} in the file manager")
            button.clicked.connect(lambda _=False, folder=place.path: self.open_folder(folder))
            self.open_buttons[place.name] = button
            grid.addWidget(name, row, 0)
            grid.addWidget(path, row, 1)
            grid.addWidget(button, row, 2)
        self.licence = QPlainTextEdit()
        self.licence.setReadOnly(True)
        self.licence.setPlainText(licence_text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(grid)
        layout.addWidget(self.licence)
        layout.addWidget(buttons)
        self.resize(720, 560)

    def open_folder(self, folder: Path) -> None:
        """Open ``folder`` in the file manager, creating it first when the app has not written there yet."""
        with contextlib.suppress(OSError):  # the file manager then says it cannot be found
            folder.mkdir(parents=True, exist_ok=True)
        self.open_url(QUrl.fromLocalFile(str(folder)))


def licence_text() -> str:
    """annotator's LICENSE followed by THIRD_PARTY_NOTICES.md (each as shipped; a line says when one is missing)."""
    parts = []
    for name in ("LICENSE", "THIRD_PARTY_NOTICES.md"):
        text = resource_text(name)
        parts.append(text if text is not None else f"({name} is missing from this installation.)\n")
    return "\n\n".join(parts)
