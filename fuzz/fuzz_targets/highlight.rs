//! Any text through both engines: no panic, and the span contract holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nerlight::Highlighter;
use nerlight_fuzz::check_spans;

thread_local! {
    // Built once: the model loads in milliseconds, but per input it would dominate.
    static ENGINES: [Highlighter; 2] = [Highlighter::rules_only(), Highlighter::new()];
}

fuzz_target!(|data: &[u8]| {
    // Text reaches the engine as `&str` (wasm-bindgen and the CLI both validate first); lossy
    // decoding keeps every input useful and adds U+FFFD, as a lone surrogate from JS would.
    let text = String::from_utf8_lossy(data);
    ENGINES.with(|engines| {
        for h in engines {
            check_spans(&text, &h.highlight(&text));
        }
    });
});
