"""Conversion between code-point offsets of the model and positions of a Qt text document.

The model counts Unicode code points into the document's exact text (half-open ``[start, end)``), so that
``text[start:end]`` is a span's text in Python. A ``QTextDocument`` filled with ``setPlainText`` counts differently:

- every character outside the Basic Multilingual Plane (U+10000 and above) is two UTF-16 code units;
- each of CR LF, lone CR, LF, U+2029 and U+FDD0/U+FDD1 (Qt's frame markers) ends a block and takes one position
  (so CR LF folds two code points into one);
- everything else, U+2028 included, is one position.

This module is the only place that knows those rules. It is pure Python (no Qt) and builds its tables once per
document with regular expressions, so a 10 MB text costs a few hundred milliseconds, then each conversion is
``O(log n)`` (a binary search).

Block numbers are those of ``QTextDocument.findBlockByNumber``: block ``i`` holds the code points from
``block_start(i)`` up to (not including) its separator.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from typing import Any, Literal

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CRLF = re.compile("\r\n")
_SEPARATOR_CHARACTER = re.compile("[\r\n\u2029\ufdd0\ufdd1]")  # a CR LF pair is two hits, merged below

Snap = Literal["floor", "ceil"]

BULK = 1 << 20
"""From this many code points on, the tables are built by numpy reading the text's code points in place
(:func:`~annotator.model.str_layout.code_points`; a 100 MB text: about 0.3 s CPU instead of 1.7 s, no call holding
the GIL long), when the string's layout is known; the same tables as the regular expressions give."""

PIECE = 1 << 20
"""Code points numpy compares per call when building the tables in bulk."""


