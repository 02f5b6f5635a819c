//! Combining entities from several sources under one overlap policy.
//!
//! Sources are laid down in priority order; each adds only the entities that overlap nothing
//! already laid down. Every step is one linear pass, so merging stays linear in the number of
//! entities even on pathological texts.

use crate::tokenize::{Token, TokenKind};
use crate::{rules, Entity, Label};

/// Adds to `kept` (sorted, non-overlapping) the entities of `layer` (sorted by start) that
/// overlap nothing in `kept` nor an earlier-added entity of `layer`. Returns the sorted union.
pub fn overlay(kept: Vec<Entity>, layer: &[Entity]) -> Vec<Entity> {
    if layer.is_empty() {
        return kept;
    }
    let mut out = Vec::with_capacity(kept.len() + layer.len());
    let mut k = 0;
    let mut last_end = 0; // end of the last entity taken from `layer`
    for e in layer {
        // Emit the kept entities that end before this one starts.
        while k < kept.len() && kept[k].end <= e.start {
            out.push(kept[k]);
            k += 1;
        }
        let clashes_kept = k < kept.len() && kept[k].start < e.end;
        if !clashes_kept && e.start >= last_end && e.start < e.end {
            out.push(*e);
            last_end = e.end;
        }
    }
    out.extend_from_slice(&kept[k..]);
    out
}

/// Corrects the model's entities (sorted, non-overlapping) where the text or the exact rules
/// know better. Each step fixes one class of error a reader sees on natural text; none
/// invents a label, and no entity comes to overlap another. `rules` are the rule matches of
/// the whole text (sorted, non-overlapping), `tokens` its tokens.
///
/// - Quote marks at the edges of a span, glued to the words inside, leave it when they are
///   alone or enclose the whole span: "“The Crown”" is marked "The Crown" ([`trim_quotes`]).
/// - A trailing possessive leaves a name: "Tim Cook's" → "Tim Cook". OntoNotes, which the
///   default model learns from, puts the possessive inside a multi-word name about 1,000 times
///   in train (and outside a one-word name 3,233 times), so the model learned both.
/// - A number the model found inside a longer rule match of the same type takes the rule's
///   span when the model's span cuts a written word ("999" in "$999": OntoNotes leaves `$`
///   outside in a third of its plain amounts) or drops a date's day ("May 1990" in
///   "3 May 1990": the US news the model learned from rarely writes the day first).
/// - A number that is part of a name is no number ("15" in "iPhone 15 Pro", see
///   [`rules::part_of_a_name`]), and a date no calendar writes is no date ("21-55123": a digit
///   group of five or more digits).
/// - A score is not part of a name: "Real Madrid 3-1 Barcelona" → "Real Madrid", "Barcelona".
/// - A law keeps its subsection and its year: "Section 10(b)", "the Securities Exchange Act of
///   1934" (a law followed by "of" and a year the model called a date).
pub fn refine(text: &str, tokens: &[Token], rules: &[Entity], model: &mut Vec<Entity>) {
    for e in model.iter_mut() {
        e.end = trim_possessive(text, tokens, e.start, e.end);
        (e.start, e.end) = trim_quotes(text, tokens, e.start, e.end);
    }
    for i in 0..model.len() {
        let e = model[i];
        let prev_end = if i > 0 { model[i - 1].end } else { 0 };
        let next_start = model.get(i + 1).map_or(text.len(), |n| n.start);
        let first = rules.partition_point(|r| r.end <= e.start);
        if let Some(r) = rules[first..]
            .iter()
            .take_while(|r| r.start < e.end)
            .find(|r| {
                r.label == e.label
                    && r.start <= e.start
                    && r.end >= e.end
                    && r.start >= prev_end
                    && r.end <= next_start
                    && (splits_a_word(text, e.start, e.end) || day_before_month(text, r, &e))
            })
        {
            model[i].start = r.start;
            model[i].end = r.end;
        }
    }
    model.retain(|e| {
        let s = e.text(text);
        let number = s.bytes().all(|b| b.is_ascii_digit() || b",.".contains(&b));
        let named_number =
            e.label.is_numeric() && number && rules::part_of_a_name(text, e.start, e.end);
        let no_date = e.label == Label::Date && impossible_date(s);
        !named_number && !no_date
    });
    cut_at_scores(text, tokens, model);
    join_law_parts(text, model);
}

