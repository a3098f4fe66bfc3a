//! Turning tokens into the terms the vocabulary counts: word n-grams and, optionally, character
//! n-grams taken within word boundaries.
//!
//! Character n-grams are written with a leading `#` and the word padded with `_`
//! (`#_ass`, `#ssa`), which cannot collide with word n-grams: words never hold `#`, `_` or spaces.

use super::tokenize::Words;

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
}

/// Collects the hash of each term (see `term_hash`), without building it.
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
}

/// How a negated word is written in word n-grams (`neg_place`). Words never hold `_`, so the mark
/// cannot be mistaken for part of a word.
pub const NEGATION_MARK: &str = "neg_";

const WORD_NGRAM_SEED: u64 = 0x5354_414e_4345_0001;
const WORD_SEED: u64 = 0x5354_414e_4345_0004;
const CHAR_NGRAM_SEED: u64 = 0x5354_414e_4345_0002;
const NEGATED_WORD_SEED: u64 = 0x5354_414e_4345_0003;

/// The hash of one word of a word n-gram: the word's bytes taken eight at a time (the last
/// group zero-padded), each group folded in with a multiply and rotate, the length and negation
/// mixed in; `combine` finishes it. Words are short, so this is one or two multiplications where
/// a general-purpose hash spends dozens of instructions on set-up.
pub(crate) fn word_hash(word: &[u8], negated: bool) -> u64 {
    let seed = if negated { NEGATED_WORD_SEED } else { WORD_SEED };
    hash_groups(word, 0..word.len(), seed, 0)
}

/// `word_hash(lower-cased word, false)` for the plain word at `span` of `text` (ASCII letters,
/// digits and `'`, as it stands in the text), lower-casing as it goes: setting bit 5 lower-cases a
/// letter and leaves digits and `'` as they are.
pub(crate) fn plain_word_hash(text: &[u8], span: std::ops::Range<usize>) -> u64 {
    hash_groups(text, span, WORD_SEED, 0x20)
}

/// The bytes of `text[span]`, each OR-ed with `set_bits`, eight at a time (the last group
/// zero-padded), folded into `seed`, then the length. Each group is one load from `text` (bytes
/// past the span are masked off), not eight byte copies: a load right after byte stores to the
/// same place would wait for them.
#[inline]
fn hash_groups(text: &[u8], span: std::ops::Range<usize>, seed: u64, set_bits: u8) -> u64 {
    let set = u64::from(set_bits) * 0x0101_0101_0101_0101;
    let mut hash = WordHash(seed);
    if let (Some(group), 1..=8) = (text.get(span.start..span.start + 8), span.len()) {
        // One group with eight bytes to load, as most words and character n-grams are: no loop.
        let mut eight = [0u8; 8];
        eight.copy_from_slice(group);
        hash.absorb(u64::from_le_bytes(eight) | set, span.len());
        return hash.finish(span.len());
    }
    let mut at = span.start;
    while at < span.end {
        hash.absorb(eight_bytes_at(text, at) | set, (span.end - at).min(8));
        at += 8;
    }
    hash.finish(span.len())
}

/// A word's hash built a group of eight bytes at a time, so that the tokenizer can hash a plain
/// word while it finds where it ends. There is no finaliser: a word's hash only ever enters a
/// term's hash through `combine`, which ends in one, and a finaliser, being a bijection, would
/// not make two words' hashes any less likely to be equal.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordHash(u64);

impl WordHash {
    /// The start of a plain (not negated) word's hash.
    pub(crate) fn plain() -> Self {
        WordHash(WORD_SEED)
    }

    /// Folds in the first `len` (1 to 8) bytes of `group`, little-endian as in the text; the
    /// rest of `group` is ignored.
    #[inline]
    pub(crate) fn absorb(&mut self, group: u64, len: usize) {
        let keep = u64::MAX >> (64 - 8 * len.clamp(1, 8));
        self.0 = absorb(self.0, group & keep);
    }

