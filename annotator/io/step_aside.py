"""Background work that steps aside while another thread (the window's) is running Python.

Python runs one thread at a time (its GIL). The window's thread enters Python in short bursts, and far more often
than its own Python code shows: PySide asks Python whether a method is overridden at every virtual call Qt makes on
an object whose class is defined in Python (a widget's size hint, a model's ``index``), and a paint of the document
view or of the span list makes hundreds of such calls. While a worker thread runs Python, each of them first waits
for the worker to let go: up to the switch interval (2 ms, :mod:`annotator.ui.gil_sharing`) or the end of the
worker's current call in C. The first paint of a 1M-span document restored while its file was saved in the
background waited so some 0.4-0.9 s in all.

:class:`StepAside` lets the worker notice that: between two of its steps it asks whether its thread had to wait for
another to run Python during the step, and then sleeps a little (GIL released), so that the rest of the other
thread's burst runs without waiting at each call. On Linux the sign is the thread's voluntary context switches
(``getrusage(RUSAGE_THREAD)``, https://man7.org/linux/man-pages/man2/getrusage.2.html): a thread that must hand
Python's GIL over blocks until the other has taken it, and blocks again to take it back; several such switches in a
short step mean the other thread is in a burst (a paint, an edit), while a few in a long one (a timer's slots in 20
ms of serializing) are let be. Elsewhere it is the time the step took beyond the thread's own CPU time. Either sign
moves when any other thread takes the GIL (the window's, or another worker's: two workers then take turns), and the
count also moves when the thread blocks for another reason (a major page fault, a lock in ``malloc``): a step
measured should be CPU work (serializing, sorting, parsing), not a write (callers :meth:`~StepAside.restart` after
one), and work with no other thread running Python seldom sleeps. Work beside a busy window takes a little longer,
and the window does not stall. A suggester's loops step aside through :func:`stepped`.

Nothing here knows about Qt: the window is seen only through the turns the worker did not get.
"""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final, Literal, Protocol, TypeVar

WAITED_S: Final = 0.0005
"""Without context-switch counts: time not spent on the worker's own CPU within one step (seconds) above which
another thread is taken to have run Python meanwhile."""
SLEEP_S: Final = 0.008
"""How long the worker sleeps when it stepped aside (seconds), doubled at each step aside in a row up to
:data:`LONGEST_SLEEP_S` (a paint's burst of calls into Python lasts some 10-150 ms: the rest of it runs without
waiting), back to this after a step that no one else interrupted."""
LONGEST_SLEEP_S: Final = 0.064
"""The longest single sleep (seconds): the work goes on at least a step per this while the window is busy."""
BURST_SWITCHES: Final = 2
"""Voluntary context switches within one step from which another thread is taken to be in a burst of Python (one
hand-over of the GIL and back counts two). Four (two hand-overs) let a 10 ms timer's slots be, but noticed an edit's
burst later: edits made while the suggesters ran took 21 ms (median) against 7 with two and 30 without stepping
aside; with two, a run beside a 10 ms timer sleeps some 8% of its time, and one beside an idle window none."""
BURST_RATE: Final = 500.0
"""...and at least this many a second of the step (a paint calls Python every 0.1-0.5 ms; a 10 ms timer does not
count, and a long step, such as 20,000 spans serialized in 20-40 ms, needs as many switches as its length asks)."""
STEP_ITEMS: Final = 256
"""Items of a loop between two looks of :func:`stepped` (a suggester's loop: some microseconds each)."""

T = TypeVar("T")


