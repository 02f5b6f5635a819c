//! Native benchmarks of each stage and of the whole `highlight`, on three sizes of text.
//!
//!   cargo bench --bench highlight                 # all
//!   cargo bench --bench highlight -- tokenize     # one stage (a criterion filter)
//!
//! Texts are built at run time: `short` is one sentence; `article` is the first 5,000 words of
//! the OntoNotes dev split (`../shared/data/ontonotes/dev.docstart.txt`, or `NERLIGHT_DEV_CORPUS`)
//! when it is present, else generated; `long` is 1 MB of generated news-like text. Throughput is
//! reported in bytes per second; compare stages and sizes as ratios within one run.

// Criterion is a native-only dev-dependency: under `--target wasm32-unknown-unknown` (which
// `cargo clippy --all-targets` also checks) this bench is an empty program.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::Duration;

    use criterion::{BenchmarkId, Criterion, Throughput};
    use nerlight::rules::Rules;
    use nerlight::tagger::{Tagger, DEFAULT_MODEL};
    use nerlight::tokenize::{sentences, tokenize, tokenize_into};
    use nerlight::Highlighter;

    const SHORT: &str =
        "Chief executive Ana Ribeiro told reporters in Lisbon on 12 March 2025 that \
        Marítima Energia would pay €2.4 billion for Fjordkraft Vind.";

    /// `words` words of the dev corpus (tokens joined by spaces, sentences by newlines), or
    /// `None` if the corpus is not on this machine.
    fn dev_words(words: usize) -> Option<String> {
        let path = std::env::var("NERLIGHT_DEV_CORPUS")
            .unwrap_or_else(|_| "../shared/data/ontonotes/dev.docstart.txt".to_string());
        let data = std::fs::read_to_string(path).ok()?;
        let mut out = String::new();
        let mut n = 0;
        let mut line_start = true;
        for line in data.lines() {
            if n >= words {
                break;
            }
            let token = line.split('\t').next().unwrap_or("");
            if token.is_empty() || token == "-DOCSTART-" {
                if !line_start {
                    out.push('\n');
                    line_start = true;
                }
                continue;
            }
            if !line_start {
                out.push(' ');
            }
            out.push_str(token);
            line_start = false;
            n += 1;
        }
        Some(out)
    }

    /// About `bytes` bytes of deterministic news-like text (a fixed linear congruential generator
    /// picks from templates), the same on every machine.
    fn generated(bytes: usize) -> String {
        const NAMES: &[&str] = &[
            "Ana Ribeiro",
            "James Smith",
            "Wei Chen",
            "Fatima Haddad",
            "Olga Ivanova",
            "Kenji Tanaka",
        ];
        const PLACES: &[&str] = &[
            "Lisbon", "London", "Beijing", "Cairo", "New York", "Tokyo", "Brazil", "India",
        ];
        const ORGS: &[&str] = &[
            "Reuters",
            "the World Bank",
            "Deutsche Bank",
            "the United Nations",
            "Siemens AG",
            "Goldman Sachs",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % n
        };
        let mut out = String::with_capacity(bytes + 200);
        while out.len() < bytes {
            let s = match next(5) {
                0 => format!("{}, the chief executive of {}, said in {} on Monday that talks had made progress. ", NAMES[next(6)], ORGS[next(6)], PLACES[next(8)]),
                1 => format!("Shares of {} rose {}.{}% to ${}.{} in {}. ", ORGS[next(6)], next(9) + 1, next(10), next(300) + 10, next(90) + 10, PLACES[next(8)]),
                2 => format!("The deal, worth €{}.{} billion, is expected to close on {} March {}. ", next(20) + 1, next(10), next(28) + 1, 2020 + next(10)),
                3 => format!("About {},000 people live within {} km of {}, according to {}.\n", next(900) + 2, next(80) + 5, PLACES[next(8)], ORGS[next(6)]),
                _ => format!("Write to press@news{}.com or see https://www.example.org/r-{} before {} left for {}. ", next(99), next(9999), NAMES[next(6)], PLACES[next(8)]),
            };
            out.push_str(&s);
        }
        out
    }

    pub fn main() {
        let article = dev_words(5_000).unwrap_or_else(|| {
            let text = generated(40_000);
            text.split(' ').take(5_000).collect::<Vec<_>>().join(" ")
        });
        let texts = [
            ("short", SHORT.to_string()),
            ("article", article),
            ("long", generated(1_000_000)),
        ];

        let mut c = Criterion::default()
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3))
            .sample_size(10)
            .configure_from_args();

        let rules = Rules::new();
        let tagger = Tagger::from_bytes(DEFAULT_MODEL).expect("the embedded model loads");
        let highlighter = Highlighter::new();

        for (name, text) in &texts {
            let tokens = tokenize(text);
            let sents = sentences(text, &tokens);
            let numbers = rules.find(text, &tokens);
            let mut group = c.benchmark_group(*name);
            group.throughput(Throughput::Bytes(text.len() as u64));
            if *name == "long" {
                group
                    .sample_size(10)
                    .measurement_time(Duration::from_secs(5));
            }
            let mut buf = Vec::new();
            group.bench_function(BenchmarkId::new("tokenize", text.len()), |b| {
                b.iter(|| {
                    tokenize_into(black_box(text), &mut buf);
                    buf.len()
                })
            });
            group.bench_function(BenchmarkId::new("sentences", text.len()), |b| {
                b.iter(|| sentences(black_box(text), &tokens).len())
            });
            group.bench_function(BenchmarkId::new("rules", text.len()), |b| {
                b.iter(|| rules.find(black_box(text), &tokens).len())
            });
            let mut out = Vec::new();
            group.bench_function(BenchmarkId::new("tagger", text.len()), |b| {
                b.iter(|| {
                    out.clear();
                    tagger.tag(black_box(text), &tokens, &sents, &numbers, &mut out);
                    out.len()
                })
            });
            group.bench_function(BenchmarkId::new("highlight", text.len()), |b| {
                b.iter(|| highlighter.highlight(black_box(text)).len())
            });
            group.finish();
        }
        c.final_summary();
    }
}
