"""``dumps_pieces`` gives exactly ``dumps_bytes``'s bytes, the document's text escaped a slice at a time."""

import pytest

from annotator.io.annotation_file import dumps_bytes
from annotator.io.json_pieces import STAND_IN, dumps_pieces
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from tests.conftest import trap_cases

#: Every character JSON escapes, the ones it might (U+2028, U+007F, lone-looking pairs), the stand-in itself.
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
