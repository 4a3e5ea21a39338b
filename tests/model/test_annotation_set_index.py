"""The annotation set's own indexes (label counts, spans by offsets and label) stay in step with its spans through
any sequence of inserts, deletes and replacements: ``find`` and ``counts_by_label`` agree with a scan of the spans."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.span import Span

TEXT = "Officials in Berlin warned that prices would rise."
LABELS = ["actor", "claim", "warning", "denial", "other"]  # "other" is not in the label set

operation = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]),
    st.integers(0, 5),  # which id
    st.integers(0, 10),  # start
    st.integers(1, 6),  # length
    st.sampled_from(LABELS),
)


@given(st.lists(operation, max_size=40))
def test_find_and_counts_agree_with_a_scan_of_the_spans(operations):
    annotations = AnnotationSet(Document.from_text(TEXT), default_label_set(), "alice")
    came: list[str] = []  # ids in the order their spans came (a replacement comes anew)
    for kind, number, start, length, label in operations:
        span_id = f"s{number}"
        span = Span(id=span_id, start=start, end=start + length, label=label, text=TEXT[start : start + length])
        if kind == "insert" and span_id not in annotations:
            annotations.insert(span)
            came.append(span_id)
        elif kind == "delete" and span_id in annotations:
            annotations.delete(span_id)
            came.remove(span_id)
        elif kind == "replace" and span_id in annotations:
            annotations.replace(span)
            came.remove(span_id)
            came.append(span_id)
    spans = [annotations.get(span_id) for span_id in came]
    expected = dict.fromkeys(default_label_set().names, 0)
    for span in spans:
        expected[span.label] = expected.get(span.label, 0) + 1
    assert annotations.counts_by_label() == expected
    for start in range(12):
        for length in range(1, 7):
            for label in LABELS:
                found = annotations.find(start, start + length, label)
                matching = [s for s in spans if (s.start, s.end, s.label) == (start, start + length, label)]
                assert (found is None) == (not matching)
                assert found is None or found is matching[0]  # twins: the first to come


span_strategy = st.tuples(st.integers(1, 12), st.integers(0, 10), st.integers(1, 6), st.sampled_from(LABELS))


@given(st.lists(span_strategy, max_size=30, unique_by=lambda s: s[0]), st.lists(operation, max_size=20))
def test_the_index_built_ahead_is_the_one_the_first_use_builds(spans, operations):
    """``prepare_edits`` (the large open's worker calls it) builds, in steps, exactly the index by offsets and label
    and the next span id the first edit would build: after it, edits behave the same (twins and id gaps included)."""
    from annotator.model import annotation_set

    made = [Span(id=f"s{n}", start=a, end=a + n_, label=label, text=TEXT[a : a + n_]) for n, a, n_, label in spans]
    lazy = AnnotationSet(Document.from_text(TEXT), default_label_set(), "alice", made)
    ahead = AnnotationSet(Document.from_text(TEXT), default_label_set(), "alice", made)
    steps: list[tuple[int, int]] = []
    kept, annotation_set.KEY_STEP = annotation_set.KEY_STEP, 4
    try:
        ahead.prepare_edits(lambda done, total: steps.append((done, total)))
    finally:
        annotation_set.KEY_STEP = kept
    assert steps == [(done, len(made)) for done in range(0, len(made), 4)]
    assert lazy._keys is None and ahead._keys is not None
    assert list(ahead._keys.items()) == list(lazy._by_key.items())  # the same index, in the same order
    for kind, number, start, length, label in operations:
        results = []
        for spans_set in (lazy, ahead):
            span_id = f"s{number}"
            if kind == "insert":  # a new span with a fresh id, as the app adds one
                new = spans_set.new_span(start, start + length, label) if label != "other" else None
                if new is not None and spans_set.find(new.start, new.end, label) is None:
                    spans_set.insert(new)
                results.append(new)
            elif span_id in spans_set:
                span = Span(id=span_id, start=start, end=start + length, label=label, text=TEXT[start : start + length])
                results.append(spans_set.delete(span_id) if kind == "delete" else spans_set.replace(span))
            else:
                results.append(None)
        assert results[0] == results[1]
        assert list(ahead._keys.items()) == list(lazy._keys.items())


@given(st.lists(span_strategy, max_size=30, unique_by=lambda s: s[0]))
def test_the_index_built_from_a_file_is_the_one_inserts_make(spans):
    """The index a loaded set builds in one go (starts shared by nested spans and twins included) is the one inserting
    the same spans one by one makes: each start's spans in the order they came."""
    made = [Span(id=f"s{n}", start=a, end=a + n_, label=label, text=TEXT[a : a + n_]) for n, a, n_, label in spans]
    loaded = AnnotationSet(Document.from_text(TEXT), default_label_set(), "alice", made)
    inserted = AnnotationSet(Document.from_text(TEXT), default_label_set(), "alice")
    for span in made:
        inserted.insert(span)
    assert sorted(loaded._by_key.items()) == sorted(inserted._by_key.items())


def test_the_index_holds_a_lone_span_itself_and_shared_starts_in_one_list():
    """Issue 22 (memory): no tuple and no dict of its own per span (29 MB at 100k spans); a start's spans share one
    list only when there are several, and a start left with one span holds it alone again."""
    word = Span(id="s1", start=0, end=9, label="actor", text=TEXT[0:9])
    nested = Span(id="s2", start=0, end=19, label="claim", text=TEXT[0:19])
    alone = Span(id="s3", start=13, end=19, label="actor", text=TEXT[13:19])
    annotations = AnnotationSet(Document.from_text(TEXT), default_label_set(), "alice", [word, nested, alone])
    assert annotations._by_key == {0: [word, nested], 13: alone}
    annotations.delete("s1")
    assert annotations._by_key == {0: nested, 13: alone}
    assert annotations.find(0, 19, "claim") is nested and annotations.find(0, 9, "actor") is None
    annotations.delete("s3")
    assert annotations._by_key == {0: nested}


@given(st.lists(span_strategy, max_size=30, unique_by=lambda s: s[0]))
def test_starts_read_once_build_the_same_index_by_start(spans):
    """The large open's worker reads the spans' starts once (``starts``) and gives them to ``prepare_edits``: the
    same index, shared starts included."""
    from annotator.model import annotation_set

    made = [Span(id=f"s{n}", start=a, end=a + n_, label=label, text=TEXT[a : a + n_]) for n, a, n_, label in spans]
    lazy = AnnotationSet(Document.from_text(TEXT), default_label_set(), "alice", made)
    ahead = AnnotationSet(Document.from_text(TEXT), default_label_set(), "alice", made)
    kept, annotation_set.KEY_STEP = annotation_set.KEY_STEP, 3
    try:
        starts = ahead.starts()
        assert starts == [span.start for span in ahead]
        ahead.prepare_edits(starts=starts)
    finally:
        annotation_set.KEY_STEP = kept
    assert ahead._keys is not None and list(ahead._keys.items()) == list(lazy._by_key.items())


def test_starts_that_are_not_one_per_span_are_refused():
    made = [Span(id="s1", start=0, end=9, label="actor", text=TEXT[0:9])]
    annotations = AnnotationSet(Document.from_text(TEXT), default_label_set(), "alice", made)
    try:
        annotations.prepare_edits(starts=[])
    except ValueError as error:
        assert str(error) == "0 starts for 1 spans"
    else:
        raise AssertionError("starts for no span were taken")
    assert annotations._keys is None  # nothing built from them
