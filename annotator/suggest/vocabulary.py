"""What the string matcher knows: each span text seen, with how often (or how heavily) it carried each label, and
where that came from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.model.span import Span


@dataclass
class Entry:
    """One string's evidence: ``weights`` per label (a span counts 1, a gazetteer line its weight) and the
    ``sources`` it came from ("this project", "this document", "gazetteer people.tsv"...), in the order first seen."""

    weights: dict[str, float] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        """The weight of every label together."""
        return sum(self.weights.values())

    def add(self, label: str, weight: float, source: str) -> None:
        """Count ``weight`` more for ``label``, from ``source``."""
        self.weights[label] = self.weights.get(label, 0.0) + weight
        if source not in self.sources:
            self.sources.append(source)

    def merged(self, other: Entry) -> Entry:
        """A new entry holding both entries' evidence."""
        out = Entry(dict(self.weights), list(self.sources))
        for label, weight in other.weights.items():
            out.weights[label] = out.weights.get(label, 0.0) + weight
        out.sources.extend(s for s in other.sources if s not in out.sources)
        return out


class Vocabulary:
    """Span texts (exact strings, as in the documents) and their label evidence.

    ``version`` grows with every change, so a matcher knows when to rebuild its automaton.
    """

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.version = 0

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, text: str, label: str, weight: float = 1.0, source: str = "this project") -> None:
        """Count ``text`` as labeled ``label`` ``weight`` times, from ``source``. Empty or all-whitespace texts are
        ignored (nothing to match).

        Raises
        ------
        ValueError
            If ``weight`` is not positive.
        """
        if weight <= 0:
            raise ValueError(f"a weight must be positive, not {weight}")
        if not text.strip():
            return
        self.entries.setdefault(text, Entry()).add(label, weight, source)
        self.version += 1

    def learn_spans(self, spans: Iterable[Span], source: str = "this project") -> int:
        """Count every span's exact text under its label; returns how many spans were counted."""
        count = 0
        for span in spans:
            self.add(span.text, span.label, 1.0, source)
            count += 1
        return count

    def entry(self, text: str) -> Entry | None:
        """The evidence for exactly ``text``, or ``None``."""
        return self.entries.get(text)

    @classmethod
    def from_spans(cls, spans: Iterable[Span], source: str) -> Vocabulary:
        """A vocabulary of ``spans`` alone."""
        vocabulary = cls()
        vocabulary.learn_spans(spans, source)
        return vocabulary
