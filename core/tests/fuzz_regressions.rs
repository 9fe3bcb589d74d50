//! Replays `fuzz/crashers/` (inputs that once crashed `fuzz/fuzz_targets/ffi_ops.rs`, fixed
//! since), `fuzz/crashers/account_replay/` (the same for `fuzz/fuzz_targets/account_replay.rs`)
//! and, when present, the local fuzz corpora: every input must give an answer or a typed
//! error, never a panic, and the account replay must agree with applying its events one by one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use delcredere::account::{Account, AccountStateInput};
use delcredere::ffi::{call_json, OPS};

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

/// What `fuzz/fuzz_targets/account_replay.rs` checks, on one input (ACC).
fn replay_account(data: &[u8]) {
    let Ok(input) = serde_json::from_slice::<AccountStateInput>(data) else {
        return;
    };
    let state = |account: &Account| match account.state_at(&input.policy, &input.buyer, input.as_of.0) {
        Ok(decision) => serde_json::to_string(&decision).unwrap(),
        Err(e) => format!("error {}", e.code()),
    };
    let replayed = Account::replay(&input.policy, &input.events);
    let mut applied = Account::default();
    let mut all_applied = true;
    for event in &input.events {
        all_applied &= applied.apply(&input.policy, event.clone()).is_ok();
    }
    if let Ok(replayed) = &replayed {
        let again = Account::replay(&input.policy, replayed.events()).unwrap();
        assert_eq!(again.events(), replayed.events());
        state(replayed);
    }
    if all_applied {
        let replayed = replayed.as_ref().unwrap();
        assert_eq!(applied.events(), replayed.events());
        assert_eq!(state(&applied), state(replayed));
    }
}

fn replay_accounts(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut count = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_file() && path.extension().is_none_or(|e| e != "md") {
            replay_account(&std::fs::read(&path).unwrap());
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
