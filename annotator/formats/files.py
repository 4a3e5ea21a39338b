"""File chores shared by the formats: creating folders and reading UTF-8 input, with faults as :class:`FileFault`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from annotator.formats.checking import shown
from annotator.formats.parsed import ParsedRecord, RecordFault
from annotator.io.errors import FileFault


def make_folder(folder: Path) -> None:
    """Create ``folder`` and its parents (nothing when it exists).

    Raises
    ------
    FileFault
        Naming the folder and the OS error.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FileFault(folder, f"could not create the folder ({error.strerror or error})") from error


def write_text(file: BinaryIO, out: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``file`` (an :func:`annotator.io.atomic.atomic_writer` of ``out``) and flush it,
    so that a streamed export holds no more than the piece it is writing.

    Raises
    ------
    FileFault
        Naming ``out``, as :func:`annotator.io.atomic.atomic_write_text` does, when ``text`` is not valid Unicode (a
        lone surrogate); the writer then leaves ``out`` as it was.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise FileFault(out, f"could not save: the content is not valid Unicode text ({error.reason})") from error
    file.write(data)
    file.flush()


def read_utf8(path: Path) -> str:
    """The content of the file ``path`` decoded as UTF-8 (a leading BOM removed).

    Raises
    ------
    FileFault
        If it cannot be read, or is not UTF-8 (naming the first bad line).
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileFault(path, f"could not read it ({error.strerror or error})") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileFault(path, f"not UTF-8 (line {line}: {error.reason}); save it as UTF-8 and try again") from error


def json_lines(
    name: str, content: str, parse_line: Callable[[str, str], ParsedRecord | RecordFault]
) -> Iterator[ParsedRecord | RecordFault]:
    """``parse_line(line, "<name> line <n>")`` for each non-blank line of a JSON Lines ``content``. Lines are split
    at ``"\\n"`` only: a U+2028 may stand inside a JSON string."""
    for number, line in enumerate(content.split("\n"), start=1):
        if line.strip(" \t\r"):
            yield parse_line(line, f"{name} line {number}")


def json_object(line: str, where: str) -> dict[str, Any] | RecordFault:
    """The JSON object on ``line``, or the :class:`RecordFault` (named ``where``) saying why it is not one."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        return RecordFault(where, f"not valid JSON ({error.msg}: column {error.colno})")
    except (ValueError, RecursionError) as error:  # huge integers, absurd nesting
        return RecordFault(where, f"not usable JSON ({type(error).__name__}: {str(error)[:120]})")
    if not isinstance(value, dict):
        return RecordFault(where, f"not a JSON object (found {shown(value)})")
    return value
