"""A project's folder layout: which files are documents, and where each annotator's annotation files live.

Layout (every path relative to the project folder)::

    news/a.txt                                   a document; its id is "news/a.txt"
    annotations/<annotator>/news/a.annotations.json   that annotator's annotations of it

Every ``.txt`` file under the folder is a document, and so is every web page, Word and PDF file (``.html``, ``.htm``,
``.docx``, ``.pdf``: converted on first open, see :mod:`annotator.io.opening`; their ids keep their suffix,
``news/a.html``, and their annotation files add to it, ``a.html.annotations.json``), except under ``annotations/``,
hidden folders (``.git``...) and a saved page's folder of parts (``X_files`` beside ``X.html``).
One file per document per annotator means two people never write the same file and git merges stay trivial.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import unicodedata
from pathlib import Path, PurePosixPath

from annotator.io.annotation_file import ANNOTATION_SUFFIX
from annotator.io.convert.registry import SAVED_PAGE_FOLDER, supported_suffixes
from annotator.io.errors import FileFault
from annotator.model.labels import LabelSet

ANNOTATIONS_FOLDER = "annotations"
TEXT_SUFFIX = ".txt"
_PAGE_SUFFIXES = (".html", ".htm")
_SKIPPED_FOLDERS = {"__pycache__", "node_modules"}
_IGNORED = "# written by annotator: per-machine lock files and unfinished saves\n*.lock\n*.owner\n.*.tmp\n"
MAX_NAME_BYTES = 150  # a name part, in UTF-8 bytes: room for suffixes within the usual 255-byte limit


def safe_file_name(name: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``name`` (in NFC) as a file or folder name valid on Windows, macOS and Linux, or ``""`` when nothing is left.

    `pathvalidate <https://pathvalidate.readthedocs.io>`_ (``sanitize_filename``, platform "universal") replaces
    the characters no file system takes (``/ \\ : * ? " < > |``, controls) with ``_``, strips spaces and trailing
    dots, cuts the name to ``max_bytes`` UTF-8 bytes and puts ``_`` before Windows device names (``CON``, ``NUL``...);
    leading dots and spaces are dropped too, before and after, so a name is never hidden, ``.`` or ``..``.
    """
    name = unicodedata.normalize("NFC", name).strip().lstrip(".")
    if not name:
        return ""
    from pathvalidate import sanitize_filename  # 50 ms to import: on first use, not at start-up
    from pathvalidate.handler import ReservedNameHandler

    name = sanitize_filename(
        name,
        replacement_text="_",
        platform="universal",
        max_len=max_bytes,
        reserved_name_handler=ReservedNameHandler.add_leading_underscore,
    )
    return name.lstrip(". ")  # sanitizing can leave ". ." as ".." or "." once it strips spaces


@functools.lru_cache(maxsize=256)
def annotator_folder_name(annotator: str) -> str:
    """The folder name for ``annotator``'s files: :func:`safe_file_name` of the name, ``"annotator"`` when nothing
    is left. Different names share a folder only if they differ in unsafe characters alone."""
    return safe_file_name(annotator) or "annotator"


def _natural_key(doc_id: str) -> list[tuple[int, int | str]]:
    """Sort key putting ``doc2.txt`` before ``doc10.txt`` (case-insensitive)."""
    return [(0, int(part)) if part.isdigit() else (1, part.casefold()) for part in re.split(r"(\d+)", doc_id) if part]


