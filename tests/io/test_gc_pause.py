"""The cyclic garbage collector paused while a document's objects are built, (in the app) its full collections kept
off the objects that live long, and held off while a suggester runs."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path

import pytest

from annotator.io import annotation_file, gc_pause
from annotator.io.gc_pause import full_collections_held, garbage_collection_paused, keep_long_lived, sweep_kept
from tests.conftest import frozen_garbage

VERSIONS = Path(__file__).resolve().parents[1] / "data" / "versions"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-article.annotations.json"


class Node:
    """An object that can be in a reference cycle and be watched by a weak reference."""

    def __init__(self) -> None:
        self.other: Node | None = None


def garbage_cycle() -> weakref.ref[Node]:
    """Two nodes referring to each other, made now and let go at once (garbage only the collector frees): a weak
    reference to one of them."""
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


def test_a_paused_blocks_objects_go_on_to_the_oldest_generation_by_default():
    frozen = gc.get_freeze_count()
    with garbage_collection_paused():
        assert not gc.isenabled()
        made = [Node() for _ in range(100)]
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    assert all(gc.is_tracked(node) for node in made)


def test_a_nested_block_leaves_the_collector_paused_until_the_outer_ends():
    with garbage_collection_paused():
        with garbage_collection_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_kept_objects_are_frozen_and_still_freed_when_let_go(gc_kept):
    keep_long_lived()
    with garbage_collection_paused():  # as an open parses its file
        annotations = annotation_file.load(SAMPLE)
    assert gc.get_freeze_count() > 1000  # what was alive, and the document's objects
    watched = weakref.ref(annotations)
    spans = [weakref.ref(span) for span in annotations]
    del annotations
    assert watched() is None and all(span() is None for span in spans)  # by reference counting, frozen or not


def test_a_cycle_made_outside_a_paused_block_is_still_collected(gc_kept):
    keep_long_lived()
    watched = garbage_cycle()
    gc.collect()
    assert watched() is None


@pytest.mark.parametrize("path", [SAMPLE, *sorted(VERSIONS.glob("*.annotations.json"))], ids=lambda p: p.name)
def test_a_parse_leaves_no_cycle_to_be_frozen(gc_kept, path):
    # what a paused block makes stays frozen in the app, so a cycle it left would never be collected
    keep_long_lived()
    annotation_file.load(path)
    left = frozen_garbage()
    assert left == []


def test_a_cycle_made_in_a_paused_block_stays_frozen(gc_kept):
    # the price of keeping the blocks' objects out of full collections: the reason a paused block must make none
    keep_long_lived()
    with garbage_collection_paused():
        watched = garbage_cycle()
    gc.collect()
    assert watched() is not None
    gc.unfreeze()
    gc.collect()
    assert watched() is None


def test_full_collections_are_held_off_in_the_block_and_the_threshold_put_back():
    before = gc.get_threshold()
    with full_collections_held():
        young, middle, oldest = gc.get_threshold()
        assert (young, middle) == before[:2] and oldest > 10**9
        watched = garbage_cycle()
        gc.collect(1)  # the young generations' collections go on
        assert watched() is None
    assert gc.get_threshold() == before


def test_overlapping_holds_in_two_threads_put_the_threshold_back_when_the_last_ends():
    before = gc.get_threshold()
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with full_collections_held():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    with full_collections_held():
        thread.start()
        assert inside.wait(10)
    assert gc.get_threshold()[2] > 10**9  # the other thread's block still holds them off
    leave.set()
    thread.join(10)
    assert gc.get_threshold() == before


def test_a_sweep_collects_the_frozen_garbage_within_its_limit_only(gc_kept):
    keep_long_lived()
    with garbage_collection_paused():
        watched = garbage_cycle()
    frozen = gc.get_freeze_count()
    assert not sweep_kept(limit=0)  # more objects than that: not walked
    assert watched() is not None and gc.get_freeze_count() == frozen
    assert sweep_kept(limit=10**8)
    assert watched() is None and gc.get_freeze_count() > 0  # the rest frozen again


def test_no_sweep_outside_the_apps_mode(monkeypatch):
    monkeypatch.setattr(gc_pause, "_keeping", False)  # the command line's, the tests'
    assert not sweep_kept(limit=10**8)
