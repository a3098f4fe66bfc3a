//! The named, stable hashes behind the featurizer's lookups: a word's hash built eight bytes at a
//! time (so the tokenizer can hash a word while it finds its end), n-gram hashes grown word by
//! word, and character-gram hashes.
//!
//! A leaf shared by `tokenize` (word hashes) and `ngrams` (n-gram hashes); `term_hash` gives the
//! same number from a term's string, which is how the vocabulary's index is built. Hashes live
//! only in memory: the model file stores the terms, never a hash.

/// How a negated word is written in word n-grams (`neg_place`). Words never hold `_`, so the mark
/// cannot be mistaken for part of a word.
pub const NEGATION_MARK: &str = "neg_";

pub(crate) const WORD_NGRAM_SEED: u64 = 0x5354_414e_4345_0001;
const WORD_SEED: u64 = 0x5354_414e_4345_0004;
const CHAR_NGRAM_SEED: u64 = 0x5354_414e_4345_0002;
const NEGATED_WORD_SEED: u64 = 0x5354_414e_4345_0003;
const TAG_SEED: u64 = 0x5354_414e_4345_0005;

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
pub(crate) fn char_ngram_hash(bytes: &[u8], span: std::ops::Range<usize>) -> u64 {
    mix(hash_groups(bytes, span, CHAR_NGRAM_SEED, 0))
}

/// Extends an n-gram's hash by one word's hash; order matters ("go must" ≠ "must go"). The
/// n-gram so far is rotated before the word's bits join it, then mixed: for a fixed n-gram this
/// is a bijection of the word's hash.
pub(crate) fn combine(ngram: u64, word: u64) -> u64 {
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
/// many n-grams they are part of; a character n-gram is hashed whole (`char_ngram_hash`); a tag
/// (`@assad`) is `tag_hash` of its text, and a tagged n-gram (`@assad~must go`) chains its words
/// onto that. Hashes live only in memory (the model file stores the terms), so this may change
/// between versions; `std`'s `DefaultHasher` is not used because it is seeded per process in
/// `HashMap`s and unspecified.
pub fn term_hash(term: &str) -> u64 {
    let chain = |seed: u64, ngram: &str| {
        ngram.split(' ').fold(seed, |h, word| {
            let hashed = match word.strip_prefix(NEGATION_MARK) {
                Some(rest) => word_hash(rest.as_bytes(), true),
                None => word_hash(word.as_bytes(), false),
            };
            combine(h, hashed)
        })
    };
    if let Some(gram) = term.strip_prefix('#') {
        return char_ngram_hash(gram.as_bytes(), 0..gram.len());
    }
    match term.strip_prefix('@').map(|tagged| tagged.split_once('~')) {
        Some(Some((tag, ngram))) => chain(tag_hash(tag.as_bytes()), ngram),
        Some(None) => tag_hash(&term.as_bytes()[1..]),
        None => chain(WORD_NGRAM_SEED, term),
    }
}

/// The hash of a tag's text: a tag alone is a term of this hash, and a tagged n-gram chains its
/// words onto it with `combine` as a plain n-gram chains them onto its seed.
pub(crate) fn tag_hash(text: &[u8]) -> u64 {
    mix(hash_groups(text, 0..text.len(), TAG_SEED, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
