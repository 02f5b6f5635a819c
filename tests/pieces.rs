//! A text analysed in pieces gives exactly the entities of the whole text analysed at once:
//! the model's document features (what the whole text says about a word, what earlier
//! sentences were tagged) are carried from piece to piece.

use nerlight::{Highlighter, Label};
use proptest::prelude::*;

/// The OntoNotes dev documents as natural paragraphs (a few sentences a line, a blank line
/// between documents), repeated to more than 1 MB.
fn dev_text() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/ontonotes/dev.docstart.txt"
    );
    let conll = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("this test needs the OntoNotes dev documents at {path}: {e}"));
    let mut text = String::new();
    let mut sentence = Vec::new();
    let mut in_line = 0;
    for line in conll.lines() {
        let word = line.split('\t').next().unwrap_or("");
        if word == "-DOCSTART-" {
            text.push_str("\n\n");
            in_line = 0;
        } else if word.is_empty() {
            if !sentence.is_empty() {
                if in_line > 0 {
                    text.push(' ');
                }
                text.push_str(&sentence.join(" "));
                sentence.clear();
                in_line += 1;
                if in_line == 4 {
                    text.push('\n');
                    in_line = 0;
                }
            }
        } else {
            sentence.push(word.to_string());
        }
    }
    let once = text.clone();
    while text.len() < 1_100_000 {
        text.push_str(&once);
    }
    text
}

#[test]
fn dev_documents_in_pieces_equal_the_whole() {
    let h = Highlighter::new();
    let text = dev_text();
    assert!(text.len() > 1_000_000);
    let whole = h.highlight_with_piece_size(&text, usize::MAX);
    assert!(whole.len() > 20_000, "{} entities", whole.len());
    for size in [20_000, nerlight::MAX_PIECE_BYTES] {
        let pieces = h.highlight_with_piece_size(&text, size);
        let differ = pieces.iter().zip(&whole).filter(|(a, b)| a != b).count();
        assert!(
            pieces == whole,
            "pieces of {size}: {} entities against {}, {differ} differ",
            pieces.len(),
            whole.len()
        );
    }
    assert_eq!(h.highlight(&text), whole);
    let streamed: Vec<_> = h.stream(&text).flat_map(|p| p.entities).collect();
    assert_eq!(streamed, whole);
}

fn word() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Apple",
        "apple",
        "Paris",
        "paris",
        "New",
        "new",
        "York",
        "Smith",
        "said",
        "the",
        "The",
        "in",
        "on",
        "March",
        "12",
        "$5",
        "2021",
        "U.S.",
        "IBM",
        "Bank",
        "bank",
        "of",
        "Iran’s",
        ".",
        ",",
        "\"",
        "a@b.org",
        "http://x.org/a",
        "😀",
        "Ünïcode",
        "MAY",
        "may",
        "10%",
        "\n",
        "\n\n",
        "\r\n",
        " ",
        "  ",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any text of these words, with or without user phrases, in pieces of any size, gives the
    /// whole text's entities (every line of these texts is far shorter than a piece).
    #[test]
    fn pieces_equal_the_whole(words in prop::collection::vec(word(), 0..400), size in 1usize..300, phrases in any::<bool>()) {
        let mut h = Highlighter::new();
        if phrases {
            h.set_user_phrases(&[("new york", Label::Gpe), ("Bank of Paris", Label::Org), ("said", Label::Product)]).unwrap();
        }
        let text = words.join(" ");
        let whole = h.highlight_with_piece_size(&text, usize::MAX);
        prop_assert_eq!(h.highlight_with_piece_size(&text, size), whole);
    }
}
