"""A huge text is hashed, counted and checked a slice at a time (so a worker thread never holds the GIL long): the
results are those of the whole text at once, a CR LF across two slices included."""

from __future__ import annotations

import hashlib

import pytest

from annotator.io import textfile
from annotator.model import document
from annotator.model.document import line_ending_style, text_sha256, text_slices

TEXTS = ["", "a", "a\r\nb", "ab\r\nc", "abc\r\nd\re\nf", "\r\n\r\n", "x\r", "ab\r", "\n", "é😀\r\n😀\r"]


def whole_line_ending(text: str) -> str:
    crlf = text.count("\r\n")
    kinds = [n for n, c in (("LF", text.count("\n") - crlf), ("CRLF", crlf), ("CR", text.count("\r") - crlf)) if c]
    return "none" if not kinds else kinds[0] if len(kinds) == 1 else "mixed"


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_slices_give_what_the_whole_text_gives(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(document, "SLICE", size)
    for text in TEXTS:
        assert "".join(text_slices(text, size)) == text
        assert line_ending_style(text) == whole_line_ending(text), text
        assert text_sha256(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_text_sha256_still_refuses_a_lone_surrogate() -> None:
    with pytest.raises(UnicodeEncodeError):
        text_sha256("a\ud800b")


def test_control_characters_are_found_in_every_slice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textfile, "text_slices", lambda text: text_slices(text, 2))
    with pytest.raises(ValueError, match="NUL"):
        textfile._checked("abcdefg\x00")
    with pytest.raises(ValueError, match="full of control"):
        textfile._checked("ab\x01\x02\x03cd")
    assert textfile._checked("abcd\x01efgh") == "abcd\x01efgh"


def test_the_offset_map_holds_about_8_bytes_an_entry() -> None:
    """A 100 MB text's map has millions of entries (lines, emoji, CR LFs): held as machine integers, not Python ints
    (36 bytes each with the list's pointer)."""
    import tracemalloc

    from annotator.model.offsets import OffsetMap

    text = "Officials in Berlin 😀 warned.\r\n" * 20_000
    entries = 20_000 * 2 + 20_000 * 2 + 20_000 * 2  # astral and CR LF (code points, Qt), block starts and ends
    tracemalloc.start()
    offsets = OffsetMap(text)
    held, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert offsets.block_count == 20_001 and offsets.to_qt(len(text)) == len(text) + 20_000 - 20_000
    assert held < 12 * entries
