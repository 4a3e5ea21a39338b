"""A document's annotation status, as one annotator sees it: not started, in progress, done or flagged."""

from __future__ import annotations

from enum import StrEnum


class DocumentStatus(StrEnum):
    """Where one annotator is with one document.

    ``not_started``: no annotation file yet. ``in_progress``: an annotation file exists and is neither done nor
    flagged. ``done``: the annotator marked it finished. ``flagged``: marked for attention (a question, a bad text).
    Saved in the annotation file as the string value (only the last three appear there).
    """

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    FLAGGED = "flagged"

    @property
    def display_name(self) -> str:
        """Plain-text name for people: "Not started", "In progress", "Done", "Flagged"."""
        return self.value.replace("_", " ").capitalize()
