//! Tokens and sentences with byte offsets, for real news text.
//!
//! The tokenizer follows OntoNotes/Penn Treebank conventions so that a tagger trained on those
//! corpora sees the same units on raw text: clitics split (`Iran` `’s`, `do` `n't`), hyphens are
//! tokens of their own (`Amir` `-` `Abdollahian`), currency and percent signs stand apart
//! (`$` `5.2`, `12` `%`). Numbers keep their separators (`1,000.50`, `3:30`, `12/03/2021`);
//! abbreviations and initials keep their periods (`U.S.`, `Dr.`, `F.`); URLs and email
//! addresses stay whole.
//!
//! It never fails: every input, however hostile, gives tokens that are non-empty, sorted,
//! non-overlapping and on character boundaries, in time linear in the text's length.

use std::ops::Range;

/// What a token is made of, decided once so later stages need not look again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (and digits mixed in: `COVID19`, `3rd`), possibly with an abbreviation's periods.
    Word,
    /// Starts with a digit and holds only digits and separators: `1,000.50`, `12/03/2021`.
    Number,
    /// Punctuation, alone or as a run of the same character (`...`, `--`).
    Punct,
    /// Anything else: symbols, emoji (with their joiners and modifiers), currency signs.
    Symbol,
    /// `https://…` or `www.…`.
    Url,
    /// `name@example.org`.
    Email,
}

/// A token: a byte range of the text and its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
    /// What kind of token it is.
    pub kind: TokenKind,
}

impl Token {
    /// The token's text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// Longest sentence the splitter emits, in tokens: a text without sentence punctuation (a table,
/// a 1 MB line) is cut into pieces of this size so that per-sentence work stays bounded.
pub const MAX_SENTENCE_TOKENS: usize = 200;

/// Abbreviations that keep their period (compared lowercase, without the period).
const ABBREVIATIONS: &[&str] = &[
    "adm", "ala", "apr", "ariz", "ark", "calif", "colo", "conn", "ga", "ind", "kan", "ky", "md",
    "mich", "minn", "mont", "neb", "nev", "okla", "pa", "tenn", "tex", "va", "vt", "wis", "wyo",
    "aug", "ave", "blvd", "bros", "brig", "capt", "cmdr", "co", "col", "corp", "cpl", "dec",
    "dept", "dr", "est", "etc", "feb", "fig", "fla", "fri", "ft", "gen", "gov", "hon", "inc",
    "jan", "jr", "jul", "jun", "lt", "ltd", "maj", "mar", "messrs", "mon", "mr", "mrs", "ms", "mt",
    "no", "nov", "oct", "ph.d", "plc", "prof", "rep", "rev", "sat", "sen", "sep", "sept", "sgt",
    "sr", "st", "sun", "supt", "thu", "thurs", "tue", "tues", "vs", "wed",
];

/// Splits `text` into tokens.
///
/// ```
/// use nerlight::tokenize::tokenize;
/// let text = "Iran’s envoy met Dr. Smith in the U.S. on 12/03/2021.";
/// let words: Vec<&str> = tokenize(text).iter().map(|t| t.text(text)).collect();
/// assert_eq!(words, ["Iran", "’s", "envoy", "met", "Dr.", "Smith", "in", "the", "U.S.", "on",
///                    "12/03/2021", "."]);
/// ```
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    tokenize_into(text, &mut tokens);
    tokens
}

