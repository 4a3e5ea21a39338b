"""Adjudication: the starting gold, each kind of decision, undo, and where the gold file goes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import span_faults
from annotator.model.document import text_sha256
from annotator.project.layout import Project
from annotator.review.adjudication import Adjudication, initial_gold
from annotator.review.disagreements import span_key
from annotator.review.gold_file import GOLD_SUFFIX, ReviewRefusal, open_review, save_gold
from annotator.review.loading import load_review_input
from tests.review import SAMPLE, bob_differs, write_variant
from tests.review.test_disagreements import CHINA, MR_SULLIVAN, SENTENCE, SULLIVAN, WARNED, document

LABELS = default_label_set()


def adjudication(**marks) -> Adjudication:
    doc = document(**marks)
    return Adjudication(doc, initial_gold(doc, LABELS))


def gold_keys(adj: Adjudication) -> list[tuple[int, int, str]]:
    return [span_key(s) for s in adj.gold.sorted_spans()]


def run(adj: Adjudication, decision):
    decision.redo(adj.gold)
    return decision


def test_gold_starts_with_the_spans_every_annotator_has_and_their_provenance():
    adj = adjudication(
        alice=[(SENTENCE, "claim"), (SULLIVAN, "actor"), (CHINA, "actor")],
        bob=[(SENTENCE, "claim"), (SULLIVAN, "claim")],
    )
    assert gold_keys(adj) == [(0, 54, "claim")]
    (span,) = adj.gold.sorted_spans()
    assert (span.id, span.note, span.text, adj.gold.annotator) == ("s1", "from: alice, bob", TEXT_SENTENCE, "gold")
    assert [d.kind for d in adj.disagreements] == ["label", "missing"]
    assert adj.undecided == [0, 1]


TEXT_SENTENCE = "Mr Sullivan warned that China would face consequences."


def test_candidates_name_every_disputed_span_with_its_annotators():
    adj = adjudication(
        alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "actor"), (MR_SULLIVAN, "actor")], carol=[(SULLIVAN, "claim")]
    )
    (item,) = adj.disagreements
    described = [(c.describe(), c.annotators) for c in adj.candidates(0)]
    assert described == [
        ("actor [0, 11)", ("bob",)),
        ("actor [3, 11)", ("alice", "bob")),
        ("claim [3, 11)", ("carol",)),
    ]
    assert (item.kind, item.missing_from) == ("label_and_boundary", ())


def test_accept_puts_a_candidate_into_gold_with_its_provenance_and_undo_takes_it_out():
    adj = adjudication(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "claim")])
    actor, _claim = adj.candidates(0)
    decision = run(adj, adj.accept(0, actor))
    assert gold_keys(adj) == [(3, 11, "actor")]
    (span,) = adj.gold.sorted_spans()
    assert (span.note, span.text) == ("from: alice", "Sullivan")
    assert not span_faults(span, adj.gold.text, LABELS)
    assert adj.is_decided(0) and adj.undecided == []
    assert decision.text == "Accept actor [3, 11)"
    decision.undo(adj.gold)
    assert gold_keys(adj) == [] and not adj.is_decided(0)


def test_accepting_twice_adds_nothing_and_reject_takes_a_gold_span_out():
    adj = adjudication(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "claim")])
    actor, _claim = adj.candidates(0)
    run(adj, adj.accept(0, actor))
    again = adj.accept(0, actor)
    assert again.change.added == ()
    run(adj, adj.reject(0, actor))
    assert gold_keys(adj) == []
    assert adj.is_decided(0)  # rejecting is a decision too


def test_rejecting_a_span_not_in_gold_only_marks_the_disagreement_decided_and_undo_restores_that():
    adj = adjudication(alice=[(CHINA, "actor")], bob=[])
    (only,) = adj.candidates(0)
    decision = run(adj, adj.reject(0, only))
    assert gold_keys(adj) == [] and adj.is_decided(0)
    decision.undo(adj.gold)
    assert not adj.is_decided(0)


def test_undoing_a_second_decision_keeps_the_disagreement_decided_by_the_first():
    adj = adjudication(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "claim")])
    actor, claim = adj.candidates(0)
    run(adj, adj.accept(0, actor))
    second = run(adj, adj.accept(0, claim))
    assert gold_keys(adj) == [(3, 11, "actor"), (3, 11, "claim")]  # both, if the reviewer wants both
    second.undo(adj.gold)
    assert adj.is_decided(0) and gold_keys(adj) == [(3, 11, "actor")]


def test_taking_one_annotators_version_replaces_the_other_candidates():
    adj = adjudication(
        alice=[(MR_SULLIVAN, "actor"), (WARNED, "warning")],
        bob=[(SULLIVAN, "actor")],
    )
    assert [d.kind for d in adj.disagreements] == ["boundary", "missing"]
    run(adj, adj.take_version(0, "bob"))
    assert gold_keys(adj) == [(3, 11, "actor")]
    switch = run(adj, adj.take_version(0, "alice"))
    assert gold_keys(adj) == [(0, 11, "actor")]
    assert [s.note for s in adj.gold] == ["from: alice"]
    switch.undo(adj.gold)
    assert gold_keys(adj) == [(3, 11, "actor")]
    # bob has nothing at "warned": his version there is "no span"
    run(adj, adj.take_version(1, "alice"))
    run(adj, adj.take_version(1, "bob"))
    assert gold_keys(adj) == [(3, 11, "actor")] and adj.undecided == []


def test_leave_out_removes_every_candidate_but_keeps_agreed_spans():
    adj = adjudication(
        alice=[(SENTENCE, "claim"), (SULLIVAN, "actor")],
        bob=[(SENTENCE, "claim"), (SULLIVAN, "claim")],
    )
    for candidate in adj.candidates(0):
        run(adj, adj.accept(0, candidate))
    assert len(adj.gold) == 3
    run(adj, adj.leave_out(0))
    assert gold_keys(adj) == [(0, 54, "claim")]
    assert adj.gold_spans_in(0)[0].label == "claim"  # the agreed sentence still overlaps the disagreement


def test_new_gold_ids_never_collide_with_existing_ones():
    adj = adjudication(
        alice=[(SENTENCE, "claim"), (SULLIVAN, "actor"), (CHINA, "actor")],
        bob=[(SENTENCE, "claim"), (SULLIVAN, "claim")],
    )
    for index in range(len(adj.disagreements)):
        for candidate in adj.candidates(index):
            run(adj, adj.accept(index, candidate))
    ids = [s.id for s in adj.gold]
    assert len(ids) == len(set(ids)) == 4


def test_next_undecided_wraps_and_stops_when_all_are_decided():
    adj = adjudication(alice=[(SULLIVAN, "actor"), (CHINA, "actor")], bob=[(SULLIVAN, "claim")])
    assert adj.next_undecided(None) == 0
    assert adj.next_undecided(0) == 1
    assert adj.next_undecided(1) == 0
    run(adj, adj.leave_out(0))
    assert adj.next_undecided(1) == 1
    run(adj, adj.leave_out(1))
    assert adj.next_undecided(0) is None


def test_decisions_refuse_foreign_candidates_and_annotators():
    adj = adjudication(alice=[(SULLIVAN, "actor"), (CHINA, "actor")], bob=[(SULLIVAN, "claim")])
    with pytest.raises(ValueError, match="not a candidate"):
        adj.accept(0, adj.candidates(1)[0])
    with pytest.raises(ValueError, match="carol"):
        adj.take_version(0, "carol")


def test_initial_gold_needs_two_annotators_and_the_same_text():
    with pytest.raises(ValueError, match="two annotators"):
        initial_gold(document(alice=[]), LABELS)
    doc = document(alice=[], bob=[])
    other = initial_gold(document("another text", alice=[], bob=[]), LABELS)
    with pytest.raises(ValueError, match="another text"):
        Adjudication(doc, other)


# -- gold files --------------------------------------------------------------------------------------------------
def test_loose_files_get_a_gold_file_beside_them_and_resume_from_it(tmp_path):
    files = [
        write_variant(tmp_path / "a.annotations.json", "alice"),
        write_variant(tmp_path / "b.annotations.json", "bob", bob_differs),
    ]
    setup = open_review(load_review_input(files))
    stem = Path(json.loads(SAMPLE.read_text(encoding="utf-8"))["document"]["source"]["file_name"]).stem
    assert setup.gold_path == tmp_path / (stem + GOLD_SUFFIX)
    assert not setup.resumed and set(setup.files) == {"alice", "bob"}
    adj = setup.adjudication
    assert sorted(d.kind for d in adj.disagreements) == ["boundary", "label", "missing"]
    assert setup.gold.document.source.file_name  # the annotators' document, not a bare text
    first = adj.candidates(0)[0]
    run(adj, adj.accept(0, first))
    annotation_file.save(setup.gold, setup.gold_path)

    again = open_review(load_review_input(files))
    assert again.resumed and again.adjudication.decided == {0}
    assert [span_key(s) for s in again.gold.sorted_spans()] == gold_keys(adj)
    # files in one folder per annotator: gold goes to their common folder, in no annotator's folder
    (tmp_path / "alice").mkdir()
    (tmp_path / "bob").mkdir()
    apart = [
        files[0].rename(tmp_path / "alice" / "x.annotations.json"),
        files[1].rename(tmp_path / "bob" / "x.annotations.json"),
    ]
    assert open_review(load_review_input(apart)).gold_path == tmp_path / (stem + GOLD_SUFFIX)
    files = [apart[0].rename(files[0]), apart[1].rename(files[1])]
    # the gold file among the inputs is the gold, never an annotator compared
    with_gold = open_review(load_review_input([*files, setup.gold_path]))
    assert with_gold.adjudication.annotators == ["alice", "bob"] and with_gold.gold_path == setup.gold_path


def test_a_project_document_keeps_gold_under_annotations_gold(tmp_path):
    project = tmp_path / "proj"
    (project / "annotations" / "alice").mkdir(parents=True)
    (project / "annotations" / "bob").mkdir(parents=True)
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    (project / "article.txt").write_text(data["document"]["text"], encoding="utf-8", newline="")
    for who, change in (("alice", lambda spans: None), ("bob", bob_differs)):
        path = write_variant(project / "annotations" / who / "article.annotations.json", who, change)
        saved = json.loads(path.read_text(encoding="utf-8"))
        saved["document_id"] = "article.txt"
        path.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    setup = open_review(load_review_input([project]), "article", Project(project))
    assert setup.gold_path == Project(project).annotation_path("article.txt", "gold")
    assert setup.gold.document_id == "article.txt"
    # the project's files given one by one: gold still goes to annotations/gold, never into alice's folder
    one_by_one = sorted((project / "annotations").glob("*/article.annotations.json"))
    assert open_review(load_review_input(one_by_one)).gold_path == setup.gold_path


def test_review_refuses_one_annotator_several_documents_and_a_foreign_gold_file(tmp_path):
    alice = write_variant(tmp_path / "a.annotations.json", "alice")
    with pytest.raises(ReviewRefusal, match=r"two or more annotators.*alice"):
        open_review(load_review_input([alice]))
    other = tmp_path / "other"
    other.mkdir()
    data = json.loads(alice.read_text(encoding="utf-8"))
    data["document"]["text"] = "Another text."
    data["document"]["source"]["file_name"] = "another.txt"
    data["document"]["sha256"] = text_sha256("Another text.")
    data["spans"], data["relations"] = [], []
    loaded = annotation_file.parse(json.dumps(data))
    annotation_file.save(loaded, other / "x.annotations.json")
    with pytest.raises(
        ReviewRefusal, match=r"2 documents: .*\(a\.annotations\.json\); 'another' \(x\.annotations\.json\)"
    ):
        open_review(load_review_input([alice, other / "x.annotations.json"]))
    bob = write_variant(tmp_path / "b.annotations.json", "bob", bob_differs)
    setup = open_review(load_review_input([alice, bob]))
    write_variant(setup.gold_path, "carol")  # someone's file where gold would go
    with pytest.raises(ReviewRefusal, match=r"carol.*not a gold file"):
        open_review(load_review_input([alice, bob]))


def test_taking_a_span_out_of_gold_takes_its_links_and_undo_puts_them_back(tmp_path):
    # gold edited in the main window: the claim at "warned" linked to its source, the actor "Sullivan"
    adj = adjudication(alice=[(SULLIVAN, "actor"), (WARNED, "claim")], bob=[(SULLIVAN, "actor"), (WARNED, "denial")])
    actor = adj.gold.sorted_spans()[0]
    claim = next(c for c in adj.candidates(0) if c.key[2] == "claim")
    run(adj, adj.accept(0, claim))
    link = adj.gold.new_relation("source", adj.gold.find(*claim.key).id, actor.id)
    adj.gold.insert_relation(link)
    rejected = run(adj, adj.reject(0, claim))
    assert rejected.change.relations_removed == (link,) and adj.gold.relations() == []
    denial = next(c for c in adj.candidates(0) if c.key[2] == "denial")
    run(adj, adj.accept(0, denial))
    path = tmp_path / "gold.annotations.json"
    annotation_file.save(adj.gold, path)
    assert annotation_file.load(path).relations() == []  # the link went with its span; it links nothing new
    adj2 = adjudication(alice=[(SULLIVAN, "actor"), (WARNED, "claim")], bob=[(SULLIVAN, "actor"), (WARNED, "denial")])
    claim2 = next(c for c in adj2.candidates(0) if c.key[2] == "claim")
    run(adj2, adj2.accept(0, claim2))
    adj2.gold.insert_relation(adj2.gold.new_relation("source", adj2.gold.find(*claim2.key).id, "s1"))
    undone = run(adj2, adj2.take_version(0, "bob"))
    assert adj2.gold.relations() == []
    undone.undo(adj2.gold)
    assert [r.type for r in adj2.gold.relations()] == ["source"]


def test_twin_gold_spans_go_out_together():
    doc = document(alice=[(SULLIVAN, "actor")], bob=[(SULLIVAN, "claim")])
    gold = initial_gold(doc, LABELS)
    for span_id in ("s1", "s7"):  # a resumed gold file holding the same span twice
        gold.insert(gold.new_span(3, 11, "actor").model_copy(update={"id": span_id}))
    adj = Adjudication(doc, gold)
    assert adj.decided == {0}
    actor = adj.candidates(0)[0]
    run(adj, adj.reject(0, actor))
    assert len(adj.gold) == 0
    run(adj, adj.accept(0, actor))
    assert [s.id for s in adj.gold] == ["s1"]


def test_save_gold_writes_atomically_and_refuses_other_files_and_changed_ones(tmp_path):
    files = [
        write_variant(tmp_path / "a.annotations.json", "alice"),
        write_variant(tmp_path / "b.annotations.json", "bob", bob_differs),
    ]
    setup = open_review(load_review_input(files))
    run(setup.adjudication, setup.adjudication.take_version(0, "bob"))
    save_gold(setup)
    assert annotation_file.load(setup.gold_path).find(0, 51, "claim") is not None
    os.utime(setup.gold_path, (1, 1))  # touched: the same bytes, no conflict
    save_gold(setup)
    changed = annotation_file.load(setup.gold_path)
    changed.insert(changed.new_span(0, 5, "actor"))
    annotation_file.save(changed, setup.gold_path)
    with pytest.raises(ReviewRefusal, match="was changed"):
        save_gold(setup)
    assert annotation_file.load(setup.gold_path).find(0, 5, "actor") is not None  # theirs stays
    write_variant(setup.gold_path, "carol")
    with pytest.raises(ReviewRefusal, match="not a gold file"):
        save_gold(setup)
