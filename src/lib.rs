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
//! working memory of one call is bounded whatever the text's size (only the entities found and
//! one small entry per distinct word grow with it): 20 MB of one punctuation character used to
//! ask for a 2 GB table of per-token features, which wasm32 cannot address ("capacity
//! overflow"). The pieces give exactly the whole text's entities (see [`MAX_PIECE_BYTES`]);
//! [`Highlighter::stream`] yields them piece by piece.

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

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use rules::Rules;
use tagger::{DocState, Tagger};
use tokenize::is_space;
use user::PhraseList;

/// Longest piece of text analysed at once (256 KiB). Longer texts are cut after a line break,
/// where nothing can cross the cut (sentences end at line breaks; no rule matches one; a line
/// break between two words of the user's phrases is not taken), and what the model's
/// document-level features need is carried from piece to piece: a first pass folds what every
/// word says about the whole text into one small entry per distinct word, then the pieces are
/// tagged in order with that and with what earlier sentences were tagged. So the entities are
/// exactly those of analysing the whole text at once, in memory bounded by the piece plus one
/// entry per distinct word. Only a line longer than this is cut elsewhere (after a space, else
/// between characters), and there the model's context restarts at the cut.
pub const MAX_PIECE_BYTES: usize = 1 << 18;

/// The engine: built once, then used for any number of texts.
pub struct Highlighter {
    /// Shared by every engine of the process ([`shared_rules`]).
    rules: Arc<Rules>,
    user: PhraseList,
    tagger: Option<Tagger>,
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter::new()
    }
}

impl Highlighter {
    /// The default engine: the exact rules plus the embedded default model, whose tables are
    /// decoded once per process and shared by every engine built here ([`Tagger::embedded`]).
    pub fn new() -> Highlighter {
        Highlighter {
            tagger: Some(Tagger::embedded()),
            ..Highlighter::rules_only()
        }
    }