class _Ordered(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


S = TypeVar("S", bound=_Ordered)
_local = threading.local()


def _thread_switches() -> Callable[[], int] | None:
    """This thread's count of voluntary context switches, where the system tells it (Linux), else ``None``."""
    try:
        import resource

        who = resource.RUSAGE_THREAD  # type: ignore[attr-defined,unused-ignore]  # Linux only
        resource.getrusage(who)
    except (ImportError, AttributeError, OSError, ValueError):
        return None
    return lambda: resource.getrusage(who).ru_nvcsw


class StepAside:
    """Called between two steps of work in a background thread; sleeps when another thread ran Python during the
    step (see the module's docstring).

    Parameters
    ----------
    enabled: when false, never sleeps (work on the thread the others would wait for: see :meth:`for_this_thread`).
    switches: this thread's count of voluntary context switches (``"system"``, the default:
        ``getrusage(RUSAGE_THREAD).ru_nvcsw`` where there is one); ``None`` measures time instead: the wall clock
        against the thread's CPU time, more than ``waited_s`` seconds apart.
    sleep_s, longest_sleep_s: see :data:`SLEEP_S` and :data:`LONGEST_SLEEP_S`.
    wall, cpu, sleep: the clocks (seconds) and the sleep, injectable for tests: by default ``time.perf_counter``,
        ``time.thread_time`` (this thread's CPU time, https://docs.python.org/3/library/time.html#time.thread_time)
        and ``time.sleep``.

    ``stepped_aside`` counts the sleeps, ``slept_s`` adds them up (seconds given to the other threads).
    """

    def __init__(
        self,
        *,
        enabled: bool = True,
        switches: Callable[[], int] | Literal["system"] | None = "system",
        waited_s: float = WAITED_S,
        sleep_s: float = SLEEP_S,
        longest_sleep_s: float = LONGEST_SLEEP_S,
        wall: Callable[[], float] = time.perf_counter,
        cpu: Callable[[], float] = time.thread_time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.enabled = enabled
        self._switches: Callable[[], int] | None
        if isinstance(switches, str):
            self._switches = _thread_switches() if enabled else None
        else:
            self._switches = switches
        self._waited_s, self._sleep_s, self._longest_s = waited_s, sleep_s, longest_sleep_s
        self._wall, self._cpu, self._sleep = wall, cpu, sleep
        self._next_sleep_s = sleep_s
        self.stepped_aside = 0
        self.slept_s = 0.0
        self.restart()

    @classmethod
    def for_this_thread(cls) -> StepAside:
        """One that steps aside in a background thread and never on the main thread (the window's: it must not
        sleep because a worker ran Python). Make it on the thread that calls it: the count read is the calling
        thread's (a generator's body runs on the thread that iterates it)."""
        return cls(enabled=threading.current_thread() is not threading.main_thread())

    def restart(self) -> None:
        """Start measuring a step now (what came before, e.g. a write to disk, is not counted)."""
        if not self.enabled:
            return
        if self._switches is not None:
            self._at_switches = self._switches()
        self._at_wall, self._at_cpu = self._wall(), self._cpu()

    def _interrupted(self) -> bool:
        """Whether another thread was running Python in a burst during the step measured: at least
        :data:`BURST_SWITCHES` switches, at :data:`BURST_RATE` a second or more (one now and then, such as a timer's
        slot every 10 ms, costs the other thread little: no sleep for it); without switch counts, more than
        ``waited_s`` seconds not on the thread's CPU."""
        wall = self._wall() - self._at_wall
        if self._switches is not None:
            switches = self._switches() - self._at_switches
            return switches >= BURST_SWITCHES and switches >= BURST_RATE * wall
        waited = wall - (self._cpu() - self._at_cpu)
        return waited > self._waited_s

    def __call__(self) -> bool:
        """End the step being measured (sleeping when another thread ran Python meanwhile) and start the next one;
        returns whether it slept."""
        if not self.enabled:
            return False
        slept = self._interrupted()
        if slept:
            self._sleep(self._next_sleep_s)
            self.stepped_aside += 1
            self.slept_s += self._next_sleep_s
            self._next_sleep_s = min(self._next_sleep_s * 2, self._longest_s)
        else:
            self._next_sleep_s = self._sleep_s
        self.restart()
        return slept


def this_threads() -> StepAside:
    """The calling thread's own :class:`StepAside` (:meth:`StepAside.for_this_thread`, made on first use and kept
    for the thread's life): what :func:`stepped` uses, so that deep loops need not be handed one."""
    aside = getattr(_local, "aside", None)
    if aside is None:
        aside = _local.aside = StepAside.for_this_thread()
    return aside


def stepped(items: Iterable[T], every: int = STEP_ITEMS) -> Iterator[T]:
    """``items`` as they come, the calling thread stepping aside (:func:`this_threads`) after every ``every`` of
    them: what the loop over them does counts as the step (the first one measured from the loop's start, not from
    the thread's last look). On the main thread, just ``items``."""
    aside = this_threads()
    if not aside.enabled:
        yield from items
        return
    aside.restart()
    count = 0
    for item in items:
        yield item
        count += 1
        if count == every:
            count = 0
            aside()


SORT_STEP: Final = 10_000
"""Items :func:`sorted_in_steps` sorts in one call (10k tuples: about 10 ms in C, holding Python's GIL)."""


def sorted_in_steps(items: Iterable[S], step: int = SORT_STEP) -> list[S]:
    """``sorted(items)``, the same list (a stable sort), made without one long call in C: ``list.sort`` holds
    Python's GIL until it is done (400k tuples: 0.5 s, the window's thread waiting all along), so runs of ``step``
    items are sorted each in one call and merged by :func:`heapq.merge`, whose Python lets the GIL pass between any
    two items. For items whose ``==`` agrees with their order (tuples of numbers or strings): ``heapq.merge`` tells
    ties apart by ``==``, so items equal by order but unequal by ``==`` (a class with ``__lt__`` alone, NaN) may come
    out of run order."""
    listed = list(items)
    if len(listed) <= step:
        return sorted(listed)
    runs = [sorted(listed[start : start + step]) for start in range(0, len(listed), step)]
    del listed
    return list(heapq.merge(*runs))
