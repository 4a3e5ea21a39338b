"""``annotator import FILE --format FORMAT -o FOLDER``: a dataset file into text and annotation files."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path

from annotator.cli.converted_import import CONVERTED_FORMATS, converted_records
from annotator.cli.output import fail, progress, say, warn
from annotator.cli.reading_options import add_reading_arguments, reading_options
from annotator.formats.auto_labels import auto_label_set, used_names
from annotator.formats.importing import import_records
from annotator.formats.options import ImportOptions
from annotator.formats.parsed import ParsedRecord, RecordFault
from annotator.formats.registry import IMPORT_FORMATS, Format, get_format
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set, load_label_set
from annotator.io.settings import default_annotator_name
from annotator.model.labels import LabelSet
from annotator.project.layout import Project
from annotator.project.project_file import (
    DEFAULT_LABEL_SET_FILE,
    PROJECT_FILE,
    load_project_label_set,
    project_file_path,
    save_project_label_set,
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the ``import`` command."""
    parser = commands.add_parser(
        "import",
        help="import JSONL, CoNLL, brat, Label Studio or doccano data, web pages, Word or PDF files, or URLs as a "
        "project the app opens",
        description="Import a dataset file (a folder for brat) into FOLDER: each document becomes a text file and "
        "its spans an annotation file under FOLDER/annotations/<annotator>/, so `annotator FOLDER` opens it as a "
        "project. Bad records, spans and links are rejected one by one with their line; the rest is imported. "
        "With --format html, docx, pdf or url, each FILE (or URL) given is converted into a text file, its source "
        "recorded in an annotation file without spans; one that cannot be converted is refused with its reason.",
    )
    parser.add_argument(
        "input",
        metavar="FILE",
        nargs="+",
        help="the file to import (a folder for brat); several web pages, Word or PDF files, or URLs (--format url)",
    )
    parser.add_argument(
        "--format", "-f", required=True, choices=[*IMPORT_FORMATS, *CONVERTED_FORMATS], help="the format of FILE"
    )
    parser.add_argument("-o", "--output", required=True, metavar="FOLDER", type=Path, help="the project folder")
    parser.add_argument(
        "--annotator", metavar="NAME", help="annotator of records that name none (default: your user name)"
    )
    parser.add_argument(
        "--labels",
        metavar="FILE",
        help="the label set spans must use, or 'auto': one made from the labels the data uses, written with a project "
        "file into FOLDER (default: FOLDER's project label set, else the built-in one)",
    )
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when anything was rejected")
    add_reading_arguments(parser)
    parser.epilog = (
        "Exit status: 0; 1 after an error, when nothing was imported, when every span was rejected, or (--strict) "
        "anything was rejected."
    )
    parser.set_defaults(run=run)


def _label_set(args: argparse.Namespace, fmt: Format, options: ImportOptions) -> tuple[LabelSet, bool]:
    """``(label set, whether to write it and a project file into the output folder after the import)``.

    ``--labels FILE``: that file. ``--labels auto``: the project's label set when the folder has a project file (the
    data's labels must all be in it), else one made from the labels and link types the data uses (a first pass over
    the file). No ``--labels``: the folder's project label set, else the built-in one.

    Raises
    ------
    FileFault
        If a label-set or project file is invalid, the data uses labels the project's set lacks, or the data uses
        no label (``auto``).
    """
    if args.labels and args.labels != "auto":
        return load_label_set(args.labels), False
    project_set = load_project_label_set(args.output) if args.output.is_dir() else None
    if not args.labels:
        return project_set or default_label_set(), False
    reader_rejections: list[str] = []  # what the reader rejected, to say why no label was found

    def noting_rejections(items: Iterator[ParsedRecord | RecordFault]) -> Iterator[ParsedRecord | RecordFault]:
        for item in items:
            if isinstance(item, ParsedRecord) and item.spans_rejected:
                reader_rejections.extend(f"{item.where}: {message}" for message in item.rejected)
            yield item

    labels, relation_types = used_names(noting_rejections(fmt.read(args.input, options)))
    if project_set is not None:
        lacking = [name for name in labels if project_set.get(name) is None]
        if lacking:
            raise FileFault(
                project_file_path(args.output),
                f"--labels auto: the data uses labels the project's label set {project_set.name} lacks: "
                f"{', '.join(lacking)} (add them to its label-set file, or import into another folder)",
            )
        return project_set, False
    target = args.output / DEFAULT_LABEL_SET_FILE
    if target.exists():
        raise FileFault(target, "already exists: --labels auto does not overwrite it (give it with --labels FILE)")
    try:
        made = auto_label_set(labels, relation_types, args.output.name or "labels", default_label_set())
    except ValueError as error:
        why = f"; spans were rejected while reading it, e.g. {reader_rejections[0]}" if reader_rejections else ""
        raise FileFault(args.input, f"--labels auto: {error}{why}") from error
    return made, True


