"""The string matcher: suggests every other whole-word occurrence of a string that was labeled before.

Like INCEpTION's string-matching recommender (https://inception-project.github.io/releases/latest/docs/user-guide.html,
"Recommenders: String Matcher"), it learns ``span text -> label`` counts from spans already made (the project's
files, the open document as the analyst works, gazetteers) and proposes the same label wherever the same text occurs.
Improved on it here:

- **Whole words only**, as word snapping sees them (:func:`annotator.model.words.is_word_boundary`: UAX #29 word
  boundaries plus the possessive ``'s``): "China" is found in "China’s", never in "Chinas".
- **Longest match first:** a string inside a longer match is not suggested on its own ("Sullivan" inside a match of
  "Jake Sullivan"); matches that only partly overlap are both kept (spans may overlap).
- **Case-exact, then case-folded at a lower score** (:data:`FOLDED_FACTOR`). Folding is per code point and only where
  it keeps one code point (``str.lower`` of each character), so a folded match has the original's offsets exactly.
- **Score** = the label's share of the string's label evidence, times ``n / (n + 1)`` where ``n`` is that evidence
  (a string seen once scores at most 0.5, twice 0.67, ten times 0.91: Laplace's rule of succession, one imagined
  unlabeled occurrence), times :data:`FOLDED_FACTOR` for a folded match.
- **Never** what is already a span with that label there (same offsets or inside a longer span of that label), nor
  what the analyst rejected.

Matching uses Aho–Corasick automata (pyahocorasick): one pass over the text for all strings, whatever their number.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

from annotator.io.step_aside import sorted_in_steps, stepped
from annotator.model.span import Span
from annotator.model.words import is_word_boundary
from annotator.suggest.suggestion import Suggestion, SuggestionContext
from annotator.suggest.vocabulary import Entry, Vocabulary

NAME = "string-match"
FOLDED_FACTOR = 0.8
"""A match that differs from the learned string only in case scores this share of an exact one."""


def fold(text: str) -> str:
    """``text`` with each code point lower-cased where that gives one code point (offsets unchanged)."""
    lowered = text.lower()
    if len(lowered) == len(text):  # no code point became two (lower-casing never makes one of two): 1:1
        return lowered
    out = []
    for character in text:
        lower = character.lower()
        out.append(lower if len(lower) == 1 else character)
    return "".join(out)


@dataclass(frozen=True, slots=True)  # one per occurrence: some 100k at 10 MB (without a __dict__ each: half the memory)
class _Match:
    start: int
    end: int
    entry: Entry
    folded: bool


_Exact = dict[str, "array[int]"]  # a string -> where it starts in the text (its occurrences' ends follow)
_Folded = dict[tuple[str, ...], "array[int]"]  # the strings of one folded form -> where the form starts
"""Occurrences are kept as arrays of starts (8 bytes each), not as a tuple per occurrence: at 10 MB with 100k spans
the strings occur 2.7 million times, which as tuples held 0.3 GB and were walked by every full collection of Python's
cyclic garbage collector (an array holds no objects)."""


class _Automata:
    """The exact and the folded automaton of one vocabulary, built once per vocabulary version."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        import ahocorasick  # first use only: the window starts without it

        self.version = vocabulary.version
        self.exact = ahocorasick.Automaton()
        self.folded = ahocorasick.Automaton()
        folded_forms: dict[str, list[str]] = {}
        for text in vocabulary.entries:
            self.exact.add_word(text, text)
            folded_forms.setdefault(fold(text), []).append(text)
        for key, originals in folded_forms.items():
            self.folded.add_word(key, tuple(originals))
        self.empty = not vocabulary.entries
        if not self.empty:
            self.exact.make_automaton()
            self.folded.make_automaton()


