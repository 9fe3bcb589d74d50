//! An account's log kept in chunks that never move (ACC).
//!
//! A `Vec` of events moves every event it holds each time it outgrows its capacity; an engine
//! that takes the events of many buyers interleaved, as an ERP sends them, pays each of those
//! copies in cache misses (the buyer's log is long out of the cache by its next event). A
//! [`Log`] instead keeps its events in chunks: a full chunk stays where it is and the next
//! event opens a new one, as large as the log so far (so there are few chunks and the space
//! kept in reserve is at most what a `Vec` keeps). An event is never moved once kept, except
//! when one is put before the last (an event dated earlier, which reads the account again
//! anyway): the log is then made one chunk.

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use super::AccountEventDto;

/// The capacity of a log's first chunk, and the least of any chunk it opens.
const FIRST_CHUNK: usize = 8;

/// The events of one buyer's account, in the order they are read (date order, ties in
/// arrival order). Read it as a sequence: [`Log::iter`], [`Log::get`], [`Log::len`],
/// [`Log::to_vec`]; it serializes as a JSON array of events.
#[derive(Clone, Default)]
pub struct Log {
    /// The chunks before the last, in order, none empty and none with room; boxed, as a push
    /// does not read them (a log is held in each buyer's slot, whose size counts).
    #[allow(clippy::box_collection)] // deliberate: 8 bytes in the slot instead of 24
    full: Option<Box<Vec<Vec<AccountEventDto>>>>,
    /// The last chunk, where the next event goes while it has room (`len < capacity`); held
    /// here, not behind `full`'s pointer, so a push reads one place. Empty only when the log is.
    tail: Vec<AccountEventDto>,
    /// The number of events in `full`.
    before_tail: usize,
}

impl Log {
    /// The number of events.
    pub fn len(&self) -> usize {
        self.before_tail + self.tail.len()
    }

    /// Whether the log has no events.
    pub fn is_empty(&self) -> bool {
        self.tail.is_empty()
    }

    /// The events in the order they are read.
    pub fn iter(&self) -> Iter<'_> {
        self.full_chunks().iter().flatten().chain(self.tail.iter())
    }

    /// The chunks before the last.
    fn full_chunks(&self) -> &[Vec<AccountEventDto>] {
        self.full.as_deref().map_or(&[], Vec::as_slice)
    }

    /// The `k`-th event, if the log has that many.
    pub fn get(&self, k: usize) -> Option<&AccountEventDto> {
        if k >= self.before_tail {
            return self.tail.get(k - self.before_tail);
        }
        let mut k = k;
        for chunk in self.full_chunks() {
            match chunk.get(k) {
                Some(e) => return Some(e),
                None => k -= chunk.len(),
            }
        }
        None
    }

    /// The last event.
    pub fn last(&self) -> Option<&AccountEventDto> {
        self.tail.last()
    }

    /// The events, copied into a `Vec`.
    pub fn to_vec(&self) -> Vec<AccountEventDto> {
        let mut out = Vec::with_capacity(self.len());
        out.extend(self.iter().cloned());
        out
    }

    /// Keeps `event` after the last, without moving the events kept: in the last chunk while
    /// it has room, else in a new one as large as the log so far.
    pub(crate) fn push(&mut self, event: AccountEventDto) {
        if self.tail.len() == self.tail.capacity() {
            let len = self.len();
            let full = std::mem::replace(&mut self.tail, Vec::with_capacity(len.max(FIRST_CHUNK)));
            if !full.is_empty() {
                self.before_tail += full.len();
                self.full.get_or_insert_with(Box::default).push(full);
            }
        }
        self.tail.push(event);
    }

    /// Takes the last event off.
    pub(crate) fn pop(&mut self) -> Option<AccountEventDto> {
        let event = self.tail.pop();
        if self.tail.is_empty() {
            if let Some(chunk) = self.full.as_deref_mut().and_then(Vec::pop) {
                self.before_tail -= chunk.len();
                self.tail = chunk;
            }
        }
        event
    }

    /// The position after the last event dated on or before `date`: where an event of that
    /// date goes (after the events of its day).
    pub(crate) fn position_after(&self, date: NaiveDate) -> usize {
        let mut before = 0;
        for chunk in self.full_chunks().iter().chain(std::iter::once(&self.tail)) {
            if chunk.last().is_some_and(|e| e.date() <= date) {
                before += chunk.len();
            } else {
                return before + chunk.partition_point(|e| e.date() <= date);
            }
        }
        before
    }

    /// Puts `event` at `position` (after the last when that is more than [`Log::len`]); one
    /// before the last makes the log one chunk.
    pub(crate) fn insert(&mut self, position: usize, event: AccountEventDto) {
        if position >= self.len() {
            return self.push(event);
        }
        let mut one = self.take_as_one(1);
        one.insert(position, event);
        self.tail = one;
    }

    /// Takes off the event at `position`, if there is one; one before the last makes the log
    /// one chunk.
    pub(crate) fn remove(&mut self, position: usize) -> Option<AccountEventDto> {
        let len = self.len();
        if position >= len {
            return None;
        }
        if position == len - 1 {
            return self.pop();
        }
        let mut one = self.take_as_one(0);
        let event = one.remove(position);
        self.tail = one;
        Some(event)
    }

    /// The events taken out as one `Vec` with room for `more` (the log left empty).
    fn take_as_one(&mut self, more: usize) -> Vec<AccountEventDto> {
        let tail = std::mem::take(&mut self.tail);
        let Some(full) = self.full.take() else {
            return tail;
        };
        let mut one = Vec::with_capacity(self.len() + tail.len() + more);
        for chunk in *full {
            one.extend(chunk);
        }
        one.extend(tail);
        self.before_tail = 0;
        one
    }
}

