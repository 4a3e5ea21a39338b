"""``annotator import FILE --format FORMAT -o FOLDER``: a dataset file into text and annotation files."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from annotator.cli.output import fail, progress, say, warn
from annotator.cli.reading_options import add_reading_arguments, reading_options
from annotator.formats.importing import import_records
from annotator.formats.registry import IMPORT_FORMATS, get_format
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set, load_label_set
from annotator.io.settings import default_annotator_name
from annotator.project.layout import Project


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the ``import`` command."""
    parser = commands.add_parser(
        "import",
        help="import JSONL, CoNLL, brat, Label Studio or doccano data as a project the app opens",
        description="Import a dataset file (a folder for brat) into FOLDER: each document becomes a text file and "
        "its spans an annotation file under FOLDER/annotations/<annotator>/, so `annotator FOLDER` opens it as a "
        "project. Bad records, spans and links are rejected one by one with their line; the rest is imported.",
    )
    parser.add_argument("input", metavar="FILE", type=Path, help="the file to import (a folder for brat)")
    parser.add_argument("--format", "-f", required=True, choices=IMPORT_FORMATS, help="the format of FILE")
    parser.add_argument("-o", "--output", required=True, metavar="FOLDER", type=Path, help="the project folder")
    parser.add_argument(
        "--annotator", metavar="NAME", help="annotator of records that name none (default: your user name)"
    )
    parser.add_argument(
        "--labels", metavar="FILE", type=Path, help="the label set spans must use (default: the built-in one)"
    )
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when anything was rejected")
    add_reading_arguments(parser)
    parser.epilog = (
        "Exit status: 0; 1 after an error, when nothing was imported, when every span was rejected, or (--strict) "
        "anything was rejected."
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``annotator import``; returns the exit status."""
    fmt = get_format(args.format)
    options = reading_options(args, fmt)
    if isinstance(options, str):
        return fail(options)
    if not args.input.exists():
        return fail(f"{args.input}: does not exist")
    if args.output.exists() and not args.output.is_dir():
        return fail(f"{args.output}: is not a folder")
    created = not args.output.exists()
    try:
        label_set = load_label_set(args.labels) if args.labels else default_label_set()
        args.output.mkdir(parents=True, exist_ok=True)
        project = Project(args.output)
        items = progress(fmt.read(args.input, options), None, "Importing")
        report = import_records(items, project, label_set, args.annotator or default_annotator_name())
    except (FileFault, OSError) as error:
        if created:
            with contextlib.suppress(OSError):
                args.output.rmdir()  # only when still empty: nothing is removed that holds a file
        if isinstance(error, FileFault):
            return fail(error.message)
        return fail(f"{args.output}: could not create the folder ({error.strerror or error})")
    for message in [*report.rejected, *report.skipped, *report.notes]:
        warn(message)
    say(f"{report.summary()}.")
    say(f"Project folder: {args.output} (open it with: annotator {args.output})")
    if report.rejected and any("not in the label set" in m for m in report.rejected):
        warn("hint: give the label set the data uses with --labels FILE")
    if not (report.documents or report.annotated or report.skipped):
        if created:
            with contextlib.suppress(OSError):
                args.output.rmdir()  # only when still empty
        why = "every record was rejected" if report.rejected else f"{args.input} holds no records"
        return fail(f"nothing was imported ({why})")
    if report.spans_found and not report.spans_valid:
        return fail(
            f"every span was rejected ({report.spans_found} found, listed above): the documents came in without them"
        )
    if args.strict and report.rejected:
        return fail(f"--strict: {len(report.rejected)} rejected (records, spans or links; listed above)")
    return 0
