"""The agreement dialog: a project's inter-annotator agreement (an :class:`~annotator.review.agreement.AgreementReport`)
as the corpus figures, a sortable table of annotator pairs and, for the chosen pair, the per-label span figures and
the token confusion matrix drawn as a heat map; when the label set has span attributes or document labels, a tab
for each kind lists their agreement per item and pair, with the reasons of undefined figures written out.

Everything taken from the data (annotator names, labels, file messages) is shown as plain text: table items are
plain, every label is :attr:`Qt.TextFormat.PlainText` and tooltips go through
:func:`~annotator.ui.plain_text.tooltip_html`. An undefined figure reads "undefined" with its reason in the tooltip.
:mod:`annotator.ui.main.review` computes the report and opens the dialog.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.review.agreement import SPAN_FIGURES, AgreementReport, PairAgreement
from annotator.review.majority import GOLD_ANNOTATOR
from annotator.review.measure import Measure
from annotator.review.nominal import NominalAgreement
from annotator.ui.contrast import is_dark
from annotator.ui.plain_text import tooltip_html

__all__ = ["AgreementDialog", "ConfusionHeatMap", "format_measure", "heat_color", "text_color_on"]

MODES = ("exact", "overlap")
"""The span matching modes, in column order."""

UNDEFINED = "undefined"
"""What an undefined figure reads (its reason is the tooltip)."""

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""Item data the tables sort by (numbers as numbers; undefined below every number)."""

PAIR_ROLE = Qt.ItemDataRole.UserRole
"""On a pairs-table row's first item: the index of its pair in ``report.pairs``."""

_NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def format_measure(measure: Measure) -> str:
    """A figure with 3 decimals, or ``"undefined"``."""
    return UNDEFINED if measure.value is None else f"{measure.value:.3f}"


def heat_color(base: QColor, strong: QColor, share: float) -> QColor:
    """The color ``share`` (0 to 1, clamped) of the way from ``base`` to ``strong``, mixed channel by channel."""
    share = min(max(share, 0.0), 1.0)
    return QColor.fromRgbF(
        base.redF() + (strong.redF() - base.redF()) * share,
        base.greenF() + (strong.greenF() - base.greenF()) * share,
        base.blueF() + (strong.blueF() - base.blueF()) * share,
    )


def text_color_on(background: QColor) -> QColor:
    """Black or white, whichever contrasts more with ``background`` (WCAG luminance, see
    :func:`annotator.ui.contrast.is_dark`)."""
    return QColor(Qt.GlobalColor.white if is_dark(background.name()) else Qt.GlobalColor.black)


def _cell(text: str) -> str:
    """``text`` as one tab-separated cell: tabs and line breaks become spaces."""
    return " ".join(text.replace("\t", " ").splitlines()) if text else ""


def _plain_label(text: str, parent: QWidget, *, wrap: bool = True) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class _Item(QTableWidgetItem):
    """A read-only table item that sorts by :data:`SORT_ROLE` when both items have it."""

    def __init__(self, text: str, sort_key: float | str | None = None) -> None:
        super().__init__(text)
        self.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        if sort_key is not None:
            self.setData(SORT_ROLE, sort_key)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None or type(mine) is not type(theirs):
            return super().__lt__(other)
        return mine < theirs


def _name_item(text: str) -> _Item:
    item = _Item(text, text.casefold())
    item.setToolTip(tooltip_html(text))
    return item


def _count_item(count: int) -> _Item:
    item = _Item(str(count), float(count))
    item.setTextAlignment(_NUMBER_ALIGNMENT)
    return item


def _measure_item(measure: Measure) -> _Item:
    """A figure's cell: 3 decimals, or "undefined" (italic, sorted below every number) with the reason as tooltip."""
    item = _Item(format_measure(measure), float("-inf") if measure.value is None else measure.value)
    item.setTextAlignment(_NUMBER_ALIGNMENT)
    if measure.value is None:
        item.setToolTip(tooltip_html(measure.reason))
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
    return item


