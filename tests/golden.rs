//! Data-driven tests: `tests/golden/*.txt` hold texts with their expected entities marked up.

use nerlight::{Highlighter, Label};

/// A parsed golden case: the plain text and the expected (text, label) spans with byte offsets.
struct Case {
    line: usize,
    text: String,
    expected: Vec<(usize, usize, Label)>,
}

/// Parses `[[span|LABEL]]` markup; `\r`, `\n` and `\u{…}` escapes let cases hold any character.
fn parse(file: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    for (n, raw) in file.lines().enumerate() {
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let line = unescape(raw);
        let mut text = String::new();
        let mut expected = Vec::new();
        let mut rest = line.as_str();
        while let Some(open) = rest.find("[[") {
            text.push_str(&rest[..open]);
            let close = rest[open..]
                .find("]]")
                .map(|c| open + c)
                .expect("unclosed [[");
            let (span, label) = rest[open + 2..close]
                .rsplit_once('|')
                .expect("[[text|LABEL]]");
            let start = text.len();
            text.push_str(span);
            expected.push((start, text.len(), label.parse().expect("known label")));
            rest = &rest[close + 2..];
        }
        text.push_str(rest);
        cases.push(Case {
            line: n + 1,
            text,
            expected,
        });
    }
    cases
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

fn check(file: &str, h: &Highlighter) {
    let path = format!("{}/tests/golden/{file}", env!("CARGO_MANIFEST_DIR"));
    let cases = parse(&std::fs::read_to_string(&path).expect("golden file"));
    assert!(cases.len() >= 5, "{path} has too few cases");
    let mut failures = Vec::new();
    for case in &cases {
        let got: Vec<(usize, usize, Label)> = h
            .highlight(&case.text)
            .iter()
            .map(|e| (e.start, e.end, e.label))
            .collect();
        if got != case.expected {
            let show = |v: &[(usize, usize, Label)]| -> Vec<String> {
                v.iter()
                    .map(|&(s, e, l)| format!("{}|{l}", &case.text[s..e]))
                    .collect()
            };
            failures.push(format!(
                "{file}:{}: {:?}\n   expected {:?}\n   got      {:?}",
                case.line,
                case.text,
                show(&case.expected),
                show(&got)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn rules_golden() {
    check("rules.txt", &Highlighter::rules_only());
}
