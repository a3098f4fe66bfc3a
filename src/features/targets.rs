//! Target-aware features: what a statement says *near* the words that name a target.
//!
//! A bag of n-grams weighs "strike" for military action whatever surrounds it, so "we condemn this
//! strike" and "we must strike" look alike. These features look at the target's mentions: a
//! per-target lexicon (stored in the model file, so a model always featurizes as it was trained)
//! finds them; then, per target, `@target` counts the mentions, `@target~n-gram` are the word
//! n-grams within a window of words around a mention, and `@target!cue` counts negation and
//! opposition cues ("oppose", "illegal", "rule out", "no military solution") inside that window.
//! Each family is a set of ordinary terms, so the vocabulary, weighting and both scoring paths
//! treat them like any other n-gram.

use serde::{Deserialize, Serialize};

use super::ngrams::{NgramRange, Tag, TermSink};
use super::tokenize::Words;
use super::word_table::WordTable;

/// The phrases that mention one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetLexicon {
    /// The target (a task name: `assad`, `military_action`); tags are written with it.
    pub name: String,
    /// Words or phrases that name the target, matched on normalised words ("the regime" is
    /// the words `the regime`; case and accents do not matter).
    pub mentions: Vec<String>,
}

/// Which target-aware features a featurizer emits, with the word lists they use.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TargetFeatures {
    /// One lexicon per target.
    pub targets: Vec<TargetLexicon>,
    /// Negation and opposition cue phrases.
    pub cues: Vec<String>,
    /// Emit `@target` once per mention.
    pub mentions: bool,
    /// Emit the word n-grams of the window around each mention as `@target~n-gram`.
    pub window_ngrams: bool,
    /// Emit `@target!cue` once per cue inside a window.
    pub window_cues: bool,
    /// Words on each side of a mention that its window holds.
    pub window: usize,
    /// The lexicons as word hashes, built on first use (not stored).
    #[serde(skip)]
    compiled: std::sync::OnceLock<Compiled>,
}

impl PartialEq for TargetFeatures {
    fn eq(&self, other: &Self) -> bool {
        (
            &self.targets,
            &self.cues,
            self.mentions,
            self.window_ngrams,
            self.window_cues,
            self.window,
        ) == (
            &other.targets,
            &other.cues,
            other.mentions,
            other.window_ngrams,
            other.window_cues,
            other.window,
        )
    }
}

/// Mentions of Assad and his rule (guideline, task `assad`).
const ASSAD_MENTIONS: &[&str] = &[
    "assad",
    "assad's",
    "bashar",
    "regime",
    "regime's",
    "damascus",
    "dictator",
    "syrian government",
    "syrian government's",
    "syrian president",
    "syrian leader",
    "syrian regime",
    "syrian authorities",
    "syrian army",
    "syrian forces",
    "government forces",
    "president of syria",
    "his government",
    "his forces",
    "his regime",
];

/// Mentions of military force (guideline, task `military_action`, rule M-7).
const MILITARY_MENTIONS: &[&str] = &[
    "strike",
    "strikes",
    "struck",
    "airstrike",
    "airstrikes",
    "bomb",
    "bombs",
    "bombed",
    "bombing",
    "bombings",
    "bombard",
    "bombardment",
    "bombardments",
    "air campaign",
    "air power",
    "air raids",
    "troops",
    "boots on the ground",
    "soldiers",
    "intervention",
    "intervene",
    "military",
    "military action",
    "military force",
    "use of force",
    "force",
    "attack",
    "attacks",
    "war",
    "fight",
    "fighting",
    "campaign",
    "operation",
    "operations",
    "offensive",
    "no fly zone",
    "jets",
    "warplanes",
    "missile",
    "missiles",
    "arm",
    "arming",
    "deploy",
    "deployment",
    "destroy",
    "defeat",
    "coalition",
];

