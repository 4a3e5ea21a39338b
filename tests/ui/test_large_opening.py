"""Huge documents open without freezing the window: read off the GUI thread, then put into the view a slice per
event-loop turn with a progress bar and a Cancel button in the status bar; a cancelled open leaves the open document
as it was. Steps are driven by hand (an injected executor and scheduler): no test depends on speed."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from annotator.model.offsets import OffsetMap
from annotator.ui.document.chunked_fill import ChunkedFill, has_long_line, slice_end
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
    opening.stage_every = 0.0  # every step of the load told to the bar (see the test of stage_every)
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


def big_annotation_file(tmp_path, lines: int = 1500):
    """An annotation file of ``2 * lines`` spans, as the app saves it."""
    from annotator.io import annotation_file
    from annotator.io.label_set_file import default_label_set
    from annotator.model.annotation_set import AnnotationSet
    from annotator.model.document import Document

    line = "Officials in Berlin warned 🙂 on Monday.\r\n"
    annotations = AnnotationSet(Document.from_text(line * lines), default_label_set(), "tester")
    for n in range(lines):
        annotations.insert(annotations.new_span(n * len(line), n * len(line) + 9, "actor"))
        annotations.insert(annotations.new_span(n * len(line) + 13, n * len(line) + 26, "warning"))
    path = tmp_path / "big.annotations.json"
    annotation_file.save(annotations, path)
    return path


@pytest.fixture
def stepped(manual, monkeypatch):
    """The manual opening, with the annotation file's load reporting every 500 spans and 16 KB."""
    from annotator.io import annotation_file

    monkeypatch.setattr(annotation_file, "STEP_SPANS", 500)
    monkeypatch.setattr(annotation_file, "STEP_BYTES", 16 * 1024)
    return manual


def test_a_large_annotation_file_shows_its_load_stages(window, stepped, tmp_path):
    opening, executor, schedule = stepped
    path = big_annotation_file(tmp_path)
    seen: list[tuple[str, int, int, int]] = []

    def note(_generation, stage, permille):
        bar = opening.progress.bar
        seen.append((stage, permille, bar.maximum(), bar.value()))
        assert opening.progress.label.text() == f"Opening big.annotations.json: {stage}…"

    opening.stage.connect(note)
    assert window.open_path(path)
    executor.run_all()
    stages = list(dict.fromkeys(stage for stage, *_ in seen))
    assert stages == ["reading", "validating", "building", "checking", "indexing"]
    building = [(permille, maximum, value) for stage, permille, maximum, value in seen if stage == "building"]
    assert [permille for permille, _, _ in building] == [0, 166, 333, 500, 666, 833]
    assert all(maximum == 1000 and value == permille for permille, maximum, value in building)
    validating = [(permille, maximum) for stage, permille, maximum, _ in seen if stage == "validating"]
    # the spans array is validated in pieces (annotation_file.load_in_steps): a bar that moves, not a busy one
    assert validating and all(maximum == 1000 for _, maximum in validating)
    assert [permille for permille, _ in validating] == sorted(permille for permille, _ in validating)
    schedule.run()
    assert not opening.progress.isVisible() and len(window.controller.annotations) == 3000
    assert_view_holds(window.view, window.controller.annotations.text)


def test_steps_of_a_stage_are_told_to_the_bar_at_most_every_stage_every_seconds(window, stepped, tmp_path):
    opening, executor, schedule = stepped
    path = big_annotation_file(tmp_path)
    now = [0.0]

    def clock() -> float:  # 40 ms on at each step
        now[0] += 0.04
        return now[0]

    opening.stage_every, opening.clock = 0.1, clock
    seen: list[tuple[str, int]] = []
    opening.stage.connect(lambda _generation, stage, permille: seen.append((stage, permille)))
    assert window.open_path(path)
    executor.run_all()
    # each stage told at once, then a step when 0.1 s have passed since the last told (every third step here)
    stages = list(dict.fromkeys(stage for stage, _ in seen))
    assert stages == ["reading", "validating", "building", "checking", "indexing"]
    assert [permille for stage, permille in seen if stage == "building"] == [0, 500]  # of 0, 166, ..., 833
    schedule.run()
    assert not opening.progress.isVisible() and len(window.controller.annotations) == 3000


