"""The command-line options that say how to read a dataset file (``import`` and ``validate --format``)."""

from __future__ import annotations

import argparse
from typing import get_args

from annotator.formats.options import EmptyRecords, ImportOptions, ImportScheme, OffsetUnit
from annotator.formats.registry import Format

#: option on the command line -> the :class:`ImportOptions` field it sets
_FLAGS = {
    "--word-column": "word_column",
    "--tag-column": "tag_column",
    "--scheme": "scheme",
    "--offsets": "offsets",
    "--empty": "empty",
}


def _column(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a column number (1, 2, ...), not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"columns are counted from 1, not {number}")
    return number


def _columns(value: str) -> int | tuple[int, ...]:
    """``"3"`` as 3, ``"3,4"`` as ``(3, 4)``: the tag column, or several (nested entities)."""
    parts = [part.strip() for part in value.split(",")]
    if "" in parts:
        raise argparse.ArgumentTypeError(f"a column number is missing in {value!r} (N, or N,N as 3,4)")
    columns = tuple(_column(part) for part in parts)
    if len(set(columns)) != len(columns):
        raise argparse.ArgumentTypeError(f"a column is named twice in {value!r}")
    return columns[0] if len(columns) == 1 else columns


def add_reading_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--word-column``, ``--tag-column``, ``--scheme``, ``--offsets`` and ``--empty`` to ``parser``."""
    group = parser.add_argument_group("how to read the file")
    group.add_argument(
        "--word-column", type=_column, metavar="N", help="CoNLL: the word's column (1-based; default: detected)"
    )
    group.add_argument(
        "--tag-column",
        type=_columns,
        metavar="N[,N]",
        help="CoNLL: the tag's column (1-based; default: detected); several (3,4) read nested entities from each",
    )
    group.add_argument(
        "--scheme",
        choices=get_args(ImportScheme),
        help="CoNLL: the tag scheme (default: IOB2, with IOBES tags read too)",
    )
    group.add_argument(
        "--offsets",
        choices=get_args(OffsetUnit),
        help="Label Studio: how region offsets are counted (default: code points, checked against each region's text)",
    )
    group.add_argument(
        "--empty",
        choices=get_args(EmptyRecords),
        help="doccano: a record without labels was annotated and found empty, or never annotated (the default)",
    )


def reading_options(args: argparse.Namespace, fmt: Format) -> ImportOptions | str:
    """The :class:`ImportOptions` that ``args`` give for reading ``fmt``; or, when an option was given that ``fmt``
    does not use, the message saying so (e.g. ``"--offsets does not apply to CoNLL (IOB tags) files"``)."""
    given = {field: getattr(args, field) for field in _FLAGS.values() if getattr(args, field, None) is not None}
    for flag, field in _FLAGS.items():
        if field in given and field not in fmt.import_options:
            return f"{flag} does not apply to {fmt.title} files"
    return ImportOptions(**given)
