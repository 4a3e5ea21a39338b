"""What crash safety costs per edit: journaling one change, autosaving the whole file, and noticing a change on disk.

Run: ``python benchmarks/session_costs.py`` (no Qt). Prints the median of several repetitions for an article-like
document of about 1 MB with 1k and 10k spans. Journals and files go to a temporary folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from timing import app_folders, median_ms

from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.commands import AddSpan
from annotator.model.document import Document
from annotator.project.session import DocumentSession

SENTENCE = "Officials in Berlin warned on Monday that prices would rise 🙂 sharply.\r\n"


def measure(span_count: int, folder: Path) -> tuple[float, float, float]:
    text = SENTENCE * (1_000_000 // len(SENTENCE))
    annotations = AnnotationSet(Document.from_text(text), default_label_set(), "bench")
    step = len(SENTENCE)
    for n in range(span_count):
        base = (n % (len(text) // step)) * step + (n // (len(text) // step)) % 3 * 13
        annotations.insert(annotations.new_span(base, base + 9, "actor"))
    session = DocumentSession(annotations, folder / f"b{span_count}.annotations.json", annotator="bench")
    session.start()
    session.save()
    offsets = iter(range(0, len(text) - step, step))

    def record() -> None:
        start = next(offsets) + 13
        command = AddSpan(annotations.new_span(start, start + 6, "warning"))
        session.record(command.redo(annotations), command.text)

    record_ms = median_ms(record, 200)
    save_ms = median_ms(lambda: session.save(), 7)
    check_ms = median_ms(session.disk_changed, 200)
    session.close()
    return record_ms, save_ms, check_ms


def main() -> None:
    app_folders("ANNOTATOR_DATA_DIR")  # fresh, and removed when the script ends
    with tempfile.TemporaryDirectory(prefix="annotator-bench-files-") as name:
        run(Path(name))


def run(folder: Path) -> None:
    """Measure into ``folder`` and print."""
    print(f"{'spans':>7} {'journal one change':>20} {'autosave (whole file)':>23} {'check disk':>12}")
    for count in (1_000, 10_000):
        record_ms, save_ms, check_ms = measure(count, folder)
        print(f"{count:>7} {record_ms:>17.3f} ms {save_ms:>20.1f} ms {check_ms:>9.3f} ms")


if __name__ == "__main__":
    main()
