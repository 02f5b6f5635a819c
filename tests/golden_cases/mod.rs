//! The golden files (`tests/golden/*.txt`), parsed and checked the same way by every layer:
//! the Rust engine (`tests/golden.rs`) and the wasm binding in Node and Chromium
//! (`tests/wasm_common`). The files are compiled in with `include_str!`, so wasm reads them too.
//!
//! # Format
//!
//! One case per line: the text, with each expected entity written `[[text|LABEL]]`, and spans
//! that no entity may touch written `{{text}}` (or `{{text|LABEL,…}}`: no entity of these labels).
//! `\r`, `\n` and `\u{…}` escapes let a case hold any character; `#` starts a comment line.
//! Directive lines:
//!
//! - `#! check: exact` — the engine must return exactly the `[[…]]` entities, in order, with
//!   their offsets, and nothing else (the default);
//! - `#! check: listed` — each `[[…]]` entity must be returned with its offsets; other entities
//!   are not checked, except that none may overlap a `{{…}}` span;
//! - `#! known failing` — every case after it must fail: these are what the current model gets
//!   wrong. A case that starts passing fails the test until it is moved above the line.

/// The golden files.
pub const RULES: (&str, &str) = ("rules.txt", include_str!("../golden/rules.txt"));
pub const NATURAL: (&str, &str) = ("natural.txt", include_str!("../golden/natural.txt"));
/// The corrections of `nerlight::merge::refine`: `MODEL'S SPANS => REFINED SPANS` a line.
pub const REFINE: (&str, &str) = ("refine.txt", include_str!("../golden/refine.txt"));

/// An entity as the layer under test returns it, offsets in the unit given to [`check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub label: String,
}

/// The offset unit of the layer under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Byte,
    Utf16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Exact,
    Listed,
}

/// A parsed case, with byte offsets.
struct Case {
    line: usize,
    text: String,
    mode: Mode,
    known_failing: bool,
    expected: Vec<(usize, usize, String)>,
    untouched: Vec<Untouched>,
}

fn parse(name: &str, file: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut mode = Mode::Exact;
    let mut known_failing = false;
    for (n, raw) in file.lines().enumerate() {
        let at = format!("{name}:{}", n + 1);
        if let Some(directive) = raw.strip_prefix("#!") {
            match directive.trim() {
                "check: exact" => mode = Mode::Exact,
                "check: listed" => mode = Mode::Listed,
                "known failing" => known_failing = true,
                other => panic!("{at}: unknown directive {other:?}"),
            }
            continue;
        }
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let (text, expected, untouched) = marked(&at, &unescape(raw));
        let case = Case {
            line: n + 1,
            text,
            mode,
            known_failing,
            expected,
            untouched,
        };
        assert!(
            case.mode == Mode::Listed || case.untouched.is_empty(),
            "{at}: {{{{…}}}} spans need `#! check: listed`"
        );
        cases.push(case);
    }
    cases
}

/// A span the engine may not touch: its byte range and the labels it is closed to (all if none).
type Untouched = (usize, usize, Option<Vec<String>>);

