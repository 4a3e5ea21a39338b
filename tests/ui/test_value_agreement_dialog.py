"""The agreement dialog's Attributes and Document labels tabs: one row per pair and one for all annotators per item,
undefined figures reading "undefined" with their reasons written out, and the copied text."""

from __future__ import annotations

from annotator.io.label_set_file import default_label_set
from annotator.model.span import Span
from annotator.review.agreement import agreement_report
from annotator.review.units import DocumentAnnotations
from annotator.ui.review.agreement_dialog import AgreementDialog

TEXT = "Price said it. Smith said so. Jones said no. Brown said yes."
ACTORS = [(0, 5), (15, 20), (30, 35), (45, 50)]


def _actors(kinds) -> tuple[Span, ...]:
    return tuple(
        Span(id=f"s{i}", start=s, end=e, label="actor", text=TEXT[s:e], attributes={} if k is None else {"kind": k})
        for i, ((s, e), k) in enumerate(zip(ACTORS, kinds, strict=True), 1)
    )


def _report():
    document = DocumentAnnotations(
        "doc",
        TEXT,
        {
            "alice": _actors(["person", "person", "organisation", None]),
            "bob": _actors(["person", "organisation", "organisation", "person"]),
        },
        document_labels={"alice": {"relevance": "relevant"}, "bob": {"relevance": "relevant"}},
        label_set=default_label_set(),
    )
    return agreement_report([document])


def _row(table, row):
    return [table.item(row, column).text() for column in range(table.columnCount())]


def test_attribute_and_document_label_tabs(qtbot):
    dialog = AgreementDialog(None, _report(), "corpus")
    qtbot.addWidget(dialog)
    assert dialog.tabs is not None
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["&Spans", "&Attributes", "&Document labels"]
    attributes = dialog.value_tables["attributes"]
    rows = [_row(attributes, row) for row in range(attributes.rowCount())]
    # quote first (the label set's order): no statements at all, so everything is undefined
    assert rows[0] == ["quote", "alice", "bob", "0", "undefined", "undefined", "", ""]
    # kind: 4 matched actors, 2 alike; kappa 0.2 and alpha 10/38 (see tests/review/test_value_agreement.py)
    assert rows[2] == ["kind", "alice", "bob", "4", "0.500", "0.200", "", ""]
    assert rows[3] == ["kind", "(all annotators)", "", "4", "0.500", "", "0.263", ""]
    reasons = dialog.value_reasons["attributes"].toPlainText()
    assert "quote: alice / bob: Cohen's kappa: alice and bob have no matched claim/warning/denial spans" in reasons
    labels = dialog.value_tables["document_labels"]
    assert _row(labels, 1) == ["relevance", "(all annotators)", "", "1", "1.000", "", "undefined", "undefined"]
    assert "relevance: (all annotators): Fleiss' kappa: only 1 document: agreement needs at least 2" in (
        dialog.value_reasons["document_labels"].toPlainText()
    )
    assert "no matched claim/warning/denial spans" in attributes.item(0, 5).toolTip()
    text = dialog.as_text()
    assert "Attributes\nItem\tAnnotator A" in text
    assert "kind\talice\tbob\t4\t0.500\t0.200\t\t" in text
    assert "Document labels" in text
    assert "relevance: alice / bob: Cohen's kappa: only 1 document: agreement needs at least 2" in text


def test_without_attributes_or_document_labels_there_are_no_tabs(qtbot):
    document = DocumentAnnotations("doc", TEXT, {"alice": _actors([None] * 4), "bob": _actors([None] * 4)})
    dialog = AgreementDialog(None, agreement_report([document]))
    qtbot.addWidget(dialog)
    assert dialog.tabs is None and dialog.value_tables == {}


def test_gold_is_said_to_be_compared_pair_by_pair_only(qtbot):
    spans = {name: _actors(["person", "person", "organisation", None]) for name in ("alice", "bob", "gold")}
    document = DocumentAnnotations("doc", TEXT, spans, label_set=default_label_set())
    dialog = AgreementDialog(None, agreement_report([document]), "corpus")
    qtbot.addWidget(dialog)
    note = "gold compared pair by pair, not in the all-annotators figures"
    assert dialog.annotators_label.text().startswith("3: alice")
    assert note in dialog.annotators_label.text()
    assert note in dialog.as_text()
    plain = AgreementDialog(None, _report(), "corpus")
    qtbot.addWidget(plain)
    assert note not in plain.annotators_label.text()
