"""The main window: document view, label bar, find bar, legend, span list, span and guideline panels.

Widgets never change the model: they call the controller, which reports a :class:`Change` that each view applies.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QFontDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.io.annotation_file import ANNOTATION_SUFFIX, annotation_path_for, is_annotation_file
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set, load_label_set
from annotator.io.opening import open_document
from annotator.io.settings import Settings, save_settings
from annotator.model.annotation_set import AnnotationSet, Change, relation_faults
from annotator.model.labels import Label, LabelSet
from annotator.model.navigation import step_through_spans
from annotator.model.span import Span
from annotator.model.status import DocumentStatus
from annotator.project.journal import Recoverable
from annotator.project.layout import Project
from annotator.project.session import DiskStamp, DocumentSession, disk_stamp
from annotator.ui.action_registry import ActionRegistry, native
from annotator.ui.actions import ACTIONS, READ_ONLY_DISABLES
from annotator.ui.controller import AnnotationController
from annotator.ui.document_list import DocumentListPanel
from annotator.ui.document_view import DEFAULT_POINT_SIZE, DocumentView, LinkMark
from annotator.ui.find_bar import FindBar
from annotator.ui.guidelines_panel import GuidelinesPanel
from annotator.ui.label_bar import LabelBar
from annotator.ui.legend import LegendBar
from annotator.ui.linking import LinkRefused, LinkSession
from annotator.ui.messages import show_plain_message
from annotator.ui.plain_text import NameSafeStatusBar, one_line, shown_name, tooltip_html
from annotator.ui.questions import DialogQuestions, Questions
from annotator.ui.span_panel import SpanPanel
from annotator.ui.span_table import SpanListPanel, SpanTableModel
from annotator.ui.theme import apply_theme
from annotator.ui.timing import AUTOSAVE_DELAY_MS, DISK_CHECK_MS, STATUS_TIMEOUT_MS
from annotator.ui.window_exchange import ExchangeMixin
from annotator.ui.window_ownership import OwnershipMixin
from annotator.ui.window_projects import ProjectsMixin
from annotator.ui.window_review import ReviewMixin
from annotator.ui.window_sessions import SessionsMixin, same_file

if TYPE_CHECKING:
    from annotator.ui.shortcut_sheet import ShortcutSheetDialog

MIN_POINT_SIZE, MAX_POINT_SIZE = 7.0, 40.0
DEFAULT_RIGHT_WIDTH, DEFAULT_DOCUMENTS_WIDTH = 415, 225
"""Default widths (pixels) of the right panels (spans, span, guidelines) and of the Documents panel."""
NEEDS_DOCUMENT = frozenset(
    {
        "file.save",
        "file.save_as",
        "edit.find",
        "edit.find_next",
        "edit.find_previous",
        "labels.rename",
        "labels.merge",
        "project.mark_done",
        "project.flag",
    }
)
"""Actions (besides every ``span.*`` one) disabled while no document is open."""
NEEDS_PROJECT = frozenset({"project.next", "project.previous", "project.next_not_done", "project.agreement"})
"""Actions disabled while no project is open."""
THEMES = ("system", "light", "dark")


def _plain_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class MainWindow(SessionsMixin, OwnershipMixin, ProjectsMixin, ExchangeMixin, ReviewMixin, QMainWindow):
    """The annotator's window.

    Parameters
    ----------
    annotator: the annotator's name, written into annotation files.
    settings: remembered settings (defaults when ``None``).
    label_set: the chosen label set, which documents opened next use; ``None`` for the shipped default.

    The open document has its own label set (:attr:`AnnotationSet.label_set`): the one its file was made with (the
    chosen one for a new file), until the user switches it; renaming or merging labels changes the document's set,
    not the chosen one. In a project whose
    project file names a label set, :attr:`label_set` is the project's while it is open (the user's own comes back
    when leaving it), and choosing a label set writes the project's file instead of the settings.
    """

    def __init__(self, annotator: str, settings: Settings | None = None, label_set: LabelSet | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.annotator = annotator
        self.settings = settings or Settings(annotator=annotator)
        self.label_set: LabelSet = label_set or default_label_set()
        self._user_label_set: LabelSet | None = None  # the user's own, while a project file's label set is in use
        self.controller = AnnotationController(self)
        self.questions: Questions = DialogQuestions()  # tests put a scripted answerer here
        self.controller.snap_to_words = self.settings.snap_to_words
        self.last_message: QMessageBox | None = None
        self._syncing = False
        self._linking: LinkSession | None = None
        self._sorted_spans: list[Span] | None = None
        self.project: Project | None = None
        self.document_id: str | None = None
        self.session: DocumentSession | None = None
        self._deferred_stamp: DiskStamp | None = None  # a version on disk the user chose to decide about later
        self._deferred_journals: set[Path] = set()  # crash journals the user chose to decide about later (this run)
        self._pending_restore: Recoverable | None = None  # restored work not saved yet: its journal is kept till then
        self._restored_saves: dict[Path, datetime | None] = {}  # files recovery saved at start-up, and when
        self._in_conflict = False
        self._save_fault_shown = False
        self._dock_widths: list[tuple[QDockWidget, int]] = []
        self._pending_notice = ""  # said with the next document opened (e.g. what recovery restored)
        self._journal_fault_shown = False

        # -- widgets ------------------------------------------------------------------------------------------
        self.label_bar = LabelBar()
        self.view = DocumentView()
        self.find_bar = FindBar()
        self.find_bar.hide()
        self.legend = LegendBar()
        self.span_model = SpanTableModel(self)
        self.span_list = SpanListPanel(self.span_model)
        self.span_table = self.span_list.table
        self.span_panel = SpanPanel()
        self.guidelines = GuidelinesPanel()

        self.setStatusBar(NameSafeStatusBar(self))  # file, annotator and label names shown with visible controls
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.label_bar)
        self._build_ownership_bar(layout, layout.count())  # another annotator's file: whose, and how to go on
        layout.addWidget(self.view, 1)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.legend)
        self.setCentralWidget(central)
        self.spans_dock = self._dock("Spans", "spansDock", self.span_list, Qt.DockWidgetArea.RightDockWidgetArea)
        self.span_dock = self._dock("Span", "spanDock", self.span_panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.guidelines_dock = self._dock(
            "Guidelines", "guidelinesDock", self.guidelines, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.tabifyDockWidget(self.span_dock, self.guidelines_dock)
        self.span_dock.raise_()
        self.documents = DocumentListPanel()
        self.documents.setMinimumWidth(230)  # status, a readable name and the count, even beside the find bar
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        self.documents_dock = self._dock("Documents", "documentsDock", self.documents, left)
        self.documents_dock.hide()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.disk_timer = QTimer(self)
        self.disk_timer.setInterval(DISK_CHECK_MS)
        self.disk_timer.timeout.connect(self.check_disk)
        self.disk_timer.start()

        self.selection_status = _plain_label("selectionStatus")
        self.count_status = _plain_label("countStatus")
        self.mode_status = _plain_label("modeStatus")
        self.encoding_status = _plain_label("encodingStatus")
        self.annotator_status = _plain_label("annotatorStatus")
        self.orphan_status = _plain_label("orphanStatus")
        self.read_only_status = _plain_label("readOnlyStatus")
        self.read_only_status.setText("Read-only")
        for widget in (
            self.orphan_status,
            self.read_only_status,
            self.selection_status,
            self.count_status,
            self.mode_status,
            self.encoding_status,
            self.annotator_status,
        ):
            self.statusBar().addPermanentWidget(widget)
        self.read_only_status.hide()
        self.orphan_status.hide()
        self.annotator_status.setText(f"Annotator: {shown_name(annotator)}")

        # -- actions ------------------------------------------------------------------------------------------
        self.registry = ActionRegistry(
            self,
            lambda name: getattr(self, name),
            {"view": [self.view], "spans": [self.view, self.span_table]},
            self.settings.shortcuts,
        )
        self.actions_by_id: dict[str, QAction] = self.registry.actions
        self._wire_undo_actions()
        self._build_menus_and_toolbar()
        self.label_actions: dict[str, QAction] = {}
        self.label_menu = self.menuBar().addMenu("&Label")
        self.menuBar().insertMenu(self._menus["&View"].menuAction(), self.label_menu)
        self.actions_by_id["edit.snap_words"].setChecked(self.controller.snap_to_words)
        self.actions_by_id["file.autosave"].setChecked(self.settings.autosave)
        self._update_mode_status()

        # -- signals ------------------------------------------------------------------------------------------
        self.controller.changed.connect(self._on_change)
        self.controller.undo_stack.cleanChanged.connect(self._update_title)
        self.view.selection_changed.connect(self._on_selection_changed)
        self.view.selection_made.connect(self._on_selection_made)
        self.view.spans_clicked.connect(self._on_spans_clicked)
        self.label_bar.label_chosen.connect(self.apply_label)
        self.span_table.selectionModel().selectionChanged.connect(self._on_table_selection)
        self.span_table.clicked.connect(self._on_table_selection)  # re-clicking a selected row jumps to it again
        self.find_bar.match_selected.connect(self._on_match_selected)
        self.find_bar.matches_changed.connect(self._on_matches_changed)
        self.find_bar.label_all_requested.connect(self._label_all)
        self.find_bar.closed.connect(self._on_find_closed)
        self.span_panel.note_committed.connect(lambda span_id, note: self._edit_span(span_id, note=note))
        self.span_panel.uncertain_toggled.connect(lambda span_id, flag: self._edit_span(span_id, uncertain=flag))
        self.span_panel.link_requested.connect(self.start_linking)
        self.span_panel.relation_remove_requested.connect(lambda rid: self.controller.remove_relations([rid]))
        self.span_panel.link_activated.connect(lambda span_id: self._select_span(span_id, reveal=True))
        self.span_panel.editing_finished.connect(self.view.setFocus)
        self.documents.document_activated.connect(self.open_document_id)
        self.controller.refused.connect(lambda reason: self.statusBar().showMessage(reason, STATUS_TIMEOUT_MS))

        self._apply_label_set_to_widgets(self.label_set)
        if self.settings.font_family:
            font = self.view.font()
            font.setFamily(self.settings.font_family)
            self.view.setFont(font)
        if self.settings.font_point_size:
            self._set_point_size(self.settings.font_point_size)
        self.resize(1320, 820)
        if self.settings.window_geometry.isascii():  # a hand-edited settings file must never stop start-up
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode("ascii")))
        restored_layout = False
        if self.settings.window_state.isascii():
            restored_layout = self.restoreState(QByteArray.fromBase64(self.settings.window_state.encode("ascii")))
        self._default_layout_pending = {self.spans_dock, self.documents_dock} if not restored_layout else set()
        self.spans_dock.visibilityChanged.connect(lambda shown: self._default_dock_size(self.spans_dock, shown))
        self.documents_dock.visibilityChanged.connect(lambda shown: self._default_dock_size(self.documents_dock, shown))
        self.documents_dock.hide()  # a saved layout may show it: it lists a project's documents, shown when one opens
        self._set_theme(self.settings.theme if self.settings.theme in THEMES else "system", save=False)
        self._update_title()
        self._update_counts()
        self._show_span_details()
        self.statusBar().showMessage("Open a text file (Ctrl+O) to start annotating. F1 lists every shortcut.")

    # -- building ---------------------------------------------------------------------------------------------
    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _default_dock_size(self, dock: QDockWidget, shown: bool) -> None:
        """The first time ``dock`` shows without a saved layout, give it its default size (after the layout settles):
        at 1400 x 900 with every panel open the text keeps 80+ characters a line, and the span list takes most of
        the right column's height."""
        if not shown or dock not in self._default_layout_pending:
            return
        self._default_layout_pending.discard(dock)

        def resize() -> None:
            if dock is self.documents_dock:
                self.resizeDocks([dock], [DEFAULT_DOCUMENTS_WIDTH], Qt.Orientation.Horizontal)
                return
            self.resizeDocks([dock], [DEFAULT_RIGHT_WIDTH], Qt.Orientation.Horizontal)
            if self.span_dock.isVisible() and not self.span_dock.isFloating():
                height = self.spans_dock.height() + self.span_dock.height()
                self.resizeDocks([dock, self.span_dock], [height * 3 // 5, height * 2 // 5], Qt.Orientation.Vertical)

        QTimer.singleShot(0, resize)

    def _wire_undo_actions(self) -> None:
        stack = self.controller.undo_stack
        undo, redo = self.actions_by_id["edit.undo"], self.actions_by_id["edit.redo"]
        undo.setEnabled(False)
        redo.setEnabled(False)
        undo.setIconText("Undo")  # the toolbar keeps a short, steady text; menus say what is undone
        redo.setIconText("Redo")
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        stack.undoTextChanged.connect(lambda text: self._name_undo_action(undo, "&Undo", "Undo", text))
        stack.redoTextChanged.connect(lambda text: self._name_undo_action(redo, "&Redo", "Redo", text))

    @staticmethod
    def _name_undo_action(action: QAction, prefix: str, plain: str, text: str) -> None:
        """Menu text naming what Undo/Redo would do; label names in it stay plain (``&`` is not a mnemonic, ``<b>``
        is not markup)."""
        action.setText(f"{prefix} {text.replace('&', '&&')}".strip())
        action.setToolTip(tooltip_html(f"{plain} {text}".strip()))

    def _build_menus_and_toolbar(self) -> None:
        self._menus: dict[str, QMenu] = {}
        toolbar = QToolBar("Main toolbar", self)
        toolbar.setObjectName("mainToolBar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

        def menu_for(title: str) -> QMenu:
            if title not in self._menus:
                self._menus[title] = self.menuBar().addMenu(title)
            return self._menus[title]

        self.registry.add_to_menus(menu_for, toolbar)  # separators and the theme group come from the table
        file_menu = self._menus["&File"]
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.insertMenu(self.actions_by_id["file.import"], self.recent_menu)
        view_menu = self._menus["&View"]
        view_menu.addSeparator()
        for dock, text in (
            (self.documents_dock, "Documents Panel"),
            (self.spans_dock, "Spans Panel"),
            (self.span_dock, "Span Panel"),
            (self.guidelines_dock, "Guidelines Panel"),
        ):
            toggle = dock.toggleViewAction()
            toggle.setText(text)
            view_menu.addAction(toggle)

    def _set_label_actions(self, label_set: LabelSet) -> None:
        for action in self.label_actions.values():
            self.removeAction(action)
        self.label_menu.clear()
        self.label_actions.clear()
        clashes = []
        for label in label_set.labels:
            action = QAction(shown_name(label.name).replace("&", "&&"), self)
            action.setObjectName(f"label.{label.name}")
            owner = self.registry.owner_of(label.hotkey) if label.hotkey else None
            if owner:
                clashes.append(f"key {label.hotkey} of label “{label.name}” is the shortcut of {owner}")
            elif label.hotkey:
                action.setShortcut(QKeySequence(label.hotkey))
            action.setToolTip(tooltip_html(label.description))
            action.triggered.connect(lambda _checked=False, name=label.name: self.apply_label(name))
            self.addAction(action)
            self.label_menu.addAction(action)
            self.label_actions[label.name] = action
        if clashes:  # e.g. a hand-edited settings file; the label still works from its button and the Label menu
            self.statusBar().showMessage("Label keys not bound: " + "; ".join(clashes) + " (F1 to change it).", 15000)

    def _apply_label_set_to_widgets(self, label_set: LabelSet) -> None:
        """Show ``label_set`` everywhere labels appear (bar, menu, legend, guidelines, filters, find bar)."""
        self.registry.label_set = None  # label hotkeys are checked against the application's shortcuts only
        self._set_label_actions(label_set)
        self.registry.label_set = label_set
        self.label_bar.set_label_set(label_set)
        self.legend.set_label_set(label_set)
        self.guidelines.set_label_set(label_set)
        self.span_list.set_label_names(label_set.names)
        self.span_table.fit_label_column(label_set.names)
        self.find_bar.set_label_names(label_set.names)
        self.span_panel.set_relation_types([t.name for t in label_set.relation_types])
        self.span_model.refresh()

    # -- files ------------------------------------------------------------------------------------------------
    def open_path(self, path: str | Path) -> bool:
        """Open a folder as a project, or a text or annotation file; on failure show a plain-text message naming the
        file and the fault (nothing already open is touched). Returns whether it opened.

        A ``.txt`` file inside the open project opens as that project's document. An annotation file keeps the
        label set it was made with (see :meth:`_adopt_label_set`); a new one starts with the chosen label set.
        """
        path = Path(path)
        if path.is_dir():
            return self.open_project(path)
        if self.project is not None:
            document_id = self.project.document_id_for(path)
            if document_id is not None:
                return self.open_document_id(document_id)
        target = path if is_annotation_file(path) else annotation_path_for(path)
        if self.session is not None and same_file(target, self.session.save_path) and not self._maybe_discard():
            return False  # the open file again: saved (or discarded) first, then read afresh below
        try:  # read it before leaving the open document: a file that cannot be opened changes nothing
            opened = self._as_owner(open_document(path, self.user_label_set(), self.annotator))
        except FileFault as error:
            self.show_message("Could not open the file", error.message)
            return False
        stamp = disk_stamp(opened.save_path)  # as read: a change while the open one is saved is noticed
        if not self._maybe_discard():
            return False
        self._leave_project()
        self._remember_recent(path)
        return self._install(opened, stamp, path.name)

    def _show_annotations(self, annotations: AnnotationSet, save_path: Path | None) -> None:
        """Show ``annotations`` in every view (a fresh undo history)."""
        self._cancel_linking()
        self._sorted_spans = None
        self.controller.set_annotations(annotations, save_path)
        self._apply_label_set_to_widgets(annotations.label_set)
        self.view.set_annotations(annotations)
        self.span_model.set_annotations(annotations)
        self.find_bar.set_text(annotations.text)
        source = annotations.document.source
        bom = " with BOM" if source.bom else ""
        self.encoding_status.setText(f"{source.encoding}{bom} · {source.line_ending}")
        orphans = len(annotations.orphans)
        self.orphan_status.setText(f"{orphans} orphaned span{'' if orphans == 1 else 's'} (View → Orphaned Spans)")
        self.orphan_status.setVisible(bool(orphans))
        self._update_counts()
        self._update_title()
        self._on_selection_changed(0, 0)
        self._show_span_details()

    def _adopt_label_set(self, annotations: AnnotationSet, file_name: str) -> str:
        """Freshly opened ``annotations`` keep the label set their file was made with, exactly as on disk (labels,
        order, colors, keys, guidelines, relation types): only an explicit, undoable switch (Label Set → Open Label
        Set…, Use Default Label Set) changes it. Returns a remark for the status bar when it is not the chosen set
        (:attr:`label_set`: the user's, or the project's in a project), else ``""``."""
        own = annotations.label_set
        if own == self.label_set:
            return ""
        which = own.name if own.name != self.label_set.name else f"its own version of {own.name}"
        return f"{file_name} keeps the label set it was made with ({which}); Label Set → Open Label Set… switches it."

    def ask_add_labels(self, missing: list[Label], file_name: str, choosing: LabelSet, links: int = 0) -> bool:
        """Ask (through :attr:`questions`) whether to add the labels ``missing`` (used by ``file_name``) to
        ``choosing``, the label set being switched to; ``links`` links that do not fit it are said to be removed.
        Declining leaves the document's label set as it is."""
        return self.questions.add_labels(self, file_name, [label.name for label in missing], choosing.name, links)

    def open_dialog(self) -> None:
        """Ask for a file and open it."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Open", "", f"Text or annotations (*.txt *{ANNOTATION_SUFFIX} *.json);;All files (*)"
        )
        if path:
            self.open_path(path)

    def show_message(self, title: str, text: str) -> None:
        """Show ``text`` as plain text in a window-modal message box (kept in :attr:`last_message`)."""
        self.last_message = show_plain_message(self, title, text)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.close_reviews() or not self._maybe_discard():
            event.ignore()
            return
        self.disk_timer.stop()
        self.settings.font_point_size = self.view.font().pointSizeF()
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode("ascii")
        self.settings.window_state = bytes(self.saveState().toBase64()).decode("ascii")
        self.settings.annotator = self.annotator
        self._save_settings()
        event.accept()

    def _save_settings(self) -> None:
        with contextlib.suppress(FileFault):  # settings are a convenience; never block work on them
            save_settings(self.settings)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            QTimer.singleShot(0, self.check_disk)  # back from another program (or a git pull): look at the file now
            QTimer.singleShot(0, self.refresh_documents)

    # -- label sets -------------------------------------------------------------------------------------------
    def open_label_set_dialog(self) -> None:
        """Ask for a label-set file (JSON or TOML) and use it."""
        path, _ = QFileDialog.getOpenFileName(self, "Open label set", "", "Label sets (*.json *.toml);;All files (*)")
        if path:
            self.load_label_set_file(path)

    def load_label_set_file(self, path: str | Path) -> bool:
        """Use the label set in ``path`` (remembered for next time). Refused, with a plain-text message, when the
        file is invalid or a label hotkey is already an application shortcut (the message names both)."""
        try:
            label_set = load_label_set(path)
        except FileFault as error:
            self.show_message("Could not use the label set", error.message)
            return False
        user = self.user_label_set()
        if self._use_label_set(label_set, Path(path).name):
            if self.project is not None:  # the project's label set, for everyone: the user's own stays as it was
                self._user_label_set = user
                self._save_project_label_set(label_set)
                return True
            self.settings.label_set_path = str(Path(path).resolve())
            self._save_settings()
            return True
        return False

    def use_remembered_label_set(self, path: str | Path) -> bool:
        """At start, use the label set remembered from an earlier run (``Settings.label_set_path``); False when it
        can no longer be used (moved, deleted, invalid, or a hotkey now an application shortcut). Then the default
        set stays, the path is forgotten (so this is said once), and the status bar says so, again with the first
        document opened: never in a message box, which would block every start and take the first key pressed."""
        try:
            label_set = load_label_set(path)
            faults = self.registry.label_set_clashes(label_set)
        except FileFault as error:
            faults = error.faults
        if not faults:
            return self._use_label_set(label_set, Path(path).name)
        self.settings.label_set_path = ""
        self._save_settings()
        notice = (
            f"The remembered label set {path} could not be used: {'; '.join(faults)}. Using the default label set "
            "(Label Set → Open Label Set… chooses another)."
        )
        self._pending_notice = f"{self._pending_notice} {notice}".strip()
        self.statusBar().showMessage(notice, STATUS_TIMEOUT_MS * 3)
        return False

    def use_default_label_set(self) -> None:
        """Go back to the shipped label set (actor, claim, warning, denial)."""
        user = self.user_label_set()
        if self._use_label_set(default_label_set(), "the default label set"):
            if self.project is not None:  # the project's label set, for everyone: the user's own stays as it was
                self._user_label_set = user
                self._save_project_label_set(self.label_set)
                return
            self.settings.label_set_path = ""
            self._save_settings()

    def _use_label_set(self, label_set: LabelSet, source: str) -> bool:
        clashes = self.registry.label_set_clashes(label_set)
        if clashes:
            self.show_message(
                "Could not use the label set",
                f"{source}: " + "; ".join(clashes) + ". Change the label's hotkey or the shortcut (F1) first.",
            )
            return False
        annotations = self.controller.annotations
        if annotations is None:
            self.label_set = label_set
            self._apply_label_set_to_widgets(label_set)
        else:
            missing = label_set.missing_labels((s.label for s in annotations), annotations.label_set)
            file_name = annotations.document.source.file_name or "the document"
            merged = label_set.with_labels(missing, annotations.label_set.relation_types)
            spans = {s.id: s for s in annotations}
            unfit = sum(1 for r in annotations.relations() if relation_faults(r, spans, merged))
            if missing and not self.ask_add_labels(missing, file_name, label_set, unfit):
                self.statusBar().showMessage("Label set not changed.", STATUS_TIMEOUT_MS)
                return False
            before = annotations.relation_count
            self.controller.change_label_set(merged, f"Use label set {label_set.name}")
            self.label_set = label_set
            lost = before - annotations.relation_count
            if lost and not missing:  # when asked, the question said so already
                self.show_message(
                    "Links removed",
                    f"{lost} link(s) do not fit the relation types of “{label_set.name}” and were removed. "
                    "Undo (Ctrl+Z) brings them back with the previous label set.",
                )
        self.statusBar().showMessage(f"Using label set {label_set.name} ({source}).", STATUS_TIMEOUT_MS)
        return True

    def rename_label_dialog(self) -> None:
        """Ask for a label and its new name, then rename it across the open document (undoable)."""
        annotations = self.controller.annotations
        if annotations is None:
            self.statusBar().showMessage("Open a document first.", STATUS_TIMEOUT_MS)
            return
        names = annotations.label_set.names
        old = self._ask_item("Rename label", "Label:", names)
        if old is None:
            return
        new = self._ask_text("Rename label", f"New name for {old}:", old)
        if new and new.strip() and new.strip() != old:
            self.rename_label(old, new.strip())

    def _input_dialog(self, title: str, caption: str) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText(caption)
        for label in dialog.findChildren(QLabel):  # the caption may hold a label name: never rich text
            label.setTextFormat(Qt.TextFormat.PlainText)
        return dialog

    def _ask_item(self, title: str, caption: str, items: list[str]) -> str | None:
        """Ask to pick one of ``items`` (plain text); ``None`` when cancelled."""
        dialog = self._input_dialog(title, caption)
        dialog.setComboBoxItems(items)
        dialog.setComboBoxEditable(False)
        return dialog.textValue() if dialog.exec() else None

    def _ask_text(self, title: str, caption: str, text: str) -> str | None:
        """Ask for a line of text (plain); ``None`` when cancelled."""
        dialog = self._input_dialog(title, caption)
        dialog.setTextValue(text)
        return dialog.textValue() if dialog.exec() else None

    def rename_label(self, old: str, new: str) -> bool:
        """Rename label ``old`` to ``new`` in the label set and on every span (one undo step)."""
        try:
            self.controller.rename_label(old, new)
        except ValueError as error:
            self.show_message("Could not rename the label", str(error))
            return False
        self.statusBar().showMessage(f"Renamed {old} to {new}.", STATUS_TIMEOUT_MS)
        return True

    def merge_label_dialog(self) -> None:
        """Ask which label to merge into which, then merge (undoable)."""
        annotations = self.controller.annotations
        if annotations is None or len(annotations.label_set.labels) < 2:
            self.statusBar().showMessage("Open a document with at least two labels first.", STATUS_TIMEOUT_MS)
            return
        names = annotations.label_set.names
        source = self._ask_item("Merge label", "Merge label:", names)
        if source is None:
            return
        into = self._ask_item("Merge label", f"Merge {source} into:", [n for n in names if n != source])
        if into is not None:
            self.merge_label(source, into)

    def merge_label(self, source: str, into: str) -> bool:
        """Give every ``source`` span the label ``into`` and drop ``source`` from the label set (one undo step)."""
        try:
            self.controller.merge_label(source, into)
        except ValueError as error:
            self.show_message("Could not merge the labels", str(error))
            return False
        self.statusBar().showMessage(f"Merged {source} into {into}.", STATUS_TIMEOUT_MS)
        return True

    # -- annotating -------------------------------------------------------------------------------------------
    def apply_label(self, label: str) -> None:
        """Label the text selection with ``label`` (snapped to words in word mode); with no text selected, relabel
        the selected span."""
        if self.controller.annotations is None:
            return
        if self.controller.read_only_reason:
            self.statusBar().showMessage(self.controller.read_only_reason, STATUS_TIMEOUT_MS)
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
            links = self.controller.annotations.relation_count
            if self.controller.relabel_span(self.view.selected_span_id, label) is None:
                self.statusBar().showMessage(f"The span already is (or has a twin labeled) {label}.", STATUS_TIMEOUT_MS)
            elif self.controller.annotations.relation_count < links:
                lost = links - self.controller.annotations.relation_count
                self.statusBar().showMessage(
                    f"Relabeled as {label}; removed {lost} link(s) that a {label} span cannot have (Ctrl+Z restores).",
                    STATUS_TIMEOUT_MS * 2,
                )
        else:
            self.statusBar().showMessage(
                "Select some text (or a span: Tab) first, then choose a label.", STATUS_TIMEOUT_MS
            )

    def undo(self) -> None:
        """Undo the last change."""
        self.span_panel.commit_note()
        self.controller.undo_stack.undo()

    def redo(self) -> None:
        """Redo the last undone change."""
        self.controller.undo_stack.redo()

    def delete_selected_spans(self) -> None:
        """Delete the spans selected in the span list, or else the span selected in the view (with their links)."""
        if self.controller.annotations is None:
            return
        ids = self.span_table.selected_span_ids() if self.span_table.hasFocus() else []
        if not ids and self.view.selected_span_id is not None:
            ids = [self.view.selected_span_id]
        if ids:
            self.controller.remove_spans(ids)

    def escape(self) -> None:
        """Cancel linking, else close the find bar, else deselect the span."""
        if self._linking is not None:
            self._cancel_linking()
            self.statusBar().showMessage("Linking cancelled.", STATUS_TIMEOUT_MS)
        elif self.find_bar.isVisible():
            self.find_bar.close_bar()
        else:
            self.clear_span_selection()

    def clear_span_selection(self) -> None:
        """Deselect the selected span."""
        self._select_span(None)

    def set_snap_to_words(self, on: bool) -> None:
        """Word mode (``True``: new spans grow to whole words) or character mode."""
        self.controller.snap_to_words = bool(on)
        self.settings.snap_to_words = bool(on)
        self.actions_by_id["edit.snap_words"].setChecked(bool(on))
        self._update_mode_status()

    def _on_selection_made(self, start: int, end: int) -> None:
        """A mouse drag ended: show the snapped selection, so what gets labeled is what is shown."""
        if self.controller.annotations is None:
            return
        snapped = self.controller.snap(start, end)
        if snapped != (start, end):
            self.view.select_range(*snapped)

    def _edit_span(self, span_id: str, *, note: str | None = None, uncertain: bool | None = None) -> None:
        if self.controller.annotations is not None:
            self.controller.edit_span(span_id, note=note, uncertain=uncertain)

    def edit_note(self) -> None:
        """Write a note on the selected span (the span panel's note field takes the focus)."""
        if self._selected_span() is None:
            self.statusBar().showMessage("Select a span first (Tab moves between spans).", STATUS_TIMEOUT_MS)
            return
        self.span_dock.show()
        self.span_dock.raise_()
        self.span_panel.focus_note()

    def toggle_uncertain(self) -> None:
        """Flag the selected span as uncertain, or clear the flag."""
        span = self._selected_span()
        if span is None:
            self.statusBar().showMessage("Select a span first (Tab moves between spans).", STATUS_TIMEOUT_MS)
            return
        self.controller.edit_span(span.id, uncertain=not span.uncertain)

    # -- span navigation and resizing -------------------------------------------------------------------------
    def _spans_in_order(self) -> list[Span]:
        if self._sorted_spans is None:
            annotations = self.controller.annotations
            self._sorted_spans = annotations.sorted_spans() if annotations is not None else []
        return self._sorted_spans

    def _selected_span(self) -> Span | None:
        annotations = self.controller.annotations
        span_id = self.view.selected_span_id
        if annotations is None or span_id is None or span_id not in annotations:
            return None
        return annotations.get(span_id)

    def next_span(self) -> None:
        """Select the next span (or, while linking, offer the next candidate)."""
        self._step_selection(+1)

    def previous_span(self) -> None:
        """Select the previous span (or, while linking, offer the previous candidate)."""
        self._step_selection(-1)

    def _step_selection(self, direction: int) -> None:
        if self._linking is not None:
            self._linking.step(direction)
            self._show_links()
            self.view.reveal_range(self._linking.candidate.start, self._linking.candidate.end)
            return
        current = self._selected_span()
        caret = self.view.caret()
        selected = self.view.selected_range()
        if current is None and selected is not None and direction < 0:
            caret = selected[0]
        span = step_through_spans(self._spans_in_order(), current, caret, direction)
        if span is None:
            self.statusBar().showMessage("No spans yet.", STATUS_TIMEOUT_MS)
            return
        self.view.clear_text_selection()
        self._select_span(span.id, reveal=True)

    def select_span_at_caret(self) -> None:
        """Select the span under the caret; again, the next span stacked there. While linking: link."""
        if self._linking is not None:
            self._finish_linking(self._linking.candidate.id)
            return
        annotations = self.controller.annotations
        if annotations is None:
            return
        spans = annotations.spans_at(self.view.caret())
        if not spans:
            self.statusBar().showMessage("No span at the caret.", STATUS_TIMEOUT_MS)
            return
        self._on_spans_clicked([s.id for s in spans])

    def _step(self, edge: str, direction: int, unit: str) -> None:
        span = self._selected_span()
        if span is None:
            self.statusBar().showMessage("Select a span first (Tab moves between spans).", STATUS_TIMEOUT_MS)
            return
        resized = self.controller.step_span(span.id, edge, direction, unit)
        if resized is None:
            self.statusBar().showMessage("The span cannot move that way.", STATUS_TIMEOUT_MS)
            return
        self.view.reveal_range(resized.start, resized.end)

    def start_left_word(self) -> None:
        """Grow the selected span's start by one word."""
        self._step("start", -1, "word")

    def start_right_word(self) -> None:
        """Shrink the selected span's start by one word."""
        self._step("start", +1, "word")

    def end_left_word(self) -> None:
        """Shrink the selected span's end by one word."""
        self._step("end", -1, "word")

    def end_right_word(self) -> None:
        """Grow the selected span's end by one word."""
        self._step("end", +1, "word")

    def start_left_char(self) -> None:
        """Grow the selected span's start by one character."""
        self._step("start", -1, "char")

    def start_right_char(self) -> None:
        """Shrink the selected span's start by one character."""
        self._step("start", +1, "char")

    def end_left_char(self) -> None:
        """Shrink the selected span's end by one character."""
        self._step("end", -1, "char")

    def end_right_char(self) -> None:
        """Grow the selected span's end by one character."""
        self._step("end", +1, "char")

    # -- links ------------------------------------------------------------------------------------------------
    def link_source(self) -> None:
        """Link the selected statement span to the actor who utters it: Tab/Shift+Tab choose, Enter links."""
        self.start_linking("source")

    def link_target(self) -> None:
        """Link the selected statement span to the actor it is aimed at."""
        self.start_linking("target")

    def link_any(self) -> None:
        """Link the selected span with a relation type of the label set: the one its label allows, or the one
        chosen in :meth:`choose_relation_type` when several do (e.g. a custom set's "rejects")."""
        annotations = self.controller.annotations
        span = self._selected_span()
        if annotations is None or span is None:
            self.statusBar().showMessage("Select a span first (Tab moves between spans).", STATUS_TIMEOUT_MS)
            return
        names = [
            t.name for t in annotations.label_set.relation_types if not t.from_labels or span.label in t.from_labels
        ]
        if not names:
            article = "an" if span.label[:1].lower() in "aeiou" else "a"
            self.statusBar().showMessage(f"No link can start at {article} {span.label} span.", STATUS_TIMEOUT_MS)
            return
        name = names[0] if len(names) == 1 else self.choose_relation_type(names, span.label)
        if name:
            self.start_linking(name)

    def choose_relation_type(self, names: list[str], label: str) -> str | None:
        """Ask which relation type to make from a ``label`` span; ``None`` when cancelled."""
        return self._ask_item("Link", f"Link this {label} span as:", names)

    def start_linking(self, relation_type: str) -> None:
        """Enter link mode for ``relation_type`` from the selected span; the nearest candidate is offered first."""
        annotations = self.controller.annotations
        if annotations is None:
            return
        try:
            self._linking = LinkSession.start(annotations, relation_type, self.view.selected_span_id)
        except LinkRefused as error:
            self.statusBar().showMessage(str(error), STATUS_TIMEOUT_MS * 2)
            return
        self._show_links()
        self.view.reveal_range(self._linking.candidate.start, self._linking.candidate.end)
        self.view.setFocus()
        self._update_mode_status()
        self.statusBar().showMessage(
            f"Link {relation_type}: Tab picks (nearest first), Enter or click links, Esc cancels"
        )

    def _finish_linking(self, to_id: str) -> None:
        session = self._linking
        if session is None:
            return
        if not session.accepts(to_id):
            self.statusBar().showMessage("That span cannot be linked this way; choose another.", STATUS_TIMEOUT_MS)
            return
        self._linking = None
        try:
            self.controller.add_relation(session.relation_type, session.from_id, to_id)
        except ValueError as error:
            self.show_message("Could not link", str(error))
        self._update_mode_status()
        self._show_links()
        self._show_span_details()
        target = self.controller.annotations.get(to_id)
        self.statusBar().show_with_text(f"Linked {session.relation_type}: {{text}}.", target.text, STATUS_TIMEOUT_MS)

    def _cancel_linking(self) -> None:
        if self._linking is not None:
            self._linking = None
            self._update_mode_status()
            self._show_links()
            self.statusBar().clearMessage()

    def _show_links(self) -> None:
        """Draw the selected span's links (and the pending candidate while linking) in the view."""
        annotations = self.controller.annotations
        span = self._selected_span()
        marks: list[LinkMark] = []
        if annotations is not None and span is not None:
            for relation in annotations.relations_of(span.id):
                incoming = relation.to == span.id
                other = relation.from_ if incoming else relation.to
                if other in annotations:
                    marks.append(LinkMark(annotations.get(other), relation.type, incoming=incoming))
            if self._linking is not None:
                marks.append(LinkMark(self._linking.candidate, self._linking.relation_type, pending=True))
        self.view.set_links(marks)

    def _show_span_details(self) -> None:
        """Fill the span panel for the selected span (its note, flag and links)."""
        annotations = self.controller.annotations
        span = self._selected_span()
        if annotations is None or span is None:
            self.span_panel.show_span(None, [], None)
            return
        links = []
        for relation in annotations.relations_of(span.id):
            outgoing = relation.from_ == span.id
            other = relation.to if outgoing else relation.from_
            if other in annotations:
                links.append((relation, annotations.get(other), "outgoing" if outgoing else "incoming"))
        label = annotations.label_set.get(span.label)
        self.span_panel.show_span(span, links, label.color if label else None)

    # -- finding ----------------------------------------------------------------------------------------------
    def open_find(self) -> None:
        """Show the find bar; a short one-line selection becomes the query."""
        if self.controller.annotations is None:
            return
        query = None
        selected = self.view.selected_range()
        if selected is not None:
            text = self.controller.annotations.text[selected[0] : selected[1]]
            if len(text) <= 200 and one_line(text, 1000) == text:
                query = text
        self.find_bar.set_caret(self.view.caret() if selected is None else selected[0])
        if self.find_bar.isHidden():  # the bar may squeeze the side panels while open; they get their width back
            self._dock_widths = [(d, d.width()) for d in self._side_docks() if d.isVisible() and not d.isFloating()]
        self.find_bar.open_bar(query)

    def find_next(self) -> None:
        """Go to the next match (opens the find bar if it is hidden)."""
        if not self.find_bar.isVisible():
            self.open_find()
            return
        self.find_bar.find_next()

    def find_previous(self) -> None:
        """Go to the previous match."""
        if not self.find_bar.isVisible():
            self.open_find()
            return
        self.find_bar.find_previous()

    def _on_match_selected(self, start: int, end: int) -> None:
        self.view.select_range(start, end)
        self.view.set_search_matches(self.find_bar.matches(), (start, end))

    def _on_matches_changed(self, matches: list) -> None:
        index = self.find_bar.current_index()
        current = matches[index] if 0 <= index < len(matches) else None
        self.view.set_search_matches(matches, current)

    def _on_find_closed(self) -> None:
        self.view.set_search_matches([])
        self.view.setFocus()
        widths = [(d, w) for d, w in self._dock_widths if d.isVisible() and not d.isFloating()]
        if widths:
            QTimer.singleShot(
                0, lambda: self.resizeDocks([d for d, _ in widths], [w for _, w in widths], Qt.Orientation.Horizontal)
            )
        self._dock_widths = []

    def _side_docks(self) -> list[QDockWidget]:
        """One dock per side area (the others there share its width)."""
        return [self.documents_dock, self.spans_dock]

    def _label_all(self, label: str, ranges: list) -> None:
        if self.controller.annotations is None:
            return
        added = self.controller.add_spans([tuple(r) for r in ranges], label)
        skipped = len(ranges) - len(added)
        extra = f" ({skipped} already labeled {label}, alone or inside a longer {label} span)" if skipped else ""
        self.statusBar().showMessage(f"Labeled {len(added)} matches as {label}{extra}.", STATUS_TIMEOUT_MS * 2)

    def focus_span_filter(self) -> None:
        """Put the focus in the span list's text filter."""
        self.spans_dock.show()
        self.span_list.focus_filter()

    def focus_document(self) -> None:
        """Put the focus back in the document."""
        self.view.setFocus()

    # -- selection sync ---------------------------------------------------------------------------------------
    def _select_span(self, span_id: str | None, *, reveal: bool = False) -> None:
        if self._linking is not None and span_id != self._linking.from_id:
            self._cancel_linking()  # the statement being linked is no longer selected
        annotations = self.controller.annotations
        span = annotations.get(span_id) if annotations is not None and span_id in annotations else None
        self.view.set_selected_span(span, reveal=reveal)
        self._syncing = True
        try:
            self.span_table.select_span(span.id if span else None)
        finally:
            self._syncing = False
        self._show_links()
        self._show_span_details()

    def _on_spans_clicked(self, span_ids: list[str]) -> None:
        if self._linking is not None and span_ids:
            choice = next((i for i in span_ids if self._linking.accepts(i)), span_ids[0])
            self._finish_linking(choice)
            return
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
            self._show_links()
            self._show_span_details()

    def _on_change(self, change: Change) -> None:
        self._sorted_spans = None
        if self.session is not None:
            self.session.record(change, "")
            if self.settings.autosave and not self.autosave_timer.isActive():
                self.autosave_timer.start()  # not restarted by later changes: on disk within two seconds
            if self.session.journal_fault and not self._journal_fault_shown:
                self._journal_fault_shown = True
                self.show_message("Crash recovery is off", self.session.journal_fault)
        if change.label_set is not None:  # the document's label set; the chosen one (self.label_set) stays
            self._apply_label_set_to_widgets(change.label_set[1])
        self.view.apply_change(change)
        self._syncing = True  # rows vanish one by one; the selection they leave behind is not a user's choice
        try:
            self.span_model.apply_change(change)
        finally:
            self._syncing = False
        selected = self.view.selected_span_id
        if selected is not None and any(s.id == selected for s in change.removed):
            self._select_span(None)
        if self._linking is not None and (change.removed or change.changed or change.label_set):
            self._cancel_linking()
        self._show_links()
        self._show_span_details()  # cheap; the other end of a link may have changed too
        self._update_counts()
        if change.status is not None or change.added or change.removed:
            self._update_document_entry()
        if change.status is not None:
            self._update_title()

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

    def choose_font(self) -> None:
        """Pick the document font (remembered)."""
        ok, font = QFontDialog.getFont(self.view.font(), self, "Document font")
        if ok:
            self.view.setFont(font)
            self.settings.font_family = font.family()
            self.settings.font_point_size = font.pointSizeF()
            self._save_settings()

    def theme_system(self) -> None:
        """Follow the system's light or dark appearance."""
        self._set_theme("system")

    def theme_light(self) -> None:
        """Light appearance."""
        self._set_theme("light")

    def theme_dark(self) -> None:
        """Dark appearance."""
        self._set_theme("dark")

    def _set_theme(self, choice: str, *, save: bool = True) -> None:
        app = QApplication.instance()
        if app is not None:
            apply_theme(app, choice)
        self.actions_by_id[f"view.theme_{choice}"].setChecked(True)
        self.settings.theme = choice  # widgets recolor on their PaletteChange event
        if save:
            self._save_settings()

    def show_guidelines(self) -> None:
        """Show the guidelines panel (for the selected span's label, if any)."""
        self.guidelines_dock.show()
        self.guidelines_dock.raise_()
        span = self._selected_span()
        if span is not None:
            self.guidelines.show_label(span.label)

    def show_shortcut_sheet(self) -> ShortcutSheetDialog:
        """Open the searchable shortcut sheet, where shortcuts can be changed (saved in the settings)."""
        from annotator.ui.shortcut_sheet import ShortcutRow, ShortcutSheetDialog  # not needed at start-up

        rows = [
            ShortcutRow(
                action_id=spec.id,
                text=spec.text.replace("&", ""),
                category=spec.menu.replace("&", ""),
                shortcuts=self.registry.shortcuts(spec.id),
                defaults=spec.shortcuts,
            )
            for spec in ACTIONS
        ]
        annotations = self.controller.annotations
        label_set = annotations.label_set if annotations is not None else self.label_set
        rows += [
            ShortcutRow(
                action_id=f"label.{label.name}",
                text=f"Label as {label.name}",
                category="Label (from the label set)",
                shortcuts=(label.hotkey,) if label.hotkey else (),
                defaults=(label.hotkey,) if label.hotkey else (),
                editable=False,
            )
            for label in label_set.labels
        ]
        dialog = ShortcutSheetDialog(rows, self.registry.check, self)
        dialog.shortcut_changed.connect(self._rebind)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _rebind(self, action_id: str, shortcuts: list) -> None:
        refusal = self.registry.rebind(action_id, list(shortcuts))
        if refusal:
            self.show_message("Shortcut not changed", refusal)
            return
        self.settings.shortcuts = self.registry.custom_bindings()
        self._save_settings()
        keys = ", ".join(native(k) for k in shortcuts) or "no shortcut"
        self.statusBar().showMessage(f"{self.registry.specs[action_id].text.replace('&', '')}: {keys}.", 4000)

    def _update_mode_status(self) -> None:
        mode = "Words" if self.controller.snap_to_words else "Characters"
        linking = f" · Linking {self._linking.relation_type}" if self._linking is not None else ""
        self.mode_status.setText(f"Snap: {mode}{linking}")

    def _update_title(self) -> None:
        """``document[*] — status — project — saved HH:MM:SS (read-only)``; ``*`` marks unsaved changes."""
        path = self.controller.save_path
        annotations = self.controller.annotations
        name = annotations.document.source.file_name if annotations is not None else ""
        if self.document_id:
            name = self.document_id
        name = name or (path.name if path else "No document")
        parts = [f"{shown_name(name).replace('[*]', '[ * ]')}[*]"]
        session = self.session
        if annotations is not None and self.project is not None:
            not_started = session is not None and not session.dirty and not session.save_path.exists()
            parts.append(DocumentStatus.NOT_STARTED.display_name if not_started else annotations.status.display_name)
        if self.project is not None:
            parts.append(shown_name(self.project.name).replace("[*]", "[ * ]"))
        if session is not None and session.read_only:
            parts.append("read-only")
        elif session is not None and session.last_saved is not None:
            parts.append(f"saved {session.last_saved:%H:%M:%S}")
        self.setWindowTitle(" — ".join(parts))
        self.setWindowModified(not self.controller.undo_stack.isClean())
        self._update_enabled_actions()

    def _update_enabled_actions(self) -> None:
        """Disable the actions that need an open document (saving, finding, spans, marking it done...) or an open
        project (moving between its documents, agreement) while there is none, so that buttons look as they act."""
        has_document = self.controller.annotations is not None
        read_only = bool(self.controller.read_only_reason)  # its editing actions stay off (_apply_read_only)
        self.label_bar.setEnabled(has_document and not read_only)
        for action_id, action in self.actions_by_id.items():
            if action_id.startswith("span.") or action_id in NEEDS_DOCUMENT:
                action.setEnabled(has_document and not (read_only and action_id in READ_ONLY_DISABLES))
            elif action_id in NEEDS_PROJECT:
                action.setEnabled(self.project is not None)

    def _update_counts(self) -> None:
        annotations = self.controller.annotations
        if annotations is None:
            self.count_status.setText("")
            self.legend.set_counts({})
            return
        self.legend.set_counts(annotations.counts_by_label())  # the legend shows the count per label
        links = annotations.relation_count
        count = len(annotations)
        self.count_status.setText(f"{count} span{'' if count == 1 else 's'} · {links} link{'' if links == 1 else 's'}")
