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
    for kind, number, start, length, label in operations:
        span_id = f"s{number}"
        span = Span(id=span_id, start=start, end=start + length, label=label, text=TEXT[start : start + length])
        if kind == "insert" and span_id not in annotations:
            annotations.insert(span)
        elif kind == "delete" and span_id in annotations:
            annotations.delete(span_id)
        elif kind == "replace" and span_id in annotations:
            annotations.replace(span)
    spans = list(annotations)
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
                assert found is None or found in matching
