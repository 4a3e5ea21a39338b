"""The PDF converter: PDFs written here with fpdf2 (a line per cell, as a typesetter places them), plus bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from annotator.io.convert.pdf import PdfConverter
from annotator.io.convert.source import ConversionError, sha256_hex

TRAPS = json.loads((Path(__file__).parents[2] / "data" / "unicode-traps.json").read_text(encoding="utf-8"))["cases"]
#: Where a TrueType font with more than Latin-1 may be found (Debian/Ubuntu's fonts-dejavu-core, Fedora's, macOS').
FONTS = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
]
LINE = 6  # mm between lines: 17 pt for 12 pt type


class Bulletin(FPDF):
    """Pages with a running header and a "Page N of M" footer."""

    def header(self) -> None:
        self.set_font("helvetica", size=9)
        self.cell(0, 8, "Daily Bulletin - Monday", new_x="LMARGIN", new_y="NEXT")
        self.set_font("helvetica", size=12)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("helvetica", size=9)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}")
        self.set_font("helvetica", size=12)


def write(pdf: FPDF, pages: list[list[str]]) -> bytes:
    """Each page's lines, one cell each; an empty string is a paragraph gap (one more line of space)."""
    for lines in pages:
        pdf.add_page()
        for line in lines:
            if line:
                pdf.cell(0, LINE, line, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.ln(LINE)
    return bytes(pdf.output())


def plain_pdf(pages: list[list[str]]) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    return write(pdf, pages)


def bulletin() -> bytes:
    pdf = Bulletin()
    pdf.set_title("Talks in Rome")
    pdf.set_author("Desk Editor")
    pdf.set_creation_date(dt.datetime(2024, 3, 4, 9, 30, tzinfo=dt.UTC))
    return write(
        pdf,
        [
            [
                "Officials met in Rome on Monday. The minister said the govern-",
                "ment would answer within a week.",
                "",
                "Price warned of consequences and a",
                "long-term review.",
            ],
            ["Beijing denied it, and the talks were", "adjourned until Friday."],
        ],
    )


def test_a_two_page_bulletin_without_its_running_header_and_page_numbers():
    data = bulletin()
    converted = PdfConverter().convert(data, "bulletin.pdf")

    assert converted.text == (
        "Officials met in Rome on Monday. The minister said the government would answer within a week.\n\n"
        "Price warned of consequences and a long-term review.\n\n"
        "Beijing denied it, and the talks were adjourned until Friday."
    )
    record = converted.source
    assert (record.kind, record.name, record.sha256) == ("pdf", "bulletin.pdf", sha256_hex(data))
    assert (record.converter, record.converter_version) == ("pypdf", version("pypdf"))
    assert dict(record.metadata) == {
        "title": "Talks in Rome",
        "author": "Desk Editor",
        "date": "2024-03-04T09:30:00+00:00",
    }
    assert record.left_out == (
        'a running header repeated on 2 pages: "Daily Bulletin - Monday"',
        'a running footer with the page number repeated on 2 pages: "Page 1 of 2"',
    )


def test_the_same_bytes_convert_to_the_same_result():
    data = bulletin()
    assert PdfConverter().convert(data, "b.pdf") == PdfConverter().convert(data, "b.pdf")


def test_a_one_page_pdf_keeps_its_header_and_a_paragraph_runs_on_across_a_page_break():
    one = Bulletin()
    assert PdfConverter().convert(write(one, [["Only page."]]), "one.pdf").text == (
        "Daily Bulletin - Monday Only page.\n\nPage 1 of 1"
    )
    running_on = plain_pdf([["A sentence that runs on"], ["to the next page.", "", "New paragraph."]])
    assert PdfConverter().convert(running_on, "two.pdf").text == (
        "A sentence that runs on to the next page.\n\nNew paragraph."
    )


def test_one_line_paragraphs_stay_apart_and_a_second_column_is_a_new_paragraph():
    headlines = plain_pdf([["Rome talks end.", "", "Price warns Beijing.", "", "Beijing denies it."]])
    assert PdfConverter().convert(headlines, "h.pdf").text == (
        "Rome talks end.\n\nPrice warns Beijing.\n\nBeijing denies it."
    )
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    for x, lines in ((10, ["Officials met in", "Rome on Monday."]), (110, ["Beijing denied", "the report."])):
        pdf.set_xy(x, 20)
        for line in lines:
            pdf.cell(80, LINE, line, new_x="LEFT", new_y="NEXT")
    assert PdfConverter().convert(bytes(pdf.output()), "c.pdf").text == (
        "Officials met in Rome on Monday.\n\nBeijing denied the report."
    )


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["the govern-", "ment spoke"], "the government spoke"),  # a typesetter's hyphen
        (["a well-", "known envoy"], "a well-known envoy"),  # a compound head
        (["the pro-", "cess of the process"], "the process of the process"),  # the joined word occurs
        (["a stop-", "gap, a stop-gap"], "a stop-gap, a stop-gap"),  # the hyphenated form occurs
        (["the anti-", "American mood"], "the anti-American mood"),  # before a capital
        (["COVID-", "19 cases"], "COVID-19 cases"),  # before a digit
        (["in 20-", "year terms"], "in 20-year terms"),  # after a digit
        (["a pause -", "then more"], "a pause - then more"),  # a dash, not a hyphen
    ],
)
def test_hyphens_at_line_ends(lines, joined):
    assert PdfConverter().convert(plain_pdf([lines]), "h.pdf").text == joined


