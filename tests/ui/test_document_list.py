"""The document list: status texts and colors, the current document in bold, row-by-row updates, filters, sorting,
activation by keyboard and mouse, next/previous document, and the project's progress bar and summary."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QComboBox, QHeaderView, QLabel, QLineEdit, QProgressBar, QTableView

from annotator.model.status import DocumentStatus
from annotator.project.status import DocumentEntry
from annotator.ui.main.document_list import (
    COLUMNS,
    DOCUMENT_COLUMN,
    DOCUMENT_ID_ROLE,
    SPANS_COLUMN,
    STATUS_COLUMN,
    DocumentListModel,
    DocumentListPanel,
)
from annotator.ui.plain_text import tooltip_html

NOT_STARTED, IN_PROGRESS, DONE, FLAGGED = (
    DocumentStatus.NOT_STARTED,
    DocumentStatus.IN_PROGRESS,
    DocumentStatus.DONE,
    DocumentStatus.FLAGGED,
)

ENTRIES = [
    DocumentEntry("news/doc2.txt", DONE, 12),
    DocumentEntry("news/doc10.txt", IN_PROGRESS, 3),
    DocumentEntry("Blog <b>post</b>.txt", NOT_STARTED, 0),
    DocumentEntry("letters/a.txt", FLAGGED, 100, fault="not a valid annotation file (Expecting value)"),
    DocumentEntry("letters/B.txt", IN_PROGRESS, 25),
]
IDS = [entry.id for entry in ENTRIES]


@pytest.fixture
def panel(qtbot) -> DocumentListPanel:
    model = DocumentListModel()
    model.set_entries(ENTRIES)
    widget = DocumentListPanel(model)
    qtbot.addWidget(widget)
    widget.resize(500, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_ids(panel: DocumentListPanel) -> list[str]:
    """Document ids of the visible rows, in the table's order."""
    proxy = panel.table.model()
    return [proxy.data(proxy.index(row, 0), DOCUMENT_ID_ROLE) for row in range(proxy.rowCount())]


def cell(model: DocumentListModel, document_id: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(model.row_of(document_id), column), role)


def proxy_index(panel: DocumentListPanel, document_id: str, column: int = 0) -> QModelIndex:
    model = panel.model
    return panel.table.model().mapFromSource(model.index(model.row_of(document_id), column))


def test_rows_show_status_document_and_span_count(panel):
    model = panel.model
    assert model.rowCount() == 5 and model.columnCount() == 4
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == list(COLUMNS)
    assert [model.data(model.index(row, STATUS_COLUMN)) for row in range(5)] == ["●", "◐", "○", "⚑", "◐"]
    assert [cell(model, id_, STATUS_COLUMN, Qt.ItemDataRole.ToolTipRole) for id_ in IDS[:2]] == [
        tooltip_html("Done"),
        tooltip_html("In progress"),
    ]
    assert [model.data(model.index(row, DOCUMENT_COLUMN)) for row in range(5)] == IDS
    assert [model.data(model.index(row, SPANS_COLUMN)) for row in range(5)] == [12, 3, 0, 100, 25]
    alignment = Qt.AlignmentFlag(cell(model, "news/doc2.txt", SPANS_COLUMN, Qt.ItemDataRole.TextAlignmentRole))
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert model.entries == ENTRIES and model.entry(3) == ENTRIES[3]
    assert model.row_of("letters/B.txt") == 4 and model.row_of("nope.txt") is None
    with pytest.raises(IndexError):
        model.entry(5)
    # The view shows the project order until a header is clicked.
    assert shown_ids(panel) == IDS


def test_entries_property_is_a_copy(panel):
    panel.model.entries.clear()
    assert panel.model.rowCount() == 5 and len(panel.model.entries) == 5


def test_duplicate_ids_are_refused_and_the_model_is_unchanged(qtbot):
    model = DocumentListModel()
    model.set_entries(ENTRIES)
    with pytest.raises(ValueError, match=r"letters/a\.txt"):
        model.set_entries([DocumentEntry("x.txt"), DocumentEntry("letters/a.txt"), DocumentEntry("letters/a.txt")])
    assert model.entries == ENTRIES


