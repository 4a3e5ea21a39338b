"""The menus, toolbar, exclusive groups and enabled states built from the action table (annotator/ui/actions.py):
pinned, so that moving what was hand-kept in the window into columns of the table changes nothing (issue 17)."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QMainWindow, QToolBar

from annotator.io import annotation_file
from annotator.ui.action_registry import ActionRegistry
from annotator.ui.actions import ACTIONS, READ_ONLY_DISABLES, ActionSpec

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_TEXT = ROOT / "sample_docs" / "000_3048e0f710b42604.txt"
SAMPLE_ANNOTATIONS = ROOT / "tests" / "data" / "sample-article.annotations.json"  # made by "analyst"

SEPARATOR = "---"

MENUS = [
    (
        "&File",
        [
            "file.open",
            "file.open_url",
            "file.new_from_clipboard",
            "file.open_project",
            "Open &Recent",
            "file.import",
            "file.review",
            "file.export",
            "file.recover",
            SEPARATOR,
            "file.save",
            "file.save_as",
            "file.autosave",
            SEPARATOR,
            "file.quit",
        ],
    ),
    (
        "&Edit",
        [
            "edit.undo",
            "edit.redo",
            "edit.delete",
            "edit.deselect",
            "edit.find",
            "edit.find_next",
            "edit.find_previous",
            "edit.snap_words",
            "edit.filter_spans",
        ],
    ),
    (
        "&Span",
        [
            "span.next",
            "span.previous",
            "span.select_at_caret",
            "span.start_left_word",
            "span.start_right_word",
            "span.end_left_word",
            "span.end_right_word",
            "span.start_left_char",
            "span.start_right_char",
            "span.end_left_char",
            "span.end_right_char",
            SEPARATOR,
            "span.edit_note",
            "span.toggle_uncertain",
            "span.link_source",
            "span.link_target",
            "span.link",
            SEPARATOR,
            "span.same_actor",
            "span.leave_actor_group",
        ],
    ),
    (
        "Su&ggestions",
        [
            "suggest.next",
            "suggest.previous",
            SEPARATOR,
            "suggest.accept",
            "suggest.accept_linked",
            "suggest.reject",
            "suggest.accept_all",
            "suggest.remove_accepted",
            SEPARATOR,
            "suggest.enabled",
            "suggest.use_string_match",
            "suggest.use_attribution",
            "suggest.use_model",
            "suggest.least_certain",
            "Project &Plug-ins",
            "suggest.learn_from",
        ],
    ),
    ("Label Se&t", ["labels.open", "labels.default", SEPARATOR, "labels.rename", "labels.merge"]),
    (
        "&Label",
        [
            "label.actor",
            "label.claim",
            "label.warning",
            "label.denial",
            SEPARATOR,
            "attribute.quote",
            "attribute.kind",
        ],
    ),
    (
        "&View",
        [
            SEPARATOR,
            "view.zoom_in",
            "view.zoom_out",
            "view.zoom_reset",
            "view.font",
            SEPARATOR,
            "view.theme_system",
            "view.theme_light",
            "view.theme_dark",
            SEPARATOR,
            "view.guidelines",
            "view.focus_document",
            "view.documents",
            "view.document_labels",
            "view.suggestions",
            "view.orphans",
            SEPARATOR,
            "Documents Panel",
            "Spans Panel",
            "Span Panel",
            "Document Labels Panel",
            "Guidelines Panel",
            "Suggestions Panel",
            "Model Panel",
        ],
    ),
    (
        "&Project",
        [
            "project.mark_done",
            "project.flag",
            SEPARATOR,
            "project.next",
            "project.previous",
            "project.next_not_done",
            "project.agreement",
            "project.review",
        ],
    ),
    ("&Help", ["help.shortcuts", "help.about"]),
]
"""Each menu's title and entries in order: an action's id (its object name), a submenu's title, the text of a dock
panel's toggle, or a separator."""

TOOLBAR = [
    "file.open",
    "file.save",
    "edit.undo",
    "edit.redo",
    "edit.find",
    "edit.snap_words",
    "span.link_source",
    "project.mark_done",
    "project.next",
]

NEED_A_DOCUMENT = {
    "file.save",
    "file.save_as",
    "edit.find",
    "edit.find_next",
    "edit.find_previous",
    "labels.rename",
    "labels.merge",
    "project.mark_done",
    "project.flag",
    "view.orphans",
} | {
    "span.next",
    "span.previous",
    "span.select_at_caret",
    "span.start_left_word",
    "span.start_right_word",
    "span.end_left_word",
    "span.end_right_word",
    "span.start_left_char",
    "span.start_right_char",
    "span.end_left_char",
    "span.end_right_char",
    "span.edit_note",
    "span.toggle_uncertain",
    "span.link_source",
    "span.link_target",
    "span.link",
    "span.same_actor",
    "span.leave_actor_group",
}
NEED_A_PROJECT = {"project.next", "project.previous", "project.next_not_done", "project.agreement"}
UNDO_REDO = {"edit.undo", "edit.redo"}  # enabled by the undo stack, not by the table

MUST_BE_READ_ONLY_DISABLED = {
    "file.save",  # nothing of yours to save: Save As… stays, to keep the file under another name
    "edit.delete",
    "suggest.accept",
    "suggest.accept_linked",
    "suggest.reject",
    "suggest.accept_all",
    "suggest.remove_accepted",
    "labels.rename",
    "labels.merge",
    "span.edit_note",
    "span.toggle_uncertain",
    "span.link_source",
    "span.link_target",
    "span.link",
    "span.same_actor",
    "span.leave_actor_group",
    "span.start_left_word",
    "span.start_right_word",
    "span.end_left_word",
    "span.end_right_word",
    "span.start_left_char",
    "span.start_right_char",
    "span.end_left_char",
    "span.end_right_char",
    "project.mark_done",
    "project.flag",
}
"""What a read-only document (held by another instance, or another annotator's file) must disable: every action
that changes its spans, labels or status."""


