"""Which converter reads which file, and converting a file in the sandbox.

Converters are chosen by the file name's suffix (lower-cased): :func:`supported_suffixes` lists them. A saved web page
("Webpage, complete" in a browser: ``X.html`` beside a folder ``X_files`` of its images, styles and scripts) can be
given as its ``.html`` file or as a folder: the folder ``X_files`` stands for the ``X.html`` or ``X.htm`` beside it,
and any other folder for the one web page directly inside it (a folder holding no page or several is refused). Only
the ``.html`` file is converted; the ``_files`` folder holds nothing of the article's text.
"""

from __future__ import annotations

from pathlib import Path

from annotator.io.convert.sandbox import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT, memory_words, run_converter
from annotator.io.convert.source import ConversionError, Converted, Converter

#: The suffix of a browser's folder of a saved page's parts (Chrome, Firefox, Edge, Safari's "Web Page, complete").
SAVED_PAGE_FOLDER = "_files"
_PAGE_SUFFIXES = (".html", ".htm")


def converters() -> tuple[Converter, ...]:
    """Every converter, in the order they are tried for a suffix (the first that reads it wins)."""
    # Each imports its library (trafilatura, python-docx, pypdf) on first conversion, in the sandbox only.
    from annotator.io.convert.docx import DocxConverter
    from annotator.io.convert.html import HtmlConverter
    from annotator.io.convert.pdf import PdfConverter

    return (HtmlConverter(), DocxConverter(), PdfConverter())


def supported_suffixes() -> tuple[str, ...]:
    """The file suffixes a converter reads, lower case with the dot, sorted: ``(".htm", ".html")``..."""
    return tuple(sorted({suffix for converter in converters() for suffix in converter.suffixes}))


def converter_for(path: str | Path) -> Converter:
    """The converter of ``path``'s suffix (case-insensitive).

    Raises
    ------
    ConversionError
        If no converter reads that suffix: "cannot convert .odt files (these can be: .htm, .html)".
    """
    suffix = Path(path).suffix.lower()
    for converter in converters():
        if suffix in converter.suffixes:
            return converter
    what = f"{suffix} files" if suffix else "files without a suffix"
    raise ConversionError(path, f"cannot convert {what} (these can be: {', '.join(supported_suffixes())})")


def page_file(path: str | Path) -> Path:
    """The file to convert for ``path``: ``path`` itself if it is not a folder; for a saved page's folder, its web
    page (module docstring).

    Raises
    ------
    ConversionError
        For a folder that holds no web page, or several.
    """
    path = Path(path)
    if not path.is_dir():
        return path
    if path.name.endswith(SAVED_PAGE_FOLDER):
        stem = path.name[: -len(SAVED_PAGE_FOLDER)]
        for suffix in _PAGE_SUFFIXES:
            if (page := path.with_name(stem + suffix)).is_file():
                return page
    pages = sorted(p for p in path.iterdir() if p.suffix.lower() in _PAGE_SUFFIXES and p.is_file())
    if len(pages) == 1:
        return pages[0]
    if not pages:
        raise ConversionError(path, "a folder without a web page (.html or .htm) in it")
    names = ", ".join(p.name for p in pages[:3]) + (", ..." if len(pages) > 3 else "")
    raise ConversionError(path, f"a folder holding {len(pages)} web pages ({names}): open one of them")


def convert_file(
    path: str | Path,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
) -> Converted:
    """The text and source record of the file ``path`` (or a saved page's folder, :func:`page_file`), converted by
    the converter of its suffix in the sandbox (:func:`annotator.io.convert.sandbox.run_converter`, with
    ``time_limit`` seconds and ``memory_limit`` bytes). Blocks until done: call it off the GUI thread.

    The source record's ``name`` is the converted file's name (no folder).

    Raises
    ------
    ConversionError
        With ``source`` the path as given (``str(path)``) and the reason: an unknown suffix, a folder without one
        page, a file that cannot be read (``OSError``'s reason), a file larger than ``memory_limit`` (it cannot be
        converted within it: refused before reading), or the converter's or the sandbox's refusal.
    """
    page = page_file(path)
    converter = converter_for(page)
    try:
        size = page.stat().st_size
        if memory_limit is not None and size > memory_limit:
            raise ConversionError(path, f"larger than the {memory_words(memory_limit)} a conversion may use: refused")
        data = page.read_bytes()
    except OSError as error:
        raise ConversionError(path, f"cannot be read: {error.strerror or error}") from None
    try:
        return run_converter(converter, data, page.name, time_limit=time_limit, memory_limit=memory_limit)
    except ConversionError as error:
        raise ConversionError(path, error.reason) from None
