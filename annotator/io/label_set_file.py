"""Reading label-set files (JSON) and the default label set shipped in ``resources/label_sets/``."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from pydantic import ValidationError

from annotator.io.errors import FileFault
from annotator.model.labels import LabelSet

DEFAULT_LABEL_SET = "attribution.json"


def parse_label_set(text: str, path: str | Path = "<memory>") -> LabelSet:
    """Validate a label set's JSON text.

    Raises
    ------
    FileFault
        On a JSON syntax error (with line and column) or an invalid label set (each fault named).
    """
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileFault(path, f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}") from error
    try:
        return LabelSet.model_validate(raw)
    except ValidationError as error:
        raise FileFault(
            path, [f"{'.'.join(map(str, e['loc'])) or 'label set'}: {e['msg']}" for e in error.errors()]
        ) from error


def load_label_set(path: str | Path) -> LabelSet:
    """Read the label-set JSON file at ``path`` (``FileFault`` if unreadable or invalid)."""
    path = Path(path)
    try:
        return parse_label_set(path.read_text(encoding="utf-8"), path)
    except (OSError, UnicodeDecodeError) as error:
        raise FileFault(path, f"could not read it ({error})") from error


def default_label_set() -> LabelSet:
    """The shipped default label set: actor (1), claim (2), warning (3), denial (4)."""
    resource = files("annotator.resources").joinpath("label_sets", DEFAULT_LABEL_SET)
    return parse_label_set(resource.read_text(encoding="utf-8"), DEFAULT_LABEL_SET)
