"""The span panel: the selected span's label, text and offsets, its note, uncertain flag and attributes, its links
(with the selected link's attributes) and, for a mention of an entity, the entity's other mentions and statements."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Literal

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFont, QKeyEvent, QPixmap, QTextCursor, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.model.labels import LabelSet
from annotator.model.relation import Relation
from annotator.model.span import Span
from annotator.ui.document.attribute_editor import AttributeEditor
from annotator.ui.plain_text import button_text, one_line, shown_name, tooltip_html

Direction = Literal["outgoing", "incoming"]
Link = tuple[Relation, Span, Direction]
"""``(relation, the span at its other end, direction)``: ``"outgoing"`` when the shown span is the relation's
``from`` end, ``"incoming"`` when it is the ``to`` end."""

DEFAULT_RELATION_TYPES = ("source", "target")
NO_SPAN_HINT = "Select a span (Tab moves between spans)"
NO_ATTRIBUTES_HINT = "This label set has no attributes; Label Set → Use Default Label Set adds them."
RELATION_ID_ROLE = Qt.ItemDataRole.UserRole
OTHER_SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SPAN_TEXT_LIMIT = 300  # code points of the span's text shown in the panel (the tooltip shows more)
TOOLTIP_LIMIT = 2000
LINK_TEXT_LIMIT = 40


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link_text(relation: Relation, other: Span, direction: Direction) -> str:
    """One line describing a link, as plain text (code-point offsets).

    Outgoing: ``source → actor “Wang Yi” [120, 127)``; incoming: ``← source of warning “…” [40, 61)``.
    """
    quoted = f"{shown_name(other.label)} “{one_line(other.text, LINK_TEXT_LIMIT)}” [{other.start}, {other.end})"
    if direction == "outgoing":
        return f"{relation.type} → {quoted}"
    return f"← {relation.type} of {quoted}"


def entity_summary(mentions: Sequence[Span]) -> str:
    """The span panel's line for an entity of ``mentions`` (saved order): ``Same actor: Ned Price (3 mentions)``,
    named by its first mention's text (one line, shortened)."""
    if not mentions:
        return ""
    label = "actor" if mentions[0].label == "actor" else shown_name(mentions[0].label)
    return f"Same {label}: {one_line(mentions[0].text, LINK_TEXT_LIMIT)} ({len(mentions)} mentions)"


def mention_text(span: Span) -> str:
    """One line for another mention of the selected span's entity: ``“Price” [300, 305)``."""
    return f"“{one_line(span.text, LINK_TEXT_LIMIT)}” [{span.start}, {span.end})"


def _is_commit_key(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and bool(
        event.modifiers() & Qt.KeyboardModifier.ControlModifier
    )


def _is_escape(event: QKeyEvent) -> bool:
    return event.key() == Qt.Key.Key_Escape and not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)


class _NoteEdit(QPlainTextEdit):
    """The note editor: plain text only (pasted or dropped HTML becomes its plain text); Tab leaves it.

    ``commit_requested`` on Ctrl+Enter / Ctrl+Return and when it loses focus (except to a popup such as its own
    context menu); ``escape_pressed`` on Escape (taken before the window's Escape shortcut).
    """

    commit_requested = Signal()
    escape_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanNote")
        self.setTabChangesFocus(True)
        self.setPlaceholderText("Note (plain text). Ctrl+Enter saves it; Esc saves it and goes back to the text.")

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (_is_commit_key(event) or _is_escape(event))
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_escape(event):
            self.escape_pressed.emit()
            return
        if _is_commit_key(event):
            self.commit_requested.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.commit_requested.emit()

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasText() or source.hasHtml()

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText():
            text = source.text()
        elif source.hasHtml():
            text = QTextDocumentFragment.fromHtml(source.html()).toPlainText()
        else:
            return
        self.insertPlainText(text)
        self.ensureCursorVisible()


class _LinkList(QListWidget):
    """The links list: Delete or Backspace asks to remove the current link (taken before the window's Delete
    shortcut); Enter and double-click activate an item (``itemActivated``)."""

    remove_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanLinks")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a row ends in its offsets: keep both ends in view
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(False)

    @staticmethod
    def _is_remove_key(event: QKeyEvent) -> bool:
        return event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._is_remove_key(event)
            and self.currentItem() is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._is_remove_key(event):
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)


