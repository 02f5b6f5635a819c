//! The statistical tagger: an averaged-perceptron sequence model over hashed features, with
//! Viterbi decoding, stored as a compact binary model file.
//!
//! A model file holds everything inference needs: the label set, int8 weights for the non-zero
//! rows of a hashed feature table, transition scores, the confidence calibration, and the
//! lexicons (word clusters, word frequencies, gazetteers) as fingerprint tables. It is
//! validated when loaded ([`Tagger::from_bytes`]); tagging itself never fails.
//!
//! # Model file format (version 2)
//!
//! All integers little-endian.
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `NERLIGHT` |
//! | 4 | format version (`2`; version 1 had BIO tags and no history features) |
//! | 4 | payload length |
//! | 4 | CRC-32 of the payload |
//! | … | payload: labels, table size, feature groups, weight scale, confidence calibration, transitions, row bitmap, weights (tag-major), lexicon |

use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock, TryLockError};

use crate::entity::Source;
use crate::tokenize::Token;
use crate::{Entity, Error, Label};

mod decode;
mod features;
mod format;
pub mod hash;
mod lexicon;

// The building blocks of the document-tagging loop, public for trainers (the `train` feature
// adds what assembles a model: the lexicon builder and the weight-setting constructors).
pub use decode::{decode, tag_count, tag_of, Decoder, Transitions};
pub use features::{group, DocState, Extractor, MAX_FEATURES};
pub use format::crc32;
use format::{Reader, Writer};
#[cfg(feature = "train")]
pub use lexicon::LexiconBuilder;
pub use lexicon::{Gaz, Lexicon};

/// The model embedded in the library: trained on OntoNotes 5.0, 18 entity types.
pub static DEFAULT_MODEL: &[u8] = include_bytes!("../../models/ontonotes.nlm");

/// The first bytes of every model file.
pub const MAGIC: &[u8; 8] = b"NERLIGHT";

/// The model format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 2;

const HEADER: usize = 20;

/// A trained sequence tagger, loaded from a model file.
///
/// Cloning one is cheap: the clone shares the decoded tables (megabytes) and gets its own
/// scratch buffers.
pub struct Tagger {
    labels: Vec<Label>,
    bits: u32,
    groups: u32,
    stride: usize,
    scale: f32,
    /// Confidence = sigmoid(`conf[0]` × margin + `conf[1]`).
    conf: [f32; 2],
    tables: Arc<Tables>,
    /// Buffers reused across calls; a call that finds them busy (another thread) uses its own.
    scratch: Mutex<Scratch>,
}

/// The big, immutable part of a model, shared by every clone of a [`Tagger`].
struct Tables {
    /// One bit per row of the hashed table: whether the row has weights.
    bitmap: Vec<u64>,
    /// Number of set bits before each bitmap word.
    rank: Vec<u32>,
    /// The weights of each stored row, `stride` per row (the tags, padded with zeros to a
    /// multiple of 16) so that summing a row is a few SIMD additions; a weight counts
    /// `weight × scale`.
    weights: Vec<i8>,
    trans: decode::Transitions,
    lexicon: Lexicon,
}

#[derive(Default)]
struct Scratch {
    extractor: Extractor,
    decoder: Decoder,
    emissions: Vec<f32>,
    starts: Vec<usize>,
    ends: Vec<usize>,
}

