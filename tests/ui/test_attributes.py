"""Attributes, document labels and actor identity in the app: the span panel's attribute widgets, attribute hotkeys,
the Document Labels panel, "Same Actor As…", the span list's attribute and entity filters, read-only documents."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QTableView

from annotator.io.label_set_file import default_label_set
from annotator.io.settings import Settings
from annotator.model.labels import LabelSet
from annotator.ui.dialogs.shortcut_sheet import ACTION_ID_ROLE, SHORTCUT_COLUMN
from annotator.ui.document.attribute_editor import UNSET
from annotator.ui.document.span_table import ATTRIBUTES_COLUMN, ENTITY_COLUMN
from annotator.ui.main_window import MainWindow

TEXT = (
    "State Department spokesman Ned Price said sanctions would follow. "
    "Price warned Beijing. The Foreign Ministry denied it."
)


def _at(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def custom_label_set() -> LabelSet:
    """The default label set with a bool, an enum and a text attribute on actors, a link attribute on source links
    and a multiple-valued document label."""
    base = default_label_set().model_dump(mode="json")
    base["attributes"] = [
        *base["attributes"],
        {"name": "named", "type": "bool", "labels": ["actor"], "hotkey": "n", "description": "Named in full"},
        {"name": "role", "type": "text", "labels": ["actor"], "description": "The actor's role"},
        {"name": "certainty", "type": "enum", "values": ["sure", "hedged"], "on": "relation"},
    ]
    base["document_labels"] = [
        *base["document_labels"],
        {"name": "topic", "values": ["sanctions", "trade", "war"], "multiple": True},
    ]
    return LabelSet.model_validate(base)


@pytest.fixture
def opened(window: MainWindow, tmp_path):
    """The window with TEXT open and three actor spans, a claim linked to the first and a warning to the second."""
    path = tmp_path / "price.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert window.open_path(path)
    controller = window.controller
    ids = {}
    for key, phrase, label, nth in (
        ("ned", "State Department spokesman Ned Price", "actor", 0),
        ("price", "Price", "actor", 1),
        ("ministry", "The Foreign Ministry", "actor", 0),
        ("claim", "sanctions would follow", "claim", 0),
        ("warning", "warned Beijing", "warning", 0),
    ):
        ids[key] = controller.add_span(*_at(TEXT, phrase, nth), label).id
    controller.add_relation("source", ids["claim"], ids["ned"])
    controller.add_relation("source", ids["warning"], ids["price"])
    return window, ids, path


def _select(window: MainWindow, span_id: str) -> None:
    window.editing.select_span(span_id)


def test_an_enum_attribute_is_set_from_the_keyboard_in_the_span_panel_and_undone(opened, qtbot):
    window, ids, _path = opened
    _select(window, ids["ned"])
    combo = window.span_panel.findChild(QComboBox, "attribute_kind")
    assert combo is not None and combo.isVisibleTo(window.span_panel)
    assert combo.currentText() == UNSET
    assert [combo.itemText(i) for i in range(combo.count())] == [UNSET, *default_label_set().attribute("kind").values]
    assert combo.toolTip()  # the description, as a plain-text tooltip
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert window.controller.annotations.get(ids["ned"]).attributes == {"kind": "person"}
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert window.controller.annotations.get(ids["ned"]).attributes == {"kind": "organisation"}
    window.actions_by_id["edit.undo"].trigger()
    assert window.controller.annotations.get(ids["ned"]).attributes == {"kind": "person"}
    assert combo.currentText() == "person"
    qtbot.keyClick(combo, Qt.Key.Key_Up)  # back to "—": unset
    assert window.controller.annotations.get(ids["ned"]).attributes == {}


def test_a_claim_offers_quote_and_not_kind(opened):
    window, ids, _path = opened
    _select(window, ids["claim"])
    assert window.span_panel.findChild(QComboBox, "attribute_quote") is not None
    assert window.span_panel.findChild(QComboBox, "attribute_kind") is None
    assert window.span_panel.attributes_caption.isVisibleTo(window.span_panel)


def test_bool_and_text_attributes_by_keyboard_each_one_undo_step(opened, qtbot):
    window, ids, _path = opened
    window.controller.change_label_set(custom_label_set(), "Custom")
    _select(window, ids["price"])
    box = window.span_panel.findChild(QCheckBox, "attribute_named")
    line = window.span_panel.findChild(QLineEdit, "attribute_role")
    assert box is not None and line is not None
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert window.controller.annotations.get(ids["price"]).attributes == {"named": True}
    line.setFocus()
    qtbot.keyClicks(line, "spokesman")
    assert window.controller.annotations.get(ids["price"]).attributes == {"named": True}  # not before Enter
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert window.controller.annotations.get(ids["price"]).attributes == {"named": True, "role": "spokesman"}
    depth = window.controller.undo_stack.index()
    window.actions_by_id["edit.undo"].trigger()
    assert window.controller.annotations.get(ids["price"]).attributes == {"named": True}
    assert window.controller.undo_stack.index() == depth - 1
    window.actions_by_id["edit.undo"].trigger()
    assert window.controller.annotations.get(ids["price"]).attributes == {}
    assert not box.isChecked()


def test_a_text_attribute_is_committed_when_the_focus_leaves_it(opened, qtbot):
    window, ids, _path = opened
    window.controller.change_label_set(custom_label_set(), "Custom")
    _select(window, ids["price"])
    line = window.span_panel.findChild(QLineEdit, "attribute_role")
    line.setFocus()
    qtbot.keyClicks(line, "official")
    window.view.setFocus()
    qtbot.waitUntil(lambda: window.controller.annotations.get(ids["price"]).attributes.get("role") == "official")


def test_the_selected_links_attributes_are_edited_in_the_span_panel(opened, qtbot):
    window, ids, _path = opened
    window.controller.change_label_set(custom_label_set(), "Custom")
    _select(window, ids["claim"])
    panel = window.span_panel
    assert not panel.link_attributes.isVisibleTo(panel)  # no link selected yet
    panel.links.setCurrentRow(0)
    combo = panel.findChild(QComboBox, "attribute_certainty")
    assert combo is not None and panel.link_attributes.isVisibleTo(panel)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    (relation,) = window.controller.annotations.relations_of(ids["claim"])
    assert relation.attributes == {"certainty": "sure"}
    window.actions_by_id["edit.undo"].trigger()
    (relation,) = window.controller.annotations.relations_of(ids["claim"])
    assert relation.attributes == {}


def test_an_attribute_hotkey_cycles_the_value_and_says_it(opened, qtbot):
    window, ids, _path = opened
    _select(window, ids["ministry"])
    window.view.setFocus()
    action = window.attribute_actions["kind"]
    assert action.shortcut().toString() == "K"
    action.trigger()
    assert window.controller.annotations.get(ids["ministry"]).attributes == {"kind": "person"}
    assert window.statusBar().currentMessage() == "kind: person"
    action.trigger()
    assert window.controller.annotations.get(ids["ministry"]).attributes == {"kind": "organisation"}
    _select(window, ids["claim"])
    action.trigger()  # a claim has no kind
    assert window.controller.annotations.get(ids["claim"]).attributes == {}
    assert "no attribute kind" in window.statusBar().currentMessage()
    window.attribute_actions["quote"].trigger()
    assert window.controller.annotations.get(ids["claim"]).attributes == {"quote": "direct"}


def test_an_attribute_hotkey_taken_by_an_application_shortcut_is_not_bound_and_rebinding_to_one_is_refused(
    opened, make_window
):
    window, _ids, _path = opened
    assert window.registry.owner_of("K") == "attribute “kind”"
    assert "attribute “kind”" in window.registry.check("file.save", "K")
    assert window.registry.label_set_clashes(default_label_set()) == []
    hand_edited = Settings(annotator="x", suggesters=[], shortcuts={"file.save": ["Q"]})
    other = make_window("x", hand_edited)
    assert other.attribute_actions["quote"].shortcut().isEmpty()  # the application's shortcut wins
    assert other.attribute_actions["kind"].shortcut().toString() == "K"
    assert other.registry.label_set_clashes(default_label_set()) == [
        "hotkey q of attribute “quote” is the shortcut of “Save”"
    ]


def test_document_labels_are_set_by_keyboard_undone_saved_and_reopened(opened, qtbot, make_window):
    window, _ids, path = opened
    window.controller.change_label_set(custom_label_set(), "Custom")
    panel = window.document_labels
    assert panel.isEnabled()
    window.actions_by_id["view.document_labels"].trigger()  # F7: the panel, its first field focused
    combo = panel.findChild(QComboBox, "documentLabel_relevance")
    assert combo.hasFocus() or window.focusWidget() is combo
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert window.controller.annotations.document_labels == {"relevance": "relevant"}
    sanctions = panel.findChild(QCheckBox, "documentLabel_topic_sanctions")
    war = panel.findChild(QCheckBox, "documentLabel_topic_war")
    for box in (war, sanctions):
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)
    assert window.controller.annotations.document_labels == {"relevance": "relevant", "topic": ["sanctions", "war"]}
    window.actions_by_id["edit.undo"].trigger()
    assert window.controller.annotations.document_labels == {"relevance": "relevant", "topic": ["war"]}
    assert war.isChecked() and not sanctions.isChecked()
    window.actions_by_id["file.save"].trigger()
    saved = json.loads(path.with_name("price.annotations.json").read_text(encoding="utf-8"))
    assert saved["document_labels"] == {"relevance": "relevant", "topic": ["war"]}
    other = make_window("tester")
    assert other.open_path(path)
    assert other.controller.annotations.document_labels == {"relevance": "relevant", "topic": ["war"]}
    assert other.document_labels.findChild(QComboBox, "documentLabel_relevance").currentText() == "relevant"
    assert other.document_labels.findChild(QCheckBox, "documentLabel_topic_war").isChecked()


def test_a_label_set_without_document_labels_shows_the_panel_empty_and_disabled(opened):
    window, _ids, _path = opened
    base = default_label_set().model_dump(mode="json")
    base.pop("document_labels")
    window.controller.change_label_set(LabelSet.model_validate(base), "No document labels")
    panel = window.document_labels
    assert not panel.isEnabled()
    assert panel.hint.isVisibleTo(panel)
    assert panel.findChild(QComboBox, "documentLabel_relevance") is None


def test_same_actor_by_keyboard_groups_shows_the_group_and_leaves_it(opened, qtbot):
    window, ids, _path = opened
    _select(window, ids["price"])
    window.view.setFocus()
    window.actions_by_id["span.same_actor"].trigger()
    session = window.editing.grouping
    assert session is not None and session.candidate.id == ids["ned"]  # the likeliest earlier mention first
    assert [m.pending for m in window.view._links if m.span.id == ids["ned"]] == [True]
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    assert window.editing.grouping.candidate.id == ids["ministry"]
    qtbot.keyClick(window.view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    annotations = window.controller.annotations
    assert window.editing.grouping is None
    entity = annotations.get(ids["price"]).entity
    assert entity and annotations.get(ids["ned"]).entity == entity
    panel = window.span_panel
    assert panel.entity_caption.text() == "Same actor: State Department spokesman Ned Price (2 mentions)"
    rows = [panel.entity.item(i).text() for i in range(panel.entity.count())]
    assert rows[0].startswith("“State Department spokesman Ned Price”")
    assert any("claim" in row and "sanctions would follow" in row for row in rows)  # linked to the other mention
    marks = [(m.span.id, m.relation_type) for m in window.view._links]
    assert (ids["ned"], "same actor") in marks
    window.actions_by_id["edit.undo"].trigger()
    assert not window.controller.annotations.get(ids["price"]).entity
    window.actions_by_id["edit.redo"].trigger()
    window.actions_by_id["span.leave_actor_group"].trigger()
    assert not window.controller.annotations.get(ids["price"]).entity
    assert not window.controller.annotations.get(ids["ned"]).entity  # a group of one dissolves
    assert not panel.entity_caption.isVisibleTo(panel)


def test_same_actor_escape_cancels_and_a_lone_span_is_refused(opened, qtbot):
    window, ids, _path = opened
    _select(window, ids["price"])
    window.view.setFocus()
    window.actions_by_id["span.same_actor"].trigger()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.editing.grouping is None
    assert not window.controller.annotations.get(ids["price"]).entity
    _select(window, ids["claim"])
    window.actions_by_id["span.same_actor"].trigger()
    assert window.editing.grouping is None
    assert "no other claim span" in window.statusBar().currentMessage()


def test_the_span_list_sorts_and_filters_by_attribute_and_entity(opened, qtbot):
    window, ids, _path = opened
    controller = window.controller
    controller.set_attribute(ids["ned"], "kind", "person")
    controller.set_attribute(ids["ministry"], "kind", "government")
    controller.same_entity(ids["price"], ids["ned"])
    entity = controller.annotations.get(ids["ned"]).entity
    model, panel = window.span_model, window.span_list

    def shown() -> list[str]:
        return [model.span_at(row).id for row in range(model.rowCount())]

    row = shown().index(ids["ned"])
    assert model.index(row, ATTRIBUTES_COLUMN).data() == "kind=person"
    assert model.index(row, ENTITY_COLUMN).data() == entity
    panel.text_filter.setFocus()
    qtbot.keyClicks(panel.text_filter, "kind:person")
    assert shown() == [ids["ned"]]
    panel.text_filter.clear()
    qtbot.keyClicks(panel.text_filter, "KIND:Person")  # any case, in the name as in the value
    assert shown() == [ids["ned"]]
    panel.text_filter.clear()
    qtbot.keyClicks(panel.text_filter, "Entity:")
    assert sorted(shown()) == sorted([ids["ned"], ids["price"]])
    panel.text_filter.clear()
    qtbot.keyClicks(panel.text_filter, f"entity:{entity}")
    assert sorted(shown()) == sorted([ids["ned"], ids["price"]])
    panel.text_filter.clear()
    qtbot.keyClicks(panel.text_filter, "kind:government ministry")
    assert shown() == [ids["ministry"]]
    panel.text_filter.clear()
    window.span_table.sortByColumn(ATTRIBUTES_COLUMN, Qt.SortOrder.DescendingOrder)
    assert shown()[:2] == [ids["ned"], ids["ministry"]]  # "kind=person" > "kind=government" > ""
    window.span_table.sortByColumn(ENTITY_COLUMN, Qt.SortOrder.DescendingOrder)
    assert set(shown()[:2]) == {ids["ned"], ids["price"]}


def test_a_read_only_document_disables_attributes_document_labels_and_grouping(window, tmp_path, make_window):
    path = tmp_path / "price.txt"
    path.write_text(TEXT, encoding="utf-8")
    other = make_window("someone else")
    assert other.open_path(path)
    span = other.controller.add_span(*_at(TEXT, "Price", 1), "actor")
    other.controller.add_span(*_at(TEXT, "State Department spokesman Ned Price"), "actor")
    other.actions_by_id["file.save"].trigger()
    other.close()
    assert window.open_path(path.with_name("price.annotations.json"))
    assert window.controller.read_only_reason
    _select(window, span.id)
    combo = window.span_panel.findChild(QComboBox, "attribute_kind")
    assert combo is not None and not combo.isEnabled()
    assert not window.document_labels.findChild(QComboBox, "documentLabel_relevance").isEnabled()
    assert not window.actions_by_id["span.same_actor"].isEnabled()
    window.attribute_actions["kind"].trigger()  # the hotkey stays live to say why nothing happens
    assert window.controller.annotations.get(span.id).attributes == {}


def test_the_shortcut_sheet_lists_the_attribute_hotkeys_for_reference(window):
    dialog = window.appearance.show_shortcut_sheet()
    rows = {row.action_id: row for row in dialog.rows()}
    assert rows["attribute.kind"].shortcuts == ("k",) and not rows["attribute.kind"].editable
    assert rows["attribute.quote"].text == "Attribute quote: next value on the selected span"
    dialog.findChild(QLineEdit, "shortcutFilter").setText("attribute")  # searching finds the attribute hotkeys
    table = dialog.findChild(QTableView, "shortcutTable")
    found = {table.model().index(row, 0).data(ACTION_ID_ROLE) for row in range(table.model().rowCount())}
    assert {"attribute.quote", "attribute.kind"} <= found
    dialog.close()


def test_the_shortcut_sheet_shows_every_shortcut_whole(window, qtbot):
    dialog = window.appearance.show_shortcut_sheet()
    qtbot.waitExposed(dialog)
    dialog.resize(400, 500)  # as narrow as the user makes it: the dialog keeps room for every shortcut
    qtbot.wait(10)
    table = dialog.findChild(QTableView, "shortcutTable")
    header = table.horizontalHeader()
    assert header.sectionSize(SHORTCUT_COLUMN) >= table.sizeHintForColumn(SHORTCUT_COLUMN)
    assert sum(header.sectionSize(c) for c in range(3)) <= table.viewport().width()
    model = table.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(ACTION_ID_ROLE) == "span.same_actor")
    text = model.index(row, SHORTCUT_COLUMN).data()
    assert table.fontMetrics().horizontalAdvance(text) < header.sectionSize(SHORTCUT_COLUMN)
    dialog.close()
