"""Hugging Face token-classification export: ``datasets.load_dataset(folder)`` loads it with a ClassLabel of the tag
names, and its tokens and tags are those of the CoNLL export."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder: nothing to fetch (read when datasets is imported)
import datasets

from annotator.formats.conll import write_conll
from annotator.formats.hf_dataset import CARD_FILE, DATA_FILE, tag_names, write_hf
from annotator.formats.options import ExportOptions
from annotator.formats.overlap import OverlapError
from annotator.formats.records import DocumentRecord
from tests.formats.support import LABELS, linked_record, spans_of, trap_records, whitespace_edged_record

datasets.disable_progress_bars()


def load(folder: Path, tmp_path: Path) -> datasets.Dataset:
    """The dataset in ``folder`` as ``datasets`` loads it (its cache in ``tmp_path``)."""
    return datasets.load_dataset(str(folder), cache_dir=str(tmp_path / "hf-cache"))["train"]


def conll_documents(path: Path) -> list[list[tuple[str, str]]]:
    """``(token, tag)`` pairs of each document of a CoNLL export, its sentences joined."""
    documents: list[list[tuple[str, str]]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        fields = line.split()
        if fields and fields[0] == "-DOCSTART-":
            documents.append([])
        elif fields:
            documents[-1].append((fields[0], fields[1]))
    return documents


def with_label_set(records: list[DocumentRecord]) -> list[DocumentRecord]:
    return [dataclasses.replace(record, label_set=LABELS) for record in records]


@pytest.mark.parametrize(
    "options",
    [ExportOptions(), ExportOptions(overlap="earliest", snap=True)],
    ids=["longest", "earliest-snap"],
)
def test_datasets_loads_the_tokens_and_tags_of_the_conll_export(options: ExportOptions, tmp_path: Path) -> None:
    records = with_label_set([*trap_records(), linked_record(), whitespace_edged_record()])
    report = write_hf(records, tmp_path / "hf", options)
    conll_report = write_conll(records, tmp_path / "all.conll", options)

    dataset = load(tmp_path / "hf", tmp_path)

    names = dataset.features["ner_tags"].feature.names
    assert names == ["O", "B-actor", "I-actor", "B-claim", "I-claim", "B-warning", "I-warning", "B-denial", "I-denial"]
    assert isinstance(dataset.features["ner_tags"].feature, datasets.ClassLabel)
    assert dataset.num_rows == len(records)
    expected = conll_documents(tmp_path / "all.conll")
    for record, row, document in zip(records, dataset, expected, strict=True):
        assert row["id"] == record.key and row["document"] == record.id and row["annotator"] == record.annotator
        assert list(zip(row["tokens"], [names[tag] for tag in row["ner_tags"]], strict=True)) == document, record.id
        offsets = zip(row["token_starts"], row["token_ends"], strict=True)
        assert [record.text[start:end] for start, end in offsets] == row["tokens"]
    as_conll = [p.message().replace("Hugging Face dataset", "CoNLL") for p in report.problems]
    assert as_conll == [p.message() for p in conll_report.problems]
    reasons = "".join(p.reason for p in report.problems)
    assert "Hugging Face dataset cannot hold" in reasons and "CoNLL" not in reasons  # its own name in its reasons
    assert report.summary().removeprefix("Exported") == conll_report.summary().removeprefix("Exported")
    assert report.files == [tmp_path / "hf" / DATA_FILE, tmp_path / "hf" / CARD_FILE]
    assert any(p.kind == "trimmed" for p in report.problems)  # " Person H" and the others: written trimmed


def test_an_empty_document_and_one_without_spans_are_rows_of_o_tags(tmp_path: Path) -> None:
    text = "Officials met in Rome."
    records = [DocumentRecord("empty", "", annotator="alice"), DocumentRecord("plain", text, label_set=LABELS)]
    report = write_hf(records, tmp_path / "hf", ExportOptions())

    rows = list(load(tmp_path / "hf", tmp_path))

    assert (report.documents, report.spans, report.problems) == (2, 0, [])
    assert rows[0] == {
        "id": "empty@alice",
        "document": "empty",
        "annotator": "alice",
        "tokens": [],
        "ner_tags": [],
        "token_starts": [],
        "token_ends": [],
    }
    assert rows[1]["id"] == "plain" and rows[1]["tokens"] == ["Officials", "met", "in", "Rome", "."]
    assert rows[1]["ner_tags"] == [0] * 5


def test_tag_ids_follow_the_label_set_then_other_labels_by_first_use(tmp_path: Path) -> None:
    text = 'Yang said "no" 😬 and Wang denied.'
    odd = 'q:"#\\😀\x7f'  # quotes, a colon, a backslash, an emoji and DEL: quoted in the card's YAML
    spans = spans_of(text, (0, 4, odd), (text.index("Wang"), text.index("Wang") + 4, "actor"))
    records = [DocumentRecord("a", text, spans, label_set=LABELS)]
    write_hf(records, tmp_path / "hf", ExportOptions())

    dataset = load(tmp_path / "hf", tmp_path)

    names = dataset.features["ner_tags"].feature.names
    assert names == tag_names([*LABELS.names, odd])  # unused claim, warning, denial keep their ids
    assert names[1:3] == ["B-actor", "I-actor"]
    tags = [names[tag] for tag in dataset[0]["ner_tags"]]
    assert tags[0] == f"B-{odd}" and tags[dataset[0]["tokens"].index("Wang")] == "B-actor"


def test_the_data_file_is_json_lines_and_the_card_declares_it(tmp_path: Path) -> None:
    write_hf([linked_record()], tmp_path / "hf", ExportOptions(scheme="IOBES"))  # the scheme does not apply: IOB2

    (line,) = (tmp_path / "hf" / DATA_FILE).read_text(encoding="utf-8").splitlines()
    row = json.loads(line)
    card = (tmp_path / "hf" / CARD_FILE).read_text(encoding="utf-8")

    assert row["id"] == "news/linked@alice" and row["tokens"][:2] == ["Sullivan", "warned"]
    assert row["ner_tags"][:3] == [1, 3, 4]  # B-actor (from the spans: no label set), B-warning, I-warning
    assert card.startswith("---\ndataset_info:\n") and "    path: data.jsonl\n" in card


def test_overlap_error_raises_and_writes_nothing(tmp_path: Path) -> None:
    nested = next(record for record in trap_records() if record.id == "overlap-and-nesting")
    with pytest.raises(OverlapError):
        write_hf([nested], tmp_path / "hf", ExportOptions(overlap="error"))
    assert not (tmp_path / "hf").exists()
