//! Optional token filters for word n-grams: stop-word removal and negation marking. Each is one
//! small step over the token list, off by default, kept only where cross-validation says so.

use super::tokenize::Words;

/// Function words dropped by `--stop-words`. Negations, modals and "against"/"for" are kept on
/// purpose: in stance they carry the meaning ("must not", "against strikes").
pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "between",
    "both",
    "by",
    "did",
    "do",
    "does",
    "doing",
    "during",
    "each",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "itself",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "with",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Words that open a negated span.
pub(crate) fn is_negation(word: &str) -> bool {
    matches!(
        word,
        "not" | "no" | "never" | "nor" | "cannot" | "without" | "neither" | "none" | "nothing"
    ) || word.ends_with("n't")
}

/// Whether `word` is in the stop list.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Marks every word after a negation up to the end of its clause (the next `.`, `,`, `;`, `:`,
/// `!` or `?` in the original text) as negated, so "no place" and "a place" give different terms
/// (`neg_place`).
pub fn mark_negation(text: &str, words: &mut Words) {
    let mut negated = false;
    let mut previous_end = 0;
    for i in 0..words.len() {
        let span = words.spans()[i];
        let gap = text.get(previous_end..span.start).unwrap_or("");
        if gap.contains(['.', ',', ';', ':', '!', '?']) {
            negated = false;
        }
        previous_end = span.end;
        if is_negation(words.text(i)) {
            negated = true;
            continue;
        }
        words.spans_mut()[i].negated = negated;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stop_list_is_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn stop_words_go_and_stance_words_stay() {
        let text = "We are not against the strikes, we must act";
        let mut words = Words::default();
        words.read(text);
        let kept: Vec<&str> = (0..words.len())
            .map(|i| words.text(i))
            .filter(|w| !is_stop_word(w))
            .collect();
        assert_eq!(kept, ["not", "against", "strikes", "must", "act"]);
    }

    #[test]
    fn negation_runs_to_the_end_of_the_clause() {
        let text = "Assad has no place in Syria's future, but he stays. We don't want war";
        let mut words = Words::default();
        words.read(text);
        mark_negation(text, &mut words);
        let marked: Vec<String> = (0..words.len())
            .map(|i| {
                let prefix = if words.spans()[i].negated { "neg_" } else { "" };
                format!("{prefix}{}", words.text(i))
            })
            .collect();
        assert_eq!(
            marked,
            [
                "assad",
                "has",
                "no",
                "neg_place",
                "neg_in",
                "neg_syria's",
                "neg_future",
                "but",
                "he",
                "stays",
                "we",
                "don't",
                "neg_want",
                "neg_war"
            ]
        );
    }
}
