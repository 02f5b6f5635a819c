//! Arbitrary bytes as a model file: a clean error or a working engine, never a panic. Each input
//! is tried as it is (header, version, length and checksum checks) and again with its length and
//! checksum fixed up, so that mutations reach the parser behind the checksum.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nerlight::Highlighter;
use nerlight_fuzz::{check_spans, with_valid_checksum};

const TEXT: &str = "Iran’s envoy Hossein Amir-Abdollahian met Dr. Smith of the U.N. in Geneva \
on 12 March 2021 😀 and paid $5.2 million; mail a@b.org.";

fn load(bytes: &[u8]) {
    match Highlighter::from_model_bytes(bytes) {
        Err(e) => {
            let message = e.to_string();
            assert!(
                !message.is_empty() && !message.contains('\n'),
                "{message:?}"
            );
        }
        Ok(h) => {
            // Bytes that load must give an engine that keeps the span contract.
            check_spans(TEXT, &h.highlight(TEXT));
            let _ = h.labels();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    load(data);
    if let Some(fixed) = with_valid_checksum(data) {
        load(&fixed);
    }
});
