"""A closed window lets its parts' worker threads go (none stays idle behind it); a close that is refused keeps them."""

from __future__ import annotations

import threading
from concurrent.futures import Executor, ThreadPoolExecutor


class Recording(Executor):
    """An executor that only records how it was shut down."""

    def __init__(self) -> None:
        self.shut: tuple[bool, bool] | None = None

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.shut = (wait, cancel_futures)


def parts(window):
    return [
        (window.suggesting, "executor"),
        (window.large_opening, "executor"),
        (window.converting, "executor"),
        (window.sessions, "save_executor"),
        (window.incoming, "executor"),  # made now: a made part is let go too
    ]


def test_a_closed_window_lets_every_worker_go_without_waiting(window):
    given = []
    for part, name in parts(window):
        executor = Recording()
        setattr(part, name, executor)
        given.append((part, name, executor))
    window.close()
    for part, name, executor in given:
        assert executor.shut == (False, True), part  # not waited for; what is queued is cancelled
        assert getattr(part, name) is None  # a later use would make a new one, never use a shut one


def test_a_refused_close_keeps_the_workers(window, questions, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Officials in Berlin warned on Monday.", encoding="utf-8")
    assert window.open_path(path)
    window.sessions.settings.autosave = False
    window.controller.add_span(0, 9, "actor")  # unsaved
    questions.script(unsaved="cancel")  # the user stays
    executor = Recording()
    window.suggesting.executor = executor
    window.close()
    assert window.isVisible()  # still open
    assert executor.shut is None and window.suggesting.executor is executor
    window.suggesting.executor = None  # a run its timer starts later makes a real worker


def test_a_run_queued_when_the_window_closes_is_dropped_unheard(window, tmp_path):
    # the suggesters' worker busy with one job and a run queued behind it: closing the window cancels the queued
    # run, whose future is then done (cancelled) at once, on this thread; nobody is told of it, nothing is raised
    path = tmp_path / "a.txt"
    path.write_text("Officials in Berlin warned on Monday. Berlin said so.", encoding="utf-8")
    assert window.open_path(path)
    window.controller.add_span(13, 19, "actor")
    suggesting = window.suggesting
    suggesting.busy_timer.stop()
    release = threading.Event()
    worker = ThreadPoolExecutor(max_workers=1)
    blocker = worker.submit(release.wait, 10)
    suggesting.executor = worker
    heard = []
    suggesting.finished.connect(lambda job, future: heard.append(future))
    suggesting.run()
    queued = [name for name in suggesting._busy]
    assert queued  # a run waits behind the blocker
    try:
        window.close()
    finally:
        release.set()
    blocker.result(timeout=10)
    worker.shutdown(wait=True)
    assert heard == []  # the cancelled run was not reported (its handler would have raised CancelledError)


def test_when_done_tells_of_a_finished_future_only():
    from concurrent.futures import Future

    from annotator.ui.main.workers import when_done

    told = []
    finished, cancelled, failed = Future(), Future(), Future()
    for future in (finished, cancelled, failed):
        future.add_done_callback(when_done(told.append))
    finished.set_result(1)
    assert cancelled.cancel()
    failed.set_exception(ValueError("no"))
    assert told == [finished, failed]  # a failure is told (the part reports it); a cancelled job is not

    def deleted(_future):
        raise RuntimeError("Internal C++ object already deleted.")

    gone = Future()
    gone.set_result(2)
    when_done(deleted)(gone)  # nothing raised into the worker's thread: nobody to tell
