//! The wasm binding, tested in headless Chromium through ChromeDriver (`CHROMEDRIVER` must point
//! at it; see `scripts/test.sh`). The same tests run in Node from `wasm_node.rs`.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod wasm_common;
