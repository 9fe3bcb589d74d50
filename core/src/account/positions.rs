//! A small hash table of positions for an account's [`super::LogIndex`] (ACC).
//!
//! An engine that takes the events of many buyers interleaved finds each buyer's index long
//! out of the cache at its next event, so what counts is the number of cache lines a look-up
//! and the insert after it touch. A general hash map keeps its control bytes and its entries
//! apart (two lines a look-up and insert) and one map a kind of key (ids, references: two
//! maps). This table keeps both kinds in one array of 8-byte entries, probed in order from
//! where the hash points (linear probing): a look-up that finds nothing stops at the first
//! empty entry, usually in the line it started in, and the insert that follows writes that
//! entry.
//!
//! Each entry holds the top 31 bits of the key's hash, its kind and its position. A key is
//! found by its hash bits and kind and then confirmed by the caller (`is`, which compares the
//! string itself), so two keys with the same hash bits are told apart exactly. A position
//! that does not fit the entry (4,294,967,295 or more), or a table that would outgrow its
//! largest size, leaves the table [`Lookup::Unknown`] for keys it does not hold: the caller
//! then scans, as for a key it cannot index.

/// What a look-up found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// The position of the key.
    Found(usize),
    /// The key is not in the table, and the table holds every key given to it.
    Absent,
    /// The key is not in the table, which missed a key it could not hold: scan.
    Unknown,
}

/// The two kinds of keys kept apart in one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An event id: its position in the log.
    Id = 0,
    /// An invoice reference: its index in the ledger's invoices.
    Reference = 1,
}

/// An entry no key has: its position would be `u32::MAX`, which no entry holds.
const EMPTY: u64 = u64::MAX;

/// The bits of an entry above its position: hash (31) and kind (1).
const TAG: u64 = !0xFFFF_FFFF;

/// The first table's length, and the largest's (as a power of two).
const FIRST: usize = 16;
const MAX_BITS: u32 = 30;

/// Positions by hash, for two kinds of keys; see the module's documentation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Positions {
    /// A power of two long, or empty.
    entries: Box<[u64]>,
    /// The entries in use.
    len: usize,
    /// A key was given that the table could not hold.
    missed: bool,
}

impl Positions {
    /// A table with room for `n` keys without growing.
    pub(crate) fn with_capacity(n: usize) -> Positions {
        let mut table = Positions::default();
        if n > 0 {
            table.resize(Self::length_for(n));
        }
        table
    }

    /// The number of keys held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The length that holds `n` keys at most three quarters full.
    fn length_for(n: usize) -> usize {
        n.saturating_mul(4).div_ceil(3).max(FIRST).next_power_of_two()
    }

    /// The tag of `hash` and `kind`: the hash's top 31 bits, then the kind.
    fn tag(hash: u64, kind: Kind) -> u64 {
        (hash & !((1u64 << 33) - 1)) | ((kind as u64) << 32)
    }

    /// Where the probe for a tag starts in a table of `bits` bits.
    fn start(tag: u64, bits: u32) -> usize {
        // `bits` is at most MAX_BITS (the hash bits the tag holds), or 64 for an empty table,
        // whose probe then starts past its end.
        (tag >> (64 - bits)) as usize
    }

    fn bits(&self) -> u32 {
        self.entries.len().trailing_zeros()
    }

    /// The key of `hash` and `kind` for which `is` says yes (given each position held under
    /// the same hash bits and kind, in probe order).
    pub(crate) fn get(&self, hash: u64, kind: Kind, mut is: impl FnMut(usize) -> bool) -> Lookup {
        let tag = Self::tag(hash, kind);
        let mask = self.entries.len().wrapping_sub(1);
        // Whether the probe ended on an empty entry (or found no table), as it does in a table
        // at most three quarters full; a probe that ran off the table (it cannot) says "scan",
        // not "absent". An empty table's probe starts past its end (`bits` is 64).
        let mut ended = self.entries.is_empty();
        let mut i = Self::start(tag, self.bits());
        while let Some(&e) = self.entries.get(i) {
            if e == EMPTY {
                ended = true;
                break;
            }
            if e & TAG == tag && is((e & !TAG) as usize) {
                return Lookup::Found((e & !TAG) as usize);
            }
            i = (i + 1) & mask;
        }
        if self.missed || !ended {
            Lookup::Unknown
        } else {
            Lookup::Absent
        }
    }

    /// Holds `position` for the key of `hash` and `kind`, which the table does not hold.
    pub(crate) fn insert(&mut self, hash: u64, kind: Kind, position: usize) {
        let Ok(position) = u32::try_from(position) else {
            self.missed = true;
            return;
        };
        if position == u32::MAX {
            self.missed = true;
            return;
        }
        if (self.len + 1).saturating_mul(4) > self.entries.len().saturating_mul(3) {
            let length = Self::length_for(self.len + 1);
            if length.trailing_zeros() > MAX_BITS {
                self.missed = true;
                return;
            }
            self.resize(length);
        }
        if self.place(Self::tag(hash, kind) | u64::from(position)) {
            self.len += 1;
        }
    }

    /// Puts an entry in the first empty place of its probe. A table that had none (it cannot:
    /// it is kept at most three quarters full) is marked as missing the entry, so that the
    /// caller scans for it rather than believing it absent.
    fn place(&mut self, entry: u64) -> bool {
        let mask = self.entries.len().wrapping_sub(1);
        let mut i = Self::start(entry & TAG, self.bits());
        while let Some(e) = self.entries.get_mut(i) {
            if *e == EMPTY {
                *e = entry;
                return true;
            }
            i = (i + 1) & mask;
        }
        self.missed = true;
        false
    }

