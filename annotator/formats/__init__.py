"""Exchange formats: exporting labeled datasets (JSONL, CoNLL IOB2/IOBES, brat standoff, Label Studio, doccano, CSV,
spaCy DocBin) and importing them back. No Qt: the command line (:mod:`annotator.cli`) and the app both use it.

Every format works on :class:`~annotator.formats.records.DocumentRecord` (one annotator's spans over one document's
exact text, offsets in code points) and reports what it could not write as
:class:`~annotator.formats.report.Problem` entries instead of dropping spans silently.
"""
