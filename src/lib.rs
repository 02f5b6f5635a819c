//! nerlight: named-entity highlighting that runs entirely in the browser.
//!
//! A [`Highlighter`] finds the named entities in a text — people, organizations, places,
//! nationalities, dates, money, laws, events… — and returns them as sorted, non-overlapping
//! [`Entity`] spans with UTF-8 byte offsets. Exact rules find the numeric and pattern types; a
//! compact statistical tagger finds names. Convert offsets for other callers with [`offsets`].
//!
//! ```
//! use nerlight::{Highlighter, Label};
//! let h = Highlighter::rules_only();
//! let text = "Paid $5.2 million on 12 March 2021; mail a@b.org";
//! let found: Vec<(&str, Label)> = h.highlight(text).iter().map(|e| (e.text(text), e.label)).collect();
//! assert_eq!(found, [("$5.2 million", Label::Money), ("12 March 2021", Label::Date), ("a@b.org", Label::Email)]);
//! ```
//!
//! # Untrusted input
//!
//! `highlight` accepts any `&str`: it never panics, never fails, and runs in time linear in the
//! text's length. Errors come only from loading a model, whose bytes are validated when loaded.
//! A text longer than [`MAX_PIECE_BYTES`] is analysed in pieces of at most that size, so the
//! working memory of one call is bounded whatever the text's size (only the entities found grow
//! with it): 20 MB of one punctuation character used to ask for a 2 GB table of per-token
//! features, which wasm32 cannot address ("capacity overflow").

#![warn(missing_docs)]

pub mod entity;
mod error;
pub mod label;
pub mod merge;
pub mod offsets;
pub mod rules;
pub mod tagger;
pub mod tokenize;
pub mod user;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use entity::{Entity, Source};
pub use error::{Error, ErrorKind};
pub use label::Label;

use rules::Rules;
use tagger::Tagger;
use user::PhraseList;

/// Longest piece of text analysed at once (256 KiB). Longer texts are cut, preferably at a line
/// break, else at a space, in the second half of each piece; entities never cross a cut, and
/// document-level features (what earlier sentences said about a word) start again in each piece.
pub const MAX_PIECE_BYTES: usize = 1 << 18;

/// The engine: built once, then used for any number of texts.
pub struct Highlighter {
    rules: Rules,
    user: PhraseList,
    tagger: Option<Tagger>,
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter::new()
    }
}

impl Highlighter {
    /// The default engine: the exact rules plus the embedded default model.
    pub fn new() -> Highlighter {
        let tagger = Tagger::from_bytes(tagger::DEFAULT_MODEL)
            .expect("the embedded model is valid (tests/model.rs loads it)");
        Highlighter {
            tagger: Some(tagger),
            ..Highlighter::rules_only()
        }
    }

    /// An engine with the exact rules only (numbers, dates, money, email, URL, phone…).
    pub fn rules_only() -> Highlighter {
        Highlighter {
            rules: Rules::new(),
            user: PhraseList::default(),
            tagger: None,
        }
    }

    /// An engine with the exact rules plus the model in `bytes` (a nerlight model file).
    pub fn from_model_bytes(bytes: &[u8]) -> Result<Highlighter, Error> {
        Ok(Highlighter {
            tagger: Some(Tagger::from_bytes(bytes)?),
            ..Highlighter::rules_only()
        })
    }

    /// The labels this engine can return, in [`Label::ALL`] order.
    pub fn labels(&self) -> Vec<Label> {
        Label::ALL
            .iter()
            .copied()
            .filter(|l| {
                l.is_numeric()
                    || l.is_pattern()
                    || self.tagger.as_ref().is_some_and(|t| t.labels().contains(l))
            })
            .collect()
    }

    /// Sets the user's own phrases, each with its label; they are found case-insensitively on
    /// token boundaries and win over every other source. Replaces any earlier list; validated
    /// here (see [`user::PhraseList::new`]), so highlighting still never fails.
    pub fn set_user_phrases<S: AsRef<str>>(&mut self, phrases: &[(S, Label)]) -> Result<(), Error> {
        self.user = PhraseList::new(phrases)?;
        Ok(())
    }

