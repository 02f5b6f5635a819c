//! Feature extraction, shared by training and inference so that both see exactly the same
//! features: each token becomes a handful of hashed "atoms" (its lowercase form, shape,
//! affixes, clusters, gazetteer and rule matches, what the rest of the document says about the
//! word), and features are hashed combinations of atoms that index rows of the weight table.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use super::hash::{fmix, lower, phrase_step, step, K, PHRASE_SEED};
use super::lexicon::{Gaz, Lexicon, CLUSTER_LEVELS};
use super::Doc;
use crate::tokenize::{Token, TokenKind};

/// Feature groups a model was trained with (a bit set stored in the model file).
pub mod group {
    /// Word clusters at several levels.
    pub const CLUSTERS: u32 = 1 << 0;
    /// Word frequency (Zipf) buckets.
    pub const FREQ: u32 = 1 << 1;
    /// Gazetteer phrase matches.
    pub const GAZETTEER: u32 = 1 << 2;
    /// The exact rules' matches.
    pub const RULES: u32 = 1 << 3;
    /// What the rest of the document says about the word (capitalized mid-sentence, lowercase).
    pub const DOCUMENT: u32 = 1 << 4;
    /// How the model labelled the same word earlier in the document.
    pub const HISTORY: u32 = 1 << 5;
    /// Every group.
    pub const ALL: u32 = CLUSTERS | FREQ | GAZETTEER | RULES | DOCUMENT | HISTORY;

    /// Each group's name (as `nerlight train --groups` takes it) and bit.
    pub const NAMES: [(&str, u32); 6] = [
        ("clusters", CLUSTERS),
        ("freq", FREQ),
        ("gazetteer", GAZETTEER),
        ("rules", RULES),
        ("document", DOCUMENT),
        ("history", HISTORY),
    ];

    /// The names of the groups in `groups`.
    pub fn names(groups: u32) -> Vec<&'static str> {
        NAMES
            .iter()
            .filter(|&&(_, bit)| groups & bit != 0)
            .map(|&(name, _)| name)
            .collect()
    }

    /// The groups of a comma-separated list of names (`none` for none).
    pub fn parse(list: &str) -> Result<u32, String> {
        let mut groups = 0;
        for name in list.split(',').filter(|g| !g.is_empty() && *g != "none") {
            groups |= NAMES
                .iter()
                .find(|&&(n, _)| n == name)
                .map(|&(_, bit)| bit)
                .ok_or_else(|| format!("unknown feature group {name:?}"))?;
        }
        Ok(groups)
    }
}

/// Capitalization of a token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Cap {
    #[default]
    NoLetters,
    Lower,
    Title,
    Upper,
    Mixed,
}

/// Everything features need to know about one token, computed once per token.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Atoms {
    key: u64,
    lc: u64,
    form: u64,
    shape: u64,
    pre3: u64,
    suf2: u64,
    suf3: u64,
    suf4: u64,
    cap: Cap,
    kind: u8,
    clusters: [u16; CLUSTER_LEVELS],
    zipf: u8,
    gaz_b: u16,
    gaz_i: u16,
    /// Kinds of the gazetteer phrases that end at this token.
    gaz_l: u16,
    /// 0 for none, else 1 + 2 × label + (1 inside a match).
    rule: u8,
    doc: u8,
    /// What earlier sentences of the document said about the word (see [`History::code`]).
    hist: u16,
    sent_initial: bool,
    caps_sentence: bool,
}

/// Document-level bits about a word (by its lowercase key).
const DOC_LOWER: u8 = 1;
const DOC_CAP_MID: u8 = 2;

/// How a word (by its lowercase key) was labelled so far in a document: up to four labels
/// (`0` = outside any entity, else 1 + label index) with their counts, and where in an entity
/// it last stood.
#[derive(Clone, Copy, Debug, Default)]
struct History {
    labels: [u8; 4],
    counts: [u8; 4],
    total: u8,
    /// Position in the last entity it was part of: 0 alone, 1 first, 2 middle, 3 last.
    pos: u8,
}