/// Reads a marked-up line (`at` names it in panics): the plain text, the `[[…]]` entities and
/// the `{{…}}` spans, with byte offsets into the text.
fn marked(at: &str, line: &str) -> (String, Vec<(usize, usize, String)>, Vec<Untouched>) {
    let (mut text, mut expected, mut untouched) = (String::new(), Vec::new(), Vec::new());
    let mut rest = line;
    loop {
        let next = [rest.find("[["), rest.find("{{")]
            .into_iter()
            .flatten()
            .min();
        let Some(open) = next else { break };
        let entity = rest[open..].starts_with("[[");
        let close_mark = if entity { "]]" } else { "}}" };
        text.push_str(&rest[..open]);
        let close = open
            + rest[open..]
                .find(close_mark)
                .unwrap_or_else(|| panic!("{at}: unclosed {}", &rest[open..open + 2]));
        let inner = &rest[open + 2..close];
        let (span, label) = match inner.rsplit_once('|') {
            Some((s, l)) => (s, Some(l)),
            None => (inner, None),
        };
        for l in label.iter().flat_map(|l| l.split(',')) {
            l.parse::<nerlight::Label>()
                .unwrap_or_else(|e| panic!("{at}: {e}"));
        }
        let start = text.len();
        text.push_str(span);
        let end = text.len();
        if entity {
            let label = label.unwrap_or_else(|| panic!("{at}: [[text|LABEL]] needs a label"));
            expected.push((start, end, label.to_string()));
        } else {
            let labels = label.map(|l| l.split(',').map(str::to_string).collect());
            untouched.push((start, end, labels));
        }
        rest = &rest[close + 2..];
    }
    text.push_str(rest);
    (text, expected, untouched)
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        if let Some(t) = tail.strip_prefix('r') {
            out.push('\r');
            rest = t;
        } else if let Some(t) = tail.strip_prefix('n') {
            out.push('\n');
            rest = t;
        } else if let Some(t) = tail.strip_prefix("u{") {
            let end = t.find('}').expect("\\u{…}");
            let c = u32::from_str_radix(&t[..end], 16)
                .ok()
                .and_then(char::from_u32)
                .expect("hex");
            out.push(c);
            rest = &t[end + 1..];
        } else {
            out.push('\\');
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// Byte offset `i` of `text` in `unit`.
fn to_unit(text: &str, i: usize, unit: Unit) -> usize {
    match unit {
        Unit::Byte => i,
        Unit::Utf16 => text[..i].encode_utf16().count(),
    }
}

/// Why a case fails, or `None` when it passes.
fn verdict(case: &Case, unit: Unit, got: &[Span]) -> Option<String> {
    let expected: Vec<Span> = case
        .expected
        .iter()
        .map(|(s, e, l)| Span {
            start: to_unit(&case.text, *s, unit),
            end: to_unit(&case.text, *e, unit),
            label: l.clone(),
        })
        .collect();
    let mut problems = Vec::new();
    match case.mode {
        Mode::Exact if got != expected.as_slice() => problems.push("not exactly these".into()),
        Mode::Exact => {}
        Mode::Listed => {
            for x in &expected {
                if !got.contains(x) {
                    problems.push(format!("missing {}", show(case, unit, x)));
                }
            }
            for (s, e, label) in &case.untouched {
                let (s, e) = (to_unit(&case.text, *s, unit), to_unit(&case.text, *e, unit));
                for g in got {
                    if g.start < e
                        && s < g.end
                        && label.as_ref().is_none_or(|l| l.contains(&g.label))
                    {
                        problems.push(format!("{} overlaps {{{{{}}}}}", show(case, unit, g), {
                            let u = |i| from_unit(&case.text, i, unit);
                            &case.text[u(s)..u(e)]
                        }));
                    }
                }
            }
        }
    }
    (!problems.is_empty()).then(|| {
        let shown: Vec<String> = got.iter().map(|g| show(case, unit, g)).collect();
        let wanted: Vec<String> = expected.iter().map(|g| show(case, unit, g)).collect();
        format!(
            "{:?}\n   {}\n   expected {wanted:?}\n   got      {shown:?}",
            case.text,
            problems.join("; ")
        )
    })
}

fn from_unit(text: &str, i: usize, unit: Unit) -> usize {
    match unit {
        Unit::Byte => i,
        Unit::Utf16 => {
            let mut units = 0;
            for (b, c) in text.char_indices() {
                if units >= i {
                    return b;
                }
                units += c.len_utf16();
            }
            text.len()
        }
    }
}

fn show(case: &Case, unit: Unit, s: &Span) -> String {
    let text = &case.text;
    let (a, b) = (from_unit(text, s.start, unit), from_unit(text, s.end, unit));
    match text.get(a..b) {
        Some(t) => format!("{t}|{}", s.label),
        None => format!("{}..{}|{}", s.start, s.end, s.label),
    }
}

/// Runs every case of `file` through `highlight` (returning spans in `unit`) and panics with
/// every failure: a case that fails, or a known-failing case that passes.
pub fn check(file: (&str, &str), unit: Unit, highlight: impl Fn(&str) -> Vec<Span>) {
    let (name, content) = file;
    let cases = parse(name, content);
    assert!(cases.len() >= 5, "{name} has too few cases");
    let mut failures = Vec::new();
    for case in &cases {
        let got = highlight(&case.text);
        match (verdict(case, unit, &got), case.known_failing) {
            (Some(why), false) => failures.push(format!("{name}:{}: {why}", case.line)),
            (None, true) => failures.push(format!(
                "{name}:{}: {:?} passes now: move it above `#! known failing`",
                case.line, case.text
            )),
            _ => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Runs every case of [`REFINE`] through `nerlight::merge::refine`, with the model's spans from
/// the left of ` => ` and the engine's own rule matches in the text, and panics with every case
/// whose result is not exactly the spans on the right.
pub fn check_refine() {
    use nerlight::{merge, rules::Rules, tokenize::tokenize, Entity, Source};
    let (name, content) = REFINE;
    let rules = Rules::new();
    let mut failures = Vec::new();
    let mut cases = 0;
    for (n, raw) in content.lines().enumerate() {
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let at = format!("{name}:{}", n + 1);
        let line = unescape(raw);
        let (model, want) = line
            .split_once(" => ")
            .unwrap_or_else(|| panic!("{at}: no ` => `"));
        let (text, model, _) = marked(&at, model);
        let (refined_text, want, _) = marked(&at, want);
        assert_eq!(text, refined_text, "{at}: the two sides differ in text");
        let tokens = tokenize(&text);
        let found = rules.find(&text, &tokens);
        let mut entities: Vec<Entity> = model
            .iter()
            .map(|(start, end, label)| Entity {
                start: *start,
                end: *end,
                label: label.parse().expect("checked by `marked`"),
                score: 0.5,
                source: Source::Model,
            })
            .collect();
        merge::refine(&text, &tokens, &found, &mut entities);
        let got: Vec<(usize, usize, String)> = entities
            .iter()
            .map(|e| (e.start, e.end, e.label.name().to_string()))
            .collect();
        if got != want {
            let show = |v: &[(usize, usize, String)]| -> Vec<String> {
                v.iter()
                    .map(|(s, e, l)| format!("{}|{l}", &text[*s..*e]))
                    .collect()
            };
            failures.push(format!(
                "{at}: {text:?}\n   expected {:?}\n   got      {:?}",
                show(&want),
                show(&got)
            ));
        }
        cases += 1;
    }
    assert!(cases >= 20, "{name} has only {cases} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
