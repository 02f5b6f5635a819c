//! A probe for issue 13's second item: does a small window network, trained beside a finished
//! linear model and added to its scores, lift dev F1? Nothing here ships; it measures.
//!
//! The network reads the same feature rows the linear model reads (its hashed templates, from
//! [`Tagger::tag_document`], so tokenization, lexicons, rules and history are the engine's),
//! folded into `2^bits` embedding rows of `dim` floats and summed per token (a hashed
//! embedding bag), then two window layers of `hidden` ReLU units over ±1 token each (the
//! second residual, so a token sees ±2), then a linear map to the BILOU tags. It is trained
//! alone with a per-token softmax loss (Adam; AdaGrad for the embedding rows), and scored on
//! dev three ways: the linear model alone, the network alone (its log-probabilities decoded
//! by the same constrained Viterbi), and their sum `linear + λ · log p` with the linear
//! model's transitions, over a grid of `λ`.

use std::time::Instant;

use nerlight::rules::Rules;
use nerlight::tagger::{decode, spans, Decoder, Extractor, Tagger, Transitions, MAX_FEATURES};

use crate::eval::{Corpus, Rendering};
use crate::train::{prepare, Alignment, Rng};
use crate::Error;

/// What the probe trains and where it reads.
#[derive(Clone, Debug)]
pub struct Options {
    /// The finished linear model (its features, lexicon, labels and scores).
    pub model: String,
    /// Training corpus (CoNLL format), written as spaced text.
    pub train: String,
    /// Dev corpus, scored each epoch.
    pub dev: String,
    /// Embedding rows, as `2^bits`.
    pub bits: u32,
    /// Embedding width.
    pub dim: usize,
    /// Units of each window layer.
    pub hidden: usize,
    /// Passes over the training corpus.
    pub epochs: usize,
    /// Seeds initialization, shuffling and dropout.
    pub seed: u64,
    /// Adam's step for the dense layers.
    pub lr: f32,
    /// AdaGrad's step for the embedding rows.
    pub lr_embed: f32,
    /// Sentences per Adam step.
    pub batch: usize,
    /// In training, each feature row of a token is left out of its bag with this probability.
    pub feature_dropout: f32,
    /// In training, each hidden unit is zeroed with this probability (inverted dropout).
    pub hidden_dropout: f32,
    /// Word vectors (`word<TAB>x1 x2 …` lines, lowercase words): each token's vector, through
    /// a learned projection, joins its bag.
    pub vectors: Option<String>,
    /// Stacking: `(model, corpus)` pairs, each corpus read with a model that was not trained
    /// on it. The network then trains on these sentences to correct `alpha × linear scores`
    /// (softmax over the sum), rather than alone.
    pub folds: Vec<(String, String)>,
    /// The linear scores' weight in the stacked loss.
    pub alpha: f32,
}

/// Word vectors by lowercase word.
#[derive(Default)]
struct Vectors {
    index: std::collections::HashMap<String, u32>,
    dim: usize,
    x: Vec<f32>,
}

fn read_vectors(path: &str) -> Result<Vectors, Error> {
    let data = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut v = Vectors::default();
    for line in data.lines() {
        let Some((w, xs)) = line.split_once('\t') else {
            continue;
        };
        let row: Vec<f32> = xs.split(' ').filter_map(|x| x.parse().ok()).collect();
        if v.dim == 0 {
            v.dim = row.len();
        }
        if row.len() != v.dim || v.index.contains_key(w) {
            continue;
        }
        v.index.insert(w.to_string(), v.index.len() as u32);
        // Unit vectors have components of about 1/sqrt(dim): scale them to about 1.
        v.x.extend(row.iter().map(|x| x * (v.dim as f32).sqrt()));
    }
    Ok(v)
}

/// One sentence: its tokens' embedding rows, gold tags and (dev only) linear scores.
struct Sent {
    rows: Vec<u32>,
    /// Where each token's rows start in `rows` (one more than tokens).
    offs: Vec<u32>,
    gold: Vec<u8>,
    linear: Vec<f32>,
    /// Each token's row in the word vectors, `u32::MAX` for none.
    vecs: Vec<u32>,
    /// The document it belongs to (its index in the corpus).
    doc: usize,
}

