"""From the suggester's suggestions to the annotation set's pending suggestions (ids kept across runs), and what the
app learns from a project (whose files, the open document left out, files re-read only when changed)."""

from __future__ import annotations

import pytest

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.commands import accept_suggestions_command, replace_suggestions_change
from annotator.model.document import Document
from annotator.model.pending import PendingLink
from annotator.project.layout import Project
from annotator.suggest.learning import ProjectLearning
from annotator.suggest.pending import first_in_text, pending_suggestions
from annotator.suggest.suggestion import SuggestedLink, Suggestion

TEXT = "Sullivan met Yang. Sullivan left. 🙂 Sullivan"


def make_set(text: str = TEXT) -> AnnotationSet:
    return AnnotationSet(Document.from_text(text), default_label_set(), "tester")


def suggestion(start: int, end: int, label: str = "actor", score: float = 0.5) -> Suggestion:
    return Suggestion(start, end, label, score, "string-match", "labeled actor 1 of 1 time")


def test_pending_suggestions_carry_the_text_and_keep_their_ids_across_runs():
    annotations = make_set()
    last = TEXT.rindex("Sullivan")  # after an emoji: code points, not UTF-16 units
    first = pending_suggestions([suggestion(last, last + 8), suggestion(19, 27)], annotations)
    assert [(p.id, p.start, p.text) for p in first] == [("g1", 19, "Sullivan"), ("g2", last, "Sullivan")]
    annotations.apply(replace_suggestions_change(annotations, "string-match", first))
    again = pending_suggestions([suggestion(0, 8), suggestion(last, last + 8, score=0.6)], annotations)
    assert [(p.id, p.start, p.score) for p in again] == [("g3", 0, 0.5), ("g2", last, 0.6)]
    change = replace_suggestions_change(annotations, "string-match", again)
    assert {s.id for s in change.suggestions_removed} == {"g1", "g2"}  # g2 changed its score
    annotations.apply(change)
    assert [s.id for s in annotations.suggestions()] == ["g3", "g2"]


def test_a_suggestion_beyond_the_text_is_refused():
    with pytest.raises(ValueError, match="beyond the text"):
        pending_suggestions([suggestion(40, 60)], make_set())


def save(project: Project, document_id: str, annotator: str, text: str, phrase: str) -> None:
    annotations = AnnotationSet(Document.from_text(text), default_label_set(), annotator)
    start = text.index(phrase)
    annotations.insert(annotations.new_span(start, start + len(phrase), "actor"))
    path = project.annotation_path(document_id, annotator)
    path.parent.mkdir(parents=True, exist_ok=True)
    annotation_file.save(annotations, path)


