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


def tree(folder: Path) -> set[str]:
    """Every file and folder under ``folder``, relative, folders ending in "/"."""
    return {str(p.relative_to(folder)) + ("/" if p.is_dir() else "") for p in folder.rglob("*")}


def fake_cache_tools(monkeypatch) -> list[list[str]]:
    """Both tools "installed"; each run writes its cache into the folder, as the real ones do."""
    ran: list[list[str]] = []

    def run(command):
        ran.append(list(command))
        folder = Path(command[-1])
        if command[0] == "update-desktop-database":
            (folder / "mimeinfo.cache").write_text("[MIME Cache]\n", encoding="utf-8")
        else:
            (folder / "application").mkdir(exist_ok=True)
            (folder / "mime.cache").write_bytes(b"cache")

    monkeypatch.setattr(desktop_entry.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(desktop_entry, "_run_quietly", run)
    return ran


def test_uninstall_leaves_no_cache_or_folder_the_install_made(tmp_path, monkeypatch):
    home = tmp_path / "share"
    ran = fake_cache_tools(monkeypatch)
    desktop_entry.install(home, command=["/usr/bin/annotator"])
    desktop_entry.install(home, command=["/usr/bin/annotator"])  # again: the first install's record is kept
    assert (home / "mime" / "mime.cache").is_file() and (home / "applications" / "mimeinfo.cache").is_file()
    ran.clear()
    desktop_entry.uninstall(home)
    assert not home.exists()
    assert ran == []  # no cache of anyone else's to refresh


def test_uninstall_keeps_others_files_and_folders_and_refreshes_their_caches(tmp_path, monkeypatch):
    home = tmp_path / "share"
    other_entry = home / "applications" / "other.desktop"
    other_icon = home / "icons" / "hicolor" / "48x48" / "apps" / "other.png"
    for path in (other_entry, other_icon):
        path.parent.mkdir(parents=True)
        path.write_text("other's", encoding="utf-8")
    (home / "mime").mkdir()  # someone's empty folder
    (home / "annotator" / "recovery").mkdir(parents=True)  # the app's own data folder
    ran = fake_cache_tools(monkeypatch)
    before = tree(home)
    desktop_entry.install(home, command=["/usr/bin/annotator"])
    ran.clear()
    desktop_entry.uninstall(home)
    # applications/ holds another entry: its cache (made by the install) is refreshed, not removed; mime/ had only
    # ours: its cache files go and the empty folder that was there stays
    assert ran == [["update-desktop-database", "-q", str(home / "applications")]]
    assert tree(home) == before | {"applications/mimeinfo.cache"}


def test_uninstall_after_an_install_without_a_record_removes_the_files(xdg_home):
    written = desktop_entry.install(xdg_home, command=["/usr/bin/annotator"], run=lambda command: None)
    (xdg_home / desktop_entry.MANIFEST).unlink()
    assert desktop_entry.uninstall(xdg_home, run=lambda command: None) == written
    assert not any(path.exists() for path in written)


@pytest.mark.skipif(
    not (shutil.which("update-desktop-database") and shutil.which("update-mime-database")),
    reason="update-desktop-database or update-mime-database is not installed",
)
def test_with_the_real_cache_tools_uninstall_restores_the_folder(tmp_path):
    home = tmp_path / "share"
    other_mime = home / "mime" / "packages" / "other.xml"
    other_mime.parent.mkdir(parents=True)
    other_mime.write_text(
        '<?xml version="1.0"?>\n<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">'
        '<mime-type type="text/x-other"><glob pattern="*.other"/></mime-type></mime-info>\n',
        encoding="utf-8",
    )
    subprocess.run(["update-mime-database", str(home / "mime")], check=True, capture_output=True)
    before = tree(home)
    desktop_entry.install(home, command=["/usr/bin/annotator"])
    assert (home / "mime" / "application" / "x-annotator-annotations+json.xml").is_file()
    desktop_entry.uninstall(home)
    assert tree(home) == before  # the MIME cache refreshed without ours; applications/ and icons/ gone
    assert "x-annotator" not in (home / "mime" / "globs2").read_text(encoding="utf-8")
    assert "text/x-other" in (home / "mime" / "globs2").read_text(encoding="utf-8")

    fresh = tmp_path / "fresh"
    desktop_entry.install(fresh, command=["/usr/bin/annotator"])
    desktop_entry.uninstall(fresh)
    assert not fresh.exists()