/// Like [`tokenize`], reusing `tokens`' allocation (it is cleared first).
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    let bytes = text.as_bytes();
    let mut memo = Memo::default();
    let mut i = 0;
    while i < text.len() {
        let c = char_at(text, i);
        if is_space(c) {
            i += c.len_utf8();
            continue;
        }
        let (end, kind) = if let Some(end) = url_end(text, i, &mut memo.no_url_before) {
            (end, TokenKind::Url)
        } else if let Some(end) = email_end(text, i, &mut memo.no_email_before) {
            (end, TokenKind::Email)
        } else if is_word_char(c) {
            word_end(text, i, &mut memo.no_initials_before)
        } else if c == '\'' || c == '’' {
            // A clitic standing at the start of a token: `’s`, `'re` (after a split or a space);
            // otherwise a quote, with `''` (Treebank's closing quote) as one token.
            match clitic_len(text, i) {
                Some(n) => (i + n, TokenKind::Word),
                None if text[i..].starts_with("''") => (i + 2, TokenKind::Punct),
                None => (i + c.len_utf8(), TokenKind::Punct),
            }
        } else if c.is_ascii_punctuation() || is_unicode_punct(c) {
            let mut end = i + c.len_utf8();
            if c.is_ascii() && b".-!?*=_~#`".contains(&(c as u8)) {
                while end < bytes.len() && bytes[end] == c as u8 {
                    end += 1;
                }
            }
            let kind = if c == '$' || c == '#' || c == '%' || c == '&' || c == '@' || c == '+' {
                TokenKind::Symbol
            } else {
                TokenKind::Punct
            };
            (end, kind)
        } else {
            (symbol_end(text, i), TokenKind::Symbol)
        };
        debug_assert!(end > i && text.is_char_boundary(end));
        tokens.push(Token {
            start: i,
            end,
            kind,
        });
        i = end;
    }
}

/// Where a look-ahead scan already failed. A failed URL, email or initials candidate fails the
/// same way from any later start inside it, so remembering its end keeps tokenizing linear:
/// without this, a 1 MB run such as `a-a-a-…`, `ab.ab.…` or `http://http://…` is rescanned from
/// every token in it, which is quadratic (minutes of CPU for a pasted megabyte).
#[derive(Default)]
struct Memo {
    no_url_before: usize,
    no_email_before: usize,
    no_initials_before: usize,
}

/// Groups tokens into sentences: ranges of token indices, covering every token once, in order.
///
/// A sentence ends at a line break, or after `.`, `!` or `?` (and any closing quotes or
/// brackets) when the next token does not start with a lowercase letter. Abbreviations never
/// end a sentence except at a line break. No sentence is longer than [`MAX_SENTENCE_TOKENS`].
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let mut end = i + 1; // exclusive end of the sentence if it ends here
        let tok = tokens[i].text(text);
        let mut boundary = false;
        if tokens[i].kind == TokenKind::Punct
            && tok.bytes().all(|b| matches!(b, b'.' | b'!' | b'?'))
        {
            while end < tokens.len()
                && tokens[end].kind == TokenKind::Punct
                && is_closer(tokens[end].text(text))
                && !gap_has_newline(text, tokens[end - 1].end, tokens[end].start)
            {
                end += 1;
            }
            boundary = match tokens.get(end) {
                None => true,
                Some(next) => !next
                    .text(text)
                    .chars()
                    .next()
                    .is_some_and(char::is_lowercase),
            };
        }
        if !boundary {
            end = i + 1;
            boundary = match tokens.get(end) {
                None => true,
                Some(next) => gap_has_newline(text, tokens[i].end, next.start),
            };
        }
        if !boundary && end - start >= MAX_SENTENCE_TOKENS {
            boundary = true;
        }
        if boundary {
            out.push(start..end);
            start = end;
        }
        i = end;
    }
    out
}

fn gap_has_newline(text: &str, from: usize, to: usize) -> bool {
    text[from..to]
        .chars()
        .any(|c| matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}'))
}

fn is_closer(t: &str) -> bool {
    matches!(t, "\"" | "'" | "’" | "”" | ")" | "]" | "}" | "»" | "''")
}

#[inline]
fn char_at(text: &str, i: usize) -> char {
    // Callers only pass char boundaries below text.len().
    text[i..].chars().next().unwrap_or('\u{fffd}')
}

/// What the tokenizer skips between tokens: white space, zero-width spaces, and control
/// characters (NULs, escapes…), which are not text. (One token per control character made a
/// megabyte of NULs cost a million tokens of the model's time, ten times a megabyte of letters.)
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}')
}

/// Letters, digits and combining marks (which belong to the letter before them).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36f}' | '\u{483}'..='\u{489}' | '\u{591}'..='\u{5bd}' | '\u{610}'..='\u{61a}'
        | '\u{64b}'..='\u{65f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}' | '\u{ad}')
}

fn is_unicode_punct(c: char) -> bool {
    matches!(c,
        '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205e}' | '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}' | '«' | '»' | '¡' | '¿' | '·' | '§' | '¶')
}

