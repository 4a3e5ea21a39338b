"""The controller accepts a suggestion with its linked suggestions as one undo step and keeps what it could not link."""

from __future__ import annotations

from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.pending import PendingLink, PendingSuggestion
from annotator.ui.controller import AnnotationController
from tests.model.support import LABELS

TEXT = "Sullivan said 🙂 it rains."


def test_accepting_a_claim_with_its_speaker_is_one_undo_step_and_unlinked_says_what_was_not_made(qtbot):
    claim = PendingSuggestion(
        id="g2", start=16, end=24, label="claim", text="it rains", score=0.5, suggester="attribution",
        links=(PendingLink(type="source", from_="g2", to="g1"),),
    )  # fmt: skip
    actor = PendingSuggestion(
        id="g1", start=0, end=8, label="actor", text="Sullivan", score=0.5, suggester="attribution"
    )
    controller = AnnotationController()
    controller.set_annotations(
        AnnotationSet(Document.from_text(TEXT), LABELS, "alice", suggestions=[claim, actor]), None
    )
    annotations = controller.annotations
    assert annotations is not None

    assert controller.accept_suggestions(["g2"], with_linked=True)

    assert len(annotations) == 2 and len(annotations.relations()) == 1 and controller.unlinked == ()
    assert controller.undo_stack.count() == 1
    controller.undo_stack.undo()
    assert annotations.suggestions() == [actor, claim] and len(annotations) == 0
    assert controller.accept_suggestions(["g2", "g1"], label="actor")  # actor -> actor: no source link
    assert annotations.relations() == [] and len(controller.unlinked) == 1
    assert controller.unlinked[0].startswith("source link from actor 'it rains' to actor 'Sullivan' not made")
