#!/usr/bin/env bash
# Install what building and testing nerlight needs, skipping whatever is already present.
#
#   bash scripts/setup.sh             # toolchain for the wasm build: target, wasm-bindgen, npm deps
#   bash scripts/setup.sh --browser   # ... plus Debian's Chromium and ChromeDriver, and Firefox ESR
#                                     #     (the extension's Firefox test), for browser tests
#
# Safe to run any number of times: every step checks first.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

want_browser=0
for arg in "$@"; do
    case "$arg" in
        --browser) want_browser=1 ;;
        *)
            echo "setup.sh: unknown argument: $arg" >&2
            exit 2
            ;;
    esac
done

say() { printf 'setup: %s\n' "$*"; }

# --- Rust target -------------------------------------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rust target wasm32-unknown-unknown present"
else
    say "adding rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi

# --- wasm-bindgen CLI ----------------------------------------------------------------------------
# The CLI must be exactly the version of the wasm-bindgen crate that is linked, or it refuses the
# module ("rust wasm file schema version ... does not match"). Cargo.lock is the truth; before a
# lock file exists, fall back to the `=x.y.z` pin in Cargo.toml.
wasm_bindgen_version() {
    if [[ -f Cargo.lock ]]; then
        awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
    fi
}
wb_version="$(wasm_bindgen_version)"
if [[ -z "$wb_version" ]]; then
    wb_version="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml | head -n1)"
fi
if [[ -z "$wb_version" ]]; then
    echo "setup.sh: cannot find the wasm-bindgen version in Cargo.lock or Cargo.toml" >&2
    exit 1
fi

installed_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$installed_wb" == "$wb_version" ]]; then
    say "wasm-bindgen-cli $wb_version present"
else
    say "installing wasm-bindgen-cli $wb_version (found: ${installed_wb:-none}); this takes a few minutes"
    cargo install wasm-bindgen-cli --version "$wb_version" --locked --force
fi

# --- npm devDependencies (binaryen's wasm-opt, playwright-core) -------------------------------
# `npm ci` wipes node_modules, so only run it when the installed tree is not the locked one.
# npm writes node_modules/.package-lock.json after a successful install; compare with the lock.
npm_is_current() {
    [[ -f node_modules/.package-lock.json ]] || return 1
    node -e '
        const fs = require("fs");
        const want = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
        const have = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages;
        for (const [path, meta] of Object.entries(want)) {
            if (path === "") continue;
            if (!have[path] || have[path].version !== meta.version) process.exit(1);
        }
    '
}
if npm_is_current; then
    say "npm packages present"
else
    say "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund
fi

# --- Browser (tests only) -----------------------------------------------------------------------
if [[ "$want_browser" == 1 ]]; then
    if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
        say "chromium and chromedriver present"
    else
        say "installing Debian's chromium and chromium-driver"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq chromium chromium-driver
    fi
    # The extension is also loaded in Firefox (tests/e2e/extension-firefox.test.mjs, over
    # WebDriver BiDi: no geckodriver needed).
    if [[ -x /usr/bin/firefox-esr ]]; then
        say "firefox-esr present"
    else
        say "installing Debian's firefox-esr"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq firefox-esr
    fi
fi

say "done"
