//! Reading CoNLL-format corpora and scoring the engine on them.
//!
//! `nerlight eval FILE [--model MODEL]` (the command line, `crates/nerlight-cli`) runs the
//! shipped engine — [`Highlighter::highlight`] on
//! raw text, the path users take — over each document of a corpus and scores its spans against
//! the gold ones.
//!
//! # Corpus format and text reconstruction
//!
//! One token a line as `TOKEN<TAB>TAG` (IOB2; an `I-X` that does not continue an `X` starts a new
//! entity, as conlleval does), a blank line between sentences, and `-DOCSTART-` lines between
//! documents. A file without `-DOCSTART-` lines is read as one document per sentence
//! ([`Corpus`]). A document is then written as text ([`Corpus::render`]): spaced, its tokens
//! joined by single spaces (`$ 799`, `Iran 's`), or natural, as people write (`$799`,
//! `Iran’s`); sentences are joined by `"\n"` in both (see [`crate::render`]). Gold entities
//! become byte ranges of that text.
//!
//! # Scoring
//!
//! Exact-span micro precision, recall and F1, overall and per type (conlleval's definition: an
//! entity counts only if both its boundaries and its type match). Only the types that occur in
//! the gold file are scored: predictions of other types (the rules' `DATE` on CoNLL-2003, or
//! `EMAIL`) are ignored rather than counted as false positives, because the corpus does not
//! annotate them.

use std::collections::BTreeMap;
use std::time::Instant;

use nerlight::tokenize::tokenize;
use nerlight::{Entity, Highlighter, Label};

use crate::render::{is_currency, render, Hyphens, Sentence, Style};
use crate::Error;

/// A document rebuilt from a corpus: its text and its gold entities as byte ranges.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The rebuilt text.
    pub text: String,
    /// The gold entities: byte ranges of `text` and their labels, in order.
    pub gold: Vec<(usize, usize, Label)>,
}

/// How `eval` and `train` write a corpus's tokens as text (see [`crate::render`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rendering {
    /// Tokens joined by single spaces: `$ 799`, `Iran 's`.
    Spaced,
    /// As people write: `$799`, `Iran’s`, with curly or straight marks chosen per document.
    Natural,
}

impl Rendering {
    /// `spaced` or `natural`.
    pub fn name(self) -> &'static str {
        match self {
            Rendering::Spaced => "spaced",
            Rendering::Natural => "natural",
        }
    }
}

impl std::str::FromStr for Rendering {
    type Err = Error;
    fn from_str(s: &str) -> Result<Rendering, Error> {
        match s {
            "spaced" => Ok(Rendering::Spaced),
            "natural" => Ok(Rendering::Natural),
            _ => Err(Error::config(format!(
                "unknown rendering {s:?} (spaced or natural)"
            ))),
        }
    }
}

/// The seed of natural renderings' typography, the same in `eval` and `train`: a document reads
/// the same wherever it is rendered, and a training seed changes only the shuffling.
pub const RENDER_SEED: u64 = 1;

/// A corpus read into documents of tokenized sentences, before it is written as text.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// The documents, each a list of sentences.
    pub docs: Vec<Vec<Sentence<Label>>>,
}

impl Corpus {
    /// Reads a corpus file; see the [module docs](self) for the format.
    pub fn read(path: &str) -> Result<Corpus, Error> {
        let data = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Corpus::parse(&data).map_err(|e| e.context(path))
    }