/// The events of a [`Log`] in order.
pub type Iter<'a> = std::iter::Chain<
    std::iter::Flatten<std::slice::Iter<'a, Vec<AccountEventDto>>>,
    std::slice::Iter<'a, AccountEventDto>,
>;

impl From<Vec<AccountEventDto>> for Log {
    /// The events as one chunk, not moved: a log read whole (a replay, a restore) costs no
    /// copy.
    fn from(events: Vec<AccountEventDto>) -> Log {
        Log {
            full: None,
            tail: events,
            before_tail: 0,
        }
    }
}

impl<'a> IntoIterator for &'a Log {
    type Item = &'a AccountEventDto;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl PartialEq for Log {
    /// The same events in the same order, however they are chunked.
    fn eq(&self, other: &Log) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Log {}

impl PartialEq<[AccountEventDto]> for Log {
    fn eq(&self, other: &[AccountEventDto]) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl PartialEq<Vec<AccountEventDto>> for Log {
    fn eq(&self, other: &Vec<AccountEventDto>) -> bool {
        *self == **other
    }
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Log {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::calendar::IsoDate;
    use proptest::prelude::*;

    /// An event `k` on day `day` of 2026.
    fn event(k: usize, day: u32) -> AccountEventDto {
        AccountEventDto::OverdueReported {
            id: format!("e{k}"),
            date: IsoDate(NaiveDate::from_yo_opt(2026, day).unwrap()),
        }
    }

    fn same(log: &Log, model: &[AccountEventDto]) {
        assert_eq!(log.len(), model.len());
        assert_eq!(log.is_empty(), model.is_empty());
        assert_eq!(log.to_vec(), model);
        assert_eq!(log.last(), model.last());
        assert!(log.iter().rev().eq(model.iter().rev()));
        for (k, e) in model.iter().enumerate() {
            assert_eq!(log.get(k), Some(e));
        }
        assert_eq!(log.get(model.len()), None);
        assert!(*log == *model);
        assert_eq!(
            serde_json::to_string(log).unwrap(),
            serde_json::to_string(model).unwrap()
        );
    }

    /// Events pushed past many chunk boundaries stay where they were put: each is at the
    /// address it had when pushed (ACC).
    #[test]
    fn pushed_events_never_move_acc() {
        let mut log = Log::default();
        let mut model = Vec::new();
        let mut at = Vec::new();
        for k in 0..300 {
            log.push(event(k, 1 + (k / 10) as u32));
            model.push(event(k, 1 + (k / 10) as u32));
            at.push(std::ptr::from_ref(log.get(k).unwrap()));
            same(&log, &model);
        }
        for (k, &p) in at.iter().enumerate() {
            assert!(std::ptr::eq(log.get(k).unwrap(), p), "event {k} moved");
        }
        assert!(log.full_chunks().len() > 3, "{} chunks", log.full_chunks().len() + 1);
    }

    /// An event put before the last, in a log of several chunks, goes to its place; taken off
    /// again, the log is the one before; popping across a chunk boundary keeps the order.
    #[test]
    fn insert_remove_and_pop_across_chunks_acc() {
        let mut log = Log::from(vec![event(0, 1), event(1, 2)]);
        let mut model = log.to_vec();
        for k in 2..40 {
            log.push(event(k, 1 + k as u32));
            model.push(event(k, 1 + k as u32));
        }
        let late = event(99, 5);
        let at = log.position_after(NaiveDate::from_yo_opt(2026, 5).unwrap());
        assert_eq!(at, model.partition_point(|e| e.date() <= late.date()));
        log.insert(at, late.clone());
        model.insert(at, late.clone());
        same(&log, &model);
        assert_eq!(log.remove(at), Some(late));
        model.remove(at);
        same(&log, &model);
        assert_eq!(log.remove(model.len()), None);
        while let Some(e) = log.pop() {
            assert_eq!(Some(e), model.pop());
            same(&log, &model);
        }
        assert!(model.is_empty());
    }

    /// A log reads the size of its largest event for each: the evidence of a self-assessment
    /// is boxed so that the common events (invoices, payments) take 112 bytes, not 176.
    #[test]
    fn an_event_takes_at_most_112_bytes_acc() {
        assert!(std::mem::size_of::<AccountEventDto>() <= 112);
    }

    proptest! {
        /// Any sequence of pushes, inserts, removals and pops leaves the log equal to a `Vec`
        /// given the same (ACC).
        #[test]
        fn a_log_is_the_vec_of_its_events_acc(
            start in 0usize..20,
            ops in prop::collection::vec((0u8..4, 0usize..400), 0..200),
        ) {
            let mut model: Vec<AccountEventDto> = (0..start).map(|k| event(k, 1)).collect();
            let mut log = Log::from(model.clone());
            for (n, (op, at)) in ops.into_iter().enumerate() {
                let e = event(1000 + n, 1);
                match op {
                    0 | 1 => {
                        log.push(e.clone());
                        model.push(e);
                    }
                    2 => {
                        let at = at.min(model.len());
                        log.insert(at, e.clone());
                        model.insert(at, e);
                    }
                    _ if at < model.len() => prop_assert_eq!(log.remove(at), Some(model.remove(at))),
                    _ => prop_assert_eq!(log.pop(), model.pop()),
                }
                prop_assert_eq!(log.len(), model.len());
            }
            same(&log, &model);
        }
    }
}
