//! Offset units: the engine works in UTF-8 byte offsets; callers get the unit they ask for.
//!
//! JavaScript strings count UTF-16 code units (`"😀".length === 2`), Python counts code points,
//! Rust counts bytes. Converting with `chars().count()` is wrong for JS as soon as a character
//! outside the Basic Multilingual Plane appears, so the conversion is explicit about its unit.

use std::str::FromStr;

/// The unit in which offsets are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Unit {
    /// UTF-8 bytes (Rust's `str` indices).
    Byte,
    /// UTF-16 code units (JavaScript's `String.prototype.slice`). The default at every boundary.
    #[default]
    Utf16,
    /// Unicode scalar values (Python's `str` indices).
    CodePoint,
}

impl Unit {
    /// The name used on the command line: `byte`, `utf16` or `codepoint`.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Byte => "byte",
            Unit::Utf16 => "utf16",
            Unit::CodePoint => "codepoint",
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Unit::Byte => c.len_utf8(),
            Unit::Utf16 => c.len_utf16(),
            Unit::CodePoint => 1,
        }
    }
}

impl FromStr for Unit {
    type Err = String;

    fn from_str(s: &str) -> Result<Unit, String> {
        match s {
            "byte" | "bytes" | "utf8" => Ok(Unit::Byte),
            "utf16" | "utf-16" => Ok(Unit::Utf16),
            "codepoint" | "codepoints" | "char" => Ok(Unit::CodePoint),
            _ => Err(format!(
                "unknown offset unit {s:?} (expected utf16, codepoint or byte)"
            )),
        }
    }
}

/// Converts byte offsets of one text into another unit.
///
/// Queries in non-decreasing order (the order of sorted, non-overlapping spans) cost time
/// proportional to the distance walked, so converting every span of a text is one linear pass.
/// A query behind the previous one restarts from the beginning.
///
/// ```
/// use nerlight::offsets::{OffsetConverter, Unit};
/// let text = "😀 Paris";
/// let mut c = OffsetConverter::new(text, Unit::Utf16);
/// assert_eq!(c.convert(5), 3); // "😀" is 4 bytes and 2 UTF-16 units
/// ```
#[derive(Clone, Debug)]
pub struct OffsetConverter<'t> {
    text: &'t str,
    unit: Unit,
    byte: usize,
    unit_pos: usize,
}

impl<'t> OffsetConverter<'t> {
    /// A converter for `text` into `unit`.
    pub fn new(text: &'t str, unit: Unit) -> OffsetConverter<'t> {
        OffsetConverter {
            text,
            unit,
            byte: 0,
            unit_pos: 0,
        }
    }

    /// The offset in the target unit of the byte offset `byte`.
    ///
    /// A byte offset inside a character is rounded down to that character's start; one past the
    /// end is clamped to the text's length. Neither happens for the engine's own spans.
    pub fn convert(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if self.unit == Unit::Byte {
            return byte;
        }
        if byte < self.byte {
            self.byte = 0;
            self.unit_pos = 0;
        }
        let mut chars = self.text[self.byte..].char_indices();
        for (i, c) in chars.by_ref() {
            if self.byte + i + c.len_utf8() > byte {
                break;
            }
            self.unit_pos += self.unit.width(c);
        }
        // Land exactly on the character boundary at or before `byte`.
        let mut b = byte;
        while !self.text.is_char_boundary(b) {
            b -= 1;
        }
        self.byte = b;
        self.unit_pos
    }
}

/// The length of `text` in `unit`.
pub fn len(text: &str, unit: Unit) -> usize {
    match unit {
        Unit::Byte => text.len(),
        Unit::Utf16 => text.encode_utf16().count(),
        Unit::CodePoint => text.chars().count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &[&str] = &[
        "",
        "plain ascii",
        "😀 emoji first",
        "flag 🇺🇦 and family 👨‍👩‍👧‍👦 and skin 👍🏽",
        "combining e\u{301} and a\u{308}\u{301}",
        "CJK 北京 東京 and 서울",
        "line\r\nbreaks\rold\nnew",
        "RTL مرحبا עברית mixed",
        "\u{feff}BOM, NBSP\u{a0}and ZWJ\u{200d}",
        "𝕄𝕒𝕥𝕙 astral 𐍈",
    ];

    /// Every char boundary's byte offset converts to the number of units before it.
    #[test]
    fn every_boundary_converts_to_the_unit_count_of_its_prefix() {
        for unit in [Unit::Byte, Unit::Utf16, Unit::CodePoint] {
            for text in SAMPLES {
                let mut c = OffsetConverter::new(text, unit);
                for (b, _) in text.char_indices().chain([(text.len(), ' ')]) {
                    assert_eq!(
                        c.convert(b),
                        len(&text[..b], unit),
                        "{text:?} at {b} in {unit:?}"
                    );
                }
                // Backwards queries restart and still agree.
                for (b, _) in text.char_indices().rev() {
                    assert_eq!(c.convert(b), len(&text[..b], unit));
                }
            }
        }
    }

    /// Slicing a UTF-16 encoding at converted offsets gives the same text as slicing the `str`.
    #[test]
    fn utf16_slices_match_byte_slices() {
        for text in SAMPLES {
            let utf16: Vec<u16> = text.encode_utf16().collect();
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(b, _)| b)
                .chain([text.len()])
                .collect();
            for (i, &s) in bounds.iter().enumerate() {
                for &e in &bounds[i..] {
                    let mut c = OffsetConverter::new(text, Unit::Utf16);
                    let (s16, e16) = (c.convert(s), c.convert(e));
                    assert_eq!(String::from_utf16(&utf16[s16..e16]).unwrap(), &text[s..e]);
                }
            }
        }
    }

    #[test]
    fn inside_a_char_rounds_down_and_past_the_end_clamps() {
        let text = "a😀b";
        let mut c = OffsetConverter::new(text, Unit::Utf16);
        assert_eq!(c.convert(3), 1);
        assert_eq!(c.convert(100), 4);
        assert_eq!("utf16".parse::<Unit>(), Ok(Unit::Utf16));
        assert!("lines".parse::<Unit>().is_err());
    }
}
