"""File → Export… and File → Import… in the app: the dialogs, exports of the open document (unsaved changes
included) and of the project, the report of spans not written, and imports into the project or a new folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from annotator.formats.options import ExportOptions, ImportOptions
from annotator.formats.report import ExportReport, Problem
from annotator.project.layout import Project
from annotator.ui.dialogs.exchange_dialogs import (
    SCOPE_DOCUMENT,
    SCOPE_EVERYONE,
    SCOPE_MINE,
    ExportChoice,
    ExportDialog,
    ImportChoice,
    ImportDialog,
)
from tests.ui.conftest import select_qt

DOCS = {
    "a.txt": "Officials in Berlin warned that prices would rise.\n",
    "news/b.txt": "Analysts claimed the deal was 🙂 done.\r\nMoscow denied it.\r\n",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for name, text in DOCS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode("utf-8"))
    return root


def label(window, phrase: str, name: str) -> None:
    start = window.controller.annotations.text.index(phrase)
    offsets = window.view.offsets
    select_qt(window.view, offsets.to_qt(start), offsets.to_qt(start + len(phrase)))
    window.editing.apply_label(name)


def jsonl_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_menu_entries_and_shortcuts(window):
    assert window.actions_by_id["file.export"].shortcut().toString() == "Ctrl+Shift+E"
    assert window.actions_by_id["file.import"].shortcut().toString() == "Ctrl+Shift+I"


def test_export_of_the_open_document_includes_unsaved_changes(window, corpus, tmp_path):
    window.open_path(corpus / "news" / "b.txt")
    label(window, "Moscow", "actor")
    label(window, "denied it", "denial")
    out = tmp_path / "doc.jsonl"
    report = window.exchange.run_export(ExportChoice("jsonl", SCOPE_DOCUMENT, out, ExportOptions()))
    assert report is not None and report.documents == 1 and report.spans == 2
    (record,) = jsonl_records(out)
    text = DOCS["news/b.txt"]
    assert record["text"] == text
    assert [(s["start"], s["end"], s["text"]) for s in record["spans"]] == [
        (text.index("Moscow"), text.index("Moscow") + 6, "Moscow"),
        (text.index("denied it"), text.index("denied it") + 9, "denied it"),
    ]
    assert window.last_message.textFormat() == Qt.TextFormat.PlainText
    assert "Exported 1 document with 2 spans" in window.last_message.text()


def test_project_export_saves_first_and_reports_problems(window, corpus, tmp_path):
    window.open_path(corpus)
    label(window, "Officials in Berlin", "actor")
    label(window, "Berlin", "actor")  # nested: CoNLL keeps the longest
    label(window, "warned that prices would rise", "warning")
    out = tmp_path / "corpus.conll"
    report = window.exchange.run_export(ExportChoice("conll", SCOPE_MINE, out, ExportOptions()))
    assert report is not None
    assert report.spans == 2 and len(report.lost) == 1 and report.lost[0].text == "Berlin"
    assert "-DOCSTART- O" in out.read_text(encoding="utf-8")
    dialog = window.exchange.last_report
    assert dialog.table.rowCount() == len(report.problems)
    assert "Berlin" in dialog.as_text() and "dropped" in dialog.as_text()
    assert dialog.as_text().splitlines()[0] == "Document\tStart\tEnd\tLabel\tText\tProblem\tWhy"


def test_a_reported_span_is_shown_from_the_export_report(window, corpus, tmp_path):
    window.open_path(corpus)
    window.projects.open_document_id("news/b.txt")
    label(window, "Moscow denied", "denial")
    label(window, "Moscow", "actor")  # nested: dropped from CoNLL
    window.projects.open_document_id("a.txt")
    label(window, "Officials", "actor")
    report = window.exchange.run_export(ExportChoice("conll", SCOPE_MINE, tmp_path / "out.conll", ExportOptions()))
    assert [p.text for p in report.lost] == ["Moscow"]
    dialog = window.exchange.last_report
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 4).text() == "Moscow")
    dialog.table.itemActivated.emit(dialog.table.item(row, 0))
    assert window.projects.document_id == "news/b.txt"
    assert window.controller.annotations.get(window.view.selected_span_id).text == "Moscow"
    other = Problem("a@someone", 0, 9, "actor", "Officials", "dropped", "test")
    assert not window.exchange.show_problem_span(other)
    assert "another annotator" in window.statusBar().currentMessage()


def test_export_scopes_filter_annotators(window, corpus, tmp_path):
    window.open_path(corpus)
    label(window, "Officials", "actor")
    window.sessions.autosave()
    other = Project(corpus).annotation_path("a.txt", "other")
    other.parent.mkdir(parents=True)
    other.write_bytes(Project(corpus).annotation_path("a.txt", "tester").read_bytes().replace(b'"tester"', b'"other"'))
    mine, everyone = tmp_path / "mine.jsonl", tmp_path / "everyone.jsonl"
    window.exchange.run_export(ExportChoice("jsonl", SCOPE_MINE, mine, ExportOptions()))
    window.exchange.run_export(ExportChoice("jsonl", SCOPE_EVERYONE, everyone, ExportOptions()))
    assert [r["annotator"] for r in jsonl_records(mine)] == ["tester"]
    assert sorted(r["annotator"] for r in jsonl_records(everyone)) == ["other", "tester"]


def test_export_refuses_to_write_into_the_project(window, corpus):
    window.open_path(corpus)
    label(window, "Officials", "actor")
    assert window.exchange.run_export(ExportChoice("brat", SCOPE_MINE, corpus / "brat", ExportOptions())) is None
    assert "inside a project" in window.last_message.text()
    assert not (corpus / "brat").exists()


def test_export_dialog_shows_the_options_of_each_format(window, tmp_path, qtbot):
    dialog = ExportDialog(window, "corpus", tmp_path, in_project=True, last_format="conll")
    qtbot.addWidget(dialog)
    assert dialog.form.isRowVisible(dialog.scheme_box) and dialog.form.isRowVisible(dialog.overlap_box)
    assert not dialog.form.isRowVisible(dialog.language_edit)
    assert dialog.destination.edit.text() == str(tmp_path / "corpus.conll")
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("brat"))
    assert not dialog.form.isRowVisible(dialog.scheme_box)
    assert dialog.destination.folder and dialog.destination.edit.text() == str(tmp_path / "corpus-brat")
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("spacy"))
    assert dialog.form.isRowVisible(dialog.language_edit)
    dialog.snap_box.setChecked(True)
    choice = dialog.choice()
    assert choice.format == "spacy" and choice.scope == SCOPE_MINE and choice.options.snap
    assert choice.destination == tmp_path / "corpus.spacy"
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("hf"))
    assert dialog.form.isRowVisible(dialog.overlap_box) and dialog.form.isRowVisible(dialog.snap_box)
    assert not dialog.form.isRowVisible(dialog.scheme_box)  # always IOB2
    assert dialog.destination.folder and dialog.destination.edit.text() == str(tmp_path / "corpus-hf")
    assert "datasets.load_dataset()" in dialog.hint.text()


def test_import_into_the_open_project(window, corpus, tmp_path):
    window.open_path(corpus)
    data = tmp_path / "batch.jsonl"
    records = [
        {"id": "r1", "text": "Moscow denied the claim.", "spans": [{"start": 0, "end": 6, "label": "actor"}]},
        {"id": "r2", "text": "Bad span.", "spans": [{"start": 5, "end": 2, "label": "actor"}]},
    ]
    data.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    report = window.exchange.import_file(data, "jsonl")
    assert report.documents == ["batch/r1.txt", "batch/r2.txt"]
    ids = [e.id for e in window.documents.model.entries]
    assert {"batch/r1.txt", "batch/r2.txt"} <= set(ids)
    assert "rejected 1" in window.last_message.text()
    assert "line 2: span 1 [5, 2) is reversed" in window.last_message.detailedText()


def test_import_without_a_project_makes_one(window, tmp_path):
    data = tmp_path / "tasks.jsonl"
    data.write_text(json.dumps({"text": "Yang denied it.", "label": [[5, 11, "denial"]]}) + "\n", encoding="utf-8")
    folder = tmp_path / "imported"
    report = window.exchange.import_file(data, "doccano", folder)
    assert report is not None and report.spans == 1
    assert window.projects.project is not None and window.projects.project.root == folder.resolve()
    assert [s.text for s in window.controller.annotations] == ["denied"]


@pytest.mark.parametrize(
    ("typed", "shown", "columns"),
    [
        ("3,", "3,", 3),
        (" 3 , 4", " 3 , 4", (3, 4)),
        ("0", "", None),  # columns are counted from 1
        ("3 4", "3 ", 3),  # two numbers need a comma between them
        ("345", "34", 34),
        ("3,,4", "3,4", (3, 4)),
    ],
)
def test_the_tag_column_field_takes_numbers_separated_by_commas(window, qtbot, typed, shown, columns):
    dialog = ImportDialog(window, "the project", "conll")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.tag_column_box, typed)
    assert dialog.tag_column_box.text() == shown
    assert dialog.tag_columns() == columns


def test_import_dialog_choice(window, tmp_path, qtbot):
    dialog = ImportDialog(window, "the project", "brat")
    qtbot.addWidget(dialog)
    assert dialog.source.folder
    dialog.source.edit.setText(str(tmp_path / "x"))
    assert dialog.choice() == ImportChoice("brat", tmp_path / "x", ImportOptions())


def test_the_import_dialog_shows_the_reading_options_of_the_chosen_format(window, tmp_path, qtbot):
    dialog = ImportDialog(window, "the project", "conll")
    qtbot.addWidget(dialog)
    dialog.show()

    def shown() -> set[str]:
        return {name for name, widget in dialog.option_widgets.items() if widget.isVisible()}

    assert shown() == {"word_column", "tag_column", "scheme"}
    dialog.source.edit.setText(str(tmp_path / "germeval.tsv"))
    assert dialog.choice() == ImportChoice("conll", tmp_path / "germeval.tsv", ImportOptions())
    dialog.word_column_box.setValue(2)
    qtbot.keyClicks(dialog.tag_column_box, "3")
    dialog.scheme_box.setCurrentIndex(dialog.scheme_box.findData("IOB1"))
    assert dialog.choice().options == ImportOptions(word_column=2, tag_column=3, scheme="IOB1")
    qtbot.keyClicks(dialog.tag_column_box, ",4x")  # the letter is refused by the field
    assert dialog.tag_column_box.text() == "3,4"
    assert dialog.choice().options == ImportOptions(word_column=2, tag_column=(3, 4), scheme="IOB1")
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("label-studio"))
    assert shown() == {"offsets"}
    dialog.offsets_box.setCurrentIndex(dialog.offsets_box.findData("utf16"))
    assert dialog.choice().options == ImportOptions(offsets="utf16")  # the CoNLL fields are not carried over
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("doccano"))
    assert shown() == {"empty"}
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("jsonl"))
    assert shown() == set() and dialog.choice().options == ImportOptions()


def test_outside_a_project_the_open_document_is_never_overwritten(window, corpus, tmp_path):
    document = corpus / "a.txt"
    window.open_path(document)
    label(window, "Officials", "actor")
    before = document.read_bytes()
    for fmt, target in (("csv", document), ("brat", corpus)):
        assert window.exchange.run_export(ExportChoice(fmt, SCOPE_DOCUMENT, target, ExportOptions())) is None
        assert "refusing" in window.last_message.text() or "open document" in window.last_message.text()
    assert document.read_bytes() == before


def test_a_project_export_waits_for_the_open_documents_changes(window, corpus, tmp_path, monkeypatch):
    window.open_path(corpus)
    label(window, "Officials", "actor")
    monkeypatch.setattr(window.sessions, "save_session", lambda quiet, overwrite=False: False)
    out = tmp_path / "p.jsonl"
    assert window.exchange.run_export(ExportChoice("jsonl", SCOPE_MINE, out, ExportOptions())) is None
    assert "not saved yet" in window.last_message.text()
    assert not out.exists()


def test_report_rows_of_other_documents_outside_a_project_say_so(window, corpus, tmp_path):
    window.open_path(corpus / "news" / "b.txt")
    label(window, "Moscow", "actor")
    other = Problem("a@tester", 0, 9, "actor", "Officials", "dropped", "test")
    assert not window.exchange.show_problem_span(other)
    assert "open it" in window.statusBar().currentMessage()
    assert window.controller.annotations.get(window.view.selected_span_id).text == "Moscow"  # nothing else selected


def test_the_report_names_trimmed_spans_in_plain_words(window, qtbot):
    from annotator.ui.dialogs.exchange_dialogs import ExportReportDialog

    report = ExportReport("conll", documents=1, spans=1)
    reason = "the whitespace at its start (' ') is part of no token; written without it as [4, 12) 'Person H'"
    report.problems.append(Problem("a@tester", 3, 12, "actor", " Person H", "trimmed", reason))
    dialog = ExportReportDialog(window, report.summary(), report.problems, [])
    qtbot.addWidget(dialog)
    assert report.summary() == "Exported 1 document with 1 span; 1 span trimmed (whitespace at an edge left out)"
    assert [dialog.table.item(0, column).text() for column in (5, 6)] == ["trimmed", reason]


def test_report_tooltips_and_import_notes_are_plain_text(window, corpus, tmp_path, qtbot):
    from annotator.ui.dialogs.exchange_dialogs import ExportReportDialog

    problem = Problem("<b>doc</b>@tester", 0, 3, "actor", "<b>Yang</b>", "dropped", "<i>why</i>")
    dialog = ExportReportDialog(window, "summary", [problem], [])
    qtbot.addWidget(dialog)
    assert dialog.table.item(0, 4).toolTip() == "<qt>&lt;b&gt;Yang&lt;/b&gt;</qt>"
    window.open_path(corpus)
    data = tmp_path / "n.jsonl"
    data.write_text(json.dumps({"id": "a/b:c", "text": "Yang denied it."}) + "\n", encoding="utf-8")
    window.exchange.import_file(data, "jsonl")
    assert "not a safe file name" in window.last_message.detailedText()


def test_the_export_dialog_names_a_document_export_after_the_document(window, tmp_path, qtbot):
    dialog = ExportDialog(window, "corpus", tmp_path, in_project=True, last_format="jsonl", document_name="b")
    qtbot.addWidget(dialog)
    assert dialog.destination.edit.text() == str(tmp_path / "corpus.jsonl")
    dialog.scope_box.setCurrentIndex(dialog.scope_box.findData(SCOPE_DOCUMENT))
    assert dialog.destination.edit.text() == str(tmp_path / "b.jsonl")
    dialog.destination.edit.setText(str(tmp_path / "mine.jsonl"))
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
    assert dialog.destination.edit.text() == str(tmp_path / "mine.jsonl")  # typed: kept


def test_outside_a_project_text_files_beside_the_document_are_kept(window, corpus, tmp_path):
    window.open_path(corpus / "a.txt")
    label(window, "Officials", "actor")
    neighbour = corpus / "b.txt"
    neighbour.write_text("Another document.", encoding="utf-8")
    assert window.exchange.run_export(ExportChoice("jsonl", SCOPE_DOCUMENT, neighbour, ExportOptions())) is None
    assert neighbour.read_text(encoding="utf-8") == "Another document."


def test_this_document_without_an_open_document_exports_nothing(window, corpus, tmp_path):
    window.open_path(corpus)
    window.controller.annotations = None
    out = tmp_path / "x.jsonl"
    assert window.exchange.run_export(ExportChoice("jsonl", SCOPE_DOCUMENT, out, ExportOptions())) is None
    assert not out.exists() and "No document is open" in window.last_message.text()


def test_project_export_can_add_the_documents_nobody_annotated(window, corpus, tmp_path):
    window.open_path(corpus)
    window.projects.open_document_id("a.txt")
    label(window, "Officials", "actor")
    out = tmp_path / "all.jsonl"
    report = window.exchange.run_export(
        ExportChoice("jsonl", SCOPE_MINE, out, ExportOptions(), include_unannotated=True)
    )
    assert report is not None and report.documents == 2 and report.unannotated == 1
    records = jsonl_records(out)
    assert records[1] == {"id": "news/b", "text": DOCS["news/b.txt"]}  # no "spans": not annotated
    assert "1 of them not annotated by anyone" in window.last_message.text()
    report = window.exchange.run_export(ExportChoice("jsonl", SCOPE_MINE, out, ExportOptions()))
    assert report is not None and report.documents == 1 and report.unannotated == 0


def test_export_dialog_offers_the_documents_nobody_annotated_for_project_scopes(window, tmp_path, qtbot):
    dialog = ExportDialog(window, "corpus", tmp_path, in_project=True, last_format="jsonl", document_name="b")
    qtbot.addWidget(dialog)
    assert dialog.form.isRowVisible(dialog.unannotated_box)
    dialog.unannotated_box.setChecked(True)
    assert dialog.choice().include_unannotated
    dialog.scope_box.setCurrentIndex(dialog.scope_box.findData(SCOPE_DOCUMENT))
    assert not dialog.form.isRowVisible(dialog.unannotated_box)
    assert not dialog.choice().include_unannotated


def test_a_refused_conll_layout_names_the_import_dialogs_fields_then_imports_with_them(window, tmp_path):
    data = tmp_path / "germeval.tsv"
    data.write_text("1\tSullivan\tB-actor\tO\n2\twarned\tB-warning\tO\n3\tChina\tI-warning\tB-actor\n", "utf-8")
    folder = tmp_path / "imported"
    assert window.exchange.import_file(data, "conll", folder) is None
    shown = window.last_message.text()
    assert "columns 3 and 4 both hold tags" in shown
    assert "In File → Import…, --word-column is the Word column field, --tag-column is the Tag column field." in shown
    report = window.exchange.import_file(data, "conll", folder, ImportOptions(word_column=2, tag_column=3))
    assert report is not None and report.spans == 2
    assert [(s.label, s.text) for s in window.controller.annotations.sorted_spans()] == [
        ("actor", "Sullivan"),
        ("warning", "warned China"),
    ]


def test_reading_option_hint_names_only_the_options_a_message_names():
    from annotator.ui.dialogs.exchange_dialogs import reading_option_hint

    assert reading_option_hint("tasks.json task 2: give --offsets utf16") == (
        "In File → Import…, --offsets is the Offsets field."
    )
    assert reading_option_hint("line 4: span 1 [5, 2) is reversed") == ""


def test_a_project_nobody_annotated_yet_exports_its_documents_when_asked(window, corpus, tmp_path):
    window.open_path(corpus)
    out = tmp_path / "all.jsonl"
    report = window.exchange.run_export(
        ExportChoice("jsonl", SCOPE_MINE, out, ExportOptions(), include_unannotated=True)
    )
    assert report is not None and report.documents == 2 and report.unannotated == 2
    assert [record["id"] for record in jsonl_records(out)] == ["a", "news/b"]


def test_the_export_report_lists_documents_whose_metadata_was_not_written(window, qtbot):
    from annotator.ui.dialogs.exchange_dialogs import ExportReportDialog

    note = "news/a@alice: its metadata ('url') is not exported: CoNLL (IOB tags) has no room for it"
    dialog = ExportReportDialog(window, "Exported 1 document with 0 spans", [], [], [note])
    qtbot.addWidget(dialog)
    assert dialog.note_label.text() == note
    assert dialog.note_label.textFormat() == Qt.TextFormat.PlainText


def test_exporting_over_an_existing_file_asks_first_and_keeps_it_when_declined(
    window, corpus, tmp_path, questions, monkeypatch
):
    from annotator.ui.dialogs import exchange_dialogs

    window.open_path(corpus / "a.txt")
    label(window, "Officials", "actor")
    out = tmp_path / "corpus.jsonl"
    out.write_text("yesterday's export\n", encoding="utf-8")
    choice = ExportChoice("jsonl", SCOPE_DOCUMENT, out, ExportOptions())
    monkeypatch.setattr(exchange_dialogs.ExportDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(exchange_dialogs.ExportDialog, "choice", lambda dialog: choice)
    questions.script(replace=False)
    window.exchange.export_dialog()
    assert questions.questions("replace") == [("corpus.jsonl", False)]
    assert out.read_text(encoding="utf-8") == "yesterday's export\n"
    questions.script(replace=True)
    window.exchange.export_dialog()
    assert jsonl_records(out)[0]["spans"][0]["text"] == "Officials"
