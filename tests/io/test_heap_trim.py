"""Freed C heap memory is given back to the system after a big load (glibc's ``malloc_trim``)."""

import sys

import pytest

from annotator.io import heap_trim


def test_the_heap_is_trimmed_where_glibc_is_there():
    expected = heap_trim._malloc_trim() is not None
    assert heap_trim.trim_heap() is expected
    if sys.platform.startswith("linux") and "musl" not in sys.version.lower():
        assert expected  # the platform the app's figures are measured on


def test_without_malloc_trim_it_does_nothing(monkeypatch):
    monkeypatch.setattr(heap_trim, "_malloc_trim", lambda: None)
    assert heap_trim.trim_heap() is False


@pytest.mark.parametrize("platform", ["darwin", "win32"])
@pytest.mark.parametrize(
    ("function", "call"),
    [(heap_trim._malloc_trim, heap_trim.trim_heap), (heap_trim._mallopt, heap_trim.map_large_blocks)],
    ids=["malloc_trim", "mallopt"],
)
def test_other_systems_have_neither_function(monkeypatch, platform, function, call):
    function.cache_clear()
    monkeypatch.setattr(heap_trim.sys, "platform", platform)
    try:
        assert function() is None and call() is False
    finally:
        monkeypatch.undo()
        function.cache_clear()


def test_large_blocks_are_mapped_where_glibc_is_there():
    expected = heap_trim._mallopt() is not None
    assert heap_trim.map_large_blocks() is expected  # blocks of LARGE_BLOCK bytes and more mapped
    if sys.platform.startswith("linux") and "musl" not in sys.version.lower():
        assert expected


def test_without_mallopt_nothing_is_mapped(monkeypatch):
    monkeypatch.setattr(heap_trim, "_mallopt", lambda: None)
    assert heap_trim.map_large_blocks() is False


def test_a_refused_threshold_is_told(monkeypatch):
    monkeypatch.setattr(heap_trim, "_mallopt", lambda: lambda param, value: 0)  # glibc's answer to a bad value
    assert heap_trim.map_large_blocks() is False
