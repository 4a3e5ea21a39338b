"""Asking the user before the app runs a command a project names (a plug-in suggester in its project file).

Opening a project never runs a program by itself: :class:`CommandTrust` says whether a project's command may run,
from the consent kept in the user's settings (:mod:`annotator.project.trust`), asking the user when there is none.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.io.settings import Settings
from annotator.project.trust import is_trusted, project_key, trust
from annotator.ui.dialogs.questions import Questions


class CommandTrust:
    """Whether a command a project names may run.

    Parameters
    ----------
    questions: asks the user (:meth:`Questions.trust_command`, which defaults to No).
    settings: the user's settings, where a Yes is remembered (:attr:`Settings.trusted_commands`).
    save_settings: writes ``settings`` (called after a Yes).
    """

    def __init__(self, questions: Questions, settings: Settings, save_settings: Callable[[], None]) -> None:
        self.questions = questions
        self.settings = settings
        self._save_settings = save_settings
        self._declined: set[tuple[str, str]] = set()

    def allowed(self, project_root: Path, name: str, command: str, *, asked_for: bool = False) -> bool:
        """Whether to run ``command``, named as the plug-in ``name`` by the project at ``project_root``: ``True`` when
        the user agreed to exactly this command for this project folder before; else the user is asked, and a Yes is
        remembered in the settings (and saved). A No is remembered until the app quits (not asked again on every
        document; asked again in the next session), unless ``asked_for``: the user asked for the command to run (e.g.
        checked its menu row), so a No given earlier does not stand in for the answer."""
        if is_trusted(self.settings, project_root, command):
            return True
        declined = (project_key(project_root), command)
        if declined in self._declined and not asked_for:
            return False
        if not self.questions.trust_command(Path(project_root).name, name, command):
            self._declined.add(declined)
            return False
        trust(self.settings, project_root, command)
        self._save_settings()
        return True
