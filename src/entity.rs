//! Entities: what the engine returns.

use crate::Label;

/// Which part of the engine found an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// An exact pattern (numbers, dates, money, email, URL, phone).
    Rule,
    /// The statistical tagger.
    Model,
    /// A phrase from the user's own list.
    User,
}

impl Source {
    /// `"rule"`, `"model"` or `"user"`.
    pub fn name(self) -> &'static str {
        match self {
            Source::Rule => "rule",
            Source::Model => "model",
            Source::User => "user",
        }
    }
}

impl serde::Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A named entity: a byte range of the text, its label, a confidence and where it came from.
///
/// `start` and `end` are UTF-8 byte offsets on character boundaries; convert them with
/// [`offsets`](crate::offsets) for other units.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Entity {
    pub start: usize,
    pub end: usize,
    pub label: Label,
    /// Confidence in `0.0..=1.0`; exact patterns and user lists give 1.0.
    pub score: f32,
    pub source: Source,
}

impl Entity {
    /// The entity's text in `text` (the text it was found in).
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    /// Whether the two byte ranges share at least one byte.
    pub fn overlaps(&self, other: &Entity) -> bool {
        self.start < other.end && other.start < self.end
    }
}
