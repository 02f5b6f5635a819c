//! Data-driven tests: `tests/golden/*.txt` hold natural sentences with their expected entities
//! marked up (format in `golden_cases`). The wasm tests run the same files in Node and Chromium.

mod golden_cases;

use golden_cases::{Span, Unit};
use nerlight::offsets::{self, OffsetConverter};
use nerlight::Highlighter;

fn spans(h: &Highlighter) -> impl Fn(&str) -> Vec<Span> + '_ {
    |text| {
        h.highlight(text)
            .iter()
            .map(|e| Span {
                start: e.start,
                end: e.end,
                label: e.label.name().to_string(),
            })
            .collect()
    }
}

#[test]
fn rules_golden() {
    golden_cases::check(
        golden_cases::RULES,
        Unit::Byte,
        spans(&Highlighter::rules_only()),
    );
}

#[test]
fn natural_golden() {
    golden_cases::check(
        golden_cases::NATURAL,
        Unit::Byte,
        spans(&Highlighter::new()),
    );
}

#[test]
fn refine_golden() {
    golden_cases::check_refine();
}

/// The rule cases again in UTF-16 offsets, converted as every JS caller's are
/// (`nerlight::offsets`): the golden texts hold emoji, combining marks and CRLF.
#[test]
fn rules_golden_in_utf16() {
    let h = Highlighter::rules_only();
    golden_cases::check(golden_cases::RULES, Unit::Utf16, |text| {
        let mut to = OffsetConverter::new(text, offsets::Unit::Utf16);
        h.highlight(text)
            .iter()
            .map(|e| Span {
                start: to.convert(e.start),
                end: to.convert(e.end),
                label: e.label.name().to_string(),
            })
            .collect()
    });
}
