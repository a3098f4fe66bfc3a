//! Turning tokens into the terms the vocabulary counts: word n-grams and, optionally, character
//! n-grams taken within word boundaries.
//!
//! Character n-grams are written with a leading `#` and the word padded with `_`
//! (`#_ass`, `#ssa`), which cannot collide with word n-grams: words never hold `#`, `_` or spaces.

use super::hash::{char_ngram_hash, combine, tag_hash, word_hash, NEGATION_MARK, WORD_NGRAM_SEED};
use super::tokenize::Words;

/// An inclusive range of n-gram lengths, e.g. 1–2 for unigrams and bigrams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NgramRange {
    /// Shortest n-gram, at least 1.
    pub min: usize,
    /// Longest n-gram, at least `min`.
    pub max: usize,
}

/// Longest word n-gram accepted: longer ones are almost never seen twice, and each length adds a
/// term per word of every statement.
pub const MAX_WORD_NGRAM: usize = 8;

/// Longest character n-gram accepted.
pub const MAX_CHAR_NGRAM: usize = 10;

impl NgramRange {
    /// A range from `min` to `max` inclusive.
    pub fn new(min: usize, max: usize) -> Self {
        NgramRange { min, max }
    }

    /// Checks `1 <= min <= max <= longest`; `what` names the n-grams in the message.
    pub fn check(&self, what: &str, longest: usize) -> Result<(), String> {
        if self.min == 0 || self.max < self.min || self.max > longest {
            return Err(format!(
                "{what} n-gram lengths {self} are out of bounds (expected MIN-MAX with 1 <= MIN <= MAX <= {longest})"
            ));
        }
        Ok(())
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

/// Receives the terms of one statement. Fitting collects them as strings and scoring as hashes;
/// both take the word n-grams in the same order, by starting word and then length ("must",
/// "must go", "go"), each n-gram grown from the one before it, so an n-gram costs one step, not
/// n. A test holds the two to the same terms.
pub trait TermSink {
    /// Whether the sink reads the words' text (not only their hashes).
    fn needs_text(&self) -> bool {
        true
    }
    /// The word n-grams over the words at indices `kept` (joined by single spaces; a negated word
    /// is written `neg_` + word).
    fn word_ngrams(&mut self, words: &Words, kept: &[u32], range: NgramRange);
    /// A character n-gram, `bytes[span]`, given without its `#` mark; `bytes` may go on past
    /// the gram.
    fn char_ngram(&mut self, bytes: &[u8], span: std::ops::Range<usize>);
    /// A tag alone, written `@` + its text (`@assad`, `@lex--`).
    fn tag(&mut self, tag: &Tag);
    /// The word n-grams of the words `span` of `words` (every word, no negation marks), each
    /// written `@` + the tag's text + `~` + the n-gram (`@assad~must go`).
    fn tagged_ngrams(&mut self, tag: &Tag, words: &Words, span: std::ops::Range<usize>, range: NgramRange);
}

/// A feature family's mark on a term (`@assad`, `@assad~must go`), with its hash computed once.
/// Tags start with `@`, which words never hold, so tagged terms cannot be mistaken for words or
/// character n-grams (`#`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    text: String,
    hash: u64,
}

impl Tag {
    /// The tag of this text (written after the `@`; it must not hold `~`).
    pub fn new(text: &str) -> Tag {
        Tag {
            text: text.to_string(),
            hash: tag_hash(text.as_bytes()),
        }
    }

    /// The tag's text, without the `@`.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Collects terms as strings.
#[derive(Debug, Default, Clone)]
pub struct TermStrings {
    /// The terms, in the order emitted.
    pub terms: Vec<String>,
}

impl TermSink for TermStrings {
    fn word_ngrams(&mut self, words: &Words, kept: &[u32], range: NgramRange) {
        let mut ngram = String::new();
        for start in 0..kept.len() {
            ngram.clear();
            for (length, &word) in (1..=range.max).zip(&kept[start..]) {
                if length > 1 {
                    ngram.push(' ');
                }
                if words.spans()[word as usize].negated {
                    ngram.push_str(NEGATION_MARK);
                }
                ngram.push_str(words.text(word as usize));
                if length >= range.min {
                    self.terms.push(ngram.clone());
                }
            }
        }
    }

