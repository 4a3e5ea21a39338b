"""The document labels panel: the label set's labels of the whole document (e.g. ``relevance``) and their values."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from annotator.model.labels import DocumentLabel, LabelSet
from annotator.ui.document.attribute_editor import UNSET
from annotator.ui.plain_text import button_text, shown_name, tooltip_html

NO_DOCUMENT_LABELS = "This label set has no document labels; Label Set → Use Default Label Set adds them."


class DocumentLabelsPanel(QWidget):
    """The document's labels (``objectName`` ``documentLabelsPanel``): for each document label of the label set a
    combo box (:data:`~annotator.ui.document.attribute_editor.UNSET` then its values; ``objectName``
    ``f"documentLabel_{name}"``) when it takes one value, or one check box per value
    (``f"documentLabel_{name}_{value}"``) when it takes several (``multiple``). Names and values are plain text,
    descriptions tooltips; Tab goes through them in order. With no document labels in the set the panel says
    :data:`NO_DOCUMENT_LABELS` (``documentLabelsHint``) and is disabled; with no document its fields are.

    It never changes the model: :attr:`value_changed` reports what the user chose.

    Signals
    -------
    value_changed(str name, object value)
        The user set document label ``name`` to ``value``: a value or ``None`` (unset) for a single one, the list of
        checked values for a ``multiple`` one.
    """

    value_changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentLabelsPanel")
        self._labels: tuple[DocumentLabel, ...] = ()
        self._values: dict[str, str | list[str]] = {}
        self._loading = False
        self._read_only = False
        self._has_document = False
        self.widgets: dict[str, QWidget] = {}
        self.hint = QLabel(NO_DOCUMENT_LABELS)
        self.hint.setObjectName("documentLabelsHint")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        # a wrapped label asks for one line's height: keep room for two, so a short dock never cuts it
        self.hint.setMinimumHeight(2 * self.hint.fontMetrics().lineSpacing() + 2)
        self._fields = QWidget()
        self._form = QFormLayout(self._fields)
        self._form.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.hint)
        layout.addWidget(self._fields)
        layout.addStretch(1)
        self._update_enabled()

    def set_label_set(self, label_set: LabelSet | None) -> None:
        """Offer the document labels of ``label_set`` (``None``: none)."""
        labels = label_set.document_labels if label_set is not None else ()
        if labels == self._labels:
            return
        while self._form.rowCount():
            self._form.removeRow(0)
        self.widgets = {}
        self._labels = tuple(labels)
        for label in labels:
            tip = tooltip_html(label.description) if label.description else ""
            caption = QLabel(shown_name(label.name))
            caption.setTextFormat(Qt.TextFormat.PlainText)
            caption.setToolTip(tip)
            if label.multiple:
                box = QWidget()
                box.setObjectName(f"documentLabel_{label.name}")
                column = QVBoxLayout(box)
                column.setContentsMargins(0, 0, 0, 0)
                for value in label.values:
                    check = QCheckBox(button_text(shown_name(value)))
                    check.setObjectName(f"documentLabel_{label.name}_{value}")
                    check.setToolTip(tip)
                    check.clicked.connect(lambda _checked=False, n=label.name: self._emit_checked(n))
                    column.addWidget(check)
                self._form.addRow(caption, box)
                self.widgets[label.name] = box
                box.show()  # now, not at the next event loop turn: focus_first may follow at once
            else:
                combo = QComboBox()
                combo.setObjectName(f"documentLabel_{label.name}")
                combo.setToolTip(tip)
                combo.addItem(UNSET)
                combo.addItems([shown_name(v) for v in label.values])
                combo.currentIndexChanged.connect(lambda index, d=label: self._emit_choice(d, index))
                caption.setBuddy(combo)
                self._form.addRow(caption, combo)
                self.widgets[label.name] = combo
                combo.show()
        self.show_values(self._values if self._has_document else None)

    def show_values(self, values: Mapping[str, str | list[str]] | None) -> None:
        """Show the document's labels ``values`` (as :attr:`AnnotationSet.document_labels`; ``None``: no document)."""
        self._has_document = values is not None
        self._values = dict(values or {})
        self._loading = True
        try:
            for label in self._labels:
                value = self._values.get(label.name)
                widget = self.widgets[label.name]
                if isinstance(widget, QComboBox):
                    index = label.values.index(value) + 1 if isinstance(value, str) and value in label.values else 0
                    widget.setCurrentIndex(index)
                else:
                    held = value if isinstance(value, list) else []
                    for check in self._checks(label):
                        check.setChecked(check.objectName().removeprefix(f"documentLabel_{label.name}_") in held)
        finally:
            self._loading = False
        self._update_enabled()

    def set_read_only(self, read_only: bool) -> None:
        """Show the values without letting them be changed (the document is read-only)."""
        self._read_only = read_only
        self._update_enabled()

    def focus_first(self) -> bool:
        """Put the keyboard focus on the first document label's field; ``False`` when there is none or it is
        disabled."""
        if not self._labels or not self._fields.isEnabled():
            return False
        widget = self.widgets[self._labels[0].name]
        target = widget if isinstance(widget, QComboBox) else self._checks(self._labels[0])[0]
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    # -- reacting -------------------------------------------------------------------------------------------------
    def _checks(self, label: DocumentLabel) -> list[QCheckBox]:
        box = self.widgets[label.name]
        return [c for c in box.findChildren(QCheckBox) if c.objectName().startswith(f"documentLabel_{label.name}_")]

    def _update_enabled(self) -> None:
        self.hint.setVisible(not self._labels)
        self._fields.setVisible(bool(self._labels))
        self._fields.setEnabled(bool(self._labels) and self._has_document and not self._read_only)
        self.setEnabled(bool(self._labels))

    def _emit_choice(self, label: DocumentLabel, index: int) -> None:
        if self._loading:
            return
        value = label.values[index - 1] if index > 0 else None
        if value == self._values.get(label.name):
            return
        self.value_changed.emit(label.name, value)

    def _emit_checked(self, name: str) -> None:
        if self._loading:
            return
        label = next(d for d in self._labels if d.name == name)
        checked = [v for v, c in zip(label.values, self._checks(label), strict=True) if c.isChecked()]
        self.value_changed.emit(name, checked)
