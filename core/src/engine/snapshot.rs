//! The engine's binary snapshot, format 2 (`spec/engine.md`, "Binary snapshot"): beside the
//! JSON snapshot of format 1, the engine as bytes that restore without reading any rule again
//! (ACC).
//!
//! Layout (integers little-endian; `len` is LEB128, 7 bits a byte, low first):
//!
//! ```text
//! magic "DLCRSNAP" (8 bytes) | format version u32 = 2 | checksum u64 of the head | head length u64
//! head:   policy (len + its JSON) | buyers (len) | blocks (len) | per block: buyers (len),
//!         bytes u64, checksum u64
//! blocks: back to back, each its buyers: key (len + UTF-8) | buyer (len + its JSON) | account
//! ```
//!
//! An account is its log (the common events in fixed fields, any other as its JSON) and the
//! ledger read from it, see `crate::account::snapshot`. The blocks (of [`BLOCK_BUYERS`] buyers)
//! are checked and decoded on several threads. The checksums find a snapshot cut short or
//! edited (a typed error, never a panic); they are not a signature: a snapshot is the engine's
//! own output, trusted as such once it checks.

use std::sync::RwLock;
use std::thread;

use super::{Engine, KeptBatch, Slot};
use crate::account::{damaged, Account, Reader, Terms, Writer};
use crate::buyer::BuyerDto;
use crate::error::Error;
use crate::policy::PolicyDto;

/// The binary snapshot format [`Engine::snapshot_bytes`] writes, and the only one
/// [`Engine::restore_bytes`] reads.
pub const SNAPSHOT_BYTES_FORMAT_VERSION: u32 = 2;

/// The first 8 bytes of a binary snapshot.
const MAGIC: [u8; 8] = *b"DLCRSNAP";

/// Magic, version, checksum, head length.
const HEADER: usize = 8 + 4 + 8 + 8;

/// Buyers a block holds (the last one fewer): the unit the threads share.
pub(crate) const BLOCK_BUYERS: usize = 256;

/// Fewest snapshot bytes a thread is given: a smaller snapshot restores on fewer threads.
const MIN_BYTES_PER_THREAD: usize = 1 << 20;

/// A 64-bit checksum of `bytes`, part of the format (`spec/engine.md`): the bytes read as
/// little-endian 8-byte words (the last one padded with zeros) into four lanes in turn, each
/// `lane = rotl((lane ^ word) * K, 31)`, then the length and the lanes folded the same way.
/// Each step is one-to-one in the word, so any change of one word (a byte edited) changes the
/// sum, and the length is in it (a snapshot cut short).
pub fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let step = |lane: u64, word: u64| (lane ^ word).wrapping_mul(K).rotate_left(31);
    let word = |w: &[u8]| u64::from_le_bytes(<[u8; 8]>::try_from(w).unwrap_or_default());
    let mut lanes = [K, K.rotate_left(16), K.rotate_left(32), K.rotate_left(48)];
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        for (lane, w) in lanes.iter_mut().zip(chunk.chunks_exact(8)) {
            *lane = step(*lane, word(w));
        }
    }
    let mut tail = [0u8; 32];
    let rest = chunks.remainder();
    if let Some(t) = tail.get_mut(..rest.len()) {
        t.copy_from_slice(rest);
    }
    for (lane, w) in lanes.iter_mut().zip(tail.chunks_exact(8)) {
        *lane = step(*lane, word(w));
    }
    lanes.iter().fold(step(K, bytes.len() as u64), |h, &lane| step(h, lane))
}

/// Whether `bytes` start as a binary snapshot does (its magic, `DLCRSNAP`): how a caller given
/// either kind of snapshot as bytes tells [`Engine::restore_bytes`]'s from
/// [`Engine::restore`]'s (JSON text), without reading further.
pub fn is_snapshot_bytes(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// One block of the head's table: its buyers, its bytes, their checksum.
struct Block<'a> {
    buyers: usize,
    bytes: &'a [u8],
    checksum: u64,
}

