"""The attribute editor of the span panel: one widget per attribute a span (or link) may carry, by its type."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from annotator.model.labels import Attribute, AttributeValue
from annotator.ui.plain_text import button_text, shown_name, tooltip_html

#: What an enum attribute's combo box shows for "no value" (the attribute is unset, or its default applies).
UNSET = "—"


def value_text(attribute: Attribute, value: AttributeValue | None) -> str:
    """``value`` of ``attribute`` as shown in the status bar and the span list: ``"yes"``/``"no"`` for a bool,
    :data:`UNSET` for an unset enum, the text itself (``""`` shown as :data:`UNSET`) otherwise."""
    if attribute.type == "bool":
        return "yes" if value else "no"
    return str(value) if value not in (None, "") else UNSET


class AttributeEditor(QWidget):
    """A form of the attributes of one span or link (``objectName`` given by the caller): a check box for a
    ``bool`` attribute (its name as text), a combo box (:data:`UNSET` then the values) for an ``enum``, a line edit
    for ``text`` (committed on Enter or when it loses the focus). Names are plain text (the field's label), the
    attribute's description its tooltip. Each widget's ``objectName`` is ``f"attribute_{name}"``; Tab goes through
    them in order.

    It never changes the model: :attr:`value_changed` reports what the user chose.

    Signals
    -------
    value_changed(str item_id, str name, object value)
        The user set attribute ``name`` of item ``item_id`` to ``value`` (``True``/``False``, a value, a text;
        ``None``: unset).
    escape_pressed()
        Escape was pressed in an attribute's widget (a text being typed is committed first; taken before the
        window's Escape shortcut): focus can go back to the document.
    """

    value_changed = Signal(str, str, object)
    escape_pressed = Signal()

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._form = QFormLayout(self)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._attributes: tuple[Attribute, ...] = ()
        self._item_id = ""
        self._values: dict[str, AttributeValue | None] = {}
        self._loading = False
        self._read_only = False
        self.widgets: dict[str, QWidget] = {}

    @property
    def item_id(self) -> str:
        """Id of the span or link shown (``""``: none)."""
        return self._item_id

    def show_item(self, item_id: str, attributes: Sequence[Attribute], values: Mapping[str, AttributeValue]) -> None:
        """Show the ``attributes`` of item ``item_id`` with its stored ``values`` (a missing one: the attribute's
        default). A text being typed for the same item and attribute is kept; one typed for another item is
        committed first (emitted for that item)."""
        pending = self._pending_texts() if item_id != self._item_id else []
        if tuple(attributes) != self._attributes:
            self._rebuild(tuple(attributes))
        self._loading = True
        try:
            self._item_id = item_id
            for attribute in self._attributes:
                value = values.get(attribute.name, attribute.default_value())
                self._values[attribute.name] = value
                widget = self.widgets[attribute.name]
                if isinstance(widget, QCheckBox):
                    widget.setChecked(bool(value))
                elif isinstance(widget, QComboBox):
                    widget.setCurrentIndex(0 if value is None else attribute.values.index(str(value)) + 1)
                elif isinstance(widget, QLineEdit) and not widget.isModified():  # typed text is never replaced
                    widget.setText(str(value or ""))
                    widget.setModified(False)
        finally:
            self._loading = False
        for old_id, name, text in pending:
            self.value_changed.emit(old_id, name, text)
        self.setVisible(bool(self._attributes))

    def set_read_only(self, read_only: bool) -> None:
        """Show the values without letting them be changed."""
        self._read_only = read_only
        for widget in self.widgets.values():
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(read_only)
            else:
                widget.setEnabled(not read_only)

    def commit(self) -> bool:
        """Commit a text being typed (e.g. before saving); returns whether it emitted."""
        pending = self._pending_texts()
        for item_id, name, text in pending:
            self._values[name] = text
            self.value_changed.emit(item_id, name, text)
        return bool(pending)

    def focus_first(self) -> bool:
        """Put the focus on the first attribute's widget; ``False`` when there is none (or it cannot take it)."""
        if not self._attributes or not self.isEnabled():
            return False
        widget = self.widgets[self._attributes[0].name]
        if not widget.isEnabled():  # read-only: a disabled combo box or check box cannot take the focus
            return False
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def focus_widgets(self) -> list[QWidget]:
        """The attributes' widgets in order (the Tab order of the span panel goes through them)."""
        return [self.widgets[attribute.name] for attribute in self._attributes]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Escape in an attribute's widget: commit a text being typed and emit :attr:`escape_pressed`."""
        if (
            event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        ):
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self.commit()
                self.escape_pressed.emit()
            return True
        return super().eventFilter(watched, event)

    # -- building -------------------------------------------------------------------------------------------------
    def _pending_texts(self) -> list[tuple[str, str, str]]:
        out = []
        for attribute in self._attributes:
            widget = self.widgets.get(attribute.name)
            if isinstance(widget, QLineEdit) and self._item_id and widget.isModified():
                if widget.text() != (self._values.get(attribute.name) or ""):
                    out.append((self._item_id, attribute.name, widget.text()))
                widget.setModified(False)
        return out

    def _rebuild(self, attributes: tuple[Attribute, ...]) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)  # deletes the row's widgets
        self.widgets = {}
        self._attributes = attributes
        for attribute in attributes:
            tip = tooltip_html(attribute.description) if attribute.description else ""
            name = shown_name(attribute.name)
            if attribute.type == "bool":
                box = QCheckBox(button_text(name))
                box.clicked.connect(lambda checked, a=attribute: self._emit(a, bool(checked)))
                widget: QWidget = box
                self._form.addRow(widget)
            else:
                if attribute.type == "enum":
                    combo = QComboBox()
                    combo.addItem(UNSET)
                    combo.addItems(list(attribute.values))
                    combo.currentIndexChanged.connect(
                        lambda index, a=attribute: self._emit(a, None if index <= 0 else a.values[index - 1])
                    )
                    widget = combo
                else:
                    line = QLineEdit()
                    line.setPlaceholderText("plain text; Enter saves it")
                    line.setReadOnly(self._read_only)
                    line.editingFinished.connect(self.commit)
                    widget = line
                caption = QLabel(name)
                caption.setTextFormat(Qt.TextFormat.PlainText)
                caption.setBuddy(widget)
                caption.setToolTip(tip)
                self._form.addRow(caption, widget)
            widget.setObjectName(f"attribute_{attribute.name}")
            widget.installEventFilter(self)
            widget.setToolTip(tip)
            if not isinstance(widget, QLineEdit):
                widget.setEnabled(not self._read_only)
            self.widgets[attribute.name] = widget
            widget.show()  # now, not at the next event loop turn: focus_first may follow at once
        self.setFocusProxy(self.widgets[attributes[0].name] if attributes else None)

    def _emit(self, attribute: Attribute, value: AttributeValue | None) -> None:
        if self._loading or not self._item_id or value == self._values.get(attribute.name):
            return
        self._values[attribute.name] = value
        self.value_changed.emit(self._item_id, attribute.name, value)
