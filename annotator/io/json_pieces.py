"""An annotation file's JSON made in pieces, so that no single call holds Python's GIL long on a huge text (or on
many spans).

:func:`~annotator.io.annotation_file.dumps_bytes` writes the whole file in one pydantic call: 1.4 s for a 100 MB text,
during which a worker thread doing it stalls the GUI thread. :func:`dumps_pieces` gives the same bytes in pieces: the
file serialized with a short stand-in for the document's text, cut around that stand-in, and the text escaped a slice
at a time in between. A JSON string's escaping is per character (pydantic's serializer escapes ``"``, ``\\`` and
U+0000-U+001F, nothing else), so escaping slices one after the other gives exactly the escaped whole (a test checks
the joined pieces against :func:`dumps_bytes` on the trap corpus and generated texts). The spans array is cut likewise,
:data:`SPANS_PIECE` spans at a time: with ``indent=2`` a top-level key is the only thing after a line break and exactly
two spaces (JSON strings hold no raw line break, nested keys are indented deeper), so the array's content is found
exactly between ``\n  "spans": [`` and the next ``\n  ]``, and pieces of it join with commas into the whole.

:class:`AnnotationsSnapshot` takes what the file is made of at one moment, cheaply (on the GUI thread), so that the
pieces can be made in another thread while the set changes (a save in the background).
"""

from __future__ import annotations

import copy
import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from pathlib import Path
from typing import Any, Final, Protocol, cast

from pydantic_core import to_json

from annotator.io import annotation_file
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import SLICE, Document, text_slices
from annotator.model.labels import LabelSet
from annotator.model.span import MANUAL, Span

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
#: Where the spans array's content starts and ends (top-level: a line break and exactly two spaces).
_SPANS_KEY: Final = b'\n  "spans": ['
_ARRAY_END: Final = b"\n  ]"
SPANS_PIECE: Final = 20_000
"""Spans serialized per call (about 4 MB of JSON, 20-40 ms) when a file is made in pieces."""
_SORT_STEP: Final = 50_000  # spans sorted per call; the sorted runs are merged in Python (the GIL passed on)
_SAVED_ORDER: Final = attrgetter("start", "end", "label", "id")  # AnnotationSet.sorted_spans's order


@dataclass(frozen=True)
class AnnotationsSnapshot:
    """What :func:`~annotator.io.annotation_file.dumps_bytes` reads of an annotation set, taken at one moment by
    :meth:`of` (lists of its parts, which are immutable models, not copies of them: 1M spans in a few ms), so the file
    can be made from it in another thread while the set changes. Its spans are sorted (in steps) by whoever makes
    the file, not when taken."""

    document: Document
    label_set: LabelSet
    annotator: str
    document_id: str
    status: Any
    orphans: list[Any]
    metadata: dict[str, Any]
    document_labels: dict[str, Any]
    suggestions_shown: bool
    active_seconds: float
    spans: Sequence[Span]
    relation_list: list[Any]
    suggestion_list: list[Any]
    rejected_list: list[Any]
    spans_sorted: bool = False

    @classmethod
    def of(cls, annotations: AnnotationSet | AnnotationsSnapshot) -> AnnotationsSnapshot:
        """The snapshot of ``annotations`` now (itself when it is one)."""
        if isinstance(annotations, AnnotationsSnapshot):
            return annotations
        return cls(
            annotations.document,
            annotations.label_set,
            annotations.annotator,
            annotations.document_id,
            annotations.status,
            list(annotations.orphans),
            copy.deepcopy(annotations.metadata),
            copy.deepcopy(annotations.document_labels),
            annotations.suggestions_shown,
            annotations.active_seconds,
            list(annotations),
            annotations.relations(),
            annotations.suggestions(),
            annotations.rejected(),
        )

    def sorted_spans(self) -> list[Span]:
        """The spans in saved order ``(start, end, label, id)``, sorted :data:`_SORT_STEP` at a time and merged."""
        spans = list(self.spans)
        if self.spans_sorted:
            return spans
        if len(spans) <= _SORT_STEP:
            return sorted(spans, key=_SAVED_ORDER)
        runs = [sorted(spans[at : at + _SORT_STEP], key=_SAVED_ORDER) for at in range(0, len(spans), _SORT_STEP)]
        return list(heapq.merge(*runs, key=_SAVED_ORDER))

    def relations(self) -> list[Any]:
        return list(self.relation_list)

    def suggestions(self) -> list[Any]:
        return list(self.suggestion_list)

    def rejected(self) -> list[Any]:
        return list(self.rejected_list)


def dumps_pieces(
    annotations: AnnotationSet | AnnotationsSnapshot, slice_size: int = SLICE, spans_piece: int = SPANS_PIECE
) -> Iterator[bytes]:
    """The bytes of :func:`~annotator.io.annotation_file.dumps_bytes` for ``annotations`` (joined, exactly those
    bytes), as consecutive pieces: the file up to the document's text, the text's escaped UTF-8 ``slice_size`` code
    points at a time (quotes included in the first and last), the file up to the spans, the spans ``spans_piece`` at a
    time, and the rest of the file. A text no longer than ``slice_size`` with no more than ``spans_piece`` spans comes
    as one piece. Each piece is made when asked for.

    Raises what :func:`dumps_bytes` raises (``ValueError`` for a ``not_started`` set)."""
    snapshot = AnnotationsSnapshot.of(annotations)
    spans = snapshot.sorted_spans()
    snapshot = replace(snapshot, spans=spans, spans_sorted=True)
    text = snapshot.document.text
    if len(text) <= slice_size and len(spans) <= spans_piece:
        yield _dumps(snapshot)
        return
    # the spans that decide the file's version (what dumps_bytes looks for in them) stand in for all of them
    telling = [next((s for s in spans if s.origin != MANUAL), None), next((s for s in spans if s.attributes), None)]
    telling.append(next((s for s in spans if s.entity), None))
    stand_in = replace(
        snapshot,
        document=snapshot.document.model_copy(update={"text": STAND_IN}),
        spans=[span for span in dict.fromkeys(telling) if span is not None] or spans[:1],
    )
    data = _dumps(stand_in)
    quoted = b'"' + STAND_IN.encode("ascii") + b'"'
    at = data.index(_TEXT_KEY + quoted) + len(_TEXT_KEY)  # the first: the document's text
    yield data[:at] + b'"'
    for part in text_slices(text, slice_size):
        yield to_json(part)[1:-1]
    rest = data[at + len(quoted) :]
    if not spans:
        yield b'"' + rest
        return
    content = rest.index(_SPANS_KEY) + len(_SPANS_KEY)
    yield b'"' + rest[:content]
    bare = replace(stand_in, relation_list=[], suggestion_list=[], rejected_list=[], orphans=[])
    for start in range(0, len(spans), spans_piece):
        piece = _dumps(replace(bare, spans=spans[start : start + spans_piece]))
        begin = piece.index(_SPANS_KEY) + len(_SPANS_KEY)
        yield (b"," if start else b"") + piece[begin : piece.index(_ARRAY_END, begin)]
    yield rest[rest.index(_ARRAY_END, content) :]


def _dumps(snapshot: AnnotationsSnapshot) -> bytes:
    """:func:`~annotator.io.annotation_file.dumps_bytes` of a snapshot (it reads only what a snapshot has)."""
    return annotation_file.dumps_bytes(cast(AnnotationSet, snapshot))
