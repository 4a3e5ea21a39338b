"""What loading costs without Qt: load and validate 100k spans, a 1M-span annotation file, and the command line
(``validate`` and ``export``) on generated projects of 1,000 and 10,000 documents.

Run: ``python benchmarks/load_costs.py [--repeat 3] [--cli-documents 1000,10000] [--skip-1m] [--folder DIR]``.
Inputs are generated once into ``--folder`` (default: a temporary folder; kept there for the next run) by
:mod:`load_inputs`. Every figure is the median of ``--repeat`` runs, each in a fresh child process (so peak memory is
that run's own: the child's ``VmHWM``, in MB). The child imports ``annotator`` from ``sys.path``: run with
``PYTHONPATH=<another checkout>`` to measure that one (the README's "before" column is the main branch before
issue 22).

Where the time goes (cProfile and per-stage CPU timers, 10 MB of text with 100k spans, 28 MB of JSON):

- pydantic parses the JSON and validates it in one call, 0.27-0.30 s: parsing alone (``pydantic_core.from_json``) is
  a floor of about 0.2 s. Before, it also built one pydantic model per span: 0.25 s more and twice the memory (each
  span's ``__dict__`` plus a 728-byte ``model_fields_set``). The spans are now validated by the span's own field
  schema as plain dicts and made spans in one pass (0.1 s) sharing one fields set: 1.5 KB a span before, 0.75 KB now.
  Looking every id and span text up in pydantic's string cache cost 15% of the validation: only keys are cached.
- the checks pydantic cannot make (offsets, texts and labels against the text, unique ids, entities, the text's
  SHA-256) and the annotation set's dict by id and label counts: 0.15 s. The index by start for edits
  (25 ms, 50 bytes a span) is built on the first edit, not on load.
- the garbage collector, paused while the objects are built, walks them once afterwards: 0.05 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, resource, statistics, sys, time
what, path = sys.argv[1], sys.argv[2]
if what != "cli":
    from annotator.io import annotation_file  # imports not timed (the command line's are)
start, cpu = time.perf_counter(), time.process_time()
if what == "load":
    annotations = annotation_file.load(path)
    assert len(annotations) > 0
elif what == "steps":  # load_in_steps in a worker thread; this thread ticks every 5 ms: the longest gap is the GIL held
    import threading
    done, result = threading.Event(), []
    worker = threading.Thread(target=lambda: (result.append(annotation_file.load_in_steps(path)), done.set()))
    longest, last = 0.0, time.perf_counter()
    worker.start()
    while not done.wait(0.005):
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    worker.join()
    assert len(result[0][0]) > 0
elif what == "calls":  # the worker's longest calls in C (thread CPU time: the machine's load does not count)
    import threading
    from annotator.io.gc_pause import garbage_collection_paused
    from annotator.model.offsets import OffsetMap
    from annotator.model.span_index import BlockSpanIndex
    calls, open_calls = [], []  # open_calls: [began, runs Python inside] of the calls in C under way

    def hook(frame, event, arg):
        if event == "c_call":
            open_calls.append([time.thread_time(), False])
        elif event in ("c_return", "c_exception") and open_calls:
            began, runs_python = open_calls.pop()
            if not runs_python:  # Python code inside a call (an import, any() over a generator) passes the GIL on
                where = f"{getattr(arg, '__qualname__', arg)} at {frame.f_code.co_filename.split('/')[-1]}"
                calls.append((time.thread_time() - began, f"{where}:{frame.f_lineno}"))
        elif event == "call":
            for entry in open_calls:
                entry[1] = True

    def work():  # what the app's huge open does in its worker (the span list's rows aside: Qt)
        sys.setprofile(hook)
        loaded, _ = annotation_file.load_in_steps(path)
        offsets = OffsetMap(loaded.text)
        with garbage_collection_paused():
            BlockSpanIndex(offsets, loaded)
            loaded.prepare_edits()
        sys.setprofile(None)
        result.append(loaded)

    result = []
    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    # reading and joining the file's pieces release the GIL (the only such calls here)
    holds = sorted(c for c in calls if not c[1].startswith(("BufferedReader.read ", "bytes.join ")))
    longest, where = holds[-1]
    print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                      "rss_mb": longest * 1000, "where": [f"{1000 * t:.0f} ms {w}" for t, w in holds[-3:]]}))
    sys.exit(0)
elif what == "warm":  # loaded once, then timed REPEAT times in the same process (as the app's figure is)
    annotation_file.load(path)
    times, cpus = [], []
    for _ in range(int(sys.argv[3])):
        start, cpu = time.perf_counter(), time.process_time()
        annotation_file.load(path)
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
else:
    from annotator.cli.main import main
    code = main(sys.argv[3:])
    assert code == 0, code
seconds = statistics.median(times) if what == "warm" else time.perf_counter() - start
cpu = statistics.median(cpus) if what == "warm" else time.process_time() - cpu
try:  # the peak of this process's own memory (ru_maxrss keeps the parent's peak across exec on Linux)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": longest * 1000 if what == "steps" else peak}))
"""


