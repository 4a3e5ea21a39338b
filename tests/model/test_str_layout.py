"""Reading a string's code points in place (model/str_layout.py)."""

import ctypes
import sys

import pytest

from annotator.model import str_layout

WIDTHS = [("ascii\r\n", 1), ("caf\xe9\xa0\x80", 1), ("\u20ac\u2028\ufdd1", 2), ("\U0001f642a\xe9", 4)]


def test_the_layout_is_known_on_cpython():
    assert str_layout.layout_known() is (sys.implementation.name == "cpython")


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's string layout")
def test_the_layout_is_known_after_shared_strings_got_a_utf8_copy(monkeypatch):
    utf8 = ctypes.pythonapi.PyUnicode_AsUTF8
    utf8.argtypes, utf8.restype = (ctypes.py_object,), ctypes.c_char_p
    for shared in ("", "\xe9", "\xa0"):
        utf8(shared)  # a one-character Latin-1 string is shared: its size now counts a UTF-8 copy
    for measured in (str_layout._headers, str_layout.layout_known):
        measured.cache_clear()
    try:
        assert str_layout.layout_known()
        assert str_layout.code_points("".join(["caf\xe9", "\xa0" * 3])).tolist() == [99, 97, 102, 233, 160, 160, 160]
    finally:
        str_layout._headers.cache_clear()
        str_layout.layout_known.cache_clear()


@pytest.mark.skipif(not str_layout.layout_known(), reason="only where the string layout is known")
@pytest.mark.parametrize(("text", "width"), WIDTHS)
def test_code_points_are_read_in_place_at_the_strings_width(text, width):
    text = text * 50
    points = str_layout.code_points(text)
    assert str_layout.width(text) == width
    assert points.dtype.itemsize == width
    assert points.tolist() == [ord(c) for c in text]
    assert not points.flags.writeable
    with pytest.raises(ValueError):
        points[0] = 1


def test_an_empty_string_has_no_code_points():
    if str_layout.layout_known():
        assert len(str_layout.code_points("")) == 0


@pytest.mark.skipif(not str_layout.layout_known(), reason="only where the string layout is known")
def test_a_cached_utf8_copy_does_not_mislead_the_width():
    # 21 code points of 2 bytes each; their UTF-8 (43 bytes) counted in the size makes it that of a 4-byte string's
    text = "".join(["\u20ac" * 11, "a" * 10])
    utf8 = ctypes.pythonapi.PyUnicode_AsUTF8
    utf8.argtypes, utf8.restype = (ctypes.py_object,), ctypes.c_char_p
    utf8(text)
    assert str_layout.width(text) == 2
    assert str_layout.code_points(text).tolist() == [ord(c) for c in text]


@pytest.mark.parametrize(
    "text",
    ["", "ascii\r\n", "caf\xe9\xa0", "\u20ac\u2028\ufdd1", "\U0001f642", "a\U0001f642b\r\n\U00010000\U0010ffff\u20ac"],
)
def test_utf16_units_are_the_texts_utf16(text):
    units = str_layout.utf16_units(text)
    assert units.encode("utf-16-le", "surrogatepass") == text.encode("utf-16-le")
    assert len(units) == len(text.encode("utf-16-le")) // 2
    if len(units) == len(text):  # nothing above U+FFFF: the text itself, not a copy
        assert units is text


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's strings")
def test_utf16_units_of_a_4_byte_string_are_a_2_byte_string():
    text = "\U0001f642 caf\xe9\r\n" * 100
    units = str_layout.utf16_units(text)
    assert str_layout.width(text) == 4
    assert str_layout.width(units) == 2
    assert units[:3] == "\ud83d\ude42 "  # the emoji's two surrogates, one code point each


def test_utf16_units_need_neither_numpy_nor_the_layout_check(monkeypatch):
    def refuse() -> bool:
        raise AssertionError("layout_known imports numpy: not on the GUI thread")

    monkeypatch.setattr(str_layout, "layout_known", refuse)
    text = "\U0001f642a"
    assert str_layout.utf16_units(text).encode("utf-16-le", "surrogatepass") == text.encode("utf-16-le")


def test_on_another_interpreter_utf16_units_leave_the_text(monkeypatch):
    monkeypatch.setattr(str_layout, "_from_ucs2", lambda: None)
    text = "\U0001f642a"
    assert str_layout.utf16_units(text) is text
