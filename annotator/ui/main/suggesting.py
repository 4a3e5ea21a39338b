"""Suggestions in the app: the chosen suggesters keep the open document's pending suggestions up to date, off the
edit path, and the analyst reviews them from the keyboard (or the mouse).

After every edit a short single-shot timer runs the active suggesters (Suggestions menu, :attr:`Settings.suggesters`)
and applies :func:`~annotator.model.commands.replace_suggestions_change` through the controller, one suggester at a
time (each replaces only its own pending suggestions): no undo step, so an edit costs only its own command and the
suggestions catch up at the next repaints. Accepting and rejecting are undo steps.

The built-in suggesters (the string matcher, whose run on a repetitive 1 MB text takes seconds, and the attribution
rules), and a model or a plug-in, run in a worker on a snapshot of the document (text, spans, rejected keys), one run
per suggester at a time: the result comes back through a queued signal and is dropped when the document changed
meanwhile (a generation counter), and a run asked for meanwhile starts once it is back. A suggester that raises gives
one status-bar line naming it, never a traceback.

Whatever a suggester returns, a suggestion equal to or inside a span of the same label is never shown (filtered where
the results are applied, so plug-ins and the model keep to it as the string matcher does).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMenu

from annotator.io.gc_pause import full_collections_held
from annotator.io.settings import Settings
from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.commands import replace_suggestions_change
from annotator.model.pending import PendingSuggestion
from annotator.model.span import MANUAL
from annotator.project.layout import Project
from annotator.suggest.pending import first_in_text, pending_suggestions
from annotator.suggest.string_matcher import NAME as STRING_MATCH
from annotator.suggest.string_matcher import StringMatcher
from annotator.suggest.suggestion import Suggester, Suggestion, SuggestionContext
from annotator.suggest.vocabulary import Vocabulary
from annotator.ui.controller import AnnotationController
from annotator.ui.dialogs.questions import Questions
from annotator.ui.document.document_view import DocumentView, LinkMark, link_phrase
from annotator.ui.document.suggestion_list import SuggestionListPanel
from annotator.ui.main.editing import SpanEditing
from annotator.ui.main.suggester_names import ATTRIBUTION, MODEL
from annotator.ui.main.workers import let_go, when_done
from annotator.ui.plain_text import NameSafeStatusBar, one_line
from annotator.ui.timing import STATUS_TIMEOUT_MS

if TYPE_CHECKING:
    from annotator.suggest.attribution import AttributionSuggester
    from annotator.suggest.learning import ProjectLearning


SUGGEST_DELAY_MS = 30
"""How long after an edit the suggesters run (edits in a quick row run them once)."""
BUSY_DELAY_MS = 400
"""How long a background run may take before the status bar says "Suggesting…"."""
PENDING_LIMIT = 5000
"""At most this many suggestions of one suggester's run are pending at once, the first in the text: a long or
repetitive document can give hundreds of thousands (the string matcher found 162k on a 1 MB text with 1k spans, and
making, drawing and listing them froze the window 12 s); the status bar says how many were found. Accepting or
rejecting some runs the suggesters again, which brings the next ones in."""
SUGGEST_TEXT_LIMIT = 16 * 1024 * 1024
"""Texts longer than this (code points) get no suggestions: the status bar says so (the attribution rules take about
3.5 s a megabyte; a 100 MB text would keep a core busy for minutes and the window stalling)."""


@dataclass(frozen=True)
class SuggesterEntry:
    """A suggester the app can run.

    Attributes
    ----------
    name: the suggester's name, as its suggestions carry it (``"string-match"``, ``"attribution"``); what
        :attr:`Settings.suggesters` lists when it is on.
    make: returns the suggester to run now (called on the GUI thread before each run: e.g. the string matcher with
        what was learned so far).
    background: ``True``: it runs in a worker thread on a snapshot of the document (anything that may take more than
        a frame); ``False``: fast enough to run on the GUI thread.
    """

    name: str
    make: Callable[[], Suggester]
    background: bool = True


SuggesterSource = Callable[[], Sequence[SuggesterEntry]]
"""What the window plugs in besides the built-in suggesters (a model, a project's plug-ins): the entries available
now; those named in :attr:`Settings.suggesters` run."""

SUGGESTER_ACTIONS = {
    "suggest.use_string_match": STRING_MATCH,
    "suggest.use_attribution": ATTRIBUTION,
    "suggest.use_model": MODEL,
}
"""The Suggestions menu's checkable row of each built-in suggester: action id -> suggester name."""


@dataclass(frozen=True)
class _Job:
    """A background run: for ``annotations`` as they were at ``generation``."""

    name: str
    generation: int
    annotations: AnnotationSet


def _suggest(
    suggester: Suggester, text: str, context: SuggestionContext, labels: frozenset[str], limit: int
) -> tuple[list[Suggestion], int]:
    """``suggester.suggest(text, context)``, then the first ``limit`` in the text of those of ``labels`` outside the
    spans of their label, and how many there were (:func:`~annotator.suggest.pending.first_in_text`, or the
    suggester's own :meth:`~annotator.suggest.suggestion.FirstSuggester.suggest_first`), in the worker:
    a repetitive 10 MB text gives millions, which took the window's thread seconds to sift. The cyclic collector's
    full collections are held off (:func:`~annotator.io.gc_pause.full_collections_held`): a run's many short-lived
    objects are not walked by full collections holding the window's thread waiting."""
    with full_collections_held():
        first = getattr(suggester, "suggest_first", None)  # a FirstSuggester makes no more than it keeps
        if first is not None:
            return first(text, context, labels, limit)
        return first_in_text(suggester.suggest(text, context), labels, context.spans, limit)


def _changes_what_is_learned(change: Change) -> bool:
    """Whether ``change`` may change what the suggester proposes (spans, rejections or the label set did change)."""
    return bool(
        change.added
        or change.removed
        or change.changed
        or change.label_set
        or change.rejected_added
        or change.rejected_removed
    )


class Suggesting(QObject):
    """The open document's suggestions: computed, drawn, listed and reviewed.

    Parameters
    ----------
    controller: the annotation controller (every change goes through it).
    view, editing: the document view (draws the suggestions) and the span editing part (selection, labeling).
    panel: the suggestion list.
    settings, save_settings: :attr:`Settings.suggestions` (off: nothing is computed or drawn),
        :attr:`Settings.suggesters` (which run) and :attr:`Settings.suggestions_learn_from`, and how to write them.
    project, document_id, annotator: the open project (or ``None``), the open document's id in it, the annotator's
        name (whose files are learned from).
    questions, status: asks the label and score of "accept all"; the status bar.
    delay_ms: the timer's delay after an edit (tests pass 0).
    suggesters: more suggesters than the built-in ones (:data:`SuggesterSource`), e.g. a model or plug-ins.
    executor: runs the background suggesters (default: one worker thread); tests pass one that runs them at once or
        when told, so no test depends on the machine's speed.

    Attributes
    ----------
    shown: whether suggestions are drawn (View → Show Suggestions); they are still computed while hidden.
    runs: how many times the suggesters ran (tests read it).
    generation: counts the states the open document's suggestions were asked for; a background result computed for
        an older one is dropped.
    busy_label: "Suggesting…" in the status bar while a background run takes longer than :data:`BUSY_DELAY_MS`.
    text_limit: texts longer than this (code points, default :data:`SUGGEST_TEXT_LIMIT`) get no suggestions.
    pending_limit: at most this many suggestions of one run are pending, the first in the text (default
        :data:`PENDING_LIMIT`).
    least_certain_first: Alt+Down / Alt+Up walk the shown suggestions by falling uncertainty
        (:func:`~annotator.suggest.model.uncertainty`: scores nearest 0.5 first, ties by position) instead of by
        position (Suggestions → Review Least Certain First).

    Signals
    -------
    finished(object, object): a background run ended (its job and future); queued to the GUI thread.
    """

    finished = Signal(object, object)

    def __init__(
        self,
        controller: AnnotationController,
        view: DocumentView,
        editing: SpanEditing,
        panel: SuggestionListPanel,
        settings: Settings,
        save_settings: Callable[[], None],
        project: Callable[[], Project | None],
        document_id: Callable[[], str | None],
        annotator: Callable[[], str],
        questions: Questions,
        status: NameSafeStatusBar,
        parent: QObject | None = None,
        delay_ms: int = SUGGEST_DELAY_MS,
        suggesters: SuggesterSource | None = None,
        executor: Executor | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.view = view
        self.editing = editing
        self.panel = panel
        self.settings = settings
        self._save_settings = save_settings
        self._project = project
        self._document_id = document_id
        self._annotator = annotator
        self.questions = questions
        self.status = status
        self.shown = True
        self.least_certain_first = False
        self.runs = 0
        self.generation = 0
        self.plugged = suggesters or (lambda: ())
        self.allowed_here: Callable[[str], bool] = lambda _name: True  # a project's file may limit the built-ins
        self.executor = executor
        self._busy: set[str] = set()  # background suggesters running now
        self._again: set[str] = set()  # ... asked to run again once back
        self._learning: ProjectLearning | None = None
        self._learned_for: tuple[Path, str | None, str, str] | None = None
        self._matcher = StringMatcher(Vocabulary())
        self._attribution: AttributionSuggester | None = None  # made on first use (its import: issue 22, start-up)
        self._used_ids: set[str] = set()  # suggestion ids of this document an undo or redo may bring back
        self.text_limit = SUGGEST_TEXT_LIMIT
        self._said_too_long: object = None  # the document last told it is over text_limit (told once)
        self.pending_limit = PENDING_LIMIT
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.run)
        self.busy_label = QLabel("Suggesting…")
        self.busy_label.setObjectName("suggestingStatus")
        self.busy_label.hide()
        status.addPermanentWidget(self.busy_label)
        self.busy_timer = QTimer(self)
        self.busy_timer.setSingleShot(True)
        self.busy_timer.setInterval(BUSY_DELAY_MS)
        self.busy_timer.timeout.connect(self._show_busy)
        self.finished.connect(self._on_finished)  # queued when emitted by a worker thread
        controller.changed.connect(self._on_change)
        controller.annotations_replaced.connect(self._on_document)
        view.annotations_shown.connect(self._on_view_shown)
        view.suggestions_clicked.connect(self._on_clicked)
        view.suggestion_menu_requested.connect(self._show_menu)
        panel.suggestion_chosen.connect(lambda suggestion_id: self.select(suggestion_id, reveal=True))

    # -- which suggesters ---------------------------------------------------------------------------------------
    @property
    def enabled(self) -> bool:
        """Whether the app suggests at all (the annotator's setting)."""
        return self.settings.suggestions

    def _attribution_suggester(self) -> AttributionSuggester:
        if self._attribution is None:
            from annotator.suggest.attribution import AttributionSuggester  # on first use (issue 22: start-up)

            self._attribution = AttributionSuggester()
        return self._attribution

    def available(self) -> list[SuggesterEntry]:
        """Every suggester the app can run now: the string matcher and the attribution rules (both in the background)
        and what the window plugged in."""
        built_in = [
            # a run reads the matcher it was started with: learn() puts a new matcher with a new vocabulary in its
            # place and never changes one a run may hold; one run per suggester at a time keeps its caches one thread's
            SuggesterEntry(STRING_MATCH, lambda: self._matcher, background=True),
            SuggesterEntry(ATTRIBUTION, self._attribution_suggester, background=True),
        ]
        return built_in + [entry for entry in self.plugged() if entry.name not in (STRING_MATCH, ATTRIBUTION)]

    def active(self) -> list[SuggesterEntry]:
        """The available suggesters that :attr:`Settings.suggesters` names and :attr:`allowed_here` allows (none while
        suggesting is off)."""
        if not self.enabled:
            return []
        chosen = self.settings.suggesters
        return [entry for entry in self.available() if entry.name in chosen and self.allowed_here(entry.name)]

    def set_suggester_active(self, name: str, on: bool) -> None:
        """Run suggester ``name`` from now on, or stop running it (its pending suggestions go); saved in the
        settings."""
        names = [n for n in self.settings.suggesters if n != name]
        self.settings.suggesters = [*names, name] if on else names
        self._save_settings()
        self.generation += 1  # a result of it still on its way is no longer wanted
        annotations = self.controller.annotations
        if not on and annotations is not None:
            change = replace_suggestions_change(annotations, name, [])
            if change.suggestions_removed:
                self.controller.refresh_suggestions(change)
        self.schedule()
        self.status.showMessage(f"Suggester {name} {'on' if on else 'off'}.", STATUS_TIMEOUT_MS)

    def set_string_match_suggester(self, on: bool) -> None:
        """Suggestions → From Labeled Strings: the string matcher on or off."""
        self.set_suggester_active(STRING_MATCH, on)

    def set_attribution_suggester(self, on: bool) -> None:
        """Suggestions → Attribution Rules: the attribution suggester on or off."""
        self.set_suggester_active(ATTRIBUTION, on)

    # -- keeping suggestions up to date -----------------------------------------------------------------------------
    def _on_document(self) -> None:
        """Another document was opened: learn from the project again if need be (files saved since are re-read),
        show its pending suggestions and run the suggesters soon."""
        annotations = self.controller.annotations
        self.generation += 1
        self._used_ids = set(annotations.suggestions_by_id) if annotations is not None else set()
        self.learn()
        if self.view.annotations is annotations:  # else the view shows them later: drawn then (_on_view_shown)
            self._show()
        self.schedule()

    def _on_view_shown(self) -> None:
        """The view took another annotation set (drawing no suggestion): draw and list the open document's pending
        suggestions once it shows the controller's set, whichever of the two took it first (the pending suggestions
        saved in the file show at once, not only when a run changes them)."""
        if self.view.annotations is self.controller.annotations:
            self._show()

    def learn(self) -> None:
        """Learn the project's spans (the open document's file left out), as :attr:`Settings.suggestions_learn_from`
        says; outside a project only the open document's own spans are learned (live)."""
        project = self._project()
        if project is None or not self.enabled:
            self._learning, self._learned_for = None, None
            self._matcher = StringMatcher(Vocabulary())
            return
        annotator, source = self._annotator(), self.settings.suggestions_learn_from
        if self._learning is None or self._learning.project.root != project.root:
            from annotator.suggest.learning import ProjectLearning  # on first use (issue 22: start-up)

            self._learning = ProjectLearning(project, annotator, source)
        self._learning.annotator, self._learning.learn_from = annotator, source
        self._learned_for = (project.root, self._document_id(), annotator, source)
        self._matcher = StringMatcher(self._learning.vocabulary(self._document_id()))

    def _on_change(self, change: Change) -> None:
        if change.suggestions_added or change.suggestions_removed:
            self._used_ids.update(s.id for s in (*change.suggestions_added, *change.suggestions_removed))
            self._show()
        if self.controller.refreshing_suggestions:
            return
        annotations = self.controller.annotations
        if annotations is not None and self.enabled and self.shown:
            annotations.suggestions_shown = True  # an edit of the analyst's, in assisted mode
        if _changes_what_is_learned(change):
            self.generation += 1
            self.schedule()

    def schedule(self) -> None:
        """Run the suggesters once the timer fires (off the edit path); nothing while suggestions are off."""
        if self.enabled and self.controller.annotations is not None:
            self.timer.start()

    def run(self, names: set[str] | None = None) -> None:
        """Suggest for the open document now: each active suggester's result takes the place of its pending
        suggestions (no undo step); a background one is started (or asked to run again once its run is back).
        Nothing while suggestions are off or the document is read-only. ``names``: only these suggesters (default:
        every active one)."""
        annotations = self.controller.annotations
        if annotations is None or not self.enabled or self.controller.read_only_reason:
            return
        if len(annotations.text) > self.text_limit:  # a huge text: minutes of work, and the window would stall
            if self._said_too_long is not annotations:  # once a document: not over each edit's message
                self._said_too_long = annotations
                remark = (
                    f"No suggestions for this document: its {len(annotations.text):,} characters are more than the "
                    f"{self.text_limit:,} the suggesters handle comfortably."
                )
                shown = self.status.currentMessage()  # what the open said (e.g. that your own copy was opened)
                self.status.showMessage(f"{shown} {remark}".strip(), STATUS_TIMEOUT_MS * 2)
            return
        self.runs += 1
        context = SuggestionContext(list(annotations), annotations.rejected_keys())
        labels = frozenset(annotations.label_set.names)
        for entry in self.active():
            if names is not None and entry.name not in names:
                continue
            if not entry.background:
                try:
                    suggested = entry.make().suggest(annotations.text, context)
                    kept, found = first_in_text(suggested, labels, context.spans, self.pending_limit)
                except Exception as error:  # a suggester's fault is one line naming it, never the app's crash
                    self._report(entry.name, error)
                    continue
                self._apply(entry.name, kept, found)
            elif entry.name in self._busy:
                self._again.add(entry.name)
            else:
                self._start(entry, annotations, context, labels)

    def _start(
        self, entry: SuggesterEntry, annotations: AnnotationSet, context: SuggestionContext, labels: frozenset[str]
    ) -> None:
        """Run ``entry`` in the executor on a snapshot (the text is immutable, the spans and keys are copies;
        ``labels``: the label set's names), its result sifted there too (:func:`_suggest`)."""
        if self.executor is None:
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suggest")
        job = _Job(entry.name, self.generation, annotations)
        suggester, text = entry.make(), annotations.text
        self._busy.add(entry.name)
        self.busy_timer.start()

        self.executor.submit(_suggest, suggester, text, context, labels, self.pending_limit).add_done_callback(
            when_done(lambda future: self.finished.emit(job, future))
        )

    def _on_finished(self, job: _Job, future: Future) -> None:
        """A background run is back (on the GUI thread): apply it unless the document changed meanwhile, then start
        the run asked for meanwhile."""
        self._busy.discard(job.name)
        if not self._busy:
            self.busy_timer.stop()
            self.busy_label.hide()
        else:
            self._show_busy()
        error = future.exception()
        current = (
            job.generation == self.generation
            and self.controller.annotations is job.annotations
            and any(entry.name == job.name for entry in self.active())
        )
        if error is not None:
            self._report(job.name, error)
        elif current and not self.controller.read_only_reason:
            self._apply(job.name, *future.result())
        if job.name in self._again:  # this one only: running them all would ask again for the one still running,
            self._again.discard(job.name)  # and two suggesters sharing the worker would take turns for ever
            self.run({job.name})

    def _apply(self, name: str, kept: list[Suggestion], found: int) -> None:
        """Put ``kept`` in place of suggester ``name``'s pending suggestions: its run's suggestions of labels of the
        label set, none equal to or inside a span of the same label, whichever suggester made them (a plug-in, the
        model), the first :attr:`pending_limit` in the text of the ``found`` there were
        (:func:`~annotator.suggest.pending.first_in_text`, made for the document as it is now)."""
        annotations = self.controller.annotations
        if annotations is None:
            return
        try:
            if found > len(kept):
                self.status.showMessage(
                    f"The {name} suggester found {found:,} suggestions: the first {len(kept):,} in the text "
                    "are shown; accepting or rejecting them brings in the next.",
                    STATUS_TIMEOUT_MS * 2,
                )
            pending = pending_suggestions(kept, annotations, self._used_ids)
        except (ValueError, TypeError, AttributeError) as error:  # e.g. a plug-in's offsets beyond the text
            self._report(name, error)
            return
        change = replace_suggestions_change(annotations, name, pending)
        if change.suggestions_added or change.suggestions_removed:
            self.controller.refresh_suggestions(change)

    def _report(self, name: str, error: BaseException) -> None:
        """One status-bar line naming the suggester that failed and why (the first line of its message)."""
        lines = str(error).strip().splitlines()
        why = one_line(lines[0], 160) if lines else type(error).__name__
        self.status.showMessage(f"The {name} suggester failed: {why}", STATUS_TIMEOUT_MS * 2)

    def _show_busy(self) -> None:
        if self._busy:
            self.busy_label.setText(f"Suggesting… ({', '.join(sorted(self._busy))})")
            self.busy_label.show()

    @property
    def busy(self) -> bool:
        """Whether a background suggester is running now."""
        return bool(self._busy)

    def _show(self) -> None:
        """Draw and list the pending suggestions (none while hidden or off), and the selected one's links."""
        annotations = self.controller.annotations
        suggestions = annotations.suggestions() if annotations is not None and self.enabled and self.shown else []
        self.view.set_suggestions(suggestions)
        self.panel.set_suggestions(suggestions, annotations.label_set if annotations is not None else None)
        self.panel.select(self.view.selected_suggestion_id)
        selected = self.selected()
        self.view.set_suggestion_links(self.link_marks(selected) if selected is not None else [])

    # -- settings -----------------------------------------------------------------------------------------------
    def toggle_suggestions_shown(self, on: bool) -> None:
        """Show or hide the suggestions (they are still computed, so showing them again is instant)."""
        self.shown = bool(on)
        if not self.shown:
            self.view.set_selected_suggestion(None)
        self._show()

    def set_suggestions_enabled(self, on: bool) -> None:
        """Turn suggesting on or off for this annotator (saved in the settings). Off: nothing is computed or drawn
        (pending suggestions already in a file stay there, unseen)."""
        self.settings.suggestions = bool(on)
        self._save_settings()
        self.generation += 1
        self.view.set_selected_suggestion(None)
        self.learn()
        self._show()
        self.schedule()
        self.status.showMessage("Suggestions on." if on else "Suggestions off: none computed or shown.")

    def choose_learning_source(self) -> None:
        """Ask whose annotation files the suggester learns from in a project (saved in the settings), and learn
        again."""
        choices = {
            "my own annotation files": "mine",
            "every annotator's files (gold left out)": "everyone",
            "the gold files": "gold",
        }
        current = next((k for k, v in choices.items() if v == self.settings.suggestions_learn_from), None)
        items = sorted(choices, key=lambda k: k != current)  # the current choice first
        answer = self.questions.choose("Learn from", "In a project, suggestions learn from:", items)
        if answer is None or answer not in choices:
            return
        self.settings.suggestions_learn_from = choices[answer]
        self._save_settings()
        self.learn()
        self.schedule()
        self.status.showMessage(f"Suggestions learn from {answer}.", STATUS_TIMEOUT_MS)

    # -- selecting ----------------------------------------------------------------------------------------------
    def selected(self) -> PendingSuggestion | None:
        """The selected suggestion, if it is still pending and shown."""
        annotations = self.controller.annotations
        suggestion_id = self.view.selected_suggestion_id
        if annotations is None or suggestion_id is None:
            return None
        return annotations.suggestions_by_id.get(suggestion_id)

    def select(self, suggestion_id: str | None, *, reveal: bool = False) -> None:
        """Select the shown suggestion ``suggestion_id`` (deselecting any span and text), or none."""
        annotations = self.controller.annotations
        suggestion = (
            annotations.suggestions_by_id.get(suggestion_id) if annotations is not None and suggestion_id else None
        )
        if suggestion is not None:
            self.editing.select_span(None)
            self.view.clear_text_selection()
        self.view.set_selected_suggestion(suggestion, reveal=reveal)
        self.panel.select(suggestion.id if suggestion else None)
        if suggestion is not None:
            marks = self.link_marks(suggestion)
            self.view.set_suggestion_links(marks)
            self.status.showMessage(suggestion_line(suggestion, marks), STATUS_TIMEOUT_MS * 2)

    def link_marks(self, suggestion: PendingSuggestion) -> list[LinkMark]:
        """What ``suggestion``'s suggested links reach, one hop, as the view draws them: the spans and pending
        suggestions its own links name, and the pending suggestions linking to it (``incoming``)."""
        annotations = self.controller.annotations
        if annotations is None:
            return []
        pending = annotations.suggestions_by_id
        links = [(link, False) for link in suggestion.links]
        links += [
            (link, True)
            for other in pending.values()
            if other.id != suggestion.id
            for link in other.links
            if link.to == suggestion.id
        ]
        marks, seen = [], set()
        for link, held_elsewhere in links:
            incoming = held_elsewhere or (link.to == suggestion.id and link.from_ != suggestion.id)
            other_id = link.from_ if incoming else link.to
            if (other_id, link.type, incoming) in seen or other_id == suggestion.id:
                continue
            reached = annotations.get(other_id) if other_id in annotations else pending.get(other_id)
            if reached is not None:
                seen.add((other_id, link.type, incoming))
                marks.append(LinkMark(reached, link.type, incoming=incoming, suggested=True))
        return marks

    def _on_clicked(self, suggestion_ids: list[str]) -> None:
        """A click: select the suggestion under it unless a span there took the click."""
        if suggestion_ids and self.view.selected_span_id is None:
            self.select(suggestion_ids[0])

    def next_suggestion(self) -> None:
        """Select the next shown suggestion after the selected one (or the caret), wrapping around."""
        self._step(+1)

    def previous_suggestion(self) -> None:
        """Select the previous shown suggestion before the selected one (or the caret), wrapping around."""
        self._step(-1)

    def set_least_certain_first(self, on: bool) -> None:
        """Suggestions → Review Least Certain First: walk the suggestions by falling uncertainty, or by position."""
        self.least_certain_first = bool(on)
        order = "least certain first" if on else "in text order"
        self.status.showMessage(f"Next Suggestion walks the suggestions {order}.", STATUS_TIMEOUT_MS)

    def _step(self, direction: int) -> None:
        shown = self.view.shown_suggestions
        if not shown:
            self.status.showMessage(self._none_shown(), STATUS_TIMEOUT_MS)
            return
        current = self.selected()
        if self.least_certain_first:
            shown = sorted(shown, key=_uncertainty_order)
            here = next((i for i, s in enumerate(shown) if current is not None and s.id == current.id), None)
            first = 0 if direction > 0 else len(shown) - 1
            index = first if here is None else (here + direction) % len(shown)
            self.select(shown[index].id, reveal=True)
            return
        keys = [(s.start, s.end, s.label, s.id) for s in shown]
        if current is not None:
            here = keys.index((current.start, current.end, current.label, current.id))
            index = (here + direction) % len(shown)
        else:
            caret = self.view.caret()
            after = [i for i, s in enumerate(shown) if s.start >= caret]
            before = [i for i, s in enumerate(shown) if s.start < caret]
            forward = after[0] if after else 0
            index = forward if direction > 0 else (before[-1] if before else len(shown) - 1)
        self.select(shown[index].id, reveal=True)

    def _none_shown(self) -> str:
        if not self.enabled:
            return "Suggestions are off (Suggestions → Suggest Spans turns them on)."
        if not self.shown:
            return "Suggestions are hidden (Suggestions → Show Suggestions)."
        return "No pending suggestions."

    # -- answering ----------------------------------------------------------------------------------------------
    def _require_selected(self) -> PendingSuggestion | None:
        suggestion = self.selected()
        if suggestion is None:
            self.status.showMessage("Select a suggestion first (Alt+Down moves to the next one).", STATUS_TIMEOUT_MS)
        elif self.controller.read_only_reason:
            self.status.showMessage(self.controller.read_only_reason, STATUS_TIMEOUT_MS)
            return None
        return suggestion

    def accept_suggestion(self, label: str | None = None) -> None:
        """Accept the selected suggestion as a span (with ``label``: relabeled, origin ``suggestion-edited``), one
        undo step, and select the next suggestion."""
        suggestion = self._require_selected()
        if suggestion is None:
            return
        try:
            accepted = self.controller.accept_suggestions([suggestion.id], label)
        except ValueError as error:
            self.status.showMessage(str(error), STATUS_TIMEOUT_MS)
            return
        if not self._select_after(suggestion) and accepted:
            self.status.showMessage(f"Accepted {label or suggestion.label}. {self._what_is_left()}", STATUS_TIMEOUT_MS)
        self._report_unlinked()

    def accept_with_linked(self) -> None:
        """Accept the selected suggestion and the pending suggestions its suggested links reach (one hop: a
        statement and its source, a source and the statements citing it), as one undo step; then select the next
        suggestion."""
        suggestion = self._require_selected()
        if suggestion is None:
            return
        linked = [mark.span.id for mark in self.link_marks(suggestion) if isinstance(mark.span, PendingSuggestion)]
        ids = list(dict.fromkeys([suggestion.id, *linked]))
        try:
            accepted = self._accept_linked(ids)
        except ValueError as error:
            self.status.showMessage(str(error), STATUS_TIMEOUT_MS)
            return
        selected = self._select_after(suggestion)
        if accepted:
            others = len(ids) - 1
            more = f" and {others} linked suggestion{'' if others == 1 else 's'}" if others else ""
            left = "" if selected else f" {self._what_is_left()}"
            self.status.showMessage(f"Accepted {suggestion.label}{more} (Ctrl+Z undoes).{left}", STATUS_TIMEOUT_MS)
        self._report_unlinked()

    def _accept_linked(self, ids: list[str]) -> bool:
        """Accept pending suggestions ``ids`` (the selected one first, then those its links reach: already one hop)
        and the suggested links among them and to the document's spans, as one undo step
        (:func:`~annotator.model.commands.accept_suggestions_command` without ``with_linked``, which would follow
        the links once more: a speaker's other claims); a link the label set does not allow is reported in the
        status bar."""
        return self.controller.accept_suggestions(ids)

    def _report_unlinked(self) -> None:
        """Say in the status bar which suggested links the last accept could not make (the label set forbids them)."""
        unlinked = self.controller.unlinked
        if unlinked:
            more = f" (and {len(unlinked) - 1} more)" if len(unlinked) > 1 else ""
            self.status.showMessage(one_line(unlinked[0], 200) + more, STATUS_TIMEOUT_MS * 2)

    def reject_suggestion(self) -> None:
        """Reject the selected suggestion (remembered: never offered again), one undo step, and select the next."""
        suggestion = self._require_selected()
        if suggestion is None:
            return
        rejected = self.controller.reject_suggestions([suggestion.id])
        if not self._select_after(suggestion) and rejected:
            self.status.showMessage(f"Rejected {suggestion.label}. {self._what_is_left()}", STATUS_TIMEOUT_MS)

    def _what_is_left(self) -> str:
        """What the status bar says once the last suggestion after the answered one was answered (none selected now:
        the selected one's line would be stale)."""
        left = len(self.view.shown_suggestions)
        if not left:
            return "No more pending suggestions."
        return f"{left} pending suggestion{'' if left == 1 else 's'} before it (Alt+Down goes on from the top)."

    def _select_after(self, answered: PendingSuggestion) -> bool:
        """Select the first shown suggestion after ``answered``'s place (in :attr:`least_certain_first` order when on;
        none when there is none); returns whether one was selected."""
        if self.least_certain_first:
            place = _uncertainty_order(answered)
            following = sorted(
                (s for s in self.view.shown_suggestions if _uncertainty_order(s) > place), key=_uncertainty_order
            )
        else:
            following = [s for s in self.view.shown_suggestions if (s.start, s.end) > (answered.start, answered.end)]
        if following:
            self.select(following[0].id, reveal=True)
            return True
        self.view.set_selected_suggestion(None)
        self.panel.select(None)
        return False

    def apply_label(self, label: str) -> None:
        """A label key: with a suggestion selected (and no text), accept it with ``label``; otherwise label as usual
        (:meth:`SpanEditing.apply_label`)."""
        if self.selected() is not None and self.view.selected_range() is None and self.view.selected_span_id is None:
            self.accept_suggestion(label)
            return
        self.editing.apply_label(label)

    def accept_all_of_label(self) -> None:
        """Accept, as one undo step, every shown suggestion of a label (asked) scoring at least a score (asked)."""
        annotations = self.controller.annotations
        shown = self.view.shown_suggestions
        if annotations is None or not shown:
            self.status.showMessage(self._none_shown(), STATUS_TIMEOUT_MS)
            return
        labels = sorted({s.label for s in shown})
        selected = self.selected()
        if selected is not None and selected.label in labels:
            labels.remove(selected.label)
            labels.insert(0, selected.label)
        label = self.questions.choose("Accept suggestions", "Accept every shown suggestion of the label:", labels)
        if label is None:
            return
        answer = self.questions.text("Accept suggestions", f"… {label} scoring at least (0 to 1):", "0.5")
        if answer is None:
            return
        try:
            least = float(answer.strip().replace(",", "."))
        except ValueError:
            least = -1.0
        if not 0.0 <= least <= 1.0:
            self.status.showMessage(f"Not a score from 0 to 1: {one_line(answer, 40)}", STATUS_TIMEOUT_MS)
            return
        ids = [s.id for s in shown if s.label == label and s.score >= least]
        if not ids:
            self.status.showMessage(f"No shown {label} suggestion scores {least:g} or more.", STATUS_TIMEOUT_MS)
            return
        if self.controller.accept_suggestions(ids):
            self.status.showMessage(f"Accepted {len(ids)} {label} suggestions (Ctrl+Z undoes).", STATUS_TIMEOUT_MS)

    def remove_accepted_spans(self) -> None:
        """Remove every span of this document accepted from a suggester (asked when there are several), with their
        links, as one undo step, even spans accepted in earlier sessions."""
        annotations = self.controller.annotations
        if annotations is None:
            return
        suggesters = sorted({s.suggester for s in annotations if s.origin != MANUAL and s.suggester})
        if not suggesters:
            self.status.showMessage("No span of this document was accepted from a suggestion.", STATUS_TIMEOUT_MS)
            return
        suggester = suggesters[0] if len(suggesters) == 1 else None
        if suggester is None:
            suggester = self.questions.choose("Remove accepted spans", "Remove every span accepted from:", suggesters)
            if suggester is None:
                return
        removed = self.controller.remove_accepted(suggester)
        noun = "span" if removed == 1 else "spans"
        self.status.showMessage(f"Removed {removed} {noun} accepted from {suggester} (Ctrl+Z undoes).")

    # -- the mouse ----------------------------------------------------------------------------------------------
    def suggestion_menu(self, suggestion_id: str) -> QMenu | None:
        """The context menu of suggestion ``suggestion_id``: accept, reject, accept as each other label."""
        annotations = self.controller.annotations
        if annotations is None or suggestion_id not in annotations.suggestions_by_id:
            return None
        suggestion = annotations.suggestion(suggestion_id)
        menu = QMenu(self.view)
        menu.setObjectName("suggestionMenu")
        read_only = bool(self.controller.read_only_reason)

        def answer(do: Callable[[], None]) -> Callable[[], None]:
            def run() -> None:
                self.select(suggestion_id)
                do()

            return run

        accept = menu.addAction(f"Accept as {suggestion.label}".replace("&", "&&"), answer(self.accept_suggestion))
        reject = menu.addAction("Reject", answer(self.reject_suggestion))
        menu.addSeparator()
        others = [label.name for label in annotations.label_set.labels if label.name != suggestion.label]
        actions = [accept, reject]
        for name in others:
            actions.append(
                menu.addAction(
                    f"Accept as {name}".replace("&", "&&"),
                    answer(lambda name=name: self.accept_suggestion(name)),
                )
            )
        for action in actions:
            action.setEnabled(not read_only)
        return menu

    def _show_menu(self, suggestion_id: str, position: QPoint) -> None:
        menu = self.suggestion_menu(suggestion_id)
        if menu is not None:
            menu.exec(position)
            menu.deleteLater()

    def shut_down(self) -> None:
        """The window closes: the suggesters' worker thread is let go (a run under way ends on its own, unheard)."""
        executor, self.executor = self.executor, None
        let_go(executor)


def _uncertainty_order(suggestion: PendingSuggestion) -> tuple[float, int, int, str, str]:
    """Least certain first (:func:`~annotator.suggest.model.uncertainty`), ties by position, label and id."""
    from annotator.suggest.model import uncertainty  # the model on first use, not at start-up

    return (-uncertainty(suggestion), suggestion.start, suggestion.end, suggestion.label, suggestion.id)  # type: ignore[arg-type]


def suggestion_line(suggestion: PendingSuggestion, links: Sequence[LinkMark] = ()) -> str:
    """One plain-text status line for a selected suggestion: ``suggested claim · 0.82 · attribution · source →
    “Ned Price” · <reason>`` (each suggested link, then the reason)."""
    parts = [f"suggested {suggestion.label}", f"{suggestion.score:.2f}", suggestion.suggester]
    parts += [link_phrase(mark) for mark in links]
    if suggestion.reason:
        parts.append(one_line(suggestion.reason, 100))
    return " · ".join(parts)
