"""StepAside: a background step interrupted by another thread's Python sleeps, longer when it keeps happening."""

from __future__ import annotations

import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.io.step_aside import LONGEST_SLEEP_S, SLEEP_S, StepAside, sorted_in_steps


class Counter:
    """A thread's voluntary context switches, moved by the test."""

    def __init__(self) -> None:
        self.value = 0

    def __call__(self) -> int:
        return self.value


def test_a_step_no_one_interrupted_does_not_sleep() -> None:
    switches, slept = Counter(), []
    aside = StepAside(switches=switches, sleep=slept.append)
    assert aside() is False
    assert aside() is False
    assert slept == [] and aside.stepped_aside == 0


def test_an_interrupted_step_sleeps_longer_each_time_in_a_row_then_starts_over() -> None:
    switches, slept = Counter(), []
    aside = StepAside(switches=switches, sleep=slept.append, wall=lambda: 0.0)
    for _ in range(6):
        switches.value += 2  # the thread handed Python's GIL over and took it back during the step
        assert aside() is True
    assert slept == [SLEEP_S, SLEEP_S * 2, SLEEP_S * 4, SLEEP_S * 8, LONGEST_SLEEP_S, LONGEST_SLEEP_S]
    assert aside() is False  # no one else ran Python: the next sleep is short again
    switches.value += 2
    aside()
    assert slept[-1] == SLEEP_S
    assert aside.stepped_aside == 7
    assert abs(aside.slept_s - sum(slept)) < 1e-9


def test_one_switch_is_no_burst_nor_a_few_in_a_long_step() -> None:
    switches, slept = Counter(), []
    clock = {"wall": 0.0}
    aside = StepAside(switches=switches, sleep=slept.append, wall=lambda: clock["wall"])
    switches.value += 1  # a lock waited for once
    clock["wall"] += 0.001
    assert aside() is False
    switches.value += 4  # four in a step of 20 ms: 200 a second, a timer every 5 ms
    clock["wall"] += 0.020
    assert aside() is False
    switches.value += 12  # twelve in 20 ms: a paint's burst
    clock["wall"] += 0.020
    assert aside() is True and slept == [SLEEP_S]


def test_what_comes_between_restart_and_the_step_is_not_counted() -> None:
    switches, slept = Counter(), []
    aside = StepAside(switches=switches, sleep=slept.append)
    switches.value += 3  # e.g. a write that blocked
    aside.restart()
    assert aside() is False and slept == []


def test_without_switch_counts_the_time_not_spent_on_the_threads_cpu_counts() -> None:
    clock = {"wall": 0.0, "cpu": 0.0}
    slept: list[float] = []
    aside = StepAside(
        switches=None, waited_s=0.001, wall=lambda: clock["wall"], cpu=lambda: clock["cpu"], sleep=slept.append
    )
    clock["wall"] += 0.004
    clock["cpu"] += 0.0035  # 0.5 ms not on its CPU: under the threshold
    assert aside() is False
    clock["wall"] += 0.004
    clock["cpu"] += 0.001  # 3 ms waiting
    assert aside() is True and slept == [SLEEP_S]


def test_disabled_never_measures_nor_sleeps() -> None:
    switches, slept = Counter(), []
    aside = StepAside(enabled=False, switches=switches, sleep=slept.append)
    switches.value += 5
    assert aside() is False and slept == []


def test_the_main_thread_never_steps_aside_and_a_worker_does() -> None:
    assert StepAside.for_this_thread().enabled is False
    found: list[bool] = []
    worker = threading.Thread(target=lambda: found.append(StepAside.for_this_thread().enabled))
    worker.start()
    worker.join()
    assert found == [True]


def test_the_systems_switch_count_moves_when_a_worker_waits_for_the_gil() -> None:
    """On Linux the worker's count rises when the main thread takes Python's GIL from it (each thread running pure
    Python, the switch interval hands the GIL over: the test runs Python until the worker saw it, a bounded number
    of times, with no clock)."""
    aside = StepAside()
    switches = aside._switches
    if switches is None:  # not Linux: the time is measured instead (tested above)
        return
    started, stop = threading.Event(), threading.Event()
    moved: list[int] = [0]

    def work() -> None:
        start = switches()
        started.set()
        while not stop.is_set():
            sum(range(1000))
            moved[0] = switches() - start

    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    for _ in range(1_000_000):
        if moved[0] > 0:
            break
        sum(range(1000))  # the main thread runs Python too: it asks for the GIL
    stop.set()
    worker.join()
    assert moved[0] > 0


def test_stepped_passes_every_item_and_looks_every_so_many_in_a_worker_never_on_the_main_thread() -> None:
    from annotator.io import step_aside

    assert list(step_aside.stepped(range(1000), every=10)) == list(range(1000))  # main thread: no looks
    seen: list[object] = []

    def work() -> None:
        switches, slept = Counter(), []
        step_aside._local.aside = StepAside(switches=switches, sleep=slept.append, wall=lambda: 0.0)
        out = []
        for item in step_aside.stepped(range(35), every=10):
            out.append(item)
            switches.value += 1  # ten switches every ten items: each look sees a burst
        seen.extend([out, slept, step_aside.this_threads()])

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    out, slept, aside = seen
    assert out == list(range(35))
    assert len(slept) == 3 and aside.stepped_aside == 3  # after items 10, 20 and 30


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(-5, 0)), max_size=300), st.integers(1, 40))
def test_sorted_in_steps_is_sorted(keys, step):
    assert sorted_in_steps(keys, step) == sorted(keys)
    tagged = [(key, str(tag)) for tag, key in enumerate(keys)]  # ties told apart by a later item
    assert sorted_in_steps(tagged, step) == sorted(tagged)


def test_sorted_in_steps_takes_any_iterable():
    assert sorted_in_steps(iter([3, 1, 2]), 2) == [1, 2, 3]
    assert sorted_in_steps((), 2) == []
