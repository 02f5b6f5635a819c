//! Runs the window-network probe (`nerlight_train::nn`): trains a small window network beside
//! a finished model and prints dev F1 per epoch, alone and added to the model's scores.
//!
//!     cargo run --release -p nerlight-train --example window_nn -- \
//!         --model models/ontonotes.nlm --train ../cache/onto+conll.txt \
//!         --dev ../shared/data/ontonotes/dev.docstart.txt [--bits 16 --dim 48 --hidden 64 \
//!         --epochs 8 --seed 1 --lr 0.001 --lr-embed 0.05 --batch 16 --feature-dropout 0 \
//!         --hidden-dropout 0 --vectors WORDS.vec --fold MODEL:CORPUS --alpha 0.125]
//!
//! The commands behind the model card's figures are in its section "A window network beside
//! the linear model".

use nerlight_train::nn::{probe, Options};

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        model: "models/ontonotes.nlm".into(),
        train: String::new(),
        dev: String::new(),
        bits: 16,
        dim: 48,
        hidden: 64,
        epochs: 8,
        seed: 1,
        lr: 0.001,
        lr_embed: 0.05,
        batch: 16,
        feature_dropout: 0.0,
        hidden_dropout: 0.0,
        vectors: None,
        folds: Vec::new(),
        alpha: 0.125,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let v = it.next().ok_or(format!("{flag} needs a value"))?;
        let num = || {
            v.parse::<f64>()
                .map_err(|_| format!("{flag}: {v:?} is not a number"))
        };
        match flag.as_str() {
            "--model" => o.model = v.clone(),
            "--train" => o.train = v.clone(),
            "--dev" => o.dev = v.clone(),
            "--bits" => o.bits = (num()? as u32).clamp(8, 20),
            "--dim" => o.dim = num()?.max(1.0) as usize,
            "--hidden" => o.hidden = num()?.max(1.0) as usize,
            "--epochs" => o.epochs = num()? as usize,
            "--seed" => o.seed = num()? as u64,
            "--lr" => o.lr = num()? as f32,
            "--lr-embed" => o.lr_embed = num()? as f32,
            "--batch" => o.batch = num()?.max(1.0) as usize,
            "--feature-dropout" => o.feature_dropout = num()?.clamp(0.0, 0.95) as f32,
            "--hidden-dropout" => o.hidden_dropout = num()?.clamp(0.0, 0.95) as f32,
            "--vectors" => o.vectors = Some(v.clone()),
            "--fold" => {
                let (m, c) = v.split_once(':').ok_or("--fold takes MODEL:CORPUS")?;
                o.folds.push((m.into(), c.into()));
            }
            "--alpha" => o.alpha = num()? as f32,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if o.dev.is_empty() || (o.train.is_empty() && o.folds.is_empty()) {
        return Err("--dev and --train (or --fold) are required".into());
    }
    Ok(o)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let o = parse(&args).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    if let Err(e) = probe(&o) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
