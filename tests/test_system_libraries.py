"""The start-up check of Qt's system libraries (annotator.ui.system_libraries), and the README's install line
against what PySide6's xcb platform plugin really needs.

Kept out of tests/ui (whose conftest imports Qt): none of this loads Qt, so it runs where Qt itself cannot start.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.ui import system_libraries
from annotator.ui.system_libraries import (
    DEBIAN_PACKAGES,
    is_base_system,
    missing_libraries_message,
    startup_problem,
    unresolved_libraries,
    xcb_plugin_path,
)

ROOT = Path(__file__).parents[1]
ICCCM_KEYSYMS = ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


def needed(path: Path) -> list[str]:
    """The ELF file's DT_NEEDED sonames (what the dynamic linker loads with it)."""
    from elftools.elf.dynamic import DynamicSection
    from elftools.elf.elffile import ELFFile

    with path.open("rb") as stream:
        elf = ELFFile(stream)
        return [
            tag.needed
            for section in elf.iter_sections()
            if isinstance(section, DynamicSection)
            for tag in section.iter_tags("DT_NEEDED")
        ]


def system_needs(plugins: list[Path], qt_lib: Path) -> dict[str, str]:
    """Every non-Qt soname the plugins need, following the Qt libraries they load from ``qt_lib`` (soname → the
    file that needs it)."""
    found: dict[str, str] = {}
    seen: set[str] = set()
    todo = list(plugins)
    while todo:
        path = todo.pop()
        for soname in needed(path):
            if (qt_lib / soname).is_file():
                if soname not in seen:
                    seen.add(soname)
                    todo.append(qt_lib / soname)
            else:
                found.setdefault(soname, path.name)
    return found


