"""The model suggester's training in the app: how long the window stops responding while it trains, in a worker
thread and in a worker process.

Run: ``python benchmarks/app_model_costs.py [--documents 20] [--sentences 12] [--repeat 3]`` (offscreen Qt), on
generated news documents (``tests/suggest/model/news.py``'s templates).

A training here is what the app runs after new spans (:func:`annotator.suggest.model.background.
train_and_validate`): the model on every document, then its 5-fold cross-validation with the learning curve, about
20 CRF trainings. Figures (medians of ``--repeat`` runs, milliseconds):

- the training alone (no Qt, this thread);
- from submitting it until its result is back on the GUI thread, with the event loop running all along, in a
  ``ThreadPoolExecutor(1)`` and in a ``ProcessPoolExecutor(1)`` (spawned, started once beforehand: the app keeps its
  worker process);
- the GUI thread's longest stall meanwhile: the longest gap between two ticks of a 1 ms timer on the GUI thread
  (a worker thread holds Python's lock while it computes features, scores and CRFsuite's calls).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--sentences", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.suggest.model.background import train_and_validate
    from tests.suggest.model.news import corpus

    documents = [(text, tuple(spans)) for text, spans in corpus(7, args.documents, args.sentences)]
    spans = sum(len(s) for _t, s in documents)
    alone = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        outcome = train_and_validate(documents)
        alone.append((time.perf_counter() - start) * 1000)

    app = QApplication.instance() or QApplication([])

    def measure(executor: Executor) -> tuple[float, float]:
        ticks = QElapsedTimer()
        longest = [0.0]
        ticker = QTimer()
        ticker.setInterval(1)

        def tick() -> None:
            longest[0] = max(longest[0], ticks.nsecsElapsed() / 1e6)
            ticks.restart()

        ticker.timeout.connect(tick)
        ticks.start()
        ticker.start()
        start = time.perf_counter()
        future = executor.submit(train_and_validate, documents)
        while not future.done():
            app.processEvents()
        future.result()
        elapsed = (time.perf_counter() - start) * 1000
        ticker.stop()
        return elapsed, longest[0]

    results = {}
    thread = ThreadPoolExecutor(max_workers=1)
    process = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    process.submit(int).result()  # the worker process started (and the app's modules imported) beforehand
    for name, executor in (("thread", thread), ("process", process)):
        runs = [measure(executor) for _ in range(args.repeat)]
        results[name] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
    thread.shutdown()
    process.shutdown()
    validation = outcome.validation
    f1 = validation.f1.value if validation is not None else None
    print(
        f"{args.documents} documents, {spans} spans; cross-validated exact F1 {f1}; medians of {args.repeat} runs (ms)"
    )
    print(f"  {'training + cross-validation alone':50} {statistics.median(alone):10.1f}")
    for name, (elapsed, stall) in results.items():
        print(f"  {'in a worker ' + name + ': submitted to result back':50} {elapsed:10.1f}")
        print(f"  {'in a worker ' + name + ': GUI thread longest stall':50} {stall:10.1f}")


if __name__ == "__main__":
    main()
