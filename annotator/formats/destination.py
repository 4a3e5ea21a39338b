"""Where an export may go: never over annotation files, input folders or documents."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.io.annotation_file import ANNOTATION_SUFFIX
from annotator.project.layout import ANNOTATIONS_FOLDER


def export_refusal(
    output: Path, writes_folder: bool, inputs: Sequence[str | Path], protected: Sequence[Path] = ()
) -> str:
    """Why writing an export to ``output`` could destroy annotations or documents, or ``""`` when it is safe.

    Refused: an annotation file; an input folder itself; for folder formats (brat), a folder inside an input folder
    (its ``.txt`` files would become documents) or one holding annotation files; for file formats, a folder, or an
    existing ``.txt`` file inside an input folder or beside an input file (it may be a document). Everywhere: a
    path in ``protected`` (e.g. the open document's text), a document of a project (a ``.txt`` inside a folder that
    has an ``annotations/`` folder, or beside an annotation file of its name), and for folder formats a folder inside
    a project. A path that cannot be checked (permission denied) is refused too.
    """
    try:
        return _refusal(output, writes_folder, inputs, protected)
    except OSError as error:
        return f"{output}: cannot be checked before writing ({error.strerror or error})"


def _refusal(output: Path, writes_folder: bool, inputs: Sequence[str | Path], protected: Sequence[Path]) -> str:
    if output.name.endswith(ANNOTATION_SUFFIX):
        return f"{output}: refusing to write an export over an annotation file"
    resolved = output.resolve()
    folders = [Path(given).resolve() for given in inputs if Path(given).is_dir()]
    beside_files = {Path(given).resolve().parent for given in inputs if Path(given).is_file()}
    if resolved in folders:
        return f"{output}: refusing to write over an input folder; choose another output"
    kept = [Path(path).resolve() for path in protected]
    if resolved in kept or _is_document(resolved):
        return f"{output}: refusing to overwrite a document; choose another name"
    if writes_folder and any(path.is_relative_to(resolved) for path in kept):
        return f"{output}: holds the open document, which the export could overwrite; choose another folder"
    if writes_folder and _project_root_above(resolved) is not None:
        return f"{output}: is inside a project, where its .txt files would become documents; choose another folder"
    if writes_folder and any(resolved.is_relative_to(folder) for folder in folders):
        return f"{output}: is inside an input folder, where its .txt files would become documents; choose another"
    if output.is_dir():
        if not writes_folder:
            return f"{output}: is a folder; give a file name"
        if (output / ANNOTATIONS_FOLDER).is_dir() or next(output.rglob(f"*{ANNOTATION_SUFFIX}"), None):
            return f"{output}: refusing to export into a folder that holds annotation files; choose an empty folder"
    elif output.suffix.lower() == ".txt" and output.exists() and _near(resolved, folders, beside_files):
        return f"{output}: refusing to overwrite a text file beside or inside the inputs (it may be a document)"
    return ""


def _near(path: Path, folders: list[Path], beside: set[Path]) -> bool:
    """Whether ``path`` is inside one of ``folders`` or in one of the folders ``beside``."""
    return path.parent in beside or any(path.is_relative_to(folder) for folder in folders)


def _project_root_above(path: Path) -> Path | None:
    """The nearest folder above ``path`` (or ``path`` itself) that holds an ``annotations/`` folder: a project."""
    for folder in [path, *path.parents]:
        if (folder / ANNOTATIONS_FOLDER).is_dir():
            return folder
    return None


def _is_document(path: Path) -> bool:
    """Whether ``path`` is an existing ``.txt`` that is a document: beside ``<stem>.annotations.json``, or in a
    project (outside its ``annotations/`` folder)."""
    if path.suffix.lower() != ".txt" or not path.exists():
        return False
    if path.with_name(path.stem + ANNOTATION_SUFFIX).exists():
        return True
    root = _project_root_above(path.parent)
    return root is not None and not path.is_relative_to(root / ANNOTATIONS_FOLDER)
