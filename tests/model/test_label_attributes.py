"""Attributes and document labels in a label set: shapes, validation (clashes name both sides), cycling, files."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from annotator.formats import brat, label_studio
from annotator.io.label_set_file import (
    default_label_set,
    label_set_to_json,
    label_set_to_toml,
    load_label_set,
    parse_label_set,
)
from annotator.model.labels import RESERVED_ATTRIBUTE_NAMES, Attribute, DocumentLabel, LabelSet
from tests.model.support import LABELS

QUOTE = {"name": "quote", "type": "enum", "values": ["direct", "indirect", "mixed"], "labels": ["claim"]}


def with_(**extra: object) -> LabelSet:
    return LabelSet.model_validate({**LABELS.model_dump(), **extra})


def test_a_label_set_holds_attributes_and_document_labels():
    labels = with_(
        attributes=[QUOTE, {"name": "hedged", "type": "bool", "on": "relation", "labels": ["source"], "hotkey": "h"}],
        document_labels=[{"name": "topics", "values": ["war", "trade"], "multiple": True}],
    )
    assert labels.attribute("quote") is not None and labels.attribute("quote", "relation") is None
    assert [a.name for a in labels.attributes_for("claim")] == ["quote"]
    assert labels.attributes_for("actor") == []
    assert [a.name for a in labels.attributes_for("source", "relation")] == ["hedged"]
    assert labels.document_label("topics") == DocumentLabel(name="topics", values=("war", "trade"), multiple=True)


def test_older_label_sets_have_none_and_are_written_as_before():
    assert LABELS.attributes == () and LABELS.document_labels == ()
    assert "attributes" not in label_set_to_json(LABELS) and "document_labels" not in label_set_to_json(LABELS)


@pytest.mark.parametrize("name", RESERVED_ATTRIBUTE_NAMES)
def test_names_the_exports_use_are_refused(name):
    with pytest.raises(ValidationError, match=f"the attribute name '{name}' is reserved"):
        Attribute(name=name, type="bool")


def test_the_reserved_names_are_the_brat_and_label_studio_exports_own():
    expected = {brat.UNCERTAIN_ATTRIBUTE, brat.ORIGIN_ATTRIBUTE, label_studio.ENTITY_NAME}
    assert set(RESERVED_ATTRIBUTE_NAMES) == expected


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"type": "enum"}, "enum attribute 'x' needs at least one value"),
        ({"type": "enum", "values": ["a", "a"]}, "lists the value(s) 'a' twice"),
        ({"type": "bool", "values": ["a"]}, "bool attribute 'x' has no values"),
        ({"type": "bool", "default": "yes"}, "default of attribute 'x': must be true or false"),
        ({"type": "enum", "values": ["a"], "default": "b"}, "'b' is not one of its values (a)"),
        ({"type": "text", "hotkey": "ab"}, "hotkey must be a single key"),
        ({"type": "colour"}, "type"),
        ({"type": "bool", "on": "document"}, "on"),
    ],
)
def test_malformed_attributes_are_refused(fields, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Attribute.model_validate({"name": "x", **fields})


def test_clashes_are_refused_naming_both():
    with pytest.raises(ValidationError, match="hotkey '2' is used by both label 'claim' and attribute 'quote'"):
        with_(attributes=[{**QUOTE, "hotkey": "2"}])
    with pytest.raises(ValidationError, match="hotkey 'Q' is used by both attribute 'quote' and attribute 'kind'"):
        with_(attributes=[{**QUOTE, "hotkey": "q"}, {"name": "kind", "type": "text", "hotkey": "Q"}])
    with pytest.raises(
        ValidationError, match=r"two attributes are called 'quote' \(attributes\[0\] and attributes\[1\]\)"
    ):
        with_(attributes=[QUOTE, QUOTE])
    with pytest.raises(ValidationError, match="two document labels are called 'r'"):
        with_(document_labels=[{"name": "r", "values": ["a"]}, {"name": "r", "values": ["b"]}])


def test_an_attribute_must_name_labels_or_relation_types_of_the_set():
    with pytest.raises(ValidationError, match="attribute 'quote' names label 'quip', which is not in the label set"):
        with_(attributes=[{**QUOTE, "labels": ["quip"]}])
    with pytest.raises(ValidationError, match="names relation type 'claim', which is not in the label set"):
        with_(attributes=[{"name": "h", "type": "bool", "on": "relation", "labels": ["claim"]}])


def test_document_labels_need_distinct_non_empty_values():
    with pytest.raises(ValidationError, match="appear twice"):
        DocumentLabel(name="r", values=("a", "a"))
    with pytest.raises(ValidationError, match="at least 1"):
        DocumentLabel(name="r", values=())
    single, multiple = DocumentLabel(name="r", values=("a", "b")), DocumentLabel(name="t", values=("a",), multiple=True)
    assert single.value_fault("a") == "" and "not one of its values" in single.value_fault("c")
    assert "must be one of its values" in single.value_fault(["a"])
    assert multiple.value_fault(["a"]) == "" and "must be a list" in multiple.value_fault("a")
    assert "twice" in multiple.value_fault(["a", "a"])


def test_cycling_values_for_the_hotkey():
    quote = Attribute.model_validate(QUOTE)
    assert [quote.next_value(v) for v in (None, "direct", "indirect", "mixed")] == ["direct", "indirect", "mixed", None]
    flag = Attribute(name="f", type="bool")
    assert (flag.next_value(None), flag.next_value(True)) == (True, False)
    defaulted = Attribute(name="d", type="enum", values=("a", "b"), default="a")
    assert (defaulted.next_value(None), defaulted.next_value("b")) == ("b", "a")
    with pytest.raises(ValueError, match="text"):
        Attribute(name="t", type="text").next_value(None)
    assert (flag.default_value(), quote.default_value(), Attribute(name="t", type="text").default_value()) == (
        False,
        None,
        "",
    )


def test_renaming_and_merging_a_label_follow_into_attribute_scopes():
    labels = with_(attributes=[{**QUOTE, "labels": ["claim", "warning"]}])
    assert labels.rename_label("claim", "assertion").attribute("quote").labels == ("assertion", "warning")
    assert labels.merge_label("claim", "warning").attribute("quote").labels == ("warning",)
    assert labels.with_labels([]).attributes == labels.attributes


def test_the_default_label_set_has_quote_kind_and_relevance():
    labels = default_label_set()
    quote, kind = labels.attribute("quote"), labels.attribute("kind")
    assert quote is not None and kind is not None
    assert (quote.type, quote.values, quote.labels) == (
        "enum",
        ("direct", "indirect", "mixed"),
        ("claim", "warning", "denial"),
    )
    assert kind.values == ("person", "organisation", "government", "role", "anonymous") and kind.labels == ("actor",)
    assert "Price said" in quote.description and "A senior administration official" in kind.description
    relevance = labels.document_label("relevance")
    assert relevance is not None and relevance.values == ("relevant", "not relevant") and not relevance.multiple
    assert labels.version == "3"


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_label_set_files_round_trip_attributes_and_document_labels(tmp_path, suffix):
    labels = with_(
        attributes=[QUOTE, {"name": "f", "type": "bool", "default": True, "hotkey": "f"}],
        document_labels=[{"name": "topics", "values": ["war"], "multiple": True, "description": "What about."}],
    )
    path = tmp_path / f"set{suffix}"
    path.write_text(label_set_to_toml(labels) if suffix == ".toml" else label_set_to_json(labels), encoding="utf-8")
    assert load_label_set(path) == labels


def test_a_bad_attribute_in_a_file_is_named_with_its_place():
    text = label_set_to_json(LABELS)[:-2] + ', "attributes": [{"name": "q", "type": "enum"}]}\n'
    with pytest.raises(Exception, match="enum attribute 'q' needs at least one value"):
        parse_label_set(text, "x.json")
