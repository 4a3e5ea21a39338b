"""Gazetteers: lists of strings with the label they take, read into and written from a :class:`Vocabulary`.

Format (tab-separated values, UTF-8, one entry a line): ``text<TAB>label`` or ``text<TAB>label<TAB>weight``, the
weight a positive number (1 when left out) counted like that many labeled spans. Blank lines and lines starting with
``#`` are skipped. A text cannot hold a tab or a line break (the format has no escapes): such strings are reported,
not written.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.io.atomic import atomic_write_text
from annotator.io.errors import FileFault
from annotator.io.textfile import read_text_file
from annotator.suggest.vocabulary import Vocabulary


@dataclass(frozen=True)
class GazetteerEntry:
    """One gazetteer line: ``text`` (exact, as it appears in documents), its ``label`` and ``weight`` (> 0)."""

    text: str
    label: str
    weight: float = 1.0


def parse_gazetteer(text: str, path: str | Path = "<gazetteer>") -> list[GazetteerEntry]:
    """The entries of a gazetteer's text (see the module's docstring).

    Raises
    ------
    FileFault
        Naming ``path`` and every bad line ("line 3: expected text<TAB>label[<TAB>weight], found 1 field").
    """
    entries: list[GazetteerEntry] = []
    faults: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (2, 3):
            found = f"{len(fields)} field" + ("" if len(fields) == 1 else "s")
            faults.append(f"line {number}: expected text<TAB>label[<TAB>weight], found {found}")
            continue
        entry_text, label = fields[0], fields[1].strip()
        if not entry_text.strip() or not label:
            faults.append(f"line {number}: the text and the label must not be empty")
            continue
        weight = 1.0
        if len(fields) == 3:
            try:
                weight = float(fields[2])
            except ValueError:
                weight = math.nan
            if not math.isfinite(weight) or weight <= 0:
                faults.append(f"line {number}: the weight must be a positive number, not {fields[2]!r}")
                continue
        entries.append(GazetteerEntry(entry_text, label, weight))
    if faults:
        raise FileFault(path, faults)
    return entries


def read_gazetteer(path: str | Path) -> list[GazetteerEntry]:
    """The entries of the gazetteer file ``path`` (decoded as the app decodes text files).

    Raises
    ------
    FileFault
        If the file cannot be read or decoded, or has bad lines (each named with its number).
    """
    return parse_gazetteer(read_text_file(path).text, path)


def learn_gazetteer(vocabulary: Vocabulary, entries: Iterable[GazetteerEntry], name: str) -> int:
    """Add ``entries`` to ``vocabulary`` with the source "gazetteer <name>"; returns how many."""
    count = 0
    for entry in entries:
        vocabulary.add(entry.text, entry.label, entry.weight, f"gazetteer {name}")
        count += 1
    return count


def write_gazetteer(path: str | Path, vocabulary: Vocabulary) -> list[str]:
    """Write every string of ``vocabulary`` with each of its labels and weights to ``path`` (atomically), sorted by
    text then label; returns the strings left out because they hold a tab or a line break.

    Raises
    ------
    FileFault
        If the file cannot be written.
    """
    lines = ["# text<TAB>label<TAB>weight, written by annotator"]
    left_out = []
    for text in sorted(vocabulary.entries):
        if "\t" in text or any(ch in text for ch in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
            left_out.append(text)
            continue
        for label, weight in sorted(vocabulary.entries[text].weights.items()):
            lines.append(f"{text}\t{label}\t{weight:g}")
    atomic_write_text(path, "\n".join(lines) + "\n")
    return left_out