impl History {
    fn add(&mut self, label: u8, pos: u8) {
        self.total = self.total.saturating_add(1);
        if label != 0 {
            self.pos = pos;
        }
        if let Some(i) = (0..4).find(|&i| self.counts[i] > 0 && self.labels[i] == label) {
            self.counts[i] = self.counts[i].saturating_add(1);
            return;
        }
        // A new label takes the slot with the smallest count.
        let i = (0..4).min_by_key(|&i| self.counts[i]).unwrap_or(0);
        self.labels[i] = label;
        self.counts[i] = 1;
    }

    /// `0` when the word was never part of an entity; else its most frequent entity label + 1,
    /// with how often it got that label (bits 8–9: always, at least half the time, less) and
    /// its position in the last entity (bits 10–11).
    fn code(&self) -> u16 {
        let mut best = None;
        for i in 0..4 {
            if self.labels[i] != 0
                && self.counts[i] > 0
                && best.is_none_or(|b: usize| self.counts[i] > self.counts[b])
            {
                best = Some(i);
            }
        }
        let Some(b) = best else { return 0 };
        let (c, t) = (self.counts[b] as u32, self.total as u32);
        let share = if c == t {
            1
        } else if 2 * c >= t {
            2
        } else {
            3
        };
        self.labels[b] as u16 | share << 8 | (self.pos as u16) << 10
    }
}

#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = step(self.0, b as u64);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

type DocMap = HashMap<u64, u8, BuildHasherDefault<IdHasher>>;

/// What the sentences of a document tagged so far, and the whole document, say about its words:
/// carried from piece to piece when a long text is tagged in pieces, so that the pieces are
/// tagged exactly as the whole text would be. One small entry per distinct word.
#[derive(Clone, Default)]
pub struct DocState {
    /// DOCUMENT bits per word key, folded over the whole document.
    doc: DocMap,
    /// HISTORY per word key, over the sentences tagged so far.
    history: HashMap<u64, History, BuildHasherDefault<IdHasher>>,
}

impl std::fmt::Debug for DocState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocState")
            .field("words", &self.doc.len())
            .field("history", &self.history.len())
            .finish()
    }
}

/// Folds the DOCUMENT bits of `atoms` (a word's lowercase and mid-sentence capitalized uses)
/// into `doc`.
fn fold_document_bits(atoms: &[Atoms], doc: &mut DocMap) {
    for a in atoms {
        let bit = match a.cap {
            Cap::Lower => DOC_LOWER,
            Cap::Title | Cap::Upper if !a.sent_initial && !a.caps_sentence => DOC_CAP_MID,
            _ => 0,
        };
        if bit != 0 {
            *doc.entry(a.key).or_insert(0) |= bit;
        }
    }
}

/// Reusable buffers for extraction, so that tagging allocates nothing per token.
#[derive(Default)]
pub struct Extractor {
    atoms: Vec<Atoms>,
    chars: Vec<char>,
    doc: DocMap,
    history: HashMap<u64, History, BuildHasherDefault<IdHasher>>,
    groups: u32,
    /// Feature rows of the current sentence, `MAX_FEATURES` per token (unused slots are
    /// `u32::MAX`).
    pub(crate) rows: Vec<u32>,
    /// Scratch for [`Extractor::record_path`].
    spans: Vec<(usize, usize, usize)>,
    /// Training only ([`Extractor::set_word_dropout`]): the share of capitalized tokens, out
    /// of `2^32`, whose word features are left out, and the generator's state.
    dropout: (u64, u64),
}

/// The value a token's word atoms (`lc`, `form`) take while it is dropped in training: any
/// feature of it is left out ([`Feats::add`]), as for a word the model never saw.
const DROPPED: u64 = u64::MAX;

/// Feature slots per token in a sentence's feature rows: the most features one token can have
/// (`token_features`: 19 word and context templates, 1 for all-caps sentences, 4 cluster
/// levels, 9 cluster and frequency templates, 5 per gazetteer kind, 3 rule, 2 document and 3
/// history templates), so that none is ever dropped. The worst case is tested
/// (`tests::the_worst_case_token_fits`). With weights `|w| ≤ 127`, a token's sum stays within
/// `111 × 127 < i16::MAX`, which the engine's `i16` accumulators rely on.
pub const MAX_FEATURES: usize = 20 + 4 + 9 + 5 * Gaz::KINDS as usize + 3 + 2 + 3;

