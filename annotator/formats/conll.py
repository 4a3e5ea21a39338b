"""CoNLL: one token per line with its entity tag, IOB2 or IOBES, as NER training and evaluation tools read it.

The format follows the CoNLL-2003 shared task (https://www.clips.uantwerpen.be/conll2003/ner/) with the IOB2 and
IOBES tag schemes of seqeval (https://github.com/chakki-works/seqeval#usage)::

    -DOCSTART- O

    Sullivan B-actor
    warned B-warning
    of I-warning
    consequences I-warning
    . O

One UTF-8 file, ``"\\n"`` line ends. Each record starts with the line ``-DOCSTART- O`` and a blank line; then come
its sentences, one ``TOKEN TAG`` line per token (one space between), and a blank line after each sentence.

Writing
-------
- Tokens and sentences: :func:`annotator.formats.tokens.tokenize` and :func:`annotator.formats.tokens.sentences`
  (rules in that module). A token never holds whitespace, so ``line.split()`` gives its two fields back; whitespace
  itself (line breaks, tabs, NBSP) is not written. No token is ``-DOCSTART-`` (``-`` is a token of its own), so a
  document's text can never start a new document.
- Whitespace at a span's edges (``" Person H"``) is part of no token: the span is written without it and reported
  ``"trimmed"`` with its new offsets (:mod:`annotator.formats.trimming`); a span that is whitespace only covers no
  token and is reported ``"misaligned"`` and left out.
- Alignment: a span whose start or end (once trimmed) falls inside a token is reported ``"misaligned"`` and left
  out; with ``options.snap`` it is moved to the boundaries of the tokens it overlaps and reported ``"snapped"``
  with its new offsets.
- Overlaps: tags cannot nest, so :func:`annotator.formats.overlap.resolve_overlaps` with ``options.overlap`` picks
  the spans written (default ``"longest"``: the longest, then the earliest); each other one is reported
  ``"dropped"``, naming the kept span it overlaps. ``"error"`` raises :class:`~annotator.formats.overlap.OverlapError`.
- Tags: IOB2 (``B-label`` on the first token, ``I-label`` on the others, ``O`` outside) or, with
  ``options.scheme == "IOBES"``, IOBES (``S-label`` for a one-token entity, ``B-``, ``I-``... ``E-label``
  otherwise). Two adjacent spans of one label stay two entities (``B-actor B-actor``). A span whose label holds
  whitespace cannot be a tag and is reported ``"dropped"``.
- A record without spans (annotated with nothing found, or nobody's, with ``--include-unannotated``) is written
  with every token ``O``.
- A sentence break never falls inside a written span, so an entity crossing a line break stays one entity.
- Notes, links and the "uncertain" mark have no place in CoNLL: each written span with any of them is reported once
  as ``"not_exported"``.

Reading
-------
- Documents start at lines whose first field is ``-DOCSTART-`` (``-DOCSTART- O`` and CoNLL-2003's
  ``-DOCSTART- -X- O O`` alike); a file without one is one document. A blank line (or whitespace only) ends a
  sentence. Line ends may be ``"\\n"``, ``"\\r\\n"`` or ``"\\r"``; a UTF-8 BOM is skipped.
- Other lines: the token is the first whitespace-separated field, the tag the last (columns between, such as
  CoNLL-2003's part-of-speech and chunk tags, are ignored).
- The text is rebuilt: tokens joined by one space, sentences by ``"\\n"``. Offsets of the entities are code points
  into this text (the original spacing is not in the file).
- Tags: ``O``, ``B-``, ``I-``, ``E-``, ``S-`` and a label; IOB2 and IOBES are both accepted. An ``I-`` or ``E-``
  tag that does not continue an entity of its label (e.g. ``I-claim`` after ``O``: IOB1 style) is rejected, naming
  its line, and its token read as ``O``; so are lines with one field and tags of another form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from annotator.formats.files import make_folder, read_utf8
from annotator.formats.options import ExportOptions, ImportOptions
from annotator.formats.overlap import resolve_overlaps
from annotator.formats.parsed import ParsedRecord, RawSpan, RecordFault
from annotator.formats.records import DocumentRecord
from annotator.formats.report import ExportReport, Problem, ProblemKind, count
from annotator.formats.tokens import Token, sentences, token_range, tokenize
from annotator.formats.trimming import ONLY_WHITESPACE, trim, trim_note, trimmed_reason
from annotator.io.atomic import atomic_write_text
from annotator.io.errors import FileFault
from annotator.model.span import Span

FORMAT_NAME = "conll"
DOCSTART = "-DOCSTART-"
DOCSTART_LINE = f"{DOCSTART} O"
TAG_SCHEMES = ("IOB2", "IOBES")

_TAG = re.compile(r"(?P<prefix>[BIES])-(?P<label>.+)", re.DOTALL)
_LINE_END = re.compile(r"\r\n|\r|\n")


def _shown(text: str, limit: int = 40) -> str:
    """``repr(text)``, cut to about ``limit`` characters."""
    return repr(text) if len(text) <= limit else repr(text[: limit - 1]) + "…"


def _place(token: Token) -> str:
    return f"the token {_shown(token.text)} [{token.start}, {token.end})"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


# ---------------------------------------------------------------------------------------------------- writing


def write_conll(records: Iterable[DocumentRecord], out: Path, options: ExportOptions | None = None) -> ExportReport:
    """Write ``records`` to the CoNLL file ``out`` (format and rules in the module docstring), one record at a time.

    Returns
    -------
    ExportReport
        ``files == [out]``, ``documents`` the records written, ``spans`` the entities written (snapped ones
        included), ``problems`` every span misaligned, snapped, trimmed, dropped or with a note, link or mark not
        written.

    Raises
    ------
    OverlapError
        With ``options.overlap == "error"``, at the first record whose aligned spans overlap (nothing is written).
    ValueError
        For an unknown tag scheme or overlap policy.
    FileFault
        If ``out`` or its folder cannot be written.
    """
    options = options or ExportOptions()
    if options.scheme not in TAG_SCHEMES:
        raise ValueError(f"unknown CoNLL tag scheme {options.scheme!r}; use one of {', '.join(TAG_SCHEMES)}")
    report = ExportReport(FORMAT_NAME)
    parts: list[str] = []
    for record in records:
        content, written, problems = conll_document(record, options)
        parts.append(content)
        report.documents += 1
        report.spans += written
        report.problems.extend(problems)
    out = Path(out)
    make_folder(out.parent)
    atomic_write_text(out, "".join(parts))
    report.files.append(out)
    return report


class TaggedRecord(NamedTuple):
    """One record as tokens with one tag each (see :func:`tag_record`): ``tokens`` of its text, ``spans`` the
    entities written (aligned to the tokens, non-overlapping, in text order), ``tags`` one per token, ``problems``
    sorted by offsets."""

    tokens: list[Token]
    spans: list[Span]
    tags: list[str]
    problems: list[Problem]


def tag_record(record: DocumentRecord, options: ExportOptions) -> TaggedRecord:
    """The tokens of ``record`` (:func:`annotator.formats.tokens.tokenize`) and their tags in ``options.scheme``,
    by the module docstring's rules for whitespace, alignment (``options.snap``), overlaps (``options.overlap``)
    and labels; shared by the CoNLL and Hugging Face exports.

    Raises
    ------
    OverlapError
        With the overlap policy ``"error"`` when the aligned spans overlap.
    """
    tokens = tokenize(record.text)
    problems: list[Problem] = []
    aligned, originals, moves = _aligned_spans(record, tokens, options.snap, problems)
    kept, dropped = resolve_overlaps(aligned, options.overlap, record.key)
    for span, blocker in dropped:
        reason = _overlap_reason(span, blocker, options.overlap)
        if id(span) in moves:
            reason = f"once {moves[id(span)][0]} to [{span.start}, {span.end}), it {reason}"
        problems.append(_problem(record, originals[id(span)], "dropped", reason))
    for span in kept:
        original = originals[id(span)]
        if id(span) in moves:
            problems.append(_problem(record, original, *moves[id(span)]))
        unwritten = _unwritten_parts(record, original)
        if unwritten:
            reason = f"CoNLL cannot hold {_and(unwritten)}; the span itself is written"
            problems.append(_problem(record, original, "not_exported", reason))
    kinds = ("misaligned", "snapped", "trimmed", "dropped", "not_exported")
    problems.sort(key=lambda p: (p.start, p.end, p.label, kinds.index(p.kind)))
    return TaggedRecord(tokens, kept, entity_tags(tokens, kept, options.scheme), problems)


def conll_document(record: DocumentRecord, options: ExportOptions) -> tuple[str, int, list[Problem]]:
    """One record in CoNLL: ``(lines, entities written, problems)``; ``lines`` start with ``-DOCSTART- O`` and a
    blank line and end with the blank line after the last sentence.

    Raises
    ------
    OverlapError
        With the overlap policy ``"error"`` when the aligned spans overlap.
    """
    tokens, kept, tags, problems = tag_record(record, options)
    lines = [DOCSTART_LINE, "\n\n"]
    index = 0
    for sentence in sentences(record.text, tokens, [(span.start, span.end) for span in kept]):
        for token in sentence:
            lines += [token.text, " ", tags[index], "\n"]
            index += 1
        lines.append("\n")
    return "".join(lines), len(kept), problems


def entity_tags(tokens: list[Token], spans: Iterable[Span], scheme: str = "IOB2") -> list[str]:
    """One tag per token for ``spans`` (non-overlapping, each starting and ending at token boundaries), in the tag
    ``scheme`` ``"IOB2"`` or ``"IOBES"``; ``"O"`` for tokens outside every span."""
    tags = ["O"] * len(tokens)
    for span in spans:
        first, last = token_range(tokens, span.start, span.end)
        if scheme == "IOBES" and first == last:
            tags[first] = f"S-{span.label}"
            continue
        tags[first] = f"B-{span.label}"
        for index in range(first + 1, last + 1):
            tags[index] = f"I-{span.label}"
        if scheme == "IOBES":
            tags[last] = f"E-{span.label}"
    return tags


def _aligned_spans(
    record: DocumentRecord, tokens: list[Token], snap: bool, problems: list[Problem]
) -> tuple[list[Span], dict[int, Span], dict[int, tuple[ProblemKind, str]]]:
    """The spans that can be tagged: ``(spans, originals, moves)``. ``spans`` holds the record's spans that fit the
    tokens once trimmed of whitespace (:func:`annotator.formats.trimming.trim`) and, with ``snap``, the others
    moved to token boundaries; ``originals`` maps ``id()`` of each to the record's span, ``moves`` ``id()`` of each
    trimmed or moved one to the problem (kind ``"trimmed"`` or ``"snapped"``, reason) reported if it is written.
    Spans left out are reported in ``problems``."""
    aligned: list[Span] = []
    originals: dict[int, Span] = {}
    moves: dict[int, tuple[ProblemKind, str]] = {}
    text = record.text
    for span in record.spans:
        if any(ch.isspace() for ch in span.label):
            reason = f"its label {span.label!r} holds whitespace, which a CoNLL tag cannot"
            problems.append(_problem(record, span, "dropped", reason))
            continue
        trimmed = trim(span)
        if trimmed is None:
            problems.append(_problem(record, span, "misaligned", f"{ONLY_WHITESPACE}, so it cannot be tagged"))
            continue
        # both edges of the trimmed span are non-space characters, so each lies inside a token
        first, last = token_range(tokens, trimmed.start, trimmed.end)
        start, end = tokens[first].start, tokens[last].end
        moved = trimmed
        if (start, end) != (trimmed.start, trimmed.end):
            faults = _boundary_faults(trimmed, tokens[first], tokens[last])
            if trimmed is not span:
                faults = f"{trim_note(span, trimmed)}, and without it {faults}"
            widened = f"[{start}, {end}) {_shown(text[start:end], 60)}"
            if not snap:
                reason = f"{faults}; left out (snapping would write it as {widened})"
                problems.append(_problem(record, span, "misaligned", reason))
                continue
            moved = span.model_copy(update={"start": start, "end": end, "text": text[start:end]})
            moves[id(moved)] = ("snapped", f"{faults}; snapped to the token boundaries: written as {widened}")
        elif trimmed is not span:
            moves[id(moved)] = ("trimmed", trimmed_reason(span, trimmed))
        aligned.append(moved)
        originals[id(moved)] = span
    return aligned, originals, moves


def _boundary_faults(span: Span, first: Token, last: Token) -> str:
    """Why ``span`` (its edges not whitespace) does not start at ``first`` and end at ``last`` (the first and last
    tokens it overlaps)."""
    faults = []
    if span.start > first.start:
        faults.append(f"its start falls inside {_place(first)}")
    if span.end < last.end:
        faults.append(f"its end falls inside {_place(last)}")
    return " and ".join(faults)


def _overlap_reason(span: Span, blocker: Span, policy: str) -> str:
    if (blocker.start, blocker.end) == (span.start, span.end):
        why = "has the same offsets and comes first by label"
    elif policy == "longest":
        why = "is longer" if blocker.end - blocker.start > span.end - span.start else "is as long and starts earlier"
    else:
        why = "starts earlier" if blocker.start < span.start else "starts at the same point and is longer"
    return (
        f"overlaps the kept {blocker.label} span [{blocker.start}, {blocker.end}) {_shown(blocker.text)}, which "
        f"{why} (overlap policy {policy!r}); CoNLL tags cannot overlap"
    )


def _unwritten_parts(record: DocumentRecord, span: Span) -> list[str]:
    """What of ``span`` CoNLL has no room for: its note, its uncertain mark, its links."""
    parts = []
    if span.note:
        parts.append("its note")
    if span.uncertain:
        parts.append("its 'uncertain' mark")
    links = [r for r in record.relations if span.id in (r.from_, r.to)]
    if links:
        types = ", ".join(sorted({r.type for r in links}))
        parts.append(f"its link ({types})" if len(links) == 1 else f"its {count(len(links), 'link')} ({types})")
    return parts


def _problem(record: DocumentRecord, span: Span, kind: ProblemKind, reason: str) -> Problem:
    return Problem(record.key, span.start, span.end, span.label, span.text, kind, reason)


# ---------------------------------------------------------------------------------------------------- reading


def read_conll(path: Path, options: ImportOptions | None = None) -> Iterator[ParsedRecord | RecordFault]:
    """The documents of the CoNLL file ``path`` (rules in the module docstring), as parsed records.

    Record ids are ``"<file stem>-<n>"`` (``n`` counts documents from 1); ``where`` is ``"<file name> document <n>
    (line <L>)"`` with ``L`` the document's first line; span ``where`` names the line of its first token. Tag
    problems go to ``ParsedRecord.rejected`` as ``"line 12: ..."``. The file is read and checked when this is
    called; the records are built as they are iterated.

    Raises
    ------
    FileFault
        If the file cannot be read, is not UTF-8, or has lines but no ``TOKEN TAG`` line and no ``-DOCSTART-``.
    """
    path = Path(path)
    lines = _LINE_END.split(read_utf8(path))
    documents = _documents(lines)
    if any(line.strip() for line in lines) and not any(
        fields[0] == DOCSTART or (len(fields) > 1 and _tag_fault(fields[-1]) == "")
        for fields in (line.split() for line in lines)
        if fields
    ):
        raise FileFault(path, "has no 'TOKEN TAG' line (tags O, B-, I-, E-, S-) and no -DOCSTART-; is it CoNLL?")
    return (_parsed(path, number, first, items) for number, (first, items) in enumerate(documents, start=1))


def _documents(lines: list[str]) -> list[tuple[int, list[tuple[int, list[str]]]]]:
    """``(first line number, [(line number, fields)...])`` per document; blank lines have no fields."""
    documents: list[tuple[int, list[tuple[int, list[str]]]]] = []
    for number, line in enumerate(lines, start=1):
        fields = line.split()
        if fields and fields[0] == DOCSTART:
            documents.append((number, []))
        elif documents:
            documents[-1][1].append((number, fields))
        elif fields:  # content before any -DOCSTART-: a document of its own
            documents.append((number, [(number, fields)]))
    return documents


def _tag_fault(tag: str) -> str:
    """Why ``tag`` is not a tag (``""`` when it is ``O`` or a prefix and a label)."""
    if tag == "O" or _TAG.fullmatch(tag):
        return ""
    return f"{_shown(tag)} is not a tag (O, or B-, I-, E-, S- and a label)"


def _parsed(path: Path, number: int, first_line: int, items: list[tuple[int, list[str]]]) -> ParsedRecord:
    """The record of one document: its rebuilt text, its entities and the lines rejected."""
    rejected: list[tuple[int, str]] = []  # (line, message)
    spans: list[RawSpan] = []
    sentence_texts: list[str] = []
    offset = 0
    sentence: list[tuple[int, str, str]] = []  # (line, token, tag)
    for line, fields in [*items, (0, [])]:
        if fields:
            if len(fields) == 1:
                rejected.append((line, f"{_shown(fields[0])} has no tag (expected 'TOKEN TAG'); read as O"))
                sentence.append((line, fields[0], "O"))
            elif fault := _tag_fault(fields[-1]):
                rejected.append((line, f"{fault}; the token {_shown(fields[0])} is read as O"))
                sentence.append((line, fields[0], "O"))
            else:
                sentence.append((line, fields[0], fields[-1]))
            continue
        if not sentence:
            continue
        starts = []
        for _line, token, _tag in sentence:
            starts.append(offset)
            offset += len(token) + 1
        sentence_text = " ".join(token for _line, token, _tag in sentence)
        base = starts[0]
        for first, last, label in _entities(sentence, rejected):
            start, end = starts[first], starts[last] + len(sentence[last][1])
            text = sentence_text[start - base : end - base]
            spans.append(RawSpan(start, end, label, text, where=f"line {sentence[first][0]}"))
        sentence_texts.append(sentence_text)
        sentence = []
    return ParsedRecord(
        where=f"{path.name} document {number} (line {first_line})",
        id=f"{path.stem}-{number}",
        text="\n".join(sentence_texts),
        spans=spans,
        rejected=[f"line {line}: {message}" for line, message in sorted(rejected, key=lambda item: item[0])],
    )


def _entities(sentence: list[tuple[int, str, str]], rejected: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """The entities ``(first token, last token, label)`` of one sentence's ``(line, token, tag)`` items, IOB2 and
    IOBES alike; an ``I-``/``E-`` tag that continues no entity of its label is added to ``rejected`` as ``(line,
    message)`` and read as ``O``."""
    entities: list[tuple[int, int, str]] = []
    current: tuple[int, str] | None = None  # (first token, label) of the entity being read
    previous = ""  # the previous token's tag as read, for messages
    for index, (line, _token, tag) in enumerate(sentence):
        match = _TAG.fullmatch(tag)
        prefix, label = (match["prefix"], match["label"]) if match else ("O", "")
        if prefix in "IE" and current is not None and current[1] == label:
            if prefix == "E":
                entities.append((current[0], index, label))
                current = None
            previous = tag
            continue
        if current is not None:
            entities.append((current[0], index - 1, current[1]))
            current = None
        if prefix in "IE":
            after = f"after {previous}" if previous else "at the start of a sentence"
            rejected.append((line, f"{tag} does not continue a {label} entity ({after}); read as O"))
            previous = f"{tag}, read as O"
            continue
        if prefix == "B":
            current = (index, label)
        elif prefix == "S":
            entities.append((index, index, label))
        previous = tag
    if current is not None:
        entities.append((current[0], len(sentence) - 1, current[1]))
    return entities
