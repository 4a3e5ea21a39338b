"""The agreement dialog and the window's show_agreement: pairs, per-label figures, the confusion heat map, undefined
figures with their reasons, plain text everywhere, copying, and the messages when there is nothing to compare."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QApplication

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.span import Span
from annotator.project.layout import Project
from annotator.review.agreement import SPAN_FIGURES, agreement_report
from annotator.review.units import DocumentAnnotations
from annotator.ui.contrast import contrast_ratio
from annotator.ui.plain_text import tooltip_html
from annotator.ui.review.agreement_dialog import AgreementDialog, format_measure, heat_color, text_color_on
from annotator.ui.theme import dark_palette, light_palette

DOCS = {
    "a.txt": "Officials in Berlin warned that prices would rise.\n",
    "news/b.txt": "Analysts claimed the deal was done. Moscow denied it.\n",
}
# (document, phrase, label) per annotator: bob relabels one span, shortens one and misses one
ALICE = [
    ("a.txt", "Officials in Berlin", "actor"),
    ("a.txt", "warned that prices would rise", "warning"),
    ("news/b.txt", "Analysts", "actor"),
    ("news/b.txt", "claimed the deal was done", "claim"),
    ("news/b.txt", "Moscow", "actor"),
]
BOB = [
    ("a.txt", "Officials in Berlin", "claim"),  # label
    ("a.txt", "warned that prices", "warning"),  # boundary
    ("news/b.txt", "Analysts", "actor"),
    ("news/b.txt", "claimed the deal was done", "claim"),
    # "Moscow" missing
]


def _spans(text: str, items: list[tuple[str, str]]) -> list[Span]:
    spans = []
    for number, (phrase, label) in enumerate(items, 1):
        start = text.index(phrase)
        spans.append(Span(id=f"s{number}", start=start, end=start + len(phrase), label=label, text=phrase))
    return spans


def write_annotations(project: Project, annotator: str, items: list[tuple[str, str, str]]) -> None:
    """One annotation file per document for ``annotator`` (every document, spans or not)."""
    for document_id, text in DOCS.items():
        mine = [(phrase, label) for doc, phrase, label in items if doc == document_id]
        annotations = AnnotationSet(
            Document.from_text(text),
            default_label_set(),
            annotator,
            _spans(text, mine),
            document_id=document_id,
        )
        path = project.annotation_path(document_id, annotator)
        path.parent.mkdir(parents=True, exist_ok=True)
        annotation_file.save(annotations, path)


def make_project(root: Path, annotators: dict[str, list[tuple[str, str, str]]]) -> Path:
    for name, text in DOCS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode("utf-8"))
    project = Project(root)
    for annotator, items in annotators.items():
        write_annotations(project, annotator, items)
    return root


@pytest.fixture
def project_folder(tmp_path: Path) -> Path:
    return make_project(tmp_path / "corpus", {"alice": ALICE, "bob": BOB})


def texts(table, row: int) -> list[str]:
    return [table.item(row, column).text() for column in range(table.columnCount())]


def make_report(annotators: dict[str, list[tuple[int, int, str]]], text: str = DOCS["a.txt"]):
    spans = {
        who: tuple(
            Span(id=f"s{i}", start=start, end=end, label=label, text=text[start:end])
            for i, (start, end, label) in enumerate(items, 1)
        )
        for who, items in annotators.items()
    }
    return agreement_report([DocumentAnnotations("doc", text, spans)])


@pytest.fixture
def dialog(window, project_folder, qtbot):
    assert window.open_path(project_folder)
    opened = window.reviews.show_agreement()
    assert opened is not None
    qtbot.addWidget(opened)
    qtbot.waitExposed(opened)
    return opened


# -- the window's command --------------------------------------------------------------------------------------------
def test_show_agreement_opens_a_dialog_of_the_project(window, dialog):
    assert window.reviews.last_agreement is dialog and dialog.isVisible() and not dialog.isModal()
    assert dialog.windowTitle() == "Agreement — corpus"
    report = dialog.report
    assert report.annotators == ["alice", "bob"] and report.documents == 2
    assert dialog.documents_label.text() == "2"
    assert (
        dialog.fleiss_label.text()
        == f"{report.fleiss_kappa.value:.3f} (over the 2 documents every annotator annotated)"
    )
    assert dialog.alpha_label.text().startswith(f"{report.krippendorff_alpha.value:.3f}")
    assert "alice (2 documents, 5 spans)" in dialog.annotators_label.text()
    assert dialog.faults_view is None
    assert QApplication.overrideCursor() is None  # the wait cursor is gone


def test_pair_row_holds_the_reports_figures(dialog):
    (pair,) = dialog.report.pairs
    assert dialog.pairs_table.rowCount() == 1
    expected = [
        "alice",
        "bob",
        "2",
        f"{pair.span_f1_exact.value:.3f}",
        f"{pair.span_f1_overlap.value:.3f}",
        f"{pair.cohen_kappa.value:.3f}",
    ]
    assert texts(dialog.pairs_table, 0) == expected
    # exact: 2 of alice's 5 spans have an identical twin among bob's 4 -> F1 = 2*2 / 9; overlap adds the boundary one
    assert pair.span_f1_exact.value == pytest.approx(4 / 9)
    assert pair.span_f1_overlap.value == pytest.approx(6 / 9)
    item = dialog.pairs_table.item(0, 3)
    assert item.textAlignment() & Qt.AlignmentFlag.AlignRight


def test_choosing_the_pair_fills_per_label_figures_and_the_heat_map(dialog):
    (pair,) = dialog.report.pairs
    dialog.pairs_table.clearSelection()
    assert dialog.current_pair() is None and dialog.labels_table.rowCount() == 0
    assert dialog.confusion_table.rowCount() == 0
    dialog.pairs_table.selectRow(0)
    assert dialog.current_pair() is pair
    per_label = pair.per_label
    assert dialog.labels_table.rowCount() == len(per_label)
    for row in range(dialog.labels_table.rowCount()):
        label, *cells = texts(dialog.labels_table, row)
        modes = per_label[label]
        assert cells == [
            format_measure(modes[mode][figure]) for mode in ("exact", "overlap") for figure in SPAN_FIGURES
        ]
    assert dialog.confusion_table.matrix() == {row: dict(columns) for row, columns in pair.confusion.items()}
    assert list(pair.confusion)[-1] == "O"
    assert dialog.legend.text().startswith("Rows are alice's labels, columns are bob's")


def test_heat_map_cells_shade_by_row_share_and_stay_readable(dialog):
    (pair,) = dialog.report.pairs
    heat = dialog.confusion_table
    base = heat.palette().color(heat.palette().ColorRole.Base)
    labels = list(pair.confusion)
    row = labels.index("O")  # most tokens: "O" for both
    column = labels.index("O")
    cell = heat.item(row, column)
    share = pair.confusion["O"]["O"] / sum(pair.confusion["O"].values())
    assert cell.background().color() == heat_color(
        base, heat.palette().color(heat.palette().ColorRole.Highlight), share
    )
    zero = next(
        heat.item(r, c)
        for r in range(heat.rowCount())
        for c in range(heat.columnCount())
        if heat.item(r, c).text() == "0"
    )
    assert zero.background().color() == base
    for palette in (light_palette(), dark_palette()):
        heat.setPalette(palette)
        for r in range(heat.rowCount()):
            for c in range(heat.columnCount()):
                item = heat.item(r, c)
                background, foreground = item.background().color().name(), item.foreground().color().name()
                assert contrast_ratio(background, foreground) >= 4.5
    assert heat.item(row, column).background().color() != QColor("white")  # dark palette: recolored


def test_readable_text_color_and_heat_color_ends():
    base, strong = QColor("#ffffff"), QColor("#000080")
    assert heat_color(base, strong, 0.0) == base and heat_color(base, strong, 1.0) == strong
    assert heat_color(base, strong, 2.0) == strong
    assert text_color_on(QColor("#ffffff")) == QColor("black")
    assert text_color_on(QColor("#000080")) == QColor("white")


def test_the_pairs_table_has_the_focus_and_arrows_change_the_pair(qtbot):
    alice = [(0, 9, "actor")]
    report = make_report({"alice": alice, "bob": alice, "carol": [(0, 9, "claim")]})
    dialog = AgreementDialog(None, report, "three")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.pairs_table.hasFocus())
    assert [(p.a, p.b) for p in report.pairs] == [("alice", "bob"), ("alice", "carol"), ("bob", "carol")]
    assert dialog.current_pair() is report.pairs[0]
    qtbot.keyClick(dialog.pairs_table, Qt.Key.Key_Down)
    assert dialog.current_pair() is report.pairs[1]
    assert dialog.confusion_table.matrix() == {r: dict(c) for r, c in report.pairs[1].confusion.items()}
    qtbot.keyClick(dialog.pairs_table, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.pairs_table, Qt.Key.Key_Up)
    assert dialog.current_pair() is report.pairs[1]
    # sorting by Cohen's kappa keeps the chosen pair and sorts numbers as numbers (undefined lowest)
    dialog.pairs_table.sortItems(5, Qt.SortOrder.DescendingOrder)
    assert dialog.current_pair() is report.pairs[1]
    kappas = [dialog.pairs_table.item(r, 5).text() for r in range(3)]
    assert kappas[0] == "1.000"
    assert dialog.select_pair("carol", "bob") and dialog.current_pair() is report.pairs[2]


def test_undefined_figures_say_why(qtbot):
    report = make_report({"alice": [], "bob": []})  # one document, two annotators, no spans at all
    (pair,) = report.pairs
    assert pair.cohen_kappa.value is None
    dialog = AgreementDialog(None, report)
    qtbot.addWidget(dialog)
    kappa = dialog.pairs_table.item(0, 5)
    assert kappa.text() == "undefined"
    assert kappa.toolTip() == tooltip_html(pair.cohen_kappa.reason)
    assert dialog.pairs_table.item(0, 3).text() == "undefined"
    assert report.fleiss_kappa.value is None
    assert dialog.fleiss_label.text() == "undefined (why?)"
    assert dialog.fleiss_label.toolTip() == tooltip_html(report.fleiss_kappa.reason)
    assert dialog.labels_table.rowCount() == 0 and "No labels to compare" in dialog.labels_note.text()
    text = dialog.as_text()
    assert "Undefined figures:" in text and pair.cohen_kappa.reason in text


def test_one_annotator_gives_a_message_instead(window, tmp_path):
    folder = make_project(tmp_path / "solo", {"alice": ALICE})
    assert window.open_path(folder)
    assert window.reviews.show_agreement() is None
    assert "two or more annotators" in window.last_message.text() and "alice" in window.last_message.text()
    assert not hasattr(window, "last_agreement")


def test_no_project_gives_a_message(window):
    assert window.reviews.show_agreement() is None
    assert window.last_message.text().startswith("Open a project annotated by two or more annotators")


def test_no_annotation_files_gives_a_message(window, tmp_path):
    folder = make_project(tmp_path / "empty", {})
    assert window.open_path(folder)
    assert window.reviews.show_agreement() is None
    assert "no one has annotated" in window.last_message.text()


def test_unsaved_work_is_saved_first_and_counts(window, project_folder, qtbot):
    assert window.open_path(project_folder)
    text = window.controller.annotations.text
    start = text.index("Officials in Berlin")
    from tests.ui.conftest import select_qt

    offsets = window.view.offsets
    select_qt(window.view, offsets.to_qt(start), offsets.to_qt(start + len("Officials in Berlin")))
    window.editing.apply_label("actor")
    assert window.sessions.session.dirty
    dialog = window.reviews.show_agreement()
    qtbot.addWidget(dialog)
    assert not window.sessions.session.dirty
    assert dialog.report.annotators == ["alice", "bob", "tester"]
    assert dialog.pairs_table.rowCount() == 3


def test_files_left_out_are_listed(window, project_folder, qtbot):
    broken = Project(project_folder).annotation_path("a.txt", "carol")
    broken.parent.mkdir(parents=True)
    broken.write_text("{not json", encoding="utf-8")
    assert window.open_path(project_folder)
    dialog = window.reviews.show_agreement()
    qtbot.addWidget(dialog)
    assert dialog.faults_view is not None
    assert str(broken) in dialog.faults_view.toPlainText()
    assert "Files left out:" in dialog.as_text()


def test_names_and_labels_show_as_plain_text(qtbot):
    markup = "<b>x</b>"
    report = make_report({markup: [(0, 9, markup)], "bob": [(0, 9, markup), (13, 19, "actor")]})
    dialog = AgreementDialog(None, report, "<i>project</i>")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Agreement — <i>project</i>"
    assert dialog.pairs_table.item(0, 0).text() == markup  # "<" sorts before "b"
    assert dialog.pairs_table.item(0, 0).toolTip() == "<qt>&lt;b&gt;x&lt;/b&gt;</qt>"
    labels = [dialog.labels_table.item(row, 0).text() for row in range(dialog.labels_table.rowCount())]
    assert markup in labels
    heat = dialog.confusion_table
    assert markup in [heat.verticalHeaderItem(row).text() for row in range(heat.rowCount())]
    assert markup in [heat.horizontalHeaderItem(column).text() for column in range(heat.columnCount())]
    for label in (dialog.annotators_label, dialog.detail_heading, dialog.legend, dialog.confusion_heading):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert markup in dialog.annotators_label.text() and markup in dialog.legend.text()


def test_copy_puts_a_summary_on_the_clipboard(dialog, qtbot):
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    (pair,) = dialog.report.pairs
    assert text.startswith("Agreement — corpus\nDocuments: 2\n")
    assert "Annotator A\tAnnotator B\tShared documents\tF1 exact\tF1 overlap\tCohen's kappa" in text
    assert f"alice\tbob\t2\t{pair.span_f1_exact.value:.3f}" in text
    assert "Token confusion: alice (rows) × bob (columns)" in text
    columns = list(pair.confusion["O"])
    assert "\t".join(["O", *(str(pair.confusion["O"][column]) for column in columns)]) in text.splitlines()


def test_screenshot(dialog, qtbot):
    dialog.resize(1000, 700)
    qtbot.wait(50)
    assert dialog.grab().save("/tmp/agreement.png")
