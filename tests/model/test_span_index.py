"""BlockSpanIndex (built in one vectorised pass, blocks grouped lazily) against a plain per-span grouping."""

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model import span_index
from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.document import Document
from annotator.model.labels import Label, LabelSet
from annotator.model.offsets import OffsetMap
from annotator.model.span_index import BlockSpanIndex
from tests.conftest import trap_cases

LABELS = LabelSet(name="test", labels=(Label(name="actor", color="#0072B2", hotkey="1"),))
PIECES = ("ab", "c", " ", "\r\n", "\n", "\r", "\u2029", "\u2028", "\U0001f642", "\ufdd0", "é")


def reference(offsets: OffsetMap, spans) -> dict[int, set[str]]:
    """``{block: span ids}`` made span by span with ``blocks_of_range`` (what the index was before)."""
    by_block: dict[int, set[str]] = {}
    for span in spans:
        for block in offsets.blocks_of_range(span.start, span.end):
            by_block.setdefault(block, set()).add(span.id)
    return by_block


def grouped(index: BlockSpanIndex, offsets: OffsetMap) -> dict[int, set[str]]:
    found = {n: {s.id for s in index.spans_in_block(n)} for n in range(offsets.block_count)}
    return {n: ids for n, ids in found.items() if ids}


def make_spans(annotations: AnnotationSet, ranges):
    length = len(annotations.text)
    spans = []
    for a, b in ranges:
        start, end = sorted((a % length, b % length))
        if start == end:
            end = start + 1
        spans.append(annotations.new_span(start, end, "actor"))
    return spans


texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)
ranges = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), max_size=30)


@settings(max_examples=150, deadline=None)
@given(texts, ranges, ranges, st.data())
def test_index_equals_span_by_span_grouping_before_and_after_edits(text, initial, added, data):
    annotations = AnnotationSet(Document.from_text(text), LABELS, "a")
    offsets = OffsetMap(text)
    spans = make_spans(annotations, initial)
    spans += [annotations.new_span(s.start, s.end, "actor") for s in spans[::3]]  # identical offsets, nested
    index = BlockSpanIndex(offsets, spans)
    # ask for some blocks first (made from the initial spans), leave the others to be made by the edits
    for block in data.draw(st.lists(st.integers(0, offsets.block_count - 1), max_size=5)):
        assert {s.id for s in index.spans_in_block(block)} == reference(offsets, spans).get(block, set())
    assert grouped(index, offsets) == reference(offsets, spans)
    index = BlockSpanIndex(offsets, spans)  # a fresh one, edited before any block is asked for
    removed = spans[::2]
    new = make_spans(annotations, added)
    touched = index.apply(Change(removed=tuple(removed), added=tuple(new)))
    kept = [s for s in spans if s not in removed] + new
    assert touched == sorted(set(reference(offsets, removed)) | set(reference(offsets, new)))
    assert grouped(index, offsets) == reference(offsets, kept)


def test_trap_corpus_spans_are_in_their_lines():
    for case in trap_cases():
        text = case["text"]
        annotations = AnnotationSet(Document.from_text(text), LABELS, "a")
        offsets = OffsetMap(text)
        spans = [annotations.new_span(s["start"], s["end"], "actor") for s in case["spans"] if s["end"] > s["start"]]
        index = BlockSpanIndex(offsets, spans)
        assert grouped(index, offsets) == reference(offsets, spans), case["name"]


def test_a_block_emptied_by_edits_stays_empty():
    text = "one\ntwo\r\nthree"
    annotations = AnnotationSet(Document.from_text(text), LABELS, "a")
    offsets = OffsetMap(text)
    span = annotations.new_span(2, 6, "actor")  # "e\ntw": blocks 0 and 1
    index = BlockSpanIndex(offsets, [span])
    assert index.remove(span) == [0, 1]
    assert index.spans_in_block(0) == [] and index.spans_in_block(1) == []
    assert index.add(span) == [0, 1]
    assert index.spans_in_block(1) == [span]


def test_offset_map_block_starts():
    offsets = OffsetMap("ab\r\ncd\ne\u2029\U0001f642")
    assert list(offsets.block_starts) == [offsets.block_range(n)[0] for n in range(offsets.block_count)]
    assert offsets.block_starts.readonly


