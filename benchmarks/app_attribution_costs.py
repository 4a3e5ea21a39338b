"""The attribution suggester in the app: how long a run takes on a long document, and how long the window stops
responding meanwhile (it runs in a worker thread; the GUI thread only applies the result).

Run: ``python benchmarks/app_attribution_costs.py [--size 1000000] [--spans 10000] [--repeat 5]`` (offscreen Qt), on
``app_costs.py``'s text (article-like sentences, each with a reporting verb: tens of thousands of suggestions).

Figures (medians of ``--repeat`` runs, milliseconds):

- the suggester alone on the text (no Qt, one thread);
- in the app: from the run's start (an edit's timer firing) until its suggestions are in place (suggested, turned
  into pending suggestions and applied, journal included), with the window's event loop running all along;
- the GUI thread's longest stall meanwhile: the longest gap between two ticks of a 1 ms timer on the GUI thread (the
  worker holds Python's lock in turns, and applying the result is on the GUI thread); and how much of it applying the
  result takes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app_costs import NeverAsk, make_text, quiet_qt, write_input


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--spans", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.io.settings import Settings
    from annotator.suggest.attribution import AttributionSuggester
    from annotator.suggest.suggestion import SuggestionContext
    from annotator.ui.main_window import MainWindow

    text = make_text(args.size)
    alone = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        count = len(AttributionSuggester().suggest(text, SuggestionContext()))
        alone.append((time.perf_counter() - start) * 1000)

    quiet_qt()
    app = QApplication.instance() or QApplication([])
    runs, stalls, applies = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ANNOTATOR_CONFIG_DIR"] = folder  # never the user's settings
        os.environ["ANNOTATOR_DATA_DIR"] = folder
        _text_path, path = write_input(Path(folder), args.size, args.spans)
        settings = Settings(annotator="bench", suggesters=["attribution"])
        window = MainWindow("bench", settings=settings, questions=NeverAsk())
        window.resize(1300, 820)
        window.show()
        suggesting = window.suggesting
        suggesting.timer.setInterval(10**6)  # runs only when the script says
        window.open_path(path)
        app.processEvents()
        apply_ms: list[float] = []
        original_apply = suggesting._apply

        def timed_apply(name, suggested) -> None:
            start = time.perf_counter()
            original_apply(name, suggested)
            apply_ms.append((time.perf_counter() - start) * 1000)

        suggesting._apply = timed_apply  # type: ignore[method-assign]
        for number in range(args.repeat + 1):  # the first run fills the pending list; then each replaces it
            if number:
                span = window.controller.annotations.sorted_spans()[number]
                window.controller.remove_spans([span.id])  # an edit: a new generation, as after the analyst's
                app.processEvents()
            suggesting.timer.stop()
            ticks = QElapsedTimer()
            longest = [0.0]
            ticker = QTimer()
            ticker.setInterval(1)

            def tick(ticks=ticks, longest=longest) -> None:
                longest[0] = max(longest[0], ticks.nsecsElapsed() / 1e6)
                ticks.restart()

            ticker.timeout.connect(tick)
            apply_ms.clear()
            ticks.start()
            ticker.start()
            start = time.perf_counter()
            suggesting.run()
            while suggesting.busy or not apply_ms:
                app.processEvents()
            elapsed = (time.perf_counter() - start) * 1000
            ticker.stop()
            if number:
                runs.append(elapsed)
                stalls.append(longest[0])
                applies.append(apply_ms[0])
        pending = len(window.controller.annotations.suggestions_by_id)
        window.close()
        app.processEvents()
    print(f"{args.size:,} code points, {args.spans:,} spans, {count:,} suggestions ({pending:,} pending); medians of")
    print(f"{args.repeat} runs (ms)")
    print(f"  {'attribution suggester alone':55} {statistics.median(alone):10.1f}")
    print(f"  {'in the app: run to suggestions in place':55} {statistics.median(runs):10.1f}")
    print(f"  {'GUI thread: longest stall meanwhile':55} {statistics.median(stalls):10.1f}")
    print(f"  {'GUI thread: applying the result':55} {statistics.median(applies):10.1f}")


if __name__ == "__main__":
    main()
