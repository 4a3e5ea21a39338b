"""The user's consent to run the commands projects name (plug-in suggesters), remembered in the user's settings.

Projects are shared through git and network drives, so opening one never runs a program by itself: a command named
in a project file (:mod:`annotator.project.suggesters`) runs only once this user, on this machine, agreed to that
exact command for that project, as editors ask before trusting a workspace. The consent lives in
:attr:`annotator.io.settings.Settings.trusted_commands` (``{project folder's resolved absolute path: [command, ...]}``),
never in the project. A changed command (compared as exact strings) is a new one, and a moved project is a new
folder: both are asked again. What a command runs from the project (``python tools/x.py``) is trusted as the project's
files are: the consent is to the command line, not to the content of the files it names.

The functions change ``settings`` in memory; the caller saves them (:func:`annotator.io.settings.save_settings`).
"""

from __future__ import annotations

from pathlib import Path

from annotator.io.settings import Settings


def project_key(project_root: str | Path) -> str:
    """The key of a project in :attr:`Settings.trusted_commands`: its folder's resolved absolute path (symbolic links
    followed), as a string."""
    return str(Path(project_root).resolve())


def is_trusted(settings: Settings, project_root: str | Path, command: str) -> bool:
    """Whether the user agreed to run exactly ``command`` for the project at ``project_root``."""
    return command in settings.trusted_commands.get(project_key(project_root), [])


def trust(settings: Settings, project_root: str | Path, command: str) -> None:
    """Remember that the user agreed to run exactly ``command`` for the project at ``project_root``."""
    key = project_key(project_root)
    agreed = settings.trusted_commands.get(key, [])
    if command not in agreed:
        settings.trusted_commands = {**settings.trusted_commands, key: [*agreed, command]}


def revoke(settings: Settings, project_root: str | Path, command: str | None = None) -> bool:
    """Forget the user's consent to ``command`` for the project at ``project_root`` (every command of that project
    when ``None``). Returns whether there was something to forget."""
    key = project_key(project_root)
    agreed = settings.trusted_commands.get(key, [])
    kept = [] if command is None else [c for c in agreed if c != command]
    if len(kept) == len(agreed):
        return False
    others = {k: v for k, v in settings.trusted_commands.items() if k != key}
    settings.trusted_commands = {**others, key: kept} if kept else others
    return True


def shown_command(command: str) -> str:
    """``command`` with every character that is not printable (control characters, line breaks, tabs, direction
    overrides and marks, zero-width characters: what :meth:`str.isprintable` rejects, space aside) shown as
    ``\\n``, ``\\t``, ``\\r`` or ``\\u202e`` (``\\U000e0041`` past U+FFFF), so the command the user agrees to reads
    exactly as it runs, in a terminal or a dialog."""
    if command.isprintable():
        return command
    short = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    out = []
    for character in command:
        if character.isprintable():
            out.append(character)
        elif character in short:
            out.append(short[character])
        else:
            code = ord(character)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return "".join(out)
