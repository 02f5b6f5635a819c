//! Averages the weights of models trained alike (same labels, table size, feature groups and
//! lexicon; different seeds): the emission scores of a linear model are linear in its weights,
//! so the averaged model scores each sentence as the mean of the models' scores would, at one
//! model's cost. Prints the averaged model's dev F1 and writes it.
//!
//!     cargo run --release -p nerlight-train --example average_models -- \
//!         --dev ../shared/data/ontonotes/dev.docstart.txt --out avg.nlm --min-weight 3 A.nlm B.nlm C.nlm

use nerlight::tagger::Tagger;
use nerlight::Highlighter;
use nerlight_train::eval::{self, Corpus, Rendering};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut dev, mut out, mut min_weight, mut models) =
        (String::new(), String::new(), 3i32, Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dev" => dev = it.next().cloned().unwrap_or_default(),
            "--out" => out = it.next().cloned().unwrap_or_default(),
            "--min-weight" => match it.next().and_then(|v| v.parse().ok()) {
                Some(w) => min_weight = w,
                None => {
                    eprintln!("--min-weight needs a whole number");
                    std::process::exit(2);
                }
            },
            m => models.push(m.to_string()),
        }
    }
    if dev.is_empty() || out.is_empty() || models.len() < 2 {
        eprintln!("usage: average_models --dev FILE --out FILE [--min-weight N] MODEL MODEL…");
        std::process::exit(2);
    }
    let taggers: Vec<Tagger> = models
        .iter()
        .map(|m| {
            let bytes = std::fs::read(m).unwrap_or_else(|e| panic!("{m}: {e}"));
            Tagger::from_bytes(&bytes).unwrap_or_else(|e| panic!("{m}: {e}"))
        })
        .collect();
    let first = &taggers[0];
    for (t, m) in taggers.iter().zip(&models) {
        assert!(
            t.labels() == first.labels()
                && t.bits() == first.bits()
                && t.groups() == first.groups(),
            "{m} was not trained like {}",
            models[0]
        );
    }
    let n = taggers.len() as f32;
    let tags = nerlight::tagger::tag_count(first.labels().len());
    let rows = 1u32 << first.bits();
    let mut avg = vec![0f32; rows as usize * tags];
    for t in &taggers {
        for r in 0..rows {
            if let Some(w) = t.row_weights(r) {
                for (a, w) in avg[r as usize * tags..(r as usize + 1) * tags]
                    .iter_mut()
                    .zip(w)
                {
                    *a += w / n;
                }
            }
        }
    }
    let max = avg.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    let mean = |pick: fn(&Tagger) -> &[f32]| -> Vec<f32> {
        let mut v = vec![0f32; pick(first).len()];
        for t in &taggers {
            for (a, x) in v.iter_mut().zip(pick(t)) {
                *a += x / n;
            }
        }
        v
    };
    let trans = mean(|t| t.transition_scores().0);
    let start = mean(|t| t.transition_scores().1);
    let mut tagger = first.with_weights(
        |r, row| {
            for (k, slot) in row.iter_mut().enumerate() {
                let v = (avg[r * tags + k] / scale).round() as i32;
                *slot = if v.abs() < min_weight {
                    0
                } else {
                    v.clamp(-127, 127) as i8
                };
            }
        },
        scale,
        trans,
        start,
    );
    tagger.set_confidence(first.confidence());
    let bytes = tagger.to_bytes();
    std::fs::write(&out, &bytes).unwrap_or_else(|e| panic!("{out}: {e}"));
    let engine = Highlighter::from_model_bytes(&bytes).expect("the averaged model loads");
    let corpus = Corpus::read(&dev).unwrap_or_else(|e| panic!("{dev}: {e}"));
    for r in [Rendering::Spaced, Rendering::Natural] {
        let (scores, _, _) = eval::evaluate(&engine, &corpus.render(r));
        eprintln!(
            "dev, {} text: F1 {:.2}",
            r.name(),
            scores.total().f1() * 100.0
        );
    }
    eprintln!(
        "wrote {out} ({} bytes, {} rows)",
        bytes.len(),
        tagger.stored_rows()
    );
}
