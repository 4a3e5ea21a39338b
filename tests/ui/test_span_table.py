"""The span list: note and uncertain columns, filters (label, text or note, uncertain only), the count, and filtering
that keeps up with row-by-row changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.document import Document
from annotator.model.labels import Label, LabelSet
from annotator.model.span import Span
from annotator.ui.document.span_table import (
    COLUMNS,
    NOTE_COLUMN,
    SPAN_ID_ROLE,
    START_COLUMN,
    TEXT_COLUMN,
    UNCERTAIN_COLUMN,
    SpanFilterProxyModel,
    SpanListPanel,
    SpanTableModel,
    attributes_text,
)

TEXT = "Sullivan warned that China would face consequences. Yang denied it. Price said <b>x</b> again."
LABELS = LabelSet(
    name="test",
    labels=(
        Label(name="actor", color="#0072b2", hotkey="1"),
        Label(name="claim", color="#009e73", hotkey="2"),
        Label(name="warning", color="#d55e00", hotkey="3"),
        Label(name="denial", color="#cc79a7", hotkey="4"),
    ),
)


def span(span_id: str, phrase: str, label: str, *, note: str = "", uncertain: bool = False) -> Span:
    start = TEXT.index(phrase)
    return Span(
        id=span_id, start=start, end=start + len(phrase), label=label, text=phrase, note=note, uncertain=uncertain
    )


SPANS = [
    span("s1", "Sullivan", "actor"),
    span("s2", "China would face consequences", "warning", note="Threat?\nsecond line", uncertain=True),
    span("s3", "Yang", "actor", note="Chinese FM spokesman"),
    span("s4", "denied it", "denial"),
    span("s5", "<b>x</b>", "claim", note="odd <i>markup</i>", uncertain=True),
]


@pytest.fixture
def annotations() -> AnnotationSet:
    return AnnotationSet(Document.from_text(TEXT), LABELS, "alice", SPANS)


@pytest.fixture
def panel(qtbot, annotations) -> SpanListPanel:
    model = SpanTableModel()
    model.set_annotations(annotations)
    widget = SpanListPanel(model)
    qtbot.addWidget(widget)
    widget.set_label_names(LABELS.names)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_ids(panel: SpanListPanel) -> list[str]:
    """Span ids of the visible rows, in the table's order."""
    proxy = panel.proxy
    return [proxy.data(proxy.index(row, 0), SPAN_ID_ROLE) for row in range(proxy.rowCount())]


