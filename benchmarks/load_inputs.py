"""Generated inputs for the Qt-free loading and CLI benchmarks (no Qt): annotation files with many spans, and
projects of many small documents.

The text is article-like sentences (one with an emoji, every third line ending in CR LF), the spans word-aligned and
spread over the whole text, every tenth nested in the one before, labels cycling through the default label set's.
"""

from __future__ import annotations

import re
from pathlib import Path

SENTENCES = (
    "Officials in Berlin warned on Monday that prices would rise sharply this winter.",
    "The minister denied that talks with the union had collapsed 🙂 after midnight.",
    "Analysts claimed the deal was done, citing three people familiar with the matter.",
    "Jake Sullivan held talks in Rome with Yang Jiechi about the war in Ukraine.",
)
LABELS = ("actor", "claim", "warning", "denial")


def make_text(size: int) -> str:
    """About ``size`` code points of sentences; every third line ends in CR LF, the others in LF."""
    parts, length, n = [], 0, 0
    while length < size:
        line = " ".join(SENTENCES[(n + k) % len(SENTENCES)] for k in range(3)) + ("\r\n" if n % 3 == 0 else "\n")
        parts.append(line)
        length += len(line)
        n += 1
    return "".join(parts)


def make_spans(text: str, count: int) -> list[tuple[int, int, str]]:
    """``count`` word-aligned spans ``(start, end, label)`` over ``text`` (code points), every tenth nested in the
    span before it; fewer when the text has too few words."""
    words = [m.span() for m in re.finditer(r"\w+", text)]
    step = max(1, len(words) * 11 // (max(1, count) * 10))
    spans: list[tuple[int, int, str]] = []
    index = 0
    while len(spans) < count and index + 2 < len(words):
        start, end = words[index][0], words[index + 2][1]
        spans.append((start, end, LABELS[len(spans) % 4]))
        if len(spans) % 10 == 9 and len(spans) < count:
            inner = words[index + 1]
            spans.append((inner[0], inner[1], LABELS[(len(spans) + 1) % 4]))
        index += step if step > 2 else 3
    return spans[:count]


def write_annotation_file(path: Path, size: int, count: int, *, document_id: str = "", annotator: str = "bench") -> int:
    """Write an annotation file of about ``size`` code points of text and ``count`` spans (as the app saves it) to
    ``path``; returns the number of spans written."""
    from annotator.io import annotation_file
    from annotator.io.label_set_file import default_label_set
    from annotator.model.annotation_set import AnnotationSet
    from annotator.model.document import Document, DocumentSource
    from annotator.model.span import Span

    text = make_text(size)
    document = Document.from_text(text, DocumentSource(file_name=path.name, encoding="utf-8"))
    spans = [
        Span(id=f"s{n + 1}", start=start, end=end, label=label, text=text[start:end])
        for n, (start, end, label) in enumerate(make_spans(text, count))
    ]
    annotations = AnnotationSet(document, default_label_set(), annotator, spans, document_id=document_id)
    annotation_file.save(annotations, path)
    return len(spans)


def kept_1m_file() -> Path:
    """The 1M-span annotation file (:func:`write_annotation_file` of 20 MB of text, about 205 MB), made on first use
    and kept in ``/tmp/annotator-load-bench`` for later runs (the huge-open and in-use benchmarks copy it)."""
    import tempfile

    kept = Path(tempfile.gettempdir()) / "annotator-load-bench" / "s1m.annotations.json"
    if not kept.exists():
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_annotation_file(kept, 20_000_000, 1_000_000)
    return kept


def write_project(folder: Path, documents: int, *, size: int = 2_000, spans: int = 20) -> Path:
    """A project folder of ``documents`` annotated documents (``docs/dNNNNN.txt`` and
    ``annotations/bench/docs/dNNNNN.annotations.json``, about ``size`` code points and ``spans`` spans each);
    returns the folder."""
    from annotator.io import annotation_file

    folder.mkdir(parents=True, exist_ok=True)
    template = folder / "template.annotations.json"
    write_annotation_file(template, size, spans)
    data = template.read_bytes()
    template.unlink()
    text = make_text(size)
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    annotations = folder / "annotations" / "bench" / "docs"
    annotations.mkdir(parents=True, exist_ok=True)
    marker = b'"document_id": ""'
    for n in range(documents):
        name = f"d{n:05d}"
        (folder / "docs" / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
        (annotations / f"{name}{annotation_file.ANNOTATION_SUFFIX}").write_bytes(
            data.replace(marker, f'"document_id": "docs/{name}.txt"'.encode(), 1)
        )
    return folder