/// A decoded buyer.
type Decoded = (String, BuyerDto, Account);

impl Engine {
    /// The engine as bytes in binary snapshot format [`SNAPSHOT_BYTES_FORMAT_VERSION`] (2): the
    /// policy, then each buyer with its log and what the engine read from it, so that
    /// [`Engine::restore_bytes`] reads no rule again (ACC). Beside [`Engine::snapshot`] (JSON,
    /// format 1), not instead of it: the JSON is the format to read or edit, the bytes the one
    /// to restore fast; `spec/engine.md` describes both.
    pub fn snapshot_bytes(&self) -> Result<Vec<u8>, Error> {
        let internal = |e: serde_json::Error| Error::Internal { detail: e.to_string() };
        let mut blocks = Vec::new();
        let mut table: Vec<(usize, usize, u64)> = Vec::new();
        for group in self.slots.chunks(BLOCK_BUYERS) {
            let mut w = Writer::default();
            for slot in group {
                w.str(&slot.key);
                w.str(&serde_json::to_string(&*slot.buyer).map_err(internal)?);
                slot.account.write_snapshot(&mut w, &self.terms)?;
            }
            let bytes = w.into_section();
            table.push((group.len(), bytes.len(), checksum(&bytes)));
            blocks.extend_from_slice(&bytes);
        }
        let mut w = Writer::default();
        w.str(&serde_json::to_string(self.terms.dto()).map_err(internal)?);
        w.len(self.slots.len());
        w.len(table.len());
        for &(buyers, bytes, sum) in &table {
            w.len(buyers);
            w.u64(bytes as u64);
            w.u64(sum);
        }
        let head = w.into_section();
        let mut out = Vec::with_capacity(HEADER + head.len() + blocks.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&SNAPSHOT_BYTES_FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&checksum(&head).to_le_bytes());
        out.extend_from_slice(&(head.len() as u64).to_le_bytes());
        out.extend_from_slice(&head);
        out.extend_from_slice(&blocks);
        Ok(out)
    }

    /// An engine from the bytes of [`Engine::snapshot_bytes`]: equal to the engine that wrote
    /// them, with the same answers, restored without reading the logs again (the usual
    /// accounts; see `spec/engine.md`), on as many threads as the machine offers
    /// ([`crate::batch::available_threads`]) for a large snapshot. Another format version is
    /// `unsupported_snapshot` (field `formatVersion`); bytes that are not a whole snapshot
    /// (cut short, edited: the checksums) are `invalid_type` at `snapshot`.
    pub fn restore_bytes(bytes: &[u8]) -> Result<Engine, Error> {
        Engine::restore_bytes_in_threads(bytes, crate::batch::available_threads())
    }

    /// [`Engine::restore_bytes`] on at most `threads` threads (1: on the caller's thread alone).
    pub fn restore_bytes_in_threads(bytes: &[u8], threads: usize) -> Result<Engine, Error> {
        let (policy, buyers, blocks) = read_head(bytes)?;
        let mut engine = Engine::new(&policy)?;
        let parts = threads
            .min(blocks.len())
            .min(bytes.len() / MIN_BYTES_PER_THREAD + 1)
            .max(1);
        let terms = &engine.terms;
        let decoded: Vec<Vec<Decoded>> = if parts == 1 {
            vec![read_blocks(&blocks, terms)?]
        } else {
            // The first range on this thread (its allocator's memory is warm), the others on
            // threads of their own.
            let ranges = split(&blocks, parts);
            let part = |r: &std::ops::Range<usize>| blocks.get(r.clone()).unwrap_or_default();
            thread::scope(|s| {
                let handles: Vec<_> = ranges
                    .iter()
                    .skip(1)
                    .map(|r| {
                        let part = part(r);
                        s.spawn(move || read_blocks(part, terms))
                    })
                    .collect();
                let first = ranges.first().map_or(Ok(Vec::new()), |r| read_blocks(part(r), terms));
                std::iter::once(first)
                    .chain(handles.into_iter().map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(Error::Internal {
                                detail: "a restore thread panicked".into(),
                            })
                        })
                    }))
                    .collect::<Result<Vec<_>, Error>>()
            })?
        };
        engine.slots.reserve(buyers);
        engine.keys.reserve(buyers);
        for (key, buyer, account) in decoded.into_iter().flatten() {
            let i = engine.slots.len();
            if engine.keys.insert(key.clone(), i).is_some() {
                return Err(damaged("a buyer's key twice"));
            }
            engine.slots.push(Slot {
                key: key.into(),
                buyer: Box::new(buyer),
                account,
                index: None,
                prepared: RwLock::new(None),
            });
        }
        if engine.slots.len() != buyers {
            return Err(damaged("fewer buyers than the head counts"));
        }
        engine.quick.resize(buyers);
        engine.batch = KeptBatch::default();
        Ok(engine)
    }
}

