//! Word lists the features consult, stored compactly inside the model file: word clusters,
//! frequency buckets and gazetteer phrases, each keyed by a 29-bit fingerprint of the
//! lowercased word (or phrase) rather than its text.

use super::format::{rice_decode, rice_encode, Reader, Writer};
use crate::Error;

/// Fingerprint width: about one false match in 5,000 lookups for 100k entries.
const FINGERPRINT_BITS: u32 = 29;

/// Cluster levels kept below the finest one (`a` → `b` → `c` → `d`).
pub(crate) const CLUSTER_LEVELS: usize = 4;

/// Gazetteer kinds: a phrase's flags hold bit [`Gaz::bit`] of each kind it is listed under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Gaz {
    /// Countries.
    Country,
    /// Capital cities.
    Capital,
    /// Cities above a population threshold.
    City,
    /// US states.
    UsState,
    /// Continents.
    Continent,
    /// US counties.
    County,
    /// First names.
    FirstName,
    /// Surnames.
    Surname,
    /// Demonyms and nationalities.
    Demonym,
    /// Legal suffixes of company names ("Inc", "GmbH").
    OrgSuffix,
    /// People named in another annotated corpus (`nerlight train --gazetteer-corpus`): the
    /// entity strings of one corpus as a name list for a model of another, by coarse type.
    CorpusPerson,
    /// Organizations named in another corpus.
    CorpusOrg,
    /// Places named in another corpus.
    CorpusPlace,
    /// Other names (events, works, laws, products…) of another corpus.
    CorpusOther,
}

impl Gaz {
    /// The number of kinds: flags use bits `0..KINDS`.
    pub const KINDS: u32 = 14;

    /// This kind's bit in a phrase's flags.
    pub const fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// Reduces a 64-bit word or phrase hash to the fingerprint stored in the model.
#[inline]
pub(crate) fn fingerprint(hash: u64) -> u32 {
    (super::hash::fmix(hash) >> (64 - FINGERPRINT_BITS)) as u32
}

/// The lexicon: one sorted fingerprint table for single words (with cluster and frequency) and
/// one for gazetteer phrases (with kind flags).
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    words: Vec<u32>,
    /// Finest cluster id + 1 per word; 0 when the word has none.
    clusters: Vec<u16>,
    /// Zipf bucket + 1 per word; 0 when unknown.
    zipf: Vec<u8>,
    /// `parents[l][id]` is the id one level coarser than level `l`.
    parents: Vec<Vec<u16>>,
    phrases: Vec<u32>,
    phrase_flags: Vec<u16>,
    max_phrase: u8,
    /// Where each bucket of fingerprints (by their top [`BUCKET_BITS`] bits) starts in `words`
    /// and in `phrases`: a lookup is one or two cache misses instead of a binary search over
    /// the whole table. Built on load, not stored.
    word_buckets: Vec<u32>,
    phrase_buckets: Vec<u32>,
    /// Which phrase fingerprints may be in `phrases`: most phrase lookups (up to six a token)
    /// find nothing, and this answers them from a table small enough to stay in cache. Built
    /// on load, not stored.
    phrase_filter: Filter,
}

/// A set of fingerprints by their top bits, one bit each: no false negatives, and about one
/// false positive in 16 or fewer lookups of absent keys (16 or more bits per key).
#[derive(Clone, Debug, Default)]
struct Filter {
    bits: Vec<u64>,
    /// Fingerprint bits dropped to index `bits`.
    shift: u32,
}

impl Filter {
    fn new(keys: &[u32]) -> Filter {
        let size = (keys.len().max(1) * 16)
            .next_power_of_two()
            .clamp(64, 1 << FINGERPRINT_BITS);
        let shift = FINGERPRINT_BITS - size.trailing_zeros();
        let mut bits = vec![0u64; size / 64];
        for &k in keys {
            let i = (k >> shift) as usize;
            if let Some(w) = bits.get_mut(i / 64) {
                *w |= 1 << (i % 64);
            }
        }
        Filter { bits, shift }
    }

    #[inline]
    fn may_contain(&self, fp: u32) -> bool {
        let i = (fp >> self.shift) as usize;
        self.bits
            .get(i / 64)
            .is_some_and(|w| w >> (i % 64) & 1 != 0)
    }
}

const BUCKET_BITS: u32 = 16;

/// The start of each bucket in the sorted `keys`, plus their end.
fn buckets(keys: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity((1 << BUCKET_BITS) + 1);
    let mut i = 0;
    for b in 0..=(1u32 << BUCKET_BITS) {
        while i < keys.len() && (keys[i] >> (FINGERPRINT_BITS - BUCKET_BITS)) < b {
            i += 1;
        }
        out.push(i as u32);
    }
    out
}

