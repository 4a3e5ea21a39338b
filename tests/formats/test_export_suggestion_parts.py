"""What of suggestions a format cannot hold (span origins, suggesters and scores, pending and rejected suggestions,
whether suggestions were shown and the active time) is said once per export, with counts, never dropped silently."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.formats.exporting import export
from annotator.formats.options import ExportOptions
from annotator.formats.records import ACTIVE_KEY, SHOWN_KEY, DocumentRecord
from annotator.formats.registry import EXPORT_FORMATS, get_format
from annotator.model.pending import PendingSuggestion, RejectedSuggestion
from annotator.model.span import Span

TEXT = "Yang denied it. Sullivan warned China."


def record_with_suggestions(record_id: str) -> DocumentRecord:
    return DocumentRecord(
        id=record_id,
        text=TEXT,
        spans=(
            Span(id="s1", start=0, end=4, label="actor", text="Yang", origin="suggestion", suggester="sm", score=0.5),
            Span(id="s2", start=5, end=11, label="denial", text="denied"),
        ),
        annotator="alice",
        meta={"status": "in_progress", SHOWN_KEY: True, ACTIVE_KEY: 12.5},
        suggestions=(
            PendingSuggestion(
                id="g1", start=16, end=24, label="actor", text="Sullivan", score=0.75, suggester="sm", reason="seen"
            ),
        ),
        rejected=(RejectedSuggestion(start=31, end=36, label="actor", suggester="sm"),),
    )


EXPECTED = {
    "jsonl": "",
    "csv": "3 pending suggestions, 2 rejected suggestions, whether suggestions were shown and the active time of 2 "
    "documents",
    "conll": "the origin of 2 spans accepted from suggestions (written as if made by hand), 3 pending suggestions, 2 "
    "rejected suggestions, whether suggestions were shown and the active time of 2 documents",
}
EXPECTED["doccano"] = EXPECTED["hf"] = EXPECTED["conll"]
EXPECTED["brat"] = (
    "the suggester and score of 2 spans accepted from suggestions, 3 pending suggestions, 2 rejected suggestions, "
    "whether suggestions were shown and the active time of 2 documents"
)
EXPECTED["label-studio"] = "2 rejected suggestions"
EXPECTED["spacy"] = ""  # everything in doc.user_data


@pytest.mark.parametrize("fmt_name", EXPORT_FORMATS)
def test_what_a_format_cannot_hold_of_suggestions_is_reported_once_with_counts(tmp_path, fmt_name):
    if fmt_name == "spacy":
        pytest.importorskip("spacy")
    fmt = get_format(fmt_name)
    first, second = record_with_suggestions("news/a"), record_with_suggestions("news/b")
    second = replace(second, suggestions=second.suggestions * 2)  # ids repeat: not checked here
    report = export(fmt, [first, second], tmp_path / f"out{fmt.suffix}", ExportOptions())
    if not EXPECTED[fmt_name]:
        assert report.left_out == []
        assert "no room" not in report.summary()
    else:
        assert report.left_out == [f"not exported ({fmt.title} has no room for them): {EXPECTED[fmt_name]}"]
        assert report.summary().endswith("; " + report.left_out[0])


def test_nothing_is_reported_when_the_records_hold_no_suggestions(tmp_path):
    plain = DocumentRecord(id="news/a", text=TEXT, spans=(Span(id="s1", start=0, end=4, label="actor", text="Yang"),))
    report = export(get_format("conll"), [plain], tmp_path / "out.conll", ExportOptions())
    assert report.left_out == []
    assert "no room" not in report.summary()
