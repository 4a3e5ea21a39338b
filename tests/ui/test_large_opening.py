"""Huge documents open without freezing the window: read off the GUI thread, then put into the view a slice per
event-loop turn with a progress bar and a Cancel button in the status bar; a cancelled open leaves the open document
as it was. Steps are driven by hand (an injected executor and scheduler): no test depends on speed."""

from __future__ import annotations

import json

import pytest

from annotator.model.offsets import OffsetMap
from annotator.ui.document.chunked_fill import ChunkedFill, slice_end
from tests.ui.test_suggesting_attribution import ManualExecutor

TRAPS = json.loads(open("tests/data/unicode-traps.json", encoding="utf-8").read())["cases"]  # noqa: SIM115


class ManualSchedule:
    """Keeps the fill's steps until :meth:`run` runs them (one at a time, as event-loop turns would)."""

    def __init__(self) -> None:
        self.steps: list = []

    def __call__(self, step) -> None:
        self.steps.append(step)

    def run(self, count: int | None = None) -> int:
        ran = 0
        while self.steps and (count is None or ran < count):
            self.steps.pop(0)()
            ran += 1
        return ran


def assert_view_holds(view, text: str) -> None:
    """The view's document is exactly ``text`` (the model's): the same blocks, each with the model's characters."""
    offsets = OffsetMap(text)
    document = view.document()
    assert (document.characterCount() - 1, document.blockCount()) == (offsets.qt_length, offsets.block_count)
    for number in range(offsets.block_count):
        start, end = offsets.block_range(number)
        assert document.findBlockByNumber(number).text() == text[start:end], number


def big_text(lines: int) -> str:
    line = "Officials in Berlin warned 🙂 that prices would rise.\r\n" + "The minister denied it.\n"
    return line * lines


@pytest.fixture
def manual(window):
    """The window's large opening driven by hand, from 1 KB on, 1,000 code points a step."""
    opening = window.large_opening
    opening.executor = executor = ManualExecutor()
    opening.schedule = schedule = ManualSchedule()
    opening.large_bytes, opening.chunk = 1024, 1000
    return opening, executor, schedule


def test_a_large_text_opens_in_steps_with_progress(window, manual, tmp_path):
    opening, executor, schedule = manual
    text = big_text(200)  # about 16,000 code points: 17 steps
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("utf-8"))
    assert window.open_path(path)
    assert opening.progress.isVisible() and "Opening big.txt" in opening.progress.label.text()
    assert window.controller.annotations is None and executor.run_all() == 1
    assert schedule.run(3) == 3
    bar = opening.progress.bar
    assert 0 < bar.value() < bar.maximum() and window.controller.annotations is None  # not shown before it is whole
    assert window.view.loaded_characters() == 0
    schedule.run()
    assert not opening.progress.isVisible() and opening.busy is None
    assert window.controller.annotations.text == text
    assert window.view.loaded_characters() == len(text) == window.view.property("loadedCharacters")
    assert window.view.objectName() == "documentView"
    assert_view_holds(window.view, window.controller.annotations.text)


def test_cancel_leaves_the_open_document_as_it_was(window, manual, tmp_path):
    opening, executor, schedule = manual
    small = tmp_path / "small.txt"
    small.write_text("Short text.\n", encoding="utf-8")
    opening.large_bytes = 10_000
    assert window.open_path(small) and window.controller.annotations.text == "Short text.\n"
    big = tmp_path / "big.txt"
    big.write_bytes(big_text(200).encode("utf-8"))
    assert window.open_path(big)
    executor.run_all()
    schedule.run(2)
    opening.progress.cancel_button.click()
    assert not opening.progress.isVisible() and opening.busy is None
    assert window.statusBar().currentMessage() == "Opening big.txt cancelled: the open document is unchanged."
    schedule.run()  # a step left over does nothing
    assert window.controller.annotations.text == "Short text.\n"
    assert_view_holds(window.view, "Short text.\n")
    assert window.sessions.session.save_path.name == "small.annotations.json"
    assert window.open_path(big)  # and again, to the end
    executor.run_all()
    schedule.run()
    assert_view_holds(window.view, window.controller.annotations.text)


def test_cancel_while_reading_with_nothing_open(window, manual, tmp_path):
    opening, executor, _schedule = manual
    big = tmp_path / "big.txt"
    big.write_bytes(big_text(100).encode("utf-8"))
    assert window.open_path(big)
    opening.cancel()
    assert window.statusBar().currentMessage() == "Opening big.txt cancelled: nothing is open."
    executor.run_all()  # the worker's late result is dropped
    assert window.controller.annotations is None and window.view.loaded_characters() == 0


def test_an_unreadable_large_file_is_named_in_a_message(window, manual, tmp_path):
    opening, executor, _schedule = manual
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00" * 1000 + b"\x00\xd8")  # not text in any encoding the app reads
    assert window.open_path(bad)
    executor.run_all()
    assert not opening.progress.isVisible() and window.controller.annotations is None
    assert window.last_message is not None and "bad.txt" in window.last_message.text()


@pytest.mark.parametrize("case", TRAPS, ids=[case["name"] for case in TRAPS])
def test_the_trap_corpus_fills_exactly_in_small_slices(qtbot, case):
    from annotator.ui.document.document_view import DocumentView

    view = DocumentView()
    qtbot.addWidget(view)
    text = case["text"]
    schedule = ManualSchedule()
    chunk = 1 if len(text) < 1000 else 997  # every boundary, but the 100k-long line in a hundred steps
    fill = ChunkedFill(text, view.new_document(), chunk=chunk, schedule=schedule)
    done = []
    fill.finished.connect(done.append)
    fill.start()
    schedule.run()
    assert done == [fill.document] and fill.loaded == len(text)
    view.setDocument(fill.document)
    assert_view_holds(view, text)


def test_a_slice_never_ends_between_cr_and_lf():
    assert slice_end("ab\r\ncd", 0, 3) == 4
    assert slice_end("ab\rcd", 0, 3) == 3
    assert slice_end("ab", 0, 5) == 2


def test_large_files_show_the_comfort_remark(window, manual, tmp_path, monkeypatch):
    from annotator.ui.main import large_opening

    opening, _executor, _schedule = manual
    monkeypatch.setattr(large_opening, "COMFORTABLE_BYTES", 2048)
    big = tmp_path / "huge.txt"
    big.write_bytes(big_text(100).encode("utf-8"))
    assert window.open_path(big)
    assert "more than the 0 MB the app handles comfortably" in opening.progress.label.text()
