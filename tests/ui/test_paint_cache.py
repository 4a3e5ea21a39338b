"""The document view's per-block paint caches (underline lanes and suggestion outlines): after each change the
painted (cached) geometry equals a freshly computed layout, and a repaint with nothing changed reuses it."""

from __future__ import annotations

from PySide6.QtGui import QFont

from annotator.model.pending import PendingSuggestion

TEXT = (
    "U.S. officials said on Monday that Beijing's diplomats warned, in private and in writing, that giving "
    "weapons to Moscow would carry a price for everyone, and the ministry's spokesperson quietly agreed.\n"
    "Plain paragraph without any span, gjpqy descenders here to check the spacing of lines.\n"
    "State Department spokesman Ned Price denied the reports."
)


def open_text(window, tmp_path, text=TEXT, name="article.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    window.resize(900, 700)
    assert window.open_path(path)
    return window.controller


def as_tuples(rects):
    return [(round(r.x(), 3), round(r.y(), 3), round(r.width(), 3), round(r.height(), 3)) for r in rects]


def assert_lanes_fresh(window):
    """Every span's painted underlines (from the cache, as the last paint left it) equal a fresh computation."""
    view = window.view
    view.viewport().repaint()
    spans = list(window.controller.annotations)
    painted = {span.id: as_tuples(view.underline_rects(span)) for span in spans}
    fresh = {span.id: as_tuples(view.underline_rects(span, cached=False)) for span in spans}
    assert painted == fresh
    return painted


def add_spans(controller):
    text = TEXT
    spans = [
        controller.add_span(0, text.index(" and the ministry"), "claim"),
        controller.add_span(text.index("Beijing's"), text.index(", and the ministry"), "warning"),
        controller.add_span(text.index("Moscow"), text.index("Moscow") + len("Moscow"), "actor"),
        controller.add_span(text.index("Ned Price"), text.index("Ned Price") + len("Ned Price"), "actor"),
    ]
    assert all(span is not None for span in spans)
    return spans


def test_a_repaint_with_nothing_changed_reuses_the_lanes(window, qtbot, tmp_path):
    controller = open_text(window, tmp_path)
    add_spans(controller)
    view = window.view
    view.viewport().repaint()
    block = view.document().findBlockByNumber(0)
    geometry = view.blockBoundingGeometry(block).translated(view.contentOffset())
    kept = view.lane_rects(block, geometry)
    view.viewport().repaint()
    assert view.lane_rects(block, geometry) is kept
    assert sum(len(rects) for rects in kept.values()) >= 3


def test_lanes_follow_adding_deleting_and_undoing_spans(window, qtbot, tmp_path):
    controller = open_text(window, tmp_path)
    assert_lanes_fresh(window)
    add_spans(controller)
    first = assert_lanes_fresh(window)
    inner = controller.add_span(TEXT.index("diplomats"), TEXT.index("diplomats") + len("diplomats"), "actor")
    nested = assert_lanes_fresh(window)
    assert nested[inner.id] and inner.id not in first
    controller.remove_spans([inner.id])
    assert assert_lanes_fresh(window) == first
    controller.undo_stack.undo()  # the delete undone: the inner span is back
    assert assert_lanes_fresh(window) == nested
    controller.undo_stack.undo()
    assert assert_lanes_fresh(window) == first


def test_lanes_follow_a_resize_and_another_font(window, qtbot, tmp_path):
    controller = open_text(window, tmp_path)
    add_spans(controller)
    wide = assert_lanes_fresh(window)
    window.resize(500, 700)
    qtbot.wait(1)
    narrow = assert_lanes_fresh(window)
    assert narrow != wide
    font = QFont(window.view.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    window.view.setFont(font)
    assert assert_lanes_fresh(window) != narrow


def test_lanes_follow_another_document(window, qtbot, tmp_path):
    controller = open_text(window, tmp_path)
    add_spans(controller)
    assert_lanes_fresh(window)
    other = "Ned Price denied the reports.\n" + TEXT
    controller = open_text(window, tmp_path, other, "other.txt")
    span = controller.add_span(0, len("Ned Price"), "actor")
    assert span is not None
    painted = assert_lanes_fresh(window)
    assert painted[span.id]


def suggestion(sid, start, end, label="actor"):
    return PendingSuggestion(
        id=sid, start=start, end=end, label=label, text=TEXT[start:end], score=0.9, suggester="test"
    )


def assert_outlines_fresh(view):
    view.viewport().repaint()
    document = view.document()
    for number in range(document.blockCount()):
        block = document.findBlockByNumber(number)
        geometry = view.blockBoundingGeometry(block).translated(view.contentOffset())
        painted = {
            k: (as_tuples(h), as_tuples(v)) for k, (h, v) in view.block_suggestion_edges(block, geometry).items()
        }
        fresh = view.block_suggestion_edges(block, geometry, cached=False)
        assert painted == {k: (as_tuples(h), as_tuples(v)) for k, (h, v) in fresh.items()}


def test_suggestion_outlines_follow_the_shown_and_the_selected_suggestions(window, qtbot, tmp_path):
    open_text(window, tmp_path)
    view = window.view
    moscow = TEXT.index("Moscow")
    price = TEXT.index("Ned Price")
    one = suggestion("g1", moscow, moscow + len("Moscow"))
    two = suggestion("g2", price, price + len("Ned Price"), "claim")
    view.set_suggestions([one])
    assert_outlines_fresh(view)
    view.set_suggestions([one, two])
    assert_outlines_fresh(view)
    block = view.document().findBlock(price)
    geometry = view.blockBoundingGeometry(block).translated(view.contentOffset())
    before = as_tuples(view.block_suggestion_edges(block, geometry)["claim"][0])
    view.set_selected_suggestion(two)  # a thicker pen
    assert_outlines_fresh(view)
    assert as_tuples(view.block_suggestion_edges(block, geometry)["claim"][0]) != before
    view.set_suggestions([one])
    assert_outlines_fresh(view)
    assert "claim" not in view.block_suggestion_edges(block, geometry)


def test_a_block_painted_the_first_time_gets_its_formats_before_it_is_laid_out(window, qtbot, tmp_path, monkeypatch):
    """Formats set on a laid-out block drop its lines (Qt lays it out again): a block laid out for the first time
    by a paint is given its spans' tints by the layout's hook, before its only layout."""
    from annotator.ui.document.span_highlighter import SpanHighlighter

    paragraphs = [f"Paragraph {n}: the ministry's spokesperson said Moscow would answer." for n in range(300)]
    text = "\n".join(paragraphs)
    controller = open_text(window, tmp_path, text)
    view = window.view
    view.viewport().repaint()
    start = text.index("Paragraph 250:")
    word = start + len("Paragraph 250: the ")
    span = controller.add_span(word, word + len("ministry's"), "actor")
    assert span is not None
    block = view.document().findBlockByNumber(250)
    assert block.layout().lineCount() == 0  # never laid out: far below the first screen
    formatted: list[tuple[int, int]] = []  # (block number, its lines when given formats)
    original = SpanHighlighter.format_blocks

    def recording(self, blocks):
        blocks = list(blocks)
        for each in blocks:
            if not self.is_current(each.blockNumber()) and self.block_formats(each.blockNumber()):
                formatted.append((each.blockNumber(), each.layout().lineCount()))
        original(self, blocks)

    monkeypatch.setattr(SpanHighlighter, "format_blocks", recording)
    view.verticalScrollBar().setValue(block.firstLineNumber() - 3)  # as a reader scrolls down to it
    view.viewport().repaint()
    assert (250, 0) in formatted
    assert all(lines == 0 for number, lines in formatted if number == 250)
    assert block.layout().formats()  # tinted
    assert view.underline_rects(span)


def test_a_suggestion_that_comes_goes_or_is_selected_recuts_only_its_own_outline(window, qtbot, tmp_path, monkeypatch):
    from annotator.ui.document.document_view import DocumentView

    open_text(window, tmp_path)
    view = window.view
    words = ["U.S.", "officials", "Beijing's", "diplomats", "weapons", "Moscow", "price", "everyone"]
    shown = [suggestion(f"g{i}", TEXT.index(w), TEXT.index(w) + len(w)) for i, w in enumerate(words)]
    view.set_suggestions(shown)
    assert_outlines_fresh(view)
    cut: list[str] = []
    original = DocumentView._edges_in_block

    def counting(self, item, *args, **kwargs):
        cut.append(item.id)
        return original(self, item, *args, **kwargs)

    monkeypatch.setattr(DocumentView, "_edges_in_block", counting)
    spokesperson = TEXT.index("spokesperson")
    new = suggestion("n1", spokesperson, spokesperson + len("spokesperson"), "claim")
    view.set_suggestions([*shown, new])
    view.viewport().repaint()
    assert cut == ["n1"]  # the paragraph's eight other outlines are kept
    cut.clear()
    view.set_selected_suggestion(shown[3])  # a thicker pen: its outline only
    view.viewport().repaint()
    assert cut == ["g3"]
    cut.clear()
    view.set_suggestions(shown[:5] + shown[6:] + [new])  # "Moscow" goes: nothing to cut
    view.viewport().repaint()
    assert cut == []
    monkeypatch.undo()
    assert_outlines_fresh(view)
    block = view.document().findBlock(0)
    geometry = view.blockBoundingGeometry(block).translated(view.contentOffset())
    assert len(view.block_suggestion_edges(block, geometry)["actor"][0]) >= 14  # seven outlines' top and bottom


def test_lanes_read_line_by_line_once_equal_the_rule_per_span(window, qtbot, tmp_path):
    """A block's underlines, made with its lines and its spans' ends' x read once, are where :func:`line_rects` puts
    each span's line boxes, in its lane (spans wrapping over lines, nested, sharing ends)."""
    from PySide6.QtCore import QRectF

    from annotator.ui.document.document_view import line_rects
    from annotator.ui.document.lane_layout import LANE_HEIGHT, lane_top

    controller = open_text(window, tmp_path)
    add_spans(controller)
    window.resize(420, 700)  # the first paragraph wraps: its long spans cross lines
    qtbot.wait(1)
    diplomats = TEXT.index("diplomats")
    controller.add_span(diplomats, diplomats + len("diplomats"), "actor")
    controller.add_span(TEXT.index("Beijing's"), diplomats + len("diplomats"), "denial")  # shares an end
    view = window.view
    view.viewport().repaint()
    offsets = view.offsets
    for number in range(view.document().blockCount()):
        block = view.document().findBlockByNumber(number)
        geometry = view.blockBoundingGeometry(block).translated(view.contentOffset())
        got = view.lane_rects(block, geometry, cached=False)
        low, high = offsets.block_range(number)
        lanes = view.block_lanes(number)
        expected: dict[str, list] = {}
        for span in view._index.spans_in_block(number):
            start, end = max(span.start, low), min(span.end, high)
            qs, qe = offsets.to_qt(start) - block.position(), offsets.to_qt(end) - block.position()
            origin = QRectF(0.0, 0.0, geometry.width(), geometry.height())
            for rect in line_rects(block, origin, qs, qe):
                top = lane_top(rect.bottom(), lanes.get(span.id, 0))
                expected.setdefault(span.label, []).append(
                    (as_tuples([QRectF(rect.left(), top, rect.width(), LANE_HEIGHT)]), rect.bottom(), span.id)
                )
        assert {k: [(as_tuples([r]), b, i) for r, b, i in v] for k, v in got.items()} == expected
    first = view.document().findBlockByNumber(0)
    assert first.layout().lineCount() > 2
    assert (
        len(
            {
                bottom
                for rects in view.lane_rects(first, view.blockBoundingGeometry(first)).values()
                for _r, bottom, _i in rects
            }
        )
        > 1
    )
