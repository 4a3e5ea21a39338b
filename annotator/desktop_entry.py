"""``annotator --install-desktop-entry`` and ``--uninstall-desktop-entry``: the app in the desktop's menu, and
``*.annotations.json`` files opening in it by double-click (Linux and other freedesktop.org desktops).

What is installed, in the user's XDG data folder (``$XDG_DATA_HOME``, else ``~/.local/share``):

- ``applications/annotator.desktop``: a Desktop Entry (freedesktop.org Desktop Entry Specification 1.4) whose
  ``Exec`` runs this very ``annotator`` (:func:`launch_command`) with ``%f`` (one file);
- ``icons/hicolor/<size>x<size>/apps/annotator.png`` for each of :data:`ICON_SIZES`, and
  ``icons/hicolor/scalable/apps/annotator.svg`` (Icon Theme Specification);
- ``mime/packages/annotator.xml``: the MIME type :data:`MIME_TYPE` with the glob ``*.annotations.json``
  (shared-mime-info specification).

Then ``update-desktop-database`` and ``update-mime-database`` refresh the caches, when installed (quietly: without
them the desktop rescans later). The install is recorded in ``annotator/desktop-entry.json`` under the same folder
(:data:`MANIFEST`: the folders it made and the cache files the refresh made), so that ``--uninstall-desktop-entry``
removes exactly what the install added: its files, the cache files and the empty folders it made (the caches are
refreshed instead while other applications' entries or MIME types are there), and nothing of anyone else's. No Qt
here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Literal

APP_ID = "annotator"
"""The desktop file's and the icon's name (``annotator.desktop``, icon ``annotator``)."""
MIME_TYPE = "application/x-annotator-annotations+json"
"""The MIME type of annotation files (``*.annotations.json``), a subclass of ``application/json``."""
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
"""The PNG sizes shipped in ``annotator/resources/icons`` (rendered by ``packaging/render_icons.py``)."""

MANIFEST = Path(APP_ID) / "desktop-entry.json"
"""Where (under the data folder) :func:`install` records what it made: JSON ``{"version": 1, "folders": [...],
"caches": [...]}``, absolute paths of the folders it created (parents first) and of the cache files and folders the
refresh created."""
CACHE_SOURCES = {"applications": "*.desktop", "mime": "packages/*.xml"}
"""Each cache folder under the data folder, with the glob (within it) of the files its cache is made from."""

Runner = Callable[[Sequence[str]], object]
"""Runs one command quietly (arguments as a list); its result is ignored."""


def data_home(environ: os._Environ[str] | dict[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME`` when set to an absolute path, else ``~/.local/share`` (XDG Base Directory Specification)."""
    value = (os.environ if environ is None else environ).get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


def launch_command(argv0: str | None = None, executable: str | None = None, frozen: bool | None = None) -> list[str]:
    """The command that starts this annotator, as absolute paths: the bundle's executable when frozen
    (PyInstaller), else ``argv0`` (``sys.argv[0]``) resolved when it is the ``annotator`` script, else
    ``[python, "-m", "annotator"]`` (started as ``python -m annotator``)."""
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    executable = executable or sys.executable
    if frozen:
        return [str(Path(executable).resolve())]
    script = Path(argv0 if argv0 is not None else sys.argv[0])
    if script.name not in ("__main__.py", "") and script.suffix != ".py" and script.is_file():
        return [str(script.resolve())]
    return [str(Path(executable).absolute()), "-m", "annotator"]


def exec_argument(argument: str) -> str:
    """One argument of a desktop entry's ``Exec`` key, quoted as the Desktop Entry Specification requires: in
    double quotes when it holds a reserved character, with ``"``, ```` ` ````, ``$`` and ``\\`` backslash-escaped,
    then every backslash doubled again for the string-value escaping (and ``%`` written ``%%``)."""
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    argument = argument.replace("%", "%%")
    if reserved & set(argument):
        quoted = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        argument = f'"{quoted}"'
    return argument.replace("\\", "\\\\")


def desktop_entry_text(command: Sequence[str]) -> str:
    """The text of ``annotator.desktop`` launching ``command`` (absolute paths) with one file (``%f``)."""
    exec_line = " ".join(exec_argument(part) for part in command)
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.4",  # the newest desktop-file-validate (0.26) knows
            "Name=annotator",
            "GenericName=Span Annotation",
            "Comment=Label spans of news text as actor, claim, warning or denial",
            f"Exec={exec_line} %f",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Utility;TextTools;",
            f"MimeType={MIME_TYPE};",
            "Keywords=annotation;corpus;span;NLP;",
            "",
        ]
    )


def installed_paths(home: Path) -> list[Path]:
    """Every file :func:`install` writes under the data folder ``home``."""
    icons = home / "icons" / "hicolor"
    return [
        home / "applications" / f"{APP_ID}.desktop",
        *(icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in ICON_SIZES),
        icons / "scalable" / "apps" / f"{APP_ID}.svg",
        home / "mime" / "packages" / f"{APP_ID}.xml",
    ]


