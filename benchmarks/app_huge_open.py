"""A huge text opened in the app: how long until it is usable, the longest the event loop was blocked meanwhile, and
the peak memory (issue 22: under 5 s, never more than 100 ms at a time, under 1 GB for 100 MB).

Run: ``python benchmarks/app_huge_open.py [--size-mb 100] [--repeat 3]`` (offscreen Qt; each run in its own
process). The text is :func:`app_costs.make_text` (article-like lines, emoji, CR LF every third line). A 10 ms timer
ticks while the file opens; the longest gap between two ticks is the longest stall.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def child(path: str) -> None:
    """Open ``path`` in a main window; print seconds to usable, the longest stall (ms) and the peak RSS (MB)."""
    from app_costs import NeverAsk, peak_rss_mb, quiet_qt
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.ui.main_window import MainWindow

    quiet_qt()
    app = QApplication([])
    window = MainWindow("bench", questions=NeverAsk())
    window.resize(1300, 820)
    window.show()
    app.processEvents()
    clock, gaps = QElapsedTimer(), [0]
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps[0] = max(gaps[0], now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    start = time.perf_counter()
    window.open_path(path)
    while window.view.loaded_characters() == 0 and window.large_opening.busy is not None:
        app.processEvents()
    window.view.viewport().repaint()
    usable = time.perf_counter() - start
    print(f"{usable:.2f} {gaps[0]} {peak_rss_mb():.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    from app_costs import make_text

    os.environ.setdefault("ANNOTATOR_CONFIG_DIR", tempfile.mkdtemp(prefix="annotator-bench-config-"))
    os.environ.setdefault("ANNOTATOR_DATA_DIR", tempfile.mkdtemp(prefix="annotator-bench-data-"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"huge-{args.size_mb}mb.txt"
        path.write_bytes(make_text(args.size_mb * 1_000_000).encode("utf-8"))
        runs = []
        for _ in range(args.repeat):
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},  # this checkout's annotator
            ).stdout.split()
            runs.append((float(out[0]), float(out[1]), float(out[2])))
            print(f"run: usable {out[0]} s, longest stall {out[1]} ms, peak RSS {out[2]} MB", flush=True)
        med = [statistics.median(r[i] for r in runs) for i in range(3)]
        print(f"{args.size_mb} MB text: usable {med[0]:.2f} s, longest stall {med[1]:.0f} ms, peak {med[2]:.0f} MB")


if __name__ == "__main__":
    main()
