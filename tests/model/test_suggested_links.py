"""Suggested links in the annotation set: accepting a suggestion makes its links relations (when the label set allows
them) or leaves them pending, re-pointed to the new span; "accept with its linked suggestions"; rejecting and
removing spans leave no link naming nothing; undo restores everything exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model.annotation_set import AnnotationSet, relation_faults
from annotator.model.commands import (
    accept_suggestions_command,
    merge_label_command,
    pending_links_of,
    reject_suggestions_command,
    remove_accepted_command,
    remove_spans_command,
)
from annotator.model.document import Document
from annotator.model.labels import Label
from annotator.model.pending import PendingLink, PendingSuggestion
from annotator.model.relation import Relation
from annotator.model.span import Span
from tests.model.support import LABELS

# offsets are code points: the emoji is one, not two UTF-16 units
TEXT = "Sullivan said 🙂 it rains. Yang said it snows."
RAINS = TEXT.index("it rains")
SNOWS = TEXT.index("it snows")
YANG = TEXT.index("Yang")


def link(from_: str, to: str) -> PendingLink:
    return PendingLink(type="source", from_=from_, to=to)


def pending(id_: str, start: int, end: int, label: str, *links: PendingLink) -> PendingSuggestion:
    return PendingSuggestion(
        id=id_, start=start, end=end, label=label, text=TEXT[start:end], score=0.5, suggester="attribution",
        links=links,
    )  # fmt: skip


def annotated() -> AnnotationSet:
    """g1 actor "Sullivan"; g2 claim "it rains" -> g1; g3 claim "it snows" -> span s1 (actor "Yang") and -> g1."""
    yang = Span(id="s1", start=YANG, end=YANG + 4, label="actor", text="Yang")
    return AnnotationSet(
        Document.from_text(TEXT),
        LABELS,
        "alice",
        [yang],
        suggestions=[
            pending("g1", 0, 8, "actor"),
            pending("g2", RAINS, RAINS + 8, "claim", link("g2", "g1")),
            pending("g3", SNOWS, SNOWS + 8, "claim", link("g3", "s1"), link("g3", "g1")),
        ],
    )


def state(annotations: AnnotationSet) -> tuple:
    return (
        [s.model_dump() for s in annotations.sorted_spans()],
        [r.model_dump() for r in annotations.relations()],
        [s.model_dump() for s in annotations.suggestions()],
        [r.model_dump() for r in annotations.rejected()],
    )


def span_at(annotations: AnnotationSet, start: int) -> Span:
    return next(s for s in annotations if s.start == start)


def links(annotations: AnnotationSet) -> dict[str, list[tuple[str, str]]]:
    return {s.id: [(k.from_, k.to) for k in s.links] for s in annotations.suggestions()}


def test_accepting_a_claim_whose_actor_is_pending_leaves_the_link_pending_on_the_actor_then_makes_it():
    annotations = annotated()
    before = state(annotations)
    command = accept_suggestions_command(annotations, ["g2"])
    assert command is not None

    change = command.redo(annotations)

    claim = span_at(annotations, RAINS)
    assert annotations.relations() == [] and command.unlinked == ()
    assert links(annotations) == {"g1": [(claim.id, "g1")], "g3": [("g3", "s1"), ("g3", "g1")]}
    assert [s.id for s in change.suggestions_removed] == ["g2", "g1"] and [s.id for s in change.suggestions_added] == [
        "g1"
    ]
    second = accept_suggestions_command(annotations, ["g1"])
    assert second is not None
    second.redo(annotations)
    actor = span_at(annotations, 0)
    assert [(r.type, r.from_, r.to) for r in annotations.relations()] == [("source", claim.id, actor.id)]
    assert links(annotations) == {"g3": [("g3", "s1"), ("g3", actor.id)]}  # g3's link follows the actor too
    second.undo(annotations)
    command.undo(annotations)
    assert state(annotations) == before


def test_accepting_the_actor_first_re_points_the_claims_links_and_accepting_the_claim_links_both():
    annotations = annotated()
    first = accept_suggestions_command(annotations, ["g1"])
    assert first is not None
    first.redo(annotations)
    actor = span_at(annotations, 0)
    assert links(annotations) == {"g2": [("g2", actor.id)], "g3": [("g3", "s1"), ("g3", actor.id)]}
    before = state(annotations)
    second = accept_suggestions_command(annotations, ["g3"])
    assert second is not None

    second.redo(annotations)

    claim = span_at(annotations, SNOWS)
    assert sorted((r.from_, r.to) for r in annotations.relations()) == sorted([(claim.id, "s1"), (claim.id, actor.id)])
    assert len({r.id for r in annotations.relations()}) == 2
    second.undo(annotations)
    assert state(annotations) == before


def test_accepting_both_ends_in_one_step_makes_the_relation_and_no_link_stays_pending():
    annotations = annotated()
    command = accept_suggestions_command(annotations, ["g1", "g2", "g3"])
    assert command is not None
    command.redo(annotations)
    assert annotations.suggestions() == [] and len(annotations.relations()) == 3


def test_a_link_the_label_set_does_not_allow_after_another_label_is_not_made_and_the_command_says_so():
    annotations = annotated()
    before = state(annotations)
    command = accept_suggestions_command(annotations, ["g3"], label="actor")  # actor -> actor: no source link
    assert command is not None
    command.redo(annotations)
    assert annotations.relations() == []
    assert command.unlinked == (
        f"source link from actor 'it snows' to actor 'Yang' not made: a source link must start at a claim or "
        f"warning or denial span, not actor span {span_at(annotations, SNOWS).id!r}",
    )
    assert links(annotations)["g1"] == [(span_at(annotations, SNOWS).id, "g1")]  # kept pending: checked on accept
    command.undo(annotations)
    assert state(annotations) == before


def test_a_link_already_there_is_not_made_twice():
    annotations = annotated()
    annotations.insert(annotations.new_span(SNOWS, SNOWS + 8, "claim"))
    twin = span_at(annotations, SNOWS)
    annotations.insert_relation(Relation(id="r1", type="source", from_=twin.id, to="s1"))
    command = accept_suggestions_command(annotations, ["g3"])  # the same span exists: its links go to it
    assert command is not None
    change = command.redo(annotations)
    assert change.added == () and change.relations_added == ()
    assert links(annotations) == {"g1": [(twin.id, "g1")], "g2": [("g2", "g1")]}


def test_accepting_with_linked_suggestions_takes_one_hop_in_one_step_with_the_label_on_the_chosen_one():
    annotations = annotated()
    before = state(annotations)
    command = accept_suggestions_command(annotations, ["g2"], label="warning", with_linked=True)
    assert command is not None and command.text == "Accept claim suggestion as warning with 1 linked suggestion"

    command.redo(annotations)

    warning, actor = span_at(annotations, RAINS), span_at(annotations, 0)
    assert (warning.label, warning.origin, actor.label, actor.origin) == (
        "warning",
        "suggestion-edited",
        "actor",
        "suggestion",
    )
    assert [(r.from_, r.to) for r in annotations.relations()] == [(warning.id, actor.id)]
    # g3 (another claim of that actor) is two hops away: still pending, its link now names the actor span
    assert links(annotations) == {"g3": [("g3", "s1"), ("g3", actor.id)]}
    command.undo(annotations)
    assert state(annotations) == before


def test_an_actor_with_its_linked_claims_accepts_every_claim_naming_it():
    annotations = annotated()
    command = accept_suggestions_command(annotations, ["g1"], with_linked=True)
    assert command is not None and command.text == "Accept actor suggestion with 2 linked suggestions"
    command.redo(annotations)
    assert annotations.suggestions() == [] and len(annotations.relations()) == 3


def test_rejecting_drops_the_links_naming_it_and_keeps_the_other_end_pending():
    annotations = annotated()
    before = state(annotations)
    command = reject_suggestions_command(annotations, ["g1"])
    assert command is not None
    command.redo(annotations)
    assert links(annotations) == {"g2": [], "g3": [("g3", "s1")]}
    command.undo(annotations)
    assert state(annotations) == before
    claim = reject_suggestions_command(annotations, ["g2"])  # the link it held goes with it; g1 stays
    assert claim is not None
    claim.redo(annotations)
    assert links(annotations) == {"g1": [], "g3": [("g3", "s1"), ("g3", "g1")]}


def test_removing_a_span_drops_the_pending_links_naming_it_in_the_same_step():
    annotations = annotated()
    before = state(annotations)
    command = remove_spans_command(annotations, ["s1"])
    assert command is not None
    command.redo(annotations)
    assert links(annotations) == {"g1": [], "g2": [("g2", "g1")], "g3": [("g3", "g1")]}
    command.undo(annotations)
    assert state(annotations) == before


def test_removing_accepted_spans_drops_the_pending_links_naming_them():
    annotations = annotated()
    accept = accept_suggestions_command(annotations, ["g1"])
    assert accept is not None
    accept.redo(annotations)
    before = state(annotations)
    command = remove_accepted_command(annotations, "attribution")
    assert command is not None
    command.redo(annotations)
    assert links(annotations) == {"g2": [], "g3": [("g3", "s1")]}
    command.undo(annotations)
    assert state(annotations) == before


def test_merging_labels_points_pending_links_at_the_twin_kept():
    annotations = annotated()
    annotations.label_set = LABELS.with_labels([Label(name="speaker", color="#000000", hotkey="9")])
    annotations.insert(Span(id="s2", start=YANG, end=YANG + 4, label="speaker", text="Yang"))
    held = annotations.suggestion("g3")
    annotations.delete_suggestion("g3")
    annotations.insert_suggestion(held.model_copy(update={"links": (link("g3", "s2"),)}))
    before = state(annotations)
    command = merge_label_command(annotations, "speaker", "actor")
    command.redo(annotations)
    assert "s2" not in annotations and links(annotations)["g3"] == [("g3", "s1")]
    command.undo(annotations)
    assert state(annotations) == before


def test_pending_links_of_a_suggestion_include_those_held_by_others():
    annotations = annotated()
    assert pending_links_of(annotations, "g1") == [("g2", link("g2", "g1")), ("g3", link("g3", "g1"))]
    assert pending_links_of(annotations, "s1") == [("g3", link("g3", "s1"))]


# -- any sequence of accepts, rejects and removals ---------------------------------------------------------------
WORDS = [(m, m + len(w)) for w in ("Sullivan", "said", "it rains", "Yang", "it snows") for m in [TEXT.index(w)]]
LABEL_NAMES = ["actor", "claim", "warning", "denial"]


@st.composite
def linked_sets(draw: st.DrawFn) -> AnnotationSet:
    """A few spans and pending suggestions over :data:`WORDS`, with links between them, each held by a suggestion at
    one of its ends."""
    spans = [
        Span(id=f"s{n}", start=start, end=end, label=draw(st.sampled_from(LABEL_NAMES)), text=TEXT[start:end])
        for n, (start, end) in enumerate(draw(st.lists(st.sampled_from(WORDS), max_size=2, unique=True)), 1)
    ]
    places = draw(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(LABEL_NAMES)), max_size=5))
    ids = [f"g{n}" for n in range(1, len(places) + 1)]
    held: dict[str, list[PendingLink]] = {i: [] for i in ids}
    if ids:
        ends = st.sampled_from(ids + [s.id for s in spans])
        for from_, to in draw(st.lists(st.tuples(ends, ends), max_size=6)):
            holder = from_ if from_ in held else to
            if from_ != to and holder in held:
                held[holder].append(link(from_, to))
    suggestions = [
        pending(i, start, end, label, *dict.fromkeys(held[i]))
        for i, ((start, end), label) in zip(ids, places, strict=True)
    ]
    return AnnotationSet(Document.from_text(TEXT), LABELS, "alice", spans, suggestions=suggestions)


def assert_no_link_names_nothing(annotations: AnnotationSet) -> None:
    spans = {s.id: s for s in annotations}
    for suggestion in annotations.suggestions():
        for held in suggestion.links:
            assert suggestion.id in (held.from_, held.to)
            assert all(e in spans or e in annotations.suggestions_by_id for e in (held.from_, held.to)), held
    for relation in annotations.relations():
        assert relation_faults(relation, spans, LABELS) == []


operations = st.lists(
    st.tuples(
        st.sampled_from(["accept", "accept linked", "reject", "remove"]),
        st.lists(st.sampled_from(["g1", "g2", "g3", "g4", "g5", "s1", "s2", "s3"]), min_size=1, max_size=3),
        st.none() | st.sampled_from(LABEL_NAMES),
    ),
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(linked_sets(), operations)
def test_accepts_rejects_removals_and_undo_never_leave_a_link_naming_nothing(annotations, steps):
    initial = state(annotations)
    done = []
    for kind, ids, label in steps:
        before = state(annotations)
        if kind == "reject":
            command = reject_suggestions_command(annotations, ids)
        elif kind == "remove":
            command = remove_spans_command(annotations, ids)
        else:
            command = accept_suggestions_command(annotations, ids, label, with_linked=kind == "accept linked")
        if command is None:
            continue
        command.redo(annotations)
        after = state(annotations)
        assert_no_link_names_nothing(annotations)
        command.undo(annotations)
        assert state(annotations) == before
        command.redo(annotations)
        assert state(annotations) == after
        done.append(command)
    for command in reversed(done):
        command.undo(annotations)
    assert state(annotations) == initial
