//! The trainer (native only): `nerlight train --train FILE --dev FILE --out MODEL …`.
//!
//! Training sees exactly what inference sees: each training document's text is rebuilt the
//! way `nerlight eval` rebuilds it, gold entities become byte ranges, and the text is
//! tokenized, split into sentences and matched by the rules with the engine's own functions.
//! Token tags come from the gold byte ranges (spans whose ends fall inside a token are counted
//! and reported). The learner is a structured averaged perceptron with the same Viterbi
//! decoder inference uses; after each epoch the averaged, int8-quantized model is scored on the
//! dev file and the best epoch is kept.

use std::ops::Range;
use std::time::Instant;

use super::decode::{decode, tag_count, tag_of, Decoder, Transitions};
use super::features::{group, Extractor, MAX_FEATURES};
use super::lexicon::{gaz, Lexicon, LexiconBuilder};
use super::Tagger;
use crate::eval::{self, Document, Scores};
use crate::rules::Rules;
use crate::tokenize::{sentences, tokenize, Token};
use crate::{Entity, Highlighter, Label};

const USAGE: &str = "\
usage: nerlight train --train FILE --dev FILE --out MODEL [options]

  --train FILE         training corpus (CoNLL format: TOKEN<TAB>TAG, IOB2, -DOCSTART- docs)
  --dev FILE           dev corpus, used to pick the epoch and calibrate confidences
  --out MODEL          where to write the model file
  --report JSON        where to write the training report
  --seed N             shuffling seed (default 1); the same seed gives the same model bytes
  --epochs N           maximum epochs (default 12); the best epoch on dev is kept
  --bits N             feature table size 2^N rows (default 18)
  --data DIR           lexicons and gazetteers (default ../shared/data)
  --groups LIST        feature groups: clusters,freq,gazetteer,rules,document,
                       history (default all)
  --cluster-words N    keep the N most frequent words of the cluster lexicon (default all)
  --surnames N         keep the N most frequent surnames (default 20000)
  --city-population N  keep cities with at least N people (default 50000)
  --gazetteer-corpus FILE
                       also use the names labelled in this corpus (CoNLL format, any
                       label set) as gazetteers of four coarse kinds; repeatable
  --margin X           train for a margin: each wrong tag scores X more while
                       decoding in training (default 0, the plain perceptron)
  --min-count N        ignore features seen fewer than N times in training (default 1)
  --min-weight X       drop quantized weights with |w| < X (default 1, i.e. keep all non-zero)";

/// Training settings.
#[derive(Clone, Debug)]
pub struct Options {
    pub train: String,
    pub dev: String,
    pub out: String,
    pub report: Option<String>,
    pub seed: u64,
    pub epochs: usize,
    pub bits: u32,
    pub data: String,
    pub groups: u32,
    pub cluster_words: usize,
    pub surnames: usize,
    pub city_population: u64,
    /// Annotated corpora whose entity strings become gazetteers.
    pub gazetteer_corpora: Vec<String>,
    pub min_weight: i32,
    pub min_count: u32,
    /// Loss-augmented decoding in training: every tag but the gold one gets this bonus.
    pub margin: f32,
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
            data: "../shared/data".into(),
            groups: group::ALL,
            cluster_words: usize::MAX,
            surnames: 20_000,
            city_population: 50_000,
            gazetteer_corpora: Vec::new(),
            min_weight: 1,
            min_count: 1,
            margin: 0.0,
        }
    }
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().ok_or(format!("{a} needs a value"));
        let num = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{a}: not a number: {v}"))
        };
        match a.as_str() {
            "--train" => o.train = value()?,
            "--dev" => o.dev = value()?,
            "--out" => o.out = value()?,
            "--report" => o.report = Some(value()?),
            "--seed" => o.seed = num(value()?)?,
            "--epochs" => o.epochs = num(value()?)?.max(1) as usize,
            "--bits" => o.bits = num(value()?)?.clamp(10, 24) as u32,
            "--data" => o.data = value()?,
            "--cluster-words" => o.cluster_words = num(value()?)? as usize,
            "--surnames" => o.surnames = num(value()?)? as usize,
            "--city-population" => o.city_population = num(value()?)?,
            "--gazetteer-corpus" => o.gazetteer_corpora.push(value()?),
            "--min-count" => o.min_count = num(value()?)?.max(1) as u32,
            "--margin" => {
                let v = value()?;
                o.margin = v
                    .parse::<f32>()
                    .ok()
                    .filter(|m| m.is_finite() && *m >= 0.0)
                    .ok_or(format!("{a}: not a number >= 0: {v}"))?;
            }
            "--min-weight" => o.min_weight = num(value()?)?.clamp(1, 127) as i32,
            "--groups" => {
                o.groups = 0;
                for g in value()?.split(',').filter(|g| !g.is_empty()) {
                    o.groups |= match g {
                        "clusters" => group::CLUSTERS,
                        "freq" => group::FREQ,
                        "gazetteer" => group::GAZETTEER,
                        "rules" => group::RULES,
                        "document" => group::DOCUMENT,
                        "history" => group::HISTORY,
                        "none" => 0,
                        _ => return Err(format!("unknown feature group {g:?}")),
                    };
                }
            }
            "-h" | "--help" => return Err(USAGE.into()),
            _ => return Err(format!("unknown option {a:?}\n{USAGE}")),
        }
    }
    if o.train.is_empty() || o.dev.is_empty() || o.out.is_empty() {
        return Err(USAGE.into());
    }
    Ok(o)
}

