"""annotator --install-desktop-entry / --uninstall-desktop-entry into a temporary XDG data home."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator import desktop_entry
from annotator.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


@pytest.fixture
def xdg_home(tmp_path, monkeypatch):
    home = tmp_path / "share with space"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def entry_keys(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def test_install_writes_the_entry_icons_and_mime_type(xdg_home, capsys):
    assert main(["--install-desktop-entry"]) == 0
    desktop = xdg_home / "applications" / "annotator.desktop"
    assert str(desktop) in capsys.readouterr().out
    keys = entry_keys(desktop)
    assert keys["Type"] == "Application"
    assert keys["Icon"] == "annotator"
    assert keys["MimeType"] == "application/x-annotator-annotations+json;"
    assert keys["Exec"].endswith(" %f")
    for size in desktop_entry.ICON_SIZES:
        png = xdg_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "annotator.png"
        assert png.read_bytes().startswith(b"\x89PNG")
    assert (xdg_home / "icons" / "hicolor" / "scalable" / "apps" / "annotator.svg").is_file()
    mime = ET.parse(xdg_home / "mime" / "packages" / "annotator.xml").getroot()
    mime_type = mime.find(f"{MIME_NS}mime-type")
    assert mime_type.get("type") == desktop_entry.MIME_TYPE
    assert mime_type.find(f"{MIME_NS}glob").get("pattern") == "*.annotations.json"


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-validate is not installed")
def test_the_desktop_entry_is_valid(xdg_home):
    desktop_entry.install(xdg_home, command=["/opt/my apps/annotator"], run=lambda command: None)
    result = subprocess.run(
        ["desktop-file-validate", str(xdg_home / "applications" / "annotator.desktop")],
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_uninstall_removes_what_install_wrote_and_nothing_else(xdg_home, capsys):
    other = xdg_home / "applications" / "other.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\n", encoding="utf-8")
    written = desktop_entry.install(xdg_home, command=["/usr/bin/annotator"], run=lambda command: None)
    assert main(["--uninstall-desktop-entry"]) == 0
    assert f"removed {len(written)} files" in capsys.readouterr().out
    assert not any(path.exists() for path in written)
    assert other.is_file()
    assert main(["--uninstall-desktop-entry"]) == 0  # nothing left to remove is not an error


def test_the_caches_are_refreshed_with_the_tools_that_are_installed(xdg_home, monkeypatch):
    ran = []
    monkeypatch.setattr(desktop_entry.shutil, "which", lambda name: f"/usr/bin/{name}")
    desktop_entry.install(xdg_home, command=["/usr/bin/annotator"], run=ran.append)
    assert ran == [
        ["update-desktop-database", "-q", str(xdg_home / "applications")],
        ["update-mime-database", str(xdg_home / "mime")],
    ]
    ran.clear()
    monkeypatch.setattr(desktop_entry.shutil, "which", lambda name: None)
    desktop_entry.uninstall(xdg_home, run=ran.append)
    assert ran == []


def test_a_folder_that_cannot_be_written_is_one_line(tmp_path, monkeypatch, capsys):
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocked))
    assert main(["--install-desktop-entry"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("annotator: ") and str(blocked) in error and len(error.splitlines()) == 1


def test_exec_runs_this_annotator(tmp_path):
    script = tmp_path / "bin" / "annotator"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    link = tmp_path / "annotator-link"
    link.symlink_to(script)
    assert desktop_entry.launch_command(str(link), frozen=False) == [str(script.resolve())]
    python = sys.executable
    module_main = str(ROOT / "annotator" / "__main__.py")
    assert desktop_entry.launch_command(module_main, python, frozen=False) == [
        str(Path(python).absolute()),
        "-m",
        "annotator",
    ]
    assert desktop_entry.launch_command("x", str(script), frozen=True) == [str(script.resolve())]


@pytest.mark.parametrize(
    ("argument", "written"),
    [
        ("/usr/bin/annotator", "/usr/bin/annotator"),
        ("/opt/my apps/annotator", '"/opt/my apps/annotator"'),
        ('/opt/a"b$c', '"/opt/a\\\\"b\\\\$c"'),
        ("/opt/100%", "/opt/100%%"),
    ],
)
def test_exec_arguments_are_quoted_as_the_specification_says(argument, written):
    assert desktop_entry.exec_argument(argument) == written


def test_xdg_data_home_must_be_absolute():
    assert desktop_entry.data_home({"XDG_DATA_HOME": "relative"}) == Path.home() / ".local" / "share"
    assert desktop_entry.data_home({"XDG_DATA_HOME": "/x/share"}) == Path("/x/share")


def test_the_shipped_pngs_are_the_rendered_sizes():
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import render_icons
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    assert render_icons.SIZES == desktop_entry.ICON_SIZES
    for size in desktop_entry.ICON_SIZES:
        png = (ROOT / "resources" / "icons" / f"annotator-{size}.png").read_bytes()
        assert int.from_bytes(png[16:20], "big") == int.from_bytes(png[20:24], "big") == size  # IHDR width, height
