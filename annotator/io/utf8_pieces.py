"""Decoding a huge UTF-8 text in pieces, so a worker thread never holds the GIL long.

``data.decode("utf-8")`` on 100 MB is one call holding the GIL about 0.3 s (most of it the first touch of the
400 MB string's fresh memory), and the window, whose Qt calls need the GIL back, stalls that long.
:func:`decode_utf8` makes exactly the same string another way:

1. numpy counts the code points (the bytes that are not continuation bytes ``10xxxxxx``) and finds the largest
   byte, which in valid UTF-8 tells the string's width (ASCII, Latin-1, 2 or 4 bytes a code point);
2. the string is allocated once at that length and width (``PyUnicode_New``, CPython's C API; nothing is written
   to its memory yet);
3. the bytes are decoded a piece (:data:`PIECE`) at a time by Python's own incremental UTF-8 decoder (so exactly
   as strict: any fault raises, and the caller decodes the whole again for its usual message), and each piece's
   code points are copied into their place in the string by ``memmove``, which ctypes calls without the GIL (the
   page faults of the fresh memory happen there too).

The string is only handed out once every code point is in place, so nothing can see it half-made (its hash is
computed on first use, as for any new string). This relies on CPython's layout of compact strings
(:mod:`annotator.model.str_layout`); a self-test on first use compares the result with ``bytes.decode`` for each
width, and on any other interpreter, or if the test fails, the one call is used. Texts under
:data:`PIECEWISE_BYTES` take the one call too (it is short). The 100 MB text: about the one call's CPU (0.3 s),
no piece holding the GIL more than a few milliseconds.
"""

from __future__ import annotations

import codecs
import ctypes
import functools

from annotator.model import str_layout

#: Bytes decoded per piece: each holds the GIL about a millisecond. (1 MB pieces took twice the CPU of the one
#: call, 256 KB ones about the same: the pieces' own strings are made in memory the allocator hands out again.)
PIECE = 256 << 10

#: From this size on :func:`decode_utf8` decodes in pieces (below it one call holds the GIL under ~10 ms).
PIECEWISE_BYTES = 4 << 20

#: The largest code point a string of each width (bytes per code point) can hold.
_LARGEST = {1: 0xFF, 2: 0xFFFF, 4: 0x10FFFF}

#: Bytes per code point of each width's data, and the codec giving a narrower piece's code points at that width.
_WIDEN = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}


def decode_utf8(data: bytes | memoryview) -> str:
    """``bytes(data).decode("utf-8")``, exactly (same string, same strictness), decoded in pieces of
    :data:`PIECE` bytes when ``data`` is :data:`PIECEWISE_BYTES` or more (module docstring).

    Raises
    ------
    UnicodeDecodeError
        If ``data`` is not valid UTF-8 (from the one-call decode, so its positions are those of the whole).
    """
    if len(data) < PIECEWISE_BYTES or not _layout_works():
        return bytes(data).decode("utf-8")
    try:
        return _decode_in_pieces(memoryview(data).cast("B"), PIECE)
    except (UnicodeDecodeError, _LayoutError):
        return bytes(data).decode("utf-8")  # raises the whole text's error (or, for a layout fault, decodes)


class _LayoutError(Exception):
    """The pieces did not add up to the string allocated (never expected: then the one call is used)."""


def _width_and_maxchar(top: int) -> tuple[int, int]:
    """The string's bytes per code point and a largest code point of that width, from the largest byte of valid
    UTF-8: below 0x80 ASCII; up to 0xC3 (lead bytes C2, C3) at most U+00FF; up to 0xEF at most U+FFFF (a lead byte
    C4-EF means a code point from U+0100); above, a code point from U+10000."""
    if top < 0x80:
        return 1, 0x7F
    if top <= 0xC3:
        return 1, 0xFF
    if top <= 0xEF:
        return 2, 0xFFFF
    return 4, 0x10FFFF


