"""Start-up costs: process start to the first painted main window, no file (issue 22: within 2.5x a bare
``QMainWindow`` with a ``QPlainTextEdit``).

Each run is a fresh Python process (offscreen), the bare window and the app alternating, so a busy machine slows both
alike. The app goes through its real start path (:func:`annotator.__main__.main`: argument parsing, the system-library
check, the ``QApplication``, its icon, crash reporting, the settings, the window); the child only pre-imports Qt and the
app's modules in the same order to time them apart (PySide6's check of each module imported after it made cheap
right after Qt's import, as the app does), and stops when the finished main window is first painted. Marks,
each from the process's start:

- ``python``: the interpreter's own start, up to the child's first line;
- ``qt``: importing PySide6's widgets and creating the ``QApplication``;
- ``imports``: the app's modules imported before its window shows (``annotator.ui.app``, the main window's module);
- ``shown``: the main window's first paint (the app shows it in its size and place before importing and making the
  rest: its menus, panels and parts);
- ``exec``: the event loop starts (the app: everything made, the recovery offer and a given file's open started);
- ``ready``: the first paint of the main window after that: the whole window on the screen.

The bare window is shown when the loop starts, so its ``shown`` and ``ready`` are one paint. The paints are watched
by an event filter on the main window alone, as the app's own :func:`annotator.ui.app.show_painted` watches: a filter
on the whole application is handed every object's events, and PySide then makes the Python type of each object's
class, with its enums, for Qt's own classes too (on the app's first ``QAnimationTimer`` event some 150 classes' enums,
14 ms), which the app, having no such filter, never pays.

The app is measured twice: as on its first run (``app``: no settings, no saved layout) and as a returning user starts
it (``returning``: the settings and window layout its window saved when closed at the end of the run before; a
layout's restore had shown the Guidelines dock, tabbed behind the Span panel, in passing, and so built it, 50 ms, and
given the text its minimum width).

Bytecode is cached as an installed app has it (pip compiles it at install): the children run without
``PYTHONDONTWRITEBYTECODE``, with their own ``PYTHONPYCACHEPREFIX``, after one warm-up run each. CPU is the child's
process time (user + system), wall the time from spawning it to its report. ``--compare DIR`` runs another checkout's
app (``DIR`` put first on ``sys.path``), first run and returning, alternating with this one's.

Usage: ``python benchmarks/startup_costs.py [--repeat 7] [--compare /work/main]``
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

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
STAGES = ("python", "qt", "imports", "shown", "exec", "ready")


def child(kind: str, spawned: float) -> None:
    """Run in a child process: start a bare window (``kind == "bare"``) or the app, and print one JSON line of
    (wall, CPU) seconds from the process's start at each mark (:data:`STAGES`) once the whole window is painted."""
    marks = {"python": (time.time() - spawned, time.process_time())}

    def mark(stage: str) -> None:
        marks[stage] = (time.time() - spawned, time.process_time())

    from PySide6.QtCore import QEvent, QObject, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication, QMainWindow

    qInstallMessageHandler(lambda *_args: None)  # offscreen's warnings are not the app's
    if kind != "bare":
        try:  # as run_app right after its first import of Qt (a checkout before it has no such module)
            from annotator.ui.feature_scan import cheapen_feature_scan
        except ImportError:
            pass
        else:
            cheapen_feature_scan()
    app = QApplication(sys.argv[:1])
    mark("qt")

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
                if "shown" not in marks:
                    mark("shown")
                if "exec" in marks and "ready" not in marks:
                    mark("ready")
                    if kind == "returning":  # closed as a user closes it: its layout saved for the next run
                        watched.close()
                    app.exit(0)
            return False

    painted = Painted()
    real_exec = QApplication.exec

    def exec_until_painted(*_args: object) -> int:
        mark("exec")
        return real_exec()

    if kind == "bare":
        from PySide6.QtWidgets import QPlainTextEdit

        mark("imports")
        window = QMainWindow()
        window.setCentralWidget(QPlainTextEdit())
        window.resize(1320, 820)
        window.installEventFilter(painted)
        window.show()
        exec_until_painted()
    else:
        import annotator.__main__ as entry
        import annotator.ui.app
        import annotator.ui.main_window  # timed apart from showing the window

        mark("imports")
        QApplication.exec = exec_until_painted  # the real run_app ends in app.exec(): stop at the first paint
        real_show_painted = getattr(annotator.ui.app, "show_painted", None)
        if real_show_painted is None:  # a checkout from before the window was shown early: watched when shown
            window_class = annotator.ui.main_window.MainWindow

            def watched_show(window: QMainWindow) -> None:
                window.installEventFilter(painted)
                QMainWindow.show(window)

            window_class.show = watched_show  # type: ignore[method-assign]
        else:

            def watched_show_painted(window: QMainWindow) -> None:
                window.installEventFilter(painted)
                real_show_painted(window)

            annotator.ui.app.show_painted = watched_show_painted
        entry.main([])
    print(json.dumps({stage: marks[stage] for stage in STAGES}), flush=True)