    /// The hash of the word of `len` bytes whose groups were absorbed.
    #[inline]
    pub(crate) fn finish(self, len: usize) -> u64 {
        self.0 ^ (len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }
}

/// The eight bytes of `text` from `at` as a little-endian `u64`, zero past the end of `text`.
#[inline]
pub(crate) fn eight_bytes_at(text: &[u8], at: usize) -> u64 {
    if let Some(group) = text.get(at..at + 8) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(group);
        return u64::from_le_bytes(eight);
    }
    if let Some(last) = text.len().checked_sub(8) {
        // The last eight bytes of the text, shifted so that byte `at` comes first.
        let mut eight = [0u8; 8];
        eight.copy_from_slice(&text[last..]);
        return u64::from_le_bytes(eight)
            .checked_shr(8 * (at - last) as u32)
            .unwrap_or(0);
    }
    text.get(at..)
        .unwrap_or_default()
        .iter()
        .rev()
        .fold(0, |group, &b| group << 8 | u64::from(b))
}

/// Folds eight bytes into a running hash.
fn absorb(h: u64, group: u64) -> u64 {
    (h ^ group.wrapping_mul(0x87c3_7b91_1142_53d5))
        .rotate_left(31)
        .wrapping_mul(0x4cf5_ad43_2745_937f)
}

/// The hash of a character n-gram, `bytes[span]` (without its `#` mark): its bytes hashed as a
/// word's are, under their own seed, then mixed. Grams are a few bytes long, so this is two or
/// three multiplications.
#[inline]
fn char_ngram_hash(bytes: &[u8], span: std::ops::Range<usize>) -> u64 {
    mix(hash_groups(bytes, span, CHAR_NGRAM_SEED, 0))
}

/// Extends an n-gram's hash by one word's hash; order matters ("go must" ≠ "must go"). The
/// n-gram so far is rotated before the word's bits join it, then mixed: for a fixed n-gram this
/// is a bijection of the word's hash.
fn combine(ngram: u64, word: u64) -> u64 {
    mix(ngram.rotate_left(23) ^ word)
}

/// One multiply and a fold of the high half into the low half: a bijection that makes the low
/// bits (which pick the index slot) depend on every input bit.
#[inline]
fn mix(h: u64) -> u64 {
    let h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^ (h >> 32)
}

