"""The text cache: a converted document's text kept until it is annotated, so opening it again converts nothing.

Once a document has an annotation file, that file holds its exact text (and the source record says which file it was
made from): the cache is for documents not annotated yet, and it is an optimisation only. An entry that cannot be
read, or holds something else than its name promises, is ignored (and written anew by the next conversion); a cache
that cannot be written changes nothing but the time the next opening takes.

An entry is ``<cache folder>/<key>.json``, the key the SHA-256 of the source's SHA-256, the converter's kind, its
library and that library's version, and annotator's own version (its code shapes the text too), so a newer converter
converts again (an unannotated text may change; an annotated one never does, see :mod:`annotator.io.opening`). The
entry holds ``{"text", "source"}`` (:meth:`SourceRecord.to_json`), written atomically.

The folder is ``$ANNOTATOR_CACHE_DIR`` when set (tests), else ``platformdirs.user_cache_dir("annotator")/converted``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import platformdirs

from annotator import __version__
from annotator.io.atomic import atomic_write_bytes
from annotator.io.convert.registry import convert_file, converter_for, page_file
from annotator.io.convert.source import ConversionError, Converted, SourceRecord, sha256_hex
from annotator.io.errors import FileFault

#: The library each kind of converter uses (its distribution name, whose version is part of the key).
LIBRARIES = {"html": "trafilatura", "url": "trafilatura", "docx": "python-docx", "pdf": "pypdf"}


URL = "url"
#: The record kinds an entry of a converter's kind may hold: a saved page's entry may be the fetch that saved it.
_RECORDS_OF = {"html": ("html", URL)}


def cache_dir() -> Path:
    """The cache folder: ``$ANNOTATOR_CACHE_DIR`` when set, else ``user_cache_dir("annotator")/converted``."""
    override = os.environ.get("ANNOTATOR_CACHE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_cache_dir("annotator", appauthor=False)) / "converted"


def library_version(kind: str) -> str:
    """``"<library> <version>"`` of the converter of ``kind`` (``"html"``...), read from the installed package's
    metadata (nothing is imported); ``"<library> ?"`` when it is not installed, ``""`` for an unknown kind."""
    library = LIBRARIES.get(kind)
    if library is None:
        return ""
    try:
        return f"{library} {version(library)}"
    except PackageNotFoundError:
        return f"{library} ?"


def entry_path(sha256: str, kind: str) -> Path:
    """The cache entry of a source with hex SHA-256 ``sha256`` converted by the converter of ``kind``."""
    key = "\n".join((sha256, kind, library_version(kind), __version__))
    return cache_dir() / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()}.json"


def cached(sha256: str, kind: str, name: str) -> Converted | None:
    """The cached conversion of the source with SHA-256 ``sha256`` by the converter of ``kind``, its record named
    ``name`` (the file as it is called now); ``None`` when there is none, or the entry is unreadable or does not
    match (a corrupt entry is never an error)."""
    try:
        data = json.loads(entry_path(sha256, kind).read_bytes())
        text = data["text"]
        source = SourceRecord.from_json(data["source"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    if not isinstance(text, str) or source.sha256 != sha256 or source.kind not in _RECORDS_OF.get(kind, (kind,)):
        return None
    if source.kind == URL:  # a fetched page: its record names the URL it came from, kept as it is
        return Converted(text, source, from_cache=True)
    return Converted(text, dataclasses.replace(source, name=name), from_cache=True)


def store(converted: Converted, kind: str | None = None) -> None:
    """Keep ``converted`` in the cache (atomically) as the conversion of its source's bytes by the converter of
    ``kind`` (default: its record's kind; a page fetched by URL and saved unchanged is stored as ``"html"``, so
    opening the saved file finds the record naming its URL); a cache that cannot be written is left alone,
    silently."""
    source = converted.source
    record = {"text": converted.text, "source": source.to_json()}
    data = json.dumps(record).encode("ascii")  # escapes: any text, even one a converter got wrong, fits
    with contextlib.suppress(OSError, FileFault):
        path = entry_path(source.sha256, kind or source.kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)


def convert_cached(
    path: str | Path,
    *,
    data: bytes | None = None,
    convert: Callable[[Path], Converted] | None = None,
) -> Converted:
    """The text and source record of the file ``path`` (or a saved page's folder): from the cache when the file's
    bytes were converted before by the same converter version, else converted (``convert``, default
    :func:`~annotator.io.convert.registry.convert_file` with its limits: a child process, blocking) and cached.
    ``data``: the file's bytes when already read (to hash them).

    Raises
    ------
    ConversionError
        As :func:`~annotator.io.convert.registry.convert_file` (``source`` the path as given).
    """
    page = page_file(path)
    kind = converter_for(page).kind
    if data is None:
        try:
            data = page.read_bytes()
        except OSError as error:
            raise ConversionError(path, f"cannot be read: {error.strerror or error}") from None
    found = cached(sha256_hex(data), kind, page.name)
    if found is not None:
        return found
    converted = (convert or convert_file)(Path(path))
    store(converted)
    return converted
