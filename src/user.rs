//! The user's own phrase lists: words or phrases with a label, matched case-insensitively on
//! token boundaries ("acme widget" finds "ACME Widget" but not "acme widgets").
//!
//! A list is compiled into a trie over word ids: each distinct lowercased word of the list gets
//! an id, and each phrase is a path of ids. Finding walks the trie from each token of the text,
//! at most [`MAX_PHRASE_WORDS`] steps deep, so a text is searched in time linear in its length
//! whatever the number of phrases (one hash lookup per word per step; the list's size only
//! changes how full the tables are).

use std::collections::HashMap;

use crate::entity::{Entity, Source};
use crate::tokenize::{tokenize, Token};
use crate::{Error, Label};

/// Most phrases a list may hold, and most characters in one phrase: large enough for any
/// hand-made list, small enough that a pasted novel is refused with a clear message.
pub const MAX_PHRASES: usize = 10_000;
/// See [`MAX_PHRASES`].
pub const MAX_PHRASE_CHARS: usize = 200;
/// Most words (tokens, as [`crate::tokenize`] splits them; punctuation counts) in one phrase.
/// It bounds how far a search looks ahead from each word of a text.
pub const MAX_PHRASE_WORDS: usize = 32;

/// A compiled phrase list.
#[derive(Clone, Debug, Default)]
pub struct PhraseList {
    /// Each distinct lowercased word of the list → its id.
    words: HashMap<String, u32>,
    /// Trie edges: (node, word id) → child node. Node 0 is the root.
    edges: HashMap<(u32, u32), u32>,
    /// The label of the phrase ending at each node, if one does.
    ends: Vec<Option<Label>>,
}

impl PhraseList {
    /// Compiles `phrases`, validating each: not blank, at most [`MAX_PHRASE_CHARS`] characters
    /// and [`MAX_PHRASE_WORDS`] words, at most [`MAX_PHRASES`] in all. A later duplicate
    /// replaces an earlier one's label.
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
            let tokens = tokenize(phrase);
            if tokens.is_empty() {
                return Err(Error::config("a phrase must not be blank"));
            }
            if tokens.len() > MAX_PHRASE_WORDS {
                return Err(Error::config(format!(
                    "phrase of {} words is too long (at most {MAX_PHRASE_WORDS}): {phrase:?}",
                    tokens.len()
                )));
            }
            if list.ends.is_empty() {
                list.ends.push(None); // the root
            }
            let mut node = 0u32;
            for t in &tokens {
                let next_word = list.words.len() as u32;
                let word = *list.words.entry(lower(t.text(phrase))).or_insert(next_word);
                let next_node = list.ends.len() as u32;
                node = *list.edges.entry((node, word)).or_insert(next_node);
                if node == next_node {
                    list.ends.push(None);
                }
            }
            list.ends[node as usize] = Some(*label);
        }
        Ok(list)
    }

    /// Whether the list has no phrases.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Whether `word` (one token) is a word of some phrase: a phrase can only join two tokens
    /// that both are.
    pub fn has_word(&self, word: &str) -> bool {
        self.words.contains_key(&lower(word))
    }

    /// Leftmost-longest, non-overlapping matches in `text`, whose tokens are `tokens`.
    pub fn find(&self, text: &str, tokens: &[Token]) -> Vec<Entity> {
        let mut out = Vec::new();
        if self.is_empty() {
            return out;
        }
        // Each token's word id, or None for a word no phrase has.
        let mut buf = String::new();
        let ids: Vec<Option<u32>> = tokens
            .iter()
            .map(|t| {
                buf.clear();
                buf.extend(lowered(t.text(text)));
                self.words.get(buf.as_str()).copied()
            })
            .collect();
        let mut i = 0;
        while i < tokens.len() {
            let mut best: Option<(usize, Label)> = None;
            let mut node = 0u32;
            for (n, id) in ids[i..].iter().take(MAX_PHRASE_WORDS).enumerate() {
                let Some(next) = id.and_then(|id| self.edges.get(&(node, id))) else {
                    break;
                };
                node = *next;
                if let Some(label) = self.ends[node as usize] {
                    best = Some((n + 1, label));
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
    lowered(s).collect()
}

fn lowered(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase).map(fold_apostrophe)
}

/// The typographic apostrophe matches the typewriter one.
fn fold_apostrophe(c: char) -> char {
    if c == '’' {
        '\''
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The phrases `list` finds in `text`, each written `text|LABEL`.
    fn found(list: &PhraseList, text: &str) -> Vec<String> {
        list.find(text, &tokenize(text))
            .iter()
            .map(|e| format!("{}|{}", e.text(text), e.label.name()))
            .collect()
    }

    #[test]
    fn matches_case_insensitively_on_token_boundaries_longest_first() {
        use Label::*;
        let list = PhraseList::new(&[
            ("Acme", Org),
            ("acme widget", Product),
            ("Widget’s", Product),
        ]);
        assert_eq!(
            found(&list.unwrap(), "ACME Widget beats Acme widgets; acmeX no."),
            ["ACME Widget|PRODUCT", "Acme|ORG"]
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
        let words = |n: usize| vec!["w"; n].join(" ");
        assert!(PhraseList::new(&[(words(MAX_PHRASE_WORDS), Label::Org)]).is_ok());
        let err = PhraseList::new(&[(words(MAX_PHRASE_WORDS + 1), Label::Org)]).unwrap_err();
        assert!(err.to_string().contains("33 words is too long"), "{err}");
        let relabel = PhraseList::new(&[("Nile", Label::Org), ("nile", Label::Loc)]).unwrap();
        assert_eq!(found(&relabel, "the Nile"), ["Nile|LOC"]);
    }

    /// A failed walk down a shared prefix starts again at the next word, not after the prefix.
    #[test]
    fn shared_prefixes_and_restarts() {
        use Label::*;
        let list = PhraseList::new(&[("a b c", Org), ("b", Loc), ("a b c d e", Product)]);
        assert_eq!(
            found(&list.unwrap(), "a b x; a b c d; a b c d e"),
            ["b|LOC", "a b c|ORG", "a b c d e|PRODUCT"]
        );
        assert!(PhraseList::default().find("a", &tokenize("a")).is_empty());
    }
}
