#!/usr/bin/env bash
# Build the browser extension into dist/extension/ and zip it as dist/nerlight-extension.zip.
#
#   bash scripts/build-extension.sh
#
# The engine and the DOM painter come from the npm package in www/pkg (scripts/build-wasm.sh); it
# is built first only when missing, so this step costs no compile time after the page's build.
# NERLIGHT_PKG=DIR takes them from another build's pkg directory instead.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

src=extension
out=dist/extension
zip_path=dist/nerlight-extension.zip

die() {
    echo "build-extension.sh: $*" >&2
    exit 1
}

pkg="${NERLIGHT_PKG:-www/pkg}"
if [[ -z "${NERLIGHT_PKG:-}" && ( ! -f "$pkg/nerlight.js" || ! -f "$pkg/nerlight_bg.wasm" || ! -f "$pkg/dom.js" ) ]]; then
    bash scripts/build-wasm.sh
fi
[[ -f "$pkg/nerlight.js" && -f "$pkg/nerlight_bg.wasm" ]] || die "no engine build in $pkg"

rm -rf "$out" "$zip_path"
mkdir -p "$out/engine" "$out/icons"
cp "$src"/manifest.json "$src"/background.js "$src"/sites.js \
    "$src"/popup.html "$src"/popup.js "$src"/popup.css "$out"/
cp "$src"/icons/*.png "$out/icons/"
# The page's pure modules the popup shares with it: the legend's order, grouping, plural forms
# (entities.js) and the dark theme's label fills (colors.js).
cp www/entities.js www/colors.js "$out"/
# The npm package's modules the extension uses (the engine, its streaming, the DOM painter).
for f in index.js nerlight.js nerlight_bg.wasm stream.js tasks.js dom.js spans.js labelcheck.js; do
    [[ -f "$pkg/$f" ]] || die "no $f in $pkg (run: bash scripts/build-wasm.sh)"
    cp "$pkg/$f" "$out/engine/"
done
# The content script is injected as a classic script, which cannot import: one bundle of it and
# the package's nerlight/dom.
cp "$src/content.js" "$out/content.src.js"
node_modules/.bin/esbuild "$out/content.src.js" --bundle --format=iife --log-level=warning --outfile="$out/content.js"
rm "$out/content.src.js"

# Everything the manifest names must be in the package.
node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    const m = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    const files = [m.background.service_worker, ...m.background.scripts, m.action.default_popup,
        ...Object.values(m.icons), ...Object.values(m.action.default_icon)];
    // And every module a packaged script imports by a relative path.
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".js"))) {
        const source = fs.readFileSync(path.join(dir, f), "utf8");
        for (const [, spec] of source.matchAll(/^import\s[^;]*?from\s+"(\.{1,2}\/[^"]+)"/gms)) files.push(spec);
    }
    const missing = files.filter((f) => !fs.existsSync(path.join(dir, f)));
    if (missing.length) { console.error("missing from the package:", missing.join(", ")); process.exit(1); }
' "$out"

# A reproducible zip (fixed timestamps, sorted names), written by python3 so that no zip tool is
# needed on a fresh machine.
python3 - "$out" "$zip_path" <<'PY'
import os, sys, zipfile
src, dest = sys.argv[1], sys.argv[2]
names = sorted(
    os.path.relpath(os.path.join(d, f), src) for d, _, files in os.walk(src) for f in files
)
with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name in names:
        info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with open(os.path.join(src, name), "rb") as f:
            z.writestr(info, f.read())
PY

echo "extension: $out/ and $zip_path ($(stat -c %s "$zip_path") bytes)"
