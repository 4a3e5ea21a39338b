"""A huge text opened in the app: how long until it is usable, the longest the event loop was blocked meanwhile, and
the peak memory (issue 22: under 5 s, never more than 100 ms at a time, under 1 GB for 100 MB).

Run: ``python benchmarks/app_huge_open.py [--size-mb 100] [--spans-1m] [--repeat 3] [--profile] [--compare CHECKOUT]
[--switch-interval SECONDS] [--wait] [--edit-save [--one-call]]`` (offscreen Qt; each run in its own process,
with a data folder of its own;
``--compare`` runs another checkout's app in turn with this one's, alternating run by run; ``--switch-interval`` sets
``sys.setswitchinterval`` in the child before the open (once its window set the app's 2 ms; 0.005 is Python's
default), an experiment on how long the GUI thread waits for the GIL;
``--wait``: the GUI thread waits for events as the app's event loop does, instead of spinning ``processEvents``). The
text is :func:`app_costs.make_text` (article-like lines, emoji, CR LF every third line); ``--spans-1m`` opens an
annotation file of 1M spans instead (:func:`load_inputs.write_annotation_file`, 20 MB of text, about 205 MB; kept in
``/tmp/annotator-load-bench``; with ``--edit-save`` each run gets a fresh copy of it). A 10 ms timer ticks while the
file opens; the longest gap between two ticks is the longest stall. "Usable" is the document shown and painted
(scrollable, editable); the run goes on until the open is complete (nothing left in progress) and reports that time too.
``--profile`` samples the GUI thread's stack every 5 ms from another thread and prints, for each stall over 80 ms, the
calls it was in (and the other threads' calls: what the open's worker was doing meanwhile). ``--edit-save`` then adds a
span (the first edit: it writes the recovery journal) and saves (Ctrl+S), and reports the longest stall of each and the
save's time until written; with ``--one-call`` the save is made and written in one call on the GUI thread, as a small
document's is (what a background save is compared with). ``--journal later|restore`` (with ``--spans-1m``) opens the
file with a crash journal beside it (one unsaved span, as a killed session leaves it), the recovery question answered
as given, and reports when it was asked; with ``restore`` the run lasts until the restored work is saved.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class StackSampler:
    """Samples the GUI thread's Python stack every ``interval`` seconds from another thread (the GIL is released
    while Qt works in C++, so a sample lands inside a long Qt call too)."""

    def __init__(self, interval: float = 0.005) -> None:
        import threading

        self.samples: list[tuple[float, str]] = []
        self.others: list[tuple[float, str]] = []  # the other threads' stacks (the open's worker)
        self._main = threading.main_thread().ident
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)
        self._thread.start()

    def _run(self, interval: float) -> None:
        import threading
        import traceback

        while not self._stop.wait(interval):
            now = time.perf_counter()
            for ident, frame in sys._current_frames().items():
                if ident == threading.get_ident():
                    continue
                stack = traceback.extract_stack(frame)[-6:]
                where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(stack))
                (self.samples if ident == self._main else self.others).append((now, where))

    def report(self, stalls: list[tuple[float, float]]) -> None:
        """Print the most common stacks sampled during each stall (start, end in ``perf_counter`` seconds)."""
        from collections import Counter

        self._stop.set()
        for begin, end in stalls:
            seen = Counter(where for when, where in self.samples if begin <= when <= end)
            print(f"stall {1000 * (end - begin):.0f} ms at {begin:.2f}:", file=sys.stderr)
            for where, count in seen.most_common(3):
                print(f"  {count} x {where}", file=sys.stderr)
            other = Counter(where for when, where in self.others if begin <= when <= end)
            for where, count in other.most_common(2):
                print(f"  worker {count} x {where}", file=sys.stderr)


class StallWatch:
    """A 10 ms Qt timer ticking in the event loop: :attr:`longest` is the longest gap between two ticks (ms: the
    loop's longest stall), :attr:`stalls` each gap of more than ``over_ms`` as ``(start, end)`` (``perf_counter``
    seconds, for :meth:`StackSampler.report`). Made once the ``QApplication`` exists."""

    def __init__(self, over_ms: float = 80) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.over_ms = over_ms
        self.longest = 0
        self.stalls: list[tuple[float, float]] = []
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last = self._clock.elapsed()
        self._timer = QTimer()
        self._timer.timeout.connect(self._tick)
        self._timer.start(10)

    def _tick(self) -> None:
        now = self._clock.elapsed()
        gap = now - self._last
        self.longest = max(self.longest, gap)
        if gap > self.over_ms:
            end = time.perf_counter()
            self.stalls.append((end - gap / 1000, end))
        self._last = now

    def reset(self) -> None:
        """Start measuring the longest gap afresh, from now."""
        self.longest, self._last = 0, self._clock.elapsed()


def edit_and_save(app: object, window: object, longest: object) -> tuple[float, float, float]:
    """The window's first edit after the open (a span added: it writes the recovery journal) and a save (Ctrl+S; a
    big document's is made and written in the background): the longest the event loop was kept from running during
    each (ms: the ticks' longest gap, ``longest(reset)``), and the save's wall time until written (ms)."""
    sessions = window.sessions  # type: ignore[attr-defined]

    def stall(action: object, busy: object) -> tuple[float, float]:
        longest(True)  # type: ignore[operator]
        start = time.perf_counter()
        action()  # type: ignore[operator]
        while busy():  # type: ignore[operator]
            app.processEvents()  # type: ignore[attr-defined]
            time.sleep(0.002)  # idle as the event loop would be, not spinning against the worker for the GIL
        wall = 1000 * (time.perf_counter() - start)
        for _ in range(5):  # the tick after the last blocking call
            time.sleep(0.012)
            app.processEvents()  # type: ignore[attr-defined]
        return longest(False), wall  # type: ignore[operator]

    added = lambda: window.controller.add_span(0, 3, "claim")  # type: ignore[attr-defined]  # noqa: E731
    edit_stall, _wall = stall(added, lambda: False)
    assert sessions.session.dirty, "the edit was refused"
    save_stall, save_wall = stall(sessions.save, lambda: sessions.session.dirty)  # (in the background: until written)
    return edit_stall, save_stall, save_wall


def child(
    path: str,
    profile: bool = False,
    switch_interval: float | None = None,
    wait: bool = False,
    edit_save: bool = False,
    one_call: bool = False,
    journal: str | None = None,
) -> None:
    """Open ``path`` in a main window; print seconds to usable, the longest stall (ms), the peak RSS (MB) and the
    seconds until the open is complete (with ``journal``: then the seconds until the recovery question, answered
    ``journal``)."""
    from app_costs import NeverAsk, peak_rss_mb, quiet_qt
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    try:  # as the app's run_app does before its window's imports (PySide6's check of each module imported after)
        from annotator.ui.feature_scan import cheapen_feature_scan
    except ImportError:  # a checkout from before it
        pass
    else:
        cheapen_feature_scan()

    from annotator.ui.main_window import MainWindow

    if one_call:  # every document counts as small: saved in one call on the GUI thread
        import annotator.ui.main.sessions

        annotator.ui.main.sessions.PIECES_FROM = sys.maxsize  # type: ignore[misc]
    quiet_qt()
    app = QApplication([])
    questions = NeverAsk()
    asked: list[float] = []
    if journal is not None:
        questions.recovery = lambda _found: asked.append(time.perf_counter()) or journal  # type: ignore[attr-defined]
    window = MainWindow("bench", questions=questions)
    try:  # as run_app does once its window is made (a checkout from before it has no such function)
        from annotator.io.gc_pause import keep_long_lived
    except ImportError:
        pass
    else:
        keep_long_lived()
    if switch_interval is not None:  # after the window, which sets its own (annotator/ui/gil_sharing.py)
        sys.setswitchinterval(switch_interval)
    window.resize(1300, 820)
    window.show()
    app.processEvents()
    watch = StallWatch()
    sampler = StackSampler() if profile else None
    # --wait: block until an event comes, as the app's own event loop does (the timer wakes it every 10 ms); without
    # it the loop spins, taking Python's GIL back after every event (more turns for the window, fewer for the worker)
    flags = QEventLoop.ProcessEventsFlag.WaitForMoreEvents if wait else QEventLoop.ProcessEventsFlag.AllEvents
    start = time.perf_counter()
    window.open_path(path)
    while window.view.loaded_characters() == 0 and window.large_opening.busy is not None:
        app.processEvents(flags)
    window.view.viewport().repaint()
    usable = time.perf_counter() - start
    usable_cpu, usable_peak = time.process_time(), peak_rss_mb()
    while window.large_opening.busy is not None or window.view.loaded_characters() < len(window.view.annotations.text):
        app.processEvents(flags)
    while journal == "restore" and window.sessions.session is not None and window.sessions.session.dirty:
        app.processEvents(flags)  # the restored work, saved (in the background)
    for _ in range(20):  # whatever the open left for later (the span list, the lanes)
        app.processEvents()
        time.sleep(0.01)
    complete = time.perf_counter() - start
    if sampler is not None:
        sampler.report(watch.stalls)
    opened = f"{usable:.2f} {watch.longest} {peak_rss_mb():.0f} {complete:.2f} {usable_cpu:.2f} {usable_peak:.0f}"
    if journal is not None:
        assert asked, "the recovery question was not asked"
        opened += f" {asked[0] - start:.2f}"

    def longest(reset: bool) -> float:
        if reset:
            watch.reset()
        return watch.longest

    extra = " {:.0f} {:.0f} {:.0f}".format(*edit_and_save(app, window, longest)) if edit_save else ""
    print(opened + extra, flush=True)
    sys.stderr.flush()
    os._exit(0)  # not waiting for background work the open started (suggestions on the whole text)


def crash_journal(path: Path) -> Path:
    """A recovery folder (in ``ANNOTATOR_DATA_DIR``) holding the journal a session of ``path`` killed after one edit
    leaves: its base the file as read, then one span added."""
    from annotator.io import annotation_file
    from annotator.model.annotation_set import Change
    from annotator.project.journal import RecoveryJournal

    folder = Path(tempfile.mkdtemp(prefix="crashed-", dir=os.environ["ANNOTATOR_DATA_DIR"])) / "recovery"
    data = path.read_bytes()
    annotations = annotation_file.parse(data, path)
    journal = RecoveryJournal(path, folder=folder)
    journal.open()
    span = annotations.new_span(0, 5, annotations.label_set.names[0])
    journal.record(data, Change(added=(span,)), "Add span")
    journal.release()  # as a killed process leaves it: the lock free, the journal kept
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--spans-1m", action="store_true", help="open a 1M-span annotation file instead")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="name the calls the GUI thread was in when stalled")
    parser.add_argument("--compare", type=Path, help="another checkout whose app runs in turn with this one's")
    parser.add_argument(
        "--switch-interval",
        type=float,
        help="sys.setswitchinterval in the child once its window is made (s; the app sets 0.002)",
    )
    parser.add_argument(
        "--wait",
        action="store_true",
        help="the GUI thread waits for events (as the app's loop does) instead of spinning",
    )
    parser.add_argument("--edit-save", action="store_true", help="then measure the first edit's and a save's stall")
    parser.add_argument("--one-call", action="store_true", help="with --edit-save: the save in one call, not a worker")
    parser.add_argument(
        "--journal",
        choices=["later", "restore"],
        help="with --spans-1m: open the file with a crash journal of one unsaved span, answered so",
    )
    parser.add_argument("--child", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.profile, args.switch_interval, args.wait, args.edit_save, args.one_call, args.journal)
        return
    if args.journal and not args.spans_1m:
        parser.error("--journal needs --spans-1m")
    from app_costs import make_text
    from timing import app_folders

    # fresh, and removed when the script ends (the cache: PySide's module check's answers, kept by the children)
    app_folders("ANNOTATOR_CONFIG_DIR", "ANNOTATOR_DATA_DIR", "ANNOTATOR_CACHE_DIR")
    with tempfile.TemporaryDirectory() as folder:
        if args.spans_1m:
            from load_inputs import kept_1m_file

            kept = kept_1m_file()
            path = Path(folder) / kept.name  # a copy: the app's journal and lock go beside it
            path.write_bytes(kept.read_bytes())
            name = "1M spans"
        else:
            path = Path(folder) / f"huge-{args.size_mb}mb.txt"
            path.write_bytes(make_text(args.size_mb * 1_000_000).encode("utf-8"))
            name = f"{args.size_mb} MB text"
        checkouts = {"this": Path(__file__).parents[1]} | ({"compare": args.compare.resolve()} if args.compare else {})
        runs: dict[str, list[tuple[float, ...]]] = {key: [] for key in checkouts}
        edits: dict[str, list[tuple[float, ...]]] = {key: [] for key in checkouts}
        asks: dict[str, list[float]] = {key: [] for key in checkouts}
        original = path.read_bytes() if args.edit_save or args.journal == "restore" else b""
        crashed = crash_journal(path) if args.journal else None  # a recovery folder holding it, copied to each run
        inputs = set(Path(folder).iterdir())
        for _ in range(args.repeat):
            for key, checkout in checkouts.items():
                if original:  # each run edits and saves the file as it was, not as the run before saved it
                    path.write_bytes(original)
                    for written in set(Path(folder).iterdir()) - inputs:  # the annotation file a save put beside it
                        written.unlink()
                command = [sys.executable, __file__, "--child", str(path)] + (["--profile"] if args.profile else [])
                if args.switch_interval is not None:
                    command += ["--switch-interval", str(args.switch_interval)]
                if args.wait:
                    command.append("--wait")
                if args.edit_save:
                    command.append("--edit-save")
                if args.one_call:
                    command.append("--one-call")
                if args.journal:
                    command += ["--journal", args.journal]
                # a data folder of its own: a run ends without closing its window, so the next run in the same
                # folder would find its recovery journal (its base a 205 MB copy of the 1M-span file) and delete it
                # on the GUI thread during the open (a stall of 90 ms that is the benchmark's, not the open's)
                data = tempfile.mkdtemp(prefix="data-", dir=os.environ["ANNOTATOR_DATA_DIR"])
                if crashed is not None:
                    shutil.copytree(crashed, Path(data) / "recovery")
                try:
                    result = subprocess.run(
                        command,
                        capture_output=True,
                        text=True,
                        env={**os.environ, "PYTHONPATH": str(checkout), "ANNOTATOR_DATA_DIR": data},
                    )
                finally:
                    shutil.rmtree(data, ignore_errors=True)
                if result.returncode:
                    sys.exit(f"run ({key}) failed ({result.returncode}):\n{result.stderr}")
                if args.profile:
                    print(result.stderr, file=sys.stderr)
                out = result.stdout.split()
                if args.journal:  # the question's time last: put with the edits' figures
                    out = [*out[:6], *out[7:], out[6]]
                runs[key].append(tuple(float(value) for value in out[:6]))
                edits[key].append(tuple(float(value) for value in out[6:9]))
                asks[key].append(float(out[-1]) if args.journal else 0.0)
                print(
                    f"run ({key}): usable {out[0]} s (CPU {out[4]} s, peak RSS {out[5]} MB by then), longest stall "
                    f"{out[1]} ms, peak RSS {out[2]} MB, complete {out[3]} s"
                    + (
                        f", first edit: stall {out[6]} ms; save: stall {out[7]} ms, written in {out[8]} ms"
                        if args.edit_save
                        else ""
                    )
                    + (f", recovery asked at {out[-1]} s ({args.journal})" if args.journal else ""),
                    flush=True,
                )
        for key, each in runs.items():
            med = [statistics.median(r[i] for r in each) for i in range(6)]
            print(
                f"{name} ({key}): usable {med[0]:.2f} s (CPU {med[4]:.2f} s, peak {med[5]:.0f} MB by then), longest "
                f"stall {med[1]:.0f} ms, peak {med[2]:.0f} MB, complete {med[3]:.2f} s"
                + (
                    f", first edit: stall {statistics.median(e[0] for e in edits[key]):.0f} ms; save: stall "
                    f"{statistics.median(e[1] for e in edits[key]):.0f} ms, written in "
                    f"{statistics.median(e[2] for e in edits[key]):.0f} ms"
                    if args.edit_save
                    else ""
                )
                + (f", recovery asked at {statistics.median(asks[key]):.2f} s ({args.journal})" if args.journal else "")
            )


if __name__ == "__main__":
    main()
