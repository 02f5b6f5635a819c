#!/usr/bin/env bash
# Assemble the npm package `nerlight` around the wasm build: the engine (wasm-bindgen's glue and
# the optimised .wasm that scripts/build-wasm.sh writes into www/pkg/) plus the package's own
# modules and types (packages/nerlight/), in www/pkg/, where the page loads it from and
# scripts/build-extension.sh copies it from. The package's version is the crate's.
# scripts/build-wasm.sh runs this as its last step; it takes a fraction of a second.
#
#   bash scripts/build-wasm.sh                      # builds the engine, then this: www/pkg/
#   bash scripts/build-package.sh --pack DIR        # ... and the tarball (npm pack) into DIR
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

src=packages/nerlight
out=www/pkg
esbuild=node_modules/.bin/esbuild

die() {
    echo "build-package.sh: $*" >&2
    exit 1
}

pack_dir=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --pack) pack_dir="${2:?--pack needs a directory}"; shift 2 ;;
        *) die "unknown argument: $1" ;;
    esac
done

[[ -x "$esbuild" ]] || die "$esbuild not found; run: bash scripts/setup.sh"

[[ -f "$out/nerlight.js" && -f "$out/nerlight_bg.wasm" ]] || die "no engine in $out; run: bash scripts/build-wasm.sh"

version="$(awk '/^\[package\]/ { p = 1; next } /^\[/ { p = 0 } p && /^version = / { gsub(/version = |"/, ""); print; exit }' Cargo.toml)"
[[ -n "$version" ]] || die "no version in Cargo.toml's [package]"

# The modules and types as they are; the worker's thread as one self-contained file (glue
# included), so that a bundler that does not follow `new URL(..., import.meta.url)` needs only
# this file and the .wasm beside the bundle.
cp "$src"/index.js "$src"/node.js "$src"/worker.js "$src"/dom.js "$src"/spans.js "$src"/stream.js \
    "$src"/tasks.js "$src"/labelcheck.js "$src"/*.d.ts "$src"/README.md "$out"/
# (Bundled from a copy in $out, where the glue it imports is.)
cp "$src/engine-worker.js" "$out/engine-worker.src.js"
"$esbuild" "$out/engine-worker.src.js" --bundle --format=esm --log-level=warning --outfile="$out/engine-worker.js"
rm "$out/engine-worker.src.js"

# package.json with the crate's version.
node -e '
    const fs = require("fs");
    const [from, to, version] = process.argv.slice(1);
    const pkg = JSON.parse(fs.readFileSync(from, "utf8"));
    fs.writeFileSync(to, JSON.stringify({ name: pkg.name, version, ...pkg }, null, 2) + "\n");
' "$src/package.json" "$out/package.json" "$version"

# Every file the package lists, and every module its modules import, must be there.
node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const want = [...pkg.files];
    for (const f of pkg.files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
        const source = fs.readFileSync(path.join(dir, f), "utf8");
        for (const [, spec] of source.matchAll(/\bfrom\s+"(\.\/[^"]+)"/g)) want.push(spec);
    }
    const missing = want.filter((f) => !fs.existsSync(path.join(dir, f)));
    if (missing.length) { console.error("missing from the package:", [...new Set(missing)].join(", ")); process.exit(1); }
' "$out"

echo "package: $out/ (nerlight $version)"
if [[ -n "$pack_dir" ]]; then
    mkdir -p "$pack_dir"
    tarball="$(npm pack "./$out" --pack-destination "$pack_dir" --silent | tail -n1)"
    echo "tarball: $pack_dir/$tarball ($(stat -c %s "$pack_dir/$tarball") bytes)"
fi