@pytest.mark.parametrize("stage", ["reading", "validating", "building", "checking"])
def test_cancel_while_an_annotation_file_loads_keeps_the_open_document(window, stepped, tmp_path, stage):
    opening, executor, schedule = stepped
    small = tmp_path / "small.txt"
    small.write_text("Short text.\n", encoding="utf-8")
    opening.large_bytes = 10_000
    assert window.open_path(small)
    path = big_annotation_file(tmp_path)
    reached: list[str] = []

    def cancel_at(_generation, name, _permille):
        reached.append(name)
        if name == stage:
            opening.progress.cancel_button.click()

    opening.stage.connect(cancel_at)
    assert window.open_path(path)
    assert executor.run_all() == 1
    assert reached[-1] == stage  # the load stopped at the next step: nothing after the cancel
    assert window.statusBar().currentMessage() == (
        "Opening big.annotations.json cancelled: the open document is unchanged."
    )
    assert not opening.progress.isVisible() and opening.busy is None and opening.fill is None
    schedule.run()  # a fill step left over (the fill began once the text was known) does nothing
    assert window.controller.annotations.text == "Short text.\n" and window.last_message is None
    assert_view_holds(window.view, "Short text.\n")
    assert window.sessions.session.save_path.name == "small.annotations.json"


def test_the_journal_base_is_made_off_the_gui_thread(window, manual, tmp_path, monkeypatch):
    from annotator.io import annotation_file

    _opening, executor, schedule = manual
    calls: list[str] = []
    dumps_bytes = annotation_file.dumps_bytes
    monkeypatch.setattr(
        annotation_file, "dumps_bytes", lambda annotations: calls.append("x") or dumps_bytes(annotations)
    )
    path = tmp_path / "big.txt"
    path.write_bytes(big_text(100).encode("utf-8"))
    assert window.open_path(path)
    executor.run_all()  # the worker: reads, maps, and serializes the new annotations once
    assert len(calls) == 1
    schedule.run()
    annotations = window.controller.annotations
    assert len(calls) == 1 and annotations.text == big_text(100)  # the session took the worker's bytes
    session = window.sessions.session
    assert session._base_json is None  # written to disk by the worker, not kept in memory
    journal = session.journal.path
    header = json.loads(journal.read_bytes().split(b"\n")[0])
    assert header["journal"] == 1 and header["base"] == json.loads(dumps_bytes(annotations))
    assert not list(journal.parent.glob("*.journal-base*"))  # adopted: renamed into the journal, lock gone
    size = journal.stat().st_size
    window.controller.add_span(0, 9, "actor")  # the first edit only appends a line
    assert len(calls) == 1  # nothing serialized on the GUI thread
    lines = journal.read_bytes().split(b"\n")
    assert len(lines) == 3 and lines[2] == b"" and journal.stat().st_size == size + len(lines[1]) + 1


def test_a_journal_base_that_cannot_be_written_ahead_is_kept_for_the_first_edit(window, manual, tmp_path, monkeypatch):
    from annotator.io import annotation_file
    from annotator.io.errors import FileFault
    from annotator.project.journal import JournalBase

    def refuse(*_args, **_kwargs):
        raise FileFault(tmp_path, "could not write the recovery journal's base (disk full)")

    monkeypatch.setattr(JournalBase, "write", refuse)
    _opening, executor, schedule = manual
    path = tmp_path / "big.txt"
    path.write_bytes(big_text(100).encode("utf-8"))
    assert window.open_path(path)
    executor.run_all(), schedule.run()
    session = window.sessions.session
    assert b"".join(session._base_json) == annotation_file.dumps_bytes(window.controller.annotations)
    assert not session.journal.started
    window.controller.add_span(0, 9, "actor")
    header = json.loads(session.journal.path.read_bytes().split(b"\n")[0])
    assert header["base"]["document"]["text"] == big_text(100) and session._base_json is None