fn sentences(
    tagger: &Tagger,
    path: &str,
    bits: u32,
    keep_linear: bool,
    vectors: &Vectors,
    rendering: Rendering,
) -> Result<(Vec<Sent>, usize), Error> {
    let docs = Corpus::read(path)?.render(rendering);
    let labels = tagger.labels().to_vec();
    let mut al = Alignment::default();
    let prepared = prepare(&docs, &labels, &Rules::new(), &mut al);
    let (mut ex, mut dec) = (Extractor::default(), Decoder::default());
    let mut em = Vec::new();
    let mut out = Vec::new();
    let mut tokens = 0;
    // Rows fold onto the first `bits` bits of their hash (a model with fewer keeps its own).
    let shift = tagger.bits().saturating_sub(bits);
    for (doc, p) in prepared.iter().enumerate() {
        tagger.tag_document(&mut ex, &mut dec, &p.doc(), |s, rows, d| {
            let n = s.len();
            tagger.emission_scores(rows, &mut em);
            decode(d, &em, n, tagger.transitions(), false);
            let mut sent = Sent {
                rows: Vec::new(),
                offs: vec![0],
                gold: p.tags[s.clone()].to_vec(),
                linear: if keep_linear { em.clone() } else { Vec::new() },
                vecs: p.tokens[s.clone()]
                    .iter()
                    .map(|t| {
                        let w = p.text[t.start..t.end].to_lowercase();
                        vectors.index.get(&w).copied().unwrap_or(u32::MAX)
                    })
                    .collect(),
                doc,
            };
            for tok in rows.chunks_exact(MAX_FEATURES) {
                sent.rows.extend(
                    tok.iter()
                        .take_while(|&&r| r != u32::MAX)
                        .map(|&r| r >> shift),
                );
                sent.offs.push(sent.rows.len() as u32);
            }
            tokens += n;
            out.push(sent);
        });
    }
    Ok((out, tokens))
}

/// Dense parameters and their Adam moments, all in one vector.
struct Net {
    d: usize,
    h: usize,
    t: usize,
    /// Embedding rows and their AdaGrad sums.
    e: Vec<f32>,
    e_g2: Vec<f32>,
    /// w1 (h × 3d), b1 (h), w2 (h × 3h), b2 (h), w3 (t × h), b3 (t).
    p: Vec<f32>,
    g: Vec<f32>,
    m: Vec<f32>,
    v: Vec<f32>,
    step: i32,
    /// Word vector width (0 without vectors) and the vectors.
    vd: usize,
    vx: Vec<f32>,
}

impl Net {
    fn new(rows: usize, d: usize, h: usize, t: usize, vectors: Vectors, rng: &mut Rng) -> Net {
        let mut normal = |scale: f32| {
            // Sum of four uniforms, scaled to unit variance.
            let s: f32 = (0..4)
                .map(|_| (rng.next() >> 40) as f32 / (1u64 << 24) as f32)
                .sum();
            (s - 2.0) * (3.0f32).sqrt() * scale
        };
        let e = (0..rows * d).map(|_| normal(0.1)).collect();
        let mut p = Vec::new();
        let layer =
            |p: &mut Vec<f32>, out: usize, inp: usize, normal: &mut dyn FnMut(f32) -> f32| {
                let scale = (2.0 / inp as f32).sqrt();
                p.extend((0..out * inp).map(|_| normal(scale)));
                p.extend(std::iter::repeat_n(0.0, out));
            };
        layer(&mut p, h, 3 * d, &mut normal);
        layer(&mut p, h, 3 * h, &mut normal);
        layer(&mut p, t, h, &mut normal);
        // The word vectors' projection into the bag (d × vd), without a bias of its own.
        let vd = vectors.dim;
        let scale = (1.0 / vd.max(1) as f32).sqrt();
        p.extend((0..d * vd).map(|_| normal(scale)));
        let n = p.len();
        Net {
            d,
            h,
            t,
            e_g2: vec![0.0; rows * d],
            e,
            p,
            g: vec![0.0; n],
            m: vec![0.0; n],
            v: vec![0.0; n],
            step: 0,
            vd,
            vx: vectors.x,
        }
    }

    /// Where the word vectors' projection starts in `p`.
    fn projection(&self) -> usize {
        let (.., b3) = self.layers();
        b3 + self.t
    }