def test_tooltip_names_the_document_and_its_fault_as_plain_text(panel):
    model = panel.model
    tip = cell(model, "letters/a.txt", DOCUMENT_COLUMN, Qt.ItemDataRole.ToolTipRole)
    assert tip == "<qt>letters/a.txt<br>not a valid annotation file (Expecting value)</qt>"
    assert cell(model, "news/doc2.txt", DOCUMENT_COLUMN, Qt.ItemDataRole.ToolTipRole) == "<qt>news/doc2.txt</qt>"
    # Markup in a file name is shown literally, never interpreted.
    assert cell(model, "Blog <b>post</b>.txt", DOCUMENT_COLUMN, Qt.ItemDataRole.ToolTipRole) == (
        "<qt>Blog &lt;b&gt;post&lt;/b&gt;.txt</qt>"
    )
    assert cell(model, "Blog <b>post</b>.txt", DOCUMENT_COLUMN) == "Blog <b>post</b>.txt"


def test_flagged_rows_are_tinted_and_not_started_rows_muted(panel):
    model = panel.model
    flagged = cell(model, "letters/a.txt", STATUS_COLUMN, Qt.ItemDataRole.ForegroundRole)
    muted = cell(model, "Blog <b>post</b>.txt", STATUS_COLUMN, Qt.ItemDataRole.ForegroundRole)
    assert flagged is not None and muted is not None
    assert flagged.red() > flagged.green() > flagged.blue()  # an orange/vermilion hue
    assert muted.name() != flagged.name()
    assert cell(model, "news/doc2.txt", STATUS_COLUMN, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(model, "news/doc10.txt", STATUS_COLUMN, Qt.ItemDataRole.ForegroundRole) is None


def test_progress_bar_and_summary_follow_the_model(panel):
    bar = panel.findChild(QProgressBar, "projectProgress")
    summary = panel.findChild(QLabel, "projectSummary")
    assert bar is panel.progress and summary is panel.summary
    assert summary.textFormat() == Qt.TextFormat.PlainText
    assert (bar.minimum(), bar.maximum(), bar.value()) == (0, 5, 1)
    assert bar.text() == "1 / 5 done"
    assert summary.text().replace("\u00a0", " ") == "1 of 5 done · 2 in progress · 1 flagged · 1 not started"

    panel.model.update_entry(DocumentEntry("news/doc10.txt", DONE, 3))  # no explicit refresh_progress call
    assert (bar.maximum(), bar.value()) == (5, 2) and bar.text() == "2 / 5 done"
    assert summary.text().replace("\u00a0", " ") == "2 of 5 done · 1 in progress · 1 flagged · 1 not started"

    panel.model.set_entries([DocumentEntry("one.txt", DONE, 1), DocumentEntry("two.txt")])
    assert (bar.maximum(), bar.value()) == (2, 1)
    assert summary.text().replace("\u00a0", " ") == "1 of 2 done · 0 in progress · 0 flagged · 1 not started"


def test_an_empty_project_says_how_to_add_documents(qtbot, panel):
    empty = DocumentListPanel()
    qtbot.addWidget(empty)
    assert empty.model.rowCount() == 0
    assert empty.summary.text() == "No documents: add .txt, web page, Word or PDF files to the folder"
    assert empty.progress.value() == 0 and empty.progress.text() == "0 / 0 done"
    assert empty.progress.maximum() > empty.progress.minimum()  # not a busy indicator
    panel.model.set_entries([])
    assert panel.summary.text() == "No documents: add .txt, web page, Word or PDF files to the folder"
    assert panel.progress.text() == "0 / 0 done"


def test_update_entry_emits_data_changed_for_exactly_one_row(panel):
    model = panel.model
    changes: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(lambda tl, br, roles=None: changes.append((tl.row(), br.row(), tl.column(), br.column())))
    model.update_entry(DocumentEntry("letters/a.txt", IN_PROGRESS, 101))
    assert changes == [(3, 3, 0, len(COLUMNS) - 1)]
    assert cell(model, "letters/a.txt", STATUS_COLUMN) == "◐"
    assert cell(model, "letters/a.txt", SPANS_COLUMN) == 101
    assert model.entry(3).fault == ""
    model.update_entry(DocumentEntry("not/in/project.txt", DONE, 1))  # ignored
    model.update_entry(DocumentEntry("letters/a.txt", IN_PROGRESS, 101))  # nothing changed
    assert changes == [(3, 3, 0, len(COLUMNS) - 1)]
    assert model.rowCount() == 5


def test_set_current_makes_only_one_row_bold(panel):
    model = panel.model
    changes: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda tl, br, roles=None: changes.append((tl.row(), br.row())))

    def bold_rows() -> list[int]:
        font_role = Qt.ItemDataRole.FontRole
        return [
            row
            for row in range(model.rowCount())
            if all((font := model.data(model.index(row, c), font_role)) is not None and font.bold() for c in range(3))
        ]

    assert bold_rows() == []
    model.set_current("news/doc10.txt")
    assert bold_rows() == [1] and changes == [(1, 1)]
    model.set_current("letters/B.txt")
    assert bold_rows() == [4] and changes == [(1, 1), (1, 1), (4, 4)]
    assert model.current == "letters/B.txt"
    model.set_current(None)
    assert bold_rows() == [] and changes[-1] == (4, 4) and len(changes) == 4
    model.set_current("letters/B.txt")
    model.set_entries(list(reversed(ENTRIES)))  # the open document stays bold after a reset
    assert bold_rows() == [0]


