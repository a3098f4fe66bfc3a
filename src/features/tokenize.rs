//! Splitting a statement into normalised word tokens.
//!
//! Words keep the byte span they came from in the original text, so an explanation can point back
//! at them; normalisation (NFKC, accent folding, apostrophe and case folding) is applied per word,
//! after the split, which is what makes those spans exact. `Words` holds one statement's words in
//! a buffer that is reused from statement to statement, so the scoring path allocates nothing once
//! warm; `tokenize` is the same split as owned tokens.

/// One word of a statement: its normalised form and where it stands in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalised word ("francois", "don't").
    pub text: String,
    /// Byte offset of the word's first character in the original text.
    pub start: usize,
    /// Byte offset just past the word's last character in the original text.
    pub end: usize,
}

/// Where one word of a `Words` buffer came from and what filters said about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordSpan {
    /// Byte offset of the word in the original text.
    pub start: usize,
    /// Byte offset just past the word in the original text.
    pub end: usize,
    /// Where its normalised form starts in the buffer.
    normalized_start: usize,
    /// Where its normalised form ends in the buffer.
    normalized_end: usize,
    /// Set by negation marking: word n-grams write it as `neg_` + the word.
    pub negated: bool,
}

/// The normalised words of one statement, back to back in one reusable buffer.
#[derive(Debug, Clone, Default)]
pub struct Words {
    buffer: String,
    /// One per word after `read`; none after `read_hashes_only`.
    spans: Vec<WordSpan>,
    /// `hash::word_hash` of each normalised word (not negated).
    hashes: Vec<u64>,
    /// Whether `buffer` and `spans` hold every word (else only the words that are not plain ASCII).
    has_text: bool,
}

impl Words {
    /// Replaces the contents with the words of `text`.
    pub fn read(&mut self, text: &str) {
        self.read_with(text, true);
    }

    /// Replaces the contents with the hashes of the words of `text`, without their spans or, for
    /// plain ASCII words, their normalised text: `text` and `spans` are then unavailable. The
    /// scoring path with word n-grams only needs nothing else.
    pub fn read_hashes_only(&mut self, text: &str) {
        self.read_with(text, false);
    }

    fn read_with(&mut self, text: &str, keep_text: bool) {
        self.buffer.clear();
        self.spans.clear();
        self.hashes.clear();
        self.has_text = keep_text;
        let bytes = text.as_bytes();
        let n = bytes.len();
        // Whether the character starting at byte `i` belongs in a word, and its length; only
        // non-ASCII characters are decoded.
        let word_char_at = |i: usize| -> (bool, usize) {
            match BYTE_CLASS[usize::from(bytes[i])] {
                ALNUM => (true, 1),
                NON_ASCII => {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    (c.is_alphanumeric(), c.len_utf8())
                }
                _ => (false, 1),
            }
        };
        let mut i = 0;
        while i < n {
            i += bytes[i..]
                .iter()
                .position(|&b| BYTE_CLASS[usize::from(b)] & STARTS_WORD != 0)
                .unwrap_or(n - i);
            if i == n {
                break;
            }
            let start = i;
            if BYTE_CLASS[usize::from(bytes[i])] == ALNUM {
                // The common case, a run of ASCII letters and digits, is hashed as its end is found.
                let (end, hash) = plain_run(bytes, i);
                i = end;
                // An ASCII byte other than an apostrophe cannot continue the word.
                let may_continue = matches!(bytes.get(i), Some(&b) if b >= 0x80 || b == b'\'' || b == b'`');
                if !may_continue {
                    self.push_plain(text, start..i, hash);
                    continue;
                }
            } else {
                let (is_word, width) = word_char_at(i);
                i += width;
                if !is_word {
                    continue;
                }
            }
            // Plain: ASCII letters, digits and straight apostrophes, which normalise by lower-casing.
            let mut plain = BYTE_CLASS[usize::from(bytes[start])] == ALNUM;
            loop {
                i += ascii_alnum_run(&bytes[i..]);
                if i == n {
                    break;
                }
                let (c, width) = match bytes[i] {
                    b @ 0..=0x7f => (char::from(b), 1),
                    _ => {
                        let c = text[i..].chars().next().unwrap_or(' ');
                        (c, c.len_utf8())
                    }
                };
                let continues =
                    c.is_alphanumeric() || (is_apostrophe(c) && i + width < n && word_char_at(i + width).0);
                if !continues {
                    break;
                }
                plain &= c == '\'';
                i += width;
            }
            if plain {
                self.push_plain(text, start..i, super::hash::plain_word_hash(bytes, start..i));
                continue;
            }
            let normalized_start = self.buffer.len();
            normalize_word_into(&text[start..i], &mut self.buffer);
            if self.buffer.len() > normalized_start {
                let word = &self.buffer.as_bytes()[normalized_start..];
                self.hashes.push(super::hash::word_hash(word, false));
                if keep_text {
                    self.spans.push(WordSpan {
                        start,
                        end: i,
                        normalized_start,
                        normalized_end: self.buffer.len(),
                        negated: false,
                    });
                }
            }
        }
    }

