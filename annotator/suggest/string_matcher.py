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

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

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


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    entry: Entry
    folded: bool


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

    def suggest(self, text: str, context: SuggestionContext) -> list[Suggestion]:
        """Suggestions for ``text`` (see the module's docstring), sorted by ``(start, end, label)``, without ids."""
        if self._base is None or self._base.version != self.vocabulary.version:
            self._base = _Automata(self.vocabulary)
        own = Vocabulary.from_spans(context.spans, "this document")
        matches = self._matches(text, self._base, self.vocabulary, own)
        if own.entries:
            matches += self._matches(text, _Automata(own), own, self.vocabulary)
        kept = _longest_first(matches)
        covered = _Coverage(context.spans)
        scored: dict[tuple[int, bool], list[tuple[str, float, str]]] = {}  # one entry's labels, scores, reasons
        out = []
        for match in kept:
            labels = scored.get((id(match.entry), match.folded))
            if labels is None:
                labels = scored[(id(match.entry), match.folded)] = _scores(match.entry, match.folded)
            for label, score, reason in labels:
                if (match.start, match.end, label) in context.rejected or covered.covers(label, match.start, match.end):
                    continue
                out.append(Suggestion(match.start, match.end, label, score, NAME, reason))
        return out  # by start (kept is), then end and label: one range's labels come sorted

    def _fold(self, text: str) -> str:
        """:func:`fold` of ``text``, kept for the next call on the same text (a document's text never changes)."""
        if self._folded is None or self._folded[0] is not text:
            self._folded = (text, fold(text))
        return self._folded[1]

    def _matches(self, text: str, automata: _Automata, vocabulary: Vocabulary, other: Vocabulary) -> list[_Match]:
        """Whole-word matches of ``vocabulary``'s strings in ``text``, with ``vocabulary``'s evidence (the call for
        ``other`` finds the same ranges with its own; :func:`_longest_first` merges them). A folded match is left to
        ``other`` when it holds the exact string there."""
        if automata.empty:
            return []
        found: list[_Match] = []
        exact_ranges = set()
        for last, key in automata.exact.iter(text):
            start, end = last - len(key) + 1, last + 1
            if _inside_ascii_word(text, start) or _inside_ascii_word(text, end):
                continue  # the usual miss, decided without the full rules
            if is_word_boundary(text, start) and is_word_boundary(text, end):
                found.append(_Match(start, end, vocabulary.entries[key], False))
                exact_ranges.add((start, end))
        merged: dict[tuple[str, ...], Entry] = {}
        for last, originals in automata.folded.iter(self._fold(text)):
            length = len(originals[0])
            start, end = last - length + 1, last + 1
            if _inside_ascii_word(text, start) or _inside_ascii_word(text, end):
                continue
            if (start, end) in exact_ranges or text[start:end] in other.entries:
                continue  # the exact match (of this vocabulary or the other's) says it better
            if not (is_word_boundary(text, start) and is_word_boundary(text, end)):
                continue
            entry = merged.get(originals)
            if entry is None:
                entry = Entry()
                for original in originals:
                    entry = entry.merged(vocabulary.entries[original])
                merged[originals] = entry
            found.append(_Match(start, end, entry, True))
        return found


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
    for match in matches:
        key = (match.start, match.end)
        held = by_range.get(key)
        if held is None or (held.folded and not match.folded):
            by_range[key] = match
        elif held.folded == match.folded and held.entry is not match.entry:
            by_range[key] = _Match(match.start, match.end, held.entry.merged(match.entry), held.folded)
    kept = []
    reach = -1
    for start, end in sorted(by_range, key=lambda r: (r[0], -r[1])):
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
