//! Property tests: span invariants on generated text that mixes scripts, emoji, marks and
//! line breaks. Every span is in bounds, on character boundaries, sorted and non-overlapping;
//! its text equals the slice in every offset unit; the same input gives the same output.

use std::sync::OnceLock;

use nerlight::entity::check_spans;
use nerlight::tokenize::{sentences, tokenize};
use nerlight::Highlighter;
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "Paris",
    "U.S.",
    "Dr.",
    "$",
    "5.2",
    "million",
    "12",
    "March",
    "2021",
    "a@b.org",
    "https://x.io/a_(b)",
    "www.example.com",
    "😀",
    "👨‍👩‍👧‍👦",
    "👍🏽",
    "🇺🇦",
    "e\u{301}",
    "北京",
    "東京",
    "مرحبا",
    "עברית",
    "\u{202e}",
    "\u{a0}",
    "\u{fffd}",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\r\n",
    "\r",
    "\n",
    " ",
    " ",
    " ",
    ".",
    ",",
    "’s",
    "'s",
    "n't",
    "’",
    "-",
    "(",
    ")",
    "%",
    "'",
    "\"",
    "“",
    "”",
    "...",
    "Amir-Abdollahian",
    "O'Brien",
    "3:30",
    "p.m.",
    "12/03/2021",
    "(555) 123-4567",
    "+44 20 7946 0958",
    "€",
    "£",
    "first",
    "twenty-five",
    "Monday",
    "the",
    "Obama",
    "Microsoft",
    "Iran",
    "Germany",
    "said",
    "on",
    "in",
    "\t",
    "\u{0}",
    "\u{1b}",
    // Bidi controls (embeddings, overrides, isolates, marks), more zero-width and format
    // characters, a lone skin-tone modifier, keycap and tag characters, JS line terminators.
    "\u{202a}",
    "\u{202b}",
    "\u{202c}",
    "\u{202d}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{200e}",
    "\u{200f}",
    "\u{61c}",
    "\u{200c}",
    "\u{2060}",
    "\u{ad}",
    "🏽",
    "\u{fe0f}",
    "\u{20e3}",
    "\u{e0067}",
    "\u{2028}",
    "\u{85}",
    "𝕄",
    "ǅ",
    "İ",
    "ß",
];

fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
        1 => "[a-zA-Z0-9]{1,12}",
    ];
    // Texts may open with what has nothing to attach to: combining marks, a joiner, a modifier.
    let opening = prop::sample::select(
        &[
            "",
            "",
            "\u{301}",
            "\u{308}\u{301}",
            "\u{20dd}",
            "\u{200d}",
            "\u{fe0f}",
            "🏽",
            "\u{202e}",
        ][..],
    );
    (opening, prop::collection::vec(piece, 0..120)).prop_map(|(o, v)| o.to_string() + &v.concat())
}

fn engines() -> &'static [Highlighter; 2] {
    static E: OnceLock<[Highlighter; 2]> = OnceLock::new();
    E.get_or_init(|| [Highlighter::new(), Highlighter::rules_only()])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn spans_are_sound_in_every_unit(text in text_strategy()) {
        for h in engines() {
            let entities = h.highlight(&text);
            if let Err(e) = check_spans(&text, &entities) {
                return Err(TestCaseError::fail(e));
            }
            prop_assert_eq!(&entities, &h.highlight(&text), "deterministic");
        }
    }

    #[test]
    fn tokens_and_sentences_cover_the_text(text in text_strategy()) {
        let tokens = tokenize(&text);
        let mut prev = 0;
        for t in &tokens {
            prop_assert!(t.start < t.end && t.end <= text.len());
            prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            prop_assert!(t.start >= prev);
            // Between tokens there is only white space and control characters.
            let gap = &text[prev..t.start];
            prop_assert!(gap.chars().all(|c| c.is_whitespace() || c.is_control() || matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}')), "gap {:?}", gap);
            prev = t.end;
        }
        let sents = sentences(&text, &tokens);
        let mut next = 0;
        for s in &sents {
            prop_assert_eq!(s.start, next);
            prop_assert!(s.end > s.start);
            next = s.end;
        }
        prop_assert_eq!(next, tokens.len());
    }
}

#[test]
fn hostile_sizes_complete() {
    let h = &engines()[0];
    for text in [
        "x".repeat(1 << 20),
        "9".repeat(1 << 20),
        "\n".repeat(100_000),
        ".,;:!?".repeat(50_000),
        "$".repeat(100_000) + "5",
        "😀\u{200d}".repeat(100_000),
        "\u{301}".repeat(100_000),
    ] {
        let entities = h.highlight(&text);
        if let Err(e) = check_spans(&text, &entities) {
            panic!("{} bytes starting {:?}: {e}", text.len(), &text[..12]);
        }
    }
}
