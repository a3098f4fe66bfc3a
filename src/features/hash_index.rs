//! The rank of every vocabulary term by the hash of its text, for scoring without building term
//! strings.
//!
//! An open-addressing table with linear probing, at most half full. Each slot is one `u64`: the
//! top bits of the term's hash (its fingerprint) above rank + 1, so a probe is a single load from a
//! flat array a third smaller than separate key and value arrays. `std`'s `HashMap` would hash the
//! hashes again and probe control bytes first, which costs more than the rest of scoring a term.
//! (Buckets of eight slots on one cache line, compared without branches, measured slower: the
//! eight comparisons cost more than the second probes they save.)

use super::hash;
use super::vocabulary::Vocabulary;

/// The index of vocabulary terms by hash (`hash::term_hash`), to their rank.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HashIndex {
    /// Fingerprint << `rank_bits` | (rank + 1) per slot; 0 where none.
    slots: Vec<u64>,
    /// Bits that hold rank + 1 below the fingerprint.
    rank_bits: u32,
    /// Slots − 1 (a power of two minus one).
    mask: usize,
}

impl HashIndex {
    /// The index of `terms`, the term of rank `r` being `terms[rank_order[r]]`; `None` when two
    /// terms share a fingerprint (lookups must then go by the term strings). A term outside the
    /// vocabulary is mistaken for one inside only if its fingerprint — the hash's top
    /// 64 − ⌈log2(terms + 1)⌉ bits, 49 with 20,000 terms — equals that of a term it is compared
    /// with: about 1 in 10^14 per probe. Terms go in most frequent first, so that they are the
    /// ones found at their first probe.
    pub(crate) fn new(vocabulary: &Vocabulary, rank_order: &[u32]) -> Option<HashIndex> {
        let terms = vocabulary.terms();
        let mut index = HashIndex::empty((terms.len() * 2).next_power_of_two().max(16), terms.len());
        let mut fingerprints = std::collections::HashSet::with_capacity(terms.len());
        for (rank, &column) in rank_order.iter().enumerate() {
            let hash = hash::term_hash(&terms[column as usize]);
            if !fingerprints.insert(hash >> index.rank_bits) {
                return None;
            }
            index.insert(hash, rank as u32);
        }
        Some(index)
    }

    /// A table of `slots` (a power of two) empty slots for up to `terms` terms.
    fn empty(slots: usize, terms: usize) -> HashIndex {
        assert!(slots.is_power_of_two() && terms < slots);
        HashIndex {
            slots: vec![0; slots],
            rank_bits: (u64::BITS - (terms as u64 + 1).leading_zeros()).max(1),
            mask: slots - 1,
        }
    }

    /// Puts the term of this hash and rank in the first free slot from its own on.
    fn insert(&mut self, hash: u64, rank: u32) {
        let mut slot = hash as usize & self.mask;
        while self.slots[slot] != 0 {
            slot = (slot + 1) & self.mask;
        }
        self.slots[slot] = (hash >> self.rank_bits << self.rank_bits) | u64::from(rank + 1);
    }

    /// The rank held in a slot value.
    fn rank(&self, slot: u64) -> u32 {
        (slot & ((1u64 << self.rank_bits) - 1)) as u32 - 1
    }

    /// The rank of the term with this hash, if it is in the vocabulary.
    #[cfg(test)]
    fn get(&self, hash: u64) -> Option<u32> {
        self.get_from(hash as usize & self.mask, hash)
    }

