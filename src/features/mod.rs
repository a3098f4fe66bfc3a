//! Stage 3 of the pipeline: statement text → a sparse feature vector.
//!
//! A featurizer is plain, serialisable configuration plus what it learned at fit time (vocabulary
//! and IDF); the model file stores it, so training and prediction run the very same code path.
//! Vectors are sparse (column, value) lists in the order the terms first occur in the text, so
//! building one needs no sort; prediction never builds a dense row.

pub mod filters;
pub mod hash;
mod hash_index;
pub mod ngrams;
mod sentiment_lexicon;
pub mod targets;
pub mod tokenize;
pub mod vocabulary;
pub mod weighting;
mod word_table;

use serde::{Deserialize, Serialize};

use hash_index::HashIndex;

pub use ngrams::{NgramRange, MAX_CHAR_NGRAM, MAX_WORD_NGRAM};
pub use targets::{TargetFeatures, TargetLexicon};
pub use tokenize::{tokenize, Token, Words};
pub use vocabulary::{Vocabulary, VocabularyLimits};
pub use weighting::Weighting;

/// How statements are turned into features: plain data, stored in the model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeaturizerConfig {
    /// Word n-gram lengths (default 1–2).
    pub word_ngrams: NgramRange,
    /// Character n-gram lengths within words, or none (default 2–5: +4 to +8 points of grouped-CV
    /// macro-F1 on the project's labels over word n-grams alone).
    pub char_ngrams: Option<NgramRange>,
    /// Minimum number of training statements a term must occur in (default 2).
    pub min_df: usize,
    /// Keep at most this many terms, the most frequent (default 20,000).
    pub max_features: Option<usize>,
    /// Binary, tf or tf-idf (default tf-idf).
    pub weighting: Weighting,
    /// Use 1 + ln(count) instead of the raw count (default true).
    pub sublinear_tf: bool,
    /// Scale every vector to unit length (default true).
    pub l2_normalize: bool,
    /// Drop function words from word n-grams (default false; absent in older model files).
    #[serde(default)]
    pub stop_words: bool,
    /// Mark words after a negation, up to the end of the clause, with `neg_` (default false).
    #[serde(default)]
    pub negation: bool,
    /// Target-aware terms: mentions, n-grams and cues near a target's mentions, with the
    /// per-target lexicons (default none; absent in older model files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<TargetFeatures>,
    /// Terms for the sign and strength of VADER lexicon words (default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub sentiment_lexicon: bool,
    /// With `l2_normalize`: scale word n-grams, character n-grams and tagged terms (target and
    /// lexicon) to unit length each on their own, as a union of three vectorizers would, so that
    /// the hundreds of character n-grams of a statement do not drown its few words (default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub normalize_families_apart: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// Longest statement read by default, in bytes (1 MiB; `--max-statement-bytes` changes it). A
/// statement's terms, their hashes and its feature vector take memory in proportion to its length
/// times the n-gram lengths, so the cap is what bounds the memory of one statement; 1 MiB is far
/// above real statements and speeches (ConVote's House speeches run to 60 kB) and keeps one
/// statement's working memory to tens of MB.
pub const DEFAULT_MAX_STATEMENT_BYTES: usize = 1 << 20;

/// Why a statement of `len` bytes is refused under a cap of `max` bytes, if it is.
pub fn statement_too_long(len: usize, max: usize) -> Option<String> {
    (len > max).then(|| {
        format!(
            "statement of {len} bytes (expected at most {max}: a whole document in one field? \
             --max-statement-bytes raises the limit)"
        )
    })
}

/// The character n-gram lengths used unless the user says otherwise (`FeaturizerConfig::default`,
/// and `--char-ngrams` when given without `--no-char-ngrams`).
pub const DEFAULT_CHAR_NGRAMS: NgramRange = NgramRange { min: 2, max: 5 };