    /// An engine with the exact rules only (numbers, dates, money, email, URL, phone…).
    pub fn rules_only() -> Highlighter {
        Highlighter {
            rules: shared_rules(),
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
        self.highlight_with_piece_size(text, MAX_PIECE_BYTES)
    }

    /// [`Highlighter::highlight`] with pieces of about `piece_bytes` (at most
    /// [`MAX_PIECE_BYTES`]), or the whole text as one piece if it is no longer: for tests that
    /// the pieces give what the whole text gives.
    #[doc(hidden)]
    pub fn highlight_with_piece_size(&self, text: &str, piece_bytes: usize) -> Vec<Entity> {
        let mut cursor = Cursor::default();
        let mut out = Vec::new();
        while let Some(piece) = cursor.next_piece(self, text, piece_bytes) {
            out.extend(piece.entities);
        }
        out
    }

    /// The entities of `text` piece by piece, each piece as soon as it is analysed: the pieces
    /// cover the text in order, and together their entities are exactly
    /// [`Highlighter::highlight`]'s (see [`MAX_PIECE_BYTES`] for where exactness ends).
    ///
    /// ```
    /// let h = nerlight::Highlighter::rules_only();
    /// let text = "Mail a@b.org today.\n".repeat(20_000);
    /// let all: Vec<_> = h.stream(&text).flat_map(|p| p.entities).collect();
    /// assert_eq!(all, h.highlight(&text));
    /// ```
    pub fn stream<'h, 't>(&'h self, text: &'t str) -> Stream<'h, 't> {
        Stream {
            highlighter: self,
            text,
            cursor: Cursor::default(),
        }
    }

    /// Whether a piece may end at `cut` (just after a line break) with its entities exactly
    /// those of the whole text: tokens, sentences and rule matches never cross a line break,
    /// but a user phrase may ("New\nYork"), so the tokens on both sides of the cut must not
    /// both be words of the user's phrases. Tokens never contain a space and tokenizing starts
    /// afresh after one, so each side's token is found by tokenizing its space-delimited run;
    /// a run longer than [`SIDE_LOOK`] bytes is not looked at and the cut not taken.
    fn may_cut(&self, text: &str, cut: usize) -> bool {
        if self.user.is_empty() {
            return true;
        }
        let before = text[..cut].trim_end_matches(is_space);
        let run_start = match before.rfind(is_space) {
            Some(i) => i + before[i..].chars().next().map_or(1, char::len_utf8),
            None => 0,
        };
        let after_start = text.len() - text[cut..].trim_start_matches(is_space).len();
        let after = &text[after_start..];
        let run_end = after.find(is_space).unwrap_or(after.len());
        if before.len() - run_start > SIDE_LOOK || run_end > SIDE_LOOK {
            return false;
        }
        let left = tokenize::tokenize(&before[run_start..]);
        let right = tokenize::tokenize(&after[..run_end]);
        let (Some(l), Some(r)) = (left.last(), right.first()) else {
            return true;
        };
        !(self.user.has_word(l.text(&before[run_start..]))
            && self.user.has_word(r.text(&after[..run_end])))
    }

    /// Where the piece of `text` starting at `start` ends, for pieces of about `max` bytes:
    /// after the last line break where [`Highlighter::may_cut`] in `start..start + max`, else
    /// after the first one up to [`MAX_PIECE_BYTES`] on, else at the text's end if that is no
    /// further; without one (a line of more than `MAX_PIECE_BYTES`), after the last space in the second half of the `max` bytes, else on
    /// the last character boundary.
    fn piece_end(&self, text: &str, start: usize, max: usize) -> usize {
        let max = max.clamp(1, MAX_PIECE_BYTES);
        let limit = start + max;
        if limit >= text.len() {
            return text.len();
        }
        let bytes = text.as_bytes();
        let mut tries = 0;
        let mut ok = |cut: usize| {
            tries += 1;
            tries <= MAX_CUT_TRIES && self.may_cut(text, cut)
        };
        if let Some(i) = bytes[start..limit]
            .iter()
            .enumerate()
            .rev()
            .filter(|&(_, &b)| b == b'\n')
            .map(|(i, _)| start + i + 1)
            .find(|&cut| cut > start && ok(cut))
        {
            return i;
        }
        let far = (start + MAX_PIECE_BYTES).min(text.len());
        if let Some(i) = bytes[limit..far]
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .map(|(i, _)| limit + i + 1)
            .find(|&cut| ok(cut))
        {
            return i;
        }
        if far == text.len() {
            return far;
        }
        let floor = start + max / 2;
        if let Some(i) = bytes[floor..limit]
            .iter()
            .rposition(|&b| b == b'\n' || b == b' ' || b == b'\t')
        {
            if floor + i + 1 > start {
                return floor + i + 1;
            }
        }
        let mut end = limit;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end == start {
            end = start + text[start..].chars().next().map_or(1, char::len_utf8);
        }
        end
    }

    /// [`Highlighter::highlight`] on one piece of at most [`MAX_PIECE_BYTES`].
    fn highlight_piece(&self, text: &str, state: Option<&mut DocState>) -> Vec<Entity> {
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
            match state {
                Some(state) => {
                    tagger.tag_piece(text, &tokens, &sentences, &numbers, state, &mut model)
                }
                None => tagger.tag(text, &tokens, &sentences, &numbers, &mut model),
            }
            merge::refine(text, &tokens, &numbers, &mut model);
            out = merge::overlay(out, &model);
            numbers.retain(|e| !tagger.labels().contains(&e.label));
        }
        merge::overlay(out, &numbers)
    }
}

/// The compiled rules, compiled on the first call only and shared by every engine: compiling
/// them costs hundreds of kilobytes, which each instance used to pay again.
fn shared_rules() -> Arc<Rules> {
    static RULES: OnceLock<Arc<Rules>> = OnceLock::new();
    Arc::clone(RULES.get_or_init(|| Arc::new(Rules::new())))
}

/// Most cuts [`Highlighter::piece_end`] checks against the user's phrases per piece.
const MAX_CUT_TRIES: usize = 256;

/// How far [`Highlighter::may_cut`] looks on each side of a cut.
const SIDE_LOOK: usize = 1024;

/// One piece of a text from [`Highlighter::stream`]: its byte range in the text and its
/// entities, with byte offsets into the whole text.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    /// The piece's bytes in the whole text.
    pub range: Range<usize>,
    /// The entities in the piece, sorted, offsets into the whole text.
    pub entities: Vec<Entity>,
}

/// Where a text analysed piece by piece stands, and what its earlier pieces (and, for the
/// model's look-ahead features, all of it) said about its words: for callers that cannot hold
/// a [`Stream`] (it borrows the engine and the text), such as the wasm binding. Memory: one
/// small entry per distinct word of the text.
#[derive(Clone, Debug, Default)]
pub struct Cursor {
    pos: usize,
    state: DocState,
    folded: bool,
}

impl Cursor {
    /// A cursor at the start of a text.
    pub fn new() -> Cursor {
        Cursor::default()
    }