def child(checkout: str | None, *args: str) -> dict[str, float]:
    """One measured run in a fresh Python importing ``annotator`` from ``checkout`` (a folder put first on
    ``PYTHONPATH``), or as installed for ``None``: ``{"seconds", "rss_mb"}`` (the command's output dropped)."""
    env = os.environ.copy()
    if checkout:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [checkout, env.get("PYTHONPATH", "")]))
    # -P: without it, "-c" puts the working folder first on sys.path, so run from a checkout both sides import it
    done = subprocess.run(
        [sys.executable, "-P", "-c", CHILD, *args], capture_output=True, text=True, check=False, env=env
    )
    if done.returncode:
        raise SystemExit(f"child {args[:2]} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def medians(checkouts: list[str | None], repeat: int, *args: str) -> list[tuple[float, float, float]]:
    """Per checkout, the median wall-clock seconds, CPU seconds and peak RSS (MB) of ``repeat`` child runs; the
    checkouts take turns run by run, so that both see the same load on a shared machine."""
    runs: list[list[dict[str, float]]] = [[] for _ in checkouts]
    for _ in range(repeat):
        for index, checkout in enumerate(checkouts):
            runs[index].append(child(checkout, *args))
    return [
        tuple(statistics.median(r[key] for r in each) for key in ("seconds", "cpu", "rss_mb"))  # type: ignore[misc]
        for each in runs
    ]


def row(name: str, figures: list[tuple[float, float, float]], unit: str = "ms") -> str:
    """``name: 1234 ms (CPU 1000 ms), 567 MB | ...`` (one entry per checkout)."""
    scale = 1000 if unit == "ms" else 1
    return f"{name}: " + " | ".join(
        f"{seconds * scale:,.1f} {unit} (CPU {cpu * scale:,.1f}), {rss:,.0f} MB" for seconds, cpu, rss in figures
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cli-documents", default="1000,10000")
    parser.add_argument("--skip-1m", action="store_true")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "annotator-load-bench")
    parser.add_argument(
        "--compare", metavar="CHECKOUT", help="also measure the annotator in this checkout, run by run in turn"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from load_inputs import write_annotation_file, write_project

    folder = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    inputs = {"100k spans, 10 MB": (folder / "s100k.annotations.json", 10_000_000, 100_000)}
    if not args.skip_1m:
        inputs["1M spans, 20 MB"] = (folder / "s1m.annotations.json", 20_000_000, 1_000_000)
    for path, size, count in inputs.values():
        if not path.exists():
            print(f"writing {path.name}...", file=sys.stderr)
            write_annotation_file(path, size, count)
    import annotator

    checkouts: list[str | None] = [None] + ([args.compare] if args.compare else [])
    names = [str(Path(annotator.__file__).parent.parent)] + ([args.compare] if args.compare else [])
    print(f"medians of {args.repeat} runs, wall-clock (CPU) time and peak RSS per checkout: {' | '.join(names)}")
    path = inputs["100k spans, 10 MB"][0]
    warm = medians(checkouts, 1, "warm", str(path), str(max(3, args.repeat)))
    print(row("load and validate 100k spans, in one process after a first load", warm))
    for name, (path, _size, _count) in inputs.items():
        size = path.stat().st_size / 1e6
        print(
            row(
                f"load and validate {name} ({size:.0f} MB file), fresh process",
                medians(checkouts, args.repeat, "load", str(path)),
            )
        )
    for name, (path, _size, _count) in inputs.items():
        steps = medians(checkouts, args.repeat, "steps", str(path))
        print(
            f"load_in_steps {name} in a worker thread: "
            + " | ".join(
                f"{seconds:,.2f} s (CPU {cpu:,.2f}), longest GIL hold {gap:,.0f} ms" for seconds, cpu, gap in steps
            )
        )
    for name, (path, _size, _count) in inputs.items():
        holds = [[child(checkout, "calls", str(path)) for _ in range(args.repeat)] for checkout in checkouts]
        print(
            f"the open's worker ({name}), its longest call in C (thread CPU time, so not the machine's load): "
            + " | ".join(
                f"{statistics.median(run['rss_mb'] for run in runs):,.0f} ms ({'; '.join(reversed(runs[0]['where']))})"
                for runs in holds
            )
        )
    for documents in [int(n) for n in args.cli_documents.split(",") if n]:
        project = folder / f"project-{documents}"
        if not (project / "annotations").exists():
            print(f"writing {project.name}...", file=sys.stderr)
            write_project(project, documents)
        out = str(folder / f"export-{documents}.jsonl")
        export = medians(checkouts, args.repeat, "cli", "-", "export", str(project), "-f", "jsonl", "-o", out)
        print(row(f"export {documents:,} documents to JSONL", export, "s"))
        check = medians(checkouts, args.repeat, "cli", "-", "validate", str(project / "annotations"))
        print(row(f"validate {documents:,} documents", check, "s"))


if __name__ == "__main__":
    main()
