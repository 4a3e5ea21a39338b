"""The model suggester in the app (issue 19): trained in the background after new spans, shown in the Model panel,
gated by its cross-validated F1 and the threshold, a row of the Suggestions menu; and "Review Least Certain First".

Trainings go through an executor the test holds (:class:`ManualExecutor`: a training is done when the test says),
so nothing here depends on the machine's speed; the documents are generated news (``tests/suggest/model/news.py``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.io.settings import Settings
from annotator.model.annotation_set import AnnotationSet
from annotator.model.commands import replace_suggestions_change
from annotator.model.document import Document
from annotator.model.pending import PendingSuggestion
from annotator.project.layout import Project
from annotator.suggest.model import NAME as MODEL
from annotator.ui.main_window import MainWindow
from tests.suggest.model.news import corpus
from tests.ui.test_suggesting_attribution import ManualExecutor

DOCUMENTS = corpus(3, 4, 4)


def model_suggestions(window: MainWindow) -> list[tuple[int, int, str]]:
    return sorted(
        (s.start, s.end, s.label) for s in window.controller.annotations.suggestions() if s.suggester == MODEL
    )


def make(make_window, qtbot, *, threshold: float = 0.0, suggesters: tuple[str, ...] = (MODEL,)) -> MainWindow:
    """A shown window with only the given suggesters on, timers at 0 ms, suggestions run at once and trainings run
    when the test says (``window.model_training.executor.run_all()``)."""
    settings = Settings(annotator="tester", suggesters=list(suggesters), model_threshold=threshold)
    window = make_window("tester", settings=settings)
    window.suggesting.timer.setInterval(0)
    window.suggesting.executor = ManualExecutor(at_once=True)
    window.model_training.timer.setInterval(0)
    window.model_training.executor = ManualExecutor()
    window.show()
    qtbot.waitExposed(window)
    return window


def train(window: MainWindow, qtbot) -> None:
    """Wait for a training to be asked for, then run it and any asked for meanwhile (and the suggestions after)."""
    training, executor = window.model_training, window.model_training.executor
    qtbot.waitUntil(lambda: bool(executor.jobs))

    def idle() -> bool:
        executor.run_all()
        return not training.training and not training.timer.isActive() and not window.suggesting.timer.isActive()

    qtbot.waitUntil(idle)


def open_text(window: MainWindow, tmp_path: Path, text: str, name: str = "news.txt") -> None:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    assert window.open_path(path)


def label_all(window: MainWindow, spans) -> None:
    for span in spans:
        assert window.controller.add_span(span.start, span.end, span.label) is not None


def write_project(root: Path, documents) -> Project:
    """A project of ``documents`` (``(text, spans)``) whose first ones are annotated by "tester" (spans given)."""
    root.mkdir()
    project = Project(root)
    for number, (text, spans) in enumerate(documents, 1):
        document_id = f"news{number}.txt"
        (root / document_id).write_bytes(text.encode("utf-8"))
        if spans:
            annotations = AnnotationSet(
                Document.from_text(text), default_label_set(), "tester", spans, document_id=document_id
            )
            path = project.annotation_path(document_id, "tester")
            path.parent.mkdir(parents=True, exist_ok=True)
            annotation_file.save(annotations, path)
    return project


def test_training_starts_after_spans_are_added_and_its_result_shows_in_the_panel(make_window, qtbot, tmp_path):
    window = make(make_window, qtbot)
    text, spans = DOCUMENTS[0]
    open_text(window, tmp_path, text)
    train(window, qtbot)  # a document opened: nothing to learn yet
    state = window.model_panel.state.text()
    assert "Not enough data" in state and "at least 1 span" in state
    assert "cross-validation needs 2" in window.model_panel.note.text()
    before = window.model_training.trainings
    label_all(window, spans)
    train(window, qtbot)
    assert window.model_training.trainings == before + 1  # a run of edits trains once
    state = window.model_panel.state.text()
    assert f"Trained on {len(spans)} spans in 1 document." in state
    assert "Suggesting (threshold 0: always)." in state
    assert "needs at least 2 documents" in window.model_panel.note.text()  # outside a project: no cross-validation
    assert window.model_panel.figures.rowCount() == 0


def test_an_outdated_training_is_dropped_and_the_one_asked_for_meanwhile_runs(make_window, qtbot, tmp_path):
    window = make(make_window, qtbot)
    text, spans = DOCUMENTS[0]
    open_text(window, tmp_path, text)
    train(window, qtbot)
    executor = window.model_training.executor
    label_all(window, spans[:2])
    qtbot.waitUntil(lambda: bool(executor.jobs))  # a training on 2 spans, still running
    assert "Training…" in window.model_panel.state.text()
    label_all(window, spans[2:])
    qtbot.waitUntil(lambda: window.model_training._again)  # asked for again while it runs
    executor.run_all()  # the first one is back: outdated, dropped; the next one starts
    assert window.model_training.outcome is not None and window.model_training.outcome.model is None
    assert len(executor.jobs) == 1
    train(window, qtbot)
    assert window.model_training.outcome.model.spans == len(spans)


def test_the_menu_row_turns_the_model_on_saved_and_it_suggests_in_the_open_document(make_window, qtbot, tmp_path):
    window = make(make_window, qtbot, suggesters=())
    action = window.actions_by_id["suggest.use_model"]
    assert not action.isChecked() and not window.actions_by_id["suggest.least_certain"].isChecked()
    assert Settings().suggesters == ["string-match", "attribution"]  # off by default
    text, spans = DOCUMENTS[0]
    open_text(window, tmp_path, text)
    label_all(window, spans[:3])
    assert window.model_training.trainings == 0  # off: it does not train
    assert "The model suggester is off" in window.model_panel.state.text()
    action.trigger()
    assert window.settings.suggesters == [MODEL]
    saved = json.loads((Path(os.environ["ANNOTATOR_CONFIG_DIR"]) / "settings.json").read_text(encoding="utf-8"))
    assert saved["suggesters"] == [MODEL]
    train(window, qtbot)
    assert window.model_training.trainings == 1 and model_suggestions(window) == []  # what it learned is labeled
    label_all(window, spans[3:])
    train(window, qtbot)
    window.controller.remove_spans([window.controller.annotations.sorted_spans()[0].id])  # after an edit, the current
    first = spans[0]  # model suggests again, before it is trained again
    qtbot.waitUntil(lambda: model_suggestions(window) == [(first.start, first.end, first.label)])
    assert window.model_training.executor.jobs  # the training after that edit is under way
    action.trigger()  # off: its pending suggestions go
    assert model_suggestions(window) == []


def test_the_threshold_gates_the_model_and_is_saved(make_window, qtbot, tmp_path):
    window = make(make_window, qtbot, threshold=0.5)
    text, spans = DOCUMENTS[0]
    open_text(window, tmp_path, text)
    label_all(window, spans)
    train(window, qtbot)
    window.controller.remove_spans([window.controller.annotations.sorted_spans()[0].id])  # the model knows it
    qtbot.waitUntil(lambda: window.model_training.training)  # (that training is left waiting)
    qtbot.waitUntil(lambda: not window.suggesting.timer.isActive())
    assert model_suggestions(window) == []  # one document: no cross-validation, so nothing at 0.5
    state = window.model_panel.state.text()
    assert "Withheld:" in state and "a threshold of 0 lets it suggest anyway" in state
    assert "The model suggests nothing" in window.statusBar().currentMessage()
    window.model_panel.threshold.setValue(0.0)  # the user sets it in the panel: no training needed
    qtbot.waitUntil(lambda: bool(model_suggestions(window)))
    assert window.settings.model_threshold == 0.0
    saved = json.loads((Path(os.environ["ANNOTATOR_CONFIG_DIR"]) / "settings.json").read_text(encoding="utf-8"))
    assert saved["model_threshold"] == 0.0


def test_in_a_project_the_model_learns_the_annotated_documents_and_suggests_in_a_new_one(make_window, qtbot, tmp_path):
    project = write_project(tmp_path / "corpus", [*DOCUMENTS[:3], (DOCUMENTS[3][0], [])])
    window = make(make_window, qtbot, threshold=0.99)
    assert window.open_path(project.root)
    window.projects.open_document_id("news4.txt")
    qtbot.waitUntil(lambda: window.projects.document_id == "news4.txt")
    train(window, qtbot)
    outcome = window.model_training.outcome
    f1 = outcome.validation.f1.value
    assert outcome.model.documents == 3 and 0.5 < f1 < 0.99
    panel = window.model_panel
    labels = sorted({s.label for _text, spans in DOCUMENTS[:3] for s in spans})
    rows = panel.figures.rowCount()
    assert [panel.figures.item(row, 0).text() for row in range(rows)] == [*labels, "all labels"]
    assert panel.figures.item(rows - 1, 3).text() == f"{f1:.2f}"  # exact F1 over all labels
    assert [panel.curve.item(0, column).text() for column in range(panel.curve.columnCount())] == ["1", "2"]
    assert "below the threshold 0.99" in panel.state.text()
    assert model_suggestions(window) == []
    panel.threshold.setValue(0.5)
    qtbot.waitUntil(lambda: bool(model_suggestions(window)))
    assert f"cross-validated F1 {f1:.2f} ≥ threshold 0.50" in panel.state.text()
    gold = {(s.start, s.end, s.label) for s in DOCUMENTS[3][1]}
    assert len(set(model_suggestions(window)) & gold) >= len(gold) // 2


def test_retrain_now_trains_even_while_the_model_suggester_is_off(make_window, qtbot, tmp_path):
    window = make(make_window, qtbot, suggesters=())
    text, spans = DOCUMENTS[0]
    open_text(window, tmp_path, text)
    label_all(window, spans)
    window.model_panel.retrain.click()
    train(window, qtbot)
    assert window.model_training.outcome.model is not None
    assert model_suggestions(window) == []  # trained, but the suggester is off


def pending(annotations: AnnotationSet, start: int, end: int, score: float, number: int) -> PendingSuggestion:
    return PendingSuggestion(
        id=f"g{number}", start=start, end=end, label="actor", text=annotations.text[start:end], score=score,
        suggester="test", reason="",
    )  # fmt: skip


@pytest.mark.parametrize("least_certain", [False, True])
def test_review_least_certain_first_walks_the_suggestions_by_uncertainty(make_window, qtbot, tmp_path, least_certain):
    window = make(make_window, qtbot, suggesters=())
    open_text(window, tmp_path, "alpha beta gamma delta epsilon\n")
    annotations = window.controller.annotations
    scores = {0: 0.95, 6: 0.5, 11: 0.1, 17: 0.6, 23: 0.4}  # uncertainty 0.1, 1.0, 0.2, 0.8, 0.8
    suggested = [pending(annotations, start, start + 4, score, n) for n, (start, score) in enumerate(scores.items())]
    window.controller.refresh_suggestions(replace_suggestions_change(annotations, "test", suggested))
    if least_certain:
        window.actions_by_id["suggest.least_certain"].trigger()
        assert window.suggesting.least_certain_first
    walked = []
    for _ in range(5):
        window.actions_by_id["suggest.next"].trigger()
        walked.append(window.suggesting.selected().start)
    if least_certain:
        assert walked == [6, 17, 23, 11, 0]  # 0.5 first; 0.6 and 0.4 tie: by position
    else:
        assert walked == [0, 6, 11, 17, 23]
    window.actions_by_id["suggest.previous"].trigger()
    assert window.suggesting.selected().start == (11 if least_certain else 17)
    window.actions_by_id["suggest.reject"].trigger()  # then the next one in the same order
    assert window.suggesting.selected().start == (0 if least_certain else 23)


def test_the_default_worker_process_trains_and_delivers_on_the_gui_thread(make_window, qtbot, tmp_path):
    settings = Settings(annotator="tester", suggesters=[MODEL], model_threshold=0.0)
    window = make_window("tester", settings=settings)
    window.model_training.timer.setInterval(0)
    text, spans = DOCUMENTS[0]
    open_text(window, tmp_path, text)
    label_all(window, spans)
    qtbot.waitUntil(lambda: window.model_training.trainings >= 2, timeout=5_000)
    qtbot.waitUntil(lambda: not window.model_training.training, timeout=120_000)  # spawning a process is slow
    assert window.model_training.outcome.model.spans == len(spans)
    window.close()
    assert window.model_training.executor is None  # the worker process stopped with the window
