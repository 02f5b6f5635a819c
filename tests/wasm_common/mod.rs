//! The wasm binding's tests, shared by `wasm_node.rs` (run in Node) and `wasm_browser.rs` (run in
//! Chromium). wasm-bindgen-test picks one environment per test binary, hence two binaries.
//!
//! They call the exported Rust functions directly, with JS values made here (`highlight` takes
//! the JS string itself, lone surrogates included), so they see what a JS caller's call sees.

#[path = "../golden_cases/mod.rs"]
mod golden_cases;

use js_sys::{Array, JsString, Reflect};
use nerlight::wasm::{labels, Highlighter};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// An entity as JavaScript sees it; deserializing also checks the field names.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entity {
    start: u32,
    end: u32,
    label: String,
    text: String,
    score: f64,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelInfo {
    name: String,
    description: String,
    color: String,
}

fn highlight(h: &Highlighter, text: &str) -> (JsValue, Vec<Entity>) {
    let value = h
        .highlight(JsValue::from_str(text))
        .map_err(JsValue::from)
        .expect("highlight returned an error");
    assert!(Array::is_array(&value), "highlight must return an array");
    let entities = serde_wasm_bindgen::from_value(value.clone()).expect("entity shape");
    (value, entities)
}

/// Every entity's UTF-16 offsets slice `original` (a JS string) to exactly the entity's text.
fn assert_slices(original: &JsString, entities: &[Entity]) {
    let mut previous_end = 0;
    for e in entities {
        assert!(e.start < e.end, "empty or reversed entity {e:?}");
        assert!(
            e.start >= previous_end,
            "entities overlap or are unsorted: {e:?}"
        );
        assert!(e.end <= original.length(), "entity past the end: {e:?}");
        let sliced = String::from(original.slice(e.start, e.end));
        assert_eq!(
            sliced, e.text,
            "text.slice({}, {}) != entity.text",
            e.start, e.end
        );
        assert!((0.0..=1.0).contains(&e.score), "score out of range: {e:?}");
        assert!(
            ["rule", "model", "user"].contains(&e.source.as_str()),
            "{e:?}"
        );
        previous_end = e.end;
    }
}

fn find<'a>(entities: &'a [Entity], label: &str, text: &str) -> &'a Entity {
    entities
        .iter()
        .find(|e| e.label == label && e.text == text)
        .unwrap_or_else(|| panic!("no {label} entity {text:?} in {entities:?}"))
}

#[wasm_bindgen_test]
fn utf16_offsets_after_emoji() {
    let h = Highlighter::new();
    // Astral emoji (2 code units each), a skin-tone modifier, a flag (two regional indicators),
    // a combining accent, and CRLF: any of them shifts UTF-8 and UTF-16 offsets apart.
    let text = "🎉👍🏽 Cafe\u{301} 🇵🇹 news:\r\nwrite to ana.ribeiro@example.com or see https://example.org/a?b=1 😀";
    let original = JsString::from(text);
    let (_, entities) = highlight(&h, text);
    assert_slices(&original, &entities);
    let email = find(&entities, "EMAIL", "ana.ribeiro@example.com");
    assert_eq!(email.source, "rule");
    // 🎉 (2) 👍 (2) 🏽 (2) space (1) Cafe (4) U+0301 (1) space (1) 🇵🇹 (4) " news:\r\nwrite to " (17)
    assert_eq!(email.start, 34);
    find(&entities, "URL", "https://example.org/a?b=1");
}

#[wasm_bindgen_test]
fn lone_surrogate_does_not_throw() {
    let h = Highlighter::new();
    let mut units: Vec<u16> = vec![0xD83D, b' ' as u16]; // a high surrogate with no low one
    units.extend("mail ops@example.com now ".encode_utf16());
    units.push(0xDC00); // a low surrogate with no high one
    units.extend(" or ops@example.org".encode_utf16());
    let original = JsString::from_char_code(&units);
    assert!(
        !original.is_valid_utf16(),
        "the test string must hold lone surrogates"
    );

    let value = h
        .highlight(original.clone().into())
        .map_err(JsValue::from)
        .expect("highlight returned an error");
    let entities: Vec<Entity> = serde_wasm_bindgen::from_value(value).expect("entity shape");
    assert_slices(&original, &entities);
    find(&entities, "EMAIL", "ops@example.com");
    find(&entities, "EMAIL", "ops@example.org");
}

