"""The character under a point (clicks and tooltips), one answer for the document view and the review view: every
character of a text with CR LF and characters outside the BMP is found at its place, on lines after a paragraph with
room under its lines too, and a point in the room under a line (underlines, bands) is over that line (issue 17)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.span import Span
from annotator.ui.document.lane_layout import lane_room
from annotator.ui.review.review_view import ReviewView

TEXT = (
    "U.S. officials 𝔘 said on Monday that Beijing's diplomats warned, in private and in writing, that giving "
    "weapons to Moscow 😀 would carry a price for everyone, and the ministry's spokesperson quietly agreed.\r\n"
    "After 𝔘 the 😀 nested paragraph.\r\n"
    "Ned Price denied it."
)


def caret_rect(view, qt_position: int):
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt_position)
    return view.cursorRect(cursor)


def character_points(view, offsets) -> dict[int, QPoint]:
    """The middle of each character of the text (code point -> viewport point) that is not a line break nor the
    last one of a wrapped line, from the view's caret rectangles (not from the hit test's arithmetic)."""
    points = {}
    for cp, character in enumerate(TEXT):
        if character in "\r\n":
            continue
        here, after = caret_rect(view, offsets.to_qt(cp)), caret_rect(view, offsets.to_qt(cp + 1))
        if here.top() != after.top():  # wraps after it
            continue
        points[cp] = QPoint((here.left() + after.left()) // 2, here.center().y())
    return points


def below(view, offsets, cp: int) -> QPoint:
    """A point under the character ``cp``, below its line's glyph box (in the room under the line)."""
    here, after = caret_rect(view, offsets.to_qt(cp)), caret_rect(view, offsets.to_qt(cp + 1))
    return QPoint((here.left() + after.left()) // 2, here.top() + here.height() + 1)


@pytest.fixture
def document_view(window, tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    window.resize(900, 700)
    assert window.open_path(path)
    controller = window.controller
    assert controller.annotations.text == TEXT
    for start, end, label in [  # four levels in the first paragraph: its lines get room for four underlines
        (0, TEXT.index(" and the ministry"), "claim"),
        (TEXT.index("Beijing's"), TEXT.index(", and the ministry"), "warning"),
        (TEXT.index("giving weapons"), TEXT.index(", and the ministry"), "claim"),
        (TEXT.index("Moscow"), TEXT.index("Moscow") + len("Moscow"), "actor"),
        (TEXT.index("Ned Price"), TEXT.index("Ned Price") + len("Ned Price"), "actor"),
    ]:
        assert controller.add_span(start, end, label) is not None
    view = window.view
    view.viewport().repaint()
    assert view.room_under_line(view.document().firstBlock()) == lane_room(4)
    return view


@pytest.fixture
def review_view(qtbot):
    view = ReviewView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    gold = AnnotationSet(Document.from_text(TEXT), default_label_set(), "gold", [])
    start = TEXT.index("Moscow")
    alice = [Span(id="a1", start=start, end=start + len("Moscow"), label="actor", text="Moscow")]
    view.set_review({"alice": alice, "bob": []}, gold)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.mark.parametrize("name", ["document_view", "review_view"])
def test_every_character_is_found_under_its_middle_and_under_its_line(name, request):
    view = request.getfixturevalue(name)
    offsets = view.offsets
    points = character_points(view, offsets)
    after_the_room = [cp for cp in points if cp > TEXT.index("\r\n")]
    assert after_the_room and len(points) > len(TEXT) * 0.9  # (some lines wrap)
    found = {cp: view.char_at(point) for cp, point in points.items()}
    assert found == {cp: cp for cp in points}
    for cp in (TEXT.index("𝔘"), TEXT.index("Moscow"), TEXT.rindex("😀") + 1, TEXT.index("Price")):
        assert view.char_at(below(view, offsets, cp)) == cp  # the room under a line is the line's


@pytest.mark.parametrize("name", ["document_view", "review_view"])
def test_past_a_line_end_and_in_the_margin_there_is_no_character(name, request):
    view = request.getfixturevalue(name)
    offsets = view.offsets
    last = caret_rect(view, offsets.to_qt(TEXT.index("Ned")))
    assert view.char_at(QPoint(view.viewport().width() - 4, last.center().y())) is None
    assert view.char_at(QPoint(2, last.center().y())) is None  # the document margin
    assert view.char_at(QPoint(last.left() + 2, view.viewport().height() - 2)) is None  # below the text


def test_a_click_in_the_document_view_after_a_paragraph_with_room_selects_the_span_there(window, document_view, qtbot):
    offsets = document_view.offsets
    price = TEXT.index("Price")
    point = character_points(document_view, offsets)[price]
    qtbot.mouseClick(document_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    selected = window.controller.annotations.get(document_view.selected_span_id)
    assert (selected.start, selected.text) == (TEXT.index("Ned Price"), "Ned Price")
    window.editing.clear_span_selection()
    moscow = TEXT.index("Moscow")
    qtbot.mouseClick(document_view.viewport(), Qt.MouseButton.LeftButton, pos=below(document_view, offsets, moscow))
    assert window.controller.annotations.get(document_view.selected_span_id).text == "Moscow"  # on its underline
    hovered = document_view.spans_at_point(below(document_view, offsets, moscow))  # the tooltip over its underline
    assert [span.text for span in hovered][:1] == ["Moscow"] and len(hovered) == 4


def test_a_click_in_the_review_view_names_the_character_under_it(review_view, qtbot):
    offsets = review_view.offsets
    for cp in (TEXT.index("𝔘", 20), TEXT.index("denied")):
        with qtbot.waitSignal(review_view.clicked) as clicked:
            qtbot.mouseClick(
                review_view.viewport(), Qt.MouseButton.LeftButton, pos=character_points(review_view, offsets)[cp]
            )
        assert clicked.args == [cp]
    moscow = TEXT.index("Moscow")
    on_its_band = review_view.char_at(below(review_view, offsets, moscow))  # alice's bar under "Moscow"
    assert on_its_band == moscow and "alice: actor" in review_view.describe_at(on_its_band)