def test_a_large_project_document_opens_in_steps_and_can_be_cancelled(window, manual, tmp_path):
    opening, executor, schedule = manual
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Officials in Berlin warned.\n", encoding="utf-8")
    text = big_text(100)
    (folder / "z.txt").write_bytes(text.encode("utf-8"))
    assert window.open_path(folder)
    executor.run_all(), schedule.run()
    assert window.projects.document_id == "a.txt"
    window.projects.open_document_id("z.txt")
    assert opening.busy is not None and opening.progress.isVisible()
    assert "Opening z.txt" in opening.progress.label.text()
    opening.cancel()
    assert executor.run_all() == 1 and schedule.run() == 0
    assert window.projects.document_id == "a.txt" and window.controller.annotations.text.startswith("Officials")
    window.projects.open_document_id("z.txt")
    assert window.controller.annotations.text.startswith("Officials")  # not shown before it is whole
    executor.run_all(), schedule.run()
    assert opening.busy is None and window.projects.document_id == "z.txt"
    assert window.controller.annotations.text == text
    assert_view_holds(window.view, text)


def test_the_spans_per_line_index_is_built_by_the_worker_and_used_as_it_is(window, stepped, tmp_path):
    from annotator.model.span_index import BlockSpanIndex

    _opening, executor, schedule = stepped
    built: list[BlockSpanIndex] = []
    original = BlockSpanIndex.__init__

    def noting(self, *args, **kwargs):
        original(self, *args, **kwargs)
        built.append(self)

    BlockSpanIndex.__init__ = noting
    try:
        assert window.open_path(big_annotation_file(tmp_path))
        executor.run_all()
        assert len(built) == 1  # in the worker's call
        schedule.run()
    finally:
        BlockSpanIndex.__init__ = original
    assert len(built) == 1 and window.view._index is built[0]  # not built again on the GUI thread
    spans = window.controller.annotations
    block = window.view._offsets.block_of(next(iter(spans)).start)
    assert set(map(id, built[0].spans_in_block(block))) <= set(map(id, spans))


def test_a_prepared_index_for_other_spans_is_not_used(qtbot):
    from annotator.io.label_set_file import default_label_set
    from annotator.model.annotation_set import AnnotationSet
    from annotator.model.document import Document
    from annotator.model.span_index import BlockSpanIndex
    from annotator.ui.document.document_view import DocumentView

    view = DocumentView()
    qtbot.addWidget(view)
    text = "Officials in Berlin warned.\nOn Monday.\n"
    annotations = AnnotationSet(Document.from_text(text), default_label_set(), "alice")
    annotations.insert(annotations.new_span(0, 9, "actor"))
    offsets = OffsetMap(text)
    for changed in (False, True):
        index = BlockSpanIndex(offsets, annotations)
        document = view.new_document()
        document.setPlainText(text)
        view.offer_prepared(text, document, offsets, (annotations, index))
        if changed:  # a span more than the index holds
            annotations.insert(annotations.new_span(13, 19, "actor"))
        view.set_annotations(annotations)
        assert (view._index is index) is not changed
        assert len(view._index.spans_in_block(0)) == len(annotations)


def test_the_index_by_offsets_and_label_is_built_by_the_worker_not_by_the_first_edit(window, stepped, tmp_path):
    from annotator.model.annotation_set import AnnotationSet

    _opening, executor, schedule = stepped
    path = big_annotation_file(tmp_path)
    built: list[AnnotationSet] = []
    original = AnnotationSet._built_keys

    def noting(self, *args, **kwargs):
        built.append(self)
        return original(self, *args, **kwargs)

    AnnotationSet._built_keys = noting
    try:
        assert window.open_path(path)
        executor.run_all()
        assert len(built) == 1  # in the worker's call
        schedule.run()
        annotations = window.controller.annotations
        assert built == [annotations] and annotations._keys is not None
        assert list(annotations._keys.items()) == list(original(annotations).items())  # what the lazy build makes
        assert annotations._taken_ids == (3001, 3001)  # new ids counted on after the file's 3,000: none taken
        span = window.controller.add_span(2, 8, "claim")  # the GUI thread's first edit
        assert built == [annotations]  # not built again
        assert span is not None and span.id == "s3001" and annotations.find(span.start, span.end, "claim") is span
    finally:
        AnnotationSet._built_keys = original


