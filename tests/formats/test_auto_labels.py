import pytest

from annotator.formats.auto_labels import PALETTE, auto_label_set, used_names
from annotator.formats.parsed import ParsedRecord, RawRelation, RawSpan, RecordFault
from annotator.io.label_set_file import default_label_set


def test_the_palette_starts_with_the_default_label_sets_colors():
    assert PALETTE[:4] == tuple(label.color for label in default_label_set().labels)


def test_used_names_are_distinct_strings_in_first_seen_order():
    records = [
        ParsedRecord("l1", "a", "x", [RawSpan(0, 1, "b"), RawSpan(0, 1, 7), RawSpan(0, 1, " ")]),
        RecordFault("l2", "broken"),
        ParsedRecord("l3", "b", "x", [RawSpan(0, 1, "a"), RawSpan(0, 1, "b")], [RawRelation("says", "T1", "T2")]),
    ]
    assert used_names(records) == (["b", "a"], ["says"])


def test_ten_new_labels_get_nine_hotkeys_and_palette_colors_in_turn():
    names = [f"l{i}" for i in range(10)]
    made = auto_label_set(names, [], "ten")
    assert [lab.hotkey for lab in made.labels] == [*"123456789", ""]
    assert [lab.color for lab in made.labels] == [*PALETTE, *PALETTE[:2]]
    assert made.relation_types == ()


def test_no_labels_makes_no_label_set():
    with pytest.raises(ValueError, match="uses no labels"):
        auto_label_set([], ["source"], "empty")
