//! Tokens: a sentence cut into words, punctuation, possessive endings and whole quotes, each
//! keeping its byte offsets in the article and its folded form in one per-sentence buffer.
//!
//! The folded forms (see [`crate::text`]) are joined by single spaces, so alias matching over the
//! buffer finds `François  Hollande`, `FRANCOIS HOLLANDE` and `Francois\nHollande` alike. A quote
//! is one atomic token: nothing inside quotation marks is taken for a speaker.

use super::lexicon::{self, Kind};
use super::quotes::Quote;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// A word: letters and digits, with inner hyphens, apostrophes and dots (`al-Assad`, `U.S.`).
    Word,
    /// One punctuation character (or an unpaired quotation mark).
    Punct(char),
    /// A possessive ending split off its word (`’s`, or `’` after a plural).
    Possessive,
    /// A whole quotation, marks included; the value indexes the paragraph's quotes.
    Quote(usize),
}

/// A token with its place in the article and in the sentence's folded buffer.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    /// Byte offset in the article.
    pub start: usize,
    /// Byte offset just past the token.
    pub end: usize,
    /// Start of the folded form in [`SentenceAnalysis::folded`].
    pub fstart: usize,
    /// End of the folded form.
    pub fend: usize,
    /// What the token is.
    pub kind: TokKind,
    /// The first character is uppercase.
    pub cap: bool,
    /// Some character is uppercase.
    pub has_upper: bool,
    /// Some character is lowercase.
    pub has_lower: bool,
}

fn is_word_joiner(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '.' | '\'' | '’' | ',' | '&')
}

/// Marks that may start a possessive ending (`Putin's`, `Putin’s`).
fn is_possessive_mark(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Cuts `text[start..end]` into tokens (quotes from `quotes` kept whole) and fills `folded`.
pub fn tokenize(
    text: &str,
    start: usize,
    end: usize,
    quotes: &[Quote],
    toks: &mut Vec<Token>,
    folded: &mut String,
) {
    toks.clear();
    folded.clear();
    let mut qi = quotes.partition_point(|q| q.open < start);
    let slice = &text[start..end];
    let mut iter = slice.char_indices().peekable();
    while let Some((rel, c)) = iter.next() {
        let pos = start + rel;
        if qi < quotes.len() && quotes[qi].open == pos && quotes[qi].close <= end {
            let q = quotes[qi];
            push_token(toks, folded, text, pos, q.close, TokKind::Quote(qi));
            qi += 1;
            while iter.peek().is_some_and(|&(r, _)| start + r < q.close) {
                iter.next();
            }
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            push_token(toks, folded, text, pos, pos + c.len_utf8(), TokKind::Punct(c));
            continue;
        }
        // A word.
        let mut word_end = pos + c.len_utf8();
        let mut prev = c;
        let mut possessive: Option<usize> = None;
        while let Some(&(r, n)) = iter.peek() {
            let at = start + r;
            if qi < quotes.len() && quotes[qi].open == at {
                break;
            }
            if n.is_alphanumeric() {
                word_end = at + n.len_utf8();
                prev = n;
                iter.next();
                continue;
            }
            if !is_word_joiner(n) {
                break;
            }
            let after_joiner = text[at + n.len_utf8()..end].chars().next();
            let after_ok = after_joiner.is_some_and(char::is_alphanumeric);
            if is_possessive_mark(n) {
                let s_end = at + n.len_utf8() + 1;
                let is_s = matches!(after_joiner, Some('s') | Some('S'));
                let after_s = text.get(s_end..end).and_then(|t| t.chars().next());
                if is_s && !after_s.is_some_and(char::is_alphanumeric) {
                    possessive = Some(s_end);
                    break;
                }
                if !after_ok && matches!(prev, 's' | 'S') {
                    possessive = Some(at + n.len_utf8());
                    break;
                }
            }
            if !after_ok
                || (n == ',' && !(prev.is_ascii_digit() && after_joiner.is_some_and(|d| d.is_ascii_digit())))
            {
                break;
            }
            iter.next();
            word_end = at + n.len_utf8();
            prev = n;
        }
        // Keep the final stop of dotted abbreviations (U.S.) and of titles (Mr., Gen.).
        if text[word_end..end].starts_with('.') {
            let word = &text[pos..word_end];
            // An initial inside a name: `Alan B. Krueger`.
            let mut letters = word.chars();
            let initial = letters.next().is_some_and(char::is_uppercase)
                && letters.next().is_none()
                && text[word_end + 1..end].starts_with(' ')
                && text[word_end + 2..end].starts_with(char::is_uppercase);
            if is_dotted(word) || initial || lexicon::is(&word.to_ascii_lowercase(), Kind::KEEPS_DOT) {
                word_end += 1;
            }
        }
        push_token(toks, folded, text, pos, word_end, TokKind::Word);
        while iter.peek().is_some_and(|&(r, _)| start + r < word_end) {
            iter.next();
        }
        if let Some(p_end) = possessive {
            push_token(toks, folded, text, word_end, p_end, TokKind::Possessive);
            while iter.peek().is_some_and(|&(r, _)| start + r < p_end) {
                iter.next();
            }
        }
    }
}

/// A dotted abbreviation of single letters (`U.S`, `U.N`).
pub fn is_dotted(word: &str) -> bool {
    word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic))
}

fn push_token(
    toks: &mut Vec<Token>,
    folded: &mut String,
    text: &str,
    start: usize,
    end: usize,
    kind: TokKind,
) {
    if !folded.is_empty() {
        folded.push(' ');
    }
    let fstart = folded.len();
    let (mut cap, mut has_upper, mut has_lower) = (false, false, false);
    if let TokKind::Quote(_) = kind {
        folded.push('"');
    } else if text.as_bytes()[start..end].is_ascii() {
        let bytes = &text.as_bytes()[start..end];
        cap = bytes.first().is_some_and(u8::is_ascii_uppercase);
        has_upper = bytes.iter().any(u8::is_ascii_uppercase);
        has_lower = bytes.iter().any(u8::is_ascii_lowercase);
        folded.extend(bytes.iter().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        for (i, c) in text[start..end].chars().enumerate() {
            if c.is_uppercase() {
                has_upper = true;
                cap |= i == 0;
            } else if c.is_lowercase() {
                has_lower = true;
            }
            crate::text::fold_char(c, folded);
        }
    }
    toks.push(Token {
        start,
        end,
        fstart,
        fend: folded.len(),
        kind,
        cap,
        has_upper,
        has_lower,
    });
}

/// Folds a whole phrase the way sentences are folded (tokens joined by one space), for alias keys.
pub fn fold_phrase(phrase: &str) -> String {
    let mut toks = Vec::new();
    let mut folded = String::new();
    tokenize(phrase, 0, phrase.len(), &[], &mut toks, &mut folded);
    folded
}

/// The folded words of a phrase, one per token.
pub fn fold_words(phrase: &str) -> Vec<String> {
    let mut toks = Vec::new();
    let mut folded = String::new();
    tokenize(phrase, 0, phrase.len(), &[], &mut toks, &mut folded);
    toks.iter()
        .filter(|t| t.kind == TokKind::Word)
        .map(|t| folded[t.fstart..t.fend].to_string())
        .collect()
}
