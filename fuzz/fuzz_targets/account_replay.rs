//! The account event replay (ACC) on arbitrary JSON shaped like an `account_state` input; the
//! property checked is in `account_replay_check.rs` (shared with the stable-Rust regression
//! test `core/tests/fuzz_regressions.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "account_replay_check.rs"]
mod account_replay_check;

fuzz_target!(|data: &[u8]| account_replay_check::check(data));
