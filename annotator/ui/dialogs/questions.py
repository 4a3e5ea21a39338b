"""Every question the main window and its parts ask the user, behind one small protocol, so tests answer them with
a scripted answerer (``MainWindow(..., questions=...)``) instead of patching the window.

The default, :class:`DialogQuestions`, asks with the window-modal boxes of
:mod:`annotator.ui.dialogs.session_dialogs` and :mod:`annotator.ui.dialogs.messages`, Qt's input and file dialogs, over
one parent window. Each question says in its own text what each answer does, so an answer is always honoured as
given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFileDialog, QFontDialog, QInputDialog, QLabel, QMessageBox, QWidget

from annotator.model.compare import AnnotationDiff
from annotator.model.reanchor import Reanchored
from annotator.project.journal import Recoverable, UnreadableJournal
from annotator.project.trust import shown_command
from annotator.ui.dialogs import session_dialogs
from annotator.ui.dialogs.messages import ask_save_discard_cancel
from annotator.ui.dialogs.session_dialogs import ConflictChoice, RecoveryChoice, UnreadableChoice
from annotator.ui.plain_text import shown_name

UnsavedChoice = Literal["save", "discard", "cancel"]


class Questions(Protocol):
    """Questions to the user; every argument is plain text, a count or a value of the Qt-free core, every answer a
    plain value (``None`` for a cancelled pick)."""

    def unsaved(self, file_name: str) -> UnsavedChoice:
        """Leaving the open document ``file_name`` (or "this document") with unsaved changes: "save", "discard" or
        "cancel" (stay)."""
        ...

    def recovery(self, recoverable: Recoverable) -> RecoveryChoice:
        """Unsaved work a crashed or killed session left: "restore", "discard" or "later" (offered again)."""
        ...

    def unreadable_journals(self, journals: list[UnreadableJournal]) -> UnreadableChoice:
        """Recovery journals that cannot be read (each says why): "keep" them (offered again) or "discard" them."""
        ...

    def conflict(self, file_name: str, unsaved: bool) -> ConflictChoice:
        """The annotation file ``file_name`` changed on disk: "reload", "keep_mine", "compare" or "later"."""
        ...

    def show_comparison(self, file_name: str, diff: AnnotationDiff) -> None:
        """Show how the open annotations differ from the version on disk (after "compare"; then asked again)."""
        ...

    def reanchor(self, file_name: str, text_name: str, reanchored: Reanchored) -> bool:
        """The text ``text_name`` changed since ``file_name`` was made on it: re-anchor the spans (and save)?"""
        ...

    def add_labels(self, file_name: str, missing: list[str], label_set: str, links: int) -> bool:
        """Switching the open document ``file_name`` to the label set named ``label_set``, which lacks the labels
        ``missing`` that its spans use: add them to it (and switch) or leave the label set as it is. ``links``: how
        many links do not fit the new set's relation types and are removed by switching (undoable). Returns whether to
        add them and switch."""
        ...

    def relation_type(self, names: list[str], label: str) -> str | None:
        """Which of the relation types ``names`` to make from a ``label`` span; ``None`` when cancelled."""
        ...

    def choose(self, title: str, caption: str, items: list[str]) -> str | None:
        """Pick one of ``items`` (e.g. a label to rename); ``None`` when cancelled."""
        ...

    def text(self, title: str, caption: str, text: str) -> str | None:
        """A line of text, starting as ``text``; ``None`` when cancelled."""
        ...

    def font(self, current: QFont) -> QFont | None:
        """A font for the document, starting from ``current``; ``None`` when cancelled."""
        ...

    def open_file(self, title: str, filters: str) -> Path | None:
        """A file to open (``filters`` as Qt's file dialogs take them); ``None`` when cancelled."""
        ...

    def open_files(self, title: str, filters: str) -> list[Path]:
        """Files to open; ``[]`` when cancelled."""
        ...

    def save_file(self, title: str, start: str, filters: str) -> Path | None:
        """Where to save, starting at ``start``; ``None`` when cancelled."""
        ...

    def folder(self, title: str) -> Path | None:
        """A folder; ``None`` when cancelled."""
        ...

    def replace(self, name: str, folder: bool) -> bool:
        """Whether to write over the existing file (or into the existing, not empty folder, ``folder``) ``name``."""
        ...

    def trust_command(self, project_name: str, plugin_name: str, command: str) -> bool:
        """Whether to run ``command``, which the project ``project_name``'s file names as the plug-in suggester
        ``plugin_name``, now and whenever this project names exactly this command (the answer is remembered by the
        caller). Defaults to No."""
        ...


def plain_input_dialog(parent: QWidget | None, title: str, caption: str) -> QInputDialog:
    """An input dialog whose caption (which may hold a label name) is always plain text, never rich text."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(caption)
    for label in dialog.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)
    return dialog


class DialogQuestions:
    """:class:`Questions` asked with window-modal dialogs over ``parent``."""

    def __init__(self, parent: QWidget | None) -> None:
        self.parent = parent

    def unsaved(self, file_name: str) -> UnsavedChoice:
        answer = ask_save_discard_cancel(
            self.parent,
            "Unsaved changes",
            f"Save your changes to {file_name}?",
            "Unsaved spans are lost if you discard them.",
        )
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        return "discard" if answer == QMessageBox.StandardButton.Discard else "cancel"

    def recovery(self, recoverable: Recoverable) -> RecoveryChoice:
        return session_dialogs.ask_recovery(self.parent, recoverable)

    def unreadable_journals(self, journals: list[UnreadableJournal]) -> UnreadableChoice:
        return session_dialogs.ask_unreadable_journals(self.parent, journals)

    def conflict(self, file_name: str, unsaved: bool) -> ConflictChoice:
        return session_dialogs.ask_conflict(self.parent, file_name, unsaved)

    def show_comparison(self, file_name: str, diff: AnnotationDiff) -> None:
        session_dialogs.show_comparison(self.parent, file_name, diff)

    def reanchor(self, file_name: str, text_name: str, reanchored: Reanchored) -> bool:
        return session_dialogs.ask_reanchor(self.parent, file_name, text_name, reanchored)

    def add_labels(self, file_name: str, missing: list[str], label_set: str, links: int) -> bool:
        return session_dialogs.ask_add_labels(self.parent, file_name, missing, label_set, links)

    def relation_type(self, names: list[str], label: str) -> str | None:
        return self.choose("Link", f"Link this {label} span as:", names)

    def choose(self, title: str, caption: str, items: list[str]) -> str | None:
        dialog = plain_input_dialog(self.parent, title, caption)
        dialog.setComboBoxItems(items)
        dialog.setComboBoxEditable(False)
        return dialog.textValue() if dialog.exec() else None

    def text(self, title: str, caption: str, text: str) -> str | None:
        dialog = plain_input_dialog(self.parent, title, caption)
        dialog.setTextValue(text)
        return dialog.textValue() if dialog.exec() else None

    def font(self, current: QFont) -> QFont | None:
        ok, font = QFontDialog.getFont(current, self.parent, "Document font")
        return font if ok else None

    def open_file(self, title: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, title, "", filters)
        return Path(path) if path else None

    def open_files(self, title: str, filters: str) -> list[Path]:
        paths, _ = QFileDialog.getOpenFileNames(self.parent, title, "", filters)
        return [Path(p) for p in paths]

    def save_file(self, title: str, start: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, start, filters)
        return Path(path) if path else None

    def folder(self, title: str) -> Path | None:
        path = QFileDialog.getExistingDirectory(self.parent, title)
        return Path(path) if path else None

    def replace(self, name: str, folder: bool) -> bool:
        what = f"The folder {shown_name(name)} is not empty" if folder else f"{shown_name(name)} already exists"
        box = QMessageBox(self.parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Replace?")
        box.setText(f"{what}. Export over it?")
        box.setInformativeText(
            "Its files of the same names are replaced; nothing else in it is touched."
            if folder
            else "The file is replaced by the export."
        )
        replace = box.addButton("Replace", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is replace

    def trust_command(self, project_name: str, plugin_name: str, command: str) -> bool:
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Run a command this project names?")
        box.setText(
            f"The project {shown_name(project_name)} names a plug-in suggester, {shown_name(plugin_name)}, that runs "
            f"this command:\n\n{shown_command(command)}"
        )
        box.setInformativeText(
            "It runs in the project folder with your permissions (it can read and change your files and use the "
            "network), on the text of every document you open in this project. Run it only if you trust this "
            "project and the files it runs. Your answer is remembered for this command in this project folder; "
            "you are asked again if the project changes the command or moves."
        )
        for label in box.findChildren(QLabel):  # the informative text too: never parsed as HTML
            label.setTextFormat(Qt.TextFormat.PlainText)
        box.setTextFormat(Qt.TextFormat.PlainText)
        run = box.addButton("Run It", QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton("Don't Run", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)  # No unless the user chooses Run It
        box.setEscapeButton(no)
        box.exec()
        return box.clickedButton() is run
