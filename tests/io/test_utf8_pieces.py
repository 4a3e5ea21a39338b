"""Decoding UTF-8 in pieces (io/utf8_pieces.py): exactly ``bytes.decode("utf-8")``, as strict, at every width."""

import codecs
import json
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.io import utf8_pieces
from annotator.io.utf8_pieces import decode_utf8
from annotator.model import str_layout
from tests.conftest import DATA

TRAPS = [case["text"] for case in json.loads((DATA / "unicode-traps.json").read_text("utf-8"))["cases"]]

#: One text of each width, and texts mixing pieces of narrower widths into a wider string.
WIDTHS = [
    "plain ascii line\r\nand another\n" * 4,
    "caf\xe9 \xa0 na\xefve \xbf\r\n" * 4,
    "\u0100 \u2028 \u20ac \u4e2d\u6587 \ufeff\r" * 4,
    "\U0001f642 a\xe9\u4e2d \U0010ffff\n" * 4,
    "a" * 300 + "\xe9" + "b" * 300 + "\u20ac" + "c" * 300 + "\U0001f642" + "d" * 300,
    "\U0001f642" + "x" * 500,
    "x" * 500 + "\xff",
]


@pytest.fixture(autouse=True)
def _always_in_pieces(monkeypatch):
    monkeypatch.setattr(utf8_pieces, "PIECEWISE_BYTES", 0)


def test_the_layout_self_test_passes_on_cpython():
    assert utf8_pieces._layout_works() is (sys.implementation.name == "cpython")


@pytest.mark.parametrize("piece", [1, 3, 64, 1 << 20])
def test_every_trap_and_width_decodes_to_the_same_string(monkeypatch, piece):
    monkeypatch.setattr(utf8_pieces, "PIECE", piece)
    for text in TRAPS + WIDTHS:
        data = text.encode("utf-8")
        decoded = decode_utf8(data)
        assert decoded == text
        assert type(decoded) is str
        assert hash(decoded) == hash(text)
        assert decoded.isascii() is text.isascii()
        assert {text: 1}[decoded] == 1  # usable as the very same key
        assert decode_utf8(memoryview(data)) == text


def test_a_huge_text_is_decoded_a_piece_at_a_time(monkeypatch):
    calls = []
    real = codecs.getincrementaldecoder("utf-8")

    class Spy(real):  # type: ignore[misc, valid-type]
        def decode(self, data, final=False):
            calls.append(len(data))
            return super().decode(data, final)

    monkeypatch.setattr(utf8_pieces.codecs, "getincrementaldecoder", lambda name: Spy)
    monkeypatch.setattr(utf8_pieces, "PIECE", 1000)
    text = "\U0001f642 Rome, \xe9t\xe9 \u20ac\r\n" * 1000
    assert decode_utf8(text.encode("utf-8")) == text
    assert max(calls) == 1000
    assert len(calls) == -(-len(text.encode("utf-8")) // 1000)


@pytest.mark.parametrize(
    "data",
    [
        b"abc\xe9def",  # a Latin-1 byte
        "caf\xe9".encode() + b"\xc3",  # cut off at the end
        b"x" * 100 + b"\xed\xa0\x80" + b"y" * 100,  # a surrogate
        b"\xc0\xafoverlong",
        b"\xf5\x80\x80\x80 too high",
        "\U0001f642".encode()[:3] + b"z" * 50,
    ],
)
@pytest.mark.parametrize("piece", [1, 3, 64])
def test_invalid_utf8_raises_the_whole_texts_error(monkeypatch, data, piece):
    monkeypatch.setattr(utf8_pieces, "PIECE", piece)
    with pytest.raises(UnicodeDecodeError) as expected:
        data.decode("utf-8")
    with pytest.raises(UnicodeDecodeError) as error:
        decode_utf8(data)
    assert str(error.value) == str(expected.value)


def test_small_texts_take_the_one_call(monkeypatch):
    monkeypatch.setattr(utf8_pieces, "PIECEWISE_BYTES", 1 << 20)
    monkeypatch.setattr(utf8_pieces, "_decode_in_pieces", lambda data, piece: pytest.fail("not for a small text"))
    assert decode_utf8("caf\xe9".encode()) == "caf\xe9"


def test_without_the_layout_it_decodes_in_one_call(monkeypatch):
    monkeypatch.setattr(utf8_pieces, "_layout_works", lambda: False)
    monkeypatch.setattr(utf8_pieces, "_decode_in_pieces", lambda data, piece: pytest.fail("layout not known"))
    assert decode_utf8("\U0001f642".encode()) == "\U0001f642"


@pytest.mark.parametrize(
    "parts",
    [
        ["plain ", "ascii\r\n"],
        ["caf\xe9", " plain"],
        ["plain", "\u20ac\u2028", "caf\xe9"],
        ["\U0001f642 a", "\xe9\u4e2d\n", "b"],
        ["", "only one", ""],
        [],
    ],
)
def test_joined_is_str_join(monkeypatch, parts):
    monkeypatch.setattr(utf8_pieces, "PIECEWISE_BYTES", 1)  # pieces however short
    parts = [part * 7 for part in parts]
    text = utf8_pieces.joined(parts)
    assert text == "".join(parts)
    if utf8_pieces._layout_works() and text:
        assert str_layout.width(text) == str_layout.width("".join(parts))  # as narrow as join makes it
        assert text.isascii() is "".join(parts).isascii()


@given(st.lists(st.text(alphabet=st.sampled_from("a\xe9\u20ac\U0001f642\r\n\ud800"), max_size=12), max_size=6))
def test_property_joined_is_str_join(parts):
    old = utf8_pieces.PIECEWISE_BYTES
    utf8_pieces.PIECEWISE_BYTES = 1
    try:
        text, expected = utf8_pieces.joined(parts), "".join(parts)
    finally:
        utf8_pieces.PIECEWISE_BYTES = old
    assert text == expected and text.isascii() is expected.isascii()
    if expected and str_layout.layout_known():
        assert str_layout.width(text) == str_layout.width(expected)  # as narrow as join makes it
