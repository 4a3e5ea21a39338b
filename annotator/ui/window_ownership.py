"""Another annotator's annotation file, outside projects: it opens read-only with a bar above the text saying whose
it is, which offers "Edit as Yourself" (edit their file) or "Make My Own Copy" (``X.<you>.annotations.json`` beside
it, opened instead); the choice is remembered per folder. Your own copy beside the file opens instead of it.

:class:`OwnershipMixin` is part of :class:`~annotator.ui.main_window.MainWindow`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QBoxLayout

from annotator.io.opening import OpenedDocument, open_document, open_text_with_annotations
from annotator.project.ownership import make_own_copy, own_copy_display_name, own_copy_path
from annotator.ui.ownership_bar import OwnershipBar

EDIT, COPY = "edit", "copy"


class OwnershipMixin:
    """Whose file is open, for :class:`MainWindow` (see the module docstring)."""

    def _build_ownership_bar(self, layout: QBoxLayout, index: int) -> None:
        """Put the (hidden) ownership bar into ``layout`` at ``index``, above the text."""
        self.ownership_bar = OwnershipBar()
        self.ownership_bar.edit_chosen.connect(self.edit_others_file)
        self.ownership_bar.copy_chosen.connect(self.copy_others_file)
        layout.insertWidget(index, self.ownership_bar)

    def _folder_choice(self, save_path: Path) -> str:
        return self.settings.others_files.get(str(save_path.parent.resolve()), "")

    def _as_owner(self, opened: OpenedDocument) -> OpenedDocument:
        """``opened`` as the user may edit it: unchanged when the file is the user's (or new, or names no annotator);
        else the user's own copy beside it when there is one or the folder's choice is "copy" (made now if needed),
        else ``opened`` to be edited as it is when the folder's choice is "edit", else ``opened`` marked
        :attr:`~OpenedDocument.owner` for a read-only session with the bar.

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
        # beside the file, a copy of yours is what you meant to open; in a project your own file of the document
        # always exists once you annotated it, and opening theirs is reading theirs (the bar offers yours)
        beside = mine.parent == save_path.parent
        if choice == COPY or (beside and mine.exists() and choice != EDIT):
            make_own_copy(save_path, self.annotator)  # an existing copy is kept as it is
            if opened.text_path is not None:
                copy = open_text_with_annotations(opened.text_path, mine, self.user_label_set(), self.annotator)
            else:
                copy = open_document(mine, self.user_label_set(), self.annotator)
            yours = own_copy_display_name(save_path, self.annotator)
            copy.notice = f"{copy.notice} Your own copy {yours}: {save_path.name} ({owner}'s) stays as it is.".strip()
            return copy
        if choice == EDIT:
            opened.notice = f"{opened.notice} {save_path.name} is {owner}'s; you edit it as yourself.".strip()
            return opened
        opened.owner = owner
        return opened

    def _show_ownership_bar(self, opened: OpenedDocument) -> None:
        """Show the bar for a file opened read-only because it is another annotator's; hide it otherwise."""
        if opened.owner:
            copy_name = own_copy_display_name(opened.save_path, self.annotator)
            self.ownership_bar.show_owner(opened.save_path.name, opened.owner, self.annotator, copy_name)
        else:
            self.ownership_bar.hide()

    def edit_others_file(self) -> bool:
        """Edit the other annotator's file that is open read-only, as yourself (remembered for its folder)."""
        return self._choose_for_folder(EDIT)

    def copy_others_file(self) -> bool:
        """Make your own copy of the other annotator's file that is open and open it (remembered for its folder)."""
        return self._choose_for_folder(COPY)

    def _choose_for_folder(self, choice: str) -> bool:
        session = self.session
        if session is None:
            return False
        self.settings.others_files[str(session.save_path.parent.resolve())] = choice
        self._save_settings()
        return self.open_path(session.text_path or session.save_path)