/// The position of `fp` in the sorted `keys`, through their bucket index.
#[inline]
fn find(keys: &[u32], index: &[u32], fp: u32) -> Option<usize> {
    let b = (fp >> (FINGERPRINT_BITS - BUCKET_BITS)) as usize;
    let (lo, hi) = (*index.get(b)? as usize, *index.get(b + 1)? as usize);
    let i = keys.get(lo..hi)?.binary_search(&fp).ok()?;
    Some(lo + i)
}

/// What the lexicon knows about one word.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WordInfo {
    /// Cluster ids + 1 from finest to coarsest; 0 when unknown.
    pub clusters: [u16; CLUSTER_LEVELS],
    pub zipf: u8,
}

impl Lexicon {
    /// Longest gazetteer phrase, in tokens.
    pub(crate) fn max_phrase(&self) -> usize {
        self.max_phrase as usize
    }

    pub(crate) fn word(&self, key: u64) -> WordInfo {
        let mut info = WordInfo::default();
        let Some(i) = find(&self.words, &self.word_buckets, fingerprint(key)) else {
            return info;
        };
        info.zipf = self.zipf[i];
        let mut id = self.clusters[i];
        for level in 0..CLUSTER_LEVELS {
            if id == 0 {
                break;
            }
            info.clusters[level] = id;
            // Ids were validated on load, so the lookup is in bounds.
            id = match self.parents.get(level) {
                Some(p) => p.get(id as usize - 1).copied().unwrap_or(0),
                None => 0,
            };
        }
        info
    }

    /// The gazetteer kinds (a [`gaz`] bit set) of the phrase with this hash (see
    /// [`super::hash::phrase_hash`]); 0 when it is in none.
    pub fn phrase(&self, hash: u64) -> u16 {
        let fp = fingerprint(hash);
        if !self.phrase_filter.may_contain(fp) {
            return 0;
        }
        match find(&self.phrases, &self.phrase_buckets, fp) {
            Some(i) => self.phrase_flags[i],
            None => 0,
        }
    }

    /// Builds the bucket indexes of the fingerprint tables.
    fn indexed(mut self) -> Lexicon {
        self.word_buckets = buckets(&self.words);
        self.phrase_buckets = buckets(&self.phrases);
        self.phrase_filter = Filter::new(&self.phrases);
        self
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        let (k, bits) = rice_encode(&self.words);
        w.u32(self.words.len() as u32);
        w.u8(k);
        w.bytes(&bits);
        w.u16s(&self.clusters);
        w.bytes(&self.zipf);
        w.u8(self.parents.len() as u8);
        for p in &self.parents {
            w.u16s(p);
        }
        let (k, bits) = rice_encode(&self.phrases);
        w.u32(self.phrases.len() as u32);
        w.u8(k);
        w.bytes(&bits);
        w.u16s(&self.phrase_flags);
        w.u8(self.max_phrase);
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Lexicon, Error> {
        let words = read_fingerprints(r, "lexicon")?;
        let n = words.len();
        let clusters = r.u16s("lexicon clusters")?;
        let zipf = r.bytes("lexicon frequencies")?.to_vec();
        if clusters.len() != n || zipf.len() != n {
            return Err(Error::model(
                "model file has lexicon columns of the wrong length",
            ));
        }
        let levels = r.u8("cluster levels")? as usize;
        if levels >= CLUSTER_LEVELS {
            return Err(Error::model("model file has too many cluster levels"));
        }
        let mut parents = Vec::with_capacity(levels);
        for _ in 0..levels {
            parents.push(r.u16s("cluster levels")?);
        }
        // Every id must point inside the next level's table (ids are stored + 1).
        let mut size = parents.first().map_or(usize::MAX, Vec::len);
        if clusters.iter().any(|&c| c as usize > size) {
            return Err(Error::model("model file has a cluster id out of range"));
        }
        for l in 0..levels {
            size = parents.get(l + 1).map_or(usize::MAX, Vec::len);
            if parents[l].iter().any(|&c| c == 0 || c as usize > size) {
                return Err(Error::model("model file has a cluster id out of range"));
            }
        }
        let phrases = read_fingerprints(r, "gazetteer")?;
        let n = phrases.len();
        let phrase_flags = r.u16s("gazetteer")?;
        if phrase_flags.len() != n {
            return Err(Error::model(
                "model file has gazetteer columns of the wrong length",
            ));
        }
        if phrase_flags
            .iter()
            .any(|&f| u32::from(f) >> Gaz::KINDS != 0)
        {
            return Err(Error::model("model file uses unknown gazetteer kinds"));
        }
        let max_phrase = r.u8("gazetteer")?;
        if max_phrase > 8 {
            return Err(Error::model(
                "model file has gazetteer phrases that are too long",
            ));
        }
        Ok(Lexicon {
            words,
            clusters,
            zipf,
            parents,
            phrases,
            phrase_flags,
            max_phrase,
            word_buckets: Vec::new(),
            phrase_buckets: Vec::new(),
            phrase_filter: Filter::default(),
        }
        .indexed())
    }
}

/// Reads a sorted fingerprint table: its length, then its Rice code (parameter and bits).
fn read_fingerprints(r: &mut Reader<'_>, what: &str) -> Result<Vec<u32>, Error> {
    let n = r.u32(what)? as usize;
    let k = r.u8(what)?;
    let bits = r.bytes(what)?;
    if n > bits.len() * 8 {
        return Err(Error::model(format!("model file has a corrupt {what}")));
    }
    rice_decode(k, bits, n, what)
}

/// Builds a [`Lexicon`] from word lists (training only).
#[cfg(feature = "train")]
#[derive(Default)]
pub struct LexiconBuilder {
    words: std::collections::BTreeMap<u32, (u16, u8)>,
    phrases: std::collections::BTreeMap<u32, u16>,
    parents: Vec<Vec<u16>>,
    max_phrase: u8,
}

#[cfg(feature = "train")]
impl LexiconBuilder {
    /// Adds a word with its cluster path (finest first, ids from 0) and its Zipf bucket.
    pub fn word(&mut self, word: &str, path: Option<&[u16]>, zipf: Option<u8>) {
        let fp = fingerprint(super::hash::word_key(word));
        let entry = self.words.entry(fp).or_insert((0, 0));
        if let Some(path) = path {
            entry.0 = path[0] + 1;
            for l in 0..path.len().min(CLUSTER_LEVELS) - 1 {
                if self.parents.len() <= l {
                    self.parents.push(Vec::new());
                }
                let table = &mut self.parents[l];
                let id = path[l] as usize;
                if table.len() <= id {
                    table.resize(id + 1, 0);
                }
                table[id] = path[l + 1] + 1;
            }
        }
        if let Some(z) = zipf {
            entry.1 = z + 1;
        }
    }

