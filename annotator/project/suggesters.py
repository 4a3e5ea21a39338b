"""The ``[suggesters]`` table of a project file: the built-in suggesters the app runs in the project, and the plug-in
suggesters (local commands) the project names.

Shape (TOML, in ``annotator-project.toml``)::

    [suggesters]
    enabled = ["string-match", "attribution"]   # built-in suggesters the app runs in this project (optional)

    [suggesters.plugins.spacy-ner]              # a plug-in: a local command, run only once this user agreed to it
    command = "python tools/spacy_suggest.py"   # run in the project folder, split like a shell line (never a shell)
    timeout = 30                                # seconds (optional; default annotator.suggest.plugin.DEFAULT_TIMEOUT)

The table needs no new ``format_version``: every release that reads version 1 project files keeps keys and tables it
does not know in :attr:`~annotator.project.project_file.ProjectFile.other` and writes them back as read (so it has
since version 1 was introduced), so an older release sharing the project keeps this table untouched.

Reading the table never runs anything: a plug-in's command runs only after this user, on this machine, agreed to that
exact command for that project (:mod:`annotator.project.trust`). Keys inside the table that this version does not know
are ignored (and kept in the file); names in ``enabled`` that this version does not know are kept as written (a newer
release's suggester), for the app to skip.
"""

from __future__ import annotations

import math
import re
import shlex
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.io.errors import FileFault
from annotator.project.project_file import ProjectFile, project_file_path, read_project_file

TABLE = "suggesters"
#: A plug-in's name: a letter or digit, then letters, digits, ``-``, ``_`` or ``.`` (at most 64 characters).
PLUGIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class PluginConfig:
    """A plug-in suggester named in a project file.

    Attributes
    ----------
    name: its key under ``[suggesters.plugins]`` (e.g. ``"spacy-ner"``), matching :data:`PLUGIN_NAME`.
    command: the command line exactly as written (what the user agrees to), e.g. ``"python tools/spacy_suggest.py"``;
        run with the project folder as working directory, split by :func:`shlex.split`, never through a shell.
    timeout: seconds it may run on one batch of documents; ``None`` when the file gives none (then the runner's
        default, :data:`annotator.suggest.plugin.DEFAULT_TIMEOUT`).
    """

    name: str
    command: str
    timeout: float | None = None


@dataclass(frozen=True)
class ProjectSuggesters:
    """The ``[suggesters]`` table of a project file.

    Attributes
    ----------
    enabled: the built-in suggesters the app runs in the project, in the file's order; ``None`` when the file does not
        say (the app's own choice applies).
    plugins: the plug-in suggesters, in the file's order.
    """

    enabled: tuple[str, ...] | None = None
    plugins: tuple[PluginConfig, ...] = ()

    def plugin(self, name: str) -> PluginConfig | None:
        """The plug-in called ``name``, or ``None``."""
        return next((plugin for plugin in self.plugins if plugin.name == name), None)


def parse_suggesters(
    project_file: ProjectFile, path: str | Path = "annotator-project.toml", reserved: Collection[str] = ()
) -> ProjectSuggesters:
    """The ``[suggesters]`` table of ``project_file`` (read from ``path``); empty when it has none.

    ``reserved``: the names of the built-in suggesters (``annotator.suggest.registry.SUGGESTERS``), which no plug-in
    may take (this layer does not import the suggesters).

    Raises
    ------
    FileFault
        Naming ``path`` and the key, e.g. ``suggesters.plugins.x.timeout must be a number of seconds above 0, not
        -1``: ``suggesters`` or ``suggesters.plugins`` not a table, ``enabled`` not a list of names, a plug-in name
        that is not a simple name or is reserved, a plug-in that is not a table, a ``command`` missing, empty, or not
        splittable into words, a ``timeout`` that is not a number of seconds above 0.
    """
    path = Path(path)
    table = project_file.other.get(TABLE)
    if table is None:
        return ProjectSuggesters()
    if not isinstance(table, Mapping):
        raise FileFault(path, f"{TABLE} must be a table ([{TABLE}]), not {table!r}")
    enabled = _enabled(table.get("enabled"), path)
    plugins = table.get("plugins", {})
    if not isinstance(plugins, Mapping):
        raise FileFault(path, f"{TABLE}.plugins must be a table of plug-ins ([{TABLE}.plugins.NAME]), not {plugins!r}")
    return ProjectSuggesters(enabled, tuple(_plugin(name, raw, path, reserved) for name, raw in plugins.items()))


def read_project_suggesters(root: str | Path, reserved: Collection[str] = ()) -> ProjectSuggesters:
    """The ``[suggesters]`` table of the project at ``root``; empty when it has no project file or no table.

    Raises
    ------
    FileFault
        If the project file is invalid (:func:`~annotator.project.project_file.read_project_file`) or its table is
        (:func:`parse_suggesters`).
    """
    project_file = read_project_file(root)
    if project_file is None:
        return ProjectSuggesters()
    return parse_suggesters(project_file, project_file_path(root), reserved)


def _enabled(value: Any, path: Path) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(name, str) and name for name in value):
        raise FileFault(
            path, f'{TABLE}.enabled must be a list of suggester names, e.g. ["string-match"], not {value!r}'
        )
    return tuple(value)


def _plugin(name: str, raw: Any, path: Path, reserved: Collection[str]) -> PluginConfig:
    key = f"{TABLE}.plugins.{name}"
    if not PLUGIN_NAME.fullmatch(name):
        raise FileFault(
            path,
            f"{TABLE}.plugins.{name!r}: a plug-in's name is a letter or digit followed by letters, digits, "
            "'-', '_' or '.' (at most 64)",
        )
    if name in reserved:
        raise FileFault(path, f"{key}: a built-in suggester is called {name!r}; give the plug-in another name")
    if not isinstance(raw, Mapping):
        raise FileFault(path, f"{key} must be a table with a command, not {raw!r}")
    command = raw.get("command")
    if not isinstance(command, str) or not command.strip():
        raise FileFault(
            path, f'{key}.command must be the command line to run, e.g. "python tools/x.py", not {command!r}'
        )
    try:
        shlex.split(command)
    except ValueError as error:
        raise FileFault(path, f"{key}.command cannot be split into words ({error}): {command!r}") from None
    timeout = raw.get("timeout")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) or timeout <= 0
    ):
        raise FileFault(path, f"{key}.timeout must be a number of seconds above 0, not {timeout!r}")
    return PluginConfig(name, command, None if timeout is None else float(timeout))