    /// Parses a corpus held in memory.
    pub fn parse(data: &str) -> Result<Corpus, Error> {
        let has_docstart = data.lines().any(|l| l.starts_with("-DOCSTART-"));
        let mut docs = Vec::new();
        let mut doc: Vec<Sentence<Label>> = Vec::new();
        let mut sentence = Sentence::default();
        let mut open: Option<(usize, Label)> = None;
        fn close(s: &mut Sentence<Label>, open: &mut Option<(usize, Label)>) {
            if let Some((start, label)) = open.take() {
                s.entities.push((start..s.tokens.len(), label));
            }
        }
        // Ends the sentence; true if it had tokens.
        fn end_sentence(s: &mut Sentence<Label>, doc: &mut Vec<Sentence<Label>>) -> bool {
            let any = !s.tokens.is_empty();
            if any {
                doc.push(std::mem::take(s));
            }
            any
        }
        let finish_doc = |doc: &mut Vec<Sentence<Label>>, docs: &mut Vec<_>| {
            if !doc.is_empty() {
                docs.push(std::mem::take(doc));
            }
        };
        let bad_tag = |n: usize, tag: &str| {
            Error::corpus(format!("line {}: tag {tag:?} is not O, B-X or I-X", n + 1))
        };
        for (n, line) in data.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.starts_with("-DOCSTART-") {
                close(&mut sentence, &mut open);
                end_sentence(&mut sentence, &mut doc);
                finish_doc(&mut doc, &mut docs);
                continue;
            }
            if line.trim().is_empty() {
                close(&mut sentence, &mut open);
                if end_sentence(&mut sentence, &mut doc) && !has_docstart {
                    finish_doc(&mut doc, &mut docs);
                }
                continue;
            }
            let (token, tag) = match line.rsplit_once('\t').or_else(|| line.rsplit_once(' ')) {
                Some((t, g)) => (t.trim(), g.trim()),
                None => {
                    return Err(Error::corpus(format!(
                        "line {}: expected TOKEN<TAB>TAG",
                        n + 1
                    )))
                }
            };
            if token.is_empty() {
                return Err(Error::corpus(format!("line {}: empty token", n + 1)));
            }
            let index = sentence.tokens.len();
            if tag == "O" {
                close(&mut sentence, &mut open);
            } else {
                let (bio, name) = tag.split_once('-').ok_or_else(|| bad_tag(n, tag))?;
                let label: Label = name
                    .parse()
                    .or_else(|_| name.to_ascii_uppercase().parse())
                    .map_err(|e| Error::corpus(format!("line {}: {e}", n + 1)))?;
                let continues = bio == "I" && open.is_some_and(|(_, l)| l == label);
                if !continues {
                    if bio != "B" && bio != "I" {
                        return Err(bad_tag(n, tag));
                    }
                    close(&mut sentence, &mut open);
                    open = Some((index, label));
                }
            }
            sentence.tokens.push(token.to_string());
        }
        close(&mut sentence, &mut open);
        end_sentence(&mut sentence, &mut doc);
        finish_doc(&mut doc, &mut docs);
        Ok(Corpus { docs })
    }

    /// How this corpus tokenized hyphenated words (see [`Hyphens::detect`]).
    pub fn hyphens(&self) -> Hyphens {
        Hyphens::detect(self.docs.iter().flatten())
    }

    /// The documents written as text in `rendering`, with their gold entities.
    ///
    /// In natural text a gold span can end inside one of the engine's tokens: a sentence-final
    /// abbreviation's period is also the sentence's (`… by Telerate Systems Inc.`, where the
    /// corpus has `Inc` `.`), and the engine keeps `Inc.` whole. Such a span is widened to the
    /// engine's token, the span a reader would mark (OntoNotes dev: 21 of 11,066 spans;
    /// CoNLL-2003 dev: 11 of 5,942; spaced text has none).
    ///
    /// In natural text a name also ends before a possessive glued to it ("Tim Cook's" marks
    /// "Tim Cook"), the convention the engine follows ([`nerlight::merge::trim_possessive`]);
    /// OntoNotes's gold puts the clitic inside about 1% of its names, which its spaced
    /// rendering keeps as they are.
    ///
    /// Quote marks glued around a whole name stay outside it ("“Capital City”" marks "Capital
    /// City"), as the engine marks them ([`nerlight::merge::trim_quotes`]) and as OntoNotes
    /// marks most titles.
    ///
    /// And in natural text an amount starts at the currency sign glued to it ("$250" marks
    /// "$250"), as the engine marks it and as OntoNotes marks most amounts; its gold leaves the
    /// `$` outside about a third of its MONEY spans after one (dev: 37 of 118; train: 350 of
    /// 1,342), which the spaced rendering keeps ("$ [250]") and the natural one would write as
    /// a span that cuts a word ("$[250]").
    pub fn render(&self, rendering: Rendering) -> Vec<Document> {
        let style = match rendering {
            Rendering::Spaced => Style::Spaced,
            Rendering::Natural => Style::Natural {
                seed: RENDER_SEED,
                hyphens: self.hyphens(),
            },
        };
        self.docs
            .iter()
            .map(|d| {
                let r = render(d, style);
                let mut gold = r.entities;
                if rendering == Rendering::Natural {
                    widen_to_tokens(&r.text, &mut gold);
                    let tokens = tokenize(&r.text);
                    for g in &mut gold {
                        g.1 = nerlight::merge::trim_possessive(&r.text, &tokens, g.0, g.1);
                        (g.0, g.1) = nerlight::merge::trim_quotes(&r.text, &tokens, g.0, g.1);
                        if g.2 == Label::Money {
                            g.0 = glued_currency_start(&r.text, &tokens, g.0);
                        }
                    }
                }
                Document { text: r.text, gold }
            })
            .collect()
    }
}

