"""An annotation file's JSON made in pieces, so that no single call holds Python's GIL long on a huge text.

:func:`~annotator.io.annotation_file.dumps_bytes` writes the whole file in one pydantic call: 1.4 s for a 100 MB text,
during which a worker thread doing it stalls the GUI thread. :func:`dumps_pieces` gives the same bytes in pieces: the
file serialized with a short stand-in for the document's text, cut around that stand-in, and the text escaped a slice
at a time in between. A JSON string's escaping is per character (pydantic's serializer escapes ``"``, ``\\`` and
U+0000-U+001F, nothing else), so escaping slices one after the other gives exactly the escaped whole (a test checks
the joined pieces against :func:`dumps_bytes` on the trap corpus and generated texts).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Final, Protocol

from pydantic_core import to_json

from annotator.io import annotation_file
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import SLICE, text_slices

#: Stands in for the document's text while the rest is serialized (lowercase letters, digits and hyphens only).
STAND_IN: Final = "annotator-document-text-5e0c7d31a9b2"
JsonBytes = bytes | tuple[bytes, ...]
"""A JSON text's UTF-8 bytes, whole or as consecutive pieces (:func:`dumps_pieces`, kept as a tuple)."""


class JsonWritten(Protocol):
    """An annotation file's JSON already written to a file of its own, off the GUI thread, so nobody keeps its bytes
    in memory (the recovery journal's base written ahead: :class:`~annotator.project.journal.JournalBase`).

    Attributes: ``path`` (the file), ``size`` (its length in bytes); :meth:`discard` removes it when unused."""

    path: Path
    size: int

    def discard(self) -> None:
        """Remove the file (unused)."""


#: The file's start up to the document's text: nothing before it holds a string a user chose.
_TEXT_KEY: Final = b'"document": {\n    "text": '


def dumps_pieces(annotations: AnnotationSet, slice_size: int = SLICE) -> Iterator[bytes]:
    """The bytes of :func:`~annotator.io.annotation_file.dumps_bytes` for ``annotations`` (joined, exactly those
    bytes), as consecutive pieces: the file up to the document's text, the text's escaped UTF-8 ``slice_size`` code
    points at a time (quotes included in the first and last), and the rest of the file. A text no longer than
    ``slice_size`` comes as one piece. Each piece is made when asked for.

    Raises what :func:`dumps_bytes` raises (``ValueError`` for a ``not_started`` set)."""
    text = annotations.document.text
    if len(text) <= slice_size:
        yield annotation_file.dumps_bytes(annotations)
        return
    stand_in = copy.copy(annotations)  # shares the spans and everything else; only read
    stand_in.document = annotations.document.model_copy(update={"text": STAND_IN})
    data = annotation_file.dumps_bytes(stand_in)
    quoted = b'"' + STAND_IN.encode("ascii") + b'"'
    at = data.index(_TEXT_KEY + quoted) + len(_TEXT_KEY)  # the first: the document's text
    yield data[:at] + b'"'
    for part in text_slices(text, slice_size):
        yield to_json(part)[1:-1]
    yield b'"' + data[at + len(quoted) :]