/// A document as the tagger reads it: the text, and what [`crate::tokenize`] and the rules
/// made of it.
#[derive(Clone, Copy, Debug)]
pub struct Doc<'a> {
    /// The text.
    pub text: &'a str,
    /// Its tokens ([`crate::tokenize::tokenize`]).
    pub tokens: &'a [Token],
    /// Its sentences as token ranges ([`crate::tokenize::sentences`]).
    pub sentences: &'a [Range<usize>],
    /// The rules' matches, which the model reads as features.
    pub rules: &'a [Entity],
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
            stride: self.stride,
            scale: self.scale,
            conf: self.conf,
            tables: Arc::clone(&self.tables),
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
        let tags = decode::tag_count(n);
        let bits = r.u8("table size")? as u32;
        if !(8..=24).contains(&bits) {
            return Err(Error::model("model file has an invalid feature table size"));
        }
        let groups = r.u32("feature groups")?;
        if groups & !features::group::ALL != 0 {
            return Err(Error::model("model file uses unknown feature groups"));
        }
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
        // Stored tag-major (it compresses better); used row-major with padded rows.
        let stride = stride(tags);
        let mut weights = vec![0i8; rows * stride];
        for (k, col) in by_tag.chunks_exact(rows.max(1)).enumerate().take(tags) {
            for (row, &w) in col.iter().enumerate() {
                weights[row * stride + k] = w as i8;
            }
        }
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
            stride,
            scale,
            conf,
            tables: Arc::new(Tables {
                bitmap,
                rank,
                weights,
                trans: decode::Transitions::new(tags, trans, start),
                lexicon,
            }),
            scratch: Mutex::default(),
        })
    }

    /// The embedded [`DEFAULT_MODEL`], decoded on the first call only: every tagger this returns
    /// shares the one copy of its tables, so each costs kilobytes (its scratch buffers) instead
    /// of the megabytes of a decoded model.
    pub fn embedded() -> Tagger {
        static EMBEDDED: OnceLock<Tagger> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                Tagger::from_bytes(DEFAULT_MODEL)
                    .expect("the embedded model is valid (tests/model.rs loads it)")
            })
            .clone()
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
        for &x in self
            .tables
            .trans
            .trans
            .iter()
            .chain(&self.tables.trans.start)
        {
            w.f32(x);
        }
        for word in &self.tables.bitmap {
            w.bytes.extend_from_slice(&word.to_le_bytes());
        }
        let rows = self.rows();
        w.u32(rows as u32);
        let mut dense = vec![0u8; rows * tags];
        for (row, w) in self.tables.weights.chunks_exact(self.stride).enumerate() {
            for (k, &x) in w[..tags].iter().enumerate() {
                dense[k * rows + row] = x as u8;
            }
        }
        w.bytes.extend_from_slice(&dense);
        self.tables.lexicon.write(&mut w);
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
        decode::tag_count(self.labels.len())
    }

    /// Number of stored (non-zero) rows.
    fn rows(&self) -> usize {
        self.tables.weights.len() / self.stride.max(1)
    }

    /// Where the weights of feature row `index` start in `weights`, if the row is stored.
    #[inline]
    fn row_start(&self, index: u32) -> Option<usize> {
        let word = (index >> 6) as usize;
        let bits = *self.tables.bitmap.get(word)?;
        let bit = 1u64 << (index & 63);
        if bits & bit == 0 {
            return None;
        }
        let r = self.tables.rank.get(word)? + (bits & (bit - 1)).count_ones();
        Some(r as usize * self.stride)
    }

    /// Sets `emissions` to each token's tag scores, from `rows` (`MAX_FEATURES` feature rows
    /// per token, see [`Extractor::sentence`]); `starts` and `ends` are scratch.
    ///
    /// The rows of the whole sentence are located first, then each token's are summed 16 tags
    /// at a time into one register-sized accumulator: the row reads (cache misses, the table is
    /// several MB) then have their addresses ready and overlap, instead of each waiting behind
    /// the previous row's lookup and sum.
    fn emissions(
        &self,
        rows: &[u32],
        starts: &mut Vec<usize>,
        ends: &mut Vec<usize>,
        emissions: &mut Vec<f32>,
    ) {
        const CHUNK: usize = 16;
        let t = self.tags();
        starts.clear();
        ends.clear();
        for feats in rows.chunks_exact(MAX_FEATURES) {
            for &r in feats {
                if r == u32::MAX {
                    break;
                }
                starts.extend(self.row_start(r));
            }
            ends.push(starts.len());
        }
        emissions.clear();
        let mut first = 0;
        for &end in ends.iter() {
            let token = starts.get(first..end).unwrap_or_default();
            first = end;
            for c in (0..t).step_by(CHUNK) {
                // At most MAX_FEATURES rows of |w| ≤ 127: the sums fit in i16.
                let mut acc = [0i16; CHUNK];
                for &s in token {
                    let Some(w) = self.tables.weights.get(s + c..s + c + CHUNK) else {
                        continue;
                    };
                    for (a, &w) in acc.iter_mut().zip(w) {
                        *a += w as i16;
                    }
                }
                let live = CHUNK.min(t - c);
                emissions.extend(acc[..live].iter().map(|&a| a as f32 * self.scale));
            }
        }
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
        self.tag_with(text, tokens, sentences, rules, None, out);
    }

    /// Whether this model reads features that look ahead over the whole document (so that a
    /// document tagged in pieces needs [`Tagger::fold`] over all of it first).
    pub fn looks_ahead(&self) -> bool {
        self.groups & group::DOCUMENT != 0
    }

    /// The first pass over one piece of a long document, before any piece is tagged with
    /// [`Tagger::tag_piece`]: folds what its words say about the document into `state`.
    pub fn fold(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Range<usize>],
        state: &mut DocState,
    ) {
        if !self.looks_ahead() {
            return;
        }
        match self.scratch.try_lock() {
            Ok(mut s) => s.extractor.fold(text, tokens, sentences, state),
            Err(TryLockError::Poisoned(p)) => p
                .into_inner()
                .extractor
                .fold(text, tokens, sentences, state),
            Err(TryLockError::WouldBlock) => {
                Extractor::default().fold(text, tokens, sentences, state)
            }
        }
    }

    /// [`Tagger::tag`] for one piece of a longer document, its pieces tagged in order with the
    /// same `state` (after [`Tagger::fold`] over every piece, when [`Tagger::looks_ahead`]): the
    /// entities are those of tagging the whole document at once, provided that no sentence
    /// crosses a cut.
    pub fn tag_piece(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Range<usize>],
        rules: &[Entity],
        state: &mut DocState,
        out: &mut Vec<Entity>,
    ) {
        self.tag_with(text, tokens, sentences, rules, Some(state), out);
    }

    fn tag_with(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Range<usize>],
        rules: &[Entity],
        state: Option<&mut DocState>,
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
        let Scratch {
            extractor,
            decoder,
            emissions,
            starts,
            ends,
        } = s;
        let doc = Doc {
            text,
            tokens,
            sentences,
            rules,
        };
        self.tag_document_with(extractor, decoder, &doc, state, |sent, rows, d| {
            let n = sent.len();
            self.emissions(rows, starts, ends, emissions);
            decode(d, emissions, n, &self.tables.trans, true);
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
        });
    }

    /// The one loop that tags a document, shared by inference ([`Tagger::tag`]) and training:
    /// the document's features are prepared, then for each non-empty sentence, in order, its
    /// feature rows (`MAX_FEATURES` per token, unused slots `u32::MAX`, for this model's table
    /// size, lexicon and feature groups) go to `step`, which scores and decodes them and must
    /// leave the sentence's tag path in `decoder.path`; that path becomes the history the
    /// features of the sentences after it see. A document whose tokens do not fit its text is
    /// skipped (`step` is never called), as are sentences outside its tokens.
    pub fn tag_document(
        &self,
        extractor: &mut Extractor,
        decoder: &mut Decoder,
        doc: &Doc<'_>,
        step: impl FnMut(Range<usize>, &[u32], &mut Decoder),
    ) {
        self.tag_document_with(extractor, decoder, doc, None, step);
    }

    /// [`Tagger::tag_document`], or with `state` one piece of a longer document.
    fn tag_document_with(
        &self,
        extractor: &mut Extractor,
        decoder: &mut Decoder,
        doc: &Doc<'_>,
        mut state: Option<&mut DocState>,
        mut step: impl FnMut(Range<usize>, &[u32], &mut Decoder),
    ) {
        let Doc {
            text,
            tokens,
            sentences,
            ..
        } = *doc;
        if tokens
            .iter()
            .any(|t| t.start >= t.end || t.end > text.len() || !text.is_char_boundary(t.start))
        {
            return;
        }
        match state.as_deref_mut() {
            Some(state) => extractor.prepare_piece(doc, &self.tables.lexicon, self.groups, state),
            None => extractor.prepare(doc, &self.tables.lexicon, self.groups),
        }
        for sent in sentences {
            if sent.start >= sent.end || sent.end > tokens.len() {
                continue;
            }
            extractor.sentence(sent.clone(), self.bits);
            decoder.path.clear();
            step(sent.clone(), &extractor.rows, decoder);
            extractor.record_path(sent.clone(), &decoder.path);
        }
        if let Some(state) = state {
            extractor.end_piece(state);
        }
    }
}

