"""What an install (not only an editable one) holds: every package of the source tree is listed in pyproject.toml;
and what packaging/smoke-test.sh checks of a bundle before starting it."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_under_annotator_is_installed():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "annotator").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert "annotator.resources" in listed


FAKE_BUNDLE = """#!/bin/sh
# a stand-in for the bundle's executable: "--smoke-test FILE" saves FILE's annotation file; "validate" passes
for last; do :; done
case "$1" in validate) exit 0;; esac
touch "${last%.txt}.annotations.json"
"""


def fake_bundle(folder: Path, notices: str, shown: str) -> Path:
    app = folder / "annotator"
    licenses = folder / "_internal" / "annotator-1.0.dist-info" / "licenses"
    licenses.mkdir(parents=True)
    app.write_text(FAKE_BUNDLE, encoding="utf-8")
    app.chmod(0o755)
    (folder / "THIRD_PARTY_NOTICES.md").write_text(notices, encoding="utf-8")
    (licenses / "THIRD_PARTY_NOTICES.md").write_text(shown, encoding="utf-8")
    return app


def run_smoke_test(app: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "packaging" / "smoke-test.sh"), str(app)], capture_output=True, text=True, timeout=300
    )


def test_the_smoke_test_fails_when_the_bundles_notices_differ_from_those_about_shows(tmp_path):
    result = run_smoke_test(fake_bundle(tmp_path, "# notices\n| PySide6 | 6.9 |\n", "# notices\n| PySide6 | 6.8 |\n"))
    assert result.returncode == 1
    assert result.stderr.startswith("smoke test failed: ") and "differs from" in result.stderr


@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="xvfb-run is not installed")
def test_the_smoke_test_passes_a_bundle_whose_notices_are_one_text(tmp_path):
    result = run_smoke_test(fake_bundle(tmp_path, "# notices\n", "# notices\n"))
    assert result.returncode == 0, result.stderr
    assert "smoke test passed" in result.stdout


@pytest.mark.parametrize("name", ["bundle-windows", "bundle-macos"])
def test_the_ci_bundle_workflows_build_as_the_linux_script_does(name):
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / f"{name}.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert "workflow_dispatch" in triggers and triggers["push"]["tags"] == ["v*"]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    assert all(("uses" in step) != ("run" in step) for step in steps)
    script = "\n".join(step.get("run", "") for step in steps)
    lines = (ROOT / "packaging" / "build-linux.sh").read_text(encoding="utf-8").splitlines()
    linux = "\n".join(line for line in lines if not line.startswith("#"))
    for option in ("--collect-data", "--copy-metadata"):
        for value in linux.split(f"{option} ")[1:]:
            assert f"{option} {value.split()[0]}" in script  # the same data as the Linux bundle
    assert "pillow" in script  # PyInstaller needs it for --icon from a PNG on Windows and macOS
    assert "THIRD_PARTY_NOTICES.md" in script and "distribution" in script  # one notices text, in the .dist-info too
    assert "--smoke-test" in script
