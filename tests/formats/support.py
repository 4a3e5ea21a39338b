"""Records shared by the format tests: every case of the unicode-trap corpus, and a few small hand-made ones."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.formats.checking import check_record
from annotator.formats.parsed import ParsedRecord, RecordFault
from annotator.formats.records import DocumentRecord
from annotator.io.label_set_file import default_label_set
from annotator.model.relation import Relation
from annotator.model.span import Span
from tests.conftest import trap_cases

LABELS = default_label_set()


def spans_of(text: str, *items: tuple[int, int, str], note: str = "") -> tuple[Span, ...]:
    """Spans ``s1, s2...`` over ``text`` for ``(start, end, label)`` items, sorted as saved."""
    spans = [
        Span(id=f"s{n}", start=a, end=b, label=label, text=text[a:b], note=note)
        for n, (a, b, label) in enumerate(items, start=1)
    ]
    return tuple(sorted(spans, key=lambda s: s.sort_key))


def trap_records() -> list[DocumentRecord]:
    """One record per trap case (id = case name, annotator ``"trap"``), spans exactly as the corpus gives them."""
    records = []
    for case in trap_cases():
        text = case["text"]
        items = [(s["start"], s["end"], s["label"]) for s in case["spans"]]
        records.append(DocumentRecord(id=case["name"], text=text, spans=spans_of(text, *items), annotator="trap"))
    return records


def linked_record() -> DocumentRecord:
    """A record with a note, a multi-line span and source/target links, for formats that hold them."""
    text = "Sullivan warned China\r\nof consequences.\nYang denied it."
    a, b = text.index("Sullivan"), text.index("Yang")
    warning = (text.index("of consequences"), text.index("consequences") + len("consequences"))
    spans = [
        Span(id="s1", start=a, end=a + 8, label="actor", text="Sullivan"),
        Span(id="s2", start=text.index("China"), end=text.index("China") + 5, label="actor", text="China"),
        Span(
            id="s3",
            start=text.index("warned"),
            end=warning[1],
            label="warning",
            text=text[text.index("warned") : warning[1]],
            note="cue verb inside? check",
        ),
        Span(id="s4", start=b, end=b + 4, label="actor", text="Yang"),
        Span(id="s5", start=text.index("it."), end=text.index("it.") + 2, label="denial", text="it"),
    ]
    relations = [
        Relation(id="r1", type="source", from_="s3", to="s1"),
        Relation(id="r2", type="target", from_="s3", to="s2"),
        Relation(id="r3", type="source", from_="s5", to="s4"),
    ]
    return DocumentRecord(
        id="news/linked",
        text=text,
        spans=tuple(sorted(spans, key=lambda s: s.sort_key)),
        relations=tuple(relations),
        annotator="alice",
        meta={"status": "done"},
    )


def whitespace_edged_record() -> DocumentRecord:
    """Spans with whitespace at an edge (NBSP, U+2028, CR LF, a tab): all trimmed but " Sulli" (then misaligned)
    and " warned" (trimmed, then inside the warning)."""
    text = "Met\u00a0Person H\u2028today.\r\nOfficials\r\n warned Sullivan.\tWang"
    person, sullivan = text.index("Person H"), text.index("Sullivan")
    items = [
        (person - 1, person + 9, "actor"),  # NBSP before, U+2028 after: trimmed to "Person H"
        (text.index("Officials"), text.index(" warned"), "actor"),  # CR LF after: trimmed to "Officials"
        (text.index("\r\n warned"), sullivan + 8, "warning"),  # CR LF and a space before
        (text.index(" warned"), sullivan - 1, "claim"),  # trimmed to "warned", inside the warning
        (sullivan - 1, sullivan + 5, "actor"),  # " Sulli": trimmed, then ends inside a token
        (text.index("\tWang"), len(text), "actor"),  # a tab before the last token
    ]
    return DocumentRecord(id="news/edges", text=text, spans=spans_of(text, *items), annotator="alice")


def span_facts(record: DocumentRecord) -> list[tuple]:
    """What a round trip must keep of each span: offsets, label, text, note and flag, sorted."""
    return sorted((s.start, s.end, s.label, s.text, s.note, s.uncertain) for s in record.spans)


def relation_facts(record: DocumentRecord) -> list[tuple]:
    """Each link as ``(type, from span's (start, end, label), to span's ...)``, sorted: independent of span ids."""
    by_id = {s.id: (s.start, s.end, s.label) for s in record.spans}
    return sorted((r.type, by_id[r.from_], by_id[r.to]) for r in record.relations)


def read_checked(
    read: Callable[[Path], Iterable[ParsedRecord | RecordFault]], path: Path
) -> tuple[list[DocumentRecord], list[str]]:
    """The records ``read`` finds in ``path`` as the app would import them (checked against :data:`LABELS`, annotator
    ``"trap"`` when the file names none), and every rejection message."""
    records, rejected = [], []
    for parsed in read(path):
        if isinstance(parsed, RecordFault):
            rejected.append(parsed.message())
            continue
        checked = check_record(parsed, LABELS, parsed.id or "x", "trap")
        rejected.extend(checked.rejected)
        if checked.record is not None:
            records.append(checked.record)
    return records, rejected
