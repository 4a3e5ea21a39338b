"""The switch interval the window sets (ui/gil_sharing.py)."""

import sys

import pytest

from annotator.ui.gil_sharing import PYTHON_DEFAULT_S, SWITCH_INTERVAL_S, share_gil_finely
from annotator.ui.main_window import MainWindow


@pytest.fixture
def default_interval():
    before = sys.getswitchinterval()
    sys.setswitchinterval(PYTHON_DEFAULT_S)
    yield
    sys.setswitchinterval(before)


def test_the_default_interval_is_made_shorter(default_interval):
    assert share_gil_finely()
    assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S)
    assert not share_gil_finely(0.0005)  # set once: not the default any more
    assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S)


def test_an_interval_chosen_by_the_caller_is_kept(default_interval):
    sys.setswitchinterval(0.003)
    assert not share_gil_finely()
    assert sys.getswitchinterval() == pytest.approx(0.003)


def test_the_main_window_shares_the_gil_finely(qtbot, default_interval):
    window = MainWindow("tester")
    qtbot.addWidget(window)
    assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S)
