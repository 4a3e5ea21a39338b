"""``AnnotationSet.copy``: a set that changes on its own, sharing the frozen spans."""

from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.compare import diff_annotations
from annotator.model.document import Document

TEXT = "Officials in Berlin warned on Monday. The minister denied it. 🙂"


def sample() -> AnnotationSet:
    annotations = AnnotationSet(
        Document.from_text(TEXT), default_label_set(), "alice", document_id="a.txt", metadata={"url": "x"}
    )
    for start, end, label in [(0, 9, "actor"), (20, 26, "warning"), (37, 49, "actor"), (50, 56, "denial")]:
        annotations.insert(annotations.new_span(start, end, label))
    annotations.insert_relation(annotations.new_relation("source", "s2", "s1"))
    annotations.document_labels = {"topic": ["a", "b"]}
    return annotations


def test_a_copy_holds_the_same_and_changes_apart() -> None:
    original = sample()
    twin = original.copy()
    assert [s.id for s in twin.sorted_spans()] == [s.id for s in original.sorted_spans()]
    assert all(twin.get(s.id) is s for s in original)  # shared: frozen
    assert twin.relations() == original.relations() and twin.counts_by_label() == original.counts_by_label()
    assert diff_annotations(original, twin).is_empty()
    twin.delete("s3")
    twin.insert(twin.new_span(10, 16, "actor"))
    twin.delete_relation(twin.relations()[0].id)
    twin.document_labels["topic"].append("c")
    twin.metadata["url"] = "y"
    assert len(original) == 4 and "s3" in original and original.relation_count == 1
    assert original.document_labels == {"topic": ["a", "b"]} and original.metadata == {"url": "x"}
    assert original.counts_by_label()["actor"] == 2 and twin.counts_by_label()["actor"] == 2
    assert twin.new_span(0, 1, "actor").id not in original.spans_by_id  # ids go on from the original's


def test_the_diff_of_a_copy_finds_what_changed() -> None:
    original = sample()
    twin = original.copy()
    twin.replace(twin.get("s2").model_copy(update={"label": "claim"}))
    twin.delete("s4")
    twin.insert(twin.new_span(10, 16, "actor"))
    diff = diff_annotations(original, twin)
    assert [(o.id, n.label) for o, n in diff.changed] == [("s2", "claim")]
    assert [s.id for s in diff.removed] == ["s4"] and [s.text for s in diff.added] == ["in Ber"]
    assert diff.relations_added == [] and diff.relations_removed == []
