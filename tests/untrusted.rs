//! Untrusted input: the shared hostile corpus (`tests/hostile/inputs.json`), hostile sizes, model
//! bytes that are truncated or corrupt, and every fuzz finding as a regression test.
//!
//! The contract checked everywhere: `highlight` returns, without panicking, spans that are
//! non-empty, in bounds, on character boundaries, sorted and non-overlapping, whose UTF-16 and
//! code-point offsets slice the same text as their byte offsets.

use nerlight::offsets::{OffsetConverter, Unit};
use nerlight::tokenize::{sentences, tokenize};
use nerlight::{Entity, Highlighter, Label};

#[path = "../examples/scale/cases.rs"]
mod cases;

fn engines() -> [(&'static str, Highlighter); 2] {
    [
        ("rules only", Highlighter::rules_only()),
        ("default", Highlighter::new()),
    ]
}

/// Asserts the span contract for `entities` found in `text`.
fn check_spans(text: &str, entities: &[Entity], what: &str) {
    if let Err(e) = nerlight::entity::check_spans(text, entities) {
        panic!("{what}: {e}");
    }
}

// ---------------------------------------------------------------------------------------------
// The hostile corpus

struct Hostile {
    name: String,
    /// The text as a JS string holds it: UTF-16 code units, lone surrogates included.
    units: Vec<u16>,
    entities: Vec<(String, Label)>,
}

/// Reads `tests/hostile/inputs.json`. JSON allows lone surrogate escapes (`"\ud83d"`) and JS
/// strings hold them, but a Rust `String` cannot, so `text` is decoded to UTF-16 units by hand.
fn hostile_corpus() -> Vec<Hostile> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile/inputs.json");
    let raw = std::fs::read_to_string(path).expect("tests/hostile/inputs.json");
    // Hide every `\u` escape from serde_json (it rejects lone surrogates) by doubling its
    // backslash; `json_units` decodes them afterwards.
    let mut hidden = String::with_capacity(raw.len());
    let mut backslashes = 0;
    for (i, c) in raw.char_indices() {
        if c == 'u' && backslashes % 2 == 1 && raw[i..].len() >= 5 {
            hidden.push('\\');
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        hidden.push(c);
    }
    let value: serde_json::Value = serde_json::from_str(&hidden).expect("valid JSON");
    let entries = value.as_array().expect("a JSON array");
    assert!(entries.len() >= 20, "the hostile corpus lost its entries");
    entries
        .iter()
        .map(|e| {
            let field = |k: &str| e.get(k).and_then(|v| v.as_str()).map(json_units);
            let units = field("text").expect("text");
            let repeat = e.get("repeat").and_then(|r| r.as_u64()).unwrap_or(1) as usize;
            let name = String::from_utf16(&field("name").expect("name")).expect("ASCII name");
            let entities = e["entities"]
                .as_array()
                .expect("entities")
                .iter()
                .map(|pair| {
                    let s = String::from_utf16(&json_units(pair[0].as_str().unwrap())).unwrap();
                    (s, pair[1].as_str().unwrap().parse().expect("a label"))
                })
                .collect();
            // The model makes a debug build slow (~10 KB/s): keep the huge entries smaller there.
            let max_units = if cfg!(debug_assertions) {
                1 << 15
            } else {
                usize::MAX
            };
            let repeat = repeat.min((max_units / units.len().max(1)).max(1));
            Hostile {
                name,
                units: units.repeat(repeat),
                entities,
            }
        })
        .collect()
}

/// UTF-16 units of a string whose `\uXXXX` escapes were left undecoded.
fn json_units(s: &str) -> Vec<u16> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("\\u") {
        out.extend(rest[..i].encode_utf16());
        let hex = &rest[i + 2..i + 6];
        out.push(u16::from_str_radix(hex, 16).expect("four hex digits"));
        rest = &rest[i + 6..];
    }
    out.extend(rest.encode_utf16());
    out
}

