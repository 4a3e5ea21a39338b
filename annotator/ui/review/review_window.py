"""The review window: one document's annotators compared on one text, their disagreements listed, and a gold
annotation file adjudicated from them, decision by decision (undoable). Attribute and document-label disagreements
are listed under the span ones; with that list focused (V goes there), 1-9 take an annotator's value.

The adjudication itself is Qt-free (:mod:`annotator.review.adjudication`); this window shows it, runs each
decision through a ``QUndoStack`` and saves the gold file with :func:`annotator.review.gold_file.save_gold`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.io.errors import FileFault
from annotator.model.annotation_set import AnnotationSet, Change
from annotator.review.adjudication import Candidate, Decision
from annotator.review.disagreements import next_disagreement, previous_disagreement
from annotator.review.gold_file import ReviewRefusal, ReviewSetup, save_gold
from annotator.ui.action_registry import ActionRegistry
from annotator.ui.dialogs.messages import ask_save_discard_cancel, show_plain_message
from annotator.ui.plain_text import NameSafeStatusBar, shown_name
from annotator.ui.review.review_actions import MAX_VERSION_KEYS, REVIEW_ACTIONS
from annotator.ui.review.review_models import CandidateTableModel, DisagreementTableModel, ValueDisagreementTableModel
from annotator.ui.review.review_view import ReviewView, band_legend
from annotator.ui.undo import ModelUndoCommand

TEXT_COLUMN_WIDTH = 120
"""Width of the tables' text column, pixels (wider tables scroll)."""
KEY_HINT = (
    "N / P: next / previous · U: undecided · A / R: accept / reject · 1-9: take a version · X: none · "
    "V: values · Ctrl+S: save"
)
"""The status bar's reminder of the keys."""


