//! The JavaScript binding, compiled only for `wasm32`.
//!
//! This module is deliberately thin: it converts types and errors and nothing else. All the
//! highlighting happens in the pure core ([`crate::Highlighter`]); here byte offsets become UTF-16
//! code-unit offsets (what JavaScript strings index by, so `text.slice(start, end)` is the
//! entity's text even after an emoji), [`crate::Error`] becomes a JS `Error` with the same
//! message, and names become camelCase.
//!
//! Lone surrogates: a JS string is not always valid UTF-16. wasm-bindgen encodes the string as
//! UTF-8 with each lone surrogate replaced by U+FFFD, which is also one UTF-16 code unit, so the
//! offsets returned still index the caller's original string.

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::offsets::{OffsetConverter, Unit};
use crate::{Cursor, MAX_PIECE_BYTES};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r##"
/** One entity found in a text. */
export interface Entity {
  /** Start, in UTF-16 code units: `text.slice(start, end) === entity.text`. */
  start: number;
  /** End (exclusive), in UTF-16 code units. */
  end: number;
  /** Label name, one of the `name`s returned by `labels()`, e.g. "PERSON" or "EMAIL". */
  label: string;
  /** The entity's text, as it appears in the input. */
  text: string;
  /** Confidence in [0, 1]; rules report 1. */
  score: number;
  /** What found the entity. */
  source: "rule" | "model" | "user";
}

/** A label the engine can assign, with the color the UI should use for it. */
export interface LabelInfo {
  /** e.g. "PERSON". */
  name: string;
  /** One short sentence for a legend or tooltip. */
  description: string;
  /** A CSS hex color, e.g. "#77aadd": a light background for dark text. */
  color: string;
}

/** One piece of a text from `Document.next`, offsets in UTF-16 code units of the whole text. */
export interface DocumentPiece {
  /** Where the piece starts in the whole text. */
  start: number;
  /** Where it ends (exclusive). */
  end: number;
  /** The piece's entities, sorted, offsets into the whole text. */
  entities: Entity[];
  /** Whether the text is done (no piece follows). */
  done: boolean;
}

/** One of the user's own phrases, for `Highlighter.setUserPhrases`. */
export interface UserPhrase {
  /** A word or phrase, matched case-insensitively on token boundaries. */
  text: string;
  /** A label name from `labels()`, e.g. "PRODUCT". */
  label: string;
}
"##;

/// Longest text `highlight` takes, in UTF-16 code units (64 Mi, about 64 MB of English): a longer
/// one is refused before it is copied into wasm memory, so that no call can run the module out of
/// its 4 GB address space (a trap there would leave this `Highlighter` unusable). Below it, any
/// text is highlighted in bounded pieces (`crate::MAX_PIECE_BYTES`).
pub const MAX_TEXT_UNITS: u32 = 1 << 26;

/// Every way into this module from JavaScript (the constructor, `fromModel`, `labels`) calls this
/// first, so a panic shows up in the console with its message and a stack trace instead of a bare
/// `unreachable` trap. Only the first call does anything.
///
/// Not a `#[wasm_bindgen(start)]` function: that would add a `start()` export to the JS API.
fn install_panic_hook() {
    console_error_panic_hook::set_once();
}

/// Finds named entities in text. Build one and reuse it; it holds the model.
#[wasm_bindgen]
pub struct Highlighter {
    inner: Rc<RefCell<crate::Highlighter>>,
}

#[wasm_bindgen]
impl Highlighter {
    /// The default highlighter: the embedded model (when the build has one) plus the rules.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)] // a `Default` impl means nothing to JavaScript
    pub fn new() -> Highlighter {
        install_panic_hook();
        Highlighter {
            inner: Rc::new(RefCell::new(crate::Highlighter::new())),
        }
    }

