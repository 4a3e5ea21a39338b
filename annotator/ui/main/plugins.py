"""The plug-in suggesters a project names, in the app: a Suggestions → Project Plug-ins submenu with one checkable
row per plug-in, the user's consent before a command's first run, and the suggesters the app then runs.

Opening a project never runs a program by itself (issue 19): a plug-in runs only while its row is checked *and* the
user agreed to exactly the command the project file names now, for this project folder
(:mod:`annotator.project.trust`). Checking a row asks (:class:`~annotator.ui.main.trusting.CommandTrust`); a command
changed since (a ``git pull``) is not run, and its row shows unchecked until the user checks it and agrees again.
The project file's ``enabled`` list, when it has one, limits the built-in suggesters the app runs in the project.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from annotator.io.errors import FileFault
from annotator.io.settings import Settings
from annotator.project.layout import Project
from annotator.project.project_file import project_file_path
from annotator.project.suggesters import PluginConfig, ProjectSuggesters, read_project_suggesters
from annotator.project.trust import is_trusted, shown_command
from annotator.ui.main.suggesting import SuggesterEntry
from annotator.ui.main.trusting import CommandTrust
from annotator.ui.plain_text import NameSafeStatusBar, one_line

if TYPE_CHECKING:
    from annotator.suggest.plugin import CommandSuggester


class ProjectPlugins(QObject):
    """The open project's plug-in suggesters.

    Parameters
    ----------
    project: the open project, or ``None``.
    trust: says whether a command may run, asking the user when they never agreed to it.
    settings: :attr:`Settings.suggesters` lists the plug-ins (by name) the user turned on, as for the built-ins.
    set_active: ``(name, on)``: turns a suggester on or off (saved; its pending suggestions go when off).
    status: the status bar (a plug-in not run, in one line).
    say: says a line with the opening document's notice (a project file's fault, or what a project names).
    parent: the window, which also parents the submenu.

    Attributes
    ----------
    menu: the Project Plug-ins submenu (filled when shown).
    suggesters: the open project's ``[suggesters]`` table (empty outside a project or when it cannot be read).
    fault: why the table could not be read (one line), or ``""``.
    """

    def __init__(
        self,
        project: Callable[[], Project | None],
        trust: CommandTrust,
        settings: Settings,
        set_active: Callable[[str, bool], None],
        status: NameSafeStatusBar,
        say: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._project = project
        self.trust = trust
        self.settings = settings
        self._set_active = set_active
        self.status = status
        self.say = say
        self.suggesters = ProjectSuggesters()
        self._root: Path | None = None
        self._read: tuple[int, int] | None = None  # see _read_for
        self._announced: tuple[int, int] | None = None
        self.fault = ""
        self.menu = QMenu("Project &Plug-ins", parent)
        self.menu.setObjectName("pluginsMenu")
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self.fill_menu)

    # -- the project's table ----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the open project's ``[suggesters]`` table again (a project was opened or left); runs nothing. A
        table that cannot be read counts as empty, and :attr:`fault` says why."""
        project = self._project()
        self._root = project.root if project is not None else None
        self._read = self._read_for()
        self.suggesters = ProjectSuggesters()
        if project is None:
            return
        self.fault = ""
        try:
            from annotator.suggest.registry import SUGGESTERS  # the suggesters on first use, not at start-up

            self.suggesters = read_project_suggesters(project.root, reserved=SUGGESTERS)
        except FileFault as fault:
            self.fault = f"Plug-in suggesters not read: {one_line(fault.message, 200)}"

    def announce(self) -> None:
        """When a document opens: once per reading of a project's table, say (with the opening's own notice) what
        is wrong with it, or which plug-ins it names that do not run (not agreed to, or off)."""
        self._sync()
        if self._announced == self._read or self._read is None:
            return
        self._announced = self._read
        if self.fault:
            self.say(self.fault)
            return
        waiting = [p.name for p in self.suggesters.plugins if not self.running(p)]
        if waiting:
            names = ", ".join(waiting)
            self.say(
                f"This project names plug-in suggesters ({one_line(names, 80)}); none runs until you turn it on in "
                "Suggestions → Project Plug-ins and agree to its command."
            )

    def _sync(self) -> None:
        """Read the table again when the open project is not the one read last (opened again, or another), or its
        project file changed since (e.g. a ``git pull``): one ``stat`` per call."""
        if self._read_for() != self._read:
            self.reload()

    def _read_for(self) -> tuple[int, int] | None:
        """What the table read depends on: the open project (each opening makes a new one) and its file's time."""
        project = self._project()
        if project is None:
            return None
        try:
            stamp = project_file_path(project.root).stat().st_mtime_ns
        except OSError:
            stamp = 0
        return (id(project), stamp)

    def allows(self, name: str) -> bool:
        """Whether the project lets the built-in suggester ``name`` run (its file's ``enabled`` list, when it has
        one, names it); plug-ins are always allowed here (their consent is :meth:`entries`' business)."""
        self._sync()
        enabled = self.suggesters.enabled
        return enabled is None or name in enabled or self.suggesters.plugin(name) is not None

    def _trusted(self, plugin: PluginConfig) -> bool:
        return self._root is not None and is_trusted(self.settings, self._root, plugin.command)

    def running(self, plugin: PluginConfig) -> bool:
        """Whether ``plugin`` runs: turned on by the user and its present command agreed to."""
        return plugin.name in self.settings.suggesters and self._trusted(plugin)

    def entries(self) -> list[SuggesterEntry]:
        """The plug-ins that may run now (agreed to), as suggesters run in the background in the project folder."""
        self._sync()
        root = self._root
        if root is None:
            return []
        return [
            SuggesterEntry(plugin.name, self._maker(plugin, root), background=True)
            for plugin in self.suggesters.plugins
            if self._trusted(plugin)
        ]

    @staticmethod
    def _maker(plugin: PluginConfig, root: Path) -> Callable[[], CommandSuggester]:
        from annotator.suggest.plugin import DEFAULT_TIMEOUT, CommandSuggester  # on first use

        timeout = plugin.timeout or DEFAULT_TIMEOUT
        return lambda: CommandSuggester(plugin.command, timeout, cwd=root, name=plugin.name)

    # -- the submenu ----------------------------------------------------------------------------------------------
    def fill_menu(self) -> None:
        """One checkable row per plug-in the project names (its command in the tooltip, shown as plain text), or a
        disabled row saying there are none."""
        self._sync()
        self.menu.clear()
        if not self.suggesters.plugins:
            none = self.menu.addAction("No plug-in suggesters in this project" if self._root else "No project open")
            none.setEnabled(False)
            return
        for plugin in self.suggesters.plugins:
            action = QAction(plugin.name.replace("&", "&&"), self.menu)
            action.setCheckable(True)
            action.setChecked(self.running(plugin))
            action.setToolTip(f"Runs: {shown_command(plugin.command)}")
            action.toggled.connect(lambda on, plugin=plugin: self.set_plugin(plugin.name, on))
            self.menu.addAction(action)

    def set_plugin(self, name: str, on: bool) -> bool:
        """Turn the project's plug-in ``name`` on (after the user agrees to its command, asked when they never did)
        or off; returns whether it runs now."""
        self._sync()
        plugin = self.suggesters.plugin(name)
        if plugin is None or self._root is None:
            return False
        if on and not self.trust.allowed(self._root, plugin.name, plugin.command, asked_for=True):
            self.status.showMessage(f"Plug-in {one_line(name, 60)} not run: you did not agree to its command.")
            return False
        self._set_active(plugin.name, on)
        return on
