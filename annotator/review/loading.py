"""Gathering what to review: every annotator's annotation file of each document, from files, folders or projects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.formats.records import record_id_for
from annotator.formats.sources import find_sources
from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.model.labels import LabelSet
from annotator.model.span import Span
from annotator.review.units import DocumentAnnotations


@dataclass
class ReviewInput:
    """The documents found, and what could not be used.

    Attributes
    ----------
    documents: one :class:`DocumentAnnotations` per document (by the SHA-256 of its text), in the order first met.
    faults: one plain-text message per file left out: unreadable, a second file by the same annotator for one
        document, or a file whose document has the same name as another's but a different text.
    label_sets: per document name, the first file's label set with the labels of the other files' spans added
        (for a gold file that holds any of them).
    document_ids: per document name, the project document id of its first file (``""`` outside projects).
    """

    documents: list[DocumentAnnotations] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    label_sets: dict[str, LabelSet] = field(default_factory=dict)
    document_ids: dict[str, str] = field(default_factory=dict)


def load_review_input(inputs: Sequence[str | Path]) -> ReviewInput:
    """Read the annotation files named by ``inputs`` (files, folders, projects; see
    :func:`annotator.formats.sources.find_sources`) and group them by document.

    Files belong to one document when their texts are identical (same SHA-256); the document is named after the
    first file's ``document_id``, else its text file's name (without ``.txt``), else the annotation file's name.
    Two files that name the same document but hold different texts are not compared: the later one is left out with
    a message naming both.

    Raises
    ------
    FileFault
        For an input that does not exist or holds no annotation files.
    """
    sources = find_sources(inputs)
    result = ReviewInput()
    by_hash: dict[str, tuple[str, dict[str, tuple[Span, ...]], str, dict[str, Path]]] = {}
    hash_of_name: dict[str, tuple[str, Path]] = {}
    for source in sources:
        try:
            annotations = annotation_file.load(source.path)
        except FileFault as fault:
            result.faults.append(fault.message)
            continue
        text_name = Path(annotations.document.source.file_name).stem  # outside projects: the text file's name
        name = record_id_for(annotations.document_id, text_name or source.fallback_id)
        digest = annotations.document.sha256
        earlier = hash_of_name.get(name)
        if earlier is not None and earlier[0] != digest and digest not in by_hash:
            result.faults.append(
                f"{source.path} and {earlier[1]} both annotate {name!r} but their texts differ; "
                f"{source.path.name} is left out (compare files of the same text)"
            )
            continue
        hash_of_name.setdefault(name, (digest, source.path))
        entry = by_hash.setdefault(digest, (name, {}, annotations.document.text, {}))
        _name, spans, _text, files = entry
        annotator = annotations.annotator
        if annotator in spans:
            result.faults.append(
                f"{source.path}: a second file by {annotator!r} for {_name!r} (the first is {files[annotator]}); "
                "left out"
            )
            continue
        spans[annotator] = tuple(annotations.sorted_spans())
        files[annotator] = source.path
        known = result.label_sets.get(_name)
        if known is None:
            result.label_sets[_name] = annotations.label_set
            result.document_ids[_name] = annotations.document_id
        else:
            missing = known.missing_labels((span.label for span in spans[annotator]), annotations.label_set)
            if missing:
                result.label_sets[_name] = known.with_labels(missing)
    for name, spans, text, _files in by_hash.values():
        result.documents.append(DocumentAnnotations(name, text, dict(spans)))
    return result
