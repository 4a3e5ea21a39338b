"""``annotator export INPUT... --format FORMAT -o OUT``: annotation files, folders or projects to a dataset format."""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from annotator.cli.output import fail, progress, say, warn
from annotator.formats.destination import export_refusal
from annotator.formats.exporting import export
from annotator.formats.options import ExportOptions
from annotator.formats.overlap import OVERLAP_POLICIES, OverlapError
from annotator.formats.registry import EXPORT_FORMATS, get_format
from annotator.formats.report import count
from annotator.formats.sources import annotators_of, find_sources, iter_records, unannotated_records
from annotator.io.errors import FileFault


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the ``export`` command."""
    parser = commands.add_parser(
        "export",
        help="export annotations as JSONL, CoNLL, brat, Label Studio, doccano, CSV, spaCy or a Hugging Face dataset",
        description="Export annotation files, folders of them, or projects to a dataset format. Spans a format "
        "cannot hold (overlapping, or not aligned to tokens) are reported one per line on stderr, never dropped "
        "silently.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="annotation files, folders or project folders")
    parser.add_argument("--format", "-f", required=True, choices=EXPORT_FORMATS, help="the format to write")
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="the file to write (a folder for brat and hf)", type=Path
    )
    parser.add_argument(
        "--overlap",
        choices=OVERLAP_POLICIES,
        default="longest",
        help="CoNLL, spaCy and hf entities: which of overlapping spans to keep (default: the longest, then the "
        "earliest); 'error' fails instead",
    )
    parser.add_argument(
        "--snap", action="store_true", help="widen spans whose boundary falls inside a token to whole tokens"
    )
    parser.add_argument(
        "--scheme", choices=("IOB2", "IOBES"), default="IOB2", help="CoNLL tag scheme (default: %(default)s)"
    )
    parser.add_argument(
        "--spacy-lang",
        default="xx",
        metavar="LANG",
        help="spaCy language whose tokenizer splits the text (default: %(default)s, any language; zh for Chinese)",
    )
    parser.add_argument(
        "--annotator", action="append", default=[], metavar="NAME", help="only this annotator's files (repeatable)"
    )
    parser.add_argument(
        "--include-unannotated",
        action="store_true",
        help="for project folders, also export the documents without an annotation file (of the annotators "
        "exported), as documents without spans marked not annotated where the format can say so",
    )
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when any span was dropped or skipped")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``annotator export``; returns the exit status (0, or 1 after an error or, with ``--strict``, a loss)."""
    fmt = get_format(args.format)
    refusal = export_refusal(args.output, fmt.writes_folder, args.inputs)
    if refusal:
        return fail(refusal)
    try:
        sources = find_sources(args.inputs, unannotated=args.include_unannotated)
    except FileFault as fault:
        return fail(fault.message)
    if args.annotator:
        found = annotators_of(sources)
        if not set(args.annotator) & found:
            names = ", ".join(sorted(found)) or "none"
            return fail(f"no annotation files by {', '.join(args.annotator)} (annotators found: {names})")
    options = ExportOptions(overlap=args.overlap, snap=args.snap, scheme=args.scheme, spacy_lang=args.spacy_lang)
    faults: list[FileFault] = []
    handled: set[Path] = set()
    records = progress(iter_records(sources, args.annotator, faults, handled), len(sources), "Exporting")
    if args.include_unannotated:  # read after the annotation files, which say which documents have one
        records = itertools.chain(records, unannotated_records(args.inputs, sources, handled, faults))
    try:
        report = export(fmt, records, args.output, options)
    except (FileFault, OverlapError) as error:
        return fail(error.message if isinstance(error, FileFault) else str(error))
    for skipped in faults:
        warn(f"skipped {skipped.message}")
    for problem in report.problems:
        warn(problem.message())
    for note in report.notes:
        warn(note)
    for path in report.files[:20]:
        say(f"wrote {path}")
    if len(report.files) > 20:
        say(f"wrote {len(report.files) - 20} more files in {args.output}")
    say(report.summary() + (f"; {count(len(faults), 'input file')} skipped" if faults else ""))
    if faults:
        return 1
    if args.strict and report.lost:
        return fail(f"--strict: {count(len(report.lost), 'span')} not exported (listed above)")
    return 0
