"""The model suggester in the app: trained in the background on the analyst's spans, shown in the Model panel, and
plugged into the suggestions (:class:`~annotator.ui.main.suggesting.Suggesting`) as the ``model`` suggester.

**What it learns from:** in a project, the annotation files of the project's other documents that
:attr:`Settings.suggestions_learn_from` names (:class:`~annotator.suggest.learning.ProjectLearning`), plus the open
document's own spans as they are now; outside a project, the open document alone. Documents with no span are left
out (an unannotated document would teach that its text holds nothing).

**When it trains** (while the model suggester is on and suggestions are on): when a document opens, and
:data:`RETRAIN_DELAY_MS` after the last change of the open document's spans (a run of edits trains once); "Retrain
Now" and turning the model suggester on train at once. Each training is :func:`~annotator.suggest.model.background.
train_and_validate` on a snapshot (texts and spans copied), in a worker process (one, spawned, kept: a CRF training
holds Python's lock in a thread; ``benchmarks/app_model_costs.py`` measures both), so the window never waits. One
training at a time: one asked for meanwhile starts when it is back, and the result of a training asked for before the
last request (another document, later edits) is dropped (a generation counter).

**Suggesting:** the model trained on everything is gated by its cross-validated F1 (exact, micro) and the threshold
(:attr:`Settings.model_threshold`, set in the panel): below it, or without a cross-validation (fewer than two
documents), it suggests nothing and the panel and the status bar say why. After each training, and after edits, its
suggestions replace its own pending ones (the suggesters' background run, on the current model).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.io.settings import Settings
from annotator.model.annotation_set import Change
from annotator.project.layout import Project
from annotator.ui.main.suggester_names import MODEL as NAME

if TYPE_CHECKING:  # the model is imported on first use, not to show a window
    from annotator.suggest.learning import ProjectLearning
    from annotator.suggest.model import SpanModel
    from annotator.suggest.model.background import TrainingOutcome
    from annotator.suggest.suggestion import Suggestion, SuggestionContext
from annotator.ui.controller import AnnotationController
from annotator.ui.document.model_panel import ModelPanel
from annotator.ui.main.suggesting import SuggesterEntry, Suggesting
from annotator.ui.plain_text import NameSafeStatusBar, one_line
from annotator.ui.timing import STATUS_TIMEOUT_MS

RETRAIN_DELAY_MS = 3000
"""How long after the last change of spans the model trains again (a run of edits trains once)."""

OPEN_DOCUMENT = "(open document)"
"""The open document's id among the training documents outside a project."""


class NoModel:
    """The ``model`` suggester before any model is trained: it suggests nothing."""

    name = NAME

    def suggest(self, text: str, context: SuggestionContext) -> list[Suggestion]:
        return []


@dataclass(frozen=True)
class _Job:
    generation: int


