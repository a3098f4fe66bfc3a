//! The term → column mapping learned from the training texts.
//!
//! Columns are the kept terms in alphabetical order, so the same texts and settings always give
//! the same columns, whatever order a hash map would have visited them in.
//!
//! Training counts document frequencies by the terms' 64-bit hashes (`fit_by_hash`), not by
//! their strings: a statement's few hundred character n-grams would otherwise each become a
//! `String`, for every statement at once (50,000 statements: over a gigabyte). Only the terms that
//! can make the cut are spelled out, from the first statements that hold them.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

/// Which terms to keep when learning a vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VocabularyLimits {
    /// A term must occur in at least this many training texts.
    pub min_df: usize,
    /// Keep at most this many terms, the most frequent by document frequency (ties: alphabetical).
    pub max_features: Option<usize>,
}

/// Terms with their column index and document frequency in the training texts.
#[derive(Debug, Clone, PartialEq)]
pub struct Vocabulary {
    terms: Vec<String>,
    document_frequencies: Vec<u32>,
    index: HashMap<String, u32>,
}

impl Vocabulary {
    /// Learns a vocabulary from the term lists of the training texts (one list per text;
    /// repeats within a list count once).
    pub fn fit<'a>(documents: impl IntoIterator<Item = &'a [String]>, limits: VocabularyLimits) -> Self {
        let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
        let mut seen: Vec<&str> = Vec::new();
        for terms in documents {
            seen.clear();
            seen.extend(terms.iter().map(String::as_str));
            seen.sort_unstable();
            seen.dedup();
            for term in &seen {
                *counts.entry(term).or_insert(0) += 1;
            }
        }
        Self::select(counts.into_iter().collect(), limits)
    }

    /// The same vocabulary as `fit`, from the texts themselves: document frequencies are counted
    /// by term hash (`term_hashes` gives a text's term hashes, `terms` the same terms spelled out,
    /// in the same order), and only the terms that can be kept are spelled out. Two different
    /// terms would be counted as one only if their 64-bit hashes were equal — about one chance in
    /// 10^7 for ten million distinct terms — as scoring, which looks terms up by hash, assumes too.
    pub fn fit_by_hash<S: AsRef<str> + Sync>(
        texts: &[S],
        term_hashes: &(dyn Fn(&str, &mut Vec<u64>) + Sync),
        terms: &(dyn Fn(&str) -> Vec<String> + Sync),
        limits: VocabularyLimits,
    ) -> Self {
        let mut counts = HashCounts::default();
        for block in texts.chunks(TEXTS_PER_BLOCK) {
            let distinct: Vec<Vec<u64>> = block
                .par_iter()
                .map(|text| {
                    let mut hashes = Vec::new();
                    term_hashes(text.as_ref(), &mut hashes);
                    hashes.sort_unstable();
                    hashes.dedup();
                    hashes
                })
                .collect();
            for &hash in distinct.iter().flatten() {
                *counts.entry(hash).or_insert(0) += 1;
            }
        }
        let min_df = limits.min_df.max(1) as u32;
        let mut candidates: Vec<(u64, u32)> = counts.into_iter().filter(|&(_, df)| df >= min_df).collect();
        if let Some(max) = limits
            .max_features
            .filter(|&max| max > 0 && candidates.len() > max)
        {
            // Every term as frequent as the max-th most frequent may be kept (ties go by spelling).
            let mut frequencies: Vec<u32> = candidates.iter().map(|&(_, df)| df).collect();
            let (_, &mut cut, _) = frequencies.select_nth_unstable_by(max - 1, |a, b| b.cmp(a));
            candidates.retain(|&(_, df)| df >= cut);
        }
        let slot_of: HashMap<u64, usize, BuildHasherDefault<PassThrough>> = candidates
            .iter()
            .enumerate()
            .map(|(i, &(hash, _))| (hash, i))
            .collect();
        let mut names: Vec<Option<String>> = vec![None; candidates.len()];
        let mut unnamed = candidates.len();
        for block in texts.chunks(TEXTS_PER_BLOCK) {
            if unnamed == 0 {
                break;
            }
            let hashes: Vec<Vec<u64>> = block
                .par_iter()
                .map(|text| {
                    let mut hashes = Vec::new();
                    term_hashes(text.as_ref(), &mut hashes);
                    hashes
                })
                .collect();
            for (text, hashes) in block.iter().zip(&hashes) {
                let unnamed_in = |h: &u64| slot_of.get(h).is_some_and(|&i| names[i].is_none());
                if !hashes.iter().any(unnamed_in) {
                    continue;
                }
                for (hash, term) in hashes.iter().zip(terms(text.as_ref())) {
                    if let Some(name @ None) = slot_of.get(hash).map(|&i| &mut names[i]) {
                        *name = Some(term);
                        unnamed -= 1;
                    }
                }
            }
        }
        let named: Vec<(&str, u32)> = candidates
            .iter()
            .zip(&names)
            .filter_map(|(&(_, df), name)| Some((name.as_deref()?, df)))
            .collect();
        Self::select(named, limits)
    }

    /// The vocabulary of the (term, document frequency) pairs that pass `limits`.
    fn select(mut kept: Vec<(&str, u32)>, limits: VocabularyLimits) -> Self {
        kept.retain(|&(_, df)| df as usize >= limits.min_df.max(1));
        if let Some(max) = limits.max_features {
            if kept.len() > max {
                kept.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                kept.truncate(max);
            }
        }
        kept.sort_by(|a, b| a.0.cmp(b.0));
        Self::from_parts(
            kept.iter().map(|(t, _)| t.to_string()).collect(),
            kept.iter().map(|&(_, df)| df).collect(),
        )
    }

    /// Rebuilds a vocabulary from its stored terms (in column order) and document frequencies.
    pub fn from_parts(terms: Vec<String>, document_frequencies: Vec<u32>) -> Self {
        let index = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        Vocabulary {
            terms,
            document_frequencies,
            index,
        }
    }

    /// The column of `term`, if it is in the vocabulary.
    pub fn column(&self, term: &str) -> Option<u32> {
        self.index.get(term).copied()
    }

    /// The terms in column order.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// Document frequency of each column's term in the training texts.
    pub fn document_frequencies(&self) -> &[u32] {
        &self.document_frequencies
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// True when no term was kept.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Statements hashed in parallel at a time while counting: enough to keep both cores busy, few
/// enough that their hash lists take a few megabytes.
const TEXTS_PER_BLOCK: usize = 4096;

/// Document frequency by term hash.
type HashCounts = HashMap<u64, u32, BuildHasherDefault<PassThrough>>;

/// The hasher of maps keyed by term hashes, which are already well mixed: it passes them through
/// instead of hashing them again.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(texts: &[&[&str]]) -> Vec<Vec<String>> {
        texts
            .iter()
            .map(|d| d.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn columns_are_alphabetical_and_min_df_prunes() {
        let d = docs(&[&["b", "a", "a"], &["a", "c"], &["b"]]);
        let limits = VocabularyLimits {
            min_df: 2,
            max_features: None,
        };
        let v = Vocabulary::fit(d.iter().map(Vec::as_slice), limits);
        assert_eq!(v.terms(), ["a", "b"]);
        assert_eq!(v.document_frequencies(), [2, 2]);
        assert_eq!(v.column("b"), Some(1));
        assert_eq!(v.column("c"), None);
    }

    #[test]
    fn max_features_keeps_the_most_frequent_with_alphabetical_ties() {
        let d = docs(&[&["x", "y", "z"], &["z", "y"], &["z"]]);
        let limits = VocabularyLimits {
            min_df: 1,
            max_features: Some(2),
        };
        let v = Vocabulary::fit(d.iter().map(Vec::as_slice), limits);
        assert_eq!(v.terms(), ["y", "z"]);
        let limits = VocabularyLimits {
            min_df: 1,
            max_features: Some(1),
        };
        let d = docs(&[&["b"], &["a"]]);
        assert_eq!(
            Vocabulary::fit(d.iter().map(Vec::as_slice), limits).terms(),
            ["a"]
        );
    }

    #[test]
    fn counting_by_hash_gives_the_vocabulary_of_counting_by_string() {
        let config = crate::features::FeaturizerConfig {
            negation: true,
            ..Default::default()
        };
        let articles = concat!(env!("CARGO_MANIFEST_DIR"), "/labels/articles");
        let mut texts = Vec::new();
        for entry in std::fs::read_dir(articles).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            texts.extend(text.split(['.', '\n']).map(str::to_string));
        }
        texts.sort();
        let term_hashes = |text: &str, out: &mut Vec<u64>| {
            out.extend(
                config
                    .terms(text)
                    .iter()
                    .map(|t| crate::features::hash::term_hash(t)),
            )
        };
        let documents: Vec<Vec<String>> = texts.iter().map(|t| config.terms(t)).collect();
        for (min_df, max_features) in [
            (1, None),
            (2, None),
            (1, Some(500)),
            (2, Some(3000)),
            (3, Some(0)),
        ] {
            let limits = VocabularyLimits { min_df, max_features };
            let by_string = Vocabulary::fit(documents.iter().map(Vec::as_slice), limits);
            let by_hash = Vocabulary::fit_by_hash(&texts, &term_hashes, &|t| config.terms(t), limits);
            assert_eq!(
                by_hash, by_string,
                "min-df {min_df}, max-features {max_features:?}"
            );
        }
    }
}
