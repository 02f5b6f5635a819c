//! The wasm binding, tested in Node (`cargo test --target wasm32-unknown-unknown`; see
//! `scripts/test.sh`). The same tests run in Chromium from `wasm_browser.rs`.
#![cfg(target_arch = "wasm32")]

mod wasm_common;
