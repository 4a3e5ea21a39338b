"""The annotation set: one annotator's spans over one document, with the label set they use.

All changes go through :mod:`annotator.model.commands`, which call the mutators here and report a
:class:`Change` so that views redraw only what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from annotator.model.document import Document
from annotator.model.labels import LabelSet
from annotator.model.span import Span


@dataclass(frozen=True)
class Change:
    """What one change did: spans added, spans removed, and ``(old, new)`` pairs of spans replaced."""

    added: tuple[Span, ...] = ()
    removed: tuple[Span, ...] = ()
    changed: tuple[tuple[Span, Span], ...] = field(default=())

    def inverse(self) -> Change:
        """The change that undoes this one."""
        return Change(added=self.removed, removed=self.added, changed=tuple((n, o) for o, n in self.changed))


def span_faults(span: Span, text: str, label_set: LabelSet | None = None) -> list[str]:
    """Reasons why ``span`` does not fit ``text`` (and ``label_set``, when given); empty when it fits.

    Checks ``0 <= start < end <= len(text)`` (code points), ``text[start:end] == span.text`` and that the label
    belongs to the label set.
    """
    faults = []
    if span.end > len(text):
        faults.append(f"end {span.end} is beyond the text's length ({len(text)} code points)")
    elif text[span.start : span.end] != span.text:
        faults.append(
            f"text {span.text!r} does not match the document at [{span.start}, {span.end}): "
            f"{text[span.start : span.end]!r}"
        )
    if label_set is not None and label_set.get(span.label) is None:
        faults.append(f"label {span.label!r} is not in the label set ({', '.join(label_set.names)})")
    return faults


def trim_whitespace(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` (code points) without leading and trailing whitespace (``str.isspace``: NBSP, tabs, line
    breaks, U+2028...), or ``None`` when nothing but whitespace is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


class AnnotationSet:
    """Spans of one annotator over one document.

    Parameters
    ----------
    document: the document annotated.
    label_set: the labels spans may carry.
    annotator: the annotator's name (plain text).
    spans: initial spans; their ids must be unique (``ValueError`` otherwise).

    Spans are kept by id; :meth:`sorted_spans` gives the saved order ``(start, end, label, id)``.
    """

    def __init__(self, document: Document, label_set: LabelSet, annotator: str, spans: Iterable[Span] = ()) -> None:
        self.document = document
        self.label_set = label_set
        self.annotator = annotator
        self._spans: dict[str, Span] = {}
        self._next_id = 1
        for span in spans:
            self.insert(span)

    # -- reading --------------------------------------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The document's exact text."""
        return self.document.text

    def __len__(self) -> int:
        return len(self._spans)

    def __iter__(self) -> Iterator[Span]:
        return iter(self._spans.values())

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._spans

    def get(self, span_id: str) -> Span:
        """The span with id ``span_id`` (``KeyError`` if none)."""
        return self._spans[span_id]

    def sorted_spans(self) -> list[Span]:
        """Spans sorted by ``(start, end, label, id)``."""
        return sorted(self._spans.values(), key=lambda s: s.sort_key)

    def spans_at(self, cp: int) -> list[Span]:
        """Spans covering code point ``cp`` (``start <= cp < end``), shortest first."""
        hits = [s for s in self._spans.values() if s.start <= cp < s.end]
        return sorted(hits, key=lambda s: (s.end - s.start, s.start, s.label, s.id))

    def counts_by_label(self) -> dict[str, int]:
        """Number of spans per label, for every label of the label set (and any other label present)."""
        counts = dict.fromkeys(self.label_set.names, 0)
        for span in self._spans.values():
            counts[span.label] = counts.get(span.label, 0) + 1
        return counts

    def find(self, start: int, end: int, label: str) -> Span | None:
        """A span with exactly these offsets and label, or ``None``."""
        return next((s for s in self._spans.values() if (s.start, s.end, s.label) == (start, end, label)), None)

    # -- building spans -------------------------------------------------------------------------------------------
    def new_span(self, start: int, end: int, label: str) -> Span:
        """A new span over ``[start, end)`` (code points) with a fresh id; not yet inserted.

        Raises
        ------
        ValueError
            If the offsets are outside the text or empty, or the label is not in the label set.
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is empty or outside the text (0..{len(self.text)})")
        if self.label_set.get(label) is None:
            raise ValueError(f"label {label!r} is not in the label set")
        while f"s{self._next_id}" in self._spans:
            self._next_id += 1
        span_id = f"s{self._next_id}"
        self._next_id += 1
        return Span(id=span_id, start=start, end=end, label=label, text=self.text[start:end])

    # -- mutators (used by commands) ------------------------------------------------------------------------------
    def insert(self, span: Span) -> None:
        """Insert ``span`` (``ValueError`` if its id is taken)."""
        if span.id in self._spans:
            raise ValueError(f"duplicate span id {span.id!r}")
        self._spans[span.id] = span

    def delete(self, span_id: str) -> Span:
        """Remove and return the span with id ``span_id`` (``KeyError`` if none)."""
        return self._spans.pop(span_id)

    def replace(self, span: Span) -> Span:
        """Put ``span`` in place of the span with the same id; returns the old one (``KeyError`` if none)."""
        old = self._spans[span.id]
        self._spans[span.id] = span
        return old

    def apply(self, change: Change) -> None:
        """Apply ``change``: remove its removed spans, insert its added ones, replace the changed ones."""
        for span in change.removed:
            self.delete(span.id)
        for span in change.added:
            self.insert(span)
        for _old, new in change.changed:
            self.replace(new)
