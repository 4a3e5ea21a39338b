"""Shared fixtures. Qt runs offscreen; settings, recovery journals and logs go to temporary folders, never the
user's."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# No test depends on how fast the machine is: Hypothesis's default 200 ms deadline per example (and its "too slow"
# health check) fail property tests on a busy machine, so every property test runs without them.
settings.register_profile("annotator", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("annotator")

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("ANNOTATOR_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("ANNOTATOR_LOG_DIR", str(tmp_path_factory.mktemp("logs")))


def trap_cases() -> list[dict]:
    """The unicode-trap corpus (copied from ../shared/corpus)."""
    return json.loads((DATA / "unicode-traps.json").read_text(encoding="utf-8"))["cases"]


def qt_position(text: str, cp: int) -> int:
    """Independent oracle: Qt position of code point ``cp`` (UTF-16 units, CR LF folded into one)."""
    return len(text[:cp].replace("\r\n", "\n").encode("utf-16-le")) // 2


@pytest.fixture(autouse=True)
def _gc_mode_undone() -> Iterator[None]:
    """The app's mode of the garbage collector (``gc_pause.keep_long_lived``, which ``run_app`` turns on) undone after
    each test that turned it on: nothing stays frozen, and paused blocks hand their objects over again, for the
    next one."""
    from annotator.io import gc_pause

    yield
    if gc_pause._keeping:
        import gc

        gc_pause._keeping = False
        gc.unfreeze()


@pytest.fixture
def gc_kept() -> None:
    """A test that turns the app's mode of the garbage collector on: no garbage is frozen with what is alive when it
    starts (the mode is undone afterwards by :func:`_gc_mode_undone`)."""
    import gc

    gc.collect()


def frozen_garbage() -> list[object]:
    """The garbage cycles among the frozen objects (``gc.freeze()``), found by unfreezing them and collecting (the
    young generations' garbage is collected first, so only the frozen garbage is returned)."""
    import gc

    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.unfreeze()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