def test_project_learning_reads_mine_everyones_or_gold_and_leaves_the_open_document_out(tmp_path):
    for name, text in (("a.txt", "Jake Sullivan spoke."), ("b.txt", "Yang Jiechi listened.")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    project = Project(tmp_path)
    save(project, "a.txt", "tester", "Jake Sullivan spoke.", "Sullivan")
    save(project, "a.txt", "other", "Jake Sullivan spoke.", "Jake")
    save(project, "a.txt", "gold", "Jake Sullivan spoke.", "Jake Sullivan")
    save(project, "b.txt", "tester", "Yang Jiechi listened.", "Yang Jiechi")
    learning = ProjectLearning(project, "tester")
    assert sorted(learning.vocabulary().entries) == ["Sullivan", "Yang Jiechi"]
    assert sorted(learning.vocabulary(leave_out="b.txt").entries) == ["Sullivan"]
    learning.learn_from = "everyone"
    assert sorted(learning.vocabulary().entries) == ["Jake", "Sullivan", "Yang Jiechi"]
    learning.learn_from = "gold"
    assert sorted(learning.vocabulary().entries) == ["Jake Sullivan"]


def test_an_unreadable_file_is_reported_and_skipped(tmp_path):
    (tmp_path / "a.txt").write_text("Jake Sullivan spoke.", encoding="utf-8")
    project = Project(tmp_path)
    path = project.annotation_path("a.txt", "tester")
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    learning = ProjectLearning(project, "tester")
    assert len(learning.vocabulary()) == 0
    assert len(learning.unreadable) == 1 and "a.annotations.json" in learning.unreadable[0]


def linked(start: int, end: int, label: str, own: str, *links: tuple[str, str]) -> Suggestion:
    return Suggestion(
        start, end, label, 0.5, "attribution", "a cue", own, tuple(SuggestedLink("source", f, t) for f, t in links)
    )


def test_links_between_suggestions_of_one_run_follow_their_pending_ids_across_runs():
    text = "Sullivan said 🙂 it rains. Yang said it snows."
    annotations = make_set(text)
    yang = annotations.new_span(text.index("Yang"), text.index("Yang") + 4, "actor")
    annotations.insert(yang)
    rains = (text.index("it rains"), text.index("it rains") + 8)
    snows = (text.index("it snows"), text.index("it snows") + 8)
    run = [
        linked(*rains, "claim", "a2", ("a2", "a1"), ("a2", "a9"), ("a2", "a2"), ("a1", yang.id)),
        linked(0, 8, "actor", "a1"),
        linked(*snows, "claim", "a3", ("a3", yang.id), ("a3", "g77"), ("a3", yang.id)),
    ]
    first = pending_suggestions(run, annotations)
    assert [(p.id, p.label, [(k.from_, k.to) for k in p.links]) for p in first] == [
        ("g1", "actor", []),
        ("g2", "claim", [("g2", "g1")]),  # a9 (no such suggestion), itself and a link not its own: left out
        ("g3", "claim", [("g3", yang.id)]),  # a span of the set; once
    ]
    annotations.apply(replace_suggestions_change(annotations, "attribution", first))
    renumbered = [linked(*rains, "claim", "x1", ("x1", "x2")), linked(0, 8, "actor", "x2")]
    again = pending_suggestions(renumbered, annotations)
    assert [(p.id, p.links) for p in again] == [(p.id, p.links) for p in first[:2]]
    assert again[0] is first[0] and again[1] is first[1]  # unchanged: the same objects


def test_a_link_re_pointed_to_an_accepted_span_survives_the_next_run():
    text = "Sullivan said it rains."
    annotations = make_set(text)
    run = [linked(0, 8, "actor", "a1"), linked(14, 22, "claim", "a2", ("a2", "a1"))]
    annotations.apply(replace_suggestions_change(annotations, "attribution", pending_suggestions(run, annotations)))
    accept = accept_suggestions_command(annotations, ["g2"])
    assert accept is not None
    accept.redo(annotations)
    claim = next(iter(annotations))
    assert annotations.suggestion("g1").links == (PendingLink(type="source", from_=claim.id, to="g1"),)

    again = pending_suggestions([linked(0, 8, "actor", "a1")], annotations)  # the claim is a span: not suggested

    assert [(p.id, p.links) for p in again] == [("g1", annotations.suggestion("g1").links)]


def test_first_in_text_keeps_the_label_sets_labels_outside_their_spans_and_the_first_in_the_text():
    annotations = make_set()
    annotations.insert(annotations.new_span(0, 8, "actor"))  # the first "Sullivan", labeled
    labels = frozenset(annotations.label_set.names)
    second, third = TEXT.index("Sullivan", 1), TEXT.rindex("Sullivan")
    run = [
        suggestion(third, third + 8),
        suggestion(0, 8),  # equal to a span of its label: never offered again
        suggestion(0, 3),  # inside it
        suggestion(0, 8, "claim"),  # another label: stays
        suggestion(second, second + 8, "no such label"),  # not in the label set
        suggestion(second, second + 8),
    ]
    kept, found = first_in_text(run, labels, list(annotations), limit=10)
    assert found == 3
    assert [(s.start, s.end, s.label) for s in kept] == [
        (third, third + 8, "actor"),
        (0, 8, "claim"),
        (second, second + 8, "actor"),
    ]
    kept, found = first_in_text(run, labels, list(annotations), limit=2)  # more than the limit: the first in the text
    assert found == 3
    assert [(s.start, s.end, s.label) for s in kept] == [(0, 8, "claim"), (second, second + 8, "actor")]


def test_first_in_text_reports_a_plug_ins_fault_as_an_error():
    with pytest.raises(AttributeError):
        first_in_text([object()], frozenset({"actor"}), [], limit=10)  # type: ignore[list-item]