def test_the_view_is_filled_while_the_worker_still_checks_the_spans(window, stepped, tmp_path):
    opening, executor, schedule = stepped
    path = big_annotation_file(tmp_path)
    during: list[tuple[str, int]] = []

    def fill_now(_generation, stage, _permille):
        if stage == "building" and not during:  # the text is known: the fill has begun
            assert opening.fill is not None and schedule.steps
            during.append((stage, schedule.run()))  # every slice in, while the worker is still busy
            assert opening.fill.loaded == len(opening.fill.text)
            assert window.controller.annotations is None and window.view.loaded_characters() == 0
            assert opening.progress.label.text() == "Opening big.annotations.json: building…"  # the worker's stage

    opening.stage.connect(fill_now)
    assert window.open_path(path)
    assert executor.run_all() == 1  # the worker ends: the filled document is shown at once
    assert during and during[0][1] > 1
    assert not opening.progress.isVisible() and opening.busy is None and opening.fill is None
    assert len(window.controller.annotations) == 3000
    assert window.view.loaded_characters() == len(window.controller.annotations.text)
    assert_view_holds(window.view, window.controller.annotations.text)


def test_a_file_refused_after_its_text_was_filled_leaves_the_open_document(window, stepped, tmp_path):
    opening, executor, schedule = stepped
    small = tmp_path / "small.txt"
    small.write_text("Short text.\n", encoding="utf-8")
    opening.large_bytes = 10_000
    assert window.open_path(small)
    path = big_annotation_file(tmp_path)
    record = json.loads(path.read_bytes())
    record["document"]["sha256"] = "0" * 64  # refused at "checking", after the text was told
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    assert window.open_path(path)
    executor.run_all()
    assert schedule.run() >= 1  # slices of a fill begun before the refusal: dropped
    assert window.last_message is not None and "big.annotations.json" in window.last_message.text()
    assert not opening.progress.isVisible() and opening.busy is None and opening.fill is None
    assert window.controller.annotations.text == "Short text.\n"
    assert_view_holds(window.view, "Short text.\n")


def test_a_text_told_early_that_the_load_does_not_hold_is_filled_again(window, manual, tmp_path):
    from annotator.io.opening import open_document

    opening, executor, schedule = manual
    path = tmp_path / "big.txt"
    text = big_text(50)
    path.write_bytes(text.encode("utf-8"))
    shown = []

    def work(progress, cancelled, text_ready, bytes_read):
        text_ready("Another text.\n" * 100)
        return open_document(path, window.label_sets.user_label_set(), "tester")

    offered = []
    offer = window.view.offer_prepared
    window.view.offer_prepared = lambda *args: (offered.append(args[1].characterCount() - 1), offer(*args))
    opening.start(path, work, shown.append)
    executor.run_all()
    schedule.run()
    assert len(shown) == 1 and shown[0].annotations.text == text
    assert offered == [OffsetMap(text).qt_length]  # the document offered holds the loaded text, not the one told
    assert opening.fill is None and opening.busy is None


def test_the_annotation_files_stamp_is_hashed_beside_the_load(window, stepped, tmp_path, monkeypatch):
    import hashlib
    import threading

    from annotator.ui.main import large_opening

    _opening, executor, schedule = stepped
    threads: list[str] = []
    real = hashlib.sha256
    path = big_annotation_file(tmp_path)
    file_bytes = path.read_bytes()

    def sha256(data=b""):
        if data == file_bytes:
            threads.append(threading.current_thread().name)
        return real(data)

    monkeypatch.setattr(large_opening.hashlib, "sha256", sha256)  # (hashlib's own: every module's)
    assert window.open_path(path)
    executor.run_all()
    schedule.run()
    assert threads == ["open-hash"]  # the bytes read hashed once, in a thread of their own, while the load went on
    stamp = window.sessions.session.stamp
    assert stamp is not None and stamp.sha256 == real(path.read_bytes()).hexdigest()
    assert stamp.size == path.stat().st_size