def readme_packages() -> set[str]:
    """The packages of the README's apt-get line (section "Run it on the sample article")."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Run it on the sample article", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if "apt-get install" in line]
    assert len(lines) == 1, lines
    return set(lines[0].split("apt-get install", 1)[1].split())


def ci_packages() -> set[str]:
    """The packages .ci/run installs (its qt_libs array)."""
    match = re.search(r"qt_libs=\(([^)]*)\)", (ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert match is not None
    return set(match.group(1).split())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb platform plugin is Linux's")
def test_readme_install_line_names_every_library_the_xcb_plugin_needs() -> None:
    plugin = xcb_plugin_path()
    assert plugin is not None, "PySide6's Qt/plugins/platforms/libqxcb.so not found"
    qt_lib = plugin.parents[2] / "lib"
    integrations = sorted((plugin.parents[1] / "xcbglintegrations").glob("*.so"))
    needs = system_needs([plugin, *integrations, qt_lib / "libQt6Widgets.so.6"], qt_lib)
    # the ones the issue was about, from the plugin itself and from the Qt libraries it loads
    assert {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0", "libglib-2.0.so.0"} <= set(needs)
    assert {"libEGL.so.1", "libfontconfig.so.1", "libdbus-1.so.3"} <= set(needs)
    unmapped = sorted(
        f"{s} (needed by {by})" for s, by in needs.items() if not is_base_system(s) and s not in DEBIAN_PACKAGES
    )
    assert unmapped == [], "add these to DEBIAN_PACKAGES"
    packages = {DEBIAN_PACKAGES[s] for s in needs if not is_base_system(s)}
    assert sorted(packages - readme_packages()) == [], "missing from the README's apt-get install line"
    assert sorted(packages - ci_packages()) == [], "missing from .ci/run's qt_libs"


def test_readme_and_ci_name_only_known_packages() -> None:
    known = set(DEBIAN_PACKAGES.values())
    assert readme_packages() == known
    assert ci_packages() - known == {"fonts-dejavu-core"}


def test_message_names_the_libraries_the_packages_and_the_offscreen_run() -> None:
    message = startup_problem(environ={}, platform="linux", find_missing=lambda: ICCCM_KEYSYMS)
    assert message == (
        "annotator: cannot open a window: Qt's xcb platform plugin needs libxcb-icccm.so.4, libxcb-keysyms.so.1, "
        "not installed; on Debian/Ubuntu install them with: sudo apt-get install libxcb-icccm4 libxcb-keysyms1 "
        "(to try the app without a window: QT_QPA_PLATFORM=offscreen annotator FILE)"
    )
    assert "\n" not in message


def test_one_package_for_two_libraries_and_an_unknown_library_named_without_a_package() -> None:
    message = missing_libraries_message(["libglib-2.0.so.0", "libgthread-2.0.so.0", "libfoo.so.3"])
    assert "needs libglib-2.0.so.0, libgthread-2.0.so.0, libfoo.so.3, not installed" in message
    assert "sudo apt-get install libglib2.0-0 (" in message
    assert "sudo apt-get install" not in missing_libraries_message(["libfoo.so.3"])


@pytest.mark.parametrize(
    ("environ", "platform"),
    [
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),
        ({"QT_QPA_PLATFORM": "wayland"}, "linux"),
        ({"XDG_SESSION_TYPE": "wayland"}, "linux"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),
        ({}, "darwin"),
        ({}, "win32"),
    ],
)
def test_no_check_where_qt_does_not_use_xcb(environ: dict[str, str], platform: str) -> None:
    assert startup_problem(environ=environ, platform=platform, find_missing=lambda: ICCCM_KEYSYMS) is None


def test_checked_when_xcb_is_asked_for_even_in_a_wayland_session() -> None:
    environ = {"QT_QPA_PLATFORM": "xcb", "XDG_SESSION_TYPE": "wayland"}
    assert startup_problem(environ=environ, platform="linux", find_missing=lambda: ICCCM_KEYSYMS) is not None


def test_a_failing_check_never_blocks() -> None:
    def broken() -> list[str]:
        raise RuntimeError("no")

    assert startup_problem(environ={}, platform="linux", find_missing=broken) is None
    assert startup_problem(environ={}, platform="linux", find_missing=lambda: None) is None
    assert startup_problem(environ={}, platform="linux", find_missing=lambda: []) is None


def test_unresolved_libraries_reads_ldds_not_found_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    output = (
        "\tlinux-vdso.so.1 (0x00007ffd)\n"
        "\tlibQt6XcbQpa.so.6 => /x/libQt6XcbQpa.so.6 (0x00007f92)\n"
        "\tlibxcb-icccm.so.4 => not found\n"
        "\tlibxcb-keysyms.so.1 => not found\n"
        "\tlibxcb-icccm.so.4 => not found\n"
    )
    monkeypatch.setattr(system_libraries.shutil, "which", lambda name: "/usr/bin/ldd")
    calls = []

    def run(args, **kwargs):
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, stdout=output, stderr="")

    assert unresolved_libraries(Path("/x/libqxcb.so"), run=run) == ICCCM_KEYSYMS
    assert calls == [["/usr/bin/ldd", "/x/libqxcb.so"]]


def test_unresolved_libraries_cannot_tell_without_ldd_or_when_it_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(args, **kwargs):
        return subprocess.CompletedProcess(args, 1, stdout="", stderr="not a dynamic executable")

    monkeypatch.setattr(system_libraries.shutil, "which", lambda name: "/usr/bin/ldd")
    assert unresolved_libraries(Path("/x/libqxcb.so"), run=run) is None
    monkeypatch.setattr(system_libraries.shutil, "which", lambda name: None)
    assert unresolved_libraries(Path("/x/libqxcb.so"), run=run) is None


@pytest.mark.skipif(shutil.which("ldd") is None or xcb_plugin_path() is None, reason="needs ldd and the xcb plugin")
def test_ldd_finds_what_a_moved_plugin_cannot_load(tmp_path: Path) -> None:
    """A real run: the plugin copied away from PySide6's Qt/lib (its RUNPATH is $ORIGIN/../../lib) misses Qt's
    libraries, as a bare machine misses the xcb ones."""
    plugin = xcb_plugin_path()
    assert plugin is not None
    moved = tmp_path / "libqxcb.so"
    shutil.copyfile(plugin, moved)
    missing = unresolved_libraries(moved)
    assert missing is not None
    assert "libQt6XcbQpa.so.6" in missing
    assert "libQt6Gui.so.6" in missing


def test_run_app_prints_the_line_instead_of_starting_qt(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from annotator.ui import app

    monkeypatch.setattr(app, "startup_problem", lambda: "annotator: cannot open a window: ...")
    assert app.run_app("missing.txt") == 1
    assert capsys.readouterr().err == "annotator: cannot open a window: ...\n"
