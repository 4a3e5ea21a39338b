"""Decoding text files into the exact text that offsets count in.

Order of decisions: a UTF-32 or UTF-16 BOM decides the encoding; a UTF-8 BOM means UTF-8; otherwise strict UTF-8;
otherwise detection with charset-normalizer, preferring Windows-1252 among the code pages it finds equally likely
(:func:`detect_encoding`; :func:`encoding_doubt` words what was uncertain for the user). The BOM is removed; nothing
else is changed (CR LF, lone CR, U+2028, NBSP and tabs are kept). Binary files (NUL bytes, or bytes no detector
accepts) are refused.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import os
import re
from pathlib import Path

from annotator.io import utf8_counts
from annotator.io.errors import FileFault
from annotator.io.utf8_pieces import decode_utf8
from annotator.model.document import Document, DocumentSource, line_ending_style, text_slices

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALLOWED_CONTROLS = set("\t\n\r\f\v")
#: Control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F) other than the allowed ones.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def decode_text(data: bytes, name: str = "") -> tuple[str, DocumentSource]:
    """Decode ``data`` to ``(text, source)``; ``source`` records the encoding, BOM and line-ending style.

    Raises
    ------
    ValueError
        If the bytes look binary (a NUL byte, other control characters, or no encoding fits). The message says why.
    """
    text, source, _utf8 = _decoded(data, name)
    return text, source


def _decoded(data: bytes, name: str) -> tuple[str, DocumentSource, memoryview | None]:
    """:func:`decode_text`, and the text's UTF-8 bytes (``data`` without its BOM) when it was UTF-8, else ``None``.

    UTF-8 (the usual case) is decoded in pieces (:func:`~annotator.io.utf8_pieces.decode_utf8`) and checked and
    counted on its bytes (:mod:`annotator.io.utf8_counts`), so reading a huge text in a worker thread never holds the
    GIL long; the result and every message are those of the whole-string checks."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = memoryview(data)[len(bom) :]
            try:
                text = decode_utf8(body) if encoding == "utf-8" else bytes(body).decode(encoding)
            except UnicodeDecodeError as error:
                raise ValueError(
                    f"it starts with a {encoding} byte-order mark but is not valid {encoding}: {error}"
                ) from error
            if encoding == "utf-8":
                return text, _checked_utf8(name, text, body, bom=True), body
            return _checked(text), _source(name, text, encoding, bom=True), None
    if b"\x00" in data:
        raise ValueError("it looks binary (it contains NUL bytes), not like a text file")
    try:
        text = decode_utf8(data)
    except UnicodeDecodeError:
        encoding, text, _others = detect_encoding(data)
        return _checked(text), _source(name, text, encoding, bom=False), None
    return text, _checked_utf8(name, text, memoryview(data), bom=False), memoryview(data)


#: What a text that is not UTF-8 is read as when detection cannot tell it from other code pages: Windows-1252, the
#: Western European code page (a superset of ISO 8859-1), the usual legacy encoding of news text and what the WHATWG
#: Encoding Standard uses for "latin1" and unlabeled Western pages.
WESTERN = "cp1252"


def detect_encoding(data: bytes) -> tuple[str, str, list[str]]:
    """``(encoding, text, others)`` for bytes that are not UTF-8: detection by charset-normalizer, among the
    encodings it finds equally likely (the least "chaos"; DOS, EBCDIC and old Mac code pages only when no other is
    as calm; coherence within 0.05 of the best of those), :data:`WESTERN` when one of them gives the text it gives.
    ``others`` lists the equally likely encodings that give another text (empty when the choice is certain): short
    texts often fit several code pages ("español" in Windows-1250 reads "espańol"), and then the caller says which
    one was used.

    Raises
    ------
    ValueError
        If no text encoding fits the bytes.
    """
    encoding, text, others = _detect(data)
    return encoding, text, list(others)


#: Code pages of DOS consoles, EBCDIC mainframes, old Macs and HP printers: news text is rarely in them, and a short
#: text often fits one of them as well as the code page it is really in.
_RARE_PREFIXES = ("mac", "hp")
_RARE = frozenset(
    [
        "cp037",
        "cp273",
        "cp424",
        "cp437",
        "cp500",
        "cp720",
        "cp737",
        "cp775",
        "cp850",
        "cp852",
        "cp855",
        "cp856",
        "cp857",
        "cp858",
        "cp860",
        "cp861",
        "cp862",
        "cp863",
        "cp864",
        "cp865",
        "cp866",
        "cp869",
        "cp875",
        "cp1006",
        "cp1026",
        "cp1125",
        "cp1140",
        "kz1048",
        "ptcp154",
    ]
)


def _rare(encoding: str) -> bool:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return True
    return name in _RARE or name.startswith(_RARE_PREFIXES)