    fn char_ngram(&mut self, bytes: &[u8], span: std::ops::Range<usize>) {
        // Grams are cut at character boundaries of normalised words: always valid UTF-8.
        self.terms
            .push(format!("#{}", String::from_utf8_lossy(&bytes[span])));
    }

    fn tag(&mut self, tag: &Tag) {
        self.terms.push(format!("@{}", tag.text));
    }

    fn tagged_ngrams(&mut self, tag: &Tag, words: &Words, span: std::ops::Range<usize>, range: NgramRange) {
        let mut ngram = String::new();
        for start in span.clone() {
            ngram.clear();
            ngram.push('@');
            ngram.push_str(&tag.text);
            ngram.push('~');
            for (length, word) in (1..=range.max).zip(start..span.end) {
                if length > 1 {
                    ngram.push(' ');
                }
                ngram.push_str(words.text(word));
                if length >= range.min {
                    self.terms.push(ngram.clone());
                }
            }
        }
    }
}

/// Collects the hash of each term (see `hash::term_hash`), without building it.
#[derive(Debug, Default, Clone)]
pub struct TermHashes {
    /// The hashes, in the order emitted.
    pub hashes: Vec<u64>,
    /// The hash of each kept word, `neg_` mark included, when they are not simply the words'.
    word_hashes: Vec<u64>,
}

impl TermSink for TermHashes {
    fn needs_text(&self) -> bool {
        false
    }

    fn word_ngrams(&mut self, words: &Words, kept: &[u32], range: NgramRange) {
        let word_hashes = if kept.len() == words.len() && !words.any_negated() {
            words.hashes()
        } else {
            self.word_hashes.clear();
            self.word_hashes.extend(kept.iter().map(|&i| {
                let i = i as usize;
                match words.spans()[i].negated {
                    true => word_hash(words.text(i).as_bytes(), true),
                    false => words.hash(i),
                }
            }));
            &self.word_hashes
        };
        let n = word_hashes.len();
        self.hashes.reserve(n * (range.max - range.min + 1));
        for start in 0..n {
            let mut ngram = WORD_NGRAM_SEED;
            for (offset, &word) in word_hashes[start..n.min(start + range.max)].iter().enumerate() {
                ngram = combine(ngram, word);
                if offset + 1 >= range.min {
                    self.hashes.push(ngram);
                }
            }
        }
    }

    fn char_ngram(&mut self, bytes: &[u8], span: std::ops::Range<usize>) {
        self.hashes.push(char_ngram_hash(bytes, span));
    }

    fn tag(&mut self, tag: &Tag) {
        self.hashes.push(tag.hash);
    }

