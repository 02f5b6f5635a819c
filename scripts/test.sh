#!/usr/bin/env bash
# The one test command: everything CI checks, in the order a failure is cheapest to find.
#
#   bash scripts/test.sh
#
# 1. setup (toolchain, npm packages, Chromium)   5. wasm tests, in Node and in Chromium
# 2. cargo fmt --check                           6. build the wasm (with size report) and the npm
# 3. cargo clippy, warnings are errors              package, then the browser extension from them
# 4. cargo test on the host                      7. end-to-end tests: the page, the extension, the
#                                                   npm package as a consumer installs it, and the
#                                                   examples
#
# Stops at the first failing step and exits non-zero.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

started=$SECONDS
setup_seconds=0
step_started=$SECONDS
current=""
step() {
    if [[ -n "$current" ]]; then
        printf '=== ok: %s (%ds)\n' "$current" $((SECONDS - step_started))
        if [[ "$current" == "setup" ]]; then
            setup_seconds=$((SECONDS - step_started))
        fi
    fi
    current="$1"
    step_started=$SECONDS
    printf '\n=== %s\n' "$current"
}
on_exit() {
    local rc=$?
    if [[ $rc -ne 0 ]]; then
        printf '\n=== FAILED: %s (exit %d, after %ds)\n' "$current" "$rc" $((SECONDS - started)) >&2
    fi
}
trap on_exit EXIT

step "setup"
bash scripts/setup.sh --browser

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (-D warnings)"
cargo clippy --locked --workspace --all-targets -- -D warnings
# The wasm-only code (src/wasm.rs, tests/wasm_*.rs) is invisible to the host build: lint it too.
cargo clippy --locked -p nerlight --all-targets --target wasm32-unknown-unknown -- -D warnings

step "cargo test (host)"
cargo test --locked --workspace

step "cargo package (the core crate alone, as a library user gets it)"
cargo package --locked -p nerlight --no-verify --quiet

step "wasm tests (wasm-bindgen-test: Node and Chromium)"
# Only the wasm_* test binaries: the other integration tests read files from disk, which a wasm
# module cannot. tests/wasm_browser.rs runs in Chromium through ChromeDriver.
CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test --locked -p nerlight --target wasm32-unknown-unknown --test wasm_node --test wasm_browser

step "build wasm and the npm package (www/pkg)"
bash scripts/build-wasm.sh

step "build extension (dist/extension, dist/nerlight-extension.zip)"
bash scripts/build-extension.sh

step "end-to-end tests (node --test, Chromium; the extension in Firefox ESR too)"
node --test tests/e2e/

step "done"
# The set-up is reported apart: on a fresh machine it compiles wasm-bindgen-cli and installs
# Chromium, which the time budget for the checks themselves does not count.
printf '=== all checks passed in %ds (set-up %ds, checks %ds)\n' $((SECONDS - started)) \
    "$setup_seconds" $((SECONDS - started - setup_seconds))
current=""