    /// Adds a gazetteer phrase (tokenized the way text is) with a kind flag.
    pub fn phrase(&mut self, phrase: &str, flag: u16) {
        let tokens = crate::tokenize::tokenize(phrase);
        if tokens.is_empty() || tokens.len() > 6 {
            return;
        }
        let mut h = super::hash::PHRASE_SEED;
        for t in &tokens {
            h = super::hash::phrase_step(h, super::hash::word_key(t.text(phrase)));
        }
        *self.phrases.entry(fingerprint(h)).or_insert(0) |= flag;
        self.max_phrase = self.max_phrase.max(tokens.len() as u8);
    }

    /// The lexicon of everything added.
    pub fn build(mut self) -> Lexicon {
        // Parent ids that were never set (gaps) point at 1 so the table stays valid.
        for p in &mut self.parents {
            for v in p.iter_mut() {
                if *v == 0 {
                    *v = 1;
                }
            }
        }
        Lexicon {
            words: self.words.keys().copied().collect(),
            clusters: self.words.values().map(|v| v.0).collect(),
            zipf: self.words.values().map(|v| v.1).collect(),
            parents: self.parents,
            phrases: self.phrases.keys().copied().collect(),
            phrase_flags: self.phrases.values().copied().collect(),
            max_phrase: self.max_phrase,
            word_buckets: Vec::new(),
            phrase_buckets: Vec::new(),
            phrase_filter: Filter::default(),
        }
        .indexed()
    }
}

#[cfg(all(test, feature = "train"))]
mod tests {
    use super::*;
    use crate::tagger::hash::phrase_hash;

    #[test]
    fn phrases_round_trip_and_unknown_kinds_are_refused() {
        let mut b = LexiconBuilder::default();
        b.phrase("New York", Gaz::City.bit());
        b.phrase("new york", Gaz::CorpusPlace.bit());
        let lexicon = b.build();
        let mut w = Writer::default();
        lexicon.write(&mut w);
        let read = Lexicon::read(&mut Reader::new(&w.bytes)).unwrap();
        let h = phrase_hash(&["new", "york"]);
        assert_eq!(read.phrase(h), Gaz::City.bit() | Gaz::CorpusPlace.bit());
        assert_eq!(read.phrase(phrase_hash(&["york"])), 0);

        // A kind this build does not know (bit 15) is an error, not a silently ignored bit.
        let mut b = LexiconBuilder::default();
        b.phrase("Lima", 1 << 15);
        let mut w = Writer::default();
        b.build().write(&mut w);
        let e = Lexicon::read(&mut Reader::new(&w.bytes)).unwrap_err();
        assert!(e.to_string().contains("gazetteer kinds"), "{e}");
    }
}
