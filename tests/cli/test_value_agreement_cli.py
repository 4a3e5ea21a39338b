"""``annotator agree`` on attributes and document labels: two annotators' files of the sample article under the
default label set (kind on actors, quote on statements, relevance on the document), written as the app writes them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from annotator.__main__ import main
from annotator.io import annotation_file
from tests.review import bob_differs, write_valued

KINDS_ALICE = {"s3": "government", "s5": "government", "s7": "person", "s8": "government", "s10": "person"}
KINDS_BOB = {"s3": "government", "s5": "anonymous", "s7": "person", "s8": "government", "s10": "person"}


def _values(kinds: dict[str, str], s11: str, s9: str) -> dict[str, dict[str, object]]:
    values: dict[str, dict[str, object]] = {key: {"kind": kind} for key, kind in kinds.items()}
    values["s11"] = {"kind": s11}
    values.update({"s6": {"quote": "direct"}, "s9": {"quote": s9}, "s12": {"quote": "direct"}})
    return values


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    relevant = {"relevance": "relevant"}
    return [
        write_valued(
            tmp_path / "alice.annotations.json", "alice", _values(KINDS_ALICE, "person", "indirect"), relevant
        ),
        write_valued(
            tmp_path / "bob.annotations.json",
            "bob",
            _values(KINDS_BOB, "organisation", "direct"),
            relevant,
            bob_differs,
        ),
    ]


def test_agree_json_has_attribute_and_document_label_figures(files, capsys):
    assert main(["agree", *map(str, files), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    kind = next(item for item in data["attributes"] if item["name"] == "kind")
    (pair,) = kind["pairs"]
    # 6 actors matched exactly (bob relabeled s1 and shortened s2): 4 alike; alice government 3, person 3; bob
    # government 2, anonymous 1, person 2, organisation 1 -> p_e = 12/36, kappa = (2/3 - 1/3) / (2/3) = 0.5
    assert pair["units"] == 6
    assert pair["observed_agreement"] == pytest.approx(4 / 6)
    assert pair["cohen_kappa"] == pytest.approx(0.5)
    quote = next(item for item in data["attributes"] if item["name"] == "quote")
    # s6 s9 s12 s13 matched (bob deleted s4): direct/direct, indirect/direct, direct/direct, (unset)/(unset)
    # p_o 3/4; p_e = (2*3 + 1*1) / 16 = 7/16; kappa = (12 - 7) / (16 - 7) = 5/9
    assert quote["pairs"][0]["units"] == 4
    assert quote["pairs"][0]["cohen_kappa"] == pytest.approx(5 / 9)
    (relevance,) = data["document_labels"]
    assert relevance["pairs"][0]["observed_agreement"] == 1.0
    assert relevance["pairs"][0]["cohen_kappa"] is None
    assert "only 1 document: agreement needs at least 2" in relevance["pairs"][0]["reasons"]["cohen_kappa"]
    assert relevance["fleiss_kappa"] is None and relevance["reasons"]["fleiss_kappa"]


def test_agree_table_lists_sections_and_why_undefined(files, capsys):
    assert main(["agree", *map(str, files)]) == 0
    table = capsys.readouterr().out
    assert "Attributes (spans matched exactly; (unset) is a value):" in table
    assert "attribute kind:" in table and "attribute quote:" in table
    assert "Document labels (documents; (unset) is a value):" in table
    assert "document label relevance:" in table
    assert "0.500" in table
    assert "relevance: alice / bob: cohen_kappa: undefined: only 1 document: agreement needs at least 2" in table


def test_agree_csv_adds_rows_and_columns(files, capsys):
    assert main(["agree", *map(str, files), "-f", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["section"] == "spans"
    kind = [row for row in rows if row["section"] == "attribute" and row["label"] == "kind"]
    assert [row["annotator_a"] for row in kind] == ["alice", "(all annotators)"]
    assert float(kind[0]["cohen_kappa"]) == pytest.approx(0.5)
    assert kind[0]["units"] == "6"
    assert kind[1]["krippendorff_alpha"] != ""
    relevance = [row for row in rows if row["section"] == "document label"]
    assert relevance[1]["fleiss_units"] == "1" and relevance[1]["fleiss_kappa"] == ""


def test_merge_takes_majority_values_and_lists_ties(files, tmp_path, capsys):
    carol = write_valued(
        tmp_path / "carol.annotations.json",
        "carol",
        _values(KINDS_BOB, "person", "indirect"),
        {"relevance": "relevant"},
    )
    out = tmp_path / "gold.annotations.json"
    assert main(["merge", *map(str, files), str(carol), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    gold = {s.start: s for s in annotation_file.load(out).sorted_spans()}
    spans = {s.id: s for s in annotation_file.load(files[0]).sorted_spans()}
    # s5: government (alice) vs anonymous (bob, carol); s11: person (alice, carol) vs organisation (bob)
    assert gold[spans["s5"].start].attributes == {"kind": "anonymous"}
    assert gold[spans["s11"].start].attributes == {"kind": "person"}
    assert gold[spans["s9"].start].attributes == {"quote": "indirect"}
    assert annotation_file.load(out).document_labels == {"relevance": "relevant"}
    assert "0 value ties" in captured.out
    two = tmp_path / "two.annotations.json"
    assert main(["merge", *map(str, files), "-o", str(two)]) == 0
    captured = capsys.readouterr()
    assert "tie: actor [" in captured.err
    assert (
        "kind: government (alice) vs anonymous (bob); no majority of 2 annotators, left unset in gold" in captured.err
    )
    assert "attribute or document-label ties listed" in captured.out