    /// The two window layers, then where the output layer's weights (`t × h`) and biases start.
    fn layers(&self) -> (Window, Window, usize, usize) {
        let (d, h, t) = (self.d, self.h, self.t);
        let first = Window {
            w: 0,
            b: h * 3 * d,
            rows: h,
            width: d,
        };
        let second = Window {
            w: first.b + h,
            b: first.b + h + h * 3 * h,
            rows: h,
            width: h,
        };
        let w3 = second.b + h;
        (first, second, w3, w3 + t * h)
    }
}

/// One sentence's activations.
#[derive(Default)]
struct Acts {
    bag: Vec<f32>,
    z1: Vec<f32>,
    a1: Vec<f32>,
    z2: Vec<f32>,
    a2: Vec<f32>,
    out: Vec<f32>,
    /// Log-probabilities of the loss (of `out`, or of `alpha × linear + out` when stacking).
    lp: Vec<f32>,
    /// Training only: which feature rows were kept, and the hidden units' dropout scales.
    keep: Vec<bool>,
    mask1: Vec<f32>,
    mask2: Vec<f32>,
}

/// Draws the dropout masks of one sentence (`train`), or none.
fn masks(a: &mut Acts, s: &Sent, h: usize, o: Option<(&Options, &mut Rng)>) {
    let n = s.gold.len();
    a.keep.clear();
    a.mask1.clear();
    a.mask2.clear();
    let Some((o, rng)) = o else {
        a.keep.resize(s.rows.len(), true);
        a.mask1.resize(n * h, 1.0);
        a.mask2.resize(n * h, 1.0);
        return;
    };
    let mut draw = |p: f32| (rng.next() >> 40) as f32 / (1u64 << 24) as f32 >= p;
    a.keep
        .extend((0..s.rows.len()).map(|_| draw(o.feature_dropout)));
    let scale = 1.0 / (1.0 - o.hidden_dropout);
    a.mask1
        .extend((0..n * h).map(|_| if draw(o.hidden_dropout) { scale } else { 0.0 }));
    a.mask2
        .extend((0..n * h).map(|_| if draw(o.hidden_dropout) { scale } else { 0.0 }));
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut s = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            s[k] += x[k] * y[k];
        }
    }
    let mut r: f32 = s.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        r += x * y;
    }
    r
}