@pytest.mark.parametrize("step", [1, 2, 3, 7, 1000])
def test_offsets_read_a_few_spans_per_call_give_the_same_index(monkeypatch, step):
    # the spans' offsets are read READ_STEP spans per call in C (a worker thread then never holds the GIL long)
    monkeypatch.setattr(span_index, "READ_STEP", step)
    text = "one\ntwo 🙂\r\nthree\rfour"
    annotations = AnnotationSet(Document.from_text(text), LABELS, "a")
    offsets = OffsetMap(text)
    spans = make_spans(annotations, [(0, 5), (2, 3), (4, 9), (10, 21), (8, 19), (0, 20), (15, 16)])
    index = BlockSpanIndex(offsets, spans)
    assert grouped(index, offsets) == reference(offsets, spans)
    starts = [span.start for span in spans]  # read once by the large open for its three indexes: the same index
    assert grouped(BlockSpanIndex(offsets, spans, starts), offsets) == reference(offsets, spans)
    with pytest.raises(ValueError, match="6 starts for 7 spans"):
        BlockSpanIndex(offsets, spans, starts[1:])


@pytest.fixture(params=["python", "numpy"])
def grouping(request, monkeypatch):
    """The index's initial grouping made in Python (a few spans, numpy not imported yet) or by numpy."""
    if request.param == "python":
        monkeypatch.setattr(span_index, "_numpy_loaded", lambda: False)
    else:
        monkeypatch.setattr(span_index, "PYTHON_SPANS", -1)
    return request.param


@settings(max_examples=150, deadline=None)
@given(texts, ranges)
def test_the_grouping_in_python_is_numpys(text, initial):
    annotations = AnnotationSet(Document.from_text(text), LABELS, "a")
    offsets = OffsetMap(text)
    spans = make_spans(annotations, initial)
    spans += [annotations.new_span(s.start, s.end, "actor") for s in spans[::3]]
    made = {}
    for way in ("python", "numpy"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(span_index, "_numpy_loaded", (lambda loaded: lambda: loaded)(way == "numpy"))
            index = BlockSpanIndex(offsets, spans)
        assert isinstance(index._sorted_first, list) == (way == "python")
        made[way] = {n: [s.id for s in index.spans_in_block(n)] for n in range(offsets.block_count)}  # in order
    assert made["python"] == made["numpy"]
    assert {n: set(ids) for n, ids in made["python"].items() if ids} == reference(offsets, spans)


def test_both_groupings_put_the_trap_corpus_in_its_lines(grouping):
    for case in trap_cases():
        text = case["text"]
        annotations = AnnotationSet(Document.from_text(text), LABELS, "a")
        offsets = OffsetMap(text)
        spans = [annotations.new_span(s["start"], s["end"], "actor") for s in case["spans"] if s["end"] > s["start"]]
        index = BlockSpanIndex(offsets, spans, [span.start for span in spans])
        assert isinstance(index._sorted_first, list) == (grouping == "python")
        assert grouped(index, offsets) == reference(offsets, spans), case["name"]


def test_a_few_spans_are_indexed_without_importing_numpy():
    # a small document's open does not load numpy (5 MB of the process): checked in a fresh interpreter
    code = (
        "import sys\n"
        "from annotator.model.annotation_set import AnnotationSet\n"
        "from annotator.model.document import Document\n"
        "from annotator.io.label_set_file import default_label_set\n"
        "from annotator.model.offsets import OffsetMap\n"
        "from annotator.model.span_index import BlockSpanIndex, PYTHON_SPANS\n"
        "text = 'Officials in Berlin warned.\\n' * 400\n"
        "annotations = AnnotationSet(Document.from_text(text), default_label_set(), 'a')\n"
        "spans = [annotations.new_span(n * 28, n * 28 + 9, 'actor') for n in range(400)]\n"
        "index = BlockSpanIndex(OffsetMap(text), spans)\n"
        "assert [s.id for s in index.spans_in_block(7)] == [spans[7].id]\n"
        "print('numpy' in sys.modules)\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"
