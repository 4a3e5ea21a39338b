"""The Model panel: the model suggester's state, its cross-validated precision, recall and F1 per label (exact and
overlap), its learning curve, the threshold it must reach to suggest, and "Retrain Now". Plain text everywhere (label
names can hold anything)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.plain_text import shown_name

if TYPE_CHECKING:  # the model and its measures are imported when first used, not to show a window
    from annotator.review.measure import Measure
    from annotator.suggest.model.validation import CrossValidation

FIGURE_COLUMNS = ("Label", "Exact\nP", "Exact\nR", "Exact\nF1", "Overlap\nP", "Overlap\nR", "Overlap\nF1")
CURVE_ROWS = ("Documents", "Exact F1", "Overlap F1")
"""The learning curve's rows (one column per point): compact, so the panel shows it without scrolling."""


def figure(value: float | None) -> str:
    """``0.83`` with two decimals, or an en dash when undefined."""
    return "–" if value is None else f"{value:.2f}"


def _measure(measure: Measure) -> str:
    return figure(measure.value)


def _table(columns: int, name: str) -> QTableWidget:
    """A read-only table of ``columns`` columns with compact rows, as tall as its rows (:func:`_fit`)."""
    table = QTableWidget(0, columns)
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(False)
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 4)  # compact rows
    return table


def _fit(table: QTableWidget, least_rows: int = 1) -> None:
    """Make ``table`` exactly as large as its headers and cells (at least ``least_rows`` rows): no empty space under
    it, so what follows in the panel moves up (a 1400x900 window shows the figures and the curve without scrolling);
    a panel narrower than a table scrolls sideways as a whole."""
    header = table.horizontalHeader()
    rows = table.verticalHeader()
    height = 0 if header.isHidden() else header.sizeHint().height()
    width = 0 if rows.isHidden() else rows.sizeHint().width()
    table.setFixedHeight(
        height + max(table.rowCount(), least_rows) * rows.defaultSectionSize() + 2 * table.frameWidth()
    )
    table.setMinimumWidth(width + header.length() + 2 * table.frameWidth())


def _fill(table: QTableWidget, rows: list[list[str]], right_from: int = 1) -> None:
    """Put ``rows`` (plain text) in ``table``, the columns from ``right_from`` on aligned right (figures)."""
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)  # an item shows its text as plain text, never rich text
            if column >= right_from:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)


class ModelPanel(QWidget):
    """The Model panel's widgets; :class:`~annotator.ui.main.model_training.ModelTraining` fills them.

    Attributes
    ----------
    state: one plain-text paragraph: training…, trained on N spans in M documents, withheld and why, not enough data.
    figures: cross-validated precision (P), recall (R) and F1 per label, exact and overlap (:data:`FIGURE_COLUMNS`),
        the last row over all labels (micro).
    curve: the learning curve: micro F1 against the number of training documents, one column per point (its rows
        :data:`CURVE_ROWS`: the number of documents, exact F1, overlap F1).
    note: how the figures were measured, or why there are none.
    threshold: the F1 (exact, micro) the model must reach to suggest, 0 to 1.
    retrain: "Retrain Now".

    Signals
    -------
    threshold_changed(float): the user set another threshold.
    retrain_requested(): "Retrain Now" was clicked.
    """

    threshold_changed = Signal(float)
    retrain_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelPanel")
        self.state = QLabel("The model has not been trained.")
        self.state.setObjectName("modelState")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        self.note = QLabel("")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.figures = _table(len(FIGURE_COLUMNS), "modelFigures")
        self.figures.setHorizontalHeaderLabels(list(FIGURE_COLUMNS))
        self.figures.verticalHeader().hide()
        self.curve = _table(0, "modelCurve")
        self.curve.setRowCount(len(CURVE_ROWS))
        self.curve.setVerticalHeaderLabels(list(CURVE_ROWS))
        self.curve.horizontalHeader().hide()
        self.threshold = QDoubleSpinBox()
        self.threshold.setObjectName("modelThreshold")
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setToolTip(
            "The model suggests only while its cross-validated F1 (exact, micro) is at least this"
        )
        self.threshold.valueChanged.connect(lambda value: self.threshold_changed.emit(float(value)))
        self.retrain = QPushButton("Retrain Now")
        self.retrain.setObjectName("modelRetrain")
        self.retrain.clicked.connect(self.retrain_requested.emit)

        controls = QHBoxLayout()
        threshold_label = QLabel("Suggest at F1 ≥")
        threshold_label.setBuddy(self.threshold)
        controls.addWidget(threshold_label)
        controls.addWidget(self.threshold)
        controls.addStretch(1)
        controls.addWidget(self.retrain)
        content = QWidget()
        scroll = QScrollArea()  # a short dock scrolls rather than squeezing the tables over their captions
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.state)
        layout.addLayout(controls)
        layout.addWidget(QLabel("Cross-validated by document:"))
        layout.addWidget(self.figures)
        layout.addWidget(QLabel("Learning curve (F1 against training documents):"))
        layout.addWidget(self.curve)
        layout.addWidget(self.note)
        layout.addStretch(1)  # the tables as tall as their rows, the room left below them
        _fit(self.figures)
        _fit(self.curve)

    def set_threshold(self, value: float) -> None:
        """Show ``value`` in the threshold box without emitting :attr:`threshold_changed`."""
        blocked = self.threshold.blockSignals(True)
        self.threshold.setValue(value)
        self.threshold.blockSignals(blocked)

    def show_state(self, text: str) -> None:
        """Show ``text`` (plain) as the model's state."""
        self.state.setText(text)

    def show_validation(self, validation: CrossValidation | None, note: str = "") -> None:
        """Fill the figures and the learning curve from ``validation`` (empty when ``None``); ``note`` (plain) under
        them, or how they were measured."""
        if validation is None:
            _fill(self.figures, [])
            self.curve.setColumnCount(0)
            _fit(self.figures)
            self.note.setText(note)
            return
        from annotator.suggest.evaluation import ALL_LABELS  # the model's measures on first use

        rows = []
        report = validation.report
        for label, exact in report.exact.items():
            overlap = report.overlap[label]
            name = "all labels" if label == ALL_LABELS else shown_name(label)
            rows.append(
                [name]
                + [_measure(m) for m in (exact.precision(), exact.recall(), exact.f1())]
                + [_measure(m) for m in (overlap.precision(), overlap.recall(), overlap.f1())]
            )
        _fill(self.figures, rows)
        _fit(self.figures)
        points = validation.curve
        self.curve.setColumnCount(len(points))
        _fill(
            self.curve,
            [
                [str(p.documents) for p in points],
                [figure(p.exact_f1) for p in points],
                [figure(p.overlap_f1) for p in points],
            ],
            right_from=0,
        )
        _fit(self.curve)
        self.note.setText(note or f"Measured {validation.describe()}; – is undefined (nothing to divide by).")
