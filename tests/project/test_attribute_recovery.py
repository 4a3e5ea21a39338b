"""Attribute, entity and document-label changes are journaled and replayed after a crash, and survive a merge with
the file on disk."""

from __future__ import annotations

from pathlib import Path

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.attribute_commands import (
    same_entity_command,
    set_attribute_command,
    set_document_label_command,
)
from annotator.model.document import Document
from annotator.model.merge import merge_annotations
from annotator.project.journal import find_recoverable
from annotator.project.restore import restore_to_file
from annotator.project.session import DocumentSession

TEXT = "Sullivan warned China. Sullivan left; Yang denied it."


def annotated() -> AnnotationSet:
    annotations = AnnotationSet(Document.from_text(TEXT), default_label_set(), "alice", document_id="a.txt")
    for start, end, label in ((0, 8, "actor"), (9, 21, "warning"), (23, 31, "actor")):
        annotations.insert(annotations.new_span(start, end, label))
    annotations.insert_relation(annotations.new_relation("source", "s2", "s1"))
    return annotations


def test_attribute_entity_and_document_label_changes_are_replayed_after_a_kill(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    session = DocumentSession(annotated(), path, annotator="alice")
    session.start()
    session.save()
    for make in (
        lambda a: set_attribute_command(a, "s2", "quote", "indirect"),
        lambda a: set_attribute_command(a, "s1", "kind", "person"),
        lambda a: same_entity_command(a, "s3", "s1"),
        lambda a: set_document_label_command(a, "relevance", "relevant"),
    ):
        command = make(session.annotations)
        assert command is not None
        session.record(command.redo(session.annotations), command.text)
    expected = annotation_file.dumps(session.annotations)
    session.close(keep_journal=True)  # killed

    [recoverable] = find_recoverable()

    assert recoverable.change_count == 4
    assert annotation_file.dumps(recoverable.annotations) == expected
    assert restore_to_file(recoverable, annotator="alice") is not None
    saved = annotation_file.load(path)
    assert saved.document_labels == {"relevance": "relevant"}
    assert [(s.id, s.attributes, s.entity) for s in saved.sorted_spans()] == [
        ("s1", {"kind": "person"}, "e1"),
        ("s2", {"quote": "indirect"}, ""),
        ("s3", {}, "e1"),
    ]


def test_a_merge_keeps_this_sides_attributes_and_document_labels_and_refuses_two_different_ones() -> None:
    base, theirs, mine = annotated(), annotated(), annotated()
    for command in (
        set_attribute_command(mine, "s2", "quote", "direct"),
        set_document_label_command(mine, "relevance", "not relevant"),
    ):
        assert command is not None
        command.redo(mine)
    theirs.insert(theirs.new_span(38, 42, "actor"))

    merged = merge_annotations(base, theirs, mine)

    assert merged is not None
    assert merged.get("s2").attributes == {"quote": "direct"} and len(merged) == 4
    assert merged.document_labels == {"relevance": "not relevant"}
    command = set_document_label_command(theirs, "relevance", "relevant")
    assert command is not None
    command.redo(theirs)
    assert merge_annotations(base, theirs, mine) is None


def test_a_changed_link_attribute_is_a_difference_and_survives_a_merge() -> None:
    from annotator.model.compare import diff_annotations
    from annotator.model.labels import LabelSet

    rich = LabelSet.model_validate(
        {**default_label_set().model_dump(), "attributes": [{"name": "hedged", "type": "bool", "on": "relation"}]}
    )

    def make() -> AnnotationSet:
        annotations = annotated()
        annotations.label_set = rich
        return annotations

    base, theirs, mine = make(), make(), make()
    command = set_attribute_command(mine, "r1", "hedged", True, on="relation")
    assert command is not None
    command.redo(mine)
    assert diff_annotations(base, mine).annotations_differ()
    theirs.insert(theirs.new_span(38, 42, "actor"))

    merged = merge_annotations(base, theirs, mine)

    assert merged is not None
    assert [(r.type, r.attributes) for r in merged.relations()] == [("source", {"hedged": True})]