/// Emoji modifiers that belong to the symbol before them.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200d}' | '\u{fe0e}' | '\u{fe0f}' | '\u{1f3fb}'..='\u{1f3ff}' | '\u{e0020}'..='\u{e007f}' | '\u{20e3}')
}

fn symbol_end(text: &str, i: usize) -> usize {
    let first = char_at(text, i);
    let mut end = i + first.len_utf8();
    let regional = |c: char| ('\u{1f1e6}'..='\u{1f1ff}').contains(&c);
    if regional(first) {
        if let Some(c) = text[end..].chars().next().filter(|&c| regional(c)) {
            return end + c.len_utf8();
        }
    }
    let mut after_zwj = false;
    for c in text[end..].chars() {
        if is_joiner(c) || (after_zwj && !is_space(c)) {
            after_zwj = c == '\u{200d}';
            end += c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// A word: letters/digits/marks; separators `.,:/` between digits; an abbreviation's periods;
/// apostrophes inside names (`O'Brien`) but not before clitics.
fn word_end(text: &str, start: usize, no_initials_before: &mut usize) -> (usize, TokenKind) {
    let bytes = text.as_bytes();
    // `U.S.`, `a.m.`, `e.g.`: single letters each followed by a period, two or more times.
    if let Some(end) = initials_end(text, start, no_initials_before) {
        return (end, TokenKind::Word);
    }
    let numeric = char_at(text, start).is_ascii_digit();
    let mut only_digits = numeric;
    let mut i = start;
    while i < text.len() {
        let c = char_at(text, i);
        if is_word_char(c) {
            only_digits &= c.is_ascii_digit();
            i += c.len_utf8();
        } else if matches!(c, '.' | ',' | ':' | '/')
            && i > start
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            i += 1;
        } else if c == '\'' || c == '’' {
            if clitic_len(text, i).is_some() || is_nt(text, start, i) {
                break;
            }
            let next = text[i + c.len_utf8()..].chars().next();
            if next.is_some_and(char::is_alphabetic) && !is_nt(text, start, i) {
                i += c.len_utf8(); // O'Brien, rock'n'roll
            } else {
                break;
            }
        } else {
            break;
        }
    }
    // `n't` belongs to the next token: `do` `n't`, `ca` `n't`.
    if i < text.len()
        && i - start >= 2
        && matches!(char_at(text, i), '\'' | '’')
        && is_nt(text, start, i)
    {
        i -= 1; // the `n` (ASCII) moves to the clitic
    }
    // Abbreviations (`Dr.`, `Inc.`) and single-letter initials (`F.`) keep their period.
    if bytes.get(i) == Some(&b'.') && !numeric {
        let word = &text[start..i];
        let single_upper = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
        if single_upper || is_abbreviation(word) {
            i += 1;
        }
    }
    let kind = if only_digits
        || (numeric
            && text[start..i]
                .bytes()
                .all(|b| b.is_ascii_digit() || b".,:/".contains(&b)))
    {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    (i, kind)
}

fn is_abbreviation(word: &str) -> bool {
    word.len() <= 7 && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// `no_initials_before`: the end of a chain that already failed; every letter inside it starts a
/// shorter chain with the same ending, which fails too.
fn initials_end(text: &str, start: usize, no_initials_before: &mut usize) -> Option<usize> {
    if start < *no_initials_before {
        return None;
    }
    let b = text.as_bytes();
    let mut i = start;
    let mut n = 0;
    while i + 1 < b.len() && b[i].is_ascii_alphabetic() && b[i + 1] == b'.' {
        n += 1;
        i += 2;
    }
    // Not followed by more letters (`U.S.A` without a final period ends at `S.`).
    let found = n >= 2 && !b.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    if !found {
        *no_initials_before = i;
    }
    found.then_some(i)
}

/// Is the apostrophe at `apos` the one in `n't`, with the `n` belonging to the word
/// (`don't`, `can’t`)? The `n` must not be the word's only letter.
fn is_nt(text: &str, start: usize, apos: usize) -> bool {
    let b = text.as_bytes();
    if apos < start + 2 || !matches!(b[apos - 1], b'n' | b'N') {
        return false;
    }
    let after = apos + char_at(text, apos).len_utf8();
    matches!(b.get(after), Some(b't' | b'T'))
        && !b
            .get(after + 1)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c >= 0x80)
}

/// The length of a clitic starting with the apostrophe at `i`: `'s 're 've 'll 'd 'm` (or `’…`)
/// followed by a non-letter; `n't` is handled by the word before it.
fn clitic_len(text: &str, i: usize) -> Option<usize> {
    let apos = char_at(text, i).len_utf8();
    let rest = &text.as_bytes()[i + apos..];
    let n = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if n == 0
        || rest.get(n).is_some_and(|&c| {
            c >= 0x80
                && text[i + apos + n..]
                    .chars()
                    .next()
                    .is_some_and(is_word_char)
        })
    {
        return None;
    }
    let suffix = &rest[..n];
    let known = ["s", "re", "ve", "ll", "d", "m"]
        .iter()
        .any(|s| s.as_bytes().eq_ignore_ascii_case(suffix));
    // Also after a space: corpora written in Treebank style ("Iran 's") must tokenize like
    // running text ("Iran's"), or a tagger trained on one sees other units in the other.
    known.then_some(apos + n)
}

/// `https://…`, `http://…` or `www.…`, without trailing sentence punctuation; a closing bracket
/// stays when the URL opened one (`…/Paris_(France)`).
///
/// `no_url_before`: the end of a candidate that already failed. No URL starts inside it, which
/// keeps `http://http://…` linear; it differs from a fresh scan only in contrived cases where a
/// bracket before the inner start changed the trimming (`http://a)http://b(c.)`).
fn url_end(text: &str, start: usize, no_url_before: &mut usize) -> Option<usize> {
    let rest = &text.as_bytes()[start..];
    let lower_starts = |p: &[u8]| rest.len() > p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    if !(lower_starts(b"https://") || lower_starts(b"http://") || lower_starts(b"www.")) {
        return None;
    }
    if start > 0 && text[..start].chars().next_back().is_some_and(is_word_char) {
        return None;
    }
    if start < *no_url_before {
        return None;
    }
    let mut end = start;
    for c in text[start..].chars() {
        if is_space(c) || matches!(c, '<' | '>' | '"' | '“' | '”' | '«' | '»') {
            break;
        }
        end += c.len_utf8();
    }
    let scanned = end;
    // Counted once and kept up to date: recounting per trimmed `)` is quadratic in a run of them.
    let opens = text[start..end].matches('(').count();
    let mut closes = text[start..end].matches(')').count();
    loop {
        let Some(last) = text[start..end].chars().next_back() else {
            *no_url_before = scanned;
            return None;
        };
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | ']' | '}' => true,
            ')' => opens < closes,
            _ => false,
        };
        if !trim {
            break;
        }
        if last == ')' {
            closes -= 1;
        }
        end -= last.len_utf8();
    }
    let host_len = text[start..end].split("//").last().map_or(0, str::len);
    let found = host_len >= 4 && text[start..end].contains('.');
    if !found {
        *no_url_before = scanned;
    }
    found.then_some(end)
}

/// `local@domain.tld` with an ASCII local part and a domain that has a dot.
///
/// `no_email_before`: the end of a local part that already failed. Any later start inside it
/// reaches the same end (and the same domain), so it fails too.
fn email_end(text: &str, start: usize, no_email_before: &mut usize) -> Option<usize> {
    let b = text.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
    if !b[start].is_ascii_alphanumeric() || start < *no_email_before {
        return None;
    }
    let mut i = start;
    while i < b.len() && local(b[i]) {
        i += 1;
    }
    *no_email_before = i; // a success ends past `i`, so the next start is beyond it anyway
    if b.get(i) != Some(&b'@') {
        return None;
    }
    let domain_start = i + 1;
    let mut end = domain_start;
    while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'-' || b[end] == b'.') {
        end += 1;
    }
    while end > domain_start && matches!(b[end - 1], b'.' | b'-') {
        end -= 1;
    }
    let dot = domain_start + b[domain_start..end].iter().rposition(|&c| c == b'.')?;
    let tld = &b[dot + 1..end];
    (dot > domain_start && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn news_text_conventions() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Iran’s foreign minister",
                &["Iran", "’s", "foreign", "minister"],
            ),
            ("Iran's", &["Iran", "'s"]),
            (
                "“We won’t,” he said.",
                &["“", "We", "wo", "n’t", ",", "”", "he", "said", "."],
            ),
            ("I don't know", &["I", "do", "n't", "know"]),
            ("they're here", &["they", "'re", "here"]),
            ("Amir-Abdollahian", &["Amir", "-", "Abdollahian"]),
            ("O'Brien and D’Angelo", &["O'Brien", "and", "D’Angelo"]),
            ("the U.S. and U.K.", &["the", "U.S.", "and", "U.K."]),
            (
                "Dr. Smith, Mr. Jones and John F. Kennedy",
                &[
                    "Dr.", "Smith", ",", "Mr.", "Jones", "and", "John", "F.", "Kennedy",
                ],
            ),
            (
                "at 3:30 p.m. on 12/03/2021",
                &["at", "3:30", "p.m.", "on", "12/03/2021"],
            ),
            (
                "$5.2 million, 1,000.50 and 12%",
                &["$", "5.2", "million", ",", "1,000.50", "and", "12", "%"],
            ),
            (
                "See https://example.org/a_(b). Or www.x.com, ok",
                &[
                    "See",
                    "https://example.org/a_(b)",
                    ".",
                    "Or",
                    "www.x.com",
                    ",",
                    "ok",
                ],
            ),
            ("mail a@b.org.", &["mail", "a@b.org", "."]),
            ("Wait... what?!", &["Wait", "...", "what", "?", "!"]),
            ("students' fees", &["students", "'", "fees"]),
            ("'s at start", &["'s", "at", "start"]),
            (
                "Iran 's envoy said `` no '' .",
                &["Iran", "'s", "envoy", "said", "``", "no", "''", "."],
            ),
            ("'so' he said", &["'", "so", "'", "he", "said"]),
            ("1990s and 3rd", &["1990s", "and", "3rd"]),
            ("👨‍👩‍👧 🇺🇦🇺🇸 👍🏽!", &["👨‍👩‍👧", "🇺🇦", "🇺🇸", "👍🏽", "!"]),
            ("Cafe\u{301} Zo\u{308}e", &["Cafe\u{301}", "Zo\u{308}e"]),
            ("a\u{a0}b\u{200b}c", &["a", "b", "c"]),
            ("end.", &["end", "."]),
            ("No. 10 and no. ", &["No.", "10", "and", "no."]),
            // Control characters separate tokens, as spaces do.
            ("a\0\0\u{1}\u{9f}b \0\u{7f}\n\0Ana", &["a", "b", "Ana"]),
        ];
        for (text, expected) in cases {
            assert_eq!(&words(text), expected, "{text:?}");
        }
    }

    #[test]
    fn kinds() {
        let text = "Paris 1,000 , $ https://a.io x@y.com 😀";
        let kinds: Vec<TokenKind> = tokenize(text).iter().map(|t| t.kind).collect();
        use TokenKind::*;
        assert_eq!(kinds, [Word, Number, Punct, Symbol, Url, Email, Symbol]);
    }

    #[test]
    fn sentence_split() {
        let text = "Dr. Smith went to Washington. He met the U.S. envoy. “It works,” he said.\nHeadline without stop\nnext line? yes. Then 3 more.";
        let toks = tokenize(text);
        let sents: Vec<String> = sentences(text, &toks)
            .into_iter()
            .map(|r| text[toks[r.start].start..toks[r.end - 1].end].to_string())
            .collect();
        assert_eq!(
            sents,
            [
                "Dr. Smith went to Washington.",
                "He met the U.S. envoy.",
                "“It works,” he said.",
                "Headline without stop",
                "next line? yes.",
                "Then 3 more.",
            ]
        );
    }

    #[test]
    fn long_runs_are_cut() {
        let text = "word ".repeat(1000);
        let toks = tokenize(&text);
        let sents = sentences(&text, &toks);
        assert!(sents.iter().all(|r| r.len() <= MAX_SENTENCE_TOKENS));
        assert_eq!(sents.iter().map(|r| r.len()).sum::<usize>(), toks.len());
    }
}
