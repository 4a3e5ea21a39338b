"""Where annotators of one document disagree on attribute values of the spans they all marked, and on the document's
labels: the value disagreements a reviewer steps through besides the span disagreements.

Rules:

1. Attributes are compared on the spans every annotator has (the agreed keys ``(start, end, label)`` of
   :mod:`annotator.review.disagreements`, which start the gold set): for each attribute of the label set that the
   span's label may carry, each annotator's value is the span's stored value or the attribute's default (``None``:
   an unset enum). Annotators giving different values make one :class:`ValueDisagreement`. Spans in a span
   disagreement are not compared here: the reviewer decides the span first, and an accepted span takes the values
   its annotators agree on.
2. Document labels are compared for each document label of the label set: each annotator's value (``None`` when
   not chosen; for a ``multiple`` label the tuple of chosen values in the label set's order, ``()`` when none).
3. Disagreements are ordered: span attributes by span (saved order) then attribute (label set order), then the
   document labels (label set order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from annotator.model.compare import shorten
from annotator.model.labels import LabelSet
from annotator.review.disagreements import SpanKey, unique_keys
from annotator.review.units import DocumentAnnotations, DocumentLabelValues

ValueKind = Literal["attribute", "document label"]
Value = bool | str | tuple[str, ...] | None
"""An annotator's value: an attribute value, a document label's value, a ``multiple`` label's values, ``None``."""


def shown(value: Value) -> str:
    """A value in plain text: ``true``/``false``, the value, values joined by ``+``, or ``(unset)``."""
    if value is None or value == ():
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return " + ".join(value)
    return value


@dataclass(frozen=True)
class ValueDisagreement:
    """Annotators giving one span's attribute, or the document's label, different values.

    Attributes
    ----------
    kind: ``"attribute"`` or ``"document label"``.
    name: the attribute or document label.
    key: the span ``(start, end, label)`` (code points) for an attribute, ``None`` for a document label.
    text: the span's text (``""`` for a document label).
    values: annotator (sorted) -> value (see :data:`Value`).
    """

    kind: ValueKind
    name: str
    key: SpanKey | None
    text: str
    values: Mapping[str, Value]

    def where(self) -> str:
        """``actor [0, 5) 'Price'`` or ``document``."""
        if self.key is None:
            return "document"
        start, end, label = self.key
        return f"{label} [{start}, {end}) '{shorten(self.text)}'"

    def description(self) -> str:
        """One plain-text line: ``kind: person (alice) vs organisation (bob) on actor [0, 5) 'Price'`` or
        ``relevance: relevant (alice) vs not relevant (bob) on the document``; annotators with one value are joined."""
        grouped: dict[str, list[str]] = {}
        for annotator, value in self.values.items():
            grouped.setdefault(shown(value), []).append(annotator)
        votes = " vs ".join(f"{value} ({', '.join(who)})" for value, who in grouped.items())
        return f"{self.name}: {votes} on {'the document' if self.key is None else self.where()}"


def document_label_value(labels: DocumentLabelValues, name: str, label_set: LabelSet) -> Value:
    """The value of document label ``name`` in ``labels`` (rule 2)."""
    defined = label_set.document_label(name)
    value = labels.get(name)
    if defined is not None and defined.multiple:
        chosen = value if isinstance(value, list) else []
        return tuple(v for v in defined.values if v in chosen)
    return value if isinstance(value, str) and value else None


def find_value_disagreements(document: DocumentAnnotations) -> list[ValueDisagreement]:
    """The value disagreements among ``document``'s annotators (module docstring); ``[]`` without a label set."""
    label_set = document.label_set
    annotators = document.annotators
    if label_set is None or len(annotators) < 2:
        return []
    keyed = {a: unique_keys(document.spans[a]) for a in annotators}
    agreed = sorted(set.intersection(*(set(k) for k in keyed.values())))
    found = []
    for key in agreed:
        for attribute in label_set.attributes_for(key[2]):
            default = attribute.default_value()
            values: dict[str, Value] = {a: keyed[a][key].attributes.get(attribute.name, default) for a in annotators}
            if len(set(values.values())) > 1:
                text = document.text[key[0] : key[1]]
                found.append(ValueDisagreement("attribute", attribute.name, key, text, values))
    for label in label_set.document_labels:
        values = {
            a: document_label_value(document.document_labels.get(a, {}), label.name, label_set) for a in annotators
        }
        if len(set(values.values())) > 1:
            found.append(ValueDisagreement("document label", label.name, None, "", values))
    return found
