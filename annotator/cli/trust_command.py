"""``annotator trust``: agree to run (or stop running) the plug-in suggesters a project's file names.

::

    annotator trust PROJECT                  # the project's plug-ins, their commands, and whether you agreed
    annotator trust PROJECT NAME             # agree to run plug-in NAME's command, exactly as the file now names it
    annotator trust PROJECT [NAME] --revoke  # withdraw it (without NAME: every command of this project)

A command a project file names runs (``annotator suggest PROJECT --suggester NAME``, or in the app) only once you
agreed to that exact command for that project folder; the consent is kept in your settings, never in the project
(:mod:`annotator.project.trust`). :func:`project_plugin` is how ``annotator suggest`` finds and checks one.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.cli.output import fail, say
from annotator.io.errors import FileFault
from annotator.io.settings import load_settings, save_settings
from annotator.project.project_file import PROJECT_FILE, project_file_path
from annotator.project.suggesters import PluginConfig, read_project_suggesters
from annotator.project.trust import is_trusted, revoke, shown_command, trust
from annotator.suggest.registry import SUGGESTERS


class NotAgreed(Exception):
    """A project names a plug-in whose command the user has not agreed to; ``str(error)`` is one line saying which
    command and how to agree."""


@dataclass(frozen=True)
class ProjectPlugin:
    """A plug-in suggester named by the project at ``root`` (its working directory when it runs)."""

    root: Path
    config: PluginConfig


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the ``trust`` command."""
    parser = commands.add_parser(
        "trust",
        help="agree to run a plug-in suggester a project's file names (or list them, or --revoke)",
        description="A project file (annotator-project.toml) can name plug-in suggesters: local commands. They run "
        "only once you agreed to that exact command for that project folder, remembered in your settings (not the "
        "project's); a changed command or a moved project is asked again. Without NAME, list the project's plug-ins "
        "and whether you agreed to each.",
    )
    parser.add_argument("project", type=Path, metavar="PROJECT", help="the project folder")
    parser.add_argument("name", nargs="?", metavar="NAME", help="the plug-in, as named under [suggesters.plugins]")
    parser.add_argument("--revoke", action="store_true", help="withdraw your consent instead")
    parser.set_defaults(run=run)


def _agree_hint(project: Path, name: str) -> str:
    return f"annotator trust {shlex.quote(str(project))} {name}"


def run(args: argparse.Namespace) -> int:
    """Run ``annotator trust``; returns 0, or 1 after an error."""
    project: Path = args.project
    if not project.is_dir():
        return fail(f"{project}: not a folder (give a project folder)")
    try:
        plugins = read_project_suggesters(project, reserved=SUGGESTERS).plugins
    except FileFault as fault:
        return fail(fault.message)
    settings = load_settings()
    if args.name is None:
        if args.revoke:
            done = revoke(settings, project)
            if done:
                save_settings(settings)
            say(f"{project}: {'consent withdrawn from every command' if done else 'no command was agreed to'}")
            return 0
        if not plugins:
            say(f"{project}: its {PROJECT_FILE} names no plug-in suggesters")
        for plugin in plugins:
            state = "agreed" if is_trusted(settings, project, plugin.command) else "not agreed"
            say(f"{plugin.name}: {shown_command(plugin.command)}  ({state})")
        return 0
    config = next((plugin for plugin in plugins if plugin.name == args.name), None)
    if config is None:
        names = ", ".join(plugin.name for plugin in plugins) or "none"
        return fail(f"{project_file_path(project)}: names no plug-in called {args.name!r} (it names: {names})")
    if args.revoke:
        done = revoke(settings, project, config.command)
        if done:
            save_settings(settings)
        say(f"{config.name}: {'consent withdrawn' if done else 'was not agreed to'}: {shown_command(config.command)}")
        return 0
    trust(settings, project, config.command)
    save_settings(settings)
    say(
        f"{config.name}: agreed to run {shown_command(config.command)} in {project} with your permissions; "
        "asked again if the project changes the command or moves"
    )
    return 0


def project_plugin(name: str, folders: Iterable[str | Path]) -> ProjectPlugin | None:
    """The plug-in called ``name`` named by the project file of one of ``folders`` (those that are project folders
    with a project file), or ``None`` when none names it.

    Raises
    ------
    FileFault
        If one of their project files is invalid.
    NotAgreed
        If the user has not agreed to its command for that project, or several of ``folders`` name it.
    """
    found = []
    for folder in folders:
        path = Path(folder)
        if path.is_dir() and project_file_path(path).is_file():
            config = read_project_suggesters(path, reserved=SUGGESTERS).plugin(name)
            if config is not None:
                found.append(ProjectPlugin(path, config))
    if not found:
        return None
    if len(found) > 1:
        raise NotAgreed(
            f"plug-in {name!r} is named by several projects ({', '.join(str(p.root) for p in found)}): give one"
        )
    (plugin,) = found
    if not is_trusted(load_settings(), plugin.root, plugin.config.command):
        raise NotAgreed(
            f"{project_file_path(plugin.root)} names the plug-in suggester {name!r}, which runs: "
            f"{shown_command(plugin.config.command)}; you have not agreed to run it for this project. Read the "
            f"command, then agree with: {_agree_hint(plugin.root, name)}"
        )
    return plugin
