"""Opening a document that must be converted (a web page, Word or PDF file) off the GUI thread: the converter's
child process is waited for in a worker thread, "Converting page.pdf…" shows in the status bar, and the window stays
responsive. Only the latest request counts: a result for an earlier one is dropped."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from annotator.io.errors import FileFault
from annotator.io.opening import OpenedDocument
from annotator.ui.main.notices import Notices
from annotator.ui.main.workers import let_go, when_done
from annotator.ui.plain_text import NameSafeStatusBar


class Converting(QObject):
    """Runs blocking openings (:func:`annotator.io.opening.open_document` and the like) in ``executor``.

    Parameters
    ----------
    notices, status: where a refused file's one-line message and the "Converting…" remark go.
    executor: runs the openings (default: one worker thread); tests pass one that runs them at once or when told.

    Attributes
    ----------
    generation: counts requests; a result of an earlier one is dropped.
    busy: the file being converted now, or ``None``.

    Signals
    -------
    finished(int, object, object): a run ended (its generation, its future, what to do with the opened document);
        queued to the GUI thread.
    """

    finished = Signal(int, object, object)

    def __init__(
        self,
        notices: Notices,
        status: NameSafeStatusBar,
        parent: QObject | None = None,
        executor: Executor | None = None,
    ) -> None:
        super().__init__(parent)
        self.notices = notices
        self.status = status
        self.executor = executor
        self.generation = 0
        self.busy: Path | None = None
        self.finished.connect(self._on_finished)  # queued when emitted by the worker thread

    def start(self, path: Path, work: Callable[[], OpenedDocument], then: Callable[[OpenedDocument], object]) -> None:
        """Run ``work`` (blocking: converts ``path``) off the GUI thread, then ``then(opened)`` on it; a
        :class:`FileFault` is shown as "Could not open the file" with its one-line message."""
        if self.executor is None:
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="convert")
        self.generation += 1
        generation = self.generation
        self.busy = path
        self.status.showMessage(f"Converting {path.name}…")

        self.executor.submit(work).add_done_callback(
            when_done(lambda future: self.finished.emit(generation, future, then))
        )

    def cancel(self) -> None:
        """Drop the result of the conversion running now (something else was opened meanwhile)."""
        if self.busy is not None:
            self.generation += 1
            self.busy = None
            self.status.clearMessage()

    def _on_finished(self, generation: int, future: Future, then: Callable[[OpenedDocument], object]) -> None:
        if generation != self.generation:
            return
        self.busy = None
        self.status.clearMessage()
        error = future.exception()
        if isinstance(error, FileFault):
            self.notices.show_message("Could not open the file", error.message)
        elif error is not None:
            self.notices.show_message("Could not open the file", f"{type(error).__name__}: {error}".splitlines()[0])
        else:
            then(future.result())

    def shut_down(self) -> None:
        """The window closes: the conversions' worker thread is let go (one under way ends on its own, unheard)."""
        executor, self.executor = self.executor, None
        let_go(executor)