/// The 64-bit hash of a term string, equal to what `TermHashes` computes for it from the words:
/// `word_hash` of each word chained with `combine`, so a statement's words are hashed once however
/// many n-grams they are part of; a character n-gram is hashed whole (`char_ngram_hash`). Hashes
/// live only in memory (the model file stores the terms), so this may change between versions;
/// `std`'s `DefaultHasher` is not used because it is seeded per process in `HashMap`s and
/// unspecified.
pub fn term_hash(term: &str) -> u64 {
    match term.strip_prefix('#') {
        Some(gram) => char_ngram_hash(gram.as_bytes(), 0..gram.len()),
        None => term.split(' ').fold(WORD_NGRAM_SEED, |h, word| {
            let hashed = match word.strip_prefix(NEGATION_MARK) {
                Some(rest) => word_hash(rest.as_bytes(), true),
                None => word_hash(word.as_bytes(), false),
            };
            combine(h, hashed)
        }),
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
    fn word_hashes_of_a_large_vocabulary_do_not_collide() {
        // Every 1-to-3-letter lower-case word and every number below 200,000: 18,278 + 200,000
        // short inputs, with the zero padding and the 8-byte boundary exercised.
        let mut seen = std::collections::HashSet::new();
        let letters = b"abcdefghijklmnopqrstuvwxyz";
        let mut words: Vec<Vec<u8>> = Vec::new();
        for &a in letters {
            words.push(vec![a]);
            for &b in letters {
                words.push(vec![a, b]);
                for &c in letters {
                    words.push(vec![a, b, c]);
                }
            }
        }
        words.extend((0..200_000u32).map(|n| format!("{n:09}").into_bytes()));
        for word in &words {
            assert!(seen.insert(word_hash(word, false)), "{word:?}");
            assert!(seen.insert(word_hash(word, true)), "{word:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn a_plain_word_hashes_in_place_as_its_lower_cased_copy(
            text in "[A-Za-z0-9' ]{0,40}",
            a in 0usize..41,
            b in 0usize..41,
        ) {
            let span = a.min(b).min(text.len())..a.max(b).min(text.len());
            let lower = text[span.clone()].to_ascii_lowercase();
            proptest::prop_assert_eq!(
                plain_word_hash(text.as_bytes(), span),
                word_hash(lower.as_bytes(), false)
            );
        }
    }

    /// The low 12 bits of the terms' hashes (the slot of a 4,096-slot index) must fill evenly
    /// (chi-square per degree of freedom near 1), and their top 24 bits (the fingerprint) must be
    /// about as distinct as random ones.
    fn assert_hashes_spread_evenly(terms: &[String]) {
        let mut counts = vec![0u32; 1 << 12];
        let mut fingerprints = std::collections::HashSet::new();
        for term in terms {
            let hash = term_hash(term);
            counts[(hash & 0xfff) as usize] += 1;
            fingerprints.insert(hash >> 40);
        }
        let mean = terms.len() as f64 / counts.len() as f64;
        let chi2: f64 = counts.iter().map(|&c| (f64::from(c) - mean).powi(2) / mean).sum();
        let per_freedom = chi2 / (counts.len() - 1) as f64;
        assert!(
            (0.9..1.1).contains(&per_freedom),
            "chi-square per degree of freedom {per_freedom}"
        );
        let n = terms.len() as f64;
        let expected_shared = n * n / 2.0 / f64::from(1u32 << 24);
        let shared = (terms.len() - fingerprints.len()) as f64;
        assert!(
            shared < 2.0 * expected_shared + 10.0,
            "{shared} shared, {expected_shared} expected"
        );
    }

    #[test]
    fn word_ngram_hashes_spread_evenly_over_the_index_slots() {
        // 75,660 uni-, bi- and trigrams of 60 look-alike words.
        let words: Vec<String> = (0..60).map(|i| format!("w{i}")).collect();
        let mut terms = Vec::new();
        for a in &words {
            terms.push(a.clone());
            for b in &words {
                terms.push(format!("{a} {b}"));
                terms.extend(words.iter().take(20).map(|c| format!("{a} {b} {c}")));
            }
        }
        assert_hashes_spread_evenly(&terms);
    }

    #[test]
    fn char_ngram_hashes_spread_evenly_over_the_index_slots() {
        // Every 2- and 3-letter gram, and 4- and 5-grams over a few letters, padded or not.
        let letters: Vec<char> = "abcdefghijklmnopqrstuvwxyz_".chars().collect();
        let mut terms = Vec::new();
        for &a in &letters {
            for &b in &letters {
                terms.push(format!("#{a}{b}"));
                for &c in &letters {
                    terms.push(format!("#{a}{b}{c}"));
                    for &d in &letters[..6] {
                        terms.push(format!("#{a}{b}{c}{d}"));
                        terms.push(format!("#_{a}{b}{c}{d}"));
                    }
                }
            }
        }
        assert_hashes_spread_evenly(&terms);
    }

    #[test]
    fn word_order_negation_and_char_marks_change_the_hash() {
        let hashes = [
            term_hash("must go"),
            term_hash("go must"),
            term_hash("neg_go must"),
            term_hash("#go"),
            term_hash("go"),
            term_hash("must"),
        ];
        let distinct: std::collections::BTreeSet<u64> = hashes.iter().copied().collect();
        assert_eq!(distinct.len(), hashes.len());
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
