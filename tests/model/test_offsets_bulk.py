"""The offset map's tables built in bulk by numpy (huge texts) are exactly those the loop builds."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.model import offsets, str_layout
from annotator.model.offsets import OffsetMap
from tests.conftest import trap_cases

TABLES = ("_astral_cp", "_crlf_lf_cp", "_astral_qt", "_crlf_qt", "_block_ends", "_block_starts", "_qt_length")

#: Texts of every width with every separator (CR LF, lone CR, LF, U+2029, U+FDD0, U+FDD1) and astral characters.
TEXTS = [case["text"] for case in trap_cases()] + [
    "",
    "plain\r\nascii\rlines\n\r\n\r\r\n",
    "caf\xe9\r\n\xa0\r",
    "\u2029para\u2028line\ufdd0\ufdd1\r\n\u20ac\n",
    "\U0001f642\r\n\U0001f600x\r\r\n\u2029\U0010ffff\ufdd1\n\r",
    "\r\n" * 5 + "\U0001f642" * 3 + "\r",
]


def both_ways(text: str, monkeypatch, piece: int) -> tuple[OffsetMap, OffsetMap]:
    with monkeypatch.context() as patch:
        patch.setattr(offsets, "BULK", 1 << 62)
        loop = OffsetMap(text)
    with monkeypatch.context() as patch:
        patch.setattr(offsets, "BULK", 0)
        patch.setattr(offsets, "PIECE", piece)
        calls = []
        real = offsets._bulk_tables
        patch.setattr(offsets, "_bulk_tables", lambda text: calls.append(1) or real(text))
        bulk = OffsetMap(text)
        assert calls  # the bulk way was taken
    return loop, bulk


def assert_same(loop: OffsetMap, bulk: OffsetMap) -> None:
    for name in TABLES:
        assert getattr(bulk, name) == getattr(loop, name), name
        assert type(getattr(bulk, name)) is type(getattr(loop, name)), name


@pytest.mark.skipif(not str_layout.layout_known(), reason="only where the string layout is known")
@pytest.mark.parametrize("piece", [1, 2, 3, 5, 1 << 23])
def test_the_bulk_tables_are_the_loops(monkeypatch, piece):
    for text in TEXTS:
        assert_same(*both_ways(text, monkeypatch, piece))


@pytest.mark.skipif(not str_layout.layout_known(), reason="only where the string layout is known")
@given(st.text(alphabet=st.sampled_from("a\xe9\u20ac\U0001f642\r\n\u2029\u2028\ufdd0\ufdd1"), max_size=40), st.data())
def test_property_the_bulk_tables_are_the_loops(text, data):
    piece = data.draw(st.integers(1, 8))
    with pytest.MonkeyPatch.context() as patch:
        assert_same(*both_ways(text, patch, piece))


def test_without_the_layout_the_loop_builds_them(monkeypatch):
    monkeypatch.setattr(offsets, "BULK", 0)
    monkeypatch.setattr(str_layout, "layout_known", lambda: False)
    assert offsets._bulk_tables("a\r\nb") is None
    assert OffsetMap("a\r\n\U0001f642").qt_length == 4  # a, CR LF, a surrogate pair
