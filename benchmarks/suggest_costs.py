"""What suggesting costs: the string matcher on a long document, learned from many distinct strings.

Prints medians (ms) of: building the automata for N learned strings; suggesting on a text of SIZE characters with
nothing new learned (the automata kept); suggesting right after the analyst labeled one more span (the document's
own strings matched again, the project's automata kept). The text is news-like: words drawn from a vocabulary of
which the learned strings are a part, so that about one word in ``--density`` is a learned string.

    python benchmarks/suggest_costs.py [--size 1000000] [--strings 10000] [--density 20] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--strings", type=int, default=10_000)
    parser.add_argument("--density", type=int, default=20, help="one word in this many is a learned string")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from annotator.model.span import Span
    from annotator.suggest.string_matcher import StringMatcher, _Automata
    from annotator.suggest.suggestion import SuggestionContext
    from annotator.suggest.vocabulary import Vocabulary

    rnd = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"

    def word() -> str:
        return "".join(rnd.choice(letters) for _ in range(rnd.randint(3, 10)))

    learned = sorted(
        {
            word().capitalize() + (" " + word().capitalize() if rnd.random() < 0.5 else "")
            for _ in range(args.strings * 2)
        }
    )[: args.strings]
    vocabulary = Vocabulary()
    for text in learned:
        vocabulary.add(text, rnd.choice(["actor", "claim", "warning", "denial"]))
    common = [word() for _ in range(5000)]
    parts, size = [], 0
    while size < args.size:
        piece = rnd.choice(learned) if rnd.random() < 1 / args.density else rnd.choice(common)
        parts.append(piece)
        size += len(piece) + 1
    text = " ".join(parts)[: args.size]

    build = median_ms(lambda: _Automata(vocabulary), args.repeat)
    matcher = StringMatcher(vocabulary)
    found = matcher.suggest(text, SuggestionContext())
    steady = median_ms(lambda: matcher.suggest(text, SuggestionContext()), args.repeat)
    first = found[0]
    spans = [Span(id="s1", start=first.start, end=first.end, label=first.label, text=text[first.start : first.end])]
    after_edit = median_ms(lambda: matcher.suggest(text, SuggestionContext(spans=spans)), args.repeat)
    print(f"{len(text):,} characters, {len(vocabulary):,} learned strings, {len(found):,} suggestions")
    print(f"build the automata       {build:8.1f} ms")
    print(f"suggest (automata kept)  {steady:8.1f} ms")
    print(f"suggest after a new span {after_edit:8.1f} ms")


if __name__ == "__main__":
    main()
