"""``annotator merge INPUT... --strategy majority -o OUT``: annotators' files into a gold file by majority vote."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli.output import fail, review_input, say, warn
from annotator.formats.records import TEXT_SUFFIX
from annotator.io import annotation_file
from annotator.io.annotation_file import ANNOTATION_SUFFIX
from annotator.io.errors import FileFault
from annotator.project.layout import safe_file_name
from annotator.review.majority import gold_annotation_set, majority_merge


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the ``merge`` command."""
    parser = commands.add_parser(
        "merge",
        help="merge several annotators' files into a gold file by majority vote",
        description="Merge the annotation files of several annotators of the same documents into gold annotation "
        "files (annotator 'gold'; each span's note says which annotators had it). A span goes into gold when a "
        "strict majority of the annotators have it (same offsets and label); ties and boundary conflicts are left "
        "out and listed, one per line on stderr, for a person to decide. Attribute values of gold spans (voted by "
        "the annotators who have the span), document labels and actor entities go to gold by majority too; a value "
        "without a majority is left unset and listed as a tie.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="annotation files, folders or a project")
    parser.add_argument("--strategy", choices=("majority",), default="majority", help="(default: %(default)s)")
    parser.add_argument(
        "--min-annotators", type=int, metavar="N", help="annotators a span needs (default: a strict majority)"
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT",
        help=f"the gold file (*{ANNOTATION_SUFFIX}) for one document, or a folder for several",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``annotator merge``; returns 0, or 1 after an error."""
    found = review_input(args.inputs)
    if isinstance(found, int):
        return found
    if args.min_annotators is not None and args.min_annotators < 1:
        return fail("--min-annotators must be 1 or more")
    needed = max(2, args.min_annotators or 2)
    documents = [d for d in found.documents if len(d.annotators) >= needed]
    for document in found.documents:
        if len(document.annotators) < needed:
            who = ", ".join(document.annotators)
            warn(f"{document.document}: annotated by {who} only; fewer than {needed} annotators, nothing merged")
    if not documents:
        return fail(f"no document has {needed} or more annotators to merge")
    single = len(documents) == 1 and args.output.name.endswith(ANNOTATION_SUFFIX)
    if not single and args.output.exists() and not args.output.is_dir():
        return fail(f"{args.output}: give a folder for the gold files of {len(documents)} documents")
    if single and args.output.exists():
        return fail(f"{args.output}: exists; gold files are never overwritten (remove it or choose another name)")
    conflicts = gold_spans = ties = 0
    for document in documents:
        try:
            result = majority_merge(document, args.min_annotators)
        except ValueError as error:
            return fail(str(error))
        label_set = found.label_sets[document.document]
        gold = gold_annotation_set(
            document,
            result,
            label_set,
            document_id=found.document_ids[document.document],
            metadata=found.metadata.get(document.document),
        )
        target = args.output if single else args.output / f"{_safe_path(document.document)}{ANNOTATION_SUFFIX}"
        if not single and target.exists():
            warn(f"{target}: exists; left as it is (gold files are never overwritten)")
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            annotation_file.save(gold, target)
        except (FileFault, OSError) as error:
            return fail(error.message if isinstance(error, FileFault) else f"{target.parent}: {error.strerror}")
        for conflict in result.conflicts:
            warn(f"{document.document}: {conflict.description()}")
        for tie in result.ties:
            warn(f"{document.document}: tie: {tie.description()}")
        say(
            f"wrote {target}: {len(result.gold)} gold spans, {len(result.conflicts)} conflicts to decide, "
            f"{len(result.ties)} value ties"
        )
        gold_spans += len(result.gold)
        conflicts += len(result.conflicts)
        ties += len(result.ties)
    say(
        f"Merged {len(documents)} document{'s' if len(documents) != 1 else ''}: {gold_spans} gold spans; "
        f"{conflicts} conflicts and {ties} attribute or document-label ties listed for a person to decide"
    )
    return 0


def _safe_path(name: str) -> str:
    """A document name as a relative path inside the output folder: each ``/``-separated part made file-name safe
    (``..``, absolute roots and empty parts dropped), ``document`` when nothing is left."""
    parts = [safe_file_name(part) for part in name.removesuffix(TEXT_SUFFIX).replace("\\", "/").split("/")]
    return "/".join(part for part in parts if part) or "document"
