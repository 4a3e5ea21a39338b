"""Comparing two versions of one annotator's annotations."""

from __future__ import annotations

from annotator.model.annotation_set import AnnotationSet
from annotator.model.compare import AnnotationDiff, diff_annotations
from annotator.model.document import Document
from annotator.model.relation import Relation
from annotator.model.span import Span
from annotator.model.status import DocumentStatus
from tests.model.support import LABELS

TEXT = "Sullivan warned that China would face consequences. Beijing denied it."
#       0         1         2         3         4         5         6         7


def span(span_id: str, start: int, end: int, label: str, text: str = TEXT, **extra) -> Span:
    return Span(id=span_id, start=start, end=end, label=label, text=text[start:end], **extra)


SULLIVAN = span("s1", 0, 8, "actor")
WARNING = span("s2", 21, 50, "warning")
BEIJING = span("s3", 52, 59, "actor")
DENIAL = span("s4", 60, 69, "denial")


def version(spans=(SULLIVAN, WARNING, BEIJING, DENIAL), relations=(), text=TEXT, **options) -> AnnotationSet:
    return AnnotationSet(
        Document.from_text(text), options.pop("label_set", LABELS), "alice", spans, relations, **options
    )


def link(relation_id: str, from_: str, to: str, relation_type: str = "source") -> Relation:
    return Relation(id=relation_id, type=relation_type, from_=from_, to=to)


def test_identical_versions_show_no_difference():
    result = diff_annotations(version(relations=[link("r1", "s2", "s1")]), version(relations=[link("r1", "s2", "s1")]))
    assert result == AnnotationDiff()
    assert result.is_empty()
    assert result.summary() == "no differences"
    assert result.lines() == []


def test_added_removed_and_changed_spans():
    moved = WARNING.model_copy(update={"start": 21, "end": 26, "text": "China"})
    relabeled = BEIJING.model_copy(update={"label": "claim"})
    noted = SULLIVAN.model_copy(update={"note": "the US national\nsecurity adviser", "uncertain": True})
    new_span = span("s5", 9, 15, "claim")
    old = version()
    new = version([noted, moved, relabeled, new_span])
    result = diff_annotations(old, new)
    assert result.added == [new_span]
    assert result.removed == [DENIAL]
    assert result.changed == [(SULLIVAN, noted), (WARNING, moved), (BEIJING, relabeled)]
    assert not result.is_empty()
    assert result.summary() == "1 span added, 1 removed, 3 changed"
    assert result.lines() == [
        "~ actor “Sullivan” [0, 8) → actor “Sullivan” [0, 8) (uncertain) note “the US national⏎security adviser”",
        "+ claim “warned” [9, 15)",
        "~ warning “China would face consequences” [21, 50) → warning “China” [21, 26)",
        "~ actor “Beijing” [52, 59) → claim “Beijing” [52, 59)",
        "- denial “denied it” [60, 69)",
    ]


def test_spans_saved_again_with_other_ids_show_no_difference():
    renumbered = [s.model_copy(update={"id": f"x{k}"}) for k, s in enumerate([SULLIVAN, WARNING, BEIJING, DENIAL])]
    old = version(relations=[link("r1", "s2", "s1"), link("r2", "s4", "s3")])
    new = version(renumbered, [link("q1", "x1", "x0"), link("q2", "x3", "x2")])
    assert diff_annotations(old, new).is_empty()


def test_ids_shifted_among_the_same_spans_show_no_difference():
    # s1..s4 given again in another order: matching by id alone would call all four changed
    shifted = [
        s.model_copy(update={"id": f"s{(k + 1) % 4 + 1}"}) for k, s in enumerate([SULLIVAN, WARNING, BEIJING, DENIAL])
    ]
    old = version(relations=[link("r1", "s2", "s1")])
    new = version(shifted, [link("r1", "s3", "s2")])  # the same link: warning → Sullivan
    result = diff_annotations(old, new)
    assert result.is_empty(), result.lines()
    # while a link between other spans is a difference
    result = diff_annotations(old, version(shifted, [link("r1", "s1", "s2")]))
    assert result.lines() == ["+ link source s1 → s2", "- link source s2 → s1"]


def test_a_note_edited_under_a_renumbered_id_is_a_change():
    noted = WARNING.model_copy(update={"id": "x2", "note": "conditional threat"})
    result = diff_annotations(version(), version([SULLIVAN, noted, BEIJING, DENIAL]))
    assert result.changed == [(WARNING, noted)]
    assert result.lines() == [
        "~ warning “China would face consequences” [21, 50) → "
        "warning “China would face consequences” [21, 50) note “conditional threat”"
    ]


def test_same_id_is_preferred_among_equal_spans():
    twin = SULLIVAN.model_copy(update={"id": "s9"})
    noted = SULLIVAN.model_copy(update={"note": "x"})
    result = diff_annotations(version([SULLIVAN]), version([noted, twin]))
    # s1 kept its id and got a note; the twin is new
    assert result.changed == [(SULLIVAN, noted)] and result.added == [twin]