class Project:
    """A folder of documents (``.txt`` files, web pages, Word and PDF files).

    Parameters
    ----------
    root: the project folder.

    Raises
    ------
    FileFault
        If ``root`` is not an existing folder.
    """

    def __init__(self, root: str | Path) -> None:
        root = Path(root)
        if not root.is_dir():
            raise FileFault(root, "is not a folder" if root.exists() else "does not exist")
        self.root = root.resolve()

    @property
    def name(self) -> str:
        """The folder's name."""
        return self.root.name

    @property
    def annotations_folder(self) -> Path:
        """``<root>/annotations``."""
        return self.root / ANNOTATIONS_FOLDER

    def document_ids(self) -> list[str]:
        """Ids (``/``-separated paths relative to the root) of every document, in natural order.

        Documents are ``.txt`` files and the files converters read (:func:`document_suffixes`). Skips the root's
        ``annotations/``, hidden files and folders (names starting with ``.``), ``__pycache__``, ``node_modules`` and
        a saved page's folder of parts (``X_files`` beside ``X.html`` or ``X.htm``). Symbolic links to folders are not
        followed (no loops).
        """
        suffixes = document_suffixes()
        found: list[str] = []
        stack = [self.root]
        while stack:
            folder = stack.pop()
            try:
                entries = list(folder.iterdir())
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    at_root = folder == self.root
                    skipped = entry.name in _SKIPPED_FOLDERS or (at_root and entry.name == ANNOTATIONS_FOLDER)
                    if not entry.is_symlink() and not skipped and not _parts_of_a_page(entry):
                        stack.append(entry)
                elif entry.suffix.lower() in suffixes and entry.is_file():
                    found.append(entry.relative_to(self.root).as_posix())
        return sorted(found, key=_natural_key)

    def text_path(self, document_id: str) -> Path:
        """The text file of the document ``document_id``.

        Raises
        ------
        ValueError
            If the id is absolute or climbs out of the project (``..``).
        """
        return self.root / _checked_id(document_id)

    def annotation_path(self, document_id: str, annotator: str) -> Path:
        """``<root>/annotations/<annotator folder>/<id without .txt>.annotations.json`` (see
        :func:`annotator_folder_name`). ``ValueError`` for an id outside the project."""
        relative = _checked_id(document_id)
        name = relative.name[: -len(TEXT_SUFFIX)] if relative.name.lower().endswith(TEXT_SUFFIX) else relative.name
        folder = self.annotations_folder / annotator_folder_name(annotator) / relative.parent
        return folder / (name + ANNOTATION_SUFFIX)

    def document_id_for(self, path: str | Path) -> str | None:
        """The id of the document at ``path`` when it is a document (:func:`document_suffixes`) inside the project,
        else ``None``."""
        try:
            relative = Path(path).resolve().relative_to(self.root)
        except ValueError:
            return None
        if relative.suffix.lower() not in document_suffixes() or relative.parts[:1] == (ANNOTATIONS_FOLDER,):
            return None
        return relative.as_posix()

    def ignore_lock_files(self) -> None:
        """Create ``annotations/.gitignore`` listing the lock and owner files (``*.lock``, ``*.owner``) and the
        temporary files of saves (``.*.tmp``), so git never commits them; an existing file is left alone. Best
        effort: a read-only folder is not an error."""
        ignore = self.annotations_folder / ".gitignore"
        with contextlib.suppress(OSError):
            if not ignore.exists():
                self.annotations_folder.mkdir(exist_ok=True)
                ignore.write_text(_IGNORED, encoding="utf-8")

    def label_set(self) -> LabelSet | None:
        """The label set named by the project file ``annotator-project.toml`` at the root, or ``None`` when there is
        none (the user's label set applies then); see :mod:`annotator.project.project_file`.

        Raises
        ------
        FileFault
            If the project file or its label-set file is missing, unreadable or invalid (naming the file and fault).
        """
        from annotator.project.project_file import load_project_label_set

        return load_project_label_set(self.root)

    def annotators(self) -> list[str]:
        """Names of the folders under ``annotations/`` (one per annotator), sorted."""
        try:
            folders = self.annotations_folder.iterdir()
            return sorted(p.name for p in folders if p.is_dir() and not p.name.startswith("."))
        except OSError:
            return []


def document_suffixes() -> frozenset[str]:
    """The suffixes of a project's documents, lower case: ``.txt`` and the converters' (``.html``, ``.pdf``...)."""
    return frozenset({TEXT_SUFFIX, *supported_suffixes()})


def _parts_of_a_page(folder: Path) -> bool:
    """Whether ``folder`` is a saved page's folder of parts: ``X_files`` with ``X.html`` or ``X.htm`` beside it."""
    if not folder.name.endswith(SAVED_PAGE_FOLDER):
        return False
    stem = folder.name[: -len(SAVED_PAGE_FOLDER)]
    return any(folder.with_name(stem + suffix).is_file() for suffix in _PAGE_SUFFIXES)


def _checked_id(document_id: str) -> PurePosixPath:
    relative = PurePosixPath(document_id)
    # On Windows "C:x.txt" or "a\\..\\..\\x" would leave the project; elsewhere those are ordinary file names.
    windows_escape = os.name == "nt" and ("\\" in document_id or re.match(r"[A-Za-z]:", document_id))
    if not document_id or relative.is_absolute() or ".." in relative.parts or windows_escape:
        raise ValueError(f"{document_id!r} is not a document id inside the project")
    return relative
