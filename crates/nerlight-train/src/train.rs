//! The trainer (native only): `nerlight train --train FILE --dev FILE --out MODEL …`.
//!
//! Training sees exactly what inference sees: each training document's text is rebuilt the
//! way `nerlight eval` rebuilds it (spaced, natural or a mix of both: [`TrainRendering`]),
//! gold entities become byte ranges, and the text is
//! tokenized, split into sentences and matched by the rules with the engine's own functions.
//! Token tags come from the gold byte ranges (spans whose ends fall inside a token are counted
//! and reported). The learner is a structured averaged perceptron with the same Viterbi
//! decoder inference uses; after each epoch the averaged, int8-quantized model is scored on the
//! dev file and the best epoch is kept.

use std::ops::Range;
use std::time::Instant;

use nerlight::rules::Rules;
use nerlight::tagger::{
    group, spans, tag_count, tag_of, Decoder, Doc, Extractor, Gaz, Lexicon, LexiconBuilder, Tagger,
    Transitions, FORMAT_VERSION, MAX_FEATURES,
};
use nerlight::tokenize::{sentences, tokenize, Token};
use nerlight::{Entity, Highlighter, Label, Source};

use crate::eval::{self, Corpus, Document, Rendering, Scores};
use crate::Error;

/// Training settings.
#[derive(Clone, Debug)]
pub struct Options {
    /// The training corpus's file name (for the report).
    pub train: String,
    /// The dev corpus's file name (for the report).
    pub dev: String,
    /// Where the model goes (for the report).
    pub out: String,
    /// Where the report goes, if anywhere.
    pub report: Option<String>,
    /// Shuffling seed: the same seed gives the same model bytes.
    pub seed: u64,
    /// Maximum epochs; the best on dev is kept.
    pub epochs: usize,
    /// Feature table size, `2^bits` rows.
    pub bits: u32,
    /// The directory of the lexicons and gazetteers (`lexicons/`, `gazetteers/`); needed when
    /// `groups` has clusters, frequencies or gazetteers.
    pub data: String,
    /// Feature groups (a [`group`] bit set).
    pub groups: u32,
    /// The cluster lexicon (`WORD<TAB>…` with the cluster path in columns 3–6, most frequent
    /// words first); empty for `lexicons/clusters_lc120k.tsv` in `data`.
    pub clusters: String,
    /// Keep the N most frequent words of the cluster lexicon.
    pub cluster_words: usize,
    /// Keep the N most frequent surnames.
    pub surnames: usize,
    /// Keep cities with at least this many people.
    pub city_population: u64,
    /// Annotated corpora whose entity strings become gazetteers.
    pub gazetteer_corpora: Vec<String>,
    /// Name lists (`LABEL<TAB>name` lines, `#` comments) whose names become gazetteers of the
    /// same coarse kinds as a corpus's names.
    pub gazetteer_lists: Vec<String>,
    /// Drop quantized weights with `|w|` below this.
    pub min_weight: i32,
    /// Ignore features seen fewer than this many times in training.
    pub min_count: u32,
    /// Loss-augmented decoding in training: every tag but the gold one gets this bonus.
    pub margin: f32,
    /// Word dropout in training: the probability that a capitalized token's word features are
    /// left out ([`Extractor::set_word_dropout`]).
    pub word_dropout: f64,
    /// How the training and dev documents were written as text (for the report; the caller
    /// renders them, with [`TrainRendering::training_documents`] and
    /// [`TrainRendering::dev_documents`]).
    pub render: TrainRendering,
}

/// How `nerlight train` writes the corpora's documents as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainRendering {
    /// Tokens joined by spaces, as before natural rendering existed.
    Spaced,
    /// Natural text only.
    Natural,
    /// Training documents alternate, spaced and natural (every second document natural); the
    /// dev file is scored in both renderings to pick the epoch. On OntoNotes this scored better
    /// than every training document in both renderings, at half the training time.
    Mixed,
}

