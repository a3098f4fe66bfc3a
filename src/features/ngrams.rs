//! Turning tokens into the terms the vocabulary counts: word n-grams and, optionally, character
//! n-grams taken within word boundaries.
//!
//! Character n-grams are written with a leading `#` and the word padded with `_`
//! (`#_ass`, `#ssa`), which cannot collide with word n-grams: words never hold `#`, `_` or spaces.

use super::tokenize::Token;

/// An inclusive range of n-gram lengths, e.g. 1–2 for unigrams and bigrams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NgramRange {
    /// Shortest n-gram, at least 1.
    pub min: usize,
    /// Longest n-gram, at least `min`.
    pub max: usize,
}

impl NgramRange {
    /// A range from `min` to `max` inclusive.
    pub fn new(min: usize, max: usize) -> Self {
        NgramRange { min, max }
    }
}

impl std::fmt::Display for NgramRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.min, self.max)
    }
}

impl std::str::FromStr for NgramRange {
    type Err = String;

    /// Parses "1-2" (or "1,2", or a single "2" for 2-2).
    fn from_str(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split(['-', ',', ':']).map(str::trim).collect();
        let parse = |p: &str| {
            p.parse::<usize>()
                .map_err(|_| format!("expected a range like 1-2, found {s:?}"))
        };
        let (min, max) = match parts.as_slice() {
            [one] => (parse(one)?, parse(one)?),
            [a, b] => (parse(a)?, parse(b)?),
            _ => return Err(format!("expected a range like 1-2, found {s:?}")),
        };
        if min == 0 || max < min {
            return Err(format!(
                "expected 1 <= min <= max in an n-gram range, found {s:?}"
            ));
        }
        Ok(NgramRange { min, max })
    }
}

/// Appends the word n-grams of `tokens` (joined by single spaces) to `out`.
pub fn word_ngrams(tokens: &[Token], range: NgramRange, out: &mut Vec<String>) {
    for n in range.min..=range.max {
        for window in tokens.windows(n) {
            let mut term = String::with_capacity(window.iter().map(|t| t.text.len() + 1).sum());
            for (i, token) in window.iter().enumerate() {
                if i > 0 {
                    term.push(' ');
                }
                term.push_str(&token.text);
            }
            out.push(term);
        }
    }
}

/// Appends the character n-grams of every token, padded with `_` at both ends, to `out`.
pub fn char_ngrams(tokens: &[Token], range: NgramRange, out: &mut Vec<String>) {
    for token in tokens {
        let padded: Vec<char> = std::iter::once('_')
            .chain(token.text.chars())
            .chain(std::iter::once('_'))
            .collect();
        for n in range.min..=range.max {
            for window in padded.windows(n) {
                let mut term = String::with_capacity(n * 2 + 1);
                term.push('#');
                term.extend(window.iter());
                out.push(term);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokenize::tokenize;
    use super::*;

    #[test]
    fn unigrams_and_bigrams_in_text_order() {
        let mut out = Vec::new();
        word_ngrams(&tokenize("Assad must go"), NgramRange::new(1, 2), &mut out);
        assert_eq!(out, ["assad", "must", "go", "assad must", "must go"]);
    }

    #[test]
    fn ngrams_longer_than_the_text_give_nothing() {
        let mut out = Vec::new();
        word_ngrams(&tokenize("Assad"), NgramRange::new(2, 3), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn char_ngrams_stay_within_words() {
        let mut out = Vec::new();
        char_ngrams(&tokenize("no go"), NgramRange::new(3, 3), &mut out);
        assert_eq!(out, ["#_no", "#no_", "#_go", "#go_"]);
    }

    #[test]
    fn parses_ranges() {
        assert_eq!("1-2".parse::<NgramRange>().unwrap(), NgramRange::new(1, 2));
        assert_eq!("3".parse::<NgramRange>().unwrap(), NgramRange::new(3, 3));
        assert!("2-1".parse::<NgramRange>().is_err());
        assert!("0-1".parse::<NgramRange>().is_err());
        assert!("a-b".parse::<NgramRange>().is_err());
    }
}