#[test]
fn hostile_corpus_keeps_the_span_contract() {
    let corpus = hostile_corpus();
    for (engine, h) in engines() {
        for case in &corpus {
            // What wasm-bindgen hands the engine: each lone surrogate becomes U+FFFD.
            let text = String::from_utf16_lossy(&case.units);
            let what = format!("{engine} on {:?}", case.name);
            let entities = h.highlight(&text);
            check_spans(&text, &entities, &what);
            // Offsets in UTF-16 index the original JS string, lone surrogates and all.
            let mut c16 = OffsetConverter::new(&text, Unit::Utf16);
            assert_eq!(c16.convert(text.len()), case.units.len(), "{what}: length");
            for e in &entities {
                let (s, t) = (c16.convert(e.start), c16.convert(e.end));
                assert_eq!(
                    String::from_utf16_lossy(&case.units[s..t]),
                    e.text(&text),
                    "{what}: the JS string sliced at the UTF-16 offsets"
                );
            }
            // The listed entities: all with the rules alone; the patterns also with a model.
            for (want, label) in &case.entities {
                if engine == "rules only" || label.is_pattern() {
                    assert!(
                        entities
                            .iter()
                            .any(|e| e.text(&text) == want && e.label == *label),
                        "{what}: {want:?} {label} not found in {:?}",
                        entities
                            .iter()
                            .map(|e| (e.text(&text), e.label))
                            .collect::<Vec<_>>()
                    );
                }
            }
        }
    }
}

/// A lone surrogate is one UTF-16 unit in JS and U+FFFD (three UTF-8 bytes) in Rust: what follows
/// it must keep its JS offsets.
#[test]
fn lone_surrogates_keep_js_offsets() {
    let mut units: Vec<u16> = vec![0xD83D];
    units.extend(" ops@example.com ".encode_utf16());
    units.push(0xDC00);
    units.extend("https://example.org".encode_utf16());
    let text = String::from_utf16_lossy(&units);
    let h = Highlighter::rules_only();
    let entities = h.highlight(&text);
    let mut c16 = OffsetConverter::new(&text, Unit::Utf16);
    let spans: Vec<(usize, usize, Label)> = entities
        .iter()
        .map(|e| (c16.convert(e.start), c16.convert(e.end), e.label))
        .collect();
    assert_eq!(spans, [(2, 17, Label::Email), (19, 38, Label::Url)]);
}

// ---------------------------------------------------------------------------------------------
// Sizes

/// Every hostile case of `examples/scale` completes and keeps the contract, at a size a debug
/// build handles quickly (`cargo run --release --example scale` times the big ones).
#[test]
fn hostile_sizes_complete() {
    let size = if cfg!(debug_assertions) {
        16 << 10
    } else {
        1 << 20
    };
    for (engine, h) in engines() {
        for (name, text) in cases::hostile_texts(size) {
            check_spans(&text, &h.highlight(&text), &format!("{engine} on {name}"));
        }
    }
}

/// Regression: these runs used to be rescanned from every token inside them (URL, email and
/// initials look-ahead), which is quadratic: 200 KB of `a-a-…` took 23 s in release, 200 KB of
/// `)` after a URL 197 s. Now each is one linear pass; at 2 MB a quadratic tokenizer would not
/// finish this test in hours, a linear one takes well under a second even in debug.
#[test]
fn lookahead_runs_tokenize_in_linear_time() {
    let n = 2 << 20;
    let fill = |unit: &str| unit.repeat(n / unit.len());
    for text in [
        fill("a-"),
        fill("ab."),
        fill("a.b+c_d%e-"),
        fill("x@y."),
        fill("a.") + "b", // initials that fail only at the very end
        fill("http://"),
        fill("www.x"),
        format!("https://a.io/{}", ")".repeat(n)),
        format!("https://a.io/{}", "(".repeat(n)),
    ] {
        let tokens = tokenize(&text);
        let mut prev = 0;
        for t in &tokens {
            assert!(t.start >= prev && t.start < t.end && t.end <= text.len());
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            prev = t.end;
        }
        assert_eq!(
            sentences(&text, &tokens)
                .iter()
                .map(|r| r.len())
                .sum::<usize>(),
            tokens.len()
        );
    }
}

