#!/usr/bin/env bash
# Build the browser extension into dist/extension/ and zip it as dist/nerlight-extension.zip.
#
#   bash scripts/build-extension.sh
#
# The engine comes from www/pkg (scripts/build-wasm.sh); it is built first only when missing, so
# this step costs no compile time after the page's build. NERLIGHT_PKG=DIR takes the engine from
# another build's pkg directory instead.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

src=extension
out=dist/extension
zip_path=dist/nerlight-extension.zip

die() {
    echo "build-extension.sh: $*" >&2
    exit 1
}

command -v zip >/dev/null || die "zip not found (apt-get install zip)"
pkg="${NERLIGHT_PKG:-www/pkg}"
if [[ -z "${NERLIGHT_PKG:-}" && ( ! -f "$pkg/nerlight.js" || ! -f "$pkg/nerlight_bg.wasm" ) ]]; then
    bash scripts/build-wasm.sh
fi
[[ -f "$pkg/nerlight.js" && -f "$pkg/nerlight_bg.wasm" ]] || die "no engine build in $pkg"

rm -rf "$out" "$zip_path"
mkdir -p "$out/engine" "$out/icons"
cp "$src"/manifest.json "$src"/background.js "$src"/content.js \
    "$src"/popup.html "$src"/popup.js "$src"/popup.css "$out"/
cp "$src"/icons/*.png "$out/icons/"
cp "$pkg/nerlight.js" "$pkg/nerlight_bg.wasm" "$out/engine/"

# Everything the manifest names must be in the package.
node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    const m = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    const files = [m.background.service_worker, ...m.background.scripts, m.action.default_popup,
        ...Object.values(m.icons), ...Object.values(m.action.default_icon)];
    const missing = files.filter((f) => !fs.existsSync(path.join(dir, f)));
    if (missing.length) { console.error("missing from the package:", missing.join(", ")); process.exit(1); }
' "$out"

# A reproducible zip: fixed timestamps, sorted names, no extra attributes.
find "$out" -exec touch -h -d '2000-01-01 00:00:00Z' {} +
(cd "$out" && find . -type f | LC_ALL=C sort | zip -q -X -9 -@ "../$(basename "$zip_path")")

echo "extension: $out/ and $zip_path ($(stat -c %s "$zip_path") bytes)"