def test_relations_added_and_removed():
    old = version(relations=[link("r1", "s2", "s1"), link("r2", "s4", "s3")])
    new = version(relations=[link("r1", "s2", "s1"), link("r3", "s2", "s3", "target"), link("r4", "s4", "s1")])
    result = diff_annotations(old, new)
    assert [r.id for r in result.relations_added] == ["r3", "r4"]  # saved order: by the from span's position
    assert [r.id for r in result.relations_removed] == ["r2"]
    assert result.summary() == "2 links added, 1 removed"
    assert result.lines() == ["+ link target s2 → s3", "+ link source s4 → s1", "- link source s4 → s3"]


def test_links_of_a_removed_span_are_removed_and_not_matched_to_a_new_span_with_its_id():
    old = version(relations=[link("r1", "s4", "s3")])
    other = span("s4", 16, 20, "claim")  # s4 now names another span
    new = version([SULLIVAN, WARNING, BEIJING, other], [link("r1", "s4", "s3")])
    result = diff_annotations(old, new)
    assert result.changed == [(DENIAL, other)]
    assert result.relations_added == [] and result.relations_removed == []  # same id: the link followed the span
    new = version([SULLIVAN, WARNING, BEIJING, other.model_copy(update={"id": "s7"})], [link("r1", "s7", "s3")])
    result = diff_annotations(old, new)
    assert result.removed == [DENIAL] and [s.id for s in result.added] == ["s7"]
    assert result.lines()[-2:] == ["+ link source s7 → s3", "- link source s4 → s3"]


def test_status_label_set_and_text():
    old = version(status=DocumentStatus.DONE)
    other_labels = LABELS.model_copy(update={"name": "other"})
    new_text = TEXT + " More."
    new = version(text=new_text, status=DocumentStatus.IN_PROGRESS, label_set=other_labels)
    result = diff_annotations(old, new)
    assert result.status == (DocumentStatus.DONE, DocumentStatus.IN_PROGRESS)
    assert result.label_set_changed and result.text_changed
    assert not result.added and not result.removed and not result.changed
    assert result.summary() == "status done → in progress; label set changed; document text changed"
    assert result.lines() == ["~ document text changed", "~ label set changed", "~ status done → in progress"]


def test_summary_in_full():
    old = version(relations=[link("r1", "s2", "s1")], status=DocumentStatus.DONE)
    added = [span(f"n{k}", k, k + 1, "claim") for k in range(3)]
    new = version(
        [SULLIVAN.model_copy(update={"uncertain": True}), WARNING.model_copy(update={"label": "claim"}), *added],
        [link("r1", "s2", "s1"), link("r2", "n0", "s1")],
        status=DocumentStatus.IN_PROGRESS,
    )
    result = diff_annotations(old, new)
    assert result.summary() == "3 spans added, 2 removed, 2 changed; 1 link added; status done → in progress"


def test_old_none_means_everything_was_added():
    new = version(relations=[link("r1", "s2", "s1")], status=DocumentStatus.FLAGGED)
    result = diff_annotations(None, new)
    assert result == AnnotationDiff(added=[SULLIVAN, WARNING, BEIJING, DENIAL], relations_added=new.relations())
    assert result.summary() == "4 spans added; 1 link added"
    assert result.lines()[0] == "+ actor “Sullivan” [0, 8)"
    assert diff_annotations(None, version([])).is_empty()


def test_lines_shorten_text_and_truncate():
    text = "Line one\r\nline two " + "x" * 80 + " e\u0301nd 👩\u200d👩\u200d👧 tail"
    long_span = Span(id="s1", start=0, end=len(text), label="claim", text=text)
    result = diff_annotations(None, version([long_span], text=text))
    (line,) = result.lines()
    shown = line.split("“")[1].split("”")[0]
    assert shown.startswith("Line one⏎line two xxx") and shown.endswith("…")
    assert len(shown) <= 60 and "\n" not in shown and "\r" not in shown
    # cut at a grapheme-cluster boundary: never between a letter and its combining mark
    for cut in range(40, 75):
        trimmed = long_span.model_copy(update={"text": "a" * cut + "e\u0301" + "b" * 40})
        shown = diff_annotations(None, version([trimmed], text=trimmed.text)).lines()[0].split("“")[1].split("”")[0]
        assert not shown.removesuffix("…").endswith("e")

    many = [span(f"n{k}", k, k + 1, "claim") for k in range(60)]
    result = diff_annotations(None, version(many))
    assert len(result.lines()) == 51 and result.lines()[-1] == "… and 10 more"
    assert result.lines(limit=2) == ["+ claim “S” [0, 1)", "+ claim “u” [1, 2)", "… and 58 more"]
    assert result.lines(limit=0) == ["… and 60 more"]
