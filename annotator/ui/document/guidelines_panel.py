"""The guidelines panel: the label set's annotation guidelines, one section per label, then its relation types."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from annotator.model.labels import Label, LabelSet, RelationType
from annotator.ui.document.legend import SwatchView

HIGHLIGHT_ALPHA = 45


def _plain_label(text: str, parent: QWidget, *, object_name: str = "", wrap: bool = True, bold: bool = False) -> QLabel:
    """A QLabel that shows ``text`` literally (never as HTML), selectable, optionally word-wrapped and bold."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    if bold:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
    return label


class _SectionPanel(QFrame):
    """One block of the panel; draws a highlight (the palette's Highlight color, faint fill and solid outline)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.highlighted = False
        self.setLayout(QVBoxLayout())
        self.layout().setContentsMargins(8, 6, 8, 6)
        self.layout().setSpacing(4)

    def set_highlighted(self, highlighted: bool) -> None:
        self.highlighted = highlighted
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.highlighted:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = self.palette().color(QPalette.ColorRole.Highlight)
        fill = QColor(color)
        fill.setAlpha(HIGHLIGHT_ALPHA)
        painter.setPen(color)
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)
        painter.end()


def _label_matches(label: Label, needle: str) -> bool:
    haystack = [label.name, label.description, *label.examples]
    return any(needle in text.casefold() for text in haystack)


class GuidelinesPanel(QWidget):
    """The annotation guidelines of a label set, as plain text.

    For each label: a swatch (as in :class:`~annotator.ui.document.legend.LegendBar`), its name, its hotkey, its
    description (several paragraphs allowed) and its examples as a bulleted list; then each relation type with its
    description and the labels allowed at each end. A filter field (object name ``guidelinesFilter``) narrows the
    labels to those whose name, description or an example contains the filter text (case-insensitively); relation
    types are narrowed the same way by name and description.

    Child object names: ``guidelinesFilter``, ``guidelinesScroll``, ``guidelineLabel_<name>`` (a label's section),
    ``guidelineRelation_<name>`` (a relation type's section), ``guidelinesNoMatch``.

    ``on_screen``, if set, says whether the panel can be seen (else :meth:`isVisible` does); the sections are built
    when it can (on showing, or :meth:`ensure_built`) or are asked about. A dock tabbed behind another is "visible" to
    Qt (only moved off the screen), so the main window answers from its dock's ``visibilityChanged`` instead.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidelinesPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("guidelinesFilter")
        self.filter_edit.setPlaceholderText("Filter labels")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply_filter)
        layout.addWidget(self.filter_edit)
        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("guidelinesScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self._scroll, 1)
        self._label_set: LabelSet | None = None
        self._label_sections: dict[str, _SectionPanel] = {}
        self._relation_sections: dict[str, _SectionPanel] = {}
        self._highlighted: str | None = None
        self._stale = False  # the sections do not show the label set yet: built when shown or asked about
        self.on_screen: Callable[[], bool] | None = None
        self._build()

    # -- content ------------------------------------------------------------------------------------------------
    def set_label_set(self, label_set: LabelSet) -> None:
        """Show the guidelines of ``label_set`` (the filter text is kept and applied; no label is highlighted).

        The same label set again (each opened document sets it) only clears the highlight: rebuilding the
        sections costs about 0.15 s. While the panel is hidden (tabbed behind the span panel at start-up), the
        sections are built when it is first shown or asked about (issue 22: start-up)."""
        if label_set == self._label_set and not self._stale and self._label_sections:
            if self._highlighted is not None and self._highlighted in self._label_sections:
                self._label_sections[self._highlighted].set_highlighted(False)
            self._highlighted = None
            return
        self._label_set = label_set
        self._stale = not self._seen()
        if not self._stale:
            self._build()

    def _seen(self) -> bool:
        return self.on_screen() if self.on_screen is not None else self.isVisible()

    def ensure_built(self) -> None:
        """Build the sections now if they do not show the label set yet (e.g. the panel has come on screen)."""
        if self._stale:
            self._build()

    def showEvent(self, event: QShowEvent) -> None:
        if self._seen():
            self.ensure_built()
        super().showEvent(event)

    def _build(self) -> None:
        self._stale = False
        content = QWidget()
        content.setObjectName("guidelinesContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 4, 4, 4)
        column.setSpacing(6)
        self._label_sections = {}
        self._relation_sections = {}
        self._highlighted = None
        self._no_match = _plain_label("No label matches the filter.", content, object_name="guidelinesNoMatch")
        self._no_match.hide()
        column.addWidget(self._no_match)
        self._relations_title = _plain_label("Relations", content, bold=True, object_name="guidelinesRelationsTitle")
        if self._label_set is not None:
            for label in self._label_set.labels:
                section = self._label_section(label, content)
                column.addWidget(section)
                self._label_sections[label.name] = section
            column.addSpacing(8)
            column.addWidget(self._relations_title)
            for relation_type in self._label_set.relation_types:
                section = self._relation_section(relation_type, content)
                column.addWidget(section)
                self._relation_sections[relation_type.name] = section
        else:
            self._relations_title.hide()
        column.addStretch(1)
        old = self._scroll.takeWidget()
        self._scroll.setWidget(content)
        if old is not None:
            old.deleteLater()
        self._apply_filter(self.filter_edit.text())

    def _label_section(self, label: Label, parent: QWidget) -> _SectionPanel:
        section = _SectionPanel(parent)
        section.setObjectName(f"guidelineLabel_{label.name}")
        header = QHBoxLayout()
        header.setSpacing(6)
        swatch = SwatchView(label.color, section)
        swatch.setObjectName("guidelineSwatch")
        header.addWidget(swatch)
        header.addWidget(_plain_label(label.name, section, wrap=False, bold=True, object_name="guidelineName"))
        if label.hotkey:
            header.addWidget(_plain_label(f"key {label.hotkey}", section, wrap=False, object_name="guidelineHotkey"))
        header.addStretch(1)
        section.layout().addLayout(header)
        if label.description:
            section.layout().addWidget(_plain_label(label.description, section, object_name="guidelineDescription"))
        if label.examples:
            section.layout().addWidget(_plain_label("Examples:", section, object_name="guidelineExamplesTitle"))
            for example in label.examples:
                section.layout().addWidget(_plain_label(f"•  {example}", section, object_name="guidelineExample"))
        return section

    def _relation_section(self, relation_type: RelationType, parent: QWidget) -> _SectionPanel:
        section = _SectionPanel(parent)
        section.setObjectName(f"guidelineRelation_{relation_type.name}")
        section.layout().addWidget(
            _plain_label(relation_type.name, section, wrap=False, bold=True, object_name="guidelineRelationName")
        )
        if relation_type.description:
            section.layout().addWidget(
                _plain_label(relation_type.description, section, object_name="guidelineRelationDescription")
            )
        ends = (
            f"from: {', '.join(relation_type.from_labels) or 'any label'}\n"
            f"to: {', '.join(relation_type.to_labels) or 'any label'}"
        )
        section.layout().addWidget(_plain_label(ends, section, object_name="guidelineRelationEnds"))
        return section

    # -- filter -------------------------------------------------------------------------------------------------
    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        shown = 0
        if self._label_set is not None:
            for label in self._label_set.labels:
                match = not needle or _label_matches(label, needle)
                self._label_sections[label.name].setHidden(not match)
                shown += match
            relations = 0
            for relation_type in self._label_set.relation_types:
                match = not needle or any(
                    needle in text.casefold() for text in (relation_type.name, relation_type.description)
                )
                self._relation_sections[relation_type.name].setHidden(not match)
                relations += match
            self._relations_title.setHidden(relations == 0)
            self._no_match.setHidden(shown > 0)

    def shown_labels(self) -> list[str]:
        """Names of the labels the filter lets through, in the label set's order."""
        self.ensure_built()
        return [name for name, section in self._label_sections.items() if not section.isHidden()]

    # -- navigation ---------------------------------------------------------------------------------------------
    @property
    def highlighted_label(self) -> str | None:
        """Name of the label whose section :meth:`show_label` highlighted last, or ``None``."""
        return self._highlighted

    def show_label(self, name: str) -> bool:
        """Scroll to label ``name``'s section and highlight it (un-highlighting the previous one).

        A filter that hides the label is cleared first. Returns ``False`` (and changes nothing) when the label set
        has no such label.
        """
        self.ensure_built()
        section = self._label_sections.get(name)
        if section is None:
            return False
        if section.isHidden():
            self.filter_edit.clear()
        if self._highlighted is not None and self._highlighted in self._label_sections:
            self._label_sections[self._highlighted].set_highlighted(False)
        section.set_highlighted(True)
        self._highlighted = name
        self._scroll.widget().layout().activate()  # place the sections now (the filter may just have changed)
        self._scroll.verticalScrollBar().setValue(section.y() - 4)  # section at the top, as far as the range allows
        return True
