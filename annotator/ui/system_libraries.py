"""Before Qt starts on Linux: are the system libraries of Qt's xcb platform plugin installed?

Qt aborts the whole process (``qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed...``) when the
xcb platform plugin cannot be loaded, and its message names only one library even when several are missing; Python
cannot catch that abort. So, before the ``QApplication`` exists, :func:`startup_problem` asks the dynamic linker
(``ldd``, which resolves a library's needs without running it) which libraries of the plugin are missing, and returns
one line naming them, the ``apt-get`` command that installs them, and ``QT_QPA_PLATFORM=offscreen`` for a run
without a window.

This module does not import Qt (it runs before Qt is loaded); it finds PySide6's files with
:func:`importlib.util.find_spec`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

DEBIAN_PACKAGES: dict[str, str] = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}
"""The Debian/Ubuntu package of each shared library (by soname) that Qt's xcb platform plugin, the Qt libraries it
loads (``libQt6XcbQpa``, ``libQt6Gui``, ``libQt6Core``, ``libQt6DBus``, ``libQt6Widgets``) and its OpenGL
integrations need, apart from :data:`BASE_SYSTEM` and Qt's own libraries shipped in the PySide6 wheel. The same list
as Qt's "Qt for X11 Requirements" (6.5+), checked against the wheel's ELF ``DT_NEEDED`` entries by the tests."""

BASE_SYSTEM = frozenset(
    {
        "libc.so.6",
        "libm.so.6",
        "libdl.so.2",
        "libpthread.so.0",
        "librt.so.1",
        "libstdc++.so.6",
        "libgcc_s.so.1",
        "libz.so.1",
        "libzstd.so.1",
    }
)
"""Libraries every Debian/Ubuntu system has (C and C++ runtime, zlib, zstd: priority "required"), and the dynamic
loader (``ld-linux*``), which :func:`is_base_system` also accepts."""

APT_COMMAND = "sudo apt-get install"
_NOT_FOUND = re.compile(r"^\s*(\S+) => not found\s*$")


def is_base_system(soname: str) -> bool:
    """Whether ``soname`` is part of every Linux system (:data:`BASE_SYSTEM` or the dynamic loader)."""
    return soname in BASE_SYSTEM or soname.startswith(("ld-linux", "ld64.so"))


def xcb_plugin_path() -> Path | None:
    """PySide6's xcb platform plugin (``PySide6/Qt/plugins/platforms/libqxcb.so``), found without importing Qt;
    ``None`` when PySide6 or the plugin is not there."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.origin:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def unresolved_libraries(
    library: Path, run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run
) -> list[str] | None:
    """The sonames the dynamic linker cannot find for ``library`` and everything it loads, in ``ldd``'s order
    (``[]``: all found); ``None`` when the check cannot be made (no ``ldd``, or it fails: not an ELF file, a
    foreign architecture). ``ldd`` resolves the libraries as loading would (RUNPATH, ``LD_LIBRARY_PATH``, the
    linker's cache) without running any of their code. ``run`` is :func:`subprocess.run` (tests replace it)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        result = run([ldd, str(library)], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    missing = [m.group(1) for m in map(_NOT_FOUND.match, result.stdout.splitlines()) if m]
    if result.returncode != 0 and not missing:
        return None
    return list(dict.fromkeys(missing))


def missing_libraries_message(missing: Iterable[str]) -> str:
    """One line for the terminal: the missing sonames, the ``apt-get`` command installing their packages
    (:data:`DEBIAN_PACKAGES`; a soname without a known package is named but left out of the command), and how to
    run without a window."""
    sonames = list(dict.fromkeys(missing))
    packages = list(dict.fromkeys(DEBIAN_PACKAGES[s] for s in sonames if s in DEBIAN_PACKAGES))
    install = f"; on Debian/Ubuntu install them with: {APT_COMMAND} {' '.join(packages)}" if packages else ""
    return (
        f"annotator: cannot open a window: Qt's xcb platform plugin needs {', '.join(sonames)}, not installed"
        f"{install} (to try the app without a window: QT_QPA_PLATFORM=offscreen annotator FILE)"
    )


def startup_problem(
    environ: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    find_missing: Callable[[], list[str] | None] | None = None,
) -> str | None:
    """The one-line message to print instead of starting Qt when the xcb platform plugin's libraries are missing
    (:func:`missing_libraries_message`), else ``None``.

    Checked only on Linux when Qt will use xcb: ``QT_QPA_PLATFORM`` unset, empty or ``xcb``, and, when unset, not in
    a Wayland session (there Qt tries its Wayland plugin first). ``find_missing`` returns the missing sonames (default:
    :func:`unresolved_libraries` of :func:`xcb_plugin_path`), ``None`` when it cannot tell. A check that fails in any
    way never blocks the start (``None``).
    """
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen and chosen != "xcb":
        return None
    if not chosen and (env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland"):
        return None
    try:
        if find_missing is None:
            plugin = xcb_plugin_path()
            missing = unresolved_libraries(plugin) if plugin is not None else None
        else:
            missing = find_missing()
        return missing_libraries_message(missing) if missing else None
    except Exception:  # the check is a courtesy: never let it stop the app
        return None