#[wasm_bindgen_test]
fn garbage_model_is_a_js_error_and_the_engine_keeps_working() {
    let h = Highlighter::new();
    for bytes in [&b""[..], b"garbage", &[0xff; 64][..]] {
        let err = match Highlighter::from_model(js_sys::Uint8Array::from(bytes).into()) {
            Ok(_) => panic!("garbage bytes {bytes:?} were accepted as a model"),
            Err(e) => JsValue::from(e),
        };
        assert!(
            err.is_instance_of::<js_sys::Error>(),
            "not a JS Error: {err:?}"
        );
        let message = String::from(err.unchecked_ref::<js_sys::Error>().message());
        assert!(!message.trim().is_empty(), "the error has no message");
        let message_prop = Reflect::get(&err, &"message".into()).unwrap();
        assert_eq!(message_prop.as_string().as_deref(), Some(message.as_str()));
    }
    // Both the instance made before and a new one still work.
    let text = "write to ops@example.com";
    let (_, entities) = highlight(&h, text);
    find(&entities, "EMAIL", "ops@example.com");
    let (_, entities) = highlight(&Highlighter::new(), text);
    find(&entities, "EMAIL", "ops@example.com");
}

#[wasm_bindgen_test]
fn wrong_argument_types_are_js_errors_saying_what_was_passed() {
    let h = Highlighter::new();
    let array: JsValue = Array::of1(&"a".into()).into();
    for (bad, what) in [
        (JsValue::UNDEFINED, "a value of type undefined"),
        (JsValue::NULL, "null"),
        (JsValue::from_f64(42.0), "a value of type number"),
        (js_sys::Object::new().into(), "a value of type object"),
        (array.clone(), "an array"),
        (JsValue::symbol(Some("s")), "a value of type symbol"),
    ] {
        let err = h.highlight(bad.clone()).map(|_| ()).map_err(JsValue::from);
        let message = js_error_message(err.expect_err("a non-string was highlighted"));
        assert_eq!(message, format!("highlight() takes a string, not {what}"));
        let err = Highlighter::from_model(bad)
            .map(|_| ())
            .map_err(JsValue::from);
        let message = js_error_message(err.expect_err("a non-buffer was taken as a model"));
        assert!(message.ends_with(&format!("not {what}")), "{message}");
    }
    // An ArrayBuffer is read like a Uint8Array: these bytes are no model, and say so.
    let buffer: JsValue = js_sys::ArrayBuffer::new(16).into();
    let err = Highlighter::from_model(buffer)
        .map(|_| ())
        .map_err(JsValue::from);
    let message = js_error_message(err.expect_err("16 zero bytes taken as a model"));
    assert!(message.contains("magic"), "{message}");
    // The instance still works.
    let (_, entities) = highlight(&h, "write to ops@example.com");
    find(&entities, "EMAIL", "ops@example.com");
}

#[wasm_bindgen_test]
fn any_text_is_accepted() {
    let h = Highlighter::new();
    for text in [
        "",
        " ",
        "\0",
        "\u{FFFD}\u{FFFD}",
        "a\r\nb",
        &"é".repeat(1000),
        "@@@ http:// ...",
    ] {
        let (_, entities) = highlight(&h, text);
        assert_slices(&JsString::from(text), &entities);
    }
}

#[wasm_bindgen_test]
fn labels_come_with_colors() {
    let value = labels().map_err(JsValue::from).expect("labels");
    let infos: Vec<LabelInfo> = serde_wasm_bindgen::from_value(value).expect("label shape");
    assert_eq!(infos.len(), nerlight::Label::ALL.len());
    for (info, label) in infos.iter().zip(nerlight::Label::ALL) {
        assert_eq!(info.name, label.name());
        assert!(!info.description.is_empty(), "{info:?}");
        let hex = info
            .color
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{info:?}"));
        assert!(
            hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()),
            "{info:?}"
        );
    }
    for name in ["PERSON", "ORG", "EMAIL", "URL", "PHONE", "MONEY"] {
        assert!(infos.iter().any(|i| i.name == name), "no {name} label");
    }
}

/// A JS array of `{text, label}` objects, as the page passes it.
fn phrases(list: &[(&str, &str)]) -> JsValue {
    let array = Array::new();
    for (text, label) in list {
        let object = js_sys::Object::new();
        Reflect::set(&object, &"text".into(), &(*text).into()).unwrap();
        Reflect::set(&object, &"label".into(), &(*label).into()).unwrap();
        array.push(&object);
    }
    array.into()
}

fn js_error_message(err: JsValue) -> String {
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "not a JS Error: {err:?}"
    );
    String::from(err.unchecked_ref::<js_sys::Error>().message())
}

