"""Label-set files (JSON or TOML) and the default label set shipped in ``resources/label_sets/``.

Both formats hold the same fields as :class:`annotator.model.labels.LabelSet`. JSON::

    {"name": "attribution", "version": "2",
     "labels": [{"name": "actor", "color": "#0072b2", "hotkey": "1", "description": "...", "examples": ["..."]}],
     "relation_types": [{"name": "source", "description": "...", "from_labels": ["claim"], "to_labels": ["actor"]}]}

TOML (``.toml`` files)::

    name = "attribution"
    version = "2"

    [[labels]]
    name = "actor"
    color = "#0072b2"
    hotkey = "1"
    description = \"\"\"Guidelines, several paragraphs...\"\"\"
    examples = ["..."]

    [[relation_types]]
    name = "source"
    from_labels = ["claim"]
    to_labels = ["actor"]
"""

from __future__ import annotations

import json
import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from annotator.io.atomic import atomic_write_text
from annotator.io.errors import FileFault
from annotator.model.labels import LabelSet

DEFAULT_LABEL_SET = "attribution.json"
#: Largest label-set file read, in bytes (1 MiB); a real one is a few kilobytes.
MAX_LABEL_SET_BYTES = 1024 * 1024

LabelSetFormat = Literal["json", "toml"]


def _location(loc: tuple[Any, ...]) -> str:
    """``("labels", 2, "color")`` -> ``"labels[2].color"``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "label set"


_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true/false"}


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object that refuses a repeated key (``json`` would silently keep the last one)."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _too_big(size: int) -> str:
    return (
        f"too large for a label-set file ({size:,} bytes; the limit is {MAX_LABEL_SET_BYTES:,} bytes, 1 MB): "
        "is it the right file?"
    )


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


def parse_label_set(text: str, path: str | Path = "<memory>", *, fmt: LabelSetFormat = "json") -> LabelSet:
    """Validate a label set's JSON or TOML text.

    Parameters
    ----------
    text: the file's content.
    path: the file it came from, named in error messages.
    fmt: ``"json"`` or ``"toml"``.

    Raises
    ------
    FileFault
        If the text is over :data:`MAX_LABEL_SET_BYTES` as UTF-8; on a JSON or TOML syntax error (with line and
        column) or a repeated JSON key; if the top level is not an object/table; or on an invalid label set, naming
        each fault with its location (``labels[2].color: color must be #rrggbb, not 'red'``).
    ValueError
        If ``fmt`` is neither ``"json"`` nor ``"toml"``.
    """
    if fmt not in ("json", "toml"):
        raise ValueError(f"unknown label-set format {fmt!r} (expected 'json' or 'toml')")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_LABEL_SET_BYTES:
        raise FileFault(path, _too_big(size))
    if fmt == "toml":
        try:
            raw: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:  # its message ends "(at line L, column C)"
            raise FileFault(path, f"not valid TOML: {error}") from error
    else:
        try:
            raw = json.loads(text, object_pairs_hook=_json_object)
        except json.JSONDecodeError as error:
            raise FileFault(path, f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from error
        except (ValueError, RecursionError) as error:  # a repeated key, huge integers, absurd nesting
            raise FileFault(path, f"not valid JSON: {str(error)[:200]}") from error
        if not isinstance(raw, dict):
            found = _JSON_TYPES.get(type(raw), "null")
            raise FileFault(path, f"expected a JSON object at the top level, found {found}")
        if _has_lone_surrogate(raw):
            raise FileFault(path, "contains a lone surrogate escape (\\ud800-\\udfff), which is not valid text")
    try:
        return LabelSet.model_validate(raw)
    except ValidationError as error:
        raise FileFault(
            path, [f"{_location(e['loc'])}: {e['msg'].removeprefix('Value error, ')}" for e in error.errors()]
        ) from error


def format_for(path: str | Path) -> LabelSetFormat:
    """``"toml"`` for a ``.toml`` file name (any case), else ``"json"``."""
    return "toml" if Path(path).suffix.lower() == ".toml" else "json"


def load_label_set(path: str | Path) -> LabelSet:
    """Read the label-set file at ``path``: TOML if its name ends in ``.toml``, else JSON (see :func:`parse_label_set`).

    The file must be UTF-8 (a byte-order mark is allowed) and at most :data:`MAX_LABEL_SET_BYTES` long.

    Raises
    ------
    FileFault
        If the file cannot be read, is too large, is not UTF-8, or is invalid; the message names the file and each
        fault.
    """
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_LABEL_SET_BYTES + 1)
    except OSError as error:
        raise FileFault(path, f"could not read it ({error.strerror or error})") from error
    if len(data) > MAX_LABEL_SET_BYTES:
        try:
            size = max(path.stat().st_size, len(data))
        except OSError:
            size = len(data)
        raise FileFault(path, _too_big(size))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileFault(path, f"not UTF-8 ({error})") from error
    return parse_label_set(text, path, fmt=format_for(path))


def label_set_to_json(label_set: LabelSet) -> str:
    """The JSON text of ``label_set`` in the label-set file shape (two-space indent, newline-terminated, UTF-8 text
    kept as is); :func:`parse_label_set` reads it back to an equal set."""
    return json.dumps(label_set.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def label_set_to_toml(label_set: LabelSet) -> str:
    """The TOML text of ``label_set`` in the label-set file shape (see the module docstring; multi-line guidelines as
    multi-line strings), written with `tomli-w <https://github.com/hukkin/tomli-w>`_; :func:`parse_label_set` reads it
    back to an equal set."""
    import tomli_w  # only when a TOML file is written

    return tomli_w.dumps(label_set.model_dump(mode="json"), multiline_strings=True)


def save_label_set(label_set: LabelSet, path: str | Path) -> None:
    """Write ``label_set`` to ``path`` atomically, as TOML for a ``.toml`` name (any case), else as JSON.

    Raises
    ------
    FileFault
        If the file cannot be written; the old file is left intact.
    """
    text = label_set_to_toml(label_set) if format_for(path) == "toml" else label_set_to_json(label_set)
    atomic_write_text(path, text)


def default_label_set() -> LabelSet:
    """The shipped default label set ``attribution``: actor (1), claim (2), warning (3), denial (4), with guidelines,
    examples, and the relation types ``source`` and ``target`` (from a statement to an actor)."""
    resource = files("annotator.resources").joinpath("label_sets").joinpath(DEFAULT_LABEL_SET)  # one name a call: 3.11
    return parse_label_set(resource.read_text(encoding="utf-8"), DEFAULT_LABEL_SET)