impl Default for FeaturizerConfig {
    fn default() -> Self {
        FeaturizerConfig {
            word_ngrams: NgramRange::new(1, 2),
            char_ngrams: Some(DEFAULT_CHAR_NGRAMS),
            min_df: 2,
            max_features: Some(20_000),
            weighting: Weighting::TfIdf,
            sublinear_tf: true,
            l2_normalize: true,
            stop_words: false,
            negation: false,
            targets: None,
            sentiment_lexicon: false,
            normalize_families_apart: false,
        }
    }
}

/// Buffers reused from one statement to the next, so featurizing allocates nothing once warm.
/// One per thread; `Default` makes an empty one.
#[derive(Debug, Default, Clone)]
pub struct FeatureScratch {
    terms: TermScratch,
    hashes: ngrams::TermHashes,
    /// The index slot each term hash lands on first.
    first_probes: Vec<u64>,
    /// Per vocabulary column: its place in the vector being built, or `u32::MAX`; reset after
    /// each statement, so duplicates are merged without sorting.
    slots: Vec<u32>,
}

thread_local! {
    /// The buffers of one-off calls (`Featurizer::transform`, `StanceModel::predict`) on this
    /// thread.
    static THIS_THREADS_SCRATCH: std::cell::RefCell<FeatureScratch> = std::cell::RefCell::default();
}

impl FeatureScratch {
    /// Runs `f` with this thread's buffers, kept from call to call. They suit any featurizer: the
    /// merge table grows to the largest vocabulary seen and is left reset after every statement.
    pub fn with_this_threads<T>(f: impl FnOnce(&mut FeatureScratch) -> T) -> T {
        THIS_THREADS_SCRATCH.with_borrow_mut(f)
    }
}

/// The buffers of `FeaturizerConfig::emit_terms`.
#[derive(Debug, Default, Clone)]
struct TermScratch {
    words: Words,
    /// Indices of the words left for word n-grams.
    kept: Vec<u32>,
    chars: ngrams::CharScratch,
    targets: targets::TargetScratch,
}

/// The largest IDF a featurizer file may hold: ln(documents) + 1 stays below 50 for any corpus.
pub const MAX_IDF: f64 = 1000.0;

/// Most words on each side of a target mention a window may take.
pub const MAX_TARGET_WINDOW: usize = 100;

impl FeaturizerConfig {
    /// Checks every setting, whether it came from flags, a `--config` file or a model file, so
    /// that no value can make featurizing fail later: n-gram lengths within bounds
    /// (`MAX_WORD_NGRAM`, `MAX_CHAR_NGRAM`), target windows and lexicons usable.
    pub fn validate(&self) -> Result<(), String> {
        self.word_ngrams.check("word", ngrams::MAX_WORD_NGRAM)?;
        if let Some(range) = self.char_ngrams {
            range.check("character", ngrams::MAX_CHAR_NGRAM)?;
        }
        if let Some(targets) = &self.targets {
            if targets.window > MAX_TARGET_WINDOW {
                return Err(format!(
                    "target window {} is too wide (expected at most {MAX_TARGET_WINDOW} words)",
                    targets.window
                ));
            }
            targets.validate()?;
        }
        Ok(())
    }

    /// Emits the terms (word n-grams over the words left after negation marking and stop-word
    /// removal, then character n-grams over every word, then target-aware and lexicon terms) of
    /// `text`, in text order, repeats included. Fitting collects them as strings and scoring as
    /// hashes, from this one walk.
    fn emit_terms(&self, text: &str, scratch: &mut TermScratch, sink: &mut impl ngrams::TermSink) {
        let words = &mut scratch.words;
        let needs_text =
            self.negation || self.stop_words || self.char_ngrams.is_some() || self.sentiment_lexicon;
        if sink.needs_text() || needs_text {
            words.read(text);
        } else {
            words.read_hashes_only(text);
        }
        if self.negation {
            filters::mark_negation(text, words);
        }
        scratch.kept.clear();
        if self.stop_words {
            scratch.kept.extend((0..words.len() as u32).filter(|&i| {
                // A negated stop word is kept: it reads `neg_…`, which is not in the stop list.
                words.spans()[i as usize].negated || !filters::is_stop_word(words.text(i as usize))
            }));
        } else {
            scratch.kept.extend(0..words.len() as u32);
        }
        sink.word_ngrams(words, &scratch.kept, self.word_ngrams);
        if let Some(range) = self.char_ngrams {
            ngrams::char_ngrams(words, range, &mut scratch.chars, sink);
        }
        if let Some(targets) = &self.targets {
            targets.emit(words, self.word_ngrams, &mut scratch.targets, sink);
        }
        if self.sentiment_lexicon {
            sentiment_lexicon::emit(words, sink);
        }
    }

