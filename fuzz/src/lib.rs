//! What every fuzz target asserts about a highlighter's output: the engine's own span-contract
//! checker ([`nerlight::entity::check_spans`]) and its model checksum ([`nerlight::tagger::crc32`]).

use nerlight::Entity;

/// Panics (a fuzz finding) where `entities` break the span contract for `text`.
pub fn check_spans(text: &str, entities: &[Entity]) {
    if let Err(e) = nerlight::entity::check_spans(text, entities) {
        panic!("{e}");
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
    fixed[16..20].copy_from_slice(&nerlight::tagger::crc32(&bytes[HEADER..]).to_le_bytes());
    Some(fixed)
}
