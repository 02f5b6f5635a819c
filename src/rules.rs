//! Exact rules for the numeric and pattern types, following the OntoNotes guidelines.
//!
//! Every rule carries examples: text with the expected match in `[brackets]`, and texts it must
//! not match at all. A test runs them all, so a rule and its documentation cannot drift apart.
//!
//! Patterns use explicit ASCII classes and `(?-u:\b)` rather than `\d`, `\w` and `\b`, so the
//! `regex` crate is built without its Unicode tables (a large share of the wasm size); the
//! tests below fail if a pattern needs a feature that is not compiled in.

use std::sync::OnceLock;

use regex::Regex;

use crate::entity::{Entity, Source};
use crate::merge::overlay;
use crate::tokenize::{Token, TokenKind};
use crate::Label;

/// One exact rule.
pub struct Rule {
    /// The label a match gets.
    pub label: Label,
    /// The regular expression (see the module docs for the dialect).
    pub pattern: &'static str,
    /// Texts with the one expected match in `[brackets]`.
    pub examples: &'static [&'static str],
    /// Texts the rule must not match anywhere.
    pub counter_examples: &'static [&'static str],
}

const MONTH: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)";
const NUMBER_WORD: &str = r"(?:[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|[Ee]leven|[Tt]welve|[Tt]hirteen|[Ff]ourteen|[Ff]ifteen|[Ss]ixteen|[Ss]eventeen|[Ee]ighteen|[Nn]ineteen|[Tt]wenty|[Tt]hirty|[Ff]orty|[Ff]ifty|[Ss]ixty|[Ss]eventy|[Ee]ighty|[Nn]inety|[Hh]undred|[Tt]housand|[Mm]illion|[Bb]illion|[Tt]rillion|[Dd]ozen)";
const NUM: &str = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?";
const SCALE: &str = r"(?:million|billion|trillion|thousand|hundred|mln|bln|bn|[mMbBkK]n?)";

/// The rules, highest priority first: where two matches overlap, the earlier rule wins.
///
/// Built on the first call and shared after that: the patterns are leaked to be `'static`, so
/// building them per call leaked ~8 KB with every `Highlighter` (found by the fuzzer's leak check).
pub fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(build_rules)
}