#[cfg(feature = "train")]
impl Tagger {
    /// A tagger with no weights yet, for a trainer: its labels (at most 120), feature table
    /// size (`2^bits` rows, `bits` in 8..=24), feature groups (a [`group`] bit set) and lexicon.
    pub fn untrained(
        labels: Vec<Label>,
        bits: u32,
        groups: u32,
        lexicon: Lexicon,
    ) -> Result<Tagger, Error> {
        if labels.is_empty() || labels.len() > 120 {
            return Err(Error::config("a model has between 1 and 120 labels"));
        }
        if !(8..=24).contains(&bits) {
            return Err(Error::config(
                "the feature table size must be 2^8 to 2^24 rows",
            ));
        }
        if groups & !group::ALL != 0 {
            return Err(Error::config("unknown feature groups"));
        }
        let t = decode::tag_count(labels.len());
        Ok(Tagger {
            labels,
            bits,
            groups,
            stride: stride(t),
            scale: 1.0,
            conf: [1.0, 0.0],
            tables: Arc::new(Tables {
                bitmap: vec![0; 1 << (bits - 6)],
                rank: vec![0; 1 << (bits - 6)],
                weights: Vec::new(),
                trans: Transitions::new(t, vec![0.0; t * t], vec![0.0; t]),
                lexicon,
            }),
            scratch: Mutex::default(),
        })
    }

