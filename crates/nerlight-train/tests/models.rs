//! The committed models score on dev exactly what their training reports (and the model card)
//! say, and training is deterministic. The corpora are read from `../shared/data` beside the
//! repository; a missing file fails the test.

use nerlight::tagger::Tagger;
use nerlight::{Highlighter, Label};
use nerlight_train::{eval, train};

fn repo(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("cannot read {path}: {e} (the shared data must sit beside the repository)")
    })
}

/// The overall dev F1 that `models/NAME.json` (the training report the model card quotes)
/// records for the model.
fn reported_f1(name: &str) -> f64 {
    let report: serde_json::Value =
        serde_json::from_str(&read(&repo(&format!("models/{name}.json")))).unwrap();
    report["dev_scores"]["overall"]["f1"]
        .as_f64()
        .expect("the report has dev_scores.overall.f1")
}

/// Scores `highlighter` on a whole dev file and checks the figure against the report: the
/// engine is deterministic, so the only slack is the report's rounding.
fn assert_dev_f1(highlighter: &Highlighter, dev: &str, report: &str, floor: f64) {
    let docs = eval::parse_corpus(&read(&repo(dev))).unwrap();
    let (scores, _, _) = eval::evaluate(highlighter, &docs);
    let f1 = scores.total().f1() * 100.0;
    let reported = reported_f1(report);
    eprintln!("{report}: dev F1 {f1:.2}, reported {reported:.2}");
    assert!(
        (f1 - reported).abs() < 0.011,
        "{report}: dev F1 {f1:.2} differs from the reported {reported:.2}\n{}",
        scores.table()
    );
    assert!(f1 >= floor, "{report}: dev F1 {f1:.2} below {floor}");
}

#[test]
fn the_default_model_scores_its_reported_dev_f1() {
    assert_dev_f1(
        &Highlighter::new(),
        "../shared/data/ontonotes/dev.docstart.txt",
        "ontonotes",
        83.0,
    );
}

#[test]
fn the_conll_model_scores_its_reported_dev_f1() {
    let bytes = std::fs::read(repo("models/conll2003.nlm")).unwrap();
    assert_dev_f1(
        &Highlighter::from_model_bytes(&bytes).unwrap(),
        "../shared/data/conll2003/dev.docstart.txt",
        "conll2003",
        92.5,
    );
}

fn tiny_corpus(seed: u32) -> String {
    let people = ["John Smith", "Mary Jones", "Ali Khan", "Wei Chen"];
    let places = ["Paris", "New York", "Lagos", "Lima"];
    let orgs = ["Acme Corp", "Globex", "Initech"];
    let mut out = String::new();
    let mut x = seed;
    let mut next = |n: usize| {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (x >> 16) as usize % n
    };
    for _ in 0..6 {
        out.push_str("-DOCSTART-\tO\n\n");
        for _ in 0..8 {
            let tag = |out: &mut String, phrase: &str, label: &str| {
                for (i, w) in phrase.split(' ').enumerate() {
                    let bio = if i == 0 { "B" } else { "I" };
                    out.push_str(&format!("{w}\t{bio}-{label}\n"));
                }
            };
            tag(&mut out, people[next(4)], "PERSON");
            out.push_str("visited\tO\n");
            tag(&mut out, places[next(4)], "GPE");
            out.push_str("for\tO\n");
            tag(&mut out, orgs[next(3)], "ORG");
            out.push_str(".\tO\n\n");
        }
    }
    out
}

#[test]
fn training_is_deterministic() {
    let train_docs = eval::parse_corpus(&tiny_corpus(1)).unwrap();
    let dev_docs = eval::parse_corpus(&tiny_corpus(2)).unwrap();
    let o = train::Options {
        epochs: 3,
        bits: 12,
        groups: 0,
        seed: 7,
        ..train::Options::default()
    };
    let (a, _) = train::train(&o, &train_docs, &dev_docs).unwrap();
    let (b, report) = train::train(&o, &train_docs, &dev_docs).unwrap();
    assert_eq!(a, b, "same seed, different model bytes");
    let tagger = Tagger::from_bytes(&a).unwrap();
    assert_eq!(tagger.labels(), [Label::Person, Label::Org, Label::Gpe]);
    assert!(report["dev_scores"]["overall"]["f1"].as_f64().unwrap() > 50.0);
    let (c, _) = train::train(&train::Options { seed: 8, ..o }, &train_docs, &dev_docs).unwrap();
    assert!(Tagger::from_bytes(&c).is_ok());
}