impl Extractor {
    /// Word dropout, for training only: from now on, each capitalized token of a sentence
    /// ([`Extractor::sentence`]) loses, with probability `rate`, every feature built from its
    /// word (its lowercase and exact forms, alone or beside a neighbour's), the way a name never
    /// seen in training has none at inference. The weights then fall on what does generalize
    /// to unseen names (clusters, shape, affixes, context, gazetteers) instead of all on the
    /// word itself. `seed` makes the choice reproducible. A rate of 0 turns it off (the
    /// default; inference never turns it on).
    pub fn set_word_dropout(&mut self, rate: f64, seed: u64) {
        let threshold = (rate.clamp(0.0, 1.0) * 4_294_967_296.0) as u64;
        self.dropout = (threshold, seed);
    }

    /// Computes the atoms of every token of a document.
    pub(crate) fn prepare(&mut self, doc: &Doc<'_>, lexicon: &Lexicon, groups: u32) {
        self.doc.clear();
        self.history.clear();
        self.prepare_tokens(doc, lexicon, groups);
        if groups & group::DOCUMENT != 0 {
            let mut doc = std::mem::take(&mut self.doc);
            fold_document_bits(&self.atoms, &mut doc);
            self.set_document_bits(&doc);
            self.doc = doc;
        }
    }

    /// Like [`Extractor::prepare`] for one piece of a longer document: the DOCUMENT bits come
    /// from `state` (folded over the whole document first, see [`Extractor::fold`]) and the
    /// history of the earlier pieces is taken from `state`; give it back with
    /// [`Extractor::end_piece`] once the piece's sentences are tagged.
    pub(crate) fn prepare_piece(
        &mut self,
        doc: &Doc<'_>,
        lexicon: &Lexicon,
        groups: u32,
        state: &mut DocState,
    ) {
        self.prepare_tokens(doc, lexicon, groups);
        if groups & group::DOCUMENT != 0 {
            self.set_document_bits(&state.doc);
        }
        std::mem::swap(&mut self.history, &mut state.history);
    }

    /// Gives the history, now including this piece's sentences, back to `state`.
    pub(crate) fn end_piece(&mut self, state: &mut DocState) {
        std::mem::swap(&mut self.history, &mut state.history);
        self.history.clear();
    }

    /// The first pass over one piece of a long document: folds the DOCUMENT bits of its tokens
    /// into `state` (one entry per distinct word; nothing per token is kept).
    pub(crate) fn fold(
        &mut self,
        text: &str,
        tokens: &[Token],
        sentences: &[Range<usize>],
        state: &mut DocState,
    ) {
        self.token_atoms(text, tokens, sentences);
        fold_document_bits(&self.atoms, &mut state.doc);
    }

    /// Each token's atoms and its sentence's flags.
    fn token_atoms(&mut self, text: &str, tokens: &[Token], sentences: &[Range<usize>]) {
        self.atoms.clear();
        for t in tokens {
            let a = atoms(treebank_quote(text, t), t.kind, &mut self.chars);
            self.atoms.push(a);
        }
        for s in sentences {
            let Some(sent) = self.atoms.get_mut(s.clone()) else {
                continue;
            };
            let mut letters = 0;
            let mut upper = 0;
            for a in sent.iter() {
                if a.cap != Cap::NoLetters {
                    letters += 1;
                    upper += (a.cap == Cap::Upper) as usize;
                }
            }
            let caps = letters >= 3 && upper * 10 >= letters * 8;
            for (i, a) in sent.iter_mut().enumerate() {
                a.caps_sentence = caps;
                a.sent_initial = i == 0;
            }
        }
    }