    /// This tagger with new weights: `rows(r)` gives the int8 weights (one per tag, a weight
    /// counting `weight × scale`) of feature row `r` for every row of the table, all-zero rows
    /// are not stored; `trans` holds the `tags × tags` transition scores (previous tag major)
    /// and `start` each tag's score at a sentence's start.
    pub fn with_weights(
        &self,
        mut rows: impl FnMut(usize, &mut [i8]),
        scale: f32,
        trans: Vec<f32>,
        start: Vec<f32>,
    ) -> Tagger {
        let t = self.tags();
        let n = 1usize << self.bits;
        let mut bitmap = vec![0u64; n / 64];
        let mut weights = Vec::new();
        let mut q = vec![0i8; self.stride];
        for r in 0..n {
            q.fill(0);
            rows(r, &mut q[..t]);
            if q.iter().any(|&w| w != 0) {
                bitmap[r / 64] |= 1 << (r % 64);
                weights.extend_from_slice(&q);
            }
        }
        let mut rank = Vec::with_capacity(bitmap.len());
        let mut count = 0;
        for w in &bitmap {
            rank.push(count);
            count += w.count_ones();
        }
        Tagger {
            scale,
            tables: Arc::new(Tables {
                bitmap,
                rank,
                weights,
                trans: Transitions::new(t, trans, start),
                lexicon: self.tables.lexicon.clone(),
            }),
            ..self.clone()
        }
    }

    /// The confidence calibration: confidence = sigmoid(`a` × margin + `b`).
    pub fn confidence(&self) -> [f32; 2] {
        self.conf
    }

