"""The first paint of a page of lines never laid out: what Qt does per new line is done once per paint, and what is
painted is what it was (the scroll range, the underlines, the pixels)."""

from __future__ import annotations

PARAGRAPH = (
    "U.S. officials said on Monday that Beijing's diplomats warned, in private and in writing, that giving weapons "
    "to Moscow would carry a price for everyone, and the ministry's spokesperson quietly agreed with them all. 😀"
)


def open_long_text(window, tmp_path, paragraphs: int = 400):
    """A text of ``paragraphs`` paragraphs that each wrap to several lines, a span on each (every third paragraph
    ends in CR LF), shown in a 900 x 700 window."""
    text = "".join(PARAGRAPH + ("\r\n" if n % 3 == 2 else "\n") for n in range(paragraphs))
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8", newline="")
    window.resize(900, 700)
    assert window.open_path(path)
    controller = window.controller
    at = 0
    labels = ("actor", "claim", "warning", "denial")
    for n in range(paragraphs):
        start = text.index("Beijing's", at)
        assert controller.add_span(start, start + len("Beijing's diplomats"), labels[n % 4]) is not None
        at = text.index("\n", start) + 1
    return controller


def scroll_to(view, value: int) -> None:
    view.verticalScrollBar().setValue(value)
    view.viewport().repaint()


def test_a_page_of_new_lines_tells_its_size_change_once(window, tmp_path):
    """Each block Qt lays out for the first time changes the document's line count, and Qt says so at once: the
    view then walked its last page of blocks (each asked of the Python layout) once per new block. A scroll (Qt
    lays out the blocks between the old top and the new one) and a paint (the page's new blocks) each hold their
    size changes and tell them once, and the scroll range ends as Qt computes it."""
    open_long_text(window, tmp_path)
    view = window.view
    view.viewport().repaint()
    layout = view.document().documentLayout()
    told = []
    layout.documentSizeChanged.connect(told.append)
    bar = view.verticalScrollBar()
    middle = bar.maximum() // 2
    blocks_before = view.visible_blocks()
    scroll_to(view, middle)
    new_blocks = [block for block in view.visible_blocks() if block not in blocks_before]
    assert len(new_blocks) > 3  # a page of lines never laid out before
    assert 1 <= len(told) <= 2  # the scroll's, the paint's (13 before)
    assert told[-1] == layout.documentSize()
    maximum, value = bar.maximum(), bar.value()
    layout.documentSizeChanged.emit(layout.documentSize())  # Qt's own answer for the document as it is now
    assert (bar.maximum(), bar.value()) == (maximum, value)


def test_a_page_painted_for_the_first_time_looks_as_painted_again(window, tmp_path):
    """The first paint of a page (its lines laid out, formatted and given their room then) gives the pixels a
    repaint of the same page gives (every line placed, the caches warm)."""
    open_long_text(window, tmp_path)
    view = window.view
    target = view.verticalScrollBar().maximum() // 3  # in lines (the range grows as blocks are laid out)
    scroll_to(view, target)
    first = view.viewport().grab().toImage()
    scroll_to(view, 0)
    scroll_to(view, target)
    again = view.viewport().grab().toImage()
    assert first == again


def test_a_paint_walks_its_page_once_unless_it_formats_a_line(window, tmp_path, monkeypatch):
    """The paint walks its page (each block's rectangle asked of the Python layout) before Qt paints, to format and
    lay out new lines; it paints the underlines from that walk, and walks again only when it gave a line other
    formats (its lines dropped and laid out again by Qt's paint) or the view moved meanwhile."""
    controller = open_long_text(window, tmp_path, paragraphs=60)
    view = window.view
    view.viewport().repaint()
    walks = []
    walk = type(view).visible_geometry

    def counted(self):
        walks.append(1)
        return walk(self)

    monkeypatch.setattr(type(view), "visible_geometry", counted)
    view.viewport().repaint()
    assert len(walks) == 1
    text = controller.annotations.text
    start = text.index("officials")
    assert controller.add_span(start, start + len("officials"), "actor") is not None
    walks.clear()
    view.viewport().repaint()
    assert len(walks) == 2  # the line with the new span formatted again
    walks.clear()
    view.viewport().repaint()
    assert len(walks) == 1
