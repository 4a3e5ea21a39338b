"""The app against Qt's own limit: open, edit, scroll and save long documents with many spans, beside a bare
``QPlainTextEdit`` that shows the same text with the same highlights applied per block.

Run: ``python benchmarks/app_costs.py [--sizes 100k,1m,10m] [--spans 1k,10k,100k] [--repeat 5] [--suggestions off]
[--baseline-font qt|reading]`` (offscreen Qt).
Inputs are generated: article-like sentences, some with an emoji and some ending in CR LF, and word-aligned spans of
the four labels, every tenth one nested in the one before. Each figure is the median of ``--repeat`` runs in
milliseconds; the ratio is the app's time over the baseline's. Start-up and peak memory (RSS) are measured in child
processes (one per figure), the rest in this process.

What is timed (the app is :class:`annotator.ui.main_window.MainWindow`; "painted" means ``repaint()`` returned):

- start-up: process start to the first painted window, with no file (child process; no baseline);
- open: the annotation file to a painted view with every span highlighted (the baseline: ``setPlainText`` and a
  ``QSyntaxHighlighter`` applying precomputed per-block formats, painted);
- add / delete / undo one span in the middle of the document, until the view is repainted (the baseline:
  re-highlight the touched block and repaint), with the string-match suggester's pending suggestions shown (it
  learns the document's own spans: tens of thousands of suggestions; their count is printed; timed once the
  suggesters' background runs are over, as an edit made after the "Suggesting…" label went), or with suggesting
  turned off (``--suggestions off``: the baseline draws none); and, with suggestions shown, add one span while the
  suggesters' run the add before asked for is under way (the string matcher and the attribution rules, in a worker
  thread beside the window);
- scroll from top to bottom a page at a time, repainting each page: the first time (each line painted for the first
  time) and again (pages seen, the per-line caches warm);
- save the annotation file, and load and validate it (no baseline);
- the span list: sort by label (from the saved order), scroll 50 pages repainting each, and filter it by a word
  (no baseline);
- peak RSS after opening (child process, the app started as `run_app` starts it; the baseline in its own child).
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
from typing import ClassVar

from load_inputs import LABELS, make_text  # the same generated sentences as every benchmark
from timing import app_folders, median_ms

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
COUNTS = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
TABLE_PAGES = 50  # pages of the span list scrolled, one repaint each


def make_spans(text: str, count: int) -> list[tuple[int, int, str]]:
    """``count`` word-aligned spans ``(start, end, label)`` spread over ``text``; every tenth is nested in the
    span before it (a word inside a longer span)."""
    import re

    words = [m.span() for m in re.finditer(r"\w+", text)]
    step = max(1, len(words) * 11 // (max(1, count) * 10))  # every tenth step adds a nested span too
    spans: list[tuple[int, int, str]] = []
    index = 0
    while len(spans) < count and index + 2 < len(words):
        start, end = words[index][0], words[index + 2][1]
        spans.append((start, end, LABELS[len(spans) % 4]))
        if len(spans) % 10 == 9 and len(spans) < count:
            inner = words[index + 1]
            spans.append((inner[0], inner[1], LABELS[(len(spans) + 1) % 4]))
        index += step if step > 2 else 3
    return spans[:count]


def write_input(folder: Path, size: int, count: int) -> tuple[Path, Path]:
    """The text file and its annotation file (spans as an annotator would save them)."""
    from annotator.io import annotation_file
    from annotator.io.label_set_file import default_label_set
    from annotator.model.annotation_set import AnnotationSet
    from annotator.model.document import Document, DocumentSource

    text = make_text(size)
    text_path = folder / f"doc-{size}-{count}.txt"
    text_path.write_bytes(text.encode("utf-8"))
    document = Document.from_text(text, DocumentSource(file_name=text_path.name, encoding="utf-8"))
    annotations = AnnotationSet(document, default_label_set(), "bench")
    for start, end, label in make_spans(text, count):
        annotations.insert(annotations.new_span(start, end, label))
    path = annotation_file.annotation_path_for(text_path)
    annotation_file.save(annotations, path)
    return text_path, path


# -- the baseline: a bare QPlainTextEdit with per-block formats --------------------------------------------------
def baseline_formats(text: str, spans: list[tuple[int, int, str]]):
    """Per Qt block: ``[(start, length, label)]`` in the block's UTF-16 units (computed outside the timings)."""
    from annotator.model.offsets import OffsetMap

    offsets = OffsetMap(text)
    by_block: dict[int, list[tuple[int, int, str]]] = {}
    for start, end, label in sorted(spans, key=lambda s: -(s[1] - s[0])):
        for block in offsets.blocks_of_range(start, end):
            low, high = offsets.block_range(block)
            a, b = max(start, low), min(end, high)
            if a < b:
                base = offsets.to_qt(low)
                by_block.setdefault(block, []).append(
                    (offsets.to_qt(a) - base, offsets.to_qt(b) - offsets.to_qt(a), label)
                )
    return by_block