    /// Sets the confidence calibration (see [`Tagger::confidence`]).
    pub fn set_confidence(&mut self, conf: [f32; 2]) {
        self.conf = conf;
    }

    /// The lexicon the features consult.
    pub fn lexicon(&self) -> &Lexicon {
        &self.tables.lexicon
    }

    /// The feature table size, as `2^bits` rows.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// The feature groups this model reads (a [`group`] bit set).
    pub fn groups(&self) -> u32 {
        self.groups
    }

    /// Number of stored (non-zero) weight rows.
    pub fn stored_rows(&self) -> usize {
        self.rows()
    }

    /// The tag scores of a sentence's tokens from its feature rows (`MAX_FEATURES` per token,
    /// as [`Tagger::tag_document`] hands them over), `tags` per token: what decoding sees.
    pub fn emission_scores(&self, rows: &[u32], out: &mut Vec<f32>) {
        let (mut starts, mut ends) = (Vec::new(), Vec::new());
        self.emissions(rows, &mut starts, &mut ends, out);
    }

    /// The transition scores decoding uses.
    pub fn transitions(&self) -> &Transitions {
        &self.tables.trans
    }

    /// Feature row `r`'s weights in float (int8 × scale, one per tag), or `None` when the row is
    /// not stored (all zero).
    pub fn row_weights(&self, r: u32) -> Option<Vec<f32>> {
        let at = self.row_start(r)?;
        let row = self.tables.weights.get(at..at + self.tags())?;
        Some(row.iter().map(|&w| w as f32 * self.scale).collect())
    }

    /// The `tags × tags` transition scores (previous tag major) and each tag's score at a
    /// sentence's start, as [`Tagger::with_weights`] takes them.
    pub fn transition_scores(&self) -> (&[f32], &[f32]) {
        (&self.tables.trans.trans, &self.tables.trans.start)
    }
}

/// Row length in memory for `tags` tags: padded to a multiple of 16 so rows sum in whole SIMD
/// registers.
pub(crate) fn stride(tags: usize) -> usize {
    tags.next_multiple_of(16)
}

/// Calls `f(label index, first token, end token)` for each entity in a BILOU tag path. Paths
/// from the decoder are valid; others are read leniently (an `I`/`L` that continues nothing
/// starts an entity, a `B`/`I` that nothing continues ends one).
pub fn spans(path: &[u8], mut f: impl FnMut(usize, usize, usize)) {
    let mut open: Option<(usize, usize)> = None;
    for (j, &tag) in path.iter().enumerate() {
        let tag = tag as usize;
        let part = decode::part(tag);
        let k = (tag.max(1) - 1) / decode::WIDTH;
        let continues = matches!(part, 2 | 3) && open.is_some_and(|(o, _)| o == k);
        if !continues {
            if let Some((o, a)) = open.take() {
                f(o, a, j);
            }
            if tag != 0 {
                open = Some((k, j));
            }
        }
        if matches!(part, 3 | 4) {
            if let Some((o, a)) = open.take() {
                f(o, a, j + 1);
            }
        }
    }
    if let Some((k, a)) = open {
        f(k, a, path.len());
    }
}

#[cfg(test)]
mod tests {
    use super::spans;

    fn collect(path: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut v = Vec::new();
        spans(path, |k, a, b| v.push((k, a, b)));
        v
    }

    #[test]
    fn bilou_spans() {
        // O, B-0 I-0 L-0, U-1, U-1, B-1 L-1
        assert_eq!(
            collect(&[0, 1, 2, 3, 8, 8, 5, 7]),
            [(0, 1, 4), (1, 4, 5), (1, 5, 6), (1, 6, 8)]
        );
        // Invalid paths are read leniently: a lone L, and a B left open at the end.
        assert_eq!(collect(&[3, 0, 1]), [(0, 0, 1), (0, 2, 3)]);
        // An I of another type after B starts a new entity.
        assert_eq!(collect(&[1, 6, 7]), [(0, 0, 1), (1, 1, 3)]);
    }
}