def test_the_worker_gives_memory_back_after_the_load_and_after_its_indexes(window, stepped, tmp_path, monkeypatch):
    from annotator.ui.main import large_opening

    _opening, executor, schedule = stepped
    seen: list[str] = []
    monkeypatch.setattr(large_opening, "trim_heap", lambda: seen.append("trim") or True)
    prepare = large_opening.BlockSpanIndex
    monkeypatch.setattr(large_opening, "BlockSpanIndex", lambda *args: seen.append("index") or prepare(*args))
    _opening.stage.connect(lambda _generation, stage, _permille: seen.append(stage))  # direct: the same thread
    assert window.open_path(big_annotation_file(tmp_path))
    executor.run_all()
    stages = [step for number, step in enumerate(seen) if number == 0 or seen[number - 1] != step]
    # before the spans are built (pydantic's buffers freed) and checked (their plain dicts), after the load (the
    # bytes read let go) and after the indexes
    assert [step for step in stages if step not in {"reading", "validating", "indexing"}] == [
        "trim",
        "building",
        "trim",
        "checking",
        "trim",
        "index",
        "trim",
    ]
    schedule.run()
    assert len(window.controller.annotations) == 3000


@pytest.mark.parametrize("case", TRAPS, ids=[case["name"] for case in TRAPS])
def test_the_trap_corpus_fills_exactly_through_qts_slot_without_the_gil(qtbot, case):
    from annotator.ui.document.document_view import DocumentView

    view = DocumentView()
    qtbot.addWidget(view)
    text = case["text"]
    document = view.new_document()
    settings = (document.defaultFont(), document.defaultTextOption().wrapMode(), document.textWidth())
    chunk = 1 if len(text) < 1000 else 997
    long_line = has_long_line(text)  # the large open fills such a text by a cursor (Qt's slot is slow there)
    assert long_line is (case["name"] == "long-line")
    fill = ChunkedFill(text, document, chunk=chunk, without_gil=not long_line)
    done = []
    fill.finished.connect(done.append)
    fill.start()
    assert (fill._helper is not None) is (not long_line) and document.isEmpty()  # in the event loop, not the call
    qtbot.waitUntil(lambda: bool(done), timeout=60_000)
    assert done == [document] and fill.loaded == len(text) and fill._helper is None
    assert (document.defaultFont(), document.defaultTextOption().wrapMode(), document.textWidth()) == settings
    view.setDocument(document)
    assert_view_holds(view, text)


def test_a_fill_without_the_gil_puts_back_only_what_its_helper_changed(qtbot):
    # each of the document's setters lays the whole document out again (100 MB: 0.1-0.3 s on the GUI thread)
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QPlainTextDocumentLayout

    from annotator.ui.document.document_view import DocumentView

    calls: list[str] = []

    class Watched(QTextDocument):
        def setDefaultFont(self, font) -> None:
            calls.append("font")
            super().setDefaultFont(font)

        def setDefaultTextOption(self, option) -> None:
            calls.append("option")
            super().setDefaultTextOption(option)

        def setTextWidth(self, width) -> None:
            calls.append("width")
            super().setTextWidth(width)

    view = DocumentView()
    qtbot.addWidget(view)
    document = Watched(view)
    document.setDocumentLayout(QPlainTextDocumentLayout(document))
    document.setDefaultFont(view.document().defaultFont())
    document.setDefaultTextOption(view.document().defaultTextOption())
    settings = (document.defaultFont(), document.defaultTextOption().wrapMode(), document.textWidth())
    calls.clear()
    fill = ChunkedFill(big_text(20), document, chunk=500, without_gil=True)
    done = []
    fill.finished.connect(done.append)
    fill.start()
    qtbot.waitUntil(lambda: bool(done), timeout=60_000)
    assert (document.defaultFont(), document.defaultTextOption().wrapMode(), document.textWidth()) == settings
    assert calls == ["option"]  # the helper's NoWrap, put back; the font and the width were left as they were


