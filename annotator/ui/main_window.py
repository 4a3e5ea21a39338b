"""The main window: document view, label bar, span list and status bar, wired to the controller."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.io.annotation_file import ANNOTATION_SUFFIX
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set
from annotator.io.opening import open_document
from annotator.io.settings import Settings, save_settings
from annotator.model.annotation_set import Change
from annotator.model.labels import LabelSet
from annotator.ui.actions import ACTIONS, REDO_SHORTCUTS, UNDO_SHORTCUTS
from annotator.ui.controller import AnnotationController
from annotator.ui.document_view import DEFAULT_POINT_SIZE, DocumentView
from annotator.ui.label_bar import LabelBar
from annotator.ui.plain_text import tooltip_html
from annotator.ui.span_table import SpanTableModel, SpanTableView

STATUS_TIMEOUT_MS = 5000
MIN_POINT_SIZE, MAX_POINT_SIZE = 7.0, 40.0


def _plain_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class MainWindow(QMainWindow):
    """The annotator's window. Widgets never change the model: they call the controller, which reports a
    :class:`Change` that the view and the span list apply."""

    def __init__(self, annotator: str, settings: Settings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.annotator = annotator
        self.settings = settings or Settings(annotator=annotator)
        self.default_label_set: LabelSet = default_label_set()
        self.controller = AnnotationController(self)
        self.last_message: QMessageBox | None = None
        self._syncing = False

        self.label_bar = LabelBar()
        self.view = DocumentView()
        self.span_model = SpanTableModel(self)
        self.span_table = SpanTableView(self.span_model)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.span_table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 440])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.label_bar)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.selection_status = _plain_label("selectionStatus")
        self.count_status = _plain_label("countStatus")
        self.encoding_status = _plain_label("encodingStatus")
        self.annotator_status = _plain_label("annotatorStatus")
        for widget in (self.selection_status, self.count_status, self.encoding_status, self.annotator_status):
            self.statusBar().addPermanentWidget(widget)
        self.annotator_status.setText(f"Annotator: {annotator}")

        self.actions_by_id: dict[str, QAction] = {}
        self._build_menus()
        self.label_actions: dict[str, QAction] = {}
        self.label_menu = self.menuBar().addMenu("&Label")
        self._set_label_set(self.default_label_set)

        self.controller.changed.connect(self._on_change)
        self.controller.undo_stack.cleanChanged.connect(self._update_title)
        self.view.selection_changed.connect(self._on_selection_changed)
        self.view.spans_clicked.connect(self._on_spans_clicked)
        self.label_bar.label_chosen.connect(self.apply_label)
        self.span_table.selectionModel().selectionChanged.connect(self._on_table_selection)
        self.span_table.clicked.connect(self._on_table_selection)  # re-clicking a selected row jumps to it again

        if self.settings.font_point_size:
            self._set_point_size(self.settings.font_point_size)
        self.resize(1280, 800)
        if self.settings.window_geometry.isascii():  # a hand-edited settings file must never stop start-up
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode("ascii")))
        self._update_title()
        self._update_counts()
        self.statusBar().showMessage("Open a text file (Ctrl+O) to start annotating.")

    # -- building ---------------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        menus: dict[str, object] = {}
        undo = self.controller.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence(k) for k in UNDO_SHORTCUTS])
        redo = self.controller.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence(k) for k in REDO_SHORTCUTS])
        self.actions_by_id["edit.undo"] = undo
        self.actions_by_id["edit.redo"] = redo
        for spec in ACTIONS:
            if spec.menu not in menus:
                menus[spec.menu] = self.menuBar().addMenu(spec.menu)
                if spec.menu == "&Edit":
                    menus[spec.menu].addAction(undo)
                    menus[spec.menu].addAction(redo)
                    menus[spec.menu].addSeparator()
            action = QAction(spec.text, self)
            action.setObjectName(spec.id)
            action.setShortcuts([QKeySequence(k) for k in spec.shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(getattr(self, spec.handler))
            menus[spec.menu].addAction(action)
            self.actions_by_id[spec.id] = action
        for action in (undo, redo):
            self.addAction(action)

    def _set_label_set(self, label_set: LabelSet) -> None:
        self.label_bar.set_label_set(label_set)
        self.span_table.fit_label_column(label_set.names)
        for action in self.label_actions.values():
            self.removeAction(action)
        self.label_menu.clear()
        self.label_actions.clear()
        for label in label_set.labels:
            action = QAction(label.name.replace("&", "&&"), self)
            action.setObjectName(f"label.{label.name}")
            if label.hotkey:
                action.setShortcut(QKeySequence(label.hotkey))
            action.setToolTip(tooltip_html(label.description))
            action.triggered.connect(lambda _checked=False, name=label.name: self.apply_label(name))
            self.label_menu.addAction(action)
            self.label_actions[label.name] = action

    # -- files ------------------------------------------------------------------------------------------------
    def open_path(self, path: str | Path) -> bool:
        """Open a text or annotation file; on failure show a plain-text message naming the file and the fault
        (nothing already open is touched). Returns whether it opened."""
        if not self._maybe_discard():
            return False
        try:
            opened = open_document(path, self.default_label_set, self.annotator)
        except FileFault as error:
            self.show_message("Could not open the file", error.message)
            return False
        annotations = opened.annotations
        self.controller.set_annotations(annotations, opened.save_path)
        self._set_label_set(annotations.label_set)
        self.view.set_annotations(annotations)
        self.span_model.set_annotations(annotations)
        source = annotations.document.source
        bom = " with BOM" if source.bom else ""
        self.encoding_status.setText(f"{source.encoding}{bom} · {source.line_ending}")
        self._update_counts()
        self._update_title()
        self._on_selection_changed(0, 0)
        if opened.text_mismatch:
            self.show_message("Annotations made on another text", opened.notice)
        empty = "The document is empty. " if not annotations.text else ""
        self.statusBar().showMessage(empty + (opened.notice or f"Opened {Path(path).name}."), STATUS_TIMEOUT_MS)
        self.view.setFocus()
        return True

    def open_dialog(self) -> None:
        """Ask for a file and open it."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Open", "", f"Text or annotations (*.txt *{ANNOTATION_SUFFIX} *.json);;All files (*)"
        )
        if path:
            self.open_path(path)

    def save(self) -> bool:
        """Save to the current annotation file (``X.annotations.json`` beside ``X.txt``), with no dialog."""
        if self.controller.annotations is None:
            return False
        if self.controller.save_path is None:
            return self.save_as()
        return self._save_to(self.controller.save_path)

    def save_as(self) -> bool:
        """Ask where to save, then save there (later saves go there too)."""
        if self.controller.annotations is None:
            return False
        start = str(self.controller.save_path or "")
        path, _ = QFileDialog.getSaveFileName(self, "Save annotations as", start, f"Annotations (*{ANNOTATION_SUFFIX})")
        return self._save_to(Path(path)) if path else False

    def _save_to(self, path: Path) -> bool:
        try:
            saved = self.controller.save(path)
        except FileFault as error:
            self.show_message("Could not save", error.message)
            return False
        self._update_title()
        self.statusBar().showMessage(
            f"Saved {len(self.controller.annotations)} spans to {saved.name}.", STATUS_TIMEOUT_MS
        )
        return True

    def _maybe_discard(self) -> bool:
        """``True`` when there are no unsaved changes, or the user saved or chose to discard them."""
        if self.controller.annotations is None or self.controller.undo_stack.isClean():
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Ask whether to save unsaved changes: Save, Discard or Cancel."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setTextFormat(Qt.TextFormat.PlainText)
        name = self.controller.save_path.name if self.controller.save_path else "this document"
        box.setText(f"Save your changes to {name}?")
        box.setInformativeText("Unsaved spans are lost if you discard them.")
        box.setStandardButtons(
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        return QMessageBox.StandardButton(box.exec())

    def show_message(self, title: str, text: str) -> None:
        """Show ``text`` as plain text in a window-modal message box (kept in :attr:`last_message`)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_message = box
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._maybe_discard():
            event.ignore()
            return
        self.settings.font_point_size = self.view.font().pointSizeF()
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode("ascii")
        self.settings.annotator = self.annotator
        with contextlib.suppress(FileFault):  # settings are a convenience; never block closing on them
            save_settings(self.settings)
        event.accept()

    # -- annotating -------------------------------------------------------------------------------------------
    def apply_label(self, label: str) -> None:
        """Label the text selection with ``label``; with no text selected, relabel the selected span."""
        if self.controller.annotations is None:
            return
        selected = self.view.selected_range()
        if selected is not None:
            span = self.controller.add_span(*selected, label)
            if span is None:
                self.statusBar().showMessage(
                    "Not labeled: the selection is only whitespace, or already has that label.", STATUS_TIMEOUT_MS
                )
                return
            self.view.clear_text_selection()
            self._select_span(span.id)
        elif self.view.selected_span_id is not None:
            if self.controller.relabel_span(self.view.selected_span_id, label) is None:
                self.statusBar().showMessage(f"The span already is (or has a twin labeled) {label}.", STATUS_TIMEOUT_MS)
        else:
            self.statusBar().showMessage(
                "Select some text (or click a span) first, then choose a label.", STATUS_TIMEOUT_MS
            )

    def delete_selected_spans(self) -> None:
        """Delete the spans selected in the span list, or else the span selected in the view."""
        ids = self.span_table.selected_span_ids() if self.span_table.hasFocus() else []
        if not ids and self.view.selected_span_id is not None:
            ids = [self.view.selected_span_id]
        if ids:
            self.controller.remove_spans(ids)

    def clear_span_selection(self) -> None:
        """Deselect the selected span."""
        self._select_span(None)

    def _select_span(self, span_id: str | None, *, reveal: bool = False) -> None:
        annotations = self.controller.annotations
        span = annotations.get(span_id) if annotations is not None and span_id in annotations else None
        self.view.set_selected_span(span, reveal=reveal)
        self._syncing = True
        try:
            self.span_table.select_span(span.id if span else None)
        finally:
            self._syncing = False

    def _on_spans_clicked(self, span_ids: list[str]) -> None:
        if not span_ids:
            self._select_span(None)
            return
        current = self.view.selected_span_id
        # Clicking again on stacked spans cycles through them, shortest first.
        if current in span_ids:
            span_ids = span_ids[span_ids.index(current) + 1 :] + span_ids[: span_ids.index(current) + 1]
        self._select_span(span_ids[0])

    def _on_table_selection(self, *_args: object) -> None:
        if self._syncing:
            return
        ids = self.span_table.selected_span_ids()
        annotations = self.controller.annotations
        if len(ids) == 1 and annotations is not None and ids[0] in annotations:
            self.view.clear_text_selection()
            self.view.set_selected_span(annotations.get(ids[0]), reveal=True)

    def _on_change(self, change: Change) -> None:
        self.view.apply_change(change)
        self._syncing = True  # rows vanish one by one; the selection they leave behind is not a user's choice
        try:
            self.span_model.apply_change(change)
        finally:
            self._syncing = False
        selected = self.view.selected_span_id
        if selected is not None and any(s.id == selected for s in change.removed):
            self._select_span(None)
        self._update_counts()

    def _on_selection_changed(self, start: int, end: int) -> None:
        if start == end:
            self.selection_status.setText(f"Caret {start}")
        else:
            self.selection_status.setText(f"Selection {start}–{end} ({end - start} code points)")
            if self.view.selected_span_id is not None:
                self._select_span(None)

    # -- view -------------------------------------------------------------------------------------------------
    def zoom_in(self) -> None:
        """Larger text."""
        self._set_point_size(self.view.font().pointSizeF() + 1)

    def zoom_out(self) -> None:
        """Smaller text."""
        self._set_point_size(self.view.font().pointSizeF() - 1)

    def zoom_reset(self) -> None:
        """Default text size."""
        self._set_point_size(DEFAULT_POINT_SIZE)

    def _set_point_size(self, size: float) -> None:
        font = self.view.font()
        font.setPointSizeF(max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, size)))
        self.view.setFont(font)

    def _update_title(self) -> None:
        path = self.controller.save_path
        annotations = self.controller.annotations
        name = annotations.document.source.file_name if annotations and annotations.document.source.file_name else ""
        name = name or (path.name if path else "No document")
        self.setWindowTitle(f"{name.replace('[*]', '[ * ]')}[*]")
        self.setWindowModified(not self.controller.undo_stack.isClean())

    def _update_counts(self) -> None:
        annotations = self.controller.annotations
        if annotations is None:
            self.count_status.setText("")
            return
        counts = annotations.counts_by_label()
        self.count_status.setText(" · ".join(f"{name} {count}" for name, count in counts.items()))