    /// The entities in `text`: sorted by start, non-overlapping, with byte offsets on character
    /// boundaries. Never fails and never panics, whatever the text.
    ///
    /// Where sources overlap, the user's phrases win, then the exact patterns (email, URL,
    /// phone), then the model. The rules' numbers and dates (which the model also sees as
    /// features) fill in only the types the model does not predict: letting the model decide
    /// the numeric types it was trained on scores best on OntoNotes dev (the policies compared
    /// are in the model card, `models/README.md`). So a CoNLL-2003 model still gets rule dates.
    pub fn highlight(&self, text: &str) -> Vec<Entity> {
        let mut start = 0;
        let mut out = Vec::new();
        while start < text.len() {
            let end = piece_end(text, start);
            let piece = self.highlight_piece(&text[start..end]);
            if start == 0 && end == text.len() {
                return piece;
            }
            out.extend(piece.into_iter().map(|e| Entity {
                start: e.start + start,
                end: e.end + start,
                ..e
            }));
            start = end;
        }
        out
    }

    /// [`Highlighter::highlight`] on one piece of at most [`MAX_PIECE_BYTES`].
    fn highlight_piece(&self, text: &str) -> Vec<Entity> {
        let tokens = tokenize::tokenize(text);
        let (patterns, mut numbers): (Vec<Entity>, Vec<Entity>) = self
            .rules
            .find(text, &tokens)
            .into_iter()
            .partition(|e| e.label.is_pattern());
        let mut out = self.user.find(text, &tokens);
        out = merge::overlay(out, &patterns);
        if let Some(tagger) = &self.tagger {
            let sentences = tokenize::sentences(text, &tokens);
            let mut model = Vec::new();
            tagger.tag(text, &tokens, &sentences, &numbers, &mut model);
            merge::refine(text, &tokens, &numbers, &mut model);
            out = merge::overlay(out, &model);
            numbers.retain(|e| !tagger.labels().contains(&e.label));
        }
        merge::overlay(out, &numbers)
    }
}

/// Where the piece of `text` starting at `start` ends: at most [`MAX_PIECE_BYTES`] on, after the
/// last line break in the second half of that span, else after its last space, else on the last
/// character boundary.
fn piece_end(text: &str, start: usize) -> usize {
    let limit = start + MAX_PIECE_BYTES;
    if limit >= text.len() {
        return text.len();
    }
    let floor = start + MAX_PIECE_BYTES / 2;
    let window = &text.as_bytes()[floor..limit];
    if let Some(i) = window.iter().rposition(|&b| b == b'\n') {
        return floor + i + 1;
    }
    if let Some(i) = window.iter().rposition(|&b| b == b' ' || b == b'\t') {
        return floor + i + 1;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces cover the text in order, end on character boundaries, and prefer line breaks,
    /// then spaces.
    #[test]
    fn pieces_cut_at_breaks_then_spaces_then_characters() {
        let cuts = |text: &str| {
            let mut out = vec![0];
            while *out.last().unwrap() < text.len() {
                let end = piece_end(text, *out.last().unwrap());
                assert!(end > *out.last().unwrap() && text.is_char_boundary(end));
                assert!(end - out.last().unwrap() <= MAX_PIECE_BYTES);
                out.push(end);
            }
            out
        };
        let small = "x".repeat(MAX_PIECE_BYTES);
        assert_eq!(cuts(&small), [0, MAX_PIECE_BYTES]);
        let lines = format!(
            "{}\n{}",
            "a b ".repeat(MAX_PIECE_BYTES / 6),
            "c d ".repeat(MAX_PIECE_BYTES / 4)
        );
        let at = lines.find('\n').unwrap() + 1;
        assert_eq!(cuts(&lines)[1], at);
        let words = "ab ".repeat(MAX_PIECE_BYTES / 2);
        assert!(cuts(&words)[1..]
            .iter()
            .all(|&c| c == words.len() || words.as_bytes()[c - 1] == b' '));
        let emoji = "😀".repeat(MAX_PIECE_BYTES / 2);
        assert_eq!(cuts(&emoji).len(), 3);
    }

    /// A long text finds what its pieces find, shifted: an email in every line of 600 KB.
    #[test]
    fn long_texts_find_across_pieces() {
        let h = Highlighter::rules_only();
        let line = "Write to someone@example.org about it.\n";
        let text = line.repeat(3 * MAX_PIECE_BYTES / line.len());
        let found = h.highlight(&text);
        assert_eq!(found.len(), text.lines().count());
        for (i, e) in found.iter().enumerate() {
            assert_eq!(
                (e.start, e.text(&text)),
                (i * line.len() + 9, "someone@example.org")
            );
        }
    }
}