def unicode_font() -> Path:
    for font in FONTS:
        if font.exists():
            return font
    pytest.skip("no DejaVu Sans (or Arial Unicode) on this machine: the traps beyond Latin-1 are not tested")


#: Traps whose every character DejaVu Sans has a glyph for; tabs have none (a PDF places text, it has no tab).
CARRIED = {
    "ascii-baseline",
    "curly-quotes",
    "combining-marks",
    "crlf-lines",
    "cr-only-lines",
    "unicode-line-separators",
    "zero-width-and-soft-hyphen",
    "overlap-and-nesting",
    "same-span-two-labels",
    "no-trailing-newline-vs-trailing",
}
LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029]")


def in_one_paragraph(text: str, offset: int) -> int:
    """Where code point ``offset`` of ``text`` lands once its lines are joined with single spaces (and trailing
    line breaks dropped): a CR LF is one code point less."""
    return offset - sum(len(match.group()) - 1 for match in LINE_BREAK.finditer(text, 0, offset))


def test_the_traps_a_font_carries_come_out_exactly_in_paragraphs():
    pdf = FPDF()
    pdf.add_font("unicode", fname=str(unicode_font()))
    pdf.set_font("unicode", size=11)
    cases = [case for case in TRAPS if case["name"] in CARRIED]
    lines = []
    for case in cases:
        lines.extend(line for line in LINE_BREAK.split(case["text"]) if line)
        lines.append("")
    converted = PdfConverter().convert(write(pdf, [lines]), "traps.pdf").text

    paragraphs = converted.split("\n\n")
    assert len(paragraphs) == len(cases)
    for case, paragraph in zip(cases, paragraphs, strict=True):
        assert paragraph == " ".join(line for line in LINE_BREAK.split(case["text"]) if line), case["name"]
        start = converted.index(paragraph)
        for span in case["spans"]:
            begin = start + in_one_paragraph(case["text"], span["start"])
            end = start + in_one_paragraph(case["text"], span["end"])
            assert converted[begin:end] == span["text"], case["name"]


def test_a_pdf_without_text_is_refused_as_scanned():
    from PIL import Image

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("L", (40, 20), color=128), x=20, y=20, w=80)
    with pytest.raises(
        ConversionError, match=r"^scan\.pdf: a scanned or image-only PDF: no text on any of its 2 pages$"
    ):
        PdfConverter().convert(bytes(pdf.output()), "scan.pdf")


def encrypted(data: bytes, user_password: str, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_an_encrypted_pdf_is_refused_and_one_with_only_an_owner_password_is_read():
    data = plain_pdf([["Beijing denied it."]])
    with pytest.raises(ConversionError, match="the PDF is encrypted: it needs a password to open"):
        PdfConverter().convert(encrypted(data, "secret"), "locked.pdf")
    assert PdfConverter().convert(encrypted(data, ""), "restricted.pdf").text == "Beijing denied it."


def test_an_aes_encrypted_pdf_with_only_an_owner_password_is_read():
    data = plain_pdf([["Beijing denied it."]])
    assert PdfConverter().convert(encrypted(data, "", "AES-256"), "restricted.pdf").text == "Beijing denied it."
    with pytest.raises(ConversionError, match="the PDF is encrypted: it needs a password to open"):
        PdfConverter().convert(encrypted(data, "secret", "AES-256"), "locked.pdf")


def test_an_aes_encrypted_pdf_without_the_cryptography_package_is_refused_saying_so(monkeypatch):
    from pypdf.errors import DependencyError

    def needs_cryptography(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", needs_cryptography)
    data = encrypted(plain_pdf([["Beijing denied it."]]), "")
    with pytest.raises(ConversionError, match=r"encrypted \(AES\); reading it needs the 'cryptography' package"):
        PdfConverter().convert(data, "aes.pdf")


@pytest.mark.parametrize("keep", [0.5, 0.95])
def test_a_truncated_pdf_is_refused_as_broken(keep):
    data = bulletin()
    with pytest.raises(ConversionError, match=r"^cut\.pdf: a broken PDF"):
        PdfConverter().convert(data[: int(len(data) * keep)], "cut.pdf")


def test_what_is_not_a_pdf_is_refused():
    with pytest.raises(ConversionError, match=r"^x\.pdf: not a PDF file \(no %PDF header\)$"):
        PdfConverter().convert(b"<html>not a pdf</html>", "x.pdf")


def test_pypdf_is_not_imported_until_a_conversion():
    code = "import sys, annotator.io.convert.pdf; print('pypdf' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.split() == ["False"]
