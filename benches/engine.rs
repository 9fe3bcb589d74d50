//! The engine handle (issue #23): a policy and 10,000 buyers' accounts held between calls.
//!
//! - `engine/cover_figures` and `engine/cover_figures_by_key`: a prepared cover check, the
//!   figures alone, the buyer named by its `BuyerId` or by its key (goal: under 100 ns);
//! - `engine/cover_figures_json`: the same check by method name, JSON text in and out (the
//!   native figure the WASM build's `Engine.coverFigures` is compared with);
//! - `engine/check_cover`: the explained `Decision` (goal: under 2 µs);
//! - `engine/apply_invoice`: one invoice applied to a buyer whose log grows by each invoice,
//!   amortized over chunks of 20,000 (goal: under 1 µs);
//! - `engine/apply_1m_events`: 1,000,000 events (10,000 buyers × 100: a limit applied and
//!   granted, 49 invoices, 49 payments) applied one by one in date order, buyers interleaved,
//!   as an ERP sends them (goal: under 0.5 s); `engine/apply_1m_events_buyer_by_buyer` the
//!   same events, each buyer's in date order, one buyer after the other (a history loaded
//!   buyer by buyer: the same work, its memory touched in order);
//! - `engine/restore_1m_events` and `engine/snapshot_1m_events`: the same engine restored from
//!   and written to its JSON snapshot (goal for restore: under 100 ms); `engine/load_1m_events`
//!   loads the same logs from typed DTOs (each log replayed), without the JSON;
//!   `engine/restore_floor_clone_1m_events` clones the engine (the floor of any restore that
//!   builds its state as it is held) and `engine/restore_floor_clone_logs_1m_events` clones
//!   the logs alone.
//! - `engine/restore_bytes_1m_events`: the same engine restored from its binary snapshot
//!   (format 2: each log with the state read from it, nothing replayed; goal under 100 ms), on
//!   the threads the machine offers; `engine/restore_bytes_1m_events_1_thread` on one thread;
//!   `engine/snapshot_bytes_1m_events` writes the bytes.
//!
//! The bench runs under mimalloc, the allocator the Python module ships (as `benches/batch.rs`
//! does): an engine of 10,000 buyers whose events arrive interleaved touches a page per
//! structure per event, and mimalloc's segments (huge pages where the system allows them) keep
//! that cheap. `benches/engine_system_alloc.rs` runs the same benches under the C library's
//! allocator, the default of a Rust program that does not choose one
//! (`cargo bench -p delcredere --bench engine_system_alloc`); spec/engine.md, "Speed", has both.
//!
//! Run: `cargo bench -p delcredere --bench engine` (add `-- --quick` for a shorter run).

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{criterion_group, criterion_main};

/// The Python module's allocator (bindings-python/src/lib.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/engine_body.rs"]
mod body;
#[path = "support/events.rs"]
mod events;

fn bench(c: &mut criterion::Criterion) {
    body::bench(c, "engine");
}

criterion_group!(benches, bench);
criterion_main!(benches);