def test_filter_by_text_ignores_case(panel, qtbot):
    edit = panel.findChild(QLineEdit, "documentFilter")
    assert edit is panel.filter and edit.placeholderText() == "Filter documents"
    qtbot.keyClicks(edit, "LETTERS/")
    assert shown_ids(panel) == ["letters/a.txt", "letters/B.txt"]
    edit.setText("b")
    assert shown_ids(panel) == ["Blog <b>post</b>.txt", "letters/B.txt"]
    edit.setText("<B>")
    assert shown_ids(panel) == ["Blog <b>post</b>.txt"]
    edit.setText("nothing like it")
    assert shown_ids(panel) == []
    edit.clear()
    assert shown_ids(panel) == IDS


def test_filter_by_status_and_text_together(panel):
    combo = panel.findChild(QComboBox, "statusFilter")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All",
        "Not started",
        "In progress",
        "Done",
        "Flagged",
        "Not done",
    ]
    combo.setCurrentIndex(combo.findText("Not done"))
    assert shown_ids(panel) == ["news/doc10.txt", "Blog <b>post</b>.txt", "letters/a.txt", "letters/B.txt"]
    combo.setCurrentIndex(combo.findText("In progress"))
    assert shown_ids(panel) == ["news/doc10.txt", "letters/B.txt"]
    combo.setCurrentIndex(combo.findText("Flagged"))
    assert shown_ids(panel) == ["letters/a.txt"]
    combo.setCurrentIndex(combo.findText("Done"))
    assert shown_ids(panel) == ["news/doc2.txt"]
    combo.setCurrentIndex(combo.findText("Not done"))
    panel.filter.setText("letters")
    assert shown_ids(panel) == ["letters/a.txt", "letters/B.txt"]
    panel.model.update_entry(DocumentEntry("letters/B.txt", DONE, 25))  # done now: leaves the "Not done" view
    assert shown_ids(panel) == ["letters/a.txt"]
    combo.setCurrentIndex(combo.findText("All"))
    assert shown_ids(panel) == ["letters/a.txt", "letters/B.txt"]


def test_sorting_by_status_and_by_span_count(panel):
    table = panel.table
    table.sortByColumn(STATUS_COLUMN, Qt.SortOrder.AscendingOrder)
    assert shown_ids(panel) == [
        "Blog <b>post</b>.txt",  # not started
        "news/doc10.txt",  # in progress (project order kept among equals)
        "letters/B.txt",
        "letters/a.txt",  # flagged
        "news/doc2.txt",  # done
    ]
    table.sortByColumn(SPANS_COLUMN, Qt.SortOrder.AscendingOrder)
    assert shown_ids(panel) == [
        "Blog <b>post</b>.txt",
        "news/doc10.txt",
        "news/doc2.txt",
        "letters/B.txt",
        "letters/a.txt",
    ]
    table.sortByColumn(SPANS_COLUMN, Qt.SortOrder.DescendingOrder)
    assert shown_ids(panel)[0] == "letters/a.txt"  # 100 > 25 > 12: numbers, not strings
    table.sortByColumn(DOCUMENT_COLUMN, Qt.SortOrder.AscendingOrder)
    assert shown_ids(panel) == IDS  # the project's (natural) order


