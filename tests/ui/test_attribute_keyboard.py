"""The span panel's attributes from the keyboard, as a newcomer drives them: Alt+A / Alt+B put the focus on the
first attribute (or say why not), Tab goes Note → Uncertain → every attribute → Links and never onto a hidden
widget, and Escape from an attribute goes back to the text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from annotator.io.label_set_file import default_label_set
from annotator.model.labels import LabelSet
from annotator.ui.document.span_panel import NO_ATTRIBUTES_HINT
from annotator.ui.main_window import MainWindow
from tests.ui.test_attributes import custom_label_set, opened  # noqa: F401  (the fixture)


def bare_label_set() -> LabelSet:
    """The default label set without attributes or document labels (as the sample's older annotation file has)."""
    data = default_label_set().model_dump(mode="json")
    data["attributes"] = []
    data["document_labels"] = []
    return LabelSet.model_validate(data)


def _focus(window: MainWindow, widget: QWidget) -> None:
    window.activateWindow()
    widget.setFocus()
    assert QApplication.focusWidget() is widget


def test_alt_a_focuses_the_first_attribute_of_the_selected_span(opened, qtbot):  # noqa: F811
    window, ids, _path = opened
    window.editing.select_span(ids["ned"])
    _focus(window, window.view)
    QTest.keyClick(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is window.span_panel.findChild(QComboBox, "attribute_kind")


def test_alt_a_on_a_span_without_attributes_says_so(opened, qtbot):  # noqa: F811
    window, ids, _path = opened
    window.controller.change_label_set(bare_label_set(), "Bare")
    window.editing.select_span(ids["ned"])
    _focus(window, window.view)
    QTest.keyClick(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is window.view
    assert window.statusBar().currentMessage() == NO_ATTRIBUTES_HINT
    assert window.span_panel.attributes_hint.isVisibleTo(window.span_panel)


def test_a_label_set_without_attributes_or_document_labels_says_how_to_get_them(opened, qtbot):  # noqa: F811
    window, ids, _path = opened
    window.controller.change_label_set(bare_label_set(), "Bare")
    window.editing.select_span(ids["claim"])
    panel = window.span_panel
    assert panel.attributes_hint.isVisibleTo(panel)
    assert "Label Set → Use Default Label Set adds them" in panel.attributes_hint.text()
    hint = window.document_labels.hint
    assert hint.isVisibleTo(window.document_labels)
    assert hint.text() == "This label set has no document labels; Label Set → Use Default Label Set adds them."
    window.actions_by_id["labels.default"].trigger()
    window.editing.select_span(ids["claim"])
    assert not panel.attributes_hint.isVisibleTo(panel)
    assert not hint.isVisibleTo(window.document_labels)


def test_alt_b_focuses_the_first_attribute_of_the_selected_link(opened, qtbot):  # noqa: F811
    window, ids, _path = opened
    window.controller.change_label_set(custom_label_set(), "Custom")
    window.editing.select_span(ids["claim"])
    window.span_panel.links.setCurrentRow(0)
    _focus(window, window.view)
    QTest.keyClick(window.view, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is window.span_panel.findChild(QComboBox, "attribute_certainty")


def test_tab_from_the_note_goes_through_every_attribute_then_the_links(opened, qtbot):  # noqa: F811
    window, ids, _path = opened
    window.controller.change_label_set(custom_label_set(), "Custom")
    window.editing.select_span(ids["price"])
    panel = window.span_panel
    _focus(window, panel.note)
    order = []
    for _ in range(5):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget().objectName())
    assert order[:4] == ["spanUncertain", "attribute_kind", "attribute_named", "attribute_role"], order
    assert order[4] in ("spanLinks", "spanEntityList"), order
    for _ in range(12):  # on round the panel: never into a dock tabbed behind it (Guidelines), never hidden
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        assert panel.isAncestorOf(widget) and widget.isVisibleTo(panel), widget.objectName()
    for _ in range(12):  # and back with Shift+Tab
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        widget = QApplication.focusWidget()
        assert panel.isAncestorOf(widget) and widget.isVisibleTo(panel), widget.objectName()


@pytest.mark.parametrize("name", ["attribute_kind", "attribute_named"])
def test_escape_from_an_attribute_goes_back_to_the_text(opened, qtbot, name):  # noqa: F811
    window, ids, _path = opened
    window.controller.change_label_set(custom_label_set(), "Custom")
    window.editing.select_span(ids["price"])
    widget = window.span_panel.findChild(QWidget, name)
    _focus(window, widget)
    QTest.keyClick(widget, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.view
