"""Opening a huge document without freezing the window: read, decoded and mapped off the GUI thread, then put into
the view a slice per event-loop turn (:class:`~annotator.ui.document.chunked_fill.ChunkedFill`), with a progress bar
and a Cancel button in the status bar. The open document stays as it is until the new one is complete; a cancelled
open changes nothing and says so. Above :data:`COMFORTABLE_BYTES` the bar says the file is bigger than the app
handles comfortably (never a modal question).

An annotation file opened directly is loaded in steps (:func:`annotator.io.annotation_file.load_in_steps`): the bar
names each stage (reading, validating, building, checking, indexing) and follows it, and Cancel stops the load
between steps. The worker also writes the recovery journal's base to disk
(:class:`~annotator.project.journal.JournalBase`: the annotation file copied from disk a piece at a time, checked
against the bytes read by its SHA-256, so those bytes are let go as soon as loaded, not kept until the base is written;
or the annotations serialized in pieces, a slice of the text at a time, so it never holds the GIL long), so the session
neither keeps it in memory nor writes it on the first edit, on the GUI thread. It builds
what the first edit would otherwise build on the GUI thread too
(:meth:`~annotator.model.annotation_set.AnnotationSet.prepare_edits`: the index by offsets and label, the next free
span id). What the load and these steps freed is given back to the system (:func:`~annotator.io.heap_trim.trim_heap`).

The view is filled while the worker still validates: an annotation file's text is known as soon as the file
without its spans is valid (``text_ready`` of :func:`~annotator.io.annotation_file.load_in_steps`), so the fill
starts then, a slice per turn on the GUI thread, while the worker validates, builds, checks and indexes the spans
(Qt's insertions run without Python's GIL, so the two overlap on two cores). The document is offered to the view
when both are done; a load that fails after the fill began drops the part-filled document."""

from __future__ import annotations

import hashlib
import logging
import math
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from annotator.io.annotation_file import LoadCancelled, Progress
from annotator.io.errors import FileFault
from annotator.io.gc_pause import garbage_collection_paused
from annotator.io.heap_trim import map_large_blocks, trim_heap
from annotator.io.json_pieces import AnnotationsSnapshot, JsonBytes, JsonWritten, dumps_pieces
from annotator.io.opening import OpenedDocument
from annotator.model.annotation_set import AnnotationSet
from annotator.model.offsets import OffsetMap
from annotator.model.span_index import BlockSpanIndex
from annotator.project.journal import (
    JournalBase,
    Known,
    Recoverable,
    has_journals,
    one_line_digest_of,
    recoverable_for,
)
from annotator.project.session import DiskStamp, disk_stamp
from annotator.ui.document.chunked_fill import CHUNK, ChunkedFill, Schedule, has_long_line, next_turn
from annotator.ui.document.document_view import DocumentView
from annotator.ui.document.span_table import PreparedRows, SpanTableModel, prepared_rows
from annotator.ui.main.notices import Notices
from annotator.ui.main.workers import let_go, when_done
from annotator.ui.plain_text import ElidedLabel, NameSafeStatusBar, shown_name
from annotator.ui.timing import STATUS_TIMEOUT_MS

LARGE_BYTES = 8 * 1024 * 1024
"""Files from this size on (the file opened: a text or an annotation file) open through :class:`LargeOpening`."""
COMFORTABLE_BYTES = 50_000_000
"""Above this size the progress bar warns that opening, scrolling and finding will be slow."""
INDEX_HERE = 100_000
"""From this many spans on, the bar names the spans-per-line index's stage and the index by offsets and label's
("indexing spans"; both built in the worker either way)."""

STAGE_EVERY_S = 0.1
"""Seconds at least between two steps of one stage of the load told to the progress bar (a new stage is told at
once). Each step told is a turn of Python on the GUI thread (the bar moved, the status bar repainted) that waits for
the GIL the worker holds: the 1M-span file's load told 207 steps in 5 s, now some 55."""

TRIMMED_BEFORE = frozenset({"building", "checking"})
"""The load's stages (:func:`~annotator.io.annotation_file.load_in_steps`) before which the worker gives the C heap's
freed pages back to the system (:func:`~annotator.io.heap_trim.trim_heap`)."""


