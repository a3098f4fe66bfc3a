//! The crate's one text fold: how two spellings of the same words are made equal.
//!
//! Extraction (alias keys and word lists), the featurizer (every non-ASCII word), the report's
//! `--speaker` filter and, through the featurizer, the label checker's near-duplicate test all
//! compare text after [`fold_char`]: compatibility decomposition (NFKD: `ﬁ` is `fi`, full-width
//! `Ｉ` is `I`), combining marks removed (`François` is `Francois`), curly apostrophes and primes
//! made `'`, dashes made `-`, no-break and thin spaces made a space, and lower case. It works one
//! character at a time, so a caller can keep the byte offsets of what it folded.
//!
//! Plain ASCII other than the backtick folds to its lower case; hot paths that already know a word is ASCII letters and
//! digits lower-case it themselves (a test holds them to this function).

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Appends the folded form of `c` to `out` (see the module documentation).
#[inline]
pub fn fold_char(c: char, out: &mut String) {
    if c == '`' {
        out.push('\'');
        return;
    }
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    decompose_compatible(c, |d| {
        if d.is_ascii() && d != '`' {
            out.push(d.to_ascii_lowercase());
        } else if is_combining_mark(d) {
            // accents: `é` is `e`
        } else if is_apostrophe(d) {
            out.push('\'');
        } else if is_dash(d) {
            out.push('-');
        } else if is_space(d) {
            out.push(' ');
        } else {
            out.extend(d.to_lowercase());
        }
    });
}

/// Appends the folded form of `text` to `out`.
pub fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() && !text.contains('`') {
        let start = out.len();
        out.push_str(text);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in text.chars() {
        fold_char(c, out);
    }
}

/// The folded form of `text`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Apostrophes, single quotation marks and primes other than `'` (folded to `'`).
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '′' | '`' | '´')
}

/// Hyphens, dashes and the minus sign other than `-` (folded to `-`).
fn is_dash(c: char) -> bool {
    matches!(c, '‐' | '‑' | '‒' | '–' | '—' | '−')
}

/// No-break and thin spaces (folded to a space).
fn is_space(c: char) -> bool {
    matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// The featurizer's original definition: NFKC, then NFD without combining marks, apostrophes
    /// straightened, lower case.
    fn reference(word: &str) -> String {
        let compatible: String = word.nfkc().collect();
        compatible
            .nfd()
            .filter(|&c| !is_combining_mark(c))
            .map(|c| if is_apostrophe(c) { '\'' } else { c })
            .flat_map(char::to_lowercase)
            .collect()
    }

    #[test]
    fn folds_case_accents_apostrophes_and_compatibility_forms() {
        assert_eq!(fold("François HOLLANDE"), "francois hollande");
        assert_eq!(fold("Syria’s"), "syria's");
        assert_eq!(fold("ﬁght ＩＳＩＳ"), "fight isis");
        assert_eq!(fold("al‑Assad"), "al-assad");
        assert_eq!(fold("10\u{a0}000"), "10 000");
        assert_eq!(fold("İstanbul"), "istanbul");
    }

    #[test]
    fn ascii_fast_path_is_lower_case() {
        for word in ["Assad", "ISIS", "don't", "x86", ""] {
            assert_eq!(fold(word), word.to_ascii_lowercase());
        }
        assert_eq!(fold("don`t"), "don't");
    }

    proptest::proptest! {
        /// On words (letters, digits and inner apostrophes: what the featurizer folds) the fold
        /// equals the featurizer's original NFKC-based definition.
        #[test]
        fn equals_the_nfkc_definition_on_words(word in "[\\p{L}\\p{N}]([\\p{L}\\p{N}\\p{M}'’‘ʼ′`´]{0,12}[\\p{L}\\p{N}])?") {
            proptest::prop_assert_eq!(fold(&word), reference(&word));
        }
    }
}