impl TrainRendering {
    /// `spaced`, `natural` or `mixed`.
    pub fn name(self) -> &'static str {
        match self {
            TrainRendering::Spaced => "spaced",
            TrainRendering::Natural => "natural",
            TrainRendering::Mixed => "mixed",
        }
    }

    /// The training corpus's documents in this rendering.
    pub fn training_documents(self, corpus: &Corpus) -> Vec<Document> {
        match self {
            TrainRendering::Spaced => corpus.render(Rendering::Spaced),
            TrainRendering::Natural => corpus.render(Rendering::Natural),
            TrainRendering::Mixed => corpus
                .render(Rendering::Spaced)
                .into_iter()
                .zip(corpus.render(Rendering::Natural))
                .enumerate()
                .map(|(i, (spaced, natural))| if i % 2 == 1 { natural } else { spaced })
                .collect(),
        }
    }

    /// The dev corpus's documents for picking the epoch and calibrating confidences: in this
    /// rendering, or in both (each document twice) for mixed.
    pub fn dev_documents(self, corpus: &Corpus) -> Vec<Document> {
        match self {
            TrainRendering::Mixed => {
                let mut docs = corpus.render(Rendering::Spaced);
                docs.extend(corpus.render(Rendering::Natural));
                docs
            }
            _ => self.training_documents(corpus),
        }
    }
}

impl std::str::FromStr for TrainRendering {
    type Err = Error;
    fn from_str(s: &str) -> Result<TrainRendering, Error> {
        if s == "mixed" {
            return Ok(TrainRendering::Mixed);
        }
        match s.parse::<Rendering>() {
            Ok(Rendering::Spaced) => Ok(TrainRendering::Spaced),
            Ok(Rendering::Natural) => Ok(TrainRendering::Natural),
            Err(_) => Err(Error::config(format!(
                "unknown rendering {s:?} (spaced, natural or mixed)"
            ))),
        }
    }
}

impl Default for Options {
    fn default() -> Options {
        Options {
            train: String::new(),
            dev: String::new(),
            out: String::new(),
            report: None,
            seed: 1,
            epochs: 12,
            bits: 18,
            data: String::new(),
            groups: group::ALL,
            clusters: String::new(),
            cluster_words: usize::MAX,
            surnames: 20_000,
            city_population: 50_000,
            gazetteer_corpora: Vec::new(),
            gazetteer_lists: Vec::new(),
            min_weight: 1,
            min_count: 1,
            margin: 0.0,
            word_dropout: 0.0,
            render: TrainRendering::Spaced,
        }
    }
}

/// Rounds to two decimals, for reports.
pub fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn read_lines(path: &str) -> Result<Vec<String>, Error> {
    std::fs::read_to_string(path)
        .map(|s| s.lines().map(|l| l.trim().to_string()).collect())
        .map_err(|e| Error::io(path, e))
}

/// The cluster lexicon's file: `o.clusters`, or the default one in `o.data`.
fn cluster_file(o: &Options) -> String {
    match o.clusters.as_str() {
        "" => format!("{}/lexicons/clusters_lc120k.tsv", o.data),
        file => file.to_string(),
    }
}

