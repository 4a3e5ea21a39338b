"""``annotator suggest``: suggestions for documents, as JSONL to review in the app, or an evaluation of a suggester.

::

    annotator suggest INPUT... --suggester string-match [--learn-from PATH]... [--annotator NAME]
                      [--gazetteer FILE]... [--min-score X] -o OUT.jsonl
    annotator suggest INPUT... --suggester model --learn-from PATH... [--threshold X] -o OUT.jsonl
    annotator suggest --evaluate PROJECT --suggester NAME [--annotator NAME] [--min-score X] [--format table|json]

The ``model`` suggester trains a CRF on the texts and spans of the annotation files under ``--learn-from``
(:mod:`annotator.suggest.model`); with ``--threshold X`` it suggests only while its cross-validated F1 (exact, micro)
is at least X. ``--evaluate`` cross-validates it (k folds by document) and gives its learning curve, where the other
suggesters are evaluated by leaving one document out.

INPUT is text files, annotation files, or a folder (a project's documents, with ``--annotator``'s files when they
exist; else every annotation file under it). OUT holds one record per document in the JSONL export format
(:mod:`annotator.formats.jsonl`), plus ``"suggestions"`` (each ``{"id", "start", "end", "label", "score",
"suggester", "reason"}``, code points into ``text``) and ``"suggested_relations"`` (``{"type", "from", "to"}``, ids
of suggestions or spans). A document given as a text file is written as not annotated (no ``"spans"``): the
suggestions are for the analyst to accept, not spans.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.cli.output import fail, say, warn
from annotator.cli.trust_command import NotAgreed, project_plugin
from annotator.formats.jsonl import json_line, record_object, suggestion_object
from annotator.formats.records import DocumentRecord, record_id_for
from annotator.formats.sources import find_sources, iter_records
from annotator.io import annotation_file
from annotator.io.annotation_file import ANNOTATION_SUFFIX
from annotator.io.atomic import atomic_write_text
from annotator.io.errors import FileFault
from annotator.io.opening import document_text
from annotator.project.layout import Project
from annotator.suggest.evaluation import ALL_LABELS, EvaluatedDocument, evaluate
from annotator.suggest.gazetteer import learn_gazetteer, read_gazetteer
from annotator.suggest.model.cross_validation import cross_validate
from annotator.suggest.model.span_model import NAME as MODEL
from annotator.suggest.model.span_model import SpanModel
from annotator.suggest.model.training import NotEnoughData, TrainingDocument
from annotator.suggest.plugin import DEFAULT_TIMEOUT, PREFIX, CommandSuggester, PluginError
from annotator.suggest.registry import LEARNS_FROM_DOCUMENTS, SUGGESTERS, make_suggester
from annotator.suggest.suggestion import Suggestion, SuggestionContext, number_suggestions
from annotator.suggest.vocabulary import Vocabulary


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the ``suggest`` command."""
    parser = commands.add_parser(
        "suggest",
        help="suggest spans for documents (JSONL to review in the app), or evaluate a suggester on a project",
        description="Suggest spans for the given text files, annotation files or project, learned from the "
        "annotation files under --learn-from and from gazetteers, and write them as JSONL with a 'suggestions' list "
        "per document (never as spans: importing them gives pending suggestions to accept or reject). With "
        "--evaluate PROJECT, leave each document out in turn, learn from the others, suggest on it and compare "
        "with its spans: precision, recall and F1 per label, exact and overlap.",
    )
    parser.add_argument("inputs", nargs="*", metavar="INPUT", help="text files, annotation files or a project")
    parser.add_argument(
        "--suggester",
        "-s",
        default="string-match",
        metavar="NAME",
        help=f'one of {", ".join(sorted(SUGGESTERS))}, or cmd:"COMMAND ARGS" for a plug-in that reads JSONL '
        "documents on stdin and writes JSONL suggestions on stdout (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="how long a cmd: plug-in may run (default: %(default)g)",
    )
    parser.add_argument(
        "--learn-from",
        action="append",
        default=[],
        metavar="PATH",
        type=Path,
        help="a project, folder or annotation file to learn from (repeatable)",
    )
    parser.add_argument("--annotator", metavar="NAME", help="learn only from (and evaluate only) NAME's files")
    parser.add_argument(
        "--gazetteer",
        action="append",
        default=[],
        metavar="FILE",
        type=Path,
        help="a TSV file of text<TAB>label[<TAB>weight] lines (repeatable)",
    )
    parser.add_argument("--min-score", type=float, default=0.0, metavar="X", help="leave out suggestions under X")
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.0,
        metavar="X",
        help="--suggester model only: suggest only while the model's cross-validated F1 (exact, micro) on the "
        "--learn-from documents is at least X (default: %(default)g, always)",
    )
    parser.add_argument("--output", "-o", type=Path, metavar="OUT.jsonl", help="where to write the suggestions")
    parser.add_argument("--evaluate", metavar="PROJECT", type=Path, help="evaluate the suggester on PROJECT")
    parser.add_argument(
        "--format",
        "-f",
        choices=("table", "json"),
        default="table",
        help="how --evaluate reports (default: %(default)s)",
    )
    parser.set_defaults(run=run, plugin_cwd=None, plugin_name=None)


