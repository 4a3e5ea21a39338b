"""Suggestions in the app: what an edit costs with suggestions on (the suggester runs after it, off the edit path),
and how long the suggestions then take to catch up.

Run: ``python benchmarks/app_suggest_costs.py [--size 1000000] [--spans 10000] [--text varied|repeated]
[--repeat 11]`` (offscreen Qt). Two inputs:

- ``varied`` (the default): words drawn at random from a vocabulary of 30,000 made-up words, with word-aligned
  two-word spans of the four labels at random places: what the analyst labeled recurs now and then, as names do in
  news;
- ``repeated``: ``app_costs.py``'s text, four sentences over and over, with its spans: every labeled string recurs on
  every line, so nearly every word of the screen is suggested (the worst case: hundreds of thousands of
  suggestions).

Each figure is the median of ``--repeat`` runs in milliseconds:

- add one span (suggestions off / on): ``controller.add_span`` in the middle of the document until the view is
  repainted; with suggestions on, the suggester's timer has not fired yet (it fires after the edit);
- catch up: the suggester's run after that edit (match the text, replace the pending suggestions, journal) and the
  repaint that shows them;
- the number of pending suggestions after the run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app_costs import LABELS, NeverAsk, quiet_qt, write_input
from timing import median_ms


def write_varied_input(folder: Path, size: int, count: int) -> Path:
    """A text of about ``size`` code points of made-up words (lines of 12) and its annotation file with ``count``
    two-word spans at random places; returns the annotation file."""
    import random

    from annotator.io import annotation_file
    from annotator.io.label_set_file import default_label_set
    from annotator.model.annotation_set import AnnotationSet
    from annotator.model.document import Document, DocumentSource

    rnd = random.Random(18)
    vocabulary = [
        "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(3, 9))) for _ in range(30_000)
    ]
    vocabulary = [w.capitalize() if i % 5 == 0 else w for i, w in enumerate(vocabulary)]
    lines, length, words = [], 0, []
    while length < size:
        line = [rnd.choice(vocabulary) for _ in range(12)]
        lines.append(" ".join(line) + ".\n")
        length += len(lines[-1])
    text = "".join(lines)
    position = 0
    for line in lines:
        for word in line[:-2].split(" "):
            words.append((position, position + len(word)))
            position += len(word) + 1
        position += 1  # the full stop and the line break: "." then "\n" (the last space was counted)
    text_path = folder / "varied.txt"
    text_path.write_bytes(text.encode("utf-8"))
    annotations = AnnotationSet(
        Document.from_text(text, DocumentSource(file_name=text_path.name)), default_label_set(), "bench"
    )
    for index in sorted(rnd.sample(range(len(words) - 1), count)):
        start, end = words[index][0], words[index + 1][1]
        if annotations.find(start, end, LABELS[index % 4]) is None:
            annotations.insert(annotations.new_span(start, end, LABELS[index % 4]))
    path = annotation_file.annotation_path_for(text_path)
    annotation_file.save(annotations, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--spans", type=int, default=10_000)
    parser.add_argument("--text", choices=("varied", "repeated"), default="varied")
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from annotator.io.settings import Settings
    from annotator.ui.main_window import MainWindow

    quiet_qt()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ANNOTATOR_CONFIG_DIR"] = folder  # never the user's settings
        os.environ["ANNOTATOR_DATA_DIR"] = folder
        if args.text == "varied":
            path = write_varied_input(Path(folder), args.size, args.spans)
        else:
            _text_path, path = write_input(Path(folder), args.size, args.spans)
        figures: dict[str, float] = {}
        for on in (False, True):
            window = MainWindow(
                "bench",
                settings=Settings(annotator="bench", suggestions=on, suggesters=["string-match"]),
                questions=NeverAsk(),
            )
            window.resize(1300, 820)
            window.show()
            window.open_path(path)
            window.suggesting.timer.setInterval(10**6)  # runs only when the script says
            window.suggesting.run()
            window.view.viewport().repaint()
            app.processEvents()
            controller = window.controller
            text = controller.annotations.text
            middle = len(text) // 2
            start = next(i for i in range(middle, len(text)) if text[i].isalnum() and not text[i - 1].isalnum())
            end = next(i for i in range(start, len(text)) if not text[i].isalnum())

            def add(controller=controller, window=window, start=start, end=end) -> None:
                controller.add_span(start, end, "denial")
                window.view.viewport().repaint()

            def reset(controller=controller, window=window, start=start, end=end) -> None:
                found = controller.annotations.find(start, end, "denial")
                if found is not None:
                    controller.remove_spans([found.id])
                window.suggesting.run()
                window.view.viewport().repaint()

            state = "on" if on else "off"
            figures[f"add one span, suggestions {state}"] = median_ms(add, args.repeat, reset)
            if on:

                def catch_up(window=window) -> None:
                    window.suggesting.run()
                    window.view.viewport().repaint()

                def edited(controller=controller, start=start, end=end) -> None:
                    reset()
                    controller.add_span(start, end, "denial")

                figures["catch up after the edit (suggester run + repaint)"] = median_ms(catch_up, args.repeat, edited)
                figures["pending suggestions"] = float(len(controller.annotations.suggestions_by_id))
            window.close()
            app.processEvents()
    print(f"{args.text} text, {args.size:,} code points, {args.spans:,} spans; medians of {args.repeat} runs (ms)")
    for name, value in figures.items():
        print(f"  {name:55} {value:10.1f}")


if __name__ == "__main__":
    main()
