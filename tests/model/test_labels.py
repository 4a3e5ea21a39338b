"""Label sets: validation and the editing methods (rename, merge, missing labels, adding labels)."""

import pytest
from pydantic import ValidationError

from annotator.model.labels import DEFAULT_RELATION_TYPES, NEUTRAL_COLOR, Label, LabelSet, RelationType

STATEMENTS = ("claim", "warning", "denial")


def label(name, hotkey="", color="#000000", **extra):
    return Label(name=name, color=color, hotkey=hotkey, **extra)


def attribution():
    return LabelSet(
        name="attribution",
        version="2",
        labels=(
            label("actor", "1", "#0072b2", description="Who speaks.\nSecond paragraph.", examples=("Price",)),
            label("claim", "2", "#009e73"),
            label("warning", "3", "#e69f00"),
            label("denial", "4", "#cc79a7"),
        ),
        relation_types=(
            RelationType(name="source", description="speaker", from_labels=STATEMENTS, to_labels=("actor",)),
            RelationType(name="target", from_labels=STATEMENTS, to_labels=("actor",)),
        ),
    )


# Validation --------------------------------------------------------------------------------------------------------


def test_label_fields_and_defaults():
    actor = attribution().get("actor")
    assert actor.color == "#0072b2"
    assert actor.description.split("\n") == ["Who speaks.", "Second paragraph."]
    assert actor.examples == ("Price",)
    assert label("x").examples == ()
    assert Label(name="x", color="#ABCDEF").color == "#abcdef"


@pytest.mark.parametrize("hotkey", ["\t", " ", "\n", "\x00", "\x7f", "\u200b", "\xa0", "\u2028", "\u0301", "\ud800"])
def test_hotkey_refuses_whitespace_control_and_invisible_characters(hotkey):
    with pytest.raises(ValidationError, match="hotkey must be a visible character"):
        label("a", hotkey)


@pytest.mark.parametrize("hotkey", ["ab", "12", "e\u0301"])
def test_hotkey_is_one_character(hotkey):
    with pytest.raises(ValidationError, match="single key"):
        label("a", hotkey)


@pytest.mark.parametrize("hotkey", ["", "1", "q", "Q", "é", "ж", "+"])
def test_visible_hotkeys_are_accepted(hotkey):
    assert label("a", hotkey).hotkey == hotkey


@pytest.mark.parametrize("color", ["red", "#12345", "#1234567", "0072b2", "#00zz00", ""])
def test_bad_colors_are_refused(color):
    with pytest.raises(ValidationError, match="#rrggbb"):
        Label(name="a", color=color)


def test_unknown_fields_and_empty_names_are_refused():
    with pytest.raises(ValidationError, match="Extra inputs"):
        Label(name="a", color="#000000", colour="#000000")
    with pytest.raises(ValidationError, match="name"):
        Label(name="", color="#000000")
    with pytest.raises(ValidationError, match="labels"):
        LabelSet(name="x", labels=())


def test_hotkey_clash_names_both_labels():
    with pytest.raises(ValidationError, match=r"hotkey '1' is used by both actor and claim"):
        LabelSet(name="x", labels=(label("actor", "1"), label("claim", "1")))


def test_hotkeys_clash_ignoring_case_and_every_clash_is_named():
    with pytest.raises(ValidationError) as caught:
        LabelSet(
            name="x",
            labels=(label("a", "q"), label("b", "Q"), label("c", "2"), label("d", "2"), label("e", "2")),
        )
    message = str(caught.value)
    assert "hotkey 'q' / 'Q' is used by both a and b" in message
    assert "hotkey '2' is used by c, d and e" in message


def test_duplicate_label_names_name_their_positions():
    with pytest.raises(ValidationError, match=r"duplicate label names: a \(labels\[0\] and labels\[2\] are both"):
        LabelSet(name="x", labels=(label("a"), label("b"), label("a")))


def test_relation_types_default_to_source_and_target_without_constraints():
    labels = LabelSet(name="x", labels=(label("a"),))
    assert labels.relation_types == DEFAULT_RELATION_TYPES
    assert [(t.name, t.from_labels, t.to_labels) for t in labels.relation_types] == [
        ("source", (), ()),
        ("target", (), ()),
    ]
    assert all(t.description for t in labels.relation_types)
    assert labels.allows_relation("source", "a", "a")