def menu_structure(window) -> list[tuple[str, list[str]]]:
    structure = []
    for menu_action in window.menuBar().actions():
        entries = []
        for action in menu_action.menu().actions():
            if action.isSeparator():
                entries.append(SEPARATOR)
            elif action.menu() is not None:
                entries.append(action.menu().title())
            else:
                entries.append(action.objectName() or action.text())
        structure.append((menu_action.menu().title(), entries))
    return structure


def disabled(window) -> set[str]:
    return {action_id for action_id, action in window.actions_by_id.items() if not action.isEnabled()}


def test_the_menus_and_toolbar_come_out_of_the_table_in_order_with_their_separators(window):
    assert menu_structure(window) == MENUS
    assert [action.objectName() for action in window.toolbar.actions()] == TOOLBAR


def test_the_theme_actions_are_one_exclusive_group_and_no_other_action_is_grouped(window):
    themes = ("view.theme_system", "view.theme_light", "view.theme_dark")
    group = window.actions_by_id["view.theme_system"].actionGroup()
    assert group is not None and group.isExclusive()
    assert [action.objectName() for action in group.actions()] == list(themes)
    assert all(window.actions_by_id[theme].isCheckable() for theme in themes)
    others = [action_id for action_id, action in window.actions_by_id.items() if action_id not in themes]
    assert [action_id for action_id in others if window.actions_by_id[action_id].actionGroup() is not None] == []
    window.appearance.theme_dark()
    assert [window.actions_by_id[theme].isChecked() for theme in themes] == [False, False, True]
    window.appearance.theme_light()
    assert [window.actions_by_id[theme].isChecked() for theme in themes] == [False, True, False]


def test_without_a_document_what_needs_one_is_disabled(window):
    assert disabled(window) == NEED_A_DOCUMENT | NEED_A_PROJECT | UNDO_REDO


def test_a_read_only_document_disables_every_action_that_would_change_it_and_editing_it_enables_them(window, tmp_path):
    text = tmp_path / SAMPLE_TEXT.name
    shutil.copyfile(SAMPLE_TEXT, text)
    shutil.copyfile(SAMPLE_ANNOTATIONS, annotation_file.annotation_path_for(text))
    assert window.open_path(text)
    assert window.controller.read_only_reason  # another annotator's file: read-only until the user chooses
    assert disabled(window) == MUST_BE_READ_ONLY_DISABLED | NEED_A_PROJECT | UNDO_REDO
    window.ownership_bar.edit_button.click()  # Edit as Yourself
    assert not window.controller.read_only_reason
    assert disabled(window) == NEED_A_PROJECT | UNDO_REDO


def test_the_table_marks_exactly_the_actions_a_read_only_document_disables_and_groups_only_toggles():
    assert READ_ONLY_DISABLES == MUST_BE_READ_ONLY_DISABLED
    assert all(spec.checkable for spec in ACTIONS if spec.group)


def test_the_registry_makes_one_exclusive_group_per_group_name_and_puts_separators_where_the_table_says(qtbot):
    owner = QMainWindow()
    qtbot.addWidget(owner)
    specs = (
        ActionSpec("a.one", "One", (), "&A", "handle", toolbar=True),
        ActionSpec("a.red", "Red", (), "&A", "handle", checkable=True, separator_before=True, group="colour"),
        ActionSpec("a.blue", "Blue", (), "&A", "handle", checkable=True, group="colour"),
        ActionSpec("b.small", "Small", (), "&B", "handle", checkable=True, group="size"),
        ActionSpec("b.large", "Large", (), "&B", "handle", checkable=True, group="size", toolbar=True),
        ActionSpec("a.two", "Two", (), "&A", "handle", separator_before=True),
    )
    registry = ActionRegistry(owner, lambda name: lambda *args: None, {}, None, specs=specs)
    menus = {}

    def menu_for(title):
        if title not in menus:
            menus[title] = owner.menuBar().addMenu(title)
        return menus[title]

    toolbar = QToolBar(owner)
    registry.add_to_menus(menu_for, toolbar)
    assert menu_structure(owner) == [
        ("&A", ["a.one", SEPARATOR, "a.red", "a.blue", SEPARATOR, "a.two"]),
        ("&B", ["b.small", "b.large"]),
    ]
    assert [action.objectName() for action in toolbar.actions()] == ["a.one", "b.large"]
    assert sorted(registry.groups) == ["colour", "size"]
    assert [a.objectName() for a in registry.groups["colour"].actions()] == ["a.red", "a.blue"]
    assert registry.groups["size"].isExclusive() and registry.actions["a.one"].actionGroup() is None
    registry.actions["a.red"].trigger()
    registry.actions["b.small"].trigger()
    registry.actions["a.blue"].trigger()
    checked = [action_id for action_id, action in registry.actions.items() if action.isChecked()]
    assert checked == ["a.blue", "b.small"]


def test_a_key_a_mnemonic_takes_is_refused_as_a_shortcut_with_what_takes_it(window):
    registry = window.registry
    taken = registry.mnemonics()
    assert taken["Alt+F"] == "the mnemonic of the menu “File”"
    assert taken["Alt+N"] == "the mnemonic of the field “Note”"  # the Span panel's note field
    refusal = registry.rebind("suggest.next", ["Alt+N"])
    assert refusal is not None and "the mnemonic of the field “Note”" in refusal and "would never fire" in refusal
    assert registry.shortcuts("suggest.next") == tuple(registry.specs["suggest.next"].shortcuts)
    assert registry.rebind("suggest.next", ["Alt+J"]) is None
