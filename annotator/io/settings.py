"""User settings (annotator name, label set, shortcuts, theme, font, zoom, window layout, recent files and projects),
saved as JSON under ``platformdirs.user_config_dir``."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, ValidationError

from annotator.io.atomic import atomic_write_text

SETTINGS_FILE = "settings.json"
MAX_RECENT = 10


class ProjectMemory(BaseModel):
    """Where the user was in a project: the last document open and the code point at the top of the view."""

    model_config = ConfigDict(defer_build=True, extra="ignore")

    last_document: str = ""
    top_offset: int = 0


class Settings(BaseModel):
    """Everything the app remembers between runs. Unknown keys from newer versions are ignored.

    Attributes
    ----------
    annotator: the name written into annotation files.
    font_point_size, font_family: the document font (0 / "" for the default).
    window_geometry, window_state: Qt's saved geometry and dock layout, base64.
    label_set_path: the label-set file in use ("" for the shipped default).
    shortcuts: the user's key bindings by action id (portable Qt key strings), only those changed from the defaults.
    theme: "system", "light" or "dark".
    snap_to_words: new spans grow to whole words (False: character mode).
    autosave: write every change to the annotation file within two seconds (False: only on Ctrl+S and on closing).
    recent: recently opened files and project folders, most recent first (absolute paths, at most ``MAX_RECENT``).
    projects: per project folder (absolute path), where the user was (:class:`ProjectMemory`).
    export_format, import_format: the exchange formats chosen last in File → Export… and File → Import….
    others_files: per folder (absolute path), what to do with another annotator's annotation file there, outside
        projects: ``"edit"`` (edit it as yourself) or ``"copy"`` (make and open your own copy); any other value, or
        none, opens it read-only and asks with a bar above the text.
    suggestions: the app suggests spans (False: no suggestions computed or drawn, for unassisted annotation and fair
        agreement studies).
    suggestions_learn_from: in a project, whose annotation files the suggester learns from: ``"mine"`` (the
        annotator's own), ``"everyone"`` or ``"gold"``.
    trusted_commands: per project folder (resolved absolute path), the exact command lines of the plug-in suggesters
        its project file names that the user agreed to run (:mod:`annotator.project.trust`).
    suggesters: the names of the suggesters the app runs (Suggestions menu), e.g. ``"string-match"`` and
        ``"attribution"``; a name the app does not know is kept and ignored.
    model_threshold: the cross-validated F1 (exact, micro, 0 to 1) the model suggester must reach to suggest (0:
        always), set in the Model panel.
    """

    model_config = ConfigDict(defer_build=True, extra="ignore")

    annotator: str = ""
    font_point_size: float = 0.0
    font_family: str = ""
    window_geometry: str = ""
    window_state: str = ""
    label_set_path: str = ""
    shortcuts: dict[str, list[str]] = {}
    theme: str = "system"
    snap_to_words: bool = True
    autosave: bool = True
    recent: list[str] = []
    projects: dict[str, ProjectMemory] = {}
    export_format: str = "jsonl"
    import_format: str = "jsonl"
    others_files: dict[str, str] = {}
    suggestions: bool = True
    suggestions_learn_from: str = "mine"
    trusted_commands: dict[str, list[str]] = {}
    suggesters: list[str] = ["string-match", "attribution"]
    model_threshold: float = 0.5

    def add_recent(self, path: str | Path) -> None:
        """Put ``path`` (made absolute) first in :attr:`recent`, without duplicates, keeping ``MAX_RECENT``."""
        entry = str(Path(path).absolute())
        self.recent = [entry, *(p for p in self.recent if p != entry)][:MAX_RECENT]


def config_dir() -> Path:
    """The settings folder: ``$ANNOTATOR_CONFIG_DIR`` when set (tests), else ``user_config_dir("annotator")``."""
    override = os.environ.get("ANNOTATOR_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir("annotator", appauthor=False))


def default_annotator_name() -> str:
    """The operating system's user name, or ``"annotator"`` when it cannot be found."""
    try:
        return getpass.getuser() or "annotator"
    except Exception:  # getpass raises OSError or KeyError when no name is set
        return "annotator"


def load_settings() -> Settings:
    """The saved settings; defaults when the file is missing or unreadable (a broken file is never fatal)."""
    path = config_dir() / SETTINGS_FILE
    try:
        return Settings.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError):
        return Settings()


def save_settings(settings: Settings) -> None:
    """Write the settings atomically, creating the folder (``FileFault`` if that fails)."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(folder / SETTINGS_FILE, settings.model_dump_json(indent=2) + "\n")
