//! Replays `fuzz/crashers/` (inputs that once crashed `fuzz/fuzz_targets/ffi_ops.rs`, fixed
//! since), `fuzz/crashers/account_replay/` and `fuzz/crashers/engine_restore/` (the same for
//! `fuzz/fuzz_targets/account_replay.rs` and `engine_restore.rs`) and, when present, the local
//! fuzz corpora: every input must give an answer or a typed error, never a panic, the account
//! replay must agree with applying its events one by one, and a restored engine must survive
//! its own snapshot.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use delcredere::ffi::{call_json, OPS};

/// The property of the `account_replay` fuzz target, the same code the target runs.
#[path = "../../fuzz/fuzz_targets/account_replay_check.rs"]
mod account_replay_check;

/// The property of the `engine_restore` fuzz target, the same code the target runs.
#[path = "../../fuzz/fuzz_targets/engine_restore_check.rs"]
mod engine_restore_check;

fn replay(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut count = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") || path.is_dir() {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let Some((first, rest)) = data.split_first() else {
            continue;
        };
        let op = OPS[usize::from(*first) % OPS.len()];
        if let Ok(text) = std::str::from_utf8(rest) {
            if let Err(e) = call_json(op, text) {
                assert_ne!(e.code(), "internal", "{}: {op} panicked: {e}", path.display());
            }
            count += 1;
        }
    }
    count
}

fn replay_each(dir: &Path, check: fn(&[u8])) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut count = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_file() && path.extension().is_none_or(|e| e != "md") {
            check(&std::fs::read(&path).unwrap());
            count += 1;
        }
    }
    count
}

#[test]
fn fuzz_engine_restore_crashers_and_corpus_restore_or_fail_typed_acc() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let crashers = replay_each(&fuzz.join("crashers/engine_restore"), engine_restore_check::check);
    let corpus = replay_each(&fuzz.join("corpus/engine_restore"), engine_restore_check::check);
    println!("replayed {crashers} engine crashers and {corpus} engine corpus inputs");
}

#[test]
fn fuzz_account_replay_crashers_and_corpus_agree_with_apply_acc() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let crashers = replay_each(&fuzz.join("crashers/account_replay"), account_replay_check::check);
    let corpus = replay_each(&fuzz.join("corpus/account_replay"), account_replay_check::check);
    println!("replayed {crashers} account crashers and {corpus} account corpus inputs");
}

#[test]
fn fuzz_crashers_and_corpus_never_panic() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let crashers = replay(&fuzz.join("crashers"));
    let corpus = replay(&fuzz.join("corpus/ffi_ops"));
    println!("replayed {crashers} crashers and {corpus} corpus inputs");
}