def run(args: argparse.Namespace) -> int:
    """Run ``annotator suggest``; returns 0, or 1 after an error."""
    if not 0.0 <= args.min_score <= 1.0:
        return fail(f"--min-score is a score between 0 and 1, not {args.min_score:g}")
    if not args.timeout > 0:
        return fail(f"--timeout is a number of seconds above 0, not {args.timeout:g}")
    if not 0.0 <= args.threshold <= 1.0:
        return fail(f"--threshold is an F1 between 0 and 1, not {args.threshold:g}")
    if args.threshold and args.suggester != MODEL:
        return fail(f"--threshold is for --suggester {MODEL}, not {args.suggester}")
    if not args.suggester.startswith(PREFIX) and args.suggester not in SUGGESTERS:  # a plug-in a project names?
        try:
            named = project_plugin(args.suggester, [args.evaluate] if args.evaluate else args.inputs)
        except (FileFault, NotAgreed) as error:  # not agreed to yet: says which command, and how to agree
            return fail(str(error))
        if named is not None:  # the user agreed (annotator trust): run it as cmd:, in the project folder
            args.suggester, args.plugin_cwd = PREFIX + named.config.command, named.root
            args.plugin_name = named.config.name  # its suggestions carry the project's name for it
            args.timeout = named.config.timeout or args.timeout
    if not args.suggester.startswith(PREFIX) and args.suggester not in SUGGESTERS:
        return fail(
            f"no suggester called {args.suggester!r}; the suggesters are: {', '.join(sorted(SUGGESTERS))}, "
            f'or cmd:"COMMAND ARGS"'
        )
    try:
        if args.evaluate is not None:
            if args.inputs or args.output:
                return fail("--evaluate takes a project and writes a report: give no INPUT and no --output")
            return _evaluate(args)
        if not args.inputs:
            return fail("give the documents to suggest for (INPUT...), or --evaluate PROJECT")
        if args.output is None:
            return fail("give --output OUT.jsonl, the file the suggestions are written to")
        return _suggest(args)
    except FileFault as fault:
        return fail(fault.message)
    except PluginError as error:
        return fail(str(error))
    except NotEnoughData as error:
        return fail(f"{args.suggester}: {error}")


# -------------------------------------------------------------------------------------------------- suggesting