def cell(panel: SpanListPanel, span_id: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    model = panel.table.source_model
    return model.data(model.index(model.row_of(span_id), column), role)


def test_columns_show_the_uncertain_flag_and_the_note_on_one_line(panel):
    model = panel.table.source_model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == list(COLUMNS)
    assert COLUMNS[UNCERTAIN_COLUMN] == "?" and COLUMNS[NOTE_COLUMN] == "Note"
    assert cell(panel, "s2", UNCERTAIN_COLUMN) == "?"
    assert cell(panel, "s1", UNCERTAIN_COLUMN) == ""
    assert cell(panel, "s2", UNCERTAIN_COLUMN, Qt.ItemDataRole.ToolTipRole) == "<qt>uncertain</qt>"
    assert cell(panel, "s1", UNCERTAIN_COLUMN, Qt.ItemDataRole.ToolTipRole) is None
    assert cell(panel, "s2", NOTE_COLUMN) == "Threat?⏎second line"
    assert cell(panel, "s2", NOTE_COLUMN, Qt.ItemDataRole.ToolTipRole) == "<qt>Threat?<br>second line</qt>"
    assert cell(panel, "s5", NOTE_COLUMN) == "odd <i>markup</i>"  # shown literally
    assert "&lt;i&gt;markup&lt;/i&gt;" in cell(panel, "s5", NOTE_COLUMN, Qt.ItemDataRole.ToolTipRole)
    assert cell(panel, "s1", NOTE_COLUMN) == "" and cell(panel, "s1", NOTE_COLUMN, Qt.ItemDataRole.ToolTipRole) is None
    assert cell(panel, "s5", TEXT_COLUMN) == "<b>x</b>"
    start_tip = model.headerData(START_COLUMN, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "code points" in start_tip


def test_sorting_by_the_uncertain_and_note_columns(panel):
    panel.table.sortByColumn(UNCERTAIN_COLUMN, Qt.SortOrder.DescendingOrder)
    assert set(shown_ids(panel)[:2]) == {"s2", "s5"}
    panel.table.sortByColumn(NOTE_COLUMN, Qt.SortOrder.AscendingOrder)
    assert shown_ids(panel)[-3:] == ["s3", "s2", "s5"]  # "Chinese…" < "Threat?…" < "odd…" (code point order)


def test_label_filter_from_the_combo_box(panel):
    combo = panel.findChild(QComboBox, "spanLabelFilter")
    assert [combo.itemText(i) for i in range(combo.count())] == ["All labels", "actor", "claim", "warning", "denial"]
    combo.setCurrentIndex(combo.findText("actor"))
    assert shown_ids(panel) == ["s1", "s3"]
    assert panel.proxy.label_filter == frozenset({"actor"})
    combo.setCurrentIndex(0)
    assert shown_ids(panel) == ["s1", "s2", "s3", "s4", "s5"]
    assert panel.proxy.label_filter is None


def test_set_label_names_keeps_the_chosen_label_or_falls_back_to_all(panel):
    combo = panel.findChild(QComboBox, "spanLabelFilter")
    combo.setCurrentIndex(combo.findText("denial"))
    panel.set_label_names(["actor", "denial", "a & b <i>"])
    assert combo.currentText() == "denial" and shown_ids(panel) == ["s4"]
    assert combo.itemText(3) == "a & b <i>"  # plain text
    panel.set_label_names(["actor", "claim"])
    assert combo.currentText() == "All labels" and len(shown_ids(panel)) == 5


def test_text_filter_matches_text_or_note_ignoring_case(panel, qtbot):
    edit = panel.findChild(QLineEdit, "spanTextFilter")
    assert edit.placeholderText() == "Filter spans" and edit.isClearButtonEnabled()
    qtbot.keyClicks(edit, "CHIN")
    assert shown_ids(panel) == ["s2", "s3"]  # s2 by its text, s3 by its note "Chinese FM spokesman"
    edit.setText("spokesman")
    assert shown_ids(panel) == ["s3"]
    edit.setText("<b>")
    assert shown_ids(panel) == ["s5"]
    edit.setText("no such thing")
    assert shown_ids(panel) == []
    edit.clear()
    assert len(shown_ids(panel)) == 5


def test_uncertain_only_and_combined_filters(panel, qtbot):
    box = panel.findChild(QCheckBox, "spanUncertainOnly")
    assert box.text() == "Uncertain only"
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked() and shown_ids(panel) == ["s2", "s5"]
    combo = panel.findChild(QComboBox, "spanLabelFilter")
    combo.setCurrentIndex(combo.findText("claim"))
    assert shown_ids(panel) == ["s5"]
    panel.findChild(QLineEdit, "spanTextFilter").setText("markup")
    assert shown_ids(panel) == ["s5"]
    panel.findChild(QLineEdit, "spanTextFilter").setText("threat")
    assert shown_ids(panel) == []  # s2 matches the text and is uncertain, but is a warning
    combo.setCurrentIndex(0)
    assert shown_ids(panel) == ["s2"]


def test_count_label(panel):
    count = panel.findChild(QLabel, "spanFilterCount")
    assert count.textFormat() == Qt.TextFormat.PlainText
    assert count.text() == "5 spans"
    panel.findChild(QCheckBox, "spanUncertainOnly").setChecked(True)
    assert count.text() == "2 of 5 spans"
    panel.findChild(QLineEdit, "spanTextFilter").setText("nothing matches")
    assert count.text() == "0 of 5 spans"
    panel.findChild(QLineEdit, "spanTextFilter").clear()
    panel.findChild(QCheckBox, "spanUncertainOnly").setChecked(False)
    assert count.text() == "5 spans"
    panel.table.source_model.set_annotations(None)
    assert count.text() == "0 spans"


def test_rows_added_removed_and_changed_obey_the_filter(panel, annotations):
    model = panel.table.source_model
    count = panel.findChild(QLabel, "spanFilterCount")
    panel.findChild(QCheckBox, "spanUncertainOnly").setChecked(True)
    assert shown_ids(panel) == ["s2", "s5"]

    sure = span("s6", "Price", "actor")
    unsure = span("s7", "again", "claim", uncertain=True)
    change = Change(added=(sure, unsure))
    annotations.apply(change)
    model.apply_change(change)
    assert shown_ids(panel) == ["s2", "s5", "s7"]
    assert count.text() == "3 of 7 spans"

    s1 = annotations.get("s1")
    change = Change(changed=((s1, s1.model_copy(update={"uncertain": True})),))
    annotations.apply(change)
    model.apply_change(change)
    assert shown_ids(panel) == ["s1", "s2", "s5", "s7"]  # now uncertain, so shown, in start order
    assert count.text() == "4 of 7 spans"

    s2 = annotations.get("s2")
    change = Change(changed=((s2, s2.model_copy(update={"uncertain": False})),), removed=(annotations.get("s7"),))
    annotations.apply(change)
    model.apply_change(change)
    assert shown_ids(panel) == ["s1", "s5"]
    assert count.text() == "2 of 6 spans"

    panel.findChild(QCheckBox, "spanUncertainOnly").setChecked(False)
    panel.findChild(QLineEdit, "spanTextFilter").setText("comment")
    s4 = annotations.get("s4")
    change = Change(changed=((s4, s4.model_copy(update={"note": "A COMMENT"})),))
    annotations.apply(change)
    model.apply_change(change)
    assert shown_ids(panel) == ["s4"]  # a new note that matches brings the row in
    assert cell(panel, "s4", NOTE_COLUMN) == "A COMMENT"


def test_selecting_a_filtered_out_span_selects_nothing(panel):
    table = panel.table
    table.select_span("s3")
    assert table.selected_span_ids() == ["s3"]
    panel.proxy.set_label_filter({"warning"})
    assert table.selected_span_ids() == []  # the row left with the filter
    table.select_span("s1")
    assert table.selected_span_ids() == []
    table.select_span("s2")
    assert table.selected_span_ids() == ["s2"]
    table.select_span("s3")  # hidden: the old selection is cleared, nothing new selected
    assert table.selected_span_ids() == []
    table.select_span("no-such-id")
    assert table.selected_span_ids() == []


def test_proxy_filters_without_the_panel(qtbot, annotations):
    model = SpanTableModel()
    model.set_annotations(annotations)
    proxy = SpanFilterProxyModel()
    proxy.setSourceModel(model)
    assert not proxy.is_filtering() and proxy.rowCount() == 5
    proxy.set_label_filter(set())
    assert proxy.rowCount() == 0 and proxy.is_filtering()
    proxy.set_label_filter({"actor", "denial"})
    proxy.set_text_filter("Yang")
    assert [proxy.data(proxy.index(r, 0), SPAN_ID_ROLE) for r in range(proxy.rowCount())] == ["s3"]
    proxy.set_label_filter(None)
    proxy.set_text_filter("")
    assert proxy.rowCount() == 5


def test_with_no_filter_set_no_row_is_checked_in_python(qtbot, annotations):
    model = SpanTableModel()
    proxy = SpanFilterProxyModel()
    proxy.setSourceModel(model)
    checked = []
    original = proxy.accepts
    proxy.accepts = lambda span: (checked.append(span.id), original(span))[1]
    model.set_annotations(annotations)
    assert proxy.rowCount() == 5 and checked == []  # Qt accepted every row on its own
    proxy.set_uncertain_only(True)
    assert sorted(checked) == sorted(s.id for s in annotations)
    proxy.set_uncertain_only(False)
    checked.clear()
    model.set_annotations(annotations)
    assert proxy.rowCount() == 5 and checked == [] and model.match is None


def test_filter_keys_escape_clears_down_moves_to_the_table(panel, qtbot):
    window_escape = QAction(panel)  # stands for the main window's Escape (deselect) shortcut
    window_escape.setShortcut(QKeySequence("Escape"))
    window_escape.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    panel.addAction(window_escape)
    fired = []
    window_escape.triggered.connect(lambda: fired.append(1))
    panel.activateWindow()
    panel.focus_filter()
    edit = panel.findChild(QLineEdit, "spanTextFilter")
    assert edit.hasFocus()
    qtbot.keyClicks(edit, "yang")
    assert shown_ids(panel) == ["s3"]
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert edit.text() == "" and not fired and len(shown_ids(panel)) == 5
    qtbot.keyClick(edit, Qt.Key.Key_Escape)  # nothing to clear: the window's shortcut gets it
    assert fired == [1]
    edit.setText("denied")
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert panel.table.hasFocus()
    assert panel.table.selected_span_ids() == ["s4"]
    edit.setText("abc")
    panel.focus_filter()
    assert edit.selectedText() == "abc"


def test_a_new_label_set_recolors_every_row(panel, annotations, qtbot):
    model = panel.table.source_model
    new_labels = LABELS.model_copy(
        update={"labels": (LABELS.labels[0].model_copy(update={"color": "#123456"}), *LABELS.labels[1:])}
    )
    change = Change(label_set=(LABELS, new_labels))
    annotations.apply(change)
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.apply_change(change)
    top_left, bottom_right = blocker.args[:2]
    assert (top_left.row(), bottom_right.row()) == (0, len(SPANS) - 1)
    assert cell(panel, "s1", 0, Qt.ItemDataRole.DecorationRole).name() == "#123456"
    assert cell(panel, "s4", 0, Qt.ItemDataRole.DecorationRole).name() == "#cc79a7"


def test_refresh_redraws_every_cell_after_the_label_set_was_swapped(panel, annotations, qtbot):
    model = panel.table.source_model
    annotations.label_set = LABELS.model_copy(
        update={"labels": tuple(label.model_copy(update={"color": "#000000"}) for label in LABELS.labels)}
    )
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.refresh()
    top_left, bottom_right = blocker.args[:2]
    assert (top_left.row(), top_left.column()) == (0, 0)
    assert (bottom_right.row(), bottom_right.column()) == (len(SPANS) - 1, len(COLUMNS) - 1)
    assert cell(panel, "s2", 0, Qt.ItemDataRole.DecorationRole).name() == "#000000"
    assert model.rowCount() == len(SPANS)
    empty = SpanTableModel()
    with qtbot.assertNotEmitted(empty.dataChanged):
        empty.refresh()


def test_the_start_order_is_saved_order_kept_through_adds_moves_and_other_sorts(panel, annotations):
    model = panel.table.source_model
    source_ids = lambda: [model.span_at(row).id for row in range(model.rowCount())]  # noqa: E731
    assert shown_ids(panel) == source_ids() == ["s1", "s2", "s3", "s4", "s5"]
    # a span added near the start goes to its place in the source (no proxy sort is needed)
    added = annotations.new_span(TEXT.index("warned"), TEXT.index("warned") + 6, "claim")
    annotations.insert(added)
    model.apply_change(Change(added=(added,)))
    assert source_ids()[1] == added.id and shown_ids(panel) == source_ids()
    # the selected span moved to the end keeps its selection and its place in start order
    panel.table.select_span("s1")
    moved = SPANS[0].model_copy(update={"start": TEXT.index("again"), "end": TEXT.index("again") + 5, "text": "again"})
    annotations.replace(moved)
    model.apply_change(Change(changed=((SPANS[0], moved),)))
    assert source_ids()[-1] == "s1" and shown_ids(panel) == source_ids()
    assert panel.table.selected_span_ids() == ["s1"]
    # another sort (the source sorts itself, the proxy keeps its order), then back to Start ascending: saved order
    saved = source_ids()
    panel.table.sortByColumn(START_COLUMN, Qt.SortOrder.DescendingOrder)
    assert shown_ids(panel) == source_ids() == list(reversed(saved))
    assert panel.table.selected_span_ids() == ["s1"]
    panel.table.sortByColumn(START_COLUMN, Qt.SortOrder.AscendingOrder)
    assert shown_ids(panel) == source_ids() == saved
    assert panel.table.horizontalHeader().sortIndicatorSection() == START_COLUMN


@pytest.mark.parametrize("column", range(len(COLUMNS)))
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_every_sort_is_kept_through_adds_changes_and_removals(panel, annotations, column, order):
    model = panel.table.source_model
    values = (
        lambda s: s.label,
        lambda s: s.text,
        lambda s: (s.start, s.end, s.label, s.id),
        lambda s: s.end,
        lambda s: s.uncertain,
        lambda s: s.note,
        attributes_text,
        lambda s: s.entity,
    )

    def expected() -> list[str]:
        """Qt's own stable sort of the saved order (ties keep saved order, also when descending)."""
        saved = annotations.sorted_spans()
        if column == START_COLUMN and order == Qt.SortOrder.DescendingOrder:
            return [s.id for s in reversed(saved)]
        return [s.id for s in sorted(saved, key=values[column], reverse=order == Qt.SortOrder.DescendingOrder)]

    panel.table.select_span("s3")
    panel.table.sortByColumn(column, order)
    assert shown_ids(panel) == expected() and panel.table.selected_span_ids() == ["s3"]
    added = annotations.new_span(TEXT.index("China"), TEXT.index("China") + 5, "warning")
    annotations.insert(added)
    model.apply_change(Change(added=(added,)))
    assert shown_ids(panel) == expected()
    old = annotations.get("s3")
    changed = old.model_copy(update={"label": "actor", "note": "zz last note", "uncertain": not old.uncertain})
    annotations.replace(changed)
    model.apply_change(Change(changed=((old, changed),)))
    assert shown_ids(panel) == expected() and panel.table.selected_span_ids() == ["s3"]
    removed = annotations.delete("s2")
    model.apply_change(Change(removed=(removed,)))
    assert shown_ids(panel) == expected()
    assert [model.row_of(span_id) for span_id in expected()] == list(range(len(expected())))


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_a_filter_is_kept_through_adds_changes_and_removals_and_keeps_the_selection(panel, annotations, order, qtbot):
    model = panel.table.source_model
    panel.table.sortByColumn(TEXT_COLUMN, order)

    def expected() -> list[str]:
        saved = annotations.sorted_spans()
        shown = [s for s in saved if s.label == "actor"]
        return [s.id for s in sorted(shown, key=lambda s: s.text, reverse=order == Qt.SortOrder.DescendingOrder)]

    actors = [s.id for s in annotations if s.label == "actor"]
    panel.table.select_span(actors[0])
    with qtbot.assertNotEmitted(panel.table.selectionModel().selectionChanged):
        panel.proxy.set_label_filter({"actor"})  # the selected row is still shown: nothing is chosen anew
    assert shown_ids(panel) == expected() and panel.table.selected_span_ids() == [actors[0]]
    assert panel.count_text() == f"{len(expected())} of {len(annotations)} spans"
    claim = annotations.new_span(TEXT.index("China"), TEXT.index("China") + 5, "claim")
    annotations.insert(claim)
    model.apply_change(Change(added=(claim,)))
    count = panel.findChild(QLabel, "spanFilterCount")
    assert count.text() == f"{len(expected())} of {len(annotations)} spans"  # a hidden span still counts
    actor = annotations.new_span(TEXT.index("Price"), TEXT.index("Price") + 5, "actor")
    annotations.insert(actor)
    model.apply_change(Change(added=(actor,)))
    assert shown_ids(panel) == expected()
    for span_id, label in ((actors[0], "claim"), (claim.id, "actor"), (actor.id, "actor")):
        old = annotations.get(span_id)
        new = old.model_copy(update={"label": label})
        annotations.replace(new)
        model.apply_change(Change(changed=((old, new),)))
        assert shown_ids(panel) == expected()
    removed = annotations.delete(claim.id)
    model.apply_change(Change(removed=(removed,)))
    assert shown_ids(panel) == expected()
    panel.table.select_span(actors[0])  # hidden by the filter now: nothing selected
    assert panel.table.selected_span_ids() == []
    panel.proxy.set_label_filter(None)
    assert len(shown_ids(panel)) == len(annotations)


def test_a_filter_that_hides_part_of_a_selection_announces_the_new_selection(panel, annotations, qtbot):
    actor = next(s.id for s in annotations if s.label == "actor")
    other = next(s.id for s in annotations if s.label != "actor")
    table = panel.table
    table.select_span(actor)
    extra = table.proxy.mapFromSource(table.source_model.index(table.source_model.row_of(other), 0))
    table.selectionModel().select(
        extra, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    )
    assert sorted(table.selected_span_ids()) == sorted([actor, other])
    with qtbot.waitSignal(table.selectionModel().selectionChanged):
        panel.proxy.set_label_filter({"actor"})  # hides one of the two: the list's new selection is announced
    assert table.selected_span_ids() == [actor]


def test_sorted_rows_checks_saved_order_and_sorts_only_when_needed():
    from annotator.ui.document.span_table import LABEL_COLUMN, sorted_rows

    annotations = AnnotationSet(Document.from_text(TEXT), LABELS, "alice")
    a, b, c = (annotations.new_span(s, e, lab) for s, e, lab in ((0, 8, "claim"), (9, 15, "actor"), (21, 26, "actor")))
    inner = annotations.new_span(0, 4, "actor")  # starts with a: the whole key decides
    twin = annotations.new_span(0, 4, "actor")  # same offsets and label as inner: the id decides
    saved = sorted([a, b, c, inner, twin], key=lambda s: s.sort_key)
    assert sorted_rows([a, b, c], START_COLUMN) == [a, b, c]  # already in saved order
    assert sorted_rows([c, a, b], START_COLUMN) == [a, b, c]
    assert sorted_rows([c, twin, b, a, inner], START_COLUMN) == saved
    assert sorted_rows([c, twin, b, a, inner], START_COLUMN, descending=True) == saved[::-1]
    by_label = [s for s in saved if s.label == "actor"] + [s for s in saved if s.label == "claim"]
    assert sorted_rows([a, b, c], LABEL_COLUMN) == [b, c, a]
    assert sorted_rows([twin, c, inner, b, a], LABEL_COLUMN) == by_label
