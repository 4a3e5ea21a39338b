"""Decoding text files into the exact text that offsets count in.

Order of decisions: a UTF-32 or UTF-16 BOM decides the encoding; a UTF-8 BOM means UTF-8; otherwise strict UTF-8;
otherwise detection with charset-normalizer. The BOM is removed; nothing else is changed (CR LF, lone CR, U+2028,
NBSP and tabs are kept). Binary files (NUL bytes, or bytes no detector accepts) are refused.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from annotator.io.errors import FileFault
from annotator.model.document import Document, DocumentSource, line_ending_style

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
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise ValueError(
                    f"it starts with a {encoding} byte-order mark but is not valid {encoding}: {error}"
                ) from error
            return _checked(text), _source(name, text, encoding, bom=True)
    if b"\x00" in data:
        raise ValueError("it looks binary (it contains NUL bytes), not like a text file")
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes  # only for text that is not UTF-8 (50 ms to import)

        best = from_bytes(data).best()
        if best is None:
            raise ValueError("it is not a text file (no text encoding fits its bytes)") from None
        encoding = best.encoding
        text = str(best)
    return _checked(text), _source(name, text, encoding, bom=False)


def _checked(text: str) -> str:
    controls = set(_CONTROLS.findall(text))
    if "\x00" in controls:
        raise ValueError("it looks binary (it contains NUL characters), not like a text file")
    if controls and sum(text.count(c) for c in controls) > max(2, len(text) // 100):
        raise ValueError("it looks binary (it is full of control characters), not like a text file")
    return text


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
        text, source = decode_text(data, display_name(path))
    except ValueError as error:
        raise FileFault(path, str(error)) from error
    return Document.from_text(text, source)