/// Where an amount starting at `start` starts when a currency sign glued to it belongs to it:
/// the sign's start, or `start`.
fn glued_currency_start(text: &str, tokens: &[nerlight::tokenize::Token], start: usize) -> usize {
    let i = tokens.partition_point(|t| t.end <= start);
    match i.checked_sub(1).map(|j| tokens[j]) {
        Some(sign) if sign.end == start && is_currency(sign.text(text)) => sign.start,
        _ => start,
    }
}

/// Widens each span that starts or ends inside one of the engine's tokens to that token.
fn widen_to_tokens(text: &str, spans: &mut [(usize, usize, Label)]) {
    let tokens = tokenize(text);
    for span in spans {
        let first = tokens.partition_point(|t| t.end <= span.0);
        let end = tokens.partition_point(|t| t.start < span.1);
        if first < end {
            span.0 = span.0.min(tokens[first].start);
            span.1 = span.1.max(tokens[end - 1].end);
        }
    }
}

/// Reads a corpus file as spaced text; see the [module docs](self) for the format.
pub fn read_corpus(path: &str) -> Result<Vec<Document>, Error> {
    Ok(Corpus::read(path)?.render(Rendering::Spaced))
}

/// Parses a corpus held in memory, as spaced text.
pub fn parse_corpus(data: &str) -> Result<Vec<Document>, Error> {
    Ok(Corpus::parse(data)?.render(Rendering::Spaced))
}

/// True positives, false positives and false negatives of one type.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    /// True positives: predicted spans that are gold.
    pub tp: usize,
    /// False positives: predicted spans that are not gold.
    pub fp: usize,
    /// False negatives: gold spans not predicted.
    pub fn_: usize,
}

impl Counts {
    /// tp / (tp + fp), 0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn), 0 when nothing is gold.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Exact-span scores per type, over the types the gold data uses.
#[derive(Clone, Debug, Default)]
pub struct Scores {
    /// Counts per scored type.
    pub per_label: BTreeMap<Label, Counts>,
}

impl Scores {
    /// Scores with every type of `gold_labels` present (even if never predicted).
    pub fn for_labels(gold_labels: &[Label]) -> Scores {
        Scores {
            per_label: gold_labels
                .iter()
                .map(|&l| (l, Counts::default()))
                .collect(),
        }
    }

    /// Adds one document: predictions of types outside the scored set are ignored.
    pub fn add(&mut self, gold: &[(usize, usize, Label)], predicted: &[Entity]) {
        let mut g: Vec<(usize, usize, Label)> = gold.to_vec();
        g.sort();
        for e in predicted {
            let Some(c) = self.per_label.get_mut(&e.label) else {
                continue;
            };
            if g.binary_search(&(e.start, e.end, e.label)).is_ok() {
                c.tp += 1;
            } else {
                c.fp += 1;
            }
        }
        for &(_, _, l) in gold {
            self.per_label.entry(l).or_default().fn_ += 1;
        }
        // Gold entities that were found were counted as false negatives above.
        for e in predicted {
            if self.per_label.contains_key(&e.label)
                && g.binary_search(&(e.start, e.end, e.label)).is_ok()
            {
                if let Some(c) = self.per_label.get_mut(&e.label) {
                    c.fn_ = c.fn_.saturating_sub(1);
                }
            }
        }
    }

    /// The counts summed over all types (micro average).
    pub fn total(&self) -> Counts {
        let mut t = Counts::default();
        for c in self.per_label.values() {
            t.add(*c);
        }
        t
    }

