//! Splitting a statement into normalised word tokens.
//!
//! Tokens keep the byte span of the words they came from in the original text, so an explanation
//! can point back at the words; normalisation (NFKC, accent folding, apostrophe and case folding) is
//! applied per token, after the split, which is what makes those spans exact.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

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

/// Apostrophes and prime-like marks that all mean "'" inside a word.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}'
    )
}

/// Splits `text` into words: runs of letters and digits, with apostrophes kept between two of
/// them ("don't", "Syria's"). Everything else separates words.
pub fn split_words(text: &str) -> Vec<(usize, usize)> {
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

/// Normalises one word: NFKC, accents removed ("François" → "francois"), apostrophes made
/// straight, lower case.
pub fn normalize_word(word: &str) -> String {
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // NFKC and accent folding change nothing in plain ASCII letters and digits.
        return word.to_ascii_lowercase();
    }
    let compatible: String = word.nfkc().collect();
    compatible
        .nfd()
        .filter(|&c| !is_combining_mark(c))
        .map(|c| if is_apostrophe(c) { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Splits and normalises a statement into tokens, in text order.
pub fn tokenize(text: &str) -> Vec<Token> {
    split_words(text)
        .into_iter()
        .map(|(start, end)| Token {
            text: normalize_word(&text[start..end]),
            start,
            end,
        })
        .filter(|token| !token.text.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
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

    #[test]
    fn empty_and_symbol_only_text_gives_no_tokens() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" — … “ ” ").is_empty());
    }
}
