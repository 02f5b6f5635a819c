//! The `nerlight` command: text in, entities out as JSON; `nerlight eval` scores the engine on
//! a corpus and `nerlight train` trains a model (both from the `nerlight-train` crate).

use std::io::{self, BufRead, Read, Write};
use std::process::ExitCode;
use std::time::Instant;

use nerlight::offsets::{OffsetConverter, Unit};
use nerlight::tagger::group;
use nerlight::{Entity, Highlighter};
use nerlight_train::eval::{self, Rendering};
use nerlight_train::train;

const USAGE: &str = "\
usage: nerlight [--offsets utf16|codepoint|byte] [--jsonl] [--model FILE | --rules-only]
                [--max-input-bytes N] [FILE]
       nerlight eval FILE [--model FILE] [--render spaced|natural|both]
                                                score the engine on a CoNLL-format corpus
       nerlight train --train FILE --dev FILE --out FILE [--seed N] [...]

Reads text from FILE (or standard input) and prints its entities as a JSON array of
{\"start\",\"end\",\"label\",\"text\",\"score\",\"source\"}. Offsets count UTF-16 code units by
default, as JavaScript does.

  --offsets UNIT   utf16 (default), codepoint or byte
  --jsonl          input is one JSON string (a document) per line; output one array per line,
                   each as soon as its line is read (any number of lines, in constant memory)
  --model FILE     use this model file instead of the embedded one
  --rules-only     no model: exact rules only
  --max-input-bytes N
                   refuse an input (with --jsonl, a line) longer than N bytes (default
                   100000000); a leading UTF-8 byte order mark is dropped
  -h, --help       this text
  -V, --version    the version";

#[derive(Default)]
struct Options {
    unit: Unit,
    jsonl: bool,
    model: Option<String>,
    rules_only: bool,
    file: Option<String>,
    max_input: u64,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        max_input: DEFAULT_MAX_INPUT,
        ..Options::default()
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag {
            "--offsets" => o.unit = value("--offsets")?.parse()?,
            "--model" => o.model = Some(value("--model")?),
            "--jsonl" => o.jsonl = true,
            "--rules-only" => o.rules_only = true,
            "--max-input-bytes" => {
                let v = value("--max-input-bytes")?;
                o.max_input = v
                    .parse()
                    .map_err(|_| format!("--max-input-bytes takes a number of bytes, not {v:?}"))?;
            }
            "-" => o.file = None,
            f if f.starts_with('-') => return Err(format!("unknown option {f:?} (see --help)")),
            f => {
                if o.file.replace(f.to_string()).is_some() {
                    return Err("more than one input file given".into());
                }
            }
        }
    }
    if o.rules_only && o.model.is_some() {
        return Err("--model and --rules-only cannot be used together".into());
    }
    Ok(o)
}

fn build(o: &Options) -> Result<Highlighter, String> {
    if o.rules_only {
        return Ok(Highlighter::rules_only());
    }
    match &o.model {
        None => Ok(Highlighter::new()),
        Some(path) => {
            let bytes =
                std::fs::read(path).map_err(|e| format!("cannot read model {path}: {e}"))?;
            Highlighter::from_model_bytes(&bytes).map_err(|e| format!("bad model {path}: {e}"))
        }
    }
}

/// One entity as the command prints it, fields in the documented order.
#[derive(serde::Serialize)]
struct Out<'t> {
    start: usize,
    end: usize,
    label: &'static str,
    text: &'t str,
    score: f32,
    source: &'static str,
}

fn to_json(text: &str, entities: &[Entity], unit: Unit) -> String {
    let mut conv = OffsetConverter::new(text, unit);
    let out: Vec<Out> = entities
        .iter()
        .map(|e| Out {
            start: conv.convert(e.start),
            end: conv.convert(e.end),
            label: e.label.name(),
            text: e.text(text),
            score: (e.score * 1000.0).round() / 1000.0,
            source: e.source.name(),
        })
        .collect();
    serde_json::to_string(&out).expect("entities always serialize")
}

/// Longest input read by default: far above any document, far below what would exhaust memory.
const DEFAULT_MAX_INPUT: u64 = 100_000_000;

