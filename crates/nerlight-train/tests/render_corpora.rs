//! Every entity of the shipped models' corpora (OntoNotes 5.0 and CoNLL-2003, train and dev)
//! maps exactly onto both renderings of its document: `text[start..end]` is the entity's
//! tokens, written and joined by the same rules as the whole text. The corpora are read from
//! `../shared/data` beside the repository; a missing file fails the test.

use std::path::PathBuf;

use nerlight::Label;
use nerlight_train::eval::Corpus;
use nerlight_train::render::{render, render_natural, Hyphens, Sentence, Style};

const FILES: [&str; 4] = [
    "ontonotes/train.docstart.txt",
    "ontonotes/dev.docstart.txt",
    "conll2003/train.docstart.txt",
    "conll2003/dev.docstart.txt",
];

fn corpus(file: &str) -> Corpus {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "../../../shared/data", file]
        .iter()
        .collect();
    assert!(
        path.exists(),
        "{} is missing: these tests need the shared data beside the repository",
        path.display()
    );
    Corpus::read(path.to_str().unwrap()).unwrap()
}

/// The text with every quote, apostrophe and dash in one form and no whitespace, to compare
/// contents.
fn squashed(s: &str) -> String {
    s.replace("``", "\"")
        .replace("''", "\"")
        .replace(['“', '”'], "\"")
        .replace(['‘', '’', '`'], "'")
        .replace('—', "--")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn is_quote(t: &str) -> bool {
    matches!(t, "``" | "''" | "\"" | "`" | "'")
}

#[test]
fn spaced_text_is_the_tokens_joined_by_spaces() {
    for file in FILES {
        for doc in &corpus(file).docs {
            let r = render(doc, Style::Spaced);
            let lines: Vec<String> = doc.iter().map(|s| s.tokens.join(" ")).collect();
            assert_eq!(r.text, lines.join("\n"), "{file}");
            let mut expected = Vec::new();
            let mut line_start = 0;
            for s in doc {
                let mut starts = Vec::new();
                let mut at = line_start;
                for t in &s.tokens {
                    starts.push(at);
                    at += t.len() + 1;
                }
                for (range, label) in &s.entities {
                    let last = range.end - 1;
                    let end = starts[last] + s.tokens[last].len();
                    expected.push((starts[range.start], end, *label));
                }
                line_start = at;
            }
            assert_eq!(r.entities, expected, "{file}");
        }
    }
}

#[test]
fn every_entity_maps_exactly_onto_natural_text() {
    for file in FILES {
        let corpus = corpus(file);
        let hyphens = corpus.hyphens();
        let split = file.starts_with("ontonotes");
        assert_eq!(hyphens == Hyphens::Split, split, "{file}: {hyphens:?}");
        let (mut entities, mut by_content) = (0, 0);
        for doc in &corpus.docs {
            let r = render(doc, Style::Natural { seed: 1, hyphens });
            let mut spans = r.entities.iter();
            for s in doc {
                for (range, label) in &s.entities {
                    let &(start, end, l) = spans.next().expect("a span for every entity");
                    assert_eq!(l, *label);
                    entities += 1;
                    let tokens = &s.tokens[range.clone()];
                    let text = r.text.get(start..end).unwrap_or_else(|| {
                        panic!("{file}: {start}..{end} is not on character boundaries")
                    });
                    assert!(!text.is_empty() && text.trim() == text, "{file}: {text:?}");
                    assert_eq!(
                        squashed(text),
                        squashed(&tokens.join(" ")),
                        "{file}: {text:?} is not {tokens:?}"
                    );
                    // The entity's tokens rendered alone, with the document's marks, are its
                    // text. Only quote marks (open or closed by quotes earlier in the document)
                    // and a hyphen at the entity's edge (joined to a word outside it) depend on
                    // what surrounds them; those are checked by content above.
                    let edge = |t: Option<&String>| t.is_some_and(|t| t == "-");
                    if tokens.iter().any(|t| is_quote(t))
                        || edge(tokens.first())
                        || edge(tokens.last())
                    {
                        by_content += 1;
                        continue;
                    }
                    let alone = Sentence {
                        tokens: tokens.to_vec(),
                        entities: Vec::new(),
                    };
                    let alone = render_natural::<Label>(&[alone], r.typography, hyphens);
                    assert_eq!(text, alone.text, "{file}: {tokens:?}");
                }
            }
            assert!(spans.next().is_none(), "{file}: more spans than entities");
        }
        eprintln!("{file}: {entities} entities, {by_content} with quote marks or edge hyphens");
        assert!(by_content * 100 < entities, "{file}");
    }
}

#[test]
fn natural_gold_spans_fall_on_the_engines_tokens() {
    // After `Corpus::render` widens the few spans that end inside a sentence-final
    // abbreviation (`Inc.`), every gold span starts and ends on a token of the engine.
    for file in ["ontonotes/dev.docstart.txt", "conll2003/dev.docstart.txt"] {
        let corpus = corpus(file);
        for rendering in [
            nerlight_train::eval::Rendering::Spaced,
            nerlight_train::eval::Rendering::Natural,
        ] {
            for d in corpus.render(rendering) {
                let tokens = nerlight::tokenize::tokenize(&d.text);
                for &(start, end, _) in &d.gold {
                    assert!(
                        tokens.iter().any(|t| t.start == start)
                            && tokens.iter().any(|t| t.end == end),
                        "{file} {rendering:?}: {:?}",
                        &d.text[start..end]
                    );
                }
            }
        }
    }
}
