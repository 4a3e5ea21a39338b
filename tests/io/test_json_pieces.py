"""``dumps_pieces`` gives exactly ``dumps_bytes``'s bytes, the document's text escaped a slice at a time."""

from pathlib import Path

import pytest

from annotator.io.annotation_file import dumps_bytes, load
from annotator.io.json_pieces import STAND_IN, dumps_pieces
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from tests.conftest import trap_cases

#: Every character JSON escapes, the ones it might (U+2028, U+007F, lone-looking pairs), the stand-in itself.
LABELS = ("actor", "claim", "warning", "denial")
ESCAPES = "".join(map(chr, range(32))) + '"\\/\u007f\u2028\u2029\ufeff🙂é\r\n' + STAND_IN


def annotations_for(text: str, spans: int = 3) -> AnnotationSet:
    annotations = AnnotationSet(Document.from_text(text), default_label_set(), "alice")
    for n in range(min(spans, len(text))):
        annotations.insert(annotations.new_span(n, n + 1, "actor"))
    return annotations


@pytest.mark.parametrize("case", trap_cases(), ids=lambda case: case["name"])
@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_trap_corpus_pieces_join_to_the_one_call_bytes(case, size):
    annotations = annotations_for(case["text"])
    pieces = list(dumps_pieces(annotations, slice_size=size))
    assert b"".join(pieces) == dumps_bytes(annotations)
    if len(case["text"]) > size:
        assert len(pieces) >= 3  # really cut: the text's slices between the two ends


@pytest.mark.parametrize("seed", range(12))
def test_generated_texts_pieces_join_to_the_one_call_bytes(seed):
    import random

    chooser = random.Random(seed)
    text = "".join(chooser.choice(ESCAPES + "abc  ") for _ in range(chooser.randrange(1, 400)))
    annotations = annotations_for(text, spans=seed)
    annotations.metadata = {"note": STAND_IN} if seed % 2 else {}
    for size in (1, 5, 64, 1000):
        assert b"".join(dumps_pieces(annotations, slice_size=size)) == dumps_bytes(annotations)


def test_a_short_text_is_one_piece():
    annotations = annotations_for("Officials warned.")
    assert list(dumps_pieces(annotations)) == [dumps_bytes(annotations)]


def test_not_started_is_refused_as_by_the_one_call():
    from annotator.model.annotation_set import DocumentStatus

    annotations = annotations_for("Officials warned on Monday.")
    annotations.status = DocumentStatus.NOT_STARTED
    with pytest.raises(ValueError, match="not_started"):
        list(dumps_pieces(annotations, slice_size=2))


def test_the_journal_writes_a_base_in_pieces_as_it_writes_it_whole():
    from annotator.project.journal import _header_parts

    annotations = annotations_for("\ufeffOfficials\r\nwarned \u2028 🙂 on\nMonday.\r" * 5)
    header = {"journal": 1, "annotation_path": "/tmp/x.annotations.json"}
    whole = b"".join(_header_parts(header, dumps_bytes(annotations)))
    assert b"".join(_header_parts(header, tuple(dumps_pieces(annotations, slice_size=4)))) == whole
    assert whole.count(b"\n") == 1 and whole.endswith(b"}\n")


# -- the spans array in pieces, and snapshots ----------------------------------------------------------------------
VERSIONS = sorted((Path(__file__).parents[1] / "data" / "versions").glob("*.annotations.json"))


@pytest.mark.parametrize("path", VERSIONS, ids=lambda path: path.name)
@pytest.mark.parametrize(("slice_size", "spans_piece"), [(3, 1), (1000, 1), (5, 2), (2, 1000)])
def test_every_version_s_file_in_pieces_of_spans_is_the_one_call_bytes(path, slice_size, spans_piece):
    annotations = load(path)
    pieces = list(dumps_pieces(annotations, slice_size=slice_size, spans_piece=spans_piece))
    assert b"".join(pieces) == dumps_bytes(annotations)
    if len(annotations) > spans_piece:
        assert len(pieces) >= 3 + len(annotations) // spans_piece  # really cut: a piece per few spans


@pytest.mark.parametrize("case", trap_cases(), ids=lambda case: case["name"])
def test_trap_corpus_with_spans_in_pieces_is_the_one_call_bytes(case):
    annotations = annotations_for(case["text"], spans=9)
    for spans_piece in (1, 2, 4):
        assert b"".join(dumps_pieces(annotations, slice_size=2, spans_piece=spans_piece)) == dumps_bytes(annotations)


@pytest.mark.parametrize("seed", range(8))
def test_generated_spans_of_every_kind_in_pieces_are_the_one_call_bytes(seed, monkeypatch):
    import random

    from annotator.io import json_pieces

    monkeypatch.setattr(json_pieces, "_READ_STEP", 3)  # offsets read and versions scanned in steps
    chooser = random.Random(seed)
    text = "".join(chooser.choice(ESCAPES + "abc  ") for _ in range(200))
    annotations = annotations_for(text, spans=0)
    for n in range(chooser.randrange(1, 40)):
        start = chooser.randrange(0, 199)
        span = annotations.new_span(start, start + chooser.randrange(1, 200 - start), chooser.choice(LABELS))
        if n % 3 == seed % 3:
            span = span.model_copy(update={"origin": "suggestion", "suggester": "string-match", "score": 0.5})
        if n % 4 == seed % 4:
            span = span.model_copy(update={"entity": f"e{n}"})
        annotations.insert(span)
    for spans_piece in (1, 3, 7):
        joined = b"".join(dumps_pieces(annotations, slice_size=chooser.choice([1, 9, 50]), spans_piece=spans_piece))
        assert joined == dumps_bytes(annotations)


