//! Sentiment lexicon features: every word found in VADER's lexicon (Hutto & Gilbert, ICWSM 2014;
//! MIT licence, shipped as `lexicons/vader.tsv` with `lexicons/VADER-LICENSE.txt`) adds one term
//! for the sign and strength of its valence, flipped when one of the three words before it is a
//! negation, as VADER does: `@lex+1`, `@lex+2` (valence of 2 or more), `@lex-1`, `@lex-2`.
//!
//! The lexicon knows about 7,200 words rated by people, most of which a corpus of a few thousand
//! statements never shows with a label; four shared terms let the model learn what "a strongly
//! negative word" means for the tone of a statement once, for words it never saw in training.

use std::sync::OnceLock;

use super::filters::is_negation;
use super::ngrams::{Tag, TermSink};
use super::tokenize::Words;
use super::word_table::WordTable;

/// `word<TAB>mean valence` per line (VADER's `vader_lexicon.txt`, single lower-case words only).
const VADER: &str = include_str!("lexicons/vader.tsv");

/// Valences from this far from zero count as strong.
const STRONG: f32 = 2.0;

/// How far back a negation flips a word's valence (VADER's window).
const NEGATION_REACH: usize = 3;

/// VADER's scaling of a negated word's valence.
const NEGATED_SCALE: f32 = -0.74;

struct Lexicon {
    valence: WordTable<f32>,
    /// `@lex-2`, `@lex-1`, `@lex+1`, `@lex+2`.
    tags: [Tag; 4],
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut words = Words::default();
        let entries = VADER.lines().filter_map(|line| {
            let (word, valence) = line.split_once('\t')?;
            words.read_hashes_only(word);
            let valence: f32 = valence.trim().parse().ok()?;
            (words.len() == 1).then(|| (words.hash(0), valence))
        });
        Lexicon {
            valence: WordTable::new(entries.collect::<Vec<_>>(), |_, _| {}),
            tags: ["lex-2", "lex-1", "lex+1", "lex+2"].map(Tag::new),
        }
    })
}

/// Emits one term per lexicon word of the statement (`words` read with their text).
pub(crate) fn emit(words: &Words, sink: &mut impl TermSink) {
    let lexicon = lexicon();
    for (i, &hash) in words.hashes().iter().enumerate() {
        let Some(&valence) = lexicon.valence.get(hash) else {
            continue;
        };
        let negated = (i.saturating_sub(NEGATION_REACH)..i).any(|j| is_negation(words.text(j)));
        let valence = if negated { valence * NEGATED_SCALE } else { valence };
        let tag = match valence {
            v if v <= -STRONG => 0,
            v if v < 0.0 => 1,
            v if v < STRONG => 2,
            _ => 3,
        };
        sink.tag(&lexicon.tags[tag]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::ngrams::TermStrings;

    fn terms(text: &str) -> Vec<String> {
        let mut words = Words::default();
        words.read(text);
        let mut sink = TermStrings::default();
        emit(&words, &mut sink);
        sink.terms
    }

    #[test]
    fn valences_from_vaders_lexicon_with_negation() {
        // VADER: "great" 3.1, "good" 1.9, "war" -2.9, "worried" -1.2 (vader_lexicon.txt).
        assert_eq!(terms("a great and good war"), ["@lex+2", "@lex+1", "@lex-2"]);
        assert_eq!(terms("This is not good"), ["@lex-1"]);
        assert_eq!(terms("We are worried"), ["@lex-1"]);
        assert!(terms("the meeting is on Tuesday").is_empty());
    }

    #[test]
    fn the_shipped_lexicon_is_read_whole() {
        let rows = VADER.lines().count();
        assert!(rows > 7000, "{rows}");
        assert_eq!(
            lexicon()
                .valence
                .get(crate::features::hash::word_hash(b"great", false)),
            Some(&3.1)
        );
    }
}
