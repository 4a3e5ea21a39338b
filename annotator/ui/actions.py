"""Every application action declared once: id, menu text, default shortcuts, where it works, its handler, the
separator before it in its menu, whether a read-only document disables it, and the exclusive group it belongs to.

Menus (with their separators), the toolbar, exclusive groups, what a read-only document disables and the shortcut
sheet (F1) come from this table, and users' rebindings are stored by id in the settings. Label hotkeys come from the
label set instead (they are listed in the sheet for reference).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Context = Literal["window", "view", "spans"]


@dataclass(frozen=True)
class ActionSpec:
    """One action.

    Attributes
    ----------
    id: stable identifier, used as the settings key for rebinding (e.g. ``"file.save"``).
    text: menu text (``&`` marks the mnemonic).
    shortcuts: default Qt key strings in portable form; the first is shown in menus.
    menu: the menu it appears in.
    handler: name of the :class:`~annotator.ui.main_window.MainWindow` method to call.
    context: where the shortcut works: ``"window"`` (anywhere in the window), ``"view"`` (the document view has
        focus: keys like Tab and Return keep their usual meaning elsewhere), ``"spans"`` (the view or the span list).
    toolbar: whether it has a toolbar button.
    checkable: a toggle (its handler receives the new state).
    tip: one line for the status bar and the shortcut sheet.
    separator_before: a separator comes before it in its menu (it starts a group of entries there).
    read_only_disables: it changes the document (its spans, labels or status), so it is disabled while the open
        document is read-only (held by another instance, or another annotator's file).
    group: name of the exclusive group it belongs to (``""``: none); the checkable actions of one group are made
        one ``QActionGroup``, in which checking one unchecks the others (e.g. the themes).
    needs: what must be open for it to be enabled: ``"document"``, ``"project"`` or ``""`` (always enabled).
    """

    id: str
    text: str
    shortcuts: tuple[str, ...]
    menu: str
    handler: str
    context: Context = "window"
    toolbar: bool = False
    checkable: bool = False
    tip: str = ""
    separator_before: bool = False
    read_only_disables: bool = False
    group: str = ""
    needs: Literal["", "document", "project"] = ""


ACTIONS: tuple[ActionSpec, ...] = (
    # File
    ActionSpec("file.open", "&Open…", ("Ctrl+O",), "&File", "open_dialog", toolbar=True),
    ActionSpec(
        "file.open_url",
        "Open &URL…",
        ("Ctrl+Shift+U",),
        "&File",
        "open_url_dialog",
        tip="Fetch a web page, keep it as a file (in the open project, or where you save it) and open its article",
    ),
    ActionSpec(
        "file.new_from_clipboard",
        "New Document from &Clipboard",
        (),
        "&File",
        "new_from_clipboard",
        tip="The copied text, exactly as copied, as a new .txt file (in the open project, or where you save it)",
    ),
    ActionSpec(
        "file.open_project",
        "Open &Folder as Project…",
        ("Ctrl+Shift+P",),
        "&File",
        "open_project_dialog",
        tip="Every .txt file in the folder is a document; annotations go to annotations/<you>/",
    ),
    ActionSpec(
        "file.import",
        "&Import…",
        ("Ctrl+Shift+I",),
        "&File",
        "import_dialog",
        tip="Documents and spans from JSONL, CoNLL, brat, Label Studio or doccano, into the open project",
    ),
    ActionSpec(
        "file.review",
        "Re&view Annotation Files…",
        (),
        "&File",
        "review_files_dialog",
        tip="Compare two or more annotators' files of one document and adjudicate a gold file",
    ),
    ActionSpec(
        "file.export",
        "&Export…",
        ("Ctrl+Shift+E",),
        "&File",
        "export_dialog",
        tip="This document or the project as JSONL, CoNLL, brat, Label Studio, doccano, CSV or spaCy",
    ),
    ActionSpec(
        "file.recover",
        "Recover Unsaved &Work…",
        (),
        "&File",
        "recover_unsaved_work",
        tip="Offer again the unsaved work that crashed sessions left (also what you put off with Decide Later)",
    ),
    ActionSpec(
        "file.save",
        "&Save",
        ("Ctrl+S",),
        "&File",
        "save",
        toolbar=True,
        separator_before=True,
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec("file.save_as", "Save &As…", ("Ctrl+Shift+S",), "&File", "save_as", needs="document"),
    ActionSpec(
        "file.autosave",
        "A&utosave",
        (),
        "&File",
        "set_autosave",
        checkable=True,
        tip="Write every change to the annotation file within two seconds",
    ),
    ActionSpec("file.quit", "&Quit", ("Ctrl+Q",), "&File", "close", separator_before=True),
    # Edit
    ActionSpec("edit.undo", "&Undo", ("Ctrl+Z",), "&Edit", "undo", toolbar=True),
    ActionSpec("edit.redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "&Edit", "redo", toolbar=True),
    ActionSpec(
        "edit.delete",
        "&Delete Span",
        ("Delete",),
        "&Edit",
        "delete_selected_spans",
        context="spans",
        tip="Delete the selected span (and its links)",
        read_only_disables=True,
    ),
    ActionSpec(
        "edit.deselect",
        "Clear Span Selection",
        ("Escape",),
        "&Edit",
        "escape",
        context="view",
        tip="Deselect the span, or cancel linking",
    ),
    ActionSpec(
        "edit.find",
        "&Find…",
        ("Ctrl+F",),
        "&Edit",
        "open_find",
        toolbar=True,
        tip="Search the document",
        needs="document",
    ),
    ActionSpec("edit.find_next", "Find &Next", ("F3",), "&Edit", "find_next", needs="document"),
    ActionSpec("edit.find_previous", "Find Pre&vious", ("Shift+F3",), "&Edit", "find_previous", needs="document"),
    ActionSpec(
        "edit.snap_words",
        "Snap to &Words",
        ("Alt+W",),
        "&Edit",
        "set_snap_to_words",
        toolbar=True,
        checkable=True,
        tip="New spans grow to whole words; off: character mode",
    ),
    ActionSpec(
        "edit.filter_spans",
        "Filter Span &List",
        ("Ctrl+Shift+F",),
        "&Edit",
        "focus_span_filter",
        tip="Filter the span list by label and text",
    ),
    # Span (keyboard editing of the selected span)
    ActionSpec(
        "span.next",
        "&Next Span",
        ("Tab",),
        "&Span",
        "next_span",
        context="view",
        tip="Select the next span",
        needs="document",
    ),
    ActionSpec(
        "span.previous",
        "&Previous Span",
        ("Shift+Tab",),
        "&Span",
        "previous_span",
        context="view",
        tip="Select the previous span",
        needs="document",
    ),
    ActionSpec(
        "span.select_at_caret",
        "&Select Span at Caret",
        ("Return", "Enter"),
        "&Span",
        "select_span_at_caret",
        context="view",
        tip="Select the span under the caret (again: the next stacked span); when linking, link",
        needs="document",
    ),
    ActionSpec(
        "span.start_left_word",
        "Start One Word Left",
        ("Alt+Left",),
        "&Span",
        "start_left_word",
        context="view",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.start_right_word",
        "Start One Word Right",
        ("Alt+Right",),
        "&Span",
        "start_right_word",
        context="view",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.end_left_word",
        "End One Word Left",
        ("Alt+Shift+Left",),
        "&Span",
        "end_left_word",
        context="view",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.end_right_word",
        "End One Word Right",
        ("Alt+Shift+Right",),
        "&Span",
        "end_right_word",
        context="view",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.start_left_char",
        "Start One Character Left",
        ("Ctrl+Alt+Left",),
        "&Span",
        "start_left_char",
        context="view",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.start_right_char",
        "Start One Character Right",
        ("Ctrl+Alt+Right",),
        "&Span",
        "start_right_char",
        context="view",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.end_left_char",
        "End One Character Left",
        ("Ctrl+Alt+Shift+Left",),
        "&Span",
        "end_left_char",
        context="view",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.end_right_char",
        "End One Character Right",
        ("Ctrl+Alt+Shift+Right",),
        "&Span",
        "end_right_char",
        context="view",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.edit_note",
        "Edit &Note",
        ("Ctrl+E",),
        "&Span",
        "edit_note",
        tip="Write a note on the selected span",
        separator_before=True,
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.toggle_uncertain",
        "Mark &Uncertain",
        ("Ctrl+U",),
        "&Span",
        "toggle_uncertain",
        tip="Flag the selected span as uncertain (or clear the flag)",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.link_source",
        "Link to &Source…",
        ("Ctrl+L",),
        "&Span",
        "link_source",
        toolbar=True,
        tip="Link the selected statement to the actor who utters it",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.link_target",
        "Link to &Target…",
        ("Ctrl+Shift+L",),
        "&Span",
        "link_target",
        tip="Link the selected statement to the actor it is aimed at",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.link",
        "&Link…",
        ("Ctrl+K",),
        "&Span",
        "link_any",
        tip="Link the selected span with any relation type of the label set (asks which)",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.same_actor",
        "Same &Actor As…",
        ("Ctrl+Shift+A",),
        "&Span",
        "same_actor",
        tip="Group the selected actor span with another mention of the same actor: Tab picks (likeliest first), "
        "Enter groups",
        separator_before=True,
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "span.leave_actor_group",
        "Leave Actor &Group",
        (),
        "&Span",
        "leave_actor_group",
        tip="Take the selected mention out of its actor group (the other mentions stay grouped)",
        read_only_disables=True,
        needs="document",
    ),
    # Suggestions
    ActionSpec(
        "suggest.next",
        "&Next Suggestion",
        ("Alt+Down",),
        "Su&ggestions",
        "next_suggestion",
        tip="Select the next pending suggestion (dashed outline) and show it",
    ),
    ActionSpec(
        "suggest.previous",
        "&Previous Suggestion",
        ("Alt+Up",),
        "Su&ggestions",
        "previous_suggestion",
        tip="Select the previous pending suggestion",
    ),
    ActionSpec(
        "suggest.accept",
        "&Accept Suggestion",
        ("Alt+Return", "Alt+Enter"),
        "Su&ggestions",
        "accept_suggestion",
        tip="Make the selected suggestion a span (a label key instead accepts it with that label)",
        separator_before=True,
        read_only_disables=True,
    ),
    ActionSpec(
        "suggest.accept_linked",
        "Accept &With Linked Suggestions",
        ("Ctrl+Alt+Return", "Ctrl+Alt+Enter"),
        "Su&ggestions",
        "accept_with_linked",
        tip="Accept the selected suggestion and the pending suggestions its suggested links reach (e.g. a claim and "
        "its source), as one step",
        read_only_disables=True,
    ),
    ActionSpec(
        "suggest.reject",
        "&Reject Suggestion",
        ("Alt+Backspace",),
        "Su&ggestions",
        "reject_suggestion",
        tip="Reject the selected suggestion: it is not offered again",
        read_only_disables=True,
    ),
    ActionSpec(
        "suggest.accept_all",
        "Accept All of a &Label…",
        ("Alt+Shift+Return",),
        "Su&ggestions",
        "accept_all_of_label",
        tip="Accept every shown suggestion of a label scoring at least a score (asks both), as one step",
        read_only_disables=True,
    ),
    ActionSpec(
        "suggest.remove_accepted",
        "Re&move Spans Accepted from Suggestions",
        (),
        "Su&ggestions",
        "remove_accepted_spans",
        tip="Remove every span of this document accepted from a suggester, even in earlier sessions, as one step",
        read_only_disables=True,
    ),
    ActionSpec(
        "suggest.enabled",
        "&Suggest Spans",
        (),
        "Su&ggestions",
        "set_suggestions_enabled",
        checkable=True,
        separator_before=True,
        tip="Off: no suggestions computed or shown (unassisted annotation); remembered for you",
    ),
    ActionSpec(
        "suggest.use_string_match",
        "From Labeled S&trings",
        (),
        "Su&ggestions",
        "set_string_match_suggester",
        checkable=True,
        tip="Suggest every other mention of what you labeled (string-match); remembered for you",
    ),
    ActionSpec(
        "suggest.use_attribution",
        "Attri&bution Rules",
        (),
        "Su&ggestions",
        "set_attribution_suggester",
        checkable=True,
        tip="Suggest who said what by reporting verbs and quotations (attribution; runs in the background)",
    ),
    ActionSpec(
        "suggest.use_model",
        "Mo&del Trained on My Spans",
        (),
        "Su&ggestions",
        "set_model_suggester",
        checkable=True,
        tip="Suggest with a model trained in the background on your spans, while its cross-validated F1 reaches the "
        "threshold (View → Model Panel)",
    ),
    ActionSpec(
        "suggest.least_certain",
        "Review Least &Certain First",
        (),
        "Su&ggestions",
        "set_least_certain_first",
        checkable=True,
        tip="Next / Previous Suggestion walk the suggestions by uncertainty (scores nearest 0.5 first) instead of "
        "by position",
    ),
    ActionSpec(
        "suggest.learn_from",
        "&Learn From…",
        (),
        "Su&ggestions",
        "choose_learning_source",
        tip="In a project, learn from your own annotation files, everyone's, or the gold files (asks which)",
    ),
    # Label Set
    ActionSpec("labels.open", "&Open Label Set…", ("Ctrl+Shift+O",), "Label Se&t", "open_label_set_dialog"),
    ActionSpec("labels.default", "Use &Default Label Set", (), "Label Se&t", "use_default_label_set"),
    ActionSpec(
        "labels.rename",
        "&Rename Label…",
        (),
        "Label Se&t",
        "rename_label_dialog",
        separator_before=True,
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "labels.merge",
        "&Merge Label Into…",
        (),
        "Label Se&t",
        "merge_label_dialog",
        read_only_disables=True,
        needs="document",
    ),
    # View
    ActionSpec("view.zoom_in", "Zoom &In", ("Ctrl+=", "Ctrl++"), "&View", "zoom_in", separator_before=True),
    ActionSpec("view.zoom_out", "Zoom &Out", ("Ctrl+-",), "&View", "zoom_out"),
    ActionSpec("view.zoom_reset", "&Reset Zoom", ("Ctrl+0",), "&View", "zoom_reset"),
    ActionSpec("view.font", "&Font…", (), "&View", "choose_font"),
    ActionSpec(
        "view.theme_system",
        "Theme: &System",
        (),
        "&View",
        "theme_system",
        checkable=True,
        separator_before=True,
        group="theme",
    ),
    ActionSpec("view.theme_light", "Theme: &Light", (), "&View", "theme_light", checkable=True, group="theme"),
    ActionSpec("view.theme_dark", "Theme: &Dark", (), "&View", "theme_dark", checkable=True, group="theme"),
    ActionSpec(
        "view.guidelines",
        "&Guidelines",
        ("F2",),
        "&View",
        "show_guidelines",
        tip="The label set's guidelines",
        separator_before=True,
    ),
    ActionSpec("view.focus_document", "Focus Documen&t", ("F6",), "&View", "focus_document"),
    ActionSpec(
        "view.documents", "Document &List", ("F4",), "&View", "focus_document_list", tip="The project's documents"
    ),
    ActionSpec(
        "view.document_labels",
        "Document La&bels",
        ("F7",),
        "&View",
        "edit_document_labels",
        tip="The labels of the whole document (e.g. its relevance), in the Document Labels panel",
    ),
    ActionSpec(
        "view.suggestions",
        "Show S&uggestions",
        ("Ctrl+Shift+H",),
        "&View",
        "toggle_suggestions_shown",
        checkable=True,
        tip="Show or hide the pending suggestions (dashed outlines) and their list",
    ),
    ActionSpec(
        "view.orphans",
        "&Orphaned Spans…",
        (),
        "&View",
        "show_orphans",
        tip="Spans that could not be placed after the text changed (kept in the file)",
        needs="document",
    ),
    # Project
    ActionSpec(
        "project.mark_done",
        "Mark &Done",
        ("Ctrl+D",),
        "&Project",
        "toggle_done",
        toolbar=True,
        tip="Mark the document done (again: back to in progress)",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "project.flag",
        "&Flag Document",
        ("Ctrl+Shift+D",),
        "&Project",
        "toggle_flagged",
        tip="Flag the document for attention (again: unflag)",
        read_only_disables=True,
        needs="document",
    ),
    ActionSpec(
        "project.next",
        "&Next Document",
        ("Ctrl+PgDown",),
        "&Project",
        "next_document",
        toolbar=True,
        separator_before=True,
        needs="project",
    ),
    ActionSpec(
        "project.previous", "&Previous Document", ("Ctrl+PgUp",), "&Project", "previous_document", needs="project"
    ),
    ActionSpec(
        "project.next_not_done",
        "Next &Not-Done Document",
        ("Ctrl+Shift+PgDown",),
        "&Project",
        "next_not_done_document",
        tip="The next document not marked done (wraps around)",
        needs="project",
    ),
    ActionSpec(
        "project.agreement",
        "Inter-Annotator &Agreement…",
        ("Ctrl+Shift+G",),
        "&Project",
        "show_agreement",
        tip="Span F1, Cohen's and Fleiss' kappa and Krippendorff's alpha of the project's annotators",
        needs="project",
    ),
    ActionSpec(
        "project.review",
        "&Review and Adjudicate Document…",
        ("Ctrl+Shift+R",),
        "&Project",
        "review_document",
        tip="Compare the annotators of the open document and adjudicate its gold file",
    ),
    # Help
    ActionSpec(
        "help.shortcuts",
        "&Keyboard Shortcuts…",
        ("F1",),
        "&Help",
        "show_shortcut_sheet",
        tip="Search and change keyboard shortcuts",
    ),
    ActionSpec(
        "help.about",
        "&About annotator…",
        (),
        "&Help",
        "show_about",
        tip="The version, the licence, and where settings, recovery journals and logs are kept",
    ),
)
"""The application's actions, in menu order."""

ACTIONS_BY_ID: dict[str, ActionSpec] = {spec.id: spec for spec in ACTIONS}
READ_ONLY_DISABLES: frozenset[str] = frozenset(spec.id for spec in ACTIONS if spec.read_only_disables)
"""Ids of the actions a read-only document disables."""
NEEDS_DOCUMENT: frozenset[str] = frozenset(spec.id for spec in ACTIONS if spec.needs == "document")
"""Actions disabled while no document is open (the table's ``needs`` column)."""
NEEDS_PROJECT: frozenset[str] = frozenset(spec.id for spec in ACTIONS if spec.needs == "project")
"""Actions disabled while no project is open."""