BASELINE_FONT_VARIABLE = "ANNOTATOR_BENCH_BASELINE_FONT"


def make_baseline(formats):
    """A bare read-only ``QPlainTextEdit`` (900 x 700) and a ``QSyntaxHighlighter`` class that applies ``formats``
    (from :func:`baseline_formats`) to each block: the baseline's whole highlighting. Its font is Qt's default
    unless ``ANNOTATOR_BENCH_BASELINE_FONT`` is ``reading`` (``--baseline-font reading``): then the app's reading
    font (12 pt serif, larger than Qt's default: more pages to lay out and paint)."""
    from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat
    from PySide6.QtWidgets import QPlainTextEdit

    colors = {"actor": "#0072b2", "claim": "#009e73", "warning": "#e69f00", "denial": "#cc79a7"}
    char_formats = {}
    for label, color in colors.items():
        fmt = QTextCharFormat()
        tint = QColor(color)
        tint.setAlpha(70)
        fmt.setBackground(tint)
        char_formats[label] = fmt

    class Highlighter(QSyntaxHighlighter):
        def highlightBlock(self, _text: str) -> None:
            for start, length, label in formats.get(self.currentBlock().blockNumber(), ()):
                self.setFormat(start, length, char_formats[label])

    editor = QPlainTextEdit()
    editor.setReadOnly(True)
    if os.environ.get(BASELINE_FONT_VARIABLE) == "reading":
        from annotator.ui.document.document_view import DEFAULT_POINT_SIZE, READING_FONTS

        font = QFont()
        font.setFamilies(READING_FONTS)
        font.setPointSizeF(DEFAULT_POINT_SIZE)
        editor.setFont(font)
    editor.resize(900, 700)
    return editor, Highlighter


