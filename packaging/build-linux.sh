#!/usr/bin/env bash
# Build the standalone Linux bundle: dist/annotator/ (runs without Python: ./annotator FILE) and
# dist/annotator-<version>-linux-<arch>.tar.gz of it.
#
#   packaging/build-linux.sh            (from anywhere; about 3-5 minutes)
#
# PyInstaller goes into a build venv of its own (build/bundle-venv), with annotator installed from this checkout
# (not editable), never into the project's environment. The bundle is a folder, not one file: Qt's libraries stay
# separate shared libraries a user can replace (LGPL v3, see THIRD_PARTY_NOTICES.md). It carries LICENSE and
# THIRD_PARTY_NOTICES.md (regenerated from the build venv's metadata). The xcb system libraries are not bundled: at
# start the app checks for them and names the missing ones (annotator/ui/system_libraries.py).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$ROOT/build"
VENV="$BUILD/bundle-venv"
DIST="$ROOT/dist"
PYTHON="${PYTHON:-python3}"

cd "$ROOT"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q "pyinstaller>=6.10" "$ROOT"
"$VENV/bin/pip" install -q --no-deps --force-reinstall "$ROOT"  # this checkout as it is now
# One THIRD_PARTY_NOTICES.md for the bundle, made from the build venv's metadata (the versions bundled): it replaces
# the checkout's copy in the installed annotator's .dist-info (which --copy-metadata bundles and Help -> About shows)
# and is the copy beside the executable; packaging/smoke-test.sh checks that the two are the same.
"$VENV/bin/python" packaging/third_party_notices.py "$BUILD/THIRD_PARTY_NOTICES.md"
INSTALLED_NOTICES="$("$VENV/bin/python" -c 'from importlib.metadata import distribution
print(next(f.locate() for f in distribution("annotator").files if f.name == "THIRD_PARTY_NOTICES.md"))')"
cp "$BUILD/THIRD_PARTY_NOTICES.md" "$INSTALLED_NOTICES"
VERSION="$("$VENV/bin/python" -c 'from annotator.app_info import version; print(version())')"

"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --name annotator \
    --distpath "$DIST" --workpath "$BUILD/pyinstaller" --specpath "$BUILD" \
    --collect-data annotator.resources \
    --collect-data trafilatura --collect-data justext --collect-data courlan --collect-data htmldate \
    --collect-data dateparser --collect-data tld --collect-data docx \
    --copy-metadata annotator \
    --add-data "$ROOT/LICENSE:." --add-data "$BUILD/THIRD_PARTY_NOTICES.md:." \
    --exclude-module tkinter --exclude-module spacy --exclude-module datasets --exclude-module pytest \
    "$ROOT/packaging/bundle_entry.py"
cp "$ROOT/LICENSE" "$BUILD/THIRD_PARTY_NOTICES.md" "$DIST/annotator/"

ARCHIVE="$DIST/annotator-$VERSION-linux-$(uname -m).tar.gz"
tar -C "$DIST" -czf "$ARCHIVE" annotator
echo "bundle: $DIST/annotator ($(du -sh "$DIST/annotator" | cut -f1)), archive: $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"
