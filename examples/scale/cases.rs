//! Hostile texts of a chosen size, shared by `examples/scale` (timings in release) and
//! `tests/untrusted.rs` (completion and invariants, at sizes a debug build runs quickly).

/// `(name, text)` pairs, each about `size` bytes, built to hit one worst case each: no spaces,
/// only separators, backtracking bait, long candidate URLs and emails, dense entities.
pub fn hostile_texts(size: usize) -> Vec<(&'static str, String)> {
    let fill = |unit: &str| unit.repeat((size / unit.len()).max(1));
    vec![
        ("news prose", fill(NEWS)),
        (
            "one line, no spaces",
            fill("abcdefghijklmnopqrstuvwxyz0123456789"),
        ),
        ("empty lines", "\n".repeat(size)),
        ("CRLF empty lines", fill("\r\n")),
        ("million-digit number", "9".repeat(size)),
        ("digits with separators", fill("1,000.5/")),
        ("punctuation", fill(".,;:!?'\"()[]{}-–—…«»“”")),
        ("parentheses", "(".repeat(size)),
        ("closing parentheses", ")".repeat(size)),
        ("emoji ZWJ chains", fill("👨\u{200d}👩\u{200d}👧\u{200d}👦🏽")),
        ("combining marks", fill("\u{301}")),
        ("regional indicators", fill("🇺")),
        ("dense numbers", fill("1 22 333 ")),
        ("dense dates", fill("12 March 2021 ")),
        ("initials chain", fill("a.")),
        ("dotted words", fill("ab.")),
        ("hyphenated letters", fill("a-")),
        ("at signs", fill("a@")),
        ("email local parts", fill("a.b+c_d%e-")),
        ("unfinished URLs", fill("http://")),
        (
            "URL with trailing closers",
            format!("https://a.io/{}", ")".repeat(size)),
        ),
        ("www runs", fill("www.")),
        ("apostrophes", fill("x'")),
        ("clitic bait", fill("'s")),
        ("money bait", fill("$1 ")),
        ("number words", fill("twenty-")),
        (
            "lone marks and controls",
            fill("\u{301}\u{0}\u{1b}\u{202e}\u{200b}\u{feff}"),
        ),
    ]
}

const NEWS: &str = "Iran’s foreign minister Hossein Amir-Abdollahian met U.S. envoy Dr. Smith in \
Geneva on 12 March 2021, the first talks in three years; they agreed $5.2 million in aid (12% \
more). Mail press@example.org or see https://example.org/news_(2021) — 北京 😀 👍🏽 🇺🇦.\n";
