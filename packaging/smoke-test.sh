#!/usr/bin/env bash
# Start the bundle (default dist/annotator/annotator, or the command given) on a copy of the sample article under Xvfb
# (a real X server, so a missing xcb library shows, unlike QT_QPA_PLATFORM=offscreen): it opens the sample, saves its
# annotation file and exits 0 (annotator --smoke-test). Prints the start-to-exit time.
#
#   packaging/smoke-test.sh [COMMAND]      needs xvfb-run (apt-get install xvfb)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
APP="${1:-$ROOT/dist/annotator/annotator}"
HERE="$(dirname "$APP")"
if [ -f "$HERE/THIRD_PARTY_NOTICES.md" ]; then  # a bundle: its notices are one text (packaging/build-linux.sh)
  SHOWN=("$HERE"/_internal/annotator-*.dist-info/licenses/THIRD_PARTY_NOTICES.md)
  if ! cmp -s "$HERE/THIRD_PARTY_NOTICES.md" "${SHOWN[0]}"; then
    echo "smoke test failed: $HERE/THIRD_PARTY_NOTICES.md differs from ${SHOWN[0]} (shown in Help -> About)" >&2
    exit 1
  fi
fi
WORK="$(mktemp -d)"
trap '[ "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
cp "$ROOT"/sample_docs/000_3048e0f710b42604.txt "$ROOT"/sample_docs/000_3048e0f710b42604.annotations.json "$WORK/"
export ANNOTATOR_CONFIG_DIR="$WORK/config" ANNOTATOR_DATA_DIR="$WORK/data" ANNOTATOR_CACHE_DIR="$WORK/cache"
export ANNOTATOR_LOG_DIR="$WORK/logs"
unset QT_QPA_PLATFORM
BEFORE="$(sha256sum "$WORK/000_3048e0f710b42604.annotations.json")"
touch -d '2000-01-01' "$WORK/000_3048e0f710b42604.annotations.json"  # a save (atomic: a new file) shows as a newer time
START="$(date +%s.%N)"
# the sample's annotations are analyst's: open them as analyst, so that they are not read-only
xvfb-run -a -s "-screen 0 1280x800x24" "$APP" --annotator analyst --smoke-test "$WORK/000_3048e0f710b42604.txt"
END="$(date +%s.%N)"
test -s "$WORK/000_3048e0f710b42604.annotations.json"
if [ "$(stat -c %Y "$WORK/000_3048e0f710b42604.annotations.json")" -le 946771200 ]; then
  echo "smoke test failed: the annotation file was not saved" >&2
  exit 1
fi
"$APP" validate "$WORK/000_3048e0f710b42604.annotations.json"  # the saved file reads back (no Python needed)
echo "smoke test passed: opened, saved and exited 0 in $(echo "$END - $START" | bc) s (annotation file before: ${BEFORE%% *})"