def test_relation_type_names_must_be_unique():
    with pytest.raises(ValidationError, match="duplicate relation type names: source"):
        LabelSet(name="x", labels=(label("a"),), relation_types=(RelationType(name="source"),) * 2)


def test_relation_type_naming_an_unknown_label_is_refused_with_both_names():
    with pytest.raises(ValidationError) as caught:
        LabelSet(
            name="x",
            labels=(label("actor"), label("claim")),
            relation_types=(RelationType(name="source", from_labels=("claim", "threat"), to_labels=("actr",)),),
        )
    message = str(caught.value)
    assert "relation type 'source' names label 'threat' in its from_labels" in message
    assert "relation type 'source' names label 'actr' in its to_labels" in message


def test_label_set_is_frozen():
    labels = attribution()
    with pytest.raises(ValidationError):
        labels.name = "other"


# Queries -----------------------------------------------------------------------------------------------------------


def test_names_get_and_relation_type():
    labels = attribution()
    assert labels.names == ["actor", "claim", "warning", "denial"]
    assert labels.get("claim").hotkey == "2"
    assert labels.get("threat") is None
    assert labels.relation_type("source").description == "speaker"
    assert labels.relation_type("cause") is None


@pytest.mark.parametrize(
    ("rtype", "from_label", "to_label", "allowed"),
    [
        ("source", "claim", "actor", True),
        ("target", "denial", "actor", True),
        ("source", "actor", "claim", False),  # reversed
        ("source", "claim", "warning", False),
        ("cause", "claim", "actor", False),  # unknown type
        ("source", "threat", "actor", False),  # unknown label
    ],
)
def test_allows_relation(rtype, from_label, to_label, allowed):
    assert attribution().allows_relation(rtype, from_label, to_label) is allowed


def test_empty_label_lists_allow_any_label_of_the_set():
    labels = LabelSet(
        name="x", labels=(label("a"), label("b")), relation_types=(RelationType(name="link", to_labels=("b",)),)
    )
    assert labels.allows_relation("link", "a", "b")
    assert labels.allows_relation("link", "b", "b")
    assert not labels.allows_relation("link", "b", "a")
    assert not labels.allows_relation("link", "zzz", "b")


# rename_label ------------------------------------------------------------------------------------------------------


def test_rename_keeps_everything_but_the_name_and_rewrites_relation_types():
    labels = attribution()
    renamed = labels.rename_label("actor", "speaker")
    assert renamed.names == ["speaker", "claim", "warning", "denial"]
    before, after = labels.get("actor"), renamed.get("speaker")
    assert after.model_dump() == {**before.model_dump(), "name": "speaker"}
    assert renamed.relation_type("source").to_labels == ("speaker",)
    assert renamed.relation_type("source").description == "speaker"
    assert renamed.relation_type("target").to_labels == ("speaker",)
    assert (renamed.name, renamed.version) == (labels.name, labels.version)
    assert labels.get("actor") is not None  # the original is untouched
    assert renamed.rename_label("claim", "assertion").relation_type("source").from_labels == (
        "assertion",
        "warning",
        "denial",
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("threat", "menace", "no such label"),
        ("actor", "claim", "'claim' already exists"),
        ("actor", "actor", "'actor' already exists"),
        ("actor", "", "empty"),
        ("actor", "  ", "empty"),
    ],
)
def test_rename_refusals(old, new, message):
    with pytest.raises(ValueError, match=message):
        attribution().rename_label(old, new)


# merge_label -------------------------------------------------------------------------------------------------------


def test_merge_removes_source_keeps_into_and_rewrites_relation_lists_without_duplicates():
    merged = attribution().merge_label("warning", "claim")
    assert merged.names == ["actor", "claim", "denial"]
    assert merged.get("claim") == attribution().get("claim")  # into keeps its color and hotkey
    assert merged.relation_type("source").from_labels == ("claim", "denial")
    assert merged.relation_type("target").from_labels == ("claim", "denial")
    assert merged.relation_type("source").to_labels == ("actor",)


def test_merge_frees_the_hotkey_and_replaces_in_to_labels():
    merged = attribution().merge_label("actor", "claim")
    assert [lab.hotkey for lab in merged.labels] == ["2", "3", "4"]
    # source now goes from statements (claim among them) to claim spans
    assert merged.relation_type("source").to_labels == ("claim",)
    assert merged.allows_relation("source", "denial", "claim")