/// Builds the lexicon from the word lists in `o.data` (those the feature groups need).
pub fn build_lexicon(o: &Options) -> Result<Lexicon, Error> {
    let mut b = LexiconBuilder::default();
    let d = &o.data;
    if d.is_empty() && o.groups & (group::CLUSTERS | group::FREQ | group::GAZETTEER) != 0 {
        return Err(Error::config(
            "no data directory given for the lexicons and gazetteers (--data DIR)",
        ));
    }
    if o.groups & group::CLUSTERS != 0 {
        for line in read_lines(&cluster_file(o))?.iter().take(o.cluster_words) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 6 {
                continue;
            }
            let path: Option<Vec<u16>> = f[2..6].iter().map(|x| x[1..].parse().ok()).collect();
            if let Some(path) = path {
                b.word(f[0], Some(&path), None);
            }
        }
    }
    if o.groups & group::FREQ != 0 {
        for line in read_lines(&format!("{d}/lexicons/wordfreq_top60k.tsv"))? {
            if let Some((w, z)) = line.split_once('\t') {
                if let Ok(z) = z.trim_start_matches('z').parse::<u8>() {
                    b.word(w, None, Some(z));
                }
            }
        }
    }
    if o.groups & group::GAZETTEER != 0 {
        let g = format!("{d}/gazetteers");
        let simple = [
            ("countries.txt", Gaz::Country.bit()),
            ("capitals.txt", Gaz::Capital.bit()),
            ("us_states.txt", Gaz::UsState.bit()),
            ("continents.txt", Gaz::Continent.bit()),
            ("us_counties.txt", Gaz::County.bit()),
            ("first_names.txt", Gaz::FirstName.bit()),
            ("demonyms.txt", Gaz::Demonym.bit()),
            ("org_legal_suffixes.txt", Gaz::OrgSuffix.bit()),
        ];
        for (file, flag) in simple {
            for l in read_lines(&format!("{g}/{file}"))? {
                if !l.is_empty() {
                    b.phrase(&l, flag);
                }
            }
        }
        for l in read_lines(&format!("{g}/surnames.txt"))?
            .iter()
            .take(o.surnames)
        {
            b.phrase(l, Gaz::Surname.bit());
        }
        for l in read_lines(&format!("{g}/cities15000.tsv"))?.iter().skip(1) {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() >= 3 && f[2].parse::<u64>().unwrap_or(0) >= o.city_population {
                b.phrase(f[0], Gaz::City.bit());
            }
        }
        for path in &o.gazetteer_corpora {
            for doc in eval::read_corpus(path)? {
                for &(start, end, label) in &doc.gold {
                    let Some(flag) = corpus_kind(label) else {
                        continue;
                    };
                    b.phrase(strip_the(&doc.text[start..end]), flag);
                }
            }
        }
        for path in &o.gazetteer_lists {
            for (label, name) in read_name_list(path)? {
                if let Some(flag) = corpus_kind(label) {
                    b.phrase(strip_the(&name), flag);
                }
            }
        }
    }
    Ok(b.build())
}

/// A name without its leading "the": OntoNotes spans may open with it ("the Senate"), and
/// lists may too; the name is the rest.
fn strip_the(name: &str) -> &str {
    ["the ", "The ", "THE "]
        .iter()
        .find_map(|the| name.strip_prefix(the))
        .unwrap_or(name)
}

/// Reads a name list: one `LABEL<TAB>name` per line (`ORG\tTesla`), blank lines and lines
/// opening with `#` skipped; a malformed line or an unknown label is an error naming the line.
fn read_name_list(path: &str) -> Result<Vec<(Label, String)>, Error> {
    let mut names = Vec::new();
    for (i, line) in read_lines(path)?.iter().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line.split_once('\t').and_then(|(label, name)| {
            let name = name.trim();
            let label = label.trim().parse::<Label>().ok()?;
            (!name.is_empty()).then(|| (label, name.to_string()))
        });
        match parsed {
            Some(entry) => names.push(entry),
            None => {
                return Err(Error::config(format!(
                    "{path}:{}: expected LABEL<TAB>name (a label such as ORG or PERSON)",
                    i + 1
                )))
            }
        }
    }
    Ok(names)
}

/// The coarse gazetteer kind of a name labelled `label` in a `--gazetteer-corpus`; numeric
/// and pattern types are not names and give none.
fn corpus_kind(label: Label) -> Option<u16> {
    use Label::*;
    match label {
        Person => Some(Gaz::CorpusPerson.bit()),
        Org => Some(Gaz::CorpusOrg.bit()),
        Gpe | Loc | Fac => Some(Gaz::CorpusPlace.bit()),
        Norp | Misc | Product | Event | WorkOfArt | Law | Language => Some(Gaz::CorpusOther.bit()),
        Date | Time | Percent | Money | Quantity | Ordinal | Cardinal | Email | Url | Phone => None,
    }
}

/// A training document after tokenization: the engine's tokens, sentences and rule matches,
/// and a gold tag per token.
pub(crate) struct Prepared {
    pub(crate) text: String,
    pub(crate) tokens: Vec<Token>,
    sentences: Vec<Range<usize>>,
    rules: Vec<Entity>,
    pub(crate) tags: Vec<u8>,
}