/// The header and the head: the policy, the number of buyers and the blocks, each checked to
/// lie within `bytes`, which they fill exactly.
fn read_head(bytes: &[u8]) -> Result<(PolicyDto, usize, Vec<Block<'_>>), Error> {
    let mut r = Reader::new(bytes);
    let magic = r.take(MAGIC.len()).map_err(|_| not_binary(bytes))?;
    if magic != MAGIC {
        return Err(not_binary(bytes));
    }
    let version = r.u32()?;
    if version != SNAPSHOT_BYTES_FORMAT_VERSION {
        return Err(Error::UnsupportedSnapshot {
            field: "formatVersion".into(),
            value: version.to_string(),
            expected: SNAPSHOT_BYTES_FORMAT_VERSION.to_string(),
        });
    }
    let sum = r.u64()?;
    let head_len = usize::try_from(r.u64()?).map_err(|_| damaged("cut short"))?;
    let head = r.take(head_len)?;
    if checksum(head) != sum {
        return Err(damaged("the head's checksum does not match"));
    }
    let mut h = Reader::section(head)?;
    let policy: PolicyDto =
        serde_json::from_str(h.str()?).map_err(|_| damaged("a policy that is not a policy's JSON"))?;
    let buyers = h.len()?;
    let n = h.count(17)?;
    let mut blocks = Vec::with_capacity(n);
    let mut counted = 0usize;
    for _ in 0..n {
        let block_buyers = h.len()?;
        let len = usize::try_from(h.u64()?).map_err(|_| damaged("cut short"))?;
        let checksum = h.u64()?;
        counted = counted.saturating_add(block_buyers);
        let bytes = r.take(len)?;
        // A buyer takes at least 4 bytes (its key's and details' lengths, its log's, its ledger
        // tag): a count beyond that allocates nothing.
        if block_buyers > bytes.len() / 4 {
            return Err(damaged("a block counts more buyers than its bytes hold"));
        }
        blocks.push(Block {
            buyers: block_buyers,
            bytes,
            checksum,
        });
    }
    if !h.at_end() || !r.at_end() {
        return Err(damaged("bytes after the last block"));
    }
    if counted != buyers {
        return Err(damaged("the blocks hold another number of buyers than the head counts"));
    }
    Ok((policy, buyers, blocks))
}

/// What bytes that do not start with the magic are.
fn not_binary(bytes: &[u8]) -> Error {
    if MAGIC.starts_with(bytes) {
        damaged("cut short")
    } else if bytes.trim_ascii_start().starts_with(b"{") {
        damaged("this is a JSON snapshot: restore() reads it")
    } else {
        damaged("not a binary snapshot")
    }
}