    /// Every atom except the DOCUMENT bits.
    fn prepare_tokens(&mut self, doc: &Doc<'_>, lexicon: &Lexicon, groups: u32) {
        let Doc {
            text,
            tokens,
            sentences,
            rules,
        } = *doc;
        self.groups = groups;
        self.token_atoms(text, tokens, sentences);
        for a in self.atoms.iter_mut() {
            let info = if groups & (group::CLUSTERS | group::FREQ) != 0 {
                lexicon.word(a.key)
            } else {
                Default::default()
            };
            if groups & group::CLUSTERS != 0 {
                a.clusters = info.clusters;
            }
            if groups & group::FREQ != 0 {
                a.zipf = info.zipf;
            }
        }
        if groups & group::GAZETTEER != 0 && lexicon.max_phrase() > 0 {
            for s in sentences {
                let end = s.end.min(self.atoms.len());
                for i in s.start..end {
                    if self.atoms[i].cap == Cap::NoLetters {
                        continue;
                    }
                    let mut h = PHRASE_SEED;
                    for j in i..end.min(i + lexicon.max_phrase()) {
                        h = phrase_step(h, self.atoms[j].key);
                        let f = lexicon.phrase(h);
                        if f != 0 {
                            self.atoms[i].gaz_b |= f;
                            for a in &mut self.atoms[i + 1..=j] {
                                a.gaz_i |= f;
                            }
                            self.atoms[j].gaz_l |= f;
                        }
                    }
                }
            }
        }
        if groups & group::RULES != 0 {
            for e in rules {
                let first = tokens.partition_point(|t| t.end <= e.start);
                let mut inside = false;
                for (t, a) in tokens[first..].iter().zip(&mut self.atoms[first..]) {
                    if t.start >= e.end {
                        break;
                    }
                    if t.start >= e.start && t.end <= e.end {
                        a.rule = 1 + 2 * (e.label as u8).min(120) + inside as u8;
                        inside = true;
                    }
                }
            }
        }
    }

    fn set_document_bits(&mut self, doc: &DocMap) {
        for a in self.atoms.iter_mut() {
            a.doc = doc.get(&a.key).copied().unwrap_or(0);
        }
    }

    /// Fills `self.rows` with the feature rows of the tokens in `range` (after [`prepare`]),
    /// `MAX_FEATURES` slots per token, for a table of `2^bits` rows.
    pub(crate) fn sentence(&mut self, range: Range<usize>, bits: u32) {
        self.rows.clear();
        let range = range.start.min(self.atoms.len())..range.end.min(self.atoms.len());
        if self.groups & group::HISTORY != 0 && !self.history.is_empty() {
            for a in &mut self.atoms[range.clone()] {
                a.hist = self.history.get(&a.key).map_or(0, History::code);
            }
        }
        if self.dropout.0 > 0 {
            let (threshold, state) = &mut self.dropout;
            for a in &mut self.atoms[range.clone()] {
                *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                if matches!(a.cap, Cap::Title | Cap::Upper | Cap::Mixed)
                    && fmix(*state) & 0xffff_ffff < *threshold
                {
                    a.lc = DROPPED;
                    a.form = DROPPED;
                }
            }
        }
        let sent = &self.atoms[range];
        for i in 0..sent.len() {
            let base = self.rows.len();
            let mut f = Feats {
                rows: &mut self.rows,
                bits,
            };
            token_features(sent, i, &mut f);
            debug_assert!(self.rows.len() - base <= MAX_FEATURES);
            self.rows.resize(base + MAX_FEATURES, u32::MAX);
        }
    }
}

impl Extractor {
    /// Records the tag path the model gave the tokens of `range` (a sentence already tagged)
    /// for the history features of the sentences after it.
    pub(crate) fn record_path(&mut self, range: Range<usize>, path: &[u8]) {
        if self.groups & group::HISTORY == 0 {
            return;
        }
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        super::spans(path, |k, a, b| spans.push((k, a, b)));
        self.record(range, &spans);
        self.spans = spans;
    }

    fn record(&mut self, range: Range<usize>, spans: &[(usize, usize, usize)]) {
        let range = range.start.min(self.atoms.len())..range.end.min(self.atoms.len());
        let mut next = spans.iter().peekable();
        let mut j = 0;
        let n = range.len();
        while j < n {
            let (label, a, b) = match next.peek() {
                Some(&&(k, a, b)) if a == j && b > a && b <= n => {
                    next.next();
                    ((k as u8).saturating_add(1), a, b)
                }
                Some(&&(_, a, _)) if a < j => {
                    next.next();
                    continue;
                }
                _ => (0, j, j + 1),
            };
            for i in a..b {
                let pos = if b - a == 1 {
                    0
                } else if i == a {
                    1
                } else if i + 1 == b {
                    3
                } else {
                    2
                };
                let key = self.atoms[range.start + i].key;
                self.history.entry(key).or_default().add(label, pos);
            }
            j = b;
        }
    }
}

struct Feats<'a> {
    rows: &'a mut Vec<u32>,
    bits: u32,
}

