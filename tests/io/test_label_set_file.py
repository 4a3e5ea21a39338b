"""Label-set files: JSON and TOML reading, fault messages, size limit, the shipped default set and the samples."""

import json
from pathlib import Path

import pytest

from annotator.io.errors import FileFault
from annotator.io.label_set_file import (
    MAX_LABEL_SET_BYTES,
    default_label_set,
    label_set_to_json,
    load_label_set,
    parse_label_set,
)
from annotator.model.labels import LabelSet

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "sample_docs" / "000_3048e0f710b42604.txt"
TOML_SAMPLE = ROOT / "sample_docs" / "attribution-plus.labels.toml"

GOOD_JSON = """{
  "name": "mini",
  "labels": [
    {"name": "actor", "color": "#0072B2", "hotkey": "1", "description": "Who.\\nMore.", "examples": ["Price"]},
    {"name": "claim", "color": "#009e73", "hotkey": "2"}
  ],
  "relation_types": [{"name": "source", "from_labels": ["claim"], "to_labels": ["actor"]}]
}
"""

GOOD_TOML = '''
name = "mini"

[[labels]]
name = "actor"
color = "#0072B2"
hotkey = "1"
description = """\\
Who.
More."""
examples = ["Price"]

[[labels]]
name = "claim"
color = "#009e73"
hotkey = "2"

[[relation_types]]
name = "source"
from_labels = ["claim"]
to_labels = ["actor"]
'''


def faults_of(text, fmt="json", path="set.json"):
    with pytest.raises(FileFault) as caught:
        parse_label_set(text, path, fmt=fmt)
    return caught.value


# Reading -----------------------------------------------------------------------------------------------------------


def test_json_and_toml_give_the_same_set():
    from_json = parse_label_set(GOOD_JSON, "mini.json")
    from_toml = parse_label_set(GOOD_TOML, "mini.toml", fmt="toml")
    assert from_json == from_toml
    assert from_json.get("actor").color == "#0072b2"
    assert from_json.get("actor").description == "Who.\nMore."
    assert from_json.get("actor").examples == ("Price",)
    assert [(t.name, t.from_labels, t.to_labels) for t in from_json.relation_types] == [
        ("source", ("claim",), ("actor",))
    ]


def test_load_picks_the_format_by_suffix(tmp_path):
    (tmp_path / "a.TOML").write_text(GOOD_TOML, encoding="utf-8")
    (tmp_path / "a.json").write_text(GOOD_JSON, encoding="utf-8")
    (tmp_path / "b.json").write_text(GOOD_TOML, encoding="utf-8")  # TOML under a .json name is read as JSON
    assert load_label_set(tmp_path / "a.TOML") == load_label_set(str(tmp_path / "a.json"))
    with pytest.raises(FileFault, match="not valid JSON"):
        load_label_set(tmp_path / "b.json")


def test_load_accepts_a_utf8_bom_and_refuses_other_encodings(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_JSON.encode("utf-8"))
    assert load_label_set(path).name == "mini"
    path.write_bytes(GOOD_JSON.replace("Who.", "Wh\u00f6.").encode("latin-1"))
    with pytest.raises(FileFault, match="not UTF-8"):
        load_label_set(path)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(FileFault, match=r"nope\.toml: could not read it"):
        load_label_set(tmp_path / "nope.toml")


def test_written_json_reads_back_equal():
    labels = default_label_set()
    text = label_set_to_json(labels)
    assert text.endswith("}\n") and "Beijing’s help" in text  # UTF-8 kept, not \u escapes
    assert parse_label_set(text) == labels
    assert json.loads(text) == labels.model_dump(mode="json")


# Faults ------------------------------------------------------------------------------------------------------------


def test_json_syntax_error_gives_line_and_column():
    fault = faults_of('{\n  "name": "x",\n  "labels": [}\n')
    assert str(fault).startswith("set.json: not valid JSON:")
    assert "line 3, column" in str(fault)


def test_toml_syntax_error_gives_line_and_column():
    fault = faults_of('name = "x"\n\n[[labels]]\nname = actor\n', fmt="toml", path="set.toml")
    assert str(fault).startswith("set.toml: not valid TOML:")
    assert "line 4, column" in str(fault)


def test_toml_duplicate_key_is_a_syntax_error():
    assert "not valid TOML" in str(faults_of('name = "x"\nname = "y"\n', fmt="toml"))


def test_repeated_json_key_is_refused():
    text = '{"name": "x", "labels": [{"name": "a", "color": "#000000", "color": "#ffffff"}]}'
    assert "the key 'color' appears twice" in str(faults_of(text))


@pytest.mark.parametrize(("text", "found"), [("[]", "an array"), ('"x"', "a string"), ("null", "null")])
def test_json_top_level_must_be_an_object(text, found):
    assert str(faults_of(text)) == f"set.json: expected a JSON object at the top level, found {found}"


def test_lone_surrogate_escape_is_refused():
    text = '{"name": "x", "labels": [{"name": "a\\ud800", "color": "#000000"}]}'
    assert "lone surrogate" in str(faults_of(text))


