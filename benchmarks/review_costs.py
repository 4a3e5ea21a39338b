"""What reviewing costs: two annotators of one 1 MB document with 10k spans each, a fifth of bob's spans differing
from alice's (a third relabeled, a third shortened, a third missing).

Run: ``python benchmarks/review_costs.py`` (Qt offscreen for the window). Prints the median of several repetitions
in milliseconds: reading both files and setting up the adjudication; finding the disagreements alone; one decision
and its undo; opening the review window until it is painted; going to the next disagreement; scrolling a
document that is one long paragraph.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from timing import median_ms

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.span import Span
from annotator.review.disagreements import find_disagreements
from annotator.review.gold_file import open_review
from annotator.review.loading import load_review_input

SENTENCE = "Officials in Berlin warned on Monday that prices would rise 🙂 sharply.\r\n"


def write_files(folder: Path, span_count: int = 10_000, sentence: str = SENTENCE, size: int = 1_000_000) -> list[Path]:
    """alice's and bob's annotation files of about ``size`` characters of ``sentence`` repeated."""
    text = sentence * (size // len(sentence))
    step = len(sentence)
    actor = (0, len("Officials in Berlin"))
    warning = (SENTENCE.index("warned"), SENTENCE.index("sharply") + len("sharply"))
    alice, bob = [], []
    sentence = 0
    while len(alice) < span_count:
        base = sentence * step
        for label, (a, b) in (("actor", actor), ("warning", warning)):
            number = len(alice) + 1
            alice.append(
                Span(id=f"s{number}", start=base + a, end=base + b, label=label, text=text[base + a : base + b])
            )
            change = number % 15 if number % 5 == 0 else -1  # every fifth span differs, in turn each way
            if change in (0, 5):
                bob.append(alice[-1].model_copy(update={"label": "claim"}))
            elif change == 10:
                bob.append(alice[-1].model_copy(update={"end": base + b - 1, "text": text[base + a : base + b - 1]}))
            elif change == -1:
                bob.append(alice[-1])
        sentence += 1
    paths = []
    for name, spans in (("alice", alice), ("bob", bob)):
        annotations = AnnotationSet(Document.from_text(text), default_label_set(), name, spans)
        path = folder / f"{name}.annotations.json"
        annotation_file.save(annotations, path)
        paths.append(path)
    return paths


def main() -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator.ui.review.review_window import ReviewWindow

    app = QApplication.instance() or QApplication([])
    ReviewWindow.ask_unsaved = lambda self: QMessageBox.StandardButton.Discard  # never ask, nothing is kept
    with tempfile.TemporaryDirectory() as folder:
        paths = write_files(Path(folder))
        rows = []
        rows.append(
            ("read both files and set up adjudication", median_ms(lambda: open_review(load_review_input(paths))))
        )
        found = load_review_input(paths)
        document = found.documents[0]
        rows.append(("find the disagreements", median_ms(lambda: find_disagreements(document))))
        setup = open_review(found)
        adjudication = setup.adjudication
        count = len(adjudication.disagreements)

        def decide_and_undo() -> None:
            decision = adjudication.take_version(count // 2, "alice")
            decision.redo(adjudication.gold)
            decision.undo(adjudication.gold)

        rows.append(("one decision and its undo (model)", median_ms(decide_and_undo, 21)))

        def open_window() -> None:
            window = ReviewWindow(open_review(found), "big")
            window.show()
            window.repaint()
            app.processEvents()
            window.close()
            app.processEvents()

        rows.append(("open the review window, painted", median_ms(open_window, 3)))
        window = ReviewWindow(setup, "big")
        window.show()
        app.processEvents()

        def next_and_decide() -> None:
            window.next_disagreement()
            window.take_version(1)
            window.view.viewport().repaint()

        rows.append(("next disagreement + take a version, repainted", median_ms(next_and_decide, 21)))

        def undo() -> None:
            window.undo()
            window.view.viewport().repaint()

        rows.append(("undo a decision, repainted", median_ms(undo, 11)))
        window.close()
        # one paragraph (no line breaks): Qt lays it out as one block of thousands of wrapped lines
        (Path(folder) / "one").mkdir()
        paragraph = open_review(
            load_review_input(write_files(Path(folder) / "one", 2_000, SENTENCE.replace("\r\n", " "), 100_000))
        )
        window = ReviewWindow(paragraph, "paragraph")
        window.show()
        app.processEvents()

        def scroll_and_paint() -> None:
            window.view.verticalScrollBar().setValue(window.view.verticalScrollBar().value() + 200)
            window.view.viewport().repaint()

        rows.append(("one 100 KB paragraph, 2k spans: scroll + repaint", median_ms(scroll_and_paint, 11)))
        window.close()
    print(f"2 annotators x 10,000 spans over 1 MB; {count} disagreements")
    print(f"{'what':<50} {'median ms':>10}")
    for what, ms in rows:
        print(f"{what:<50} {ms:>10.1f}")


if __name__ == "__main__":
    main()