def quiet_qt() -> None:
    """Drop the offscreen platform's "This plugin does not support propagateSizeHints()", printed for every window
    shown; other Qt messages still go to stderr."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def wait_for_open(app, window) -> None:
    """Process events until ``window``'s open is shown: a file of 8 MB or more opens in the background
    (``ui/main/large_opening.py``), and ``open_path`` returns at once."""
    from PySide6.QtCore import QEventLoop

    while window.large_opening.busy is not None:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def wait_for_suggesters(app, window, limit_s: float = 300.0) -> None:
    """Process events until no suggester runs in the background and none is scheduled (the string matcher and the
    attribution rules take seconds on 1 MB; while they run, the window's edits wait for Python's GIL in turns with
    them); says so on stderr when ``limit_s`` seconds were not enough."""
    suggesting = window.suggesting
    deadline = time.perf_counter() + limit_s
    while (suggesting.busy or suggesting.timer.isActive()) and time.perf_counter() < deadline:
        time.sleep(0.02)  # the background run has the GIL to itself meanwhile
        app.processEvents()
    if suggesting.busy or suggesting.timer.isActive():
        print(f"the suggesters still ran after {limit_s:.0f} s: the edits are timed while they run", file=sys.stderr)


def add_while_suggesting(app, window, count: int) -> float:
    """The median ms of ``count`` span adds (each until the view is repainted) made while the suggesters' background
    run that the add before asked for is under way (as an analyst labels a span after another); each add is undone
    afterwards, and the runs waited for."""
    import re

    controller = window.controller
    text = controller.annotations.text
    words = [m.span() for m in re.finditer(r"\w+", text[len(text) // 3 : len(text) // 2])]
    offset = len(text) // 3
    times: list[float] = []
    added = 0
    for n in range(count * 3):
        if len(times) >= count:
            break
        start, end = words[(n * 37) % len(words)]
        busy = window.suggesting.busy
        began = time.perf_counter()
        controller.add_span(offset + start, offset + end, "denial")
        window.view.viewport().repaint()
        elapsed = (time.perf_counter() - began) * 1000
        added += 1
        if busy:
            times.append(elapsed)
        deadline = time.perf_counter() + 5.0  # the run this add asks for starts after the suggesters' short delay
        while not window.suggesting.busy and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.005)
        time.sleep(0.03)  # the run under way when the next add comes
    for _ in range(added):
        window.editing.undo()
    app.processEvents()
    wait_for_suggesters(app, window)
    return statistics.median(times) if times else float("nan")


# -- child processes: start-up and peak memory -----------------------------------------------------------------
def child(mode: str, path: str) -> None:
    """Run in a child process: ``startup`` prints nothing until the first window is painted; ``memory`` and
    ``memory-baseline`` open ``path`` and print the peak RSS in MB."""
    from PySide6.QtWidgets import QApplication

    quiet_qt()
    app = QApplication([])
    if mode == "startup":
        from annotator.ui.main_window import MainWindow

        window = MainWindow("bench")
        window.show()
        window.repaint()
        app.processEvents()
        print("painted", flush=True)
        return
    if mode == "memory":
        # as run_app starts the app: PySide6's check of each imported module read from the file's bytes (its own
        # reads each module's source into linecache for the life of the process: 12 MB over the app's modules)
        from annotator.ui.feature_scan import cheapen_feature_scan

        cheapen_feature_scan()
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        from annotator.io.gc_pause import keep_long_lived
        from annotator.ui.main_window import MainWindow

        window = MainWindow("bench")
        keep_long_lived()
        suggesting_off(window)
        window.show()
        window.open_path(path)
        wait_for_open(app, window)
        window.repaint()
        app.processEvents()
    else:
        from annotator.io import annotation_file

        annotations = annotation_file.load(path)
        spans = [(s.start, s.end, s.label) for s in annotations]
        editor, highlighter = make_baseline(baseline_formats(annotations.text, spans))
        editor.show()
        editor.setPlainText(annotations.text)
        keep = highlighter(editor.document())
        keep.rehighlight()
        editor.repaint()
        app.processEvents()
        del keep
    print(peak_rss_mb(), flush=True)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB: ``VmHWM`` on Linux (``ru_maxrss`` survives ``exec`` there, so a
    child started by a big parent would report the parent's peak), else ``ru_maxrss``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource  # not on Windows

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def in_child(mode: str, path: str = "") -> str:
    """Run :func:`child` in a new Python process (offscreen); returns the last line it printed."""
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, path],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    return result.stdout.strip().splitlines()[-1]


def startup_ms(repeat: int) -> float:
    """Median time from starting a Python process to its first painted main window (no file), milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        in_child("startup")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# -- one input -------------------------------------------------------------------------------------------------
class NeverAsk:
    """The window's questions (:class:`annotator.ui.dialogs.questions.Questions`) answered without asking: unsaved
    work is discarded, recovery and files changed on disk wait, journals are kept, nothing is re-anchored or picked."""

    ANSWERS: ClassVar[dict[str, object]] = {
        "unsaved": "discard",
        "recovery": "later",
        "unreadable_journals": "keep",
        "conflict": "later",
        "reanchor": False,
        "add_labels": False,
        "open_files": [],
        "replace": True,
    }

    def __getattr__(self, name: str):
        answer = self.ANSWERS.get(name)
        return lambda *_args, **_kwargs: answer


SUGGESTIONS_VARIABLE = "ANNOTATOR_BENCH_SUGGESTIONS"


def suggesting_off(window) -> None:
    """Turn suggesting off in ``window`` when the benchmark runs with ``--suggestions off``."""
    if os.environ.get(SUGGESTIONS_VARIABLE) == "off":
        window.suggesting.set_suggestions_enabled(False)


