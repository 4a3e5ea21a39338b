"""What the app's suggester learns from a project: the spans of the annotation files of the project's other
documents (the open document's own spans are learned live, from the annotation set, not from its file).

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
    _read: dict[Path, tuple[tuple[int, int], tuple[Span, ...]]] = field(default_factory=dict)

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
            spans = self._spans(path)
            if spans is not None:
                vocabulary.learn_spans(spans, "this project")
        return vocabulary

    def _spans(self, path: Path) -> tuple[Span, ...] | None:
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            known = self._read.get(path)
            if known is not None and known[0] == stamp:
                return known[1]
            spans = tuple(annotation_file.load(path))
        except OSError as error:
            self.unreadable.append(f"{path}: {error.strerror or error}")
            return None
        except FileFault as fault:
            self.unreadable.append(fault.message)
            return None
        self._read[path] = (stamp, spans)
        return spans
