"""``annotator agree INPUT... [--format table|json|csv]``: inter-annotator agreement of files, folders or projects."""

from __future__ import annotations

import argparse
import csv
import io
import json
from typing import Any

from annotator.cli.output import fail, review_input, say
from annotator.io.errors import FileFault
from annotator.review.agreement_tally import streamed_agreement_report
from annotator.review.loading import iter_documents

MICRO = "(all labels)"
ALL = "(all annotators)"
VALUE_COLUMNS = (
    "section",
    "units",
    "observed_agreement",
    "krippendorff_alpha",
    "fleiss_units",
    "fleiss_observed_agreement",
    "fleiss_kappa",
)
"""The CSV's columns after ``cohen_kappa``: filled on attribute and document-label rows (``section``: ``spans``,
``attribute`` or ``document label``)."""


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the ``agree`` command."""
    parser = commands.add_parser(
        "agree",
        help="inter-annotator agreement: span F1, Cohen's and Fleiss' kappa, Krippendorff's alpha",
        description="Measure the agreement of the annotators of the given annotation files, folders or project: "
        "per annotator pair, span precision/recall/F1 with exact and with overlap matching (per label and "
        "overall) and Cohen's kappa over tokens with a confusion matrix; over all annotators, Fleiss' kappa and "
        "Krippendorff's alpha (nominal). Per span attribute (over the spans matched exactly) and per document label, "
        "Cohen's kappa per pair, Krippendorff's alpha and (document labels) Fleiss' kappa, with the units compared "
        "and the observed agreement. An undefined figure is shown as 'undefined' (null in JSON) with its "
        "reason. See the README for the formulas and their sources.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="annotation files, folders or a project")
    parser.add_argument(
        "--format", "-f", choices=("table", "json", "csv"), default="table", help="(default: %(default)s)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``annotator agree``; returns 0, or 1 after an error."""
    found = review_input(args.inputs, keep_texts=False)  # one document's texts and spans at a time
    if isinstance(found, int):
        return found
    if not found.documents:
        return fail("no annotation file could be read")
    try:
        data = streamed_agreement_report(iter_documents(found)).to_json()
    except FileFault as fault:
        return fail(fault.message)
    if args.format == "json":
        say(json.dumps(data, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        say(_csv(data).rstrip("\n"))
    else:
        say(_table(data))
    return 0


def _number(value: Any) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def _reasons(data: dict[str, Any], prefix: str) -> list[str]:
    return [f"  {prefix}{name}: undefined: {reason}" for name, reason in data.get("reasons", {}).items()]


def _table(data: dict[str, Any]) -> str:
    """A plain-text report: pairs, then the per-label figures of each pair, then the corpus figures."""
    documents = data["documents"]
    lines = [f"{documents} document{'s' if documents != 1 else ''}; annotators: {', '.join(data['annotators'])}", ""]
    header = f"{'annotator A':<16} {'annotator B':<16} {'docs':>5} {'F1 exact':>9} {'F1 overlap':>11} {'kappa':>9}"
    lines += [header, "-" * len(header)]
    notes: list[str] = []
    for pair in data["pairs"]:
        lines.append(
            f"{pair['a'][:16]:<16} {pair['b'][:16]:<16} {pair['shared_documents']:>5} "
            f"{_number(pair['span_f1_exact']):>9} {_number(pair['span_f1_overlap']):>11} "
            f"{_number(pair['cohen_kappa']):>9}"
        )
        notes += _reasons(pair, f"{pair['a']} / {pair['b']}: ")
    for pair in data["pairs"]:
        lines += ["", f"Per label, {pair['a']} (reference) / {pair['b']}:"]
        lines.append(
            f"  {'label':<16} {'P exact':>8} {'R exact':>8} {'F1 exact':>9} {'P ovl':>8} {'R ovl':>8} {'F1 ovl':>8}"
        )
        for label, modes in pair["per_label"].items():
            exact, overlap = modes["exact"], modes["overlap"]
            lines.append(
                f"  {label[:16]:<16} "
                + " ".join(
                    f"{_number(figures[name]):>9}"
                    for figures in (exact, overlap)
                    for name in ("precision", "recall", "f1")
                )
            )
        labels = list(pair["confusion"])
        if labels:
            lines += ["", f"  Token confusion ({pair['a']} rows, {pair['b']} columns):"]
            lines.append("  " + " " * 12 + "".join(f"{label[:10]:>11}" for label in labels))
            for row in labels:
                cells = "".join(f"{pair['confusion'][row].get(column, 0):>11}" for column in labels)
                lines.append(f"  {row[:12]:<12}{cells}")
    lines += [
        "",
        f"Fleiss' kappa (all annotators): {_number(data['fleiss_kappa'])}",
        f"Krippendorff's alpha (nominal): {_number(data['krippendorff_alpha'])}",
    ]
    notes += _reasons(data, "")
    lines += _suggestion_lines(data.get("suggestions"), notes)
    lines += _value_lines("Attributes (spans matched exactly; (unset) is a value)", data.get("attributes", []), notes)
    lines += _value_lines("Document labels (documents; (unset) is a value)", data.get("document_labels", []), notes)
    if notes:
        lines += ["", "Undefined figures:", *notes]
    return "\n".join(lines)


def _suggestion_lines(effect: dict[str, Any] | None, notes: list[str]) -> list[str]:
    """The table's suggestions section: per annotator the share of spans from suggestions and, per group of
    documents (annotated with suggestions shown or without), spans and seconds per span; per pair the F1 (exact) on
    each group. Reasons for undefined figures go to ``notes``."""
    if not effect:
        return []
    header = (
        f"{'annotator':<16} {'spans':>6} {'from sugg.':>10} {'share':>7} "
        f"{'docs with':>9} {'s/span with':>11} {'docs w/o':>9} {'s/span w/o':>11}"
    )
    lines = ["", "Suggestions (documents annotated with suggestions shown vs without):", header, "-" * len(header)]
    for name, use in effect["per_annotator"].items():
        with_, without = use["groups"]["with"], use["groups"]["without"]
        lines.append(
            f"{name[:16]:<16} {use['spans']:>6} {use['from_suggestions']:>10} {_number(use['share']):>7} "
            f"{with_['documents']:>9} {_number(with_['seconds_per_span']):>11} "
            f"{without['documents']:>9} {_number(without['seconds_per_span']):>11}"
        )
        notes += _reasons(use, f"{name}: ")
    for pair in effect["pairs"]:
        f1 = pair["span_f1_exact"]
        lines.append(
            f"{pair['a']} / {pair['b']}: F1 exact with suggestions {_number(f1['with'])} "
            f"({pair['documents']['with']} docs), without {_number(f1['without'])} "
            f"({pair['documents']['without']} docs); {pair['mixed']} docs mixed (left out)"
        )
        notes += _reasons(pair, f"{pair['a']} / {pair['b']}: F1 exact ")
    return lines


def _units(count: int, noun: str = "unit") -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _value_lines(title: str, items: list[dict[str, Any]], notes: list[str]) -> list[str]:
    """The table's section of attribute or document-label agreement: per item, every pair's units, observed
    agreement and Cohen's kappa, then the all-annotator figures. Reasons for undefined figures go to ``notes``."""
    if not items:
        return []
    header = f"  {'annotator A':<16} {'annotator B':<16} {'units':>6} {'observed':>9} {'kappa':>9}"
    lines = ["", f"{title}:"]
    for item in items:
        name = item["name"]
        lines += ["", f"{item['kind']} {name}:", header]
        for pair in item["pairs"]:
            lines.append(
                f"  {pair['a'][:16]:<16} {pair['b'][:16]:<16} {pair['units']:>6} "
                f"{_number(pair['observed_agreement']):>9} {_number(pair['cohen_kappa']):>9}"
            )
            notes += _reasons(pair, f"{name}: {pair['a']} / {pair['b']}: ")
        lines.append(
            f"  Krippendorff's alpha (all annotators, {_units(item['units'])}, observed "
            f"{_number(item['observed_agreement'])}): {_number(item['krippendorff_alpha'])}"
        )
        if "fleiss_kappa" in item:
            lines.append(
                f"  Fleiss' kappa ({_units(item['fleiss_units'], 'document')} every annotator annotated, observed "
                f"{_number(item['fleiss_observed_agreement'])}): {_number(item['fleiss_kappa'])}"
            )
        notes += _reasons(item, f"{name}: ")
    return lines


def _csv(data: dict[str, Any]) -> str:
    """One row per pair and label (and one for all labels), RFC 4180; then per attribute and document label one row
    per pair and one for all annotators (``annotator_a`` ``(all annotators)``), told apart by the ``section`` column
    (``spans``, ``attribute``, ``document label``) and filling the columns after ``cohen_kappa``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    modes = ("exact", "overlap")
    writer.writerow(
        ["annotator_a", "annotator_b", "label"]
        + [f"{mode}_{figure}" for mode in modes for figure in ("precision", "recall", "f1")]
        + ["cohen_kappa", *VALUE_COLUMNS]
    )
    spans = ["spans", "", "", "", "", "", ""]
    for pair in data["pairs"]:
        overall = [MICRO, "", "", pair["span_f1_exact"], "", "", pair["span_f1_overlap"], pair["cohen_kappa"]]
        writer.writerow([pair["a"], pair["b"], *overall, *spans])
        for label, figures in pair["per_label"].items():
            row = [pair["a"], pair["b"], label]
            row += [figures[mode][figure] for mode in modes for figure in ("precision", "recall", "f1")]
            writer.writerow([*row, "", *spans])
    blank = [""] * 6
    for item in [*data.get("attributes", []), *data.get("document_labels", [])]:
        for pair in item["pairs"]:
            figures = [pair["cohen_kappa"], item["kind"], pair["units"], pair["observed_agreement"], "", "", "", ""]
            writer.writerow([pair["a"], pair["b"], item["name"], *blank, *figures])
        fleiss = [item.get(name, "") for name in ("fleiss_units", "fleiss_observed_agreement", "fleiss_kappa")]
        overall = ["", item["kind"], item["units"], item["observed_agreement"], item["krippendorff_alpha"], *fleiss]
        writer.writerow([ALL, "", item["name"], *blank, *overall])
    return out.getvalue()
