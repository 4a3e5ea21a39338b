"""The annotator's main window: it builds the widgets, lays out the docks, makes the parts (one module each in
:mod:`annotator.ui.main`), wires them and builds the actions of the action table; the parts do the work."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QMessageBox, QToolBar, QVBoxLayout, QWidget

from annotator.io.errors import FileFault
from annotator.ui.actions import NEEDS_DOCUMENT, NEEDS_PROJECT, READ_ONLY_DISABLES
from annotator.ui.gil_sharing import share_gil_finely
from annotator.ui.main.building import (
    DefaultDockSizes,
    LazyPart,
    add_dock,
    handler_in,
    status_labels,
    wire_undo_actions,
)
from annotator.ui.plain_text import NameSafeStatusBar, shown_name, tooltip_html
from annotator.ui.timing import STATUS_TIMEOUT_MS

if TYPE_CHECKING:
    from collections.abc import Callable

    from annotator.io.annotation_file import Progress
    from annotator.io.convert.source import Converted
    from annotator.io.opening import OpenedDocument
    from annotator.io.settings import Settings
    from annotator.model.annotation_set import AnnotationSet, Change
    from annotator.model.labels import LabelSet
    from annotator.ui.dialogs.questions import Questions
    from annotator.ui.main.incoming import Incoming
    from annotator.ui.main.review import Reviews


def disk_stamp(path: Path) -> object:
    """:func:`annotator.project.session.disk_stamp` of ``path`` (its module imported on first use)."""
    from annotator.project.session import disk_stamp as stamp

    return stamp(path)


class MainWindow(QMainWindow):
    """The annotator's window.

    Parameters
    ----------
    annotator: the annotator's name, written into annotation files.
    settings: remembered settings (defaults when ``None``).
    label_set: the chosen label set, which documents opened next use; ``None`` for the shipped default.
    questions: what asks the user (:class:`DialogQuestions` over this window when ``None``; tests pass a scripted
        answerer).
    shown: called with the window once it has its size and place (the remembered geometry) and before anything
        else is made or imported: :func:`annotator.ui.app.run_app` shows it there and lets it paint, so that the
        window appears before most of the app is imported (start-up, issue 22). Until its parts are made the window
        closes only once they are (a close asked meanwhile waits for that) and ignores being activated.

    Its parts: :attr:`sessions` (saving, autosave, read-only, changes on disk), :attr:`opener` (opening into a
    session, crash recovery), :attr:`projects`, :attr:`label_sets`, :attr:`ownership`, :attr:`editing` (spans and
    links), :attr:`finding`, :attr:`appearance`, :attr:`exchange` (export, import), :attr:`reviews`,
    :attr:`suggesting` (suggestions computed, drawn and reviewed) and :attr:`activity` (active annotation time).
    Each action of the action table calls the method its ``handler`` names on the window or on one of them.
    """

    def __init__(
        self,
        annotator: str,
        settings: Settings | None = None,
        label_set: LabelSet | None = None,
        questions: Questions | None = None,
        shown: Callable[[MainWindow], None] | None = None,
    ) -> None:
        super().__init__()
        share_gil_finely()  # the window takes turns with background threads every 2 ms, not 5 (ui/gil_sharing.py)
        self.setObjectName("mainWindow")
        self._built = self._close_asked = False
        self.annotator = annotator
        if settings is None:
            from annotator.io.settings import Settings

            settings = Settings(annotator=annotator)
        self.settings = settings
        self.resize(1320, 820)
        if settings.window_geometry.isascii():  # a hand-edited settings file must never stop start-up
            self.restoreGeometry(QByteArray.fromBase64(settings.window_geometry.encode("ascii")))
        if shown is not None:
            self.setCentralWidget(starting_placeholder(self))  # what the first paint shows (replaced by _build)
            shown(self)  # the window in its size and place, before the rest of the app is imported
        self._build(settings, label_set, questions)
        self._built = True
        from annotator.ui.warm_up import schedule_warm_up

        schedule_warm_up(self)  # what the first edit needs, made in the background once the window is up
        if self._close_asked:
            QTimer.singleShot(0, self.close)

    def _build(self, settings: Settings, label_set: LabelSet | None, questions: Questions | None) -> None:
        """Make the widgets, docks, parts and actions (importing their modules: most of start-up's imports)."""
        from annotator.io.label_set_file import default_label_set
        from annotator.ui.action_registry import ActionRegistry
        from annotator.ui.controller import AnnotationController
        from annotator.ui.dialogs.questions import DialogQuestions
        from annotator.ui.document.document_labels_panel import DocumentLabelsPanel
        from annotator.ui.document.document_view import DocumentView
        from annotator.ui.document.find_bar import FindBar
        from annotator.ui.document.guidelines_panel import GuidelinesPanel
        from annotator.ui.document.label_bar import LabelBar
        from annotator.ui.document.legend import LegendBar
        from annotator.ui.document.model_panel import ModelPanel
        from annotator.ui.document.span_panel import SpanPanel
        from annotator.ui.document.span_table import SpanListPanel, SpanTableModel
        from annotator.ui.document.suggestion_list import SuggestionListPanel
        from annotator.ui.main.activity import ActivityTime
        from annotator.ui.main.appearance import THEMES, Appearance
        from annotator.ui.main.converting import Converting
        from annotator.ui.main.document_labels import DocumentLabelling
        from annotator.ui.main.document_list import DocumentListPanel
        from annotator.ui.main.editing import SpanEditing
        from annotator.ui.main.exchange import Exchange
        from annotator.ui.main.finding import Finding
        from annotator.ui.main.label_sets import LabelSets
        from annotator.ui.main.large_opening import LargeOpening
        from annotator.ui.main.model_training import ModelTraining
        from annotator.ui.main.notices import Notices
        from annotator.ui.main.opening import DocumentOpener
        from annotator.ui.main.ownership import Ownership
        from annotator.ui.main.ownership_bar import OwnershipBar
        from annotator.ui.main.plugins import ProjectPlugins
        from annotator.ui.main.projects import Projects
        from annotator.ui.main.sessions import DocumentSessions
        from annotator.ui.main.suggesting import SUGGESTER_ACTIONS, Suggesting
        from annotator.ui.main.trusting import CommandTrust

        annotator = self.annotator
        self.controller = controller = AnnotationController(self)
        self.questions: Questions = questions or DialogQuestions(self)
        controller.snap_to_words = settings.snap_to_words
        self.notices = Notices(self)

        # -- widgets ------------------------------------------------------------------------------------------
        self.label_bar = LabelBar()
        self.ownership_bar = OwnershipBar()  # another annotator's file: whose, and how to go on
        self.view = DocumentView()
        self.find_bar = FindBar()
        self.find_bar.hide()
        self.legend = LegendBar()
        self.span_model = SpanTableModel(self)
        self._shown_label_set: LabelSet | None = None  # the one the widgets show (not applied again when equal)
        self.span_list = SpanListPanel(self.span_model)
        self.span_table = self.span_list.table
        self.span_panel = SpanPanel()
        self.document_labels = DocumentLabelsPanel()
        self.guidelines = GuidelinesPanel()
        self.suggestion_list = SuggestionListPanel()
        self.model_panel = ModelPanel()
        self.documents = DocumentListPanel()
        self.documents.setMinimumWidth(230)  # status, a readable name and the count, even beside the find bar

        status = NameSafeStatusBar(self)  # file, annotator and label names shown with visible controls
        self.setStatusBar(status)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for widget in (self.label_bar, self.ownership_bar, self.view, self.find_bar, self.legend):
            layout.addWidget(widget, 1 if widget is self.view else 0)
        self.ownership_bar.hide()
        self.setCentralWidget(central)
        right, left = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.LeftDockWidgetArea
        self.spans_dock = add_dock(self, "Spans", "spansDock", self.span_list, right)
        self.span_dock = add_dock(self, "Span", "spanDock", self.span_panel, right)
        self.guidelines_dock = add_dock(self, "Guidelines", "guidelinesDock", self.guidelines, right)
        self.tabifyDockWidget(self.span_dock, self.guidelines_dock)
        self._guidelines_seen = False  # tabbed behind the span panel: built when its tab is chosen (start-up)
        self._restoring_layout = False  # restoreState shows each tabbed dock in passing: not a sight of it
        self.guidelines.on_screen = lambda: self._guidelines_seen and not self._restoring_layout
        self.guidelines_dock.visibilityChanged.connect(self._on_guidelines_seen)
        self.suggestions_dock = add_dock(self, "Suggestions", "suggestionsDock", self.suggestion_list, right)
        self.tabifyDockWidget(self.span_dock, self.suggestions_dock)
        self.model_dock = add_dock(self, "Model", "modelDock", self.model_panel, right)
        self.tabifyDockWidget(self.span_dock, self.model_dock)
        self.span_dock.raise_()
        self.document_labels_dock = add_dock(self, "Document Labels", "documentLabelsDock", self.document_labels, right)
        self.documents_dock = add_dock(self, "Documents", "documentsDock", self.documents, left)
        self.documents_dock.hide()
        self._default_sizes = DefaultDockSizes(self, self.spans_dock, self.span_dock, self.documents_dock)

        for name, label in status_labels(status).items():
            setattr(self, f"{name}_status", label)  # self.selection_status, self.count_status, ...
        self.annotator_status.setText(f"Annotator: {shown_name(annotator)}")

        # -- parts --------------------------------------------------------------------------------------------
        asks, notices, commit = self.questions, self.notices, self.span_panel.commit_note
        self.sessions = DocumentSessions(
            controller, settings, self._save_settings, annotator, asks, notices, status, self._show_annotations,
            commit, lambda: self.projects.project.root if self.projects.project else None, self,
        )  # fmt: skip
        self.editing = SpanEditing(
            controller, self.view, self.span_model, self.span_table, self.span_panel, self.span_dock, self.find_bar,
            self.legend, self.selection_status, self.count_status, self.mode_status, status, notices, asks,
        )  # fmt: skip
        self.document_labelling = DocumentLabelling(controller, self.document_labels, self.document_labels_dock, status)
        self.label_sets = LabelSets(
            label_set or default_label_set(), controller, lambda s: self.registry.label_set_clashes(s), settings,
            self._save_settings, asks, notices, status, self._apply_label_set_to_widgets, lambda: self.projects.project,
        )  # fmt: skip
        self.converting = Converting(notices, status, self)  # web pages, Word and PDF files off the GUI thread
        self.large_opening = LargeOpening(self.view, notices, status, self)  # huge files, with progress and Cancel
        self.large_opening.rows_to = self.span_model  # the span list's rows made by the open's worker
        self.opener = DocumentOpener(
            self.sessions, settings, annotator, asks, notices, status, self.view, self._show_annotations,
            self.label_sets.adopt, self.open_path, self,
        )  # fmt: skip
        self.projects = Projects(
            controller, self.sessions, self.opener, self.label_sets, self.documents, self.documents_dock, self.view,
            settings, self._save_settings, annotator, asks, notices, status, self._show_nothing, self.open_path, self,
        )  # fmt: skip
        self.projects.converting = self.converting
        self.projects.large_opening = self.large_opening
        self.opener.checked_recovery = self.large_opening.recovery_of  # a huge file's journal, read by its worker
        self.ownership = Ownership(
            self.ownership_bar, self.sessions, settings, self._save_settings, annotator,
            self.label_sets.user_label_set, self.open_path,
        )  # fmt: skip
        self.exchange = Exchange(
            self, controller, self.sessions, self.projects, self.label_sets, settings, annotator, asks, notices,
            status, commit, lambda span_id: (self.editing.select_span(span_id, reveal=True), self.view.setFocus()),
        )  # fmt: skip
        self._reviews: LazyPart[Reviews] = LazyPart(
            self._make_reviews, ("review_document", "review_files_dialog", "show_agreement")
        )
        self.finding = Finding(
            controller, self.view, self.find_bar, self.span_list, self.spans_dock, self.documents_dock,
            self.resizeDocks,
        )  # fmt: skip
        self.appearance = Appearance(
            self, controller, self.view, self.guidelines, self.guidelines_dock, settings, self._save_settings, asks,
            notices, status, lambda: self.registry, lambda: self.label_sets.label_set, self.editing.selected_span,
        )  # fmt: skip
        self.suggesting = Suggesting(
            controller, self.view, self.editing, self.suggestion_list, settings, self._save_settings,
            lambda: self.projects.project, lambda: self.projects.document_id, lambda: self.annotator, asks, status,
            self,
        )  # fmt: skip
        self.model_training = ModelTraining(
            controller, self.model_panel, self.suggesting, settings, self._save_settings, lambda: self.projects.project,
            lambda: self.projects.document_id, lambda: self.annotator, status, self,
        )  # fmt: skip
        self.plugins = ProjectPlugins(
            lambda: self.projects.project, CommandTrust(asks, settings, self._save_settings), settings,
            self.suggesting.set_suggester_active, status, notices.add_pending, self,
        )  # fmt: skip
        self.suggesting.plugged = lambda: [self.model_training.entry, *self.plugins.entries()]
        self.suggesting.allowed_here = self.plugins.allows
        self.activity = ActivityTime(controller, self.view)
        self._incoming: LazyPart[Incoming] = LazyPart(self._make_incoming, ("open_url_dialog", "new_from_clipboard"))

        # -- actions ------------------------------------------------------------------------------------------
        parts = (self, self.sessions, self.opener, self.projects, self.label_sets, self.ownership, self.editing)
        parts += (self.finding, self.appearance, self.exchange, self._reviews, self.suggesting, self.model_training)
        parts += (self._incoming, self.document_labelling)
        self.registry = ActionRegistry(
            self,
            lambda name: handler_in(parts, name),
            {"view": [self.view], "spans": [self.view, self.span_table]},
            settings.shortcuts,
        )
        self.actions_by_id: dict[str, QAction] = self.registry.actions
        wire_undo_actions(controller.undo_stack, self.actions_by_id["edit.undo"], self.actions_by_id["edit.redo"])
        self._build_menus_and_toolbar()
        self.label_actions: dict[str, QAction] = {}
        self.attribute_actions: dict[str, QAction] = {}  # the span attributes' hotkeys, by attribute name
        self.label_menu = self.menuBar().addMenu("&Label")
        self.menuBar().insertMenu(self._menus["&View"].menuAction(), self.label_menu)
        self.actions_by_id["edit.snap_words"].setChecked(controller.snap_to_words)
        self.actions_by_id["file.autosave"].setChecked(settings.autosave)
        self.actions_by_id["view.suggestions"].setChecked(True)
        self.actions_by_id["suggest.enabled"].setChecked(settings.suggestions)
        for action_id, suggester in SUGGESTER_ACTIONS.items():  # one checkable row per suggester
            self.actions_by_id[action_id].setChecked(suggester in settings.suggesters)
        self.editing.update_mode_status()

        # -- signals ------------------------------------------------------------------------------------------
        controller.changed.connect(self._on_change)
        controller.undo_stack.cleanChanged.connect(self._update_title)
        controller.refused.connect(lambda reason: status.showMessage(reason, STATUS_TIMEOUT_MS))
        self.label_bar.label_chosen.connect(self.suggesting.apply_label)  # accepts a selected suggestion so labeled
        self.sessions.state_changed.connect(self._update_title)
        self.sessions.read_only_changed.connect(self._apply_read_only)
        self.opener.opened.connect(self.ownership.show_bar)
        self.projects.project_changed.connect(self._update_title)
        self.opener.opened.connect(lambda _opened: self.plugins.announce())

        self._apply_label_set_to_widgets(self.label_sets.label_set)
        if settings.font_family:
            font = self.view.font()
            font.setFamily(settings.font_family)
            self.view.setFont(font)
        if settings.font_point_size:
            self.appearance.set_point_size(settings.font_point_size)
        restored_layout = False
        if settings.window_state.isascii():
            # a window shown early shows a child added since only by a queued call: restored before it is shown,
            # the layout gives the text no room (its minimum width) and the docks the rest of the window
            if self.isVisible():
                central.show()
            self._restoring_layout = True
            try:
                restored_layout = self.restoreState(QByteArray.fromBase64(settings.window_state.encode("ascii")))
            finally:
                self._restoring_layout = False
            self._on_guidelines_seen(self._guidelines_seen)  # on screen as the layout left it: built now
        if not restored_layout:
            self._default_sizes.pending = {self.spans_dock, self.documents_dock}
        self.documents_dock.hide()  # a saved layout may show it: it lists a project's documents, shown when one opens
        self.appearance.set_theme(settings.theme if settings.theme in THEMES else "system", save=False)
        self._update_title()
        self.editing.update_counts()
        self.editing.show_span_details()
        status.showMessage("Open a text file (Ctrl+O) to start annotating. F1 lists every shortcut.")

    @property
    def annotator(self) -> str:
        """The user's name, written into annotation files (the parts that need it follow a change)."""
        return self._annotator

    @annotator.setter
    def annotator(self, name: str) -> None:
        self._annotator = name
        for part in ("sessions", "opener", "projects", "ownership", "exchange"):
            if hasattr(self, part):
                getattr(self, part).annotator = name

    def _on_guidelines_seen(self, seen: bool) -> None:
        self._guidelines_seen = seen
        if seen and not self._restoring_layout:  # (a saved layout's restore shows the dock in passing: 50 ms)
            self.guidelines.ensure_built()

    @property
    def reviews(self) -> Reviews:
        """Reviewing annotators' files and agreement (made, and its module imported, on first use)."""
        return self._reviews.get()

    def _make_reviews(self) -> Reviews:
        from annotator.ui.main.review import Reviews

        return Reviews(
            self, self.sessions, self.projects, self.questions, self.notices, self.open_path,
            self.exchange.export_annotation_set,
        )  # fmt: skip

    @property
    def incoming(self) -> Incoming:
        """New documents from a web address or the clipboard (made, and its module imported, on first use)."""
        return self._incoming.get()

    def _make_incoming(self) -> Incoming:
        from annotator.ui.main.incoming import Incoming

        incoming = Incoming(
            self.questions, self.notices, cast(NameSafeStatusBar, self.statusBar()), lambda: self.projects.project,
            lambda: self.controller.save_path.parent if self.controller.save_path else None,
            self.open_path, self.open_converted, self,
        )  # fmt: skip
        incoming.created.connect(lambda _path: self.projects.refresh_documents())
        return incoming

    @property
    def last_message(self) -> QMessageBox | None:
        """The last message box shown (tests read it)."""
        return self.notices.last_message

    @last_message.setter
    def last_message(self, box: QMessageBox | None) -> None:
        self.notices.last_message = box

    # -- building ---------------------------------------------------------------------------------------------
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
        self._menus["Su&ggestions"].insertMenu(self.actions_by_id["suggest.learn_from"], self.plugins.menu)
        view_menu = self._menus["&View"]
        view_menu.addSeparator()
        for dock, text in (
            (self.documents_dock, "Documents Panel"),
            (self.spans_dock, "Spans Panel"),
            (self.span_dock, "Span Panel"),
            (self.document_labels_dock, "Document Labels Panel"),
            (self.guidelines_dock, "Guidelines Panel"),
            (self.suggestions_dock, "Suggestions Panel"),
            (self.model_dock, "Model Panel"),
        ):
            toggle = dock.toggleViewAction()
            toggle.setText(text)
            view_menu.addAction(toggle)

    def _fill_recent_menu(self) -> None:
        self.projects.fill_recent_menu(self.recent_menu)

    def _set_label_actions(self, label_set: LabelSet) -> None:
        for action in (*self.label_actions.values(), *self.attribute_actions.values()):
            self.removeAction(action)
        self.label_menu.clear()
        self.label_actions.clear()
        self.attribute_actions.clear()
        clashes = []
        mnemonics = self.registry.mnemonics()  # once: it reads every widget of the window
        for label in label_set.labels:
            action = QAction(shown_name(label.name).replace("&", "&&"), self)
            action.setObjectName(f"label.{label.name}")
            owner = self.registry.owner_of(label.hotkey, mnemonics=mnemonics) if label.hotkey else None
            if owner:
                clashes.append(f"key {label.hotkey} of label “{label.name}” is the shortcut of {owner}")
            elif label.hotkey:
                action.setShortcut(QKeySequence(label.hotkey))
            action.setToolTip(tooltip_html(label.description))
            action.triggered.connect(lambda _checked=False, name=label.name: self.suggesting.apply_label(name))
            self.addAction(action)
            self.label_menu.addAction(action)
            self.label_actions[label.name] = action
        clashes += self._set_attribute_actions(label_set, mnemonics)
        if clashes:  # e.g. a hand-edited settings file; the label still works from its button and the Label menu
            self.statusBar().showMessage("Label keys not bound: " + "; ".join(clashes) + " (F1 to change it).", 15000)

    def _set_attribute_actions(self, label_set: LabelSet, mnemonics: dict[str, str]) -> list[str]:
        """One Label-menu action per span attribute with a hotkey: it cycles the attribute's value on the selected
        span (``objectName`` ``f"attribute.{name}"``). Returns a message for each hotkey an application shortcut
        takes (that one is left unbound, as for labels)."""
        clashes = []
        keyed = [a for a in label_set.attributes if a.on == "span" and a.type != "text" and a.hotkey]
        if keyed:
            self.label_menu.addSeparator()
        for attribute in keyed:
            action = QAction(f"Next {shown_name(attribute.name)}".replace("&", "&&"), self)
            action.setObjectName(f"attribute.{attribute.name}")
            owner = self.registry.owner_of(attribute.hotkey, mnemonics=mnemonics)
            if owner:
                clashes.append(f"key {attribute.hotkey} of attribute “{attribute.name}” is the shortcut of {owner}")
            else:
                action.setShortcut(QKeySequence(attribute.hotkey))
            values = ", ".join(attribute.values) if attribute.type == "enum" else "yes, no"
            action.setToolTip(tooltip_html(f"The next value ({values}) of the selected span's {attribute.name}"))
            action.triggered.connect(lambda _checked=False, name=attribute.name: self.editing.cycle_attribute(name))
            self.addAction(action)
            self.label_menu.addAction(action)
            self.attribute_actions[attribute.name] = action
        return clashes

    def _apply_label_set_to_widgets(self, label_set: LabelSet) -> None:
        """Show ``label_set`` everywhere labels appear (bar, menu, legend, guidelines, filters, find bar). A label
        set equal to the one shown (e.g. opening another document made with it) keeps its actions: rebuilding them
        (each hotkey checked against every shortcut) took a long part of the huge open's install turn."""
        if label_set != self._shown_label_set:
            self._shown_label_set = label_set
            self.registry.label_set = None  # label hotkeys are checked against the application's shortcuts only
            self._set_label_actions(label_set)
        self.registry.label_set = label_set
        self.label_bar.set_label_set(label_set)
        self.legend.set_label_set(label_set)
        self.guidelines.set_label_set(label_set)
        self.span_list.set_label_names(label_set.names)
        self.span_list.set_attributes(label_set.attributes)
        self.span_table.fit_label_column(label_set.names)
        self.find_bar.set_label_names(label_set.names)
        self.span_panel.set_relation_types([t.name for t in label_set.relation_types])
        self.span_panel.set_label_set(label_set)
        self.document_labelling.set_label_set(label_set)
        self.span_model.refresh()

    # -- files ------------------------------------------------------------------------------------------------
    def open_path(self, path: str | Path) -> bool:
        """Open a folder as a project, or a text, web page, Word, PDF or annotation file (or a saved page's
        ``X_files`` folder); on failure show a plain-text message naming the file and the fault (nothing already open
        is touched). Returns whether it opened, or started converting (a document that must be converted is, off the
        GUI thread, by :attr:`converting`; it opens when done).

        A document inside the open project opens as that project's document. An annotation file keeps the
        label set it was made with (see :meth:`LabelSets.adopt`); a new one starts with the chosen label set.
        """
        from annotator.io.annotation_file import is_annotation_file
        from annotator.io.opening import annotation_path_of, conversion_needed, is_converted, open_document
        from annotator.ui.main.sessions import same_file

        path = Path(path)
        if path.is_dir() and not is_converted(path):
            return self.projects.open_project(path)
        project = self.projects.project
        if project is not None:
            document_id = project.document_id_for(path)
            if document_id is not None:
                return self.projects.open_document_id(document_id)
        target = path if is_annotation_file(path) else annotation_path_of(path)
        session = self.sessions.session
        if session is not None and same_file(target, session.save_path) and not self.sessions.maybe_discard():
            return False  # the open file again: saved (or discarded) first, then read afresh below
        label_set, annotator = self.label_sets.user_label_set(), self.annotator
        self.large_opening.cancel(quiet=True)  # the latest request counts
        if conversion_needed(path, target):
            self.converting.start(
                path, lambda: open_document(path, label_set, annotator), lambda opened: self._install(path, opened)
            )
            return True
        self.converting.cancel()
        if self.large_opening.wants(path):  # read off the GUI thread, shown a slice at a time

            def read_owned(
                progress: Progress,
                cancelled: Callable[[], bool],
                text_ready: Callable[[str], None],
                bytes_read: Callable[[bytes], None],
            ) -> OpenedDocument:
                # whose it is, decided in the worker too: your own copy of another's huge file is made and opened
                # there, not on the GUI thread (a 1M-span file: the window frozen for seconds, without a bar); an
                # existing copy is read instead of their file, not after it (their annotator peeked, not loaded)
                steps = {"progress": progress, "cancelled": cancelled, "text_ready": text_ready}
                instead = self.ownership.own_copy_instead(path) if is_annotation_file(path) else None
                if instead is not None:
                    mine, owner = instead
                    copy = open_document(mine, label_set, annotator, **steps, bytes_read=bytes_read)
                    return self.ownership.yours_instead(copy, path, owner)
                return self.ownership.as_owner(
                    open_document(path, label_set, annotator, **steps, bytes_read=bytes_read)
                )

            self.large_opening.start(path, read_owned, lambda opened: self._install(path, opened))
            return True
        try:  # read it before leaving the open document: a file that cannot be opened changes nothing
            opened = open_document(path, label_set, annotator)
        except FileFault as error:
            self.notices.show_message("Could not open the file", error.message)
            return False
        return self._install(path, opened)

    def _install(self, path: Path, opened: OpenedDocument) -> bool:
        """Make ``opened`` (read from ``path``) the open document, after the open one is saved or discarded."""
        huge = self.large_opening.opened_here(opened)  # its owner settled by the open's worker (open_path)
        try:
            owned = opened if huge else self.ownership.as_owner(opened)
        except FileFault as error:
            self.notices.show_message("Could not open the file", error.message)
            return False
        # as read (a change while the open one is saved is noticed); a huge file's was hashed by the open's worker
        stamp = self.large_opening.stamp_of(owned) if owned is opened else disk_stamp(owned.save_path)
        opened = owned
        if not self.sessions.maybe_discard():
            return False
        self.projects.leave_project()
        if huge:  # remembered now, saved after this turn by a thread (the settings' fsync: up to 0.3 s on a busy disk)
            self.settings.add_recent(path)
            self.large_opening.later(self._save_settings_in_background)
        else:
            self.projects.remember_recent(path)
        return self.opener.install(opened, stamp, path.name)

    def open_converted(self, path: Path, converted: Converted) -> bool:
        """Open the file ``path`` (a fetched page saved unchanged) as :meth:`open_path` does, its document being
        ``converted`` (the page's text and source record, naming its URL) rather than a new conversion of the
        file: it goes into the conversion cache under the file's bytes first."""
        from annotator.io.convert.cache import store  # the converters on first use: not to show a window
        from annotator.io.convert.registry import page_file
        from annotator.io.opening import kind_of

        store(converted, kind_of(page_file(path)))  # opening ``path`` finds it: no second conversion, the URL kept
        return self.open_path(path)

    def _show_annotations(self, annotations: AnnotationSet, save_path: Path | None) -> None:
        """Show ``annotations`` in every view (a fresh undo history)."""
        self.editing.cancel_linking()
        self.controller.set_annotations(annotations, save_path)
        self._apply_label_set_to_widgets(annotations.label_set)
        self.editing.show_annotations(annotations)
        self.document_labelling.show_annotations(annotations)
        self.find_bar.set_text(annotations.text)
        source = annotations.document.source
        bom = " with BOM" if source.bom else ""
        self.encoding_status.setText(f"{source.encoding}{bom} · {source.line_ending}")
        orphans = len(annotations.orphans)
        self.orphan_status.setText(f"{orphans} orphaned span{'' if orphans == 1 else 's'} (View → Orphaned Spans)")
        self.orphan_status.setVisible(bool(orphans))
        self.editing.update_counts()
        self._update_title()
        self.editing.on_selection_changed(0, 0)
        self.editing.show_span_details()

    def _show_nothing(self) -> None:
        """Show no document (e.g. a project whose first document cannot be opened): nothing to edit or save."""
        from annotator.model.annotation_set import AnnotationSet
        from annotator.model.document import Document

        empty = AnnotationSet(Document.from_text(""), self.label_sets.label_set, self.annotator)
        self._show_annotations(empty, None)
        self.controller.annotations = None
        self.document_labelling.show_annotations(None)
        self.count_status.setText("")
        self.encoding_status.setText("")
        self.sessions.apply_read_only()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._built:  # shown and not yet made (see ``shown``): closed once it is
            self._close_asked = True
            event.ignore()
            return
        reviews = self._reviews.made  # none made: no review window to close
        if (reviews is not None and not reviews.close_reviews()) or not self.sessions.maybe_discard():
            event.ignore()
            return
        self.sessions.disk_timer.stop()
        self.model_training.shut_down()
        # their worker threads let go: a closed window leaves none idle behind (a run under way ends on its own)
        for part in (self.suggesting, self.large_opening, self.converting, self.sessions, self._incoming.made):
            if part is not None:
                part.shut_down()
        self.settings.font_point_size = self.view.font().pointSizeF()
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode("ascii")
        self.settings.window_state = bytes(self.saveState().toBase64()).decode("ascii")
        self.settings.annotator = self.annotator
        self._save_settings()
        event.accept()

    def _save_settings(self) -> None:
        from annotator.io.settings import save_settings

        self._settings_written()  # a write under way in the background first: this newer one lands last
        with contextlib.suppress(FileFault):  # settings are a convenience; never block work on them
            save_settings(self.settings)

    def _save_settings_in_background(self) -> None:
        """Save the settings as they are now (a copy), written (atomically, fsynced) by a thread of its own: after a
        huge open the fsync waits for the open's writes to reach the disk (0.1-0.3 s), which the GUI thread must not.
        Saves keep their order: each waits for the one under way (:meth:`_settings_written`); the thread is not a
        daemon, so a write under way ends before the process does."""
        import threading

        from annotator.io.settings import save_settings

        self._settings_written()
        snapshot = self.settings.model_copy(deep=True)

        def write() -> None:
            with contextlib.suppress(FileFault):  # as _save_settings
                save_settings(snapshot)

        writer = threading.Thread(target=write, name="settings-save")
        self._settings_writer = writer
        writer.start()

    def _settings_written(self) -> None:
        """Wait for the settings' write under way in the background, if any (:meth:`_save_settings_in_background`)."""
        writer = getattr(self, "_settings_writer", None)  # set by the first background save
        if writer is not None:
            writer.join()  # at once when it is done

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if getattr(self, "_built", False) and event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            QTimer.singleShot(0, self.sessions.check_disk)  # back from another program (or a git pull): look now
            QTimer.singleShot(0, self.projects.refresh_documents)

    # -- state shown ------------------------------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        """What a change means beyond the document's views: the label set's widgets, its list row, the title."""
        if change.label_set is not None:  # the document's label set; the chosen one (label_sets.label_set) stays
            self._apply_label_set_to_widgets(change.label_set[1])
        self.editing.on_change(change)
        self.document_labelling.on_change(change)
        if change.status is not None or change.added or change.removed:
            self.projects.update_document_entry()
        if change.status is not None:
            self._update_title()

    def set_snap_to_words(self, on: bool) -> None:
        """Word mode (``True``: new spans grow to whole words) or character mode."""
        self.controller.snap_to_words = bool(on)
        self.settings.snap_to_words = bool(on)
        self.actions_by_id["edit.snap_words"].setChecked(bool(on))
        self.editing.update_mode_status()

    def _apply_read_only(self, holder: str) -> None:
        """Enable or disable everything that edits, after the session's lock was (or was not) obtained (``holder``:
        why not, else ``""``); the status bar keeps a "Read-only" marker while another holds the file. Label keys
        stay live so that pressing one says why nothing happens."""
        read_only = bool(holder)
        self.label_bar.setEnabled(not read_only)
        self.span_panel.set_read_only(read_only)
        self.document_labels.set_read_only(read_only)
        for action_id in READ_ONLY_DISABLES:
            self.actions_by_id[action_id].setEnabled(not read_only)
        self.read_only_status.setVisible(read_only)
        self.read_only_status.setToolTip(tooltip_html(holder) if holder else "")
        self._update_title()

    def _update_title(self) -> None:
        """``document[*] — status — project — saved HH:MM:SS (read-only)``; ``*`` marks unsaved changes."""
        path = self.controller.save_path
        annotations = self.controller.annotations
        name = annotations.document.source.file_name if annotations is not None else ""
        if self.projects.document_id:
            name = self.projects.document_id
        name = name or (path.name if path else "No document")
        parts = [f"{shown_name(name).replace('[*]', '[ * ]')}[*]"]
        session = self.sessions.session
        if annotations is not None and self.projects.project is not None:
            from annotator.model.status import DocumentStatus

            not_started = session is not None and not session.dirty and not session.save_path.exists()
            parts.append(DocumentStatus.NOT_STARTED.display_name if not_started else annotations.status.display_name)
        if self.projects.project is not None:
            parts.append(shown_name(self.projects.project.name).replace("[*]", "[ * ]"))
        if session is not None and session.read_only:
            parts.append("read-only")
        elif session is not None and session.last_saved is not None:
            parts.append(f"saved {session.last_saved:%H:%M:%S}")
        self.setWindowTitle(" — ".join(parts))
        self.setWindowModified(self.sessions.unsaved)  # the one notion of unsaved: the session's, as saving uses
        self._update_enabled_actions()

    def _update_enabled_actions(self) -> None:
        """Disable the actions that need an open document (saving, finding, spans, marking it done...) or an open
        project (moving between its documents, agreement) while there is none, so that buttons look as they act."""
        has_document = self.controller.annotations is not None
        read_only = bool(self.controller.read_only_reason)  # its editing actions stay off (_apply_read_only)
        self.label_bar.setEnabled(has_document and not read_only)
        for action_id, action in self.actions_by_id.items():
            if action_id in NEEDS_DOCUMENT:
                action.setEnabled(has_document and not (read_only and action_id in READ_ONLY_DISABLES))
            elif action_id in NEEDS_PROJECT:
                action.setEnabled(self.projects.project is not None)


STARTING_TEXT = "Starting annotator\u2026"
"""What the window says while it is shown and its parts are not made yet (a fraction of a second; seconds on a
loaded machine)."""


def starting_placeholder(parent: QWidget) -> QLabel:
    """The central widget of a window shown before its parts are made: :data:`STARTING_TEXT`, plain text, centred
    (the window's first paint shows it instead of an empty frame; :meth:`MainWindow._build` replaces it)."""
    label = QLabel(STARTING_TEXT, parent)
    label.setObjectName("startingPlaceholder")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label
