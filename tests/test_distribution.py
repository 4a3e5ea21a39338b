"""The wheel and the sdist (``python -m build``) hold the whole package: every module, the resources (label set, icons,
MIME type), the licence and notices, the ``annotator`` command and pyproject's version.

Building takes ~20 s and fetches setuptools into an isolated environment (network or a package index), so this runs
only when asked: ``python -m pytest -m slow tests/test_distribution.py``.
"""

from __future__ import annotations

import email
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
RESOURCES = [
    "annotator/resources/label_sets/attribution.json",
    "annotator/resources/icons/annotator.svg",
    *(f"annotator/resources/icons/annotator-{size}.png" for size in (16, 24, 32, 48, 64, 128, 256)),
    "annotator/resources/desktop/annotator-mime.xml",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    pytest.importorskip("build")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], check=True, capture_output=True)
    return out


def test_the_wheel_holds_the_package_its_resources_and_licences(built):
    wheel = built / f"annotator-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = f"annotator-{VERSION}.dist-info"
        metadata = email.message_from_bytes(archive.read(f"{dist_info}/METADATA"))
        entry_points = archive.read(f"{dist_info}/entry_points.txt").decode("utf-8")
    for package in PYPROJECT["tool"]["setuptools"]["packages"]:
        folder = package.replace(".", "/") if package != "annotator.resources" else "annotator/resources"
        assert f"{folder}/__init__.py" in names, package
    sources = {str(p.relative_to(ROOT)) for p in (ROOT / "annotator").rglob("*.py")}
    assert sources <= names
    assert set(RESOURCES) <= names
    assert {f"{dist_info}/licenses/LICENSE", f"{dist_info}/licenses/THIRD_PARTY_NOTICES.md"} <= names
    assert metadata["Version"] == VERSION
    assert metadata["License-Expression"] == "MIT"
    assert "annotator = annotator.__main__:main" in entry_points


def test_the_sdist_builds_the_same_wheel(built):
    with tarfile.open(built / f"annotator-{VERSION}.tar.gz") as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "THIRD_PARTY_NOTICES.md", "pyproject.toml", "README.md", "annotator/__main__.py"} <= names
    assert {name.replace("annotator/resources", "resources") for name in RESOURCES} <= names