impl Prepared {
    pub(crate) fn doc(&self) -> Doc<'_> {
        Doc {
            text: &self.text,
            tokens: &self.tokens,
            sentences: &self.sentences,
            rules: &self.rules,
        }
    }
}

/// Alignment statistics of gold spans against the engine's tokens.
#[derive(Default)]
pub(crate) struct Alignment {
    spans: usize,
    misaligned: usize,
    tokens: usize,
}

pub(crate) fn prepare(
    docs: &[Document],
    labels: &[Label],
    rules: &Rules,
    al: &mut Alignment,
) -> Vec<Prepared> {
    docs.iter()
        .map(|d| {
            let tokens = tokenize(&d.text);
            let sentences = sentences(&d.text, &tokens);
            let found = rules.find(&d.text, &tokens);
            let mut tags = vec![0u8; tokens.len()];
            for &(start, end, label) in &d.gold {
                al.spans += 1;
                let Some(k) = labels.iter().position(|&l| l == label) else {
                    continue;
                };
                let first = tokens.partition_point(|t| t.end <= start);
                let mut last = None;
                for (j, t) in tokens.iter().enumerate().skip(first) {
                    if t.start >= end {
                        break;
                    }
                    tags[j] = tag_of(k, if last.is_none() { 1 } else { 2 }) as u8;
                    last = Some(j);
                }
                // The last token is L (or U for a one-token entity).
                if let Some(l) = last {
                    tags[l] = tag_of(k, if l == first { 4 } else { 3 }) as u8;
                }
                let aligned =
                    last.is_some_and(|l| tokens[first].start == start && tokens[l].end == end);
                if !aligned {
                    al.misaligned += 1;
                }
            }
            al.tokens += tokens.len();
            Prepared {
                text: d.text.clone(),
                tokens,
                sentences,
                rules: found,
                tags,
            }
        })
        .collect()
}

/// A small deterministic generator (SplitMix64) for shuffling.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Perceptron weights with the running sums for averaging.
struct Weights {
    tags: usize,
    w: Vec<f32>,
    u: Vec<f64>,
    trans: Vec<f64>,
    trans_u: Vec<f64>,
    /// Updates so far + 1 (the averaging clock).
    c: f64,
}

impl Weights {
    fn update(&mut self, index: usize, delta: f32) {
        self.w[index] += delta;
        self.u[index] += self.c * delta as f64;
    }

    fn update_trans(&mut self, index: usize, delta: f64) {
        self.trans[index] += delta;
        self.trans_u[index] += self.c * delta;
    }

    /// The perceptron update for one sentence decoded as `path` where `gold` was right: the
    /// feature rows (`MAX_FEATURES` per token) of each wrong token move towards the gold tag
    /// and away from the predicted one, and so do the transitions that differ.
    fn learn(&mut self, rows: &[u32], gold: &[u8], path: &[u8], keep: &[bool]) {
        let t = self.tags;
        for (j, feats) in rows.chunks_exact(MAX_FEATURES).enumerate() {
            let (g, p) = (gold[j] as usize, path[j] as usize);
            if g != p {
                for &r in feats {
                    if r == u32::MAX {
                        break;
                    }
                    if !keep[r as usize] {
                        continue;
                    }
                    self.update(r as usize * t + g, 1.0);
                    self.update(r as usize * t + p, -1.0);
                }
            }
            let (gp, pp) = if j == 0 {
                (None, None)
            } else {
                (Some(gold[j - 1] as usize), Some(path[j - 1] as usize))
            };
            if (gp, g) != (pp, p) {
                let gi = gp.map_or(t * t + g, |x| x * t + g);
                let pi = pp.map_or(t * t + p, |x| x * t + p);
                self.update_trans(gi, 1.0);
                self.update_trans(pi, -1.0);
            }
        }
    }

