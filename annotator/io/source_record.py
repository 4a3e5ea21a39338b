"""A converted document's source record in its annotation file: ``metadata["source"]``.

The record (:class:`~annotator.io.convert.source.SourceRecord`, as :meth:`~SourceRecord.to_json` writes it) names the
original (file name or URL), its SHA-256, the converter and its version, the metadata found and what was left out.
It lives in the annotation set's ``metadata`` (annotation-file version 4: no new format version), so a file without
one, or of an earlier version, reads as before. A record that cannot be read is ignored with a notice: the file still
opens (its text is what counts); the document is then converted again and compared as a changed text would be.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annotator.io.convert.source import SourceRecord

#: The metadata key of the source record.
SOURCE_KEY = "source"


def source_record_of(metadata: Mapping[str, Any]) -> tuple[SourceRecord | None, str]:
    """``(record, notice)``: the source record in an annotation set's ``metadata`` and ``""``; ``(None, "")`` when
    there is none (or ``source`` is a plain string, an imported file's own metadata); ``(None, notice)`` when it is
    a JSON object that is not a readable record (the notice says so, in one line)."""
    data = metadata.get(SOURCE_KEY)
    if not isinstance(data, dict):
        return None, ""
    try:
        return SourceRecord.from_json(data), ""
    except ValueError as error:
        return None, f"The source record in the annotation file is ignored ({error})."


def with_source_record(metadata: Mapping[str, Any], record: SourceRecord) -> dict[str, Any]:
    """A copy of ``metadata`` with ``record`` as its source record."""
    return {**metadata, SOURCE_KEY: record.to_json()}