/// FILE, or standard input, with its name for messages.
fn open_input(file: &Option<String>) -> Result<(String, Box<dyn BufRead>), String> {
    Ok(match file {
        Some(path) => {
            let f = std::fs::File::open(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            (path.clone(), Box::new(io::BufReader::new(f)))
        }
        None => ("standard input".into(), Box::new(io::stdin().lock())),
    })
}

/// Appends to `buf` what `reader` gives up to and including the next line break (all of it with
/// `line_break: false`), refusing more than `max` bytes before it: reads at most `max + 1` bytes
/// of a longer line, so an endless input (`/dev/zero`) fails as soon as it passes the cap instead
/// of filling memory. A leading UTF-8 byte order mark is dropped when `first`. Returns how many
/// bytes were read (0 at the end of the input).
fn read_capped(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: u64,
    line_break: bool,
    first: bool,
    what: &str,
) -> Result<usize, String> {
    let mut capped = reader.take(max.saturating_add(1));
    let read = if line_break {
        capped.read_until(b'\n', buf)
    } else {
        capped.read_to_end(buf)
    }
    .map_err(|e| format!("cannot read {what}: {e}"))?;
    let content = buf.strip_suffix(b"\n").unwrap_or(buf);
    if content.len() as u64 > max {
        return Err(format!(
            "{what} is longer than {max} bytes (raise the limit with --max-input-bytes)"
        ));
    }
    if first && buf.starts_with(b"\xEF\xBB\xBF") {
        buf.drain(..3);
    }
    Ok(read)
}

fn not_utf8(what: &str, e: std::str::Utf8Error) -> String {
    format!(
        "{what} is not valid UTF-8 (invalid byte at offset {})",
        e.valid_up_to()
    )
}

/// `JSON.stringify` writes a JS string's lone surrogates as `\ud83d` escapes, which serde_json
/// rejects. Read them as U+FFFD, as the wasm binding does: one UTF-16 unit either way, so the
/// offsets printed still index the caller's original string.
fn lone_surrogates_to_fffd(line: &str) -> std::borrow::Cow<'_, str> {
    let surrogate_at = |i: usize| -> Option<u16> {
        let hex = line.get(i..i + 6)?.strip_prefix("\\u")?;
        let unit = u16::from_str_radix(hex, 16).ok()?;
        (0xD800..=0xDFFF).contains(&unit).then_some(unit)
    };
    if !line.contains("\\u") {
        return line.into();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = 0; // start of the part not yet copied
    let mut i = 0;
    let b = line.as_bytes();
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        match surrogate_at(i) {
            Some(0xD800..=0xDBFF) if surrogate_at(i + 6).is_some_and(|l| l >= 0xDC00) => {
                i += 12; // a valid pair
            }
            Some(_) => {
                out.push_str(&line[rest..i]);
                out.push_str("\\ufffd");
                i += 6;
                rest = i;
            }
            None => i += 2, // any other escape, including `\\`
        }
    }
    out.push_str(&line[rest..]);
    out.into()
}

fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return Ok(());
        }
        Some("-V" | "--version") => {
            println!("nerlight {}", env!("CARGO_PKG_VERSION"));
            return Ok(());
        }
        Some("eval") => return run_eval(&args[1..]),
        Some("train") => return run_train(&args[1..]),
        _ => {}
    }
    let o = parse(args)?;
    let h = build(&o)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let write_err = |e: io::Error| format!("cannot write output: {e}");
    let (name, mut input) = open_input(&o.file)?;
    if o.jsonl {
        // Line by line: memory holds one line and its entities, whatever the input's length.
        let mut bytes = Vec::new();
        for n in 1.. {
            bytes.clear();
            let what = format!("{name} line {n}");
            if read_capped(&mut input, &mut bytes, o.max_input, true, n == 1, &what)? == 0 {
                break;
            }
            let line = std::str::from_utf8(&bytes).map_err(|e| not_utf8(&what, e))?;
            let line = line.trim_end_matches('\n').trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            let text: String = serde_json::from_str(&lone_surrogates_to_fffd(line))
                .map_err(|e| format!("{what}: expected a JSON string: {e}"))?;
            let json = to_json(&text, &h.highlight(&text), o.unit);
            writeln!(out, "{json}").map_err(write_err)?;
            // Each answer as soon as it is ready, so that a caller can feed lines and read
            // answers in turn; a line's highlighting costs far more than the write.
            out.flush().map_err(write_err)?;
        }
    } else {
        let mut bytes = Vec::new();
        read_capped(&mut input, &mut bytes, o.max_input, false, true, &name)?;
        let text = String::from_utf8(bytes).map_err(|e| not_utf8(&name, e.utf8_error()))?;
        let json = to_json(&text, &h.highlight(&text), o.unit);
        writeln!(out, "{json}").map_err(write_err)?;
    }
    out.flush().map_err(write_err)
}