#[wasm_bindgen_test]
fn user_phrases_are_found_with_source_user_and_bad_lists_throw() {
    let mut h = Highlighter::new();
    h.set_user_phrases(phrases(&[("Widget Pro", "PRODUCT"), ("nerlight", "ORG")]))
        .map_err(JsValue::from)
        .expect("a valid list");
    let text = "🎉 We shipped the WIDGET PRO with Nerlight; mail ops@example.com";
    let original = JsString::from(text);
    let (_, entities) = highlight(&h, text);
    assert_slices(&original, &entities);
    let product = find(&entities, "PRODUCT", "WIDGET PRO");
    assert_eq!(product.source, "user");
    assert_eq!(product.score, 1.0);
    assert_eq!(find(&entities, "ORG", "Nerlight").source, "user");
    find(&entities, "EMAIL", "ops@example.com");

    // An unknown label is a JS Error naming the label and the phrase; the old list stays.
    let message = js_error_message(
        h.set_user_phrases(phrases(&[("ok", "ORG"), ("Gizmo", "GADGET")]))
            .map(|_| ())
            .map_err(JsValue::from)
            .expect_err("an unknown label was accepted"),
    );
    assert!(
        message.contains("unknown label \"GADGET\"") && message.contains("Gizmo"),
        "{message}"
    );
    let (_, entities) = highlight(&h, text);
    assert_eq!(find(&entities, "PRODUCT", "WIDGET PRO").source, "user");

    // Blank phrases and values that are not a list are refused with a message too.
    for bad in [
        phrases(&[("   ", "ORG")]),
        JsValue::from_str("Widget Pro"),
        JsValue::NULL,
    ] {
        let message = js_error_message(
            h.set_user_phrases(bad)
                .map(|_| ())
                .map_err(JsValue::from)
                .expect_err("a bad list was accepted"),
        );
        assert!(!message.trim().is_empty());
    }

    // An empty list clears the phrases.
    h.set_user_phrases(phrases(&[]))
        .map_err(JsValue::from)
        .expect("an empty list");
    let (_, entities) = highlight(&h, text);
    assert!(entities.iter().all(|e| e.source != "user"), "{entities:?}");
}

/// The golden natural sentences through the binding (UTF-16 offsets, as JS sees them), and the
/// exact-rule cases and the span corrections through the core compiled to wasm: the same files
/// `tests/golden.rs` runs.
#[wasm_bindgen_test]
fn golden_files() {
    let h = Highlighter::new();
    golden_cases::check(golden_cases::NATURAL, golden_cases::Unit::Utf16, |text| {
        let (_, entities) = highlight(&h, text);
        assert_slices(&JsString::from(text), &entities);
        entities
            .into_iter()
            .map(|e| golden_cases::Span {
                start: e.start as usize,
                end: e.end as usize,
                label: e.label,
            })
            .collect()
    });
    let rules = nerlight::Highlighter::rules_only();
    golden_cases::check(golden_cases::RULES, golden_cases::Unit::Byte, |text| {
        rules
            .highlight(text)
            .iter()
            .map(|e| golden_cases::Span {
                start: e.start,
                end: e.end,
                label: e.label.name().to_string(),
            })
            .collect()
    });
    golden_cases::check_refine();
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentPiece {
    start: u32,
    end: u32,
    entities: Vec<Entity>,
    done: bool,
}

/// `next(maxUnits)` counts UTF-16 code units, not UTF-8 bytes: in a text where many characters
/// take 2 to 4 bytes, each piece (cut after a line break) is still up to `maxUnits` units, not
/// that many bytes (which came to about four fifths of it here).
#[wasm_bindgen_test]
fn document_pieces_are_sized_in_utf16_units() {
    let h = Highlighter::new();
    let line = "Le café coûte 5 € — à Zürich, 12 € 😀.\n";
    let line_units = line.encode_utf16().count() as u32;
    assert!(line.len() as u32 > line_units * 5 / 4);
    let text = line.repeat(200);
    let mut doc = h
        .document(JsValue::from_str(&text))
        .map_err(JsValue::from)
        .unwrap();
    for max in [2000, 500, 3000] {
        let piece: DocumentPiece =
            serde_wasm_bindgen::from_value(doc.next(Some(max)).map_err(JsValue::from).unwrap())
                .unwrap();
        let units = piece.end - piece.start;
        assert!(
            units <= max && units > max - line_units,
            "a piece of {units} units for maxUnits {max} (lines of {line_units})"
        );
    }
}

/// A document streamed piece by piece, emoji and all, gives exactly one `highlight` call's
/// entities, in UTF-16 offsets of the whole text; the pieces tile the text.
#[wasm_bindgen_test]
fn document_pieces_equal_one_highlight_call() {
    let h = Highlighter::new();
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!(
            "😀 Apple paid $5.2 million to Tim Cook in Paris on 12 March 2021 ({i}).\nThe apple was red; mail ops@example.com.\n"
        ));
    }
    let (_, whole) = highlight(&h, &text);
    let mut doc = h
        .document(JsValue::from_str(&text))
        .map_err(JsValue::from)
        .unwrap();
    let mut all = Vec::new();
    let mut at = 0;
    loop {
        let piece: DocumentPiece =
            serde_wasm_bindgen::from_value(doc.next(Some(2000)).map_err(JsValue::from).unwrap())
                .unwrap();
        assert_eq!(piece.start, at);
        at = piece.end;
        all.extend(piece.entities);
        if piece.done {
            break;
        }
    }
    assert_eq!(at, JsString::from(text.as_str()).length());
    assert_slices(&JsString::from(text.as_str()), &all);
    let key = |e: &Entity| (e.start, e.end, e.label.clone(), e.score.to_bits());
    assert_eq!(
        all.iter().map(key).collect::<Vec<_>>(),
        whole.iter().map(key).collect::<Vec<_>>()
    );
}
