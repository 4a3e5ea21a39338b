"""Hugging Face token classification: a dataset folder that ``datasets.load_dataset(folder)`` loads with its features.

Written without the ``datasets`` package (it is not a dependency of the app): JSON lines plus a dataset card whose
YAML header declares the features and the data file, as the Hub's dataset cards do
(https://huggingface.co/docs/hub/datasets-cards, https://huggingface.co/docs/datasets/repository_structure)::

    OUT/README.md     the dataset card: YAML ``dataset_info.features`` (``ner_tags`` a sequence of ``ClassLabel``
                      with the tag names) and ``configs`` (split ``train`` = ``data.jsonl``), then a short description
    OUT/data.jsonl    one record (document and annotator) per line:

    {"id": "news/a@alice", "document": "news/a", "annotator": "alice",
     "tokens": ["Sullivan", "warned", "China", "."], "ner_tags": [1, 3, 4, 0],
     "token_starts": [0, 9, 16, 21], "token_ends": [8, 15, 21, 22]}

- ``id``: the record's key (``document@annotator``, or the document alone without an annotator); ``document`` and
  ``annotator`` apart.
- ``tokens`` and ``ner_tags``: the tokens of the CoNLL export (:mod:`annotator.formats.tokens`) and their IOB2 tags,
  from the same code path (:func:`annotator.formats.conll.tag_record`: whitespace trimmed, ``options.snap`` and
  ``options.overlap`` apply, and the same problems are reported), one row per document (not per sentence).
- ``ner_tags`` are ids into the ``ClassLabel`` names ``O``, then ``B-label`` and ``I-label`` for every label of the
  records' label sets in label-set order (used or not, so ids are the same in every export with that label set),
  then for any other label written, in order of first use.
- ``token_starts`` and ``token_ends``: each token's offsets, Unicode code points into the document's exact text
  (``text[start:end] == token``), to map predictions back.
- Span attributes, entities and document labels are not written (a token-classification row has no place for
  them): :func:`annotator.formats.exporting.export` reports each span and document concerned, with its line of
  ``data.jsonl``.

JSON lines are UTF-8 with U+0085, U+2028 and U+2029 escaped (:func:`annotator.formats.jsonl.json_line`). An export
of no records writes an empty ``data.jsonl``, which ``datasets`` refuses to load (its split "corresponds to no data").
Checked with ``datasets`` 3.0 and 5.2.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from collections.abc import Iterable
from pathlib import Path

from annotator.formats.conll import tag_record
from annotator.formats.files import make_folder, write_text
from annotator.formats.jsonl import json_line
from annotator.formats.options import ExportOptions
from annotator.formats.records import DocumentRecord
from annotator.formats.report import ExportReport
from annotator.io.atomic import atomic_write_text, atomic_writer

FORMAT_NAME = "hf"
DATA_FILE = "data.jsonl"
CARD_FILE = "README.md"
SPLIT = "train"

# Characters a YAML double-quoted scalar may not hold raw (non-printable, or line breaks it would fold into spaces).
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def tag_names(labels: Iterable[str]) -> list[str]:
    """The ``ClassLabel`` names for ``labels`` (in the order given): ``["O", "B-actor", "I-actor", ...]``."""
    names = ["O"]
    for label in labels:
        names += [f"B-{label}", f"I-{label}"]
    return names


def write_hf(records: Iterable[DocumentRecord], out: Path, options: ExportOptions) -> ExportReport:
    """Write ``records`` into the folder ``out`` as a Hugging Face token-classification dataset (layout in the module
    docstring). ``options.scheme`` is ignored: tags are IOB2.

    Returns
    -------
    ExportReport
        ``files == [out/data.jsonl, out/README.md]``; ``spans`` the entities written; ``problems`` as the CoNLL
        export reports them.

    Raises
    ------
    OverlapError
        With ``options.overlap == "error"`` when aligned spans overlap (nothing is written).
    FileFault
        If the folder or a file cannot be written.
    """
    options = dataclasses.replace(options, scheme="IOB2")
    out = Path(out)
    report = ExportReport(FORMAT_NAME)
    ids = {"O": 0}  # tag name -> id, made as labels are met: an id never changes once given (docstring's order)
    created = not out.exists()
    make_folder(out)
    data, card = out / DATA_FILE, out / CARD_FILE
    try:
        _write_rows(records, options, ids, data, report)
    except BaseException:
        if created:  # a failed export leaves no empty folder behind
            with contextlib.suppress(OSError):
                out.rmdir()
        raise
    names = list(ids)
    atomic_write_text(card, dataset_card(names, report.documents))
    report.files += [data, card]
    return report


def _write_rows(
    records: Iterable[DocumentRecord], options: ExportOptions, ids: dict[str, int], data: Path, report: ExportReport
) -> None:
    """Write ``data.jsonl``, one record at a time, adding the labels met to ``ids`` and counting in ``report``."""
    with atomic_writer(data) as file:  # each record written before the next is read: memory stays flat
        for record in records:
            if record.label_set is not None:
                _add_labels(ids, record.label_set.names)
            tagged = tag_record(record, options, "Hugging Face dataset")
            _add_labels(ids, (span.label for span in tagged.spans))
            row = {
                "id": record.key,
                "document": record.id,
                "annotator": record.annotator,
                "tokens": [token.text for token in tagged.tokens],
                "ner_tags": [ids[tag] for tag in tagged.tags],
                "token_starts": [token.start for token in tagged.tokens],
                "token_ends": [token.end for token in tagged.tokens],
            }
            write_text(file, data, json_line(row) + "\n")
            report.documents += 1
            report.spans += len(tagged.spans)
            report.problems.extend(tagged.problems)


def _add_labels(ids: dict[str, int], labels: Iterable[str]) -> None:
    for label in labels:
        if f"B-{label}" not in ids:
            ids[f"B-{label}"] = len(ids)
            ids[f"I-{label}"] = len(ids)


def _yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: JSON's quoting (JSON strings are YAML), characters YAML may not hold
    raw escaped as ``\\uXXXX``."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def dataset_card(names: list[str], documents: int) -> str:
    """The ``README.md`` dataset card: YAML header with the features (``ner_tags`` a ``ClassLabel`` of ``names``)
    and the data file, then a short description of the columns."""
    header = [
        "---",
        "dataset_info:",
        "  features:",
        "  - name: id",
        "    dtype: string",
        "  - name: document",
        "    dtype: string",
        "  - name: annotator",
        "    dtype: string",
        "  - name: tokens",
        "    sequence: string",
        "  - name: ner_tags",
        "    sequence:",
        "      class_label:",
        "        names:",
        *(f"          {_yaml_string(str(index))}: {_yaml_string(name)}" for index, name in enumerate(names)),
        "  - name: token_starts",
        "    sequence: int64",
        "  - name: token_ends",
        "    sequence: int64",
        "configs:",
        "- config_name: default",
        "  data_files:",
        f"  - split: {SPLIT}",
        f"    path: {DATA_FILE}",
        "task_categories:",
        "- token-classification",
        "---",
    ]
    body = f"""
# Token classification (IOB2), exported by annotator

{documents} document{"" if documents == 1 else "s"} (one row per document and annotator) in `{DATA_FILE}`. Load it
with `datasets.load_dataset("path/to/this/folder")`.

- `tokens`: whitespace is never part of a token; a word is a run of letters, marks and digits; any other character
  (punctuation, an emoji sequence, a Chinese or Japanese character) is a token of its own.
- `ner_tags`: IOB2 tags as ids into the `ClassLabel` names of the header (`O`, then `B-` and `I-` for each label).
- `token_starts`, `token_ends`: each token's offsets in Unicode code points into the document's exact text.
- `id`: `document@annotator`.
"""
    return "\n".join(header) + "\n" + body
