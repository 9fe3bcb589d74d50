//! `Engine::restore` (ACC) on arbitrary bytes as an engine snapshot; the property checked is in
//! `engine_restore_check.rs` (shared with the stable-Rust regression test
//! `core/tests/fuzz_regressions.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "engine_restore_check.rs"]
mod engine_restore_check;

fuzz_target!(|data: &[u8]| engine_restore_check::check(data));