    /// The terms (word and character n-grams) of a text, in text order, repeats included.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut sink = ngrams::TermStrings::default();
        self.emit_terms(text, &mut TermScratch::default(), &mut sink);
        sink.terms
    }

    /// Fills `hashes` with the hashes of `terms(text)`.
    fn term_hashes_into(&self, text: &str, scratch: &mut TermScratch, hashes: &mut ngrams::TermHashes) {
        hashes.hashes.clear();
        self.emit_terms(text, scratch, hashes);
    }
}

/// A sparse feature vector: distinct columns with their values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVector {
    /// Column indices, each at most once, in order of first occurrence in the text.
    pub columns: Vec<u32>,
    /// The value of each column in `columns`.
    pub values: Vec<f64>,
}

impl SparseVector {
    /// A vector from (column, value) pairs with distinct columns.
    pub fn from_pairs(pairs: &[(u32, f64)]) -> Self {
        SparseVector {
            columns: pairs.iter().map(|p| p.0).collect(),
            values: pairs.iter().map(|p| p.1).collect(),
        }
    }

    /// Number of non-zero entries.
    pub fn nnz(&self) -> usize {
        self.columns.len()
    }

    /// (column, value) pairs in column order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.columns
            .iter()
            .zip(&self.values)
            .map(|(&c, &v)| (c as usize, v))
    }
}

/// A featurizer fitted on training texts: its configuration, vocabulary and IDF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "StoredFeaturizer", into = "StoredFeaturizer")]
pub struct Featurizer {
    config: FeaturizerConfig,
    vocabulary: Vocabulary,
    idf: Vec<f64>,
    training_documents: usize,
    /// Term hash → rank, built from the vocabulary (not stored).
    by_hash: Option<HashIndex>,
    /// Ranks: the columns ordered by document frequency, most frequent first (not stored).
    ranks: Ranks,
}

/// The vocabulary's columns in order of document frequency. Scoring works on ranks rather than
/// columns, so that the few thousand terms that make up most of any text sit together at the
/// front of every per-term array (lookup results, weights, merge slots) and stay in cache, where
/// alphabetical columns would scatter them over the whole of each array.
#[derive(Debug, Clone, PartialEq, Default)]
struct Ranks {
    /// `column_of[rank]`.
    column_of: Vec<u32>,
    /// `rank_of[column]`.
    rank_of: Vec<u32>,
    /// IDF by rank.
    idf: Vec<f64>,
    /// The family of each rank's term (`TermFamily as u8`).
    family: Vec<u8>,
}

/// The kinds of terms whose values `normalize_families_apart` scales apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TermFamily {
    Word = 0,
    Char = 1,
    Tagged = 2,
}

impl TermFamily {
    fn of(term: &str) -> TermFamily {
        match term.as_bytes().first() {
            Some(b'#') => TermFamily::Char,
            Some(b'@') => TermFamily::Tagged,
            _ => TermFamily::Word,
        }
    }
}

impl Ranks {
    fn new(vocabulary: &Vocabulary, idf: &[f64]) -> Self {
        let df = vocabulary.document_frequencies();
        let mut column_of: Vec<u32> = (0..df.len() as u32).collect();
        column_of.sort_by_key(|&c| (std::cmp::Reverse(df[c as usize]), c));
        let mut rank_of = vec![0; column_of.len()];
        for (rank, &column) in column_of.iter().enumerate() {
            rank_of[column as usize] = rank as u32;
        }
        let idf = column_of
            .iter()
            .map(|&c| idf.get(c as usize).copied().unwrap_or(0.0))
            .collect();
        let family = column_of
            .iter()
            .map(|&c| TermFamily::of(&vocabulary.terms()[c as usize]) as u8)
            .collect();
        Ranks {
            column_of,
            rank_of,
            idf,
            family,
        }
    }
}

