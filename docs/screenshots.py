"""Make the README's screenshots of the main window at 1400 x 900: the sample article with a selected warning and its
links, in the light and the dark theme, the sample's text with suggestions (the string matcher's, and the
attribution suggester's with a suggested link), and a selected actor with its kind and group beside the Document
Labels panel.

Run under a display server with fresh settings, so nothing remembered changes what is shown::

    HOME=$(mktemp -d) xvfb-run -s '-screen 0 1400x900x24' python docs/screenshots.py

The sample's annotation file is copied to a temporary folder (the one in ``sample_docs/`` is the user's and is never
written); one actor nested in a warning is added to the copy, so the picture shows a nesting as well.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "sample-article.annotations.json"
TEXT = ROOT / "sample_docs" / "000_3048e0f710b42604.txt"
NESTED = "Chinese companies"  # an actor inside the last warning


def prepared_copy(folder: Path) -> Path:
    """The sample text and its annotations in ``folder``, with the nested actor added; returns the text's path."""
    text_path = folder / TEXT.name
    shutil.copyfile(TEXT, text_path)
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    text = data["document"]["text"]
    start = text.index(NESTED, text.index("sternly warned"))
    data["spans"].append({"id": "s14", "start": start, "end": start + len(NESTED), "label": "actor", "text": NESTED})
    (folder / f"{TEXT.stem}.annotations.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return text_path


def main() -> None:
    os.environ.setdefault("ANNOTATOR_CONFIG_DIR", tempfile.mkdtemp(prefix="annotator-shots-config-"))
    os.environ.setdefault("ANNOTATOR_DATA_DIR", tempfile.mkdtemp(prefix="annotator-shots-data-"))
    from PySide6.QtWidgets import QApplication

    from annotator.ui.main_window import MainWindow

    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        text_path = prepared_copy(Path(folder))
        for theme, name in (("light", "screenshot.png"), ("dark", "screenshot-dark.png")):
            window = MainWindow("analyst")
            window.resize(1400, 900)
            window.show()
            getattr(window.appearance, f"theme_{theme}")()
            window.actions_by_id["view.suggestions"].trigger()  # off: spans only (suggestions have their own shots)
            if not window.open_path(text_path):
                raise SystemExit(f"could not open {text_path}")
            warning = next(s for s in window.controller.annotations if s.text.startswith("any action to support"))
            window.editing.select_span(warning.id, reveal=False)
            for _ in range(10):
                app.processEvents()
            window.grab().save(str(ROOT / "docs" / name))
            print("wrote", ROOT / "docs" / name)
            window.controller.undo_stack.setClean()
            window.close()
        suggestions_shot(app, Path(folder))
        attribution_shot(app, Path(folder))
        actor_shot(app, text_path)


def suggestions_shot(app, folder: Path) -> None:
    """The sample's text alone: four names labeled by hand, their other mentions suggested (dashed), the next
    suggestion selected; ``docs/screenshot-suggestions.png``."""
    import time

    from annotator.ui.main_window import MainWindow

    text_path = folder / "suggestions.txt"
    shutil.copyfile(TEXT, text_path)
    window = MainWindow("analyst")
    window.resize(1400, 900)
    window.show()
    window.appearance.theme_light()
    window.suggesting.set_suggester_active("attribution", False)  # the string matcher's picture
    window.open_path(text_path)
    text = window.controller.annotations.text
    for name in ("Sullivan", "Yang Jiechi", "Beijing", "Russia"):
        start = text.index(name)
        window.controller.add_span(start, start + len(name), "actor")
    for _ in range(50):  # the suggester runs off the edit path, on a timer
        app.processEvents()
        time.sleep(0.01)
    window.suggesting.next_suggestion()
    for _ in range(10):
        app.processEvents()
    window.grab().save(str(ROOT / "docs" / "screenshot-suggestions.png"))
    print("wrote", ROOT / "docs" / "screenshot-suggestions.png")
    window.controller.undo_stack.setClean()
    window.suggesting.set_suggester_active("attribution", True)
    window.close()


def attribution_shot(app, folder: Path) -> None:
    """The sample's text, nothing labeled, with the attribution suggester's suggestions (dashed); the claim of
    Price's quotation selected, its suggested source link drawn to him; ``docs/screenshot-attribution.png``."""
    import time

    from annotator.ui.main_window import MainWindow

    text_path = folder / "attribution.txt"
    shutil.copyfile(TEXT, text_path)
    window = MainWindow("analyst")
    window.resize(1400, 900)
    window.show()
    window.appearance.theme_light()
    window.open_path(text_path)
    annotations = window.controller.annotations
    deadline = time.monotonic() + 60
    while not any(s.suggester == "attribution" for s in annotations.suggestions()) and time.monotonic() < deadline:
        app.processEvents()  # the attribution suggester runs in a worker thread
        time.sleep(0.02)
    claim = next(s for s in annotations.suggestions() if s.text.startswith("any action to support Russia"))
    window.suggesting.select(claim.id, reveal=True)
    window.view.setFocus()
    for _ in range(10):
        app.processEvents()
    window.grab().save(str(ROOT / "docs" / "screenshot-attribution.png"))
    print("wrote", ROOT / "docs" / "screenshot-attribution.png")
    window.close()


def actor_shot(app, text_path: Path) -> None:
    """The sample article with the actor "Price" selected: its kind set (``person``) and grouped with "State
    Department spokesman Ned Price" (the other mention outlined, the group and its statements in the Span panel), the
    document's relevance set in the Document Labels panel; ``docs/screenshot-actor.png``."""
    from annotator.ui.main_window import MainWindow

    window = MainWindow("analyst")
    window.resize(1400, 900)
    window.show()
    window.appearance.theme_light()
    if not window.open_path(text_path):
        raise SystemExit(f"could not open {text_path}")
    controller = window.controller
    from annotator.io.label_set_file import default_label_set

    controller.change_label_set(default_label_set(), "Use the default label set")  # the sample's predates attributes
    spans = {s.text: s for s in controller.annotations}
    price, ned = spans["Price"], spans["State Department spokesman Ned Price"]
    for span in (price, ned):
        controller.set_attribute(span.id, "kind", "person")
    controller.same_entity(price.id, ned.id)
    controller.set_document_label("relevance", "relevant")
    window.actions_by_id["view.suggestions"].trigger()  # hidden: the picture is about the annotations
    window.editing.select_span(price.id, reveal=True)
    window.span_dock.raise_()
    window.view.setFocus()
    for _ in range(10):
        app.processEvents()
    window.grab().save(str(ROOT / "docs" / "screenshot-actor.png"))
    print("wrote", ROOT / "docs" / "screenshot-actor.png")
    controller.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