class StringMatcher:
    """The ``string-match`` suggester.

    Parameters
    ----------
    vocabulary: what was learned beforehand (the project's spans, gazetteers); the document's own spans, given in
        the context of each call, are learned on top of it as "this document" (so labeling "Sullivan" once makes
        every other "Sullivan" a suggestion at once).
    """

    name = NAME

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary if vocabulary is not None else Vocabulary()
        self._base: _Automata | None = None
        self._folded: tuple[str, str] | None = None
        self._text: str | None = None  # the text the occurrences below are of
        self._base_found: tuple[_Exact, _Folded] | None = None
        self._own_found: dict[tuple[str, ...], tuple[_Exact, array[int]]] = {}
        self._key_folds: dict[str, str] = {}  # a string of the document's -> its folded form

    def suggest(self, text: str, context: SuggestionContext) -> list[Suggestion]:
        """Suggestions for ``text`` (see the module's docstring), sorted by ``(start, end, label)``, without ids.

        A document's text never changes, so where each string occurs is found once and kept: the learned strings'
        occurrences until the vocabulary changes, each of the document's own strings' for as long as the text is
        the same. A call after an edit then only weighs the evidence again (the cost grows with the occurrences,
        not with the text)."""
        return self._suggested(text, context, None, None)[0]

    def suggest_first(
        self, text: str, context: SuggestionContext, labels: Collection[str], limit: int
    ) -> tuple[list[Suggestion], int]:
        """``(first, found)``: of :meth:`suggest`'s suggestions of ``labels``, how many there are and the first
        ``limit`` (in its order, which is the text's), as
        :func:`~annotator.suggest.pending.first_in_text` would give them (its other rule, nothing inside a span of
        its label, is this matcher's own), without making a :class:`Suggestion` past the first ``limit``: a repetitive
        10 MB text with 100k spans has millions (:class:`~annotator.suggest.suggestion.FirstSuggester`)."""
        return self._suggested(text, context, labels, limit)

    def _suggested(
        self, text: str, context: SuggestionContext, allowed: Collection[str] | None, limit: int | None
    ) -> tuple[list[Suggestion], int]:
        """:meth:`suggest_first` of labels ``allowed`` (``None``: any) and ``limit`` (``None``: all of them)."""
        if self._text is not text:
            self._text, self._base_found, self._own_found = text, None, {}
        if self._base is None or self._base.version != self.vocabulary.version:
            self._base, self._base_found = _Automata(self.vocabulary), None
        if self._base_found is None:
            self._base_found = self._occurrences(text, self._base)
        own = Vocabulary.from_spans(context.spans, "this document")
        matches = self._evidence(text, *self._base_found, self.vocabulary, own)
        if own.entries:
            matches += self._evidence(text, *self._own_occurrences(text, own), own, self.vocabulary)
        kept = _longest_first(matches)
        covered = _Coverage(context.spans)
        scored: dict[tuple[int, bool], list[tuple[str, float, str]]] = {}  # one entry's labels, scores, reasons
        out: list[Suggestion] = []
        found = 0
        for match in stepped(kept):
            weights = match.entry.weights
            if len(weights) == 1:  # the usual case, and most matches are spans already: check before scoring
                (label,) = weights
                if covered.covers(label, match.start, match.end) or (match.start, match.end, label) in context.rejected:
                    continue
            labels = scored.get((id(match.entry), match.folded))
            if labels is None:
                labels = scored[(id(match.entry), match.folded)] = _scores(match.entry, match.folded)
            for label, score, reason in labels:
                if (match.start, match.end, label) in context.rejected or covered.covers(label, match.start, match.end):
                    continue
                if allowed is not None and label not in allowed:
                    continue
                found += 1
                if limit is None or found <= limit:
                    out.append(Suggestion(match.start, match.end, label, score, NAME, reason))
        return out, found  # by start (kept is), then end and label: one range's labels come sorted

    def _fold(self, text: str) -> str:
        """:func:`fold` of ``text``, kept for the next call on the same text (a document's text never changes)."""
        if self._folded is None or self._folded[0] is not text:
            self._folded = (text, fold(text))
        return self._folded[1]

    def _occurrences(self, text: str, automata: _Automata) -> tuple[_Exact, _Folded]:
        """Whole-word occurrences in ``text`` of ``automata``'s strings: exact ones, and those that differ only in
        case (not where the same vocabulary has the exact string)."""
        exact: _Exact = {}
        folded: _Folded = {}
        if automata.empty:
            return exact, folded
        exact_ranges = set()
        for last, key in stepped(automata.exact.iter(text)):  # (in a worker: steps aside for the window)
            start, end = last - len(key) + 1, last + 1
            if _inside_ascii_word(text, start) or _inside_ascii_word(text, end):
                continue  # the usual miss, decided without the full rules
            if is_word_boundary(text, start) and is_word_boundary(text, end):
                starts = exact.get(key)
                if starts is None:
                    starts = exact[key] = array("q")
                starts.append(start)
                exact_ranges.add((start, end))
        for last, originals in stepped(automata.folded.iter(self._fold(text))):
            length = len(originals[0])
            start, end = last - length + 1, last + 1
            if _inside_ascii_word(text, start) or _inside_ascii_word(text, end) or (start, end) in exact_ranges:
                continue
            if is_word_boundary(text, start) and is_word_boundary(text, end):
                starts = folded.get(originals)
                if starts is None:
                    starts = folded[originals] = array("q")
                starts.append(start)
        return exact, folded

    def _own_occurrences(self, text: str, own: Vocabulary) -> tuple[_Exact, _Folded]:
        """:meth:`_occurrences` of the document's own strings, each string's found once per text (``str.find``, at C
        speed, for a string labeled for the first time) and kept."""
        folded_text = self._fold(text)
        exact: _Exact = {}
        folded: _Folded = {}
        forms: dict[str, list[str]] = {}
        folds = self._key_folds
        for key in own.entries:
            form = folds.get(key)
            if form is None:
                form = folds[key] = fold(key)
            forms.setdefault(form, []).append(key)
        for form, originals in forms.items():
            group = tuple(sorted(originals))
            found = self._own_found.get(group)
            if found is None:
                found = self._own_found[group] = self._occurrences_of(text, folded_text, group, form)
            exact.update(found[0])  # a string has one folded form: in one group only
            if found[1]:
                folded[group] = found[1]
        return exact, folded

    @staticmethod
    def _occurrences_of(
        text: str, folded_text: str, originals: tuple[str, ...], form: str
    ) -> tuple[_Exact, array[int]]:
        """Whole-word occurrences of ``originals`` (strings of one folded ``form``): exact ones, and the starts where
        the text differs from all of them only in case."""
        exact: _Exact = {}
        ranges = set()
        for key in originals:
            starts = array("q")
            for start in _find_all(text, key):
                end = start + len(key)
                if is_word_boundary(text, start) and is_word_boundary(text, end):
                    starts.append(start)
                    ranges.add((start, end))
            if starts:
                exact[key] = starts
        folded = array("q")
        for start in _find_all(folded_text, form):
            end = start + len(form)
            if (start, end) not in ranges and is_word_boundary(text, start) and is_word_boundary(text, end):
                folded.append(start)
        return exact, folded

    @staticmethod
    def _evidence(text: str, exact: _Exact, folded: _Folded, vocabulary: Vocabulary, other: Vocabulary) -> list[_Match]:
        """The occurrences of ``vocabulary``'s strings with ``vocabulary``'s evidence (the call for ``other`` finds
        the same ranges with its own; :func:`_longest_first` merges them). A folded occurrence is left to ``other``
        when it holds the exact string there."""

        def exact_matches() -> Iterator[_Match]:
            for key, starts in exact.items():
                entry, length = vocabulary.entries[key], len(key)
                for start in starts:
                    yield _Match(start, start + length, entry, False)

        def folded_matches() -> Iterator[_Match]:
            for originals, starts in folded.items():
                entry, length = Entry(), len(originals[0])
                for original in originals:
                    entry = entry.merged(vocabulary.entries[original])
                for start in starts:
                    if text[start : start + length] not in other.entries:  # else the other's exact match says it
                        yield _Match(start, start + length, entry, True)

        found = list(stepped(exact_matches()))
        found += stepped(folded_matches())
        return found