BACKGROUND_NICE = 5
"""How much lower than the window's the CPU priority of the open's helper threads is (the bytes read hashed, the
journal's base copied: a Linux thread's nice value): on two cores the window, the worker and such a thread are
runnable at once, and the window's thread should not wait for a core behind work that has seconds to spare (1M
spans: longest stall 52-69 ms against 77). Not lower: the worker waits for both at its end, and the copy takes the GIL
for a moment per megabyte (its ``translate``), so under other load a thread much lower (+10) finished late and held
everyone up (1M spans beside two busy processes: usable in 10.3 s against 7.9 at +5 or without). Not for a base made
by serializing (its Python holds the GIL: a low-priority thread holding it keeps everyone waiting)."""


@dataclass
class _Read:
    """What the open's worker gives the GUI thread: the document, its offset map, the view's index and the span
    list's rows, the file's stamp, whether the text has a long line, the crash journal's work when looked for
    (:data:`Checked`), and for that work, when it can be restored on this very text, its own index and rows
    (``((annotations, index), rows)``)."""

    opened: OpenedDocument
    offsets: OffsetMap
    index: BlockSpanIndex
    stamp: DiskStamp | None
    rows: PreparedRows | None
    long_line: bool
    recovered: Checked | None
    also: tuple[tuple[AnnotationSet, BlockSpanIndex], PreparedRows | None] | None = None


log = logging.getLogger(__name__)

RELEASE_AFTER_MS = 300
"""How long after an install what the worker made and nobody took is let go (ms): after the first paint."""

Checked = tuple[Recoverable | None]
"""``(found,)``: a crash journal's unsaved work for a file, as looked for (``None`` inside: there is none)."""


def lower_priority(nice: int = BACKGROUND_NICE) -> None:
    """Lower the calling thread's CPU priority by ``nice`` (Linux: a thread's own nice value; elsewhere, or when the
    system refuses, nothing)."""
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, 0) + nice)


def megabytes(size: int) -> str:
    """``size`` bytes as "12 MB": whole megabytes of 1,000,000 bytes, as file managers count them (a 204,752,452-byte
    file is "205 MB", not the "195 MB" that mebibytes give)."""
    return f"{round(size / 1_000_000)} MB"