    /// The averaged weights, quantized into a tagger.
    fn snapshot(&self, base: &Tagger, min_weight: i32) -> Tagger {
        let t = self.tags;
        let avg = |i: usize| self.w[i] as f64 - self.u[i] / self.c;
        let max = (0..self.w.len()).map(|i| avg(i).abs()).fold(0.0, f64::max);
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        let tr = |i: usize| (self.trans[i] - self.trans_u[i] / self.c) as f32;
        base.with_weights(
            |r, row| {
                for (k, slot) in row.iter_mut().enumerate() {
                    let v = (avg(r * t + k) / scale).round() as i32;
                    *slot = if v.abs() < min_weight {
                        0
                    } else {
                        v.clamp(-127, 127) as i8
                    };
                }
            },
            scale as f32,
            (0..t * t).map(tr).collect(),
            (t * t..t * t + t).map(tr).collect(),
        )
    }

    /// The averaged weights and transitions in floating point (for `NERLIGHT_DEBUG`).
    fn averaged(&self) -> (Vec<f32>, Transitions) {
        let t = self.tags;
        let avg = |w: f64, u: f64| (w - u / self.c) as f32;
        let w = (0..self.w.len())
            .map(|i| avg(self.w[i] as f64, self.u[i]))
            .collect();
        let tr: Vec<f32> = (0..self.trans.len())
            .map(|i| avg(self.trans[i], self.trans_u[i]))
            .collect();
        (
            w,
            Transitions::new(t, tr[..t * t].to_vec(), tr[t * t..].to_vec()),
        )
    }

    /// The current (not averaged) transitions.
    fn current_transitions(&self) -> Transitions {
        let t = self.tags;
        let (trans, start) = self.trans.split_at(t * t);
        Transitions::new(
            t,
            trans.iter().map(|&x| x as f32).collect(),
            start.iter().map(|&x| x as f32).collect(),
        )
    }
}

/// Sets `out` to each token's tag scores from dense float weights (`tags` per row) and a
/// sentence's feature rows (`MAX_FEATURES` per token): the trainer's counterpart of the
/// engine's int8 sums.
fn float_emissions(w: &[f32], tags: usize, rows: &[u32], out: &mut Vec<f32>) {
    out.clear();
    for feats in rows.chunks_exact(MAX_FEATURES) {
        let base = out.len();
        out.resize(base + tags, 0.0);
        let e = &mut out[base..];
        for &r in feats {
            if r == u32::MAX {
                break;
            }
            let row = &w[r as usize * tags..(r as usize + 1) * tags];
            for (a, &x) in e.iter_mut().zip(row) {
                *a += x;
            }
        }
    }
}

