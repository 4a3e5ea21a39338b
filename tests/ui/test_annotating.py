"""The window end to end: open, select, label with hotkeys, relabel, delete, undo, save, reopen."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.io import annotation_file
from annotator.ui.main_window import MainWindow
from annotator.ui.theme import display_color
from tests.conftest import DATA, qt_position, trap_cases
from tests.ui.conftest import select_qt

HOTKEYS = {"actor": Qt.Key.Key_1, "claim": Qt.Key.Key_2, "warning": Qt.Key.Key_3, "denial": Qt.Key.Key_4}
SAMPLE = Path(__file__).parents[2] / "sample_docs" / "000_3048e0f710b42604.txt"


def spans_of(annotations):
    return [(s.start, s.end, s.label, s.text) for s in annotations.sorted_spans()]


def reopen(make_window, path) -> MainWindow:
    other = make_window("tester")
    assert other.open_path(path)
    return other


@pytest.mark.parametrize("case", trap_cases(), ids=[c["name"] for c in trap_cases()])
def test_trap_corpus_annotated_through_the_ui_round_trips(case, window, qtbot, tmp_path, make_window):
    path = tmp_path / "case.txt"
    path.write_bytes(case["text"].encode("utf-8"))
    assert window.open_path(path)
    text = case["text"]
    for span in case["spans"]:
        select_qt(window.view, qt_position(text, span["start"]), qt_position(text, span["end"]))
        qtbot.keyClick(window.view, HOTKEYS[span["label"]])
    expected = sorted((s["start"], s["end"], s["label"], s["text"]) for s in case["spans"])
    assert spans_of(window.controller.annotations) == expected
    window.actions_by_id["file.save"].trigger()
    saved = tmp_path / "case.annotations.json"
    assert json.loads(saved.read_text(encoding="utf-8"))["document"]["text"] == text
    assert spans_of(reopen(make_window, path).controller.annotations) == expected
    assert spans_of(reopen(make_window, saved).controller.annotations) == expected


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "encodings").glob("*.txt")))
def test_every_encoding_annotated_saved_and_reopened(name, window, qtbot, tmp_path, make_window):
    path = tmp_path / name
    shutil.copy(DATA / "encodings" / name, path)
    assert window.open_path(path)
    text = window.controller.annotations.text
    wanted = []
    for phrase, label in [
        ("Jake Sullivan", "actor"),
        ("Yang Jiechi", "actor"),
        ("to China and Russia to deny", "denial"),
    ]:
        start = text.index(phrase)
        select_qt(window.view, qt_position(text, start), qt_position(text, start + len(phrase)))
        qtbot.keyClick(window.view, HOTKEYS[label])
        wanted.append((start, start + len(phrase), label, phrase))
    assert spans_of(window.controller.annotations) == sorted(wanted)
    encoding = window.controller.annotations.document.source.encoding
    assert encoding in window.encoding_status.text()
    window.sessions.save()
    reopened = reopen(make_window, path)
    assert spans_of(reopened.controller.annotations) == sorted(wanted)
    assert path.read_bytes() == (DATA / "encodings" / name).read_bytes()  # the text file itself is never touched


def test_keyboard_only_selection_trims_whitespace_and_labels(window, qtbot, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("  Sullivan warned Beijing.", encoding="utf-8")
    window.open_path(path)
    view = window.view
    view.moveCursor(view.textCursor().MoveOperation.Start)
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
    assert window.selection_status.text().startswith("Selection 0–")
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert spans_of(window.controller.annotations) == [(2, 10, "actor", "Sullivan")]
    assert window.isWindowModified()
    assert window.count_status.text() == "1 span · 0 links" and window.legend.count_text("actor").endswith("1")


def test_word_mode_does_not_widen_a_selection_past_a_possessive(window, qtbot, tmp_path):
    path = tmp_path / "a.txt"
    text = "Beijing\u2019s help and Russia's envoy"
    path.write_text(text, encoding="utf-8")
    window.open_path(path)
    assert window.controller.snap_to_words
    select_qt(window.view, 0, 7)  # exactly "Beijing": both edges on word boundaries, so it is not grown
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    russia = text.index("Russia")
    select_qt(window.view, russia, russia + 4)  # "Russ" grows to the word, not past the clitic
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert spans_of(window.controller.annotations) == [
        (0, 7, "actor", "Beijing"),
        (russia, russia + 6, "actor", "Russia"),
    ]


def test_hotkey_relabels_selected_span_delete_removes_and_undo_redo(window, qtbot, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Beijing denied the report.", encoding="utf-8")
    window.open_path(path)
    select_qt(window.view, 0, 7)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    span_id = window.view.selected_span_id
    assert span_id is not None
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    assert window.controller.annotations.get(span_id).label == "claim"
    undo = window.actions_by_id["edit.undo"]
    assert undo.text() == "&Undo Relabel actor span as claim"
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert len(window.controller.annotations) == 0
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.annotations.get(span_id).label == "claim"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.controller.annotations) == 0
    assert not window.isWindowModified()
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.view, Qt.Key.Key_Z, keys)
    assert spans_of(window.controller.annotations) == [(0, 7, "actor", "Beijing")]
    assert window.span_model.rowCount() == 1


def test_clicking_a_span_selects_it_and_cycles_through_stacked_spans(window, qtbot, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Beijing denied the report.", encoding="utf-8")
    window.open_path(path)
    for key in (Qt.Key.Key_2, Qt.Key.Key_4):  # identical offsets, two labels
        select_qt(window.view, 0, 25)
        qtbot.keyClick(window.view, key)
    select_qt(window.view, 0, 7)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    window.editing.clear_span_selection()
    view = window.view
    cursor = view.textCursor()
    cursor.setPosition(2)
    point = view.cursorRect(cursor).center() + QPoint(2, 0)
    cursor.setPosition(0)
    view.setTextCursor(cursor)
    labels = []
    for _ in range(4):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        labels.append(window.controller.annotations.get(view.selected_span_id).label)
    assert labels[0] == "actor"  # the shortest span under the point comes first
    assert sorted(labels[:3]) == ["actor", "claim", "denial"] and labels[3] == labels[0]
    assert window.span_table.selected_span_ids() == [view.selected_span_id]
    tooltip_spans = [s.label for s in view.spans_at_point(point)]
    assert tooltip_spans == ["actor", "claim", "denial"]


def test_span_table_click_jumps_and_delete_in_table(window, qtbot, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Line one.\r\nSullivan warned Beijing.\r\nYang denied it.\r\n", encoding="utf-8", newline="")
    window.open_path(path)
    text = window.controller.annotations.text
    for phrase, key in [("Sullivan", Qt.Key.Key_1), ("Yang denied it", Qt.Key.Key_4)]:
        start = text.index(phrase)
        select_qt(window.view, qt_position(text, start), qt_position(text, start + len(phrase)))
        qtbot.keyClick(window.view, key)
    table = window.span_table
    table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    first = table.proxy.index(0, 2)
    assert table.proxy.data(first) == text.index("Yang")
    table.setFocus()
    table.selectRow(1)
    assert window.view.selected_span_id == window.controller.annotations.find(11, 19, "actor").id
    assert window.view.textCursor().position() == qt_position(text, 11) == 10
    index = table.proxy.index(0, 1)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    assert window.view.selected_span_id == window.controller.annotations.find(37, 51, "denial").id
    assert window.view.textCursor().position() == qt_position(text, 37) == 35
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [s.label for s in window.controller.annotations] == ["actor"]
    assert table.model().rowCount() == 1


def test_open_sample_article_save_with_ctrl_s_and_reopen(window, qtbot, tmp_path, make_window):
    path = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, path)
    window.open_path(path)
    text = window.controller.annotations.text
    for phrase, key in [
        ("Jake Sullivan", Qt.Key.Key_1),
        ("Russia had requested military assistance from China", Qt.Key.Key_2),
    ]:
        start = text.index(phrase)
        select_qt(window.view, start, start + len(phrase))
        qtbot.keyClick(window.view, key)
    qtbot.keyClick(window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = annotation_file.annotation_path_for(path)
    assert saved.exists() and not window.isWindowModified()
    assert spans_of(reopen(make_window, path).controller.annotations) == spans_of(window.controller.annotations)
    assert window.windowTitle().startswith(f"{SAMPLE.name}[*] — saved ")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("image-renamed.txt", "binary"),
        ("nul-bytes.txt", "binary"),
        ("truncated.annotations.json", "line 5, column 13"),
        ("hash-mismatch.annotations.json", "sha256"),
        ("unknown-label.annotations.json", "'threat'"),
    ],
)
def test_bad_input_shows_plain_text_message_and_keeps_current_document(name, expected, window, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Yang denied it.", encoding="utf-8")
    window.open_path(good)
    bad = tmp_path / name
    shutil.copy(DATA / "bad-inputs" / name, bad)
    assert not window.open_path(bad)
    box = window.last_message
    assert box is not None and box.textFormat() == Qt.TextFormat.PlainText
    assert name in box.text() and expected in box.text()
    assert window.controller.annotations.text == "Yang denied it."
    assert bad.read_bytes() == (DATA / "bad-inputs" / name).read_bytes()


def test_empty_file_opens(window, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert window.open_path(path)
    assert "empty" in window.statusBar().currentMessage()


def test_failed_save_keeps_old_file_and_says_why(window, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text("Yang denied it.", encoding="utf-8")
    window.open_path(path)
    select_qt(window.view, 0, 4)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    window.sessions.save()
    saved = tmp_path / "a.annotations.json"
    before = saved.read_bytes()
    select_qt(window.view, 5, 11)
    qtbot.keyClick(window.view, Qt.Key.Key_4)
    monkeypatch.setattr("os.replace", lambda *a: (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
    assert not window.sessions.save()
    assert "Permission denied" in window.last_message.text()
    assert saved.read_bytes() == before
    assert window.isWindowModified()


def test_closing_with_unsaved_changes_asks_when_autosave_is_off(qtbot, tmp_path, monkeypatch, questions, make_window):

    window = make_window("tester")
    window.show()
    window.settings.autosave = False
    path = tmp_path / "a.txt"
    path.write_text("Yang denied it.", encoding="utf-8")
    window.open_path(path)
    select_qt(window.view, 0, 4)
    window.editing.apply_label("actor")
    asked = []
    questions.script(unsaved=lambda name: asked.append(1) or "cancel")
    assert not window.close()
    assert asked and window.isVisible()
    questions.script(unsaved=lambda name: "save")
    assert window.close()
    assert (tmp_path / "a.annotations.json").exists()


def test_closing_with_autosave_on_saves_without_asking(qtbot, tmp_path, monkeypatch, questions, make_window):
    window = make_window("tester")
    window.show()
    path = tmp_path / "a.txt"
    path.write_text("Yang denied it.", encoding="utf-8")
    window.open_path(path)
    select_qt(window.view, 0, 4)
    window.editing.apply_label("actor")
    questions.script(unsaved=lambda name: pytest.fail("autosave must not ask"))
    assert window.close()
    assert [s.text for s in annotation_file.load(tmp_path / "a.annotations.json")] == ["Yang"]


def test_plain_text_everywhere(window, qtbot, tmp_path):
    path = tmp_path / "<b>bold<i>.txt"
    path.write_text("<b>Not bold</b> & <i>x</i>", encoding="utf-8")
    window.open_path(path)
    assert window.view.toPlainText() == "<b>Not bold</b> & <i>x</i>"
    select_qt(window.view, 0, 15)
    window.editing.apply_label("claim")
    index = window.span_table.proxy.index(0, 1)
    assert window.span_table.proxy.data(index) == "<b>Not bold</b>"
    tooltip = window.span_table.proxy.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;" in tooltip
    assert "<b>bold<i>" in window.windowTitle()


def test_zoom_changes_font_and_is_remembered(window, qtbot):
    size = window.view.font().pointSizeF()
    qtbot.keyClick(window.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.view.font().pointSizeF() == size + 1
    qtbot.keyClick(window.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.view.font().pointSizeF() == size - 1
    window.close()
    from annotator.io.settings import load_settings

    assert load_settings().font_point_size == size - 1


def test_overlapping_spans_paint_without_error(window, qtbot, tmp_path):
    case = next(c for c in trap_cases() if c["name"] == "overlap-and-nesting")
    path = tmp_path / "o.txt"
    path.write_text(case["text"], encoding="utf-8")
    window.open_path(path)
    for span in case["spans"]:
        window.view.select_range(span["start"], span["end"])
        window.editing.apply_label(span["label"])
    image = window.view.viewport().grab().toImage()
    cursor = window.view.textCursor()
    cursor.setPosition(22)
    rect = window.view.cursorRect(cursor)
    room = window.view.room_under_line(window.view.textCursor().block())
    below = range(rect.top(), int(rect.bottom() + room) + 1)  # the underlines are in the room under the line
    colors = {image.pixelColor(rect.center().x() + 3, y).name() for y in below}
    for label in ("actor", "claim", "warning"):  # every overlapping label's underline is visible at "China"
        stored = window.controller.annotations.label_set.get(label).color
        assert display_color(stored, window.view.palette()).name() in colors


def test_only_painted_blocks_are_formatted_and_a_change_reformats_only_the_blocks_it_touches(window, qtbot, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("".join(f"Line {i} says Sullivan warned Beijing.\r\n" for i in range(2000)), encoding="utf-8")
    window.open_path(path)
    highlighter = window.view._highlighter
    calls = []
    original = highlighter.block_formats
    highlighter.block_formats = lambda number: (calls.append(number), original(number))[1]
    text = window.controller.annotations.text
    start = text.index("Line 1500 says") + len("Line 1500 says ")
    window.view.select_range(start, start + len("Sullivan"))
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    window.view.viewport().repaint()
    visible = [block.blockNumber() for block in window.view.visible_blocks()]
    assert 1500 in visible and len(visible) < 100
    assert set(calls) <= set(visible)  # nothing off screen was formatted
    assert not highlighter.is_current(10)
    window.view.select_range(start - 20, start + 60)  # lines 1499 to 1501
    window.view.viewport().repaint()  # what scrolled into view is formatted
    calls.clear()
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    window.view.viewport().repaint()
    assert sorted(set(calls)) == [1499, 1500, 1501]
    ranges = window.view.document().findBlockByNumber(1500).layout().formats()
    tints = {r.format.background().color().rgb() for r in ranges}
    assert len(ranges) == 2 and len(tints) == 2  # the two labels' tints, over the line
    calls.clear()
    window.editing.undo()
    window.view.viewport().repaint()
    assert sorted(set(calls)) == [1499, 1500, 1501]
    assert len(window.view.document().findBlockByNumber(1499).layout().formats()) == 0  # the tint is cleared


def test_a_change_repaints_only_its_lines_and_the_screen_matches_a_full_repaint(window, qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    path = tmp_path / "lines.txt"
    path.write_text("".join(f"Line {i}: Sullivan warned Beijing.\n" for i in range(80)), encoding="utf-8")
    window.suggesting.set_suggestions_enabled(False)  # else "Sullivan" is suggested on every line: all repainted
    window.open_path(path)
    window.resize(900, 600)
    screen = QApplication.primaryScreen()

    def settled_screen():
        for _ in range(3):
            QApplication.processEvents()
        return screen.grabWindow(window.winId()).toImage()

    def fully_repainted():
        window.view.viewport().repaint()
        return settled_screen()

    painted = []
    original = window.view.paintEvent
    window.view.paintEvent = lambda event: (painted.append(event.rect()), original(event))[1]
    text = window.controller.annotations.text
    start = text.index("Line 3:") + len("Line 3: ")
    before = settled_screen()
    for act in (
        lambda: window.controller.add_span(start, start + len("Sullivan"), "actor"),
        window.editing.undo,
        window.editing.redo,
        lambda: window.view.set_selected_span(None),
        lambda: window.view.set_selected_span(window.controller.annotations.find(start, start + 8, "actor")),
    ):
        painted.clear()
        act()
        shown = settled_screen()
        assert all(rect.height() < window.view.viewport().height() / 4 for rect in painted)
        assert shown == fully_repainted()
    assert shown != before  # the span's tint, underline and selection outline are on screen


def test_random_edits_scrolls_and_resizes_leave_the_screen_as_a_full_repaint_would(window, qtbot, tmp_path):
    import random

    from PySide6.QtWidgets import QApplication

    from tests.ui.test_suggesting_attribution import ManualExecutor

    path = tmp_path / "long.txt"
    path.write_text("".join(f"Line {i} says Sullivan warned Beijing 🙂.\r\n" for i in range(300)), encoding="utf-8")
    window.suggesting.timer.setInterval(0)  # suggestions catch up within the first settling events, never in between
    window.suggesting.executor = ManualExecutor(at_once=True)  # ... their runs too (not a worker thread's timing)
    window.resize(900, 600)
    assert window.open_path(path)
    text, view, screen = window.controller.annotations.text, window.view, QApplication.primaryScreen()
    keys = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4]

    def settled_screen():
        for _ in range(3):
            QApplication.processEvents()
        return screen.grabWindow(window.winId()).toImage()

    rnd = random.Random(7)
    for step in range(60):
        roll = rnd.random()
        if roll < 0.35:
            line = min(299, rnd.choice(view.visible_blocks()).blockNumber())  # not the empty block after the last line
            start = text.index(f"Line {line} says") + rnd.randint(0, 10)
            view.select_range(start, min(len(text), start + rnd.randint(1, 60)))
            qtbot.keyClick(view, rnd.choice(keys))
        elif roll < 0.5:
            window.editing.undo()
        elif roll < 0.6:
            window.editing.redo()
        elif roll < 0.7:
            view.verticalScrollBar().setValue(rnd.randint(0, view.verticalScrollBar().maximum()))
        elif roll < 0.77:
            window.resize(rnd.randint(500, 1200), rnd.randint(400, 800))
        elif roll < 0.87:
            spans = list(window.controller.annotations)
            view.set_selected_span(rnd.choice(spans) if spans else None, reveal=rnd.random() < 0.5)
        elif roll < 0.93:
            if view.selected_span_id:
                window.editing.delete_selected_spans()
        else:
            qtbot.keyClick(view, Qt.Key.Key_PageDown)
        shown = settled_screen()
        view.viewport().repaint()
        assert shown == settled_screen(), f"step {step}: the screen differs from a full repaint"


def test_annotations_made_on_another_text_are_shown_on_their_own_text(window, tmp_path):
    made_on = tmp_path / "X.txt"
    made_on.write_text("Yang denied it.", encoding="utf-8")
    window.open_path(made_on)
    select_qt(window.view, 0, 4)
    window.editing.apply_label("actor")
    window.sessions.save()
    made_on.write_text("Someone edited the text.", encoding="utf-8")
    assert window.open_path(made_on)
    assert window.last_message.windowTitle() == "Annotations made on another text"
    assert window.controller.annotations.text == "Yang denied it."
    assert spans_of(window.controller.annotations) == [(0, 4, "actor", "Yang")]
