"""A closed window lets its parts' worker threads go (none stays idle behind it); a close that is refused keeps them."""

from __future__ import annotations

from concurrent.futures import Executor


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