/// Negation and opposition cues (issue 13, and the guideline's `against` rules M-6, M-8).
const CUES: &[&str] = &[
    "no",
    "not",
    "never",
    "nor",
    "cannot",
    "can't",
    "won't",
    "don't",
    "shouldn't",
    "wouldn't",
    "against",
    "oppose",
    "opposes",
    "opposed",
    "reject",
    "rejects",
    "rejected",
    "illegal",
    "illegitimate",
    "unlawful",
    "unacceptable",
    "denounce",
    "denounces",
    "denounced",
    "condemn",
    "condemns",
    "condemned",
    "rule out",
    "ruled out",
    "rules out",
    "stop",
    "must stop",
    "halt",
    "end",
    "ceasefire",
    "withdraw",
    "withdrawal",
    "aggression",
    "violation",
    "crime",
    "crimes",
    "warn",
    "warned",
    "no military solution",
];

impl TargetFeatures {
    /// The project's lexicons for `assad` and `military_action` and cue list, with the given
    /// families switched on.
    pub fn standard(mentions: bool, window_ngrams: bool, window_cues: bool, window: usize) -> Self {
        let lexicon = |name: &str, words: &[&str]| TargetLexicon {
            name: name.to_string(),
            mentions: words.iter().map(|w| w.to_string()).collect(),
        };
        TargetFeatures {
            targets: vec![
                lexicon("assad", ASSAD_MENTIONS),
                lexicon("military_action", MILITARY_MENTIONS),
            ],
            cues: CUES.iter().map(|c| c.to_string()).collect(),
            mentions,
            window_ngrams,
            window_cues,
            window,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// Checks settings read from a file: names usable as tags, phrases with words.
    pub fn validate(&self) -> Result<(), String> {
        for target in &self.targets {
            if target.name.is_empty() || target.name.contains(['~', '!', ' ']) {
                return Err(format!(
                    "target lexicon name {:?} must be non-empty without `~`, `!` or spaces",
                    target.name
                ));
            }
        }
        let phrases = self.targets.iter().flat_map(|t| &t.mentions).chain(&self.cues);
        if let Some(empty) = phrases.into_iter().find(|p| phrase_hashes(p).is_empty()) {
            return Err(format!("target lexicon phrase {empty:?} has no word"));
        }
        Ok(())
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| Compiled::new(self))
    }

    /// Emits the target-aware terms of one statement's words.
    pub(crate) fn emit(
        &self,
        words: &Words,
        range: NgramRange,
        scratch: &mut TargetScratch,
        sink: &mut impl TermSink,
    ) {
        if !(self.mentions || self.window_ngrams || self.window_cues) {
            return;
        }
        let compiled = self.compiled();
        let hashes = words.hashes();
        scratch.matches.clear();
        for (i, &hash) in hashes.iter().enumerate() {
            let Some(candidates) = compiled.by_first_word.get(hash) else {
                continue;
            };
            for &p in candidates {
                let phrase = &compiled.phrases[p as usize];
                if hashes[i..].starts_with(&phrase.words) {
                    scratch.matches.push((i, i + phrase.words.len(), phrase.kind));
                }
            }
        }
        if scratch.matches.is_empty() {
            return;
        }
        for (t, tags) in compiled.tags.iter().enumerate() {
            let mentions = scratch
                .matches
                .iter()
                .filter(|m| m.2 == PhraseKind::Mention(t as u16));
            scratch.windows.clear();
            for &(start, end, _) in mentions {
                if self.mentions {
                    sink.tag(&tags.target);
                }
                let window = start.saturating_sub(self.window)..(end + self.window).min(hashes.len());
                match scratch.windows.last_mut() {
                    // Mentions come in text order: a window that reaches the last one extends it.
                    Some(last) if window.start <= last.end => last.end = last.end.max(window.end),
                    _ => scratch.windows.push(window),
                }
            }
            if self.window_ngrams {
                for window in &scratch.windows {
                    sink.tagged_ngrams(&tags.target, words, window.clone(), range);
                }
            }
            if self.window_cues {
                let in_window = |at: usize| scratch.windows.iter().any(|w| w.contains(&at));
                for &(start, _, kind) in &scratch.matches {
                    if kind == PhraseKind::Cue && in_window(start) {
                        sink.tag(&tags.cue);
                    }
                }
            }
        }
    }
}

/// Buffers reused from one statement to the next by `TargetFeatures::emit`.
#[derive(Debug, Default, Clone)]
pub(crate) struct TargetScratch {
    /// Phrases found: word span and kind, in text order.
    matches: Vec<(usize, usize, PhraseKind)>,
    /// One target's merged mention windows, in text order.
    windows: Vec<std::ops::Range<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PhraseKind {
    /// Names the target of this index.
    Mention(u16),
    Cue,
}

#[derive(Debug, Clone)]
struct Phrase {
    words: Vec<u64>,
    kind: PhraseKind,
}

/// The tags of one target.
#[derive(Debug, Clone)]
struct TargetTags {
    /// `@assad`, and `@assad~` on window n-grams.
    target: Tag,
    /// `@assad!cue`.
    cue: Tag,
}

/// The lexicons as word-hash phrases, indexed by their first word.
#[derive(Debug, Clone)]
struct Compiled {
    phrases: Vec<Phrase>,
    by_first_word: WordTable<Vec<u16>>,
    tags: Vec<TargetTags>,
}

/// The word hashes of a phrase, as `Words` reads them.
fn phrase_hashes(phrase: &str) -> Vec<u64> {
    let mut words = Words::default();
    words.read_hashes_only(phrase);
    words.hashes().to_vec()
}

impl Compiled {
    fn new(features: &TargetFeatures) -> Self {
        let mut phrases = Vec::new();
        for (t, target) in features.targets.iter().enumerate() {
            for mention in &target.mentions {
                phrases.push(Phrase {
                    words: phrase_hashes(mention),
                    kind: PhraseKind::Mention(t as u16),
                });
            }
        }
        for cue in &features.cues {
            phrases.push(Phrase {
                words: phrase_hashes(cue),
                kind: PhraseKind::Cue,
            });
        }
        phrases.retain(|p| !p.words.is_empty());
        let by_first_word = WordTable::new(
            phrases
                .iter()
                .enumerate()
                .map(|(i, p)| (p.words[0], vec![i as u16])),
            |list, more| list.extend(more),
        );
        let tags = features
            .targets
            .iter()
            .map(|t| TargetTags {
                target: Tag::new(&t.name),
                cue: Tag::new(&format!("{}!cue", t.name)),
            })
            .collect();
        Compiled {
            phrases,
            by_first_word,
            tags,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::ngrams::TermStrings;

    fn terms(features: &TargetFeatures, text: &str) -> Vec<String> {
        let mut words = Words::default();
        words.read(text);
        let mut sink = TermStrings::default();
        features.emit(
            &words,
            NgramRange::new(1, 2),
            &mut TargetScratch::default(),
            &mut sink,
        );
        sink.terms
    }

    #[test]
    fn mentions_windows_and_cues_of_each_target() {
        let features = TargetFeatures::standard(true, true, true, 1);
        assert_eq!(
            terms(&features, "We oppose the strikes on the Syrian government"),
            [
                "@assad",
                "@assad~the",
                "@assad~the syrian",
                "@assad~syrian",
                "@assad~syrian government",
                "@assad~government",
                "@military_action",
                "@military_action~the",
                "@military_action~the strikes",
                "@military_action~strikes",
                "@military_action~strikes on",
                "@military_action~on",
            ]
        );
        assert_eq!(
            terms(&features, "We will not strike"),
            [
                "@military_action",
                "@military_action~not",
                "@military_action~not strike",
                "@military_action~strike",
                "@military_action!cue",
            ]
        );
        assert!(terms(&features, "We are ready for this cooperation").is_empty());
    }

    #[test]
    fn overlapping_windows_merge_so_no_ngram_counts_twice() {
        let features = TargetFeatures::standard(false, true, false, 2);
        let found = terms(&features, "strikes and bombing");
        let mut distinct = found.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(found.len(), distinct.len(), "{found:?}");
        assert_eq!(found.len(), 5, "3 words, 2 bigrams: {found:?}");
    }

    #[test]
    fn the_standard_lexicons_are_valid_and_round_trip() {
        let features = TargetFeatures::standard(true, true, true, 4);
        assert_eq!(features.validate(), Ok(()));
        let json = serde_json::to_string(&features).unwrap();
        let back: TargetFeatures = serde_json::from_str(&json).unwrap();
        assert_eq!(back, features);
        let mut bad = features.clone();
        bad.targets[0].name = "as~sad".into();
        assert!(bad.validate().is_err());
    }
}
