"""In the app, the objects that live long (the window's, each open document's) are kept out of the cyclic collector's
full collections (``gc_pause.keep_long_lived``), and a document opened after another still lets the first go."""

from __future__ import annotations

import gc
import weakref

import pytest

from annotator.io import gc_pause
from annotator.io.gc_pause import keep_long_lived
from annotator.model.annotation_set import AnnotationSet
from annotator.model.pending import PendingSuggestion
from annotator.model.span import Span
from tests.conftest import frozen_garbage


def write_document(folder, name: str, sentences: int):
    text = "".join(f"Officials in Berlin warned {n} times on Monday, the ministry said.\r\n" for n in range(sentences))
    path = folder / f"{name}.txt"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_the_first_document_is_let_go_when_another_opens(window, qtbot, tmp_path, gc_kept):
    keep_long_lived()  # as run_app does once the window is made
    first = write_document(tmp_path, "first", 200)
    assert window.open_path(first)
    for n in range(0, 40, 4):
        window.controller.add_span(n * 66 + 13, n * 66 + 19, "actor")
    assert window.sessions.save(wait=True)
    window.suggesting.run()
    annotations = window.controller.annotations
    watched = weakref.ref(annotations)
    spans = [weakref.ref(span) for span in annotations]
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # the window's objects, the document's
    del annotations
    assert window.open_path(write_document(tmp_path, "second", 50))
    qtbot.waitUntil(lambda: not window.suggesting.busy)  # a run on the first document holds it until it is back
    qtbot.wait(10)
    assert watched() is None and all(span() is None for span in spans)  # freed by reference counting
    # the cycles frozen meanwhile (garbage not yet collected when an open's paused block ended): none of them holds
    # a document's model or a large text
    left = frozen_garbage()
    assert not [o for o in left if isinstance(o, (AnnotationSet, Span, PendingSuggestion))]
    assert not [o for o in left if isinstance(o, (str, bytes)) and len(o) > 1000]
    assert len(left) < 200, [type(o).__name__ for o in left]


def test_an_open_documents_objects_stay_out_of_full_collections(window, tmp_path, gc_kept):
    keep_long_lived()
    path = write_document(tmp_path, "kept", 300)
    assert window.open_path(path)
    for n in range(0, 300, 3):
        window.controller.add_span(n * 66 + 13, n * 66 + 19, "actor")
    assert window.sessions.save(wait=True)
    assert window.open_path(path)  # its annotation file now: parsed in the open's paused block
    annotations = window.controller.annotations
    assert len(annotations) == 100
    walked = {id(o) for generation in range(3) for o in gc.get_objects(generation)}  # what a full collection walks
    assert not [span for span in annotations if id(span) in walked]  # frozen with the open
    assert len(walked) < gc.get_freeze_count() / 4


def test_a_suggesters_background_run_holds_full_collections_off(window, qtbot, tmp_path, monkeypatch):
    from annotator.suggest.string_matcher import StringMatcher

    seen: list[int] = []
    real = StringMatcher._suggested  # what suggest and suggest_first (which the app calls) share

    def watched(self, *args):
        seen.append(gc.get_threshold()[2])
        return real(self, *args)

    monkeypatch.setattr(StringMatcher, "_suggested", watched)
    qtbot.waitUntil(lambda: gc_pause._holding == 0)  # a run an earlier test started is over (its hold too)
    before = gc.get_threshold()
    assert window.open_path(write_document(tmp_path, "runs", 20))
    window.controller.add_span(13, 19, "actor")
    window.suggesting.run()
    qtbot.waitUntil(lambda: bool(seen) and not window.suggesting.busy)
    assert all(threshold > 10**9 for threshold in seen)  # in the worker, during the run
    assert gc.get_threshold() == before  # put back once it ended


@pytest.mark.parametrize("rounds", [1, 4])
def test_what_opens_leave_frozen_is_swept_once_a_document_is_open(
    window, qtbot, tmp_path, gc_kept, monkeypatch, rounds
):
    import annotator.ui.main.opening as opening_module

    monkeypatch.setattr(opening_module, "SWEEP_AFTER_MS", 0)
    monkeypatch.setattr(gc_pause, "SWEEP_LIMIT", 10**8)  # the test process holds far more objects than the app
    keep_long_lived()
    paths = [write_document(tmp_path, "long", 2000), write_document(tmp_path, "short", 20)]
    swept: list[bool] = []
    real = opening_module.sweep_kept
    monkeypatch.setattr(opening_module, "sweep_kept", lambda: swept.append(real()))
    for _ in range(rounds):
        for path in paths:
            before = len(swept)
            assert window.open_path(path)
            qtbot.waitUntil(lambda before=before: len(swept) > before and not window.suggesting.busy)
            qtbot.wait(5)
    assert len(swept) == 2 * rounds and all(swept)  # small documents: swept after each open
    left = frozen_garbage()
    assert len(left) < 60, [type(o).__name__ for o in left]  # what the last open left, not every open's


def test_documents_opened_in_a_row_are_swept_once(window, qtbot, tmp_path, monkeypatch):
    import annotator.ui.main.opening as opening_module

    monkeypatch.setattr(opening_module, "SWEEP_AFTER_MS", 60_000)  # never reached: the wait is ended below
    swept: list[int] = []
    monkeypatch.setattr(opening_module, "sweep_kept", lambda: swept.append(1))
    for n in range(3):  # Next Document pressed in a row: each open restarts the one wait
        assert window.open_path(write_document(tmp_path, f"row{n}", 5))
    sweep = window.opener._sweep
    assert sweep.isActive() and sweep.remainingTime() > 50_000 and swept == []
    sweep.start(0)  # the wait ends
    qtbot.waitUntil(lambda: swept == [1])
    qtbot.wait(20)
    assert swept == [1] and not sweep.isActive()