def install(home: Path | None = None, command: Sequence[str] | None = None, run: Runner | None = None) -> list[Path]:
    """Write the desktop entry, the icons and the MIME type under ``home`` (default :func:`data_home`) and refresh
    the desktop's caches; returns the files written. ``command`` defaults to :func:`launch_command`.

    Raises
    ------
    OSError
        When a folder or file cannot be written (files written before stay; installing again replaces them).
    """
    home = home or data_home()
    record = _read_manifest(home)  # installing again: what the first install made is still the install's
    before = {entry for folder in CACHE_SOURCES for entry in _entries(home / folder)}
    resources = files("annotator.resources")  # joinpath with one name a call: Python 3.11's MultiplexedPath (bundle)
    desktop, *pngs, svg, mime = installed_paths(home)
    contents: list[tuple[Path, bytes]] = [
        (desktop, desktop_entry_text(command or launch_command()).encode("utf-8")),
        *(
            (png, resources.joinpath("icons").joinpath(f"annotator-{size}.png").read_bytes())
            for png, size in zip(pngs, ICON_SIZES, strict=True)
        ),
        (svg, resources.joinpath("icons").joinpath("annotator.svg").read_bytes()),
        (mime, resources.joinpath("desktop").joinpath("annotator-mime.xml").read_bytes()),
    ]
    from annotator.io.atomic import atomic_write_bytes

    folders: list[str] = record["folders"]
    for path in [*(path for path, _ in contents), home / MANIFEST]:
        folders.extend(str(folder) for folder in _make_folders(path.parent) if str(folder) not in folders)
    for path, data in contents:
        atomic_write_bytes(path, data)
    refresh_caches(home, run)
    ours = {path for path, _ in contents}
    after = {entry for folder in CACHE_SOURCES for entry in _entries(home / folder)}
    caches: list[str] = record["caches"]
    caches.extend(str(entry) for entry in sorted(after - before - ours) if str(entry) not in caches)
    atomic_write_bytes(home / MANIFEST, json.dumps(record, indent=1).encode("utf-8"))
    return [path for path, _ in contents]


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; returns those created, parents first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(exist_ok=True)
    return missing[::-1]


def _entries(folder: Path) -> set[Path]:
    """Every file and folder under ``folder`` (none when it does not exist)."""
    return set(folder.rglob("*")) if folder.is_dir() else set()


def _read_manifest(home: Path) -> dict[str, list[str]]:
    """The record of an earlier install under ``home`` (:data:`MANIFEST`), or an empty one when there is none or it
    cannot be read (an install by a version without it: its folders and cache files are then not removed)."""
    try:
        record = json.loads((home / MANIFEST).read_text(encoding="utf-8"))
        return {key: [str(path) for path in record[key]] for key in ("folders", "caches")}
    except (OSError, ValueError, KeyError, TypeError):
        return {"folders": [], "caches": []}


def uninstall(home: Path | None = None, run: Runner | None = None) -> list[Path]:
    """Remove what :func:`install` added under ``home`` (default :func:`data_home`): its files; per cache folder
    (``applications``, ``mime``), the cache files the install's refresh created when no other entry or MIME type is
    left there, else a refresh of that cache; then the folders the install created, when empty. Returns the
    installed files removed (those that were there). Files of others, and folders holding them, stay.

    Raises
    ------
    OSError
        When a file exists but cannot be removed.
    """
    home = home or data_home()
    record = _read_manifest(home)
    removed = []
    for path in installed_paths(home):
        if path.is_file():
            path.unlink()
            removed.append(path)
    (home / MANIFEST).unlink(missing_ok=True)
    created = [Path(entry) for entry in record["caches"]]
    made_folders = [Path(folder) for folder in record["folders"]]
    for folder, sources in CACHE_SOURCES.items():
        cache = home / folder
        if not cache.is_dir():
            continue
        if not any(cache.glob(sources)):  # nothing but ours was cached: remove the cache files the install made
            for entry in sorted((p for p in created if p.is_relative_to(cache)), key=_depth, reverse=True):
                if entry.is_dir() and not entry.is_symlink():
                    with contextlib.suppress(OSError):
                        entry.rmdir()  # not empty: something else has been put there since
                else:
                    entry.unlink(missing_ok=True)
            if all(entry.is_dir() and entry in made_folders for entry in _entries(cache)):
                continue  # no cache of anyone else's left to refresh
        _refresh(home, folder, run)  # others' caches, or one that was there before: it forgets ours
    for made in sorted([*made_folders, *(p for p in created if p.is_dir())], key=_depth, reverse=True):
        with contextlib.suppress(OSError):
            made.rmdir()  # only when empty: another's file keeps it
    return removed


def _depth(path: Path) -> int:
    return len(path.parts)


def refresh_caches(home: Path, run: Runner | None = None) -> None:
    """Run ``update-desktop-database`` and ``update-mime-database`` on ``home``'s folders when they are installed;
    their output and failures are ignored (the desktop rescans the folders later without them)."""
    for folder in CACHE_SOURCES:
        _refresh(home, folder, run)


def _refresh(home: Path, folder: str, run: Runner | None) -> None:
    """Refresh the cache of ``home / folder`` (``"applications"`` or ``"mime"``) when it exists and the tool is
    installed."""
    tool = {"applications": ["update-desktop-database", "-q"], "mime": ["update-mime-database"]}[folder]
    if shutil.which(tool[0]) and (home / folder).is_dir():
        (run or _run_quietly)([*tool, str(home / folder)])


def _run_quietly(command: Sequence[str]) -> object:
    try:
        return subprocess.run(
            list(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None


def run_desktop_entry_command(action: Literal["install", "uninstall"]) -> int:
    """``annotator --install-desktop-entry`` (``action="install"``) or ``--uninstall-desktop-entry``: does it,
    prints one line saying what was done (or, on failure, one line naming the file and the fault on stderr);
    returns the exit status (0 or 1)."""
    home = data_home()
    try:
        if action == "install":
            written = install(home)
            print(f"annotator: installed {written[0]} (with its icon and the {MIME_TYPE} file type)")
        else:
            removed = uninstall(home)
            print(f"annotator: removed {len(removed)} files of the desktop entry from {home}")
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"annotator: {where}{error.strerror or error}", file=sys.stderr)
        return 1
    return 0
