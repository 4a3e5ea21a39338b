"""Re-anchoring: placing spans on a document's new text after the text changed since it was annotated.

When a document's SHA-256 no longer matches the one its annotations were made on, every span is looked for on the
new text by its own text and the text around it. A span is either *placed* (new offsets, with
``new_text[start:end] == span.text``, everything else unchanged) or *orphaned* (kept as an
:class:`~annotator.model.orphan.OrphanedSpan` with the reason, never dropped and never shown at stale offsets).
Offsets are Unicode code points, half-open ``[start, end)``.

Algorithm
---------
(a) **Offset mapping through a diff.** The old and new texts are aligned into *equal blocks* (stretches of old text
    found unchanged in the new text):

    1. the common prefix and the common suffix of the two texts are equal blocks (found with a binary search over
       slice comparisons, so a small edit in a long text costs a few passes of C-speed comparison);
    2. the rest (the middle) is diffed by lines (``str.splitlines(keepends=True)``), comparing lines without their
       line break, so that converting CR LF to LF (or the reverse) keeps every line's content aligned. Lines are
       matched the way "patience diff" does (Bram Cohen; https://bramcohen.livejournal.com/73318.html): common
       leading and trailing lines, then the lines occurring exactly once on each side, in the longest
       order-preserving chain, then the same again between them. A stretch without such lines goes to
       :class:`difflib.SequenceMatcher` with ``autojunk=False`` (skipped above :data:`LINE_DIFF_LIMIT`). Matching
       unique lines first keeps ``SequenceMatcher`` from comparing every blank line with every other blank line,
       which is quadratic in the number of paragraphs;
    3. inside every replaced block of lines (and every changed line break) the characters are diffed with
       ``SequenceMatcher(autojunk=False)`` after stripping their common prefix and suffix, as long as what is left is
       at most :data:`CHAR_DIFF_LIMIT` code points a side and the whole re-anchoring has not yet spent
       :data:`CHAR_DIFF_BUDGET` (the product of the two sides' lengths, summed); larger rewritten blocks are left
       unmatched and their spans go to step (b).

    A span whose first and last code points both lie in equal blocks, and whose mapped range holds exactly its
    text, is placed there. Re-anchoring 1000 spans after a one-word edit in a 1-MB text takes about 10 ms.
(b) **Search by text and context.** Otherwise every occurrence of the span's text in the new text (overlapping ones
    too) is a candidate, except where a span with the same label is already placed at exactly those offsets (that
    occurrence is already annotated; this keeps a span whose sentence was deleted from landing on its twin). Each
    candidate gets a context score: the length of the common suffix of the ``context`` code points before it and
    the old text's ``context`` code points before the span, plus the length of the common prefix of the code points
    after it and those after the span in the old text. The best candidate is taken only when it is unambiguous: the
    only candidate, or strictly better context than every other. (Ranking ties by distance to the span's mapped
    position would never change which candidate is taken under that rule, so distance is not computed.) Spans are
    searched for in their old text order, after all spans of step (a) are placed.
(c) **Orphan.** Otherwise the span becomes an orphan, with its old-text context and a plain-English reason: "its
    text no longer occurs in the document", "its text occurs N times and the context does not tell which", or
    "its text occurs only where another <label> span already is".

Relations whose ends are both placed are kept; any other relation goes into exactly one orphan: the orphan at its
``from`` end if that end is orphaned, else the one at its ``to`` end.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate

from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document, text_sha256
from annotator.model.orphan import OrphanedSpan
from annotator.model.pending import PendingSuggestion, RejectedSuggestion, without_dangling_links
from annotator.model.relation import Relation
from annotator.model.span import Span

CHAR_DIFF_LIMIT = 2000
"""Longest stretch (code points, each side, after stripping common ends) diffed character by character."""

CHAR_DIFF_BUDGET = 5_000_000
"""Total work allowed for character diffs in one re-anchoring (sum of the products of the two sides' lengths)."""

LINE_DIFF_LIMIT = 1_000_000
"""Largest stretch (product of the two sides' line counts) without a line unique to both sides that is still diffed
line by line with ``SequenceMatcher``."""

_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines splits at

Block = tuple[int, int, int]  # (old start, new start, length) of an equal stretch, in code points


@dataclass(frozen=True)
class Reanchored:
    """The outcome of :func:`reanchor`.

    Attributes
    ----------
    spans: every placed span, in input order, with offsets (code points) into the new text and id, label, note and
        flag unchanged; ``new_text[s.start:s.end] == s.text`` for each.
    moved: ``(old, new)`` pairs for the placed spans whose offsets changed.
    orphans: the spans that could not be placed, in input order: ``span`` is the old span (offsets into the old
        text), ``prefix``/``suffix`` its old-text context, ``relations`` the links that touched it and are not kept
        elsewhere, ``old_sha256`` the old text's SHA-256 and ``reason`` why, in plain English.
    relations: the relations whose two ends were placed, in input order. Every other input relation is in exactly
        one orphan's ``relations``.
    """

    spans: list[Span] = field(default_factory=list)
    moved: list[tuple[Span, Span]] = field(default_factory=list)
    orphans: list[OrphanedSpan] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    @property
    def unchanged_count(self) -> int:
        """Number of spans placed at identical offsets."""
        return len(self.spans) - len(self.moved)

    def summary(self) -> str:
        """One plain-text sentence, e.g. ``"40 spans kept their place, 5 moved, 2 could not be placed"``."""
        kept = self.unchanged_count
        if not self.spans and not self.orphans:
            return "no spans to place"
        noun = "span kept its place" if kept == 1 else "spans kept their place"
        return f"{kept} {noun}, {len(self.moved)} moved, {len(self.orphans)} could not be placed"


# -- aligning the two texts ---------------------------------------------------------------------------------------
def _common_prefix(a: str, b: str) -> int:
    """Length (code points) of the common prefix of ``a`` and ``b``, by binary search over slice comparisons."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length (code points, at most ``limit``) of the common suffix of ``a`` and ``b``."""
    low, high = 0, min(len(a), len(b), limit)
    la, lb = len(a), len(b)
    while low < high:
        mid = (low + high + 1) // 2
        if a[la - mid : la - low] == b[lb - mid : lb - low]:
            low = mid
        else:
            high = mid - 1
    return low


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` (sorted by first item) whose second items increase (patience sorting)."""
    tails: list[int] = []  # tails[k]: second item ending the best run of length k + 1
    tail_index: list[int] = []
    previous: list[int] = []
    for index, (_i, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        previous.append(tail_index[k - 1] if k else -1)
        if k == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[k] = j
            tail_index[k] = index
    run = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _line_matches(a: list[str], b: list[str]) -> list[Block]:
    """Runs of equal lines ``(i, j, size)`` between line lists ``a`` and ``b``, in order (patience diff).

    Common leading and trailing lines match; then lines occurring exactly once on each side are matched in the
    longest order-preserving way and the stretches between them are handled the same way; a stretch without such
    lines is left to ``SequenceMatcher(autojunk=False)``, unless it is so large (:data:`LINE_DIFF_LIMIT`) that its
    quadratic worst case matters, in which case it stays unmatched.
    """
    found: list[Block] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            found.append((alo, blo, 1))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            found.append((ahi, bhi, 1))
        if alo == ahi or blo == bhi:
            continue
        count_a = Counter(a[alo:ahi])
        count_b = Counter(b[blo:bhi])
        unique_b = {b[j]: j for j in range(blo, bhi) if count_b[b[j]] == 1}
        pairs = [(i, unique_b[a[i]]) for i in range(alo, ahi) if count_a[a[i]] == 1 and a[i] in unique_b]
        if pairs:
            i, j = alo, blo
            for i1, j1 in _longest_increasing(pairs):
                stack.append((i, i1, j, j1))
                found.append((i1, j1, 1))
                i, j = i1 + 1, j1 + 1
            stack.append((i, ahi, j, bhi))
        elif (ahi - alo) * (bhi - blo) <= LINE_DIFF_LIMIT:
            matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            found.extend((alo + i, blo + j, size) for i, j, size in matcher.get_matching_blocks() if size)
    found.sort()
    merged: list[Block] = []
    for i, j, size in found:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((i, j, size))
    return merged


class _Aligner:
    """Builds the equal blocks between two texts (see the module docstring, step (a))."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new
        self.blocks: list[Block] = []
        self.budget = CHAR_DIFF_BUDGET

    def add(self, old_start: int, new_start: int, size: int) -> None:
        if size <= 0:
            return
        if self.blocks:
            o, n, z = self.blocks[-1]
            if o + z == old_start and n + z == new_start:
                self.blocks[-1] = (o, n, z + size)
                return
        self.blocks.append((old_start, new_start, size))

    def align(self) -> list[Block]:
        old, new = self.old, self.new
        prefix = _common_prefix(old, new)
        suffix = _common_suffix(old, new, min(len(old), len(new)) - prefix)
        self.add(0, 0, prefix)
        self.diff_lines(prefix, len(old) - suffix, prefix, len(new) - suffix)
        self.add(len(old) - suffix, len(new) - suffix, suffix)
        return self.blocks

    def diff_lines(self, a0: int, a1: int, b0: int, b1: int) -> None:
        """Equal blocks of ``old[a0:a1]`` against ``new[b0:b1]``, by lines and then by characters."""
        if a0 == a1 or b0 == b1:
            return
        old_lines = self.old[a0:a1].splitlines(keepends=True)
        new_lines = self.new[b0:b1].splitlines(keepends=True)
        old_at = list(accumulate(map(len, old_lines), initial=a0))
        new_at = list(accumulate(map(len, new_lines), initial=b0))
        old_keys = [line.rstrip(_LINE_BREAKS) for line in old_lines]
        new_keys = [line.rstrip(_LINE_BREAKS) for line in new_lines]
        i = j = 0  # end of the previous run of equal lines
        for i1, j1, size in [*_line_matches(old_keys, new_keys), (len(old_keys), len(new_keys), 0)]:
            self.diff_chars(old_at[i], old_at[i1], new_at[j], new_at[j1])
            i, j = i1 + size, j1 + size
            if self.old[old_at[i1] : old_at[i]] == self.new[new_at[j1] : new_at[j]]:
                self.add(old_at[i1], new_at[j1], old_at[i] - old_at[i1])
                continue
            for k in range(size):  # same lines, some line breaks differ (CR LF against LF)
                content = len(old_keys[i1 + k])
                self.add(old_at[i1 + k], new_at[j1 + k], content)
                self.diff_chars(
                    old_at[i1 + k] + content, old_at[i1 + k + 1], new_at[j1 + k] + content, new_at[j1 + k + 1]
                )

    def diff_chars(self, a0: int, a1: int, b0: int, b1: int) -> None:
        """Equal blocks of ``old[a0:a1]`` against ``new[b0:b1]``, character by character (within the limits)."""
        a, b = self.old[a0:a1], self.new[b0:b1]
        if not a or not b:
            return
        prefix = _common_prefix(a, b)
        suffix = _common_suffix(a, b, min(len(a), len(b)) - prefix)
        self.add(a0, b0, prefix)
        middle_a, middle_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
        work = len(middle_a) * len(middle_b)
        if work and max(len(middle_a), len(middle_b)) <= CHAR_DIFF_LIMIT and work <= self.budget:
            self.budget -= work
            matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
            for i, j, size in matcher.get_matching_blocks():
                self.add(a0 + prefix + i, b0 + prefix + j, size)
        self.add(a1 - suffix, b1 - suffix, suffix)


class _OffsetMap:
    """Maps old-text offsets to new-text offsets through the equal blocks."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.starts = [o for o, _n, _z in blocks]

    def char(self, cp: int) -> int | None:
        """Where old code point ``cp`` is in the new text, or ``None`` when it is not in an equal block."""
        index = bisect_right(self.starts, cp) - 1
        if index >= 0:
            o, n, z = self.blocks[index]
            if cp < o + z:
                return n + cp - o
        return None


# -- placing spans ------------------------------------------------------------------------------------------------
def _context_score(text: str, start: int, end: int, before: str, after: str) -> int:
    """How far ``text`` around ``[start, end)`` agrees with the old context: the length of the common suffix of
    ``text[:start]`` and ``before`` plus that of the common prefix of ``text[end:]`` and ``after`` (code points)."""
    i, k = start - 1, len(before) - 1
    while k >= 0 and i >= 0 and text[i] == before[k]:
        i, k = i - 1, k - 1
    score = len(before) - 1 - k
    limit = min(len(after), len(text) - end)
    k = 0
    while k < limit and text[end + k] == after[k]:
        k += 1
    return score + k


def _occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of every occurrence of ``needle`` in ``text``, overlapping ones included."""
    found = []
    at = text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _check_input(spans: list[Span], relations: list[Relation]) -> None:
    ids = set()
    for span in spans:
        if span.id in ids:
            raise ValueError(f"duplicate span id {span.id!r}")
        ids.add(span.id)
    for relation in relations:
        missing = [end for end in relation.ends if end not in ids]
        if missing:
            raise ValueError(f"relation {relation.id!r} links span {missing[0]!r}, which is not among the spans")


def reanchor(
    old_text: str,
    new_text: str,
    spans: Iterable[Span],
    relations: Iterable[Relation] = (),
    *,
    context: int = 40,
) -> Reanchored:
    """Place ``spans``, made on ``old_text``, on ``new_text`` (see the module docstring for the algorithm).

    Parameters
    ----------
    old_text: the text the spans were made on; each span should satisfy ``old_text[start:end] == text`` (a span
        that does not is still placed only where its own ``text`` occurs in ``new_text``).
    new_text: the document's current text.
    spans: the spans, offsets in code points into ``old_text``; ids unique.
    relations: links between those spans.
    context: how many code points before and after a span are compared to choose among occurrences of its text,
        and kept as an orphan's ``prefix`` and ``suffix``.

    Returns
    -------
    Reanchored
        Placed spans (``new_text[start:end] == text`` always), moved pairs, orphans (old span, old-text context,
        relations, SHA-256 of ``old_text``, reason) and the relations kept. Every input span is either placed or
        orphaned, exactly once; every relation is either kept or in exactly one orphan.

    Raises
    ------
    ValueError
        If two spans share an id, a relation links a span id not among ``spans``, or ``context`` is negative.
    """
    spans = list(spans)
    relations = list(relations)
    _check_input(spans, relations)
    if context < 0:
        raise ValueError(f"context must not be negative ({context})")
    if old_text == new_text:
        blocks = [(0, 0, len(old_text))] if old_text else []
    else:
        blocks = _Aligner(old_text, new_text).align()
    offsets = _OffsetMap(blocks)

    placed: dict[str, Span] = {}
    occupied: set[tuple[int, int, str]] = set()
    pending: list[Span] = []
    for span in spans:  # (a) through the diff
        start, last = offsets.char(span.start), offsets.char(span.end - 1)
        if start is not None and last is not None and new_text[start : last + 1] == span.text:
            placed[span.id] = _moved_to(span, start, last + 1)
            occupied.add((start, last + 1, span.label))
        else:
            pending.append(span)

    reasons: dict[str, str] = {}
    for span in sorted(pending, key=lambda s: s.sort_key):  # (b) by text and context
        where = _search(old_text, new_text, span, occupied, context)
        if isinstance(where, str):
            reasons[span.id] = where
        else:
            placed[span.id] = _moved_to(span, where, where + len(span.text))
            occupied.add((where, where + len(span.text), span.label))

    kept = [r for r in relations if r.from_ in placed and r.to in placed]
    orphan_links: dict[str, list[Relation]] = {span_id: [] for span_id in reasons}
    for relation in relations:
        if relation.from_ in reasons:
            orphan_links[relation.from_].append(relation)
        elif relation.to in reasons:
            orphan_links[relation.to].append(relation)
    old_sha256 = text_sha256(old_text) if reasons else ""
    orphans = [
        OrphanedSpan(
            span=span,
            prefix=old_text[max(0, span.start - context) : span.start],
            suffix=old_text[span.end : span.end + context],
            relations=orphan_links[span.id],
            old_sha256=old_sha256,
            reason=reasons[span.id],
        )
        for span in spans
        if span.id in reasons
    ]
    new_spans = [placed[s.id] for s in spans if s.id in placed]
    moved = [(s, placed[s.id]) for s in spans if s.id in placed and placed[s.id] is not s]
    return Reanchored(spans=new_spans, moved=moved, orphans=orphans, relations=kept)


def _moved_to(span: Span, start: int, end: int) -> Span:
    """``span`` itself when the offsets are unchanged, else a copy at ``[start, end)``."""
    if (span.start, span.end) == (start, end):
        return span
    return span.model_copy(update={"start": start, "end": end})


def _search(old_text: str, new_text: str, span: Span, occupied: set[tuple[int, int, str]], context: int) -> int | str:
    """Step (b): the start (code points) at which to place ``span`` in ``new_text``, or the reason it cannot be."""
    length = len(span.text)
    found = _occurrences(new_text, span.text) if span.text else []
    if not found:
        return "its text no longer occurs in the document"
    free = [at for at in found if (at, at + length, span.label) not in occupied]
    if not free:
        return f"its text occurs only where another {span.label} span already is"
    before = old_text[max(0, span.start - context) : span.start]
    after = old_text[span.end : span.end + context]
    best_score, best_count, best_at = -1, 0, free[0]
    for at in free:
        score = _context_score(new_text, at, at + length, before, after)
        if score > best_score:
            best_score, best_count, best_at = score, 1, at
        elif score == best_score:
            best_count += 1
    if best_count == 1:
        return best_at
    return f"its text occurs {len(found)} times and the context does not tell which"


def reanchor_annotations(annotations: AnnotationSet, new_document: Document) -> tuple[AnnotationSet, Reanchored]:
    """Re-anchor an annotation set on its document's new text.

    Parameters
    ----------
    annotations: spans and relations made on ``annotations.document``.
    new_document: the document's current text.

    Returns
    -------
    tuple[AnnotationSet, Reanchored]
        A new annotation set on ``new_document`` with the same label set, annotator, document id, status,
        metadata, suggestion facts (shown, active time) and the pending and rejected suggestions whose offsets hold
        the same text as before (their links to suggestions or spans not kept dropped), the placed spans and kept
        relations, and ``annotations.orphans`` followed by the new orphans (whose ``old_sha256`` is
        ``annotations.document.sha256``); and the :class:`Reanchored` outcome (with the same orphans).
        ``annotations`` is not changed.

    Raises
    ------
    ValueError
        If a relation of ``annotations`` links a span that is not in it (see :func:`reanchor`).
    """
    result = reanchor(annotations.text, new_document.text, annotations, annotations.relations())
    sha = annotations.document.sha256
    orphans = [o if o.old_sha256 == sha else o.model_copy(update={"old_sha256": sha}) for o in result.orphans]
    result = Reanchored(spans=result.spans, moved=result.moved, orphans=orphans, relations=result.relations)
    reanchored = AnnotationSet(
        new_document,
        annotations.label_set,
        annotations.annotator,
        result.spans,
        result.relations,
        document_id=annotations.document_id,
        status=annotations.status,
        orphans=[*annotations.orphans, *orphans],
        metadata=annotations.metadata,
        suggestions=without_dangling_links(
            [s for s in annotations.suggestions() if _unmoved(annotations.text, new_document.text, s)],
            {s.id for s in result.spans},
        ),
        rejected=[r for r in annotations.rejected() if _unmoved(annotations.text, new_document.text, r)],
        suggestions_shown=annotations.suggestions_shown,
        active_seconds=annotations.active_seconds,
        document_labels=annotations.document_labels,
    )
    return reanchored, result


def _unmoved(old: str, new: str, found: PendingSuggestion | RejectedSuggestion) -> bool:
    """Whether a suggestion's (or rejection's) offsets hold the same text in ``new`` as in ``old``: it is kept then;
    others are left behind (a suggester offers pending ones again on the new text)."""
    return found.end <= len(new) and old[found.start : found.end] == new[found.start : found.end]