    /// `get`, probing from `slot` on.
    fn get_from(&self, mut slot: usize, hash: u64) -> Option<u32> {
        let fingerprint = hash >> self.rank_bits;
        loop {
            let entry = self.slots[slot];
            if entry == 0 {
                return None;
            }
            if entry >> self.rank_bits == fingerprint {
                return Some(self.rank(entry));
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// Calls `found` with the rank of each term of these hashes that is in the vocabulary, in
    /// order. Every first probe is loaded before any is examined: the loads do not wait on one
    /// another or on a branch, so they overlap instead of stalling one at a time on the cache.
    pub(crate) fn for_each_rank(
        &self,
        hashes: &[u64],
        first_probes: &mut Vec<u64>,
        mut found: impl FnMut(u32),
    ) {
        first_probes.clear();
        first_probes.extend(hashes.iter().map(|&hash| self.slots[hash as usize & self.mask]));
        for (&hash, &entry) in hashes.iter().zip(first_probes.iter()) {
            if entry == 0 {
                continue;
            }
            if entry >> self.rank_bits == hash >> self.rank_bits {
                found(self.rank(entry));
            } else if let Some(rank) = self.get_from((hash as usize + 1) & self.mask, hash) {
                found(rank);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{Featurizer, FeaturizerConfig, Weighting};

    fn featurizer(texts: &[String]) -> Featurizer {
        let config = FeaturizerConfig {
            char_ngrams: None,
            min_df: 1,
            max_features: None,
            weighting: Weighting::Tf,
            ..FeaturizerConfig::default()
        };
        Featurizer::fit(config, texts)
    }

    #[test]
    fn finds_every_term_at_its_rank_and_nothing_else() {
        let texts: Vec<String> = (0..3000).map(|i| format!("w{i} x{} shared", i % 7)).collect();
        let f = featurizer(&texts);
        let index = HashIndex::new(f.vocabulary(), f.rank_order()).expect("no fingerprint collision");
        let hashes: Vec<u64> = f
            .vocabulary()
            .terms()
            .iter()
            .map(|t| hash::term_hash(t))
            .collect();
        for (column, &hash) in hashes.iter().enumerate() {
            let rank = index.get(hash).expect("in the vocabulary");
            assert_eq!(f.rank_order()[rank as usize] as usize, column);
        }
        let absent: Vec<u64> = (0..10_000)
            .map(|i| hash::term_hash(&format!("absent{i}")))
            .collect();
        assert!(absent.iter().all(|&h| index.get(h).is_none()));
        // The batch lookup gives the same ranks, absent terms dropped.
        let mixed: Vec<u64> = hashes.iter().zip(&absent).flat_map(|(&a, &b)| [a, b]).collect();
        let (mut scratch, mut ranks) = (Vec::new(), Vec::new());
        index.for_each_rank(&mixed, &mut scratch, |rank| ranks.push(rank));
        let expected: Vec<u32> = hashes
            .iter()
            .take(absent.len())
            .map(|&h| index.get(h).unwrap())
            .collect();
        assert_eq!(ranks, expected);
        // The most frequent terms come first in rank order.
        assert_eq!(f.term(f.rank_order()[0] as usize), "shared");
    }

    #[test]
    fn a_crowded_table_probes_past_other_terms() {
        // 16 slots for 14 terms: most lookups probe past other terms.
        let terms: Vec<String> = (0..14).map(|i| format!("t{i}")).collect();
        let mut index = HashIndex::empty(16, terms.len());
        for (rank, term) in terms.iter().enumerate() {
            index.insert(hash::term_hash(term), rank as u32);
        }
        for (rank, term) in terms.iter().enumerate() {
            assert_eq!(index.get(hash::term_hash(term)), Some(rank as u32), "{term}");
        }
        let absent: Vec<u64> = (0..100).map(|i| hash::term_hash(&format!("absent{i}"))).collect();
        assert!(absent.iter().all(|&h| index.get(h).is_none()));
        let hashes: Vec<u64> = terms.iter().map(|t| hash::term_hash(t)).chain(absent).collect();
        let (mut scratch, mut ranks) = (Vec::new(), Vec::new());
        index.for_each_rank(&hashes, &mut scratch, |rank| ranks.push(rank));
        assert_eq!(ranks, (0..14).collect::<Vec<u32>>());
    }
}