def _find_all(haystack: str, needle: str) -> Iterator[int]:
    """Every offset where ``needle`` starts in ``haystack`` (overlapping ones too)."""
    index = haystack.find(needle)
    while index != -1:
        yield index
        index = haystack.find(needle, index + 1)


def _inside_ascii_word(text: str, i: int) -> bool:
    """Whether ``i`` falls between two ASCII letters or digits (never a word boundary)."""
    if 0 < i < len(text):
        before, after = text[i - 1], text[i]
        return before.isascii() and after.isascii() and before.isalnum() and after.isalnum()
    return False


def _longest_first(matches: Iterable[_Match]) -> list[_Match]:
    """One match per range (an exact one before a folded one; the evidence of the two vocabularies for one range
    merged),
    without the matches that lie inside a longer one; sorted by start."""
    by_range: dict[tuple[int, int], _Match] = {}
    for match in stepped(matches):
        key = (match.start, match.end)
        held = by_range.get(key)
        if held is None or (held.folded and not match.folded):
            by_range[key] = match
        elif held.folded == match.folded and held.entry is not match.entry:
            by_range[key] = _Match(match.start, match.end, held.entry.merged(match.entry), held.folded)
    kept = []
    reach = -1
    # by start, the longest first: sorted in steps (one sort of 400k ranges held the GIL 0.5 s, the window waiting)
    for start, minus_end in stepped(sorted_in_steps([(start, -end) for start, end in by_range])):
        end = -minus_end
        if end <= reach:
            continue  # inside an earlier-starting match that is at least as long
        kept.append(by_range[(start, end)])
        reach = max(reach, end)
    return kept


class _Coverage:
    """Answers "is ``[start, end)`` inside a span labeled ``label``?" in ``O(log n)``."""

    def __init__(self, spans: Sequence[Span]) -> None:
        by_label: dict[str, list[tuple[int, int]]] = {}
        for span in spans:
            by_label.setdefault(span.label, []).append((span.start, span.end))
        self._starts: dict[str, list[int]] = {}
        self._reach: dict[str, list[int]] = {}
        for label, ranges in by_label.items():
            ranges.sort()
            self._starts[label] = [r[0] for r in ranges]
            self._reach[label] = list(accumulate((r[1] for r in ranges), max))

    def covers(self, label: str, start: int, end: int) -> bool:
        starts = self._starts.get(label)
        if not starts:
            return False
        index = bisect_right(starts, start)
        return index > 0 and self._reach[label][index - 1] >= end


def _scores(entry: Entry, folded: bool) -> list[tuple[str, float, str]]:
    """``(label, score, reason)`` for each label of ``entry``, sorted by label (see the module's docstring)."""
    total = entry.total
    damping = total / (total + 1.0)
    sources = ", ".join(entry.sources)
    times = "time" if total == 1 else "times"
    case = "; the case differs" if folded else ""
    out = []
    for label, weight in sorted(entry.weights.items()):
        score = round((weight / total) * damping * (FOLDED_FACTOR if folded else 1.0), 4)
        out.append((label, score, f"labeled {label} {weight:g} of {total:g} {times} ({sources}){case}"))
    return out
