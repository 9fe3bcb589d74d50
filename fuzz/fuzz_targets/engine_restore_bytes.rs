//! `Engine::restore_bytes` (ACC) on arbitrary bytes as a binary engine snapshot (format 2); the
//! property checked is in `engine_restore_bytes_check.rs` (shared with the stable-Rust test
//! `core/tests/engine_snapshot_bytes.rs`, which runs it on every one-bit edit of a snapshot).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "engine_restore_bytes_check.rs"]
mod engine_restore_bytes_check;

fuzz_target!(|data: &[u8]| engine_restore_bytes_check::check(data));
