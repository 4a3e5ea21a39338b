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
  as ``"not_exported"``. Nor do span attributes, entities and document labels: ``Format.holds`` says so and
  :func:`annotator.formats.exporting.export` reports each span and document concerned.

Reading
-------
- Documents start at lines whose first field is ``-DOCSTART-`` (``-DOCSTART- O`` and CoNLL-2003's
  ``-DOCSTART- -X- O O`` alike); a file without one is one document. A blank line (or whitespace only) ends a
  sentence. Line ends may be ``"\\n"``, ``"\\r\\n"`` or ``"\\r"``; a UTF-8 BOM is skipped.
- Other lines are token lines: fields separated by spaces or tabs. A line starting with ``#`` is a comment and left
  out (CoNLL-U's ``# id = 1``, GermEval 2014's ``#<TAB>source``) unless it has a tag in a tag column (``# O``: the
  token ``#``); comments do not end a sentence.
- Columns (``options.word_column``, ``options.tag_column``, 1-based; each detected when not given). Detection looks
  at the token lines (not comments), as many columns as most of them have:

  - column 1 is an **index** (never the word unless asked) when the lines have three columns or more and it counts
    1, 2, 3... in every sentence (GermEval 2014: ``1<TAB>Schartau<TAB>B-PER<TAB>O``);
  - a column **could be the tags** when all its values are tags of any scheme (``O``, or ``B-``, ``I-``, ``E-``,
    ``S-``, ``L-``, ``U-`` and a label); when no column is, when more than half of them are (so a few bad tags are
    rejected line by line). The index and the word column given are never the tags;
  - one such column is the tags. Of several, a column whose labels are all CoNLL-2000 chunk types
    (:data:`CHUNK_TYPES`: CoNLL-2003's ``B-NP``, ``I-VP`` column) is not the entities', so CoNLL-2003 (``EU NNP
    B-NP B-ORG``) reads its last column. Otherwise the file is refused with a message naming the columns that hold
    tags (GermEval's outer and nested tags) and the ``--tag-column`` choices;
  - the word is the first column that is neither the index nor the tags.

  Several tag columns may be given (``options.tag_column`` a tuple: GermEval's outer and nested columns): the
  entities of each are read, an entity in two columns once; a message on a tag names its column. When one tag column
  is read and another column holds entity tags too (not chunk tags) with an entity, the first record's
  ``notes`` say so, naming the ``--tag-column`` that reads them all.
  A column given that no line has, the same column for both, or a tag column without a tag refuse the file. A line
  short of the word column is rejected and left out; one short of the tag column, or whose tag is not a tag of the
  scheme, is rejected and its token read as ``O``.
- The text is rebuilt: tokens joined by one space, sentences by ``"\\n"``. Offsets of the entities are code points
  into this text (the original spacing is not in the file).
- Tag schemes (``options.scheme``): ``None`` (the default) reads IOB2 and IOBES alike (``B-``, ``I-``, ``E-``,
  ``S-``); ``"IOB2"``, ``"IOBES"``, ``"BILOU"`` (``B-``, ``I-``, ``L-`` last, ``U-`` single) and ``"IOB1"`` (``I-``
  starts an entity unless it follows one of its label, as in the original CoNLL-2003 files; ``B-`` starts one).
  The scheme holds for the whole file: tags with a prefix the scheme has not (``U-`` under IOB2) refuse the file,
  naming the ``--scheme`` that has them; and under any scheme but IOB1, a file of ``B-``/``I-`` tags only where an
  ``I-`` starts an entity (after ``O``, another label, or at a sentence start) is refused as IOB1, suggesting
  ``--scheme IOB1``. In a file that passes, an ``I-``, ``E-`` or ``L-`` tag that does not continue an entity of
  its label (e.g. a stray ``E-claim`` after ``O``) is rejected, naming its line, and its token read as ``O``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from annotator.formats.files import make_folder, read_utf8, write_text
from annotator.formats.options import ExportOptions, ImportOptions
from annotator.formats.overlap import resolve_overlaps
from annotator.formats.parsed import ParsedRecord, RawSpan, RecordFault
from annotator.formats.records import DocumentRecord
from annotator.formats.report import ExportReport, Problem, ProblemKind, count
from annotator.formats.tokens import Token, sentences, token_range, tokenize
from annotator.formats.trimming import ONLY_WHITESPACE, trim, trim_note, trimmed_reason
from annotator.io.atomic import atomic_writer
from annotator.io.errors import FileFault
from annotator.model.span import Span

FORMAT_NAME = "conll"
DOCSTART = "-DOCSTART-"
DOCSTART_LINE = f"{DOCSTART} O"
TAG_SCHEMES = ("IOB2", "IOBES")

_TAG = re.compile(r"(?P<prefix>[BIESLU])-(?P<label>.+)", re.DOTALL)
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
    out = Path(out)
    make_folder(out.parent)
    with atomic_writer(out) as file:  # each record written before the next is read: memory stays flat
        for record in records:
            content, written, problems = conll_document(record, options)
            write_text(file, out, content)
            report.documents += 1
            report.spans += written
            report.problems.extend(problems)
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


def tag_record(record: DocumentRecord, options: ExportOptions, name: str = "CoNLL") -> TaggedRecord:
    """The tokens of ``record`` (:func:`annotator.formats.tokens.tokenize`) and their tags in ``options.scheme``,
    by the module docstring's rules for whitespace, alignment (``options.snap``), overlaps (``options.overlap``)
    and labels; shared by the CoNLL and Hugging Face exports. ``name`` names the format in the problems' reasons
    (``"CoNLL tags cannot overlap"``).

    Raises
    ------
    OverlapError
        With the overlap policy ``"error"`` when the aligned spans overlap.
    """
    tokens = tokenize(record.text)
    problems: list[Problem] = []
    aligned, originals, moves = _aligned_spans(record, tokens, options.snap, problems, name)
    kept, dropped = resolve_overlaps(aligned, options.overlap, record.key)
    for span, blocker in dropped:
        reason = _overlap_reason(span, blocker, options.overlap, name)
        if id(span) in moves:
            reason = f"once {moves[id(span)][0]} to [{span.start}, {span.end}), it {reason}"
        problems.append(_problem(record, originals[id(span)], "dropped", reason))
    for span in kept:
        original = originals[id(span)]
        if id(span) in moves:
            problems.append(_problem(record, original, *moves[id(span)]))
        unwritten = _unwritten_parts(record, original)
        if unwritten:
            reason = f"{name} cannot hold {_and(unwritten)}; the span itself is written"
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
    record: DocumentRecord, tokens: list[Token], snap: bool, problems: list[Problem], name: str
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
            reason = f"its label {span.label!r} holds whitespace, which a {name} tag cannot"
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


def _overlap_reason(span: Span, blocker: Span, policy: str, name: str) -> str:
    if (blocker.start, blocker.end) == (span.start, span.end):
        why = "has the same offsets and comes first by label"
    elif policy == "longest":
        why = "is longer" if blocker.end - blocker.start > span.end - span.start else "is as long and starts earlier"
    else:
        why = "starts earlier" if blocker.start < span.start else "starts at the same point and is longer"
    return (
        f"overlaps the kept {blocker.label} span [{blocker.start}, {blocker.end}) {_shown(blocker.text)}, which "
        f"{why} (overlap policy {policy!r}); {name} tags cannot overlap"
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

#: The tag schemes :func:`read_conll` reads (``ImportOptions.scheme``) and the tag prefixes each has besides ``O``;
#: ``None``, the default, is IOB2 with IOBES's ``E-`` and ``S-`` read as well.
READ_SCHEMES: dict[str | None, str] = {None: "BIES", "IOB1": "BI", "IOB2": "BI", "IOBES": "BIES", "BILOU": "BILU"}
#: The phrase types of the CoNLL-2000 chunking task (https://www.clips.uantwerpen.be/conll2000/chunking/), which
#: CoNLL-2003's third column uses: a column of tags of these types only holds chunks, not entities.
CHUNK_TYPES = frozenset({"ADJP", "ADVP", "CONJP", "INTJ", "LST", "NP", "PP", "PRT", "SBAR", "UCP", "VP"})
_TAG_FORMS = "O, or B-, I-, E-, S-, L-, U- and a label"

Row = tuple[int, list[str]]  # (line number, whitespace-separated fields); a blank line has no fields
Layout = tuple[int, tuple[int, ...]]  # (word, tags): 0-based indexes into a token line's fields


class _Refusal(Exception):
    """The file as a whole cannot be read with the options given: its columns or its tag scheme."""


def read_conll(path: Path, options: ImportOptions | None = None) -> Iterator[ParsedRecord | RecordFault]:
    """The documents of the CoNLL file ``path`` (rules in the module docstring), as parsed records.

    ``options.word_column`` and ``options.tag_column`` (1-based) say where the word and its tag are, each detected
    when ``None``; ``options.scheme`` is the tag scheme (``None``: IOB2, with IOBES's ``E-`` and ``S-`` as well).
    Record ids are ``"<file stem>-<n>"`` (``n`` counts documents from 1); ``where`` is ``"<file name> document <n>
    (line <L>)"`` with ``L`` the document's first line; span ``where`` names the line of its first token. Tag
    problems go to ``ParsedRecord.rejected`` as ``"line 12: ..."``. The file is read and checked when this is
    called; the records are built as they are iterated.

    Raises
    ------
    FileFault
        If the file cannot be read or is not UTF-8; if it has lines but no column of tags and no ``-DOCSTART-``; if
        the columns cannot be told (several hold tags) or do not exist; if its tags are not of ``options.scheme``
        (e.g. ``L-``, ``U-`` under IOB2), or (any scheme but IOB1) use only ``B-`` and ``I-`` with an ``I-`` that
        starts an entity, as IOB1 does. Each message says which option reads the file.
    ValueError
        For a scheme not in :data:`READ_SCHEMES`.
    """
    options = options or ImportOptions()
    if options.scheme not in READ_SCHEMES:
        raise ValueError(f"unknown CoNLL tag scheme {options.scheme!r}; use one of IOB1, IOB2, IOBES, BILOU")
    path = Path(path)
    lines = _LINE_END.split(read_utf8(path))
    rows = [(number, line.split()) for number, line in enumerate(lines, start=1)]
    hashed = {number for number, line in enumerate(lines, start=1) if line.startswith("#")}
    try:
        layout, unread = _layout(rows, hashed, options)
        documents = _documents(rows, hashed, layout)
        for tag in layout[1]:
            _check_scheme(documents, tag, options.scheme, f"column {tag + 1}: " if len(layout[1]) > 1 else "")
    except _Refusal as refusal:
        raise FileFault(path, str(refusal)) from None
    return (
        _parsed(path, number, first, items, layout, options.scheme, unread if number == 1 else [])
        for number, (first, items) in enumerate(documents, start=1)
    )


def _is_tag(value: str) -> bool:
    """Whether ``value`` has the form of a tag of any scheme: ``O``, or ``B-``, ``I-``, ``E-``, ``S-``, ``L-``,
    ``U-`` and a label."""
    return value == "O" or _TAG.fullmatch(value) is not None


def _numbers(columns: list[int]) -> str:
    """0-based ``[2, 3]`` as ``"3 and 4"``."""
    return _and([str(column + 1) for column in columns])


def _layout(rows: list[Row], hashed: set[int], options: ImportOptions) -> tuple[Layout, list[int]]:
    """``(layout, unread)``: where the word and the tags are (rules in the module docstring), and the other columns
    that hold entity tags (not chunk tags) with an entity, which are not read; ``_Refusal`` when the layout cannot
    be told or the columns given do not exist."""
    body = [fields for number, fields in rows if fields and fields[0] != DOCSTART and number not in hashed]
    if not body:
        if any(fields for _number, fields in rows) and not any(fields[:1] == [DOCSTART] for _number, fields in rows):
            raise _Refusal(f"has no token lines ('WORD TAG') and no {DOCSTART}; is it CoNLL?")
        return (0, (1,)), []
    widths = Counter(len(fields) for fields in body)
    columns = max(widths, key=lambda width: (widths[width], width))  # the most common number of fields
    word = options.word_column - 1 if options.word_column else None
    tags = tuple(column - 1 for column in options.tag_columns)
    for flag, given in (("--word-column", word), *(("--tag-column", tag) for tag in tags)):
        if given is not None and given >= max(widths):
            raise _Refusal(f"{flag} {given + 1}: no line has a column {given + 1} (the lines have {columns})")
    if word is not None and word in tags:
        raise _Refusal(f"--word-column and --tag-column are both {word + 1}")
    index = 0 if columns >= 3 and 0 not in (word, *tags) and _counts_tokens(rows, hashed) else None

    def values(column: int) -> list[str]:
        return [fields[column] for fields in body if len(fields) > column]

    if not tags:
        tags = (_tag_column(values, columns, index, word),)
    for tag in tags:
        if not any(_is_tag(value) for value in values(tag)):
            raise _Refusal(f"--tag-column {tag + 1}: the column holds no tag ({_TAG_FORMS})")
    if word is None:
        rest = [column for column in range(max(columns, *(tag + 1 for tag in tags))) if column not in (index, *tags)]
        if not rest:
            raise _Refusal(
                f"no column is left for the words (column {_numbers(list(tags))} holds the tags); give --word-column"
            )
        word = rest[0]
    unread = [
        column
        for column in range(columns)
        if column not in (index, word, *tags)
        and (found := values(column))
        and all(_is_tag(value) for value in found)
        and any(value != "O" for value in found)
        and not _holds_chunks(found)
    ]
    return (word, tags), unread


def _counts_tokens(rows: list[Row], hashed: set[int]) -> bool:
    """Whether the first field of the token lines counts 1, 2, 3... in each sentence (and reaches 2)."""
    position = 0
    reached = False
    for number, fields in rows:
        if not fields or fields[0] == DOCSTART:
            position = 0
        elif number not in hashed:
            position += 1
            if fields[0] != str(position):
                return False
            reached = reached or position > 1
    return reached


def _tag_column(values: Callable[[int], list[str]], columns: int, index: int | None, word: int | None) -> int:
    """The column of the entity tags among ``columns`` (not ``index`` or ``word``), or ``_Refusal`` naming the
    columns that could be it."""
    pool = [column for column in range(columns) if column not in (index, word)]
    shapes = {column: [_is_tag(value) for value in values(column)] for column in pool}
    candidates = [column for column in pool if shapes[column] and all(shapes[column])] or [
        column for column in pool if sum(shapes[column]) * 2 > len(shapes[column])
    ]
    if not candidates:
        raise _Refusal(f"no column holds tags ({_TAG_FORMS}); is it CoNLL? (--tag-column N gives the column)")
    if len(candidates) == 1:
        return candidates[0]
    entities = [column for column in candidates if not _holds_chunks(values(column))]
    if len(entities) == 1:
        return entities[0]
    counted = "; column 1 counts the tokens (1, 2, 3...)" if index is not None else ""
    rest = [column for column in range(columns) if column not in (index, *candidates)]
    words = word if word is not None else rest[0] if rest else None
    then = (
        f" (the words are then read from column {words + 1}; --word-column N to change that)"
        if words is not None
        else ""
    )
    choices = " or ".join(f"--tag-column {column + 1}" for column in candidates)
    quantifier = "both" if len(candidates) == 2 else "all"
    raise _Refusal(
        f"columns {_numbers(candidates)} {quantifier} hold tags (O, B-, I-...), so which one holds the entities "
        f"cannot be told{counted}; give {choices}{then}"
    )


def _holds_chunks(values: list[str]) -> bool:
    """Whether the tags ``values`` are chunk tags: all of a type in :data:`CHUNK_TYPES` (``B-NP``, ``I-VP``...)."""
    types = {match["label"] for value in values if (match := _TAG.fullmatch(value))}
    return bool(types) and types <= CHUNK_TYPES


def _documents(rows: list[Row], hashed: set[int], layout: Layout) -> list[tuple[int, list[Row]]]:
    """``(first line number, [(line number, fields)...])`` per document; blank lines have no fields; comment lines
    (starting with ``#``, without a tag in any tag column) are left out."""
    documents: list[tuple[int, list[Row]]] = []
    for number, fields in rows:
        if number in hashed and not (
            len(fields) > layout[0] and any(len(fields) > tag and _is_tag(fields[tag]) for tag in layout[1])
        ):
            continue  # a comment: "# id = 3", GermEval's "#<TAB>source [date]"
        if fields and fields[0] == DOCSTART:
            documents.append((number, []))
        elif documents:
            documents[-1][1].append((number, fields))
        elif fields:  # content before any -DOCSTART-: a document of its own
            documents.append((number, [(number, fields)]))
    return documents


def _check_scheme(documents: list[tuple[int, list[Row]]], tag: int, scheme: str | None, column: str = "") -> None:
    """``_Refusal`` when the tags of column ``tag`` are not of ``scheme``: a prefix it has not (``U-`` under IOB2),
    or, but for IOB1, only ``B-`` and ``I-`` with an ``I-`` that starts an entity (IOB1 tags). ``column`` goes
    after the line number in the message (``"column 4: "`` when several tag columns are read)."""
    first: dict[str, tuple[int, str]] = {}  # prefix -> (line, tag) of its first use
    stray: list[tuple[int, str, str]] = []  # (line, tag, previous tag) of each I- starting an entity
    for _first_line, items in documents:
        previous = ""
        for line, fields in items:
            value = fields[tag] if len(fields) > tag else "O" if fields else ""
            match = _TAG.fullmatch(value)
            if match:
                first.setdefault(match["prefix"], (line, value))
                before = _TAG.fullmatch(previous)
                if match["prefix"] == "I" and not (
                    before and before["prefix"] in "BI" and before["label"] == match["label"]
                ):
                    stray.append((line, value, previous))
            previous = value if not value or match else "O"
    used = sorted(first, key="BIESLU".index)
    extra = [prefix for prefix in used if prefix not in READ_SCHEMES[scheme]]
    name = f"the {scheme} scheme" if scheme else "the default scheme (IOB2, and IOBES's E- and S-)"
    if extra:
        line, value = min(first[prefix] for prefix in extra)
        fit = next((s for s in ("IOBES", "BILOU") if set(used) <= set(READ_SCHEMES[s])), None)
        prefixes = _and([f"{prefix}-" for prefix in extra])
        hint = f"give --scheme {fit}" if fit else f"the tags mix {_and([p + '-' for p in used])}, as no scheme does"
        raise _Refusal(f"line {line}: {column}{value}: {prefixes} tags are not in {name}; {hint}")
    if stray and scheme != "IOB1" and set(used) <= set("BI"):
        line, value, previous = stray[0]
        after = f"after {previous}" if previous else "at the start of a sentence"
        raise _Refusal(
            f"line {line}: {column}{value} starts an entity ({after}), which {name} does not allow "
            f"({count(len(stray), 'such tag')}); the tags read as IOB1, where I- starts an entity unless it follows "
            "one of its type (as in the original CoNLL-2003 files): give --scheme IOB1"
        )


def _tag_fault(tag: str, prefixes: str) -> str:
    """Why ``tag`` is not a tag with one of ``prefixes`` (``""`` when it is ``O`` or such a prefix and a label)."""
    match = _TAG.fullmatch(tag)
    if tag == "O" or (match and match["prefix"] in prefixes):
        return ""
    forms = ", ".join(f"{prefix}-" for prefix in prefixes)
    return f"{_shown(tag)} is not a tag (O, or {forms} and a label)"


def _parsed(
    path: Path,
    number: int,
    first_line: int,
    items: list[Row],
    layout: Layout,
    scheme: str | None,
    unread: list[int],
) -> ParsedRecord:
    """The record of one document: its rebuilt text, the entities of each tag column (one span per distinct
    ``(start, end, label)``), the lines rejected, and a note on the ``unread`` tag columns."""
    word_at, tags_at = layout
    named = len(tags_at) > 1  # messages name the column when there are several
    rejected: list[tuple[int, str]] = []  # (line, message)
    spans: list[RawSpan] = []
    seen: set[tuple[int, int, str]] = set()
    sentence_texts: list[str] = []
    offset = 0
    sentence: list[tuple[int, str, list[str]]] = []  # (line, token, its tag in each tag column)
    for line, fields in [*items, (0, [])]:
        if fields:
            if len(fields) <= word_at:
                rejected.append((line, f"has {count(len(fields), 'field')}, no word in column {word_at + 1}; left out"))
                continue
            token = fields[word_at]
            tags = []
            for tag_at in tags_at:
                if len(fields) <= tag_at:
                    rejected.append((line, f"{_shown(token)} has no tag in column {tag_at + 1}; read as O"))
                    tags.append("O")
                elif fault := _tag_fault(fields[tag_at], READ_SCHEMES[scheme]):
                    column = f"column {tag_at + 1}: " if named else ""
                    rejected.append((line, f"{column}{fault}; the token {_shown(token)} is read as O"))
                    tags.append("O")
                else:
                    tags.append(fields[tag_at])
            sentence.append((line, token, tags))
            continue
        if not sentence:
            continue
        starts = []
        for _line, token, _tags in sentence:
            starts.append(offset)
            offset += len(token) + 1
        sentence_text = " ".join(token for _line, token, _tags in sentence)
        base = starts[0]
        for which in range(len(tags_at)):
            tagged = [(line, token, tags[which]) for line, token, tags in sentence]
            strays: list[tuple[int, str]] = []  # (line, message) of the tags that continue no entity
            for first, last, label in _entities(tagged, strays, scheme):
                start, end = starts[first], starts[last] + len(sentence[last][1])
                if (start, end, label) in seen:
                    continue  # the same entity in two columns
                seen.add((start, end, label))
                text = sentence_text[start - base : end - base]
                spans.append(RawSpan(start, end, label, text, where=f"line {sentence[first][0]}"))
            column = f"column {tags_at[which] + 1}: " if named else ""
            rejected.extend((line, f"{column}{message}") for line, message in strays)
        sentence_texts.append(sentence_text)
        sentence = []
    spans.sort(key=lambda span: (span.start, -span.end, span.label))
    notes = []
    if unread:
        read = ",".join(str(tag + 1) for tag in tags_at)
        every = ",".join(str(column + 1) for column in sorted([*tags_at, *unread]))
        notes.append(
            f"{'columns' if len(unread) > 1 else 'column'} {_numbers(unread)} also "
            f"{'hold' if len(unread) > 1 else 'holds'} entity tags, which are not read (column {read} is); "
            f"--tag-column {every} reads them all (nested entities)"
        )
    return ParsedRecord(
        where=f"{path.name} document {number} (line {first_line})",
        id=f"{path.stem}-{number}",
        text="\n".join(sentence_texts),
        spans=spans,
        rejected=[f"line {line}: {message}" for line, message in sorted(rejected, key=lambda item: item[0])],
        notes=notes,
    )


def _entities(
    sentence: list[tuple[int, str, str]], rejected: list[tuple[int, str]], scheme: str | None = None
) -> list[tuple[int, int, str]]:
    """The entities ``(first token, last token, label)`` of one sentence's ``(line, token, tag)`` items in the tag
    ``scheme`` (``None``: IOB2 and IOBES alike; BILOU's ``L-``, ``U-`` read as ``E-``, ``S-``; IOB1: an ``I-`` that
    continues no entity of its label starts one); an ``I-``/``E-`` that continues no entity of its label is added
    to ``rejected`` as ``(line, message)`` and read as ``O``."""
    entities: list[tuple[int, int, str]] = []
    current: tuple[int, str] | None = None  # (first token, label) of the entity being read
    previous = ""  # the previous token's tag as read, for messages
    for index, (line, _token, tag) in enumerate(sentence):
        match = _TAG.fullmatch(tag)
        prefix, label = (match["prefix"], match["label"]) if match else ("O", "")
        prefix = {"L": "E", "U": "S"}.get(prefix, prefix)
        if scheme == "IOB1" and prefix == "I" and (current is None or current[1] != label):
            prefix = "B"
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
