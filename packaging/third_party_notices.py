"""Write THIRD_PARTY_NOTICES.md: the LGPL notice of Qt and Qt for Python, then every distribution annotator needs at
run time (its dependencies, transitively, without extras) with its version, licence and home page, read from the
installed metadata of the Python running this script.

    python packaging/third_party_notices.py [OUTPUT]      (default: THIRD_PARTY_NOTICES.md beside pyproject.toml)

Run it in the environment a bundle is built from (packaging/build-linux.sh does) so that the versions listed are the
ones bundled.
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEADER = """\
# Third-party notices

annotator itself is under the MIT licence (LICENSE). Installed from PyPI, it depends on the packages below; the
standalone bundle contains them (and the Python interpreter, under the PSF License), unmodified.

## Qt and Qt for Python (PySide6): GNU Lesser General Public License v3

The bundle contains Qt 6 and Qt for Python (PySide6, shiboken6) by The Qt Company, used under the GNU LGPL version 3
(https://www.gnu.org/licenses/lgpl-3.0.html, with the GNU GPL version 3 it builds on). Their source code is at
https://code.qt.io (qt/qtbase and the other Qt modules; pyside/pyside-setup for PySide6) and in the source
distributions at https://download.qt.io/official_releases/ and https://pypi.org/project/PySide6-Essentials/#files.
The Qt libraries are separate shared libraries in the bundle's folder (`_internal/PySide6/Qt/lib`), not linked into
annotator: you may replace them with your own build of the same Qt version (or install annotator with pip into an
environment with your own PySide6). The licence texts ship with PySide6 (`PySide6/*LICENSE*` in its wheel).

## krippendorff: GNU General Public License v3 or later

krippendorff (Krippendorff's alpha for inter-annotator agreement) is under the GNU GPL v3 or later. A bundle holding
it is therefore conveyed as a whole under the GPL v3 (annotator's MIT licence and Qt's LGPL v3 allow that); its
source is annotator's repository together with the packages' sources linked below.

## Python packages

| Package | Version | Licence | Home page |
| --- | --- | --- | --- |
"""


def _requirement_name(requirement: str) -> str | None:
    """The distribution name of one ``Requires-Dist`` entry, or ``None`` for one needed only with an extra."""
    if "extra ==" in requirement.replace('"', "").replace("'", ""):
        return None
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    return match.group(0) if match else None


def runtime_closure(root: str = "annotator") -> list[str]:
    """The names of the distributions ``root`` needs at run time, transitively (``root`` itself excluded), sorted
    case-insensitively; those not installed are skipped."""
    seen: dict[str, str] = {}
    todo = [root, *_source_tree_dependencies()]
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        seen[key] = dist.metadata["Name"]
        todo.extend(filter(None, (_requirement_name(r) for r in dist.requires or ())))
    seen.pop("annotator", None)
    return sorted(seen.values(), key=str.lower)


def _source_tree_dependencies() -> list[str]:
    """The names in ``pyproject.toml``'s ``[project] dependencies`` (an editable install's metadata may be older)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [name for name in map(_requirement_name, project["dependencies"]) if name]


def licence_of(name: str) -> str:
    """A distribution's licence: ``License-Expression``, else a short ``License`` field, else its classifiers."""
    meta = distribution(name).metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression
    text = (meta.get("License") or "").strip()
    if text and len(text) <= 60 and "\n" not in text:
        return text
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or () if c.startswith("License ::")]
    return "; ".join(classifiers) or (text.splitlines()[0][:60] if text else "see its metadata")


def home_page(name: str) -> str:
    """A distribution's home page (``Home-page`` or its first ``Project-URL``), or ``""``."""
    meta = distribution(name).metadata
    if meta.get("Home-page"):
        return str(meta["Home-page"])
    urls = meta.get_all("Project-URL") or []
    return urls[0].split(",", 1)[-1].strip() if urls else ""


def notices() -> str:
    """The whole THIRD_PARTY_NOTICES.md text."""
    rows = [
        f"| {name} | {distribution(name).version} | {licence_of(name).replace('|', '/')} | {home_page(name)} |"
        for name in runtime_closure()
    ]
    return HEADER + "\n".join(rows) + "\n"


def main(argv: list[str]) -> int:
    """Write the notices to ``argv[0]`` (default THIRD_PARTY_NOTICES.md at the project's root); returns 0."""
    target = Path(argv[0]) if argv else ROOT / "THIRD_PARTY_NOTICES.md"
    target.write_text(notices(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