    /// A highlighter using the model in `bytes` (plus the rules). Throws an `Error` whose message
    /// says what is wrong if the bytes are not a valid model.
    ///
    /// `bytes` is a `Uint8Array` or an `ArrayBuffer` (what `fetch(...).arrayBuffer()` gives);
    /// anything else is an `Error` saying what was passed.
    #[wasm_bindgen(js_name = fromModel)]
    pub fn from_model(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
    ) -> Result<Highlighter, JsError> {
        install_panic_hook();
        let bytes = if let Some(array) = bytes.dyn_ref::<js_sys::Uint8Array>() {
            array.to_vec()
        } else if bytes.is_instance_of::<js_sys::ArrayBuffer>() {
            js_sys::Uint8Array::new(&bytes).to_vec()
        } else {
            return Err(JsError::new(&format!(
                "Highlighter.fromModel() takes the model's bytes as a Uint8Array or an \
                 ArrayBuffer, not {}",
                js_type(&bytes)
            )));
        };
        let inner = crate::Highlighter::from_model_bytes(&bytes)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Highlighter {
            inner: Rc::new(RefCell::new(inner)),
        })
    }

    /// Sets the user's own phrases (replacing any earlier list); they win over every other
    /// source and come back with `source: "user"`. Throws an `Error` naming the phrase if a
    /// label is unknown, a phrase is blank or too long, or the list is too long; the previous
    /// list stays in effect then.
    #[wasm_bindgen(js_name = setUserPhrases)]
    pub fn set_user_phrases(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "UserPhrase[]")] phrases: JsValue,
    ) -> Result<(), JsError> {
        // Counted before anything is copied: a huge array is refused as cheaply as a long one.
        if js_sys::Array::is_array(&phrases) {
            let n = js_sys::Array::from(&phrases).length() as usize;
            if n > crate::user::MAX_PHRASES {
                return Err(JsError::new(&format!(
                    "too many phrases: {n} (at most {})",
                    crate::user::MAX_PHRASES
                )));
            }
        }
        let phrases: Vec<UserPhraseJs> = serde_wasm_bindgen::from_value(phrases).map_err(|e| {
            JsError::new(&format!(
                "user phrases must be an array of {{text, label}} objects: {e}"
            ))
        })?;
        let parsed = phrases
            .iter()
            .map(|p| {
                p.label
                    .parse::<crate::Label>()
                    .map(|label| (p.text.as_str(), label))
                    .map_err(|e| JsError::new(&format!("{e} for the phrase {:?}", p.text)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.inner
            .borrow_mut()
            .set_user_phrases(&parsed)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// The entities in `text`, sorted and non-overlapping, with UTF-16 offsets.
    /// A text longer than `MAX_TEXT_UNITS` code units is an `Error`; the highlighter stays usable.
    /// Anything but a string is an `Error` saying what was passed (wasm-bindgen's own glue
    /// would read a number or an object as garbage memory).
    #[wasm_bindgen(unchecked_return_type = "Entity[]")]
    pub fn highlight(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<JsValue, JsError> {
        let text = text_argument(text, "highlight")?;
        let text = text.as_str();
        let engine = self.inner.borrow();
        // Entities are sorted and non-overlapping, so start0 <= end0 <= start1 <= ... and the
        // converter only ever walks forward. Each piece's entities go to JavaScript as soon as
        // the piece is done: wasm memory holds one piece's, not the whole text's.
        let mut utf16 = OffsetConverter::new(text, Unit::Utf16);
        let entities = engine
            .stream(text)
            .flat_map(|p| p.entities)
            .map(|e| EntityJs {
                start: utf16.convert(e.start),
                end: utf16.convert(e.end),
                label: e.label.name(),
                text: &text[e.start..e.end],
                score: js_number(e.score),
                source: e.source.name(),
            });
        serde::Serializer::collect_seq(&serde_wasm_bindgen::Serializer::new(), entities)
            .map_err(conversion_error)
    }

    /// A long text to highlight piece by piece (`next()`), each piece as soon as it is done,
    /// with exactly the entities of one `highlight(text)` call: what the model reads about the
    /// whole text and about earlier sentences is carried from piece to piece. The text is
    /// copied once; the same limits as `highlight` apply.
    pub fn document(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<Document, JsError> {
        let text = text_argument(text, "document")?;
        Ok(Document {
            engine: Rc::clone(&self.inner),
            text,
            cursor: Cursor::new(),
            units: 0,
        })
    }
}

/// A text being highlighted piece by piece (`Highlighter.document`).
#[wasm_bindgen]
pub struct Document {
    engine: Rc<RefCell<crate::Highlighter>>,
    text: String,
    cursor: Cursor,
    /// Where the cursor is, in UTF-16 code units.
    units: usize,
}

#[wasm_bindgen]
impl Document {
    /// The next piece: about `maxUnits` UTF-16 code units (default and at most 262,144 bytes of
    /// UTF-8; a piece runs on to the next line break when one is near, so that the pieces stay
    /// exact), with its entities. After the last piece, `done` is true; later calls return an
    /// empty piece at the end.
    #[wasm_bindgen(unchecked_return_type = "DocumentPiece")]
    pub fn next(
        &mut self,
        #[wasm_bindgen(js_name = maxUnits)] max_units: Option<u32>,
    ) -> Result<JsValue, JsError> {
        // The cursor cuts by UTF-8 bytes: `maxUnits` units from here are that many bytes only
        // in ASCII (a caller sizing the first piece to the text on screen needs the units).
        let max = max_units.map_or(MAX_PIECE_BYTES, |u| {
            let rest = self.text.get(self.cursor.position()..).unwrap_or_default();
            let mut units = 0;
            let bytes = rest
                .char_indices()
                .find(|&(_, c)| {
                    units += c.len_utf16();
                    units > u as usize
                })
                .map_or(rest.len(), |(i, _)| i);
            bytes.clamp(1, MAX_PIECE_BYTES)
        });
        let engine = self.engine.borrow();
        let start = self.units;
        let (entities, end) = match self.cursor.next_piece(&engine, &self.text, max) {
            Some(piece) => {
                let from = piece.range.start;
                let part = &self.text[from..piece.range.end];
                let mut utf16 = OffsetConverter::new(part, Unit::Utf16);
                let entities: Vec<EntityJs<'_>> = piece
                    .entities
                    .iter()
                    .map(|e| EntityJs {
                        start: start + utf16.convert(e.start - from),
                        end: start + utf16.convert(e.end - from),
                        label: e.label.name(),
                        text: &self.text[e.start..e.end],
                        score: js_number(e.score),
                        source: e.source.name(),
                    })
                    .collect();
                (entities, start + crate::offsets::len(part, Unit::Utf16))
            }
            None => (Vec::new(), start),
        };
        let done = self.cursor.position() >= self.text.len();
        let out = DocumentPieceJs {
            start,
            end,
            entities,
            done,
        };
        let value = to_js(&out);
        self.units = end;
        value
    }
}

#[derive(Serialize)]
struct DocumentPieceJs<'a> {
    start: usize,
    end: usize,
    entities: Vec<EntityJs<'a>>,
    done: bool,
}

/// Every label the engine can assign, in a stable order, with its color: the page and the
/// extension take their legend and colors from here rather than keeping a copy.
#[wasm_bindgen(unchecked_return_type = "LabelInfo[]")]
pub fn labels() -> Result<JsValue, JsError> {
    install_panic_hook();
    let out: Vec<LabelInfoJs> = crate::Label::ALL
        .iter()
        .map(|l| LabelInfoJs {
            name: l.name(),
            description: l.description(),
            color: l.color(),
        })
        .collect();
    to_js(&out)
}

#[derive(Serialize)]
struct EntityJs<'a> {
    start: usize,
    end: usize,
    label: &'static str,
    text: &'a str,
    score: f64,
    source: &'static str,
}

#[derive(Deserialize)]
struct UserPhraseJs {
    text: String,
    label: String,
}

#[derive(Serialize)]
struct LabelInfoJs {
    name: &'static str,
    description: &'static str,
    color: &'static str,
}

/// What a wrong argument was, for an error message: `null`, `an array`, or its `typeof`.
/// The text a `highlight` or `document` call was given, refused before anything is copied when
/// it is longer than `MAX_TEXT_UNITS`, and with an `Error` saying what was passed when it is not
/// a string (wasm-bindgen's own glue would read a number or an object as garbage memory).
fn text_argument(text: JsValue, method: &str) -> Result<String, JsError> {
    if let Some(units) = text
        .dyn_ref::<js_sys::JsString>()
        .map(js_sys::JsString::length)
    {
        if units > MAX_TEXT_UNITS {
            return Err(JsError::new(&format!(
                "text of {units} UTF-16 code units is too long to highlight at once (at most \
                 {MAX_TEXT_UNITS}): highlight it in parts"
            )));
        }
    }
    text.as_string().ok_or_else(|| {
        JsError::new(&format!(
            "{method}() takes a string, not {}",
            js_type(&text)
        ))
    })
}

fn js_type(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if js_sys::Array::is_array(value) {
        "an array".into()
    } else {
        format!(
            "a value of type {}",
            value.js_typeof().as_string().unwrap_or_default()
        )
    }
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::new())
        .map_err(conversion_error)
}

fn conversion_error(e: serde_wasm_bindgen::Error) -> JsError {
    JsError::new(&format!("cannot convert result to JavaScript: {e}"))
}

/// An `f32` as the JS number a person would write: `0.9f32` widened directly is
/// 0.8999999761581421, so go through its shortest decimal form instead.
fn js_number(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}