@pytest.mark.parametrize(
    ("source", "into", "message"),
    [("threat", "claim", "no label 'threat'"), ("claim", "threat", "no label 'threat'"), ("claim", "claim", "itself")],
)
def test_merge_refusals(source, into, message):
    with pytest.raises(ValueError, match=message):
        attribution().merge_label(source, into)


# missing_labels ----------------------------------------------------------------------------------------------------


def test_missing_labels_in_first_seen_order_with_neutral_defaults():
    missing = attribution().missing_labels(["claim", "threat", "actor", "promise", "threat", "promise"])
    assert [lab.name for lab in missing] == ["threat", "promise"]
    assert all(lab.color == NEUTRAL_COLOR == "#888888" and lab.hotkey == "" for lab in missing)
    assert attribution().missing_labels(["actor", "claim"]) == []
    assert attribution().missing_labels(iter(["x"]))[0].name == "x"  # any iterable


def test_missing_labels_take_definitions_from_the_other_set():
    other = LabelSet(
        name="other",
        labels=(label("threat", "1", "#d55e00", description="A threat.", examples=("or else",)), label("actor", "9")),
    )
    missing = attribution().missing_labels(["threat", "promise", "actor"], other)
    assert missing[0] == other.get("threat")  # hotkey "1" kept here; with_labels drops it
    assert missing[1] == Label(name="promise", color="#888888")
    assert len(missing) == 2


def test_missing_labels_refuses_an_empty_name():
    with pytest.raises(ValueError, match="empty"):
        attribution().missing_labels(["claim", ""])


# with_labels -------------------------------------------------------------------------------------------------------


def test_with_labels_appends_skips_present_names_and_frees_taken_hotkeys():
    labels = attribution()
    added = labels.with_labels(
        [
            label("threat", "1", "#d55e00", description="A threat."),  # "1" is actor's: dropped
            label("claim", "9", "#ffffff"),  # already present: skipped, the set's claim kept
            label("promise", "5"),
            label("pledge", "5"),  # "5" just taken by promise
            label("promise", "6"),  # repeated name: skipped
            label("vow", "Q"),
            label("oath", "q"),  # same key as "Q"
        ]
    )
    assert added.names == ["actor", "claim", "warning", "denial", "threat", "promise", "pledge", "vow", "oath"]
    assert [lab.hotkey for lab in added.labels] == ["1", "2", "3", "4", "", "5", "", "Q", ""]
    assert added.get("threat").description == "A threat."
    assert added.get("claim") == labels.get("claim")
    assert added.relation_types == labels.relation_types
    assert (added.name, added.version) == (labels.name, labels.version)


def test_with_labels_adds_relation_types_filtered_to_existing_labels():
    labels = attribution()
    added = labels.with_labels(
        [label("threat")],
        [
            RelationType(name="source", description="other source", from_labels=("threat",)),  # present: skipped
            RelationType(name="rejects", from_labels=("denial", "retort"), to_labels=("claim", "threat", "x")),
            RelationType(name="about", description="any to any"),
            RelationType(name="answers", from_labels=("retort",)),  # no label left at the from end: dropped
        ],
    )
    assert [t.name for t in added.relation_types] == ["source", "target", "rejects", "about"]
    assert added.relation_type("source") == labels.relation_type("source")
    rejects = added.relation_type("rejects")
    assert (rejects.from_labels, rejects.to_labels) == (("denial",), ("claim", "threat"))
    assert added.allows_relation("about", "actor", "threat")
    assert not added.allows_relation("rejects", "denial", "actor")


def test_missing_labels_and_with_labels_adopt_a_files_labels():
    other = LabelSet(
        name="plus",
        labels=(label("actor", "1"), label("commitment", "5", "#d55e00")),
        relation_types=(RelationType(name="source", from_labels=("commitment",), to_labels=("actor",)),),
    )
    labels = attribution()
    adopted = labels.with_labels(labels.missing_labels(["actor", "commitment", "rumour"], other), other.relation_types)
    assert adopted.names[-2:] == ["commitment", "rumour"]
    assert adopted.get("commitment").hotkey == "5"
    assert adopted.get("rumour").color == "#888888"
    assert adopted.relation_type("source") == labels.relation_type("source")