def test_every_field_fault_is_named_with_its_location():
    text = json.dumps(
        {
            "name": "x",
            "labels": [
                {"name": "a", "color": "#000000"},
                {"name": "b", "color": "#000000", "hotkey": "xy"},
                {"name": "c", "color": "red"},
                {"name": "d", "colour": "#000000"},
            ],
        }
    )
    fault = faults_of(text)
    assert fault.faults == [
        "labels[1].hotkey: hotkey must be a single key, not 'xy'",
        "labels[2].color: color must be #rrggbb, not 'red'",
        "labels[3].color: Field required",
        "labels[3].colour: Extra inputs are not permitted",
    ]
    assert str(fault).startswith("set.json: 4 problems:\n- labels[1].hotkey")


def test_hotkey_clash_in_a_file_names_both_labels():
    text = GOOD_TOML.replace('hotkey = "2"', 'hotkey = "1"')
    fault = faults_of(text, fmt="toml", path="set.toml")
    assert fault.faults == ["labels: duplicate hotkeys: 1 (hotkey '1' is used by both actor and claim)"]


def test_toml_wrong_types_are_named():
    fault = faults_of(GOOD_TOML.replace('hotkey = "1"', "hotkey = 1"), fmt="toml")
    assert fault.faults == ["labels[0].hotkey: Input should be a valid string"]


def test_relation_type_with_unknown_label_is_named():
    fault = faults_of(GOOD_JSON.replace('"to_labels": ["actor"]', '"to_labels": ["speaker"]'))
    assert fault.faults == [
        "relation_types: relation type 'source' names label 'speaker' in its to_labels, "
        "which is not in the label set (actor, claim)"
    ]


def test_unknown_format_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown label-set format"):
        parse_label_set(GOOD_JSON, fmt="yaml")


def test_oversized_text_and_file_are_refused(tmp_path):
    padding = " " * MAX_LABEL_SET_BYTES
    with pytest.raises(FileFault, match=r"too large for a label-set file .*1 MB"):
        parse_label_set(GOOD_JSON + padding)
    path = tmp_path / "huge.toml"
    path.write_text(GOOD_TOML + "#" * MAX_LABEL_SET_BYTES, encoding="utf-8")
    with pytest.raises(FileFault, match=r"huge\.toml: too large"):
        load_label_set(path)
    path.write_text(GOOD_TOML + "#" * (MAX_LABEL_SET_BYTES - len(GOOD_TOML.encode())), encoding="utf-8")
    assert load_label_set(path).name == "mini"  # exactly at the limit


# The shipped default set and the samples ---------------------------------------------------------------------------


def test_default_set_labels_colors_hotkeys_and_version():
    labels = default_label_set()
    assert (labels.name, labels.version) == ("attribution", "3")
    assert [(lab.name, lab.color, lab.hotkey) for lab in labels.labels] == [
        ("actor", "#0072b2", "1"),
        ("claim", "#009e73", "2"),
        ("warning", "#e69f00", "3"),
        ("denial", "#cc79a7", "4"),
    ]


def test_default_set_has_multi_paragraph_guidelines_and_examples():
    for lab in default_label_set().labels:
        paragraphs = lab.description.split("\n")
        assert len(paragraphs) >= 3, lab.name
        assert all(p.strip() for p in paragraphs), lab.name
        assert lab.examples, lab.name
    statements = [default_label_set().get(n) for n in ("claim", "warning", "denial")]
    for lab in statements:  # the boundary rule is stated for every statement label
        assert "cue" in lab.description and "quotation marks" in lab.description, lab.name
    assert "Pronouns" in default_label_set().get("actor").description


def test_every_default_example_occurs_verbatim_in_the_sample_article():
    article = ARTICLE.read_text(encoding="utf-8")
    examples = [(lab.name, ex) for lab in default_label_set().labels for ex in lab.examples]
    assert len(examples) >= 12
    assert [pair for pair in examples if pair[1] not in article] == []


def test_default_examples_follow_the_boundary_rules():
    for lab in default_label_set().labels:
        for example in lab.examples:
            assert example == example.strip(' .,;:“”"')
            assert not example.startswith("that ")
            for cue in ("said", "warned", "denied that", "according to"):
                assert cue not in example.lower(), (lab.name, example)


def test_default_relation_types_link_statements_to_actors():
    labels = default_label_set()
    assert [t.name for t in labels.relation_types] == ["source", "target"]
    for rtype in labels.relation_types:
        assert rtype.description
        assert rtype.from_labels == ("claim", "warning", "denial")
        assert rtype.to_labels == ("actor",)
    assert labels.allows_relation("source", "warning", "actor")
    assert not labels.allows_relation("target", "actor", "warning")


def test_toml_sample_loads_with_five_labels():
    labels = load_label_set(TOML_SAMPLE)
    assert isinstance(labels, LabelSet)
    assert labels.names == ["actor", "claim", "warning", "denial", "commitment"]
    assert [lab.hotkey for lab in labels.labels] == ["1", "2", "3", "4", "5"]
    assert all(lab.description and lab.examples for lab in labels.labels)
    default = default_label_set()
    for lab in default.labels:  # the shared labels keep the default's colors and keys
        assert (labels.get(lab.name).color, labels.get(lab.name).hotkey) == (lab.color, lab.hotkey)
    assert [t.name for t in labels.relation_types] == ["source", "target", "rejects"]
    assert labels.allows_relation("source", "commitment", "actor")
    assert labels.allows_relation("rejects", "denial", "claim")
    assert not labels.allows_relation("rejects", "claim", "denial")
    assert "\n" in labels.get("commitment").description