impl Feats<'_> {
    #[inline]
    fn add(&mut self, template: u64, a: u64, b: u64) {
        if a == DROPPED || b == DROPPED {
            return;
        }
        let h = fmix(step(step(template.wrapping_mul(K), a), b));
        self.rows.push((h >> (64 - self.bits)) as u32);
    }
}

const BOS: Atoms = Atoms {
    key: 1,
    lc: 1,
    form: 1,
    shape: 1,
    pre3: 1,
    suf2: 1,
    suf3: 1,
    suf4: 1,
    cap: Cap::NoLetters,
    kind: 250,
    clusters: [u16::MAX; CLUSTER_LEVELS],
    zipf: 250,
    gaz_b: 0,
    gaz_i: 0,
    gaz_l: 0,
    rule: 0,
    doc: 0,
    hist: 0,
    sent_initial: false,
    caps_sentence: false,
};
const EOS: Atoms = Atoms {
    key: 2,
    lc: 2,
    form: 2,
    shape: 2,
    pre3: 2,
    suf2: 2,
    suf3: 2,
    suf4: 2,
    kind: 251,
    zipf: 251,
    clusters: [u16::MAX - 1; CLUSTER_LEVELS],
    ..BOS
};

fn token_features(s: &[Atoms], i: usize, f: &mut Feats<'_>) {
    let at = |d: isize| -> &Atoms {
        let j = i as isize + d;
        if j < 0 {
            &BOS
        } else {
            s.get(j as usize).unwrap_or(&EOS)
        }
    };
    let w = &s[i];
    let (p1, p2, n1, n2) = (at(-1), at(-2), at(1), at(2));
    let cap = w.cap as u64;
    let ctx = (w.sent_initial as u64) | (w.caps_sentence as u64) << 1;

    f.add(0, 0, 0);
    f.add(1, w.lc, 0);
    f.add(2, w.form, 0);
    f.add(3, w.shape, ctx);
    f.add(4, w.pre3, 0);
    f.add(5, w.suf2, 0);
    f.add(6, w.suf3, 0);
    f.add(7, w.suf4, 0);
    f.add(8, p1.lc, 0);
    f.add(9, n1.lc, 0);
    f.add(10, p2.lc, 0);
    f.add(11, n2.lc, 0);
    f.add(12, p1.lc, w.lc);
    f.add(13, w.lc, n1.lc);
    f.add(14, p1.shape, w.shape);
    f.add(15, w.shape, n1.shape);
    f.add(16, p1.form, 0);
    f.add(17, n1.form, 0);
    f.add(18, cap | ctx << 4, w.kind as u64);
    if w.caps_sentence {
        f.add(19, w.lc, 0);
    }
    // Clusters: several levels for the word, coarser ones for its neighbours.
    if w.clusters[0] != 0 || w.zipf != 0 || !matches!(w.cap, Cap::NoLetters) {
        for (l, &c) in w.clusters.iter().enumerate() {
            f.add(20 + l as u64, c as u64, cap);
        }
    }
    f.add(24, p1.clusters[0] as u64, 0);
    f.add(25, n1.clusters[0] as u64, 0);
    f.add(26, p1.clusters[2] as u64, w.clusters[2] as u64);
    f.add(27, w.clusters[2] as u64, n1.clusters[2] as u64);
    f.add(28, p2.clusters[1] as u64, 0);
    f.add(29, n2.clusters[1] as u64, 0);
    f.add(30, w.zipf as u64, cap | ctx << 4);
    f.add(31, n1.zipf as u64, n1.cap as u64);
    f.add(32, p1.zipf as u64, p1.cap as u64);
    // Gazetteers: each kind matched, beginning or inside a phrase, with capitalization.
    for k in 0..Gaz::KINDS {
        let bit = 1u16 << k;
        if w.gaz_b & bit != 0 {
            f.add(40, k as u64, cap);
        }
        if w.gaz_i & bit != 0 {
            f.add(41, k as u64, cap);
        }
        if n1.gaz_b & bit != 0 {
            f.add(42, k as u64, 0);
        }
        if p1.gaz_b & bit != 0 || p1.gaz_i & bit != 0 {
            f.add(43, k as u64, 0);
        }
        if w.gaz_l & bit != 0 {
            f.add(44, k as u64, (w.gaz_b & bit != 0) as u64);
        }
    }
    f.add(50, w.rule as u64, 0);
    f.add(51, p1.rule as u64, w.rule as u64);
    f.add(52, w.rule as u64, n1.rule as u64);
    f.add(53, w.doc as u64, cap | ctx << 4);
    f.add(54, w.doc as u64, w.lc);
    if w.hist != 0 || p1.hist != 0 || n1.hist != 0 {
        f.add(70, w.hist as u64, cap);
        f.add(71, (w.hist & 0xff) as u64, w.lc);
        f.add(72, (p1.hist & 0xff) as u64, (n1.hist & 0xff) as u64);
    }
}