/// The on-disk form of a featurizer: the vocabulary as a term list, the index rebuilt on load.
#[derive(Serialize, Deserialize)]
struct StoredFeaturizer {
    config: FeaturizerConfig,
    training_documents: usize,
    terms: Vec<String>,
    document_frequencies: Vec<u32>,
    idf: Vec<f64>,
}

impl From<StoredFeaturizer> for Featurizer {
    fn from(s: StoredFeaturizer) -> Self {
        let vocabulary = Vocabulary::from_parts(s.terms, s.document_frequencies);
        let ranks = Ranks::new(&vocabulary, &s.idf);
        Featurizer {
            config: s.config,
            by_hash: HashIndex::new(&vocabulary, &ranks.column_of),
            ranks,
            vocabulary,
            idf: s.idf,
            training_documents: s.training_documents,
        }
    }
}

impl From<Featurizer> for StoredFeaturizer {
    fn from(f: Featurizer) -> Self {
        StoredFeaturizer {
            config: f.config,
            training_documents: f.training_documents,
            terms: f.vocabulary.terms().to_vec(),
            document_frequencies: f.vocabulary.document_frequencies().to_vec(),
            idf: f.idf,
        }
    }
}

impl Featurizer {
    /// Learns the vocabulary and IDF from the training texts.
    pub fn fit<S: AsRef<str> + Sync>(config: FeaturizerConfig, texts: &[S]) -> Self {
        let limits = VocabularyLimits {
            min_df: config.min_df,
            max_features: config.max_features,
        };
        let term_hashes = |text: &str, out: &mut Vec<u64>| {
            FeatureScratch::with_this_threads(|scratch| {
                config.term_hashes_into(text, &mut scratch.terms, &mut scratch.hashes);
                out.extend_from_slice(&scratch.hashes.hashes);
            })
        };
        let vocabulary = Vocabulary::fit_by_hash(texts, &term_hashes, &|text| config.terms(text), limits);
        let idf: Vec<f64> = vocabulary
            .document_frequencies()
            .iter()
            .map(|&df| weighting::smooth_idf(texts.len(), df))
            .collect();
        let ranks = Ranks::new(&vocabulary, &idf);
        Featurizer {
            config,
            by_hash: HashIndex::new(&vocabulary, &ranks.column_of),
            ranks,
            vocabulary,
            idf,
            training_documents: texts.len(),
        }
    }

    /// Checks that a featurizer read from a file is consistent with itself.
    pub fn validate(&self) -> Result<(), String> {
        let n = self.vocabulary.len();
        if self.idf.len() != n || self.vocabulary.document_frequencies().len() != n {
            return Err(format!(
                "vocabulary has {n} terms but {} IDF values and {} document frequencies",
                self.idf.len(),
                self.vocabulary.document_frequencies().len()
            ));
        }
        if let Some(bad) = self.idf.iter().find(|v| !(0.0..=MAX_IDF).contains(*v)) {
            return Err(format!(
                "an IDF value is {bad}, expected a number from 0 to {MAX_IDF}"
            ));
        }
        self.config.validate()
    }

    /// The configuration this featurizer was fitted with.
    pub fn config(&self) -> &FeaturizerConfig {
        &self.config
    }

    /// The learned vocabulary.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// Number of feature columns.
    pub fn n_features(&self) -> usize {
        self.vocabulary.len()
    }

    /// The term behind a column.
    pub fn term(&self, column: usize) -> &str {
        &self.vocabulary.terms()[column]
    }

