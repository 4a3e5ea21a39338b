"""A file made with its own label set (as the sample's older annotation file, with attribution-plus): opening it
says how to get the default set's attributes and document labels, in a status message the bar does not cut, and
Use Default Label Set keeps of the old set only what the document still needs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from annotator.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
PLUS = ROOT / "sample_docs" / "attribution-plus.labels.toml"
TEXT = "Officials said sanctions would follow. The Foreign Ministry denied that sanctions would follow."
HINT = (
    "Label Set → Use Default Label Set adds the default set's attributes and document labels (quote, kind, relevance)."
)


def _made_with_plus(make_window, tmp_path: Path, *, rejects: bool) -> Path:
    """A text and its annotation file, made under attribution-plus: a claim with its source, a denial
    (linked to the claim by ``rejects`` when asked)."""
    path = tmp_path / "000_3048e0f710b42604.txt"  # as long a name as the sample's
    path.write_text(TEXT, encoding="utf-8")
    maker = make_window("tester")
    maker.label_sets.load_label_set_file(PLUS)
    assert maker.open_path(path)
    controller = maker.controller
    actor = controller.add_span(0, 9, "actor")
    claim = controller.add_span(15, 37, "claim")
    denial = controller.add_span(64, 95, "denial")
    controller.add_relation("source", claim.id, actor.id)
    if rejects:
        controller.add_relation("rejects", denial.id, claim.id)
    assert maker.sessions.save()
    maker.close()
    return path


def _message_room(window: MainWindow) -> int:
    """The status bar's width left of its shown permanent labels (where a message is drawn), in pixels."""
    bar = window.statusBar()
    lefts = [w.geometry().left() for w in bar.findChildren(QLabel) if w.isVisible() and w.geometry().left() > 0]
    return min(lefts, default=bar.width())


def test_opening_a_file_without_attributes_says_how_to_get_them_whole(make_window, tmp_path, qtbot):
    path = _made_with_plus(make_window, tmp_path, rejects=False)
    window = make_window("tester")
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_path(path)
    message = window.statusBar().currentMessage()
    assert message.endswith(HINT), message
    assert "Open Label Set" not in message
    assert window.statusBar().fontMetrics().horizontalAdvance(message) < _message_room(window), message


def test_use_default_label_set_drops_the_old_sets_unused_relation_types(make_window, tmp_path, qtbot, questions):
    path = _made_with_plus(make_window, tmp_path, rejects=False)
    window = make_window("tester")
    window.show()
    assert window.open_path(path)
    questions.script(add_labels=True)
    window.actions_by_id["labels.default"].trigger()
    label_set = window.controller.annotations.label_set
    assert [rt.name for rt in label_set.relation_types] == ["source", "target"]
    assert set(window.span_panel.link_buttons) == {"source", "target"}
    assert window.statusBar().currentMessage() == "Using label set attribution (the default label set)."


def test_use_default_label_set_keeps_a_used_relation_type_and_says_why(make_window, tmp_path, qtbot, questions):
    path = _made_with_plus(make_window, tmp_path, rejects=True)
    window = make_window("tester")
    window.show()
    assert window.open_path(path)
    window.actions_by_id["labels.default"].trigger()
    annotations = window.controller.annotations
    assert [rt.name for rt in annotations.label_set.relation_types] == ["source", "target", "rejects"]
    assert annotations.relation_count == 2
    assert "kept relation type(s) rejects: links in the document use them" in window.statusBar().currentMessage()
