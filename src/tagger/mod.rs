//! The statistical tagger: an averaged-perceptron sequence model over hashed features, with
//! Viterbi decoding, stored as a compact binary model file.
//!
//! A model file holds everything inference needs: the label set, int8 weights for the non-zero
//! rows of a hashed feature table, transition scores, the confidence calibration, and the
//! lexicons (word clusters, word frequencies, gazetteers) as fingerprint tables. It is
//! validated when loaded ([`Tagger::from_bytes`]); tagging itself never fails.
//!
//! # Model file format (version 1)
//!
//! All integers little-endian.
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `NERLIGHT` |
//! | 4 | format version (`1`) |
//! | 4 | payload length |
//! | 4 | CRC-32 of the payload |
//! | … | payload: labels, table size, feature groups, weight scale, confidence calibration, transitions, row bitmap, weights (tag-major), lexicon |

use std::ops::Range;
use std::sync::{Mutex, TryLockError};

use crate::entity::Source;
use crate::tokenize::Token;
use crate::{Entity, Error, Label};

mod decode;
mod features;
mod format;
mod lexicon;
#[cfg(feature = "cli")]
pub mod train;

use decode::{decode, Decoder};
use features::{Extractor, MAX_FEATURES};
use format::{crc32, Reader, Writer};
use lexicon::Lexicon;

/// The model embedded in the library: trained on OntoNotes 5.0, 18 entity types.
pub static DEFAULT_MODEL: &[u8] = include_bytes!("../../models/ontonotes.nlm");

/// The first bytes of every model file.
pub const MAGIC: &[u8; 8] = b"NERLIGHT";

/// The model format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

const HEADER: usize = 20;

/// A trained sequence tagger, loaded from a model file.
pub struct Tagger {
    labels: Vec<Label>,
    bits: u32,
    groups: u32,
    /// One bit per row of the hashed table: whether the row has weights.
    bitmap: Vec<u64>,
    /// Number of set bits before each bitmap word.
    rank: Vec<u32>,
    /// The non-zero weights of each stored row, as `tag << 8 | weight as u8`; a weight counts
    /// `weight × scale`. Rows are sparse (about 6 of 37 tags), so this is several times less
    /// work per feature than dense rows.
    entries: Vec<u16>,
    /// Where each row's entries start in `entries` (one more than the number of rows).
    offsets: Vec<u32>,
    scale: f32,
    /// Confidence = sigmoid(`conf[0]` × margin + `conf[1]`).
    conf: [f32; 2],
    trans: Vec<f32>,
    start: Vec<f32>,
    lexicon: Lexicon,
    /// Buffers reused across calls; a call that finds them busy (another thread) uses its own.
    scratch: Mutex<Scratch>,
}

#[derive(Default)]
struct Scratch {
    extractor: Extractor,
    decoder: Decoder,
    emissions: Vec<f32>,
    acc: Vec<i32>,
}

impl std::fmt::Debug for Tagger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tagger")
            .field("labels", &self.labels)
            .field("rows", &self.rows())
            .finish_non_exhaustive()
    }
}

impl Clone for Tagger {
    fn clone(&self) -> Tagger {
        Tagger {
            labels: self.labels.clone(),
            bits: self.bits,
            groups: self.groups,
            bitmap: self.bitmap.clone(),
            rank: self.rank.clone(),
            entries: self.entries.clone(),
            offsets: self.offsets.clone(),
            scale: self.scale,
            conf: self.conf,
            trans: self.trans.clone(),
            start: self.start.clone(),
            lexicon: self.lexicon.clone(),
            scratch: Mutex::default(),
        }
    }
}

