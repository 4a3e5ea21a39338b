"""Restoring recovered work into its annotation file without losing what the file holds now.

If the file on disk still holds the annotations the recovered work started from, the work simply replaces it. If
it moved on (saved since by another session, another journal restored into it, a git pull), the two are merged
(:func:`annotator.model.merge.merge_annotations`) when they changed different things; otherwise the work replaces
it and the version on disk is kept as a copy first. Whether a copy is needed is decided at write time, from the
disk as it is then.

:func:`restore_to_file` does the whole restore of one journal into its file, in an order that loses nothing when
the process is killed at any step: the restored state is journaled (a new journal, which records the file it was
built on and supersedes the old one) before the file is written; the file is written atomically; the new journal
is removed, then the old one. Killed before the write, the next start offers the new journal, whose work replaces
(or merges from) the file it was built on; killed after it, both journals match the file and are dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.model.annotation_set import AnnotationSet
from annotator.model.compare import diff_annotations
from annotator.model.merge import merge_annotations
from annotator.project.journal import Recoverable, file_identity, one_line_digest
from annotator.project.session import DocumentSession, ReadOnlyError

log = logging.getLogger(__name__)  # recoveries go to the app's log (annotator.app_log)


@dataclass
class RestorePlan:
    """What restoring gives.

    Attributes
    ----------
    annotations: the state to continue with (the recovered work, merged with the file on disk when it moved on).
    builds_on: the annotations of the file that ``annotations`` already include (the file as read when merged,
        else the state the work started from); ``None`` when the file on disk could not be read.
    merged: the recovered work was merged with a newer version on disk.
    builds_on_digest: the :func:`~annotator.project.journal.one_line_digest` of the file :attr:`builds_on` was
        read from, when known: a file on disk with this digest still holds it (found without parsing the file).
    checked: the file's ``(device, inode, size, modification time in ns)`` when :func:`plan_restore` found that
        digest on disk: while they stay the same, :meth:`needs_copy` does not read and hash the file again (the
        1M-span file: 0.3-1.2 s of the GUI thread, right after the plan).
    """

    annotations: AnnotationSet
    builds_on: AnnotationSet | None
    merged: bool = False
    builds_on_digest: str | None = None
    checked: tuple[int, int, int, int] | None = None

    def needs_copy(self, path: Path) -> bool:
        """Whether the file at ``path`` now holds annotations that :attr:`annotations` would lose (then keep a copy
        of it before writing). A missing file needs none; an unreadable one always does."""
        if not path.exists():
            return False
        if self.builds_on is None:
            return True
        if self.checked is not None and file_identity(path) == self.checked:
            return False  # the file found to hold builds_on a moment ago, not written since
        if self.builds_on_digest is not None and one_line_digest(path) == self.builds_on_digest:
            return False  # the file it was built on, byte for byte (but for JSON whitespace)
        try:
            now = annotation_file.load(path)
        except FileFault:
            return True
        return diff_annotations(self.builds_on, now).annotations_differ()


def plan_restore(recoverable: Recoverable) -> RestorePlan:
    """How to restore ``recoverable`` given its annotation file as it is now (see the module docstring). Logged
    (INFO): every restore starts here."""
    path = recoverable.annotation_path
    log.info("restoring unsaved work of %s from the recovery journal %s", path, recoverable.journal_path)
    base = recoverable.base
    if not path.exists():
        return RestorePlan(recoverable.annotations, base)
    digest = recoverable.base_digest
    checked = file_identity(path)
    if base is not None and checked is not None and checked == recoverable.unchanged_as_of:  # found so, not written
        return RestorePlan(recoverable.annotations, base, builds_on_digest=digest, checked=checked)
    if base is not None and digest is not None and one_line_digest(path) == digest:  # still the file it was built on
        same = checked is not None and file_identity(path) == checked  # (not written while it was hashed)
        return RestorePlan(recoverable.annotations, base, builds_on_digest=digest, checked=checked if same else None)
    try:
        on_disk = annotation_file.load(path)
    except FileFault:
        return RestorePlan(recoverable.annotations, None)
    if base is None:  # the file the work was built on is unknown: whatever is on disk now is kept as a copy
        return RestorePlan(recoverable.annotations, None)
    if not diff_annotations(base, on_disk).annotations_differ():
        return RestorePlan(recoverable.annotations, base)
    merged = merge_annotations(base, on_disk, recoverable.annotations)
    if merged is None:
        return RestorePlan(recoverable.annotations, base)
    return RestorePlan(merged, on_disk, merged=True)


@dataclass(frozen=True)
class Restored:
    """What :func:`restore_to_file` did.

    Attributes
    ----------
    plan: how the work was restored (merged or not, see :class:`RestorePlan`).
    copy: the copy kept of the version that was on disk (it held annotations the restored state lacks), or ``None``.
    saved_at: when the file was written.
    """

    plan: RestorePlan
    copy: Path | None
    saved_at: datetime | None


def restore_to_file(
    recoverable: Recoverable, *, annotator: str, journal_folder: Path | None = None, use_lock: bool = True
) -> Restored:
    """Write ``recoverable``'s work to its annotation file (merged with a version on disk that moved on, or after
    keeping a copy of it), then delete its journal; safe to kill at any step (see the module docstring).

    Parameters
    ----------
    recoverable: the work to restore (as found at start, or refreshed).
    annotator: who restores (named in the file's lock).
    journal_folder, use_lock: as for :class:`~annotator.project.session.DocumentSession`.

    Raises
    ------
    ReadOnlyError
        When another running instance holds the file (``str()`` says who); nothing is written.
    FileFault
        When the copy or the file cannot be written; the journal is kept.
    """
    session = DocumentSession(
        recoverable.annotations,
        recoverable.annotation_path,
        annotator=annotator,
        text_path=recoverable.text_path,
        project_root=recoverable.project_root,
        journal_folder=journal_folder,
        use_lock=use_lock,
    )
    remarks = session.start()
    try:
        if session.read_only:
            raise ReadOnlyError(" ".join(remarks))
        plan = plan_restore(recoverable)
        copy = session.keep_disk_copy() if plan.needs_copy(recoverable.annotation_path) else None
        session.replace_annotations(plan.annotations, supersedes=recoverable.journal_path, builds_on=plan.builds_on)
        session.save(overwrite=True)
    finally:
        session.close()
    recoverable.discard()
    log.info(
        "restored unsaved work into %s and saved it%s%s",
        recoverable.annotation_path,
        " (merged with a newer version on disk)" if plan.merged else "",
        f"; the version on disk was kept as {copy}" if copy else "",
    )
    return Restored(plan, copy, session.last_saved)
