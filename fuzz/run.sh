#!/usr/bin/env bash
# Fuzzes every FFI op for the given number of seconds (default 60), starting from a corpus
# seeded with the conformance vectors. Crashes go to fuzz/artifacts/; copy each one, once
# fixed, to fuzz/crashers/ so that core/tests/fuzz_regressions.rs replays it on stable Rust.
# Needs cargo-fuzz; the stable toolchain is used with RUSTC_BOOTSTRAP=1 for libFuzzer's flags.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_PER_TARGET="${1:-60}"
python3 seed_corpus.py
RUSTC_BOOTSTRAP=1 cargo fuzz run ffi_ops corpus/ffi_ops -- -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -rss_limit_mb=4096