/// The look-ahead memos must not change what is found: URL, email and initials still come out
/// whole next to runs that failed.
#[test]
fn failed_candidates_do_not_hide_later_ones() {
    let cases: &[(&str, &[&str])] = &[
        (
            "https://a.io/x)))) and www.b.org.",
            &[
                "https://a.io/x",
                ")",
                ")",
                ")",
                ")",
                "and",
                "www.b.org",
                ".",
            ],
        ),
        (
            "http:// http://c.io",
            &["http", ":", "/", "/", "http://c.io"],
        ),
        (
            "a-b-c@d x@y.com",
            &["a", "-", "b", "-", "c", "@", "d", "x@y.com"],
        ),
        ("a.b.c U.S. Dr.", &["a", ".", "b", ".", "c", "U.S.", "Dr."]),
        ("https://a.io/(b)", &["https://a.io/(b)"]),
    ];
    for (text, expected) in cases {
        let words: Vec<&str> = tokenize(text).iter().map(|t| t.text(text)).collect();
        assert_eq!(&words, expected, "{text:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Model bytes

/// The committed model, truncated at many lengths and with bytes flipped, never panics: a
/// truncated file is an error that says so, a flipped byte is caught by the checksum.
#[test]
fn corrupt_or_truncated_models_are_clean_errors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/ontonotes.nlm");
    let model = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    for bytes in [
        &b""[..],
        b"NERLIGHT",
        b"NERLIGHT\x01\0\0\0",
        &[0xff; 64],
        &[0; 20],
    ] {
        let err = Highlighter::from_model_bytes(bytes)
            .err()
            .expect("garbage accepted");
        assert!(!err.to_string().is_empty() && !err.to_string().contains('\n'));
    }
    let step = (model.len() / 64).max(1);
    for len in (0..model.len()).step_by(step).chain([model.len() - 1]) {
        let err = Highlighter::from_model_bytes(&model[..len]).err();
        assert!(err.is_some(), "model truncated to {len} bytes was accepted");
    }
    for at in (0..model.len()).step_by(step) {
        let mut bad = model.clone();
        bad[at] ^= 0x55;
        if let Ok(h) = Highlighter::from_model_bytes(&bad) {
            let text = "Dr. Smith met Hossein Amir-Abdollahian in Geneva on 12 March 2021.";
            check_spans(text, &h.highlight(text), &format!("byte {at} flipped"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fuzz findings (`fuzz/`): each input that once crashed a target, kept as a regression test.

/// Fuzzing (LeakSanitizer, `fuzz/` target `highlight`): every `Highlighter` leaked its rule
/// patterns (~8 KB), a real leak for a page that rebuilds its engine. They are built once now.
#[test]
fn rule_patterns_are_built_once() {
    let (a, b) = (nerlight::rules::rules(), nerlight::rules::rules());
    assert!(std::ptr::eq(a, b) && std::ptr::eq(a[0].pattern, b[0].pattern));
}

// ---------------------------------------------------------------------------------------------
// User phrases

/// Phrases are found in time independent of how many there are. The worst case for the former
/// bucket-per-first-word list: 10,000 phrases that share their first 31 words (each word of the
/// text then compared against every phrase, 454 s per MB of text); in the word trie each word of
/// the text costs at most `MAX_PHRASE_WORDS` steps, however many phrases share them. Timed
/// against the same text with one phrase: the bucket list was ~10,000x slower, the trie's ratio
/// is ~1, and the test allows 4 (plus 20 ms of slack for a busy machine).
#[test]
fn user_phrases_match_in_time_independent_of_their_number() {
    use nerlight::user::{PhraseList, MAX_PHRASES, MAX_PHRASE_WORDS};
    use std::time::{Duration, Instant};
    let start: Vec<String> = (0..MAX_PHRASE_WORDS - 1).map(|i| format!("w{i}")).collect();
    let start = start.join(" ");
    let many: Vec<(String, Label)> = (0..MAX_PHRASES)
        .map(|i| (format!("{start} end{i}"), Label::Product))
        .collect();
    let one = [(format!("{start} end77"), Label::Product)];
    // The shared start again and again, each time ending in a word that completes no phrase but
    // every 10th time in one that does.
    let text: String = (0..400)
        .map(|i| {
            let end = if i % 10 == 0 { "end77" } else { "other" };
            format!("{start} {end}. ")
        })
        .collect();
    let tokens = tokenize(&text);
    let time = |list: &PhraseList| {
        let mut best = Duration::MAX;
        let mut found = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            found = list.find(&text, &tokens);
            best = best.min(t.elapsed());
        }
        (best, found)
    };
    let (t_many, found_many) = time(&PhraseList::new(&many).unwrap());
    let (t_one, found_one) = time(&PhraseList::new(&one).unwrap());
    assert_eq!(found_many.len(), 40);
    assert_eq!(found_many, found_one);
    assert!(
        t_many < t_one * 4 + Duration::from_millis(20),
        "{} phrases: {t_many:?}, one phrase: {t_one:?}",
        many.len()
    );
}
