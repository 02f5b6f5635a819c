#!/usr/bin/env bash
# Build the WebAssembly module and its JS glue into www/pkg/, print a size report, and assemble
# the npm package around them there (scripts/build-package.sh).
#
#   bash scripts/build-wasm.sh
#
# Needs the tools scripts/setup.sh installs (it does not install them itself, so that it stays
# fast and never touches the network).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

out_dir=www/pkg
wasm_opt=node_modules/.bin/wasm-opt # binaryen from npm; Debian's older binaryen emits broken modules

die() {
    echo "build-wasm.sh: $*" >&2
    exit 1
}

command -v wasm-bindgen >/dev/null || die "wasm-bindgen not found; run: bash scripts/setup.sh"
[[ -x "$wasm_opt" ]] || die "$wasm_opt not found; run: bash scripts/setup.sh"

# 1. Compile the core crate alone (the CLI and the trainer are native only).
cargo build --locked -p nerlight --lib --target wasm32-unknown-unknown --profile wasm

target_dir="$(cargo metadata --format-version 1 --no-deps | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d));
    process.stdin.on("end", () => console.log(JSON.parse(s).target_directory));
')"
raw="$target_dir/wasm32-unknown-unknown/wasm/nerlight.wasm"
[[ -f "$raw" ]] || die "cargo did not produce $raw"

wasm="$out_dir/nerlight_bg.wasm"
glue="$out_dir/nerlight.js"

# Steps 2 and 3 take ~30 s; skip them when their inputs (the module cargo wrote, the tools'
# versions, this script) are those of the build already in www/pkg.
stamp_file="$out_dir/.build-stamp"
stamp="$( { sha256sum "$raw" "${BASH_SOURCE[0]}"; wasm-bindgen --version; "$wasm_opt" --version; } | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp_file" && -f "$wasm" && -f "$glue" && "$(head -n1 "$stamp_file")" == "$stamp" ]]; then
    bindgen_bytes="$(sed -n 2p "$stamp_file")"
    echo "build-wasm.sh: $out_dir is up to date (wasm-bindgen and wasm-opt skipped)"
else
# 2. Generate the ES-module glue. A version mismatch with the crate is an error here, which
#    setup.sh avoids by installing the CLI at the version in Cargo.lock.
rm -rf "$out_dir"
wasm-bindgen --target web --out-dir "$out_dir" "$raw"
bindgen_bytes="$(stat -c %s "$wasm")"

# 3. Shrink. The enabled features are those rustc turns on by default for this target plus
#    simd128 (.cargo/config.toml), so wasm-opt may keep (and use) them but adds nothing a current
#    browser lacks. No memory packing: it cuts the embedded model into segments around its runs
#    of zeros, which gzips worse than the model left whole (compare with node bench/size.mjs).
"$wasm_opt" -Oz \
    --skip-pass=memory-packing \
    --enable-simd \
    --enable-bulk-memory \
    --enable-multivalue \
    --enable-mutable-globals \
    --enable-nontrapping-float-to-int \
    --enable-reference-types \
    --enable-sign-ext \
    "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
printf '%s\n%s\n' "$stamp" "$bindgen_bytes" >"$stamp_file"
fi

# 4. Size report.
size() { stat -c %s "$1"; }
gz() { gzip -9 -c "$1" | wc -c; }
kib() { awk -v b="$1" 'BEGIN { printf "%8.1f KiB", b / 1024 }'; }
echo
echo "size report (www/pkg):"
printf '  %-34s %s\n' "wasm from cargo (raw)" "$(kib "$(size "$raw")")"
printf '  %-34s %s\n' "wasm after wasm-bindgen" "$(kib "$bindgen_bytes")"
printf '  %-34s %s\n' "wasm after wasm-opt -Oz" "$(kib "$(size "$wasm")")"
printf '  %-34s %s\n' "wasm after wasm-opt, gzip -9" "$(kib "$(gz "$wasm")")"
printf '  %-34s %s\n' "JS glue (nerlight.js)" "$(kib "$(size "$glue")")"
printf '  %-34s %s\n' "JS glue, gzip -9" "$(kib "$(gz "$glue")")"

# 5. The npm package (the page's worker client and the DOM painter come from it too).
bash scripts/build-package.sh
