"""Gathering what to review: every annotator's annotation file of each document, from files, folders or projects."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from annotator.formats.records import record_id_for
from annotator.formats.sources import find_sources
from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.model.document import Document
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
    sources: per document name, the document as its first file names it (text file name, line endings).
    files: per document name, each annotator's annotation file.
    metadata: per document name, the document's metadata (imported with it: a Label Studio task's ``data`` fields,
        doccano's extra keys) from the first file that holds any; gold files made from the files carry it.
    """

    documents: list[DocumentAnnotations] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    label_sets: dict[str, LabelSet] = field(default_factory=dict)
    document_ids: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Document] = field(default_factory=dict)
    files: dict[str, dict[str, Path]] = field(default_factory=dict)
    metadata: dict[str, dict[str, Any]] = field(default_factory=dict)


def load_review_input(inputs: Sequence[str | Path], *, keep_texts: bool = True) -> ReviewInput:
    """Read the annotation files named by ``inputs`` (files, folders, projects; see
    :func:`annotator.formats.sources.find_sources`) and group them by document.

    Files of a project belong to one document when they have the same ``document_id`` (and then must hold the same
    text: a later file with another text is left out with a message naming both); files outside projects (no
    ``document_id``) belong to one document when their texts are identical (same SHA-256), and one naming the same
    text file as an earlier one but holding another text is left out with a message. A document is named after
    its ``document_id``, else its text file's name (without ``.txt``), else the annotation file's name.

    With ``keep_texts=False`` (the streaming ``agree``) each of :attr:`ReviewInput.documents` has an empty text
    and an empty tuple of spans per annotator, and :attr:`ReviewInput.sources` stays empty: every file is read once
    here (the same faults, in the same order) and read again, one document at a time, by
    :func:`iter_documents`, so memory grows with the largest document rather than with the corpus.

    Raises
    ------
    FileFault
        For an input that does not exist or holds no annotation files.
    """
    sources = find_sources(inputs)
    result = ReviewInput()
    # a project document by its id; a file outside projects by its text's hash
    groups: dict[str, tuple[str, dict[str, tuple[Span, ...]], str, dict[str, Path], str, str]] = {}
    effort: dict[str, dict[str, tuple[bool, float]]] = {}  # document name -> annotator -> (shown, seconds)
    labels: dict[str, dict[str, dict]] = {}  # document name -> annotator -> document labels
    label_sets: list[LabelSet] = []  # the distinct label sets met
    for source in sources:
        try:
            annotations = annotation_file.load(source.path)
        except FileFault as fault:
            result.faults.append(fault.message)
            continue
        text_name = Path(annotations.document.source.file_name).stem  # outside projects: the text file's name
        name = record_id_for(annotations.document_id, text_name or source.fallback_id)
        digest = annotations.document.sha256
        key = f"id:{annotations.document_id}" if annotations.document_id else f"sha256:{digest}"
        group = groups.get(key)
        if group is None and not annotations.document_id:  # outside projects: same text file name, other text?
            group = next((g for g in groups.values() if g[0] == name and not g[5]), None)
        if group is not None and group[4] != digest:
            first = next(iter(group[3].values()))
            result.faults.append(
                f"{source.path} and {first} both annotate {group[0]!r} but their texts differ; "
                f"{source.path.name} is left out (compare files of the same text)"
            )
            continue
        if group is None:
            text = annotations.document.text if keep_texts else ""
            group = groups[key] = (name, {}, text, {}, digest, annotations.document_id)
        _name, spans, _text, files, _digest, _id = group
        annotator = annotations.annotator
        if annotator in spans:
            result.faults.append(
                f"{source.path}: a second file by {annotator!r} for {_name!r} (the first is {files[annotator]}); "
                "left out"
            )
            continue
        spans[annotator] = tuple(annotations.sorted_spans())
        effort.setdefault(_name, {})[annotator] = (annotations.suggestions_shown, annotations.active_seconds)
        labels.setdefault(_name, {})[annotator] = dict(annotations.document_labels)
        files[annotator] = source.path
        if annotations.metadata and _name not in result.metadata:
            result.metadata[_name] = dict(annotations.metadata)
        known = result.label_sets.get(_name)
        if known is None:
            # one object per distinct label set, not one per file: a project's files mostly hold the same set
            interned = next((s for s in label_sets if s == annotations.label_set), None)
            if interned is None:
                interned = annotations.label_set
                label_sets.append(interned)
            result.label_sets[_name] = interned
            result.document_ids[_name] = annotations.document_id
            result.sources[_name] = annotations.document
        else:
            missing = known.missing_labels((span.label for span in spans[annotator]), annotations.label_set)
            if missing:
                result.label_sets[_name] = known.with_labels(missing)
        if not keep_texts:
            spans[annotator] = ()
            result.sources.pop(_name, None)
    for name, spans, text, files, _digest, _id in groups.values():
        result.documents.append(
            DocumentAnnotations(
                name, text, dict(spans), effort.get(name, {}), labels.get(name, {}), result.label_sets.get(name)
            )
        )
        result.files[name] = dict(files)
    return result


def iter_documents(found: ReviewInput) -> Iterator[DocumentAnnotations]:
    """Each document of ``found`` (made by :func:`load_review_input` with ``keep_texts=False``) with its text and
    every annotator's spans, read again from its files one document at a time, in the order of
    :attr:`ReviewInput.documents`: the same documents ``keep_texts=True`` gives, without holding them all.

    Raises
    ------
    FileFault
        If a file that could be read in the first pass no longer can, or now holds another text.
    """
    for slim in found.documents:
        text: str | None = None
        spans: dict[str, tuple[Span, ...]] = {}
        for annotator, path in found.files[slim.document].items():
            annotations = annotation_file.load(path)
            if text is None:
                text = annotations.document.text
            elif annotations.document.text != text:
                raise FileFault(path, "its text changed while it was being read; run the command again")
            spans[annotator] = tuple(annotations.sorted_spans())
        yield replace(slim, text=text or "", spans=spans)