def test_table_setup(panel):
    table = panel.findChild(QTableView, "documentTable")
    assert table is panel.table
    assert table.model() is panel.proxy and panel.proxy.sourceModel() is panel.model
    assert panel.proxy.parent() is panel  # QObject.parent() still works beside the model's parent(index)
    assert not panel.proxy.parent(panel.proxy.index(0, 0)).isValid()
    assert table.selectionBehavior() == QTableView.SelectionBehavior.SelectRows
    assert table.selectionMode() == QTableView.SelectionMode.SingleSelection
    assert table.isSortingEnabled() and not table.verticalHeader().isVisible()
    header = table.horizontalHeader()
    assert header.sectionResizeMode(DOCUMENT_COLUMN) == QHeaderView.ResizeMode.Stretch
    assert all(table.indexWidget(table.model().index(row, 0)) is None for row in range(5))


def test_status_and_spans_columns_fit_their_contents(panel):
    header = panel.table.horizontalHeader()
    bold = QFont(panel.table.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    assert header.sectionSize(STATUS_COLUMN) > metrics.horizontalAdvance("◐")
    heading = QFontMetrics(header.font())
    assert header.sectionSize(SPANS_COLUMN) > heading.horizontalAdvance("Spans")  # its header's word shows
    header_width = header.sectionSize(SPANS_COLUMN)
    panel.model.update_entry(DocumentEntry("news/doc2.txt", DONE, 123_456_789))  # wider than the header
    assert header.sectionSize(SPANS_COLUMN) > metrics.horizontalAdvance("123456789")
    panel.model.set_entries([DocumentEntry("x.txt", DONE, 7)])
    assert header.sectionSize(SPANS_COLUMN) == header_width  # back to the header's width
    narrow = header.sectionSize(STATUS_COLUMN)
    big = QFont(panel.table.font())
    big.setPointSize(big.pointSize() * 3)
    panel.table.setFont(big)  # a bigger font widens the columns again
    assert header.sectionSize(STATUS_COLUMN) > narrow


def test_the_selection_follows_its_document_through_sorting_and_filtering(panel):
    panel.select_document("letters/B.txt")
    panel.table.sortByColumn(SPANS_COLUMN, Qt.SortOrder.DescendingOrder)
    assert shown_ids(panel)[:2] == ["letters/a.txt", "letters/B.txt"]
    assert panel.selected_document_id() == "letters/B.txt"
    assert panel.table.currentIndex().row() == 1
    panel.model.update_entry(DocumentEntry("news/doc10.txt", IN_PROGRESS, 500))  # moves to the top
    assert shown_ids(panel)[:3] == ["news/doc10.txt", "letters/a.txt", "letters/B.txt"]
    assert panel.selected_document_id() == "letters/B.txt" and panel.table.currentIndex().row() == 2
    panel.filter.setText("news")  # the selected document is hidden: nothing selected
    assert shown_ids(panel) == ["news/doc10.txt", "news/doc2.txt"]
    assert panel.selected_document_id() is None
    panel.filter.clear()
    panel.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # back to project order
    assert shown_ids(panel) == IDS


def test_enter_and_return_activate_the_current_row(panel, qtbot):
    table = panel.table
    table.setFocus()
    table.setCurrentIndex(proxy_index(panel, "letters/a.txt"))
    with qtbot.waitSignal(panel.document_activated) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args == ["letters/a.txt"]
    table.sortByColumn(SPANS_COLUMN, Qt.SortOrder.AscendingOrder)  # through the proxy, whatever the order
    table.setCurrentIndex(proxy_index(panel, "news/doc10.txt", SPANS_COLUMN))
    with qtbot.waitSignal(panel.document_activated) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert blocker.args == ["news/doc10.txt"]


def test_enter_without_a_current_row_activates_nothing(qtbot, panel):
    panel.table.setCurrentIndex(QModelIndex())
    with qtbot.assertNotEmitted(panel.document_activated):
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)


