//! Rendering annotated corpus tokens as text, with every entity mapped to a byte range.
//!
//! Corpora come one token a line, split the Penn Treebank way: `$ 799`, `Iran 's`,
//! ``` `` Titanic '' ```, `U.S. - led`, `do n't`. Two renderings of a document:
//!
//! - [`Style::Spaced`]: tokens joined by one space, sentences by `"\n"` — what the trainer and
//!   the evaluator have always used, kept byte for byte.
//! - [`Style::Natural`]: text as people write it: `$799`, `Iran’s`, `“Titanic”`, `U.S.-led`,
//!   `don't`. No space before `, . ; : ! ? % ) ] }` or a clitic (`'s n't 're 've 'm 'll 'd`,
//!   any case), none after `( [ { $ #` or an opening quote, currency signs (`$`, `US$`, `€`…)
//!   glued to the amount, intra-word hyphens joined, `gon na` → `gonna`, `AT & T` → `AT&T`.
//!   Sentences are still joined by `"\n"`: only how a sentence is written changes.
//!
//! # Typography
//!
//! Real pages mix typewriter and typographer's marks, so each natural document gets one
//! [`Typography`], chosen from the seed and a hash of the document's tokens (the same document
//! gets the same marks wherever it sits in a file): double quotes curly (`“ ”`, also `‘ ’` for
//! single quotes and `—` for `--`) or straight (`"`), apostrophes curly (`’`) or straight (`'`),
//! usually both of one kind and sometimes mixed. The corpus's ```` `` ```` and `''` say which
//! quote opens and which closes; a plain `"` is an opener or a closer by its neighbours (a word
//! on its left and nothing or punctuation on its right closes), otherwise by whether a quote is
//! open in the document.
//!
//! # Hyphens
//!
//! Corpora disagree on hyphenated words. OntoNotes splits them (`top - secret`, `U.S. - led`,
//! keeping only prefixes such as `co-operation`) and writes dashes as `--`; CoNLL-2003 keeps
//! them whole (`long-term`, `U.S.-led`) and a lone `-` is always a dash
//! (`Port conditions update - Syria - Lloyds`). A lone `-` between two words therefore means a
//! hyphen in one corpus and a dash in the other, and only the corpus as a whole tells which:
//! [`Hyphens::detect`] compares lowercase compounds split around a lone `-` with compounds
//! written as one token (OntoNotes train 5,298 to 1,185; CoNLL-2003 train 18 to 980). With
//! [`Hyphens::Split`], a lone `-` is joined to both neighbours when the left one ends a word
//! (a letter or digit, an abbreviation's period as in `U.S.`, or `%`) and the right one starts
//! with a letter or digit; `England - the` is then joined too, a rare dash written as `-`.
//!
//! # Spans
//!
//! Every token becomes one non-empty piece of text without whitespace, and a span runs from its
//! first token's first byte to its last token's last byte, so spans lie on character
//! boundaries and never start or end with whitespace. Pieces are joined by nothing, a space, or
//! (between sentences) a line break.
//!
//! This file depends on nothing but `std`, so its tests run alone:
//! `rustc --edition 2021 --test crates/nerlight-train/src/render.rs -o /tmp/render-test &&
//! /tmp/render-test`.

use std::ops::Range;

/// One sentence of a corpus: its tokens and its entities as ranges of token indices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence<L> {
    /// The tokens, as the corpus wrote them.
    pub tokens: Vec<String>,
    /// The entities: ranges of indices into `tokens`, with their labels.
    pub entities: Vec<(Range<usize>, L)>,
}

impl<L> Default for Sentence<L> {
    fn default() -> Self {
        Sentence {
            tokens: Vec::new(),
            entities: Vec::new(),
        }
    }
}

/// How to write a document's tokens as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Tokens joined by one space, sentences by `"\n"`.
    Spaced,
    /// Text as people write it.
    Natural {
        /// Picks each document's [`Typography`] (with the document's tokens).
        seed: u64,
        /// How the corpus tokenized hyphenated words.
        hyphens: Hyphens,
    },
}

