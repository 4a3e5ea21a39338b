"""The background warm-up after start-up (ui/warm_up.py): the first edit finds the word patterns made."""

import threading

from annotator.model import words
from annotator.ui import warm_up
from annotator.ui.main_window import MainWindow
from annotator.ui.warm_up import schedule_warm_up, start_warm_up


def test_the_warm_up_runs_each_step_in_a_thread_of_its_own_and_goes_on_after_a_failure():
    ran = []

    def fails():
        ran.append(("fails", threading.current_thread().name))
        raise RuntimeError("broken")

    thread = start_warm_up([fails, lambda: ran.append(("next", threading.current_thread().name))])
    thread.join()
    assert ran == [("fails", "warm-up"), ("next", "warm-up")]
    assert thread.daemon


def test_the_default_warm_up_makes_the_word_patterns(monkeypatch):
    monkeypatch.setattr(words, "_made", [])
    start_warm_up().join()
    assert len(words._made) == 1 and words._patterns() is words._made[0]
    assert words.snap_to_words("the minister's claim", 5, 7) == (4, 12)  # the possessive left out


def test_the_main_window_schedules_the_warm_up_after_it_is_built(qtbot, monkeypatch):
    started = []
    monkeypatch.setattr("annotator.ui.warm_up.start_warm_up", lambda work=None: started.append(work))
    monkeypatch.setattr(warm_up, "WARM_UP_DELAY_MS", 0)
    window = MainWindow("tester")
    qtbot.addWidget(window)
    assert started == []  # not while the window is built: after, from the event loop
    qtbot.waitUntil(lambda: started == [None])


def test_a_warm_up_owned_by_a_closed_window_never_starts(qtbot, monkeypatch):
    import shiboken6
    from PySide6.QtCore import QObject

    started = []
    monkeypatch.setattr("annotator.ui.warm_up.start_warm_up", lambda work=None: started.append(work))
    owner = QObject()
    timer = schedule_warm_up(owner, 0)
    assert timer.isActive()
    shiboken6.delete(owner)  # the window gone before the event loop ran the timer
    assert not shiboken6.isValid(timer)
    qtbot.wait(10)
    assert started == []