/// Ends a span before a final possessive clitic glued to the word before it (`'s`, `’s`, or a
/// lone `'`/`’` after a word ending in s: "the United States’"), if a token is left; returns
/// the new end. Only a glued clitic, as people write it: text written as spaced tokens
/// ("New York 's", how OntoNotes and CoNLL are distributed, whose gold puts the clitic inside
/// about 1% of names) is left as the model tags it. Public so that the natural renderings of a
/// corpus can give their gold spans the same convention.
pub fn trim_possessive(text: &str, tokens: &[Token], start: usize, end: usize) -> usize {
    let first = tokens.partition_point(|t| t.end <= start);
    let last = tokens.partition_point(|t| t.end < end);
    if last <= first || last >= tokens.len() || tokens[last].end != end {
        return end;
    }
    let (before, t) = (tokens[last - 1], tokens[last]);
    let word = t.text(text);
    let glued = before.end == t.start;
    let possessive = glued
        && match t.kind {
            TokenKind::Word => matches!(word, "'s" | "’s" | "'S" | "’S"),
            TokenKind::Punct => {
                matches!(word, "'" | "’") && before.text(text).ends_with(['s', 'S'])
            }
            _ => false,
        };
    if possessive {
        before.end
    } else {
        end
    }
}

/// Moves the edges of a span past quote marks glued to the words inside it: a lone one, with
/// no other mark of its kind (double or single) in the span ("The Crown”" → "The Crown"), and a
/// pair that encloses the whole span ("“The Crown”" → "The Crown"), the convention OntoNotes
/// follows more often than not (train: 80 titles with their quotes outside, 63 inside). Quotes
/// that stand apart, as in spaced text ("`` Titanic ''"), are the model's to decide. Returns the
/// new start and end; at least one token is always left. Public so that the natural renderings
/// of a corpus can give their gold spans the same convention.
pub fn trim_quotes(text: &str, tokens: &[Token], start: usize, end: usize) -> (usize, usize) {
    let first = tokens.partition_point(|t| t.end <= start);
    let last = tokens.partition_point(|t| t.start < end);
    if last < first + 2 || tokens[first].start != start || tokens[last - 1].end != end {
        return (start, end);
    }
    let kind = |t: &Token| match t.text(text) {
        "“" | "”" | "\"" | "„" | "«" | "»" => Some(2),
        "‘" | "’" | "'" => Some(1),
        _ => None,
    };
    let count = |q| tokens[first..last].iter().filter(|t| kind(t) == q).count();
    let glued = |a: usize| tokens[a].end == tokens[a + 1].start;
    // An apostrophe before digits elides a century ("'78"), it opens no quote.
    let elision = text[tokens[first + 1].start..].starts_with(|c: char| c.is_ascii_digit());
    let opens = kind(&tokens[first]).filter(|_| !elision && glued(first));
    let closes = kind(&tokens[last - 1]).filter(|_| glued(last - 2));
    let pair = opens.is_some() && opens == closes && count(opens) == 2 && last - first >= 3;
    let (mut s, mut e) = (first, last);
    if pair || closes.is_some_and(|_| count(closes) == 1) {
        e -= 1;
    }
    if e > s + 1 && (pair || opens.is_some_and(|_| count(opens) == 1)) {
        s += 1;
    }
    (tokens[s].start, tokens[e - 1].end)
}

/// Digits and separators only, with a group of five or more digits: no day, month or year.
fn impossible_date(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit() || b"-/.".contains(&b))
        && s.split(['-', '/', '.']).any(|g| g.len() >= 5)
}

