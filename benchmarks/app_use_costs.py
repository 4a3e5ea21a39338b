"""A big document in use after its open: the longest the event loop is blocked while the analyst pages through it and
adds spans (issue 22: never more than 100 ms at a time), and the longest full collection of Python's cyclic garbage
collector meanwhile (which holds the window's thread for as long as it walks every long-lived object).

Run: ``python benchmarks/app_use_costs.py [--spans-1m | --size 1m --spans 10k] [--pages 600] [--repeat 3]
[--compare CHECKOUT] [--profile]`` (offscreen Qt; each run in its own process with a data folder of its own;
``--compare`` runs another checkout's app in turn with this one's). The document is opened as the app starts
(PySide6's module check made cheap, ``keep_long_lived`` after the window where the checkout has it), then paged down
``--pages`` pages, a page at a time and painted, a span added every 50 pages (each writes the recovery journal); a
10 ms timer ticks throughout: its longest gap is the longest stall. The 1M-span file is
:func:`load_inputs.kept_1m_file` (kept in ``/tmp/annotator-load-bench``), the others
:func:`app_costs.write_input`'s. ``--profile`` names the calls the window's thread was in during each stall over
100 ms. ``--pages 0`` leaves the document alone after the open until the suggesters' runs on it are back and shown
(at most :data:`IDLE_LIMIT_S`): the stall when a long run's suggestions arrive (10 MB / 100k spans: the string
matcher finds 2.7 million). Each run also gives the process's peak RSS (``VmHWM``).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
COUNTS = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
IDLE_LIMIT_S = 180.0
"""With ``--pages 0``, how long to wait for the suggesters' runs to be back at most."""


