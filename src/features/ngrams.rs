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

/// FNV-1a, 64-bit: the named, stable hash used to look terms up without building their strings
/// (never `std`'s `DefaultHasher`, whose algorithm may change between Rust releases).
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

impl Fnv1a {
    /// The FNV-1a offset basis.
    pub fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    /// Feeds bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// The hash of everything fed.
    pub fn finish(self) -> u64 {
        self.0
    }
}

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a::new()
    }
}

/// The FNV-1a hash of a term's UTF-8 bytes.
pub fn term_hash(term: &str) -> u64 {
    let mut h = Fnv1a::new();
    h.write(term.as_bytes());
    h.finish()
}

/// Appends the hashes of the terms `word_ngrams` would build, in the same order, without
/// building them.
pub fn word_ngram_hashes(tokens: &[Token], range: NgramRange, out: &mut Vec<u64>) {
    for n in range.min..=range.max {
        for window in tokens.windows(n) {
            let mut h = Fnv1a::new();
            for (i, token) in window.iter().enumerate() {
                if i > 0 {
                    h.write(b" ");
                }
                h.write(token.text.as_bytes());
            }
            out.push(h.finish());
        }
    }
}

/// Appends the hashes of the terms `char_ngrams` would build, in the same order.
pub fn char_ngram_hashes(tokens: &[Token], range: NgramRange, out: &mut Vec<u64>) {
    let mut padded = String::new();
    let mut bounds: Vec<usize> = Vec::new();
    for token in tokens {
        padded.clear();
        padded.push('_');
        padded.push_str(&token.text);
        padded.push('_');
        bounds.clear();
        bounds.extend(padded.char_indices().map(|(i, _)| i));
        bounds.push(padded.len());
        let chars = bounds.len() - 1;
        for n in range.min..=range.max {
            for start in 0..chars.saturating_sub(n - 1) {
                let mut h = Fnv1a::new();
                h.write(b"#");
                h.write(&padded.as_bytes()[bounds[start]..bounds[start + n]]);
                out.push(h.finish());
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
    fn fnv1a_matches_its_published_test_vectors() {
        assert_eq!(term_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(term_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(term_hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn hashes_follow_the_terms_exactly() {
        for text in [
            "Assad must go",
            "François ﬁght — ça ira, don't",
            "a",
            "",
            "Ünïcödé 東京 war",
        ] {
            let tokens = tokenize(text);
            for range in [
                NgramRange::new(1, 2),
                NgramRange::new(1, 3),
                NgramRange::new(2, 5),
            ] {
                let (mut words, mut chars) = (Vec::new(), Vec::new());
                word_ngrams(&tokens, range, &mut words);
                char_ngrams(&tokens, range, &mut chars);
                let (mut word_hashes, mut char_hashes) = (Vec::new(), Vec::new());
                word_ngram_hashes(&tokens, range, &mut word_hashes);
                char_ngram_hashes(&tokens, range, &mut char_hashes);
                assert_eq!(
                    words.iter().map(|t| term_hash(t)).collect::<Vec<_>>(),
                    word_hashes,
                    "{text}"
                );
                assert_eq!(
                    chars.iter().map(|t| term_hash(t)).collect::<Vec<_>>(),
                    char_hashes,
                    "{text}"
                );
            }
        }
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