class _MnemonicCaption(QLabel):
    """A plain-text caption whose mnemonic (Alt+letter) emits :attr:`activated` instead of focusing its buddy: the
    buddy here (an attribute editor) cannot take the focus itself, and the panel may have to say why nothing can."""

    activated = Signal()

    def __init__(self, object_name: str, text: str, buddy: QWidget) -> None:
        super().__init__(text)
        self.setObjectName(object_name)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setBuddy(buddy)  # shows the mnemonic underlined and grabs its shortcut

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Shortcut:
            self.activated.emit()
            return True
        return super().event(event)


class SpanPanel(QWidget):
    """The side panel for the selected span (``objectName`` ``spanPanel``).

    Shows the span's label (with a color swatch), text (plain, wrapped, shortened past
    :data:`SPAN_TEXT_LIMIT` code points) and offsets (``"[start, end) code points"``); edits its note
    (``spanNote``, a plain-text ``QPlainTextEdit``) and uncertain flag (``spanUncertain``); lists its links
    (``spanLinks``, one plain-text line each, see :func:`link_text`) with one "Link <type>…" button per relation type
    (``objectName`` ``f"link_{type}"``: ``link_source`` and ``link_target`` by default) and ``removeLink``.
    With no span everything is disabled and the hint ``spanPanelHint`` says :data:`NO_SPAN_HINT`.

    The panel never changes the model: it reports what the user asked for.

    Signals
    -------
    note_committed(str span_id, str note)
        The note typed for ``span_id`` differs from the span's note and was committed: the editor lost focus,
        Ctrl+Enter / Ctrl+Return or Escape was pressed, :meth:`commit_note` was called, or :meth:`show_span`
        switched to another span (or to none) while the edit was pending. ``span_id`` may name a span that was
        deleted meanwhile.
    uncertain_toggled(str span_id, bool uncertain)
        The user checked or unchecked "Uncertain".
    link_requested(str relation_type)
        A "Link <type>…" button was clicked; the lead lets the user pick the other span.
    relation_remove_requested(str relation_id)
        "Remove link" was clicked, or Delete / Backspace pressed in the links list, with a link selected.
    link_activated(str span_id)
        A link was double-clicked or Enter pressed on it: ``span_id`` is the span at its other end; or the same for a
        row of the entity list (another mention, or a statement linked to one).
    attribute_changed(str on, str item_id, str name, object value)
        The user set attribute ``name`` of the span (``on`` ``"span"``) or of the selected link (``"relation"``)
        ``item_id`` to ``value`` (``None``: unset; see :class:`AttributeEditor`).
    editing_finished()
        Escape was pressed in the note editor (after committing the note) or in an attribute's widget: focus can go
        back to the document.
    message(str text)
        Something to tell the user in the status bar (plain text), e.g. why Alt+A found no attribute to focus.
    """

    note_committed = Signal(str, str)
    uncertain_toggled = Signal(str, bool)
    link_requested = Signal(str)
    relation_remove_requested = Signal(str)
    link_activated = Signal(str)
    attribute_changed = Signal(str, str, str, object)
    editing_finished = Signal()
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanPanel")
        self._span: Span | None = None
        self._known_note = ""  # the note the model has for the span shown; the editor differs from it = pending
        self._loading = False
        self._read_only = False
        self.link_buttons: dict[str, QPushButton] = {}
        self._label_set: LabelSet | None = None
        self._relations: dict[str, Relation] = {}

        self.hint = self._plain_label("spanPanelHint", NO_SPAN_HINT)
        self.hint.setWordWrap(True)
        self.swatch = QLabel()
        self.swatch.setObjectName("spanSwatch")
        self.label_name = self._plain_label("spanLabel")
        bold = QFont(self.label_name.font())
        bold.setBold(True)
        self.label_name.setFont(bold)
        self.offsets = self._plain_label("spanOffsets")
        self.span_text = self._plain_label("spanText")
        self.span_text.setWordWrap(True)
        self.span_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long unbreakable word must not widen the panel: the label takes the width it is given.
        self.span_text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.note = _NoteEdit()
        note_caption = self._plain_label("spanNoteCaption", "&Note")
        note_caption.setTextFormat(Qt.TextFormat.PlainText)
        note_caption.setBuddy(self.note)
        self.uncertain = QCheckBox("&Uncertain")
        self.uncertain.setObjectName("spanUncertain")
        self.uncertain.setToolTip(tooltip_html("Mark the span as one you are unsure of"))
        self.attributes = AttributeEditor("spanAttributes")
        self.attributes_caption = _MnemonicCaption("spanAttributesCaption", "&Attributes", self.attributes)
        self.attributes_hint = self._plain_label("spanAttributesHint")
        self.attributes_hint.setWordWrap(True)
        self.entity_caption = self._plain_label("spanEntity")
        self.entity_caption.setWordWrap(True)
        self.entity = QListWidget()
        self.entity.setObjectName("spanEntityList")
        self.entity.setUniformItemSizes(True)
        self.entity.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.entity.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.entity.setToolTip(tooltip_html("The entity's other mentions and the statements linked to any of them"))
        self.entity_caption.setBuddy(self.entity)
        self.links = _LinkList()
        links_caption = self._plain_label("spanLinksCaption", "Lin&ks")
        links_caption.setBuddy(self.links)
        self.remove_button = QPushButton("Remove link")
        self.remove_button.setObjectName("removeLink")
        self.remove_button.setToolTip(tooltip_html("Remove the selected link (Delete in the list)"))
        self.link_attributes = AttributeEditor("linkAttributes")
        self.link_attributes_caption = _MnemonicCaption(
            "linkAttributesCaption", "Link attri&butes", self.link_attributes
        )

        header = QHBoxLayout()
        header.addWidget(self.swatch)
        header.addWidget(self.label_name)
        header.addStretch(1)
        header.addWidget(self.offsets)
        self._link_row = QHBoxLayout()
        buttons = QHBoxLayout()
        buttons.addLayout(self._link_row)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.hint)
        layout.addLayout(header)
        layout.addWidget(self.span_text)
        layout.addWidget(note_caption)
        layout.addWidget(self.note, 2)
        layout.addWidget(self.uncertain)
        layout.addWidget(self.attributes_caption)
        layout.addWidget(self.attributes_hint)
        layout.addWidget(self.attributes)
        layout.addWidget(self.entity_caption)
        layout.addWidget(self.entity, 1)
        layout.addWidget(links_caption)
        layout.addWidget(self.links, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.link_attributes_caption)
        layout.addWidget(self.link_attributes)

        self.note.commit_requested.connect(self.commit_note)
        self.note.escape_pressed.connect(self._on_escape)
        self.uncertain.clicked.connect(self._on_uncertain_clicked)
        self.links.itemSelectionChanged.connect(self._update_remove_button)
        self.links.itemSelectionChanged.connect(self._show_link_attributes)
        self.attributes.value_changed.connect(lambda i, n, v: self.attribute_changed.emit("span", i, n, v))
        self.link_attributes.value_changed.connect(lambda i, n, v: self.attribute_changed.emit("relation", i, n, v))
        self.entity.itemActivated.connect(self._on_item_activated)
        self.links.itemActivated.connect(self._on_item_activated)
        self.links.remove_requested.connect(self._remove_current_link)
        self.attributes_caption.activated.connect(self.focus_attributes)
        self.link_attributes_caption.activated.connect(self.focus_link_attributes)
        self.attributes.escape_pressed.connect(self._on_escape)
        self.link_attributes.escape_pressed.connect(self._on_escape)
        self.remove_button.clicked.connect(self._remove_current_link)

        self.set_relation_types(DEFAULT_RELATION_TYPES)
        self.show_span(None, [], None)

    # -- public ---------------------------------------------------------------------------------------------------
    @property
    def span_id(self) -> str | None:
        """Id of the span shown, or ``None``."""
        return self._span.id if self._span else None

    def set_relation_types(self, names: Iterable[str]) -> None:
        """Rebuild the link buttons: one ``"Link <name>…"`` button per relation type name (plain text), with
        ``objectName`` ``f"link_{name}"``, emitting :attr:`link_requested` with ``name``; kept in
        :attr:`link_buttons`. The default is ``("source", "target")``."""
        if list(self.link_buttons) == list(dict.fromkeys(names)):
            return
        for button in self.link_buttons.values():
            self._link_row.removeWidget(button)
            button.hide()
            button.setParent(None)  # gone from findChild at once, not at the next event loop turn
            button.deleteLater()
        self.link_buttons = {}
        for name in dict.fromkeys(names):  # unique, in order
            button = QPushButton(button_text(f"Link {name}…"))
            button.setObjectName(f"link_{name}")
            button.setToolTip(tooltip_html(f"Link this span to another span by a “{name}” relation"))
            button.setEnabled(self._span is not None and not self._read_only)
            button.clicked.connect(lambda _checked=False, n=name: self.link_requested.emit(n))
            self._link_row.addWidget(button)
            self.link_buttons[name] = button

    def set_label_set(self, label_set: LabelSet | None) -> None:
        """The label set whose attributes the panel offers (``None``: none); shown from the next :meth:`show_span`."""
        self._label_set = label_set

    def show_span(
        self,
        span: Span | None,
        links: Sequence[Link],
        label_color_hex: str | None,
        *,
        mentions: Sequence[Span] = (),
        entity_links: Sequence[Link] = (),
    ) -> None:
        """Show ``span`` (``None``: no span) with its ``links`` and its label's ``#rrggbb`` color (``None``: no
        swatch); its attributes (those its label allows in the label set of :meth:`set_label_set`) and, when a link
        is selected in the list, the link's. ``mentions`` are every mention of its entity (saved order, the span
        among them; ``()``: in none): the entity's line (:func:`entity_summary`) and list show the other mentions
        and ``entity_links``, the statements linked to any other mention (``other`` being the statement).

        For the span already shown, a note being typed is kept: the editor takes ``span.note`` only while it holds
        no uncommitted edit. For another span (or ``None``) an uncommitted edit is committed first:
        :attr:`note_committed` is emitted for the previous span's id (after the new span is shown, so a slot may
        call :meth:`show_span` again).
        """
        previous = self._span
        same = span is not None and previous is not None and span.id == previous.id
        typed = self.note.toPlainText()
        pending = previous is not None and not same and typed != self._known_note
        # Typed text is never replaced: for the same span the editor is refreshed only while it holds no
        # uncommitted edit (then nothing typed is lost, even with the focus in it).
        keep_typing = same and typed != self._known_note
        current_link = self._current_relation_id()
        current_row = self.links.currentRow()
        links_had_focus = self.links.hasFocus()

        self._loading = True
        try:
            self._span = span
            self._known_note = span.note if span else ""
            enabled = span is not None
            self.hint.setVisible(not enabled)
            for widget in (self.note, self.uncertain, self.links, *self.link_buttons.values()):
                widget.setEnabled(enabled)
            if self._read_only:  # shown, but nothing here can change it
                for widget in (self.uncertain, *self.link_buttons.values()):
                    widget.setEnabled(False)
            self.note.setReadOnly(self._read_only)
            self._show_label(span, label_color_hex)
            if span is None:
                self.span_text.clear()
                self.span_text.setToolTip("")
                self.offsets.clear()
            else:
                self.span_text.setText(shorten(span.text, SPAN_TEXT_LIMIT))
                self.span_text.setToolTip(tooltip_html(shorten(span.text, TOOLTIP_LIMIT)))
                self.offsets.setText(f"[{span.start}, {span.end}) code points")
            if not keep_typing and self.note.toPlainText() != self._known_note:
                self.note.setPlainText(self._known_note)
            self.uncertain.setChecked(bool(span and span.uncertain))
            self._show_links(links if span else [], current_link if same else None, current_row, links_had_focus)
            self._show_entity(span, mentions, entity_links)
        finally:
            self._loading = False
        label_set = self._label_set
        attributes = label_set.attributes_for(span.label) if span is not None and label_set is not None else []
        self.attributes.show_item(span.id if span else "", attributes, span.attributes if span else {})
        # Shown with any span, so that Alt+A always answers: the attributes, or why there are none.
        self.attributes_caption.setVisible(span is not None)
        has_any = label_set is not None and any(a.on == "span" for a in label_set.attributes)
        hint = ""
        if span is not None and not attributes:
            hint = f"No attributes for {span.label} spans." if has_any else NO_ATTRIBUTES_HINT
        self.attributes_hint.setText(hint)
        self.attributes_hint.setVisible(span is not None and not attributes)
        self._show_link_attributes()
        self._update_tab_order()
        if pending and previous is not None:
            self.note_committed.emit(previous.id, typed)

    def commit_note(self) -> bool:
        """Commit the note being typed: emit :attr:`note_committed` if it differs from the span's note (and any text
        attribute being typed: :attr:`attribute_changed`).

        Call it before saving or closing, where the editor keeps focus. Returns whether it emitted.
        """
        if self._loading or self._span is None:
            return False
        committed = self.attributes.commit() | self.link_attributes.commit()
        text = self.note.toPlainText()
        if text == self._known_note:
            return committed
        self._known_note = text  # committed once; the model's answer comes back through show_span
        self.note_committed.emit(self._span.id, text)
        return True

    def focus_note(self) -> bool:
        """Put the keyboard focus in the note editor, the caret at the end. Returns ``False`` (and does nothing)
        when no span is shown."""
        if self._span is None:
            return False
        self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.note.moveCursor(QTextCursor.MoveOperation.End)
        return True

    def focus_attributes(self) -> bool:
        """Alt+A: put the keyboard focus on the selected span's first attribute; when it has none (or none can be
        changed) say why (:attr:`message`) and return ``False``."""
        if self._span is None:
            self.message.emit("Select a span first (Tab moves between spans).")
            return False
        if self.attributes.focus_first():
            return True
        if self._read_only and self.attributes.focus_widgets():
            self.message.emit("The document is read-only: its attributes cannot be changed.")
        else:
            self.message.emit(self.attributes_hint.text() or f"{self._span.label} spans have no attributes.")
        return False

    def focus_link_attributes(self) -> bool:
        """Alt+B: put the keyboard focus on the selected link's first attribute; when there is none say why
        (:attr:`message`) and return ``False``."""
        relation = self._relations.get(self._current_relation_id() or "")
        if self.link_attributes.focus_first():
            return True
        if relation is None:
            self.message.emit("Select a link in the Links list first (Alt+K).")
        elif self._read_only:
            self.message.emit("The document is read-only: its attributes cannot be changed.")
        else:
            self.message.emit(f"A {relation.type} link has no attributes in this label set.")
        return False

    def has_pending_note(self) -> bool:
        """Whether the editor holds text not yet committed for the span shown."""
        return self._span is not None and self.note.toPlainText() != self._known_note

    # -- building -------------------------------------------------------------------------------------------------
    def _plain_label(self, object_name: str, text: str = "") -> QLabel:
        label = QLabel(text)
        label.setObjectName(object_name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def _show_label(self, span: Span | None, color_hex: str | None) -> None:
        self.label_name.setText(shown_name(span.label) if span else "")
        color = QColor(color_hex) if color_hex else QColor()
        if span is None or not color.isValid():
            self.swatch.clear()
            self.swatch.setVisible(False)
            return
        side = max(8, self.label_name.fontMetrics().height() - 4)
        pixmap = QPixmap(side, side)
        pixmap.fill(color)
        self.swatch.setPixmap(pixmap)
        self.swatch.setToolTip(tooltip_html(color.name()))
        self.swatch.setVisible(True)

    def _show_entity(self, span: Span | None, mentions: Sequence[Span], entity_links: Sequence[Link]) -> None:
        others = [m for m in mentions if span is not None and m.id != span.id]
        self.entity_caption.setText(button_text(entity_summary(mentions)) if others else "")  # "&": no mnemonic
        self.entity.clear()
        for other in others:
            item = QListWidgetItem(mention_text(other))
            item.setData(OTHER_SPAN_ID_ROLE, other.id)
            item.setToolTip(tooltip_html(shorten(other.text, TOOLTIP_LIMIT)))
            self.entity.addItem(item)
        for relation, statement, direction in entity_links:
            item = QListWidgetItem(link_text(relation, statement, direction))
            item.setData(OTHER_SPAN_ID_ROLE, statement.id)
            item.setToolTip(tooltip_html(f"{item.text()}\n\n{shorten(statement.text, TOOLTIP_LIMIT)}"))
            self.entity.addItem(item)
        for widget in (self.entity_caption, self.entity):
            widget.setVisible(bool(others))

    def _show_link_attributes(self) -> None:
        relation = self._relations.get(self._current_relation_id() or "")
        label_set = self._label_set
        attributes = label_set.attributes_for(relation.type, "relation") if relation is not None and label_set else []
        self.link_attributes.show_item(
            relation.id if relation else "", attributes, relation.attributes if relation else {}
        )
        # Shown while the span has links the label set gives attributes to, so that Alt+B always answers.
        has_any = self._label_set is not None and any(a.on == "relation" for a in self._label_set.attributes)
        self.link_attributes_caption.setVisible(bool(attributes) or (has_any and bool(self._relations)))
        self._update_tab_order()

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab go round the panel's shown fields (:meth:`_tab_chain`), never out of it into a dock
        tabbed behind it; Escape goes back to the text."""
        chain = [
            w
            for w in self._tab_chain()
            if w.isVisibleTo(self) and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        ]
        current = QApplication.focusWidget()
        if current not in chain:
            return super().focusNextPrevChild(next)
        step = 1 if next else -1
        target = chain[(chain.index(current) + step) % len(chain)]
        target.setFocus(Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason)
        return True

    def _tab_chain(self) -> list[QWidget]:
        """Note → Uncertain → the span's attributes → the entity's list → Links → the link buttons → Remove link →
        the link's attributes, whatever order the widgets were made in."""
        return [
            self.note,
            self.uncertain,
            *self.attributes.focus_widgets(),
            self.entity,
            self.links,
            *self.link_buttons.values(),
            self.remove_button,
            *self.link_attributes.focus_widgets(),
        ]

    def _update_tab_order(self) -> None:
        chain = self._tab_chain()
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _show_links(self, links: Sequence[Link], keep_relation: str | None, old_row: int, had_focus: bool) -> None:
        self.links.clear()
        self._relations = {relation.id: relation for relation, _other, _direction in links}
        for relation, other, direction in links:
            item = QListWidgetItem(link_text(relation, other, direction))
            item.setData(RELATION_ID_ROLE, relation.id)
            item.setData(OTHER_SPAN_ID_ROLE, other.id)
            item.setToolTip(tooltip_html(f"{item.text()}\n\n{shorten(other.text, TOOLTIP_LIMIT)}"))
            self.links.addItem(item)
        row = -1
        if keep_relation is not None:
            row = next((i for i in range(self.links.count()) if self._relation_id(i) == keep_relation), -1)
            if row < 0 and had_focus and self.links.count():  # the link just removed: go on with its neighbour
                row = min(old_row, self.links.count() - 1)
        if row >= 0:
            self.links.setCurrentRow(row)
        self._update_remove_button()

    # -- reacting ---------------------------------------------------------------------------------------------------
    def _relation_id(self, row: int) -> str:
        return self.links.item(row).data(RELATION_ID_ROLE)

    def _current_relation_id(self) -> str | None:
        item = self.links.currentItem()
        return item.data(RELATION_ID_ROLE) if item is not None and item.isSelected() else None

    def set_read_only(self, read_only: bool) -> None:
        """Show spans without letting the note, the flag or the links be changed (the document is read-only)."""
        self._read_only = read_only
        self.note.setReadOnly(read_only)
        self.attributes.set_read_only(read_only)
        self.link_attributes.set_read_only(read_only)
        self.uncertain.setEnabled(self._span is not None and not read_only)
        for button in self.link_buttons.values():
            button.setEnabled(self._span is not None and not read_only)
        self._update_remove_button()

    def _update_remove_button(self) -> None:
        self.remove_button.setEnabled(
            self._span is not None and not self._read_only and self._current_relation_id() is not None
        )

    def _remove_current_link(self) -> None:
        relation_id = self._current_relation_id()
        if relation_id is not None and self._span is not None:
            self.relation_remove_requested.emit(relation_id)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        self.link_activated.emit(item.data(OTHER_SPAN_ID_ROLE))

    def _on_uncertain_clicked(self, checked: bool) -> None:
        if self._span is not None:
            self.uncertain_toggled.emit(self._span.id, checked)

    def _on_escape(self) -> None:
        self.commit_note()
        self.editing_finished.emit()
