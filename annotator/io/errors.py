"""The one error type that file readers and writers raise, so the UI and CLI can show it without a traceback."""

from __future__ import annotations

from pathlib import Path


class FileFault(Exception):
    """A file could not be read, decoded, validated or written.

    Attributes
    ----------
    path: the file concerned.
    faults: one plain-text sentence per problem found (at least one).

    ``str(error)`` is a message naming the file and every fault, suitable for a message box or stderr.
    """

    def __init__(self, path: str | Path, faults: list[str] | str) -> None:
        self.path = Path(path)
        self.faults = [faults] if isinstance(faults, str) else list(faults)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """``"<file>: <fault>"`` for one fault, else the file name followed by one fault per line."""
        if len(self.faults) == 1:
            return f"{self.path}: {self.faults[0]}"
        return f"{self.path}: {len(self.faults)} problems:\n" + "\n".join(f"- {f}" for f in self.faults)
