//! What every fuzz target asserts about a highlighter's output.

use nerlight::offsets::{OffsetConverter, Unit};
use nerlight::Entity;

/// The span contract: every entity is non-empty, in bounds, on character boundaries, sorted and
/// non-overlapping, with a score in `0..=1`; its UTF-16 and code-point offsets slice the same
/// text as its byte offsets.
pub fn check_spans(text: &str, entities: &[Entity]) {
    let mut prev_end = 0;
    for e in entities {
        assert!(e.start < e.end, "empty or reversed span {e:?}");
        assert!(e.end <= text.len(), "span past the end {e:?}");
        assert!(
            text.is_char_boundary(e.start) && text.is_char_boundary(e.end),
            "span splits a character {e:?}"
        );
        assert!(e.start >= prev_end, "unsorted or overlapping {e:?}");
        assert!((0.0..=1.0).contains(&e.score), "score out of range {e:?}");
        prev_end = e.end;
    }
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let chars: Vec<char> = text.chars().collect();
    let mut c16 = OffsetConverter::new(text, Unit::Utf16);
    let mut ccp = OffsetConverter::new(text, Unit::CodePoint);
    for e in entities {
        let (s, t) = (c16.convert(e.start), c16.convert(e.end));
        assert_eq!(String::from_utf16(&utf16[s..t]).unwrap(), e.text(text));
        let (s, t) = (ccp.convert(e.start), ccp.convert(e.end));
        assert_eq!(chars[s..t].iter().collect::<String>(), e.text(text));
    }
}

/// The model header's length and CRC-32 fields rewritten to match `bytes`' payload, so that a
/// mutated model gets past the checksum and exercises the parser behind it. `None` if `bytes`
/// is too short to have a header.
pub fn with_valid_checksum(bytes: &[u8]) -> Option<Vec<u8>> {
    const HEADER: usize = 20;
    if bytes.len() < HEADER {
        return None;
    }
    let mut fixed = bytes.to_vec();
    let payload_len = u32::try_from(bytes.len() - HEADER).ok()?;
    fixed[12..16].copy_from_slice(&payload_len.to_le_bytes());
    fixed[16..20].copy_from_slice(&crc32(&bytes[HEADER..]).to_le_bytes());
    Some(fixed)
}

/// CRC-32 (IEEE 802.3, reflected), as in the model file's header.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}