/// `nerlight train …`: trains a model, writes it and its report.
pub fn run_cli(args: &[String]) -> Result<(), String> {
    let o = parse(args)?;
    let started = Instant::now();
    let train_docs = eval::read_corpus(&o.train)?;
    let dev_docs = eval::read_corpus(&o.dev)?;
    let (bytes, mut report) = train(&o, &train_docs, &dev_docs)?;
    std::fs::write(&o.out, &bytes).map_err(|e| format!("cannot write {}: {e}", o.out))?;
    report["training_seconds"] = round(started.elapsed().as_secs_f64()).into();
    if let Some(path) = &o.report {
        let text = serde_json::to_string_pretty(&report).unwrap_or_default() + "\n";
        std::fs::write(path, text).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    eprintln!(
        "wrote {} ({} bytes) in {:.0} s",
        o.out,
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn read_lines(path: &str) -> Result<Vec<String>, String> {
    std::fs::read_to_string(path)
        .map(|s| s.lines().map(|l| l.trim().to_string()).collect())
        .map_err(|e| format!("cannot read {path}: {e}"))
}

/// Builds the lexicon from the word lists in `o.data` (those the feature groups need).
pub(crate) fn build_lexicon(o: &Options) -> Result<Lexicon, String> {
    let mut b = LexiconBuilder::default();
    let d = &o.data;
    if o.groups & group::CLUSTERS != 0 {
        for line in read_lines(&format!("{d}/lexicons/clusters_lc120k.tsv"))?
            .iter()
            .take(o.cluster_words)
        {
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
            ("countries.txt", gaz::COUNTRY),
            ("capitals.txt", gaz::CAPITAL),
            ("us_states.txt", gaz::US_STATE),
            ("continents.txt", gaz::CONTINENT),
            ("us_counties.txt", gaz::COUNTY),
            ("first_names.txt", gaz::FIRST_NAME),
            ("demonyms.txt", gaz::DEMONYM),
            ("org_legal_suffixes.txt", gaz::ORG_SUFFIX),
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
            b.phrase(l, gaz::SURNAME);
        }
        for l in read_lines(&format!("{g}/cities15000.tsv"))?.iter().skip(1) {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() >= 3 && f[2].parse::<u64>().unwrap_or(0) >= o.city_population {
                b.phrase(f[0], gaz::CITY);
            }
        }
        for path in &o.gazetteer_corpora {
            for doc in eval::read_corpus(path)? {
                for &(start, end, label) in &doc.gold {
                    let Some(flag) = corpus_kind(label) else {
                        continue;
                    };
                    let name = &doc.text[start..end];
                    // OntoNotes spans may open with "the" ("the Senate"); the name is the rest.
                    let name = ["the ", "The ", "THE "]
                        .iter()
                        .find_map(|the| name.strip_prefix(the))
                        .unwrap_or(name);
                    b.phrase(name, flag);
                }
            }
        }
    }
    Ok(b.build())
}

/// The coarse gazetteer kind of a name labelled `label` in a `--gazetteer-corpus`; numeric
/// and pattern types are not names and give none.
fn corpus_kind(label: Label) -> Option<u16> {
    use Label::*;
    match label {
        Person => Some(gaz::CORPUS_PERSON),
        Org => Some(gaz::CORPUS_ORG),
        Gpe | Loc | Fac => Some(gaz::CORPUS_PLACE),
        Norp | Misc | Product | Event | WorkOfArt | Law | Language => Some(gaz::CORPUS_OTHER),
        Date | Time | Percent | Money | Quantity | Ordinal | Cardinal | Email | Url | Phone => None,
    }
}

/// A training document after tokenization: the engine's tokens, sentences and rule matches,
/// and a gold tag per token.
struct Prepared {
    text: String,
    tokens: Vec<Token>,
    sentences: Vec<Range<usize>>,
    rules: Vec<Entity>,
    tags: Vec<u8>,
}

/// Alignment statistics of gold spans against the engine's tokens.
#[derive(Default)]
struct Alignment {
    spans: usize,
    misaligned: usize,
    tokens: usize,
}

fn prepare(
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
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
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

    /// The averaged weights, quantized into a tagger.
    fn snapshot(&self, base: &Tagger, min_weight: i32) -> Tagger {
        let t = self.tags;
        let avg = |i: usize| self.w[i] as f64 - self.u[i] / self.c;
        let max = (0..self.w.len()).map(|i| avg(i).abs()).fold(0.0, f64::max);
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        if std::env::var_os("NERLIGHT_DEBUG").is_some() {
            let mut v: Vec<f64> = (0..self.w.len())
                .map(|i| avg(i).abs())
                .filter(|&x| x > 0.0)
                .collect();
            v.sort_by(f64::total_cmp);
            let q = |p: f64| {
                v.get(((v.len() as f64 - 1.0) * p) as usize)
                    .copied()
                    .unwrap_or(0.0)
            };
            eprintln!("weights: {} non-zero, max {max:.3}, p50 {:.4} p90 {:.4} p99 {:.4} p99.9 {:.4}, scale {scale:.4}", v.len(), q(0.5), q(0.9), q(0.99), q(0.999));
        }
        let rows = self.w.len() / t;
        let mut bitmap = vec![0u64; rows.div_ceil(64)];
        let mut weights = Vec::new();
        let stride = super::stride(t);
        let mut q = vec![0i8; stride];
        for r in 0..rows {
            let mut any = false;
            for (k, slot) in q[..t].iter_mut().enumerate() {
                let v = (avg(r * t + k) / scale).round() as i32;
                let v = if v.abs() < min_weight {
                    0
                } else {
                    v.clamp(-127, 127)
                };
                *slot = v as i8;
                any |= v != 0;
            }
            if any {
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
        let tr = |i: usize| (self.trans[i] - self.trans_u[i] / self.c) as f32;
        Tagger {
            labels: base.labels.clone(),
            bits: base.bits,
            groups: base.groups,
            bitmap,
            rank,
            weights,
            stride,
            scale: scale as f32,
            conf: base.conf,
            trans: Transitions::new(
                t,
                (0..t * t).map(tr).collect(),
                (t * t..t * t + t).map(tr).collect(),
            ),
            lexicon: base.lexicon.clone(),
            scratch: Default::default(),
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
) -> Result<(Vec<u8>, serde_json::Value), String> {
    let lexicon = build_lexicon(o)?;
    let labels = eval::gold_labels(train_docs);
    if labels.is_empty() {
        return Err("the training corpus has no entities".into());
    }
    if labels.len() > 120 {
        return Err("too many entity types".into());
    }
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
    let base = Tagger {
        labels: labels.clone(),
        bits: o.bits,
        groups: o.groups,
        bitmap: Vec::new(),
        rank: Vec::new(),
        weights: Vec::new(),
        stride: super::stride(t),
        scale: 1.0,
        conf: [1.0, 0.0],
        trans: Transitions::default(),
        lexicon,
        scratch: Default::default(),
    };
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
    // Feature counts (per row): rare features are left out of training, so they get no row.
    let mut keep = vec![true; rows];
    let mut spans = Vec::new();
    if o.min_count > 1 {
        let mut counts = vec![0u32; rows];
        for doc in &data {
            ex.prepare(
                &doc.text,
                &doc.tokens,
                &doc.sentences,
                &doc.rules,
                &base.lexicon,
                o.groups,
            );
            for s in &doc.sentences {
                ex.sentence(s.clone(), o.bits);
                for &r in ex.rows.iter().filter(|&&r| r != u32::MAX) {
                    counts[r as usize] = counts[r as usize].saturating_add(1);
                }
                // The history features exist only once sentences have been tagged: count them
                // with the gold tags as the history, or their rows would never be kept.
                record(&mut ex, s.clone(), &doc.tags[s.clone()], &mut spans);
            }
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
    let mut dec = Decoder::default();
    let mut emissions = Vec::new();
    let mut epochs = Vec::new();
    let mut best: Option<(f64, usize, Tagger)> = None;
    let gold_dev_labels = eval::gold_labels(dev_docs);
    let started = Instant::now();
    for epoch in 1..=o.epochs {
        rng.shuffle(&mut data);
        let mut mistakes = 0usize;
        for doc in &data {
            ex.prepare(
                &doc.text,
                &doc.tokens,
                &doc.sentences,
                &doc.rules,
                &base.lexicon,
                o.groups,
            );
            for s in &doc.sentences {
                let n = s.len();
                if n == 0 {
                    continue;
                }
                ex.sentence(s.clone(), o.bits);
                emissions.clear();
                emissions.resize(n * t, 0.0f32);
                for j in 0..n {
                    let e = &mut emissions[j * t..(j + 1) * t];
                    for &r in &ex.rows[j * MAX_FEATURES..(j + 1) * MAX_FEATURES] {
                        if r == u32::MAX {
                            break;
                        }
                        let w = &wts.w[r as usize * t..(r as usize + 1) * t];
                        for (a, &x) in e.iter_mut().zip(w) {
                            *a += x;
                        }
                    }
                }
                let gold = &doc.tags[s.clone()];
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
                let (trans, start) = wts.trans.split_at(t * t);
                let tr = Transitions::new(
                    t,
                    trans.iter().map(|&x| x as f32).collect(),
                    start.iter().map(|&x| x as f32).collect(),
                );
                decode(&mut dec, &emissions, n, &tr, false);
                record(&mut ex, s.clone(), &dec.path, &mut spans);
                if dec.path != gold {
                    mistakes += 1;
                    for j in 0..n {
                        let (g, p) = (gold[j] as usize, dec.path[j] as usize);
                        if g != p {
                            for &r in &ex.rows[j * MAX_FEATURES..(j + 1) * MAX_FEATURES] {
                                if r == u32::MAX {
                                    break;
                                }
                                if !keep[r as usize] {
                                    continue;
                                }
                                wts.update(r as usize * t + g, 1.0);
                                wts.update(r as usize * t + p, -1.0);
                            }
                        }
                        let (gp, pp) = if j == 0 {
                            (None, None)
                        } else {
                            (Some(gold[j - 1] as usize), Some(dec.path[j - 1] as usize))
                        };
                        if (gp, g) != (pp, p) {
                            let gi = gp.map_or(t * t + g, |x| x * t + g);
                            let pi = pp.map_or(t * t + p, |x| x * t + p);
                            wts.update_trans(gi, 1.0);
                            wts.update_trans(pi, -1.0);
                        }
                    }
                }
                wts.c += 1.0;
            }
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
            tagger.rows(),
            started.elapsed().as_secs_f64()
        );
        epochs.push(serde_json::json!({"epoch": epoch, "wrong_sentences": mistakes, "dev_f1_model_only": round(f1)}));
        if best.as_ref().is_none_or(|b| f1 > b.0) {
            best = Some((f1, epoch, tagger));
        }
    }
    let (_, best_epoch, mut tagger) = best.ok_or("no epochs")?;
    tagger.conf = calibrate(&tagger, &dev, dev_docs);
    let bytes = tagger.to_bytes();
    // The report's dev scores come from the engine users run, loaded from the written bytes.
    let engine = Highlighter::from_model_bytes(&bytes).map_err(|e| e.to_string())?;
    let (scores, tokens, secs) = eval::evaluate(&engine, dev_docs);
    eprint!("{}", scores.table());
    let report = serde_json::json!({
        "model": o.out,
        "format_version": super::FORMAT_VERSION,
        "bytes": bytes.len(),
        "labels": labels.iter().map(|l| l.name()).collect::<Vec<_>>(),
        "settings": {
            "seed": o.seed, "max_epochs": o.epochs, "best_epoch": best_epoch, "table_bits": o.bits,
            "feature_groups": group_names(o.groups), "cluster_words": o.cluster_words.min(1 << 30),
            "surnames": o.surnames, "city_population": o.city_population, "gazetteer_corpora": o.gazetteer_corpora, "min_weight": o.min_weight, "min_count": o.min_count, "margin": o.margin,
            "nonzero_rows": tagger.rows(), "tags": t, "scheme": "BILOU, Viterbi",
            "confidence": {"a": tagger.conf[0], "b": tagger.conf[1]},
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

/// Feeds a tagged sentence's spans to the extractor's history features.
fn record(
    ex: &mut Extractor,
    sentence: Range<usize>,
    path: &[u8],
    spans: &mut Vec<(usize, usize, usize)>,
) {
    spans.clear();
    super::spans(path, |k, a, b| spans.push((k, a, b)));
    ex.record(sentence, spans);
}

fn group_names(g: u32) -> Vec<&'static str> {
    [
        (group::CLUSTERS, "clusters"),
        (group::FREQ, "freq"),
        (group::GAZETTEER, "gazetteer"),
        (group::RULES, "rules"),
        (group::DOCUMENT, "document"),
        (group::HISTORY, "history"),
    ]
    .iter()
    .filter(|(b, _)| g & b != 0)
    .map(|&(_, n)| n)
    .collect()
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
    probe.conf = [PROBE, 0.0];
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
    let avg: Vec<f32> = (0..wts.w.len())
        .map(|i| (wts.w[i] as f64 - wts.u[i] / wts.c) as f32)
        .collect();
    let tr: Vec<f32> = (0..wts.trans.len())
        .map(|i| (wts.trans[i] - wts.trans_u[i] / wts.c) as f32)
        .collect();
    let tr = Transitions::new(t, tr[..t * t].to_vec(), tr[t * t..].to_vec());
    let mut scores = Scores::for_labels(labels);
    let mut ex = Extractor::default();
    let mut dec = Decoder::default();
    let mut out = Vec::new();
    for (p, d) in dev.iter().zip(docs) {
        out.clear();
        ex.prepare(
            &p.text,
            &p.tokens,
            &p.sentences,
            &p.rules,
            &base.lexicon,
            base.groups,
        );
        for s in &p.sentences {
            let n = s.len();
            ex.sentence(s.clone(), base.bits);
            let mut e = vec![0f32; n * t];
            for j in 0..n {
                for &r in &ex.rows[j * MAX_FEATURES..(j + 1) * MAX_FEATURES] {
                    if r == u32::MAX {
                        break;
                    }
                    for k in 0..t {
                        e[j * t + k] += avg[r as usize * t + k];
                    }
                }
            }
            decode(&mut dec, &e, n, &tr, false);
            record(&mut ex, s.clone(), &dec.path, &mut Vec::new());
            super::spans(&dec.path, |k, a, b| {
                out.push(Entity {
                    start: p.tokens[s.start + a].start,
                    end: p.tokens[s.start + b - 1].end,
                    label: base.labels[k],
                    score: 1.0,
                    source: crate::Source::Model,
                })
            });
        }
        scores.add(&d.gold, &out);
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagger::features::phrase_hash;

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
            groups: group::GAZETTEER,
            gazetteer_corpora: vec![path.to_string_lossy().into_owned()],
            ..Options::default()
        };
        let lexicon = build_lexicon(&o);
        std::fs::remove_file(&path).unwrap();
        let lexicon = lexicon.unwrap();
        // A leading "the" is not part of the name; numeric types give no phrase.
        assert_eq!(lexicon.phrase(phrase_hash(&["senate"])), gaz::CORPUS_ORG);
        assert_eq!(lexicon.phrase(phrase_hash(&["the", "senate"])), 0);
        assert_eq!(
            lexicon.phrase(phrase_hash(&["ali", "khan"])),
            gaz::CORPUS_PERSON
        );
        assert_ne!(
            lexicon.phrase(phrase_hash(&["lima"])) & gaz::CORPUS_PLACE,
            0
        );
        assert_eq!(lexicon.phrase(phrase_hash(&["1996"])), 0);
    }

    #[test]
    fn margin_must_be_a_non_negative_number() {
        let base = ["--train", "a", "--dev", "b", "--out", "c"].map(String::from);
        let with = |m: &str| {
            let mut v = base.to_vec();
            v.extend(["--margin".to_string(), m.to_string()]);
            parse(&v)
        };
        assert_eq!(with("30").unwrap().margin, 30.0);
        assert!(with("-1").is_err());
        assert!(with("x").is_err());
        assert_eq!(parse(&base).unwrap().margin, 0.0);
    }
}
