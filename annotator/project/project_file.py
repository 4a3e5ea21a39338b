"""The project file ``annotator-project.toml`` at a project's root: the project's own schema, shared through git.

Shape (TOML)::

    format_version = 1
    label_set = "labels.toml"      # the project's label-set file, relative to the root (JSON or TOML)

    [suggesters]                   # optional (annotator.project.suggesters): suggesters run in this project
    enabled = ["string-match", "attribution"]   # built-in suggesters the app runs (optional)
    [suggesters.plugins.spacy-ner]              # a plug-in: a local command, run only once this user agreed to it
    command = "python tools/spacy_suggest.py"   # run in the project folder
    timeout = 30                                # seconds (optional)

Any other key or table (a later release's) is kept as it is when the file is rewritten; ``[suggesters]`` is read by
:mod:`annotator.project.suggesters` from :attr:`ProjectFile.other` and needs no new version.

With a project file, every teammate annotates with the project's label set; the label set the user chose in the app
applies only outside projects. Version 1 is the first version; a newer ``format_version`` is refused (never misread).
Keys this version does not know (written by a newer release within version 1) are kept when the file is rewritten.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from annotator.io.atomic import atomic_write_text
from annotator.io.errors import FileFault
from annotator.io.label_set_file import load_label_set, save_label_set
from annotator.model.labels import LabelSet

PROJECT_FILE = "annotator-project.toml"
PROJECT_FORMAT_VERSION = 1
#: The label-set file a project gets when it has none yet.
DEFAULT_LABEL_SET_FILE = "labels.toml"
#: Largest project file read, in bytes (64 KiB); a real one is a few lines.
MAX_PROJECT_FILE_BYTES = 64 * 1024
_KNOWN_KEYS = ("format_version", "label_set")


@dataclass(frozen=True)
class ProjectFile:
    """The content of a project file.

    Attributes
    ----------
    label_set: the label-set file, a ``/``-separated path relative to the project root (e.g. ``"labels.toml"``).
    format_version: the version the file was read as (written as the lowest version that holds it: 1).
    other: the keys and tables this version does not know (e.g. ``suggesters``), kept as read, written back as is.
    """

    label_set: str = DEFAULT_LABEL_SET_FILE
    format_version: int = PROJECT_FORMAT_VERSION
    other: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


def project_file_path(root: str | Path) -> Path:
    """``<root>/annotator-project.toml``."""
    return Path(root) / PROJECT_FILE


def _checked_relative(value: str, path: Path) -> str:
    """``value`` when it is a relative path inside the project, else a :class:`FileFault` naming the key."""
    relative = PurePosixPath(value.replace("\\", "/"))
    escapes = relative.is_absolute() or ".." in relative.parts or (os.name == "nt" and ":" in value)
    if not value.strip() or escapes or relative.as_posix() in (".", ""):
        raise FileFault(path, f"label_set must be a file inside the project, relative to its folder, not {value!r}")
    return relative.as_posix()


def parse_project_file(text: str, path: str | Path = PROJECT_FILE) -> ProjectFile:
    """Validate a project file's TOML text.

    Raises
    ------
    FileFault
        Naming ``path`` and the fault: a TOML syntax error (with line and column), a ``format_version`` that is not a
        whole number, below 1 or newer than :data:`PROJECT_FORMAT_VERSION`, or a missing or invalid ``label_set``
        (not a string, absolute, or climbing out of the project with ``..``).
    """
    path = Path(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:  # its message ends "(at line L, column C)"
        raise FileFault(path, f"not valid TOML: {error}") from error
    version = raw.get("format_version", PROJECT_FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileFault(path, f"format_version must be a whole number from 1, not {version!r}")
    if version > PROJECT_FORMAT_VERSION:
        raise FileFault(
            path,
            f"written by a newer version of annotator (format_version {version}; this version reads up to "
            f"{PROJECT_FORMAT_VERSION}); update annotator to use this project's settings",
        )
    if "label_set" not in raw:
        raise FileFault(path, 'label_set is missing: it names the project\'s label-set file, e.g. "labels.toml"')
    label_set = raw["label_set"]
    if not isinstance(label_set, str):
        raise FileFault(path, f"label_set must be a string (a file name), not {label_set!r}")
    other = {key: value for key, value in raw.items() if key not in _KNOWN_KEYS}
    return ProjectFile(_checked_relative(label_set, path), version, MappingProxyType(other))


def read_project_file(root: str | Path) -> ProjectFile | None:
    """The project file of the project at ``root``, or ``None`` when it has none.

    Raises
    ------
    FileFault
        If the file exists but cannot be read, is not UTF-8, is too large, or is invalid (see
        :func:`parse_project_file`); the message names the file and the fault.
    """
    path = project_file_path(root)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_PROJECT_FILE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FileFault(path, f"could not read it ({error.strerror or error})") from error
    if len(data) > MAX_PROJECT_FILE_BYTES:
        raise FileFault(path, f"too large for a project file (over {MAX_PROJECT_FILE_BYTES:,} bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileFault(path, f"not UTF-8 ({error})") from error
    return parse_project_file(text, path)


def project_file_text(project_file: ProjectFile) -> str:
    """The TOML text of ``project_file`` (``format_version``, ``label_set``, then the kept keys as read), written
    with `tomli-w <https://github.com/hukkin/tomli-w>`_; :func:`parse_project_file` reads it back to an equal value."""
    import tomli_w  # only when a project file is written

    content = {"format_version": PROJECT_FORMAT_VERSION, "label_set": project_file.label_set, **project_file.other}
    return tomli_w.dumps(content)


def write_project_file(root: str | Path, project_file: ProjectFile) -> None:
    """Write ``project_file`` to ``<root>/annotator-project.toml`` atomically.

    Raises
    ------
    FileFault
        If it cannot be written; the old file is left intact.
    """
    atomic_write_text(project_file_path(root), project_file_text(project_file))


def label_set_path(root: str | Path, project_file: ProjectFile) -> Path:
    """The absolute path of the project's label-set file (``root`` joined with :attr:`ProjectFile.label_set`)."""
    return Path(root) / project_file.label_set


def load_project_label_set(root: str | Path) -> LabelSet | None:
    """The label set the project at ``root`` names in its project file, or ``None`` when it has no project file.

    Raises
    ------
    FileFault
        If the project file is invalid, or its label-set file is missing or invalid: naming that file and the fault
        (a missing label-set file is named with the project file that points at it).
    """
    project_file = read_project_file(root)
    if project_file is None:
        return None
    path = label_set_path(root, project_file)
    if not path.is_file():
        raise FileFault(
            path,
            f"does not exist, but {PROJECT_FILE} names it as the project's label set "
            f"(label_set = {project_file.label_set!r})",
        )
    return load_label_set(path)


def save_project_label_set(root: str | Path, label_set: LabelSet) -> Path:
    """Make ``label_set`` the project's: write it to the project's label-set file (the one its project file names,
    else :data:`DEFAULT_LABEL_SET_FILE`; JSON or TOML by its name) and write the project file if it does not say
    so yet (kept keys kept). Both writes are atomic. Returns the label-set file's path.

    Raises
    ------
    FileFault
        If the project file is invalid (it is not overwritten) or a file cannot be written.
    """
    project_file = read_project_file(root)
    path = label_set_path(root, project_file or ProjectFile())
    save_label_set(label_set, path)  # first: a project file never names a label-set file that was not written
    if project_file is None:
        write_project_file(root, ProjectFile())
    return path