class OffsetMap:
    """Maps code-point offsets of one text to Qt document positions and back.

    Parameters
    ----------
    text:
        The document's exact text (BOM removed, line endings kept).

    Notes
    -----
    Two kinds of code-point offsets have no Qt position of their own: the offset between the CR and the LF of a
    CR LF pair (the pair is one Qt position). :meth:`to_qt` maps it to the separator's position (floor). Two kinds of
    Qt positions have no code-point offset of their own: the position between the two UTF-16 units of a surrogate
    pair. :meth:`from_qt` snaps it down or up, as asked. So a selection edge taken from Qt through this map can never
    split a surrogate pair or a CR LF pair.
    """

    def __init__(self, text: str) -> None:
        self._length = len(text)
        tables = _bulk_tables(text) if len(text) >= BULK else None
        if tables is not None:
            self._astral_cp, self._crlf_lf_cp, self._astral_qt, self._crlf_qt, self._block_ends = tables[:5]
            self._block_starts = tables[5]
            self._qt_length = self.to_qt(self._length)
            return
        # Code-point offsets of astral characters, and of the LF of each CR LF pair.
        # Each table is an array of machine integers (8 bytes an entry, not a Python int's 36): a 100 MB text has
        # about 2 million entries. bisect searches arrays as it does lists.
        self._astral_cp = array("q", (m.start() for m in _ASTRAL.finditer(text)))
        self._crlf_lf_cp = array("q", (m.start() + 1 for m in _CRLF.finditer(text)))
        # Qt positions of the same, derived from the code-point tables.
        # (to_qt in bulk: each astral character before adds a unit, each CR LF pair up to here removes one)
        crlf = self._crlf_lf_cp
        self._astral_qt = array(
            "q", (cp + before - bisect_right(crlf, cp) for before, cp in enumerate(self._astral_cp))
        )
        astral = self._astral_cp
        self._crlf_qt = array("q", (cp - 1 + bisect_left(astral, cp - 1) - pair for pair, cp in enumerate(crlf)))
        # One character class, not "\r\n|[...]": Python's re scans a class far faster than an alternation (10 MB:
        # 60 ms against 410 ms). The LF of each CR LF pair then joins the CR's separator.
        pair_lfs = set(self._crlf_lf_cp)
        separators = array("q", (m.start() for m in _SEPARATOR_CHARACTER.finditer(text)))
        self._block_ends = array("q", (cp for cp in separators if cp not in pair_lfs))
        self._block_ends.append(self._length)
        self._block_starts = array("q", [0])
        self._block_starts.extend(cp + 1 for cp in separators if cp + 1 not in pair_lfs)
        del pair_lfs, separators
        self._qt_length = self.to_qt(self._length)

    # -- sizes ----------------------------------------------------------------------------------------------------
    @property
    def length(self) -> int:
        """Length of the text in code points."""
        return self._length

    @property
    def qt_length(self) -> int:
        """Length of the text in Qt positions (``QTextDocument.characterCount() - 1``)."""
        return self._qt_length

    @property
    def block_count(self) -> int:
        """Number of Qt blocks (text lines separated by CR LF, CR, LF, U+2029, U+FDD0 or U+FDD1)."""
        return len(self._block_starts)

    @property
    def block_starts(self) -> memoryview:
        """Code-point offset of each block's first character, ascending (``block_start(i)`` for every block ``i``):
        a read-only view of 64-bit integers, for computing many blocks at once (e.g. with ``numpy.searchsorted``)."""
        return memoryview(self._block_starts).toreadonly()

    # -- conversion -----------------------------------------------------------------------------------------------
    def to_qt(self, cp: int) -> int:
        """Qt position (UTF-16 units, CR LF as one) of code-point offset ``cp``.

        Raises
        ------
        IndexError
            If ``cp`` is outside ``[0, length]``.
        """
        if not 0 <= cp <= self._length:
            raise IndexError(f"code-point offset {cp} outside [0, {self._length}]")
        # Astral characters before cp each add one unit; CR LF pairs whose LF is before or at cp each remove one
        # (an offset between CR and LF maps to the separator's own position).
        return cp + bisect_left(self._astral_cp, cp) - bisect_right(self._crlf_lf_cp, cp)

    def from_qt(self, pos: int, snap: Snap = "floor") -> int:
        """Code-point offset of Qt position ``pos``.

        A position inside a surrogate pair is snapped to the start (``"floor"``) or the end (``"ceil"``) of that
        character. Qt positions of a CR LF separator map to the CR (the pair is never split).

        Raises
        ------
        IndexError
            If ``pos`` is outside ``[0, qt_length]``.
        ValueError
            If ``snap`` is neither ``"floor"`` nor ``"ceil"``.
        """
        if not 0 <= pos <= self._qt_length:
            raise IndexError(f"Qt position {pos} outside [0, {self._qt_length}]")
        if snap not in ("floor", "ceil"):
            raise ValueError(f"snap must be 'floor' or 'ceil', not {snap!r}")
        astral_whole = bisect_right(self._astral_qt, pos - 2)  # astral characters ending at or before pos
        cp = pos - astral_whole + bisect_left(self._crlf_qt, pos)
        inside = astral_whole < len(self._astral_qt) and self._astral_qt[astral_whole] == pos - 1
        if inside:
            cp = cp - 1 if snap == "floor" else cp
        return cp

    def range_to_qt(self, start: int, end: int) -> tuple[int, int]:
        """Qt ``(start, end)`` of the code-point range ``[start, end)``."""
        return self.to_qt(start), self.to_qt(end)

    def range_from_qt(self, start: int, end: int) -> tuple[int, int]:
        """Code-point ``(start, end)`` of the Qt range ``[start, end)``, widened to whole characters."""
        return self.from_qt(start, "floor"), self.from_qt(end, "ceil")

    # -- blocks ---------------------------------------------------------------------------------------------------
    def block_of(self, cp: int) -> int:
        """Number of the Qt block that holds code-point offset ``cp`` (a separator belongs to the block it ends).

        Raises
        ------
        IndexError
            If ``cp`` is outside ``[0, length]``.
        """
        if not 0 <= cp <= self._length:
            raise IndexError(f"code-point offset {cp} outside [0, {self._length}]")
        return bisect_right(self._block_starts, cp) - 1

    def block_range(self, block: int) -> tuple[int, int]:
        """Code-point ``(start, end)`` of block ``block``'s text, its separator excluded.

        Raises
        ------
        IndexError
            If there is no such block.
        """
        if not 0 <= block < len(self._block_starts):
            raise IndexError(f"block {block} outside [0, {len(self._block_starts)})")
        return self._block_starts[block], self._block_ends[block]

    def first_and_last_blocks(self, ranges: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        """For each code-point range ``(start, end)`` (inside the text, ``end > start``; not checked), the numbers of
        the first and last Qt blocks it touches: :meth:`blocks_of_range` in bulk (100k ranges in 0.1 s)."""
        starts = self._block_starts
        for start, end in ranges:
            first = bisect_right(starts, start) - 1
            ends_in_first = first + 1 == len(starts) or starts[first + 1] > end - 1  # the common case: one line
            yield first, (first if ends_in_first else bisect_right(starts, end - 1) - 1)

    def blocks_of_range(self, start: int, end: int) -> range:
        """Block numbers that the code-point range ``[start, end)`` touches (``end > start``)."""
        return range(self.block_of(start), self.block_of(max(start, end - 1)) + 1)


class Utf16Offsets:
    """Maps offsets counted in UTF-16 code units (JavaScript string indices, as older Label Studio versions stored
    them) into one text to code-point offsets.

    Every character outside the Basic Multilingual Plane (U+10000 and above) is two UTF-16 units, every other one
    unit; line breaks are counted as they are (CR LF is two units, unlike a Qt position: see :class:`OffsetMap`).
    The table is built once per text (a regular expression over it); each conversion is ``O(log n)``.

    Parameters
    ----------
    text:
        The document's exact text.
    """

    def __init__(self, text: str) -> None:
        astral = [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 offset of each astral character: its code-point offset plus one unit per astral character before it
        self._astral_units = [cp + before for before, cp in enumerate(astral)]
        self._length = len(text) + len(astral)

    @property
    def length(self) -> int:
        """Length of the text in UTF-16 units."""
        return self._length

    @property
    def has_astral(self) -> bool:
        """Whether the text holds a character outside the BMP (else units and code points are the same)."""
        return bool(self._astral_units)

    @property
    def first_astral(self) -> int | None:
        """Offset of the first character outside the BMP (the same in code points and UTF-16 units; up to it the
        two units agree), or ``None`` when there is none."""
        return self._astral_units[0] if self._astral_units else None

    def to_code_point(self, unit: int) -> int:
        """Code-point offset of the UTF-16 offset ``unit``.

        Raises
        ------
        IndexError
            If ``unit`` is outside ``[0, length]`` (UTF-16 units).
        ValueError
            If ``unit`` falls between the two units of a surrogate pair (inside one character).
        """
        if not 0 <= unit <= self._length:
            raise IndexError(f"UTF-16 offset {unit} outside [0, {self._length}]")
        whole = bisect_right(self._astral_units, unit - 2)  # astral characters ending at or before unit
        if whole < len(self._astral_units) and self._astral_units[whole] == unit - 1:
            raise ValueError(f"UTF-16 offset {unit} falls inside a surrogate pair (inside one character)")
        return unit - whole


def from_utf16(text: str, *units: int) -> tuple[int, ...]:
    """The code-point offsets of the UTF-16 offsets ``units`` into ``text`` (see :class:`Utf16Offsets`, which
    converts many offsets of one text without building its table again).

    Raises
    ------
    IndexError
        If an offset is outside the text.
    ValueError
        If an offset falls inside a surrogate pair.
    """
    table = Utf16Offsets(text)
    return tuple(table.to_code_point(unit) for unit in units)


def _bulk_tables(text: str) -> tuple[array, array, array, array, array, array] | None:
    """:class:`OffsetMap`'s tables of ``text`` (astral code points, LFs of CR LF pairs, their Qt positions, block
    ends, block starts) computed by numpy a :data:`PIECE` at a time, or ``None`` when the string's layout is not
    known (:func:`~annotator.model.str_layout.layout_known`). Each piece's entries are appended to the tables as
    they are found, and three buffers serve every piece: no large block is allocated and freed again (glibc would
    keep such blocks, and a 100 MB text's peak memory would grow by tens of MB)."""
    from annotator.model import str_layout

    if not str_layout.layout_known():
        return None
    import numpy as np

    points = str_layout.code_points(text)  # reads text's memory: text is alive until this returns
    wide = points.dtype.itemsize
    astral_cp, crlf_lf, astral_qt, crlf_qt, block_ends, block_starts = (array("q") for _ in range(6))
    tables = (astral_cp, crlf_lf, astral_qt, crlf_qt, block_ends, block_starts)
    block_starts.append(0)
    size = min(PIECE, len(points))
    is_cr, hit, ends = np.empty(size, bool), np.empty(size, bool), np.empty(size, bool)
    nothing = np.zeros(0, np.int64)
    pair_lf_first = False  # the piece starts with the LF of a CR LF pair
    for start in range(0, len(points), PIECE):
        part = points[start : start + PIECE]
        after = points[start + 1 : start + PIECE + 1]  # the next code point of each (one fewer at the very end)
        count, pairs = len(part), len(after)
        astral = nothing
        if wide == 4:
            np.greater_equal(part, 0x10000, out=hit[:count])
            astral = np.flatnonzero(hit[:count]) + start
        np.equal(part, 0x0D, out=is_cr[:count])
        np.equal(after, 0x0A, out=hit[:pairs])
        np.logical_and(hit[:pairs], is_cr[:pairs], out=hit[:pairs])
        lfs = np.flatnonzero(hit[:pairs]) + (start + 1)  # from start + 1 to start + count
        np.equal(part, 0x0A, out=ends[:count])
        np.logical_or(ends[:count], is_cr[:count], out=ends[:count])
        for mark in (0x2029, 0xFDD0, 0xFDD1) if wide > 1 else ():  # U+2029 and Qt's frame markers
            np.equal(part, mark, out=hit[:count])
            np.logical_or(ends[:count], hit[:count], out=ends[:count])
        separators = np.flatnonzero(ends[:count]) + start
        # as the loop builds them: each astral character before adds a Qt unit, each CR LF pair up to here takes
        # one; the LF of a pair joins its CR's separator
        astral_before, crlf_before = len(astral_cp), len(crlf_lf)
        ranks = np.arange(len(astral))
        astral_qt_piece = astral + ranks + astral_before - crlf_before - np.searchsorted(lfs, astral, "right")
        ranks = np.arange(len(lfs))
        crlf_qt_piece = lfs - 1 + astral_before + np.searchsorted(astral, lfs - 1, "left") - crlf_before - ranks
        lfs_here = lfs[lfs < start + count]
        if pair_lf_first:
            lfs_here = np.concatenate(([start], lfs_here))
        ends_piece = _not_in(np, separators, lfs_here)
        starts_piece = _not_in(np, separators + 1, lfs)
        pair_lf_first = len(lfs) > 0 and lfs[-1] == start + count
        for table, found in zip(
            tables, (astral, lfs, astral_qt_piece, crlf_qt_piece, ends_piece, starts_piece), strict=True
        ):
            table.frombytes(np.ascontiguousarray(found, np.int64).data.cast("B"))
    block_ends.append(len(text))
    return tables


def _not_in(np: Any, values: Any, ascending: Any) -> Any:
    """The entries of ``values`` (a numpy array) not in ``ascending`` (a sorted numpy array), in their order: found
    by binary search (``searchsorted``). ``numpy.isin`` gives the same but sorts both first and, on its first call,
    imports ``numpy.ma`` (10 MB of text: 35 ms for the sorting and 22 ms for the import, holding the GIL)."""
    if not len(ascending) or not len(values):
        return values
    at = np.searchsorted(ascending, values)
    np.minimum(at, len(ascending) - 1, out=at)
    return values[ascending[at] != values]