def run_child(kind: str, checkout: Path, home: Path) -> dict[str, tuple[float, float]]:
    """One fresh child of ``kind`` (``bare`` or ``app``) running ``checkout``'s app; its cumulative stage times."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(checkout)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    env["ANNOTATOR_CONFIG_DIR"] = str(home / "config")  # no remembered file, layout or recovery journal
    env["ANNOTATOR_DATA_DIR"] = str(home / "data")
    env["ANNOTATOR_LOG_DIR"] = str(home / "log")
    env["ANNOTATOR_CACHE_DIR"] = str(home / "cache")
    spawned = time.time()
    result = subprocess.run(
        [sys.executable, str(HERE / "startup_costs.py"), "--child", kind, repr(spawned)],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"startup_costs: the {kind} child failed:\n{result.stderr[-2000:]}")
    marks = json.loads(result.stdout.strip().splitlines()[-1])
    total = time.time() - spawned
    marks["total"] = (total, marks["ready"][1])
    return marks


def report(name: str, runs: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Print the medians (ms from the process's start) of each mark and of the total (to the report), wall and CPU;
    return them."""
    medians: dict[str, tuple[float, float]] = {}
    for stage in (*STAGES, "total"):
        walls = [marks[stage][0] * 1000 for marks in runs]
        cpus = [marks[stage][1] * 1000 for marks in runs]
        medians[stage] = (statistics.median(walls), statistics.median(cpus))
    shown = "  ".join(f"{stage} {wall:.0f}/{cpu:.0f}" for stage, (wall, cpu) in medians.items())
    print(f"{name:<20} {shown}  (ms wall/CPU at each mark, medians of {len(runs)})")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each (median; default 7)")
    parser.add_argument("--compare", type=Path, help="another checkout whose app runs alternating with this one's")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], float(args.child[1]))
        return
    variants = {"bare": ("bare", CHECKOUT), "app": ("app", CHECKOUT), "returning": ("returning", CHECKOUT)}
    if args.compare:
        variants["compared"] = ("app", args.compare.resolve())
        variants["compared, returning"] = ("returning", args.compare.resolve())
    runs: dict[str, list[dict[str, tuple[float, float]]]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory(prefix="startup-costs-") as folder:
        homes = {name: Path(folder) / name for name in variants}
        for home in homes.values():
            home.mkdir()
        for name, (kind, checkout) in variants.items():
            run_child(kind, checkout, homes[name])  # warm-up: compiles and caches the bytecode
        for _ in range(args.repeat):
            for name, (kind, checkout) in variants.items():
                runs[name].append(run_child(kind, checkout, homes[name]))
    print(f"{os.cpu_count()} cores; process start to the first painted window, no file")
    medians = {name: report(name, variant_runs) for name, variant_runs in runs.items()}
    for name in variants:
        if name == "bare":
            continue
        for stage, what in (("shown", "window shown"), ("ready", "whole window painted")):
            (wall, cpu), (bare_wall, bare_cpu) = medians[name][stage], medians["bare"][stage]
            print(f"{name}, {what}: {wall / bare_wall:.1f}x the bare window (wall), {cpu / bare_cpu:.1f}x (CPU)")


if __name__ == "__main__":
    main()
