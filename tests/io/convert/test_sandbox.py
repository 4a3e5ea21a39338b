"""The sandbox: a converter that hangs, eats memory, raises or dies is refused with its reason, never a hang."""

from __future__ import annotations

import sys

import pytest

from annotator.io.convert.sandbox import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT, run_converter
from annotator.io.convert.source import ConversionError
from tests.io.convert import hostile

posix = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def refusal(converter, **limits) -> str:
    with pytest.raises(ConversionError) as caught:
        run_converter(converter, b"Beijing denied it.", "story.up", **limits)
    assert caught.value.source == "story.up"
    return caught.value.reason


def test_a_normal_conversion_comes_back_whole():
    converted = run_converter(hostile.Upper(), "Zoe\u0308 \U0001f468\u200d\U0001f469 said".encode(), "story.up")
    assert converted.text == "ZOE\u0308 \U0001f468\u200d\U0001f469 SAID"
    assert converted.source.name == "story.up"
    assert converted.source.converter == "upper"
    assert converted.source.left_out == ("nothing",)


def test_defaults_are_a_minute_and_a_gibibyte():
    assert (DEFAULT_TIME_LIMIT, DEFAULT_MEMORY_LIMIT) == (60.0, 1 << 30)


def test_a_converter_that_never_returns_is_killed_at_the_time_limit():
    assert refusal(hostile.Looping(), time_limit=1.5) == "took longer than 1.5 s: refused"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_a_converter_that_allocates_too_much_is_stopped_at_the_memory_limit():
    assert refusal(hostile.Greedy(), memory_limit=512 << 20) == "needed more than 512 MB of memory: refused"


def test_a_converter_that_raises_is_reported_with_its_last_line_on_one_line():
    assert refusal(hostile.Raising()) == "the converter crashed: ValueError: bad table at byte 12 second line"


def test_a_converters_own_refusal_passes_through():
    assert refusal(hostile.Refusing()) == "an encrypted PDF: refused"


@posix
def test_a_converter_that_kills_itself_is_reported_with_the_signal():
    assert refusal(hostile.Killing()) == "the converter crashed: it was killed by signal SIGKILL"


def test_a_converter_that_exits_is_reported_with_its_status():
    assert refusal(hostile.Exiting()) == "the converter crashed: it exited with status 3"
