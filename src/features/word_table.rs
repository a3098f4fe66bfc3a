//! A small fixed table from a word's hash (`Words::hashes`) to a value, for the word lists that
//! feature families look every word of a statement up in (target mentions, cues, the sentiment
//! lexicon).
//!
//! Open addressing with linear probing, at most half full, keys and values in separate flat
//! arrays: a word not in the list costs one multiply and usually one load, which matters on the
//! scoring path (`std`'s `HashMap` would hash the hash again with SipHash).

/// Word hash → value, built once from a word list.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordTable<T> {
    /// The hash in each slot; `EMPTY` where none.
    keys: Vec<u64>,
    values: Vec<Option<T>>,
    shift: u32,
}

/// The key of an empty slot. A word whose hash is this is stored under `EMPTY_STAND_IN`.
const EMPTY: u64 = 0;
const EMPTY_STAND_IN: u64 = 1;

fn key(hash: u64) -> u64 {
    if hash == EMPTY {
        EMPTY_STAND_IN
    } else {
        hash
    }
}

impl<T> WordTable<T> {
    /// A table of these (hash, value) pairs; for a hash given twice, `merge` folds the later value
    /// into the earlier one.
    pub(crate) fn new(entries: impl IntoIterator<Item = (u64, T)>, merge: impl Fn(&mut T, T)) -> Self {
        let entries: Vec<(u64, T)> = entries.into_iter().collect();
        let slots = (entries.len() * 2).next_power_of_two().max(16);
        let mut table = WordTable {
            keys: vec![EMPTY; slots],
            values: (0..slots).map(|_| None).collect(),
            shift: u64::BITS - slots.trailing_zeros(),
        };
        for (hash, value) in entries {
            let hash = key(hash);
            let mut slot = table.slot(hash);
            loop {
                if table.keys[slot] == EMPTY {
                    table.keys[slot] = hash;
                    table.values[slot] = Some(value);
                    break;
                }
                if table.keys[slot] == hash {
                    if let Some(existing) = table.values[slot].as_mut() {
                        merge(existing, value);
                    }
                    break;
                }
                slot = (slot + 1) & (table.keys.len() - 1);
            }
        }
        table
    }

    /// The first slot a hash is looked for in: the top bits of a multiplicative mix, since word
    /// hashes have no finaliser of their own.
    #[inline]
    fn slot(&self, hash: u64) -> usize {
        (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// The value of a word's hash, if the word is in the table.
    #[inline]
    pub(crate) fn get(&self, hash: u64) -> Option<&T> {
        if self.keys.is_empty() {
            return None;
        }
        let hash = key(hash);
        let mut slot = self.slot(hash);
        loop {
            match self.keys[slot] {
                EMPTY => return None,
                k if k == hash => return self.values[slot].as_ref(),
                _ => slot = (slot + 1) & (self.keys.len() - 1),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_word_and_only_those() {
        let table = WordTable::new((0..1000u64).map(|i| (i * 7919, i)), |a, b| *a += b);
        for i in 0..1000u64 {
            assert_eq!(table.get(i * 7919), Some(&i));
        }
        assert_eq!(table.get(3), None);
        let merged = WordTable::new([(5, 1), (5, 2), (0, 9)], |a, b| *a += b);
        assert_eq!(merged.get(5), Some(&3));
        assert_eq!(merged.get(0), Some(&9));
        assert_eq!(WordTable::<u8>::default().get(5), None);
    }
}