def test_click_and_double_click_activate_once(panel, qtbot):
    table = panel.table
    activated: list[str] = []
    panel.document_activated.connect(activated.append)
    rect = table.visualRect(proxy_index(panel, "letters/B.txt", DOCUMENT_COLUMN))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated == ["letters/B.txt"]
    assert panel.selected_document_id() == "letters/B.txt"
    rect = table.visualRect(proxy_index(panel, "news/doc2.txt", STATUS_COLUMN))
    # A double click as the window system delivers it: a click, then a second press that is a double click.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated == ["letters/B.txt", "news/doc2.txt"]  # a double click opens the document once
    rect = table.visualRect(proxy_index(panel, "news/doc10.txt", SPANS_COLUMN))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.RightButton, pos=rect.center())
    assert activated == ["letters/B.txt", "news/doc2.txt"]  # only the left button chooses


def test_select_document_selects_without_activating(panel, qtbot):
    panel.table.sortByColumn(STATUS_COLUMN, Qt.SortOrder.DescendingOrder)
    with qtbot.assertNotEmitted(panel.document_activated):
        panel.select_document("letters/a.txt")
    assert panel.selected_document_id() == "letters/a.txt"
    assert panel.table.currentIndex().row() == proxy_index(panel, "letters/a.txt").row()
    panel.select_document("nope.txt")  # unknown: the selection stays
    assert panel.selected_document_id() == "letters/a.txt"
    panel.status_filter.setCurrentIndex(panel.status_filter.findText("Done"))
    panel.select_document("letters/B.txt")  # hidden by the filter: nothing selected
    assert panel.selected_document_id() is None
    panel.select_document("news/doc2.txt")
    assert panel.selected_document_id() == "news/doc2.txt"


def test_next_and_previous_document_in_project_order(panel):
    panel.table.sortByColumn(SPANS_COLUMN, Qt.SortOrder.DescendingOrder)  # the view's order plays no part
    panel.filter.setText("letters")
    nxt = panel.next_document_id
    assert nxt("news/doc2.txt", 1) == "news/doc10.txt"
    assert nxt("news/doc10.txt", 1) == "Blog <b>post</b>.txt"
    assert nxt("letters/a.txt", -1) == "Blog <b>post</b>.txt"
    assert nxt("letters/B.txt", 1) is None  # the end
    assert nxt("news/doc2.txt", -1) is None  # the start
    assert nxt(None, 1) == "news/doc2.txt" and nxt(None, -1) == "letters/B.txt"
    assert nxt("gone.txt", 1) == "news/doc2.txt"
    with pytest.raises(ValueError):
        nxt("news/doc2.txt", 0)


def test_next_not_done_skips_done_documents_and_wraps_around(panel):
    model = panel.model
    model.set_entries(
        [
            DocumentEntry("1.txt", DONE),
            DocumentEntry("2.txt", IN_PROGRESS),
            DocumentEntry("3.txt", DONE),
            DocumentEntry("4.txt", FLAGGED),
            DocumentEntry("5.txt", DONE),
        ]
    )
    nxt = panel.next_document_id
    assert nxt("2.txt", 1, not_done=True) == "4.txt"
    assert nxt("4.txt", 1, not_done=True) == "2.txt"  # wraps past the end
    assert nxt("2.txt", -1, not_done=True) == "4.txt"  # wraps past the start
    assert nxt("5.txt", 1, not_done=True) == "2.txt"
    assert nxt("1.txt", -1, not_done=True) == "4.txt"
    assert nxt(None, 1, not_done=True) == "2.txt" and nxt(None, -1, not_done=True) == "4.txt"
    model.update_entry(DocumentEntry("4.txt", DONE))
    assert nxt("2.txt", 1, not_done=True) is None  # only the current one is not done
    assert nxt("3.txt", 1, not_done=True) == "2.txt"
    model.update_entry(DocumentEntry("2.txt", DONE))
    assert nxt("3.txt", 1, not_done=True) is None and nxt(None, -1, not_done=True) is None
    model.set_entries([])
    assert nxt(None, 1) is None and nxt(None, 1, not_done=True) is None