def test_a_long_line_is_found_wherever_it_is():
    from annotator.ui.document import chunked_fill

    limit = chunked_fill.LONG_LINE
    assert not has_long_line("") and not has_long_line(("x" * limit + "\r\n") * 3)
    assert has_long_line("x" * (limit + 1)) and not has_long_line("x" * limit + "\r" + "x" * limit)
    stride = limit // 2
    for start in (0, 1, stride - 1, stride, stride + 1, 3 * stride - 2, 10 * stride + 7):  # across the strides
        text = "ab\n" * (start // 3) + "\n" * (start % 3) + "y" * (limit + 1) + "\n" * 5
        assert len(text) - limit - 6 == start and has_long_line(text), start
        assert not has_long_line(text.replace("y" * (limit + 1), "y" * limit + "\n"))
        assert not has_long_line(text.replace("y" * (limit + 1), "y" * (limit - 1) + "\r" + "y"))


def test_a_fill_without_the_gil_cancelled_inserts_nothing_more(qtbot):
    from annotator.ui.document.document_view import DocumentView

    view = DocumentView()
    qtbot.addWidget(view)
    text = big_text(100)
    document = view.new_document()
    fill = ChunkedFill(text, document, chunk=1000, without_gil=True)
    fill.progress.connect(lambda done, _total: done >= 3000 and fill.cancel())  # its slice queued, not yet in
    stopped = []
    fill.cancelled.connect(lambda: stopped.append(document.characterCount() - 1))
    fill.start()
    qtbot.waitUntil(lambda: bool(stopped), timeout=60_000)
    qtbot.wait(50)  # the queued slice and step are dropped with the helper
    assert stopped == [document.characterCount() - 1] and 0 < stopped[0] < OffsetMap(text[:3000]).qt_length
    assert fill._helper is None and not fill.running and fill.loaded == 3000


def test_the_view_shows_a_filled_document_laid_out_at_its_own_width(window, qtbot, tmp_path):
    # the fill's helper gives the layout the width the view will have (with its scroll bar) and stays its main view
    # through the view's setDocument, so that Qt does not lay every line out again there; the lines must wrap as the
    # view's own layout wraps them
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPlainTextEdit

    opening = window.large_opening
    opening.executor = executor = ManualExecutor()
    opening.large_bytes, opening.chunk = 1024, 1000
    line = "Officials in Berlin warned 🙂 that prices would rise while the minister denied it again. " * 4
    text = (line + "\n") * 300
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("utf-8"))
    widths: list[tuple[int | None, int]] = []
    original = opening._install

    def install(generation: int) -> None:
        widths.append((opening.fill.width, opening._shown_width()))
        original(generation)

    opening._install = install
    assert not window.view.verticalScrollBar().isVisible()  # nothing open: the bar comes with the document
    assert window.open_path(path)
    executor.run_all()
    qtbot.waitUntil(lambda: window.view.loaded_characters() == len(text), timeout=60_000)
    view = window.view
    assert widths and widths[0][0] == widths[0][1] == view.viewport().width()
    assert view.findChildren(QPlainTextEdit) == []  # the helper is gone
    assert view.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAsNeeded

    def heights() -> list[float]:
        block, seen = view.document().firstBlock(), []
        for _ in range(40):
            seen.append(view.blockBoundingRect(block).height())
            block = block.next()
        return seen

    shown = heights()
    QPlainTextEdit.setDocument(view, view.document())  # the view lays every line out again, at its width
    assert heights() == shown
    assert view.blockBoundingRect(view.document().firstBlock()).height() > 2 * view.fontMetrics().lineSpacing()