def _vocabulary(
    args: argparse.Namespace, documents: list[TrainingDocument] | None = None, ids: list[str] | None = None
) -> tuple[Vocabulary, int]:
    """What ``--learn-from`` and ``--gazetteer`` teach, and how many files could not be read (each reported); the
    annotated documents' ``(text, spans)`` and ids are added to ``documents`` and ``ids`` when given."""
    vocabulary = Vocabulary()
    unreadable = 0
    for path in args.learn_from:
        faults: list[FileFault] = []
        annotators = [args.annotator] if args.annotator else []
        for record in iter_records(find_sources([path]), annotators, faults):
            vocabulary.learn_spans(record.spans, path.name or str(path))
            if documents is not None and ids is not None and record.annotated:
                documents.append((record.text, record.spans))
                ids.append(record_id_for("", record.id))
        for fault in faults:
            warn(f"not learned from: {fault.message}")
        unreadable += len(faults)
    for path in args.gazetteer:
        learn_gazetteer(vocabulary, read_gazetteer(path), path.name)
    return vocabulary, unreadable


def _documents(inputs: list[str], annotator: str | None) -> Iterator[DocumentRecord]:
    """The records to suggest for: annotated ones with their spans, text files as not annotated."""
    for given in inputs:
        path = Path(given)
        if path.is_dir() and Project(path).document_ids():
            project = Project(path)
            for document_id in project.document_ids():
                record_id = document_id[: -len(".txt")] if document_id.lower().endswith(".txt") else document_id
                mine = project.annotation_path(document_id, annotator) if annotator else None
                if mine is not None and mine.is_file():
                    yield DocumentRecord.from_annotations(annotation_file.load(mine), record_id)
                else:
                    yield DocumentRecord(record_id, document_text(project.text_path(document_id)), annotated=False)
        elif path.is_dir() or path.name.endswith(ANNOTATION_SUFFIX):
            yield from iter_records(find_sources([path]))
        elif path.is_file():
            yield DocumentRecord(path.stem, document_text(path), annotated=False)
        else:
            raise FileFault(path, "does not exist")


def _suggest(args: argparse.Namespace) -> int:
    documents: list[TrainingDocument] = []
    ids: list[str] = []
    if args.suggester in LEARNS_FROM_DOCUMENTS and not args.learn_from:
        return fail(f"--suggester {args.suggester} learns from annotated documents: give --learn-from PATH")
    vocabulary, _unreadable = _vocabulary(args, documents, ids)
    records = list(_documents(args.inputs, args.annotator))
    plugged: dict[str, list[Suggestion]] | None = None
    if args.suggester.startswith(PREFIX):  # the user's own choice on the command line: run without asking
        plugged = CommandSuggester(
            args.suggester[len(PREFIX) :], args.timeout, cwd=args.plugin_cwd, name=args.plugin_name
        ).suggest_records(records)
    else:
        suggester = make_suggester(args.suggester, vocabulary, documents=documents, ids=ids, threshold=args.threshold)
        if isinstance(suggester, SpanModel) and suggester.withheld:
            warn(f"{suggester.name}: no suggestions: {suggester.withheld}")
    lines = []
    total = 0
    count = 0
    for record in records:
        if plugged is not None:
            found = plugged[record.id]
        else:
            found = suggester.suggest(record.text, SuggestionContext(spans=record.spans))
        numbered = number_suggestions(
            (s for s in found if s.score >= args.min_score), span_ids={span.id for span in record.spans}
        )
        item = record_object(record)
        item["suggestions"] = [suggestion_object(s) for s in numbered]
        item["suggested_relations"] = [
            {"type": link.relation_type, "from": link.from_id, "to": link.to_id} for s in numbered for link in s.links
        ]
        lines.append(json_line(item))
        total += len(numbered)
        count += 1
    atomic_write_text(args.output, "".join(line + "\n" for line in lines))
    if plugged is None and isinstance(suggester, SpanModel):
        learned = f"model trained on {suggester.spans} spans in {suggester.documents} documents"
        if suggester.validation is not None:
            f1 = suggester.validation.f1.value
            learned += f", cross-validated F1 {'undefined' if f1 is None else f'{f1:.3f}'}"
    else:
        learned = f"{len(vocabulary)} strings learned"
    say(
        f"{total} suggestion{'' if total == 1 else 's'} for {count} document{'' if count == 1 else 's'} "
        f"({learned}) written to {args.output}"
    )
    return 0


# -------------------------------------------------------------------------------------------------- evaluating


