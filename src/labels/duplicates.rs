//! Is this statement already here? The one answer `labels check` (two ids holding one statement)
//! and `labels suggest` (a statement already labelled) share: the same words after the crate's
//! text fold, or nearly the same words — word 3-gram shingles overlapping by at least a Jaccard
//! threshold, so a trailing full stop, a dropped "he said" or a reporter's cut does not hide a copy.
//!
//! [`DuplicateIndex`] answers both questions: every pair of texts in the index ([`pairs`]) and
//! whether a new text matches one in it ([`find`]). Exact matches are a hash lookup. Near matches
//! go through an inverted index of shingles, so neither compares every pair: `pairs` compares a
//! text only with the earlier texts holding one of its rarest shingles — as many as a near match
//! must share (prefix filtering; 50,000 statements in a few seconds where comparing every pair
//! took minutes), and `find` counts shared shingles, looking only at texts sharing one.
//!
//! `find` also matches a text that holds nearly all of a held text's shingles, or nearly all of
//! whose shingles a held text holds ([`Sameness::Contained`]): the same quote cut wider or narrower
//! (extraction keeps "they would step up strikes in Syria and Iraq, but neither committed to boots
//! on the ground" where a labeller kept the first clause). That is what "already labelled" needs;
//! `pairs`, for `labels check`, reports only the same and near-same texts.
//!
//! [`pairs`]: DuplicateIndex::pairs
//! [`find`]: DuplicateIndex::find

use std::collections::{BTreeSet, HashMap};

/// Shingle overlap (Jaccard) at which two texts count as near-duplicates, unless told otherwise.
pub const NEAR_DUPLICATE: f64 = 0.8;

/// Fewest shingles (a text of five words) the shorter text needs for containment to count: "Assad
/// must go" inside a longer statement is not the same statement.
pub const MIN_CONTAINED_SHINGLES: usize = 3;

/// A text prepared for comparison: its folded words, and their 3-word shingles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextKey {
    folded: String,
    shingles: BTreeSet<String>,
}

impl TextKey {
    /// The key of a statement: its words as the featurizer reads them (through the crate's text
    /// fold, `crate::text`; punctuation dropped), one space apart, and their word 3-grams (the words themselves
    /// for texts of fewer than three words).
    pub fn new(text: &str) -> Self {
        let words: Vec<String> = crate::features::tokenize(text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        let shingles = if words.len() < 3 {
            words.iter().cloned().collect()
        } else {
            words.windows(3).map(|w| w.join(" ")).collect()
        };
        TextKey {
            folded: words.join(" "),
            shingles,
        }
    }

    /// The folded words, one space apart.
    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// How alike two keys are: the same folded words, or shingles overlapping by at least
    /// `threshold`; `None` when neither.
    pub fn compare(&self, other: &TextKey, threshold: f64) -> Option<Sameness> {
        if self.folded == other.folded {
            return Some(Sameness::Same);
        }
        let (small, large) = if self.shingles.len() <= other.shingles.len() {
            (&self.shingles, &other.shingles)
        } else {
            (&other.shingles, &self.shingles)
        };
        if (small.len() as f64) < threshold * large.len() as f64 {
            return None;
        }
        let common = small.intersection(large).count();
        let union = small.len() + large.len() - common;
        (union > 0 && common as f64 / union as f64 >= threshold).then_some(Sameness::Near)
    }
}

/// How two texts are alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sameness {
    /// The same words after folding.
    Same,
    /// Shingles overlapping by at least the threshold.
    Near,
    /// One text holds at least the threshold's share of the other's shingles (the shorter one
    /// having at least [`MIN_CONTAINED_SHINGLES`]): the same words cut wider or narrower.
    Contained,
}

/// A match found in a [`DuplicateIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duplicate {
    /// Index (insertion order) of the text matched.
    pub of: usize,
    /// How alike they are.
    pub sameness: Sameness,
}

/// Texts to find copies of.
#[derive(Debug, Clone)]
pub struct DuplicateIndex {
    threshold: f64,
    keys: Vec<TextKey>,
    by_folded: HashMap<String, usize>,
    /// Shingle → the texts holding it, in insertion order.
    postings: HashMap<String, Vec<usize>>,
}

impl Default for DuplicateIndex {
    fn default() -> Self {
        DuplicateIndex::new(NEAR_DUPLICATE)
    }
}

impl DuplicateIndex {
    /// An empty index whose near matches overlap by at least `threshold`.
    pub fn new(threshold: f64) -> Self {
        DuplicateIndex {
            threshold,
            keys: Vec::new(),
            by_folded: HashMap::new(),
            postings: HashMap::new(),
        }
    }