class OpenProgress(QWidget):
    """The status bar's open progress: "Opening big.txt…" (and, for a huge file, a remark), a bar and Cancel.
    Object names: ``openProgress``, its ``openProgressLabel``, ``openProgressBar`` and ``cancelOpenButton``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openProgress")
        # opaque: a repaint of the bar (QProgressBar.setValue repaints at once) paints this widget alone, not the status
        # bar beneath it, whose paint is Python's (NameSafeStatusBar) and so waits for the GIL the open's worker holds
        # (1M spans: 30-100 ms a progress step, stalls of 170-240 ms)
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = ElidedLabel()  # a file name: plain text, cut to the room left (never widens the window)
        self.label.setObjectName("openProgressLabel")
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance("Opening…"))
        self.bar = QProgressBar()
        self.bar.setObjectName("openProgressBar")
        self.bar.setMaximumWidth(220)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelOpenButton")
        self.cancel_button.setToolTip("Stop opening this file: the open document stays as it is")
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self.hide()


class LargeOpening(QObject):
    """Opens big files in steps that never block the event loop long.

    Parameters
    ----------
    view: the document view (its :meth:`~DocumentView.new_document` is filled, then offered to it).
    notices, status: where a refused file's message, the progress and "cancelled" go.
    executor: runs the reading (default: one worker thread); tests pass one that runs it when told.
    schedule: runs each fill step (default: the next event-loop turn); tests pass one that runs steps when told.

    Attributes
    ----------
    large_bytes, chunk: the size from which a file opens here, and the code points put in per step.
    stage_every, clock: the seconds at least between two steps of a stage told to the bar
        (:data:`STAGE_EVERY_S`), and the clock that measures them (``time.monotonic``; tests give their own).
    progress: the status bar widget (:class:`OpenProgress`).
    rows_to: the span list's model (set by the window): its rows are made by the worker
        (:func:`~annotator.ui.document.span_table.prepared_rows`) and offered to it.
    busy: the file being opened now, or ``None``.

    Signals
    -------
    read(int, object, object): the worker finished reading (generation, future, what to do next); queued to the GUI
        thread.
    text_known(int, str, bool): the worker's load knows the document's text (generation, text, whether it has a long
        line: :func:`~annotator.ui.document.chunked_fill.has_long_line`), before the spans are validated: the fill
        starts; queued to the GUI thread.
    stage(int, str, int): the worker's load reached a stage (generation, stage name, per mille done of it, or -1
        when the stage is one step); queued to the GUI thread.
    """

    read = Signal(int, object, object)
    stage = Signal(int, str, int)
    text_known = Signal(int, object, bool)

    def __init__(
        self,
        view: DocumentView,
        notices: Notices,
        status: NameSafeStatusBar,
        parent: QObject | None = None,
        executor: Executor | None = None,
        schedule: Schedule | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.notices = notices
        self.status = status
        self.executor = executor
        self.schedule = schedule
        self.large_bytes = LARGE_BYTES
        self.chunk = CHUNK
        self.stage_every = STAGE_EVERY_S
        self.clock: Callable[[], float] = time.monotonic
        self.generation = 0
        self.busy: Path | None = None
        self.fill: ChunkedFill | None = None
        self.progress = OpenProgress()
        status.addPermanentWidget(self.progress)
        self.progress.cancel_button.clicked.connect(self.cancel)
        self.read.connect(self._on_read)  # queued when emitted by the worker thread
        self.stage.connect(self._on_stage)  # likewise
        self.text_known.connect(self._on_text)  # likewise
        self._loaded: tuple | None = None  # the worker's result and ``then``, while the fill may still run
        self._filled: QTextDocument | None = None  # the fill's document once every slice is in
        self._heading = ""
        # while ``then`` runs: what the worker gave with the document (its stamp, the crash journal's work)
        self._stamped: tuple[OpenedDocument, DiskStamp | None, Checked | None] | None = None
        self.rows_to: SpanTableModel | None = None  # the span list, given its rows made by the worker

    def wants(self, path: Path) -> bool:
        """Whether ``path`` (a file about to be opened) is big enough to open here."""
        try:
            return path.is_file() and path.stat().st_size >= self.large_bytes
        except OSError:
            return False  # the ordinary open names the fault

    def start(
        self,
        path: Path,
        work: Callable[[Progress, Callable[[], bool], Callable[[str], None], Callable[[bytes], None]], OpenedDocument],
        then: Callable[[OpenedDocument], object],
    ) -> None:
        """Read ``path`` with ``work(progress, cancelled, text_ready, bytes_read)`` (blocking:
        :func:`annotator.io.opening.open_document` given the four) and map its text off the GUI thread, fill a new
        document with the text a slice per event-loop turn, then offer it to the view and call ``then(opened)`` on
        the GUI thread (which shows it). ``progress`` (called from the worker) shows each stage of the load on the
        bar; ``text_ready(text)`` (from the worker, optional) starts the fill before the load is done (with the text
        the loaded document will hold: a different one is filled again); ``bytes_read(data)`` (from the worker,
        optional) hands over an annotation file's bytes as read, hashed then in a thread of their own while the load
        goes on (for the file's stamp; else hashed after the load); ``cancelled()`` is true once this open was
        cancelled or replaced (``work`` then raises
        :class:`~annotator.io.annotation_file.LoadCancelled`, which changes nothing). A
        :class:`FileFault` is shown as "Could not open the file" with its one-line message."""
        self.cancel(quiet=True)
        map_large_blocks()  # big blocks (the bytes read, Qt's document text as it grows) mapped on their own
        if self.executor is None:
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="open")
        self.generation += 1
        generation = self.generation
        self.busy = path
        size = path.stat().st_size
        remark = ""
        if size > COMFORTABLE_BYTES:
            remark = (
                f" ({megabytes(size)}: more than the {megabytes(COMFORTABLE_BYTES)} the app handles comfortably; "
                "scrolling and finding will be slow)"
            )
        self._heading = f"Opening {shown_name(path.name)}{remark}"
        self.progress.label.setText(f"{self._heading}…")
        self.progress.bar.setRange(0, 0)  # busy until the text is read
        self.progress.show()

        def cancelled() -> bool:
            return generation != self.generation

        stages: list[str] = []
        told_at = [-math.inf]  # when the bar was last told of a step (self.clock)

        def progress(stage: str, done: int, total: int) -> None:
            first = not stages or stages[-1] != stage
            if first:
                stages.append(stage)
                if stage in TRIMMED_BEFORE:
                    trim_heap()  # what the stage before freed (e.g. pydantic's buffers), before this one allocates
            now = self.clock()
            if not first and now - told_at[0] < self.stage_every:
                return  # the bar moved a moment ago: each step told is the GUI thread's turn for Python's GIL
            told_at[0] = now
            with suppress(RuntimeError):  # the window was closed meanwhile
                self.stage.emit(generation, stage, done * 1000 // total if total > 1 else -1)

        told: list[bool] = []  # whether the text told has a long line

        def text_ready(text: str) -> None:
            long_line = has_long_line(text)
            told.append(long_line)
            with suppress(RuntimeError):  # the window was closed meanwhile
                self.text_known.emit(generation, text, long_line)

        hashed: list[tuple[bytes, threading.Thread, list[str]]] = []  # the bytes read, their hashing, its digest

        def bytes_read(data: bytes) -> None:
            if cancelled():
                return  # the load stops at its next step: nothing to hash
            digest: list[str] = []

            def hash_them() -> None:
                lower_priority()  # the window's thread first: the digest is needed only once the load is done
                digest.append(hashlib.sha256(data).hexdigest())

            # hashlib leaves the GIL: the 205 MB file hashed on the other core (110 ms) while this thread parses it
            hasher = threading.Thread(target=hash_them, name="open-hash", daemon=True)
            try:
                hasher.start()
            except RuntimeError:  # no thread to be had (the interpreter shutting down): hashed after the load
                return
            hashed.append((data, hasher, digest))

        def sha256_of(read: bytes | None) -> str | None:
            for data, hasher, digest in hashed:
                if data is read:
                    hasher.join()
                    return digest[0] if digest else None
            return None

        def read_and_map() -> list[_Read]:  # in a list the GUI thread empties (see _on_read)
            import filelock  # noqa: F401  (the session's lock imports it on first use: here, not in the install turn)

            opened = work(progress, cancelled, text_ready, bytes_read)
            # the annotation file's stamp as read: of the bytes read, hashed meanwhile (bytes_read) or here
            read = opened.file_bytes if isinstance(opened.file_bytes, bytes) else None
            stamp = disk_stamp(opened.save_path, read, sha256_of(read) if read is not None else None)
            hashed.clear()
            journals = has_journals(opened.save_path)  # a crash's unsaved work, perhaps (a directory listing)
            # the file as loaded, by the digest a journal's base would have: such a base is copied, not parsed
            known = (one_line_digest_of(read), opened.annotations) if journals and read and not opened.owner else None
            base = journal_base(opened, stamp)  # written to disk meanwhile, in a thread of its own (mostly I/O)
            read, opened = None, replace(opened, file_bytes=None)  # the bytes read: let go (the base is copied)
            trim_heap()  # what the load freed, back to the system before the GUI thread's allocations stack on it
            # read here, with the bar and Cancel: on the GUI thread a 1M-span file's journal froze the window 61 s
            recovered = recovery_here(opened.save_path, known) if journals else None
            del known
            offsets = OffsetMap(opened.annotations.text)
            if len(opened.annotations) > INDEX_HERE:
                progress("indexing lines", 0, 1)
            # the view's spans-per-line index, built here (a Python loop: the GIL is passed on every few ms)
            # no cyclic collection while these are built: a full one walks the 1M spans holding the GIL 0.7 s
            with garbage_collection_paused():
                # the spans' starts read once for the three indexes (reading them from 1M spans: 0.12 s each time)
                starts = opened.annotations.starts()
                index = BlockSpanIndex(offsets, opened.annotations, starts)
                rows = (
                    prepared_rows(opened.annotations, starts) if self.rows_to is not None else None
                )  # the span list's
                # what the first edit would build on the GUI thread (1M spans: the index by offsets and label, the
                # next free span id; over 3 s there), built here in steps
                large = len(opened.annotations) > INDEX_HERE
                opened.annotations.prepare_edits(partial(progress, "indexing spans") if large else None, starts)
                del starts
                # and the same for the crash's unsaved work on this text, shown instead if it is restored (1M spans:
                # 1.6 s of the GUI thread otherwise)
                unsaved = recovered[0] if recovered is not None else None
                also = None
                if unsaved is not None and unsaved.restorable and unsaved.annotations.text is opened.annotations.text:
                    also = (
                        (unsaved.annotations, BlockSpanIndex(offsets, unsaved.annotations)),
                        prepared_rows(unsaved.annotations) if self.rows_to is not None else None,
                    )
            trim_heap()  # and what these steps freed (10 MB / 100k spans: both trims, 17 MB less at the peak)
            long_line = told[0] if told else has_long_line(opened.annotations.text)  # for a fill that starts now
            return [_Read(replace(opened, file_bytes=base()), offsets, index, stamp, rows, long_line, recovered, also)]

        def recovery_here(path: Path, known: Known | None) -> Checked | None:
            def step(stage: str, done: int, total: int) -> None:
                if cancelled():
                    raise LoadCancelled
                progress(stage, done, total)

            # no cyclic collection meanwhile: a full one walks the 1M spans holding the GIL (the replay's first insert
            # builds the index by start: a stall of 140 ms with it)
            try:
                with garbage_collection_paused():
                    return (recoverable_for(path, progress=step, known=known),)
            except LoadCancelled:
                raise
            except Exception:  # a fault in the journal's reading must not keep the file from opening
                log.exception("the crash journal of %s could not be read while it opened", path)
                return None  # not looked: read when the document is installed

        def journal_base(opened: OpenedDocument, stamp: DiskStamp | None) -> Callable[[], JsonBytes | JsonWritten]:
            # the journal's base written to disk, not kept, by a thread of its own while this one goes on; returns
            # the wait for it. The file's bytes as read are not kept for it: it copies the file (hashed as it goes:
            # the same bytes, or the annotations serialized); otherwise serialized (in pieces: no long GIL hold) from
            # a snapshot taken here
            read, annotations, source = opened.file_bytes, opened.annotations, opened.save_path
            copied = (len(read), stamp.sha256) if isinstance(read, bytes) and stamp is not None else None
            data = read if isinstance(read, tuple) else None
            snapshot = AnnotationsSnapshot.of(annotations) if data is None and copied is None else None
            del read
            outcome: list[JsonBytes | JsonWritten | None] = []
            failure: list[BaseException] = []

            def write() -> None:
                if copied is not None:
                    # a copy is mostly I/O and hashing, which leave the GIL (see BACKGROUND_NICE); not a serialization
                    lower_priority()
                try:
                    try:
                        if copied is not None:
                            outcome.append(JournalBase.copy(source, *copied))  # None: the file changed since
                        else:
                            outcome.append(JournalBase.write(data if snapshot is None else dumps_pieces(snapshot)))
                    except FileFault:  # the recovery folder cannot be written: kept in memory (the session says so)
                        outcome.append(data if snapshot is None else tuple(dumps_pieces(snapshot)))
                except BaseException as error:  # raised by the wait, in the open's worker
                    failure.append(error)

            writer = threading.Thread(target=write, name="journal-base", daemon=True)
            writer.start()

            def wait() -> JsonBytes | JsonWritten:
                writer.join()
                if failure:
                    raise failure[0]
                if outcome[0] is not None:
                    return outcome[0]
                # the file was not copied (changed on disk since it was read, or the folder cannot be written): the
                # base made from the annotations loaded (nobody changes them before this returns)
                pieces = AnnotationsSnapshot.of(annotations)
                try:
                    return JournalBase.write(dumps_pieces(pieces))
                except FileFault:
                    return tuple(dumps_pieces(pieces))

            return wait

        self.executor.submit(read_and_map).add_done_callback(
            when_done(lambda future: self.read.emit(generation, future, then))
        )

    def cancel(self, quiet: bool = False) -> None:
        """Give up the open under way (nothing shown changes); unless ``quiet``, the status bar says so."""
        if self.busy is None:
            return
        name = self.busy.name
        self.generation += 1
        self.busy = None
        self._drop_fill()
        self.progress.hide()
        if not quiet:
            kept = "the open document is unchanged" if self.view.loaded_characters() else "nothing is open"
            self.status.showMessage(f"Opening {name} cancelled: {kept}.", STATUS_TIMEOUT_MS)

    def _drop_fill(self) -> None:
        """Stop the fill under way (if any), drop its document and what the worker gave."""
        fill, self.fill = self.fill, None
        self._loaded = self._filled = None
        if fill is not None:
            fill.cancel()  # and its helper editor goes
            fill.document.deleteLater()

    def _start_fill(self, generation: int, text: str, long_line: bool) -> None:
        """Fill a new document with ``text`` a slice per turn (the bar follows it once the worker is done)."""
        # by Qt's own slot, without the GIL, in the event loop (not with a test's injected schedule, nor with a long
        # line, which Qt's slot makes slow)
        without_gil = self.schedule is None and not long_line
        document, width = self.view.new_document(), self._shown_width()
        self.fill = fill = ChunkedFill(text, document, self.chunk, self.schedule, self, without_gil, width)
        fill.progress.connect(self._on_fill_progress)
        fill.finished.connect(lambda document: self._on_filled(generation, document))
        fill.start()

    def _shown_width(self) -> int:
        """The view's viewport width (pixels) once it shows a huge document: with its vertical scroll bar (see
        :meth:`_install`)."""
        viewport, bar = self.view.viewport().width(), self.view.verticalScrollBar()
        return viewport if bar.isVisible() else viewport - bar.sizeHint().width()

    def _on_fill_progress(self, done: int, total: int) -> None:
        if self._loaded is not None:  # before, the bar follows the worker's load
            self.progress.bar.setValue(done * 1000 // max(1, total))

    def _on_text(self, generation: int, text: str, long_line: bool) -> None:
        if generation != self.generation or self.fill is not None:
            return
        self._start_fill(generation, text, long_line)

    def _on_stage(self, generation: int, stage: str, permille: int) -> None:
        if generation != self.generation:
            return
        self.progress.label.setText(f"{self._heading}: {stage}…")
        if permille < 0:
            self.progress.bar.setRange(0, 0)  # one step: busy
        else:
            self.progress.bar.setRange(0, 1000)
            self.progress.bar.setValue(permille)

    def _on_read(self, generation: int, future: Future, then: Callable[[OpenedDocument], object]) -> None:
        if generation != self.generation:
            return  # cancelled or replaced (a load stopped by LoadCancelled ends here too)
        error = future.exception()
        if error is not None:
            self.busy = None
            self._drop_fill()  # filled from a text the load then refused
            self.progress.hide()
            message = error.message if isinstance(error, FileFault) else f"{type(error).__name__}: {error}"
            self.notices.show_message("Could not open the file", message.splitlines()[0])
            return
        # taken out of the future: Qt destroys the queued call holding the future after this slot, on this thread,
        # and whatever it still held would be freed there (the parts of a 1M-span document the view did not take:
        # 60 ms, in the install's turn); see _install
        read: _Read = future.result().pop()
        opened, long_line = read.opened, read.long_line
        text = opened.annotations.text
        self._loaded = (read, then)
        self.progress.label.setText(f"{self._heading}…")
        self.progress.bar.setRange(0, 1000)
        fill = self.fill
        if fill is not None and fill.text is not text and fill.text != text:  # not the text announced: again
            self.fill = None
            fill.cancel()
            fill.document.deleteLater()
            self._filled, fill = None, None
        if fill is None:
            self.progress.bar.setValue(0)
            self._start_fill(generation, text, long_line)
        elif self._filled is not None:
            self._install(generation)
        else:
            self.progress.bar.setValue(fill.loaded * 1000 // max(1, len(text)))

    def _on_filled(self, generation: int, document: QTextDocument) -> None:
        if generation != self.generation:
            return
        self._filled = document
        if self._loaded is not None:
            self._install(generation)

    def _install(self, generation: int) -> None:
        """Both the worker and the fill are done: offer the document to the view and call ``then`` (which shows
        it)."""
        assert self._loaded is not None and self._filled is not None and generation == self.generation
        read, then = self._loaded
        opened = read.opened
        document, fill = self._filled, self.fill
        self._loaded = self._filled = None
        self.busy = None
        self.fill = None
        self.progress.hide()
        also_index, also_rows = read.also if read.also is not None else (None, None)
        index = (opened.annotations, read.index)
        self.view.offer_prepared(opened.annotations.text, document, read.offsets, index, also_index)
        self._stamped = (opened, read.stamp, read.recovered)
        if self.rows_to is not None:
            self.rows_to.offer_rows(read.rows, also_rows)
        # The fill's helper editor gave the document's layout the width the view will have with its scroll bar
        # (:meth:`_shown_width`) and is still its main view: the view's setDocument at that very width then skips
        # Qt's relayout of every line (100 MB: 0.4 s). The bar is shown now (the old document laid out again, if
        # narrower: small, or it had the bar); at another width the helper goes first, and the view lays out.
        policy = self.view.verticalScrollBarPolicy()
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        if fill is not None and self.view.viewport().width() != fill.width:
            fill.let_go()
        try:
            then(opened)
        finally:
            if fill is not None:
                fill.let_go()  # before the view can be resized (see ChunkedFill.let_go)
            self.view.setVerticalScrollBarPolicy(policy)
            kept = [read]  # what the view and the session did not take is freed in a later turn, not in this one
            self._release_later(kept)
            self.view.drop_prepared()  # not shown (e.g. the user kept the open document's unsaved work)
            if self.rows_to is not None:
                self.rows_to.offer_rows(None)
            self._stamped = None

    def _release_later(self, kept: list[_Read]) -> None:
        """Empty ``kept`` (the worker's result, once installed) :data:`RELEASE_AFTER_MS` later (by the injected
        ``schedule`` when there is one): freeing what nobody took of a 1M-span open (the other index and rows: a
        million objects, 60 ms) comes after the first paint, in a turn of its own."""
        if self.schedule is not None:
            self.schedule(kept.clear)
        else:
            QTimer.singleShot(RELEASE_AFTER_MS, kept.clear)

    def later(self, step: Callable[[], None]) -> None:
        """Run ``step`` in a later event-loop turn (by the injected ``schedule`` when there is one): what an install
        can leave for after it (e.g. saving the settings, with its fsync), so its own turn stays short."""
        (self.schedule or next_turn)(step)

    def opened_here(self, opened: OpenedDocument) -> bool:
        """Whether ``opened`` is the document this opening is handing over now (``then(opened)`` is running)."""
        return self._stamped is not None and self._stamped[0] is opened

    def stamp_of(self, opened: OpenedDocument) -> DiskStamp | None:
        """The disk stamp of ``opened.save_path`` as the worker read it (hashed there from the bytes it read, so
        the GUI thread need not read and hash the file again), while ``then(opened)`` runs; else (another document,
        or ``opened`` not from here) the file's stamp as it is now."""
        stamped = self._stamped
        if stamped is not None and stamped[0] is opened:
            return stamped[1]
        return disk_stamp(opened.save_path)

    def recovery_of(self, opened: OpenedDocument) -> Checked | None:
        """While ``then(opened)`` runs: ``(found,)``, the unsaved work a crashed session left for ``opened``'s file
        as the open's worker read it (``None`` inside: none), when it looked (a journal of the file was there);
        else ``None`` (not looked for here: for the caller to read)."""
        stamped = self._stamped
        if stamped is not None and stamped[0] is opened:
            return stamped[2]
        return None

    def shut_down(self) -> None:
        """The window closes: the open's worker thread is let go (a read under way ends on its own, unheard)."""
        executor, self.executor = self.executor, None
        let_go(executor)
