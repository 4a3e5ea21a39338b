"""Counting on UTF-8 bytes (io/utf8_counts.py), and text files checked that way: the same documents and messages
as the checks on the decoded string."""

import json
import re
import shutil

import pytest

from annotator.io import textfile, utf8_counts, utf8_pieces
from annotator.io.errors import FileFault
from annotator.io.textfile import read_text_file
from annotator.io.utf8_counts import Utf8Counts, count_utf8
from tests.conftest import DATA

TRAPS = [case["text"] for case in json.loads((DATA / "unicode-traps.json").read_text("utf-8"))["cases"]]
CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
EVERY_CONTROL = "".join(map(chr, range(0xA1))) + "\u2028\u2029\U0001f642"


def counted_on_the_string(text: str) -> Utf8Counts:
    return Utf8Counts(
        controls=len(CONTROLS.findall(text)),
        nul=text.count("\x00"),
        cr=text.count("\r"),
        lf=text.count("\n"),
        crlf=text.count("\r\n"),
    )


@pytest.mark.parametrize("piece", [2, 3, 7, 4 << 20])
def test_the_counts_are_those_of_the_text(monkeypatch, piece):
    monkeypatch.setattr(utf8_counts, "PIECE", piece)
    texts = [*TRAPS, EVERY_CONTROL, "\r\n\r\r\n\n\r", "\xc2\x80\x9f\xa0 \u0080\u009f", "a\r", "\r\n" * 9, ""]
    for text in texts:
        assert count_utf8(text.encode("utf-8")) == counted_on_the_string(text), text


@pytest.fixture
def on_the_bytes(monkeypatch):
    """Every text file checked and decoded the way huge ones are."""
    monkeypatch.setattr(utf8_counts, "FROM_BYTES", 0)
    monkeypatch.setattr(utf8_pieces, "PIECEWISE_BYTES", 0)
    monkeypatch.setattr(utf8_pieces, "PIECE", 7)
    monkeypatch.setattr(utf8_counts, "PIECE", 5)


def read_both_ways(path, monkeypatch):
    """``read_text_file(path)`` (or its fault's message) as small files are read, then as huge ones are."""

    def read():
        try:
            return read_text_file(path)
        except FileFault as fault:
            return fault.message

    usual = read()
    with monkeypatch.context() as patch:
        patch.setattr(utf8_counts, "FROM_BYTES", 0)
        patch.setattr(utf8_pieces, "PIECEWISE_BYTES", 0)
        patch.setattr(utf8_pieces, "PIECE", 7)
        patch.setattr(utf8_counts, "PIECE", 5)
        return usual, read()


@pytest.mark.parametrize(
    "path", sorted((DATA / "encodings").iterdir()) + sorted((DATA / "bad-inputs").glob("*.txt")), ids=str
)
def test_every_test_file_reads_the_same_as_a_huge_one(monkeypatch, path):
    usual, huge = read_both_ways(path, monkeypatch)
    assert huge == usual


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("text\x00with a NUL", "it looks binary (it contains NUL"),  # bytes without a BOM, characters after one
        ("noise\x01\x02\x03 in a short text", "it looks binary (it is full of control characters), not like"),
        ("C1 noise \u0085\u0086\u0087" + "x" * 100, "it looks binary (it is full of control characters), not like"),
        ("two \x01\u0090 are allowed" + "x" * 100, None),
        ("x" * 300 + "\x1b" * 3, None),  # 1% of 303 code points
        ("x" * 300 + "\x1b" * 4, "it looks binary (it is full of control characters), not like"),
    ],
)
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_control_characters_get_the_same_verdict(monkeypatch, tmp_path, text, message, bom):
    path = tmp_path / "noisy.txt"
    path.write_bytes(bom + text.encode("utf-8"))
    usual, huge = read_both_ways(path, monkeypatch)
    assert huge == usual
    if message is None:
        assert huge.text == text
    else:
        assert message in huge


@pytest.mark.parametrize(
    ("text", "style"),
    [("a\nb\n", "LF"), ("a\r\nb\r\n", "CRLF"), ("a\rb", "CR"), ("a\r\nb\n", "mixed"), ("a\r", "CR"), ("ab", "none")],
)
def test_line_endings_are_named_alike(monkeypatch, tmp_path, text, style):
    path = tmp_path / "lines.txt"
    path.write_bytes(text.encode("utf-8"))
    usual, huge = read_both_ways(path, monkeypatch)
    assert huge == usual
    assert huge.source.line_ending == style


def test_the_traps_read_the_same_with_their_sha256(on_the_bytes, tmp_path):
    for case in json.loads((DATA / "unicode-traps.json").read_text("utf-8"))["cases"]:
        path = tmp_path / "trap.txt"
        path.write_bytes(b"\xef\xbb\xbf" + case["text"].encode("utf-8"))
        document = read_text_file(path)
        assert document.text == case["text"]
        assert document.sha256 == case["sha256"]
        assert document.source.bom is True
        assert document.source.encoding == "utf-8"


def test_invalid_utf8_after_a_bom_keeps_its_message(on_the_bytes, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "caf\xe9 ".encode() * 10 + b"\xe9t\xe9")
    with pytest.raises(FileFault) as error:
        read_text_file(path)
    assert (
        "it starts with a utf-8 byte-order mark but is not valid utf-8: 'utf-8' codec can't decode byte 0xe9 in "
        "position 60: invalid continuation byte" in error.value.message
    )


def test_a_file_that_is_not_utf8_is_still_detected(on_the_bytes, tmp_path):
    source = DATA / "encodings" / "article.cp1252.txt"
    shutil.copy(source, tmp_path / "western.txt")
    document = read_text_file(tmp_path / "western.txt")
    assert document.source.encoding.startswith("cp125")
    assert document.text == (DATA / "encodings" / "article.utf8.txt").read_bytes().decode("utf-8")
    assert textfile.decode_text(source.read_bytes())[0] == document.text