impl Tagger {
    /// Loads a model file, checking its magic number, version, checksum and every size in it.
    ///
    /// ```
    /// let tagger = nerlight::tagger::Tagger::from_bytes(nerlight::tagger::DEFAULT_MODEL).unwrap();
    /// assert!(tagger.labels().contains(&nerlight::Label::Person));
    /// assert!(nerlight::tagger::Tagger::from_bytes(b"not a model").is_err());
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, Error> {
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(Error::model("not a nerlight model (bad magic number)"));
        }
        if bytes.len() < HEADER {
            return Err(Error::model("model file is truncated (in the header)"));
        }
        let mut r = Reader::new(&bytes[8..HEADER]);
        let version = r.u32("header")?;
        if version != FORMAT_VERSION {
            return Err(Error::model(format!(
                "unsupported model format version {version} (this build reads version {FORMAT_VERSION})"
            )));
        }
        let len = r.u32("header")? as usize;
        let crc = r.u32("header")?;
        let payload = &bytes[HEADER..];
        if payload.len() < len {
            return Err(Error::model(format!(
                "model file is truncated ({} of {} payload bytes)",
                payload.len(),
                len
            )));
        }
        if payload.len() > len {
            return Err(Error::model(
                "model file has trailing bytes after the payload",
            ));
        }
        if crc32(payload) != crc {
            return Err(Error::model("model file is corrupt (checksum mismatch)"));
        }
        Tagger::read_payload(&mut Reader::new(payload))
    }

    fn read_payload(r: &mut Reader<'_>) -> Result<Tagger, Error> {
        let n = r.u8("labels")? as usize;
        if n == 0 || n > 120 {
            return Err(Error::model("model file has an invalid number of labels"));
        }
        let mut labels = Vec::with_capacity(n);
        for &b in r.take(n, "labels")? {
            let label = Label::from_index(b)
                .ok_or_else(|| Error::model(format!("model file has an unknown label {b}")))?;
            if labels.contains(&label) {
                return Err(Error::model("model file lists a label twice"));
            }
            labels.push(label);
        }
        let tags = 1 + 2 * n;
        let bits = r.u8("table size")? as u32;
        if !(8..=24).contains(&bits) {
            return Err(Error::model("model file has an invalid feature table size"));
        }
        let groups = r.u32("feature groups")?;
        let scale = r.f32("weight scale")?;
        let conf = [r.f32("confidence")?, r.f32("confidence")?];
        let trans = r.f32s(tags * tags, "transitions")?;
        let start = r.f32s(tags, "transitions")?;
        let words = 1usize << (bits - 6);
        let raw = r.take(words * 8, "row bitmap")?;
        let bitmap: Vec<u64> = raw
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        let mut rank = Vec::with_capacity(words);
        let mut count = 0u32;
        for w in &bitmap {
            rank.push(count);
            count += w.count_ones();
        }
        let rows = r.u32("weights")? as usize;
        if rows != count as usize {
            return Err(Error::model(
                "model file has a row count that does not match its bitmap",
            ));
        }
        let by_tag = r.take(rows.saturating_mul(tags), "weights")?;
        // Stored dense and tag-major (it compresses better); used sparse and row-major.
        let mut weights = vec![0i8; rows * tags];
        for (k, col) in by_tag.chunks_exact(rows.max(1)).enumerate().take(tags) {
            for (row, &w) in col.iter().enumerate() {
                weights[row * tags + k] = w as i8;
            }
        }
        let (entries, offsets) = sparse_rows(&weights, tags);
        let lexicon = Lexicon::read(r)?;
        if !r.is_empty() {
            return Err(Error::model(
                "model file has unread bytes at the end of its payload",
            ));
        }
        Ok(Tagger {
            labels,
            bits,
            groups,
            bitmap,
            rank,
            entries,
            offsets,
            scale,
            conf,
            trans,
            start,
            lexicon,
            scratch: Mutex::default(),
        })
    }

    /// Serializes the model (the inverse of [`Tagger::from_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let tags = self.tags();
        let mut w = Writer::default();
        w.u8(self.labels.len() as u8);
        for &l in &self.labels {
            w.u8(l as u8);
        }
        w.u8(self.bits as u8);
        w.u32(self.groups);
        w.f32(self.scale);
        w.f32(self.conf[0]);
        w.f32(self.conf[1]);
        for &x in self.trans.iter().chain(&self.start) {
            w.f32(x);
        }
        for word in &self.bitmap {
            w.bytes.extend_from_slice(&word.to_le_bytes());
        }
        let rows = self.rows();
        w.u32(rows as u32);
        let mut dense = vec![0u8; rows * tags];
        for row in 0..rows {
            for &e in &self.entries[self.offsets[row] as usize..self.offsets[row + 1] as usize] {
                dense[(e >> 8) as usize * rows + row] = e as u8;
            }
        }
        w.bytes.extend_from_slice(&dense);
        self.lexicon.write(&mut w);
        let payload = w.bytes;
        let mut out = Vec::with_capacity(HEADER + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&crc32(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        out
    }

    /// The entity types this model predicts.
    pub fn labels(&self) -> &[Label] {
        &self.labels
    }

    fn tags(&self) -> usize {
        1 + 2 * self.labels.len()
    }

    /// Number of stored (non-zero) rows.
    fn rows(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    #[inline]
    fn row(&self, index: u32) -> Option<&[u16]> {
        let word = (index >> 6) as usize;
        let bits = *self.bitmap.get(word)?;
        let bit = 1u64 << (index & 63);
        if bits & bit == 0 {
            return None;
        }
        let r = self.rank[word] as usize + (bits & (bit - 1)).count_ones() as usize;
        let (a, b) = (*self.offsets.get(r)?, *self.offsets.get(r + 1)?);
        self.entries.get(a as usize..b as usize)
    }

    /// Finds entities in `text` and appends them to `out` (with [`Source::Model`], byte
    /// offsets and a confidence in `0..=1`).
    ///
    /// `tokens` and `sentences` must come from [`crate::tokenize`] on `text`; `rules` are the
    /// rule matches, which the model uses as features. Runs in time linear in the number of
    /// tokens and never panics: ranges that do not fit `text` or `tokens` are skipped.
    pub fn tag(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Range<usize>],
        rules: &[Entity],
        out: &mut Vec<Entity>,
    ) {
        let mut fresh;
        let mut borrowed;
        let s: &mut Scratch = match self.scratch.try_lock() {
            Ok(b) => {
                borrowed = b;
                &mut borrowed
            }
            Err(TryLockError::Poisoned(p)) => {
                borrowed = p.into_inner();
                &mut borrowed
            }
            Err(TryLockError::WouldBlock) => {
                fresh = Scratch::default();
                &mut fresh
            }
        };
        if tokens
            .iter()
            .any(|t| t.start >= t.end || t.end > text.len() || !text.is_char_boundary(t.start))
        {
            return;
        }
        s.extractor
            .prepare(text, tokens, sentences, rules, &self.lexicon, self.groups);
        let t = self.tags();
        for sent in sentences {
            if sent.start >= sent.end || sent.end > tokens.len() {
                continue;
            }
            let n = sent.end - sent.start;
            s.extractor.sentence(sent.clone(), self.bits);
            s.emissions.clear();
            for j in 0..n {
                s.acc.clear();
                s.acc.resize(t, 0);
                for &r in &s.extractor.rows[j * MAX_FEATURES..(j + 1) * MAX_FEATURES] {
                    if r == u32::MAX {
                        break;
                    }
                    if let Some(row) = self.row(r) {
                        for &e in row {
                            if let Some(a) = s.acc.get_mut((e >> 8) as usize) {
                                *a += e as u8 as i8 as i32;
                            }
                        }
                    }
                }
                s.emissions
                    .extend(s.acc.iter().map(|&a| a as f32 * self.scale));
            }
            decode(
                &mut s.decoder,
                &s.emissions,
                n,
                t,
                &self.trans,
                &self.start,
                true,
            );
            let d = &s.decoder;
            spans(&d.path, |k, a, b| {
                let mut m = f32::INFINITY;
                for &x in &d.margins[a..(b + 1).min(n)] {
                    m = m.min(x);
                }
                let score = 1.0 / (1.0 + (-(self.conf[0] * m + self.conf[1])).exp());
                out.push(Entity {
                    start: tokens[sent.start + a].start,
                    end: tokens[sent.start + b - 1].end,
                    label: self.labels[k],
                    score: if score.is_finite() {
                        score.clamp(0.0, 1.0)
                    } else {
                        0.0
                    },
                    source: Source::Model,
                });
            });
        }
    }
}