const EVAL_USAGE: &str = "\
usage: nerlight eval FILE [--model MODEL] [--render spaced|natural|both] [--json] [--errors]

  --render R   how the corpus's tokens are written as text: spaced (`$ 799`, `Iran 's`;
               the default), natural (`$799`, `Iran’s`), or both, one after the other";

/// `nerlight eval FILE [--model MODEL] [--render R] [--json] [--errors]`: prints exact-span
/// P/R/F1, overall and per type, for each rendering asked for.
fn run_eval(args: &[String]) -> Result<(), String> {
    let mut file = None;
    let mut model = None;
    let mut renderings = vec![Rendering::Spaced];
    let mut json = false;
    let mut errors = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--model" => model = Some(it.next().ok_or("--model needs a value")?.clone()),
            "--render" => {
                renderings = match it.next().ok_or("--render needs a value")?.as_str() {
                    "both" => vec![Rendering::Spaced, Rendering::Natural],
                    r => vec![r
                        .parse()
                        .map_err(|e: nerlight_train::Error| e.to_string())?],
                }
            }
            "--json" => json = true,
            "--errors" => errors = true,
            "-h" | "--help" => {
                println!("{EVAL_USAGE}");
                return Ok(());
            }
            f if f.starts_with('-') => return Err(format!("unknown option {f:?}\n{EVAL_USAGE}")),
            f => file = Some(f.to_string()),
        }
    }
    let file = file.ok_or(EVAL_USAGE)?;
    let highlighter = build(&Options {
        model,
        ..Options::default()
    })?;
    let corpus = eval::Corpus::read(&file).map_err(|e| e.to_string())?;
    // Written in one go, so a closed pipe (`| head`) is an error message, not a panic.
    let mut out = String::new();
    let mut by_rendering = serde_json::Map::new();
    // The corpus's tokens, whatever the rendering (natural text has fewer words than tokens).
    let tokens: usize = corpus.docs.iter().flatten().map(|s| s.tokens.len()).sum();
    for &rendering in &renderings {
        let docs = corpus.render(rendering);
        if errors {
            eval::write_errors(&mut out, &highlighter, &docs);
        }
        let (scores, _, secs) = eval::evaluate(&highlighter, &docs);
        if json {
            by_rendering.insert(rendering.name().into(), scores.to_json());
            continue;
        }
        if renderings.len() > 1 {
            out.push_str(&format!("{} text\n", rendering.name()));
        }
        out.push_str(&scores.table());
        out.push_str(&format!(
            "{} documents, {} tokens in {:.2} s ({:.0} tokens/s)\n",
            docs.len(),
            tokens,
            secs,
            tokens as f64 / secs.max(1e-9)
        ));
    }
    if json {
        // One rendering: its scores, as before; both: an object keyed by rendering.
        let value = if by_rendering.len() == 1 {
            by_rendering
                .into_iter()
                .map(|(_, v)| v)
                .next()
                .unwrap_or_default()
        } else {
            serde_json::Value::Object(by_rendering)
        };
        out.push_str(&format!("{value}\n"));
    }
    io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .map_err(|e| format!("cannot write output: {e}"))
}

const TRAIN_USAGE: &str = "\
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
  --clusters FILE      the cluster lexicon (default DIR/lexicons/clusters_lc120k.tsv
                       of --data; e.g. one made by scripts/glove-clusters.py)
  --cluster-words N    keep the N most frequent words of the cluster lexicon (default all)
  --surnames N         keep the N most frequent surnames (default 20000)
  --city-population N  keep cities with at least N people (default 50000)
  --gazetteer-corpus FILE
                       also use the names labelled in this corpus (CoNLL format, any
                       label set) as gazetteers of four coarse kinds; repeatable
  --gazetteer-list FILE
                       also use the names of this list (LABEL<TAB>name lines, # comments;
                       e.g. the one scripts/name-lists.sh writes) as gazetteers of the
                       same kinds; repeatable
  --margin X           train for a margin: each wrong tag scores X more while
                       decoding in training (default 0, the plain perceptron)
  --min-count N        ignore features seen fewer than N times in training (default 1)
  --word-dropout P     leave out the word features of a capitalized token with
                       probability P in training, as for a name never seen (default 0)
  --min-weight X       drop quantized weights with |w| < X (default 1, i.e. keep all non-zero)
  --render R           how the corpora's tokens are written as text: spaced (`$ 799`,
                       `Iran 's`; the default), natural (`$799`, `Iran’s`), or mixed
                       (every second training document natural, dev scored in both)";

