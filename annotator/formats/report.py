"""What an export or import could not do exactly, reported span by span instead of silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

ProblemKind = Literal["dropped", "misaligned", "snapped", "trimmed", "not_exported", "orphaned"]


def count(number: int, noun: str) -> str:
    """``"1 span"``, ``"3 spans"``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass(frozen=True)
class Problem:
    """One span an export could not write as it is.

    Attributes
    ----------
    document: the record's :attr:`~annotator.formats.records.DocumentRecord.key` (``"news/a@alice"``).
    start, end: the span's offsets, code points into the record's text, half-open.
    label: the span's label.
    text: the span's text.
    kind: ``"dropped"`` (left out, e.g. by the overlap policy), ``"misaligned"`` (a boundary falls inside a token;
        left out), ``"snapped"`` (written with boundaries widened to whole tokens; ``reason`` gives the new
        offsets), ``"trimmed"`` (written without the whitespace at its edges, which no token holds; ``reason``
        gives the new offsets), ``"not_exported"`` (something the format has no room for, e.g. a note or link; the
        span itself is written) or ``"orphaned"`` (a span that could not be placed after the text changed, kept in the
        annotation file; its offsets are into the old text; never exported).
    reason: a plain-text sentence, e.g. ``"overlaps the longer actor span [0, 12); policy 'longest'"``.
    parts: for a ``"not_exported"`` problem, what of the span is left out when it is its attribute values
        (``"attributes"``) or its entity (``"entities"``), so the summary names them; ``()`` for a note, link or flag.
    """

    document: str
    start: int
    end: int
    label: str
    text: str
    kind: ProblemKind
    reason: str
    parts: tuple[str, ...] = ()

    @property
    def loses_span(self) -> bool:
        """Whether the span is missing from the output (dropped or misaligned)."""
        return self.kind in ("dropped", "misaligned", "orphaned")

    def message(self) -> str:
        """One line: ``"news/a@alice [0, 5) actor 'Biden': dropped: overlaps ..."`` (text cut to 60 characters)."""
        shown = self.text if len(self.text) <= 60 else self.text[:59] + "…"
        return f"{self.document} [{self.start}, {self.end}) {self.label} {shown!r}: {self.kind.replace('_', ' ')}: " + (
            self.reason
        )


@dataclass
class ExportReport:
    """What an export wrote and what it could not write.

    Attributes
    ----------
    format: the format's name (``"conll"``...).
    files: every file written, in order.
    documents: records written.
    spans: spans written (snapped and trimmed ones included).
    problems: one entry per span not written exactly; see :class:`Problem`.
    unannotated: of ``documents``, those nobody annotated (``export --include-unannotated``), set by
        :func:`annotator.formats.exporting.export`.
    notes: one plain-text line per document whose metadata the format cannot hold (so the summary counts them as
        such), e.g. ``"news/a@alice: its metadata ('url', 'title') is not exported: CoNLL (IOB tags) has no room
        for it"``.
    left_out: at most one plain-text line per export saying what of suggestions the format cannot hold, with
        counts, e.g. ``"not exported (CoNLL (IOB tags) has no room for them): the origin of 3 spans accepted from
        suggestions (written as if made by hand), 5 pending suggestions"``, set by
        :func:`annotator.formats.exporting.export`; :meth:`summary` includes it.
    labels_left_out: of ``notes``, the lines saying a document's labels are not exported (the format has no room
        for them), set by :func:`annotator.formats.exporting.export`; the others are about metadata.
    """

    format: str
    files: list[Path] = field(default_factory=list)
    documents: int = 0
    spans: int = 0
    problems: list[Problem] = field(default_factory=list)
    unannotated: int = 0
    notes: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    labels_left_out: int = 0

    @property
    def lost(self) -> list[Problem]:
        """The problems whose span is not in the output (dropped, misaligned, orphaned)."""
        return [p for p in self.problems if p.loses_span]

    def summary(self) -> str:
        """One plain-text sentence, e.g. ``"Exported 3 documents with 40 spans; 1 of them not annotated by anyone; 2
        spans dropped (overlapping); 1 span skipped (not aligned to tokens)"``: the spans concerned counted once per
        kind of problem, parts with a zero count left out. For spaCy, "dropped" spans are the ones left out of
        ``doc.ents`` only."""
        parts = [f"Exported {count(self.documents, 'document')} with {count(self.spans, 'span')}"]
        if self.unannotated:
            parts.append(f"{self.unannotated} of them not annotated by anyone")
        spans_by_kind: dict[str, set[tuple[str, int, int, str]]] = {}
        for problem in self.problems:  # a span may have several problems of one kind (a note and a link)
            spans_by_kind.setdefault(problem.kind, set()).add(
                (problem.document, problem.start, problem.end, problem.label)
            )
        words = {
            "dropped": "dropped (overlapping)",
            "misaligned": "skipped (not aligned to tokens)",
            "snapped": "snapped to token boundaries",
            "trimmed": "trimmed (whitespace at an edge left out)",
            "not_exported": f"with {_unheld(self.problems)} the format cannot hold",
            "orphaned": "orphaned (not placed on the changed text; kept in the annotation file, not exported)",
        }
        if self.format == "spacy":
            words["dropped"] = "left out of doc.ents (overlapping; kept in doc.spans['sc'])"
        for kind, word in words.items():
            if spans_by_kind.get(kind):
                parts.append(f"{count(len(spans_by_kind[kind]), 'span')} {word}")
        metadata = len(self.notes) - self.labels_left_out
        if metadata:
            parts.append(f"metadata of {count(metadata, 'document')} not exported (the format has no room)")
        if self.labels_left_out:
            parts.append(
                f"document labels of {count(self.labels_left_out, 'document')} not exported (the format has no room)"
            )
        parts.extend(self.left_out)
        return "; ".join(parts)


def _unheld(problems: list[Problem]) -> str:
    """What the ``"not_exported"`` problems leave out, for the summary: ``"a note, link or flag"``, ``"attributes"``,
    ``"a note, link, flag, attributes or entity"``..."""
    nouns: list[str] = []
    for problem in problems:
        if problem.kind != "not_exported":
            continue
        found = [{"attributes": "attributes", "entities": "entity"}[part] for part in problem.parts] or [
            "note",
            "link",
            "flag",
        ]
        nouns.extend(noun for noun in found if noun not in nouns)
    if not nouns:
        return "a note, link or flag"
    order = ["note", "link", "flag", "attributes", "entity"]
    nouns.sort(key=order.index)
    words = nouns[0] if len(nouns) == 1 else f"{', '.join(nouns[:-1])} or {nouns[-1]}"
    return words if nouns[0] == "attributes" else f"{'an' if nouns[0] == 'entity' else 'a'} {words}"