fn build_rules() -> Vec<Rule> {
    let b = r"(?-u:\b)";
    let num_or_word = format!(r"(?:{NUM}|{NUMBER_WORD}(?:[ -]{NUMBER_WORD})*)");
    vec![
        Rule {
            label: Label::Phone,
            // North American numbers; national numbers with a trunk `0` (UK, France, Germany,
            // Australia…: 10 or 11 digits in the groups those countries write); and any number
            // written with a `+` country code, `(0)` included. A national number must start
            // with `0` and a non-zero digit, so no year, amount or count is one.
            pattern: leak(format!(
                r"(?x)
                (?:\+[0-9]{{1,3}}[\ .-]?)?(?:\([0-9]{{2,4}}\)[\ .-]?|{b}[0-9]{{3}}[\ .-])[0-9]{{3}}[\ .-][0-9]{{4}}{b}
                | \+[0-9]{{1,3}}(?:\ ?\(0\)\ ?|[\ .-])[0-9]{{1,5}}(?:[\ .-][0-9]{{2,8}}){{1,4}}{b}
                | (?:{b}0[1-9][0-9]{{0,3}}|\(0[1-9][0-9]{{0,3}}\))[\ .-]?[0-9]{{3,4}}[\ .-][0-9]{{3,4}}{b}
                | {b}0[1-9][0-9]{{3}}[\ .-][0-9]{{6}}{b}
                | {b}0[1-9](?:[\ .][0-9]{{2}}){{4}}{b}
                "
            )),
            examples: &[
                "Call [(555) 123-4567] now",
                "Call [+1 555 123 4567].",
                "tel [212-555-0199]",
                "[+44 20 7946 0958]",
                "ring [020 7946 0958] today",
                "mobile [07700 900123] or",
                "[0161 496 0000] (Manchester)",
                "[01632 960 001]",
                "[+44 (0)20 7946 0958]",
                "[+44 7700 900123]",
                "[+33 1 23 45 67 89]",
                "Paris [01 23 45 67 89]",
                "Berlin [030 1234 5678]",
                "Sydney [(02) 9876 5432]",
                "[0412 345 678] mobile",
                "[+49 30 1234567]",
            ],
            counter_examples: &[
                "In 1990-1995 sales rose",
                "on 12/03/2021",
                "3.14159",
                "on 02 03 2021 at",
                "from 1990 2000 2010",
                "In 2021 1,000 people",
                "rose 0.5 1.5 2.5",
                "scores 3-1 and 21-55123",
                "the 007 films",
            ],
        },
        Rule {
            label: Label::Money,
            pattern: leak(format!(
                r"(?:(?:US|U\.S\.|A|C|HK|NZ|S)?[$€£¥₹] ?|{b}(?:USD|EUR|GBP|JPY|CNY|CHF|Rs\.?) ?){NUM}(?: ?{SCALE}{b})?|{b}{num_or_word}(?: {SCALE})? (?:dollars|euros|pounds sterling|yen|yuan|cents|rupees|francs|pesos|rubles|roubles|won){b}|{b}{NUM}(?: ?{SCALE})? ?(?:USD|EUR|GBP|JPY|CNY|CHF){b}"
            )),
            examples: &[
                "Paid [$5.2 million] on Monday",
                "a [€300] fine",
                "[US$ 40] each",
                "worth [£1.5bn] now",
                "[5 million dollars] in cash",
                "[twenty dollars] only",
                "raised [EUR 12 million].",
                "[300 cents]",
            ],
            counter_examples: &["5 million people", "the dollar fell"],
        },
        Rule {
            label: Label::Percent,
            pattern: leak(format!(
                r"{b}{num_or_word} ?(?:%|percent{b}|per cent{b}|percentage points?{b})"
            )),
            examples: &[
                "rose [12%] in",
                "fell [3.5 percent]",
                "[five per cent] of",
                "by [2 percentage points]",
            ],
            counter_examples: &["100 people"],
        },
        Rule {
            label: Label::Time,
            pattern: leak(format!(
                r"{b}[0-9]{{1,2}}:[0-9]{{2}}(?::[0-9]{{2}})?(?: ?(?:[ap]\.m\.|[AaPp][Mm]{b}))?(?: (?:GMT|UTC|EST|EDT|PST|PDT|CET|BST){b})?|{b}[0-9]{{1,2}} ?(?:[ap]\.m\.|[AaPp][Mm]{b})|{b}(?:noon|midnight|tonight|this (?:morning|afternoon|evening)|last night){b}"
            )),
            examples: &[
                "at [3:30 p.m.] on",
                "at [10:45]",
                "by [7 am]",
                "around [midnight].",
                "[this morning] he",
                "at [18:00 GMT]",
            ],
            counter_examples: &["ratio 3 to 1", "in 2021"],
        },
        Rule {
            label: Label::Date,
            pattern: leak(format!(
                r"(?x)
                {b}{MONTH}\ [0-9]{{1,2}}(?:st|nd|rd|th)?(?:,?\ [12][0-9]{{3}})?{b}\.?
                | {b}[0-9]{{1,2}}(?:st|nd|rd|th)?\ (?:of\ )?{MONTH}(?:,?\ [12][0-9]{{3}}{b})?
                | {b}{MONTH}\ (?:of\ )?[12][0-9]{{3}}{b}
                | {b}[12][0-9]{{3}}-[01]?[0-9]-[0-3]?[0-9]{b}
                | {b}[0-3]?[0-9][/.][01]?[0-9][/.](?:[12][0-9])?[0-9]{{2}}{b}
                | {b}(?:the\ )?(?:[12][0-9]{{3}}|'[0-9]{{2}})s{b}
                | {b}(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday){b}
                | {b}(?:[Tt]oday|[Yy]esterday|[Tt]omorrow){b}
                | {b}(?:[Ll]ast|[Nn]ext|[Tt]his|[Pp]revious|[Ee]arlier\ this|[Ll]ater\ this)\ (?:week|month|year|decade|century|spring|summer|autumn|fall|winter|weekend){b}
                | {b}(?:the\ )?(?:past|last|next|coming)\ (?:{num_or_word}|few|several)\ (?:days|weeks|months|years|decades){b}
                | {b}{num_or_word}\ (?:days|weeks|months|years|decades)\ (?:ago|earlier|later){b}
                "
            )),
            examples: &[
                "on [12 March 2021]; mail",
                "on [March 12, 2021] there",
                "since [May 2020] it",
                "[2021-03-12] log",
                "on [12/03/2021] at",
                "in [the 1990s] we",
                "on [Monday] he",
                "[yesterday] the",
                "[last week] we",
                "in [the past two years] they",
                "[three years ago] it",
                "the [21st of June] is",
            ],
            counter_examples: &["may I come", "a 3/4 share"],
        },
        Rule {
            label: Label::Date,
            // A bare year after a preposition: "in 2021". Only the year is the entity.
            pattern: leak(format!(
                r"(?:{b}(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]ill|[Ff]rom|[Dd]uring|[Bb]efore|[Aa]fter|[Ee]arly|[Ll]ate|[Mm]id-?) )((?:1[89]|20)[0-9]{{2}}){b}"
            )),
            examples: &["founded in [1999] by", "since [2008]", "by [2030]."],
            counter_examples: &["in 2500 cases", "2021 people"],
        },
        Rule {
            label: Label::Quantity,
            pattern: leak(format!(
                r"{b}{num_or_word}(?:-| )?(?:km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|feet|foot|inch(?:es)?|kg|kilograms?|grams?|pounds|lbs?|tons?|tonnes?|acres?|hectares?|square (?:miles|kilomet(?:er|re)s|feet|met(?:er|re)s)|degrees(?: (?:Celsius|Fahrenheit))?|mph|km/h|lit(?:er|re)s?|gallons?|barrels|ounces|cm|mm|MW|GW|kWh){b}"
            )),
            examples: &[
                "a [5 km] walk",
                "[300 miles] away",
                "a [10-ton] truck",
                "[2.5 kilograms] of",
                "[40 degrees Celsius]",
                "[two million barrels] a",
            ],
            counter_examples: &["5 people", "a mile away"],
        },
        Rule {
            label: Label::Ordinal,
            pattern: leak(format!(
                r"{b}(?:[0-9]*1st|[0-9]*2nd|[0-9]*3rd|[0-9]+th|[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|[Ff]ifth|[Ss]ixth|[Ss]eventh|[Ee]ighth|[Nn]inth|[Tt]enth|[Ee]leventh|[Tt]welfth|[Tt]wentieth|[Hh]undredth|[Ll]ast-ever){b}"
            )),
            examples: &[
                "the [first] time",
                "her [21st] birthday",
                "the [third] quarter",
                "in [5th] place",
            ],
            counter_examples: &["firstly", "secondary"],
        },
        Rule {
            label: Label::Cardinal,
            pattern: leak(format!(
                r"{b}{num_or_word}(?: {SCALE}{b})?{b}|{b}(?:[Dd]ozens|[Hh]undreds|[Tt]housands|[Mm]illions)(?: of)?{b}"
            )),
            examples: &[
                "[5 million] people",
                "[1,000] troops",
                "[three] men",
                "[twenty-five] years",
                "[3.5] on average",
                "[hundreds of] people",
            ],
            counter_examples: &["none", "someone", "tone"],
        },
    ]
}

// Patterns are built once per process (see `rules`); leaking them keeps `Rule` `'static`.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The compiled rules.
pub struct Rules {
    compiled: Vec<(Label, Regex)>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules::new()
    }
}