    /// Adds the plain word at `span` of `text` (it normalises by lower-casing), of this hash.
    #[inline]
    fn push_plain(&mut self, text: &str, span: std::ops::Range<usize>, hash: u64) {
        self.hashes.push(hash);
        if self.has_text {
            self.push_plain_text(text, span);
        }
    }

    /// The text and span of a plain word, when `read` keeps them.
    fn push_plain_text(&mut self, text: &str, span: std::ops::Range<usize>) {
        let normalized_start = self.buffer.len();
        self.buffer.push_str(&text[span.clone()]);
        self.buffer[normalized_start..].make_ascii_lowercase();
        self.spans.push(WordSpan {
            start: span.start,
            end: span.end,
            normalized_start,
            normalized_end: self.buffer.len(),
            negated: false,
        });
    }

    /// `read` the plain way, word spans first and then each word normalised: the reference the
    /// fused loop of `read` is tested against.
    #[cfg(test)]
    fn read_reference(&mut self, text: &str) {
        self.buffer.clear();
        self.spans.clear();
        self.hashes.clear();
        self.has_text = true;
        for (start, end) in split_words(text) {
            let normalized_start = self.buffer.len();
            normalize_word_into(&text[start..end], &mut self.buffer);
            if self.buffer.len() > normalized_start {
                self.spans.push(WordSpan {
                    start,
                    end,
                    normalized_start,
                    normalized_end: self.buffer.len(),
                    negated: false,
                });
                let word = &self.buffer.as_bytes()[normalized_start..];
                self.hashes.push(super::hash::word_hash(word, false));
            }
        }
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether the statement has no word.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The spans of the words, in text order. Only after `read`, not `read_hashes_only`.
    pub fn spans(&self) -> &[WordSpan] {
        assert!(self.has_text, "Words::spans after read_hashes_only");
        &self.spans
    }

    /// The spans, for filters that mark words. Only after `read`.
    pub fn spans_mut(&mut self) -> &mut [WordSpan] {
        assert!(self.has_text, "Words::spans_mut after read_hashes_only");
        &mut self.spans
    }

    /// Whether negation marking marked any word.
    pub fn any_negated(&self) -> bool {
        self.spans.iter().any(|span| span.negated)
    }

    /// The normalised form of word `i` (without any `neg_` mark). Only after `read`, not
    /// `read_hashes_only`.
    pub fn text(&self, i: usize) -> &str {
        assert!(self.has_text, "Words::text after read_hashes_only");
        let span = &self.spans[i];
        &self.buffer[span.normalized_start..span.normalized_end]
    }

    /// The hash of word `i` as word n-grams use it (`hash::term_hash` of the word alone is
    /// derived from it).
    pub fn hash(&self, i: usize) -> u64 {
        self.hashes[i]
    }

    /// `hash` of every word, in text order.
    pub fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    /// The words as owned tokens.
    pub fn to_tokens(&self) -> Vec<Token> {
        (0..self.len())
            .map(|i| Token {
                text: self.text(i).to_string(),
                start: self.spans[i].start,
                end: self.spans[i].end,
            })
            .collect()
    }
}

/// Byte classes for `Words::read`: an ASCII letter or digit, a byte of a non-ASCII character
/// (decoded to decide), or anything else (a separator, or an apostrophe decided by its neighbours).
const ALNUM: u8 = 1 | STARTS_WORD;
const NON_ASCII: u8 = 2 | STARTS_WORD;
const OTHER: u8 = 0;
/// Set on the classes that can start a word.
const STARTS_WORD: u8 = 4;

const BYTE_CLASS: [u8; 256] = {
    let mut classes = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        classes[b] = if byte.is_ascii_alphanumeric() {
            ALNUM
        } else if byte >= 0x80 {
            NON_ASCII
        } else {
            OTHER
        };
        b += 1;
    }
    classes
};

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// How many of the eight bytes of `group` (little-endian) are ASCII letters or digits before the
/// first that is not: 0 to 8, found without a branch per byte (words end at unpredictable
/// places, and a mispredicted branch costs more than this).
#[inline]
fn alnum_prefix(group: u64) -> usize {
    // Per byte, with its top bit cleared so the additions below cannot carry into the next
    // byte: the top bit of `v + (0x80 - lo) * ONES` says v >= lo.
    let low7 = group & !HIGH;
    let lower = low7 | (0x20 * ONES);
    let letter = (lower + (0x80 - 0x61) * ONES) & !(lower + (0x7f - 0x7a) * ONES);
    let digit = (low7 + (0x80 - 0x30) * ONES) & !(low7 + (0x7f - 0x39) * ONES);
    let alnum = (letter | digit) & !group & HIGH;
    ((!alnum & HIGH).trailing_zeros() / 8) as usize
}

