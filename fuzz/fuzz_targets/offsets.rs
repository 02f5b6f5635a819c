//! `OffsetConverter` against a reference built from `encode_utf16` and `chars`, for arbitrary
//! byte offsets (on or off character boundaries, past the end) in any order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nerlight::offsets::{len, OffsetConverter, Unit};

fuzz_target!(|data: &[u8]| {
    // The first bytes choose the queries, the rest is the text.
    let split = data
        .first()
        .map_or(0, |&n| 1 + (n as usize % 32) * 2)
        .min(data.len());
    let (queries, text) = data.split_at(split);
    let text = String::from_utf8_lossy(text);
    let text = text.as_ref();
    let queries: Vec<usize> = queries
        .chunks(2)
        .skip(1)
        .map(|q| q.iter().fold(0usize, |a, &b| a * 256 + b as usize) % (text.len() + 2))
        .collect();
    for unit in [Unit::Byte, Unit::Utf16, Unit::CodePoint] {
        let mut conv = OffsetConverter::new(text, unit);
        // Every boundary in order, then the fuzzer's queries in its order.
        let boundaries = text.char_indices().map(|(b, _)| b).chain([text.len()]);
        for b in boundaries.chain(queries.iter().copied()) {
            // Reference: round down to a char boundary, clamp to the length, count the prefix.
            let mut r = b.min(text.len());
            while !text.is_char_boundary(r) {
                r -= 1;
            }
            let expected = match unit {
                Unit::Byte => b.min(text.len()),
                Unit::Utf16 => text[..r].encode_utf16().count(),
                Unit::CodePoint => text[..r].chars().count(),
            };
            assert_eq!(
                conv.convert(b),
                expected,
                "{unit:?} at byte {b} of {text:?}"
            );
        }
        assert_eq!(conv.convert(usize::MAX), len(text, unit));
    }
});
