"""Another annotator's annotation file, outside projects: it opens read-only with a bar above the text saying whose
it is, which offers "Edit as Yourself" (edit their file) or "Make My Own Copy" (``X.<you>.annotations.json`` beside
it, opened instead); the choice is remembered per folder. Your own copy beside the file opens instead of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.io.annotation_file import recorded_annotator
from annotator.io.opening import OpenedDocument, open_document, open_text_with_annotations
from annotator.io.settings import Settings
from annotator.model.labels import LabelSet
from annotator.project.ownership import own_copy, own_copy_display_name, own_copy_path
from annotator.ui.main.ownership_bar import OwnershipBar
from annotator.ui.main.sessions import DocumentSessions

EDIT, COPY = "edit", "copy"


def _opens_yours(save_path: Path, mine: Path, choice: str) -> bool:
    """Whether another annotator's ``save_path`` opens as your own copy ``mine`` (made if needed): the folder's
    choice is "copy", or your copy is beside their file and the choice is not "edit". Beside the file, a copy of
    yours is what you meant to open; in a project your own file of the document always exists once you annotated
    it, and opening theirs is reading theirs (the bar offers yours)."""
    return choice == COPY or (mine.parent == save_path.parent and mine.exists() and choice != EDIT)


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    """Nobody to tell how the load goes."""


class Ownership:
    """Whose file is open (see the module docstring).

    Parameters
    ----------
    bar: the (hidden) bar above the text that it shows for another annotator's file.
    sessions: the open document's session (which file is open).
    settings, save_settings: the per-folder choices (``others_files``) and how to write them.
    annotator: the user's name.
    user_label_set: the label set the user chose (for an own copy opened alone).
    open_path: opens a file (the other's file again, or the own copy).
    """

    def __init__(
        self,
        bar: OwnershipBar,
        sessions: DocumentSessions,
        settings: Settings,
        save_settings: Callable[[], None],
        annotator: str,
        user_label_set: Callable[[], LabelSet],
        open_path: Callable[[Path], bool],
    ) -> None:
        self.bar = bar
        self.sessions = sessions
        self.settings = settings
        self._save_settings = save_settings
        self.annotator = annotator
        self._user_label_set = user_label_set
        self._open_path = open_path
        bar.edit_chosen.connect(self.edit_others_file)
        bar.copy_chosen.connect(self.copy_others_file)

    def _folder_choice(self, save_path: Path) -> str:
        return self.settings.others_files.get(str(save_path.parent.resolve()), "")

    def as_owner(self, opened: OpenedDocument) -> OpenedDocument:
        """``opened`` as the user may edit it: unchanged when the file is the user's (or new, or names no annotator);
        else the user's own copy beside it when there is one or the folder's choice is "copy" (made now if needed),
        else ``opened`` to be edited as it is when the folder's choice is "edit", else ``opened`` marked
        :attr:`~OpenedDocument.owner` for a read-only session with the bar. Reads the settings and files, no widget:
        a huge file's open calls it in its worker thread (making and opening a copy of a 1M-span file takes seconds).

        Raises
        ------
        FileFault
            If the copy cannot be made or read (naming the file and the fault).
        """
        save_path, owner = opened.save_path, opened.annotations.annotator
        if not save_path.exists() or owner in ("", self.annotator):
            return opened
        choice = self._folder_choice(save_path)
        mine = own_copy_path(save_path, self.annotator)
        if _opens_yours(save_path, mine, choice):
            mine, written = own_copy(save_path, self.annotator, opened.annotations)  # an existing one is kept
            if written is not None and opened.text_path is None:
                # made now from the annotations just loaded: they are the copy's (exactly what reading it gives), so
                # it is not read again (1M spans: 5 s and a second 1.4 GB)
                opened.annotations.annotator = self.annotator
                copy = OpenedDocument(opened.annotations, mine, file_bytes=written)
            elif opened.text_path is not None:
                copy = open_text_with_annotations(opened.text_path, mine, self._user_label_set(), self.annotator)
            else:  # in steps: no call holds Python's GIL long when a worker reads a huge copy (the window waits)
                copy = open_document(mine, self._user_label_set(), self.annotator, progress=_no_progress)
            return self.yours_instead(copy, save_path, owner)
        if choice == EDIT:
            opened.notice = f"{opened.notice} {save_path.name} is {owner}'s; you edit it as yourself.".strip()
            return opened
        opened.owner = owner
        return opened

    def own_copy_instead(self, save_path: Path) -> tuple[Path, str] | None:
        """``(your copy, its owner)`` when :meth:`as_owner` would open your existing copy instead of the annotation
        file ``save_path``, known without loading that file (its annotator read by
        :func:`~annotator.io.annotation_file.recorded_annotator`): a huge file's open then reads your copy alone,
        not theirs first (1M spans: 5 s and 1.4 GB more). ``None`` when it would not, or cannot be known so (another
        layout, no copy yet): load the file and ask :meth:`as_owner`."""
        mine = own_copy_path(save_path, self.annotator)
        if not mine.exists() or not _opens_yours(save_path, mine, self._folder_choice(save_path)):
            return None  # (no copy yet: made from their file once loaded, by as_owner)
        owner = recorded_annotator(save_path)
        if owner is None or owner in ("", self.annotator):
            return None
        return mine, owner

    def yours_instead(self, copy: OpenedDocument, save_path: Path, owner: str) -> OpenedDocument:
        """``copy`` (your own copy, opened instead of ``owner``'s ``save_path``) with the notice saying so."""
        yours = own_copy_display_name(save_path, self.annotator)
        copy.notice = f"{copy.notice} Your own copy {yours}: {save_path.name} ({owner}'s) stays as it is.".strip()
        return copy

    def show_bar(self, opened: OpenedDocument) -> None:
        """Show the bar for a file opened read-only because it is another annotator's; hide it otherwise."""
        if opened.owner:
            copy_name = own_copy_display_name(opened.save_path, self.annotator)
            self.bar.show_owner(opened.save_path.name, opened.owner, self.annotator, copy_name)
        else:
            self.bar.hide()

    def edit_others_file(self) -> bool:
        """Edit the other annotator's file that is open read-only, as yourself (remembered for its folder)."""
        return self._choose_for_folder(EDIT)

    def copy_others_file(self) -> bool:
        """Make your own copy of the other annotator's file that is open and open it (remembered for its folder)."""
        return self._choose_for_folder(COPY)

    def _choose_for_folder(self, choice: str) -> bool:
        session = self.sessions.session
        if session is None:
            return False
        self.settings.others_files[str(session.save_path.parent.resolve())] = choice
        self._save_settings()
        return self._open_path(session.text_path or session.save_path)
