"""The version has one source (pyproject.toml), read lazily; the licence named in pyproject is the LICENSE file's."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import annotator
from annotator import app_info
from annotator.__main__ import main as annotator_main
from annotator.cli.main import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.fixture(autouse=True)
def _fresh_version():
    app_info.version.cache_clear()
    yield
    app_info.version.cache_clear()


def test_the_version_is_pyprojects_only():
    assert app_info.version() == PROJECT["version"]
    assert annotator.__version__ == PROJECT["version"]
    assert "__version__ =" not in (ROOT / "annotator" / "__init__.py").read_text(encoding="utf-8")


def test_without_metadata_the_source_trees_pyproject_is_read(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert app_info.version() == PROJECT["version"]


def test_without_metadata_or_pyproject_the_version_is_unknown(monkeypatch, tmp_path):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    monkeypatch.setattr(app_info, "SOURCE_ROOT", tmp_path)
    assert app_info.version() == app_info.UNKNOWN_VERSION == "0+unknown"


def test_another_projects_pyproject_gives_no_version(tmp_path):
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "other"\nversion = "9.9"\n', encoding="utf-8")
    assert app_info.source_tree_version(other) is None
    other.write_text("not toml [", encoding="utf-8")
    assert app_info.source_tree_version(other) is None
    assert app_info.source_tree_version(tmp_path / "missing.toml") is None


@pytest.mark.parametrize("run", [annotator_main, cli_main])
def test_dash_dash_version_prints_it(run, capsys):
    with pytest.raises(SystemExit) as exited:
        run(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"annotator {PROJECT['version']}\n"


def test_starting_the_command_line_does_not_read_the_metadata():
    code = "import sys, annotator.__main__; print('importlib.metadata' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "False"


def test_the_licence_is_mit_everywhere():
    assert PROJECT["license"] == app_info.LICENSE_NAME == "MIT"
    assert set(PROJECT["license-files"]) == {"LICENSE", "THIRD_PARTY_NOTICES.md"}
    assert app_info.resource_text("LICENSE").startswith("MIT License")
    notices = app_info.resource_text("THIRD_PARTY_NOTICES.md")
    assert "LGPL" in notices
    assert "https://code.qt.io" in notices