def measure(
    size: int, count: int, folder: Path, repeat: int, suggestions: bool = True
) -> dict[str, tuple[float | None, float | None]]:
    """``{figure: (app, baseline)}`` for one input (ms, or MB for memory; ``"spans"``: how many the file holds)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from annotator.io import annotation_file
    from annotator.io.gc_pause import keep_long_lived
    from annotator.ui.document.span_table import LABEL_COLUMN, START_COLUMN
    from annotator.ui.main_window import MainWindow

    quiet_qt()
    app = QApplication.instance() or QApplication([])
    never_ask = NeverAsk()  # never ask while measuring (the test suite's scripted answerer answers the same way)
    _text_path, path = write_input(folder, size, count)
    annotations = annotation_file.load(path)
    text = annotations.text
    spans = [(s.start, s.end, s.label) for s in annotations]
    formats = baseline_formats(text, spans)
    figures: dict[str, tuple[float | None, float | None]] = {"spans": (float(len(spans)), None)}

    windows: list = []
    keep_long_lived()  # as run_app does once its window is made: the long-lived objects out of full collections

    def open_app() -> None:
        window = MainWindow("bench", questions=never_ask)
        suggesting_off(window)
        window.resize(1300, 820)
        window.show()
        window.open_path(path)
        wait_for_open(app, window)
        window.view.viewport().repaint()
        app.processEvents()  # anything the window scheduled for later (e.g. highlighting) is part of opening
        windows.append(window)

    def close_app() -> None:
        while windows:
            windows.pop().close()
        app.processEvents()

    editors: list = []

    def open_baseline() -> None:
        editor, highlighter = make_baseline(formats)
        editor.show()
        editor.setPlainText(text)
        attached = highlighter(editor.document())
        attached.rehighlight()  # at once: attaching alone only schedules it for the event loop
        editors.append((editor, attached))
        editor.viewport().repaint()
        app.processEvents()

    def close_baseline() -> None:
        while editors:
            editor, _ = editors.pop()
            editor.close()
            editor.deleteLater()
        app.processEvents()

    figures["open"] = (median_ms(open_app, repeat, close_app), median_ms(open_baseline, repeat, close_baseline))
    close_baseline()
    open_baseline()
    editor, highlighter = editors[-1]
    window = windows[-1]
    controller = window.controller
    middle = len(text) // 2
    middle_word = next(i for i in range(middle, len(text)) if text[i].isalnum() and not text[i - 1].isalnum())
    word_end = next(i for i in range(middle_word, len(text)) if not text[i].isalnum())
    block = editor.document().findBlock(middle_word)  # close enough for the baseline: one block re-highlighted

    def add() -> None:
        controller.add_span(middle_word, word_end, "denial")
        window.view.viewport().repaint()

    def delete() -> None:
        added = controller.annotations.find(middle_word, word_end, "denial")
        controller.remove_spans([added.id])
        window.view.viewport().repaint()

    def undo() -> None:
        window.editing.undo()
        window.view.viewport().repaint()

    def baseline_edit() -> None:
        highlighter.rehighlightBlock(block)
        editor.viewport().repaint()

    def reset_add() -> None:
        found = controller.annotations.find(middle_word, word_end, "denial")
        if found is not None:
            controller.remove_spans([found.id])

    def ensure_added() -> None:
        if controller.annotations.find(middle_word, word_end, "denial") is None:
            controller.add_span(middle_word, word_end, "denial")

    if suggestions:
        window.suggesting.run()  # the string-match suggester's run (it learns the document's own spans), not left
    app.processEvents()  # to the timer after the open, so every figure below has the same suggestions
    wait_for_suggesters(app, window)  # a background run holding the GIL meanwhile would be timed, not the view
    shown = len(window.view.shown_suggestions)  # edits and scrolling below draw (and keep up to date) these
    figures["pending suggestions shown"] = (float(shown), None)
    edit_baseline = median_ms(baseline_edit, max(repeat, 11))
    figures["add one span"] = (median_ms(add, max(repeat, 11), reset_add), edit_baseline)
    figures["delete one span"] = (median_ms(delete, max(repeat, 11), ensure_added), edit_baseline)

    def delete_then_undo_setup() -> None:
        ensure_added()
        added = controller.annotations.find(middle_word, word_end, "denial")
        controller.remove_spans([added.id])

    figures["undo (a delete)"] = (median_ms(undo, max(repeat, 11), delete_then_undo_setup), edit_baseline)
    if suggestions:
        figures["add one span, suggesters running"] = (
            add_while_suggesting(app, window, max(repeat, 11)),
            edit_baseline,
        )

    def scroll(view) -> None:
        bar = view.verticalScrollBar()
        bar.setValue(0)
        while bar.value() < bar.maximum():
            bar.setValue(bar.value() + bar.pageStep())
            view.viewport().repaint()

    scroll_repeat = max(1, repeat // 2)
    figures["scroll top to bottom"] = (
        median_ms(lambda: scroll(window.view), scroll_repeat),
        median_ms(lambda: scroll(editor), scroll_repeat),
    )
    figures["scroll again (pages seen)"] = (  # every line painted once already: the per-line caches are warm
        median_ms(lambda: scroll(window.view), scroll_repeat),
        median_ms(lambda: scroll(editor), scroll_repeat),
    )
    figures["save"] = (median_ms(lambda: annotation_file.save(controller.annotations, path), repeat), None)
    figures["load and validate"] = (median_ms(lambda: annotation_file.load(path), repeat), None)
    table = window.span_table

    def sort_table(column: int) -> None:
        table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
        table.viewport().repaint()

    figures["span table: sort by label"] = (
        median_ms(lambda: sort_table(LABEL_COLUMN), repeat, lambda: sort_table(START_COLUMN)),
        None,
    )
    sort_table(START_COLUMN)

    def scroll_table() -> None:
        bar = table.verticalScrollBar()
        bar.setValue(0)
        for _ in range(TABLE_PAGES):
            bar.setValue(bar.value() + bar.pageStep())
            table.viewport().repaint()

    figures[f"span table: {TABLE_PAGES} pages"] = (median_ms(scroll_table, scroll_repeat), None)

    def filter_table(text: str) -> None:
        window.span_list.proxy.set_text_filter(text)
        table.viewport().repaint()

    figures["span table: filter 'ukraine'"] = (
        median_ms(lambda: filter_table("ukraine"), repeat, lambda: filter_table("")),
        None,
    )
    filter_table("")
    close_app()
    close_baseline()
    figures["peak memory (MB)"] = (float(in_child("memory", str(path))), float(in_child("memory-baseline", str(path))))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--sizes", default="100k,1m", help="comma-separated: 100k, 1m, 10m (default 100k,1m)")
    parser.add_argument("--spans", default="1k,10k", help="comma-separated: 1k, 10k, 100k (default 1k,10k)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the median is shown (default 5)")
    parser.add_argument(
        "--suggestions",
        choices=("shown", "off"),
        default="shown",
        help="the string-match suggester's suggestions shown during the edits and scrolls (default), or suggesting "
        "turned off, as the baseline draws none",
    )
    parser.add_argument(
        "--baseline-font",
        choices=("qt", "reading"),
        default="qt",
        help="the baseline's font: Qt's default (default: the figures measured so far), or the app's reading font "
        "(larger: the same pages to lay out and paint as the app)",
    )
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    app_folders("ANNOTATOR_CONFIG_DIR", "ANNOTATOR_DATA_DIR")  # fresh, and removed when the script ends
    os.environ[SUGGESTIONS_VARIABLE] = args.suggestions  # the memory child's window too
    os.environ[BASELINE_FONT_VARIABLE] = args.baseline_font  # the memory child's baseline too
    print(f"{os.cpu_count()} cores; start-up to a painted window: {startup_ms(args.repeat):.0f} ms (median)")
    print(f"{'input':<14} {'figure (ms; memory in MB)':<30} {'app':>10} {'baseline':>10} {'ratio':>7}")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size_name in args.sizes.split(","):
            for count_name in args.spans.split(","):
                if COUNTS[count_name] >= SIZES[size_name]:
                    continue  # more spans than characters: the text holds no more than the next smaller count
                figures = measure(
                    SIZES[size_name], COUNTS[count_name], Path(folder), args.repeat, args.suggestions == "shown"
                )
                spans = int(figures.pop("spans")[0] or 0)
                name = f"{size_name} / {spans / 1000:g}k"  # a short text holds fewer spans than asked for
                for figure, (mine, base) in figures.items():
                    ratio = f"{mine / base:.2f}" if mine is not None and base else "—"
                    base_text = f"{base:.1f}" if base is not None else "—"
                    print(f"{name:<14} {figure:<30} {mine:>10.1f} {base_text:>10} {ratio:>7}")
                    rows.append({"input": name, "figure": figure, "app": mine, "baseline": base})
                sys.stdout.flush()
    if os.environ.get("ANNOTATOR_BENCH_JSON"):
        Path(os.environ["ANNOTATOR_BENCH_JSON"]).write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
