"""A label set made from the labels and link types a dataset uses (``annotator import --labels auto``)."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.formats.parsed import ParsedRecord, RecordFault
from annotator.model.labels import Label, LabelSet, RelationType

#: Colors given to labels in order: the Okabe-Ito palette (readable by color-blind people), starting with the four
#: colors of the default label set (actor, claim, warning, denial); reused from the start after the eighth label.
PALETTE = ("#0072b2", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999")
HOTKEYS = "123456789"


def used_names(items: Iterable[ParsedRecord | RecordFault]) -> tuple[list[str], list[str]]:
    """``(labels, relation types)``: the distinct non-blank string labels of the records' spans and types of their
    links, in first-seen order (whole-record faults and non-string values are skipped: the import reports them)."""
    labels: dict[str, None] = {}
    types: dict[str, None] = {}
    for item in items:
        if isinstance(item, RecordFault):
            continue
        labels.update((s.label, None) for s in item.spans if isinstance(s.label, str) and s.label.strip())
        types.update((r.type, None) for r in item.relations if isinstance(r.type, str) and r.type.strip())
    return list(labels), list(types)


def auto_label_set(labels: list[str], relation_types: list[str], name: str, known: LabelSet | None = None) -> LabelSet:
    """A label set called ``name`` with ``labels`` in order and ``relation_types`` (any label at either end).

    A label that ``known`` (e.g. the default set) defines keeps its color, hotkey and guidelines; the others get the
    next :data:`PALETTE` color those labels leave unused (in turn) and the next free hotkey of ``1``-``9`` (none
    after the ninth). Relation types ``known`` defines keep their description.

    Raises
    ------
    ValueError
        If ``labels`` is empty (a label set needs at least one label).
    """
    if not labels:
        raise ValueError("the data uses no labels, so no label set can be made from it")
    defined = [known.get(n) if known is not None else None for n in labels]
    known_names = {label.name for label in defined if label is not None}
    taken_keys = {label.hotkey for label in defined if label is not None and label.hotkey}
    taken_colors = {label.color for label in defined if label is not None}
    free_keys = [key for key in HOTKEYS if key not in taken_keys]
    free_colors = [color for color in PALETTE if color not in taken_colors] or list(PALETTE)
    made: list[Label] = []
    for label_name, label in zip(labels, defined, strict=True):
        if label is None:
            color = free_colors[sum(1 for lab in made if lab.name not in known_names) % len(free_colors)]
            label = Label(name=label_name, color=color, hotkey=free_keys.pop(0) if free_keys else "")
        made.append(label)
    types = [
        RelationType(name=t, description=known_type.description if known_type else "")
        for t in relation_types
        for known_type in [known.relation_type(t) if known is not None else None]
    ]
    return LabelSet(name=name, labels=tuple(made), relation_types=tuple(types))