impl Rules {
    /// Compiles every rule. The patterns are constants checked by this module's tests, so this
    /// cannot fail at run time in a build whose tests pass.
    pub fn new() -> Rules {
        let compiled = rules()
            .iter()
            .map(|r| {
                let re = Regex::new(r.pattern)
                    .unwrap_or_else(|e| panic!("rule for {} does not compile: {e}", r.label));
                (r.label, re)
            })
            .collect();
        Rules { compiled }
    }

    /// Every rule match in `text`, sorted and non-overlapping (earlier rules win overlaps). URLs and email addresses come from the tokenizer's `tokens`, so that the
    /// rules and the tagger agree on them.
    pub fn find(&self, text: &str, tokens: &[Token]) -> Vec<Entity> {
        let rule = |start, end, label| Entity {
            start,
            end,
            label,
            score: 1.0,
            source: Source::Rule,
        };
        let mut found: Vec<Entity> = tokens
            .iter()
            .filter_map(|t| match t.kind {
                TokenKind::Email => Some(rule(t.start, t.end, Label::Email)),
                TokenKind::Url => Some(rule(t.start, t.end, Label::Url)),
                _ => None,
            })
            .collect();
        let mut layer = Vec::new();
        for (label, re) in &self.compiled {
            layer.clear();
            for caps in re.captures_iter(text) {
                // A rule with a group reports only the group ("in [2021]").
                let m = caps
                    .get(1)
                    .or_else(|| caps.get(0))
                    .expect("group 0 always matches");
                if m.is_empty() || (label.is_numeric() && part_of_a_name(text, m.start(), m.end()))
                {
                    continue;
                }
                layer.push(rule(m.start(), m.end(), *label));
            }
            found = overlay(found, &layer);
        }
        found
    }
}

