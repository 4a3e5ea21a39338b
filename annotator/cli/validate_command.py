"""``annotator validate FILE...``: check annotation files, label sets, and dataset files before use."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli.output import fail, say, warn
from annotator.cli.reading_options import add_reading_arguments, reading_options
from annotator.formats.checking import check_record
from annotator.formats.options import ImportOptions
from annotator.formats.parsed import RecordFault
from annotator.formats.registry import IMPORT_FORMATS, get_format
from annotator.io import annotation_file
from annotator.io.annotation_file import ANNOTATION_SUFFIX
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set, load_label_set


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the ``validate`` command."""
    parser = commands.add_parser(
        "validate",
        help="check annotation files, label sets or dataset files; exit 1 on any fault",
        description="Check files: annotation files (*.annotations.json; folders are searched for them), label sets "
        "(*.toml, *.labels.json), or with --format a dataset file to import. Prints one line per fault on stderr "
        "and exits with status 1 when there is any, else 0.",
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        type=Path,
        help="annotation files, folders of them, label sets, or with --format dataset files",
    )
    parser.add_argument("--format", "-f", choices=IMPORT_FORMATS, help="check FILE as this dataset format")
    parser.add_argument("--labels", metavar="FILE", type=Path, help="the label set dataset spans must use")
    add_reading_arguments(parser)
    parser.set_defaults(run=run)


def _faults_of_dataset(path: Path, fmt_name: str, labels: Path | None, options: ImportOptions) -> list[str]:
    label_set = load_label_set(labels) if labels else default_label_set()
    faults: list[str] = []
    for number, item in enumerate(get_format(fmt_name).read(path, options), start=1):
        if isinstance(item, RecordFault):
            faults.append(item.message())
        else:
            faults.extend(check_record(item, label_set, item.id or f"record-{number}", "").rejected)
            for note in item.notes:  # read differently or left unread, not a fault: said, not counted
                say(f"note: {item.where}: {note}")
    return faults


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        found = sorted(p for p in path.rglob(f"*{ANNOTATION_SUFFIX}") if not p.name.startswith("."))
        return found or [path]
    return [path]


def _faults_of_file(path: Path) -> list[str]:
    """Faults of one annotation or label-set file; ``FileFault`` messages already name the file."""
    if path.is_dir():
        return [f"{path}: holds no annotation files (*{ANNOTATION_SUFFIX})"]
    if not path.exists():
        return [f"{path}: does not exist"]
    if path.name.endswith(ANNOTATION_SUFFIX):
        annotation_file.load(path)
    elif path.suffix.lower() == ".toml" or path.name.endswith(".labels.json"):
        load_label_set(path)
    else:
        return [f"{path}: not an annotation file or label set; to check a dataset file give --format"]
    return []


def run(args: argparse.Namespace) -> int:
    """Run ``annotator validate``; returns 0 when every file is valid, else 1."""
    options = ImportOptions()
    if args.format:
        given = reading_options(args, get_format(args.format))
        if isinstance(given, str):
            return fail(given)
        options = given
    checked = 0
    faulty = 0
    for given in args.files:
        for path in [given] if args.format else _files(given):
            checked += 1
            try:
                if args.format:
                    faults = _faults_of_dataset(path, args.format, args.labels, options)
                else:
                    faults = _faults_of_file(path)
            except FileFault as fault:
                faults = [f"{fault.path}: {message}" for message in fault.faults]
            for message in faults:
                warn(message)
            faulty += bool(faults)
    say(f"{checked} file{'s' if checked != 1 else ''} checked: {checked - faulty} valid, {faulty} with faults")
    return 1 if faulty else 0