    /// Number of texts held.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when no text is held.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Adds a text; returns its index.
    pub fn insert(&mut self, key: TextKey) -> usize {
        let index = self.keys.len();
        self.by_folded.entry(key.folded.clone()).or_insert(index);
        for shingle in &key.shingles {
            self.postings.entry(shingle.clone()).or_default().push(index);
        }
        self.keys.push(key);
        index
    }

    /// The text held that `key` copies, if one is: an exact match (after folding) when there is
    /// one, else the first near match in insertion order, else the first that one of the two
    /// contains ([`Sameness::Contained`]).
    pub fn find(&self, key: &TextKey) -> Option<Duplicate> {
        if let Some(&of) = self.by_folded.get(&key.folded) {
            return Some(Duplicate {
                of,
                sameness: Sameness::Same,
            });
        }
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for shingle in &key.shingles {
            for &held in self.postings.get(shingle).map_or(&[][..], Vec::as_slice) {
                *shared.entry(held).or_insert(0) += 1;
            }
        }
        shared
            .into_iter()
            .filter_map(|(of, common)| {
                let (a, b) = (key.shingles.len(), self.keys[of].shingles.len());
                let (shorter, union) = (a.min(b), a + b - common);
                let sameness = if common as f64 >= self.threshold * union as f64 {
                    Sameness::Near
                } else if shorter >= MIN_CONTAINED_SHINGLES
                    && common as f64 >= self.threshold * shorter as f64
                {
                    Sameness::Contained
                } else {
                    return None;
                };
                Some(Duplicate { of, sameness })
            })
            .min_by_key(|d| (d.sameness, d.of))
    }