/// Whether the number at `start..end` is part of a name rather than a number of its own:
/// digits attached to letters (`F-16`, `COVID-19`, `A380`), or a model number after a word in
/// camel case (`iPhone 15`, `PlayStation 5`, `MacBook 14`).
pub fn part_of_a_name(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let before2 = text[..start].chars().rev().nth(1);
    let after = text[end..].chars().next();
    before.is_some_and(char::is_alphanumeric)
        || (before == Some('-') && before2.is_some_and(char::is_alphabetic))
        || after.is_some_and(char::is_alphanumeric)
        || (before == Some(' ') && camel_case(last_word(&text[..start - 1])))
}

/// The run of letters and digits that ends `text`.
fn last_word(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(text.len(), |(i, _)| i);
    &text[start..]
}

/// A lowercase letter followed by an uppercase one: `iPhone`, `eBay`, `PlayStation`.
fn camel_case(word: &str) -> bool {
    let mut lower = false;
    for c in word.chars() {
        if lower && c.is_uppercase() {
            return true;
        }
        lower = c.is_lowercase();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(re: &Regex, text: &str) -> Vec<String> {
        re.captures_iter(text)
            .map(|c| c.get(1).or_else(|| c.get(0)).unwrap().as_str().to_string())
            .collect()
    }

    /// Each rule alone finds exactly its bracketed example and nothing in its counter-examples.
    #[test]
    fn every_rule_matches_its_examples() {
        for rule in rules() {
            let re = Regex::new(rule.pattern).unwrap_or_else(|e| panic!("{}: {e}", rule.label));
            for example in rule.examples {
                let (open, close) = (example.find('[').unwrap(), example.find(']').unwrap());
                let expected = &example[open + 1..close];
                let text = format!("{}{}{}", &example[..open], expected, &example[close + 1..]);
                assert!(
                    matches(&re, &text).iter().any(|m| m == expected),
                    "{} rule: {text:?} should match {expected:?}, found {:?}",
                    rule.label,
                    matches(&re, &text)
                );
            }
            for text in rule.counter_examples {
                assert_eq!(
                    matches(&re, text),
                    Vec::<String>::new(),
                    "{} rule on {text:?}",
                    rule.label
                );
            }
        }
    }

    // The whole rule set, resolving overlaps, is tested on sentences in `tests/golden/rules.txt`.
}