    /// The entries again in a table `length` long (a power of two, at least the entries).
    fn resize(&mut self, length: usize) {
        let old = std::mem::replace(&mut self.entries, vec![EMPTY; length].into_boxed_slice());
        for e in old.iter().filter(|&&e| e != EMPTY) {
            if !self.place(*e) {
                self.len = self.len.saturating_sub(1);
            }
        }
    }

    /// Marks the table as missing a key (tests of the scan the caller falls back to).
    #[cfg(test)]
    pub(crate) fn set_missed(&mut self) {
        self.missed = true;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// The table and a map given the same keys answer the same, whatever the hashes (`hash`
    /// makes the key's hash) (ACC).
    fn same_as_a_map(keys: &[(u64, bool)], probes: &[(u64, bool)], capacity: usize, hash: fn(u64) -> u64) {
        let mut table = Positions::with_capacity(capacity);
        let mut model: HashMap<(u64, bool), usize> = HashMap::new();
        let kind = |r: bool| if r { Kind::Reference } else { Kind::Id };
        // The key's "string" is (hash, kind); the position of key n is n, and the check
        // compares the key at the position given.
        let mut held: Vec<(u64, bool)> = Vec::new();
        for &key in keys {
            let hash = hash(key.0);
            let found = table.get(hash, kind(key.1), |p| held.get(p) == Some(&key));
            match model.get(&key) {
                Some(&p) => assert_eq!(found, Lookup::Found(p)),
                None => {
                    assert_eq!(found, Lookup::Absent);
                    table.insert(hash, kind(key.1), held.len());
                    model.insert(key, held.len());
                    held.push(key);
                }
            }
        }
        assert_eq!(table.len(), model.len());
        for &key in probes.iter().chain(keys) {
            let hash = hash(key.0);
            let found = table.get(hash, kind(key.1), |p| held.get(p) == Some(&key));
            match model.get(&key) {
                Some(&p) => assert_eq!(found, Lookup::Found(p)),
                None => assert_eq!(found, Lookup::Absent),
            }
        }
    }

    #[test]
    fn keys_of_one_hash_are_told_apart_by_the_check_acc() {
        let mut table = Positions::default();
        for p in 0..100 {
            table.insert(42 << 40, Kind::Id, p);
        }
        table.insert(42 << 40, Kind::Reference, 7);
        for p in 0..100 {
            assert_eq!(table.get(42 << 40, Kind::Id, |q| q == p), Lookup::Found(p));
        }
        assert_eq!(table.get(42 << 40, Kind::Id, |_| false), Lookup::Absent);
        assert_eq!(table.get(42 << 40, Kind::Reference, |q| q == 7), Lookup::Found(7));
        assert_eq!(table.get(43 << 40, Kind::Reference, |_| true), Lookup::Absent);
        assert_eq!(table.len(), 101);
    }

    #[test]
    fn a_probe_that_starts_at_the_last_entry_wraps_to_the_first_acc() {
        // Hashes whose top bits are all ones start their probe at the table's last entry:
        // the second and third of one tag wrap around to the first entries.
        let top = u64::MAX;
        let mut table = Positions::with_capacity(3);
        for p in 0..3 {
            table.insert(top, Kind::Id, p);
        }
        table.insert(top, Kind::Reference, 9);
        for p in 0..3 {
            assert_eq!(table.get(top, Kind::Id, |q| q == p), Lookup::Found(p));
        }
        assert_eq!(table.get(top, Kind::Reference, |q| q == 9), Lookup::Found(9));
        assert_eq!(table.get(top, Kind::Id, |_| false), Lookup::Absent);
        assert_eq!(table.len(), 4);
        // The last entry and the first ones hold them: the probe went round.
        assert_ne!(table.entries.last(), Some(&EMPTY));
        assert_ne!(table.entries.first(), Some(&EMPTY));
    }

    #[test]
    fn a_position_the_table_cannot_hold_makes_it_unknown_acc() {
        let mut table = Positions::default();
        assert_eq!(table.get(1, Kind::Id, |_| true), Lookup::Absent);
        table.insert(1 << 40, Kind::Id, 3);
        table.insert(2 << 40, Kind::Id, u32::MAX as usize);
        assert_eq!(table.get(1 << 40, Kind::Id, |_| true), Lookup::Found(3));
        assert_eq!(table.get(2 << 40, Kind::Id, |_| true), Lookup::Unknown);
        if usize::BITS > 32 {
            let mut table = Positions::default();
            table.insert(1 << 40, Kind::Id, (u32::MAX as usize) + 1);
            assert_eq!(table.get(1 << 40, Kind::Id, |_| true), Lookup::Unknown);
        }
    }

    proptest! {
        #[test]
        fn the_table_answers_as_a_map_acc(
            keys in prop::collection::vec((0u64..64, any::<bool>()), 0..300),
            probes in prop::collection::vec((0u64..128, any::<bool>()), 0..50),
            capacity in 0usize..40,
        ) {
            // Eight tags, each of many keys (told apart by the check), so eight places where
            // probes start: long probes, and wrap-around at the end of the table.
            same_as_a_map(&keys, &probes, capacity, |k| (k & 7).rotate_right(3) | (k >> 3));
        }

        #[test]
        fn the_table_answers_as_a_map_with_spread_hashes_acc(
            keys in prop::collection::vec((any::<u64>(), any::<bool>()), 0..300),
            probes in prop::collection::vec((any::<u64>(), any::<bool>()), 0..50),
        ) {
            same_as_a_map(&keys, &probes, 0, |k| k);
        }
    }
}