def run(args: argparse.Namespace) -> int:
    """Run ``annotator import``; returns the exit status."""
    if args.format in CONVERTED_FORMATS:
        return _run_converted(args)
    if len(args.input) > 1:
        return fail(f"--format {args.format} imports one FILE, not {len(args.input)} (several: html, docx, pdf, url)")
    args.input = Path(args.input[0])
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
        label_set, write_project = _label_set(args, fmt, options)
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
    if write_project and (report.documents or report.annotated):
        try:
            written = save_project_label_set(args.output, label_set)
        except FileFault as error:
            return fail(error.message)
        say(f"Label set {label_set.name} ({', '.join(label_set.names)}) written to {written}, named by {PROJECT_FILE}.")
    if report.rejected and any("not in the label set" in m for m in report.rejected):
        warn("hint: give the label set the data uses with --labels FILE, or make one from the data with --labels auto")
    if not (report.documents or report.annotated or report.skipped):
        if created:
            with contextlib.suppress(OSError):
                args.output.rmdir()  # only when still empty
        why = "every record was rejected" if report.rejected else f"{args.input} holds no records"
        return fail(f"nothing was imported ({why})")
    say(f"Project folder: {args.output} (open it with: annotator {args.output})")
    if report.spans_found and not report.spans_valid:
        return fail(
            f"every span was rejected ({report.spans_found} found, listed above): the documents came in without them"
        )
    if args.strict and report.rejected:
        return fail(f"--strict: {len(report.rejected)} rejected (records, spans or links; listed above)")
    return 0


def _run_converted(args: argparse.Namespace) -> int:
    """``annotator import --format html|docx|pdf|url``: each input converted into a document of the folder
    (:mod:`annotator.cli.converted_import`); one line per refused input on stderr; exit status 1 when nothing was
    imported (or, with ``--strict``, anything was refused)."""
    given = [flag for flag in _READING_FLAGS if getattr(args, flag.lstrip("-").replace("-", "_"), None) is not None]
    if given:
        return fail(f"{given[0]} does not apply to --format {args.format}")
    if args.labels == "auto":
        return fail(f"--labels auto: --format {args.format} brings no labels to make a label set from")
    if args.output.exists() and not args.output.is_dir():
        return fail(f"{args.output}: is not a folder")
    created = not args.output.exists()
    try:
        label_set = load_label_set(args.labels) if args.labels else None
        label_set = label_set or (load_project_label_set(args.output) if args.output.is_dir() else None)
        args.output.mkdir(parents=True, exist_ok=True)
        items = progress(converted_records(args.input, args.format), len(args.input), "Importing")
        annotator = args.annotator or default_annotator_name()
        report = import_records(items, Project(args.output), label_set or default_label_set(), annotator)
    except (FileFault, OSError) as error:
        if created:
            with contextlib.suppress(OSError):
                args.output.rmdir()  # only when still empty
        if isinstance(error, FileFault):
            return fail(error.message)
        return fail(f"{args.output}: could not create the folder ({error.strerror or error})")
    for message in [*report.rejected, *report.skipped, *report.notes]:
        warn(message)
    say(f"{report.summary()}.")
    if not (report.documents or report.skipped):
        if created:
            with contextlib.suppress(OSError):
                args.output.rmdir()  # only when still empty
        return fail("nothing was imported (every input was refused)")
    say(f"Project folder: {args.output} (open it with: annotator {args.output})")
    if args.strict and report.rejected:
        return fail(f"--strict: {len(report.rejected)} refused (listed above)")
    return 0


_READING_FLAGS = ("--word-column", "--tag-column", "--scheme", "--offsets", "--empty")
