"""The open of one long annotation file, end to end, against app_costs' baseline: each run in a fresh process.

```bash
python benchmarks/open_costs.py [--size 10m] [--spans 100k] [--repeat 3] [--compare OTHER_CHECKOUT] [--profile]
```

A child process starts the window, opens a small file first (so the first-use costs of the window, pydantic's
schemas and the like are not counted), then times the open of the long file until the document is fully shown
(``loadedCharacters`` is the text's length, nothing left loading), painted and the event queue empty: wall-clock
time, the process's CPU time (every thread) and the GUI thread's CPU time; and the child's peak RSS (``VmHWM``:
the whole child, as the baseline's includes loading the file) and its resident memory once the open is done.
Files of 8 MB and more go through the large open (read, validated and mapped in a worker thread; the text filled a
slice per event-loop turn, from the moment the text is known, while the worker validates the spans). The baseline
(``app_costs``: a bare ``QPlainTextEdit`` with a ``QSyntaxHighlighter`` formatting every line up front) runs in its
own child. ``--compare`` runs another checkout's app in turn with this one (alternating, same inputs);
``--profile`` prints the GUI thread's costliest calls during one open (cProfile) instead.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import app_costs  # the inputs and the baseline are app_costs'
from timing import app_folders

HERE = Path(__file__).resolve().parents[1]


def child_app(path: str, warm: str, profile: bool) -> dict:
    """Open ``warm`` then ``path`` in a fresh window; the figures of the second open."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.ui.main_window import MainWindow

    app_costs.quiet_qt()
    app = QApplication([])
    ticker = QTimer()
    ticker.start(5)  # wakes the waiting loop below even when no event comes
    window = MainWindow("bench", questions=app_costs.NeverAsk())
    window.suggesting.timer.setInterval(10**9)  # the suggesters' run after an open is not part of it (app_costs)
    window.resize(1300, 820)
    window.show()

    def open_and_wait(name: str) -> None:
        window.open_path(Path(name))
        while window.large_opening.busy is not None:  # set at once by a large open, until it is shown
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        window.view.viewport().repaint()
        app.processEvents()

    open_and_wait(warm)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    wall, cpu, gui = time.perf_counter(), time.process_time(), time.thread_time()
    if profiler is not None:
        profiler.enable()
    open_and_wait(path)
    if profiler is not None:
        profiler.disable()
    figures = {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "gui_cpu": time.thread_time() - gui,
        "characters": window.view.loaded_characters(),
        "peak_mb": app_costs.peak_rss_mb(),
        "end_mb": resident_mb(),
    }
    if profiler is not None:
        import io
        import pstats

        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        print(out.getvalue(), file=sys.stderr)
    return figures


def resident_mb() -> float:
    """This process's resident memory now (``VmRSS``), in MB; 0 where ``/proc`` has no such line."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child_baseline(path: str) -> dict:
    """The baseline's open of ``path``'s text and spans (formats computed beforehand, not timed)."""
    from PySide6.QtWidgets import QApplication

    from annotator.io import annotation_file

    app_costs.quiet_qt()
    app = QApplication([])
    annotations = annotation_file.load(path)
    text = annotations.text
    formats = app_costs.baseline_formats(text, [(s.start, s.end, s.label) for s in annotations])
    wall, cpu, gui = time.perf_counter(), time.process_time(), time.thread_time()
    editor, highlighter = app_costs.make_baseline(formats)
    editor.show()
    editor.setPlainText(text)
    attached = highlighter(editor.document())
    attached.rehighlight()
    editor.viewport().repaint()
    app.processEvents()
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "gui_cpu": time.thread_time() - gui,
        "peak_mb": app_costs.peak_rss_mb(),
    }


def run_child(checkout: Path, *args: str) -> dict:
    """Run this script's child mode with ``checkout``'s ``annotator`` first on the path; its JSON figures. Each child
    has a data folder of its own: a child ends without closing its window, so the recovery journal it leaves would be
    found by the next one's open of the same file (which then took 3x the CPU and 1 GB instead of 350 MB)."""
    data = tempfile.mkdtemp(prefix="data-", dir=os.environ["ANNOTATOR_DATA_DIR"])
    env = dict(os.environ, PYTHONPATH=str(checkout), QT_QPA_PLATFORM="offscreen", ANNOTATOR_DATA_DIR=data)
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"child {args[0]} in {checkout} failed:\n{done.stderr[-3000:]}")
    if done.stderr.strip():
        print(done.stderr, file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--size", default="10m", help="100k, 1m or 10m (default 10m)")
    parser.add_argument("--spans", default="100k", help="1k, 10k or 100k (default 100k)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--compare", type=Path, help="another checkout whose app runs in turn with this one's")
    parser.add_argument("--profile", action="store_true", help="print the GUI thread's costliest calls (one open)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, *rest = args.child
        figures = child_baseline(rest[0]) if mode == "baseline" else child_app(rest[0], rest[1], mode == "profile")
        print(json.dumps(figures), flush=True)
        return
    app_folders("ANNOTATOR_CONFIG_DIR", "ANNOTATOR_DATA_DIR")  # fresh, and removed when the script ends
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _text, path = app_costs.write_input(folder, app_costs.SIZES[args.size], app_costs.COUNTS[args.spans])
        warm_folder = folder / "warm"
        warm_folder.mkdir()
        _text, warm = app_costs.write_input(warm_folder, 100_000, 1_000)
        print(f"{args.size} / {args.spans}: {path.stat().st_size / 1e6:.1f} MB annotation file")
        if args.profile:
            print(json.dumps(run_child(HERE, "profile", str(path), str(warm))))
            return
        checkouts = {"this": HERE} | ({"compare": args.compare.resolve()} if args.compare else {})
        runs: dict[str, list[dict]] = {key: [] for key in [*checkouts, "baseline"]}
        for _ in range(args.repeat):
            for key, checkout in checkouts.items():
                runs[key].append(run_child(checkout, "app", str(path), str(warm)))
            runs["baseline"].append(run_child(HERE, "baseline", str(path)))
        base = {k: statistics.median(r[k] for r in runs["baseline"]) for k in ("wall", "cpu", "gui_cpu")}
        for key, figures in runs.items():
            medians = {k: statistics.median(r[k] for r in figures) for k in ("wall", "cpu", "gui_cpu")}
            ratios = "  ".join(f"{k} {medians[k] * 1000:,.0f} ms ({medians[k] / base[k]:.2f}x)" for k in medians)
            spread = ", ".join(f"{r['wall'] * 1000:,.0f}" for r in figures)
            peak = statistics.median(r["peak_mb"] for r in figures)
            base_peak = statistics.median(r["peak_mb"] for r in runs["baseline"])
            after = f", {statistics.median(r['end_mb'] for r in figures):,.0f} MB after" if key != "baseline" else ""
            print(
                f"{key:<9} {ratios}  peak RSS {peak:,.0f} MB ({peak / base_peak:.2f}x{after})   "
                f"(wall of each run: {spread})"
            )


if __name__ == "__main__":
    main()
