"""The find bar on its own: code-point matches, the count, stepping with wrap, options, keys, caret, Label all."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton, QToolButton, QVBoxLayout, QWidget

from annotator.ui.document.find_bar import FindBar

# An emoji (one code point, two UTF-16 units) and CR LF (two code points, one Qt position) before the matches.
TEXT = "Yang 😀 said:\r\nChina, china and CHINA.\r\nChinas are not China."
CHINA = [(14, 19), (21, 26), (31, 36), (39, 44), (54, 59)]  # every "china", ignoring case, code points
LABELS = ["actor", "claim", "warning"]


def query_field(bar: FindBar) -> QLineEdit:
    return bar.findChild(QLineEdit, "findQuery")


def count_text(bar: FindBar) -> str:
    return bar.findChild(QLabel, "findCount").text()


def label_all_button(bar: FindBar) -> QPushButton:
    return bar.findChild(QPushButton, "findLabelAll")


@pytest.fixture
def bar(qtbot):
    bar = FindBar()
    qtbot.addWidget(bar)
    bar.set_text(TEXT)
    bar.set_label_names(LABELS)
    bar.open_bar()
    qtbot.waitExposed(bar)
    return bar


def type_query(qtbot, bar: FindBar, text: str) -> None:
    query_field(bar).clear()
    qtbot.keyClicks(query_field(bar), text)


def test_the_oracle_offsets_are_code_points():
    assert [TEXT[s:e] for s, e in CHINA] == ["China", "china", "CHINA", "China", "China"]
    assert len("Yang 😀 said:\r\n") == 14


def record(signal) -> list[tuple]:
    """Every emission of ``signal`` from now on, as argument tuples."""
    seen: list[tuple] = []
    signal.connect(lambda *args: seen.append(args))
    return seen


def test_typing_finds_code_point_ranges_after_an_emoji_and_cr_lf(bar, qtbot):
    selected, changed = record(bar.match_selected), record(bar.matches_changed)
    qtbot.keyClicks(query_field(bar), "china")
    assert bar.matches() == CHINA
    assert changed[-1] == (CHINA,)
    assert selected == [(14, 14 + n) for n in range(1, 6)]  # the current match grows with the query
    assert bar.current_index() == 0
    assert count_text(bar) == "1 of 5"


def test_a_query_across_the_cr_lf_counts_both_code_points(bar, qtbot):
    with qtbot.waitSignal(bar.match_selected) as selected:
        bar.open_bar(":\r\nC")  # e.g. the selected text; a line edit cannot take a typed line break
    assert selected.args == [11, 15]
    assert bar.matches() == [(11, 15)]
    assert TEXT[11:15] == ":\r\nC"


def test_count_label_text(bar, qtbot):
    assert count_text(bar) == ""
    type_query(qtbot, bar, "zzz")
    assert count_text(bar) == "No matches"
    assert bar.matches() == []
    assert bar.current_index() == -1
    type_query(qtbot, bar, "china")
    qtbot.keyClick(query_field(bar), Qt.Key.Key_Return)
    assert count_text(bar) == "2 of 5"
    query_field(bar).clear()
    assert count_text(bar) == ""
    assert bar.matches() == []


def test_enter_and_shift_enter_step_and_wrap_around(bar, qtbot):
    type_query(qtbot, bar, "china")
    field = query_field(bar)
    seen = []
    for _ in range(5):
        with qtbot.waitSignal(bar.match_selected) as selected:
            qtbot.keyClick(field, Qt.Key.Key_Return)
        seen.append(tuple(selected.args))
    assert seen == [*CHINA[1:], CHINA[0]]  # from the first match on, wrapping to it
    with qtbot.waitSignal(bar.match_selected) as selected:
        qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert selected.args == list(CHINA[-1])  # previous from the first wraps to the last
    assert count_text(bar) == "5 of 5"
    with qtbot.waitSignal(bar.match_selected) as selected:
        qtbot.keyClick(field, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)  # the keypad's Enter
    assert selected.args == list(CHINA[0])


def test_the_buttons_step_too(bar, qtbot):
    type_query(qtbot, bar, "china")
    with qtbot.waitSignal(bar.match_selected) as selected:
        qtbot.mouseClick(bar.findChild(QToolButton, "findPrevious"), Qt.MouseButton.LeftButton)
    assert selected.args == list(CHINA[-1])
    with qtbot.waitSignal(bar.match_selected) as selected:
        qtbot.mouseClick(bar.findChild(QToolButton, "findNext"), Qt.MouseButton.LeftButton)
    assert selected.args == list(CHINA[0])


def test_a_single_match_is_selected_again_on_next(bar, qtbot):
    type_query(qtbot, bar, "said")
    with qtbot.waitSignal(bar.match_selected) as selected:
        qtbot.keyClick(query_field(bar), Qt.Key.Key_Return)
    assert selected.args == [7, 11]
    assert count_text(bar) == "1 of 1"


def test_f3_and_shift_f3_step_while_focus_is_anywhere_in_the_bar(bar, qtbot):
    type_query(qtbot, bar, "china")
    match_case = bar.findChild(QCheckBox, "findMatchCase")
    with qtbot.waitSignal(bar.match_selected) as selected:
        qtbot.keyClick(match_case, Qt.Key.Key_F3)
    assert selected.args == list(CHINA[1])
    with qtbot.waitSignal(bar.match_selected) as selected:
        qtbot.keyClick(bar.findChild(QComboBox, "findLabel"), Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert selected.args == list(CHINA[0])
    assert not match_case.isChecked()


def test_match_case_and_whole_words_re_search(bar, qtbot):
    type_query(qtbot, bar, "China")
    match_case = bar.findChild(QCheckBox, "findMatchCase")
    whole_words = bar.findChild(QCheckBox, "findWholeWords")
    with qtbot.waitSignal(bar.matches_changed) as changed:
        qtbot.keyClick(match_case, Qt.Key.Key_Space)
    assert match_case.isChecked()
    assert changed.args == [[(14, 19), (39, 44), (54, 59)]]
    with qtbot.waitSignal(bar.matches_changed) as changed:
        qtbot.keyClick(whole_words, Qt.Key.Key_Space)
    assert changed.args == [[(14, 19), (54, 59)]]  # not inside "Chinas"
    assert count_text(bar) == "1 of 2"
    qtbot.keyClick(match_case, Qt.Key.Key_Space)
    assert bar.matches() == [(14, 19), (21, 26), (31, 36), (54, 59)]


def test_an_option_that_changes_nothing_emits_nothing(bar, qtbot):
    type_query(qtbot, bar, "said")
    with qtbot.assertNotEmitted(bar.matches_changed), qtbot.assertNotEmitted(bar.match_selected):
        qtbot.keyClick(bar.findChild(QCheckBox, "findWholeWords"), Qt.Key.Key_Space)
    assert bar.matches() == [(7, 11)]


def test_escape_closes_and_clears_the_matches(bar, qtbot):
    type_query(qtbot, bar, "china")
    with qtbot.waitSignal(bar.closed), qtbot.waitSignal(bar.matches_changed) as changed:
        qtbot.keyClick(query_field(bar), Qt.Key.Key_Escape)
    assert changed.args == [[]]
    assert not bar.isVisible()
    assert not bar.is_open()
    assert bar.matches() == []
    assert bar.current_index() == -1
    with qtbot.assertNotEmitted(bar.closed):
        bar.close_bar()  # already closed
    with qtbot.waitSignal(bar.matches_changed) as changed:
        bar.open_bar()  # the query was kept
    assert changed.args == [CHINA]
    assert query_field(bar).selectedText() == "china"


def test_the_close_button_closes(bar, qtbot):
    with qtbot.waitSignal(bar.closed):
        qtbot.mouseClick(bar.findChild(QToolButton, "findClose"), Qt.MouseButton.LeftButton)
    assert not bar.isVisible()


def test_the_bar_keys_beat_window_shortcuts_while_it_has_focus(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    deselect = QAction("Deselect", host)
    deselect.setShortcut("Escape")
    deselect.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    host.addAction(deselect)
    other = QLineEdit()
    bar = FindBar()
    layout = QVBoxLayout(host)
    layout.addWidget(other)
    layout.addWidget(bar)
    with qtbot.waitActive(host):
        host.show()
        host.activateWindow()
    bar.set_text(TEXT)
    bar.open_bar("china")
    assert query_field(bar).hasFocus()
    with qtbot.waitSignal(bar.closed), qtbot.assertNotEmitted(deselect.triggered):
        qtbot.keyClick(query_field(bar), Qt.Key.Key_Escape)
    other.setFocus()
    with qtbot.waitSignal(deselect.triggered):  # elsewhere in the window the shortcut works as before
        qtbot.keyClick(other, Qt.Key.Key_Escape)


def test_open_bar_with_a_query_selects_it_and_searches(qtbot):
    bar = FindBar()
    qtbot.addWidget(bar)
    bar.set_text(TEXT)
    assert not bar.isVisible()
    with qtbot.assertNotEmitted(bar.matches_changed):
        bar.set_text(TEXT)  # a closed bar does not search
    with qtbot.waitSignal(bar.match_selected) as selected:
        bar.open_bar("CHINA")
    assert bar.isVisible()
    assert bar.query() == "CHINA"
    assert query_field(bar).selectedText() == "CHINA"
    assert selected.args == list(CHINA[0])
    with qtbot.assertNotEmitted(bar.matches_changed):
        bar.open_bar()  # already open: only refocuses
    assert bar.matches() == CHINA


def test_set_caret_sets_where_next_and_previous_start(bar, qtbot):
    type_query(qtbot, bar, "china")
    bar.set_caret(30)  # between the 2nd and 3rd match
    with qtbot.waitSignal(bar.match_selected) as selected:
        bar.find_next()
    assert selected.args == list(CHINA[2])
    assert bar.current_index() == 2
    bar.set_caret(39)  # exactly at the 4th match's start: "at or after"
    with qtbot.waitSignal(bar.match_selected) as selected:
        bar.find_next()
    assert selected.args == list(CHINA[3])
    bar.set_caret(30)
    with qtbot.waitSignal(bar.match_selected) as selected:
        bar.find_previous()
    assert selected.args == list(CHINA[1])
    bar.set_caret(10_000)  # clamped to the end: next wraps to the first match
    with qtbot.waitSignal(bar.match_selected) as selected:
        bar.find_next()
    assert selected.args == list(CHINA[0])


def test_set_caret_on_the_current_match_steps_past_it(bar, qtbot):
    type_query(qtbot, bar, "china")
    qtbot.keyClick(query_field(bar), Qt.Key.Key_Return)
    assert bar.current_index() == 1
    bar.set_caret(CHINA[1][0])  # the window feeding back the selection it just made
    with qtbot.waitSignal(bar.match_selected) as selected:
        bar.find_next()
    assert selected.args == list(CHINA[2])
    bar.set_caret(CHINA[2][1])  # its end
    with qtbot.waitSignal(bar.match_selected) as selected:
        bar.find_previous()
    assert selected.args == list(CHINA[1])


def test_typing_searches_forward_from_the_caret(bar, qtbot):
    bar.set_caret(37)
    selected = record(bar.match_selected)
    qtbot.keyClicks(query_field(bar), "chin")
    assert selected == [(39, 40), (39, 41), (39, 42), (39, 43)]
    assert count_text(bar) == "4 of 5"
    qtbot.keyClicks(query_field(bar), "a")
    assert selected[-1] == (39, 44)
    qtbot.keyClick(query_field(bar), Qt.Key.Key_Backspace)
    assert selected[-1] == (39, 43)  # still from the caret, not from where "china" was
    assert bar.current_index() == 3


def test_a_re_search_keeping_the_current_range_selects_nothing_new(bar, qtbot):
    bar.set_caret(50)
    type_query(qtbot, bar, "China")
    assert bar.current_index() == 4
    with qtbot.waitSignal(bar.matches_changed), qtbot.assertNotEmitted(bar.match_selected):
        qtbot.keyClick(bar.findChild(QCheckBox, "findMatchCase"), Qt.Key.Key_Space)
    assert bar.current_index() == 2
    assert count_text(bar) == "3 of 3"


def test_label_all_emits_the_chosen_label_and_every_range(bar, qtbot):
    type_query(qtbot, bar, "china")
    qtbot.keyClick(bar.findChild(QComboBox, "findLabel"), Qt.Key.Key_Down)  # actor -> claim
    with qtbot.waitSignal(bar.label_all_requested) as requested:
        qtbot.mouseClick(label_all_button(bar), Qt.MouseButton.LeftButton)
    assert requested.args == ["claim", CHINA]


def test_label_all_needs_matches_and_labels(bar, qtbot):
    button = label_all_button(bar)
    combo = bar.findChild(QComboBox, "findLabel")
    assert not button.isEnabled()  # empty query
    type_query(qtbot, bar, "zzz")
    assert not button.isEnabled()
    assert not bar.findChild(QToolButton, "findNext").isEnabled()
    assert not bar.findChild(QToolButton, "findPrevious").isEnabled()
    type_query(qtbot, bar, "china")
    assert button.isEnabled()
    assert bar.findChild(QToolButton, "findNext").isEnabled()
    bar.set_label_names([])
    assert not button.isEnabled()
    assert not combo.isEnabled()
    with qtbot.assertNotEmitted(bar.label_all_requested):
        bar.label_all()
    bar.set_label_names(["actor"])
    assert button.isEnabled()


def test_set_label_names_keeps_the_chosen_label(bar):
    combo = bar.findChild(QComboBox, "findLabel")
    combo.setCurrentIndex(2)
    bar.set_label_names(["denial", "warning", "actor"])
    assert combo.currentText() == "warning"
    bar.set_label_names(["denial"])
    assert combo.currentText() == "denial"


def test_label_names_are_plain_text(bar, qtbot):
    bar.set_label_names(["<b>x</b>", "R&D"])
    combo = bar.findChild(QComboBox, "findLabel")
    assert [combo.itemText(i) for i in range(combo.count())] == ["<b>x</b>", "R&D"]
    assert bar.findChild(QLabel, "findCount").textFormat() == Qt.TextFormat.PlainText
    type_query(qtbot, bar, "<b>")
    assert count_text(bar) == "No matches"
    type_query(qtbot, bar, "china")
    with qtbot.waitSignal(bar.label_all_requested) as requested:
        qtbot.mouseClick(label_all_button(bar), Qt.MouseButton.LeftButton)
    assert requested.args[0] == "<b>x</b>"


def test_huge_match_counts_are_capped(qtbot):
    bar = FindBar(match_limit=3)
    qtbot.addWidget(bar)
    bar.set_text(TEXT)
    bar.set_label_names(LABELS)
    bar.open_bar("china")
    assert bar.matches() == CHINA[:3]
    assert count_text(bar) == "1 of 3+"
    assert not label_all_button(bar).isEnabled()  # "all" would be a lie
    bar.find_previous()
    assert bar.current_index() == 2
    type_query(qtbot, bar, "chinas")
    assert bar.matches() == [(39, 45)]
    assert label_all_button(bar).isEnabled()


def test_set_text_re_searches_from_the_start(bar, qtbot):
    type_query(qtbot, bar, "china")
    qtbot.keyClick(query_field(bar), Qt.Key.Key_Return)
    with qtbot.waitSignal(bar.matches_changed) as changed, qtbot.waitSignal(bar.match_selected) as selected:
        bar.set_text("\r\n🇨🇳 China")
    assert changed.args == [[(5, 10)]]
    assert selected.args == [5, 10]
    with qtbot.waitSignal(bar.matches_changed) as changed:
        bar.set_text(None)
    assert changed.args == [[]]
    assert count_text(bar) == "No matches"
