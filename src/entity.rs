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
    /// Where the entity starts: a byte offset into the text, on a character boundary.
    pub start: usize,
    /// Where it ends (exclusive), a byte offset on a character boundary.
    pub end: usize,
    /// What kind of entity it is.
    pub label: Label,
    /// Confidence in `0.0..=1.0`; exact patterns and user lists give 1.0.
    pub score: f32,
    /// What found it.
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

/// Checks the span contract that [`crate::Highlighter::highlight`] promises for `entities`
/// found in `text`: every span is non-empty, in bounds, on character boundaries, sorted and
/// non-overlapping, with a score in `0..=1`, and its UTF-16 and code-point offsets (see
/// [`crate::offsets`]) slice the same text as its byte offsets. Returns the first violation.
///
/// The one checker that the tests, the property tests and the fuzz targets share.
///
/// ```
/// use nerlight::{entity::check_spans, Highlighter};
/// let text = "Ms. Ana Ribeiro flew to Lisbon on 3 May 1990.";
/// assert_eq!(check_spans(text, &Highlighter::new().highlight(text)), Ok(()));
/// ```
pub fn check_spans(text: &str, entities: &[Entity]) -> Result<(), String> {
    use crate::offsets::{OffsetConverter, Unit};
    let mut prev_end = 0;
    for e in entities {
        let fail = |what: &str| Err(format!("{what}: {e:?}"));
        if e.start >= e.end {
            return fail("empty or reversed span");
        }
        if e.end > text.len() {
            return fail("span past the end of the text");
        }
        if !text.is_char_boundary(e.start) || !text.is_char_boundary(e.end) {
            return fail("span splits a character");
        }
        if e.start < prev_end {
            return fail("unsorted or overlapping span");
        }
        if !(0.0..=1.0).contains(&e.score) {
            return fail("score outside 0..=1");
        }
        prev_end = e.end;
    }
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let chars: Vec<char> = text.chars().collect();
    let mut c16 = OffsetConverter::new(text, Unit::Utf16);
    let mut ccp = OffsetConverter::new(text, Unit::CodePoint);
    for e in entities {
        let (s, t) = (c16.convert(e.start), c16.convert(e.end));
        if utf16
            .get(s..t)
            .and_then(|u| String::from_utf16(u).ok())
            .as_deref()
            != Some(e.text(text))
        {
            return Err(format!("UTF-16 offsets {s}..{t} do not slice {e:?}"));
        }
        let (s, t) = (ccp.convert(e.start), ccp.convert(e.end));
        if chars
            .get(s..t)
            .map(|c| c.iter().collect::<String>())
            .as_deref()
            != Some(e.text(text))
        {
            return Err(format!("code-point offsets {s}..{t} do not slice {e:?}"));
        }
    }
    Ok(())
}