@functools.lru_cache(maxsize=2)
def _detect(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """:func:`detect_encoding`, kept for the last files: opening a text file decodes it, and then
    :func:`encoding_doubt` asks about the same bytes (detection takes tens of milliseconds per 100 KB)."""
    from charset_normalizer import from_bytes  # only for text that is not UTF-8 (50 ms to import)

    results = from_bytes(data)
    matches = list(results)
    if not matches:
        raise ValueError("it is not a text file (no text encoding fits its bytes)")
    least = min(m.chaos for m in matches)
    calm = [m for m in matches if m.chaos <= least + 1e-9]
    usual = [m for m in calm if not _rare(m.encoding)]
    calm = usual or calm  # DOS, EBCDIC and old Mac pages only when nothing else fits as well (cp775 "espa±ol")
    coherent = max(m.coherence for m in calm)
    likely = [m for m in calm if m.coherence >= coherent - 0.05]
    texts = {m.encoding: str(m) for m in likely}
    try:
        western = data.decode(WESTERN)  # charset-normalizer names one code page for all that give one text
    except UnicodeDecodeError:
        western = None
    if western is not None and western in texts.values():
        encoding, text = WESTERN, western
    else:
        chosen = likely[0]  # charset-normalizer's order: its best among them
        encoding, text = chosen.encoding, str(chosen)
    return encoding, text, tuple(name for name, other in texts.items() if other != text)


def _checked(text: str) -> str:
    # a slice at a time: a worker thread reading a huge text never holds the GIL long
    controls = set().union(*(_CONTROLS.findall(part) for part in text_slices(text)))
    if "\x00" in controls:
        raise ValueError("it looks binary (it contains NUL characters), not like a text file")
    if controls and sum(part.count(c) for part in text_slices(text) for c in controls) > max(2, len(text) // 100):
        raise ValueError("it looks binary (it is full of control characters), not like a text file")
    return text


def _checked_utf8(name: str, text: str, data: memoryview, *, bom: bool) -> DocumentSource:
    """:func:`_checked` and :func:`_source` for ``text`` decoded from the UTF-8 bytes ``data``, counted on the bytes
    (:func:`~annotator.io.utf8_counts.count_utf8`: the same counts, the same messages) from
    :data:`~annotator.io.utf8_counts.FROM_BYTES` on (below, numpy is not worth importing)."""
    if len(data) < utf8_counts.FROM_BYTES:
        return _source(name, _checked(text), "utf-8", bom=bom)
    counts = utf8_counts.count_utf8(data)
    if counts.nul:
        raise ValueError("it looks binary (it contains NUL characters), not like a text file")
    if counts.controls > max(2, len(text) // 100):
        raise ValueError("it looks binary (it is full of control characters), not like a text file")
    crlf, cr, lf = counts.crlf, counts.cr - counts.crlf, counts.lf - counts.crlf
    kinds = [kind for kind, count in (("LF", lf), ("CRLF", crlf), ("CR", cr)) if count]
    line_ending = "none" if not kinds else kinds[0] if len(kinds) == 1 else "mixed"
    return DocumentSource(file_name=name, encoding="utf-8", bom=bom, line_ending=line_ending)


def _source(name: str, text: str, encoding: str, *, bom: bool) -> DocumentSource:
    return DocumentSource(file_name=name, encoding=encoding, bom=bom, line_ending=line_ending_style(text))


def display_name(path: Path) -> str:
    """``path``'s file name as valid text: bytes that are not UTF-8 (kept by the OS as surrogates) become U+FFFD."""
    return os.fsencode(path.name).decode("utf-8", "replace")


def read_text_file(path: str | Path) -> Document:
    """Read and decode the text file at ``path`` into a :class:`~annotator.model.document.Document`.

    Raises
    ------
    FileFault
        If the file cannot be read or is not text; the message names the file and the reason.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileFault(path, f"could not read it ({error.strerror or error})") from error
    try:
        text, source, utf8 = _decoded(data, display_name(path))
    except ValueError as error:
        raise FileFault(path, str(error)) from error
    if utf8 is None:
        return Document.from_text(text, source)
    # the text's UTF-8 bytes are those read: hashed as they are (hashlib leaves the GIL to the window meanwhile)
    return Document(text=text, sha256=hashlib.sha256(utf8).hexdigest(), source=source)


def encoding_doubt(path: str | Path, encoding: str) -> str:
    """A sentence for the user when the text file ``path``, read as ``encoding`` (not UTF-8), could also be read as
    another text in an equally likely encoding; ``""`` when the encoding is UTF-8 or certain."""
    if encoding.replace("_", "-").lower() in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "ascii"):
        return ""
    try:
        data = Path(path).read_bytes()
        _, _, others = detect_encoding(data)
    except (OSError, ValueError):
        return ""
    if not others:
        return ""
    also = ", ".join(others[:3])
    return (
        f"{Path(path).name} is not UTF-8; it was read as {encoding}, but it also fits {also}: check its accented "
        f"letters, and if they look wrong, save it as UTF-8 and open it again."
    )
