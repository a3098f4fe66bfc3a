//! The term → column mapping learned from the training texts.
//!
//! Columns are the kept terms in alphabetical order, so the same texts and settings always give
//! the same columns, whatever order a hash map would have visited them in.

use std::collections::{BTreeMap, HashMap};

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
        let mut kept: Vec<(&str, u32)> = counts
            .into_iter()
            .filter(|&(_, df)| df as usize >= limits.min_df.max(1))
            .collect();
        if let Some(max) = limits.max_features {
            if kept.len() > max {
                kept.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                kept.truncate(max);
                kept.sort_by(|a, b| a.0.cmp(b.0));
            }
        }
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
}