fn axpy(y: &mut [f32], a: f32, x: &[f32]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

/// Where a window layer's weights (`rows × 3 width`, then `rows` biases) sit in the
/// parameters, and its shape: `out[i] = b + W · [x[i-1]; x[i]; x[i+1]]` over tokens of `width`
/// values, zeros past the sentence's ends.
#[derive(Clone, Copy)]
struct Window {
    w: usize,
    b: usize,
    rows: usize,
    width: usize,
}

impl Window {
    /// The weights that meet input token `i + k - 1` at output row `r`.
    fn slot(self, r: usize, k: usize) -> usize {
        self.w + r * 3 * self.width + k * self.width
    }

    /// The neighbours of token `i` of `n` that exist, with their place `k` in the window.
    fn neighbours(i: usize, n: usize) -> impl Iterator<Item = (usize, usize)> {
        (0..3).filter_map(move |k| {
            let j = (i + k).checked_sub(1)?;
            (j < n).then_some((k, j))
        })
    }

    fn forward(self, p: &[f32], x: &[f32], n: usize, out: &mut Vec<f32>) {
        let (rows, width) = (self.rows, self.width);
        out.clear();
        out.resize(n * rows, 0.0);
        for i in 0..n {
            let o = &mut out[i * rows..(i + 1) * rows];
            o.copy_from_slice(&p[self.b..self.b + rows]);
            for (k, j) in Window::neighbours(i, n) {
                let xj = &x[j * width..(j + 1) * width];
                for (r, o) in o.iter_mut().enumerate() {
                    let at = self.slot(r, k);
                    *o += dot(&p[at..at + width], xj);
                }
            }
        }
    }

    /// Backward of [`Window::forward`]: adds to the weights' gradient `g` and to `gx`.
    fn backward(self, p: &[f32], g: &mut [f32], x: &[f32], n: usize, gout: &[f32], gx: &mut [f32]) {
        let (rows, width) = (self.rows, self.width);
        for i in 0..n {
            let go = &gout[i * rows..(i + 1) * rows];
            axpy(&mut g[self.b..self.b + rows], 1.0, go);
            for (k, j) in Window::neighbours(i, n) {
                for (r, &gr) in go.iter().enumerate().filter(|x| *x.1 != 0.0) {
                    let at = self.slot(r, k);
                    axpy(&mut g[at..at + width], gr, &x[j * width..(j + 1) * width]);
                    axpy(&mut gx[j * width..(j + 1) * width], gr, &p[at..at + width]);
                }
            }
        }
    }
}

fn forward(net: &Net, s: &Sent, alpha: f32, a: &mut Acts) {
    let (d, h, t) = (net.d, net.h, net.t);
    let n = s.gold.len();
    let (first, second, w3, b3) = net.layers();
    a.bag.clear();
    a.bag.resize(n * d, 0.0);
    for i in 0..n {
        let bag = &mut a.bag[i * d..(i + 1) * d];
        let (lo, hi) = (s.offs[i] as usize, s.offs[i + 1] as usize);
        for (&r, _) in s.rows[lo..hi].iter().zip(&a.keep[lo..hi]).filter(|x| *x.1) {
            axpy(bag, 1.0, &net.e[r as usize * d..(r as usize + 1) * d]);
        }
        let v = s.vecs[i] as usize;
        if net.vd > 0 && v != u32::MAX as usize {
            let (pv, vd) = (net.projection(), net.vd);
            let x = &net.vx[v * vd..(v + 1) * vd];
            for (k, b) in bag.iter_mut().enumerate() {
                *b += dot(&net.p[pv + k * vd..pv + (k + 1) * vd], x);
            }
        }
    }
    first.forward(&net.p, &a.bag, n, &mut a.z1);
    a.a1.clear();
    a.a1.extend(a.z1.iter().zip(&a.mask1).map(|(&z, &m)| z.max(0.0) * m));
    second.forward(&net.p, &a.a1, n, &mut a.z2);
    a.a2.clear();
    a.a2.extend(
        a.z2.iter()
            .zip(&a.a1)
            .zip(&a.mask2)
            .map(|((&z, &x), &m)| z.max(0.0) * m + x),
    );
    a.out.clear();
    for i in 0..n {
        let x = &a.a2[i * h..(i + 1) * h];
        for k in 0..t {
            a.out
                .push(net.p[b3 + k] + dot(&net.p[w3 + k * h..w3 + (k + 1) * h], x));
        }
    }
    // Log-probabilities.
    a.lp.clear();
    if s.linear.is_empty() || alpha == 0.0 {
        a.lp.extend_from_slice(&a.out);
    } else {
        a.lp.extend(a.out.iter().zip(&s.linear).map(|(&o, &l)| o + alpha * l));
    }
    for o in a.lp.chunks_exact_mut(t) {
        let m = o.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let z = o.iter().map(|&x| (x - m).exp()).sum::<f32>().ln() + m;
        for x in o.iter_mut() {
            *x -= z;
        }
    }
}

/// Backward pass of the softmax loss; returns the sentence's loss. Dense gradients add to
/// `net.g`; the embedding rows are updated at once (AdaGrad).
fn backward(net: &mut Net, s: &Sent, a: &Acts, lr_embed: f32) -> f32 {
    let (d, h, t) = (net.d, net.h, net.t);
    let n = s.gold.len();
    let (first, second, w3, b3) = net.layers();
    let mut loss = 0.0;
    let mut ga2 = vec![0.0f32; n * h];
    for i in 0..n {
        let lp = &a.lp[i * t..(i + 1) * t];
        let gold = s.gold[i] as usize;
        loss -= lp[gold];
        let x = &a.a2[i * h..(i + 1) * h];
        for (k, &l) in lp.iter().enumerate() {
            let gk = l.exp() - if k == gold { 1.0 } else { 0.0 };
            net.g[b3 + k] += gk;
            axpy(&mut net.g[w3 + k * h..w3 + (k + 1) * h], gk, x);
            axpy(
                &mut ga2[i * h..(i + 1) * h],
                gk,
                &net.p[w3 + k * h..w3 + (k + 1) * h],
            );
        }
    }
    // a2 = relu(z2) × mask2 + a1.
    let gz2 = relu_back(&ga2, &a.z2, &a.mask2);
    let mut ga1 = ga2;
    second.backward(&net.p, &mut net.g, &a.a1, n, &gz2, &mut ga1);
    let gz1 = relu_back(&ga1, &a.z1, &a.mask1);
    let mut gbag = vec![0.0f32; n * d];
    first.backward(&net.p, &mut net.g, &a.bag, n, &gz1, &mut gbag);
    for i in 0..n {
        let gb = &gbag[i * d..(i + 1) * d];
        let v = s.vecs[i] as usize;
        if net.vd > 0 && v != u32::MAX as usize {
            let (pv, vd) = (net.projection(), net.vd);
            for (k, &g) in gb.iter().enumerate() {
                let at = pv + k * vd;
                axpy(&mut net.g[at..at + vd], g, &net.vx[v * vd..(v + 1) * vd]);
            }
        }
        let (lo, hi) = (s.offs[i] as usize, s.offs[i + 1] as usize);
        for (&r, _) in s.rows[lo..hi].iter().zip(&a.keep[lo..hi]).filter(|x| *x.1) {
            let at = r as usize * d;
            let e = &mut net.e[at..at + d];
            let g2 = &mut net.e_g2[at..at + d];
            for ((e, g2), &g) in e.iter_mut().zip(g2.iter_mut()).zip(gb) {
                *g2 += g * g;
                *e -= lr_embed * g / (g2.sqrt() + 1e-6);
            }
        }
    }
    loss
}

/// The gradient at a dropped-out ReLU's input `z`, from the gradient `g` at its output.
fn relu_back(g: &[f32], z: &[f32], mask: &[f32]) -> Vec<f32> {
    g.iter()
        .zip(z)
        .zip(mask)
        .map(|((&g, &z), &m)| if z > 0.0 { g * m } else { 0.0 })
        .collect()
}

fn adam(net: &mut Net, lr: f32, scale: f32) {
    net.step += 1;
    let (b1, b2) = (0.9f32, 0.999f32);
    let c1 = 1.0 - b1.powi(net.step);
    let c2 = 1.0 - b2.powi(net.step);
    for i in 0..net.p.len() {
        let g = net.g[i] * scale;
        net.m[i] = b1 * net.m[i] + (1.0 - b1) * g;
        net.v[i] = b2 * net.v[i] + (1.0 - b2) * g * g;
        net.p[i] -= lr * (net.m[i] / c1) / ((net.v[i] / c2).sqrt() + 1e-8);
        net.g[i] = 0.0;
    }
}

/// Exact-span counts of a decoded path against the gold path.
fn count(gold: &[u8], path: &[u8], c: &mut [usize; 3]) {
    let (mut g, mut p) = (Vec::new(), Vec::new());
    spans(gold, |k, a, b| g.push((k, a, b)));
    spans(path, |k, a, b| p.push((k, a, b)));
    let tp = p.iter().filter(|x| g.contains(x)).count();
    c[0] += tp;
    c[1] += p.len();
    c[2] += g.len();
}

fn f1(c: &[usize; 3]) -> f64 {
    let (p, r) = (
        c[0] as f64 / c[1].max(1) as f64,
        c[0] as f64 / c[2].max(1) as f64,
    );
    if p + r == 0.0 {
        0.0
    } else {
        200.0 * p * r / (p + r)
    }
}

/// Runs the probe, printing per epoch the dev F1 of the network alone and of the sum for
/// each `λ`.
pub fn probe(o: &Options) -> Result<(), Error> {
    let bytes = std::fs::read(&o.model).map_err(|e| Error::io(&o.model, e))?;
    let tagger = Tagger::from_bytes(&bytes)?;
    let bits = o.bits.clamp(1, tagger.bits());
    let started = Instant::now();
    let vectors = match &o.vectors {
        Some(path) => read_vectors(path)?,
        None => Vectors::default(),
    };
    let (mut train, mut tokens) = (Vec::new(), 0);
    if o.folds.is_empty() {
        (train, tokens) = sentences(&tagger, &o.train, bits, false, &vectors, Rendering::Spaced)?;
    }
    for (model, corpus) in &o.folds {
        let bytes = std::fs::read(model).map_err(|e| Error::io(model, e))?;
        let (s, n) = sentences(
            &Tagger::from_bytes(&bytes)?,
            corpus,
            bits,
            true,
            &vectors,
            Rendering::Spaced,
        )?;
        train.extend(s);
        tokens += n;
    }
    let alpha = if o.folds.is_empty() { 0.0 } else { o.alpha };
    // Dev in both renderings: tokens joined by spaces, as the corpus comes, and as people write.
    let mut devs = Vec::new();
    for rendering in [Rendering::Spaced, Rendering::Natural] {
        let (dev, _) = sentences(&tagger, &o.dev, bits, true, &vectors, rendering)?;
        devs.push((rendering, dev));
    }
    let (dev, dev_tokens) = (
        &devs[0].1,
        devs[0].1.iter().map(|s| s.gold.len()).sum::<usize>(),
    );
    let covered = train
        .iter()
        .flat_map(|s| &s.vecs)
        .filter(|&&v| v != u32::MAX)
        .count();
    eprintln!("{covered} of {tokens} training tokens have a word vector");
    eprintln!(
        "{} train sentences ({tokens} tokens), {} dev ({dev_tokens}); features read in {:.0} s",
        train.len(),
        dev.len(),
        started.elapsed().as_secs_f64()
    );
    let t = nerlight::tagger::tag_count(tagger.labels().len());
    let mut rng = Rng(o.seed);
    let mut net = Net::new(1 << bits, o.dim, o.hidden, t, vectors, &mut rng);
    let zero = Transitions::new(t, vec![0.0; t * t], vec![0.0; t]);
    let lambdas = [0.0f32, 2.0, 4.0, 8.0, 16.0];
    let mut dec = Decoder::default();
    let mut acts = Acts::default();
    // Per rendering, epoch, half of dev (even or odd documents) and λ > 0: the sum's counts, so
    // that an epoch and a λ can be chosen on one half and scored on the other.
    let mut halves = vec![Vec::new(); devs.len()];
    for epoch in 1..=o.epochs {
        rng.shuffle(&mut train);
        let mut loss = 0.0f64;
        let mut in_batch = 0;
        let mut drop = Rng(o.seed ^ (epoch as u64) << 32);
        for s in &train {
            masks(&mut acts, s, o.hidden, Some((o, &mut drop)));
            forward(&net, s, alpha, &mut acts);
            loss += backward(&mut net, s, &acts, o.lr_embed) as f64;
            in_batch += 1;
            if in_batch == o.batch {
                adam(&mut net, o.lr, 1.0 / o.batch as f32);
                in_batch = 0;
            }
        }
        if in_batch > 0 {
            adam(&mut net, o.lr, 1.0 / in_batch as f32);
        }
        for ((rendering, dev), halves) in devs.iter().zip(halves.iter_mut()) {
            let mut alone = [0usize; 3];
            let mut sums = vec![[0usize; 3]; lambdas.len()];
            let mut half = [
                vec![[0usize; 3]; lambdas.len()],
                vec![[0usize; 3]; lambdas.len()],
            ];
            let mut em = Vec::new();
            for s in dev {
                let n = s.gold.len();
                masks(&mut acts, s, o.hidden, None);
                forward(&net, s, 0.0, &mut acts);
                decode(&mut dec, &acts.lp, n, &zero, false);
                count(&s.gold, &dec.path, &mut alone);
                for (i, (l, c)) in lambdas.iter().zip(sums.iter_mut()).enumerate() {
                    em.clear();
                    // Alone, the network's log-probabilities; stacked, its raw scores (trained
                    // beside alpha × linear, so lambda = 1 / alpha is the trained sum).
                    let own = if alpha == 0.0 { &acts.lp } else { &acts.out };
                    em.extend(s.linear.iter().zip(own).map(|(&x, &y)| x + l * y));
                    decode(&mut dec, &em, n, tagger.transitions(), false);
                    count(&s.gold, &dec.path, c);
                    count(&s.gold, &dec.path, &mut half[s.doc % 2][i]);
                }
            }
            halves.push(half);
            let sums: Vec<String> = lambdas
                .iter()
                .zip(&sums)
                .map(|(l, c)| format!("λ={l}: {:.2}", f1(c)))
                .collect();
            eprintln!(
                "epoch {epoch}, {} text: loss {:.4}/token, dev F1 network alone {:.2}; linear + λ·log p {}; {:.0} s",
                rendering.name(),
                loss / tokens as f64,
                f1(&alone),
                sums.join(", "),
                started.elapsed().as_secs_f64()
            );
        }
    }
    // Held out: the epoch and λ > 0 best on one half, scored on the other, both ways, pooled.
    for ((rendering, _), halves) in devs.iter().zip(&halves) {
        let mut pooled = [0usize; 3];
        for pick in 0..2 {
            let best = (0..halves.len())
                .flat_map(|e| (1..lambdas.len()).map(move |l| (e, l)))
                .max_by(|&(e, l), &(f, m)| {
                    f1(&halves[e][pick][l]).total_cmp(&f1(&halves[f][pick][m]))
                });
            if let Some((e, l)) = best {
                let c = &halves[e][1 - pick][l];
                for k in 0..3 {
                    pooled[k] += c[k];
                }
                eprintln!(
                    "{} text: epoch {} and λ={} chosen on the {} documents",
                    rendering.name(),
                    e + 1,
                    lambdas[l],
                    ["even", "odd"][pick]
                );
            }
        }
        eprintln!(
            "held out, {} text: linear + λ·log p {:.2} (each half scored with the epoch and λ chosen on the other)",
            rendering.name(),
            f1(&pooled)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence_loss(net: &Net, s: &Sent, alpha: f32, a: &mut Acts) -> f64 {
        forward(net, s, alpha, a);
        let t = net.t;
        (0..s.gold.len())
            .map(|i| -a.lp[i * t + s.gold[i] as usize] as f64)
            .sum()
    }

    /// The hand-written backward pass agrees with finite differences of the loss, for every
    /// dense parameter group (both window layers, the output layer, the word vectors'
    /// projection), alone and stacked on linear scores.
    #[test]
    fn gradients_match_finite_differences() {
        let mut rng = Rng(7);
        let t = nerlight::tagger::tag_count(2);
        let vectors = Vectors {
            index: Default::default(),
            dim: 3,
            x: (0..9).map(|i| (i as f32 * 0.37).sin()).collect(),
        };
        let mut net = Net::new(16, 4, 5, t, vectors, &mut rng);
        // Biases start at zero; move them so their ReLU boundaries are exercised too.
        for x in net.p.iter_mut() {
            *x += ((rng.next() >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.2;
        }
        let n = 4;
        let linear: Vec<f32> = (0..n * t).map(|i| (i as f32 * 0.71).cos() * 3.0).collect();
        let sent = Sent {
            rows: vec![1, 5, 9, 2, 5, 15, 3, 0, 7, 11],
            offs: vec![0, 3, 6, 8, 10],
            gold: vec![0, 1, 3, 0],
            linear,
            vecs: vec![0, u32::MAX, 2, 1],
            doc: 0,
        };
        for alpha in [0.0, 0.5] {
            let mut a = Acts::default();
            masks(&mut a, &sent, net.h, None);
            net.g.iter_mut().for_each(|g| *g = 0.0);
            forward(&net, &sent, alpha, &mut a);
            backward(&mut net, &sent, &a, 0.0);
            let analytic = net.g.clone();
            let eps = 1e-2f32;
            let mut checked = 0;
            for (i, &a_i) in analytic.iter().enumerate() {
                let x = net.p[i];
                net.p[i] = x + eps;
                let up = sentence_loss(&net, &sent, alpha, &mut a);
                net.p[i] = x - eps;
                let down = sentence_loss(&net, &sent, alpha, &mut a);
                net.p[i] = x;
                let numeric = (up - down) / (2.0 * eps as f64);
                let diff = (numeric - a_i as f64).abs();
                assert!(
                    diff <= 2e-2 * numeric.abs().max(1.0),
                    "parameter {i} (alpha {alpha}): analytic {a_i} numeric {numeric}"
                );
                checked += 1;
            }
            assert!(checked > 200);
            assert!(analytic.iter().any(|&g| g.abs() > 1e-3));
        }
    }
}
