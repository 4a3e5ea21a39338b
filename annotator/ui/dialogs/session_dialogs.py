"""Questions about files that changed under the app: crash recovery, the annotation file changed on disk, and the
document's text changed since it was annotated. Every text is plain text (file names and span texts included)."""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.model.compare import AnnotationDiff
from annotator.model.orphan import OrphanedSpan
from annotator.model.reanchor import Reanchored
from annotator.project.journal import Recoverable, UnreadableJournal

ConflictChoice = Literal["reload", "keep_mine", "compare", "later"]
RecoveryChoice = Literal["restore", "discard", "later"]
UnreadableChoice = Literal["keep", "discard"]


def _box(parent: QWidget | None, title: str, text: str, informative: str = "", details: str = "") -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)  # always plain text
    return box


def _choose(box: QMessageBox, buttons: list[tuple[str, QMessageBox.ButtonRole, str]], default: str) -> str:
    """Add ``(text, role, answer)`` buttons to ``box``, run it, and return the clicked button's answer (the last
    button's when the box is closed otherwise, e.g. with Escape)."""
    answers = {}
    for text, role, answer in buttons:
        button = box.addButton(text, role)
        answers[id(button)] = answer
        if answer == default:
            box.setDefaultButton(button)
    box.exec()
    return answers.get(id(box.clickedButton()), buttons[-1][2])


def shorten(text: str, limit: int = 50) -> str:
    text = text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reanchor_lines(reanchored: Reanchored, limit: int = 200) -> list[str]:
    """One plain-text line per moved or orphaned span (``limit`` at most, then a count of the rest)."""
    lines = [
        f"moved     {new.label} “{shorten(new.text)}” [{old.start}, {old.end}) → [{new.start}, {new.end})"
        for old, new in reanchored.moved
    ]
    lines += [
        f"not placed {o.span.label} “{shorten(o.span.text)}” (was [{o.span.start}, {o.span.end})): {o.reason}"
        for o in reanchored.orphans
    ]
    if len(lines) > limit:
        lines = [*lines[:limit], f"… and {len(lines) - limit} more"]
    return lines


def orphan_lines(orphans: list[OrphanedSpan]) -> str:
    """Plain text, one paragraph per orphaned span: label, text, old offsets, why, and its old context."""
    return "\n\n".join(
        f"{o.span.label} “{shorten(o.span.text, 80)}” (was [{o.span.start}, {o.span.end})): {o.reason}\n"
        f"    context: …{shorten(o.prefix[-40:], 40)}[{shorten(o.span.text, 40)}]{shorten(o.suffix, 40)}…"
        + (f"\n    note: {shorten(o.span.note, 80)}" if o.span.note else "")
        for o in orphans
    )


def ask_recovery(parent: QWidget | None, recoverable: Recoverable) -> RecoveryChoice:
    """Offer to restore unsaved work left by a crash; the details list every change restoring makes."""
    box = _box(
        parent,
        "Recover unsaved work",
        "annotator was closed without saving some of your work (it crashed or was killed).",
        recoverable.describe(),
        "\n".join([*recoverable.diff.lines(200), *recoverable.faults]),
    )
    role = QMessageBox.ButtonRole
    buttons = [
        ("Restore", role.AcceptRole, "restore"),
        ("Discard", role.DestructiveRole, "discard"),
        ("Decide Later", role.RejectRole, "later"),
    ]
    return _choose(box, buttons, "restore")  # type: ignore[return-value]


def ask_unreadable_journals(parent: QWidget | None, journals: list[UnreadableJournal]) -> UnreadableChoice:
    """Say which recovery journals cannot be read (file name and reason, plain text): keep them (the default: they
    are offered again at the next start and with File → Recover Unsaved Work…) or discard them."""
    count = len(journals)
    listed = [journal.describe() for journal in journals[:20]]
    if count > 20:
        listed.append(f"… and {count - 20} more")
    box = _box(
        parent,
        "Unsaved work that cannot be read",
        f"{count} recovery journal{'' if count == 1 else 's'} of earlier sessions could not be read, so "
        f"{'its' if count == 1 else 'their'} unsaved work cannot be restored here:\n\n" + "\n".join(listed),
        "Keep leaves the journals as they are, in "
        f"{journals[0].journal_path.parent if journals else 'the recovery folder'}: one written by a newer version of "
        "annotator can be restored with that version, and a damaged one still holds its changes as JSON lines, one "
        "per change. They are offered again at the next start and with File → Recover Unsaved Work…. Discard "
        "deletes them.",
    )
    box.setIcon(QMessageBox.Icon.Warning)
    role = QMessageBox.ButtonRole
    buttons = [("Discard", role.DestructiveRole, "discard"), ("Keep", role.RejectRole, "keep")]
    return _choose(box, buttons, "keep")  # type: ignore[return-value]