fn parse_train(args: &[String]) -> Result<train::Options, String> {
    let mut o = train::Options {
        data: "../shared/data".into(),
        ..train::Options::default()
    };
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
            "--clusters" => o.clusters = value()?,
            "--cluster-words" => o.cluster_words = num(value()?)? as usize,
            "--surnames" => o.surnames = num(value()?)? as usize,
            "--city-population" => o.city_population = num(value()?)?,
            "--gazetteer-corpus" => o.gazetteer_corpora.push(value()?),
            "--gazetteer-list" => o.gazetteer_lists.push(value()?),
            "--min-count" => o.min_count = num(value()?)?.max(1) as u32,
            "--margin" => {
                let v = value()?;
                o.margin = v
                    .parse::<f32>()
                    .ok()
                    .filter(|m| m.is_finite() && *m >= 0.0)
                    .ok_or(format!("{a}: not a number >= 0: {v}"))?;
            }
            "--word-dropout" => {
                let v = value()?;
                o.word_dropout = v
                    .parse::<f64>()
                    .ok()
                    .filter(|p| (0.0..=1.0).contains(p))
                    .ok_or(format!("{a}: not a number from 0 to 1: {v}"))?;
            }
            "--render" => {
                o.render = value()?
                    .parse()
                    .map_err(|e: nerlight_train::Error| e.to_string())?
            }
            "--min-weight" => o.min_weight = num(value()?)?.clamp(1, 127) as i32,
            "--groups" => o.groups = group::parse(&value()?)?,
            "-h" | "--help" => return Err(TRAIN_USAGE.into()),
            _ => return Err(format!("unknown option {a:?}\n{TRAIN_USAGE}")),
        }
    }
    if o.train.is_empty() || o.dev.is_empty() || o.out.is_empty() {
        return Err(TRAIN_USAGE.into());
    }
    Ok(o)
}

/// `nerlight train …`: trains a model, writes it and its report.
fn run_train(args: &[String]) -> Result<(), String> {
    let o = parse_train(args)?;
    let started = Instant::now();
    let train_corpus = eval::Corpus::read(&o.train).map_err(|e| e.to_string())?;
    let dev = eval::Corpus::read(&o.dev).map_err(|e| e.to_string())?;
    let train_docs = o.render.training_documents(&train_corpus);
    let (bytes, mut report) =
        train::train(&o, &train_docs, &o.render.dev_documents(&dev)).map_err(|e| e.to_string())?;
    // The report's dev scores are the written model's on spaced text (`dev_scores`, as
    // `nerlight eval` prints by default) and on natural text, whatever it was trained on.
    let engine = Highlighter::from_model_bytes(&bytes).map_err(|e| e.to_string())?;
    for (rendering, key) in [
        (Rendering::Spaced, "dev_scores"),
        (Rendering::Natural, "dev_scores_natural"),
    ] {
        let (scores, _, _) = eval::evaluate(&engine, &dev.render(rendering));
        eprintln!(
            "dev, {} text: F1 {:.2}",
            rendering.name(),
            scores.total().f1() * 100.0
        );
        report[key] = scores.to_json();
    }
    std::fs::write(&o.out, &bytes).map_err(|e| format!("cannot write {}: {e}", o.out))?;
    report["training_seconds"] = train::round(started.elapsed().as_secs_f64()).into();
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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nerlight: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_train;
    use nerlight_train::train::TrainRendering;

    /// `nerlight train` with the required options and `flag value`.
    fn with(flag: &str, value: &str) -> Result<nerlight_train::train::Options, String> {
        let mut v = base().to_vec();
        v.extend([flag.to_string(), value.to_string()]);
        parse_train(&v)
    }

    fn base() -> [String; 6] {
        ["--train", "a", "--dev", "b", "--out", "c"].map(String::from)
    }

    #[test]
    fn margin_must_be_a_non_negative_number() {
        assert_eq!(with("--margin", "30").unwrap().margin, 30.0);
        assert!(with("--margin", "-1").is_err());
        assert!(with("--margin", "x").is_err());
        assert_eq!(parse_train(&base()).unwrap().margin, 0.0);
    }

    #[test]
    fn word_dropout_must_be_a_probability() {
        assert_eq!(with("--word-dropout", "0.3").unwrap().word_dropout, 0.3);
        assert!(with("--word-dropout", "1.5").is_err());
        assert!(with("--word-dropout", "-0.1").is_err());
        assert_eq!(parse_train(&base()).unwrap().word_dropout, 0.0);
    }

    #[test]
    fn render_is_spaced_natural_or_mixed() {
        let with = |r: &str| with("--render", r);
        assert_eq!(parse_train(&base()).unwrap().render, TrainRendering::Spaced);
        assert_eq!(with("natural").unwrap().render, TrainRendering::Natural);
        assert_eq!(with("mixed").unwrap().render, TrainRendering::Mixed);
        assert!(with("both")
            .unwrap_err()
            .contains("spaced, natural or mixed"));
    }
}