def test_ten_thousand_documents_are_listed_counted_filtered_and_stepped(panel, qtbot):
    # how fast is measured by benchmarks/session_costs.py, not here (no test depends on the machine's speed)
    statuses = [NOT_STARTED, IN_PROGRESS, DONE, FLAGGED]
    entries = [DocumentEntry(f"batch{i // 1000}/doc{i}.txt", statuses[i % 4], i % 50) for i in range(10_000)]
    panel.model.set_entries(entries)
    qtbot.wait(1)  # let the view lay out and paint once
    panel.select_document("batch9/doc9999.txt")
    assert panel.model.rowCount() == 10_000 and panel.table.model().rowCount() == 10_000
    assert panel.progress.maximum() == 10_000 and panel.progress.value() == 2_500
    assert panel.selected_document_id() == "batch9/doc9999.txt"
    panel.model.update_entry(DocumentEntry("batch5/doc5000.txt", DONE, 1))
    panel.status_filter.setCurrentIndex(panel.status_filter.findText("Not done"))
    assert panel.table.model().rowCount() == 7_499
    assert panel.next_document_id("batch9/doc9998.txt", 1, not_done=True) == "batch9/doc9999.txt"


def test_the_type_column_names_each_documents_source_and_sorts_by_it(panel):
    from annotator.ui.main.document_list import TYPE_COLUMN

    entries = [
        DocumentEntry("news/a.pdf", NOT_STARTED, 0),
        DocumentEntry("news/b.txt", NOT_STARTED, 0),
        DocumentEntry("news/c.HTML", NOT_STARTED, 0),
        DocumentEntry("news/d.docx", NOT_STARTED, 0),
        DocumentEntry("news/e.htm", NOT_STARTED, 0),
    ]
    panel.model.set_entries(entries)
    assert COLUMNS[TYPE_COLUMN] == "Type"
    types = [cell(panel.model, entry.id, TYPE_COLUMN) for entry in entries]
    assert types == ["PDF", "text", "web", "Word", "web"]
    tips = [cell(panel.model, entry.id, TYPE_COLUMN, Qt.ItemDataRole.ToolTipRole) for entry in entries]
    assert tips == [tooltip_html(name) for name in ["PDF", "text", "web page", "Word", "web page"]]
    panel.table.sortByColumn(TYPE_COLUMN, Qt.SortOrder.AscendingOrder)
    assert shown_ids(panel) == ["news/b.txt", "news/c.HTML", "news/e.htm", "news/d.docx", "news/a.pdf"]


NAMES = [
    "news/2022-03-15-rome-talks-ledger.html",
    "news/sullivan-yang-statement.docx",
    "news/ministry-bulletin-march.pdf",
    "000_3048e0f710b42604.txt",
]
SHOWN_CHARACTERS = 12
"""The least characters of a typical document name the Documents panel shows at its default width (before: none)."""


def test_at_the_default_window_size_the_document_name_gets_the_room_and_nothing_scrolls_sideways(
    window, qtbot, tmp_path
):
    folder = tmp_path / "Rome talks"
    (folder / "news").mkdir(parents=True)
    for name in NAMES:
        (folder / name).write_bytes(b"")  # the list reads no file: names are enough
    window.resize(1400, 900)
    assert window.projects.open_project(folder)
    qtbot.waitUntil(lambda: window.documents_dock.isVisible() and window.documents_dock.width() < 300)
    qtbot.wait(50)  # the dock's default width is set after the layout settles
    table = window.documents.table
    header = table.horizontalHeader()
    assert not table.horizontalScrollBar().isVisible()
    assert sum(header.sectionSize(column) for column in range(len(COLUMNS))) <= table.viewport().width()
    bold = QFont(table.font())
    bold.setBold(True)  # the open document's row
    margins = 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    room = header.sectionSize(DOCUMENT_COLUMN) - margins
    for name in NAMES:
        elided = QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideMiddle, room)
        assert len(elided.replace("…", "")) >= SHOWN_CHARACTERS, elided
        assert elided.endswith(name[-4:])  # elided in the middle: the suffix shows
    proxy = table.model()
    assert proxy.data(proxy.index(0, DOCUMENT_COLUMN), Qt.ItemDataRole.ToolTipRole)  # the whole name


def test_the_counts_line_wraps_between_phrases_only(panel):
    text = panel.summary.text()
    assert text == "1\u00a0of\u00a05\u00a0done · 2\u00a0in\u00a0progress · 1\u00a0flagged · 1\u00a0not\u00a0started"
    assert text.replace("\u00a0", " ") == panel.model.progress().summary()