def ask_conflict(parent: QWidget | None, file_name: str, unsaved: bool) -> ConflictChoice:
    """The annotation file changed on disk while open: reload it, keep mine (theirs is kept as a copy), or compare."""
    mine = "your unsaved changes" if unsaved else "your version"
    box = _box(
        parent,
        "Annotation file changed on disk",
        f"{file_name} was changed by another program (or a git pull) while you had it open.",
        f"Reload discards {mine} and shows the file as it is now. Keep Mine first saves the other version as a "
        "copy beside it, then saves yours. Compare lists the differences. Nothing is overwritten without a copy.",
    )
    role = QMessageBox.ButtonRole
    buttons = [
        ("Reload", role.DestructiveRole, "reload"),
        ("Keep Mine", role.AcceptRole, "keep_mine"),
        ("Compare…", role.HelpRole, "compare"),
        ("Decide Later", role.RejectRole, "later"),
    ]
    return _choose(box, buttons, "keep_mine")  # type: ignore[return-value]


def show_comparison(parent: QWidget | None, file_name: str, diff: AnnotationDiff) -> None:
    """Show how the version on disk (``diff``'s new side) differs from the one open (its old side)."""
    box = _box(
        parent,
        "Compare with the file on disk",
        f"The version of {file_name} on disk, compared with yours: {diff.summary()}.",
        "“+” is only on disk, “-” only in yours, “~” differs. Show Details lists each difference.",
        "\n".join(diff.lines(500)),
    )
    box.setIcon(QMessageBox.Icon.Information)
    box.addButton(QMessageBox.StandardButton.Ok)
    box.exec()


def ask_reanchor(parent: QWidget | None, file_name: str, text_name: str, reanchored: Reanchored) -> bool:
    """The text changed since it was annotated: use the re-anchored spans on the new text (and save), or keep
    showing the annotations with the text they were made on. Returns whether to re-anchor."""
    orphans = len(reanchored.orphans)
    kept = f" {orphans} could not be placed: they are kept in the file and listed, never dropped." if orphans else ""
    box = _box(
        parent,
        "The text changed since it was annotated",
        f"{text_name} is not the text {file_name} was made on. Each span was looked up by its text and the text "
        f"around it: {reanchored.summary()}.{kept}",
        "Re-anchor uses the new text and saves the annotations with it. Keep Old Text shows them with the text "
        "they were made on (nothing is changed).",
        "\n".join(reanchor_lines(reanchored)),
    )
    role = QMessageBox.ButtonRole
    buttons = [("Re-anchor and Save", role.AcceptRole, "reanchor"), ("Keep Old Text", role.RejectRole, "keep")]
    return _choose(box, buttons, "reanchor") == "reanchor"


def ask_add_labels(parent: QWidget | None, file_name: str, missing: list[str], label_set: str, links: int) -> bool:
    """Switching ``file_name`` to the label set ``label_set``, which lacks the labels ``missing`` its spans use: add
    them and switch, or leave the label set as it is. ``links`` links that do not fit the new set's relation types
    are said to be removed (undoable) before the user answers. Returns whether to add them."""
    removed = (
        f" {links} link{'' if links == 1 else 's'} that do{'es' if links == 1 else ''} not fit its relation types "
        f"{'is' if links == 1 else 'are'} removed (Undo, Ctrl+Z, brings {'it' if links == 1 else 'them'} back)."
        if links
        else ""
    )
    box = _box(
        parent,
        "Labels missing from the label set",
        f"{file_name} uses labels that the label set “{label_set}” lacks: {', '.join(missing)}.",
        "Add Labels adds them to it and switches the document to it, as one undo step; no span is dropped."
        f"{removed} Keep the Label Set leaves the document's label set as it is.",
    )
    role = QMessageBox.ButtonRole
    buttons = [("Add Labels", role.AcceptRole, "add"), ("Keep the Label Set", role.RejectRole, "keep")]
    return _choose(box, buttons, "add") == "add"
