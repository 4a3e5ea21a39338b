"""Regressions found in review: Qt's own block rules, stale selections, multi-row delete, a PySide6 refcount leak."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from annotator.io.settings import Settings
from annotator.model.offsets import OffsetMap
from tests.conftest import qt_position
from tests.ui.conftest import select_qt

_alphabet = st.sampled_from(["a", "\r", "\n", "\r\n", "\u2028", "\u2029", "\ufdd0", "\ufdd1", "😀", "\xa0", "é"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_alphabet, max_size=40).map("".join))
def test_offset_map_blocks_agree_with_a_real_qt_document(qapp, text):
    document = QTextDocument()
    document.setPlainText(text)
    offsets = OffsetMap(text)
    assert offsets.qt_length == document.characterCount() - 1
    assert offsets.block_count == document.blockCount()
    for number in range(document.blockCount()):
        block = document.findBlockByNumber(number)
        start, end = offsets.block_range(number)
        assert offsets.to_qt(start) == block.position()
        assert offsets.to_qt(end) - offsets.to_qt(start) == block.length() - 1


def test_opening_another_document_while_text_is_selected(window, tmp_path):
    long_path, short_path = tmp_path / "long.txt", tmp_path / "short.txt"
    long_path.write_text("Sullivan warned Beijing. " * 40, encoding="utf-8")
    short_path.write_text("Yang.", encoding="utf-8")
    window.open_path(long_path)
    select_qt(window.view, 900, 990)
    assert window.open_path(short_path)
    assert window.view.selected_range() is None or window.view.selected_range()[1] <= 5


def test_deleting_several_rows_of_the_span_list(window, qtbot, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Sullivan warned Beijing and Yang denied it.", encoding="utf-8")
    window.open_path(path)
    for start, end, key in [
        (0, 8, Qt.Key.Key_1),
        (16, 23, Qt.Key.Key_1),
        (28, 32, Qt.Key.Key_1),
        (33, 42, Qt.Key.Key_4),
    ]:
        select_qt(window.view, start, end)
        qtbot.keyClick(window.view, key)
    window.span_table.setFocus()
    window.span_table.selectAll()
    qtbot.keyClick(window.span_table, Qt.Key.Key_Delete)
    assert len(window.controller.annotations) == 0
    assert window.span_model.rowCount() == 0
    assert window.actions_by_id["edit.undo"].text() == "&Undo Delete 4 spans"
    window.actions_by_id["edit.undo"].trigger()
    assert window.span_model.rowCount() == 4


def test_corrupt_window_geometry_in_settings_does_not_stop_start_up(qtbot, make_window):
    window = make_window("tester", Settings(window_geometry="é not base64"))
    assert window.width() > 0


def test_spans_paint_where_their_text_is_after_crlf_and_emoji(window, tmp_path):
    text = "😀😀 a\r\nb\r\nSullivan warned."
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("utf-8"))
    window.open_path(path)
    start = text.index("Sullivan")
    window.view.select_range(start, start + 8)
    window.editing.apply_label("actor")
    window.editing.clear_span_selection()
    window.view.clear_text_selection()
    window.repaint()
    image = window.view.viewport().grab().toImage()
    cursor = window.view.textCursor()
    color = window.controller.annotations.label_set.get("actor").color
    for cp, expected in [(start + 3, True), (start + 12, False)]:
        cursor.setPosition(qt_position(text, cp))
        rect = window.view.cursorRect(cursor)
        below = int(rect.bottom() + window.view.room_under_line(cursor.block())) + 1  # the underline's room
        column = {image.pixelColor(rect.center().x() + 3, y).name() for y in range(rect.top(), below)}
        assert (color in column) is expected


def test_none_reference_count_stays_stable(window, qtbot, tmp_path):
    """PySide6 6.12.0 leaked a reference to None per void call and aborted the app after a few hundred repaints."""
    path = tmp_path / "a.txt"
    path.write_text("Sullivan warned Beijing. " * 20, encoding="utf-8")
    window.open_path(path)
    select_qt(window.view, 0, 8)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    before = sys.getrefcount(None)
    for _ in range(200):
        window.view.viewport().repaint()
        window.view.select_range(0, 8)
    assert sys.getrefcount(None) - before < 100