    /// Every pair of texts held that are alike, as (earlier, later, how), by earlier then later.
    ///
    /// Near-linear by prefix filtering: if two shingle sets overlap by at least the threshold, the
    /// later text shares at least ⌈threshold × its shingles⌉ of them with the earlier one, so any
    /// |shingles| − that + 1 of its shingles hold one of the shared ones. Taking its rarest ones
    /// (the fewest holders in the index), each text is compared only with the few earlier texts
    /// holding one of them. The result is exactly that of comparing every pair
    /// ([`pairs_by_scan`](Self::pairs_by_scan)), which a test checks.
    pub fn pairs(&self) -> Vec<(usize, usize, Sameness)> {
        if self.threshold <= 0.0 {
            return self.pairs_by_scan();
        }
        let mut found = Vec::new();
        let mut same: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, key) in self.keys.iter().enumerate() {
            same.entry(key.folded.as_str()).or_default().push(i);
        }
        for members in same.values() {
            for (a, &earlier) in members.iter().enumerate() {
                found.extend(
                    members[a + 1..]
                        .iter()
                        .map(|&later| (earlier, later, Sameness::Same)),
                );
            }
        }
        let holders = |shingle: &String| self.postings.get(shingle).map_or(&[][..], Vec::as_slice);
        let mut last_compared = vec![usize::MAX; self.keys.len()];
        let mut rarest: Vec<&String> = Vec::new();
        for (later, key) in self.keys.iter().enumerate() {
            rarest.clear();
            rarest.extend(&key.shingles);
            rarest.sort_by_key(|s| (holders(s).len(), *s));
            let size = rarest.len();
            // Shared shingles a near match must have; a hair fewer, so rounding cannot lose one.
            let shared = ((self.threshold * size as f64) - 1e-9).ceil().max(0.0) as usize;
            for shingle in &rarest[..(size + 1).saturating_sub(shared).min(size)] {
                for &earlier in holders(shingle).iter().take_while(|&&i| i < later) {
                    if last_compared[earlier] == later || self.keys[earlier].folded == key.folded {
                        continue;
                    }
                    last_compared[earlier] = later;
                    if let Some(sameness) = self.keys[earlier].compare(key, self.threshold) {
                        found.push((earlier, later, sameness));
                    }
                }
            }
        }
        found.sort_unstable();
        found
    }

    /// [`pairs`](Self::pairs) by comparing every pair: the reference, quadratic in the texts held.
    pub fn pairs_by_scan(&self) -> Vec<(usize, usize, Sameness)> {
        let mut found = Vec::new();
        for (i, a) in self.keys.iter().enumerate() {
            for (j, b) in self.keys.iter().enumerate().skip(i + 1) {
                if let Some(sameness) = a.compare(b, self.threshold) {
                    found.push((i, j, sameness));
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUTIN: &str = "the Syrian president's fate should be entirely in the hands of the Syrian people";

    #[test]
    fn same_words_after_folding_are_the_same_text() {
        let a = TextKey::new("Assad must go.");
        let b = TextKey::new("  ASSAD must GO ");
        assert_eq!(a.compare(&b, NEAR_DUPLICATE), Some(Sameness::Same));
        assert_eq!(a.folded(), "assad must go");
        assert_eq!(
            TextKey::new("François Hollande").compare(&TextKey::new("Francois Hollande"), 0.8),
            Some(Sameness::Same)
        );
    }

    #[test]
    fn near_copies_match_and_different_statements_do_not() {
        let a = TextKey::new(PUTIN);
        let cut = TextKey::new(&format!("{PUTIN}, he said"));
        // 12 shingles against 14, 12 in common: Jaccard 0.857.
        assert_eq!(a.compare(&cut, 0.8), Some(Sameness::Near));
        assert_eq!(a.compare(&cut, 0.9), None);
        let other = TextKey::new(
            "fate should be entirely in the hands of the Syrian people, and of nobody else at all",
        );
        assert_eq!(a.compare(&other, 0.8), None);
    }

    #[test]
    fn the_index_finds_exact_matches_first_then_the_first_near_one() {
        let mut index = DuplicateIndex::new(0.5);
        index.insert(TextKey::new("We will never accept Assad"));
        index.insert(TextKey::new(&format!("{PUTIN}, he said")));
        index.insert(TextKey::new(PUTIN));
        assert_eq!(
            index.find(&TextKey::new(&format!("{PUTIN}."))),
            Some(Duplicate {
                of: 2,
                sameness: Sameness::Same
            })
        );
        // Jaccard 0.80 with the second text, 0.92 with the third: the second comes first.
        assert_eq!(
            index.find(&TextKey::new(&format!("{PUTIN} today"))),
            Some(Duplicate {
                of: 1,
                sameness: Sameness::Near
            })
        );
        assert_eq!(index.find(&TextKey::new("Air strikes must go on")), None);
        assert_eq!(index.pairs(), [(1, 2, Sameness::Near)]);
    }

    #[test]
    fn a_wider_or_narrower_cut_of_a_held_text_is_found_as_contained() {
        let mut index = DuplicateIndex::default();
        index.insert(TextKey::new("they would step up strikes in Syria and Iraq"));
        index.insert(TextKey::new("We will never accept that Assad stays"));
        let wider = TextKey::new(
            "they would step up strikes in Syria and Iraq, but neither committed to boots on the ground",
        );
        assert_eq!(
            index.find(&wider),
            Some(Duplicate {
                of: 0,
                sameness: Sameness::Contained
            })
        );
        assert_eq!(
            index.find(&TextKey::new("We will never accept")),
            None,
            "two shingles are too few to count as contained"
        );
        assert_eq!(
            index.find(&TextKey::new(
                "Syria and Iraq must act together against the terrorists"
            )),
            None,
            "one shared shingle of six is not containment"
        );
        // labels check's pairs do not report containment.
        index.insert(wider);
        assert_eq!(index.pairs(), []);
    }

    #[test]
    fn pairs_by_prefix_are_the_pairs_of_the_full_scan() {
        // The labelled statements, with near copies made by cutting, extending and repeating them.
        let labels = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("labels");
        let mut texts: Vec<String> = Vec::new();
        for file in crate::io::label_files(&[labels]).unwrap() {
            let mut reader = csv::Reader::from_path(file).unwrap();
            let at = reader
                .headers()
                .unwrap()
                .iter()
                .position(|h| h == "text")
                .unwrap();
            texts.extend(reader.records().map(|r| r.unwrap()[at].to_string()));
        }
        texts.truncate(250);
        let mut index = DuplicateIndex::new(NEAR_DUPLICATE);
        for (i, text) in texts.iter().enumerate() {
            let words: Vec<&str> = text.split(' ').collect();
            index.insert(TextKey::new(text));
            index.insert(TextKey::new(&words[..words.len() - words.len() / 6].join(" ")));
            index.insert(TextKey::new(&format!("{text}, he said on {i}")));
            if i % 5 == 0 {
                index.insert(TextKey::new(text));
            }
        }
        let by_scan = index.pairs_by_scan();
        assert!(
            by_scan.iter().any(|p| p.2 == Sameness::Near) && by_scan.iter().any(|p| p.2 == Sameness::Same)
        );
        assert_eq!(index.pairs(), by_scan);
        for threshold in [0.3, 0.5, 0.95, 1.0] {
            index.threshold = threshold;
            assert_eq!(index.pairs(), index.pairs_by_scan(), "threshold {threshold}");
        }
    }
}