/// Trains on `train_docs` (with the lexicons of `o.data` that `o.groups` needs), picks the
/// best epoch on `dev_docs`; returns the model bytes and a JSON report. `o.train`, `o.dev` and
/// `o.out` only label the report here.
pub fn train(
    o: &Options,
    train_docs: &[Document],
    dev_docs: &[Document],
) -> Result<(Vec<u8>, serde_json::Value), Error> {
    let lexicon = build_lexicon(o)?;
    let labels = eval::gold_labels(train_docs);
    if labels.is_empty() {
        return Err(Error::config("the training corpus has no entities"));
    }
    let base = Tagger::untrained(labels.clone(), o.bits, o.groups, lexicon)?;
    let t = tag_count(labels.len());
    let rules = Rules::new();
    let mut train_al = Alignment::default();
    let mut dev_al = Alignment::default();
    let mut data = prepare(train_docs, &labels, &rules, &mut train_al);
    let dev = prepare(dev_docs, &labels, &rules, &mut dev_al);
    eprintln!(
        "train: {} docs, {} tokens, {} spans ({} not on token boundaries); dev: {} docs, {} tokens, {} spans ({} not on token boundaries)",
        data.len(), train_al.tokens, train_al.spans, train_al.misaligned,
        dev.len(), dev_al.tokens, dev_al.spans, dev_al.misaligned
    );
    let rows = 1usize << o.bits;
    let mut wts = Weights {
        tags: t,
        w: vec![0.0; rows * t],
        u: vec![0.0; rows * t],
        trans: vec![0.0; t * t + t],
        trans_u: vec![0.0; t * t + t],
        c: 1.0,
    };
    let mut ex = Extractor::default();
    let mut dec = Decoder::default();
    // Feature counts (per row): rare features are left out of training, so they get no row.
    let mut keep = vec![true; rows];
    if o.min_count > 1 {
        let mut counts = vec![0u32; rows];
        for doc in &data {
            base.tag_document(&mut ex, &mut dec, &doc.doc(), |s, rows, d| {
                for &r in rows.iter().filter(|&&r| r != u32::MAX) {
                    counts[r as usize] = counts[r as usize].saturating_add(1);
                }
                // The history features exist only once sentences have been tagged: count them
                // with the gold tags as the history, or their rows would never be kept.
                d.path.extend_from_slice(&doc.tags[s]);
            });
        }
        for (k, c) in keep.iter_mut().zip(&counts) {
            *k = *c >= o.min_count;
        }
        eprintln!(
            "{} of {} rows kept (features seen at least {} times)",
            keep.iter().filter(|&&k| k).count(),
            rows,
            o.min_count
        );
    }
    let mut rng = Rng(o.seed);
    let mut emissions = Vec::new();
    let mut epochs = Vec::new();
    let mut best: Option<(f64, usize, Tagger)> = None;
    let gold_dev_labels = eval::gold_labels(dev_docs);
    let started = Instant::now();
    for epoch in 1..=o.epochs {
        rng.shuffle(&mut data);
        ex.set_word_dropout(o.word_dropout, rng.next());
        let mut mistakes = 0usize;
        for doc in &data {
            base.tag_document(&mut ex, &mut dec, &doc.doc(), |s, rows, d| {
                let n = s.len();
                float_emissions(&wts.w, t, rows, &mut emissions);
                let gold = &doc.tags[s];
                if o.margin > 0.0 {
                    // Loss-augmented decoding: the update fires until gold wins by a margin
                    // that grows with the number of wrong tags.
                    for (e, &g) in emissions.chunks_exact_mut(t).zip(gold) {
                        for (k, x) in e.iter_mut().enumerate() {
                            if k != g as usize {
                                *x += o.margin;
                            }
                        }
                    }
                }
                nerlight::tagger::decode(d, &emissions, n, &wts.current_transitions(), false);
                if d.path != gold {
                    mistakes += 1;
                    wts.learn(rows, gold, &d.path, &keep);
                }
                wts.c += 1.0;
            });
        }
        if std::env::var_os("NERLIGHT_DEBUG").is_some() {
            let f = float_scores(&wts, &base, &dev, dev_docs, &gold_dev_labels);
            eprintln!("float dev F1 {:.2}", f.total().f1() * 100.0);
        }
        let tagger = wts.snapshot(&base, o.min_weight);
        let scores = model_scores(&tagger, &dev, dev_docs, &gold_dev_labels);
        let f1 = scores.total().f1() * 100.0;
        eprintln!(
            "epoch {epoch}: {mistakes} sentences wrong, dev F1 {f1:.2} (model only), {} rows, {:.0} s",
            tagger.stored_rows(),
            started.elapsed().as_secs_f64()
        );
        epochs.push(serde_json::json!({"epoch": epoch, "wrong_sentences": mistakes, "dev_f1_model_only": round(f1)}));
        if best.as_ref().is_none_or(|b| f1 > b.0) {
            best = Some((f1, epoch, tagger));
        }
    }
    let (_, best_epoch, mut tagger) = best.ok_or_else(|| Error::config("no epochs"))?;
    tagger.set_confidence(calibrate(&tagger, &dev, dev_docs));
    let bytes = tagger.to_bytes();
    // The report's dev scores come from the engine users run, loaded from the written bytes.
    let engine = Highlighter::from_model_bytes(&bytes)?;
    let (scores, tokens, secs) = eval::evaluate(&engine, dev_docs);
    eprint!("{}", scores.table());
    let conf = tagger.confidence();
    let report = serde_json::json!({
        "model": o.out,
        "format_version": FORMAT_VERSION,
        "bytes": bytes.len(),
        "labels": labels.iter().map(|l| l.name()).collect::<Vec<_>>(),
        "settings": {
            "seed": o.seed, "max_epochs": o.epochs, "best_epoch": best_epoch, "table_bits": o.bits,
            "feature_groups": group::names(o.groups), "clusters": cluster_file(o), "cluster_words": o.cluster_words.min(1 << 30),
            "surnames": o.surnames, "city_population": o.city_population, "gazetteer_corpora": o.gazetteer_corpora, "gazetteer_lists": o.gazetteer_lists, "min_weight": o.min_weight, "min_count": o.min_count, "margin": o.margin, "word_dropout": o.word_dropout,
            "render": o.render.name(),
            "nonzero_rows": tagger.stored_rows(), "tags": t, "scheme": "BILOU, Viterbi",
            "confidence": {"a": conf[0], "b": conf[1]},
        },
        "train": {"file": o.train, "documents": train_docs.len(), "tokens": train_al.tokens,
                  "spans": train_al.spans, "spans_not_on_token_boundaries": train_al.misaligned},
        "dev": {"file": o.dev, "documents": dev_docs.len(), "tokens": dev_al.tokens,
                "spans": dev_al.spans, "spans_not_on_token_boundaries": dev_al.misaligned},
        "epochs": epochs,
        "dev_scores": scores.to_json(),
        "engine_tokens_per_second_native": (tokens as f64 / secs.max(1e-9)).round(),
    });
    Ok((bytes, report))
}