    /// The feature vector of one statement; terms outside the vocabulary are dropped. The buffers
    /// are this thread's, kept from call to call: fresh ones would cost a vocabulary-sized merge
    /// table per statement.
    pub fn transform(&self, text: &str) -> SparseVector {
        let mut vector = SparseVector::default();
        FeatureScratch::with_this_threads(|scratch| self.transform_into(text, scratch, &mut vector));
        vector
    }

    /// `transform` with ranks (`rank_order`) in place of columns: what training fits on, so that
    /// the weights of frequent terms sit together as they do when scoring.
    pub fn transform_ranked(&self, text: &str) -> SparseVector {
        let mut vector = SparseVector::default();
        FeatureScratch::with_this_threads(|scratch| self.transform_ranked_into(text, scratch, &mut vector));
        vector
    }

    /// `transform` into a reused vector with reused buffers: the allocation-free path for
    /// streams of statements.
    pub fn transform_into(&self, text: &str, scratch: &mut FeatureScratch, vector: &mut SparseVector) {
        self.transform_ranked_into(text, scratch, vector);
        for column in &mut vector.columns {
            *column = self.ranks.column_of[*column as usize];
        }
    }

    /// The columns ordered by document frequency, most frequent first: `rank_order()[rank]` is
    /// the column of that rank.
    pub fn rank_order(&self) -> &[u32] {
        &self.ranks.column_of
    }