def test_a_long_or_odd_file_name_never_widens_the_window_and_shows_as_plain_text(window, manual, tmp_path):
    opening, _executor, _schedule = manual
    window.show()
    window.resize(700, 500)
    width = window.width()
    path = tmp_path / ("<b>bold<i>\u202egnp." + "x" * 200 + ".txt")
    path.write_bytes(big_text(200).encode("utf-8"))
    assert window.open_path(path)
    for _ in range(5):
        window.repaint()
    label = opening.progress.label
    assert window.width() == width  # the name is cut, not given room
    assert label.text().startswith("Opening <b>bold<i>\\u202egnp.xxx")  # the direction override shown, not obeyed
    assert label.shown_text().endswith("…") and len(label.shown_text()) < len(label.text())
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert "&lt;b&gt;" in label.toolTip()  # the whole name, escaped


def open_news_shown(window, manual, tmp_path):
    """The window shown at 1300 x 800, opening a large ``news.txt`` by hand (``manual``): its large opening."""
    opening, _executor, _schedule = manual
    window.show()
    window.resize(1300, 800)
    path = tmp_path / "news.txt"
    path.write_bytes(big_text(200).encode("utf-8"))
    assert window.open_path(path)
    return opening


def test_a_short_name_its_remark_and_its_stage_are_shown_whole(qtbot, window, manual, tmp_path, monkeypatch):
    from annotator.ui.main import large_opening

    monkeypatch.setattr(large_opening, "COMFORTABLE_BYTES", 2048)
    opening = open_news_shown(window, manual, tmp_path)
    opening._on_stage(opening.generation, "validating", 500)
    label = opening.progress.label
    assert label.text().startswith("Opening news.txt (") and label.text().endswith(": validating…")
    qtbot.waitUntil(lambda: label.shown_text() == label.text())  # given room by the next layout: nothing cut
    assert label.toolTip() == ""


@pytest.mark.parametrize("width", [None, 600])
def test_a_fill_without_the_gil_tells_nobody_of_each_slice_and_then_unblocks_the_document(qtbot, width):
    # a signal to a Python slot (the layout forgetting its rooms) waits for the GIL while the open's worker holds it:
    # the document is shown nowhere during the fill; ``width``: the helper is kept after it (see ChunkedFill)
    from annotator.ui.document.document_view import DocumentView

    view = DocumentView()
    qtbot.addWidget(view)
    text = big_text(100)
    document = view.new_document()
    told: list[str] = []
    document.contentsChanged.connect(lambda: told.append("contents"))
    fill = ChunkedFill(text, document, chunk=1000, without_gil=True, width=width)
    during: list[bool] = []
    fill.progress.connect(lambda *_: during.append(document.signalsBlocked()))
    done = []
    fill.finished.connect(done.append)
    fill.start()
    qtbot.waitUntil(lambda: bool(done), timeout=60_000)
    assert len(during) > 5 and set(during) == {True} and told == []
    assert not document.signalsBlocked()  # restored before ``finished``, the helper kept or not
    assert document.characterCount() - 1 == OffsetMap(text).qt_length
    fill.let_go()
    document.setPlainText("changed")  # told again
    assert told == ["contents"]


def test_rooms_asked_while_filling_are_not_the_shown_documents(qtbot):
    # the view's spans belong to the document it shows: a block's room asked while another is filled off-screen
    # would be theirs; the filled document's lines get their room once the view takes it
    from annotator.io.label_set_file import default_label_set
    from annotator.model.annotation_set import AnnotationSet
    from annotator.model.document import Document
    from annotator.ui.document.document_view import DocumentView

    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    text = big_text(100)
    shown = AnnotationSet(Document.from_text(text), default_label_set(), "alice")
    for start in range(0, 400, 10):  # nested spans on the first line: room under it
        shown.insert(shown.new_span(start, start + 3, "actor"))
        shown.insert(shown.new_span(start, start + 8, "claim"))
    view.set_annotations(shown)
    qtbot.wait(10)
    first = view.document().firstBlock()
    assert view._room_below(first)[0] > 0
    document = view.new_document()
    fill = ChunkedFill(text, document, chunk=1000, without_gil=True, width=view.viewport().width())
    done = []
    fill.finished.connect(done.append)
    fill.start()
    qtbot.waitUntil(lambda: bool(done), timeout=60_000)
    layout = document.documentLayout()
    assert layout._rooms and all(room == (0.0, {}) for room in layout._rooms.values())  # asked, none given
    view.offer_prepared(text, document, OffsetMap(text))
    view.set_annotations(shown)
    fill.let_go()
    assert view.document() is document and layout._room_below == view._room_below
    assert all(room == view._room_below(document.findBlockByNumber(n)) for n, room in layout._rooms.items())
    assert (
        layout.blockBoundingRect(document.firstBlock()).height()
        > document.firstBlock().layout().boundingRect().height()
    )


