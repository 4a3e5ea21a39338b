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
exactly between ``\n  "spans": [`` and the next ``\n  ]``, and pieces of it join with commas into the whole. A
piece of spans is serialized as a list of its own (the same :class:`~annotator.model.span.Span` serializer) and
indented one level deeper by putting two spaces after each line break (all of them structural: JSON strings hold none
raw). The spans are put in saved order once (:func:`saved_order`: the offsets read into numpy arrays, one lexsort in
C, only spans with the same offsets compared in Python).

:class:`AnnotationsSnapshot` takes what the file is made of at one moment, cheaply (on the GUI thread), so that the
pieces can be made in another thread while the set changes (a save in the background).
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import Any, Final, Protocol, cast

from pydantic_core import to_json

from annotator.io import annotation_file
from annotator.io.step_aside import StepAside
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
"""Spans serialized per call (about 4 MB of JSON, 20-40 ms) when a file is made in pieces. (2,000 per call, 2-4 ms,
made the stall of a background save beside the window no shorter once the save steps aside, and, each piece then
taken from the heap instead of mapped on its own, the 1M-span open's peak 100 MB higher.)"""
_READ_STEP: Final = 10_000
"""Spans read per call in C by :func:`saved_order` and the version's scan (one attribute of 10k spans: about 1 ms;
each such call holds Python's GIL throughout)."""
_ORDER_STEP: Final = 100_000
"""Spans put in their sorted places per call in C by :func:`saved_order` (1M in one call: 20 ms holding the GIL)."""
_START, _END, _LABEL_ID = attrgetter("start"), attrgetter("end"), attrgetter("label", "id")
_ORIGIN, _ATTRIBUTES, _ENTITY = attrgetter("origin"), attrgetter("attributes"), attrgetter("entity")


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
        """The spans in saved order ``(start, end, label, id)`` (:func:`saved_order`)."""
        return list(self.spans) if self.spans_sorted else saved_order(self.spans)

    def relations(self) -> list[Any]:
        return list(self.relation_list)

    def suggestions(self) -> list[Any]:
        return list(self.suggestion_list)

    def rejected(self) -> list[Any]:
        return list(self.rejected_list)


def dumps_pieces(
    annotations: AnnotationSet | AnnotationsSnapshot,
    slice_size: int = SLICE,
    spans_piece: int = SPANS_PIECE,
    step_aside: StepAside | None = None,
) -> Iterator[bytes]:
    """The bytes of :func:`~annotator.io.annotation_file.dumps_bytes` for ``annotations`` (joined, exactly those
    bytes), as consecutive pieces: the file up to the document's text, the text's escaped UTF-8 ``slice_size`` code
    points at a time (quotes included in the first and last), the file up to the spans, the spans ``spans_piece`` at a
    time, and the rest of the file. A text no longer than ``slice_size`` with no more than ``spans_piece`` spans comes
    as one piece. Each piece is made when asked for.

    ``step_aside`` (a :class:`~annotator.io.step_aside.StepAside`), when given, is called after each piece is made
    and restarted after the caller had it, so that a background save steps aside while the window's thread runs
    Python: the making of pieces is measured, not what the caller does with them. Without it (work that someone
    waits for, such as an open) nothing steps aside.

    Raises what :func:`dumps_bytes` raises (``ValueError`` for a ``not_started`` set)."""
    aside = step_aside if step_aside is not None else StepAside(enabled=False)
    for piece in _pieces(annotations, slice_size, spans_piece, aside):
        aside()  # the piece's making, measured
        yield piece
        aside.restart()  # what the caller did with it (a write) is not


def joined(pieces: Iterable[bytes]) -> bytes:
    """``pieces`` (such as :func:`dumps_pieces`') as one ``bytes``, written into one growing buffer as they come:
    at most the result and one piece are held (``b"".join`` of a generator holds every piece and the result at once:
    a 205 MB file, 410 MB)."""
    buffer = io.BytesIO()
    for piece in pieces:
        buffer.write(piece)
    return buffer.getvalue()  # the buffer itself, not a copy (CPython's BytesIO hands it over)


