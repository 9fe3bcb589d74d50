//! Replays `fuzz/crashers/` (inputs that once crashed `fuzz/fuzz_targets/ffi_ops.rs`, fixed
//! since), `fuzz/crashers/account_replay/` (the same for `fuzz/fuzz_targets/account_replay.rs`)
//! and, when present, the local fuzz corpora: every input must give an answer or a typed
//! error, never a panic, and the account replay must agree with applying its events one by one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use delcredere::ffi::{call_json, OPS};

/// The property of the `account_replay` fuzz target, the same code the target runs.
#[path = "../../fuzz/fuzz_targets/account_replay_check.rs"]
mod account_replay_check;

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

fn replay_accounts(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut count = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_file() && path.extension().is_none_or(|e| e != "md") {
            account_replay_check::check(&std::fs::read(&path).unwrap());
            count += 1;
        }
    }
    count
}

#[test]
fn fuzz_account_replay_crashers_and_corpus_agree_with_apply_acc() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let crashers = replay_accounts(&fuzz.join("crashers/account_replay"));
    let corpus = replay_accounts(&fuzz.join("corpus/account_replay"));
    println!("replayed {crashers} account crashers and {corpus} account corpus inputs");
}

#[test]
fn fuzz_crashers_and_corpus_never_panic() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let crashers = replay(&fuzz.join("crashers"));
    let corpus = replay(&fuzz.join("corpus/ffi_ops"));
    println!("replayed {crashers} crashers and {corpus} corpus inputs");
}