/// How a corpus tokenized hyphenated words (see the [module docs](self#hyphens)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hyphens {
    /// Hyphenated words are split (`top - secret`): a lone `-` between words is a hyphen.
    Split,
    /// Hyphenated words are single tokens (`long-term`): a lone `-` is a dash.
    Whole,
}

impl Hyphens {
    /// Which convention a corpus follows, from its sentences' tokens: [`Hyphens::Split`] when
    /// more lowercase compounds are split around a lone `-` (`top - secret`) than written as one
    /// token (`long-term`); [`Hyphens::Whole`] otherwise, and for a corpus with neither (a
    /// dash is the reading that never glues two words together wrongly).
    pub fn detect<'a, S>(sentences: impl IntoIterator<Item = &'a S>) -> Hyphens
    where
        S: AsRef<[String]> + 'a + ?Sized,
    {
        let lower = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_lowercase());
        let (mut split, mut whole) = (0usize, 0usize);
        for sentence in sentences {
            let tokens = sentence.as_ref();
            for (i, t) in tokens.iter().enumerate() {
                if t == "-" && i > 0 && i + 1 < tokens.len() {
                    split += usize::from(lower(&tokens[i - 1]) && lower(&tokens[i + 1]));
                } else if let Some((a, b)) = t.split_once('-') {
                    whole += usize::from(lower(a) && lower(b));
                }
            }
        }
        if split > whole {
            Hyphens::Split
        } else {
            Hyphens::Whole
        }
    }
}

impl<L> AsRef<[String]> for Sentence<L> {
    fn as_ref(&self) -> &[String] {
        &self.tokens
    }
}

/// The marks a natural document is written with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Typography {
    /// `“ ” ‘ ’ —` rather than `" ' --`.
    pub curly_quotes: bool,
    /// `’` rather than `'` in `Iran’s`, `don’t`, `O’Brien`, `’96`.
    pub curly_apostrophes: bool,
}

impl Typography {
    /// Straight quotes and apostrophes, as typed on a keyboard.
    pub const PLAIN: Typography = Typography {
        curly_quotes: false,
        curly_apostrophes: false,
    };

    /// The marks of a document, chosen from `seed` and the document's tokens: 3/8 all curly,
    /// 3/8 all straight, 1/8 each of the two mixes.
    pub fn choose<L>(seed: u64, sentences: &[Sentence<L>]) -> Typography {
        // FNV-1a over the tokens (a separator after each), then a splitmix64 finalizer.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for s in sentences {
            for t in &s.tokens {
                for &b in t.as_bytes().iter().chain(&[0xff]) {
                    h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
                }
            }
        }
        let mut z = (h ^ seed).wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        let curly_quotes = z & 1 == 1;
        let mixed = (z >> 1) & 3 == 0;
        Typography {
            curly_quotes,
            curly_apostrophes: curly_quotes != mixed,
        }
    }
}

/// A rendered document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered<L> {
    /// The document's text.
    pub text: String,
    /// The byte range of every token, sentence after sentence.
    pub tokens: Vec<Range<usize>>,
    /// Every entity as `(start, end, label)`, byte offsets into `text`, in the sentences' order.
    pub entities: Vec<(usize, usize, L)>,
    /// The marks used ([`Typography::PLAIN`] for [`Style::Spaced`]).
    pub typography: Typography,
}

/// Renders one document (its sentences, in order) in `style`.
pub fn render<L: Copy>(sentences: &[Sentence<L>], style: Style) -> Rendered<L> {
    match style {
        Style::Spaced => render_spaced(sentences),
        Style::Natural { seed, hyphens } => {
            render_natural(sentences, Typography::choose(seed, sentences), hyphens)
        }
    }
}

fn render_spaced<L: Copy>(sentences: &[Sentence<L>]) -> Rendered<L> {
    let mut out = Rendered {
        text: String::new(),
        tokens: Vec::new(),
        entities: Vec::new(),
        typography: Typography::PLAIN,
    };
    for s in sentences.iter().filter(|s| !s.tokens.is_empty()) {
        let first = out.tokens.len();
        for (i, t) in s.tokens.iter().enumerate() {
            if !out.text.is_empty() {
                out.text.push(if i == 0 { '\n' } else { ' ' });
            }
            let start = out.text.len();
            out.text.push_str(t);
            out.tokens.push(start..out.text.len());
        }
        push_entities(&mut out, first, s);
    }
    out
}