/// Splits an entity of a name type around a score inside it (`3-1`, `2–0`: one or two digits,
/// a hyphen or dash, one or two digits), keeping the parts with a token on each side.
fn cut_at_scores(text: &str, tokens: &[Token], model: &mut Vec<Entity>) {
    let short = |t: &Token| t.kind == TokenKind::Number && t.end - t.start <= 2;
    let mut out = Vec::with_capacity(model.len());
    for &e in model.iter() {
        if e.label.is_numeric() {
            out.push(e);
            continue;
        }
        let first = tokens.partition_point(|t| t.end <= e.start);
        let end_token = tokens.partition_point(|t| t.start < e.end);
        let mut start = e.start;
        let mut j = first;
        while j + 3 <= end_token {
            let dash = tokens[j + 1].text(text);
            if short(&tokens[j]) && matches!(dash, "-" | "–" | "—") && short(&tokens[j + 2]) {
                if j > first && tokens[j - 1].end > start {
                    out.push(Entity {
                        start,
                        end: tokens[j - 1].end,
                        ..e
                    });
                }
                start = if j + 3 < end_token {
                    tokens[j + 3].start
                } else {
                    e.end
                };
                j += 3;
            } else {
                j += 1;
            }
        }
        if start == e.start {
            out.push(e);
        } else if start < e.end {
            out.push(Entity { start, ..e });
        }
    }
    *model = out;
}

/// Whether the span `start..end` begins or ends inside a run of non-space characters: "999"
/// in "$999". (A boundary between a word and a clitic or punctuation is a token boundary, but
/// the rules' spans never end there, so only the rules' extensions are asked about.)
fn splits_a_word(text: &str, start: usize, end: usize) -> bool {
    // A letter, digit or currency sign glued to the span ("$" of "$999"); punctuation after
    // it ("September 12." ending a sentence) is not part of the word.
    let glued = |c: char| c.is_alphanumeric() || "$€£¥₹₩₽₺¢₪₫₱₦".contains(c);
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    before.is_some_and(glued) || after.is_some_and(glued)
}

/// A day-first date the model cut after its day: the rule's "3 May 1990" over the model's
/// "May 1990". US news, which the model learned from, rarely writes the day first.
fn day_before_month(text: &str, rule: &Entity, model: &Entity) -> bool {
    rule.label == Label::Date
        && rule.start < model.start
        && rule.text(text).starts_with(|c: char| c.is_ascii_digit())
        && model
            .text(text)
            .starts_with(|c: char| c.is_ascii_uppercase())
}

/// A law absorbs what follows it that belongs to its name: a subsection written right after
/// it ("Section 10" + "(b)(5)"), and "of" + a year tagged as a date ("… Act" + "of 1934").
fn join_law_parts(text: &str, model: &mut Vec<Entity>) {
    let mut out: Vec<Entity> = Vec::with_capacity(model.len());
    for &e in model.iter() {
        if let Some(law) = out.last_mut().filter(|l| l.label == Label::Law) {
            let gap = &text[law.end..e.start];
            let year = e.text(text);
            if e.label == Label::Date
                && gap == " of "
                && year.len() == 4
                && year.bytes().all(|b| b.is_ascii_digit())
            {
                law.end = e.end;
                law.score = law.score.min(e.score);
                continue;
            }
        }
        out.push(e);
    }
    for i in 0..out.len() {
        let law = out[i];
        if law.label == Label::Law && law.text(text).ends_with(|c: char| c.is_ascii_digit()) {
            let end = law.end + subsection_len(&text[law.end..]);
            if out.get(i + 1).is_none_or(|n| n.start >= end) {
                out[i].end = end;
            }
        }
    }
    *model = out;
}

/// The length of `(b)`, `(2)(A)`, … at the start of `rest`: groups of one to four letters or
/// digits in parentheses, directly after a number ("10(b)").
fn subsection_len(rest: &str) -> usize {
    let b = rest.as_bytes();
    let mut n = 0;
    while b.get(n) == Some(&b'(') {
        let inner = b[n + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if (1..=4).contains(&inner) && b.get(n + 1 + inner) == Some(&b')') {
            n += inner + 2;
        } else {
            break;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Label, Source};

    // `refine` is tested on marked-up sentences: `tests/golden/refine.txt`.

    fn e(start: usize, end: usize) -> Entity {
        Entity {
            start,
            end,
            label: Label::Org,
            score: 1.0,
            source: Source::Rule,
        }
    }

    #[test]
    fn keeps_priority_and_order() {
        let kept = vec![e(5, 10), e(20, 25)];
        let layer = [e(0, 3), e(3, 6), e(10, 12), e(11, 13), e(24, 30), e(30, 31)];
        let spans: Vec<(usize, usize)> = overlay(kept, &layer)
            .iter()
            .map(|x| (x.start, x.end))
            .collect();
        assert_eq!(spans, [(0, 3), (5, 10), (10, 12), (20, 25), (30, 31)]);
    }
}
