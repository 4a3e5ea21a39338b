"""The Word converter: .docx files built here with python-docx (as Word writes them), plus bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.parser import parse_xml

from annotator.io.convert.docx import DocxConverter
from annotator.io.convert.source import ConversionError, sha256_hex

TRAPS = json.loads((Path(__file__).parents[2] / "data" / "unicode-traps.json").read_text(encoding="utf-8"))["cases"]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
V = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_footnotes(document, notes: list[str]) -> None:
    """A footnotes part as Word writes it (two separators, then the notes), and a reference to each in the body."""
    entries = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        "</w:footnote>",
    ]
    for number, note in enumerate(notes, start=1):
        entries.append(f'<w:footnote w:id="{number}"><w:p><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote>')
        reference = parse_xml(f'<w:r {W}><w:footnoteReference w:id="{number}"/></w:r>')
        document.paragraphs[0]._p.append(reference)
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {W}>{"".join(entries)}</w:footnotes>'
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def text_box_run(text: str) -> object:
    """A run anchoring a text box, as Word 2010+ writes it: a DrawingML choice and its VML fallback (simplified)."""
    box = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return parse_xml(
        f'<w:r {W} {MC} {V}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{box}</w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def news_docx() -> bytes:
    document = Document()
    document.core_properties.title = "Talks in Rome"
    document.core_properties.author = "Desk Editor"
    document.core_properties.created = dt.datetime(2024, 3, 4, 9, 30, tzinfo=dt.UTC)
    document.sections[0].header.paragraphs[0].text = "Daily Bulletin: confidential"
    document.sections[0].footer.paragraphs[0].text = "Page footer"
    document.add_paragraph("Officials met in Rome on Monday.")
    document.add_paragraph("")
    document.add_paragraph("   ")
    second = document.add_paragraph("Price warned of consequences.")
    second._p.append(text_box_run("Boxed aside"))
    table = document.add_table(rows=3, cols=3)
    rows = [("Who", "Said", "When"), ("Price", "warned\nagain", "Monday"), ("", "", "")]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.rows[0].cells[2].add_paragraph("(UTC)")
    document.add_paragraph("Beijing denied it.")
    document.add_comment(document.paragraphs[-1].runs, text="check this", author="Ed")
    add_footnotes(document, ["Source: the ministry.", "Translated."])
    return saved(document)


def test_paragraphs_and_tables_in_document_order_with_what_was_left_out():
    data = news_docx()
    converted = DocxConverter().convert(data, "talks.docx")

    assert converted.text == (
        "Officials met in Rome on Monday.\n\n"
        "Price warned of consequences.\n\n"
        "Who\tSaid\tWhen (UTC)\nPrice\twarned again\tMonday\n\n"
        "Beijing denied it."
    )
    record = converted.source
    assert (record.kind, record.name, record.sha256) == ("docx", "talks.docx", sha256_hex(data))
    assert (record.converter, record.converter_version) == ("python-docx", version("python-docx"))
    assert dict(record.metadata) == {
        "title": "Talks in Rome",
        "author": "Desk Editor",
        "date": "2024-03-04T09:30:00+00:00",
    }
    assert record.left_out == ("a header", "a footer", "2 footnotes", "a comment", "a text box")


def test_a_cells_characters_are_kept_as_stored_but_its_line_breaks_and_tabs():
    document = Document()
    table = document.add_table(rows=1, cols=3)
    first, second, third = table.rows[0].cells
    first.text = "Zo\u00eb\u00a0Martin"  # NBSP
    second.text = "said  twice\u2028then  \u00a0 left"  # double spaces, U+2028, NBSP between spaces
    third.text = "line\nbreak\tand tab"
    third.add_paragraph("second\u00a0paragraph ")
    assert DocxConverter().convert(saved(document), "t.docx").text == (
        "Zo\u00eb\u00a0Martin\tsaid  twice\u2028then  \u00a0 left\tline break and tab second\u00a0paragraph "
    )


def test_the_same_bytes_convert_to_the_same_result():
    data = news_docx()
    assert DocxConverter().convert(data, "a.docx") == DocxConverter().convert(data, "a.docx")


def without_carriage_returns(text: str, offset: int) -> int:
    """Where code point ``offset`` of ``text`` lands once CR LF is one line break (Word has one kind)."""
    return offset - text[:offset].count("\r\n")


def test_the_trap_corpus_in_paragraphs_comes_out_exactly():
    document = Document()
    document.add_paragraph("Unicode traps")
    expected, starts = ["Unicode traps"], []
    for case in TRAPS:
        # Word stores a line break, not CR LF or CR: the paragraph holds the text as Word would save it.
        text = case["text"].replace("\r\n", "\n").replace("\r", "\n")
        document.add_paragraph().add_run(text)
        starts.append(len("\n\n".join(expected)) + 2)
        expected.append(text)

    converted = DocxConverter().convert(saved(document), "traps.docx").text

    assert converted == "\n\n".join(expected)
    for case, start in zip(TRAPS, starts, strict=True):
        for span in case["spans"]:
            begin = start + without_carriage_returns(case["text"], span["start"])
            end = start + without_carriage_returns(case["text"], span["end"])
            assert converted[begin:end] == span["text"], case["name"]


def test_traps_without_carriage_returns_are_unchanged_code_point_for_code_point():
    for case in TRAPS:
        if "\r" in case["text"]:
            continue
        document = Document()
        document.add_paragraph().add_run(case["text"])
        assert DocxConverter().convert(saved(document), "t.docx").text == case["text"], case["name"]


def test_hyperlinks_insertions_and_soft_hyphens_are_kept_deletions_and_field_codes_are_not():
    document = Document()
    paragraph = document.add_paragraph("Said ")
    for xml in (
        '<w:hyperlink r:id="rId99"><w:r><w:t>Price</w:t></w:r></w:hyperlink>',
        '<w:ins w:id="1" w:author="Ed"><w:r><w:t xml:space="preserve"> firmly</w:t></w:r></w:ins>',
        '<w:del w:id="2" w:author="Ed"><w:r><w:delText> softly</w:delText></w:r></w:del>',
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>',
        '<w:r><w:t xml:space="preserve">: sanc</w:t><w:softHyphen/><w:t>tions.</w:t></w:r>',
    ):
        wrapper = parse_xml(
            f'<w:p {W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{xml}</w:p>'
        )
        for child in list(wrapper):
            paragraph._p.append(child)
    assert DocxConverter().convert(saved(document), "d.docx").text == "Said Price firmly: sanc\u00adtions."


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Just some text, not a document.", "not a Word (.docx) file: not a zip archive, or a damaged one"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le"), "encrypted"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "WordDocument".encode("utf-16-le"), "old binary Word"),
    ],
)
def test_what_is_not_a_docx_is_refused_saying_why(data, reason):
    with pytest.raises(ConversionError) as refused:
        DocxConverter().convert(data, "in.docx")
    assert refused.value.source == "in.docx"
    assert reason in refused.value.reason


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_that_is_not_a_word_document_is_refused():
    with pytest.raises(ConversionError, match="not an Office document"):
        DocxConverter().convert(zipped({"notes.txt": b"hello"}), "in.docx")
    spreadsheet = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    with pytest.raises(ConversionError, match="not a readable Word document"):
        DocxConverter().convert(spreadsheet, "in.docx")


def test_a_truncated_docx_is_refused():
    with pytest.raises(ConversionError, match="not a zip archive, or a damaged one"):
        DocxConverter().convert(news_docx()[:2000], "cut.docx")


def test_a_zip_bomb_is_refused_from_its_directory_before_unpacking():
    bomb = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * 3_000_000})
    assert len(bomb) < 10_000
    with pytest.raises(ConversionError, match=r"refused as a zip bomb: its parts would unpack to 3 MB \(limit 2 MB\)"):
        DocxConverter(max_unpacked_bytes=2 * 1024 * 1024).convert(bomb, "bomb.docx")
    many = zipped({f"word/media/{n}.bin": b"" for n in range(30)} | {"[Content_Types].xml": b"<Types/>"})
    with pytest.raises(ConversionError, match=r"31 parts \(limit 20\)"):
        DocxConverter(max_parts=20).convert(many, "many.docx")


def test_a_document_without_text_is_refused():
    document = Document()
    document.add_paragraph("   ")
    document.add_table(rows=2, cols=2)
    document.sections[0].header.paragraphs[0].text = "Only a header"
    with pytest.raises(ConversionError, match="the Word document holds no text"):
        DocxConverter().convert(saved(document), "empty.docx")


def test_python_docx_is_not_imported_until_a_conversion():
    code = "import sys, annotator.io.convert.docx; print('docx' in sys.modules, 'lxml' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.split() == ["False", "False"]
