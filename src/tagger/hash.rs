//! The hashes features and lexicons share: a word's lookup key, a phrase's rolling hash, and
//! the mixing steps both are built from. Training and inference must agree on them bit for
//! bit, since the model stores only fingerprints of these hashes.

/// The starting value of a phrase's rolling hash (see [`phrase_step`]).
pub const PHRASE_SEED: u64 = 0x9e37_79b9_7f4a_7c15;
/// The multiplier of the hash steps.
pub(crate) const K: u64 = 0x517c_c1b7_2722_0a95;

/// MurmurHash3's 64-bit finalizer: a cheap, well-mixed permutation.
#[inline]
pub fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// One step of a hash over a sequence of values.
#[inline]
pub(crate) fn step(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(K)
}

/// Extends a phrase's hash by one word (given by its [`word_key`]).
#[inline]
pub fn phrase_step(h: u64, word: u64) -> u64 {
    step(h, fmix(word))
}

/// The hash the extractor looks a phrase of these words up by.
pub fn phrase_hash(words: &[&str]) -> u64 {
    words
        .iter()
        .fold(PHRASE_SEED, |h, w| phrase_step(h, word_key(w)))
}

/// The key a word is looked up by: its lowercase form, `’` as `'`.
pub fn word_key(word: &str) -> u64 {
    let mut h = 0x1234_5678;
    for c in word.chars() {
        for l in lower(c) {
            h = step(h, l as u64);
        }
    }
    h
}

/// A character as keys see it: lowercase, with curly single quotes as `'`.
#[inline]
pub(crate) fn lower(c: char) -> impl Iterator<Item = char> {
    let c = if c == '’' || c == '‘' { '\'' } else { c };
    c.to_lowercase()
}
