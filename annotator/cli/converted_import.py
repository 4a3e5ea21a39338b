"""``annotator import FILE... --format html|docx|pdf`` and ``annotator import --format url URL...``: web pages, Word
and PDF files, or pages fetched by their URL, converted (:mod:`annotator.io.convert`) into a project's documents.

Each converted text becomes ``FOLDER/<name>.txt`` and an annotation file of the importing annotator holding no span,
status in progress, and the conversion's source record in its metadata under ``"source"`` (what the app writes when
it opens such a file), so the document names its original: the file name or final URL (for a URL also in
``metadata["url"]``, :mod:`annotator.io.convert.fetched`), its SHA-256, the converter and its version, the metadata
found and what was left out. The documents are placed by
:func:`annotator.formats.importing.import_records`, as every import's are: never over another file (``<name>-2``...),
and importing the same text again changes nothing.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

from annotator.formats.parsed import ParsedRecord, RecordFault
from annotator.formats.records import METADATA_KEY
from annotator.io.convert.source import ConversionError, Converted
from annotator.project.layout import safe_file_name

#: The ``--format`` names of converted sources, and what each reads (for messages).
CONVERTED_FORMATS = {"html": "web page", "docx": "Word", "pdf": "PDF", "url": "web address"}
#: Each converted format as a message names a file of it, with its article ("a PDF file", "an HTML file").
FILE_KINDS = {"html": "an HTML", "docx": "a Word (.docx)", "pdf": "a PDF", "url": "a web address"}
#: The annotation file's metadata key holding the source record (:meth:`SourceRecord.to_json`).
SOURCE_KEY = "source"


def document_name(source: str, converted: Converted, fmt: str) -> str:
    """The name (without ``.txt``) of the document made from ``source``: a file's stem (a saved page's folder: its
    page's), a URL's page title, else the last part of its path, else its server name; made file-name safe
    (:func:`safe_file_name`); ``"document"`` when nothing is left."""
    if fmt == "url":
        parts = urllib.parse.urlsplit(source.strip())
        last = PurePosixPath(urllib.parse.unquote(parts.path)).stem
        candidates = [converted.source.metadata.get("title", ""), last, parts.hostname or ""]
    else:
        from annotator.io.convert.registry import page_file

        candidates = [page_file(source).stem]
    for candidate in candidates:
        if name := safe_file_name(candidate):
            return name
    return "document"


def convert_one(source: str, fmt: str) -> Converted:
    """The text and source record of ``source`` (a file or saved page's folder, or a URL for ``fmt == "url"``),
    converted in the sandbox. Blocks.

    Raises
    ------
    ConversionError
        Naming ``source``: it does not exist, is not a ``fmt`` file (by its suffix), or the converter's or the
        fetch's refusal.
    """
    if fmt == "url":
        from annotator.io.convert.fetched import fetch_and_convert

        return fetch_and_convert(source).converted
    from annotator.io.convert.registry import convert_file, converter_for, page_file

    path = Path(source)
    if not path.exists():
        raise ConversionError(source, "does not exist")
    if path.is_dir() and fmt != "html":
        raise ConversionError(source, f"a folder, not a {CONVERTED_FORMATS[fmt]} file")
    kind = converter_for(page_file(path)).kind
    if kind != fmt:
        raise ConversionError(
            source, f"{FILE_KINDS[kind]} file by its name, not {FILE_KINDS[fmt]} file (give it with --format {kind})"
        )
    return convert_file(path)


def converted_records(sources: Sequence[str], fmt: str) -> Iterator[ParsedRecord | RecordFault]:
    """One record per source, in order, for :func:`annotator.formats.importing.import_records`: the converted text,
    marked annotated (so its annotation file holds the source record), with no span; or a :class:`RecordFault`
    ``"<source>: <reason>"`` for a source that cannot be converted. Converts lazily, one source per item."""
    for source in sources:
        try:
            converted = convert_one(source, fmt)
        except ConversionError as error:
            yield RecordFault(source, error.reason)
            continue
        metadata = {SOURCE_KEY: converted.source.to_json()}
        name = document_name(source, converted, fmt)
        yield ParsedRecord(source, name, converted.text, meta={METADATA_KEY: metadata}, annotated=True)