    /// `transform_into` with ranks (`rank_order`) in place of columns: the same values in the same
    /// order, for scoring against weights laid out by rank.
    pub fn transform_ranked_into(&self, text: &str, scratch: &mut FeatureScratch, vector: &mut SparseVector) {
        if scratch.slots.len() < self.n_features() {
            scratch.slots.resize(self.n_features(), u32::MAX);
        }
        vector.columns.clear();
        vector.values.clear();
        // Repeats are merged in order of first occurrence; the count goes in `values` for now.
        let slots = &mut scratch.slots;
        let mut count = |rank: u32| {
            let slot = &mut slots[rank as usize];
            if *slot == u32::MAX {
                *slot = vector.columns.len() as u32;
                vector.columns.push(rank);
                vector.values.push(1.0);
            } else {
                vector.values[*slot as usize] += 1.0;
            }
        };
        match &self.by_hash {
            Some(index) => {
                self.config
                    .term_hashes_into(text, &mut scratch.terms, &mut scratch.hashes);
                index.for_each_rank(&scratch.hashes.hashes, &mut scratch.first_probes, count);
            }
            None => {
                let terms = self.config.terms(text);
                terms
                    .iter()
                    .filter_map(|t| self.vocabulary.column(t))
                    .for_each(|c| count(self.ranks.rank_of[c as usize]));
            }
        }
        for &rank in &vector.columns {
            scratch.slots[rank as usize] = u32::MAX;
        }
        weighting::weigh_counts(
            &mut vector.values,
            self.config.weighting,
            self.config.sublinear_tf,
        );
        if self.config.weighting == Weighting::TfIdf {
            for (value, &rank) in vector.values.iter_mut().zip(&vector.columns) {
                *value *= self.ranks.idf[rank as usize];
            }
        }
        if self.config.l2_normalize && self.config.normalize_families_apart {
            let mut norms = [0.0f64; 3];
            for (value, &rank) in vector.values.iter().zip(&vector.columns) {
                norms[usize::from(self.ranks.family[rank as usize])] += value * value;
            }
            let scales = norms.map(|n| if n > 0.0 { 1.0 / n.sqrt() } else { 0.0 });
            for (value, &rank) in vector.values.iter_mut().zip(&vector.columns) {
                *value *= scales[usize::from(self.ranks.family[rank as usize])];
            }
        } else if self.config.l2_normalize {
            weighting::l2_normalize(&mut vector.values);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> FeaturizerConfig {
        FeaturizerConfig {
            min_df: 1,
            char_ngrams: None,
            ..FeaturizerConfig::default()
        }
    }

    #[test]
    fn fit_and_transform_agree_with_a_hand_computation() {
        let texts = ["Assad must go", "Assad must stay", "strike now"];
        let f = Featurizer::fit(config(), &texts);
        assert_eq!(
            f.vocabulary().terms(),
            [
                "assad",
                "assad must",
                "go",
                "must",
                "must go",
                "must stay",
                "now",
                "stay",
                "strike",
                "strike now"
            ]
        );
        let v = f.transform("assad ASSAD go");
        // assad: tf 2 → 1 + ln 2, idf ln(4/3) + 1; go: tf 1, idf ln(4/2) + 1; then L2.
        let a = (1.0 + 2f64.ln()) * ((4.0f64 / 3.0).ln() + 1.0);
        let g = (4.0f64 / 2.0).ln() + 1.0;
        let norm = (a * a + g * g).sqrt();
        assert_eq!(v.columns, [0, 2]);
        assert!((v.values[0] - a / norm).abs() < 1e-12);
        assert!((v.values[1] - g / norm).abs() < 1e-12);
    }

    #[test]
    fn accents_and_curly_apostrophes_map_to_the_same_columns() {
        let f = Featurizer::fit(config(), &["François Hollande's war"]);
        assert_eq!(
            f.transform("Francois Hollande’s war"),
            f.transform("François Hollande's war")
        );
    }

    #[test]
    fn unknown_words_give_an_empty_vector() {
        let f = Featurizer::fit(config(), &["Assad must go"]);
        assert_eq!(f.transform("completely unrelated").nnz(), 0);
        assert_eq!(f.transform("").nnz(), 0);
    }

    #[test]
    fn binary_weighting_without_normalisation_gives_ones() {
        let c = FeaturizerConfig {
            weighting: Weighting::Binary,
            l2_normalize: false,
            ..config()
        };
        let f = Featurizer::fit(c, &["war war war"]);
        let v = f.transform("war war");
        assert_eq!(v.values, [1.0, 1.0]); // "war" and "war war"
    }

    #[test]
    fn char_ngrams_add_columns() {
        let c = FeaturizerConfig {
            char_ngrams: Some(NgramRange::new(3, 3)),
            ..config()
        };
        let f = Featurizer::fit(c, &["war"]);
        assert!(f.vocabulary().terms().contains(&"#war".to_string()));
        assert_eq!(f.transform("war").nnz(), f.n_features());
    }

    #[test]
    fn the_scoring_hashes_are_the_hashes_of_the_fitted_terms_with_every_family_on() {
        let c = FeaturizerConfig {
            negation: true,
            targets: Some(TargetFeatures::standard(true, true, true, 3)),
            sentiment_lexicon: true,
            ..FeaturizerConfig::default()
        };
        for text in [
            "We condemn the illegal strikes on the Syrian government, not a good idea",
            "Assad must go; air strikes alone will not defeat Daesh",
            "François ﬁght — ça ira, don't bomb",
            "",
            "strike",
        ] {
            let strings = c.terms(text);
            let mut hashes = ngrams::TermHashes::default();
            c.term_hashes_into(text, &mut TermScratch::default(), &mut hashes);
            let expected: Vec<u64> = strings.iter().map(|t| hash::term_hash(t)).collect();
            assert_eq!(hashes.hashes, expected, "{text}");
        }
        assert!(c
            .terms("We oppose the strikes")
            .contains(&"@military_action!cue".to_string()));
    }

    #[test]
    fn families_that_are_off_leave_the_stored_config_as_before() {
        let json = serde_json::to_string(&FeaturizerConfig::default()).unwrap();
        assert!(
            !json.contains("targets") && !json.contains("sentiment_lexicon"),
            "{json}"
        );
    }

    #[test]
    fn serde_round_trip_keeps_the_featurizer() {
        let f = Featurizer::fit(config(), &["Assad must go", "no place in Syria's future"]);
        let json = serde_json::to_string(&f).unwrap();
        let back: Featurizer = serde_json::from_str(&json).unwrap();
        assert_eq!(back, f);
        assert_eq!(back.transform("Assad must go"), f.transform("Assad must go"));
    }
}
