//! The committed models: they load, and reject damaged bytes with errors (never panics). Their
//! dev scores and the trainer are tested in `crates/nerlight-train/tests/models.rs`.

use nerlight::entity::check_spans;
use nerlight::tagger::{crc32, Tagger, DEFAULT_MODEL, FORMAT_VERSION, MAGIC};
use nerlight::tokenize::{sentences, tokenize};
use nerlight::{ErrorKind, Highlighter, Label};

#[test]
fn default_model_loads_with_the_expected_version_and_labels() {
    assert_eq!(&DEFAULT_MODEL[..8], MAGIC);
    assert_eq!(
        u32::from_le_bytes(DEFAULT_MODEL[8..12].try_into().unwrap()),
        FORMAT_VERSION
    );
    let tagger = Tagger::from_bytes(DEFAULT_MODEL).unwrap();
    assert_eq!(tagger.labels().len(), 18);
    assert!(tagger.labels().contains(&Label::WorkOfArt));
    // Serializing a loaded model gives back the same bytes.
    assert_eq!(tagger.to_bytes(), DEFAULT_MODEL);
}

#[test]
fn conll_model_loads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/conll2003.nlm");
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let tagger = Tagger::from_bytes(&bytes).unwrap();
    let mut labels = tagger.labels().to_vec();
    labels.sort();
    assert_eq!(labels, [Label::Person, Label::Org, Label::Loc, Label::Misc]);
}

fn assert_model_error(bytes: &[u8], what: &str) {
    match Tagger::from_bytes(bytes) {
        Ok(_) => panic!("{what}: accepted"),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Model, "{what}");
            let msg = e.to_string();
            assert!(
                !msg.is_empty() && msg.chars().next().unwrap().is_lowercase(),
                "{what}: {msg}"
            );
        }
    }
}

#[test]
fn damaged_bytes_are_errors() {
    assert_model_error(b"", "empty");
    assert_model_error(b"NERLIGH", "short magic");
    let mut wrong_magic = DEFAULT_MODEL.to_vec();
    wrong_magic[0] = b'X';
    assert_model_error(&wrong_magic, "wrong magic");
    let mut wrong_version = DEFAULT_MODEL.to_vec();
    wrong_version[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let e = Tagger::from_bytes(&wrong_version).unwrap_err().to_string();
    assert!(e.contains("version"), "{e}");
    for len in (0..200).chain((200..DEFAULT_MODEL.len()).step_by(DEFAULT_MODEL.len() / 97)) {
        assert_model_error(&DEFAULT_MODEL[..len], "truncated");
    }
    let mut extra = DEFAULT_MODEL.to_vec();
    extra.push(0);
    assert_model_error(&extra, "trailing byte");
    for pos in (20..DEFAULT_MODEL.len()).step_by(DEFAULT_MODEL.len() / 31) {
        let mut flipped = DEFAULT_MODEL.to_vec();
        flipped[pos] ^= 0x10;
        assert_model_error(&flipped, "flipped byte");
    }
}

/// Payloads with a valid checksum but inconsistent contents must still be rejected: rewrite
/// the checksum after damaging the payload. A damaged byte either makes the model an error
/// that says what is wrong, or (a weight, a fingerprint changed) a model that still tags
/// soundly; a cut payload is always an error.
#[test]
fn inconsistent_payloads_are_errors_not_panics() {
    let reseal = |mut b: Vec<u8>| {
        let len = (b.len() - 20) as u32;
        b[12..16].copy_from_slice(&len.to_le_bytes());
        let crc = crc32(&b[20..]);
        b[16..20].copy_from_slice(&crc.to_le_bytes());
        b
    };
    let text = "Dr. Ana Ribeiro of Acme Corp. flew to Lisbon on 3 May 1990 for $5 million.";
    let tokens = tokenize(text);
    let sentences = sentences(text, &tokens);
    let (mut errors, mut loaded) = (0, 0);
    let step = (DEFAULT_MODEL.len() / 37).max(1);
    for pos in (20..DEFAULT_MODEL.len())
        .step_by(step)
        .chain((20..200).step_by(7))
    {
        for x in [0x01u8, 0xff] {
            let mut b = DEFAULT_MODEL.to_vec();
            b[pos] ^= x;
            match Tagger::from_bytes(&reseal(b)) {
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::Model, "byte {pos} ^ {x:#x}: {e}");
                    errors += 1;
                }
                Ok(t) => {
                    let mut found = Vec::new();
                    t.tag(text, &tokens, &sentences, &[], &mut found);
                    check_spans(text, &found)
                        .unwrap_or_else(|e| panic!("byte {pos} ^ {x:#x}: {e}"));
                    loaded += 1;
                }
            }
        }
        let cut = reseal(DEFAULT_MODEL[..pos].to_vec());
        assert!(
            Tagger::from_bytes(&cut).is_err(),
            "truncated payload at {pos} accepted"
        );
    }
    // The header and label bytes sampled at the start cannot all be harmless, nor can every
    // weight byte sampled further on be fatal.
    assert!(errors > 0 && loaded > 0, "{errors} errors, {loaded} loaded");
}

#[test]
fn unknown_feature_groups_are_errors() {
    // Payload: label count, labels, table bits, then the feature groups (u32).
    let at = 20 + 1 + DEFAULT_MODEL[20] as usize + 1;
    let mut b = DEFAULT_MODEL.to_vec();
    b[at + 3] |= 0x80;
    let crc = crc32(&b[20..]);
    b[16..20].copy_from_slice(&crc.to_le_bytes());
    let e = Tagger::from_bytes(&b).unwrap_err().to_string();
    assert!(e.contains("feature groups"), "{e}");
}

#[test]
fn the_tagger_never_panics_on_odd_text() {
    let h = Highlighter::new();
    for text in [
        "",
        " ",
        "\n\n\n",
        "A",
        "🇺🇸 flag é\u{301} ZWJ 👩‍👩‍👧 Apple Inc. said.",
        &"Barack Obama ".repeat(500),
        &"x".repeat(10_000),
        "U.S. U.S. U.S.\r\n$5 million 12% 3rd",
    ] {
        check_spans(text, &h.highlight(text)).unwrap();
    }
}