/// Length of the run of ASCII letters and digits at the start of `bytes`, eight bytes at a time.
fn ascii_alnum_run(bytes: &[u8]) -> usize {
    let mut run = 0;
    while run < bytes.len() {
        let prefix = alnum_prefix(super::hash::eight_bytes_at(bytes, run));
        run += prefix;
        if prefix < 8 {
            break;
        }
    }
    run.min(bytes.len())
}

/// The end of the run of ASCII letters and digits that starts at `start`, and the
/// `hash::plain_word_hash` of that run: each group of eight bytes is loaded once, to find the
/// run's end and to hash it.
#[inline]
fn plain_run(bytes: &[u8], start: usize) -> (usize, u64) {
    let mut hash = super::hash::WordHash::plain();
    let mut end = start;
    while end < bytes.len() {
        let group = super::hash::eight_bytes_at(bytes, end);
        let prefix = alnum_prefix(group);
        if prefix > 0 {
            hash.absorb(group | (0x20 * ONES), prefix);
        }
        end += prefix;
        if prefix < 8 {
            break;
        }
    }
    (end, hash.finish(end - start))
}

/// Apostrophes and prime-like marks that all mean "'" inside a word.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}'
    )
}

/// The byte spans of the words of `text`: runs of letters and digits, with apostrophes kept
/// between two of them ("don't", "Syria's"); everything else separates words. The plain
/// reference for `Words::read`.
#[cfg(test)]
fn split_words(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        let next_is_alnum = chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
        if is_apostrophe(c) && start.is_some() && next_is_alnum {
            continue;
        }
        if let Some(s) = start.take() {
            spans.push((s, i));
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// Appends the normalised form of one word to `out`: the crate's one fold ([`crate::text::fold`]:
/// compatibility forms, accents removed ("François" → "francois"), apostrophes made straight,
/// lower case); plain ASCII words are only lower-cased, which is what the fold does to them.
pub fn normalize_word_into(word: &str, out: &mut String) {
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // NFKC and accent folding change nothing in plain ASCII letters and digits.
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
        return;
    }
    crate::text::fold_into(word, out);
}

/// The normalised form of one word (see `normalize_word_into`).
pub fn normalize_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_word_into(word, &mut out);
    out
}