    fn tagged_ngrams(&mut self, tag: &Tag, words: &Words, span: std::ops::Range<usize>, range: NgramRange) {
        let word_hashes = &words.hashes()[span];
        let n = word_hashes.len();
        for start in 0..n {
            let mut ngram = tag.hash;
            for (offset, &word) in word_hashes[start..n.min(start + range.max)].iter().enumerate() {
                ngram = combine(ngram, word);
                if offset + 1 >= range.min {
                    self.hashes.push(ngram);
                }
            }
        }
    }
}

/// Reusable buffers for `char_ngrams`.
#[derive(Debug, Default, Clone)]
pub struct CharScratch {
    padded: Vec<u8>,
    bounds: Vec<usize>,
}

/// Emits the character n-grams of every word, padded with `_` at both ends and written with a
/// leading `#`.
pub fn char_ngrams(words: &Words, range: NgramRange, scratch: &mut CharScratch, sink: &mut impl TermSink) {
    for i in 0..words.len() {
        let word = words.text(i);
        let padded = &mut scratch.padded;
        padded.clear();
        padded.push(b'_');
        padded.extend_from_slice(word.as_bytes());
        padded.push(b'_');
        let padded_len = padded.len();
        // Zero bytes past the end, part of no gram, so that a gram's bytes can be loaded eight at
        // a time without running off the buffer.
        padded.extend_from_slice(&[0; 8]);
        if word.is_ascii() {
            for n in range.min..=range.max {
                for start in 0..(padded_len + 1).saturating_sub(n) {
                    sink.char_ngram(padded, start..start + n);
                }
            }
            continue;
        }
        scratch.bounds.clear();
        scratch.bounds.push(0);
        scratch.bounds.extend(word.char_indices().map(|(at, _)| at + 1));
        scratch.bounds.extend([word.len() + 1, word.len() + 2]);
        let chars = scratch.bounds.len() - 1;
        for n in range.min..=range.max {
            for start in 0..chars.saturating_sub(n - 1) {
                sink.char_ngram(padded, scratch.bounds[start]..scratch.bounds[start + n]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::hash::term_hash;

    fn words_of(text: &str) -> Words {
        let mut words = Words::default();
        words.read(text);
        words
    }

    fn all(words: &Words) -> Vec<u32> {
        (0..words.len() as u32).collect()
    }

    fn word_terms(text: &str, range: NgramRange) -> Vec<String> {
        let words = words_of(text);
        let mut sink = TermStrings::default();
        sink.word_ngrams(&words, &all(&words), range);
        sink.terms
    }

    fn char_terms(text: &str, range: NgramRange) -> Vec<String> {
        let mut sink = TermStrings::default();
        char_ngrams(&words_of(text), range, &mut CharScratch::default(), &mut sink);
        sink.terms
    }

    #[test]
    fn ngrams_by_start_then_length() {
        assert_eq!(
            word_terms("Assad must go", NgramRange::new(1, 2)),
            ["assad", "assad must", "must", "must go", "go"]
        );
        assert_eq!(
            word_terms("Assad must go now", NgramRange::new(2, 3)),
            ["assad must", "assad must go", "must go", "must go now", "go now"]
        );
    }

    #[test]
    fn ngrams_longer_than_the_text_give_nothing() {
        assert!(word_terms("Assad", NgramRange::new(2, 3)).is_empty());
    }

    #[test]
    fn char_ngrams_stay_within_words() {
        assert_eq!(
            char_terms("no go", NgramRange::new(3, 3)),
            ["#_no", "#no_", "#_go", "#go_"]
        );
        assert_eq!(char_terms("ça", NgramRange::new(2, 2)), ["#_c", "#ca", "#a_"]);
        assert_eq!(
            char_terms("東京", NgramRange::new(2, 3)),
            ["#_東", "#東京", "#京_", "#_東京", "#東京_"]
        );
    }

    #[test]
    fn hashes_follow_the_terms_exactly() {
        for text in [
            "Assad must go",
            "François ﬁght — ça ira, don't",
            "a",
            "",
            "Ünïcödé 東京 war",
            "We will not go there, never again",
        ] {
            let mut words = words_of(text);
            super::super::filters::mark_negation(text, &mut words);
            for range in [
                NgramRange::new(1, 2),
                NgramRange::new(1, 3),
                NgramRange::new(2, 5),
            ] {
                let (mut strings, mut hashes) = (TermStrings::default(), TermHashes::default());
                // Every word, then every other word (as stop-word removal leaves them).
                let every_other: Vec<u32> = all(&words).into_iter().step_by(2).collect();
                for kept in [all(&words), every_other] {
                    strings.word_ngrams(&words, &kept, range);
                    hashes.word_ngrams(&words, &kept, range);
                }
                let mut scratch = CharScratch::default();
                char_ngrams(&words, range, &mut scratch, &mut strings);
                char_ngrams(&words, range, &mut scratch, &mut hashes);
                assert_eq!(
                    strings.terms.iter().map(|t| term_hash(t)).collect::<Vec<_>>(),
                    hashes.hashes,
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