def test_a_snapshot_gives_the_file_as_it_was_when_taken():
    from annotator.io.json_pieces import AnnotationsSnapshot

    annotations = annotations_for("Officials in Berlin warned on Monday.", spans=5)
    annotations.metadata = {"source": {"name": "wire"}}
    expected = dumps_bytes(annotations)
    snapshot = AnnotationsSnapshot.of(annotations)
    annotations.insert(annotations.new_span(10, 16, "claim"))
    annotations.delete(next(iter(annotations)).id)
    annotations.metadata["source"]["name"] = "changed"
    assert b"".join(dumps_pieces(snapshot, slice_size=4, spans_piece=2)) == expected


@pytest.mark.parametrize("seed", range(6))
def test_saved_order_is_the_set_s_order_with_many_spans_on_the_same_offsets(seed, monkeypatch):
    import random

    from annotator.io import json_pieces
    from annotator.model.span import Span

    monkeypatch.setattr(json_pieces, "_READ_STEP", 4)  # offsets read in several steps
    monkeypatch.setattr(json_pieces, "_ORDER_STEP", 5)  # and put in their places in several
    chooser = random.Random(seed)
    text = "Officials in Berlin warned on Monday."
    spans = []
    for n in range(chooser.randrange(2, 60)):  # ids s1...s60: "s10" sorts before "s9"
        start = chooser.randrange(0, 3)
        end = start + chooser.randrange(1, 3)
        spans.append(Span(id=f"s{n + 1}", start=start, end=end, label=chooser.choice(LABELS), text=text[start:end]))
    chooser.shuffle(spans)
    annotations = AnnotationSet(Document.from_text(text), default_label_set(), "alice", spans)
    assert json_pieces.saved_order(spans) == annotations.sorted_spans()
    assert b"".join(dumps_pieces(annotations, slice_size=5, spans_piece=3)) == dumps_bytes(annotations)


@pytest.mark.parametrize("kind", ["origin", "attributes", "entity"])
def test_a_span_deciding_the_version_late_in_the_spans_decides_it_in_pieces(kind, monkeypatch):
    from annotator.io import json_pieces

    monkeypatch.setattr(json_pieces, "_READ_STEP", 2)  # found in a later step than the first
    annotations = annotations_for("Officials in Berlin warned on Monday.", spans=9)
    last = annotations.sorted_spans()[-1]
    update = {
        "origin": {"origin": "suggestion", "suggester": "x", "score": 0.5},
        "attributes": {"attributes": {"a": True}},
    }
    annotations.replace(last.model_copy(update=update.get(kind, {"entity": "e1"})))
    expected = dumps_bytes(annotations)
    assert b'"format_version": 5,' in expected  # not 3, as for manual spans alone
    assert b"".join(dumps_pieces(annotations, slice_size=4, spans_piece=2)) == expected


def test_stepping_aside_between_pieces_gives_the_same_bytes_and_sleeps_when_interrupted(monkeypatch):
    """Each piece's making (and each step reading the spans) is measured; a step another thread interrupted sleeps;
    what the caller does with a piece is not counted."""
    from annotator.io import json_pieces
    from annotator.io.step_aside import StepAside

    monkeypatch.setattr(json_pieces, "_READ_STEP", 3)
    monkeypatch.setattr(json_pieces, "_ORDER_STEP", 4)
    annotations = annotations_for("Officials in Berlin warned on Monday that talks had failed.", spans=12)
    counted = [0]
    slept: list[float] = []
    aside = StepAside(switches=lambda: counted[0], sleep=slept.append, wall=lambda: 0.0)

    def interrupted():  # switches counted only while the caller has each piece
        for piece in dumps_pieces(annotations, slice_size=7, spans_piece=2, step_aside=aside):
            counted[0] += 5
            yield piece

    joined = b"".join(interrupted())
    assert joined == dumps_bytes(annotations)
    assert slept == []  # the switches were counted while the caller had the piece: not the pieces' making

    def making_interrupted():
        def switches():
            counted[0] += 4  # each look moves it by four: every step measured was in another thread's burst
            return counted[0]

        busy = StepAside(switches=switches, sleep=slept.append, wall=lambda: 0.0)
        return b"".join(dumps_pieces(annotations, slice_size=7, spans_piece=2, step_aside=busy)), busy

    joined, busy = making_interrupted()
    assert joined == dumps_bytes(annotations)
    assert busy.stepped_aside >= len(list(dumps_pieces(annotations, slice_size=7, spans_piece=2)))
    assert len(slept) == busy.stepped_aside
