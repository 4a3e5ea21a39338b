"""The exchange formats, by name: what each writes and reads, and which export options apply to it.

Format modules are imported only when used, so the command line starts fast and spaCy loads only for ``spacy``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.formats.options import ExportOptions, ImportOptions
from annotator.formats.parsed import ParsedRecord, RecordFault
from annotator.formats.records import DocumentRecord
from annotator.formats.report import ExportReport


@dataclass(frozen=True)
class Format:
    """One exchange format.

    Attributes
    ----------
    name: its name on the command line (``"conll"``).
    title: its name for people (``"CoNLL (IOB tags)"``).
    suffix: the usual suffix of the file written (``".conll"``), ``""`` for formats that write a folder.
    writes_folder: whether the export is a folder (brat, Hugging Face) rather than one file.
    module: the module in :mod:`annotator.formats` holding ``write_<x>`` (and ``read_<x>`` when importable).
    importable: whether :meth:`read` exists.
    options: the :class:`ExportOptions` fields that matter for it (``"overlap"``, ``"snap"``, ``"scheme"``,
        ``"spacy_lang"``).
    function: the ``<x>`` of ``write_<x>`` / ``read_<x>`` when it differs from ``module``.
    import_options: the :class:`ImportOptions` fields that matter for its reader (``"word_column"``,
        ``"tag_column"``, ``"scheme"``, ``"offsets"``, ``"empty"``).
    holds_metadata: whether it writes a document's metadata (:attr:`DocumentRecord.metadata`); for the others
        :func:`annotator.formats.exporting.export` reports each document whose metadata is left out.
    holds: what it writes of suggestions (:data:`SUGGESTION_PARTS`): ``"origins"`` (whether a span was made by hand
        or accepted from a suggestion, as is or edited), ``"suggesters"`` (the suggester and score of such spans),
        ``"suggestions"`` (pending suggestions with their reasons and links), ``"rejected"`` (rejected suggestions),
        ``"effort"`` (whether suggestions were shown and the active annotation time); for each part missing
        :func:`annotator.formats.exporting.export` reports, once per export, how many were left out. It also lists
        the parts of annotations it writes (:data:`ANNOTATION_PARTS`): ``"attributes"`` (span attribute values),
        ``"entities"`` (a span's entity id: the actor it is a mention of), ``"document_labels"``; for each part
        missing :func:`annotator.formats.exporting.export` reports every span (by its attributes or entity) or
        document (by its labels) concerned. Link attributes go with links: a format holding links either writes
        their attributes (JSONL, spaCy) or reports them link by link itself (brat, Label Studio); one without links
        (CoNLL, doccano, CSV, Hugging Face) reports each link, attributes and all.
    one_line_per_record: whether each record is one line of the file written (doccano, Hugging Face's
        ``data.jsonl``): the reports of :func:`annotator.formats.exporting.export` then give the record's line.
    """

    name: str
    title: str
    suffix: str
    writes_folder: bool
    module: str
    importable: bool
    options: tuple[str, ...] = ()
    function: str = ""
    import_options: tuple[str, ...] = ()
    holds_metadata: bool = False
    holds: tuple[str, ...] = ()
    one_line_per_record: bool = False

    def _function(self, prefix: str) -> Callable[..., Any]:
        module = importlib.import_module(f"annotator.formats.{self.module}")
        return getattr(module, f"{prefix}_{self.function or self.module}")

    def write(self, records: Iterable[DocumentRecord], out: Path, options: ExportOptions) -> ExportReport:
        """Export ``records`` to ``out`` (a file, or a folder when :attr:`writes_folder`); see the format module.

        Raises
        ------
        FileFault
            If something cannot be written (or spaCy is missing, for ``spacy``).
        OverlapError
            With ``options.overlap == "error"`` when spans overlap (CoNLL, spaCy, Hugging Face).
        """
        return self._function("write")(records, Path(out), options)

    def read(self, path: Path, options: ImportOptions | None = None) -> Iterator[ParsedRecord | RecordFault]:
        """The records of the file (or brat folder) ``path``, unchecked (see
        :func:`annotator.formats.checking.check_record`), read with ``options`` (default: :class:`ImportOptions`).

        Raises
        ------
        FileFault
            If the input as a whole cannot be read.
        ValueError
            For a format that cannot be imported.
        """
        if not self.importable:
            raise ValueError(f"{self.title} files cannot be imported")
        return self._function("read")(Path(path), options or ImportOptions())


#: What of suggestions a format may hold (see :attr:`Format.holds`), in the order reports name them.
SUGGESTION_PARTS = ("origins", "suggesters", "suggestions", "rejected", "effort")
#: What of annotations beyond spans and links a format may hold (see :attr:`Format.holds`).
ANNOTATION_PARTS = ("attributes", "entities", "document_labels")

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "jsonl",
            "JSONL (one document per line)",
            ".jsonl",
            False,
            "jsonl",
            True,
            holds_metadata=True,
            holds=SUGGESTION_PARTS + ANNOTATION_PARTS,
        ),
        Format(
            "conll",
            "CoNLL (IOB tags)",
            ".conll",
            False,
            "conll",
            True,
            ("overlap", "snap", "scheme"),
            import_options=("word_column", "tag_column", "scheme"),
        ),
        Format("brat", "brat standoff (.txt + .ann)", "", True, "brat", True, holds=("origins", *ANNOTATION_PARTS)),
        Format(
            "label-studio",
            "Label Studio JSON",
            ".json",
            False,
            "label_studio",
            True,
            import_options=("offsets",),
            holds_metadata=True,
            # no room for rejected suggestions
            holds=("origins", "suggesters", "suggestions", "effort", *ANNOTATION_PARTS),
        ),
        Format(
            "doccano",
            "doccano JSONL",
            ".jsonl",
            False,
            "doccano",
            True,
            import_options=("empty",),
            holds_metadata=True,
            one_line_per_record=True,
        ),
        Format(
            "csv",
            "CSV (one row per span)",
            ".csv",
            False,
            "csv_table",
            False,
            function="csv",
            holds=("origins", "suggesters", *ANNOTATION_PARTS),
        ),
        Format(
            "spacy",
            "spaCy DocBin",
            ".spacy",
            False,
            "spacy_docbin",
            False,
            ("overlap", "snap", "spacy_lang"),
            "spacy",
            holds_metadata=True,  # the record's meta in doc.user_data
            # suggestions in doc.user_data (the record's meta holds the effort), document labels in doc.cats too
            holds=SUGGESTION_PARTS + ANNOTATION_PARTS,
        ),
        Format(
            "hf",
            "Hugging Face dataset (token classification)",
            "",
            True,
            "hf_dataset",
            False,
            ("overlap", "snap"),
            "hf",
            one_line_per_record=True,
        ),
    )
}
EXPORT_FORMATS = list(FORMATS)
IMPORT_FORMATS = [name for name, f in FORMATS.items() if f.importable]


def get_format(name: str) -> Format:
    """The format called ``name``. ``ValueError`` (naming the known formats) for any other name."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}") from None