    /// The scores as JSON: overall and per type.
    pub fn to_json(&self) -> serde_json::Value {
        let row = |c: &Counts| {
            serde_json::json!({
                "precision": round(c.precision() * 100.0),
                "recall": round(c.recall() * 100.0),
                "f1": round(c.f1() * 100.0),
                "gold": c.tp + c.fn_,
                "predicted": c.tp + c.fp,
            })
        };
        let per: serde_json::Map<String, serde_json::Value> = self
            .per_label
            .iter()
            .map(|(l, c)| (l.name().to_string(), row(c)))
            .collect();
        serde_json::json!({ "overall": row(&self.total()), "per_type": per })
    }

    /// A conlleval-like table.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let line = |s: &mut String, name: &str, c: &Counts| {
            s.push_str(&format!(
                "{name:<12} P {:6.2}  R {:6.2}  F1 {:6.2}  (gold {}, predicted {})\n",
                c.precision() * 100.0,
                c.recall() * 100.0,
                c.f1() * 100.0,
                c.tp + c.fn_,
                c.tp + c.fp
            ));
        };
        line(&mut s, "overall", &self.total());
        for (l, c) in &self.per_label {
            line(&mut s, l.name(), c);
        }
        s
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The label types a corpus uses.
pub fn gold_labels(docs: &[Document]) -> Vec<Label> {
    let mut v: Vec<Label> = docs
        .iter()
        .flat_map(|d| d.gold.iter().map(|g| g.2))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Runs `highlighter` over every document and scores it.
pub fn evaluate(highlighter: &Highlighter, docs: &[Document]) -> (Scores, usize, f64) {
    let mut scores = Scores::for_labels(&gold_labels(docs));
    let started = Instant::now();
    let mut tokens = 0;
    for d in docs {
        let found = highlighter.highlight(&d.text);
        scores.add(&d.gold, &found);
        tokens += d.text.split_ascii_whitespace().count();
    }
    (scores, tokens, started.elapsed().as_secs_f64())
}

/// Writes each wrong prediction and each missed gold entity as a TSV line: `FP`/`FN`, the
/// type, the span's text, and the text around it (for error analysis).
pub fn write_errors(out: &mut String, highlighter: &Highlighter, docs: &[Document]) {
    let labels = gold_labels(docs);
    for d in docs {
        let found = highlighter.highlight(&d.text);
        let ctx = |a: usize, b: usize| {
            let mut lo = a.saturating_sub(40);
            while !d.text.is_char_boundary(lo) {
                lo -= 1;
            }
            let mut hi = (b + 40).min(d.text.len());
            while !d.text.is_char_boundary(hi) {
                hi += 1;
            }
            format!("{}[{}]{}", &d.text[lo..a], &d.text[a..b], &d.text[b..hi]).replace('\n', " / ")
        };
        for e in found.iter().filter(|e| labels.contains(&e.label)) {
            if !d.gold.contains(&(e.start, e.end, e.label)) {
                out.push_str(&format!(
                    "FP\t{}\t{}\t{}\n",
                    e.label.name(),
                    &d.text[e.start..e.end],
                    ctx(e.start, e.end)
                ));
            }
        }
        for &(a, b, l) in &d.gold {
            if !found.iter().any(|e| (e.start, e.end, e.label) == (a, b, l)) {
                out.push_str(&format!(
                    "FN\t{}\t{}\t{}\n",
                    l.name(),
                    &d.text[a..b],
                    ctx(a, b)
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebuilds_text_and_byte_spans() {
        let data = "-DOCSTART-\tO\n\nJohn\tB-PER\nSmith\tI-PER\nsaw\tO\nParis\tI-LOC\n\nOK\tO\n\n-DOCSTART-\tO\n\nHi\tO\n";
        let docs = parse_corpus(data).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "John Smith saw Paris\nOK");
        assert_eq!(docs[0].gold, [(0, 10, Label::Person), (15, 20, Label::Loc)]);
        assert_eq!(docs[1].text, "Hi");
    }

    #[test]
    fn scores_only_gold_types() {
        let mut s = Scores::for_labels(&[Label::Person]);
        let e = |start, end, label| Entity {
            start,
            end,
            label,
            score: 1.0,
            source: nerlight::Source::Model,
        };
        s.add(
            &[(0, 4, Label::Person), (10, 12, Label::Person)],
            &[
                e(0, 4, Label::Person),
                e(5, 8, Label::Date),
                e(10, 11, Label::Person),
            ],
        );
        let t = s.total();
        assert_eq!((t.tp, t.fp, t.fn_), (1, 1, 1));
    }
}