    /// How many bytes of the text are done.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The next piece of `text`, of about `max_bytes` (at most [`MAX_PIECE_BYTES`]; longer
    /// where a line break is not far, to keep the pieces exact), or `None` when the text is
    /// done. Give the same engine and the same text to every call.
    pub fn next_piece(&mut self, h: &Highlighter, text: &str, max_bytes: usize) -> Option<Piece> {
        if self.pos >= text.len() || !text.is_char_boundary(self.pos) {
            return None;
        }
        let start = self.pos;
        let end = h.piece_end(text, start, max_bytes);
        self.pos = end;
        // A text that is one piece is analysed as a whole, without the first pass.
        let whole = start == 0 && end == text.len();
        if !self.folded && !whole {
            // The first pass: what every word says about the document, folded piece by piece
            // (any cuts where no sentence crosses serve; nothing per token is kept).
            if let Some(tagger) = h.tagger.as_ref().filter(|t| t.looks_ahead()) {
                let mut start = 0;
                while start < text.len() {
                    let end = h.piece_end(text, start, MAX_PIECE_BYTES);
                    let piece = &text[start..end];
                    let tokens = tokenize::tokenize(piece);
                    let sentences = tokenize::sentences(piece, &tokens);
                    tagger.fold(piece, &tokens, &sentences, &mut self.state);
                    start = end;
                }
            }
        }
        self.folded = true;
        let state = (!whole).then_some(&mut self.state);
        let entities = h
            .highlight_piece(&text[start..end], state)
            .into_iter()
            .map(|e| Entity {
                start: e.start + start,
                end: e.end + start,
                ..e
            })
            .collect();
        Some(Piece {
            range: start..end,
            entities,
        })
    }
}

/// The pieces of a text with their entities, in order ([`Highlighter::stream`]).
pub struct Stream<'h, 't> {
    highlighter: &'h Highlighter,
    text: &'t str,
    cursor: Cursor,
}

impl Iterator for Stream<'_, '_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        self.cursor
            .next_piece(self.highlighter, self.text, MAX_PIECE_BYTES)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(h: &Highlighter, text: &str, max: usize) -> Vec<usize> {
        let mut out = vec![0];
        while *out.last().unwrap() < text.len() {
            let start = *out.last().unwrap();
            let end = h.piece_end(text, start, max);
            assert!(end > start && text.is_char_boundary(end));
            assert!(end - start <= MAX_PIECE_BYTES);
            out.push(end);
        }
        out
    }

    /// Pieces cover the text in order, end on character boundaries, and prefer line breaks
    /// (even a little past the size asked for), then spaces.
    #[test]
    fn pieces_cut_at_breaks_then_spaces_then_characters() {
        let h = Highlighter::rules_only();
        let small = "x".repeat(MAX_PIECE_BYTES);
        assert_eq!(cuts(&h, &small, MAX_PIECE_BYTES), [0, MAX_PIECE_BYTES]);
        let lines = format!(
            "{}\n{}",
            "a b ".repeat(MAX_PIECE_BYTES / 6),
            "c d ".repeat(MAX_PIECE_BYTES / 4)
        );
        let at = lines.find('\n').unwrap() + 1;
        assert_eq!(cuts(&h, &lines, MAX_PIECE_BYTES)[1], at);
        assert_eq!(
            cuts(&h, &lines, 1000)[1],
            at,
            "a line break a little further on"
        );
        let words = "ab ".repeat(MAX_PIECE_BYTES / 2);
        assert!(cuts(&h, &words, MAX_PIECE_BYTES)[1..]
            .iter()
            .all(|&c| c == words.len() || words.as_bytes()[c - 1] == b' '));
        let emoji = "😀".repeat(MAX_PIECE_BYTES / 2);
        assert_eq!(cuts(&h, &emoji, MAX_PIECE_BYTES).len(), 3);
    }

    /// A line break between two words of the user's phrases is not a cut: a phrase may join
    /// them.
    #[test]
    fn cuts_avoid_phrases_across_lines() {
        let mut h = Highlighter::rules_only();
        let text = "We went to New\nYork and back.\nThen home.\n";
        assert_eq!(cuts(&h, text, 20), [0, 15, 30, text.len()]);
        h.set_user_phrases(&[("new york", Label::Gpe)]).unwrap();
        assert_eq!(cuts(&h, text, 20), [0, 30, text.len()]);
        let found = h.highlight_with_piece_size(text, 20);
        assert_eq!(found, h.highlight_with_piece_size(text, usize::MAX));
        assert_eq!(found[0].text(text), "New\nYork");
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
        let pieces: Vec<Piece> = h.stream(&text).collect();
        assert!(pieces.len() > 1);
        assert!(pieces
            .windows(2)
            .all(|w| w[0].range.end == w[1].range.start));
        let all: Vec<Entity> = pieces.into_iter().flat_map(|p| p.entities).collect();
        assert_eq!(all, found);
    }
}