def _count(data: memoryview, piece: int) -> tuple[int, int]:
    """``(code points, largest byte)`` of ``data`` if it is valid UTF-8, counted by numpy a piece at a time."""
    import numpy as np

    array = np.frombuffer(data, np.uint8)
    length = top = 0
    for start in range(0, len(array), piece):
        part = array[start : start + piece]
        length += len(part) - int(np.count_nonzero(part.view(np.int8) < -0x40))  # continuation bytes 0x80-0xBF
        top = max(top, int(part.max()))
    return length, top


def _decode_in_pieces(data: memoryview, piece: int) -> str:
    length, top = _count(data, piece)
    width, maxchar = _width_and_maxchar(top)
    text = _new_string(length, maxchar)
    target = str_layout.address(text)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    done = 0
    for start in range(0, len(data), piece):
        part = decoder.decode(data[start : start + piece], final=start + piece >= len(data))
        if done + len(part) > length:
            raise _LayoutError  # never writes past the string's end
        source, keep = _code_points(part, width)
        ctypes.memmove(target + done * width, source, len(part) * width)  # without the GIL
        del keep
        done += len(part)
    if done != length:
        raise _LayoutError
    return text


def joined(parts: list[str]) -> str:
    """``"".join(parts)``, exactly, with each part's code points copied into place by ``memmove`` without the GIL
    when the whole is :data:`PIECEWISE_BYTES` code points or more (as :func:`decode_utf8` fills its string): the
    1M-span file's 20 MB text joined in one call held the GIL 46 ms (most of it the first touch of the 80 MB string's
    fresh memory). The string is allocated at the widest part's width, so it is as narrow as ``str.join`` makes it;
    on another interpreter, or if the layout self-test fails, the one call."""
    length = sum(map(len, parts))
    if length < PIECEWISE_BYTES or not _layout_works():
        return "".join(parts)
    try:
        width = max(str_layout.width(part) for part in parts if part)
        ascii_only = width == 1 and all(part.isascii() for part in parts)
        text = _new_string(length, 0x7F if ascii_only else _LARGEST[width])
        target = str_layout.address(text)
        done = 0
        for part in parts:
            source, keep = _code_points(part, width)
            ctypes.memmove(target + done * width, source, len(part) * width)  # without the GIL
            del keep
            done += len(part)
    except (ValueError, _LayoutError):
        return "".join(parts)
    return text


def _new_string(length: int, maxchar: int) -> str:
    new = ctypes.pythonapi.PyUnicode_New
    new.argtypes = (ctypes.c_ssize_t, ctypes.c_uint32)
    new.restype = ctypes.py_object
    return new(length, maxchar)


def _code_points(part: str, width: int) -> tuple[int, object]:
    """The address of ``part``'s code points at ``width`` bytes each, and the object that holds them (kept alive
    until they are copied): ``part`` itself when it has that width, else its code points encoded at that width."""
    try:
        own = str_layout.width(part) if part else width
    except ValueError:
        raise _LayoutError from None
    if own > width:
        raise _LayoutError  # never expected (the width comes from the largest byte)
    if own == width:
        return str_layout.address(part), part
    wide = part.encode(_WIDEN[width])
    return ctypes.cast(ctypes.c_char_p(wide), ctypes.c_void_p).value or 0, wide


@functools.cache
def _layout_works() -> bool:
    """Whether strings made here equal ``bytes.decode``'s at every width (CPython's compact layout; else ``False``)."""
    if not str_layout.layout_known():
        return False
    samples = ("plain ascii\r\n", "caf\xe9 \xa0", "\u0100 \u2028 \u20ac\r", "\U0001f642 a\xe9\u4e2d\n" + "b" * 20)
    try:
        for sample in samples:
            data = memoryview((sample * 3).encode("utf-8"))
            for piece in (1, 3, 7, 64):
                if _decode_in_pieces(data, piece) != bytes(data).decode("utf-8"):
                    return False
    except (_LayoutError, UnicodeDecodeError, AttributeError, OSError):
        return False
    return True