fn push_entities<L: Copy>(out: &mut Rendered<L>, first: usize, s: &Sentence<L>) {
    for (range, label) in &s.entities {
        assert!(
            range.start < range.end && range.end <= s.tokens.len(),
            "entity tokens {range:?} outside a sentence of {} tokens",
            s.tokens.len()
        );
        let start = out.tokens[first + range.start].start;
        let end = out.tokens[first + range.end - 1].end;
        out.entities.push((start, end, *label));
    }
}

/// Renders one document naturally with the given marks (what [`render`] does after choosing
/// them).
pub fn render_natural<L: Copy>(
    sentences: &[Sentence<L>],
    typography: Typography,
    hyphens: Hyphens,
) -> Rendered<L> {
    let mut out = Rendered {
        text: String::new(),
        tokens: Vec::new(),
        entities: Vec::new(),
        typography,
    };
    // Whether a double quote is open: quotes may span sentences, so this is per document.
    let mut double_open = false;
    for s in sentences.iter().filter(|s| !s.tokens.is_empty()) {
        let first = out.tokens.len();
        // Whether a ` single quote is open in this sentence (Treebank's ` … ' pairs).
        let mut single_open = false;
        let mut glue_next = false;
        // The last lone `'` of the sentence: one before it may open a quote that it closes.
        let last_apostrophe = s.tokens.iter().rposition(|t| t == "'");
        for (i, t) in s.tokens.iter().enumerate() {
            let context = Context {
                prev: i.checked_sub(1).map(|j| s.tokens[j].as_str()),
                next: s.tokens.get(i + 1).map(String::as_str),
                apostrophe_follows: last_apostrophe.is_some_and(|j| j > i),
            };
            let piece = piece(t, context, hyphens, &mut double_open, &mut single_open);
            if !out.text.is_empty() {
                if i == 0 {
                    out.text.push('\n');
                } else if !(glue_next || piece.glue_left) {
                    out.text.push(' ');
                }
            }
            let start = out.text.len();
            piece.write(t, typography, &mut out.text);
            out.tokens.push(start..out.text.len());
            glue_next = piece.glue_right;
        }
        push_entities(&mut out, first, s);
    }
    out
}

/// How one token is written and joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    mark: Mark,
    /// No space before it.
    glue_left: bool,
    /// No space after it.
    glue_right: bool,
}

/// What a token is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    /// The token itself, its apostrophes in the document's style.
    Word,
    OpenDouble,
    CloseDouble,
    OpenSingle,
    /// A closing single quote or an apostrophe standing alone (`Peres '`, `' 96`).
    Apostrophe,
    /// `--`.
    Dash,
}

impl Piece {
    fn word(glue_left: bool, glue_right: bool) -> Piece {
        Piece {
            mark: Mark::Word,
            glue_left,
            glue_right,
        }
    }

    fn write(self, token: &str, typography: Typography, text: &mut String) {
        let (q, a) = (typography.curly_quotes, typography.curly_apostrophes);
        match self.mark {
            Mark::OpenDouble => text.push(if q { '“' } else { '"' }),
            Mark::CloseDouble => text.push(if q { '”' } else { '"' }),
            Mark::OpenSingle => text.push(if q { '‘' } else { '\'' }),
            Mark::Apostrophe => text.push(if a { '’' } else { '\'' }),
            Mark::Dash => text.push_str(if q { "—" } else { "--" }),
            Mark::Word if a && token.contains('\'') => text.push_str(&token.replace('\'', "’")),
            Mark::Word => text.push_str(token),
        }
    }
}

/// Where a token stands in its sentence.
#[derive(Clone, Copy, Debug)]
struct Context<'a> {
    prev: Option<&'a str>,
    next: Option<&'a str>,
    /// A lone `'` comes later in the sentence.
    apostrophe_follows: bool,
}

