"""User settings (annotator name, zoom, window geometry), saved as JSON under ``platformdirs.user_config_dir``."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, ValidationError

from annotator.io.atomic import atomic_write_text

SETTINGS_FILE = "settings.json"


class Settings(BaseModel):
    """Everything the app remembers between runs. Unknown keys from newer versions are ignored."""

    model_config = ConfigDict(extra="ignore")

    annotator: str = ""
    font_point_size: float = 0.0
    window_geometry: str = ""


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