/// Splits and normalises a statement into tokens, in text order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut words = Words::default();
    words.read(text);
    words.to_tokens()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    proptest::proptest! {
        /// `Words::read` lower-cases plain words (ASCII letters, digits, straight apostrophes)
        /// itself instead of calling the crate's fold: the same result.
        #[test]
        fn plain_word_fast_path_equals_the_crate_fold(word in "[A-Za-z0-9]{1,6}('[A-Za-z0-9]{1,6}){0,2}") {
            let mut words = Words::default();
            words.read(&word);
            proptest::prop_assert_eq!(words.to_tokens()[0].text.clone(), crate::text::fold(&word));
        }
    }

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(words("François HOLLANDE"), ["francois", "hollande"]);
        assert_eq!(normalize_word("François"), normalize_word("Francois"));
    }

    #[test]
    fn keeps_apostrophes_inside_words_and_straightens_them() {
        assert_eq!(words("Syria’s future, don't"), ["syria's", "future", "don't"]);
        assert_eq!(words("‘quoted’"), ["quoted"]);
    }

    #[test]
    fn nfkc_unfolds_compatibility_characters() {
        // U+FB01 LATIN SMALL LIGATURE FI and full-width letters.
        assert_eq!(words("ﬁght ＩＳＩＳ"), ["fight", "isis"]);
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "«Assad» doit partir, dit François.";
        for token in tokenize(text) {
            let original = &text[token.start..token.end];
            assert_eq!(normalize_word(original), token.text);
        }
        assert_eq!(tokenize(text).last().unwrap().text, "francois");
    }

    #[test]
    fn hyphens_and_punctuation_split_words() {
        assert_eq!(
            words("al-Assad's army: 30,000"),
            ["al", "assad's", "army", "30", "000"]
        );
    }

    fn agrees_with_the_reference(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let (mut fused, mut reference, mut hashed) = (Words::default(), Words::default(), Words::default());
        fused.read(text);
        reference.read_reference(text);
        hashed.read_hashes_only(text);
        proptest::prop_assert_eq!(fused.to_tokens(), reference.to_tokens(), "{:?}", text);
        proptest::prop_assert_eq!(fused.spans(), reference.spans(), "{:?}", text);
        proptest::prop_assert_eq!(fused.hashes(), reference.hashes(), "{:?}", text);
        proptest::prop_assert_eq!(hashed.hashes(), reference.hashes(), "{:?}", text);
        proptest::prop_assert!(hashed.spans.is_empty(), "{:?}", text);
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn alnum_runs_are_found_eight_bytes_at_a_time_as_one_at_a_time(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..40)) {
            let expected = bytes.iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(bytes.len());
            proptest::prop_assert_eq!(ascii_alnum_run(&bytes), expected);
        }

        #[test]
        fn the_fused_loop_reads_the_same_words_in_ascii(text in "[ -~]{0,60}") {
            agrees_with_the_reference(&text)?;
        }

        #[test]
        fn the_fused_loop_reads_the_same_words_in_any_text(text in "[ a-z'`’‘ʼ´éÉçßﬁ０-９東\u{0301}\u{2028}.,-]{0,40}") {
            agrees_with_the_reference(&text)?;
        }
    }

    #[test]
    fn alnum_runs_stop_at_every_kind_of_byte() {
        for stop in (0..=255u8).filter(|b| !b.is_ascii_alphanumeric()) {
            for at in 0..12 {
                let mut bytes = b"aZ09mM5xyQ0aB".to_vec();
                bytes[at] = stop;
                assert_eq!(ascii_alnum_run(&bytes), at, "byte {stop:#x} at {at}");
            }
        }
        assert_eq!(ascii_alnum_run(b"abcdefghijklmnopq"), 17);
    }

    #[test]
    fn apostrophes_and_marks_read_as_in_the_reference() {
        for text in [
            "don't `quote` rock`n`roll o'",
            "'a' b'' c'd'e",
            "x`Y",
            "Syria’s ‘x’ e\u{301}te",
        ] {
            agrees_with_the_reference(text).unwrap();
        }
    }

    #[test]
    fn empty_and_symbol_only_text_gives_no_tokens() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" — … “ ” ").is_empty());
    }
}