/// Decides how token `t` is written and joined, updating whether quotes are open.
fn piece(
    t: &str,
    context: Context,
    hyphens: Hyphens,
    double_open: &mut bool,
    single_open: &mut bool,
) -> Piece {
    let Context { prev, next, .. } = context;
    let double = |open: bool, double_open: &mut bool| {
        *double_open = open;
        Piece {
            mark: if open {
                Mark::OpenDouble
            } else {
                Mark::CloseDouble
            },
            glue_left: !open,
            glue_right: open,
        }
    };
    match t {
        "``" => double(true, double_open),
        "''" => double(false, double_open),
        "\"" => {
            let open = quote_opens(prev, next, *double_open);
            double(open, double_open)
        }
        "`" => {
            *single_open = true;
            Piece {
                mark: Mark::OpenSingle,
                glue_left: false,
                glue_right: true,
            }
        }
        "'" => {
            let elision =
                next.is_some_and(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit()));
            let (glue_left, glue_right) = if *single_open {
                *single_open = false;
                (true, false) // closes a ` quote
            } else if elision {
                (false, true) // `' 96` → `'96`
            } else if prev.is_some_and(ends_word)
                && !(context.apostrophe_follows && next.is_some_and(starts_title))
            {
                (true, false) // a plural possessive (`leaders '`) or a closing quote
            } else {
                // Opens a quote written with straight marks in the corpus (`the film ' Field of
                // Dreams '`: a capitalized word follows and another `'` closes it).
                *single_open = true;
                return Piece {
                    mark: Mark::OpenSingle,
                    glue_left: false,
                    glue_right: true,
                };
            };
            Piece {
                mark: Mark::Apostrophe,
                glue_left,
                glue_right,
            }
        }
        "--" => Piece {
            mark: Mark::Dash,
            glue_left: false,
            glue_right: false,
        },
        "-" => {
            let joined = hyphens == Hyphens::Split
                && prev.is_some_and(ends_word)
                && next.is_some_and(starts_word);
            Piece::word(joined, joined)
        }
        "(" | "[" | "{" | "#" => Piece::word(false, next.is_some_and(|n| !is_closer(n))),
        "&" => {
            // `AT & T`, `S & P`, `R & D`: initials joined; `Procter & Gamble` keeps its spaces.
            let initials = |w: Option<&str>| {
                w.is_some_and(|w| w.len() <= 2 && w.bytes().all(|b| b.is_ascii_uppercase()))
            };
            let joined = initials(prev) && initials(next);
            Piece::word(joined, joined)
        }
        "na" if matches!(prev, Some("gon" | "wan" | "Gon" | "Wan")) => Piece::word(true, false),
        "ta" if matches!(prev, Some("got" | "Got")) => Piece::word(true, false),
        _ if is_closer(t) || is_clitic(t) => Piece::word(true, false),
        _ if is_currency(t) => Piece::word(false, next.is_some_and(starts_amount)),
        _ => Piece::word(false, false),
    }
}

/// Whether a plain `"` opens a quote: a word on its left and nothing or punctuation on its
/// right closes; nothing, an opening bracket or a dash on its left and a word on its right
/// opens; otherwise it opens when no quote is open.
fn quote_opens(prev: Option<&str>, next: Option<&str>, open: bool) -> bool {
    let closes = prev.is_some_and(|p| !is_opener(p)) && next.is_none_or(is_closer);
    let opens = prev.is_none_or(|p| is_opener(p) || p == "--" || p == "-")
        && next.is_some_and(|n| !is_closer(n));
    if closes {
        false
    } else if opens {
        true
    } else {
        !open
    }
}

/// Punctuation written against the word before it: `, . ; : ! ?` and runs of them (`...`,
/// `?!`), `%`, closing brackets.
fn is_closer(t: &str) -> bool {
    matches!(t, "%" | ")" | "]" | "}")
        || (!t.is_empty() && t.bytes().all(|b| b",.;:!?".contains(&b)))
}

fn is_opener(t: &str) -> bool {
    matches!(t, "(" | "[" | "{" | "``" | "`")
}

/// `'s n't 're 've 'm 'll 'd` in any case.
fn is_clitic(t: &str) -> bool {
    ["'s", "n't", "'re", "'ve", "'m", "'ll", "'d"]
        .iter()
        .any(|c| c.eq_ignore_ascii_case(t))
}