def _table(parent: QWidget, columns: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


class ConfusionHeatMap(QTableWidget):
    """A token confusion matrix as a heat map: row = annotator A's label, column = B's; each cell holds its count and
    is shaded from the palette's ``Base`` color (none of the row) to its ``Highlight`` color (all of the row), with
    black or white text, whichever reads better. The colors follow palette changes (light and dark themes)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matrix: dict[str, dict[str, int]] = {}
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setCornerButtonEnabled(False)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setMinimumSectionSize(56)

    def set_matrix(self, matrix: Mapping[str, Mapping[str, int]], a: str = "A", b: str = "B") -> None:
        """Show ``matrix`` (``{label of a: {label of b: tokens}}``); ``a`` and ``b`` name the annotators in tooltips."""
        self._matrix = {row: dict(columns) for row, columns in matrix.items()}
        rows = list(self._matrix)
        columns = list(dict.fromkeys(column for counts in self._matrix.values() for column in counts))
        self.clear()
        self.setRowCount(len(rows))
        self.setColumnCount(len(columns))
        for index, label in enumerate(columns):
            header = QTableWidgetItem(label)
            header.setToolTip(tooltip_html(f"{b}: {label}"))
            self.setHorizontalHeaderItem(index, header)
        for index, label in enumerate(rows):
            header = QTableWidgetItem(label)
            header.setToolTip(tooltip_html(f"{a}: {label}"))
            self.setVerticalHeaderItem(index, header)
        for row, row_label in enumerate(rows):
            total = sum(self._matrix[row_label].values())
            for column, column_label in enumerate(columns):
                count = self._matrix[row_label].get(column_label, 0)
                item = QTableWidgetItem(str(count))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setTextAlignment(_NUMBER_ALIGNMENT)
                item.setData(Qt.ItemDataRole.UserRole, count / total if total else 0.0)
                share = f"{count / total:.0%} of" if total else "none of"
                item.setToolTip(
                    tooltip_html(
                        f"{a}: {row_label}, {b}: {column_label}\n"
                        f"{count} token{'s' if count != 1 else ''}, {share} the {total} tokens {a} labeled {row_label}"
                    )
                )
                if row_label == column_label:
                    font = item.font()
                    font.setBold(True)  # the diagonal: where they agree
                    item.setFont(font)
                self.setItem(row, column, item)
        self.recolor()

    def matrix(self) -> dict[str, dict[str, int]]:
        """The counts shown, read back from the cells: ``{row label: {column label: count}}``."""
        return {
            self.verticalHeaderItem(row).text(): {
                self.horizontalHeaderItem(column).text(): int(self.item(row, column).text())
                for column in range(self.columnCount())
            }
            for row in range(self.rowCount())
        }

    def recolor(self) -> None:
        """Shade every cell for the current palette."""
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        strong = palette.color(QPalette.ColorRole.Highlight)
        for row in range(self.rowCount()):
            for column in range(self.columnCount()):
                item = self.item(row, column)
                background = heat_color(base, strong, float(item.data(Qt.ItemDataRole.UserRole) or 0.0))
                item.setBackground(background)
                item.setForeground(text_color_on(background))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.recolor()


ALL_ANNOTATORS = "(all annotators)"
GOLD_NOTE = "gold compared pair by pair, not in the all-annotators figures"
"""Said beside the annotators when gold is one: the (all annotators) rows, Fleiss' kappa and alpha leave it out."""
"""The annotator column of an item's all-annotator row."""


def value_rows(
    items: Sequence[NominalAgreement],
) -> list[tuple[str, str, str, int, tuple[Measure | None, Measure | None, Measure | None, Measure | None]]]:
    """The rows of an attribute or document-label table: per item, each pair ``(item, a, b, units, (observed,
    Cohen's kappa, None, None))``, then ``(item, "(all annotators)", "", units, (observed, None, alpha, Fleiss'
    kappa or None))``."""
    rows: list = []
    for item in items:
        rows += [(item.name, p.a, p.b, p.units, (p.observed, p.cohen_kappa, None, None)) for p in item.pairs]
        rows.append(
            (
                item.name,
                ALL_ANNOTATORS,
                "",
                item.units,
                (item.observed, None, item.krippendorff_alpha, item.fleiss_kappa),
            )
        )
    return rows


def value_reasons(items: Sequence[NominalAgreement]) -> list[str]:
    """``item: who: figure: reason`` for every undefined figure of ``items``, in table order."""
    names = ("observed agreement", "Cohen's kappa", "Krippendorff's alpha", "Fleiss' kappa")
    out = []
    for name, a, b, _units, figures in value_rows(items):
        who = f"{a} / {b}" if b else a
        out += [
            f"{name}: {who}: {figure}: {m.reason}"
            for figure, m in zip(names, figures, strict=True)
            if m is not None and m.value is None
        ]
    return out


class AgreementDialog(QDialog):
    """A project's agreement: corpus figures on top, the annotator pairs below (sortable; the pairs table has the
    focus and Up/Down choose the pair), and the chosen pair's per-label figures and token confusion heat map.

    Parameters
    ----------
    parent: the window it belongs to.
    report: the agreement to show.
    title: what was measured (the project's name), shown in the window title.
    faults: plain-text messages about files that were left out, listed under the figures.
    """

    PAIR_COLUMNS = ("Annotator A", "Annotator B", "Shared documents", "F1 exact", "F1 overlap", "Cohen's kappa")
    LABEL_COLUMNS = ("Label", "P exact", "R exact", "F1 exact", "P overlap", "R overlap", "F1 overlap")

    def __init__(
        self, parent: QWidget | None, report: AgreementReport, title: str = "", faults: Sequence[str] = ()
    ) -> None:
        super().__init__(parent)
        self.report = report
        self.title = title
        self.faults = list(faults)
        self.setWindowTitle(f"Agreement — {title}" if title else "Agreement")

        # -- corpus figures ----------------------------------------------------------------------------------
        self.documents_label = _plain_label(str(report.documents), self)
        self.annotators_label = _plain_label(self._annotators_text(), self)
        self.fleiss_label = self._figure_label(report.fleiss_kappa, self._fleiss_scope())
        self.alpha_label = self._figure_label(report.krippendorff_alpha, "over all documents")
        form = QFormLayout()
        form.addRow("Documents:", self.documents_label)
        form.addRow("Annotators:", self.annotators_label)
        form.addRow("Fleiss' kappa:", self.fleiss_label)
        form.addRow("Krippendorff's alpha (nominal):", self.alpha_label)

        # -- pairs ---------------------------------------------------------------------------------------------
        self.pairs_table = _table(self, self.PAIR_COLUMNS)
        self.pairs_table.setAccessibleName("Annotator pairs")
        self.pairs_table.setRowCount(len(report.pairs))
        for row, pair in enumerate(report.pairs):
            items = [
                _name_item(pair.a),
                _name_item(pair.b),
                _count_item(pair.shared_documents),
                _measure_item(pair.span_f1_exact),
                _measure_item(pair.span_f1_overlap),
                _measure_item(pair.cohen_kappa),
            ]
            items[0].setData(PAIR_ROLE, row)
            for column, item in enumerate(items):
                self.pairs_table.setItem(row, column, item)
        self.pairs_table.setSortingEnabled(True)
        self.pairs_table.sortItems(0)  # stable: the report's order (a, then b)
        self._fit_columns(self.pairs_table)
        pairs_heading = _plain_label(
            "Annotator pairs (A is the reference of precision and recall; figures over the documents both annotated)"
            if report.pairs
            else "No annotator pairs: agreement needs two or more annotators.",
            self,
        )

        # -- the chosen pair -----------------------------------------------------------------------------------
        self.detail_heading = _plain_label("", self)
        self.labels_table = _table(self, self.LABEL_COLUMNS)
        self.labels_table.setAccessibleName("Span figures per label")
        self.labels_table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.labels_table.setSortingEnabled(True)
        self.labels_note = _plain_label("", self)
        self.confusion_heading = _plain_label("", self)
        self.confusion_table = ConfusionHeatMap(self)
        self.confusion_table.setAccessibleName("Token confusion matrix")
        self.legend = _plain_label("", self)

        labels_box = QWidget(self)
        labels_layout = QVBoxLayout(labels_box)
        labels_layout.setContentsMargins(0, 0, 0, 0)
        labels_layout.addWidget(self.detail_heading)
        labels_layout.addWidget(self.labels_table, 1)
        labels_layout.addWidget(self.labels_note)
        confusion_box = QWidget(self)
        confusion_layout = QVBoxLayout(confusion_box)
        confusion_layout.setContentsMargins(0, 0, 0, 0)
        confusion_layout.addWidget(self.confusion_heading)
        confusion_layout.addWidget(self.confusion_table, 1)
        confusion_layout.addWidget(self.legend)
        details = QSplitter(Qt.Orientation.Horizontal, self)
        details.addWidget(labels_box)
        details.addWidget(confusion_box)
        details.setChildrenCollapsible(False)
        details.setStretchFactor(0, 3)
        details.setStretchFactor(1, 2)

        pairs_box = QWidget(self)
        pairs_layout = QVBoxLayout(pairs_box)
        pairs_layout.setContentsMargins(0, 0, 0, 0)
        pairs_layout.addWidget(pairs_heading)
        pairs_layout.addWidget(self.pairs_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(pairs_box)
        splitter.addWidget(details)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        shown_rows = min(max(len(report.pairs), 2), 8)  # the pairs table starts tall enough for up to 8 pairs
        pairs_height = (
            pairs_heading.sizeHint().height()
            + self.pairs_table.horizontalHeader().sizeHint().height()
            + self.pairs_table.verticalHeader().defaultSectionSize() * shown_rows
            + 2 * self.pairs_table.frameWidth()
            + 8
        )
        splitter.setSizes([pairs_height, 360])

        # -- files left out, buttons -------------------------------------------------------------------------
        self.faults_view: QPlainTextEdit | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton("&Copy as text", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(6)
        self.tabs: QTabWidget | None = None
        self.value_tables: dict[str, QTableWidget] = {}
        self.value_reasons: dict[str, QPlainTextEdit] = {}
        if report.attributes or report.document_labels:
            self.tabs = QTabWidget(self)
            self.tabs.addTab(splitter, "&Spans")
            for key, title, items in (
                ("attributes", "&Attributes", report.attributes),
                ("document_labels", "&Document labels", report.document_labels),
            ):
                if items:
                    self.tabs.addTab(self._value_tab(key, items), title)
            layout.addWidget(self.tabs, 1)
        else:
            layout.addWidget(splitter, 1)
        if self.faults:
            count = len(self.faults)
            layout.addWidget(_plain_label(f"{count} file{'s' if count != 1 else ''} left out:", self))
            self.faults_view = QPlainTextEdit("\n".join(self.faults), self)
            self.faults_view.setReadOnly(True)
            self.faults_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            lines = min(count, 5)
            self.faults_view.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 16)
            self.faults_view.setAccessibleName("Files left out")
            layout.addWidget(self.faults_view)
        layout.addWidget(buttons)

        self.pairs_table.itemSelectionChanged.connect(self._pair_chosen)
        if report.pairs:
            self.pairs_table.selectRow(0)
            self.pairs_table.setCurrentCell(0, 0)
        self._pair_chosen()
        self.pairs_table.setFocus()  # given once the dialog is shown
        self.resize(980, 680)

    # -- building --------------------------------------------------------------------------------------------------
    def _annotators_text(self) -> str:
        report = self.report
        if not report.annotators:
            return "none"
        parts = []
        for name in report.annotators:
            counts = report.per_annotator.get(name)
            if counts is None:
                parts.append(name)
                continue
            documents = f"{counts.documents} document{'s' if counts.documents != 1 else ''}"
            parts.append(f"{name} ({documents}, {counts.spans} span{'s' if counts.spans != 1 else ''})")
        text = f"{len(report.annotators)}: " + "; ".join(parts)
        if GOLD_ANNOTATOR in report.annotators:
            text += f" ({GOLD_NOTE})"
        return text

    def _fleiss_scope(self) -> str:
        pooled = self.report.fleiss_documents
        return f"over the {pooled} document{'s' if pooled != 1 else ''} every annotator annotated"

    def _figure_label(self, measure: Measure, scope: str) -> QLabel:
        """A corpus figure: ``0.712 (scope)``, or ``undefined (why?)`` with the reason as tooltip."""
        if measure.value is None:
            label = _plain_label(f"{UNDEFINED} (why?)", self)
            label.setToolTip(tooltip_html(measure.reason))
            label.setAccessibleDescription(measure.reason)
            label.setCursor(Qt.CursorShape.WhatsThisCursor)
        else:
            label = _plain_label(f"{format_measure(measure)} ({scope})", self)
        return label

    @staticmethod
    def _fit_columns(table: QTableWidget) -> None:
        """Columns as wide as their contents (names at most 240 px); numbers stay beside their headers."""
        table.resizeColumnsToContents()
        for column in range(table.columnCount()):
            table.setColumnWidth(column, min(table.columnWidth(column), 240))

    VALUE_COLUMNS = (
        "Item",
        "Annotator A",
        "Annotator B",
        "Units",
        "Observed agreement",
        "Cohen's kappa",
        "Krippendorff's alpha",
        "Fleiss' kappa",
    )

    def _value_tab(self, key: str, items: Sequence[NominalAgreement]) -> QWidget:
        """A tab of attribute or document-label agreement: per item one row per pair (Cohen's kappa) and one for all
        annotators (alpha; Fleiss' kappa for document labels), then the reasons of the undefined figures."""
        box = QWidget(self)
        column = QVBoxLayout(box)
        heading = (
            "Span attributes, over the spans two annotators marked alike (same offsets and label). "
            if key == "attributes"
            else "Document labels, over the documents (a label with several values: one yes/no item per value). "
        )
        gold = f" {GOLD_NOTE[0].upper()}{GOLD_NOTE[1:]}." if GOLD_ANNOTATOR in self.report.annotators else ""
        column.addWidget(_plain_label(heading + "An unset value counts as its own value, (unset)." + gold, box))
        table = _table(box, self.VALUE_COLUMNS)
        table.setAccessibleName("Attribute agreement" if key == "attributes" else "Document label agreement")
        rows = value_rows(items)
        table.setRowCount(len(rows))
        for row, (name, a, b, units, figures) in enumerate(rows):
            cells = [_name_item(name), _name_item(a), _name_item(b), _count_item(units)]
            cells += [_measure_item(m) if m is not None else _Item("") for m in figures]
            for index, item in enumerate(cells):
                table.setItem(row, index, item)
        self._fit_columns(table)
        column.addWidget(table, 1)
        reasons = value_reasons(items)
        view = QPlainTextEdit("\n".join(reasons) if reasons else "Every figure is defined.", box)
        view.setReadOnly(True)
        view.setAccessibleName("Why figures are undefined")
        view.setFixedHeight(self.fontMetrics().lineSpacing() * 6 + 16)
        column.addWidget(_plain_label("Undefined figures:", box))
        column.addWidget(view)
        self.value_tables[key] = table
        self.value_reasons[key] = view
        return box

    # -- the chosen pair -------------------------------------------------------------------------------------------
    def current_pair(self) -> PairAgreement | None:
        """The pair chosen in the pairs table, or ``None``."""
        rows = {index.row() for index in self.pairs_table.selectionModel().selectedRows()}
        if not rows:
            return None
        item = self.pairs_table.item(min(rows), 0)
        return self.report.pairs[item.data(PAIR_ROLE)] if item is not None else None

    def select_pair(self, a: str, b: str) -> bool:
        """Choose the pair ``a``, ``b`` (either order); returns whether there is one."""
        for row in range(self.pairs_table.rowCount()):
            pair = self.report.pairs[self.pairs_table.item(row, 0).data(PAIR_ROLE)]
            if {pair.a, pair.b} == {a, b}:
                self.pairs_table.setCurrentCell(row, 0)
                self.pairs_table.selectRow(row)
                return True
        return False

    def _pair_chosen(self) -> None:
        pair = self.current_pair()
        self.labels_table.setSortingEnabled(False)
        self.labels_table.setRowCount(0)
        if pair is None:
            self.detail_heading.setText("Choose a pair to see its figures per label and its token confusion.")
            self.labels_note.setText("")
            self.confusion_heading.setText("")
            self.confusion_table.set_matrix({})
            self.legend.setText("")
            return
        self.detail_heading.setText(f"Spans per label: {pair.a} (reference) / {pair.b}")
        per_label = pair.per_label
        self.labels_table.setRowCount(len(per_label))
        for row, (label, modes) in enumerate(per_label.items()):
            self.labels_table.setItem(row, 0, _name_item(label))
            column = 1
            for mode in MODES:
                for figure in SPAN_FIGURES:
                    self.labels_table.setItem(row, column, _measure_item(modes[mode][figure]))
                    column += 1
        self.labels_table.setSortingEnabled(True)
        self._fit_columns(self.labels_table)
        if not per_label:
            why = "they share no documents" if not pair.shared_documents else "neither has spans in them"
            self.labels_note.setText(f"No labels to compare: {why}.")
        else:
            self.labels_note.setText("P = matched / spans of B, R = matched / spans of A.")
        self.confusion_heading.setText(f"Token confusion: {pair.a} (rows) × {pair.b} (columns)")
        self.confusion_table.set_matrix(pair.confusion, pair.a, pair.b)
        if pair.confusion:
            self.legend.setText(
                f"Rows are {pair.a}'s labels, columns are {pair.b}'s; each cell counts the tokens they labeled so. "
                "The darker the cell, the larger its share of its row; the diagonal (bold) is where they agree. "
                "O: no label."
            )
        else:
            self.legend.setText("They share no tokens, so there is no confusion matrix.")

    # -- text ------------------------------------------------------------------------------------------------------
    def _pairs_in_order(self) -> list[PairAgreement]:
        return [
            self.report.pairs[self.pairs_table.item(row, 0).data(PAIR_ROLE)]
            for row in range(self.pairs_table.rowCount())
        ]

    def as_text(self) -> str:
        """A plain-text summary: the corpus figures, the pairs (in the order shown) and each pair's per-label figures
        and token confusion as tab-separated tables, then the reasons of the undefined figures and the files left
        out."""
        report = self.report
        lines = [f"Agreement — {self.title}" if self.title else "Agreement"]
        lines.append(f"Documents: {report.documents}")
        lines.append(f"Annotators: {self._annotators_text()}")
        for name, measure, scope in (
            ("Fleiss' kappa", report.fleiss_kappa, self._fleiss_scope()),
            ("Krippendorff's alpha (nominal)", report.krippendorff_alpha, "over all documents"),
        ):
            lines.append(f"{name}: {format_measure(measure)}" + (f" ({scope})" if measure.defined else ""))
        reasons = [
            f"{name}: {measure.reason}"
            for name, measure in (
                ("Fleiss' kappa", report.fleiss_kappa),
                ("Krippendorff's alpha", report.krippendorff_alpha),
            )
            if measure.value is None
        ]
        pairs = self._pairs_in_order()
        lines += ["", "Pairs", "\t".join(self.PAIR_COLUMNS)]
        for pair in pairs:
            figures = (pair.span_f1_exact, pair.span_f1_overlap, pair.cohen_kappa)
            lines.append(
                "\t".join([_cell(pair.a), _cell(pair.b), str(pair.shared_documents), *map(format_measure, figures)])
            )
            names = ("F1 exact", "F1 overlap", "Cohen's kappa")
            reasons += [
                f"{pair.a} / {pair.b}: {name}: {measure.reason}"
                for name, measure in zip(names, figures, strict=True)
                if measure.value is None
            ]
        for pair in pairs:
            lines += [
                "",
                f"Spans per label: {_cell(pair.a)} (reference) / {_cell(pair.b)}",
                "\t".join(self.LABEL_COLUMNS),
            ]
            if not pair.per_label:
                lines.append("(no labels to compare)")
            for label, modes in pair.per_label.items():
                cells = [format_measure(modes[mode][figure]) for mode in MODES for figure in SPAN_FIGURES]
                lines.append("\t".join([_cell(label), *cells]))
            if pair.confusion:
                columns = list(dict.fromkeys(column for counts in pair.confusion.values() for column in counts))
                lines += ["", f"Token confusion: {_cell(pair.a)} (rows) × {_cell(pair.b)} (columns)"]
                lines.append("\t".join(["", *map(_cell, columns)]))
                for row, counts in pair.confusion.items():
                    lines.append("\t".join([_cell(row), *(str(counts.get(column, 0)) for column in columns)]))
        for title, items in (("Attributes", report.attributes), ("Document labels", report.document_labels)):
            if items:
                lines += ["", title, "\t".join(self.VALUE_COLUMNS)]
                for name, a, b, units, figures in value_rows(items):
                    shown = ["" if m is None else format_measure(m) for m in figures]
                    lines.append("\t".join([_cell(name), _cell(a), _cell(b), str(units), *shown]))
                reasons += value_reasons(items)
        if reasons:
            lines += ["", "Undefined figures:", *reasons]
        if self.faults:
            lines += ["", "Files left out:", *self.faults]
        return "\n".join(lines)

    def copy(self) -> None:
        """Put :meth:`as_text` on the clipboard."""
        QApplication.clipboard().setText(self.as_text())
