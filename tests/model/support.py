"""The attribution label set that the model tests share (four labels; source and target links)."""

from __future__ import annotations

from annotator.model.labels import Label, LabelSet, RelationType

STATEMENTS = ("claim", "warning", "denial")
LABELS = LabelSet(
    name="attribution",
    labels=(
        Label(name="actor", color="#0072b2", hotkey="1"),
        Label(name="claim", color="#009e73", hotkey="2"),
        Label(name="warning", color="#e69f00", hotkey="3"),
        Label(name="denial", color="#cc79a7", hotkey="4"),
    ),
    relation_types=(
        RelationType(name="source", from_labels=STATEMENTS, to_labels=("actor",)),
        RelationType(name="target", from_labels=STATEMENTS, to_labels=("actor",)),
    ),
)
