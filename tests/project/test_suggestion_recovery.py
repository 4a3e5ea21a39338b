"""Accepting and rejecting suggestions is journaled and replayed after a crash; merging and re-anchoring keep
suggestions."""

from __future__ import annotations

from pathlib import Path

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.commands import accept_suggestions_command, reject_suggestions_command
from annotator.model.document import Document
from annotator.model.merge import merge_annotations
from annotator.model.pending import PendingLink, PendingSuggestion
from annotator.model.reanchor import reanchor_annotations
from annotator.project.journal import find_recoverable
from annotator.project.restore import restore_to_file
from annotator.project.session import DocumentSession

TEXT = "Sullivan warned China. Sullivan left; Yang denied it."


def pending(id_: str, start: int, end: int, label: str = "actor") -> PendingSuggestion:
    return PendingSuggestion(
        id=id_, start=start, end=end, label=label, text=TEXT[start:end], score=0.5, suggester="string-match"
    )


def with_suggestions() -> AnnotationSet:
    return AnnotationSet(
        Document.from_text(TEXT),
        default_label_set(),
        "alice",
        document_id="a.txt",
        suggestions=[pending("g1", 23, 31), pending("g2", 38, 42), pending("g3", 16, 21)],
        suggestions_shown=True,
    )


def test_accepts_and_rejects_are_replayed_from_the_journal_after_a_kill(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    session = DocumentSession(with_suggestions(), path, annotator="alice")
    session.start()
    session.save()
    for command in (
        accept_suggestions_command(session.annotations, ["g1"]),
        reject_suggestions_command(session.annotations, ["g3"]),
        accept_suggestions_command(session.annotations, ["g2"], label="claim"),
    ):
        assert command is not None
        session.record(command.redo(session.annotations), command.text)
    expected = annotation_file.dumps(session.annotations)
    session.close(keep_journal=True)  # killed

    [recoverable] = find_recoverable()

    assert recoverable.change_count == 3
    assert annotation_file.dumps(recoverable.annotations) == expected
    restored = restore_to_file(recoverable, annotator="alice")
    assert restored is not None
    saved = annotation_file.load(path)
    assert [(s.start, s.origin) for s in saved.sorted_spans()] == [(23, "suggestion"), (38, "suggestion-edited")]
    assert saved.suggestions() == []
    assert [r.key for r in saved.rejected()] == [(16, 21, "actor"), (38, 42, "actor")]  # g2 accepted as claim


def test_a_merge_applies_this_sides_accepts_and_rejects_and_keeps_theirs() -> None:
    base = with_suggestions()
    mine = with_suggestions()
    for command in (accept_suggestions_command(mine, ["g1"]), reject_suggestions_command(mine, ["g3"])):
        assert command is not None
        command.redo(mine)
    theirs = with_suggestions()
    theirs.insert_suggestion(pending("g9", 0, 8))
    theirs.active_seconds = 12.5

    merged = merge_annotations(base, theirs, mine)

    assert merged is not None
    assert [(s.start, s.origin, s.suggester) for s in merged] == [(23, "suggestion", "string-match")]
    assert [s.id for s in merged.suggestions()] == ["g9", "g2"]
    assert [r.key for r in merged.rejected()] == [(16, 21, "actor")]
    assert merged.suggestions_shown and merged.active_seconds == 12.5


def test_reanchoring_keeps_suggestions_whose_text_did_not_move() -> None:
    annotations = with_suggestions()
    annotations.insert_rejected(pending("x", 0, 8).rejected())
    annotations.active_seconds = 3.0
    changed = Document.from_text(TEXT.replace("Yang denied it.", "Xi denied it."))

    reanchored, _result = reanchor_annotations(annotations, changed)

    assert [s.id for s in reanchored.suggestions()] == ["g3", "g1"]  # "Yang" is gone
    assert [r.key for r in reanchored.rejected()] == [(0, 8, "actor")]
    assert reanchored.suggestions_shown and reanchored.active_seconds == 3.0


def with_linked_suggestions() -> AnnotationSet:
    """g4 (claim "warned China") -> g1 (actor, the second "Sullivan") and -> g2 (actor "Yang"), held by g4."""
    annotations = with_suggestions()
    claim = pending("g4", 9, 21, "claim").model_copy(
        update={
            "links": (PendingLink(type="source", from_="g4", to="g1"), PendingLink(type="source", from_="g4", to="g2"))
        }
    )
    annotations.insert_suggestion(claim)
    return annotations


def test_accepting_with_links_is_journaled_and_the_saved_file_keeps_the_re_pointed_links(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    session = DocumentSession(with_linked_suggestions(), path, annotator="alice")
    session.start()
    session.save()
    for make in (
        lambda: accept_suggestions_command(session.annotations, ["g4"]),  # links now held by g1 and g2
        lambda: accept_suggestions_command(session.annotations, ["g1"]),  # the first link becomes a relation
        lambda: reject_suggestions_command(session.annotations, ["g3"]),
    ):
        command = make()
        assert command is not None
        session.record(command.redo(session.annotations), command.text)
    assert len(session.annotations.relations()) == 1
    assert [k.to for k in session.annotations.suggestion("g2").links] == ["g2"]
    expected = annotation_file.dumps(session.annotations)
    session.close(keep_journal=True)  # killed

    [recoverable] = find_recoverable()

    assert recoverable.change_count == 3
    assert annotation_file.dumps(recoverable.annotations) == expected
    assert restore_to_file(recoverable, annotator="alice") is not None
    assert annotation_file.dumps(annotation_file.load(path)) == expected  # its pending links validate


def test_reanchoring_and_merging_leave_no_link_naming_a_suggestion_left_out() -> None:
    annotations = with_linked_suggestions()
    changed = Document.from_text(TEXT.replace("Yang denied it.", "Xi denied it."))

    reanchored, _result = reanchor_annotations(annotations, changed)

    assert [(k.from_, k.to) for k in reanchored.suggestion("g4").links] == [("g4", "g1")]  # "Yang" (g2) is gone
    base = with_suggestions()
    mine = with_linked_suggestions()
    theirs = with_suggestions()
    theirs.delete_suggestion("g2")  # accepted on their side: the link to it goes
    theirs.insert_suggestion(pending("g4", 0, 8))  # takes the id mine's claim had: the claim is renamed, links follow

    merged = merge_annotations(base, theirs, mine)

    assert merged is not None
    (claim,) = [s for s in merged.suggestions() if s.label == "claim"]
    assert claim.id != "g4" and [(k.from_, k.to) for k in claim.links] == [(claim.id, "g1")]
