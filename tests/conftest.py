"""Shared fixtures. Qt runs offscreen; settings, recovery journals and logs go to temporary folders, never the
user's."""

from __future__ import annotations

import json
import os
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