def test_a_cancelled_fill_without_the_gil_unblocks_the_document(qtbot):
    from annotator.ui.document.document_view import DocumentView

    view = DocumentView()
    qtbot.addWidget(view)
    document = view.new_document()
    fill = ChunkedFill(big_text(100), document, chunk=1000, without_gil=True)
    fill.progress.connect(lambda done, _total: done >= 2000 and fill.cancel())
    stopped = []
    fill.cancelled.connect(lambda: stopped.append(True))
    fill.start()
    qtbot.waitUntil(lambda: bool(stopped), timeout=60_000)
    assert not document.signalsBlocked() and not document.documentLayout().signalsBlocked()


def test_a_progress_step_repaints_the_opaque_progress_not_the_status_bar_beneath(qtbot, window, manual, tmp_path):
    # QProgressBar.setValue repaints at once; the status bar's paint is Python's (NameSafeStatusBar), which waits for
    # the GIL the open's worker holds: the progress widget is opaque, so the bar's repaint stops at it
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    opening = open_news_shown(window, manual, tmp_path)
    opening._on_stage(opening.generation, "validating", 100)
    qtbot.waitUntil(lambda: opening.progress.bar.isVisible())
    window.repaint()  # whatever waited for a paint, painted now
    QApplication.processEvents()

    class Paints(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.seen.append("status bar" if watched is window.statusBar() else "progress bar")
            return False

    paints = Paints()
    status, bar = window.statusBar(), opening.progress.bar
    status.installEventFilter(paints)
    bar.installEventFilter(paints)
    try:
        for permille in (200, 400, 600):  # painted at once, within the call
            opening._on_stage(opening.generation, "validating", permille)
    finally:
        status.removeEventFilter(paints)
        bar.removeEventFilter(paints)
    assert paints.seen.count("progress bar") == 3 and "status bar" not in paints.seen, paints.seen


def test_an_elided_label_given_its_text_again_does_nothing_and_still_follows_its_room(qtbot, monkeypatch):
    from annotator.ui.plain_text import ElidedLabel

    text = "Opening news.txt: validating the spans of the file"
    label = ElidedLabel(text)
    qtbot.addWidget(label)
    label.show()
    label.resize(120, 20)
    qtbot.waitUntil(lambda: label.width() == 120)
    cut = label.shown_text()
    assert cut.endswith("…") and len(cut) < len(text)
    cuts: list[int] = []
    real_cut = label._cut
    monkeypatch.setattr(label, "_cut", lambda: (cuts.append(1), real_cut()))
    label.setText(text)
    assert cuts == []  # no Qt call: a progress step sets it again while a worker holds the GIL
    label.setMargin(20)  # less room, no resize
    assert len(label.shown_text()) < len(cut)
    margin_cut = label.shown_text()
    label.setContentsMargins(20, 0, 0, 0)
    assert len(label.shown_text()) < len(margin_cut)
    label.clear()
    assert label.text() == "" and label.shown_text() == ""
    label.setText(text)  # the text before the clear is shown again
    assert label.shown_text().endswith("…") and text.startswith(label.shown_text()[:-1])


def test_sizes_are_told_in_megabytes_of_a_million_bytes_as_file_managers_count_them():
    from annotator.ui.main.large_opening import COMFORTABLE_BYTES, megabytes

    assert megabytes(204_752_452) == "205 MB"  # the 1M-span file: "195 MB" in mebibytes
    assert megabytes(100_000_000) == "100 MB" and megabytes(COMFORTABLE_BYTES) == "50 MB"