def _pieces(
    annotations: AnnotationSet | AnnotationsSnapshot, slice_size: int, spans_piece: int, aside: StepAside
) -> Iterator[bytes]:
    """:func:`dumps_pieces` without stepping aside between pieces (``aside`` is called within the spans' reading)."""
    snapshot = AnnotationsSnapshot.of(annotations)
    spans, telling = _read(snapshot.spans, not snapshot.spans_sorted, aside=aside)
    snapshot = replace(snapshot, spans=spans, spans_sorted=True)
    text = snapshot.document.text
    if len(text) <= slice_size and len(spans) <= spans_piece:
        yield _dumps(snapshot)
        return
    # the spans that decide the file's version (what dumps_bytes looks for in them) stand in for all of them
    stand_in = replace(
        snapshot,
        document=snapshot.document.model_copy(update={"text": STAND_IN}),
        spans=telling or spans[:1],
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
    serializer = _spans_serializer()
    for start in range(0, len(spans), spans_piece):
        piece = serializer.dump_json(spans[start : start + spans_piece], indent=2)  # b"[\n  {...},\n  {...}\n]"
        deeper = piece.replace(b"\n", b"\n  ")  # b"[\n    {...},\n    {...}\n  ]": as in the file
        yield (b"," if start else b"") + deeper[1 : -len(_ARRAY_END)]
    yield rest[rest.index(_ARRAY_END, content) :]


def saved_order(spans: Sequence[Span]) -> list[Span]:
    """``spans`` in saved order ``(start, end, label, id)`` (:meth:`AnnotationSet.sorted_spans
    <annotator.model.annotation_set.AnnotationSet.sorted_spans>`'s order, exactly): the offsets read into numpy arrays
    :data:`_READ_STEP` spans per call, one stable lexsort by ``(start, end)`` in C (1M spans: a few ms), and only the
    runs of spans with the same offsets sorted by ``(label, id)`` in Python. No call holds Python's GIL long (1M
    spans: about 0.3 s in all, against 1 s and more for ``sorted`` with a key, in one call)."""
    return _read(spans, True, scan=False)[0]


def _read(
    spans: Sequence[Span], order: bool, *, scan: bool = True, aside: StepAside | None = None
) -> tuple[list[Span], list[Span]]:
    """``spans`` in saved order (:func:`saved_order`; as they are unless ``order``), and the spans that decide the
    file's version (what :func:`~annotator.io.annotation_file.dumps_bytes` looks for in them): one not made by hand,
    one with attributes, one with an entity (those there are, each once; none unless ``scan``). Both read
    :data:`_READ_STEP` spans per call in C, in one pass (each span's memory touched once), calling ``aside`` (when
    given) between calls."""
    import numpy as np

    if aside is None:
        aside = StepAside(enabled=False)

    count = len(spans)
    starts, ends = np.empty(count, dtype=np.int64), np.empty(count, dtype=np.int64)
    found: list[Span | None] = [None, None, None] if scan else []
    tests = (
        lambda chunk: map(MANUAL.__ne__, map(_ORIGIN, chunk)),
        lambda chunk: map(bool, map(_ATTRIBUTES, chunk)),
        lambda chunk: map(bool, map(_ENTITY, chunk)),
    )
    for at in range(0, count, _READ_STEP):
        chunk = spans[at : at + _READ_STEP]
        if order:
            starts[at : at + len(chunk)] = np.fromiter(map(_START, chunk), dtype=np.int64, count=len(chunk))
            ends[at : at + len(chunk)] = np.fromiter(map(_END, chunk), dtype=np.int64, count=len(chunk))
        for which, test in enumerate(tests[: len(found)]):
            if found[which] is None:
                flags = list(test(chunk))
                if True in flags:
                    found[which] = chunk[flags.index(True)]
        aside()
    telling = [span for span in dict.fromkeys(found) if span is not None]
    if not order or count < 2:
        return list(spans), telling
    ranked = np.lexsort((ends, starts))
    ordered: list[Span] = []
    for at in range(0, count, _ORDER_STEP):
        ordered.extend(map(spans.__getitem__, ranked[at : at + _ORDER_STEP].tolist()))
        aside()
    starts, ends = starts[ranked], ends[ranked]
    twin = (starts[1:] == starts[:-1]) & (ends[1:] == ends[:-1])  # twin[i]: ordered[i] and ordered[i + 1] alike
    if twin.any():
        edges = np.flatnonzero(np.diff(np.concatenate(([0], twin.view(np.int8), [0]))))  # each run's first and last
        for first, last in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True):
            ordered[first : last + 1] = sorted(ordered[first : last + 1], key=_LABEL_ID)
    return ordered, telling


@cache
def _spans_serializer() -> Any:
    """A pydantic ``TypeAdapter`` of a list of spans (the annotation file's ``spans``, serialized by the same
    :class:`~annotator.model.span.Span` serializer), built when first used."""
    from pydantic import TypeAdapter

    return TypeAdapter(list[Span])


def _dumps(snapshot: AnnotationsSnapshot) -> bytes:
    """:func:`~annotator.io.annotation_file.dumps_bytes` of a snapshot (it reads only what a snapshot has)."""
    return annotation_file.dumps_bytes(cast(AnnotationSet, snapshot))
