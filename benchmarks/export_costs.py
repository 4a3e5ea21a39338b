"""What exporting costs: each format on one 1 MB document with 10k spans, and a project of 1,000 small documents.

Run: ``python benchmarks/export_costs.py`` (no Qt). Prints the median of several repetitions in milliseconds, and
the tokenizer's time alone. Files go to a temporary folder. The spans are word-aligned, a tenth of them nested in a
longer span (so CoNLL and spaCy drop them from their entities and report them).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from timing import median_ms

from annotator.formats.options import ExportOptions
from annotator.formats.records import DocumentRecord
from annotator.formats.registry import FORMATS
from annotator.formats.tokens import tokenize
from annotator.model.span import Span

SENTENCE = "Officials in Berlin warned on Monday that prices would rise 🙂 sharply.\r\n"


def big_record(span_count: int = 10_000) -> DocumentRecord:
    """About 1 MB of text; ``span_count`` spans over "Officials in Berlin" and "warned ... sharply", every tenth
    sentence with "Berlin" nested in the actor span."""
    text = SENTENCE * (1_000_000 // len(SENTENCE))
    step = len(SENTENCE)
    spans = []
    actor = (0, len("Officials in Berlin"))
    warning = (SENTENCE.index("warned"), SENTENCE.index("sharply") + len("sharply"))
    berlin = (SENTENCE.index("Berlin"), SENTENCE.index("Berlin") + 6)
    sentence = 0
    while len(spans) < span_count:
        base = sentence * step
        for label, (a, b) in (("actor", actor), ("warning", warning), ("actor", berlin)):
            if label == "actor" and (a, b) == berlin and sentence % 10:
                continue
            spans.append(
                Span(id=f"s{len(spans) + 1}", start=base + a, end=base + b, label=label, text=text[base + a : base + b])
            )
        sentence += 1
    spans = spans[:span_count]
    return DocumentRecord("big", text, tuple(sorted(spans, key=lambda s: s.sort_key)), annotator="bench")


def small_records(count: int = 1000) -> list[DocumentRecord]:
    text = SENTENCE * 20
    spans = []
    for n in range(20):
        base = n * len(SENTENCE)
        spans.append(Span(id=f"s{n}", start=base, end=base + 9, label="actor", text="Officials"))
    return [DocumentRecord(f"doc{i:04d}", text, tuple(spans), annotator="bench") for i in range(count)]


DEGENERATE = {
    "regional indicators x 100k": "🇺" * 100_001,
    "one letter + 100k marks": "a" + "\u0301" * 100_000,
    "one 1M-letter word": "x" * 1_000_000,
    "zero-width spaces x 100k": "a\u200b" * 100_000,
    "U+0600 + space x 50k": "\u0600 " * 50_000,
    "Han x 100k": "中" * 100_000,
    "emoji sequences x 10k": "a 😬 👨\u200d👩\u200d👧 🇺🇸, " * 10_000,
}


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="annotator-export-bench-"))
    big = big_record()
    smalls = small_records()
    options = ExportOptions()
    news = "Officials met in Rome on Monday. Price warned of “consequences” — 3.5% of them, Zoë said.\n"
    news = (news * (1_000_000 // len(news) + 1))[:1_000_000]
    print(f"tokenize 1 MB of news text: {median_ms(lambda: tokenize(news)):.0f} ms")
    print(f"tokenize 1 MB with an emoji per line: {median_ms(lambda: tokenize(big.text)):.0f} ms")
    for name, text in DEGENERATE.items():  # each must stay linear: a quadratic case takes minutes
        print(f"tokenize {name}: {median_ms(lambda text=text: tokenize(text), 3):.0f} ms")
    print(f"{'format':>13} {'1 MB, 10k spans':>16} {'1,000 docs x 20 spans':>22}")
    for name, fmt in FORMATS.items():
        out = folder / (f"{name}-out" if fmt.writes_folder else f"out{fmt.suffix}")
        one = median_ms(lambda fmt=fmt, out=out: fmt.write([big], out, options))
        many = median_ms(lambda fmt=fmt, out=out: fmt.write(smalls, out, options), 3)
        print(f"{name:>13} {one:>13.0f} ms {many:>19.0f} ms")


if __name__ == "__main__":
    main()
