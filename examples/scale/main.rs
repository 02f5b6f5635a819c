//! Throughput and linearity of `highlight` on hostile texts.
//!
//! ```sh
//! cargo run --release --example scale            # 1 MB and 10 MB of each case
//! cargo run --release --example scale -- 0.25    # a quicker run: 0.25 MB and 2.5 MB
//! cargo run --release --example scale -- 1 --rules-only   # without the model
//! ```
//!
//! For each case it prints MB/s at the small and the large size and the ratio of the two times:
//! linear time shows as a ratio near 10 (the large text is 10× the small one); quadratic time
//! would show as ~100. Not a test: timings vary with the machine, so nothing here fails on speed.
//! `tests/untrusted.rs` asserts completion and the span invariants on the same cases.

use std::time::{Duration, Instant};

use nerlight::Highlighter;

mod cases;

fn time(h: &Highlighter, text: &str) -> (Duration, usize) {
    let started = Instant::now();
    let n = h.highlight(text).len();
    (started.elapsed(), n)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rules_only = args.iter().any(|a| a == "--rules-only");
    let mb: f64 = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(|a| a.parse().expect("the argument is a size in MB"))
        .unwrap_or(1.0);
    let small = (mb * 1e6) as usize;
    let h = if rules_only {
        Highlighter::rules_only()
    } else {
        Highlighter::new()
    };
    println!(
        "engine: {}",
        if rules_only {
            "rules only"
        } else {
            "rules + embedded model"
        }
    );
    println!(
        "{:<28} {:>9} {:>10} {:>10} {:>10} {:>7}",
        "case",
        "entities",
        format!("{mb} MB/s"),
        format!("{} MB/s", mb * 10.0),
        "large (s)",
        "ratio"
    );
    let mut worst: f64 = 0.0;
    for ((name, a), (_, b)) in cases::hostile_texts(small)
        .into_iter()
        .zip(cases::hostile_texts(small * 10))
    {
        let (ta, _) = time(&h, &a);
        let (tb, n) = time(&h, &b);
        let rate = |len: usize, t: Duration| len as f64 / 1e6 / t.as_secs_f64().max(1e-9);
        let ratio = tb.as_secs_f64() / ta.as_secs_f64().max(1e-9);
        worst = worst.max(ratio);
        println!(
            "{name:<28} {n:>9} {:>10.1} {:>10.1} {:>10.3} {ratio:>7.1}",
            rate(a.len(), ta),
            rate(b.len(), tb),
            tb.as_secs_f64()
        );
    }
    println!("largest 10x-size time ratio: {worst:.1} (10 = linear)");
}
