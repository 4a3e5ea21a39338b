"""The File → Export… and File → Import… dialogs: which format, what, where, and the format's options.

They only collect choices; :mod:`annotator.ui.main.exchange` runs the export or import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.formats.options import ExportOptions, ImportOptions, ImportScheme
from annotator.formats.registry import EXPORT_FORMATS, FORMATS, IMPORT_FORMATS, Format
from annotator.formats.report import Problem
from annotator.ui.plain_text import one_line, shown_name, tooltip_html

SCOPE_DOCUMENT = "document"
SCOPE_MINE = "mine"
SCOPE_EVERYONE = "everyone"

OVERLAP_CHOICES = (
    ("longest", "Keep the longest (then the earliest)"),
    ("earliest", "Keep the earliest (then the longest)"),
    ("error", "Stop with an error"),
)


@dataclass(frozen=True)
class ExportChoice:
    """What the user chose: format name, scope (:data:`SCOPE_DOCUMENT`, :data:`SCOPE_MINE`,
    :data:`SCOPE_EVERYONE`), destination path, options, and (project scopes) whether to add the documents without
    an annotation file of the annotators exported (``export --include-unannotated``)."""

    format: str
    scope: str
    destination: Path
    options: ExportOptions
    include_unannotated: bool = False


class _PathRow(QWidget):
    """A line edit with a Browse… button that asks for a file or a folder."""

    def __init__(self, parent: QWidget, *, saving: bool) -> None:
        super().__init__(parent)
        self.saving = saving
        self.folder = False
        self.filter = "All files (*)"
        self.edit = QLineEdit(self)
        self.edit.setClearButtonEnabled(True)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self.browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(browse)

    def browse(self) -> None:
        start = self.edit.text()
        if self.folder:
            path = QFileDialog.getExistingDirectory(self, "Choose a folder", start)
        elif self.saving:
            path, _ = QFileDialog.getSaveFileName(self, "Export to", start, self.filter)
        else:
            path, _ = QFileDialog.getOpenFileName(self, "Import", start, self.filter)
        if path:
            self.edit.setText(path)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None


def _filter_for(fmt: Format) -> str:
    return f"{fmt.title} (*{fmt.suffix});;All files (*)" if fmt.suffix else "All files (*)"


class ExportDialog(QDialog):
    """Choose a format, what to export, its options and where to write.

    Parameters
    ----------
    name: the default file name's stem (the document's or the project's name).
    folder: the default destination folder.
    in_project: whether a project is open (offers the project scopes).
    last_format: the format chosen last time.
    """

    def __init__(
        self,
        parent: QWidget,
        name: str,
        folder: Path,
        *,
        in_project: bool,
        last_format: str = "",
        document_name: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.name = name
        self.document_name = document_name
        self.folder = folder
        self._default = ""  # the destination last filled in by the dialog (a typed one is kept)
        self.format_box = QComboBox(self)
        for fmt_name in EXPORT_FORMATS:
            self.format_box.addItem(FORMATS[fmt_name].title, fmt_name)
        self.scope_box = QComboBox(self)
        if document_name:
            self.scope_box.addItem("This document (with unsaved changes)", SCOPE_DOCUMENT)
        if in_project:
            self.scope_box.addItem("The whole project: my annotations", SCOPE_MINE)
            self.scope_box.addItem("The whole project: every annotator", SCOPE_EVERYONE)
            self.scope_box.setCurrentIndex(self.scope_box.findData(SCOPE_MINE))
        self.scheme_box = QComboBox(self)
        self.scheme_box.addItem("IOB2 (B-, I-, O)", "IOB2")
        self.scheme_box.addItem("IOBES (adds S- and E-)", "IOBES")
        self.overlap_box = QComboBox(self)
        for value, text in OVERLAP_CHOICES:
            self.overlap_box.addItem(text, value)
        self.snap_box = QCheckBox("Widen spans to whole tokens instead of skipping them", self)
        self.unannotated_box = QCheckBox("Also the documents nobody annotated (without spans)", self)
        self.unannotated_box.setToolTip(
            "Documents of the project without an annotation file of the annotators exported, marked as not "
            "annotated where the format can say so"
        )
        self.language_edit = QLineEdit("xx", self)
        self.language_edit.setToolTip("The spaCy language code whose tokenizer splits the text (xx: any language)")
        self.destination = _PathRow(self, saving=True)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)

        form = QFormLayout()
        form.addRow("&Format:", self.format_box)
        form.addRow("&Export:", self.scope_box)
        form.addRow("", self.unannotated_box)
        form.addRow("Tag &scheme:", self.scheme_box)
        form.addRow("&Overlapping spans:", self.overlap_box)
        form.addRow("", self.snap_box)
        form.addRow("spaCy &language:", self.language_edit)
        form.addRow("&Save to:", self.destination)
        self.form = form
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.scope_box.currentIndexChanged.connect(self._fill_destination)
        self.scope_box.currentIndexChanged.connect(self._scope_changed)
        index = self.format_box.findData(last_format)
        self.format_box.setCurrentIndex(max(index, 0))
        self._format_changed()
        self._scope_changed()
        self.resize(560, self.sizeHint().height())

    def _scope_changed(self) -> None:
        """Offer the documents nobody annotated for the project scopes only."""
        self.form.setRowVisible(self.unannotated_box, self.scope_box.currentData() in (SCOPE_MINE, SCOPE_EVERYONE))

    def fmt(self) -> Format:
        """The chosen format."""
        return FORMATS[self.format_box.currentData()]

    def _format_changed(self) -> None:
        fmt = self.fmt()
        for widget, option in (
            (self.scheme_box, "scheme"),
            (self.overlap_box, "overlap"),
            (self.snap_box, "snap"),
            (self.language_edit, "spacy_lang"),
        ):
            self.form.setRowVisible(widget, option in fmt.options)
        self.destination.folder = fmt.writes_folder
        self.destination.filter = _filter_for(fmt)
        self._fill_destination()
        hints = {
            "conll": "Spans that overlap or whose boundary falls inside a token are listed after the export.",
            "spacy": "Needs spaCy (pip install 'spacy>=3.7'). Unaligned spans are listed after the export.",
            "brat": "Writes a folder of .txt and .ann files and an annotation.conf.",
            "label-studio": "Also writes a labeling config (.label_config.xml) for the Label Studio project.",
            "doccano": "Notes and links are not part of doccano's format; spans that have them are listed.",
            "csv": "One row per span; texts are written exactly (line breaks inside quotes).",
            "jsonl": "One document per line, offsets in code points, with notes and links.",
            "hf": "Writes a folder (data.jsonl and a README.md dataset card) that datasets.load_dataset() loads: "
            "the CoNLL tokens with IOB2 tags as ClassLabel ids.",
        }
        self.hint.setText(hints.get(fmt.name, ""))

    def _fill_destination(self) -> None:
        """Suggest ``<folder>/<project or document name><suffix>``, unless the user typed a destination."""
        if self.destination.edit.text() not in ("", self._default):
            return
        fmt = self.fmt()
        suffix = fmt.suffix if fmt.suffix else f"-{fmt.name}"
        name = self.document_name if self.scope_box.currentData() == SCOPE_DOCUMENT else self.name
        self._default = str(self.folder / f"{name or self.name}{suffix}")
        self.destination.edit.setText(self._default)

    def choice(self) -> ExportChoice | None:
        """The choices, or ``None`` without a destination."""
        destination = self.destination.path()
        if destination is None:
            return None
        options = ExportOptions(
            overlap=self.overlap_box.currentData(),
            snap=self.snap_box.isChecked(),
            scheme=self.scheme_box.currentData(),
            spacy_lang=self.language_edit.text().strip() or "xx",
        )
        scope = self.scope_box.currentData()
        include = self.unannotated_box.isChecked() and scope in (SCOPE_MINE, SCOPE_EVERYONE)
        return ExportChoice(self.format_box.currentData(), scope, destination, options, include)


@dataclass(frozen=True)
class ImportChoice:
    """What the user chose to import: format name, the file (a folder for brat), and how to read it."""

    format: str
    path: Path
    options: ImportOptions = field(default_factory=ImportOptions)


OFFSET_CHOICES = (
    (None, "Code points, checked against each region's text"),
    ("codepoints", "Code points (Label Studio since its fix for emoji)"),
    ("utf16", "UTF-16 units (older Label Studio versions)"),
)
EMPTY_CHOICES = (
    ("unannotated", "Were never annotated (documents without annotations)"),
    ("annotated", "Were annotated and hold nothing (empty annotation files)"),
)


#: the command line's reading options (named in readers' messages) -> the Import dialog's field for each
READING_OPTION_FIELDS = {
    "--word-column": "Word column",
    "--tag-column": "Tag column",
    "--scheme": "Tag scheme",
    "--offsets": "Offsets",
    "--empty": "Records without labels",
}


def reading_option_hint(message: str) -> str:
    """For a reader's message that names command-line options (``"give --tag-column 3 or --tag-column 4"``), one
    line saying which field of File → Import… each is (``"In File → Import…, --tag-column is the Tag column
    field."``); ``""`` when it names none."""
    named = [f"{flag} is the {field} field" for flag, field in READING_OPTION_FIELDS.items() if flag in message]
    return f"In File → Import…, {', '.join(named)}." if named else ""


def _column_box(parent: QWidget, what: str) -> QSpinBox:
    """A 1-based column number, 0 shown as "Detect" (``None`` in :class:`ImportOptions`)."""
    box = QSpinBox(parent)
    box.setRange(0, 99)
    box.setSpecialValueText("Detect")
    box.setToolTip(tooltip_html(f"The column holding the {what}, counted from 1; Detect when the layout is clear."))
    return box


class ImportDialog(QDialog):
    """Choose the format, the file (a folder for brat) to import, and the format's reading options (CoNLL columns
    and tag scheme, Label Studio offset unit, what doccano records without labels mean), shown for that format
    only."""

    def __init__(self, parent: QWidget, target: str, last_format: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.format_box = QComboBox(self)
        for fmt_name in IMPORT_FORMATS:
            self.format_box.addItem(FORMATS[fmt_name].title, fmt_name)
        self.source = _PathRow(self, saving=False)
        target_label = QLabel(target, self)
        target_label.setTextFormat(Qt.TextFormat.PlainText)
        target_label.setWordWrap(True)
        self.word_column_box = _column_box(self, "word")
        self.tag_column_box = QLineEdit(self)
        self.tag_column_box.setPlaceholderText("Detect")
        self.tag_column_box.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\s*([1-9]\d?\s*(,\s*[1-9]\d?\s*)*,?\s*)?"), self)
        )
        self.tag_column_box.setToolTip(
            tooltip_html(
                "The column holding the tags, counted from 1, or several separated by commas (3,4) to read nested "
                "entities from each; empty to detect it when the layout is clear."
            )
        )
        self.scheme_box = QComboBox(self)
        self.scheme_box.addItem("IOB2 (IOBES tags read too)", None)
        for scheme in get_args(ImportScheme):
            self.scheme_box.addItem(scheme, scheme)
        self.offsets_box = QComboBox(self)
        for value, text in OFFSET_CHOICES:
            self.offsets_box.addItem(text, value)
        self.empty_box = QComboBox(self)
        for value, text in EMPTY_CHOICES:
            self.empty_box.addItem(text, value)
        self.form = QFormLayout()
        self.form.addRow("&Format:", self.format_box)
        self.form.addRow("&File:", self.source)
        self.form.addRow("&Word column:", self.word_column_box)
        self.form.addRow("&Tag column:", self.tag_column_box)
        self.form.addRow("Tag &scheme:", self.scheme_box)
        self.form.addRow("&Offsets:", self.offsets_box)
        self.form.addRow("Records without &labels:", self.empty_box)
        self.form.addRow("Into:", target_label)
        #: ImportOptions field -> its widget, shown only for formats whose reader uses that field
        self.option_widgets: dict[str, QWidget] = {
            "word_column": self.word_column_box,
            "tag_column": self.tag_column_box,
            "scheme": self.scheme_box,
            "offsets": self.offsets_box,
            "empty": self.empty_box,
        }
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.format_box.setCurrentIndex(max(self.format_box.findData(last_format), 0))
        self._format_changed()
        self.resize(560, self.sizeHint().height())

    def _format_changed(self) -> None:
        fmt = FORMATS[self.format_box.currentData()]
        self.source.folder = fmt.writes_folder
        self.source.filter = _filter_for(fmt)
        for name, widget in self.option_widgets.items():
            self.form.setRowVisible(widget, name in fmt.import_options)

    def options(self) -> ImportOptions:
        """The reading options chosen for the current format (those of other formats left at their defaults)."""
        uses = FORMATS[self.format_box.currentData()].import_options
        chosen = {
            "word_column": self.word_column_box.value() or None,
            "tag_column": self.tag_columns(),
            "scheme": self.scheme_box.currentData(),
            "offsets": self.offsets_box.currentData(),
            "empty": self.empty_box.currentData(),
        }
        return ImportOptions(**{name: value for name, value in chosen.items() if name in uses})

    def tag_columns(self) -> int | tuple[int, ...] | None:
        """The tag column typed (``3``), or several (``(3, 4)`` from ``"3,4"``), or ``None`` (detect)."""
        columns = tuple(dict.fromkeys(int(part) for part in self.tag_column_box.text().split(",") if part.strip()))
        return None if not columns else columns[0] if len(columns) == 1 else columns

    def choice(self) -> ImportChoice | None:
        """The format, path and reading options chosen, or ``None`` without a path."""
        path = self.source.path()
        return ImportChoice(self.format_box.currentData(), path, self.options()) if path else None


WHY_WIDTH = 560
"""The widest the report's Why column starts (pixels); a longer reason wraps onto more lines of its row."""

WRAPPED_ROWS = 2000
"""Up to how many rows the report fits each row's height to its wrapped text."""

_NOT_EXPORTED_PARTS = (("note", "note"), ("uncertain", "uncertain mark"), ("link", "link"))
_RENAMED = re.compile("written as ['\"]")


def problem_wording(problem: Problem) -> str:
    """The report's Problem column for ``problem``: its kind in words (``"dropped"``, ``"snapped"``...), and for a
    ``"not_exported"`` one what is lost or changed while the span itself is written, read from its reason:
    ``"note not exported"``, ``"link not exported"``, ``"note + link not exported"``, ``"uncertain mark not
    exported"``, ``"label renamed"``, ``"link type renamed"``, ``"note changed"`` (``"detail not exported"`` when
    the reason names none of these)."""
    if problem.kind != "not_exported":
        return problem.kind.replace("_", " ")
    reason = problem.reason
    if _RENAMED.search(reason):
        return "link type renamed" if "link type" in reason else "label renamed"
    if "note" in reason and "replaced" in reason:
        return "note changed"
    lost = [word for key, word in _NOT_EXPORTED_PARTS if key in reason]
    return f"{' + '.join(lost) or 'detail'} not exported"


class ExportReportDialog(QDialog):
    """What an export wrote and, one row per span, what it could not write exactly (plain text, sortable).

    Double-clicking a row (or Enter) emits :attr:`go_to` with the row's :class:`~annotator.formats.report.Problem`,
    so the window can show that span; Copy puts the table on the clipboard as tab-separated text. Under the table,
    plain text: the input files ``skipped`` (could not be read) and the ``notes`` of the report (documents of which
    something not tied to a span, such as metadata, was not written).
    """

    go_to = Signal(object)

    COLUMNS = ("Document", "Start", "End", "Label", "Text", "Problem", "Why")

    def __init__(
        self,
        parent: QWidget,
        summary: str,
        problems: list[Problem],
        skipped: list[str],
        notes: list[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export report")
        self.problems = problems
        header = QLabel(summary, self)
        header.setTextFormat(Qt.TextFormat.PlainText)
        header.setWordWrap(True)
        self.table = QTableWidget(len(problems), len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        for row, problem in enumerate(problems):
            values: list[object] = [
                shown_name(problem.document),
                problem.start,
                problem.end,
                shown_name(problem.label),
                one_line(problem.text),
                problem_wording(problem),
                problem.reason,
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, value)
                item.setData(Qt.ItemDataRole.UserRole, row)
                item.setToolTip(tooltip_html(str(value)) if column in (0, 4, 6) else "")
                self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        self.table.sortItems(0)
        self.table.resizeColumnsToContents()
        for column, width in ((0, 200), (4, 160), (6, WHY_WIDTH)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), width))
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # The Why column takes the width left; a reason longer than that wraps onto more lines of its row, so it is
        # never cut off (rows are fitted to their text up to WRAPPED_ROWS of them: beyond, one line each, in full in
        # the tooltip, as fitting many thousands takes seconds).
        columns = sum(self.table.columnWidth(column) for column in range(len(self.COLUMNS)))
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(len(problems) <= WRAPPED_ROWS)
        if len(problems) <= WRAPPED_ROWS:
            self.table.horizontalHeader().sectionResized.connect(
                lambda column, _old, _new: self.table.resizeRowsToContents() if column == 6 else None
            )
        self.table.itemActivated.connect(self._activated)
        self.table.itemDoubleClicked.connect(self._activated)
        shown_skipped = skipped[:5] + (
            [f"… and {len(skipped) - 5} more files that could not be read"] if len(skipped) > 5 else []
        )
        notes = notes or []
        shown_notes = notes[:5] + ([f"… and {len(notes) - 5} more documents"] if len(notes) > 5 else [])
        lines = [*shown_skipped, *shown_notes] or ["Double-click a row to show the span."]
        note = QLabel("\n".join(lines), self)
        self.note_label = note
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = buttons.addButton("&Copy", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        if problems:
            layout.addWidget(self.table, 1)
        else:
            self.table.hide()
        layout.addWidget(note)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry().width() if self.screen() is not None else 1400
        self.resize(max(980, min(columns + 60, screen - 40)), 460 if problems else 160)

    def _activated(self, item: QTableWidgetItem) -> None:
        self.go_to.emit(self.problems[item.data(Qt.ItemDataRole.UserRole)])

    def as_text(self) -> str:
        """The table as tab-separated lines with a header line, in the order shown."""
        lines = ["\t".join(self.COLUMNS)]
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, column).text() for column in range(len(self.COLUMNS))]
            lines.append("\t".join(cell.replace("\t", " ") for cell in cells))
        return "\n".join(lines)

    def copy(self) -> None:
        """Copy the table to the clipboard."""
        QApplication.clipboard().setText(self.as_text())
