"""What the command line costs on many documents: ``annotator agree`` (two annotators) and ``annotator export`` in
each format, on generated projects of 1,000 and 10,000 documents (2 KB of text and 20 spans each).

Run: ``python benchmarks/cli_costs.py [--repeat 3] [--documents 1000,10000] [--formats jsonl,csv,...]
[--compare CHECKOUT]``. Projects are written once by :func:`load_inputs.write_project` into ``--folder`` (a second
annotator, ``second``, is a copy of ``bench`` missing the first span of every third document). Each figure is the
median of ``--repeat`` runs, each in a fresh child process (:mod:`load_costs`'s child: wall-clock and CPU seconds and
the child's own peak RSS, ``VmHWM``); ``--compare`` runs another checkout in turn with this one, run by run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMATS = ("jsonl", "csv", "conll", "doccano", "label-studio", "brat", "spacy", "hf")


def project_of(folder: Path, documents: int) -> Path:
    """The project of ``documents`` documents with annotators ``bench`` and ``second`` (written once)."""
    from load_inputs import write_project

    project = folder / f"agree{documents}"
    if (project / ".done").exists():
        return project
    write_project(project, documents)
    bench = project / "annotations" / "bench" / "docs"
    second = project / "annotations" / "second" / "docs"
    second.mkdir(parents=True, exist_ok=True)
    for n, path in enumerate(sorted(bench.iterdir())):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["annotator"] = "second"
        if n % 3 == 0:
            data["spans"] = data["spans"][1:]
        (second / path.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (project / ".done").write_text("", encoding="utf-8")
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--documents", default="1000,10000")
    parser.add_argument("--formats", default=",".join(FORMATS), help="export formats to run (default: all)")
    parser.add_argument("--skip-agree", action="store_true")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "annotator-cli-bench")
    parser.add_argument("--compare", metavar="CHECKOUT", help="also measure this checkout, run by run in turn")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from load_costs import medians, row

    import annotator

    checkouts: list[str | None] = [None] + ([args.compare] if args.compare else [])
    names = [str(Path(annotator.__file__).parent.parent)] + ([args.compare] if args.compare else [])
    print(f"medians of {args.repeat} runs, wall-clock (CPU) time and peak RSS per checkout: {' | '.join(names)}")
    out = args.folder / "out"
    out.mkdir(parents=True, exist_ok=True)
    for documents in [int(n) for n in args.documents.split(",") if n]:
        project = project_of(args.folder, documents)
        if not args.skip_agree:
            figures = medians(checkouts, args.repeat, "cli", str(project), "agree", str(project), "-f", "json")
            print(row(f"agree, {documents:,} documents x 2 annotators", figures, "s"), flush=True)
        for fmt in [f for f in args.formats.split(",") if f]:
            target = out / f"export-{documents}.{fmt}"
            command = ["export", str(project), "-f", fmt, "-o", str(target)]
            figures = medians(checkouts, args.repeat, "cli", str(project), *command)
            print(row(f"export -f {fmt}, {documents:,} documents", figures, "s"), flush=True)


if __name__ == "__main__":
    main()