/// Dev scores of the tagger alone (no rules merged in), over the dev file's types.
fn model_scores(tagger: &Tagger, dev: &[Prepared], docs: &[Document], labels: &[Label]) -> Scores {
    let mut scores = Scores::for_labels(labels);
    let mut out = Vec::new();
    for (p, d) in dev.iter().zip(docs) {
        out.clear();
        tagger.tag(&p.text, &p.tokens, &p.sentences, &p.rules, &mut out);
        scores.add(&d.gold, &out);
    }
    scores
}

/// Fits confidence = sigmoid(a × margin + b) to whether each dev prediction is exactly right.
fn calibrate(tagger: &Tagger, dev: &[Prepared], docs: &[Document]) -> [f32; 2] {
    const PROBE: f32 = 1e-3;
    let mut probe = tagger.clone();
    probe.set_confidence([PROBE, 0.0]);
    let mut points: Vec<(f64, f64)> = Vec::new();
    let mut out = Vec::new();
    for (p, d) in dev.iter().zip(docs) {
        out.clear();
        probe.tag(&p.text, &p.tokens, &p.sentences, &p.rules, &mut out);
        for e in &out {
            let s = (e.score as f64).clamp(1e-7, 1.0 - 1e-7);
            let margin = (s / (1.0 - s)).ln() / PROBE as f64;
            let ok = d.gold.contains(&(e.start, e.end, e.label));
            points.push((margin, ok as u8 as f64));
        }
    }
    if points.is_empty() {
        return [1.0, 0.0];
    }
    // Newton's method on the logistic log-likelihood, with margins scaled to unit spread.
    let spread = (points.iter().map(|p| p.0 * p.0).sum::<f64>() / points.len() as f64)
        .sqrt()
        .max(1e-6);
    let (mut a, mut b) = (0.0f64, 0.0f64);
    for _ in 0..50 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-6, 0.0, 1e-6);
        for &(m, y) in &points {
            let x = m / spread;
            let p = 1.0 / (1.0 + (-(a * x + b)).exp());
            let w = p * (1.0 - p);
            ga += (y - p) * x;
            gb += y - p;
            haa += w * x * x;
            hab += w * x;
            hbb += w;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-12 {
            break;
        }
        a += (hbb * ga - hab * gb) / det;
        b += (haa * gb - hab * ga) / det;
    }
    [(a / spread) as f32, b as f32]
}

