import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.model.offsets import OffsetMap, Utf16Offsets, from_utf16
from tests.conftest import qt_position, trap_cases

CASES = trap_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_trap_corpus_lengths_and_spans_round_trip(case):
    text = case["text"]
    offsets = OffsetMap(text)
    assert offsets.length == case["code_points"]
    assert offsets.qt_length == qt_position(text, len(text))
    for span in case["spans"]:
        qs, qe = offsets.range_to_qt(span["start"], span["end"])
        assert (qs, qe) == (qt_position(text, span["start"]), qt_position(text, span["end"]))
        assert offsets.range_from_qt(qs, qe) == (span["start"], span["end"])
        assert text[span["start"] : span["end"]] == span["text"]


def test_crlf_is_one_position_and_never_split():
    text = "ab\r\ncd"
    offsets = OffsetMap(text)
    assert [offsets.to_qt(cp) for cp in range(len(text) + 1)] == [0, 1, 2, 2, 3, 4, 5]
    assert [offsets.from_qt(q) for q in range(offsets.qt_length + 1)] == [0, 1, 2, 4, 5, 6]
    assert offsets.block_count == 2
    assert offsets.block_range(0) == (0, 2)
    assert offsets.block_range(1) == (4, 6)


def test_surrogate_pair_positions_snap_to_whole_character():
    text = "a😀b"
    offsets = OffsetMap(text)
    assert [offsets.to_qt(cp) for cp in range(4)] == [0, 1, 3, 4]
    assert offsets.from_qt(2, "floor") == 1
    assert offsets.from_qt(2, "ceil") == 2
    assert offsets.range_from_qt(2, 2) == (1, 2)


def test_blocks_follow_qt_separators():
    text = "one\rtwo\u2028still two\u2029three\n"
    offsets = OffsetMap(text)
    assert offsets.block_count == 4
    assert [offsets.block_range(b) for b in range(4)] == [(0, 3), (4, 17), (18, 23), (24, 24)]
    assert offsets.block_of(3) == 0  # the separator belongs to the block it ends
    assert list(offsets.blocks_of_range(2, 20)) == [0, 1, 2]


def test_out_of_range_raises():
    offsets = OffsetMap("abc")
    with pytest.raises(IndexError):
        offsets.to_qt(4)
    with pytest.raises(IndexError):
        offsets.from_qt(-1)
    with pytest.raises(ValueError):
        offsets.from_qt(1, "round")  # type: ignore[arg-type]


def test_empty_text():
    offsets = OffsetMap("")
    assert (offsets.length, offsets.qt_length, offsets.block_count) == (0, 0, 1)
    assert offsets.to_qt(0) == 0 == offsets.from_qt(0)


# Text built from the characters that matter: ASCII, astral, CR, LF, U+2028/2029, combining marks, NBSP, CJK.
_alphabet = st.sampled_from(
    ["a", " ", "\r", "\n", "\r\n", "\u2028", "\u2029", "\ufdd0", "\u0301", "\xa0", "中", "😀", "𝐀", "\t"]
)
unicode_text = st.one_of(st.lists(_alphabet, max_size=60).map("".join), st.text(max_size=60))


@given(unicode_text)
def test_property_to_qt_matches_utf16_oracle_and_inverts(text):
    offsets = OffsetMap(text)
    assert offsets.qt_length == qt_position(text, len(text))
    for cp in range(len(text) + 1):
        q = offsets.to_qt(cp)
        if 0 < cp < len(text) and text[cp - 1] == "\r" and text[cp] == "\n":
            assert q == qt_position(text, cp - 1)  # inside CR LF: the separator's own position
        else:
            assert q == qt_position(text, cp)
            assert offsets.from_qt(q) == cp  # every boundary Qt can express comes back unchanged


@given(unicode_text, st.data())
def test_property_from_qt_never_splits_pairs(text, data):
    offsets = OffsetMap(text)
    q = data.draw(st.integers(0, offsets.qt_length))
    for snap in ("floor", "ceil"):
        cp = offsets.from_qt(q, snap)
        assert 0 <= cp <= len(text)
        assert not (0 < cp < len(text) and text[cp - 1] == "\r" and text[cp] == "\n")
        assert abs(offsets.to_qt(cp) - q) <= 1


@given(unicode_text)
def test_property_blocks_match_qt_block_rules(text):
    offsets = OffsetMap(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    for separator in ("\u2029", "\ufdd0", "\ufdd1"):  # Qt also ends a block at its frame markers (checked in Qt)
        lines = lines.replace(separator, "\n")
    lines = lines.split("\n")
    assert offsets.block_count == len(lines)
    for number, line in enumerate(lines):
        start, end = offsets.block_range(number)
        assert text[start:end] == line


@given(unicode_text)
def test_property_first_and_last_blocks_agree_with_blocks_of_range(text):
    offsets = OffsetMap(text)
    ranges = [(start, end) for start in range(len(text)) for end in range(start + 1, len(text) + 1)]
    bulk = list(offsets.first_and_last_blocks(ranges))
    for (start, end), (first, last) in zip(ranges, bulk, strict=True):
        blocks = offsets.blocks_of_range(start, end)
        assert (first, last) == (blocks[0], blocks[-1])


def _utf16_units(text: str, cp: int) -> int:
    """UTF-16 offset of code-point offset ``cp``, counted by the codec itself."""
    return len(text[:cp].encode("utf-16-le")) // 2


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_utf16_offsets_of_the_trap_corpus_come_back_as_code_points(case):
    text = case["text"]
    table = Utf16Offsets(text)
    assert table.length == _utf16_units(text, len(text))
    for span in case["spans"]:
        units = _utf16_units(text, span["start"]), _utf16_units(text, span["end"])
        assert from_utf16(text, *units) == (span["start"], span["end"])


def test_utf16_offset_inside_a_surrogate_pair_or_outside_is_refused():
    text = "a😬b\r\n😬"  # units: a=0, 😬=1-2, b=3, CR=4, LF=5, 😬=6-7, end 8
    table = Utf16Offsets(text)
    assert [table.to_code_point(u) for u in (0, 1, 3, 4, 5, 6, 8)] == [0, 1, 2, 3, 4, 5, 6]
    assert table.first_astral == 1
    for inside in (2, 7):
        with pytest.raises(ValueError, match="surrogate pair"):
            table.to_code_point(inside)
    for outside in (-1, 9):
        with pytest.raises(IndexError, match="outside"):
            table.to_code_point(outside)
    assert not Utf16Offsets("plain BMP ü €").has_astral
    assert Utf16Offsets("plain").first_astral is None


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30))
def test_utf16_conversion_agrees_with_the_codec(text):
    table = Utf16Offsets(text)
    for cp in range(len(text) + 1):
        assert table.to_code_point(_utf16_units(text, cp)) == cp