class ReviewWindow(QMainWindow):
    """Compare the annotators of one document and adjudicate its gold file.

    Parameters
    ----------
    setup: the document's annotators, the gold set and where it is saved
        (:func:`annotator.review.gold_file.open_review`).
    name: the document's name, for the title.
    opener: called with the gold file's path by "Open Gold in the Main Window" (the main window's ``open_path``).
    exporter: called with the gold set, its file, this window and the annotators' files by "Export Gold…" (the
        main window's ``export_annotation_set``).
    parent: the main window (the review window stays a separate top-level window).

    Attributes
    ----------
    current: the index of the disagreement shown, or ``None`` when there are none.
    """

    def __init__(
        self,
        setup: ReviewSetup,
        name: str,
        opener: Callable[[Path], object] | None = None,
        exporter: Callable[[AnnotationSet, Path, QWidget, list[Path]], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("reviewWindow")  # main.review.REVIEW_WINDOW_NAME
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setup = setup
        self.adjudication = setup.adjudication
        self.name = name
        self._opener = opener
        self._exporter = exporter
        self.current: int | None = None
        self.last_message: QMessageBox | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._update_title)

        self.view = ReviewView(self)
        self.view.clicked.connect(self._on_view_clicked)
        self.legend = QLabel(band_legend(self.adjudication.annotators) + ". Tint: gold.", self)
        self.legend.setTextFormat(Qt.TextFormat.PlainText)
        self.legend.setWordWrap(True)

        self.disagreement_model = DisagreementTableModel(self.adjudication, self)
        self.disagreement_table = self._table(self.disagreement_model, "disagreementTable", 3, where_column=2)
        self.disagreement_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.go_to(current.row()) if current.isValid() else None
        )
        self.candidate_model = CandidateTableModel(self.adjudication, self)
        self.candidate_table = self._table(self.candidate_model, "candidateTable", 2, where_column=1)
        self.candidate_table.doubleClicked.connect(lambda _index: self.accept_candidate())
        self.value_model = ValueDisagreementTableModel(self.adjudication, self)
        self.value_table = self._table(self.value_model, "valueTable", None, where_column=2)
        self.value_table.setAccessibleName("Attribute and document-label disagreements")
        self.current_value: int | None = None
        self.value_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._value_chosen(current.row()) if current.isValid() else None
        )

        self.registry = ActionRegistry(self, self._handler, {}, None, specs=REVIEW_ACTIONS)
        self.actions_by_id = self.registry.actions
        self._build_menus()
        self._name_version_actions()

        buttons = QHBoxLayout()
        for action_id in ("review.accept", "review.reject", "review.leave_out"):
            buttons.addWidget(self._button(action_id))
        for number, annotator in enumerate(self.adjudication.annotators, 1):
            if number <= MAX_VERSION_KEYS:
                buttons.addWidget(self._button(f"review.take_{number}"))
            else:  # no key of its own
                button = QToolButton(self)
                button.setText(f"Take {shown_name(annotator).replace('&', '&&')}'s Version")
                button.clicked.connect(lambda _checked=False, n=number: self.take_version(n))
                buttons.addWidget(button)
        buttons.addStretch(1)

        self.disagreement_title = QLabel(self)
        self.disagreement_title.setTextFormat(Qt.TextFormat.PlainText)
        self.candidate_title = QLabel("Candidate spans", self)
        self.candidate_title.setTextFormat(Qt.TextFormat.PlainText)
        self.candidate_title.setBuddy(self.candidate_table)
        panel = QWidget(self)
        column = QVBoxLayout(panel)
        column.addWidget(self.legend)
        column.addWidget(self.disagreement_title)
        column.addWidget(self.disagreement_table, 3)
        column.addWidget(self.candidate_title)
        column.addWidget(self.candidate_table, 2)
        column.addLayout(buttons)
        self.value_title = QLabel(self)
        self.value_title.setTextFormat(Qt.TextFormat.PlainText)
        self.value_title.setBuddy(self.value_table)
        column.addWidget(self.value_title)
        column.addWidget(self.value_table, 2)
        if not self.adjudication.value_disagreements:
            self.value_table.hide()
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.view)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.setCentralWidget(splitter)

        self.setStatusBar(NameSafeStatusBar(self))  # messages name annotators and files
        hint = QLabel(KEY_HINT, self)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(hint)  # the status bar is there from the start: the text never jumps
        self.view.set_review({a: self.adjudication.document.spans[a] for a in self.adjudication.annotators}, setup.gold)
        self.resize(1300, 820)
        splitter.setSizes([640, 660])
        self._update_title()
        self._update_status()
        first = self.adjudication.next_undecided(None)
        self.go_to(first if first is not None else (0 if self.adjudication.disagreements else None))
        self.candidate_table.setFocus()

    # -- building ---------------------------------------------------------------------------------------------
    def _handler(self, name: str):
        if name.startswith("take_version_"):
            number = int(name.removeprefix("take_version_"))
            return lambda: self.take_version(number)
        return getattr(self, name)

    def _build_menus(self) -> None:
        menus: dict[str, object] = {}
        toolbar = self.addToolBar("Review")
        toolbar.setObjectName("reviewToolbar")
        for spec in REVIEW_ACTIONS:
            menu = menus.get(spec.menu)
            if menu is None:
                menu = menus[spec.menu] = self.menuBar().addMenu(spec.menu)
            action = self.actions_by_id[spec.id]
            menu.addAction(action)
            if spec.toolbar:
                toolbar.addAction(action)
            keys = [QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in spec.shortcuts]
            if spec.tip:
                action.setToolTip(f"{spec.text.replace('&', '')} ({', '.join(keys)}): {spec.tip}")

    def _name_version_actions(self) -> None:
        annotators = self.adjudication.annotators
        for number in range(1, MAX_VERSION_KEYS + 1):
            action = self.actions_by_id[f"review.take_{number}"]
            if number <= len(annotators):
                action.setText(f"Take {shown_name(annotators[number - 1]).replace('&', '&&')}'s Version")
            else:
                action.setVisible(False)
                action.setEnabled(False)

    def _table(self, model, name: str, text_column: int | None, *, where_column: int) -> QTableView:
        """A table of ``model``: the ``text_column`` (a span's text) at a readable fixed width, the ``where_column``
        taking the rest of the width (elided in the middle, so both a span's label and its end show; the tooltip has
        it whole), the others (the narrow "Done" too) as wide as their contents."""
        table = QTableView(self)
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        if model.rowCount() > 50:  # sized to the first rows once: sizing on every change reads every row
            header.setResizeContentsPrecision(200)
            table.resizeColumnsToContents()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        else:  # a few rows (the candidates): follow their contents
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        if text_column is not None:
            header.setSectionResizeMode(text_column, QHeaderView.ResizeMode.Interactive)  # readable, never squeezed
            header.resizeSection(text_column, TEXT_COLUMN_WIDTH)
        header.setSectionResizeMode(where_column, QHeaderView.ResizeMode.Stretch)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        table.setWordWrap(False)
        return table

    def _button(self, action_id: str) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(self.actions_by_id[action_id])
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    # -- navigation -------------------------------------------------------------------------------------------
    def go_to(self, index: int | None) -> None:
        """Show disagreement ``index`` (``None``: none): select its row, list its candidates (the first
        selected), frame it in the text and scroll it into view."""
        if index is not None and not 0 <= index < len(self.adjudication.disagreements):
            return
        changed = index != self.current
        self.current = index
        if index is None:
            self.candidate_model.show_disagreement(None)
            self._update_marks()
            self._update_status()
            return
        selection = self.disagreement_table.selectionModel()
        if selection.currentIndex().row() != index:
            selection.setCurrentIndex(
                self.disagreement_model.index(index, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        self.disagreement_table.scrollTo(self.disagreement_model.index(index, 0))
        if changed or self.candidate_model.disagreement != index:
            self.candidate_model.show_disagreement(index)
            if self.candidate_model.candidates:
                self.candidate_table.selectRow(0)
        item = self.adjudication.disagreements[index]
        self.view.reveal_range(item.start, item.end)
        self._update_marks()
        self._update_status()

    def next_disagreement(self) -> None:
        """Go to the next disagreement after the current one (wrapping)."""
        items = self.adjudication.disagreements
        if not items:
            self._say("The annotators agree everywhere: nothing to decide.")
            return
        if self.current is None:
            self.go_to(next_disagreement(items, -1))
        else:
            self.go_to((self.current + 1) % len(items))

    def previous_disagreement(self) -> None:
        """Go to the disagreement before the current one (wrapping)."""
        items = self.adjudication.disagreements
        if not items:
            self._say("The annotators agree everywhere: nothing to decide.")
            return
        if self.current is None:
            self.go_to(previous_disagreement(items, len(self.adjudication.gold.text) + 1))
        else:
            self.go_to((self.current - 1) % len(items))

    def next_undecided(self) -> None:
        """Go to the next undecided disagreement (wrapping); says so when every one is decided."""
        index = self.adjudication.next_undecided(self.current)
        if index is None:
            if self.adjudication.next_undecided_value(self.current_value) is not None:
                self.go_to_values()
                return
            self._say("Every disagreement is decided. Save gold with Ctrl+S.")
            return
        self.go_to(index)

    def _on_view_clicked(self, cp: int) -> None:
        for index, item in enumerate(self.adjudication.disagreements):
            if item.start <= cp < item.end:
                self.go_to(index)
                return

    # -- deciding ---------------------------------------------------------------------------------------------
    def selected_candidate(self) -> Candidate | None:
        """The candidate selected in the candidate list (the first when none is), or ``None``."""
        candidates = self.candidate_model.candidates
        if not candidates:
            return None
        row = self.candidate_table.currentIndex().row()
        return candidates[row if 0 <= row < len(candidates) else 0]

    def accept_candidate(self) -> None:
        """Put the selected candidate into gold, then select the next candidate."""
        candidate = self.selected_candidate()
        if self.current is None or candidate is None:
            return
        self._run(self.adjudication.accept(self.current, candidate))
        self._step_candidate()

    def reject_candidate(self) -> None:
        """Leave the selected candidate out of gold, then select the next candidate."""
        candidate = self.selected_candidate()
        if self.current is None or candidate is None:
            return
        self._run(self.adjudication.reject(self.current, candidate))
        self._step_candidate()

    def take_version(self, number: int) -> None:
        """Gold takes annotator ``number``'s (1-based, band order) spans of the current disagreement or, when the
        values list has the focus, that annotator's value of the chosen attribute or document label."""
        annotators = self.adjudication.annotators
        if not 1 <= number <= len(annotators):
            return
        if self.value_table.hasFocus():
            self.take_value(number)
            return
        if self.current is None:
            return
        self._run(self.adjudication.take_version(self.current, annotators[number - 1]))

    def take_value(self, number: int) -> None:
        """Gold takes annotator ``number``'s (1-based) value of the chosen attribute or document-label
        disagreement, then the next undecided one is chosen."""
        annotators = self.adjudication.annotators
        if self.current_value is None or not 1 <= number <= len(annotators):
            return
        try:
            decision = self.adjudication.choose_value(self.current_value, annotators[number - 1])
        except ValueError as error:
            self._say(str(error))
            return
        index = decision.index
        self.undo_stack.push(
            ModelUndoCommand(decision, self.adjudication.gold, lambda change: self._on_value_decided(index, change))
        )
        following = self.adjudication.next_undecided_value(index)
        if following is not None:
            self.go_to_value(following)

    def go_to_values(self) -> None:
        """Focus the values list at the next undecided attribute or document-label disagreement (else the first)."""
        if not self.adjudication.value_disagreements:
            self._say("The annotators agree on every attribute and document label of the spans they share.")
            return
        index = self.adjudication.next_undecided_value(self.current_value)
        self.go_to_value(index if index is not None else 0)
        self.value_table.setFocus()

    def go_to_value(self, index: int) -> None:
        """Choose value disagreement ``index``: select its row and show its span in the text."""
        if not 0 <= index < len(self.adjudication.value_disagreements):
            return
        selection = self.value_table.selectionModel()
        if selection.currentIndex().row() != index:
            selection.setCurrentIndex(
                self.value_model.index(index, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._value_chosen(index)

    def _value_chosen(self, index: int) -> None:
        self.current_value = index
        self.value_table.scrollTo(self.value_model.index(index, 0))
        key = self.adjudication.value_disagreements[index].key
        if key is not None:
            self.view.reveal_range(key[0], key[1])
        self._update_status()

    def _on_value_decided(self, index: int, change: Change) -> None:
        self.view.apply_gold_change(change)
        self.value_model.refresh()
        if index != self.current_value:
            self.go_to_value(index)
        self._update_status()

    def leave_out(self) -> None:
        """Gold holds none of the current disagreement's candidates."""
        if self.current is not None:
            self._run(self.adjudication.leave_out(self.current))

    def undo(self) -> None:
        """Undo the last decision (and show its disagreement)."""
        self.undo_stack.undo()

    def redo(self) -> None:
        """Redo the last undone decision (and show its disagreement)."""
        self.undo_stack.redo()

    def _run(self, decision: Decision) -> None:
        index = decision.index
        self.undo_stack.push(
            ModelUndoCommand(decision, self.adjudication.gold, lambda change: self._on_decided(index, change))
        )

    def _on_decided(self, index: int, change: Change) -> None:
        """After a decision, its undo or its redo: re-tint what changed and refresh that row."""
        self.view.apply_gold_change(change)
        self.disagreement_model.refresh_row(index)
        self.value_model.refresh()
        if index != self.current:
            self.go_to(index)
        self.candidate_model.refresh()
        self._update_marks()
        self._update_status()

    def _step_candidate(self) -> None:
        row = self.candidate_table.currentIndex().row()
        if row + 1 < self.candidate_model.rowCount():
            self.candidate_table.selectRow(row + 1)

    # -- saving -----------------------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """Whether gold holds decisions not saved: changes since the last save, or decisions made when there is no
        gold file on disk yet (a review just opened, with nothing decided, has nothing to save: the title has no
        ``*`` and closing asks nothing)."""
        decided = self.adjudication.decided or self.adjudication.values_decided
        return not self.undo_stack.isClean() or (self.setup.stamp is None and bool(decided))

    def save(self) -> bool:
        """Write the gold file atomically; on failure show the file and the fault (the old file stays intact).
        Refuses to write over a file that is not a gold file. Returns whether it saved."""
        try:
            save_gold(self.setup)
        except (ReviewRefusal, FileFault) as error:
            self.show_message("Gold not saved", error.message if isinstance(error, FileFault) else str(error))
            return False
        self.undo_stack.setClean()
        self._update_title()
        self._say(f"Saved {self.setup.gold_path}")
        return True

    def open_gold_in_main_window(self) -> None:
        """Save gold (if needed) and open it in the main window, e.g. to export it or add a span."""
        if self._opener is None:
            return
        if self.dirty and not self.save():
            return
        self._opener(self.setup.gold_path)
        parent = self.parentWidget()
        if parent is not None:
            parent.raise_()
            parent.activateWindow()

    def export_gold(self) -> None:
        """Export the gold set as it is now (unsaved decisions included) in any dataset format."""
        if self._exporter is not None:
            self._exporter(self.adjudication.gold, self.setup.gold_path, self, list(self.setup.files.values()))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty:
            answer = self.ask_unsaved()
            if answer == QMessageBox.StandardButton.Cancel or (
                answer == QMessageBox.StandardButton.Save and not self.save()
            ):
                event.ignore()
                return
        super().closeEvent(event)

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Ask whether to save unsaved gold before closing: Save, Discard or Cancel."""
        return ask_save_discard_cancel(self, "Unsaved gold", f"Save the gold file of {self.name} before closing?")

    def show_message(self, title: str, text: str) -> None:
        """Show ``text`` as plain text in a window-modal message box (kept in :attr:`last_message`)."""
        self.last_message = show_plain_message(self, title, text)

    # -- showing ----------------------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def _update_title(self, *_args: object) -> None:
        mark = "*" if self.dirty else ""
        self.setWindowTitle(f"Review — {shown_name(self.name)} — gold{mark}")

    def _update_marks(self) -> None:
        items = self.adjudication.disagreements
        current = (items[self.current].start, items[self.current].end) if self.current is not None else None
        self.view.set_marks(current, [(items[i].start, items[i].end) for i in self.adjudication.undecided])

    def _update_status(self) -> None:
        total = len(self.adjudication.disagreements)
        decided = len(self.adjudication.decided)
        if total == 0:
            self.disagreement_title.setText("Disagreements: none (the annotators agree everywhere)")
        else:
            where = f"{self.current + 1} of {total}" if self.current is not None else f"{total}"
            self.disagreement_title.setText(f"Disagreements: {where}, {decided} decided")
        if self.current is not None:
            item = self.adjudication.disagreements[self.current]
            self.candidate_title.setText(f"Candidate spans of disagreement {self.current + 1} ({item.kind}):")
        values = self.adjudication.value_disagreements
        if not values:
            self.value_title.setText("Attributes and document labels: the annotators agree (on the spans they share)")
        else:
            where = f"{self.current_value + 1} of {len(values)}" if self.current_value is not None else str(len(values))
            self.value_title.setText(
                f"Attribute and document-label disagreements: {where}, {len(self.adjudication.values_decided)} "
                "decided (V: go here; 1-9: take that annotator's value)"
            )
        self._update_title()