def child(path: str, pages: int, profile: bool = False) -> None:
    """Open ``path``, page through it (``pages`` 0: leave it alone until the suggesters' runs are back) and print
    ``longest stall (ms), longest full collection (ms), full collections, peak RSS (MB)`` on one line; ``profile``:
    name the calls of each stall over 100 ms on stderr (:class:`app_huge_open.StackSampler`)."""
    from app_costs import NeverAsk, quiet_qt
    from PySide6.QtWidgets import QApplication

    from annotator.ui.feature_scan import cheapen_feature_scan

    cheapen_feature_scan()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from annotator.ui.main_window import MainWindow

    quiet_qt()
    app = QApplication([])
    window = MainWindow("bench", questions=NeverAsk())
    window.resize(1300, 820)
    window.show()
    try:  # as run_app does once its window is made (a checkout from before it has no such function)
        from annotator.io.gc_pause import keep_long_lived
    except ImportError:
        pass
    else:
        keep_long_lived()
    window.open_path(path)
    while window.large_opening.busy is not None or window.view.loaded_characters() == 0:
        app.processEvents()
        time.sleep(0.005)
    for _ in range(50):  # whatever the open left for later
        app.processEvents()
        time.sleep(0.01)
    collections: list[float] = []
    started = [0.0]

    def watch(phase: str, info: dict) -> None:
        if info["generation"] == 2:
            if phase == "start":
                started[0] = time.perf_counter()
            else:
                collections.append(1000 * (time.perf_counter() - started[0]))

    gc.callbacks.append(watch)
    from app_huge_open import StackSampler, StallWatch

    watch = StallWatch(over_ms=100)
    sampler = StackSampler() if profile else None
    view, controller = window.view, window.controller
    bar = view.verticalScrollBar()
    text = controller.annotations.text
    if pages == 0:  # left alone: until the suggesters' runs on the open document are back and shown
        suggesting, started_at = window.suggesting, time.perf_counter()
        while (suggesting.busy or suggesting.timer.isActive()) and time.perf_counter() - started_at < IDLE_LIMIT_S:
            app.processEvents()
            time.sleep(0.002)
        for _ in range(50):  # their outlines painted
            app.processEvents()
            time.sleep(0.01)
    for page in range(pages):
        bar.setValue(bar.value() + bar.pageStep())
        view.viewport().repaint()
        app.processEvents()
        if page % 50 == 25:  # a word near the top of the page shown, labeled
            at = view.cursorForPosition(view.viewport().rect().center()).position()
            start = max(0, min(len(text) - 20, view.offsets.from_qt(at)))
            begin = text.find(" ", start) + 1
            end = text.find(" ", begin)
            if 0 < begin < end:
                controller.add_span(begin, end, "actor")
                app.processEvents()
        time.sleep(0.002)  # idle a moment, as between key presses
    app.processEvents()
    if sampler is not None:
        sampler.report(watch.stalls)
    from app_costs import peak_rss_mb

    peak = peak_rss_mb()
    print(f"{watch.longest} {max(collections, default=0.0):.0f} {len(collections)} {peak:.0f}", flush=True)
    os._exit(0)  # not waiting for background work (suggestions on the whole text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spans-1m", action="store_true", help="the 1M-span file (20 MB of text)")
    parser.add_argument("--size", default="1m", choices=SIZES)
    parser.add_argument("--spans", default="10k", choices=COUNTS)
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare", type=Path, help="another checkout whose app runs in turn with this one's")
    parser.add_argument("--profile", action="store_true", help="name the calls of each stall over 100 ms")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2] == "profile")
        return
    from timing import app_folders

    app_folders("ANNOTATOR_CONFIG_DIR", "ANNOTATOR_DATA_DIR", "ANNOTATOR_CACHE_DIR")
    checkouts = {"this": HERE.parent} | ({"compare": args.compare.resolve()} if args.compare else {})
    results: dict[str, list[tuple[float, float, float, float]]] = {key: [] for key in checkouts}
    with tempfile.TemporaryDirectory() as folder:
        if args.spans_1m:
            from load_inputs import kept_1m_file

            source, name = kept_1m_file(), "1M spans"
        else:
            from app_costs import write_input

            source, name = (
                write_input(Path(folder), SIZES[args.size], COUNTS[args.spans])[1],
                f"{args.size} / {args.spans}",
            )
        for run in range(args.repeat):
            for key, checkout in checkouts.items():
                work = Path(folder) / f"{key}-{run}"
                work.mkdir()
                path = work / source.name  # a copy: its journal and lock go beside it
                path.write_bytes(source.read_bytes())
                data = Path(folder) / f"data-{key}-{run}"
                env = {
                    **os.environ,
                    "QT_QPA_PLATFORM": "offscreen",
                    "PYTHONPATH": os.pathsep.join([str(checkout), str(HERE)]),
                    "ANNOTATOR_DATA_DIR": str(data),
                }
                out = subprocess.run(
                    [
                        sys.executable,
                        str(HERE / "app_use_costs.py"),
                        "--child",
                        str(path),
                        str(args.pages),
                        "profile" if args.profile else "-",
                    ],
                    capture_output=True,
                    text=True,
                    env=env,
                    cwd=work,
                    check=False,
                )
                if out.returncode != 0:
                    raise SystemExit(f"app_use_costs: the child failed:\n{out.stderr[-2000:]}")
                if args.profile:
                    print(out.stderr, file=sys.stderr)
                stall, collection, count, peak = (float(v) for v in out.stdout.split()[-4:])
                results[key].append((stall, collection, count, peak))
                print(
                    f"run ({key}): longest stall {stall:.0f} ms, longest full collection {collection:.0f} ms "
                    f"({count:.0f} full collections), peak RSS {peak:.0f} MB",
                    flush=True,
                )
    for key, runs in results.items():
        stalls, collections, peaks = [r[0] for r in runs], [r[1] for r in runs], [r[3] for r in runs]
        what = f"{args.pages} pages" if args.pages else "left alone until the suggesters' runs are back"
        print(
            f"{name}, {what} ({key}): longest stall median {statistics.median(stalls):.0f} ms "
            f"({min(stalls):.0f}-{max(stalls):.0f}), longest full collection median "
            f"{statistics.median(collections):.0f} ms ({min(collections):.0f}-{max(collections):.0f}), peak RSS "
            f"median {statistics.median(peaks):.0f} MB"
        )


if __name__ == "__main__":
    main()
