"""Issue 3 end to end in the main window: keyboard-first editing, notes, links, search, label sets, shortcuts, looks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from annotator.__main__ import build_parser
from annotator.io import annotation_file
from annotator.io.settings import load_settings
from annotator.ui.dialogs.questions import DialogQuestions, plain_input_dialog
from annotator.ui.theme import apply_theme, is_dark_palette
from tests.ui.conftest import select_qt

ROOT = Path(__file__).parents[2]
PLUS = ROOT / "sample_docs" / "attribution-plus.labels.toml"
TEXT = (
    "Sullivan warned that any action to support Russia will have consequences. "
    "Beijing denied the report. Sullivan said Beijing would pay.\r\n"
    "Jake Sullivan met Yang.\r\n"
)
#  "Sullivan" 0-8, "any action ... consequences" 21-72, "Beijing" 74-81, "Sullivan" 101-109, "Beijing" 115-122


@pytest.fixture
def opened(window, tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    assert window.open_path(path)
    window.view.setFocus()
    return window, path


def key(qtbot, window, k, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.view, k, modifier)


def spans(window):
    return [(s.start, s.end, s.label, s.text) for s in window.controller.annotations.sorted_spans()]


def label_range(window, start, end, label):
    window.view.select_range(start, end)
    window.editing.apply_label(label)
    return window.controller.annotations.find(start, end, label)


# -- snapping ---------------------------------------------------------------------------------------------------
def test_a_partial_word_selection_snaps_to_the_word_and_character_mode_keeps_it(opened, qtbot):
    window, _ = opened
    window.view.select_range(2, 6)  # "lliv"
    key(qtbot, window, Qt.Key.Key_1)
    assert spans(window) == [(0, 8, "actor", "Sullivan")]
    key(qtbot, window, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)  # character mode
    assert not window.controller.snap_to_words and "Characters" in window.mode_status.text()
    window.view.select_range(76, 79)
    key(qtbot, window, Qt.Key.Key_1)
    assert (76, 79, "actor", "iji") in spans(window)
    window.close()
    assert load_settings().snap_to_words is False


def test_a_mouse_drag_shows_the_snapped_selection(opened):
    window, _ = opened
    window.view.select_range(3, 12)
    window.view.selection_made.emit(3, 12)
    assert window.view.selected_range() == (0, 15)  # "Sullivan warned"


# -- keyboard navigation and resizing -----------------------------------------------------------------------------
def test_tab_moves_between_spans_and_return_selects_the_span_at_the_caret(opened, qtbot):
    window, _ = opened
    for start, end in [(0, 8), (74, 81), (101, 109)]:
        label_range(window, start, end, "actor")
    window.editing.clear_span_selection()
    window.view.select_range(50, 50)
    key(qtbot, window, Qt.Key.Key_Tab)
    assert window.view.selected_span_id == window.controller.annotations.find(74, 81, "actor").id
    key(qtbot, window, Qt.Key.Key_Tab)
    key(qtbot, window, Qt.Key.Key_Tab)  # wraps to the first
    assert window.view.selected_span_id == window.controller.annotations.find(0, 8, "actor").id
    key(qtbot, window, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.view.selected_span_id == window.controller.annotations.find(101, 109, "actor").id
    assert window.span_table.selected_span_ids() == [window.view.selected_span_id]
    window.editing.clear_span_selection()
    window.view.select_range(77, 77)
    key(qtbot, window, Qt.Key.Key_Return)
    assert window.view.selected_span_id == window.controller.annotations.find(74, 81, "actor").id


def test_alt_arrows_grow_and_shrink_the_selected_span_by_words_and_characters(opened, qtbot):
    window, _ = opened
    span = label_range(window, 0, 8, "actor")
    alt, shift, ctrl = (
        Qt.KeyboardModifier.AltModifier,
        Qt.KeyboardModifier.ShiftModifier,
        Qt.KeyboardModifier.ControlModifier,
    )
    key(qtbot, window, Qt.Key.Key_Right, alt | shift)  # end one word right
    assert window.controller.annotations.get(span.id).text == "Sullivan warned"
    key(qtbot, window, Qt.Key.Key_Left, alt | shift | ctrl)  # end one character left
    assert window.controller.annotations.get(span.id).text == "Sullivan warne"
    key(qtbot, window, Qt.Key.Key_Right, alt)  # start one word right
    assert window.controller.annotations.get(span.id).text == "warne"
    key(qtbot, window, Qt.Key.Key_Left, alt)  # start one word left again
    assert window.controller.annotations.get(span.id).text == "Sullivan warne"
    key(qtbot, window, Qt.Key.Key_Left, alt)  # nothing before the first word: refused, nothing changes
    assert "cannot move" in window.statusBar().currentMessage()
    window.actions_by_id["edit.undo"].trigger()
    window.actions_by_id["edit.undo"].trigger()
    window.actions_by_id["edit.undo"].trigger()
    assert window.controller.annotations.get(span.id).text == "Sullivan warned"
    assert window.span_model.span_at(window.span_model.row_of(span.id)).text == "Sullivan warned"


def test_label_hotkey_relabels_the_selected_span_and_delete_removes_it(opened, qtbot):
    window, _ = opened
    span = label_range(window, 21, 72, "claim")
    key(qtbot, window, Qt.Key.Key_3)
    assert window.controller.annotations.get(span.id).label == "warning"
    key(qtbot, window, Qt.Key.Key_Delete)
    assert spans(window) == []


# -- notes and flags ---------------------------------------------------------------------------------------------
def test_note_and_uncertain_flag_from_the_keyboard_are_saved(opened, qtbot):
    window, path = opened
    span = label_range(window, 21, 72, "warning")
    key(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    note = (
        window.span_panel.findChild(type(window.span_panel.note_edit), "spanNote")
        if hasattr(window.span_panel, "note_edit")
        else window.span_panel.findChild(QApplication.focusWidget().__class__, "spanNote")
    )
    assert QApplication.focusWidget() is note
    qtbot.keyClicks(note, "Conditional threat <b>not bold</b>")
    qtbot.keyClick(note, Qt.Key.Key_Escape)  # commits, back to the document
    assert window.controller.annotations.get(span.id).note == "Conditional threat <b>not bold</b>"
    assert QApplication.focusWidget() is window.view
    key(qtbot, window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.annotations.get(span.id).uncertain
    row = window.span_model.row_of(span.id)
    assert window.span_model.index(row, 4).data() == "?"
    assert window.span_model.index(row, 5).data() == "Conditional threat <b>not bold</b>"
    window.sessions.save()
    saved = json.loads(annotation_file.annotation_path_for(path).read_text(encoding="utf-8"))
    assert saved["spans"][0]["note"] == "Conditional threat <b>not bold</b>" and saved["spans"][0]["uncertain"]
    window.actions_by_id["edit.undo"].trigger()
    assert not window.controller.annotations.get(span.id).uncertain


# -- attribution links -------------------------------------------------------------------------------------------
def test_link_a_warning_to_its_source_with_the_keyboard_and_save_it(opened, qtbot):
    window, path = opened
    sullivan = label_range(window, 0, 8, "actor")
    beijing = label_range(window, 74, 81, "actor")
    warning = label_range(window, 21, 72, "warning")
    assert window.view.selected_span_id == warning.id
    key(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    # The statement's own sentence first ("Sullivan warned that ..."), then the next sentences.
    assert window.editing.linking is not None and window.editing.linking.candidate.id == sullivan.id
    assert "Linking source" in window.mode_status.text()
    key(qtbot, window, Qt.Key.Key_Tab)
    assert window.editing.linking.candidate.id == beijing.id
    key(qtbot, window, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, window, Qt.Key.Key_Return)
    assert window.editing.linking is None
    relations = window.controller.annotations.relations()
    assert [(r.type, r.from_, r.to) for r in relations] == [("source", warning.id, sullivan.id)]
    links = window.span_panel.findChild(object, "spanLinks")
    assert links.count() == 1 and "Sullivan" in links.item(0).text()
    assert [m.span.id for m in window.view._links] == [sullivan.id]
    # a target link to the next candidate, then the Escape key cancels a third
    key(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, window, Qt.Key.Key_Tab)
    key(qtbot, window, Qt.Key.Key_Return)
    assert len(window.controller.annotations.relations()) == 2
    key(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.editing.linking is None and len(window.controller.annotations.relations()) == 2
    window.sessions.save()
    saved = json.loads(annotation_file.annotation_path_for(path).read_text(encoding="utf-8"))
    assert {(r["type"], r["from"], r["to"]) for r in saved["relations"]} == {
        ("source", warning.id, sullivan.id),
        ("target", warning.id, beijing.id),
    }


def test_linking_from_an_actor_is_refused_with_a_hint(opened, qtbot):
    window, _ = opened
    label_range(window, 0, 8, "actor")
    key(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.editing.linking is None
    assert "starts at a claim or warning or denial span" in window.statusBar().currentMessage()


def test_link_with_the_mouse_by_clicking_the_actor(opened, qtbot):
    window, _ = opened
    sullivan = label_range(window, 101, 109, "actor")
    claim = label_range(window, 115, 132, "claim")
    window.span_panel.findChild(object, "link_source").click()
    assert window.editing.linking is not None
    window.view.spans_clicked.emit([sullivan.id])
    assert [(r.from_, r.to) for r in window.controller.annotations.relations()] == [(claim.id, sullivan.id)]


def test_deleting_a_linked_span_removes_its_links_in_one_undo_step(opened, qtbot):
    window, _ = opened
    sullivan = label_range(window, 0, 8, "actor")
    warning = label_range(window, 21, 72, "warning")
    window.controller.add_relation("source", warning.id, sullivan.id)
    window.editing.select_span(sullivan.id)
    key(qtbot, window, Qt.Key.Key_Delete)
    assert window.controller.annotations.relations() == [] and sullivan.id not in window.controller.annotations
    assert window.actions_by_id["edit.undo"].text() == "&Undo Delete actor span"
    window.actions_by_id["edit.undo"].trigger()
    assert [(r.from_, r.to) for r in window.controller.annotations.relations()] == [(warning.id, sullivan.id)]


# -- finding -----------------------------------------------------------------------------------------------------
def test_find_and_label_all_matches_in_one_undoable_step(opened, qtbot):
    window, _ = opened
    label_range(window, 74, 81, "actor")  # already labeled: skipped
    key(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    query = window.find_bar.findChild(object, "findQuery")
    qtbot.keyClicks(query, "beijing")
    assert window.find_bar.findChild(object, "findCount").text().endswith("of 2")
    assert window.view._matches == [(74, 81), (115, 122)]
    combo = window.find_bar.findChild(object, "findLabel")
    combo.setCurrentText("actor")
    window.find_bar.findChild(object, "findLabelAll").click()
    assert [s[:3] for s in spans(window)] == [(74, 81, "actor"), (115, 122, "actor")]
    assert "1 already labeled" in window.statusBar().currentMessage()
    window.actions_by_id["edit.undo"].trigger()
    assert [s[:3] for s in spans(window)] == [(74, 81, "actor")]
    qtbot.keyClick(query, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible() and window.view._matches == []


def test_find_then_escape_then_hotkey_labels_the_current_match(opened, qtbot):
    window, _ = opened
    window.view.select_range(0, 0)
    key(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    query = window.find_bar.findChild(object, "findQuery")
    qtbot.keyClicks(query, "Sullivan")
    qtbot.keyClick(query, Qt.Key.Key_Return)  # next match
    qtbot.keyClick(query, Qt.Key.Key_Escape)
    key(qtbot, window, Qt.Key.Key_1)
    assert spans(window) == [(101, 109, "actor", "Sullivan")]


def test_span_list_filters_by_label_and_text(opened, qtbot):
    window, _ = opened
    label_range(window, 0, 8, "actor")
    label_range(window, 74, 81, "actor")
    label_range(window, 21, 72, "warning")
    proxy = window.span_table.proxy
    window.span_list.findChild(object, "spanLabelFilter").setCurrentText("actor")
    assert proxy.rowCount() == 2
    window.finding.focus_span_filter()
    qtbot.keyClicks(window.span_list.findChild(object, "spanTextFilter"), "beij")
    assert proxy.rowCount() == 1
    assert window.span_list.findChild(object, "spanFilterCount").text() == "1 of 3 spans"


# -- label sets --------------------------------------------------------------------------------------------------
def test_a_custom_toml_label_set_gives_five_hotkeys_and_is_recorded_in_the_file(opened, qtbot):
    window, path = opened
    assert window.label_sets.load_label_set_file(PLUS)
    assert window.controller.annotations.label_set.name == "attribution-plus"
    assert list(window.label_bar.buttons) == ["actor", "claim", "warning", "denial", "commitment"]
    window.view.select_range(115, 131)
    key(qtbot, window, Qt.Key.Key_5)
    assert spans(window)[0][2] == "commitment"
    window.sessions.save()
    saved = json.loads(annotation_file.annotation_path_for(path).read_text(encoding="utf-8"))
    assert saved["label_set"]["name"] == "attribution-plus" and len(saved["label_set"]["labels"]) == 5
    assert Path(load_settings().label_set_path) == PLUS.resolve()
    window.actions_by_id["edit.undo"].trigger()  # the label-set switch is undoable too
    window.actions_by_id["edit.undo"].trigger()
    assert window.controller.annotations.label_set.name == "attribution"


def test_opening_a_file_keeps_its_label_set_and_switching_offers_to_add_the_missing_labels(
    window, tmp_path, monkeypatch, questions
):
    window.settings.autosave = False  # switching label sets must not reach the file: leaving discards (fixture)
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    window.label_sets.load_label_set_file(PLUS)
    window.open_path(path)
    label_range(window, 115, 131, "commitment")
    window.sessions.save()
    asked = []
    questions.script(add_labels=lambda name, missing, *_: asked.append(missing) or True)
    window.label_sets.use_default_label_set()  # the default set has no "commitment": the document keeps it
    assert window.controller.annotations.label_set.names == ["actor", "claim", "warning", "denial", "commitment"]
    assert window.label_sets.label_set.name == "attribution"
    window.open_path(path)  # opening never asks: the file keeps the label set it was made with
    assert asked == [["commitment"]]  # the names of the labels to add
    assert window.controller.annotations.label_set.name == "attribution-plus"
    assert "Label Set → Use Default Label Set adds the default set's attributes" in window.statusBar().currentMessage()
    assert spans(window)[0][2] == "commitment"
    questions.script(add_labels=False)
    window.label_sets.use_default_label_set()  # declined: the document's label set stays
    assert window.controller.annotations.label_set.name == "attribution-plus"
    window.open_path(annotation_file.annotation_path_for(path))
    assert window.controller.annotations.label_set.name == "attribution-plus"  # the file's own set; nothing dropped
    assert len(spans(window)) == 1


def test_choosing_a_label_set_names_it_when_asking_to_add_the_documents_labels(
    window, tmp_path, monkeypatch, questions
):
    """The question names the label set being chosen (not the one in use) and says what declining does."""
    window.settings.autosave = False
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    window.label_sets.load_label_set_file(PLUS)
    window.open_path(path)
    label_range(window, 115, 131, "commitment")
    asked = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append((box.text(), box.informativeText())) or 0)
    questions.script(add_labels=DialogQuestions(window).add_labels)  # the real question box, with exec() recorded
    window.label_sets.use_default_label_set()  # the default set lacks "commitment"; the box is closed without a choice
    [(text, informative)] = asked
    assert "the label set “attribution” lacks: commitment" in text, text
    assert "attribution-plus" not in text and "leaves the document's label set as it is" in informative, informative
    assert window.label_sets.label_set.name == "attribution-plus"  # declined: nothing changed


def test_rename_and_merge_labels_are_undoable(opened):
    window, _ = opened
    label_range(window, 0, 8, "actor")
    label_range(window, 21, 72, "warning")
    assert window.label_sets.rename_label("actor", "speaker")
    assert [s[2] for s in spans(window)] == ["speaker", "warning"]
    assert "speaker" in window.label_bar.buttons and "actor" not in window.label_bar.buttons
    assert window.label_sets.merge_label("warning", "claim")
    assert [s[2] for s in spans(window)] == ["speaker", "claim"]
    assert "warning" not in window.controller.annotations.label_set.names
    window.actions_by_id["edit.undo"].trigger()
    window.actions_by_id["edit.undo"].trigger()
    assert [s[2] for s in spans(window)] == ["actor", "warning"]
    assert not window.label_sets.rename_label("actor", "claim")
    assert "claim" in window.last_message.text()


def test_hotkey_clashes_are_refused_with_a_message_naming_both(window, tmp_path):
    assert window.registry.rebind("edit.find", ["1"]) == (
        "1 is already the shortcut of label “actor”; it cannot also be “Find…”."
    )
    assert window.registry.rebind("edit.find", ["Q"]) == (
        "Q is already the shortcut of attribute “quote”; it cannot also be “Find…”."
    )
    assert window.registry.rebind("edit.find", ["J"]) is None
    clash = tmp_path / "clash.labels.json"
    clash.write_text(
        json.dumps({"name": "clash", "labels": [{"name": "quote", "color": "#123456", "hotkey": "j"}]}),
        encoding="utf-8",
    )
    assert not window.label_sets.load_label_set_file(clash)
    assert "hotkey j of label “quote” is the shortcut of “Find…”" in window.last_message.text()


def test_the_shortcut_sheet_rebinds_and_the_binding_is_remembered(window, qtbot, make_window):
    window.actions_by_id["help.shortcuts"].trigger()
    sheet = window.findChild(object, "shortcutSheet")
    assert sheet is not None and sheet.isVisible()
    qtbot.keyClicks(sheet.findChild(object, "shortcutFilter"), "guidelines")
    assert sheet.select_action("view.guidelines")
    sheet.start_capture()
    qtbot.keyClick(sheet.findChild(object, "shortcutEdit"), Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.registry.shortcuts("view.guidelines") == ("Ctrl+G",))
    assert load_settings().shortcuts == {"view.guidelines": ["Ctrl+G"]}
    again = make_window("tester", load_settings())
    assert again.actions_by_id["view.guidelines"].shortcut().toString() == "Ctrl+G"
    sheet.close()


def test_guidelines_panel_and_legend_show_the_label_set(opened, qtbot):
    window, _ = opened
    label_range(window, 0, 8, "actor")
    key(qtbot, window, Qt.Key.Key_F2)
    assert window.guidelines_dock.isVisible()
    assert window.guidelines.highlighted_label == "actor"
    assert window.legend.count_text("actor").endswith("1")
    assert "Pronouns" in window.controller.annotations.label_set.get("actor").description


def test_dark_theme_is_remembered_and_recolors_the_view(window, qtbot):
    app = QApplication.instance()
    try:
        window.actions_by_id["view.theme_dark"].trigger()
        qtbot.waitUntil(lambda: is_dark_palette(window.view.palette()))
        assert load_settings().theme == "dark"
        assert window.view.palette().color(QPalette.ColorRole.Base).lightness() < 80
    finally:
        apply_theme(app, "system")


def test_labels_option_on_the_command_line():
    args = build_parser().parse_args(["doc.txt", "--labels", "my.labels.toml"])
    assert (args.file, args.labels) == ("doc.txt", "my.labels.toml")


def test_keyboard_selection_then_hotkey_uses_qt_positions_correctly_after_emoji(window, tmp_path, qtbot):
    path = tmp_path / "emoji.txt"
    path.write_text("😀 Beijing denied it", encoding="utf-8")
    window.open_path(path)
    select_qt(window.view, 3, 6)  # "Bei" after the astral emoji (2 UTF-16 units)
    key(qtbot, window, Qt.Key.Key_1)
    assert spans(window) == [(2, 9, "actor", "Beijing")]


# -- found by trying the app as a newcomer ---------------------------------------------------------------------
def test_label_all_skips_matches_inside_a_span_with_the_same_label(opened):
    window, _ = opened
    label_range(window, 135, 148, "actor")  # "Jake Sullivan"
    window.editing.label_all("actor", [(0, 8), (101, 109), (140, 148)])  # every "Sullivan"
    assert [s[:2] for s in spans(window)] == [(0, 8), (101, 109), (135, 148)]  # not the one inside "Jake Sullivan"
    assert window.statusBar().currentMessage().startswith("Labeled 2 matches as actor (1 already labeled actor")


def test_the_caret_position_follows_the_caret_without_a_selection(opened, qtbot):
    window, _ = opened
    window.view.select_range(10, 10)
    key(qtbot, window, Qt.Key.Key_Right)
    assert window.selection_status.text() == "Caret 11"
    key(qtbot, window, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert window.selection_status.text() == "Caret 0"


def test_the_title_names_the_text_file_of_a_document_without_spans(opened):
    window, _ = opened
    assert window.windowTitle().startswith("article.txt")


def test_link_any_asks_for_the_relation_type_when_several_fit(window, tmp_path, qtbot, monkeypatch, questions):
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    window.label_sets.load_label_set_file(PLUS)  # adds "rejects" (a denial to a claim, warning or commitment)
    window.open_path(path)
    warning = label_range(window, 21, 72, "warning")
    denial = label_range(window, 74, 88, "denial")
    asked = []
    questions.script(relation_type=lambda names, label: asked.append(names) or "rejects")
    window.view.setFocus()
    key(qtbot, window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert asked == [["source", "target", "rejects"]]
    assert window.editing.linking is not None and window.editing.linking.candidate.id == warning.id
    key(qtbot, window, Qt.Key.Key_Return)
    assert [(r.type, r.from_, r.to) for r in window.controller.annotations.relations()] == [
        ("rejects", denial.id, warning.id)
    ]


# -- found in review -------------------------------------------------------------------------------------------
def test_label_all_never_splits_a_letter_from_its_accent(window, tmp_path):
    path = tmp_path / "cafe.txt"
    path.write_text("Cafe\u0301 owner. Cafe owner.", encoding="utf-8")
    window.open_path(path)
    window.editing.label_all("actor", [(0, 4), (13, 17)])
    assert [s[:2] for s in spans(window)] == [(13, 17)]


def test_shift_backtab_from_the_key_capture_is_the_same_key_as_shift_tab(window):
    refusal = window.registry.rebind("view.zoom_in", ["Shift+Backtab"])
    assert refusal is not None and "Previous Span" in refusal


def test_label_names_stay_plain_in_undo_texts_and_dialog_captions(opened, monkeypatch):
    window, _ = opened
    assert window.label_sets.rename_label("actor", "<b>R&D</b>")
    label_range(window, 0, 8, "<b>R&D</b>")
    undo = window.actions_by_id["edit.undo"]
    assert undo.text() == "&Undo Add <b>R&&D</b> span"
    assert undo.toolTip() == "<qt>Undo Add &lt;b&gt;R&amp;D&lt;/b&gt; span</qt>"
    dialog = plain_input_dialog(window, "Rename label", "New name for <b>R&D</b>:")
    captions = [label for label in dialog.findChildren(QLabel) if "New name" in label.text()]
    assert captions and all(label.textFormat() == Qt.TextFormat.PlainText for label in captions)


def test_opening_keeps_every_label_the_file_defines(window, tmp_path):
    window.settings.autosave = False  # switching label sets must not reach the file: leaving discards (fixture)
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    window.label_sets.load_label_set_file(PLUS)
    window.open_path(path)
    label_range(window, 0, 8, "actor")
    window.sessions.save()
    window.label_sets.use_default_label_set()
    window.open_path(path)  # only "actor" is used; "commitment" is defined by the file and kept
    assert window.controller.annotations.label_set.names == ["actor", "claim", "warning", "denial", "commitment"]
    assert "Use Default Label Set adds the default set's attributes" in window.statusBar().currentMessage()


def test_deselecting_the_statement_cancels_linking(opened, qtbot):
    window, _ = opened
    label_range(window, 0, 8, "actor")
    label_range(window, 21, 72, "warning")
    key(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.editing.linking is not None
    window.view.spans_clicked.emit([])  # a click on unlabeled text
    assert window.editing.linking is None


def test_the_span_panel_follows_changes_at_the_other_end_of_a_link(opened):
    window, _ = opened
    sullivan = label_range(window, 0, 8, "actor")
    warning = label_range(window, 21, 72, "warning")
    window.controller.add_relation("source", warning.id, sullivan.id)
    window.editing.select_span(warning.id)
    window.label_sets.rename_label("actor", "speaker")
    links = window.span_panel.findChild(object, "spanLinks")
    assert "speaker" in links.item(0).text()