/// `$`, `US$`, `NT$`, `C$`…, and the single-character signs `€ £ ¥ ₹ ₩ ₽ ₺`.
pub(crate) fn is_currency(t: &str) -> bool {
    match t.strip_suffix('$') {
        Some(prefix) => prefix.bytes().all(|b| b.is_ascii_uppercase()) && prefix.len() <= 3,
        None => matches!(t, "€" | "£" | "¥" | "₹" | "₩" | "₽" | "₺"),
    }
}

/// A number an amount starts with: `799`, `.5`.
fn starts_amount(t: &str) -> bool {
    let b = t.as_bytes();
    b.first().is_some_and(u8::is_ascii_digit)
        || (b.first() == Some(&b'.') && b.get(1).is_some_and(u8::is_ascii_digit))
}

/// Whether `t` can stand left of an intra-word hyphen: it ends with a letter or digit, is an
/// abbreviation with its period (`U.S.`, `Corp.`), or is `%` (`80 % - owned`).
fn ends_word(t: &str) -> bool {
    let last = t.chars().next_back();
    last.is_some_and(char::is_alphanumeric)
        || t == "%"
        || (last == Some('.') && t.len() > 1 && t.chars().any(char::is_alphabetic))
}

fn starts_title(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

fn starts_word(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(text: &str) -> Sentence<char> {
        Sentence {
            tokens: text.split(' ').map(String::from).collect(),
            entities: Vec::new(),
        }
    }

    fn with(text: &str, entities: &[(Range<usize>, char)]) -> Sentence<char> {
        Sentence {
            entities: entities.to_vec(),
            ..sentence(text)
        }
    }

    const CURLY: Typography = Typography {
        curly_quotes: true,
        curly_apostrophes: true,
    };

    /// The sentences of `render_cases.txt`, each rendered alone as the file says.
    #[test]
    fn sentences_render_as_people_write_them() {
        let mut failures = Vec::new();
        let mut cases = 0;
        for (n, line) in include_str!("render_cases.txt").lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (typography, case) = match line.split_once(": ") {
                Some(("plain", case)) => (Typography::PLAIN, case),
                Some(("curly", case)) => (CURLY, case),
                _ => panic!("render_cases.txt:{}: no `plain: ` or `curly: `", n + 1),
            };
            let (spaced, want) = case
                .split_once(" => ")
                .unwrap_or_else(|| panic!("render_cases.txt:{}: no ` => `", n + 1));
            let got = render_natural(&[sentence(spaced)], typography, Hyphens::Split).text;
            if got != want {
                failures.push(format!("render_cases.txt:{}: {got:?} != {want:?}", n + 1));
            }
            cases += 1;
        }
        assert!(cases >= 30, "render_cases.txt has only {cases} cases");
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn spaced_joins_tokens_by_spaces_and_sentences_by_line_breaks() {
        let doc = [
            with("John Smith saw Paris", &[(0..2, 'P'), (3..4, 'L')]),
            sentence("OK"),
        ];
        let r = render(&doc, Style::Spaced);
        assert_eq!(r.text, "John Smith saw Paris\nOK");
        assert_eq!(r.entities, [(0, 10, 'P'), (15, 20, 'L')]);
        assert_eq!(r.tokens, [0..4, 5..10, 11..14, 15..20, 21..23]);
        assert_eq!(r.typography, Typography::PLAIN);
    }

    #[test]
    fn spaced_is_the_old_text_even_for_treebank_punctuation() {
        let doc = [sentence("`` Titanic '' cost $ 200 million , U.S. - led")];
        assert_eq!(
            render(&doc, Style::Spaced).text,
            "`` Titanic '' cost $ 200 million , U.S. - led"
        );
    }

    #[test]
    fn a_corpus_that_keeps_hyphenated_words_whole_has_dashes() {
        let doc = [sentence(
            "Port conditions update - Syria - Lloyds long-term",
        )];
        let r = render_natural(&doc, Typography::PLAIN, Hyphens::Whole);
        assert_eq!(r.text, "Port conditions update - Syria - Lloyds long-term");
    }

    #[test]
    fn hyphen_convention_is_detected_from_the_corpus() {
        let onto = [
            sentence("a top - secret and short - term co-operation"),
            sentence("U.S. - led"),
        ];
        assert_eq!(Hyphens::detect(&onto), Hyphens::Split);
        let conll = [
            sentence("update - Syria - Lloyds"),
            sentence("long-term one-day Jan-May"),
        ];
        assert_eq!(Hyphens::detect(&conll), Hyphens::Whole);
        assert_eq!(Hyphens::detect(&[sentence("no hyphens")]), Hyphens::Whole);
        assert_eq!(Hyphens::detect(&[sentence("A - B")]), Hyphens::Whole);
    }

    #[test]
    fn quotes_stay_open_across_sentences() {
        let doc = [sentence("`` It was late ."), sentence("Very late . ''")];
        let r = render_natural(&doc, CURLY, Hyphens::Split);
        assert_eq!(r.text, "“It was late.\nVery late.”");
        let doc = [sentence("\" It was late ."), sentence("Very \" late")];
        let r = render_natural(&doc, CURLY, Hyphens::Split);
        assert_eq!(r.text, "“It was late.\nVery” late");
    }

    #[test]
    fn typography_is_per_document_and_deterministic() {
        let docs: Vec<[Sentence<char>; 1]> = (0..400)
            .map(|i| [sentence(&format!("doc {i} 's `` quote ''"))])
            .collect();
        let marks: Vec<Typography> = docs.iter().map(|d| Typography::choose(7, d)).collect();
        let count = |q, a| {
            marks
                .iter()
                .filter(|t| t.curly_quotes == q && t.curly_apostrophes == a)
                .count()
        };
        for (q, a, expected) in [
            (true, true, 150),
            (false, false, 150),
            (true, false, 50),
            (false, true, 50),
        ] {
            let n = count(q, a);
            assert!(n.abs_diff(expected) < 30, "{q} {a}: {n} of 400");
        }
        assert_eq!(marks[3], Typography::choose(7, &docs[3]));
        let other_seed: Vec<Typography> = docs.iter().map(|d| Typography::choose(8, d)).collect();
        assert_ne!(marks, other_seed);
        let r = render(
            &docs[3],
            Style::Natural {
                seed: 7,
                hyphens: Hyphens::Split,
            },
        );
        assert_eq!(r.typography, marks[3]);
    }

    #[test]
    fn entity_spans_map_exactly() {
        let doc = [
            with(
                "`` Titanic '' cost $ 200 million , a U.S. - led Iran 's plan",
                &[(1..2, 'W'), (4..7, 'M'), (9..10, 'G'), (12..13, 'G')],
            ),
            with("Procter & Gamble Co. 's shares", &[(0..5, 'O')]),
        ];
        let r = render_natural(&doc, CURLY, Hyphens::Split);
        assert_eq!(
            r.text,
            "“Titanic” cost $200 million, a U.S.-led Iran’s plan\nProcter & Gamble Co.’s shares"
        );
        let spans: Vec<(&str, char)> = r
            .entities
            .iter()
            .map(|&(s, e, l)| (&r.text[s..e], l))
            .collect();
        assert_eq!(
            spans,
            [
                ("Titanic", 'W'),
                ("$200 million", 'M'),
                ("U.S.", 'G'),
                ("Iran", 'G'),
                ("Procter & Gamble Co.’s", 'O'),
            ]
        );
        for (token, range) in doc.iter().flat_map(|s| &s.tokens).zip(&r.tokens) {
            assert!(!r.text[range.clone()].is_empty(), "{token}");
            assert!(!r.text[range.clone()].contains(char::is_whitespace));
        }
    }

    #[test]
    fn empty_sentences_and_documents() {
        let r = render::<char>(&[], Style::Spaced);
        assert_eq!(r.text, "");
        let doc = [Sentence::default(), sentence("a"), Sentence::default()];
        assert_eq!(render_natural(&doc, CURLY, Hyphens::Split).text, "a");
        assert_eq!(render(&doc, Style::Spaced).text, "a");
    }

    #[test]
    #[should_panic(expected = "outside a sentence")]
    fn an_entity_past_its_sentence_is_a_bug() {
        render(&[with("a b", &[(1..3, 'X')])], Style::Spaced);
    }
}