/// Blocks checked and decoded, in order.
fn read_blocks(blocks: &[Block<'_>], terms: &Terms) -> Result<Vec<Decoded>, Error> {
    let mut out = Vec::with_capacity(blocks.iter().map(|b| b.buyers).sum::<usize>().min(1 << 24));
    for block in blocks {
        if checksum(block.bytes) != block.checksum {
            return Err(damaged("a block's checksum does not match"));
        }
        let mut r = Reader::section(block.bytes)?;
        for _ in 0..block.buyers {
            let key = r.string()?;
            let buyer: BuyerDto =
                serde_json::from_str(r.str()?).map_err(|_| damaged("a buyer that is not a buyer's JSON"))?;
            let account = Account::read_snapshot(&mut r, terms)?;
            out.push((key, buyer, account));
        }
        if !r.at_end() {
            return Err(damaged("bytes after a block's last buyer"));
        }
    }
    Ok(out)
}

/// `blocks` cut into `parts` contiguous ranges of about as many bytes each.
fn split(blocks: &[Block<'_>], parts: usize) -> Vec<std::ops::Range<usize>> {
    let total: usize = blocks.iter().map(|b| b.bytes.len()).sum();
    let mut ranges = Vec::with_capacity(parts);
    let (mut from, mut seen) = (0usize, 0usize);
    for (i, b) in blocks.iter().enumerate() {
        seen += b.bytes.len();
        if ranges.len() + 1 < parts && seen.saturating_mul(parts) >= (ranges.len() + 1).saturating_mul(total) {
            ranges.push(from..i + 1);
            from = i + 1;
        }
    }
    ranges.push(from..blocks.len());
    ranges
}

impl Engine {
    /// Whether `other` holds the same derived state as this engine: each buyer's ledger, the
    /// state read from its log, equal field by field (for the tests of
    /// [`Engine::restore_bytes`], which decodes it instead of reading the log).
    #[doc(hidden)]
    pub fn same_derived_state(&self, other: &Engine) -> bool {
        self.slots.len() == other.slots.len()
            && self
                .slots
                .iter()
                .zip(&other.slots)
                .all(|(a, b)| a.account.ledger_debug() == b.account.ledger_debug())
    }
}

/// `bytes` with every checksum written again for its content (when the header and the head
/// read as a snapshot's; else unchanged): for the fuzz target `engine_restore_bytes`, so that
/// an edit reaches the decoder behind the checksums.
#[doc(hidden)]
pub fn reseal(bytes: &mut [u8]) {
    let Some(head_len) = bytes
        .get(20..28)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .and_then(|b| usize::try_from(u64::from_le_bytes(b)).ok())
    else {
        return;
    };
    let Some(head_end) = HEADER.checked_add(head_len).filter(|&end| end <= bytes.len()) else {
        return;
    };
    // The blocks' checksums first (their places in the head), then the head's.
    let mut places = Vec::new();
    {
        let Some(head) = bytes.get(HEADER..head_end) else {
            return;
        };
        let Ok(mut h) = Reader::section(head) else { return };
        let table = (|| -> Result<(), Error> {
            let _policy = h.str()?;
            let _buyers = h.len()?;
            let n = h.count(17)?;
            let mut at = head_end;
            for _ in 0..n {
                let _ = h.len()?;
                let len = usize::try_from(h.u64()?).map_err(|_| damaged("cut short"))?;
                let place = HEADER + h.offset_in_section(head.len());
                let _ = h.u64()?;
                let end = at.checked_add(len).ok_or_else(|| damaged("cut short"))?;
                places.push((place, at, end));
                at = end;
            }
            Ok(())
        })();
        if table.is_err() {
            places.clear();
        }
    }
    for (place, from, to) in places {
        if let Some(sum) = bytes.get(from..to).map(checksum) {
            if let Some(slot) = bytes.get_mut(place..place + 8) {
                slot.copy_from_slice(&sum.to_le_bytes());
            }
        }
    }
    if let Some(sum) = bytes.get(HEADER..head_end).map(checksum) {
        if let Some(slot) = bytes.get_mut(12..20) {
            slot.copy_from_slice(&sum.to_le_bytes());
        }
    }
}
