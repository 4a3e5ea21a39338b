"""Underlines and link names in room under the lines: geometry against the glyph rectangles Qt lays out.

Each test asks the view where it draws (:meth:`DocumentView.underline_rects`, :meth:`DocumentView.link_drawings`)
and compares with the rectangles of the glyphs ``QTextLayout`` reports for every visible line, not with pixels.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF

from annotator.ui.document.lane_layout import LANE_HEIGHT, lane_room

TEXT = (
    "U.S. officials said on Monday that Beijing's diplomats warned, in private and in writing, that giving "
    "weapons to Moscow would carry a price for everyone, and the ministry's spokesperson quietly agreed.\n"
    "Plain paragraph without any span, gjpqy descenders here to check the spacing of lines.\n"
    "State Department spokesman Ned Price denied the reports."
)


def glyph_rects(view) -> list[QRectF]:
    """Viewport rectangles of every glyph run on the visible lines (ink, as Qt's font engine reports it)."""
    rects = []
    for block in view.visible_blocks():
        origin = view.blockBoundingGeometry(block).translated(view.contentOffset()).topLeft()
        layout = block.layout()
        for number in range(layout.lineCount()):
            for run in layout.lineAt(number).glyphRuns():
                bounds = run.boundingRect()
                if bounds.width() > 0 and bounds.height() > 0:
                    rects.append(bounds.translated(origin))
    return rects


def strictly_overlaps(a: QRectF, b: QRectF) -> bool:
    inner = a.intersected(b)
    return inner.width() > 0.01 and inner.height() > 0.01


def open_text(window, tmp_path, text=TEXT):
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    window.resize(900, 700)
    assert window.open_path(path)
    return window.controller


def nested(controller, text):
    """Four levels on the first paragraph (claim > warning > claim > actor, the nesting the guidelines ask for,
    with a claim inside a claim: same label as its parent) and one actor elsewhere."""
    start = text.index("Moscow")
    warning_start = text.index("Beijing's")
    spans = [
        controller.add_span(0, text.index(" and the ministry"), "claim"),
        controller.add_span(warning_start, text.index(", and the ministry"), "warning"),
        controller.add_span(text.index("giving weapons"), text.index(", and the ministry"), "claim"),
        controller.add_span(start, start + len("Moscow"), "actor"),
        controller.add_span(text.index("Ned Price"), text.index("Ned Price") + len("Ned Price"), "actor"),
    ]
    assert all(span is not None for span in spans)
    return spans


def test_nested_underlines_never_touch_a_glyph_and_each_keeps_its_own_lane(window, qtbot, tmp_path):
    controller = open_text(window, tmp_path)
    spans = nested(controller, TEXT)
    view = window.view
    view.viewport().repaint()
    glyphs = glyph_rects(view)
    assert glyphs
    drawn = {span.id: view.underline_rects(span) for span in spans}
    for span in spans:
        assert drawn[span.id], f"{span.label} {span.text!r} has no underline"
        for rect in drawn[span.id]:
            assert rect.height() == LANE_HEIGHT
            assert not any(strictly_overlaps(rect, glyph) for glyph in glyphs), f"{span.text!r} crosses a glyph"
    for a in spans:  # spans that share characters never share an underline: the nested claim in a claim shows
        for b in spans:
            if a.id < b.id and a.start < b.end and b.start < a.end:
                assert not any(strictly_overlaps(x, y) for x in drawn[a.id] for y in drawn[b.id])


def test_a_paragraph_is_as_much_taller_as_its_nesting_needs(window, qtbot, tmp_path):
    controller = open_text(window, tmp_path)
    view = window.view
    document = view.document()
    first, plain = document.findBlockByNumber(0), document.findBlockByNumber(1)
    assert view.room_under_line(first) == view.room_under_line(plain) == lane_room(1)  # room for one underline
    line_height = first.layout().lineAt(0).height()
    nested(controller, TEXT)
    view.viewport().repaint()
    assert view.room_under_line(first) == lane_room(4)
    assert view.room_under_line(plain) == lane_room(1)
    layout = first.layout()
    steps = [layout.lineAt(i + 1).y() - layout.lineAt(i).y() for i in range(layout.lineCount() - 1)]
    assert steps and all(abs(step - (line_height + lane_room(4))) < 0.5 for step in steps)  # even, within it
    height = view.blockBoundingRect(first).height()
    assert abs(height - layout.lineCount() * (line_height + lane_room(4))) < 1.0
    controller.undo_stack.undo()  # the actor out: three levels
    controller.undo_stack.undo()
    view.viewport().repaint()
    assert view.room_under_line(first) == lane_room(3)


def test_labeling_a_first_span_in_a_paragraph_moves_nothing(window, qtbot, tmp_path):
    controller = open_text(window, tmp_path)
    view = window.view
    view.viewport().repaint()
    plain = view.document().findBlockByNumber(1)
    before = view.blockBoundingGeometry(plain).translated(view.contentOffset()).top()
    controller.add_span(0, 4, "actor")
    view.viewport().repaint()
    assert view.blockBoundingGeometry(plain).translated(view.contentOffset()).top() == before


def select_with_links(window, controller, text):
    """A denial on the last paragraph linked to its actor (same line) and a claim on the first paragraph linked to
    an actor on the last one; returns (denial, claim)."""
    price = controller.add_span(text.index("Ned Price"), text.index("Ned Price") + len("Ned Price"), "actor")
    denial = controller.add_span(text.index("denied the reports"), len(text) - 1, "denial")
    claim = controller.add_span(text.index("giving weapons"), text.index(", and the ministry"), "claim")
    officials = controller.add_span(0, len("U.S. officials"), "actor")
    controller.add_relation("source", denial.id, price.id)
    controller.add_relation("source", claim.id, officials.id)
    controller.add_relation("source", claim.id, price.id)  # a second link from one statement, to another line
    return denial, claim


def test_link_paths_and_names_run_between_lines_never_over_glyphs(window, qtbot, tmp_path):
    controller = open_text(window, tmp_path)
    denial, claim = select_with_links(window, controller, TEXT)
    view = window.view
    for statement, links in ((denial, 1), (claim, 2)):
        window.editing.select_span(statement.id)
        view.viewport().repaint()
        drawings = view.link_drawings()
        assert len(drawings) == links
        glyphs = glyph_rects(view)
        for drawing in drawings:
            assert drawing.path is not None and drawing.tip is not None
            assert not any(strictly_overlaps(drawing.name_rect, glyph) for glyph in glyphs), "a name covers text"
            for step in range(201):
                point = drawing.path.pointAtPercent(step / 200)
                assert not any(glyph.adjusted(0.5, 0.5, -0.5, -0.5).contains(point) for glyph in glyphs), (
                    f"the path of {drawing.mark.relation_type} crosses text at {point}"
                )
        names = [d.name_rect for d in drawings]
        assert all(not strictly_overlaps(a, b) for i, a in enumerate(names) for b in names[i + 1 :])


def test_the_line_that_was_clicked_does_not_move_when_its_links_show(window, qtbot, tmp_path):
    controller = open_text(window, tmp_path)
    denial, _claim = select_with_links(window, controller, TEXT)
    view = window.view
    view.viewport().repaint()
    rect_before = view.range_rects(denial.start, denial.end)[0]
    window.editing.select_span(denial.id)
    view.viewport().repaint()
    assert view.link_drawings()
    assert view.range_rects(denial.start, denial.end)[0].top() == rect_before.top()  # room goes under the line
    window.editing.select_span(None)
    view.viewport().repaint()
    assert view.range_rects(denial.start, denial.end)[0] == rect_before  # and goes away with the links


def long_text(paragraphs: int = 300) -> str:
    return "\n".join(
        f"Paragraph {n}: officials in Beijing said the talks with U.S. envoys went well, and the ministry agreed."
        for n in range(paragraphs)
    )


def nest_deep(controller, text: str, paragraph: int, levels: int = 5) -> None:
    start = text.index(f"Paragraph {paragraph}:")
    end = text.index("\n", start) if paragraph < text.count("\n") else len(text)
    for level in range(levels):
        assert controller.add_span(start + level * 3, end - level * 3, ("claim", "warning")[level % 2]) is not None


def test_the_end_of_the_document_can_be_scrolled_into_view_after_room_grows(window, qtbot, tmp_path):
    text = long_text()
    controller = open_text(window, tmp_path, text)
    view = window.view
    for paragraph in range(290, 300):
        nest_deep(controller, text, paragraph)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    view.viewport().repaint()
    bar.setValue(bar.maximum())  # the range grew with the room: scroll on to the end
    view.viewport().repaint()
    last = view.document().lastBlock()
    assert view.blockBoundingGeometry(last).translated(view.contentOffset()).bottom() <= view.viewport().height() + 1


def test_arrow_keys_keep_the_caret_in_view_with_rows_and_nesting(window, qtbot, tmp_path):
    from PySide6.QtCore import Qt

    text = long_text(80)
    controller = open_text(window, tmp_path, text)
    view = window.view
    for paragraph in range(0, 80, 3):
        nest_deep(controller, text, paragraph, 4)
    statement = controller.add_span(text.index("Paragraph 40:"), text.index("Paragraph 40:") + 9, "claim")
    for paragraph in (41, 44, 47, 50):
        start = text.index("Beijing", text.index(f"Paragraph {paragraph}:"))
        actor = controller.add_span(start, start + 7, "actor")
        controller.add_relation("source", statement.id, actor.id)
    window.editing.select_span(statement.id)
    view.setFocus()
    view.moveCursor(view.textCursor().MoveOperation.Start)
    height = view.viewport().height()
    for step in range(120):
        qtbot.keyClick(view, Qt.Key.Key_Down)
        rect = view.cursorRect()
        assert rect.top() >= 0 and rect.bottom() <= height, f"step {step}: the caret at {rect} is out of view"
    for _ in range(6):
        qtbot.keyClick(view, Qt.Key.Key_PageUp)
        rect = view.cursorRect()
        assert rect.top() >= 0 and rect.bottom() <= height


def test_link_rows_follow_the_lines_after_a_resize_and_spacing_stays_even(window, qtbot, tmp_path):
    controller = open_text(window, tmp_path)
    _denial, claim = select_with_links(window, controller, TEXT)
    view = window.view
    window.editing.select_span(claim.id)
    for width in (900, 700, 620, 560, 536, 512, 488, 860):
        window.resize(width, 700)
        qtbot.wait(5)
        view.viewport().repaint()
        glyphs = glyph_rects(view)
        for drawing in view.link_drawings():
            assert drawing.name_rect is not None
            assert not any(strictly_overlaps(drawing.name_rect, glyph) for glyph in glyphs), f"at {width} px"
        for block in view.visible_blocks():  # every line placed, whatever Qt's new line breaks
            layout = block.layout()
            for number in range(layout.lineCount() - 1):
                line = layout.lineAt(number)
                gap = layout.lineAt(number + 1).y() - line.y() - line.height()
                assert gap >= view.room_under_line(block) - 0.01, f"at {width} px, line {number}"