class ModelTraining(QObject):
    """Trains the model (see the module's docstring), shows it in the Model panel, and offers it as a suggester.

    Parameters
    ----------
    controller: the annotation controller (the open document's spans, and their changes).
    panel: the Model panel.
    suggesting: the suggestions part (the model's entry is plugged into it; it runs the model's suggestions).
    settings, save_settings: :attr:`Settings.model_threshold`, :attr:`Settings.suggesters`,
        :attr:`Settings.suggestions_learn_from`, and how to write them.
    project, document_id, annotator: the open project (or ``None``), the open document's id in it, the annotator.
    status: the status bar.
    delay_ms: :data:`RETRAIN_DELAY_MS` (tests pass 0).
    executor: runs the trainings (default: one spawned worker process); tests pass one that runs them when told.

    Attributes
    ----------
    model: the model that suggests now, gated by the threshold (``None`` before the first training).
    outcome: the last training's :class:`~annotator.suggest.model.background.TrainingOutcome`.
    training: whether a training runs now.
    trainings: how many trainings were started (tests read it).
    generation: counts the training requests; a result for an older one is dropped.

    Signals
    -------
    finished(object, object): a training ended (its job and future); queued to the GUI thread.
    """

    finished = Signal(object, object)

    def __init__(
        self,
        controller: AnnotationController,
        panel: ModelPanel,
        suggesting: Suggesting,
        settings: Settings,
        save_settings: Callable[[], None],
        project: Callable[[], Project | None],
        document_id: Callable[[], str | None],
        annotator: Callable[[], str],
        status: NameSafeStatusBar,
        parent: QObject | None = None,
        delay_ms: int = RETRAIN_DELAY_MS,
        executor: Executor | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.panel = panel
        self.suggesting = suggesting
        self.settings = settings
        self._save_settings = save_settings
        self._project = project
        self._document_id = document_id
        self._annotator = annotator
        self.status = status
        self.executor = executor
        self.model: SpanModel | None = None
        self.outcome: TrainingOutcome | None = None
        self.training = False
        self.trainings = 0
        self.generation = 0
        self._again = False
        self._learning: ProjectLearning | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.train)
        self.finished.connect(self._on_finished)  # queued when emitted by the executor's thread
        controller.changed.connect(self._on_change)
        controller.annotations_replaced.connect(self._on_document)
        panel.set_threshold(settings.model_threshold)
        panel.threshold_changed.connect(self.set_threshold)
        panel.retrain_requested.connect(self.retrain_now)
        self._show()

    # -- the suggester --------------------------------------------------------------------------------------------
    @property
    def entry(self) -> SuggesterEntry:
        """The ``model`` suggester for :class:`Suggesting` (runs in its background worker on the current model)."""
        return SuggesterEntry(NAME, lambda: self.model or NoModel(), background=True)

    @property
    def active(self) -> bool:
        """Whether the model suggester is on (and suggestions are)."""
        return self.settings.suggestions and NAME in self.settings.suggesters

    def set_model_suggester(self, on: bool) -> None:
        """Suggestions → Model Trained on My Spans: the model suggester on (it trains now) or off."""
        self.suggesting.set_suggester_active(NAME, on)
        if on:
            self.train()
        else:
            self.timer.stop()
            self.generation += 1  # a training on its way is no longer wanted
        self._show()

    def set_threshold(self, threshold: float) -> None:
        """The F1 the model must reach to suggest (saved in the settings); the model is gated again at once, no
        training needed."""
        self.settings.model_threshold = round(min(max(threshold, 0.0), 1.0), 2)
        self._save_settings()
        self.panel.set_threshold(self.settings.model_threshold)
        was_withheld = self.withheld()
        self._gate()
        self.suggesting.schedule()
        self._show()
        self._say_withheld()
        if self.active and self.outcome is not None and was_withheld is not None and self.withheld() is None:
            threshold = self.settings.model_threshold  # the status bar's "suggests nothing" is stale now
            self.status.showMessage(f"The model suggests again (threshold {threshold:.2f}).", STATUS_TIMEOUT_MS)

    # -- training -------------------------------------------------------------------------------------------------
    def _on_document(self) -> None:
        """Another document: train again soon (the model so far keeps suggesting meanwhile)."""
        self.generation += 1
        if self.active and self.controller.annotations is not None:
            self.train()

    def _on_change(self, change: Change) -> None:
        if self.controller.refreshing_suggestions or not self.active:
            return
        if change.added or change.removed or change.changed or change.label_set:
            self.timer.start()

    def retrain_now(self) -> None:
        """ "Retrain Now": train at once, even while the model suggester is off."""
        self.train(force=True)

    def training_documents(self) -> tuple[list[tuple[str, tuple]], list[str]]:
        """The snapshot to train on: ``(text, spans)`` pairs and their document ids (see the module's docstring)."""
        documents: list[tuple[str, tuple]] = []
        ids: list[str] = []
        project = self._project()
        open_id = self._document_id() if project is not None else None
        if project is not None:
            source = self.settings.suggestions_learn_from
            if self._learning is None or self._learning.project.root != project.root:
                from annotator.suggest.learning import ProjectLearning  # on first use, not at start-up

                self._learning = ProjectLearning(project, self._annotator(), source)
            self._learning.annotator, self._learning.learn_from = self._annotator(), source
            for document_id, text, spans in self._learning.documents(open_id):
                if spans:
                    documents.append((text, spans))
                    ids.append(document_id)
        annotations = self.controller.annotations
        if annotations is not None and len(annotations):
            documents.append((annotations.text, tuple(annotations)))
            ids.append(open_id or OPEN_DOCUMENT)
        return documents, ids

    def train(self, force: bool = False) -> None:
        """Train on a snapshot now (or once the training running now is back); nothing while the model suggester is
        off, unless ``force``."""
        self.timer.stop()
        if not (self.active or force):
            return
        self.generation += 1
        if self.training:
            self._again = True
            self._show()
            return
        documents, ids = self.training_documents()
        if self.executor is None:
            import multiprocessing  # on first use, as the model (issue 22: start-up)
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("spawn")  # never fork a process running Qt's threads
            self.executor = ProcessPoolExecutor(max_workers=1, mp_context=context)
        job = _Job(self.generation)
        self.training = True
        self.trainings += 1
        self._show()

        def done(future: Future) -> None:
            with contextlib.suppress(RuntimeError):  # the window was closed meanwhile: nobody to tell
                self.finished.emit(job, future)

        try:
            from annotator.suggest.model.background import train_and_validate  # on first use

            future = self.executor.submit(train_and_validate, documents, ids)
        except RuntimeError as error:  # e.g. BrokenProcessPool: the worker died; a new one next time
            self.executor = None
            self.training = False
            self._failed(error)
            return
        future.add_done_callback(done)

    def _on_finished(self, job: _Job, future: Future) -> None:
        """A training is back (on the GUI thread): keep it unless a later one was asked for; then start that one."""
        self.training = False
        again, self._again = self._again, False
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            if isinstance(error, BrokenExecutor):
                self.executor = None  # the worker died (killed, out of memory): a new one next time
            self._failed(error)
        elif job.generation == self.generation:
            self.outcome = future.result()
            self._gate()
            self.suggesting.schedule()  # its suggestions replace its own pending ones
            self._say_withheld()
        if again:
            self.train(force=True)
        self._show()

    def _failed(self, error: BaseException) -> None:
        lines = str(error).strip().splitlines()
        why = one_line(lines[0], 160) if lines else type(error).__name__
        self.status.showMessage(f"The model could not be trained: {why}", STATUS_TIMEOUT_MS * 2)

    def _gate(self) -> None:
        outcome = self.outcome
        if outcome is None or outcome.model is None:
            self.model = None
            return
        self.model = outcome.model.gated(outcome.validation, self.settings.model_threshold)

    def withheld(self) -> str | None:
        """Why the model suggests nothing now (one line), or ``None`` when it suggests."""
        outcome = self.outcome
        if outcome is None:
            return "the model has not been trained yet"
        if outcome.model is None:
            return outcome.needs
        if outcome.validation is None and self.settings.model_threshold > 0:
            return (
                f"{outcome.unvalidated}; it suggests only at a cross-validated F1 of "
                f"{self.settings.model_threshold:.2f} (a threshold of 0 lets it suggest anyway)"
            )
        return self.model.withheld if self.model is not None else None

    def _say_withheld(self) -> None:
        reason = self.withheld()
        if self.active and reason is not None and self.outcome is not None:
            self.status.showMessage(f"The model suggests nothing: {one_line(reason, 200)}", STATUS_TIMEOUT_MS * 2)

    # -- the panel ------------------------------------------------------------------------------------------------
    def state_text(self) -> str:
        """The panel's state paragraph (plain text)."""
        parts = []
        if not self.settings.suggestions:
            parts.append("Suggestions are off (Suggestions → Suggest Spans).")
        elif NAME not in self.settings.suggesters:
            parts.append("The model suggester is off (Suggestions → Model Trained on My Spans turns it on).")
        if self.training:
            parts.append("Training…")
        outcome = self.outcome
        if outcome is None:
            if not self.training:
                parts.append("Not trained yet.")
        elif outcome.model is None:
            parts.append(f"Not enough data: {outcome.needs}. Label a span and it trains.")
        else:
            model = outcome.model
            parts.append(
                f"Trained on {model.spans} span{'' if model.spans == 1 else 's'} in {model.documents} "
                f"document{'' if model.documents == 1 else 's'}."
            )
            reason = self.withheld()
            if reason is not None:
                parts.append(f"Withheld: {reason}.")
            elif outcome.validation is not None and outcome.validation.f1.value is not None:
                parts.append(
                    f"Suggesting: cross-validated F1 {outcome.validation.f1.value:.2f} ≥ threshold "
                    f"{self.settings.model_threshold:.2f}."
                )
            else:
                parts.append("Suggesting (threshold 0: always).")
        return " ".join(parts)

    def _show(self) -> None:
        self.panel.show_state(self.state_text())
        outcome = self.outcome
        if outcome is None or outcome.validation is None:
            note = outcome.unvalidated if outcome is not None and outcome.unvalidated else ""
            if self._project() is None and not note:
                note = "Outside a project the model learns from the open document alone; cross-validation needs 2."
            self.panel.show_validation(None, note and f"No cross-validation: {note}.")
        else:
            self.panel.show_validation(outcome.validation)

    def shut_down(self) -> None:
        """The window closes: no training is waited for (the worker process is stopped)."""
        self.generation += 1
        executor, self.executor = self.executor, None
        if executor is None:
            return
        processes = list((getattr(executor, "_processes", None) or {}).values())  # Python < 3.14: no terminate_workers
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
