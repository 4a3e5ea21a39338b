"""Where CPython keeps a string's code points, for work on a huge text that must not hold the GIL long.

A CPython string made by decoding or slicing is "compact": its code points follow the object's header in one
block, 1, 2 or 4 bytes each (the narrowest that holds its largest code point; the "kind" bits of its ``state``
field say which). The header's size is what :func:`sys.getsizeof` gives for a new string of that sort, less its
characters and the terminating NUL. With the
address, numpy can read a 100 MB text's code points in place (:func:`code_points`: each numpy call leaves the GIL
to other threads) and :mod:`annotator.io.utf8_pieces` can fill a new string a piece at a time. A string can also be
made of 2-byte code units that are not characters (:func:`utf16_units`: a text's UTF-16, which PySide6 copies into a
``QString`` far faster than it converts a 4-byte string).

:func:`layout_known` checks all this on small strings first; on another interpreter, or if any check fails, callers
take their plain path.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from typing import Any


@functools.cache
def _headers() -> tuple[int, int]:
    """Sizes of a compact ASCII string's header and of another compact string's, measured on strings made here:
    a shared one (``""``, the one-character ``"\xe9"``) may carry a cached UTF-8 copy, counted in its size, once any
    code asked for its UTF-8 (``PyUnicode_AsUTF8``: "\xe9" then measured 3 bytes more, and every address was off)."""
    ascii_text = "".join(["a", "b"])
    latin_text = "".join(["\xe9", "\xe9"])
    return sys.getsizeof(ascii_text) - 3, sys.getsizeof(latin_text) - 3


@functools.cache
def _state_offset() -> int:
    """Where a string's ``state`` bit field is: after the object's header, its length and its hash."""
    return object().__sizeof__() + 2 * ctypes.sizeof(ctypes.c_ssize_t)


def width(text: str) -> int:
    """Bytes per code point of ``text``'s data: 1, 2 or 4, read from its ``state`` (kind) bits, and checked against
    its compact and ASCII bits and its size (a size alone can mislead: a cached UTF-8 copy is counted in it).

    Raises
    ------
    ValueError
        If the bits do not fit a compact string's (then its layout is not known).
    """
    state = ctypes.c_uint32.from_address(id(text) + _state_offset()).value
    kind, compact, ascii_only = (state >> 2) & 7, (state >> 5) & 1, (state >> 6) & 1
    if not compact or kind not in (1, 2, 4) or bool(ascii_only) != text.isascii():
        raise ValueError("not a compact string")
    header = _headers()[0] if ascii_only else _headers()[1]
    if sys.getsizeof(text) < header + (len(text) + 1) * kind:
        raise ValueError("not a compact string")
    return kind


def address(text: str) -> int:
    """The address of ``text``'s first code point (valid while ``text`` is alive)."""
    ascii_header, compact_header = _headers()
    return id(text) + (ascii_header if text.isascii() else compact_header)


def code_points(text: str) -> Any:
    """A read-only numpy array of ``text``'s code points in place (``uint8``, ``uint16`` or ``uint32`` by its
    width; no copy): it reads ``text``'s memory, so keep ``text`` alive while it is used. Only when
    :func:`layout_known`.

    Raises
    ------
    ValueError
        If ``text``'s layout is not known (:func:`width`).
    """
    import numpy as np

    each = width(text)
    buffer = (ctypes.c_char * (len(text) * each)).from_address(address(text))
    array = np.frombuffer(memoryview(buffer), {1: np.uint8, 2: np.uint16, 4: np.uint32}[each])
    array.flags.writeable = False
    return array


@functools.cache
def layout_known() -> bool:
    """Whether strings here are CPython's compact strings: for a string of each width, :func:`code_points` reads
    back exactly its code points."""
    if sys.implementation.name != "cpython":
        return False
    samples = ("plain ascii\r\n", "caf\xe9 \xa0\x80", "\u0100 \u2028 \u20ac\r", "\U0001f642 a\xe9\u4e2d\n" + "b" * 9)
    try:
        utf8 = ctypes.pythonapi.PyUnicode_AsUTF8
        utf8.argtypes, utf8.restype = (ctypes.py_object,), ctypes.c_char_p
        # a 2-byte string whose cached UTF-8 copy makes its size that of a 4-byte one (43 = 2 * 21 + 1 bytes)
        cached = "".join(["\u20ac" * 11, "a" * 10])
        utf8(cached)
        for text in [*("".join([sample, str(len(sample))]) for sample in samples), cached]:  # new strings
            if [int(c) for c in code_points(text)] != [ord(c) for c in text]:
                return False
    except (ValueError, AttributeError, OSError, ImportError):
        return False
    return True


@functools.cache
def _from_ucs2() -> Any:
    """CPython's ``PyUnicode_FromKindAndData`` for 2-byte data (a new string of those code units, copied), or
    ``None`` on another interpreter."""
    if sys.implementation.name != "cpython":
        return None
    # a prototype of its own (setting argtypes on ctypes.pythonapi's shared function would change it for everyone)
    prototype = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_int, ctypes.c_char_p, ctypes.c_ssize_t)
    return prototype(("PyUnicode_FromKindAndData", ctypes.pythonapi))


def utf16_units(text: str) -> str:
    """``text`` as a string of its UTF-16 code units: each character above U+FFFF becomes its two surrogates (so the
    result has one code point per UTF-16 unit, ``len`` is the UTF-16 length), every other code point stays. For
    handing a text to Qt, which stores UTF-16: PySide6 copies a 2-byte string's code units into a ``QString`` as
    they are, but converts a 4-byte string (one holding an emoji) code point by code point, ten times as slowly
    (256k code points: 2.2-2.7 ms against 0.07 ms, both holding the GIL; the conversion here takes 0.3-1 ms, most of
    it ``str.encode`` in C). Do not use the result as text in Python: its surrogates are not characters.

    ``text`` itself when it has no character above U+FFFF, or on an interpreter other than CPython. Needs neither
    numpy nor :func:`layout_known` (called on the GUI thread: importing numpy there, while a worker holds the GIL,
    stalled the window 0.77 s)."""
    if text.isascii():
        return text
    units = text.encode("utf-16-le", "surrogatepass")  # (a lone surrogate in text stays one unit)
    make = _from_ucs2()
    if len(units) == 2 * len(text) or make is None:
        return text
    result: str = make(2, units, len(units) // 2)
    return result