def _evaluate(args: argparse.Namespace) -> int:
    faults: list[FileFault] = []
    annotators = [args.annotator] if args.annotator else []
    documents = [
        EvaluatedDocument(record_id_for("", record.id), record.text, tuple(record.spans), tuple(record.relations))
        for record in iter_records(find_sources([args.evaluate]), annotators, faults)
    ]
    for fault in faults:
        warn(f"left out: {fault.message}")
    if len({d.id for d in documents}) < 2:
        return fail(f"{args.evaluate}: leaving one document out needs at least two documents with annotations")
    if args.suggester in LEARNS_FROM_DOCUMENTS:
        return _cross_validate(args, documents)
    if args.suggester.startswith(PREFIX):
        command = args.suggester[len(PREFIX) :]
        report = evaluate(
            documents,
            lambda _vocabulary: CommandSuggester(command, args.timeout, cwd=args.plugin_cwd, name=args.plugin_name),
            min_score=args.min_score,
        )
    else:
        report = evaluate(
            documents, lambda vocabulary: make_suggester(args.suggester, vocabulary), min_score=args.min_score
        )
    data = report.to_json()
    if args.format == "json":
        say(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        say(_table(data))
    return 0


def _cross_validate(args: argparse.Namespace, documents: list[EvaluatedDocument]) -> int:
    """``--evaluate`` of the model: k-fold cross-validation by document and the learning curve."""
    validation = cross_validate(
        [(d.text, d.spans) for d in documents], ids=[d.id for d in documents], min_score=args.min_score
    )
    data = validation.to_json()
    if args.format == "json":
        say(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    heading = (
        f"{data['suggester']}: {validation.folds}-fold cross-validation by document over {validation.documents} "
        "documents"
    )
    lines = [_table(data, heading), "", "learning curve (micro F1 against the number of training documents)"]
    lines.append(f"  {'documents':<12}{'exact F1':>10}{'overlap F1':>12}")
    for point in validation.curve:
        lines.append(f"  {point.documents:<12}{_number(point.exact_f1):>10}{_number(point.overlap_f1):>12}")
    say("\n".join(lines))
    return 0


def _number(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def _table(data: dict[str, Any], heading: str | None = None) -> str:
    lines = [
        (heading or f"{data['suggester']}: leave one document out over {data['documents']} documents")
        + (f", suggestions scoring at least {data['min_score']:g}" if data["min_score"] else ""),
    ]
    for matching in ("exact", "overlap"):
        lines.append("")
        lines.append(f"{matching} matching")
        lines.append(
            f"  {'label':<16}{'precision':>10}{'recall':>10}{'F1':>10}{'suggested':>11}{'right':>7}"
            f"{'spans':>7}{'found':>7}"
        )
        reasons = []
        for label, figures in data[matching].items():
            name = "all labels" if label == ALL_LABELS else label
            lines.append(
                f"  {name:<16}{_number(figures['precision']):>10}{_number(figures['recall']):>10}"
                f"{_number(figures['f1']):>10}{figures['suggested']:>11}{figures['right']:>7}{figures['spans']:>7}"
                f"{figures['found']:>7}"
            )
            for measure, reason in figures.get("reasons", {}).items():
                reasons.append(f"  {name} {measure} undefined: {reason}")
        lines.extend(reasons)
    if data.get("links"):
        lines.append("")
        lines.append("links (right: both ends match gold spans exactly and gold links them)")
        lines.append(
            f"  {'type':<16}{'precision':>10}{'recall':>10}{'F1':>10}{'suggested':>11}{'right':>7}{'gold':>7}"
            f"{'found':>7}"
        )
        for kind, figures in data["links"].items():
            lines.append(
                f"  {kind:<16}{_number(figures['precision']):>10}{_number(figures['recall']):>10}"
                f"{_number(figures['f1']):>10}{figures['suggested']:>11}{figures['right']:>7}{figures['spans']:>7}"
                f"{figures['found']:>7}"
            )
    return "\n".join(lines)
