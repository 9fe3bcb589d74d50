//! Replays `fuzz/crashers/` (inputs that once crashed `fuzz/fuzz_targets/ffi_ops.rs`, fixed
//! since) and, when present, the local fuzz corpus: every input must give an answer or a
//! typed error, never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

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

#[test]
fn fuzz_crashers_and_corpus_never_panic() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let crashers = replay(&fuzz.join("crashers"));
    let corpus = replay(&fuzz.join("corpus/ffi_ops"));
    println!("replayed {crashers} crashers and {corpus} corpus inputs");
}