/// Dev scores of the averaged weights without quantization (a debugging aid).
fn float_scores(
    wts: &Weights,
    base: &Tagger,
    dev: &[Prepared],
    docs: &[Document],
    labels: &[Label],
) -> Scores {
    let t = wts.tags;
    let (avg, tr) = wts.averaged();
    let mut scores = Scores::for_labels(labels);
    let mut ex = Extractor::default();
    let mut dec = Decoder::default();
    let mut e = Vec::new();
    let mut out = Vec::new();
    for (p, d) in dev.iter().zip(docs) {
        out.clear();
        base.tag_document(&mut ex, &mut dec, &p.doc(), |s, rows, dec| {
            float_emissions(&avg, t, rows, &mut e);
            nerlight::tagger::decode(dec, &e, s.len(), &tr, false);
            spans(&dec.path, |k, a, b| {
                out.push(Entity {
                    start: p.tokens[s.start + a].start,
                    end: p.tokens[s.start + b - 1].end,
                    label: base.labels()[k],
                    score: 1.0,
                    source: Source::Model,
                })
            });
        });
        scores.add(&d.gold, &out);
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;
    use nerlight::tagger::hash::phrase_hash;

    #[test]
    fn names_of_a_gazetteer_corpus_become_phrases_of_their_coarse_kind() {
        let path = std::env::temp_dir().join(format!("nerlight-gaz-{}.txt", std::process::id()));
        std::fs::write(
            &path,
            "-DOCSTART-\tO\n\nthe\tB-ORG\nSenate\tI-ORG\nmet\tO\nAli\tB-PER\nKhan\tI-PER\n\
             in\tO\nLima\tB-GPE\nin\tO\n1996\tB-DATE\n.\tO\n\n",
        )
        .unwrap();
        let o = Options {
            data: format!("{}/../../../shared/data", env!("CARGO_MANIFEST_DIR")),
            groups: group::GAZETTEER,
            gazetteer_corpora: vec![path.to_string_lossy().into_owned()],
            ..Options::default()
        };
        let lexicon = build_lexicon(&o);
        std::fs::remove_file(&path).unwrap();
        let lexicon = lexicon.unwrap();
        // A leading "the" is not part of the name; numeric types give no phrase.
        assert_eq!(
            lexicon.phrase(phrase_hash(&["senate"])),
            Gaz::CorpusOrg.bit()
        );
        assert_eq!(lexicon.phrase(phrase_hash(&["the", "senate"])), 0);
        assert_eq!(
            lexicon.phrase(phrase_hash(&["ali", "khan"])),
            Gaz::CorpusPerson.bit()
        );
        assert_ne!(
            lexicon.phrase(phrase_hash(&["lima"])) & Gaz::CorpusPlace.bit(),
            0
        );
        assert_eq!(lexicon.phrase(phrase_hash(&["1996"])), 0);
    }

    #[test]
    fn names_of_a_gazetteer_list_become_phrases_of_their_coarse_kind() {
        let dir = std::env::temp_dir();
        let path = dir.join(format!("nerlight-names-{}.tsv", std::process::id()));
        std::fs::write(
            &path,
            "# a comment\nORG\tTesla\nPERSON\tbarack obama\n\nORG\tThe Nasdaq\nDATE\t1996\n",
        )
        .unwrap();
        let o = Options {
            data: format!("{}/../../../shared/data", env!("CARGO_MANIFEST_DIR")),
            groups: group::GAZETTEER,
            gazetteer_lists: vec![path.to_string_lossy().into_owned()],
            ..Options::default()
        };
        let lexicon = build_lexicon(&o);
        let bad = dir.join(format!("nerlight-names-bad-{}.tsv", std::process::id()));
        std::fs::write(&bad, "ORG\tTesla\nTesla without a label\n").unwrap();
        let err = read_name_list(&bad.to_string_lossy())
            .unwrap_err()
            .to_string();
        std::fs::remove_file(&path).unwrap();
        std::fs::remove_file(&bad).unwrap();
        assert!(err.contains(":2: expected LABEL<TAB>name"), "{err}");
        let lexicon = lexicon.unwrap();
        assert_eq!(
            lexicon.phrase(phrase_hash(&["tesla"])),
            Gaz::CorpusOrg.bit()
        );
        assert_eq!(
            lexicon.phrase(phrase_hash(&["barack", "obama"])),
            Gaz::CorpusPerson.bit()
        );
        assert_eq!(
            lexicon.phrase(phrase_hash(&["nasdaq"])),
            Gaz::CorpusOrg.bit()
        );
        assert_eq!(lexicon.phrase(phrase_hash(&["1996"])), 0);
    }
}
