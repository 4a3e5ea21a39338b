"""What the app's suggesters learn from a project: the spans (and, for the model, the texts) of the annotation files
of the project's other documents (the open document's own spans are learned live, from the annotation set, not from
its file).

Whose files (:data:`LEARN_FROM`): ``"mine"`` (the annotator's own, the default: suggestions then echo only the
analyst's own decisions, as in INCEpTION), ``"everyone"`` (every annotator's, gold files left out) or ``"gold"`` (the
adjudicated gold files). Files are read once and kept by their modification time and size, so learning again after a
save or a switch of document reads only the files that changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.model.span import Span
from annotator.project.layout import Project
from annotator.review.majority import GOLD_ANNOTATOR
from annotator.suggest.vocabulary import Vocabulary

LEARN_FROM = ("mine", "everyone", "gold")
"""Whose annotation files the app learns from."""


@dataclass
class ProjectLearning:
    """The spans a project teaches, read from its annotation files and kept between calls.

    Attributes
    ----------
    project: the project.
    annotator: the analyst (whose files ``"mine"`` means).
    learn_from: one of :data:`LEARN_FROM` (an unknown value reads as ``"mine"``).
    unreadable: the files that could not be read at the last :meth:`vocabulary` (each with its one-line fault).
    """

    project: Project
    annotator: str
    learn_from: str = "mine"
    unreadable: list[str] = field(default_factory=list)
    _read: dict[Path, tuple[tuple[int, int], str, tuple[Span, ...]]] = field(default_factory=dict)

    def files(self, leave_out: str | None = None) -> list[tuple[str, Path]]:
        """``(document id, annotation file)`` of every existing file learned from, the document ``leave_out``'s
        left out."""
        if self.learn_from == "gold":
            annotators = [GOLD_ANNOTATOR]
        elif self.learn_from == "everyone":
            annotators = [a for a in self.project.annotators() if a != GOLD_ANNOTATOR]
        else:
            annotators = [self.annotator]
        found = []
        for document_id in self.project.document_ids():
            if document_id == leave_out:
                continue
            for annotator in annotators:
                path = self.project.annotation_path(document_id, annotator)
                if path.is_file():
                    found.append((document_id, path))
        return found

    def vocabulary(self, leave_out: str | None = None) -> Vocabulary:
        """A new vocabulary of the spans of :meth:`files` (source "this project"); files that cannot be read are
        skipped and listed in :attr:`unreadable`."""
        vocabulary = Vocabulary()
        self.unreadable = []
        for _document_id, path in self.files(leave_out):
            read = self._read_file(path)
            if read is not None:
                vocabulary.learn_spans(read[1], "this project")
        return vocabulary

    def documents(self, leave_out: str | None = None) -> list[tuple[str, str, tuple[Span, ...]]]:
        """``(document id, exact text, spans)`` of each file of :meth:`files` (the model's training documents; offsets
        are code points into that text); files that cannot be read are skipped and listed in :attr:`unreadable`."""
        self.unreadable = []
        found = []
        for document_id, path in self.files(leave_out):
            read = self._read_file(path)
            if read is not None:
                found.append((document_id, *read))
        return found

    def _read_file(self, path: Path) -> tuple[str, tuple[Span, ...]] | None:
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            known = self._read.get(path)
            if known is not None and known[0] == stamp:
                return known[1], known[2]
            annotations = annotation_file.load(path)
            text, spans = annotations.text, tuple(annotations)
        except OSError as error:
            self.unreadable.append(f"{path}: {error.strerror or error}")
            return None
        except FileFault as fault:
            self.unreadable.append(fault.message)
            return None
        self._read[path] = (stamp, text, spans)
        return text, spans
