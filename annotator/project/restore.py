"""Restoring recovered work into its annotation file without losing what the file holds now.

If the file on disk still holds the annotations the recovered work started from, the work simply replaces it. If
it moved on (saved since by another session, another journal restored into it, a git pull), the two are merged
(:func:`annotator.model.merge.merge_annotations`) when they changed different things; otherwise the work replaces
it and the version on disk is kept as a copy first. Whether a copy is needed is decided at write time, from the
disk as it is then.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.model.annotation_set import AnnotationSet
from annotator.model.compare import diff_annotations
from annotator.model.merge import merge_annotations
from annotator.project.journal import Recoverable


@dataclass
class RestorePlan:
    """What restoring gives.

    Attributes
    ----------
    annotations: the state to continue with (the recovered work, merged with the file on disk when it moved on).
    builds_on: the annotations of the file that ``annotations`` already include (the file as read when merged,
        else the state the work started from); ``None`` when the file on disk could not be read.
    merged: the recovered work was merged with a newer version on disk.
    """

    annotations: AnnotationSet
    builds_on: AnnotationSet | None
    merged: bool = False

    def needs_copy(self, path: Path) -> bool:
        """Whether the file at ``path`` now holds annotations that :attr:`annotations` would lose (then keep a copy
        of it before writing). A missing file needs none; an unreadable one always does."""
        if not path.exists():
            return False
        if self.builds_on is None:
            return True
        try:
            now = annotation_file.load(path)
        except FileFault:
            return True
        return diff_annotations(self.builds_on, now).annotations_differ()


def plan_restore(recoverable: Recoverable) -> RestorePlan:
    """How to restore ``recoverable`` given its annotation file as it is now (see the module docstring)."""
    path = recoverable.annotation_path
    base = recoverable.base
    if not path.exists():
        return RestorePlan(recoverable.annotations, base)
    try:
        on_disk = annotation_file.load(path)
    except FileFault:
        return RestorePlan(recoverable.annotations, None)
    if base is None or not diff_annotations(base, on_disk).annotations_differ():
        return RestorePlan(recoverable.annotations, base if base is not None else on_disk)
    merged = merge_annotations(base, on_disk, recoverable.annotations)
    if merged is None:
        return RestorePlan(recoverable.annotations, base)
    return RestorePlan(merged, on_disk, merged=True)