/// Converts dense row-major weights (`tags` per row) into sparse entries and row offsets.
pub(crate) fn sparse_rows(weights: &[i8], tags: usize) -> (Vec<u16>, Vec<u32>) {
    let mut entries = Vec::new();
    let mut offsets = vec![0u32];
    for row in weights.chunks_exact(tags.max(1)) {
        for (k, &w) in row.iter().enumerate() {
            if w != 0 {
                entries.push((k as u16) << 8 | w as u8 as u16);
            }
        }
        offsets.push(entries.len() as u32);
    }
    (entries, offsets)
}

/// Calls `f(label index, first token, end token)` for each entity in a BIO tag path.
pub(crate) fn spans(path: &[u8], mut f: impl FnMut(usize, usize, usize)) {
    let mut open: Option<(usize, usize)> = None;
    for (j, &tag) in path.iter().enumerate() {
        let tag = tag as usize;
        let continues = decode::is_inside(tag) && open.is_some_and(|(k, _)| 2 + 2 * k == tag);
        if continues {
            continue;
        }
        if let Some((k, a)) = open.take() {
            f(k, a, j);
        }
        if tag != 0 {
            open = Some(((tag - 1) / 2, j));
        }
    }
    if let Some((k, a)) = open {
        f(k, a, path.len());
    }
}
