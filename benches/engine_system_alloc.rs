//! The engine benches of `benches/engine.rs` under the C library's allocator (no
//! `#[global_allocator]`: what a Rust program that does not choose one gets), to compare with
//! mimalloc, which `benches/engine.rs` runs under. Figures: spec/engine.md, "Speed".
//!
//! Its benches are named `engine_system_alloc/...` (`engine/...` under mimalloc).
//!
//! Run: `cargo bench -p delcredere --bench engine_system_alloc`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{criterion_group, criterion_main};

#[path = "support/engine_body.rs"]
mod body;
#[path = "support/events.rs"]
mod events;

fn bench(c: &mut criterion::Criterion) {
    body::bench(c, "engine_system_alloc");
}

criterion_group!(benches, bench);
criterion_main!(benches);