/// A double quote as the Treebank writes it, the way the models saw quotes in training: `“` and
/// `„` (and a `"` with a word after it and a space or nothing before it) open, ```` `` ````;
/// `”` (and a `"` with a word before it and a space or nothing after it) close, `''`. Any
/// other token is its own text. Titles in natural text (`“The Crown”`, `"The Crown"`) then
/// look like the ``` `` The Crown '' ``` the models learned them from.
fn treebank_quote<'t>(text: &'t str, t: &Token) -> &'t str {
    let tok = text.get(t.start..t.end).unwrap_or("");
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
    match tok {
        "“" | "„" => "``",
        "”" => "''",
        "\"" => {
            let before = text[..t.start].chars().next_back();
            let after = text[t.end..].chars().next();
            if space(before) && !space(after) {
                "``"
            } else if !space(before) && space(after) {
                "''"
            } else {
                tok
            }
        }
        _ => tok,
    }
}

/// Computes a token's atoms; `chars` is scratch.
fn atoms(tok: &str, kind: TokenKind, chars: &mut Vec<char>) -> Atoms {
    chars.clear();
    let mut key = 0x1234_5678u64;
    let mut form = 0xabcd_ef01u64;
    let mut shape = 0x5eed_5eedu64;
    let (mut upper, mut letters) = (0usize, 0usize);
    let mut first_upper = false;
    let mut last_shape = '\0';
    let mut run = 0;
    for (n, c) in tok.chars().enumerate() {
        let is_upper = c.is_uppercase();
        let is_lower = c.is_lowercase();
        if is_upper || is_lower {
            letters += 1;
            upper += is_upper as usize;
            if n == 0 {
                first_upper = is_upper;
            }
        }
        let norm = if c.is_ascii_digit() {
            '0'
        } else if c == '’' || c == '‘' {
            '\''
        } else {
            c
        };
        form = step(form, norm as u64);
        let sc = if is_upper {
            'X'
        } else if is_lower {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            norm
        };
        if sc == last_shape {
            run += 1;
        } else {
            run = 0;
            last_shape = sc;
        }
        if run < 4 {
            shape = step(shape, sc as u64);
        }
        for l in lower(c) {
            key = step(key, l as u64);
            chars.push(if l.is_ascii_digit() { '0' } else { l });
        }
    }
    let cap = if letters == 0 {
        Cap::NoLetters
    } else if upper == letters && letters > 1 {
        Cap::Upper
    } else if first_upper {
        Cap::Title
    } else if upper == 0 {
        Cap::Lower
    } else {
        Cap::Mixed
    };
    let hash = |seed: u64, cs: &[char]| cs.iter().fold(seed, |h, &c| step(h, c as u64));
    let n = chars.len();
    let lc = hash(0x77, chars);
    Atoms {
        key,
        lc,
        form,
        shape,
        pre3: hash(0x100, &chars[..n.min(3)]),
        suf2: hash(0x200, &chars[n.saturating_sub(2)..]),
        suf3: hash(0x300, &chars[n.saturating_sub(3)..]),
        suf4: hash(0x400, &chars[n.saturating_sub(4)..]),
        cap,
        kind: kind as u8,
        ..Atoms::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagger::hash::word_key;

    /// A token with every gazetteer kind beginning, inside and ending at it and at its
    /// neighbours, in an all-caps sentence, with clusters, a rule match, document bits and a
    /// history: every template fires, and all of them fit, the last ones (rules, document,
    /// history) included.
    #[test]
    fn the_worst_case_token_fits() {
        let all = ((1u32 << Gaz::KINDS) - 1) as u16;
        let a = Atoms {
            cap: Cap::Upper,
            clusters: [3; CLUSTER_LEVELS],
            zipf: 4,
            gaz_b: all,
            gaz_i: all,
            gaz_l: all,
            rule: 5,
            doc: DOC_LOWER | DOC_CAP_MID,
            hist: 0x0102,
            caps_sentence: true,
            ..Atoms::default()
        };
        let sent = [a, a, a];
        let mut rows = Vec::new();
        token_features(
            &sent,
            1,
            &mut Feats {
                rows: &mut rows,
                bits: 20,
            },
        );
        assert_eq!(rows.len(), MAX_FEATURES, "every template fires once");
        // The history templates come last: they are there, not cut off.
        let mut last = Vec::new();
        let f = &mut Feats {
            rows: &mut last,
            bits: 20,
        };
        f.add(72, (a.hist & 0xff) as u64, (a.hist & 0xff) as u64);
        assert_eq!(rows.last(), last.last());
    }

    /// The rows of each token of a one-sentence text, with word dropout at `rate` (or as
    /// inference computes them, never setting it).
    fn rows_with_dropout(text: &str, rate: Option<f64>) -> Vec<Vec<u32>> {
        let tokens = crate::tokenize::tokenize(text);
        let sentences = crate::tokenize::sentences(text, &tokens);
        let doc = Doc {
            text,
            tokens: &tokens,
            sentences: &sentences,
            rules: &[],
        };
        let mut ex = Extractor::default();
        ex.prepare(&doc, &Lexicon::default(), group::ALL);
        if let Some(rate) = rate {
            ex.set_word_dropout(rate, 7);
        }
        ex.sentence(0..tokens.len(), 20);
        ex.rows
            .chunks_exact(MAX_FEATURES)
            .map(|r| r.iter().copied().take_while(|&r| r != u32::MAX).collect())
            .collect()
    }

    #[test]
    fn word_dropout_leaves_out_the_word_features_of_capitalized_tokens_only() {
        let text = "yesterday Obama met the press";
        let plain = rows_with_dropout(text, None);
        let dropped = rows_with_dropout(text, Some(1.0));
        let mut c = Vec::new();
        let obama = atoms("Obama", TokenKind::Word, &mut c);
        let row = |template: u64, a: u64| {
            let mut rows = Vec::new();
            Feats {
                rows: &mut rows,
                bits: 20,
            }
            .add(template, a, 0);
            rows[0]
        };
        let (word, suffix) = (row(1, obama.lc), row(7, obama.suf4));
        assert!(plain[1].contains(&word) && plain[1].contains(&suffix));
        // Obama's own word features are gone, and so are its neighbours' features of it.
        assert!(!dropped[1].contains(&word) && dropped[1].contains(&suffix));
        for i in 0..4 {
            assert!(dropped[i].len() < plain[i].len(), "token {i}");
        }
        // A lowercase token out of its window (two on each side) keeps every feature.
        assert_eq!(dropped[4], plain[4]);
        // At a rate of 0 nothing changes.
        assert_eq!(rows_with_dropout(text, Some(0.0)), plain);
    }

    #[test]
    fn quotes_are_read_as_the_treebank_writes_them() {
        let text = "said “The Crown” and \"Dallas\" and `` Titanic '' and \" spaced \"";
        let tokens = crate::tokenize::tokenize(text);
        let read: Vec<&str> = tokens.iter().map(|t| treebank_quote(text, t)).collect();
        assert_eq!(
            read,
            [
                "said", "``", "The", "Crown", "''", "and", "``", "Dallas", "''", "and", "``",
                "Titanic", "''", "and", "\"", "spaced", "\""
            ]
        );
    }

    #[test]
    fn caps_and_keys() {
        let mut c = Vec::new();
        assert_eq!(atoms("Paris", TokenKind::Word, &mut c).cap, Cap::Title);
        assert_eq!(atoms("NASA", TokenKind::Word, &mut c).cap, Cap::Upper);
        assert_eq!(atoms("A", TokenKind::Word, &mut c).cap, Cap::Title);
        assert_eq!(atoms("iPhone", TokenKind::Word, &mut c).cap, Cap::Mixed);
        assert_eq!(atoms("12", TokenKind::Number, &mut c).cap, Cap::NoLetters);
        assert_eq!(
            atoms("Paris", TokenKind::Word, &mut c).key,
            word_key("paris")
        );
        assert_eq!(atoms("’s", TokenKind::Word, &mut c).key, word_key("'s"));
    }
}
