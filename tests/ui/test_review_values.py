"""The review window's attribute and document-label disagreements: listed under the span ones, chosen with V,
decided with 1-9 (one annotator's value), undone, and saved into the gold file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QMessageBox

from annotator.io import annotation_file
from annotator.ui.review.review_window import ReviewWindow
from tests.review import bob_differs, write_valued

ALICE = {"s5": {"kind": "government"}, "s9": {"quote": "indirect"}, "s11": {"kind": "person"}, "s7": {"kind": "person"}}
BOB = {
    "s5": {"kind": "anonymous"},
    "s9": {"quote": "direct"},
    "s11": {"kind": "organisation"},
    "s7": {"kind": "person"},
}


@pytest.fixture
def review(window, tmp_path: Path, qtbot, monkeypatch) -> ReviewWindow:
    files = [
        write_valued(tmp_path / "alice.annotations.json", "alice", ALICE, {"relevance": "relevant"}),
        write_valued(tmp_path / "bob.annotations.json", "bob", BOB, {"relevance": "not relevant"}, bob_differs),
    ]
    monkeypatch.setattr(ReviewWindow, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard)
    opened = window.reviews.review_files(files)
    assert opened is not None
    qtbot.waitExposed(opened)
    return opened


def _rows(model) -> list[list[str]]:
    return [[model.cell(row, column) for column in range(model.columnCount())] for row in range(model.rowCount())]


def test_value_disagreements_are_listed_beside_the_span_ones(review):
    model = review.value_model
    assert model.headers == ["#", "Item", "Where", "alice", "bob", "Gold", "Done"]
    rows = _rows(model)
    assert [row[1:] for row in rows] == [
        ["kind", "actor [1265, 1286) 'Another U.S. official'", "government", "anonymous", "(unset)", ""],
        ["quote", rows[1][2], "indirect", "direct", "(unset)", ""],
        ["kind", rows[2][2], "person", "organisation", "(unset)", ""],
        ["document: relevance", "document", "relevant", "not relevant", "(unset)", ""],
    ]
    assert rows[1][2].startswith("warning [2102, 2153) ")
    assert review.value_title.text().startswith("Attribute and document-label disagreements: 4, 0 decided")
    assert len(review.adjudication.disagreements) == 3  # the span disagreements are still there


def test_values_are_adjudicated_from_the_keyboard_undone_and_saved(review, qtbot):
    qtbot.keyClick(review.candidate_table, "v")
    assert review.value_table.hasFocus() and review.current_value == 0
    spans_before = review.adjudication.decided.copy()
    qtbot.keyClick(review.value_table, "2")  # bob's kind: anonymous
    assert review.value_model.cell(0, 5) == "anonymous" and review.value_model.cell(0, 6) == "✓"
    assert review.adjudication.decided == spans_before  # no span decision was made
    assert review.current_value == 1  # on to the next undecided value
    qtbot.keyClick(review.value_table, "1")  # alice's quote: indirect
    qtbot.keyClick(review.value_table, "1")  # alice's kind: person
    qtbot.keyClick(review.value_table, "2")  # bob's relevance: not relevant
    assert review.adjudication.values_decided == {0, 1, 2, 3}
    assert review.dirty and review.windowTitle().endswith("*")
    qtbot.keyClick(review.value_table, "z", Qt.KeyboardModifier.ControlModifier)
    assert review.adjudication.gold.document_labels == {} and 3 not in review.adjudication.values_decided
    qtbot.keyClick(review.value_table, "2")  # current is the undone one again
    assert review.adjudication.gold.document_labels == {"relevance": "not relevant"}
    qtbot.keyClick(review.value_table, "s", Qt.KeyboardModifier.ControlModifier)
    assert not review.dirty
    saved = annotation_file.load(review.setup.gold_path)
    by_start = {span.start: span for span in saved.sorted_spans()}
    assert by_start[1265].attributes == {"kind": "anonymous"}
    assert by_start[2102].attributes == {"quote": "indirect"}
    assert by_start[2168].attributes == {"kind": "person"}
    assert by_start[1745].attributes == {"kind": "person"}  # agreed: in gold from the start
    assert saved.document_labels == {"relevance": "not relevant"}


def test_u_goes_on_to_the_values_once_every_span_disagreement_is_decided(review, qtbot):
    for _ in range(len(review.adjudication.disagreements)):
        qtbot.keyClick(review.candidate_table, "x")  # leave out every span of the current one
        qtbot.keyClick(review.candidate_table, "u")
    assert review.value_table.hasFocus() and review.current_value == 0


def test_where_takes_the_width_and_done_stays_narrow_at_1400_by_900(review, qtbot):
    review.resize(1400, 900)
    qtbot.wait(10)
    for table, where in ((review.value_table, 2), (review.disagreement_table, 2), (review.candidate_table, 1)):
        header = table.horizontalHeader()
        model = table.model()
        done = model.columnCount() - 1
        assert model.headers[where] == "Where"
        assert header.sectionSize(done) < 80, (table.objectName(), header.sectionSize(done))
        assert header.sectionSize(where) > header.sectionSize(done), table.objectName()
        assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
        if model.rowCount():
            tip = model.index(0, where).data(Qt.ItemDataRole.ToolTipRole)
            assert QTextDocumentFragment.fromHtml(tip).toPlainText() == model.cell(0, where)
    header = review.value_table.horizontalHeader()
    assert header.sectionSize(2) == max(header.sectionSize(c) for c in range(header.count()))  # the widest
