//! The user's own phrase lists: words or phrases with a label, matched case-insensitively on
//! token boundaries ("acme widget" finds "ACME Widget" but not "acme widgets").

use std::collections::HashMap;

use crate::entity::{Entity, Source};
use crate::tokenize::{tokenize, Token};
use crate::{Error, Label};

/// Most phrases a list may hold, and most characters in one phrase: large enough for any
/// hand-made list, small enough that a pasted novel is refused with a clear message.
pub const MAX_PHRASES: usize = 10_000;
/// See [`MAX_PHRASES`].
pub const MAX_PHRASE_CHARS: usize = 200;

/// A compiled phrase list.
#[derive(Clone, Debug, Default)]
pub struct PhraseList {
    /// Phrases by the lowercase hash of their first token: (lowercased tokens, label).
    by_first: HashMap<u64, Vec<(Vec<String>, Label)>>,
    longest: usize,
}

impl PhraseList {
    /// Compiles `phrases`, validating each: not blank, at most [`MAX_PHRASE_CHARS`] characters,
    /// at most [`MAX_PHRASES`] in all. A later duplicate replaces an earlier one's label.
    pub fn new<S: AsRef<str>>(phrases: &[(S, Label)]) -> Result<PhraseList, Error> {
        if phrases.len() > MAX_PHRASES {
            return Err(Error::config(format!(
                "too many phrases: {} (at most {MAX_PHRASES})",
                phrases.len()
            )));
        }
        let mut list = PhraseList::default();
        for (phrase, label) in phrases {
            let phrase = phrase.as_ref();
            let chars = phrase.chars().count();
            if chars > MAX_PHRASE_CHARS {
                return Err(Error::config(format!(
                    "phrase of {chars} characters is too long (at most {MAX_PHRASE_CHARS})"
                )));
            }
            let tokens: Vec<String> = tokenize(phrase)
                .iter()
                .map(|t| lower(t.text(phrase)))
                .collect();
            let Some(first) = tokens.first() else {
                return Err(Error::config("a phrase must not be blank"));
            };
            list.longest = list.longest.max(tokens.len());
            let bucket = list.by_first.entry(hash_lower(first)).or_default();
            match bucket.iter_mut().find(|(t, _)| *t == tokens) {
                Some(existing) => existing.1 = *label,
                None => bucket.push((tokens, *label)),
            }
        }
        Ok(list)
    }

    /// Whether the list has no phrases.
    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }

    /// Leftmost-longest, non-overlapping matches in `text`, whose tokens are `tokens`.
    pub fn find(&self, text: &str, tokens: &[Token]) -> Vec<Entity> {
        let mut out = Vec::new();
        if self.is_empty() {
            return out;
        }
        let mut i = 0;
        while i < tokens.len() {
            let mut best: Option<(usize, Label)> = None;
            if let Some(bucket) = self.by_first.get(&hash_lower(tokens[i].text(text))) {
                for (phrase, label) in bucket {
                    let n = phrase.len();
                    let better = best.is_none_or(|(m, _)| n > m);
                    if better
                        && i + n <= tokens.len()
                        && phrase
                            .iter()
                            .zip(&tokens[i..i + n])
                            .all(|(p, t)| eq_lower(p, t.text(text)))
                    {
                        best = Some((n, *label));
                    }
                }
            }
            match best {
                Some((n, label)) => {
                    out.push(Entity {
                        start: tokens[i].start,
                        end: tokens[i + n - 1].end,
                        label,
                        score: 1.0,
                        source: Source::User,
                    });
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
}

fn lower(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(fold_apostrophe)
        .collect()
}

/// The typographic apostrophe matches the typewriter one.
fn fold_apostrophe(c: char) -> char {
    if c == '’' {
        '\''
    } else {
        c
    }
}

/// FNV-1a over the lowercased characters, without allocating.
fn hash_lower(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in s.chars().flat_map(char::to_lowercase).map(fold_apostrophe) {
        h ^= c as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn eq_lower(lowered: &str, s: &str) -> bool {
    lowered
        .chars()
        .eq(s.chars().flat_map(char::to_lowercase).map(fold_apostrophe))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(list: &PhraseList, text: &str) -> Vec<(String, Label)> {
        list.find(text, &tokenize(text))
            .iter()
            .map(|e| (e.text(text).to_string(), e.label))
            .collect()
    }

    #[test]
    fn matches_case_insensitively_on_token_boundaries_longest_first() {
        let list = PhraseList::new(&[
            ("Acme", Label::Org),
            ("acme widget", Label::Product),
            ("Widget’s", Label::Product),
        ])
        .unwrap();
        assert_eq!(
            found(&list, "ACME Widget beats Acme widgets; acmeX no."),
            [
                ("ACME Widget".to_string(), Label::Product),
                ("Acme".to_string(), Label::Org)
            ]
        );
    }

    #[test]
    fn validation() {
        assert!(PhraseList::new(&[("  ", Label::Org)]).is_err());
        assert!(PhraseList::new(&[("x".repeat(201), Label::Org)]).is_err());
        let many: Vec<(String, Label)> = (0..=MAX_PHRASES)
            .map(|i| (i.to_string(), Label::Org))
            .collect();
        assert!(PhraseList::new(&many).is_err());
        let relabel = PhraseList::new(&[("Nile", Label::Org), ("nile", Label::Loc)]).unwrap();
        assert_eq!(
            found(&relabel, "the Nile"),
            [("Nile".to_string(), Label::Loc)]
        );
    }
}
