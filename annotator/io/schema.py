"""Writes the annotation file's JSON Schema: ``python -m annotator.io.schema [OUT]``
(default ``schema/annotation-file.schema.json``). A test checks the committed copy is current."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from annotator.io.annotation_file import json_schema

DEFAULT_OUT = Path("schema") / "annotation-file.schema.json"


def schema_text() -> str:
    """The schema as indented JSON text, newline-terminated."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the schema to ``argv[0]`` or the default path; returns 0."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_OUT
    out.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
